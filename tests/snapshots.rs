//! Rendered output, reviewed by eye: width 80, no colour, paths relative to the crate.

use std::path::PathBuf;

use forcelint::engine::{Outcome, run};
use forcelint::report::{concise, human, json};
use forcelint::rules::Options;

fn outcome(path: &str) -> Outcome {
    run(&[PathBuf::from(path)], &Options::default()).expect("runs")
}

fn human(path: &str) -> String {
    human::render(&outcome(path), &human::Style { color: false, width: 80 })
}

#[test]
fn demo_human() {
    insta::assert_snapshot!(human("fixtures/projects/demo"));
}

#[test]
fn demo_concise() {
    insta::assert_snapshot!(concise::render(&outcome("fixtures/projects/demo")));
}

#[test]
fn eca_split_human() {
    insta::assert_snapshot!(human("fixtures/projects/eca-split"));
}

#[test]
fn eca_split_json() {
    insta::assert_snapshot!(json::render(&outcome("fixtures/projects/eca-split")));
}

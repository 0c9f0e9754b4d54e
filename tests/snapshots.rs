//! Rendered output, reviewed by eye: width 80, no colour, paths relative to the crate.

use std::path::PathBuf;

use forcelint::engine::Settings;
use forcelint::engine::{Outcome, run};
use forcelint::report::{concise, human, json};
use forcelint::suppress::Date;

fn outcome(path: &str) -> Outcome {
    // A fixed day, so that `expires` dates in fixtures never change the output.
    let today = Date { year: 2026, month: 11, day: 25 };
    run(&[PathBuf::from(path)], &Settings { today, ..Settings::default() }).expect("runs")
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

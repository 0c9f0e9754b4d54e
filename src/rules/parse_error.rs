use super::Options;
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    project
        .parse_failures
        .iter()
        .map(|f| {
            Finding::new("parse-error", Severity::Error, &f.message, f.loc, "here")
                .help("fix the file so that it is well-formed metadata XML; the other files were still checked")
        })
        .collect()
}

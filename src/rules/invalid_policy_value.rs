use super::Options;
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    project
        .problems
        .iter()
        .map(|p| Finding::new("invalid-policy-value", Severity::Error, &p.message, p.loc, &p.label).help(&p.help))
        .collect()
}

//! The rule catalogue. A rule is a pure function of the project: no IO, no printing.
//!
//! One rule, one name, four places: `src/rules/<id>.rs`, `rules/<id>.md`,
//! `fixtures/rules/<id>/` and `[rules.<id>]` in config.

use crate::finding::{Finding, Severity};
use crate::model::Project;

mod enforced_ip_restrictions;
mod expiring_refresh_token;
mod invalid_policy_value;
mod parse_error;
mod short_session_timeout;

/// Rule options, with their defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `short-session-timeout`: the shortest acceptable session, in minutes.
    pub min_session_timeout: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_session_timeout: crate::model::DEFAULT_SESSION_TIMEOUT }
    }
}

pub struct Rule {
    pub id: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// The rule's page, `rules/<id>.md`.
    pub doc: &'static str,
    pub check: fn(&Project, &Options) -> Vec<Finding>,
}

macro_rules! rule {
    ($module:ident, $id:literal, $severity:ident, $summary:literal) => {
        Rule {
            id: $id,
            default_severity: Severity::$severity,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
            check: $module::check,
        }
    };
}

pub static RULES: &[Rule] = &[
    rule!(
        expiring_refresh_token,
        "expiring-refresh-token",
        Error,
        "Refresh tokens of an unattended app expire, so the integration stops until someone re-authorizes"
    ),
    rule!(
        short_session_timeout,
        "short-session-timeout",
        Warning,
        "An unattended app's effective session timeout is shorter than the minimum"
    ),
    rule!(
        enforced_ip_restrictions,
        "enforced-ip-restrictions",
        Warning,
        "IP restrictions are enforced for an unattended app whose servers may not be in the allowed ranges"
    ),
    rule!(
        invalid_policy_value,
        "invalid-policy-value",
        Error,
        "A policy element has a value or shape Salesforce does not accept"
    ),
    rule!(parse_error, "parse-error", Error, "A metadata file is not well-formed XML or has the wrong root element"),
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Runs every rule; the caller filters and sorts.
pub fn run_all(project: &Project, options: &Options) -> Vec<Finding> {
    RULES.iter().flat_map(|rule| (rule.check)(project, options)).collect()
}

/// Shared by the rules: "`DevOps`" for messages.
fn app_name(app: &crate::model::App) -> String {
    format!("`{}`", app.name)
}

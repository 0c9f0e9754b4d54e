//! GitLab Code Quality: a JSON array of issues for `artifacts:reports:codequality`.
//! The fingerprint is the baseline fingerprint (no line numbers, so an issue keeps its
//! identity when lines move), made unique with an occurrence counter.

use serde::Serialize;

use super::{fingerprints, line_cols, report_path};
use crate::engine::Outcome;
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    description: &'a str,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

pub fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "critical",
        Severity::Warning => "major",
        Severity::Info => "info",
    }
}

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &outcome.project.sources;
    let issues: Vec<Issue> = outcome
        .findings
        .iter()
        .zip(fingerprints(outcome, &outcome.findings))
        .map(|(f, fingerprint)| {
            let (start, end) = line_cols(sources, f.primary.loc);
            Issue {
                description: &f.message,
                check_name: f.rule,
                fingerprint,
                severity: severity(f.severity),
                location: Location {
                    path: report_path(sources, f.primary.loc.file),
                    lines: Lines { begin: start.line, end: end.line.max(start.line) },
                },
            }
        })
        .collect();
    super::write_json(&issues, out)
}

//! Versioned JSON. The schema is documented in `docs/json-format.md`; bump
//! `SCHEMA_VERSION` on any incompatible change.

use serde::Serialize;

use super::Summary;
use crate::engine::Outcome;
use crate::finding::{Finding, Label};
use crate::source::Sources;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    /// With `--changed-since`: how watched policy values moved.
    #[serde(skip_serializing_if = "Option::is_none")]
    drift: Option<JsonDrift<'a>>,
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    /// Findings an accepted risk covers; not counted in the summary's severities.
    suppressed: Vec<JsonSuppressed<'a>>,
    summary: JsonSummary,
    notes: &'a [String],
}

#[derive(Serialize)]
struct JsonDrift<'a> {
    since: &'a str,
    changes: Vec<JsonChange<'a>>,
}

#[derive(Serialize)]
struct JsonChange<'a> {
    subject: &'a str,
    element: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
    path: &'a str,
    /// `null` when the file was deleted.
    location: Option<JsonLocation<'a>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    message: &'a str,
    help: Option<&'a str>,
    location: JsonLocation<'a>,
    related: Vec<JsonLocation<'a>>,
    app: Option<JsonApp<'a>>,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    path: String,
    start: Position,
    end: Position,
    label: &'a str,
}

#[derive(Serialize)]
struct Position {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct JsonApp<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    evidence: Vec<JsonLocation<'a>>,
    notes: &'a [String],
    owner: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonSuppressed<'a> {
    #[serde(flatten)]
    finding: JsonFinding<'a>,
    suppression: JsonSuppression<'a>,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    /// `config` (an `[[ignore]]` entry) or `inline` (an XML comment).
    kind: &'static str,
    reason: &'a str,
    location: JsonLocation<'a>,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    baselined: usize,
    files: usize,
    apps: std::collections::BTreeMap<&'static str, usize>,
}

fn location<'a>(sources: &Sources, label: &'a Label) -> JsonLocation<'a> {
    let file = sources.get(label.loc.file);
    let position = |offset| {
        let lc = file.line_col(offset);
        Position { line: lc.line, column: lc.column, offset }
    };
    JsonLocation {
        // Forward slashes on every platform, so reports compare across machines.
        path: super::display_path(&file.path),
        start: position(label.loc.span.start),
        end: position(label.loc.span.end),
        label: &label.text,
    }
}

fn finding<'a>(sources: &Sources, f: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        rule: f.rule,
        severity: f.severity.name(),
        message: &f.message,
        help: f.help.as_deref(),
        location: location(sources, &f.primary),
        related: f.related.iter().map(|l| location(sources, l)).collect(),
        app: f.app.as_ref().map(|a| JsonApp {
            name: &a.name,
            kind: super::metadata_type(a.kind),
            purpose: a.purpose.name(),
            evidence: a.evidence.iter().map(|l| location(sources, l)).collect(),
            notes: &a.notes,
            owner: a.owner.as_deref(),
        }),
    }
}

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &outcome.project.sources;
    let summary = Summary::of(outcome);
    let labels: Vec<Label> =
        outcome.suppressed.iter().map(|(_, s)| Label { loc: s.loc, text: "suppressed here".into() }).collect();
    let drift_labels: Vec<Option<Label>> = outcome
        .drift
        .iter()
        .flat_map(|(_, changes)| changes)
        .map(|c| c.loc.map(|loc| Label { loc, text: "now".into() }))
        .collect();
    let report = Report {
        version: SCHEMA_VERSION,
        tool: Tool { name: "forcelint", version: env!("CARGO_PKG_VERSION") },
        findings: outcome.findings.iter().map(|f| finding(sources, f)).collect(),
        suppressed: outcome
            .suppressed
            .iter()
            .zip(&labels)
            .map(|((f, s), label)| JsonSuppressed {
                finding: finding(sources, f),
                suppression: JsonSuppression {
                    kind: if s.inline { "inline" } else { "config" },
                    reason: &s.reason,
                    location: location(sources, label),
                },
            })
            .collect(),
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
            infos: summary.infos,
            suppressed: summary.suppressed,
            baselined: summary.baselined,
            files: summary.files,
            apps: summary.apps.iter().map(|(p, n)| (p.name(), *n)).collect(),
        },
        notes: &outcome.notes,
        drift: outcome.drift.as_ref().map(|(since, changes)| JsonDrift {
            since,
            changes: changes
                .iter()
                .zip(&drift_labels)
                .map(|(c, label)| JsonChange {
                    subject: &c.subject,
                    element: &c.element,
                    before: c.before.as_deref(),
                    after: c.after.as_deref(),
                    path: &c.path,
                    location: label.as_ref().map(|l| location(sources, l)),
                })
                .collect(),
        }),
    };
    super::write_json(&report, out)
}

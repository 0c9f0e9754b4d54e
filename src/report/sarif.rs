//! SARIF 2.1.0, in the subset GitHub code scanning reads: every rule in the driver, one
//! result per finding with its region, related locations and a line-independent
//! fingerprint; suppressed findings are included with their suppression.
//!
//! Paths: `artifactLocation.uri` is the path forcelint shows, which is relative to the
//! working directory. Code scanning resolves it against the repository root, so run
//! forcelint from the repository root (as a CI job does). Relative URIs carry
//! `uriBaseId: "%SRCROOT%"`, the directory forcelint ran in; a file outside it is given as
//! an absolute `file://` URI without a base. Paths are percent-encoded (a space is `%20`).
//! Columns count Unicode code points (`columnKind`), ends are exclusive.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{fingerprints, full_text, line_cols, report_path, rule_description, rule_url};
use crate::engine::Outcome;
use crate::finding::{Finding, Label, Severity};
use crate::rules::RULES;
use crate::source::{Location, Sources};

/// The official schema's id.
pub const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// The `partialFingerprints` key; the value is the baseline fingerprint (no line numbers).
pub const FINGERPRINT_KEY: &str = "forcelint/v1";
/// What relative artifact URIs are relative to.
pub const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    invocations: Vec<Invocation>,
    results: Vec<SarifResult>,
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: &'static str,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Help,
    help_uri: String,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct BaseUri {
    description: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Message,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

fn message(text: impl Into<String>) -> Message {
    Message { text: text.into() }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    message: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: String,
    location: SarifLocation,
}

#[derive(Serialize)]
struct Properties {
    app: String,
    #[serde(rename = "appType")]
    app_type: &'static str,
    purpose: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
}

pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `expiring-refresh-token` → `ExpiringRefreshToken`.
fn pascal_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
        })
        .collect()
}

/// A path as a URI reference: percent-encoded; relative ones get the `%SRCROOT%` base.
fn artifact(sources: &Sources, loc: Location) -> ArtifactLocation {
    let path = report_path(sources, loc.file);
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if absolute {
        let encoded = encode(&path, true);
        let sep = if encoded.starts_with('/') { "" } else { "/" };
        ArtifactLocation { uri: format!("file://{sep}{encoded}"), uri_base_id: None }
    } else {
        ArtifactLocation { uri: encode(&path, false), uri_base_id: Some(SRCROOT) }
    }
}

/// Percent-encodes all but unreserved characters and `/` (and `:` in an absolute path,
/// for a drive letter; in a relative one it would read as a scheme).
fn encode(path: &str, keep_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            b':' if keep_colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn location(sources: &Sources, label: &Label, id: Option<usize>, text: String) -> SarifLocation {
    let (start, end) = line_cols(sources, label.loc);
    SarifLocation {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(sources, label.loc),
            region: Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
            },
        },
        message: message(text),
    }
}

fn result(outcome: &Outcome, f: &Finding, fingerprint: String, suppression: Option<Suppression>) -> SarifResult {
    let sources = &outcome.project.sources;
    let mut related: Vec<SarifLocation> =
        f.related.iter().map(|l| location(sources, l, None, l.text.clone())).collect();
    if let Some(app) = &f.app {
        related.extend(app.evidence.iter().map(|e| {
            location(sources, e, None, format!("why `{}` is judged {}: {}", app.name, app.purpose.name(), e.text))
        }));
    }
    for (i, l) in related.iter_mut().enumerate() {
        l.id = Some(i + 1);
    }
    SarifResult {
        rule_id: f.rule,
        rule_index: RULES.iter().position(|r| r.id == f.rule),
        level: level(f.severity),
        message: message(full_text(sources, f)),
        locations: vec![location(sources, &f.primary, None, f.primary.text.clone())],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, fingerprint)]),
        suppressions: suppression.into_iter().collect(),
        properties: f.app.as_ref().map(|a| Properties {
            app: a.name.clone(),
            app_type: super::metadata_type(a.kind),
            purpose: a.purpose.name(),
            owner: a.owner.clone(),
        }),
    }
}

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &outcome.project.sources;
    let all = outcome.findings.iter().chain(outcome.suppressed.iter().map(|(f, _)| f));
    let mut prints = fingerprints(outcome, all).into_iter();
    let mut results: Vec<SarifResult> =
        outcome.findings.iter().map(|f| result(outcome, f, prints.next().expect("one per finding"), None)).collect();
    for (f, s) in &outcome.suppressed {
        let at = Label { loc: s.loc, text: "suppressed here".into() };
        let suppression = Suppression {
            kind: if s.inline { "inSource" } else { "external" },
            justification: s.reason.clone(),
            location: location(sources, &at, None, at.text.clone()),
        };
        results.push(result(outcome, f, prints.next().expect("one per finding"), Some(suppression)));
    }
    let rules = RULES
        .iter()
        .map(|r| Descriptor {
            id: r.id,
            name: pascal_case(r.id),
            short_description: message(r.summary),
            full_description: message(rule_description(r)),
            help: Help { text: r.doc, markdown: r.doc },
            help_uri: rule_url(r.id),
            default_configuration: Configuration { level: level(r.default_severity) },
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "forcelint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: super::REPOSITORY,
                    rules,
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseUri {
                    description: message(
                        "the directory forcelint ran in; run it from the repository root so that paths resolve",
                    ),
                },
            )]),
            invocations: vec![Invocation {
                execution_successful: true,
                tool_execution_notifications: outcome
                    .notes
                    .iter()
                    .map(|n| Notification { level: "note", message: message(n.clone()) })
                    .collect(),
            }],
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    super::write_json(&log, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            encode("force-app/ERP Integration.profile-meta.xml", false),
            "force-app/ERP%20Integration.profile-meta.xml"
        );
        assert_eq!(encode("a:b/é#?%", false), "a%3Ab/%C3%A9%23%3F%25");
        assert_eq!(encode("C:/x y", true), "C:/x%20y");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal_case("expiring-refresh-token"), "ExpiringRefreshToken");
    }
}

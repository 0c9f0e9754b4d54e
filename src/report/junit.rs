//! JUnit XML, as Jenkins, Azure DevOps and GitLab read it: one `<testsuite>` per app (and
//! one per file for findings about no app, such as a parse error), a failing `<testcase>`
//! per finding, a skipped one per suppressed finding, and a passing one for each app
//! without findings.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Group, Sink, Subject, escape_markup, full_text, groups, location_text, metadata_type, report_path};
use crate::engine::Outcome;
use crate::finding::Finding;
use crate::source::Sources;

/// The name of the passing test case of an app without findings.
pub const CLEAN: &str = "no findings";

/// Element content: also keeps a carriage return through XML's line-end normalization.
fn text(s: &str) -> String {
    escape_markup(s).replace('\r', "&#13;")
}

/// A quoted attribute value: line breaks and tabs as references, so that attribute
/// normalization does not turn them into spaces.
fn attr(s: &str) -> String {
    escape_markup(s).replace('\n', "&#10;").replace('\r', "&#13;").replace('\t', "&#9;")
}

struct Case {
    name: String,
    file: String,
    line: usize,
    /// `<failure>` or `<skipped>` with its attributes and content.
    body: Option<String>,
}

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &outcome.project.sources;
    let groups = groups(outcome);
    // The totals come first, in the root element: counted before the suites are written.
    let (mut total, mut failed, mut skipped) = (0, 0, 0);
    for group in &groups {
        total += group.findings.len() + group.suppressed.len() + usize::from(group.findings.is_empty());
        failed += group.findings.len();
        skipped += group.suppressed.len();
    }
    let mut out = Sink::new(out);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"forcelint\" tests=\"{total}\" failures=\"{failed}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">"
    );
    for group in groups {
        let (name, classname, properties) = match &group.subject {
            Subject::App { name, kind, purpose, .. } => {
                let mut properties = vec![("type", metadata_type(*kind)), ("purpose", purpose.name())];
                if let Some(owner) = group.app_ref().and_then(|a| a.owner.as_deref()) {
                    properties.push(("owner", owner));
                }
                (name.to_string(), name.to_string(), properties)
            }
            Subject::File(id) => (report_path(sources, *id), report_path(sources, *id), Vec::new()),
        };
        let cases = cases(sources, &group);
        let failures = group.findings.len();
        let skips = group.suppressed.len();
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skips}\" time=\"0\">",
            attr(&name),
            cases.len()
        );
        if !properties.is_empty() {
            out.push_str("    <properties>\n");
            for (key, value) in properties {
                let _ = writeln!(out, "      <property name=\"{key}\" value=\"{}\"/>", attr(value));
            }
            out.push_str("    </properties>\n");
        }
        for case in cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\" time=\"0\"",
                attr(&case.name),
                attr(&classname),
                attr(&case.file),
                case.line
            );
            match case.body {
                Some(body) => {
                    let _ = writeln!(out, ">\n      {body}\n    </testcase>");
                }
                None => out.push_str("/>\n"),
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out.finish()
}

fn cases(sources: &Sources, group: &Group) -> Vec<Case> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut unique = |name: String| {
        let n = seen.entry(name.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { name } else { format!("{name} ({n})") }
    };
    let mut cases = Vec::new();
    for f in &group.findings {
        let body = format!(
            "<failure message=\"{}\" type=\"{}\">{}</failure>",
            attr(&f.message),
            attr(f.rule),
            text(&details(sources, f))
        );
        cases.push(case(sources, f, &mut unique, Some(body)));
    }
    for (f, s) in &group.suppressed {
        let kind = if s.inline { "inline comment" } else { "config" };
        let body = format!(
            "<skipped message=\"{}\"/>",
            attr(&format!("suppressed ({kind} at {}): {}", location_text(sources, s.loc), s.reason))
        );
        cases.push(case(sources, f, &mut unique, Some(body)));
    }
    if group.findings.is_empty() {
        let (file, line) = match &group.subject {
            Subject::App { app: Some(app), .. } => (
                report_path(sources, app.anchor.file),
                sources.get(app.anchor.file).line_col(app.anchor.span.start).line,
            ),
            Subject::File(id) => (report_path(sources, *id), 1),
            Subject::App { app: None, .. } => (String::new(), 1),
        };
        cases.push(Case { name: unique(CLEAN.to_string()), file, line, body: None });
    }
    cases
}

fn case(sources: &Sources, f: &Finding, unique: &mut impl FnMut(String) -> String, body: Option<String>) -> Case {
    let at = sources.get(f.primary.loc.file).line_col(f.primary.loc.span.start);
    Case {
        name: unique(format!("{} at {}", f.rule, super::short_location(sources, f.primary.loc))),
        file: report_path(sources, f.primary.loc.file),
        line: at.line,
        body,
    }
}

/// The whole finding as text: what, where, related places, the fix and the notes.
fn details(sources: &Sources, f: &Finding) -> String {
    let mut out = format!("{}[{}] ", f.severity.name(), f.rule);
    let mut lines = full_text(sources, f).lines().map(str::to_string).collect::<Vec<_>>().into_iter();
    out.push_str(&lines.next().unwrap_or_default());
    let _ = write!(out, "\n  at {}: {}", location_text(sources, f.primary.loc), f.primary.text);
    for l in &f.related {
        let _ = write!(out, "\n  related: {}: {}", location_text(sources, l.loc), l.text);
    }
    for line in lines {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

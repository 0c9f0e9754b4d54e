//! GitHub-flavoured Markdown for a pull-request comment or a job summary
//! (`$GITHUB_STEP_SUMMARY`): the counts, the apps by purpose, then the findings by app with
//! the fix and the annotated snippet. Groups of more than `FOLD` findings are folded into
//! `<details>`.

use std::fmt::Write;

use super::snippet::{self, Line};
use super::{
    Group, Sink, Span, Subject, Summary, code_spans, groups, location_text, purpose_note, report_path, rule_url,
};
use crate::engine::Outcome;
use crate::finding::{Finding, Label, Severity};
use crate::model::Purpose;
use crate::source::Sources;

/// Groups with more findings than this are folded.
pub const FOLD: usize = 3;
/// Lines shown before and after the offending element.
const CONTEXT: usize = 2;

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let sources = &outcome.project.sources;
    let summary = Summary::of(outcome);
    let groups = groups(outcome);
    let mut out = Sink::new(out);
    out.push_str("## forcelint\n\n");
    let _ = writeln!(out, "{}\n", inline(&summary.to_string()));

    out.push_str("| severity | findings |\n|---|---:|\n");
    for (name, n) in [("error", summary.errors), ("warning", summary.warnings), ("info", summary.infos)] {
        let _ = writeln!(out, "| {name} | {n} |");
    }
    out.push('\n');

    if summary.total_apps() > 0 {
        out.push_str("| purpose | apps | names |\n|---|---:|---|\n");
        for purpose in Purpose::ALL {
            let names: Vec<String> = groups
                .iter()
                .filter_map(|g| match g.subject {
                    Subject::App { name, purpose: p, app: Some(_), .. } if p == purpose => Some(code(name)),
                    _ => None,
                })
                .collect();
            if !names.is_empty() {
                // `|` cannot appear inside a table cell, even in code.
                let cell = names.join(", ").replace('|', "\\|");
                let _ = writeln!(out, "| {} | {} | {cell} |", purpose.name(), names.len());
            }
        }
        out.push('\n');
    }
    for note in &outcome.notes {
        let _ = writeln!(out, "> **Note:** {}\n", inline(note));
    }

    if let Some((rev, changes)) = &outcome.drift {
        let _ = writeln!(out, "### Policy drift since {}\n", code(rev));
        if changes.is_empty() {
            out.push_str("No watched policy value changed.\n\n");
        } else {
            out.push_str("| app or file | element | change |\n|---|---|---|\n");
            let show = |v: &Option<String>| v.as_deref().map_or("(absent)".to_string(), code);
            for c in changes {
                let leaf = c.element.rsplit('/').next().unwrap_or(&c.element);
                let row =
                    format!("| {} | {} | {} → {} |", code(&c.subject), code(leaf), show(&c.before), show(&c.after));
                let _ = writeln!(out, "{}", row);
            }
            out.push('\n');
        }
    }
    if outcome.findings.is_empty() {
        out.push_str("No findings.\n");
    } else {
        out.push_str("### Findings\n");
        for group in groups.iter().filter(|g| !g.findings.is_empty()) {
            out.push('\n');
            render_group(&mut out, sources, group);
        }
    }

    if !outcome.suppressed.is_empty() {
        let n = outcome.suppressed.len();
        let _ =
            writeln!(out, "\n<details><summary>{n} suppressed finding{}</summary>\n", if n == 1 { "" } else { "s" });
        for (f, s) in &outcome.suppressed {
            let app = f.app.as_ref().map(|a| format!(" {}", code(&a.name))).unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{}** {}{app} at {}: {}<br>suppressed by {} at {}: {}",
                f.severity.name(),
                rule_link(f.rule),
                code(&location_text(sources, f.primary.loc)),
                inline(&f.message),
                if s.inline { "an inline comment" } else { "the config" },
                code(&location_text(sources, s.loc)),
                inline(&s.reason)
            );
        }
        out.push_str("\n</details>\n");
    }
    out.finish()
}

fn render_group(out: &mut Sink, sources: &Sources, group: &Group) {
    match &group.subject {
        Subject::App { name, kind, purpose, .. } => {
            let _ = writeln!(out, "#### {} ({}, {})\n", code(name), kind.describe(), purpose.name());
            if let Some(app) = group.app_ref() {
                let _ = writeln!(out, "{}\n", inline(&format!("{}.", purpose_note(sources, app))));
                if let Some(owner) = &app.owner {
                    let _ = writeln!(out, "Owner: {}\n", inline(owner));
                }
                for note in &app.notes {
                    let _ = writeln!(out, "{}\n", inline(&format!("Note: {note}")));
                }
            }
        }
        Subject::File(id) => {
            let _ = writeln!(out, "#### {}\n", code(&report_path(sources, *id)));
        }
    }
    let fold = group.findings.len() > FOLD;
    if fold {
        let counts: Vec<String> = [Severity::Error, Severity::Warning, Severity::Info]
            .into_iter()
            .filter_map(|s| {
                let n = group.count(s);
                (n > 0).then(|| format!("{n} {}{}", s.name(), if n == 1 || s == Severity::Info { "" } else { "s" }))
            })
            .collect();
        let _ = writeln!(out, "<details><summary>{} findings: {}</summary>\n", group.findings.len(), counts.join(", "));
    }
    for (i, f) in group.findings.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        render_finding(out, sources, f);
    }
    if fold {
        out.push_str("\n</details>\n");
    }
}

fn render_finding(out: &mut Sink, sources: &Sources, f: &Finding) {
    let _ = writeln!(
        out,
        "**{}** {} at {}<br>\n{}\n",
        f.severity.name(),
        rule_link(f.rule),
        code(&location_text(sources, f.primary.loc)),
        inline(&f.message)
    );
    if let Some(help) = &f.help {
        let _ = writeln!(out, "**Fix:** {}\n", inline(help));
    }
    for l in &f.related {
        let _ = writeln!(out, "- related: {} {}", code(&location_text(sources, l.loc)), inline(&l.text));
    }
    if !f.related.is_empty() {
        out.push('\n');
    }
    out.push_str(&snippet_block(sources, &f.primary));
}

/// The lines around a label in a fenced block, the label's lines marked with `>` and a
/// one-line span underlined with the label's text.
fn snippet_block(sources: &Sources, label: &Label) -> String {
    let lines = snippet::around(sources, label.loc, CONTEXT);
    if lines.is_empty() {
        return String::new();
    }
    let width = lines.iter().map(|l| l.number.to_string().len()).max().unwrap_or(1);
    let language = if report_path(sources, label.loc.file).ends_with(".toml") { "toml" } else { "xml" };
    let caption = super::clean::line(&label.text.replace(['\n', '\r'], " ")).into_owned();
    let mut body = String::new();
    let last_marked = lines.iter().rposition(|l| l.marked);
    for (i, Line { number, text, marked, underline }) in lines.iter().enumerate() {
        let _ = writeln!(body, "{}{number:>width$} | {text}", if *marked { ">" } else { " " });
        match underline {
            Some((col, len)) => {
                let _ = writeln!(body, " {:width$} | {}{} {caption}", "", " ".repeat(*col), "^".repeat(*len));
            }
            None if Some(i) == last_marked => {
                let _ = writeln!(body, " {:width$} | = {caption}", "");
            }
            None => {}
        }
    }
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    format!("{fence}{language}\n{body}{fence}\n")
}

fn longest_run(text: &str, c: char) -> usize {
    let (mut longest, mut run) = (0, 0);
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

fn rule_link(rule: &str) -> String {
    format!("[{}]({})", code(rule), rule_url(rule))
}

/// A code span holding `text` literally, whatever backticks it contains.
pub fn code(text: &str) -> String {
    let text = super::clean::line(&text.replace(['\n', '\r'], " ")).into_owned();
    let fence = "`".repeat(longest_run(&text, '`') + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.trim().is_empty() { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// Message text: the author's `code spans` kept; elsewhere, Markdown and HTML syntax is
/// escaped so that a value from the metadata cannot format or inject anything. Line
/// breaks become `<br>`.
pub fn inline(text: &str) -> String {
    code_spans(text)
        .into_iter()
        .map(|span| match span {
            Span::Code(code_text) if !code_text.trim().is_empty() => code(code_text),
            Span::Code(blank) => format!("\\`{}\\`", escape(blank)),
            Span::Tick => "\\`".to_string(),
            Span::Text(text) => escape(text),
        })
        .collect()
}

/// Backslash-escapes Markdown punctuation; `&` becomes `&amp;`, line breaks `<br>`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(super::clean::replacement(c, super::clean::Keep::Tab).unwrap_or(c)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_keeps_code_spans_and_escapes_the_rest() {
        assert_eq!(inline("set `<a>` to *b*"), "set `<a>` to \\*b\\*");
        assert_eq!(inline("<script>x</script> & [l](u)"), "\\<script\\>x\\</script\\> &amp; \\[l\\](u)");
        assert_eq!(inline("odd ` tick"), "odd \\` tick");
        assert_eq!(inline("a `b` c ` d"), "a `b` c \\` d");
        assert_eq!(inline("two\nlines"), "two<br>lines");
    }

    #[test]
    fn code_spans_hold_backticks() {
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("plain"), "`plain`");
    }
}

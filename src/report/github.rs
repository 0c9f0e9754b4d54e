//! GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per
//! finding, which GitHub shows as an annotation on the file and line. The path is as
//! forcelint shows it (relative to the working directory: run from the repository root).

use std::fmt::Write;

use super::{line_cols, report_path};
use crate::engine::Outcome;
use crate::finding::{Finding, Severity};
use crate::source::Sources;

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = super::Sink::new(out);
    for f in &outcome.findings {
        out.push_str(&command(&outcome.project.sources, f));
        out.push('\n');
    }
    out.finish()
}

fn command(sources: &Sources, f: &Finding) -> String {
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let (start, end) = line_cols(sources, f.primary.loc);
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        let _ = write!(text, "\nhelp: {help}");
    }
    format!(
        "::{name} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        property(&report_path(sources, f.primary.loc.file)),
        start.line,
        start.column,
        end.line,
        end.column,
        property(f.rule),
        data(&text)
    )
}

/// The message of a command: `%`, CR and LF are encoded; other controls are shown escaped.
pub fn data(text: &str) -> String {
    super::clean::text(text, super::clean::Keep::Lines).replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A property value: as `data`, and `:` and `,` too.
pub fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

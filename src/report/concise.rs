//! `path:line:col: severity[rule] message`, one finding a line: line breaks and other
//! controls in paths and messages are shown escaped (`clean`), and a path that would start
//! the line with a workflow command (`::`) is written `./::...`.

use std::fmt::Write;

use super::clean;
use crate::engine::Outcome;

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = super::Sink::new(out);
    for f in &outcome.findings {
        let file = outcome.project.sources.get(f.primary.loc.file);
        let at = file.line_col(f.primary.loc.span.start);
        let line = format!(
            "{}:{}:{}: {}[{}] {}",
            super::report_path(&outcome.project.sources, f.primary.loc.file),
            at.line,
            at.column,
            f.severity.name(),
            f.rule,
            f.message
        );
        let _ = writeln!(out, "{}", clean::line_start(&clean::line(&line), "./"));
    }
    out.finish()
}

//! `path:line:col: severity[rule] message`, one finding a line.

use std::fmt::Write;

use crate::engine::Outcome;

pub fn render(outcome: &Outcome) -> String {
    let mut out = String::new();
    for f in &outcome.findings {
        let file = outcome.project.sources.get(f.primary.loc.file);
        let at = file.line_col(f.primary.loc.span.start);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            super::report_path(&outcome.project.sources, f.primary.loc.file),
            at.line,
            at.column,
            f.severity.name(),
            f.rule,
            f.message
        );
    }
    out
}

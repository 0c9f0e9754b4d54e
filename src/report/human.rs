//! Annotated diagnostics for people, rendered by miette: the XML snippet with the primary
//! label on the offending element, related labels, and the fix.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, NamedSource,
    SourceCode, SourceSpan, SpanContents,
};

use super::Summary;
use super::clean::{self, Keep};
use crate::engine::Outcome;
use crate::finding::{Finding, Label, Severity};
use crate::source::{FileId, Sources};
use crate::xml::Span;

pub struct Style {
    pub color: bool,
    pub width: usize,
}

pub fn render(outcome: &Outcome, style: &Style) -> String {
    super::to_string(|out| write(outcome, style, out))
}

pub fn write(outcome: &Outcome, style: &Style, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let theme = if style.color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(style.width).with_links(false);
    let mut out = super::Sink::new(out);
    let mut text = String::new();
    for finding in &outcome.findings {
        let diagnostic = Rendered::from_finding(&outcome.project.sources, finding);
        text.clear();
        block(&handler, &diagnostic, &mut text);
        out.push_str(&text);
        out.push('\n');
    }
    if let Some((rev, changes)) = &outcome.drift {
        out.push_str(&drift_text(outcome, rev, changes));
    }
    out.push_str(&Summary::of(outcome).to_string());
    out.push('\n');
    out.finish()
}

/// One finding as one block: its snippet, the snippets of its related labels in other
/// files under it, then the fix and the notes. (miette prints related diagnostics after the
/// help, as detached "Advice:" blocks that cannot be told apart with several findings.)
fn block(handler: &GraphicalReportHandler, diagnostic: &Rendered, out: &mut String) {
    let main = Rendered { help: None, related: Vec::new(), ..diagnostic.shallow() };
    // Writing to a String cannot fail.
    let _ = handler.render_report(out, &main);
    for related in &diagnostic.related {
        if related.source.is_some() {
            out.push_str(&body(handler, related));
        }
    }
    if let Some(help) = &diagnostic.help {
        let footer = Rendered { help: Some(help.clone()), ..Rendered::empty() };
        out.push_str(&body(handler, &footer));
    }
}

/// What miette renders of a diagnostic below its message line: its snippet or its help.
fn body(handler: &GraphicalReportHandler, diagnostic: &Rendered) -> String {
    let mut text = String::new();
    let _ = handler.render_report(&mut text, diagnostic);
    // The first line is the (empty) message.
    text.split_once('\n').map(|(_, rest)| rest.to_string()).unwrap_or_default()
}

/// "policy drift since main:" and a line per changed value, with where it is now.
fn drift_text(outcome: &Outcome, rev: &str, changes: &[crate::drift::Drift]) -> String {
    let mut out = format!("policy drift since {rev}:");
    if changes.is_empty() {
        out.push_str(" none\n\n");
        return out;
    }
    out.push('\n');
    for change in changes {
        match change.loc {
            Some(loc) => {
                let line = outcome.project.sources.get(loc.file).line_col(loc.span.start).line;
                out.push_str(&clean::line(&format!("  {change}  ({}:{line})", change.path)));
            }
            None => out.push_str(&clean::line(&format!("  {change}  ({}, deleted)", change.path))),
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

/// One file's part of a finding, as miette wants it.
#[derive(Debug)]
struct Rendered {
    message: String,
    code: Option<&'static str>,
    severity: miette::Severity,
    help: Option<String>,
    /// `None` when the file cannot be shown (it changed while forcelint ran).
    source: Option<NamedSource<Excerpt>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered>,
}

impl Rendered {
    /// Nothing but an empty message: a part of a finding's block is rendered from it.
    fn empty() -> Rendered {
        Rendered {
            message: String::new(),
            code: None,
            severity: miette::Severity::Advice,
            help: None,
            source: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    /// A copy without its related parts.
    fn shallow(&self) -> Rendered {
        Rendered {
            message: self.message.clone(),
            code: self.code,
            severity: self.severity,
            help: self.help.clone(),
            source: self.source.as_ref().map(|s| NamedSource::new(s.name(), s.inner().clone())),
            labels: self.labels.clone(),
            related: Vec::new(),
        }
    }

    fn from_finding(sources: &Sources, f: &Finding) -> Rendered {
        let file = f.primary.loc.file;
        let mut here = vec![(&f.primary, true)];
        // Labels in other files become related diagnostics, one per file, in order.
        let mut elsewhere: Vec<(FileId, Vec<&Label>)> = Vec::new();
        for label in &f.related {
            if label.loc == f.primary.loc {
                continue;
            }
            if label.loc.file == file {
                here.push((label, false));
            } else {
                match elsewhere.iter_mut().find(|(id, _)| *id == label.loc.file) {
                    Some((_, list)) => list.push(label),
                    None => elsewhere.push((label.loc.file, vec![label])),
                }
            }
        }
        let mut help = f.help.as_deref().map(|h| clean::text(h, Keep::Lines).into_owned());
        let mut notes = Vec::new();
        if let Some(app) = &f.app {
            // Evidence goes in the note, with its line: as labels it would crowd the snippet.
            notes.push(format!("note: {}", clean::line(&super::purpose_note(sources, app))));
            notes.extend(app.notes.iter().map(|n| format!("note: {}", clean::line(n))));
            if let Some(owner) = &app.owner {
                notes.push(format!("note: owner: {}", clean::line(owner)));
            }
        }
        let (source, labels) = shown_in(sources, file, &here);
        if source.is_none() {
            notes.push(format!("note: {}", changed_note(sources, file)));
        }
        for (id, _) in &elsewhere {
            if sources.get(*id).changed() {
                notes.push(format!("note: {}", changed_note(sources, *id)));
            }
        }
        if !notes.is_empty() {
            let notes = notes.join("\n");
            help = Some(match help {
                Some(h) => format!("{h}\n{notes}"),
                None => notes,
            });
        }
        Rendered {
            message: clean::line(&f.message).into_owned(),
            code: Some(f.rule),
            severity: match f.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help,
            source,
            labels,
            related: elsewhere
                .into_iter()
                .map(|(id, list)| {
                    let here: Vec<(&Label, bool)> = list.into_iter().map(|l| (l, true)).collect();
                    let (source, labels) = shown_in(sources, id, &here);
                    Rendered { source, labels, ..Rendered::empty() }
                })
                .collect(),
        }
    }
}

/// The part of a file around `labels` that miette shows, and the labels in it (`true`:
/// primary). `None` and no labels when the file's text is not there to show (it changed
/// while forcelint ran): miette would print its own "Failed to read contents" instead.
fn shown_in(
    sources: &Sources,
    id: FileId,
    labels: &[(&Label, bool)],
) -> (Option<NamedSource<Excerpt>>, Vec<LabeledSpan>) {
    let file = sources.get(id);
    let len = file.text().len();
    if file.changed() || labels.iter().any(|(l, _)| l.loc.span.end > len) {
        return (None, Vec::new());
    }
    // A label over a long value is shown over its start.
    let text = file.text();
    let shown = |span: Span| {
        let mut end = span.end.min(span.start + EXCERPT_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        Span::new(span.start, end)
    };
    let excerpt = Excerpt::around(file, labels.iter().map(|(l, _)| shown(l.loc.span)));
    let labels = labels
        .iter()
        .map(|&(l, primary)| {
            let text = Some(clean::line(&l.text).into_owned());
            let span = excerpt.span(shown(l.loc.span));
            if primary {
                LabeledSpan::new_primary_with_span(text, span)
            } else {
                LabeledSpan::new_with_span(text, span)
            }
        })
        .collect();
    let name = clean::line(&super::display_path(&file.path)).into_owned();
    (Some(NamedSource::new(name, excerpt)), labels)
}

/// Says why a finding is shown without its place in the file.
fn changed_note(sources: &Sources, id: FileId) -> String {
    format!(
        "{} changed while forcelint ran, so this finding is shown without its place in it; run forcelint again",
        clean::line(&super::display_path(sources.path(id)))
    )
}

/// Lines around a finding's labels: all that miette shows of a file. Handing it the whole
/// file cost a copy and a scan from the start for every finding, which made a file with many
/// findings take time quadratic in its size (minutes for a 200 KB file). Its characters a
/// terminal would act on are replaced (`clean`), so offsets into it are mapped (`span`).
#[derive(Debug, Clone)]
struct Excerpt {
    text: String,
    /// Where replacements made `text` longer than the file's bytes it shows.
    shifts: Vec<(usize, usize)>,
    /// Where `text` starts in the file: offset, line (0-based), and column in characters (0
    /// but in a long line cut short).
    offset: usize,
    line: usize,
    column: usize,
}

/// Whole lines around the labels: miette shows one line of context on each side.
const EXCERPT_LINES: usize = 2;
/// In long lines, what is shown on each side of the labels.
const EXCERPT_BYTES: usize = 1024;

impl Excerpt {
    fn around(file: &crate::source::SourceFile, spans: impl Iterator<Item = Span>) -> Excerpt {
        let text = file.text();
        let (lo, hi) = spans.fold((usize::MAX, 0), |(lo, hi), s| (lo.min(s.start), hi.max(s.end)));
        let (lo, hi) = (lo.min(text.len()), hi.clamp(lo.min(text.len()), text.len()));
        let first = file.line_col(lo).line;
        let last = file.line_col(hi).line;
        let mut start = file.line_start(first.saturating_sub(EXCERPT_LINES));
        let mut end = file.line_start(last + EXCERPT_LINES + 1);
        if lo - start > EXCERPT_BYTES {
            start = lo - EXCERPT_BYTES;
            while !text.is_char_boundary(start) {
                start += 1;
            }
        }
        if end - hi > EXCERPT_BYTES {
            end = hi + EXCERPT_BYTES;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
        }
        let at = file.line_col(start);
        let (shown, shifts) = clean::text_with_shifts(&text[start..end], Keep::Lines);
        Excerpt { text: shown, shifts, offset: start, line: at.line - 1, column: at.column - 1 }
    }

    /// A span of the file as miette is to ask for it: offsets past the excerpt's start are
    /// into its (cleaned) text.
    fn span(&self, span: Span) -> SourceSpan {
        let local = |o: usize| self.offset + clean::shifted(&self.shifts, o.saturating_sub(self.offset));
        let (start, end) = (local(span.start), local(span.end.max(span.start)));
        SourceSpan::new(start.into(), end - start)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = span.offset().checked_sub(self.offset).ok_or(MietteError::OutOfBounds)?;
        let contents = self.text.read_span(
            &SourceSpan::new(local.into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        // miette counts columns in bytes; forcelint, in every format, in characters.
        let line_start = local.saturating_sub(contents.column());
        let chars = self.text.get(line_start..local).map_or(0, crate::source::columns);
        let column = chars + if contents.line() == 0 { self.column } else { 0 };
        Ok(Box::new(MietteSpanContents::new(
            contents.data(),
            SourceSpan::new((contents.span().offset() + self.offset).into(), contents.span().len()),
            contents.line() + self.line,
            column,
            contents.line_count(),
        )))
    }
}

impl fmt::Display for Rendered {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rendered {}

impl Diagnostic for Rendered {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.code.map(|c| Box::new(c) as Box<dyn fmt::Display>)
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

/// A config error, shown on the TOML it is about.
pub fn config_error(error: &crate::config::ConfigError, color: bool) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100).with_links(false);
    // A long line is cut around the error, as in findings.
    let file = crate::source::SourceFile::new(error.path.clone(), error.text.clone());
    let at = Span::new(error.span.start.min(error.text.len()), error.span.end.min(error.text.len()));
    let excerpt = Excerpt::around(&file, std::iter::once(at));
    let span = excerpt.span(at);
    let diagnostic = Rendered {
        message: format!("invalid config: {}", clean::line(&error.message)),
        code: None,
        severity: miette::Severity::Error,
        help: error.help.as_deref().map(|h| clean::text(h, Keep::Lines).into_owned()),
        source: Some(NamedSource::new(clean::line(&super::display_path(&error.path)), excerpt)),
        labels: vec![LabeledSpan::new_primary_with_span(Some("here".to_string()), span)],
        related: Vec::new(),
    };
    let mut out = String::new();
    let _ = handler.render_report(&mut out, &diagnostic);
    out
}

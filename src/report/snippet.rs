//! The lines around a label, for the formats that show source (Markdown, HTML).

use crate::source::{Location, Sources};

/// Tabs are shown as this many spaces, so that underlines line up.
const TAB: &str = "    ";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// 1-based.
    pub number: usize,
    /// The line as shown: tabs expanded, no line break, no byte-order mark.
    pub text: String,
    /// The line holds (part of) the label's span.
    pub marked: bool,
    /// For a span on one line: where it starts in `text` and how long it is, in characters
    /// (at least 1, so an empty span still shows).
    pub underline: Option<(usize, usize)>,
}

/// Up to `context` lines before and after the lines of `loc`. Empty when the file has no
/// text (it could not be read).
pub fn around(sources: &Sources, loc: Location, context: usize) -> Vec<Line> {
    let file = sources.get(loc.file);
    let text = file.text();
    if text.is_empty() {
        return Vec::new();
    }
    let start = file.line_col(loc.span.start);
    let mut end = file.line_col(loc.span.end);
    // A span that ends right after a line break ends on the line before.
    if end.line > start.line && end.column == 1 {
        end.line -= 1;
    }
    // Only the lines shown are looked at: splitting the whole file for every finding made
    // a file with many findings take time quadratic in its size.
    let first = start.line.saturating_sub(context).max(1);
    let last = (end.line + context).min(file.line_col(text.len()).line);
    let mut out = Vec::new();
    for number in first..=last {
        let line_start = file.line_start(number);
        let next = file.line_start(number + 1);
        let raw = &text[line_start..next];
        let raw = raw.strip_suffix('\n').unwrap_or(raw);
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        // Trailing blank lines at the end of the file add nothing.
        if number > end.line && raw.trim().is_empty() && text[next..].trim().is_empty() {
            break;
        }
        let marked = number >= start.line && number <= end.line;
        let underline = (marked && start.line == end.line).then(|| {
            let from = loc.span.start.saturating_sub(line_start).min(raw.len());
            let to = loc.span.end.saturating_sub(line_start).clamp(from, raw.len());
            let col = shown(raw.get(..from).unwrap_or(raw)).chars().count();
            let len = shown(raw.get(from..to).unwrap_or("")).chars().count();
            (col, len.max(1))
        });
        out.push(Line { number, text: shown(raw), marked, underline });
    }
    out
}

/// The text as displayed: tabs expanded, byte-order mark removed.
fn shown(text: &str) -> String {
    text.replace('\u{feff}', "").replace('\t', TAB)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceFile};
    use crate::xml::Span;

    fn sources(text: &str) -> Sources {
        let mut s = Sources::default();
        s.add(SourceFile::new("a.xml".into(), text.into()));
        s
    }

    #[test]
    fn marks_and_underlines_a_one_line_span() {
        let s = sources("<a>\n\t<b>x</b>\n</a>\n");
        let at = "<a>\n\t<b>".len();
        let lines = around(&s, Location { file: FileId(0), span: Span::new(at, at + 1) }, 1);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[1].text, "    <b>x</b>");
        assert!(lines[1].marked && !lines[0].marked && !lines[2].marked);
        assert_eq!(lines[1].underline, Some((7, 1)));
    }

    #[test]
    fn a_span_over_lines_marks_each_without_underline() {
        let s = sources("<a>\r\n<b>\r\n</b>\r\n</a>");
        let lines = around(&s, Location { file: FileId(0), span: Span::new(5, 15) }, 0);
        assert_eq!(
            lines.iter().map(|l| (l.number, l.marked, l.underline)).collect::<Vec<_>>(),
            [(2, true, None), (3, true, None)]
        );
        assert_eq!(lines[0].text, "<b>");
    }

    #[test]
    fn empty_file_has_no_lines() {
        let s = sources("");
        assert!(around(&s, Location { file: FileId(0), span: Span::new(0, 0) }, 2).is_empty());
    }
}

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
        // The part of the line the span covers, when it is on this line alone.
        let spanned = (marked && start.line == end.line).then(|| {
            let from = loc.span.start.saturating_sub(line_start).min(raw.len());
            (from, loc.span.end.saturating_sub(line_start).clamp(from, raw.len()))
        });
        // A long line is shown around where the span starts, if it starts on it.
        let starts_here = (number == start.line).then(|| loc.span.start.saturating_sub(line_start).min(raw.len()));
        let (cut_from, cut_to) = cut(raw, starts_here.unwrap_or(0));
        let ellipsis = |cut: bool| if cut { "…" } else { "" };
        let text =
            format!("{}{}{}", ellipsis(cut_from > 0), shown(&raw[cut_from..cut_to]), ellipsis(cut_to < raw.len()));
        let underline = spanned.map(|(from, to)| {
            let col = usize::from(cut_from > 0) + shown(&raw[cut_from..from.max(cut_from)]).chars().count();
            let len = shown(&raw[from.clamp(cut_from, cut_to)..to.clamp(cut_from, cut_to)]).chars().count();
            (col, len.max(1))
        });
        out.push(Line { number, text, marked, underline });
    }
    out
}

/// Lines longer than this many bytes are cut to about this much, around where the span
/// starts, with `…` where text is left out: a minified file's one line would otherwise be
/// shown whole for each of its findings.
const MAX_LINE: usize = 240;

/// The byte range of `line` to show, on character boundaries, for a span starting at `at`.
fn cut(line: &str, at: usize) -> (usize, usize) {
    if line.len() <= MAX_LINE {
        return (0, line.len());
    }
    // A third before the span, the rest after; near the end of the line, up to its end.
    let mut from = at.saturating_sub(MAX_LINE / 3);
    if from + MAX_LINE >= line.len() {
        from = line.len() - MAX_LINE;
        while !line.is_char_boundary(from) {
            from += 1;
        }
        return (from, line.len());
    }
    while !line.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = from + MAX_LINE;
    while !line.is_char_boundary(to) {
        to -= 1;
    }
    (from, to)
}

/// The text as displayed: tabs expanded, byte-order mark removed, controls escaped.
fn shown(text: &str) -> String {
    super::clean::line(&text.replace('\u{feff}', "").replace('\t', TAB)).into_owned()
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
    fn long_lines_are_cut_around_the_span() {
        let line = format!("<a>{}<b>x</b>{}</a>", "é".repeat(500), "z".repeat(500));
        let s = sources(&line);
        let at = line.find("<b>").unwrap();
        let lines = around(&s, Location { file: FileId(0), span: Span::new(at, at + "<b>x</b>".len()) }, 1);
        assert_eq!(lines.len(), 1);
        let shown = &lines[0].text;
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() <= MAX_LINE + 2, "{}", shown.chars().count());
        let (col, len) = lines[0].underline.unwrap();
        assert_eq!(shown.chars().skip(col).take(len).collect::<String>(), "<b>x</b>");
        // A span longer than what is shown is underlined as far as it is shown.
        let lines = around(&s, Location { file: FileId(0), span: Span::new(0, line.len()) }, 0);
        let (col, len) = lines[0].underline.unwrap();
        assert_eq!((col, len), (0, lines[0].text.chars().count() - 1));
        // Near the end of a line, the window ends there and is as wide as elsewhere.
        let at = line.find("</a>").unwrap();
        let lines = around(&s, Location { file: FileId(0), span: Span::new(at, at + 4) }, 0);
        assert!(lines[0].text.ends_with("</a>") && lines[0].text.starts_with('…'), "{}", lines[0].text);
        assert_eq!(lines[0].text.len() - "…".len(), MAX_LINE);
        // Multi-byte characters before the end of a line do not cut the window short of it.
        let line = format!("<a>{}<b>x</b></a>", "é".repeat(300));
        let at = line.find("</a>").unwrap();
        let lines = around(&sources(&line), Location { file: FileId(0), span: Span::new(at, at + 4) }, 0);
        assert!(lines[0].text.ends_with("</a>"), "{}", lines[0].text);
        assert_eq!(lines[0].underline.map(|(_, len)| len), Some(4));
        // A span over several lines is shown from where it starts.
        let text = format!("{}<b>\n</b>", "x".repeat(1000));
        let lines = around(&sources(&text), Location { file: FileId(0), span: Span::new(1000, text.len()) }, 0);
        assert!(lines[0].text.contains("<b>"), "{}", lines[0].text);
        // Context lines are cut from their start.
        let text = format!("{}\n<b>x</b>\n", "y".repeat(1000));
        let lines = around(&sources(&text), Location { file: FileId(0), span: Span::new(1001, 1004) }, 1);
        assert_eq!(lines[0].text, format!("{}…", "y".repeat(MAX_LINE)));
        assert_eq!(lines[1].text, "<b>x</b>");
    }

    #[test]
    fn empty_file_has_no_lines() {
        let s = sources("");
        assert!(around(&s, Location { file: FileId(0), span: Span::new(0, 0) }, 2).is_empty());
    }
}

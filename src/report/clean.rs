//! Text from the repository (values, file names, comments, folder names) as every text output
//! shows it: the one place that decides which characters a terminal or a CI log would act on.
//!
//! - C0 controls (U+0000–U+001F) become their Unicode control pictures (`␛` for ESC), except
//!   tab and line feed where the output keeps lines ([`Keep::Lines`]); DEL becomes `␡`; C1
//!   controls (U+0080–U+009F) become `�`. Each character becomes one character, so columns
//!   and underlines stay where they were.
//! - A line may not start with a workflow command of GitHub Actions (`::`, `##[`) or a
//!   logging command of Azure Pipelines (`##vso[`): [`line_start`].

use std::borrow::Cow;

/// What an output keeps as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keep {
    /// Tab, line feed, and CR before a line feed: text shown over several lines.
    Lines,
    /// Tab only: text that must stay on one line (a concise finding, a note on stderr).
    Tab,
}

/// What `c` is shown as, when it is not shown as it is.
pub fn replacement(c: char, keep: Keep) -> Option<char> {
    match c {
        '\t' => None,
        '\n' if keep == Keep::Lines => None,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32),
        '\u{7f}' => Some('\u{2421}'),
        '\u{80}'..='\u{9f}' => Some('\u{fffd}'),
        _ => None,
    }
}

/// `text` with the characters a terminal would act on replaced (see the module).
pub fn text(text: &str, keep: Keep) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !text.char_indices().any(|(i, c)| needs(c, keep, bytes.get(i + 1))) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, c) in text.char_indices() {
        if needs(c, keep, bytes.get(i + 1)) {
            out.push(replacement(c, keep).unwrap_or('\u{240d}'));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line of text: line breaks are shown as `␊`.
pub fn line(text: &str) -> Cow<'_, str> {
    self::text(text, Keep::Tab)
}

fn needs(c: char, keep: Keep, next: Option<&u8>) -> bool {
    // CR LF is a line end where lines are kept; a lone CR would return to the line's start.
    !(c == '\r' && keep == Keep::Lines && next == Some(&b'\n')) && replacement(c, keep).is_some()
}

/// As [`text`], with where each replacement made the text longer: `(offset in text, bytes
/// added)` in order, for mapping offsets into `text` to offsets into the result.
pub fn text_with_shifts(text: &str, keep: Keep) -> (String, Vec<(usize, usize)>) {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut shifts = Vec::new();
    let mut added = 0;
    for (i, c) in text.char_indices() {
        if needs(c, keep, bytes.get(i + 1)) {
            let r = replacement(c, keep).unwrap_or('\u{240d}');
            out.push(r);
            added += r.len_utf8() - c.len_utf8();
            shifts.push((i, added));
        } else {
            out.push(c);
        }
    }
    (out, shifts)
}

/// Where `offset` (into the text given to [`text_with_shifts`]) is in its result.
pub fn shifted(shifts: &[(usize, usize)], offset: usize) -> usize {
    let before = shifts.partition_point(|&(at, _)| at < offset);
    offset + before.checked_sub(1).map_or(0, |i| shifts[i].1)
}

/// A line that would start (after blanks) with `::`, `##[` or `##vso[` gets `prefix` first, so that
/// data from the repository cannot issue a workflow command in a CI log.
pub fn line_start<'a>(line: &'a str, prefix: &str) -> Cow<'a, str> {
    let start = line.trim_start();
    if ["::", "##[", "##vso["].iter().any(|c| start.starts_with(c)) {
        Cow::Owned(format!("{prefix}{line}"))
    } else {
        Cow::Borrowed(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_one_character_each() {
        assert_eq!(text("a\u{1b}[2Jb", Keep::Lines), "a\u{241b}[2Jb");
        assert_eq!(text("x\ty\nz\r\nw\rv", Keep::Lines), "x\ty\nz\r\nw\u{240d}v");
        assert_eq!(line("x\ty\nz\r\n"), "x\ty\u{240a}z\u{240d}\u{240a}");
        assert_eq!(line("\u{7f}\u{9b}\u{85}é\u{a0}"), "\u{2421}\u{fffd}\u{fffd}é\u{a0}");
        assert!(matches!(line("plain ‘text’ ✓"), Cow::Borrowed(_)));
    }

    #[test]
    fn shifts_map_offsets() {
        let raw = "a\u{1b}b\u{9b}c\nd";
        let (out, shifts) = text_with_shifts(raw, Keep::Lines);
        assert_eq!(out, "a\u{241b}b\u{fffd}c\nd");
        for (i, c) in raw.char_indices() {
            let at = shifted(&shifts, i);
            let expected = replacement(c, Keep::Lines).unwrap_or(c);
            assert_eq!(out[at..].chars().next(), Some(expected), "at {i}");
        }
        assert_eq!(shifted(&shifts, raw.len()), out.len());
    }

    #[test]
    fn workflow_commands_cannot_start_a_line() {
        assert_eq!(line_start("::error::x", "./"), "./::error::x");
        assert_eq!(line_start("  ##vso[task]", "'"), "'  ##vso[task]");
        assert_eq!(line_start("## heading", "'"), "## heading");
        assert_eq!(line_start("a::b", "./"), "a::b");
    }
}

//! Loaded files and the mapping from byte offsets to lines and columns.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use crate::xml::Span;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// Reads a file a run depends on besides metadata (`forcelint.toml`, `sfdx-project.json`,
/// `.forceignore`, a baseline): a regular file (a FIFO would wait for a writer, a device
/// might never end) of at most `limit` bytes, however it changes while it is read.
pub fn read_bytes(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    // Checked before opening: opening a FIFO waits for a writer.
    if !std::fs::metadata(path)?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    read_opened(std::fs::File::open(path)?, limit)
}

/// What [`read_found`] says of a symbolic link.
pub const LINK_REFUSED: &str =
    "a symbolic link, which forcelint does not follow for a file it looks up by name (it could point anywhere)";

/// As [`read_bytes`], for a file forcelint looks up by name in the repository
/// (`forcelint.toml`, `sfdx-project.json`, `.forceignore`): the repository may make it a
/// link to anything (`/proc/self/environ`), so a link is refused unread, and the file
/// opened is checked to be the one looked at (not a link swapped in meanwhile).
pub fn read_found(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind};
    let looked = std::fs::symlink_metadata(path)?;
    if looked.file_type().is_symlink() {
        return Err(Error::new(ErrorKind::InvalidInput, LINK_REFUSED));
    }
    if !looked.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let opened = file.metadata()?;
        if (opened.dev(), opened.ino()) != (looked.dev(), looked.ino()) {
            return Err(Error::new(ErrorKind::InvalidInput, "the file changed while it was opened"));
        }
    }
    read_opened(file, limit)
}

/// Whether `path` is there, link or not, without following it.
pub fn present(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Reads an opened file, refusing more than `limit` bytes.
fn read_opened(file: std::fs::File, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    let mut bytes = Vec::new();
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        let message = format!("the file is over the limit of {} MiB", limit.div_ceil(1024 * 1024));
        return Err(Error::new(ErrorKind::InvalidData, message));
    }
    Ok(bytes)
}

/// As [`read_bytes`], as UTF-8 text; a byte-order mark is dropped.
pub fn read_text(path: &Path, limit: u64) -> std::io::Result<String> {
    text(read_bytes(path, limit)?)
}

/// As [`read_found`], as UTF-8 text; a byte-order mark is dropped.
pub fn read_found_text(path: &Path, limit: u64) -> std::io::Result<String> {
    text(read_found(path, limit)?)
}

fn text(bytes: Vec<u8>) -> std::io::Result<String> {
    let mut text = String::from_utf8(bytes)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "the file is not valid UTF-8"))?;
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

/// The most forcelint reads of a configuration file (`read_text`): real ones are kilobytes.
pub const MAX_CONFIG_SIZE: u64 = 4 * 1024 * 1024;

/// Where something is: a file and a byte range in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: FileId,
    pub span: Span,
}

/// A file findings can point into. Files read from disk do not keep their text: a large
/// project's profiles alone are tens of megabytes, and only the few files with findings are
/// ever shown. Their text is read again when first asked for, and checked to be what was
/// parsed.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user should see it (relative to the working directory when possible).
    pub path: PathBuf,
    text: OnceLock<String>,
    /// Where the text can be read again; `None` when it is kept.
    disk: Option<OnDisk>,
    /// The text is only what could be read of the file (up to its first byte that is not
    /// UTF-8): not to be parsed again as if it were the file.
    pub partial: bool,
    lines: OnceLock<Lines>,
}

/// A file as it was when read, to read it again and check it is the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnDisk {
    pub path: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl OnDisk {
    /// The file's text if its size and modification time are unchanged, else `None`.
    fn read_again(&self) -> Option<String> {
        let unchanged = |meta: &std::fs::Metadata| meta.len() == self.len && meta.modified().ok() == self.modified;
        if !std::fs::metadata(&self.path).is_ok_and(|m| unchanged(&m)) {
            return None;
        }
        let text = std::fs::read_to_string(&self.path).ok()?;
        // Checked again after reading, so that an edit during the read is seen too.
        let still = std::fs::metadata(&self.path).is_ok_and(|m| unchanged(&m));
        (still && text.len() as u64 == self.len).then_some(text)
    }
}

/// Line starts, and marks in long lines, of a text: made when a position is first asked for.
#[derive(Debug)]
struct Lines {
    starts: Vec<usize>,
    /// In lines longer than `COLUMN_MARK` bytes, every `COLUMN_MARK` bytes: (offset, column
    /// there less one), so that a column is counted from the nearest mark rather than from
    /// the start of its line. Without them, a file of one long line with many findings took
    /// time quadratic in its size.
    column_marks: Vec<(usize, usize)>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        // A line ends at LF, CRLF or a lone CR, as XML reads it (and editors show it).
        let bytes = text.as_bytes();
        let ends =
            bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')));
        let starts: Vec<usize> = std::iter::once(0).chain(ends.map(|(i, _)| i + 1)).collect();
        let mut column_marks = Vec::new();
        for (i, &start) in starts.iter().enumerate() {
            let end = starts.get(i + 1).copied().unwrap_or(text.len());
            let (mut at, mut column) = (start, 0);
            while end - at > COLUMN_MARK {
                let mut next = at + COLUMN_MARK;
                while !text.is_char_boundary(next) {
                    next -= 1;
                }
                column += columns(&text[at..next]);
                column_marks.push((next, column));
                at = next;
            }
        }
        Lines { starts, column_marks }
    }
}

const COLUMN_MARK: usize = 1024;

/// Columns count characters, except a byte-order mark.
pub(crate) fn columns(s: &str) -> usize {
    s.chars().filter(|&c| c != '\u{feff}').count()
}

/// 1-based line and column (the column counts characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceFile {
    /// A file whose text is kept (the config file, a file that could not be read whole).
    pub fn new(path: PathBuf, text: String) -> Self {
        SourceFile { path, text: OnceLock::from(text), disk: None, partial: false, lines: OnceLock::new() }
    }

    /// What could be read of a file that could not be read whole.
    pub fn partial(path: PathBuf, text: String) -> Self {
        SourceFile { partial: true, ..SourceFile::new(path, text) }
    }

    /// A file read from `disk` whose text is not kept: it is read again if asked for.
    pub fn on_disk(path: PathBuf, disk: OnDisk) -> Self {
        SourceFile { path, text: OnceLock::new(), disk: Some(disk), partial: false, lines: OnceLock::new() }
    }

    /// The text; empty when the file could not be read or decoded, or has changed on disk
    /// since it was parsed (see [`SourceFile::changed`]).
    pub fn text(&self) -> &str {
        self.text.get_or_init(|| self.disk.as_ref().and_then(OnDisk::read_again).unwrap_or_default())
    }

    /// The file was changed or removed after it was parsed: its text is not shown, and
    /// positions in it are not known.
    pub fn changed(&self) -> bool {
        self.disk.as_ref().is_some_and(|d| d.len > 0) && self.text().is_empty()
    }

    fn lines(&self) -> &Lines {
        self.lines.get_or_init(|| Lines::new(self.text()))
    }

    pub fn line_col(&self, offset: usize) -> LineCol {
        let text = self.text();
        let Lines { starts, column_marks } = self.lines();
        let offset = offset.min(text.len());
        let line = starts.partition_point(|&s| s <= offset) - 1;
        let start = starts[line];
        let (from, before) = match column_marks.partition_point(|&(at, _)| at <= offset) {
            0 => (start, 0),
            i => Some(column_marks[i - 1]).filter(|&(at, _)| at > start).unwrap_or((start, 0)),
        };
        let prefix = text.get(from..offset).unwrap_or("");
        LineCol { line: line + 1, column: before + columns(prefix) + 1 }
    }

    /// Where a line (1-based) starts; the end of the text past the last line.
    pub fn line_start(&self, line: usize) -> usize {
        self.lines().starts.get(line.saturating_sub(1)).copied().unwrap_or(self.text().len())
    }
}

#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

impl Sources {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId((self.files.len() - 1) as u32)
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The column as counted from the start of the line, the slow way.
    fn naive(text: &str, offset: usize) -> LineCol {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        LineCol { line: text[..offset].matches('\n').count() + 1, column: columns(&text[line_start..offset]) + 1 }
    }

    #[test]
    fn columns_in_long_lines_count_characters_from_the_line_start() {
        // Long lines with multi-byte characters and byte-order marks across the marks.
        let long = "é\u{feff}ab€".repeat(3000);
        let text = format!("\u{feff}<a>\n{long}\n\n{long}{long}x\nshort\n{long}");
        let file = SourceFile::new(PathBuf::new(), text.clone());
        assert!(file.lines().column_marks.len() > 10);
        let offsets = (0..=text.len()).filter(|&i| text.is_char_boundary(i));
        for offset in offsets.step_by(97).chain([text.len()]) {
            assert_eq!(file.line_col(offset), naive(&text, offset), "at {offset}");
        }
        assert_eq!(file.line_start(1), 0);
        assert_eq!(file.line_start(2), "\u{feff}<a>\n".len());
        assert_eq!(file.line_start(99), text.len());
    }

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        let file = SourceFile::new(PathBuf::new(), "a\rb\r\nc\nd".into());
        let at = |offset| {
            let lc = file.line_col(offset);
            (lc.line, lc.column)
        };
        assert_eq!([at(0), at(2), at(5), at(7)], [(1, 1), (2, 1), (3, 1), (4, 1)]);
        assert_eq!(file.line_start(3), 5);
    }

    #[test]
    fn many_columns_in_one_long_line_are_fast() {
        // One 1 MiB line with a position asked every 64 bytes: counting from the start of
        // the line each time would take minutes.
        let text = "<a/>".repeat(1 << 18);
        let file = SourceFile::new(PathBuf::new(), text.clone());
        let started = std::time::Instant::now();
        for offset in (0..text.len()).step_by(64) {
            assert_eq!(file.line_col(offset).column, offset + 1);
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(30), "{:?}", started.elapsed());
    }
}

//! Output formats. Each renders from `Outcome` and `Finding`, never from another format's
//! text; only `human` knows miette. The helpers here are what several formats share.

pub mod clean;
pub mod concise;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
mod snippet;

use std::collections::{BTreeMap, HashMap};

use crate::engine::Outcome;
use crate::finding::{AppRef, Finding, Severity};
use crate::model::{App, AppKind, Purpose};
use crate::rules::Rule;
use crate::source::{FileId, LineCol, Location, Sources};
use crate::suppress::Suppression;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Annotated snippets for people (the default).
    Human,
    /// One line per finding: `path:line:col: severity[rule] message`.
    Concise,
    /// forcelint's versioned JSON report (docs/json-format.md).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands: annotations on the pull request.
    Github,
    /// GitLab Code Quality report.
    Gitlab,
    /// JUnit XML, one test suite per app.
    Junit,
    /// GitHub-flavoured Markdown, for a pull-request comment or a job summary.
    Markdown,
    /// One self-contained HTML page for reviewers.
    Html,
}

/// Where the repository's files are published: the rule pages link here. It is Cargo.toml's
/// `repository`, which the npm and PyPI packages also read, so a fork or a move changes one line.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// The rule's page in the repository (`rules/<id>.md`).
pub fn rule_url(id: &str) -> String {
    format!("{REPOSITORY}/blob/main/rules/{id}.md")
}

/// Renders `outcome` in `format`. `style` is used by `human` only.
pub fn render(outcome: &Outcome, format: Format, style: &human::Style) -> String {
    to_string(|out| write(outcome, format, style, out))
}

/// Writes `outcome` in `format` to `out` as it is rendered; the first write error.
pub fn write(
    outcome: &Outcome,
    format: Format,
    style: &human::Style,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Human => human::write(outcome, style, out),
        Format::Concise => concise::write(outcome, out),
        Format::Json => json::write(outcome, out),
        Format::Sarif => sarif::write(outcome, out),
        Format::Github => github::write(outcome, out),
        Format::Gitlab => gitlab::write(outcome, out),
        Format::Junit => junit::write(outcome, out),
        Format::Markdown => markdown::write(outcome, out),
        Format::Html => html::write(outcome, out),
    }
}

/// "15 minutes", "2 hours", "90 minutes".
pub fn fmt_minutes(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".to_string(),
        60 => "1 hour".to_string(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}

/// The counts every format reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub apps: BTreeMap<Purpose, usize>,
    pub suppressed: usize,
    pub baselined: usize,
    /// The config used, as reports show paths; `None` without one.
    pub config: Option<String>,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        let count = |s| outcome.findings.iter().filter(|f| f.severity == s).count();
        let mut apps = BTreeMap::new();
        for class in &outcome.project.purposes {
            *apps.entry(class.purpose).or_insert(0) += 1;
        }
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files: outcome.files,
            apps,
            suppressed: outcome.suppressed.len(),
            baselined: outcome.baselined,
            config: outcome.project.config_file.map(|file| report_path(&outcome.project.sources, file)),
        }
    }

    pub fn total_apps(&self) -> usize {
        self.apps.values().sum()
    }
}

impl std::fmt::Display for Summary {
    /// "2 errors, 1 warning in 7 files; 5 apps: 2 integration, 1 offline, 2 interactive"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut counts = vec![plural(self.errors, "error"), plural(self.warnings, "warning")];
        if self.infos > 0 {
            counts.push(format!("{} info", self.infos));
        }
        write!(f, "{} in {}", counts.join(", "), plural(self.files, "file"))?;
        write!(f, "; {}", plural(self.total_apps(), "app"))?;
        if !self.apps.is_empty() {
            let parts: Vec<String> = self.apps.iter().map(|(p, n)| format!("{n} {}", p.name())).collect();
            write!(f, ": {}", parts.join(", "))?;
        }
        if self.suppressed > 0 {
            write!(f, "; {} suppressed", self.suppressed)?;
        }
        if self.baselined > 0 {
            write!(f, "; {} in the baseline", self.baselined)?;
        }
        // Which config decided severities and suppressions: it can come from above the folder checked.
        if let Some(config) = &self.config {
            write!(f, "; config {config}")?;
        }
        Ok(())
    }
}

/// A source path as reports show it: forward slashes, without `./` segments. Relative
/// paths are relative to the working directory.
pub fn report_path(sources: &Sources, file: FileId) -> String {
    let mut path = display_path(sources.path(file));
    while let Some(rest) = path.strip_prefix("./") {
        path = rest.to_string();
    }
    while path.contains("/./") {
        path = path.replace("/./", "/");
    }
    path
}

/// A path with forward slashes on Windows; elsewhere `\\` is a character of a file name, kept.
pub fn display_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) { text.replace('\\', "/") } else { text.into_owned() }
}

/// The file name alone, for short locations.
pub fn file_name(sources: &Sources, file: FileId) -> String {
    let path = sources.path(file);
    path.file_name().map_or_else(|| path.to_string_lossy().into_owned(), |n| n.to_string_lossy().into_owned())
}

/// Start and end (exclusive) of a location, 1-based.
pub fn line_cols(sources: &Sources, loc: Location) -> (LineCol, LineCol) {
    let file = sources.get(loc.file);
    (file.line_col(loc.span.start), file.line_col(loc.span.end))
}

/// `path:line:col`.
pub fn location_text(sources: &Sources, loc: Location) -> String {
    let (start, _) = line_cols(sources, loc);
    format!("{}:{}:{}", report_path(sources, loc.file), start.line, start.column)
}

/// `File.xml:line:col`.
pub fn short_location(sources: &Sources, loc: Location) -> String {
    let (start, _) = line_cols(sources, loc);
    format!("{}:{}:{}", file_name(sources, loc.file), start.line, start.column)
}

/// "an" before a vowel.
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }
}

/// "`App` is judged as an offline app: `RefreshToken` scope (App.connectedApp-meta.xml:12)"
pub fn purpose_note(sources: &Sources, app: &AppRef) -> String {
    let reasons: Vec<String> = app
        .evidence
        .iter()
        .map(|e| {
            let line = sources.get(e.loc.file).line_col(e.loc.span.start).line;
            format!("{} ({}:{line})", e.text, file_name(sources, e.loc.file))
        })
        .collect();
    let purpose = app.purpose.name();
    let mut note = format!("`{}` is judged as {} {purpose} app", app.name, article(purpose));
    if !reasons.is_empty() {
        note.push_str(": ");
        note.push_str(&reasons.join("; "));
    }
    note
}

/// The message, then `help: ...`, then `note: ...` lines (purpose, how the app was
/// assembled): the whole finding as plain text.
pub fn full_text(sources: &Sources, f: &Finding) -> String {
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    if let Some(app) = &f.app {
        text.push_str("\nnote: ");
        text.push_str(&purpose_note(sources, app));
        for note in &app.notes {
            text.push_str("\nnote: ");
            text.push_str(note);
        }
    }
    text
}

/// A stable fingerprint for each finding, in order: the baseline fingerprint (no line
/// numbers), with `:2`, `:3`... appended to repeats so that each is unique.
pub fn fingerprints<'a>(outcome: &Outcome, findings: impl IntoIterator<Item = &'a Finding>) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut fingerprinter = crate::baseline::Fingerprinter::new(&outcome.project);
    findings
        .into_iter()
        .map(|f| {
            let fp = fingerprinter.entry(f).fingerprint;
            let n = seen.entry(fp.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { fp } else { format!("{fp}:{n}") }
        })
        .collect()
}

/// The first paragraph of a rule page's "What it checks", on one line; else the summary.
pub fn rule_description(rule: &Rule) -> String {
    let Some(at) = rule.doc.find("\n## What it checks\n") else { return rule.summary.to_string() };
    let body = &rule.doc[at + "\n## What it checks\n".len()..];
    let paragraph: Vec<&str> =
        body.lines().skip_while(|l| l.trim().is_empty()).take_while(|l| !l.trim().is_empty()).map(str::trim).collect();
    if paragraph.is_empty() || paragraph[0].starts_with('#') {
        return rule.summary.to_string();
    }
    let mut text = paragraph.join(" ");
    // A paragraph that leads into a list ("The policy is read from:") ends before that.
    if text.ends_with(':') {
        match text.rfind(". ") {
            Some(end) => text.truncate(end + 1),
            None => return rule.summary.to_string(),
        }
    }
    text
}

/// What a group of findings is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject<'a> {
    App {
        name: &'a str,
        kind: AppKind,
        purpose: Purpose,
        /// The project's app, when it has one of this name and kind.
        app: Option<&'a App>,
    },
    /// Findings about no app (a parse error, an org setting): grouped by file.
    File(FileId),
}

/// Findings (and suppressed findings) grouped by app, then by file for the rest.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub subject: Subject<'a>,
    pub findings: Vec<&'a Finding>,
    pub suppressed: Vec<&'a (Finding, Suppression)>,
}

impl Group<'_> {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// The app as the group's findings describe it (purpose evidence, notes).
    pub fn app_ref(&self) -> Option<&AppRef> {
        self.findings.iter().copied().chain(self.suppressed.iter().map(|(f, _)| f)).find_map(|f| f.app.as_ref())
    }
}

/// Every app of the project in project order (with or without findings), then apps only
/// findings know, then one group per file for findings without an app, in path order.
/// Groups are found through indexes: a search per finding made large projects quadratic.
pub fn groups(outcome: &Outcome) -> Vec<Group<'_>> {
    let project = &outcome.project;
    let mut groups: Vec<Group> = project
        .classified_apps()
        .map(|(app, class)| Group {
            subject: Subject::App { name: &app.name, kind: app.kind, purpose: class.purpose, app: Some(app) },
            findings: Vec::new(),
            suppressed: Vec::new(),
        })
        .collect();
    // By the app's root element (two apps may share a name); the first app of an anchor wins.
    let mut by_anchor: HashMap<Location, usize> = HashMap::new();
    for (i, g) in groups.iter().enumerate() {
        if let Subject::App { app: Some(app), .. } = g.subject {
            by_anchor.entry(app.anchor).or_insert(i);
        }
    }
    let mut unknown: BTreeMap<(&str, AppKind), usize> = BTreeMap::new();
    let mut by_file: HashMap<FileId, usize> = HashMap::new();
    let mut files: Vec<Group> = Vec::new();
    let all = outcome.findings.iter().map(|f| (f, None)).chain(outcome.suppressed.iter().map(|s| (&s.0, Some(s))));
    for (finding, suppressed) in all {
        let group = match &finding.app {
            Some(a) => {
                let i = match by_anchor.get(&a.anchor) {
                    Some(&i) => i,
                    None => *unknown.entry((a.name.as_str(), a.kind)).or_insert_with(|| {
                        groups.push(Group {
                            subject: Subject::App { name: &a.name, kind: a.kind, purpose: a.purpose, app: None },
                            findings: Vec::new(),
                            suppressed: Vec::new(),
                        });
                        groups.len() - 1
                    }),
                };
                &mut groups[i]
            }
            None => {
                let file = finding.primary.loc.file;
                let i = *by_file.entry(file).or_insert_with(|| {
                    files.push(Group { subject: Subject::File(file), findings: Vec::new(), suppressed: Vec::new() });
                    files.len() - 1
                });
                &mut files[i]
            }
        };
        match suppressed {
            Some(s) => group.suppressed.push(s),
            None => group.findings.push(finding),
        }
    }
    files.sort_by_cached_key(|g| match g.subject {
        Subject::File(id) => report_path(&project.sources, id),
        Subject::App { .. } => String::new(),
    });
    groups.extend(files);
    groups
}

/// The metadata type of an app, as Salesforce names it.
pub fn metadata_type(kind: AppKind) -> &'static str {
    match kind {
        AppKind::ConnectedApp => "ConnectedApp",
        AppKind::ExternalClientApp => "ExternalClientApplication",
    }
}

/// Text for XML or HTML (element content or a quoted attribute): `&`, `<`, `>`, `"` and
/// `'` escaped, controls shown as `clean` shows them, characters XML 1.0 does not allow
/// replaced by U+FFFD, and the second `:` of `::` and `#` of `##` written as references, so
/// that no line of the output starts a workflow command (the parsed text is the same).
pub fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = '\0';
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            ':' if previous == ':' => out.push_str("&#58;"),
            '#' if previous == '#' => out.push_str("&#35;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\u{fffe}' | '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(clean::replacement(c, clean::Keep::Lines).unwrap_or(c)),
        }
        previous = c;
    }
    out
}

/// A piece of message text: messages mark code (element names, values) with backticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span<'a> {
    Text(&'a str),
    Code(&'a str),
    /// A backtick without a partner.
    Tick,
}

/// Splits text at its backtick pairs; a last, unpaired backtick is a `Tick`.
pub fn code_spans(text: &str) -> Vec<Span<'_>> {
    let parts: Vec<&str> = text.split('`').collect();
    let unpaired = parts.len().is_multiple_of(2);
    let mut out = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        if i % 2 == 0 {
            out.push(Span::Text(part));
        } else if unpaired && i == parts.len() - 1 {
            out.push(Span::Tick);
            out.push(Span::Text(part));
        } else {
            out.push(Span::Code(part));
        }
    }
    out.retain(|s| *s != Span::Text(""));
    out
}

/// Where a report is written, piece by piece: a report is never built whole in memory (a
/// file with many findings made reports of gigabytes). Text is gathered up to `CHUNK` bytes,
/// then written; the first write error is kept, and later text is dropped.
pub struct Sink<'w> {
    out: &'w mut dyn std::io::Write,
    buf: String,
    error: Option<std::io::Error>,
}

const CHUNK: usize = 64 * 1024;

impl<'w> Sink<'w> {
    pub fn new(out: &'w mut dyn std::io::Write) -> Self {
        Sink { out, buf: String::new(), error: None }
    }

    pub fn push_str(&mut self, text: &str) {
        self.buf.push_str(text);
        if self.buf.len() >= CHUNK {
            self.flush();
        }
    }

    pub fn push(&mut self, c: char) {
        self.buf.push(c);
    }

    fn flush(&mut self) {
        if self.error.is_none()
            && let Err(e) = self.out.write_all(self.buf.as_bytes())
        {
            self.error = Some(e);
        }
        self.buf.clear();
    }

    /// Writes what is left; the first error, if any.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.flush();
        match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// A report's text, for tests and callers that want it whole.
pub fn to_string(write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut bytes = Vec::new();
    write(&mut bytes).expect("writing to memory does not fail");
    String::from_utf8(bytes).expect("reports are UTF-8")
}

/// Serializes `value` as pretty JSON to `out`, with a line break after it. DEL and C1
/// controls are written as `\u` escapes, as JSON writes C0 ones: the value read back is the
/// same, and a JSON report shown in a terminal cannot act on it.
pub fn write_json(value: &impl serde::Serialize, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(CHUNK, out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut out, SafeJson(serde_json::ser::PrettyFormatter::new()));
    value.serialize(&mut serializer).map_err(std::io::Error::other)?;
    out.write_all(b"\n")?;
    out.flush()
}

use std::io::Write as _;

struct SafeJson<'a>(serde_json::ser::PrettyFormatter<'a>);

impl serde_json::ser::Formatter for SafeJson<'_> {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut rest = fragment;
        while let Some(at) = rest.find(|c: char| ('\u{7f}'..='\u{9f}').contains(&c)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            let c = rest[at..].chars().next().expect("found");
            write!(writer, "\\u{:04x}", c as u32)?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

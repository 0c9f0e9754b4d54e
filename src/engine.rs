//! One run: discover, load and parse (in parallel), build the project, run the rules,
//! then keep, filter and sort the findings.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::discover::{Candidate, DiscoverError, discover};
use crate::finding::Finding;
use crate::model::{BuiltFile, ParseFailure, Problem, Project, build_file};
use crate::rules::{self, Options};
use crate::source::{FileId, Location, SourceFile, Sources};
use crate::xml::{self, Span};

/// Metadata files are small; anything this large is not one, and is not read.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

#[derive(Debug)]
pub struct Outcome {
    pub project: Project,
    /// Sorted by path, position, rule.
    pub findings: Vec<Finding>,
    pub notes: Vec<String>,
}

pub fn run(paths: &[PathBuf], options: &Options) -> Result<Outcome, DiscoverError> {
    let discovery = discover(paths)?;
    let project = load(&discovery.files);
    let mut findings = rules::run_all(&project, options);
    if let Some(only) = &discovery.only {
        let cwd = std::env::current_dir().unwrap_or_default();
        findings.retain(|f| {
            let path = project.sources.path(f.primary.loc.file);
            only.iter().any(|o| o == &cwd.join(path))
        });
    }
    sort(&project, &mut findings);
    let mut notes = discovery.notes;
    if discovery.files.is_empty() {
        notes.push(format!(
            "no Salesforce metadata that forcelint reads was found in {}",
            paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(Outcome { project, findings, notes })
}

/// Deterministic order: path, position, rule, message.
pub fn sort(project: &Project, findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        let key = |f: &Finding| (project.sources.path(f.primary.loc.file).to_path_buf(), f.primary.loc.span, f.rule);
        key(a).cmp(&key(b)).then_with(|| a.message.cmp(&b.message))
    });
}

/// Reads, parses and builds every file in parallel; one bad file never stops the others.
pub fn load(files: &[Candidate]) -> Project {
    let cwd = std::env::current_dir().unwrap_or_default();
    let loaded: Vec<(SourceFile, BuiltFile, Vec<Problem>)> = files
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = FileId(i as u32);
            let display = display_path(&c.path, &cwd);
            let mut problems = Vec::new();
            let (text, built) = match read(&c.path) {
                Ok(text) => {
                    let built = match xml::parse(&text) {
                        Ok(doc) => build_file(id, c.kind, &c.full_name, &doc, &mut problems),
                        Err(e) => failed(id, e.span, e.message),
                    };
                    (text, built)
                }
                Err(ReadError { message, offset, text }) => {
                    let built = failed(id, Span::new(offset, offset), message);
                    (text, built)
                }
            };
            (SourceFile::new(display, text), built, problems)
        })
        .collect();
    let mut sources = Sources::default();
    let mut built = Vec::with_capacity(loaded.len());
    let mut problems = Vec::new();
    for (source, file, file_problems) in loaded {
        sources.add(source);
        built.push(file);
        problems.extend(file_problems);
    }
    Project::assemble(sources, built, problems, &|_| None)
}

fn failed(file: FileId, span: Span, message: String) -> BuiltFile {
    BuiltFile::Failed(ParseFailure { loc: Location { file, span }, message })
}

struct ReadError {
    message: String,
    /// Where the problem is, in `text`.
    offset: usize,
    /// What can be shown of the file (the valid prefix of a non-UTF-8 file).
    text: String,
}

fn read(path: &Path) -> Result<String, ReadError> {
    let plain = |message: String| ReadError { message, offset: 0, text: String::new() };
    let meta = std::fs::metadata(path).map_err(|e| plain(format!("cannot read the file: {e}")))?;
    if !meta.is_file() {
        return Err(plain("not a regular file".into()));
    }
    if meta.len() > MAX_FILE_SIZE {
        return Err(plain(format!(
            "the file is {} MiB; metadata files are far smaller, so it was not read (limit: {} MiB)",
            meta.len() / (1024 * 1024),
            MAX_FILE_SIZE / (1024 * 1024)
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| plain(format!("cannot read the file: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return plain("the file is UTF-16; Salesforce metadata is UTF-8: convert it to UTF-8".into());
        }
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        ReadError { message: format!("the file is not valid UTF-8 (byte {valid})"), offset: valid, text }
    })
}

fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

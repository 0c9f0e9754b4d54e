//! Finding the metadata files to read: `sfdx-project.json` package directories,
//! `.forceignore`, and the walk. Files are recognized by name; none is opened here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;
use walkdir::WalkDir;

use crate::model::MetadataKind;

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Absolute path.
    pub path: PathBuf,
    pub kind: MetadataKind,
    pub full_name: String,
}

#[derive(Debug, Default)]
pub struct Discovery {
    /// Sorted by path, without duplicates.
    pub files: Vec<Candidate>,
    /// When files were named on the command line: only findings in these are reported.
    pub only: Option<Vec<PathBuf>>,
    /// Things the user should know that are not findings (unreadable folders, ...).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{path}:{line}:{column}: cannot read sfdx-project.json: {message}")]
    ProjectFile { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
}

/// Salesforce's built-in `.forceignore` patterns, applied before the project's own.
const BUILT_IN_IGNORES: [&str; 4] = ["**/*.dup", "**/.*", "**/package2-descriptor.json", "**/package2-manifest.json"];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SfdxProject {
    package_directories: Vec<PackageDirectory>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageDirectory {
    path: String,
    unpackaged_metadata: Option<PathEntry>,
    seed_metadata: Option<PathEntry>,
}

#[derive(Deserialize)]
struct PathEntry {
    path: String,
}

/// A project root with its source folders and ignore rules.
struct Scope {
    source_dirs: Vec<PathBuf>,
    ignore: Gitignore,
}

/// Paths that config `exclude` globs keep out, relative to the config's folder.
#[derive(Debug, Default)]
pub struct Exclude {
    pub base: PathBuf,
    pub patterns: Vec<glob::Pattern>,
}

impl Exclude {
    fn matches(&self, path: &Path) -> bool {
        !self.patterns.is_empty()
            && path.strip_prefix(&self.base).is_ok_and(|rel| self.patterns.iter().any(|p| p.matches_path(rel)))
    }
}

/// The folder whose `forcelint.toml` applies to `path`: the folder itself (or a file's
/// folder) if it has one, else the project root above it.
pub fn config_dir(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = if path.is_dir() { path.clone() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    if dir.join(crate::config::FILE_NAME).is_file() {
        return dir;
    }
    dir.ancestors().find(|d| d.join("sfdx-project.json").is_file()).map_or(dir.clone(), Path::to_path_buf)
}

pub fn discover(paths: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    discover_excluding(paths, &Exclude::default())
}

pub fn discover_excluding(paths: &[PathBuf], exclude: &Exclude) -> Result<Discovery, DiscoverError> {
    let mut discovery = Discovery::default();
    let mut found: BTreeMap<PathBuf, Candidate> = BTreeMap::new();
    let mut only = Vec::new();
    for given in paths {
        let path = std::path::absolute(given)
            .map_err(|e| DiscoverError::Io { path: given.clone(), message: e.to_string() })?;
        let meta = std::fs::metadata(&path).map_err(|_| DiscoverError::NotFound(given.clone()))?;
        if meta.is_dir() {
            let scope = scope_for_dir(&path, &mut discovery.notes)?;
            walk(&scope, exclude, &mut found, &mut discovery.notes);
        } else {
            only.push(path.clone());
            // The file's project gives it context (org settings, profiles, sibling ECA files).
            if let Some(root) = project_root_above(&path) {
                let scope = scope_for_dir(&root, &mut discovery.notes)?;
                walk(&scope, exclude, &mut found, &mut discovery.notes);
            }
            // A named file is read even without a project, and even when ignored: the user asked.
            if let Some(candidate) = candidate(&path) {
                found.entry(path).or_insert(candidate);
            } else {
                discovery.notes.push(format!(
                    "{}: not a metadata file forcelint reads (connected apps, external client apps, Security.settings, profiles, profile session settings)",
                    given.display()
                ));
            }
        }
    }
    discovery.files = found.into_values().collect();
    if !only.is_empty() {
        only.sort();
        discovery.only = Some(only);
    }
    Ok(discovery)
}

fn candidate(path: &Path) -> Option<Candidate> {
    let name = path.file_name()?.to_str()?;
    let (kind, full_name) = MetadataKind::from_file_name(name)?;
    Some(Candidate { path: path.to_path_buf(), kind, full_name: full_name.to_string() })
}

fn project_root_above(file: &Path) -> Option<PathBuf> {
    file.ancestors().skip(1).find(|d| d.join("sfdx-project.json").is_file()).map(Path::to_path_buf)
}

fn scope_for_dir(dir: &Path, notes: &mut Vec<String>) -> Result<Scope, DiscoverError> {
    let project_file = dir.join("sfdx-project.json");
    let source_dirs = if project_file.is_file() {
        let text = std::fs::read_to_string(&project_file)
            .map_err(|e| DiscoverError::Io { path: project_file.clone(), message: e.to_string() })?;
        let project: SfdxProject = serde_json::from_str(&text).map_err(|e| DiscoverError::ProjectFile {
            path: project_file.clone(),
            line: e.line(),
            column: e.column(),
            message: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
        })?;
        let mut dirs = Vec::new();
        for pkg in project.package_directories {
            let extra = [pkg.unpackaged_metadata, pkg.seed_metadata].into_iter().flatten().map(|e| e.path);
            for rel in std::iter::once(pkg.path).chain(extra) {
                let d = dir.join(&rel);
                if d.is_dir() {
                    dirs.push(d);
                } else {
                    notes.push(format!("{}: package directory `{rel}` does not exist", project_file.display()));
                }
            }
        }
        dirs
    } else {
        vec![dir.to_path_buf()]
    };
    Ok(Scope { source_dirs, ignore: forceignore(dir, notes) })
}

fn forceignore(root: &Path, notes: &mut Vec<String>) -> Gitignore {
    let mut builder = GitignoreBuilder::new(root);
    for pattern in BUILT_IN_IGNORES {
        // Constant, valid patterns.
        let _ = builder.add_line(None, pattern);
    }
    let file = root.join(".forceignore");
    if file.is_file()
        && let Some(err) = builder.add(&file)
    {
        notes.push(format!("{}: {err}", file.display()));
    }
    builder.build().unwrap_or_else(|e| {
        notes.push(format!("{}: {e}", file.display()));
        Gitignore::empty()
    })
}

fn walk(scope: &Scope, exclude: &Exclude, found: &mut BTreeMap<PathBuf, Candidate>, notes: &mut Vec<String>) {
    for dir in &scope.source_dirs {
        let walker = WalkDir::new(dir).follow_links(false).into_iter().filter_entry(|entry| {
            if entry.depth() == 0 {
                return true;
            }
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_dir();
            if is_dir && name == "node_modules" {
                return false;
            }
            !scope.ignore.matched(entry.path(), is_dir).is_ignore() && !exclude.matches(entry.path())
        });
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    let path = e.path().map(|p| p.display().to_string()).unwrap_or_default();
                    let reason = e.io_error().map_or_else(|| e.to_string(), |io| io.to_string());
                    notes.push(format!("{path}: cannot read: {reason}"));
                    continue;
                }
            };
            // Links are not followed: a project never needs them, and they may lead out.
            if !entry.file_type().is_file() {
                continue;
            }
            if let Some(c) = candidate(entry.path()) {
                found.entry(c.path.clone()).or_insert(c);
            }
        }
    }
}

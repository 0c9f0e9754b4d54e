//! Finding the metadata files to read: `sfdx-project.json` package directories,
//! `.forceignore`, and the walk. Files are recognized by name; none is opened here.
//!
//! The walk is the largest part of a run on a big repository (tens of thousands of
//! files, a few dozen of them read), so it is parallel (one task per folder, on rayon's
//! pool) and does as little as it can per entry: a file's name is checked before
//! anything else, and only a file whose name qualifies (or a folder) gets a path and
//! is matched against `.forceignore`. Folders that hold only the content of bundles
//! (`lwc`, `aura`, `staticresources`) are not entered; nor, when the walk is only for the
//! context of named files, the folders of other metadata types (`classes`, `objects`, ...).

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use serde::Deserialize;

use crate::model::MetadataKind;
use crate::source::present;

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
    /// When files were named on the command line: only findings in these (and in the
    /// `folders` given with them) are reported.
    pub only: Option<Vec<PathBuf>>,
    /// The folders given on the command line, absolute.
    pub folders: Vec<PathBuf>,
    /// Things the user should know that are not findings (unreadable folders, ...).
    pub notes: Vec<String>,
    /// Metadata files forcelint reads that the projects' `.forceignore` keeps out, sorted.
    pub forceignored: Vec<Candidate>,
    /// Permission-set folders a walk for context did not enter: they often hold thousands of
    /// files, of which the apps assign a few, looked up by name (`permission_sets`).
    deferred: Vec<Deferred>,
}

/// A folder not walked, with the ignore rules of its project.
#[derive(Debug)]
struct Deferred {
    dir: PathBuf,
    ignore: Gitignore,
    exclude: Exclude,
}

impl Discovery {
    /// The permission sets `names` assign (as `same_permission_set` compares: an assignment
    /// may be the set's label) in the folders a walk for context did not enter, as the walk
    /// would have found them (ignore rules applied), sorted by path. Each folder is listed
    /// once; nothing in it is opened.
    pub fn permission_sets(&self, names: &[&str]) -> Vec<Candidate> {
        let mut out = Vec::new();
        for d in &self.deferred {
            let Ok(entries) = std::fs::read_dir(&d.dir) else { continue };
            for entry in entries.flatten() {
                // Links are not followed, as in the walk.
                if !entry.file_type().is_ok_and(|t| t.is_file()) {
                    continue;
                }
                let file_name = entry.file_name();
                let lossy = file_name.to_string_lossy();
                let Some((MetadataKind::PermissionSet, full_name)) = MetadataKind::from_file_name(&lossy) else {
                    continue;
                };
                let api_name = crate::model::decode_full_name(full_name);
                if !names.iter().any(|n| crate::model::same_permission_set(n, &api_name)) {
                    continue;
                }
                let path = entry.path();
                if d.ignore.matched(&path, false).is_ignore() || d.exclude.matches(&path) {
                    continue;
                }
                out.push(Candidate { path, kind: MetadataKind::PermissionSet, full_name: full_name.to_string() });
            }
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out.dedup_by(|later, earlier| later.path == earlier.path);
        out
    }
}

impl Discovery {
    /// Whether findings in `path` (absolute) are reported: with files named, only in those
    /// and in the folders given with them.
    pub fn reports(&self, path: &Path) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|o| o == path) || self.folders.iter().any(|d| path.starts_with(d)))
    }
}

impl Discovery {
    /// What `reports` needs, with the paths given canonical (see `drift::canonical`), to
    /// compare with canonical paths.
    pub fn canonical(&self) -> Discovery {
        let canonical = |paths: &[PathBuf]| paths.iter().map(|p| crate::drift::canonical(p)).collect::<Vec<_>>();
        Discovery {
            only: self.only.as_deref().map(canonical),
            folders: canonical(&self.folders),
            ..Discovery::default()
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    NotFound(PathBuf),
    #[error("{path}:{line}:{column}: cannot read sfdx-project.json: {message}")]
    ProjectFile { path: PathBuf, line: usize, column: usize, message: String },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    /// A package directory `sfdx-project.json` names is not there: what the project says it
    /// is cannot be checked, so the run fails rather than pass on part of it.
    #[error("{path}: package directory `{directory}` does not exist")]
    MissingPackage { path: PathBuf, directory: String },
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
#[derive(Debug, Default, Clone)]
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

/// The project a command about a whole project (`apps`, `init`) runs on: a folder as given,
/// a file's project (see `project_root_above`), else the file's folder.
pub fn project_dir(path: &Path) -> PathBuf {
    if path.is_dir() {
        return path.to_path_buf();
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    project_root_above(&absolute)
        .or_else(|| absolute.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
}

/// The folder whose `forcelint.toml` applies to `path` (a folder, or a file's folder). The
/// lookup starts at the project root (see `project_root_from`; without one, the folder
/// itself), so that a project and any file or folder of it get the same config, and climbs
/// to the git repository's root, never above it (outside a repository it does not climb):
/// the nearest folder there with a `forcelint.toml`, else (where `init` writes one) the
/// folder it started from.
pub fn config_dir(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let dir = if path.is_dir() { path.clone() } else { path.parent().map(Path::to_path_buf).unwrap_or_default() };
    let start = project_root_from(&dir).unwrap_or(dir);
    let in_repository = match up_to_repository(&start) {
        Some(folders) => folders,
        None => vec![start.as_path()],
    };
    let with_config = in_repository.into_iter().find(|d| present(&d.join(crate::config::FILE_NAME)));
    with_config.map(Path::to_path_buf).unwrap_or(start)
}

/// `dir` and the folders above it up to the root of the git repository holding it (the
/// nearest with a `.git`); `None` outside a repository.
fn up_to_repository(dir: &Path) -> Option<Vec<&Path>> {
    let mut folders = Vec::new();
    for d in dir.ancestors() {
        folders.push(d);
        if present(&d.join(".git")) {
            return Some(folders);
        }
    }
    None
}

pub fn discover(paths: &[PathBuf]) -> Result<Discovery, DiscoverError> {
    discover_excluding(paths, &Exclude::default(), false)
}

/// The files to read under `paths`. A named file's project is walked for context only
/// (see `Depth::Context`) unless `whole_projects`.
pub fn discover_excluding(
    paths: &[PathBuf],
    exclude: &Exclude,
    whole_projects: bool,
) -> Result<Discovery, DiscoverError> {
    let mut discovery = Discovery::default();
    let mut found: Vec<Candidate> = Vec::new();
    let mut only = Vec::new();
    // Folders already walked as a project or folder: each is walked once, however many
    // of its files are named (a pre-commit hook passes every changed file).
    let mut walked: HashSet<PathBuf> = HashSet::new();
    let mut given_files = Vec::new();
    for given in paths {
        let path = std::path::absolute(given)
            .map_err(|e| DiscoverError::Io { path: given.clone(), message: e.to_string() })?;
        let meta = std::fs::metadata(&path).map_err(|_| DiscoverError::NotFound(given.clone()))?;
        if !meta.is_dir() {
            given_files.push((given, path));
            continue;
        }
        discovery.folders.push(path.clone());
        if walked.insert(path.clone()) {
            let scope = scope_for_dir(&path, &mut discovery.notes)?;
            let mut walked = Walked {
                found: &mut found,
                notes: &mut discovery.notes,
                forceignored: Some(&mut discovery.forceignored),
                deferred: &mut discovery.deferred,
            };
            walk(&scope, exclude, Depth::Everything, &[], &mut walked);
        }
    }
    let named: Vec<PathBuf> = given_files.iter().map(|(_, path)| path.clone()).collect();
    // After the folders, so that a project given as a folder is walked whole.
    let mut roots: Vec<PathBuf> = Vec::new();
    for (given, path) in given_files {
        only.push(path.clone());
        // The file's project gives it context (org settings, profiles, sibling ECA files).
        let root = project_root_above(&path);
        if let Some(root) = &root
            && !roots.contains(root)
        {
            roots.push(root.clone());
        }
        if let Some(root) = root
            && walked.insert(root.clone())
        {
            let scope = scope_for_dir(&root, &mut discovery.notes)?;
            let depth = if whole_projects { Depth::Everything } else { Depth::Context };
            // Files named: what `.forceignore` keeps out of their project is not counted.
            let mut walked = Walked {
                found: &mut found,
                notes: &mut discovery.notes,
                forceignored: None,
                deferred: &mut discovery.deferred,
            };
            walk(&scope, exclude, depth, &named, &mut walked);
        }
        // A named file is read even without a project, and even when ignored: the user asked.
        if let Some(candidate) = candidate(&path) {
            found.push(candidate);
        } else {
            discovery.notes.push(format!(
                "{}: not a metadata file forcelint reads (connected apps, external client apps, Security.settings, OauthOidc.settings, ConnectedApp.settings, profiles, permission sets, profile session settings)",
                given.display()
            ));
        }
    }
    if roots.len() > 1 {
        roots.sort();
        let list: Vec<String> = roots.iter().map(|r| r.display().to_string()).collect();
        discovery.notes.push(format!(
            "the files named belong to {} projects ({}), which are checked together, with one context (one org's settings, one set of profiles): name one project's files at a time",
            roots.len(),
            list.join(", ")
        ));
    }
    // Sorted by path; of two walks that found the same file, the first is kept (they agree).
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found.dedup_by(|later, earlier| later.path == earlier.path);
    discovery.forceignored.sort_by(|a, b| a.path.cmp(&b.path));
    discovery.forceignored.dedup_by(|later, earlier| later.path == earlier.path);
    discovery.forceignored.retain(|c| found.binary_search_by(|f| f.path.cmp(&c.path)).is_err());
    discovery.files = found;
    if !only.is_empty() {
        only.sort();
        discovery.only = Some(only);
    }
    Ok(discovery)
}

fn candidate(path: &Path) -> Option<Candidate> {
    // A name that is not UTF-8 is read under its lossy form (the bad bytes shown as U+FFFD).
    let name = path.file_name()?.to_string_lossy();
    let (kind, full_name) = MetadataKind::from_file_name(&name)?;
    Some(Candidate { path: path.to_path_buf(), kind, full_name: full_name.to_string() })
}

/// The project a file belongs to: the folder of the `sfdx-project.json` above it, else (a
/// metadata API format project) the folder of the `package.xml` above it.
fn project_root_above(file: &Path) -> Option<PathBuf> {
    project_root_from(file.parent()?)
}

/// The nearest folder from `dir` up that holds `sfdx-project.json`, else `package.xml`; in a
/// git repository, not above its root. (Present, not a file: a project file that cannot be
/// read, or a link, is an error, not no project.)
fn project_root_from(dir: &Path) -> Option<PathBuf> {
    let folders = up_to_repository(dir).unwrap_or_else(|| dir.ancestors().collect());
    let above = |marker: &str| folders.iter().find(|d| present(&d.join(marker))).map(|d| d.to_path_buf());
    above("sfdx-project.json").or_else(|| above("package.xml"))
}

fn scope_for_dir(dir: &Path, notes: &mut Vec<String>) -> Result<Scope, DiscoverError> {
    let project_file = dir.join("sfdx-project.json");
    let source_dirs = if present(&project_file) {
        let text = crate::source::read_found_text(&project_file, crate::source::MAX_CONFIG_SIZE)
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
                if !d.is_dir() {
                    return Err(DiscoverError::MissingPackage { path: project_file, directory: rel });
                }
                dirs.push(d);
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
    if present(&file) {
        match crate::source::read_found(&file, crate::source::MAX_CONFIG_SIZE) {
            Ok(bytes) => {
                let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(&bytes);
                for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
                    let line = line.strip_suffix(b"\r").unwrap_or(line);
                    // A line that is not UTF-8 is left out, as Salesforce's CLI reads it.
                    let result = match std::str::from_utf8(line) {
                        Ok(line) => builder.add_line(Some(file.clone()), line).map(|_| ()).map_err(|e| e.to_string()),
                        Err(_) => Err("not UTF-8: the line is ignored".to_string()),
                    };
                    if let Err(err) = result {
                        notes.push(format!("{}:{}: {err}", file.display(), i + 1));
                    }
                }
            }
            Err(err) => notes.push(format!("{}: cannot read: {err}", file.display())),
        }
    }
    builder.build().unwrap_or_else(|e| {
        notes.push(format!("{}: {e}", file.display()));
        Gitignore::empty()
    })
}

/// Folders that only ever hold the content of one bundle or static resource: Salesforce
/// resolves every file below a folder of this name as part of that type
/// (`strictDirectoryNames` in the CLI's metadata registry), so no connected app, external
/// client app, settings file or profile can be inside. They are often large (unzipped
/// libraries, Lightning components with their tests) and are not entered.
const CONTENT_ONLY_DIRS: [&str; 3] = ["lwc", "aura", "staticresources"];

/// Folders never entered, whatever the ignore rules say.
fn never_walked(name: &OsStr) -> bool {
    name == "node_modules" || CONTENT_ONLY_DIRS.iter().any(|d| name == *d)
}

/// Where retrieves write permission sets: a walk for context defers it (see
/// `Discovery::deferred`) where it sits beside other type folders.
const PERMISSION_SETS_DIR: &str = "permissionsets";

/// The folders Salesforce's tools write other metadata types to (`directoryName` in the
/// CLI's metadata registry): where retrieves never put connected apps, external client
/// apps, settings or profiles. A walk for the context of named files skips them where they
/// sit beside other type folders: they hold most of a large project's files.
const OTHER_TYPE_DIRS: [&str; 79] = [
    "applications",
    "approvalProcesses",
    "assignmentRules",
    "authproviders",
    "autoResponseRules",
    "brandingSets",
    "cachePartitions",
    "certs",
    "classes",
    "cleanDataServices",
    "communities",
    "components",
    "contentassets",
    "corsWhitelistOrigins",
    "cspTrustedSites",
    "customMetadata",
    "customPermissions",
    "dashboards",
    "datacategorygroups",
    "delegateGroups",
    "documents",
    "duplicateRules",
    "email",
    "emailservices",
    "entitlementProcesses",
    "escalationRules",
    "experiences",
    "externalCredentials",
    "flexipages",
    "flowDefinitions",
    "flows",
    "globalValueSetTranslations",
    "globalValueSets",
    "groups",
    "homePageComponents",
    "homePageLayouts",
    "installedPackages",
    "labels",
    "layouts",
    "letterhead",
    "lightningExperienceThemes",
    "managedTopics",
    "matchingRules",
    "messageChannels",
    "milestoneTypes",
    "namedCredentials",
    "navigationMenus",
    "networks",
    "notificationtypes",
    "objectTranslations",
    "objects",
    "pages",
    "pathAssistants",
    "permissionsetgroups",
    "platformEventChannelMembers",
    "platformEventChannels",
    "queues",
    "quickActions",
    "recordActionDeployments",
    "remoteSiteSettings",
    "reportTypes",
    "reports",
    "roles",
    "sharingRules",
    "sites",
    "standardValueSets",
    "synonymDictionaries",
    "tabs",
    "territories",
    "territory2Models",
    "territory2Types",
    "testSuites",
    "topicsForObjects",
    "translations",
    "triggers",
    "wave",
    "waveTemplates",
    "weblinks",
    "workflows",
];

/// How much of a project a walk looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Depth {
    /// A folder given to check: every folder but bundle content.
    Everything,
    /// The project of a named file, for context: not the folders of other types either.
    Context,
}

/// What one walk shares between its tasks.
struct Walk<'a> {
    scope: &'a Scope,
    exclude: &'a Exclude,
    depth: Depth,
    /// Named files: a folder holding one is always entered.
    named: &'a [PathBuf],
    found: Mutex<Vec<Candidate>>,
    notes: Mutex<Vec<String>>,
    /// `None`: not counted.
    forceignored: Option<Mutex<Vec<Candidate>>>,
    /// Permission-set folders not entered (see `Discovery::deferred`).
    deferred: Mutex<Vec<PathBuf>>,
}

/// Why a path is not read.
#[derive(PartialEq)]
enum Ignored {
    No,
    /// By a line of the project's `.forceignore`: counted, for a note.
    Forceignore,
    /// By Salesforce's built-in patterns or the config's `exclude`.
    Other,
}

impl Walk<'_> {
    fn ignored(&self, path: &Path, is_dir: bool) -> Ignored {
        match self.scope.ignore.matched(path, is_dir) {
            // Built-in patterns are added without a file.
            ignore::Match::Ignore(glob) if glob.from().is_some() => Ignored::Forceignore,
            ignore::Match::Ignore(_) => Ignored::Other,
            _ if self.exclude.matches(path) => Ignored::Other,
            _ => Ignored::No,
        }
    }

    fn note(&self, path: &Path, error: &std::io::Error) {
        self.notes.lock().unwrap_or_else(|e| e.into_inner()).push(format!("{}: cannot read: {error}", path.display()));
    }

    /// Reads one folder: keeps the files whose names qualify and are not ignored, and
    /// spawns a task for each sub-folder to enter. Tasks are spawned, not nested, so a
    /// deep tree never deepens the stack.
    /// `counting`: the folder is in one `.forceignore` keeps out; its files are only counted.
    fn dir<'s>(&'s self, scope: &rayon::Scope<'s>, dir: PathBuf, counting: bool) {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) => return self.note(&dir, &e),
        };
        let mut files = Vec::new();
        let mut ignored = Vec::new();
        let mut dirs = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    self.note(&dir, &e);
                    continue;
                }
            };
            // From the directory entry itself where the file system records it (no stat).
            // A symbolic link is neither a file nor a folder here: links are not followed,
            // since a project never needs them and they may lead out of it.
            let file_type = match entry.file_type() {
                Ok(t) => t,
                Err(e) => {
                    self.note(&entry.path(), &e);
                    continue;
                }
            };
            let name = entry.file_name();
            if file_type.is_dir() {
                if !never_walked(&name) {
                    dirs.push(name);
                }
            } else if file_type.is_file() {
                // The name first: most files are not metadata forcelint reads.
                // Lossily: a name that is not UTF-8 is still linted (see `candidate`).
                let lossy = name.to_string_lossy();
                let Some((kind, full_name)) = MetadataKind::from_file_name(&lossy) else {
                    continue;
                };
                let path = entry.path();
                let candidate = Candidate { path, kind, full_name: full_name.to_string() };
                match self.ignored(&candidate.path, false) {
                    // Permission sets are read only when assigned: one kept out is not counted.
                    _ if counting && kind == MetadataKind::PermissionSet => {}
                    Ignored::Forceignore if kind == MetadataKind::PermissionSet => {}
                    _ if counting => ignored.push(candidate),
                    Ignored::No => files.push(candidate),
                    Ignored::Forceignore => ignored.push(candidate),
                    Ignored::Other => {}
                }
            }
        }
        if !files.is_empty() {
            self.found.lock().unwrap_or_else(|e| e.into_inner()).append(&mut files);
        }
        if let (false, Some(all)) = (ignored.is_empty(), &self.forceignored) {
            all.lock().unwrap_or_else(|e| e.into_inner()).append(&mut ignored);
        }
        // Where a retrieve writes its type folders (two or more side by side), a walk for
        // context skips those of other types. A lone `email` or `sites` is a folder of the
        // project's own, and is entered.
        let is_type_dir = |name: &OsStr| OTHER_TYPE_DIRS.iter().any(|d| name == *d);
        let is_own_dir = |name: &OsStr| MetadataKind::ALL.iter().any(|k| name == k.directory());
        let type_level = self.depth == Depth::Context
            && dirs.iter().filter(|name| is_type_dir(name) || is_own_dir(name)).count() >= 2;
        for name in dirs {
            let path = dir.join(&name);
            let holds_named = self.named.iter().any(|n| n.starts_with(&path));
            if type_level && is_type_dir(&name) && !holds_named {
                continue;
            }
            // A walk for context does not enter permission sets: apps assign a few of their
            // thousands, looked up by name.
            let deferred = type_level && name == PERMISSION_SETS_DIR && !holds_named;
            // Counting what `.forceignore` keeps out skips dot folders, other types' folders
            // and permission sets (read only when assigned): they hold nothing that is
            // counted, and often most of the files.
            let countable = self.forceignored.is_some()
                && !is_type_dir(&name)
                && name != PERMISSION_SETS_DIR
                && !name.to_string_lossy().starts_with('.');
            match self.ignored(&path, true) {
                Ignored::No if deferred => self.deferred.lock().unwrap_or_else(|e| e.into_inner()).push(path),
                Ignored::No if !counting || countable => scope.spawn(move |scope| self.dir(scope, path, counting)),
                // Walked only to count what it holds.
                Ignored::Forceignore if countable => scope.spawn(move |scope| self.dir(scope, path, true)),
                _ => {}
            }
        }
    }
}

/// What a walk adds to: `found` the qualifying files (in no particular order: the caller
/// sorts), `notes` the folders that could not be read, sorted, and (when counted)
/// `forceignored` the qualifying files `.forceignore` keeps out.
struct Walked<'a> {
    found: &'a mut Vec<Candidate>,
    notes: &'a mut Vec<String>,
    forceignored: Option<&'a mut Vec<Candidate>>,
    /// Permission-set folders a walk for context did not enter.
    deferred: &'a mut Vec<Deferred>,
}

/// Walks the scope's source folders in parallel.
fn walk(scope: &Scope, exclude: &Exclude, depth: Depth, named: &[PathBuf], out: &mut Walked) {
    let walk = Walk {
        scope,
        exclude,
        depth,
        named,
        found: Mutex::new(Vec::new()),
        notes: Mutex::new(Vec::new()),
        forceignored: out.forceignored.is_some().then(|| Mutex::new(Vec::new())),
        deferred: Mutex::new(Vec::new()),
    };
    rayon::scope(|s| {
        for dir in &scope.source_dirs {
            let walk = &walk;
            s.spawn(move |s| walk.dir(s, dir.clone(), false));
        }
    });
    out.found.append(&mut walk.found.into_inner().unwrap_or_else(|e| e.into_inner()));
    let mut walk_notes = walk.notes.into_inner().unwrap_or_else(|e| e.into_inner());
    walk_notes.sort();
    out.notes.append(&mut walk_notes);
    if let (Some(all), Some(mine)) = (out.forceignored.as_deref_mut(), walk.forceignored) {
        all.append(&mut mine.into_inner().unwrap_or_else(|e| e.into_inner()));
    }
    let mut dirs = walk.deferred.into_inner().unwrap_or_else(|e| e.into_inner());
    dirs.sort();
    out.deferred.extend(dirs.into_iter().map(|dir| Deferred {
        dir,
        ignore: scope.ignore.clone(),
        exclude: exclude.clone(),
    }));
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use super::{Exclude, discover, discover_excluding};

    const APP: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>A</label>\n</ConnectedApp>\n";

    fn write(root: &Path, rel: &str) -> PathBuf {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, APP).unwrap();
        path
    }

    fn names(root: &Path, paths: &[PathBuf]) -> Vec<String> {
        let found = discover(paths).unwrap();
        found.files.iter().map(|c| c.path.strip_prefix(root).unwrap().to_string_lossy().into_owned()).collect()
    }

    /// A tree with many folders, some of them ignored, linked or content-only.
    fn project() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(
            root.join("sfdx-project.json"),
            r#"{"packageDirectories": [{"path": "force-app", "default": true}, {"path": "pkg/b"}]}"#,
        )
        .unwrap();
        std::fs::write(root.join(".forceignore"), "**/legacy/**\n**/*.ecaGlblOauth-meta.xml\n").unwrap();
        for i in 0..40 {
            write(root, &format!("force-app/main/default/connectedApps/App{i:02}.connectedApp-meta.xml"));
            write(root, &format!("force-app/main/default/classes/C{i}.cls-meta.xml"));
            write(root, &format!("force-app/main/default/objects/O{i}__c/fields/F.field-meta.xml"));
        }
        write(root, "pkg/b/main/default/profiles/Admin.profile-meta.xml");
        write(root, "pkg/b/main/default/settings/Security.settings-meta.xml");
        write(root, "pkg/b/main/default/settings/Account.settings-meta.xml");
        write(root, "force-app/main/default/legacy/connectedApps/Old.connectedApp-meta.xml");
        write(root, "force-app/main/default/extlClntAppGlobalOauthSets/X_glbl.ecaGlblOauth-meta.xml");
        write(root, "force-app/main/default/.hidden/Dot.connectedApp-meta.xml");
        write(root, "force-app/main/default/node_modules/pkg/Nm.connectedApp-meta.xml");
        // Salesforce reads everything below these folders as bundle or resource content.
        write(root, "force-app/main/default/lwc/card/Lwc.connectedApp-meta.xml");
        write(root, "force-app/main/default/aura/Wrap/Aura.connectedApp-meta.xml");
        write(root, "force-app/main/default/staticresources/lib/Res.connectedApp-meta.xml");
        write(root, "outside/Outside.connectedApp-meta.xml");
        std::os::unix::fs::symlink(root.join("outside"), root.join("force-app/main/default/linked")).unwrap();
        std::os::unix::fs::symlink(
            root.join("outside/Outside.connectedApp-meta.xml"),
            root.join("force-app/main/default/connectedApps/Link.connectedApp-meta.xml"),
        )
        .unwrap();
        dir
    }

    #[test]
    fn the_walk_finds_qualifying_files_sorted_and_honours_ignores() {
        let dir = project();
        let root = dir.path();
        let mut want: Vec<String> =
            (0..40).map(|i| format!("force-app/main/default/connectedApps/App{i:02}.connectedApp-meta.xml")).collect();
        want.push("pkg/b/main/default/profiles/Admin.profile-meta.xml".into());
        want.push("pkg/b/main/default/settings/Security.settings-meta.xml".into());
        // Every run gives the same list, in path order, whatever the threads did.
        for _ in 0..5 {
            assert_eq!(names(root, &[root.to_path_buf()]), want);
        }
    }

    #[test]
    fn a_named_file_is_read_with_its_project_walked_once() {
        let dir = project();
        let root = dir.path();
        let a = root.join("force-app/main/default/connectedApps/App01.connectedApp-meta.xml");
        let b = root.join("force-app/main/default/connectedApps/App02.connectedApp-meta.xml");
        let ignored = root.join("force-app/main/default/legacy/connectedApps/Old.connectedApp-meta.xml");
        let found = discover(&[a.clone(), b.clone(), ignored.clone(), root.to_path_buf()]).unwrap();
        assert_eq!(found.files.len(), 43, "the project's 42 files and the named ignored one, once each");
        assert!(found.files.windows(2).all(|w| w[0].path < w[1].path));
        let mut only = vec![a, b, ignored];
        only.sort();
        assert_eq!(found.only, Some(only));
        assert!(found.notes.is_empty(), "{:?}", found.notes);
    }

    #[test]
    fn the_context_of_a_named_file_skips_the_folders_of_other_types() {
        let dir = project();
        let root = dir.path();
        // Where no retrieve puts it: a folder given is walked whole, a named file's project is not.
        let odd = write(root, "force-app/main/default/classes/Odd.profile-meta.xml");
        let feature = write(root, "force-app/billing/connectedApps/Billing.connectedApp-meta.xml");
        // A folder of the project's own that happens to have a type's name, not among type folders.
        let own = write(root, "force-app/communities/settings/Security.settings-meta.xml");
        let named = root.join("force-app/main/default/connectedApps/App01.connectedApp-meta.xml");
        let context = discover(std::slice::from_ref(&named)).unwrap();
        assert!(!context.files.iter().any(|c| c.path == odd));
        assert!(context.files.iter().any(|c| c.path == feature), "other folders are walked");
        assert!(context.files.iter().any(|c| c.path == own), "a type's name alone does not skip a folder");
        assert_eq!(context.files.len(), 44, "{:#?}", context.files);
        let whole = discover(&[named, root.to_path_buf()]).unwrap();
        assert!(whole.files.iter().any(|c| c.path == odd), "with the project given too");
        assert_eq!(whole.files.len(), 45);
        // A named file's folder is entered, whatever its name: its siblings are context.
        let part = write(root, "force-app/main/default/objects/Eca/X.eca-meta.xml");
        let sibling = write(root, "force-app/main/default/objects/Eca/X_oauth.ecaOauth-meta.xml");
        let context = discover(&[part]).unwrap();
        assert!(context.files.iter().any(|c| c.path == sibling));
        assert!(!context.files.iter().any(|c| c.path == odd));
    }

    #[test]
    fn forceignore_with_a_byte_order_mark_or_a_line_that_is_not_utf8() {
        let dir = project();
        let root = dir.path();
        let mut text = "\u{feff}**/App01.connectedApp-meta.xml\n# caf".as_bytes().to_vec();
        text.extend([0xe9, b'\r', b'\n']);
        text.extend(b"**/App02.connectedApp-meta.xml\r\n");
        std::fs::write(root.join(".forceignore"), text).unwrap();
        let found = discover(&[root.to_path_buf()]).unwrap();
        let names: Vec<String> = found.files.iter().map(|c| c.full_name.clone()).collect();
        assert!(!names.contains(&"App01".to_string()) && !names.contains(&"App02".to_string()), "{names:?}");
        assert!(names.contains(&"App03".to_string()));
        assert_eq!(found.notes.len(), 1, "{:?}", found.notes);
        assert!(found.notes[0].contains(".forceignore:2: not UTF-8"), "{:?}", found.notes);
    }

    #[test]
    fn config_excludes_prune_folders_and_files() {
        let dir = project();
        let root = dir.path();
        let exclude = Exclude {
            base: root.to_path_buf(),
            patterns: vec![
                glob::Pattern::new("pkg/b/**/profiles").unwrap(),
                glob::Pattern::new("**/App1?.connectedApp-meta.xml").unwrap(),
            ],
        };
        let found = discover_excluding(&[root.to_path_buf()], &exclude, false).unwrap();
        let names: Vec<_> =
            found.files.iter().map(|c| c.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names.len(), 31, "{names:?}");
        assert!(!names.iter().any(|n| n.starts_with("App1") || n.starts_with("Admin")), "{names:?}");
    }

    #[test]
    fn lookups_stop_at_the_repository_root() {
        let outer = tempfile::tempdir().unwrap();
        // Above the repository: a project file and a config that must not count.
        std::fs::write(outer.path().join("sfdx-project.json"), r#"{"packageDirectories": [{"path": "."}]}"#).unwrap();
        std::fs::write(outer.path().join(crate::config::FILE_NAME), "").unwrap();
        let repo = outer.path().join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let file = write(&repo, "apps/A.connectedApp-meta.xml");
        assert_eq!(super::project_dir(&file), repo.join("apps"), "no project in the repository");
        assert_eq!(super::config_dir(&file), repo.join("apps"), "no config in the repository");
        let found = discover(std::slice::from_ref(&file)).unwrap();
        assert_eq!(found.files.len(), 1, "the project above the repository is not walked");
        // In the repository, a project's config applies from any folder of it.
        std::fs::write(repo.join("sfdx-project.json"), r#"{"packageDirectories": [{"path": "apps"}]}"#).unwrap();
        std::fs::write(repo.join("apps").join(crate::config::FILE_NAME), "").unwrap();
        assert_eq!(super::config_dir(&file), repo, "the project root, not the subfolder with a config");
        std::fs::write(repo.join(crate::config::FILE_NAME), "").unwrap();
        assert_eq!(super::config_dir(&repo.join("apps")), repo);
    }

    #[test]
    fn a_missing_package_directory_is_an_error() {
        let dir = project();
        let root = dir.path();
        std::fs::write(
            root.join("sfdx-project.json"),
            r#"{"packageDirectories": [{"path": "force-app"}, {"path": "gone"}]}"#,
        )
        .unwrap();
        let err = discover(&[root.to_path_buf()]).unwrap_err();
        assert!(err.to_string().ends_with("sfdx-project.json: package directory `gone` does not exist"), "{err}");
    }

    #[test]
    fn a_folder_without_a_project_is_walked_whole() {
        let dir = project();
        let root = dir.path();
        let pkg = root.join("pkg");
        assert_eq!(
            names(root, &[pkg]),
            [
                "pkg/b/main/default/profiles/Admin.profile-meta.xml",
                "pkg/b/main/default/settings/Security.settings-meta.xml"
            ]
        );
    }
}

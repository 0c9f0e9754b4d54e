//! One run: config, discover, load and parse (in parallel), build the project, run the
//! rules, then severities, suppressions, file filter, baseline and sort.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::baseline::{self, BaselineError};
use crate::config::{self, ConfigError, Level, Loaded};
use crate::discover::{Candidate, DiscoverError, Exclude, config_dir, discover_excluding};
use crate::drift::{self, Drift};
use crate::finding::{Finding, Severity};
use crate::model::{
    BuiltFile, MetadataKind, ParseFailure, Problem, Project, Purpose, build_file, decode_full_name,
    same_permission_set, same_profile,
};
use crate::rules::{self, Options, RULES};
use crate::source::{FileId, Location, OnDisk, SourceFile, Sources};
use crate::suppress::{self, Date, Suppression};
use crate::xml::Span;

/// Metadata files are small; anything this large is not one, and is not read.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// What a run is asked to do beyond the paths.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `--config`; otherwise `forcelint.toml` is looked up.
    pub config: Option<PathBuf>,
    /// `--rule ID=LEVEL`, applied over the config.
    pub overrides: Vec<(String, Level)>,
    /// `--select ID`: only these rules run.
    pub select: Vec<String>,
    /// `--no-ignore`: report suppressed findings too.
    pub no_ignore: bool,
    /// `--baseline FILE`: report only findings not in it.
    pub baseline: Option<PathBuf>,
    /// Run without any forcelint.toml (`forcelint init` replacing a broken one).
    pub no_config: bool,
    /// `--changed-since REV`: report only apps and files changed since this git revision.
    pub changed_since: Option<String>,
    /// Read the whole project of named files, not only the context their findings depend
    /// on: a baseline is matched against a whole project's findings.
    pub whole_projects: bool,
    pub today: Date,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            config: None,
            overrides: Vec::new(),
            select: Vec::new(),
            no_ignore: false,
            baseline: None,
            no_config: false,
            changed_since: None,
            whole_projects: false,
            today: Date::today(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error("{}: {}", .0.path.display(), .0.message)]
    Config(ConfigError),
    #[error(transparent)]
    Baseline(#[from] BaselineError),
    #[error("{0}")]
    Usage(String),
    #[error("--changed-since: {0}")]
    Git(String),
}

#[derive(Debug)]
pub struct Outcome {
    pub project: Project,
    /// What is reported, sorted by path, position, rule.
    pub findings: Vec<Finding>,
    /// Findings an accepted risk covers, with the suppression.
    pub suppressed: Vec<(Finding, Suppression)>,
    /// Findings the baseline already knew.
    pub baselined: usize,
    /// Baseline entries that no longer occur.
    pub stale_baseline: Vec<baseline::Entry>,
    pub notes: Vec<String>,
    pub config: Loaded,
    /// With `--changed-since`: the revision, and how watched policy values moved.
    pub drift: Option<(String, Vec<Drift>)>,
    /// How many metadata files were checked: the named ones, or all that were read.
    pub files: usize,
}

pub fn run(paths: &[PathBuf], settings: &Settings) -> Result<Outcome, RunError> {
    let first = paths.first().cloned().unwrap_or_else(|| PathBuf::from("."));
    let config = if settings.no_config {
        Loaded::default()
    } else {
        config::discover(settings.config.as_deref(), &config_dir(&first)).map_err(RunError::Config)?
    };
    let levels = levels(&config, settings)?;
    let exclude = Exclude {
        base: config.base_dir().map(Path::to_path_buf).unwrap_or_default(),
        patterns: config.excludes.clone(),
    };
    let discovery = discover_excluding(paths, &exclude, settings.whole_projects)?;
    // Named files alone are read with their context only; with a folder given too, or a
    // baseline (matched against a whole project), everything found is read.
    let mut project = match &discovery.only {
        Some(named) if !settings.whole_projects && discovery.folders.is_empty() => {
            load_context(&discovery.files, named, &config, &|names| discovery.permission_sets(names))
        }
        _ => load_with_config(&discovery.files, &config),
    };
    let options = Options::from_config(&config);
    // With files named: the sources reported on, they and those in the folders given.
    let named: Option<Vec<FileId>> = discovery.only.as_ref().map(|_| {
        let cwd = std::env::current_dir().unwrap_or_default();
        let sources = &project.sources;
        (0..sources.len() as u32).map(FileId).filter(|&f| discovery.reports(&cwd.join(sources.path(f)))).collect()
    });

    let enabled = |id: &str| levels.get(id).is_some_and(|l| l.is_some());
    let mut findings: Vec<Finding> = RULES
        .iter()
        .filter(|r| enabled(r.id))
        .filter_map(|r| r.check)
        .flat_map(|check| check(&project, &options))
        .collect();
    // Severity from config and command line (suppressed findings show it too); `off` drops.
    let apply_levels = |findings: &mut Vec<Finding>| {
        findings.retain_mut(|f| match levels.get(f.rule) {
            Some(Some(Some(severity))) => {
                f.severity = *severity;
                true
            }
            Some(Some(None)) => true,
            _ => false,
        })
    };
    apply_levels(&mut findings);
    let mut findings = collapse(findings);
    let mut suppressed = Vec::new();
    if !settings.no_ignore {
        let mut all = project.config_file.map(|file| suppress::from_config(&config, file)).unwrap_or_default();
        all.extend(project.inline_suppressions.iter().cloned());
        // A suppression of a rule that does not run this time is not "unused".
        all.retain(|s| s.rules.iter().any(|r| enabled(r) || rules::find(r).is_none()));
        let (kept, hidden) = suppress::apply(findings, &all, &project.sources, config.base_dir(), settings.today);
        findings = kept;
        suppressed = hidden;
    }
    // Again, for the `unused-suppression` findings just made.
    apply_levels(&mut findings);
    for f in findings.iter_mut().chain(suppressed.iter_mut().map(|(f, _)| f)) {
        if let Some(app) = f.app.as_mut() {
            app.owner = config.app(&app.name).and_then(|a| a.owner.as_ref()).map(|o| o.get_ref().clone());
        }
    }
    // Sorted first, so that fingerprinting parses each file once.
    sort(&project, &mut findings);
    suppressed.sort_by_cached_key(|(f, _)| sort_key(&project, f));
    // A baseline is matched against the whole project's findings (`whole_projects`): its
    // entries do not say which file they are in.
    let in_named = |findings: &[Finding]| {
        named.as_ref().map_or(findings.len(), |named| {
            findings.iter().filter(|f| in_files(f, &|file| named.contains(&file))).count()
        })
    };
    let before = in_named(&findings);
    let mut stale_baseline = match &settings.baseline {
        Some(path) => baseline::filter(&project, &mut findings, baseline::read(path)?),
        None => Vec::new(),
    };
    // What the baseline knew, of what is reported.
    let baselined = before - in_named(&findings);
    if let Some(named) = &named {
        // A finding belongs to every file it points into: an org setting's finding is about
        // the apps it breaks, and is reported with the org settings file alone.
        findings.retain(|f| in_files(f, &|file| named.contains(&file)));
        suppressed.retain(|(f, _)| in_files(f, &|file| named.contains(&file)));
        // Entries about the files not named are not stale.
        stale_baseline.clear();
    }
    let drift = match &settings.changed_since {
        Some(rev) => {
            let (top, mut changed) = drift::changed_files(&config_dir(&first), rev).map_err(RunError::Git)?;
            // With files named, only they (and the folders given) are reported on, drift
            // included. Paths are compared canonical: a path given with `..` or through a
            // link names the same files as git's.
            let reported = discovery.canonical();
            changed.retain(|path| reported.reports(path));
            let cwd = std::env::current_dir().unwrap_or_default();
            let changed_sources: Vec<(FileId, PathBuf)> = (0..project.sources.len() as u32)
                .map(FileId)
                .map(|id| (id, drift::canonical(&cwd.join(project.sources.path(id)))))
                .filter(|(_, path)| changed.binary_search(path).is_ok())
                .collect();
            let is_changed = |file: FileId| changed_sources.iter().any(|(id, _)| *id == file);
            findings.retain(|f| changed_finding(&project, &is_changed, f));
            suppressed.retain(|(f, _)| changed_finding(&project, &is_changed, f));
            Some((rev.clone(), drift::drift(&project, &changed_sources, &changed, &top, rev)))
        }
        None => None,
    };
    let mut notes = discovery.notes;
    // Texts were dropped after parsing; the files reports show are read again, and one
    // edited meanwhile cannot be shown.
    let mut shown: Vec<FileId> = findings
        .iter()
        .chain(suppressed.iter().map(|(f, _)| f))
        .flat_map(|f| std::iter::once(&f.primary).chain(&f.related).map(|l| l.loc.file))
        .collect();
    shown.sort();
    shown.dedup();
    for file in shown.into_iter().filter(|&file| project.sources.get(file).changed()) {
        notes.push(format!(
            "{}: changed while forcelint ran, so its findings are shown without their place in it; run forcelint again",
            project.sources.path(file).display()
        ));
    }
    // A misspelt app name in the config would silently lose its settings. (With files
    // named, not every app was read.)
    let names: Vec<&str> = project.apps.iter().map(|a| a.name.as_str()).collect();
    for name in config.config.apps.keys().filter(|_| discovery.only.is_none()) {
        if !names.contains(&name.get_ref().as_str()) && !names.is_empty() {
            let hint = crate::model::literals::did_you_mean(name.get_ref(), &names)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            notes.push(format!(
                "{}: `[apps.{}]` matches no app in the project{hint}",
                config.path.as_deref().unwrap_or(Path::new(config::FILE_NAME)).display(),
                name.get_ref()
            ));
        }
    }
    let ignored = forceignored_note(&discovery.forceignored);
    if discovery.files.is_empty() {
        let shown = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
        notes.push(match &ignored {
            Some(_) => format!(
                "no Salesforce metadata that forcelint reads was found in {shown} outside what `.forceignore` excludes"
            ),
            None => format!("no Salesforce metadata that forcelint reads was found in {shown}"),
        });
    }
    notes.extend(ignored);
    // Read: permission sets no app assigns are found but not read.
    let read = project.sources.len() - usize::from(project.config_file.is_some());
    let files = named.as_ref().map_or(read, Vec::len);
    // With files named, the apps reported on are theirs and those their findings are about:
    // the others were read as context (or not at all), their profiles maybe not.
    if let Some(named) = &named {
        let about: Vec<Location> = findings
            .iter()
            .chain(suppressed.iter().map(|(f, _)| f))
            .filter_map(|f| Some(f.app.as_ref()?.anchor))
            .collect();
        project.retain_apps(|app| app.files.iter().any(|f| named.contains(f)) || about.contains(&app.anchor));
    }
    Ok(Outcome { project, findings, suppressed, baselined, stale_baseline, notes, config, drift, files })
}

/// "`.forceignore` excludes 3 metadata files forcelint reads (2 apps: ...)": a project
/// whose apps are all ignored otherwise shows "0 apps" without saying why.
fn forceignored_note(files: &[Candidate]) -> Option<String> {
    if files.is_empty() {
        return None;
    }
    let apps: Vec<&str> = files
        .iter()
        .filter(|c| matches!(c.kind, MetadataKind::ConnectedApp | MetadataKind::ExternalClientApplication))
        .map(|c| c.full_name.as_str())
        .collect();
    let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut note =
        format!("`.forceignore` excludes {} forcelint reads", count(files.len(), "metadata file", "metadata files"));
    if !apps.is_empty() {
        const SHOWN: usize = 5;
        let mut names: Vec<String> = apps.iter().take(SHOWN).map(|a| format!("`{a}`")).collect();
        if apps.len() > SHOWN {
            names.push(format!("+{} more", apps.len() - SHOWN));
        }
        note.push_str(&format!(", {} among them ({})", count(apps.len(), "app", "apps"), names.join(", ")));
    }
    note.push_str(": they are not checked");
    Some(note)
}

/// More identical findings than this in one file are reported as one, with their count.
pub const SAME_IN_A_FILE: usize = 3;

/// Identical findings (rule, message, label, app) in one file, beyond `SAME_IN_A_FILE`,
/// become the first of them with their count, so that what one file adds to a report is
/// bounded by what it says, not by how often: a 16 MiB file of one unknown element made
/// millions of findings and reports of gigabytes. Long values in messages and labels are cut.
fn collapse(findings: Vec<Finding>) -> Vec<Finding> {
    type Key = (FileId, &'static str, String, String, Option<Location>);
    let key = |f: &Finding| -> Key {
        (f.primary.loc.file, f.rule, f.message.clone(), f.primary.text.clone(), f.app.as_ref().map(|a| a.anchor))
    };
    let mut groups: HashMap<Key, (usize, usize)> = HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        let (first, count) = groups.entry(key(f)).or_insert((i, 0));
        if f.primary.loc.span.start < findings[*first].primary.loc.span.start {
            *first = i;
        }
        *count += 1;
    }
    let mut out = Vec::new();
    for (i, mut f) in findings.into_iter().enumerate() {
        let &(first, count) = &groups[&key(&f)];
        if count > SAME_IN_A_FILE {
            if i != first {
                continue;
            }
            f.message.push_str(&occurrences(count));
        }
        shorten(&mut f);
        out.push(f);
    }
    out
}

/// As [`collapse`], for one file's problems (the `invalid-policy-value` findings to be).
fn collapse_problems(problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() <= SAME_IN_A_FILE {
        return problems;
    }
    let mut groups: HashMap<(String, String, String), (usize, usize)> = HashMap::new();
    for (i, p) in problems.iter().enumerate() {
        let (first, count) = groups.entry((p.message.clone(), p.label.clone(), p.help.clone())).or_insert((i, 0));
        if p.loc.span.start < problems[*first].loc.span.start {
            *first = i;
        }
        *count += 1;
    }
    let mut out = Vec::new();
    for (i, mut p) in problems.into_iter().enumerate() {
        let &(first, count) = &groups[&(p.message.clone(), p.label.clone(), p.help.clone())];
        if count > SAME_IN_A_FILE {
            if i != first {
                continue;
            }
            p.message.push_str(&occurrences(count));
        }
        out.push(p);
    }
    out
}

fn occurrences(count: usize) -> String {
    format!(" (this finding occurs {count} times in this file; the first is shown)")
}

/// Code spans (values) in a finding's texts longer than this many characters are cut.
pub const MAX_VALUE: usize = 200;

/// Cuts long code spans (a value of megabytes in an invalid-value message) to their start
/// and end around `…`, followed by their length; text outside code spans longer than
/// `4 * MAX_VALUE` too.
fn shorten(f: &mut Finding) {
    let cut = |text: &mut String| {
        if text.len() <= MAX_VALUE {
            return;
        }
        let parts: Vec<&str> = text.split('`').collect();
        // An unpaired last backtick opens no code span.
        let paired = parts.len() % 2 == 1;
        let mut out = String::new();
        let mut note = None;
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push('`');
                out.extend(note.take());
            }
            let code = i % 2 == 1 && (paired || i + 1 < parts.len());
            let chars = part.chars().count();
            let limit = if code { MAX_VALUE } else { 4 * MAX_VALUE };
            if chars > limit {
                out.extend(part.chars().take(limit * 3 / 4));
                out.push('…');
                out.extend(part.chars().skip(chars - limit / 4));
                let cut = format!(" ({chars} characters)");
                if code { note = Some(cut) } else { out.push_str(&cut) }
            } else {
                out.push_str(part);
            }
        }
        out.extend(note);
        *text = out;
    };
    cut(&mut f.message);
    cut(&mut f.primary.text);
    for label in &mut f.related {
        cut(&mut label.text);
    }
    if let Some(help) = &mut f.help {
        cut(help);
    }
}

/// Whether any location of a finding, primary or related, is in a file `wanted` accepts.
fn in_files(finding: &Finding, wanted: &dyn Fn(FileId) -> bool) -> bool {
    std::iter::once(&finding.primary).chain(&finding.related).any(|label| wanted(label.loc.file))
}

/// A finding with a location in a changed file, or about an app with a changed file.
fn changed_finding(project: &Project, is_changed: &dyn Fn(FileId) -> bool, finding: &Finding) -> bool {
    in_files(finding, is_changed)
        || finding.app.as_ref().is_some_and(|a| {
            project.apps.iter().filter(|app| app.anchor == a.anchor).any(|app| app.files.iter().any(|f| is_changed(*f)))
        })
}

/// For each rule: `None` not run; `Some(None)` run at its own severities; `Some(Some(s))`
/// run with every finding at `s`.
type Levels = BTreeMap<&'static str, Option<Option<Severity>>>;

fn levels(config: &Loaded, settings: &Settings) -> Result<Levels, RunError> {
    for id in settings.select.iter().chain(settings.overrides.iter().map(|(id, _)| id)) {
        if rules::find(id).is_none() {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            let hint = crate::model::literals::did_you_mean(id, &ids)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default();
            return Err(RunError::Usage(format!("unknown rule `{id}`{hint}")));
        }
    }
    Ok(RULES
        .iter()
        .map(|rule| {
            let selected = settings.select.is_empty() || settings.select.iter().any(|s| s == rule.id);
            let level = settings
                .overrides
                .iter()
                .rev()
                .find(|(id, _)| id == rule.id)
                .map(|(_, l)| *l)
                .or_else(|| config.rule(rule.id).and_then(|r| r.severity.as_ref()).map(|s| *s.get_ref()));
            let state = match (selected, level) {
                (false, _) | (_, Some(Level::Off)) => None,
                (true, Some(level)) => Some(level.severity()),
                (true, None) => Some(None),
            };
            (rule.id, state)
        })
        .collect())
}

/// Deterministic order: path, position, rule, message.
pub fn sort(project: &Project, findings: &mut [Finding]) {
    findings.sort_by_cached_key(|f| sort_key(project, f));
}

fn sort_key(project: &Project, f: &Finding) -> (PathBuf, Span, &'static str, String) {
    (project.sources.path(f.primary.loc.file).to_path_buf(), f.primary.loc.span, f.rule, f.message.clone())
}

/// Reads, parses and builds every file in parallel, without a config.
pub fn load(files: &[Candidate]) -> Project {
    load_with_config(files, &Loaded::default())
}

/// One file as read, parsed and built. Its tree is not kept: what later steps need of it
/// (inline suppressions) is taken out here, and baselines and drift parse again the few
/// files they look at.
#[derive(Debug)]
pub struct LoadedFile {
    pub source: SourceFile,
    pub built: BuiltFile,
    pub problems: Vec<Problem>,
    /// Its `<!-- forcelint: ignore[...] -->` comments.
    pub suppressions: Vec<Suppression>,
}

impl LoadedFile {
    /// Parses and builds `text`, the content of file `id`, `source`.
    pub fn parse(id: FileId, kind: MetadataKind, full_name: &str, source: SourceFile, text: &str) -> LoadedFile {
        let mut problems = Vec::new();
        let (built, suppressions) = match kind.parse(text) {
            Ok(doc) => (build_file(id, kind, full_name, &doc, &mut problems), suppress::inline(id, &doc)),
            Err(e) => (failed(id, e.span, e.message), Vec::new()),
        };
        // Collapsed here already, as findings are later: millions of problems kept until the
        // rules run made gigabytes.
        let problems = collapse_problems(problems);
        LoadedFile { source, built, problems, suppressions }
    }

    /// A file that could not be read, or not as UTF-8: `text` is what can be shown of it.
    pub fn unreadable(id: FileId, path: PathBuf, text: String, offset: usize, message: String) -> LoadedFile {
        LoadedFile {
            source: SourceFile::partial(path, text),
            built: failed(id, Span::new(offset, offset), message),
            problems: Vec::new(),
            suppressions: Vec::new(),
        }
    }
}

/// Reads, parses and builds every file in parallel; one bad file never stops the others.
/// The config file, if any, becomes the last source so findings can point into it.
pub fn load_with_config(files: &[Candidate], config: &Loaded) -> Project {
    // Permission sets last, and only those an app assigns: no rule reads the others.
    let (sets, first): (Vec<&Candidate>, Vec<&Candidate>) =
        files.iter().partition(|c| c.kind == MetadataKind::PermissionSet);
    let mut loaded = load_files(&first, 0);
    let assigned = assigned_permission_sets(&loaded, |_| true);
    let sets = permission_sets_named(&sets, &assigned);
    let more = load_files(&sets, loaded.len());
    loaded.extend(more);
    assemble(loaded, config, config_display(config))
}

/// The permission sets the apps of `loaded` assign, of the app files `include` accepts (by
/// index in `loaded`).
fn assigned_permission_sets(loaded: &[LoadedFile], include: impl Fn(usize) -> bool) -> Vec<&str> {
    let mut names = Vec::new();
    for (i, file) in loaded.iter().enumerate() {
        let sets = match &file.built {
            BuiltFile::ConnectedApp(app) => &app.permission_sets,
            BuiltFile::EcaPart(part) => &part.permission_sets,
            _ => continue,
        };
        if include(i) {
            names.extend(sets.iter().map(|s| s.value.as_str()));
        }
    }
    names
}

/// Of the permission-set files, those `names` assign (as [`same_permission_set`] compares).
fn permission_sets_named<'c>(sets: &[&'c Candidate], names: &[&str]) -> Vec<&'c Candidate> {
    if names.is_empty() {
        return Vec::new();
    }
    sets.iter()
        .filter(|c| {
            let name = decode_full_name(&c.full_name);
            names.iter().any(|n| same_permission_set(n, &name))
        })
        .copied()
        .collect()
}

/// For files named on the command line (the pre-commit case): those files and, of the
/// others, what findings with a location in them can depend on. A finding is reported in
/// every file it points into, and org-level findings name every app they break, so every
/// app, external client app file, org and profile session settings file is read: they are
/// small. Of the profiles, often most of a project's bytes, only the named ones and those
/// some app is assigned to (or the config names) are read; all of them when an app whose
/// findings are reported (a named one, or any for a named org settings, profile, permission
/// set or session settings file) has OAuth settings and is assigned none, or one not in the
/// repository: what all the profiles show decides its `enforced-ip-restrictions` finding.
/// Permission sets: the named ones and those some app assigns.
/// `deferred` finds the permission sets of the given names that the walk did not look for.
pub fn load_context(
    files: &[Candidate],
    named: &[PathBuf],
    config: &Loaded,
    deferred: &dyn Fn(&[&str]) -> Vec<Candidate>,
) -> Project {
    use MetadataKind::*;
    let is_named = |c: &Candidate| named.contains(&c.path);
    let first: Vec<&Candidate> = files.iter().filter(|c| !matches!(c.kind, Profile | PermissionSet)).collect();
    let mut loaded = load_files(&first, 0);

    // Each app's profile assignments (an external client app's are spread over its files),
    // and whether it has OAuth settings.
    #[derive(PartialEq, Eq, PartialOrd, Ord)]
    enum AppKey<'a> {
        /// A connected app: one file.
        File(usize),
        /// An external client app: the files that name it.
        Eca(&'a str),
    }
    let mut apps: BTreeMap<AppKey, (bool, &str, Vec<&str>)> = BTreeMap::new();
    let mut named_apps: Vec<&str> = Vec::new();
    let mut assigned_sets: Vec<&str> = Vec::new();
    for (i, (file, candidate)) in loaded.iter().zip(&first).enumerate() {
        let (key, name, oauth, profiles, sets) = match &file.built {
            BuiltFile::ConnectedApp(app) => {
                (AppKey::File(i), app.name.as_str(), app.oauth.is_some(), &app.profiles, &app.permission_sets)
            }
            BuiltFile::EcaPart(part) => {
                let name = part.app_name.as_ref().map_or("", |n| n.value.as_str());
                (
                    AppKey::Eca(name),
                    name,
                    part.kind != EcaPolicies && part.kind != ExternalClientApplication,
                    &part.profiles,
                    &part.permission_sets,
                )
            }
            _ => continue,
        };
        if is_named(candidate) {
            named_apps.push(name);
        }
        let app = apps.entry(key).or_default();
        app.0 |= oauth;
        app.1 = name;
        app.2.extend(profiles.iter().map(|p| p.value.as_str()));
        assigned_sets.extend(sets.iter().map(|p| p.value.as_str()));
    }
    // A named profile, with any other of its name: the first by path is the one apps get.
    let profile_names: Vec<(&Candidate, String)> =
        files.iter().filter(|c| c.kind == Profile).map(|c| (c, decode_full_name(&c.full_name))).collect();
    let in_repository = |name: &str| profile_names.iter().any(|(_, p)| same_profile(name, p));
    // Apps whose own findings are reported: the named ones, or all of them when an org
    // settings, profile or session settings file is named.
    let org_level = files.iter().any(|c| {
        is_named(c) && (c.kind.is_org_settings() || matches!(c.kind, ProfileSessionSetting | Profile | PermissionSet))
    });
    // The integration user's profile of such an app is not known (none assigned, or one
    // not in the repository): what all the profiles show decides its findings.
    let all_profiles = apps.values().any(|(oauth, name, profiles)| {
        let configured = config.app(name).and_then(|a| a.profile.as_ref()).map(|p| p.get_ref().as_str());
        let unknown = match configured {
            Some(profile) => !in_repository(profile),
            None => profiles.is_empty() || profiles.iter().any(|p| !in_repository(p)),
        };
        (org_level || named_apps.contains(name)) && *oauth && unknown
    });
    let mut assigned: Vec<&str> = apps.into_values().flat_map(|(_, _, profiles)| profiles).collect();
    // The config can name an app's profile too.
    assigned.extend(config.config.apps.values().filter_map(|app| Some(app.profile.as_ref()?.get_ref().as_str())));
    assigned.extend(profile_names.iter().filter(|(c, _)| is_named(c)).map(|(_, name)| name.as_str()));
    let profiles: Vec<&Candidate> = profile_names
        .iter()
        .filter(|(_, name)| all_profiles || assigned.iter().any(|a| same_profile(a, name)))
        .map(|(c, _)| *c)
        .collect();
    let looked_up = if assigned_sets.is_empty() { Vec::new() } else { deferred(&assigned_sets) };
    let set_files: Vec<&Candidate> = files.iter().filter(|c| c.kind == PermissionSet).chain(&looked_up).collect();
    let mut sets = permission_sets_named(&set_files, &assigned_sets);
    let extra: Vec<&Candidate> =
        set_files.iter().filter(|c| is_named(c) && !sets.iter().any(|s| std::ptr::eq(*s, **c))).copied().collect();
    sets.extend(extra);
    let more: Vec<&Candidate> = profiles.into_iter().chain(sets).collect();
    let more = load_files(&more, loaded.len());
    loaded.extend(more);
    assemble(loaded, config, config_display(config))
}

/// Reads, parses and builds `files` in parallel, numbered from `first_id`.
fn load_files(files: &[&Candidate], first_id: usize) -> Vec<LoadedFile> {
    let cwd = std::env::current_dir().unwrap_or_default();
    files
        .par_iter()
        .enumerate()
        .map(|(i, c)| {
            let id = FileId((first_id + i) as u32);
            let display = display_path(&c.path, &cwd);
            match read(&c.path) {
                // The text is dropped once parsed; reports read it again if they show it.
                Ok((text, disk)) => {
                    LoadedFile::parse(id, c.kind, &c.full_name, SourceFile::on_disk(display, disk), &text)
                }
                Err(ReadError { message, offset, text }) => LoadedFile::unreadable(id, display, text, offset, message),
            }
        })
        .collect()
}

fn config_display(config: &Loaded) -> Option<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    config.path.as_ref().map(|p| display_path(p, &cwd))
}

/// Joins read and built files, in `FileId` order, into a project. The config file, if any,
/// becomes the last source (its text under `config_display`) so findings can point into it.
pub fn assemble(files: Vec<LoadedFile>, config: &Loaded, config_display: Option<PathBuf>) -> Project {
    let mut sources = Sources::default();
    let mut built = Vec::with_capacity(files.len());
    let mut problems = Vec::new();
    let mut suppressions = Vec::new();
    for file in files {
        sources.add(file.source);
        built.push(file.built);
        problems.extend(file.problems);
        suppressions.extend(file.suppressions);
    }
    let config_file = config_display.map(|path| sources.add(SourceFile::new(path, config.text.clone())));
    let declared = |name: &str| -> Option<(Purpose, Location)> {
        let purpose = config.app(name)?.purpose.as_ref()?;
        let span = purpose.span();
        Some((
            Purpose::from_name(purpose.get_ref())?,
            Location { file: config_file?, span: Span::new(span.start, span.end) },
        ))
    };
    let mut project = Project::assemble(sources, built, problems, &declared);
    project.inline_suppressions = suppressions;
    project.config_file = config_file;
    project
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

fn read(path: &Path) -> Result<(String, OnDisk), ReadError> {
    let plain = |message: String| ReadError { message, offset: 0, text: String::new() };
    // Checked before opening: opening a named pipe would wait for a writer.
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
    let disk = OnDisk { path: path.to_path_buf(), len: bytes.len() as u64, modified: meta.modified().ok() };
    let text = String::from_utf8(bytes).map_err(|e| {
        let bytes = e.as_bytes();
        if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
            return plain("the file is UTF-16; Salesforce metadata is UTF-8: convert it to UTF-8".into());
        }
        let valid = e.utf8_error().valid_up_to();
        let text = String::from_utf8_lossy(&bytes[..valid]).into_owned();
        ReadError { message: format!("the file is not valid UTF-8 (byte {valid})"), offset: valid, text }
    })?;
    Ok((text, disk))
}

fn display_path(path: &Path, cwd: &Path) -> PathBuf {
    path.strip_prefix(cwd).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(file: u32, start: usize, message: &str) -> Finding {
        let loc = Location { file: FileId(file), span: Span::new(start, start + 1) };
        Finding::new("invalid-policy-value", Severity::Error, message, loc, "here")
    }

    #[test]
    fn many_identical_findings_in_a_file_are_one_with_their_count() {
        let mut all: Vec<Finding> = (0..SAME_IN_A_FILE).map(|i| finding(0, 10 - i, "few")).collect();
        all.extend((0..1000).map(|i| finding(1, 1000 - i, "many")));
        all.extend((0..1000).map(|i| finding(2, i, &format!("distinct {i}"))));
        let out = collapse(all);
        assert_eq!(out.iter().filter(|f| f.message == "few").count(), SAME_IN_A_FILE);
        let many: Vec<&Finding> = out.iter().filter(|f| f.message.starts_with("many")).collect();
        assert_eq!(many.len(), 1);
        assert_eq!(many[0].message, "many (this finding occurs 1000 times in this file; the first is shown)");
        assert_eq!(many[0].primary.loc.span.start, 1, "the first in the file");
        assert_eq!(out.iter().filter(|f| f.message.starts_with("distinct")).count(), 1000);
    }

    #[test]
    fn long_values_are_cut_around_an_ellipsis() {
        let value = format!("{}{}", "a".repeat(10_000), "z".repeat(100));
        let mut f = finding(0, 0, &format!("`refreshTokenPolicy` is `{value}`, which Salesforce does not accept"));
        shorten(&mut f);
        let expected = format!(
            "`refreshTokenPolicy` is `{}…{}` (10100 characters), which Salesforce does not accept",
            "a".repeat(MAX_VALUE * 3 / 4),
            "z".repeat(MAX_VALUE / 4)
        );
        assert_eq!(f.message, expected);
        let mut short = finding(0, 0, "`a` is `b`");
        shorten(&mut short);
        assert_eq!(short.message, "`a` is `b`");
    }
}

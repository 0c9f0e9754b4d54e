//! Pull-request mode: which metadata files changed since a git revision, and how their
//! policy values moved (`refreshTokenPolicy: infinite → zero`).
//!
//! Git runs locally as a subprocess; nothing is fetched.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::model::{MetadataKind, Project};
use crate::source::{FileId, Location};
use crate::xml::{Element, Span};

/// Elements whose values decide whether an integration keeps working.
const WATCHED: [&str; 33] = [
    // Connected apps
    "refreshTokenPolicy",
    "ipRelaxation",
    "sessionTimeout",
    "sessionLevel",
    "policyAction",
    "isClientCredentialEnabled",
    "oauthClientCredentialUser",
    "isRefreshTokenRotationEnabled",
    "scopes",
    "certificate",
    "isAdminApproved",
    "isPkceRequired",
    "profileName",
    "permissionSetName",
    // External client apps
    "refreshTokenPolicyType",
    "refreshTokenValidityPeriod",
    "refreshTokenValidityUnit",
    "ipRelaxationPolicyType",
    "sessionTimeoutInMinutes",
    "requiredSessionLevel",
    "isClientCredentialsFlowEnabled",
    "clientCredentialsFlowUser",
    "commaSeparatedOauthScopes",
    "commaSeparatedProfile",
    "commaSeparatedPermissionSet",
    "permittedUsersPolicyType",
    // Org and profiles
    "lockSessionsToIp",
    "enforceIpRangesEveryRequest",
    "loginIpRanges",
    "expiration",
    "blockOAuthUnPwFlow",
    "blockOAuthUsrAgtFlow",
    "enableAdminApprovedAppsOnly",
];

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift {
    /// The app the file belongs to, or the file name for org settings and profiles.
    pub subject: String,
    /// Element path, e.g. `ConnectedApp/oauthPolicy/refreshTokenPolicy`.
    pub element: String,
    /// `None` when the element did not exist (or the file was new).
    pub before: Option<String>,
    pub after: Option<String>,
    /// The file, as shown elsewhere in the report.
    pub path: String,
    /// Where the value is now; `None` when the file was deleted.
    #[serde(skip)]
    pub loc: Option<Location>,
}

/// The changed files since `rev`, including uncommitted and untracked ones, in the git
/// repository that holds `dir`: its root and the files, as canonical paths (see
/// [`canonical`]), sorted.
pub fn changed_files(dir: &Path, rev: &str) -> Result<(PathBuf, Vec<PathBuf>), String> {
    let top = git_text(dir, &["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
    let top = canonical(&top);
    git(dir, &["rev-parse", "--verify", "--quiet", &format!("{rev}^{{commit}}")])
        .map_err(|_| format!("`{rev}` is not a git revision here"))?;
    let mut files: Vec<PathBuf> = Vec::new();
    for args in [
        vec!["diff", "--name-only", "-z", "--no-renames", rev, "--"],
        vec!["ls-files", "--others", "--exclude-standard", "-z"],
    ] {
        let out = git(&top, &args)?;
        // Names are bytes: one that is not UTF-8 is a name like any other.
        files.extend(out.split(|&b| b == 0).filter(|p| !p.is_empty()).map(|p| top.join(path_from_bytes(p))));
    }
    files.sort();
    files.dedup();
    Ok((top, files))
}

#[cfg(unix)]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
}

#[cfg(not(unix))]
fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
}

/// `path` with links and `..` resolved, so that paths spelt differently compare equal; a
/// file that is gone (deleted since the revision) by its folder's canonical path.
pub fn canonical(path: &Path) -> PathBuf {
    if let Ok(path) = std::fs::canonicalize(path) {
        return path;
    }
    match (path.parent().and_then(|p| std::fs::canonicalize(p).ok()), path.file_name()) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => path.to_path_buf(),
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    // In a partial clone, `git show` could fetch old blobs from the remote: never.
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_NO_LAZY_FETCH", "1")
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

fn git_text(dir: &Path, args: &[&str]) -> Result<String, String> {
    String::from_utf8(git(dir, args)?).map_err(|_| "git printed something that is not UTF-8".to_string())
}

/// The watched values that differ between `rev` and now, for every changed file: the
/// sources `changed_sources` (with their canonical paths), and the files of `changed`
/// (canonical, sorted) that are gone.
pub fn drift(
    project: &Project,
    changed_sources: &[(FileId, PathBuf)],
    changed: &[PathBuf],
    top: &Path,
    rev: &str,
) -> Vec<Drift> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let mut out = Vec::new();
    let mut seen: Vec<PathBuf> = Vec::new();
    for (id, absolute) in changed_sources {
        let id = *id;
        if project.config_file == Some(id) {
            continue;
        }
        seen.push(absolute.clone());
        // Trees are not kept after loading: the few changed files are parsed again.
        let source = project.sources.get(id);
        let Some(kind) = MetadataKind::of_path(absolute) else { continue };
        let Some(now) = (!source.partial).then(|| kind.parse(source.text()).ok()).flatten() else { continue };
        let Ok(relative) = absolute.strip_prefix(top) else { continue };
        let spec = format!("{rev}:{}", relative.to_string_lossy().replace('\\', "/"));
        let before_text = git_text(top, &["show", &spec]).ok();
        let before_doc = before_text.as_deref().and_then(|t| kind.parse(t).ok());
        let before = before_doc.as_ref().map(|d| watched(&d.root)).unwrap_or_default();
        let after = watched(&now.root);
        let path = project.sources.path(id).to_string_lossy().replace('\\', "/");
        compare(&mut out, subject(project, id), path, &before, &after, |span| {
            Some(Location { file: id, span: span.unwrap_or(now.root.name_span) })
        });
    }
    // Deleted metadata files: every watched value they had is gone.
    for absolute in changed.iter().filter(|p| !seen.contains(p) && !p.exists()) {
        let Some((kind, full_name)) =
            absolute.file_name().and_then(|n| n.to_str()).and_then(MetadataKind::from_file_name)
        else {
            continue;
        };
        let Ok(relative) = absolute.strip_prefix(top) else { continue };
        let relative = relative.to_string_lossy().replace('\\', "/");
        let Some(doc) = git_text(top, &["show", &format!("{rev}:{relative}")]).ok().and_then(|t| kind.parse(&t).ok())
        else {
            continue;
        };
        let path =
            absolute.strip_prefix(canonical(&cwd)).map_or(relative.clone(), |p| p.to_string_lossy().replace('\\', "/"));
        compare(&mut out, full_name.to_string(), path, &watched(&doc.root), &BTreeMap::new(), |_| None);
    }
    out
}

type Watched = BTreeMap<String, (String, Span)>;

/// One entry per watched element whose value differs.
fn compare(
    out: &mut Vec<Drift>,
    subject: String,
    path: String,
    before: &Watched,
    after: &Watched,
    loc: impl Fn(Option<Span>) -> Option<Location>,
) {
    let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (b, a) = (before.get(key), after.get(key));
        if b.map(|v| &v.0) == a.map(|v| &v.0) {
            continue;
        }
        out.push(Drift {
            subject: subject.clone(),
            element: key.clone(),
            before: b.map(|v| v.0.clone()),
            after: a.map(|v| v.0.clone()),
            path: path.clone(),
            loc: loc(a.map(|v| v.1)),
        });
    }
}

/// The app a file belongs to, else the file's name.
fn subject(project: &Project, id: FileId) -> String {
    project.apps.iter().find(|a| a.files.contains(&id)).map(|a| a.name.clone()).unwrap_or_else(|| {
        project.sources.path(id).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    })
}

/// Element path → (value, span of the first occurrence). Repeated elements (scopes,
/// ranges) are joined in document order.
fn watched(root: &Element) -> Watched {
    let mut out: Watched = BTreeMap::new();
    let mut stack: Vec<(String, &Element)> = vec![(root.name.clone(), root)];
    while let Some((path, element)) = stack.pop() {
        for child in element.elements() {
            let child_path = format!("{path}/{}", child.name);
            if WATCHED.contains(&child.name.as_str()) {
                let value = value(child);
                let span = child.text().map_or(child.name_span, |t| t.span);
                out.entry(child_path)
                    .and_modify(|(v, _)| {
                        v.push_str(", ");
                        v.push_str(&value);
                    })
                    .or_insert((value, span));
            } else {
                stack.push((child_path, child));
            }
        }
    }
    out
}

/// Text, or for elements with children (IP ranges) their values; certificates abridged.
fn value(element: &Element) -> String {
    if element.name == "certificate" {
        return if element.text().is_some() { "present".into() } else { "empty".into() };
    }
    let part = |name: &str| element.child(name).and_then(Element::text).map(|t| t.value);
    if let (Some(start), Some(end)) = (part("startAddress"), part("endAddress")) {
        return format!("{start}–{end}");
    }
    match element.text() {
        Some(t) => t.value,
        None => {
            let parts: Vec<String> = element.elements().filter_map(|c| c.text().map(|t| t.value)).collect();
            parts.join("–")
        }
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".to_string());
        let leaf = self.element.rsplit('/').next().unwrap_or(&self.element);
        write!(f, "{}: {leaf}: {} → {}", self.subject, show(&self.before), show(&self.after))
    }
}

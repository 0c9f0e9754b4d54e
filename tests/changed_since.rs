//! Pull-request mode on a scratch git repository built by the test.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const APPS: &str = "force-app/main/default/connectedApps";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn app(name: &str, relaxation: &str, refresh: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>{relaxation}</ipRelaxation>\n        <refreshTokenPolicy>{refresh}</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A repository with two apps, both with expiring tokens, committed as `base`.
fn scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "sfdx-project.json", r#"{"packageDirectories":[{"path":"force-app"}]}"#);
    write(d, &format!("{APPS}/Sync.connectedApp-meta.xml"), &app("Sync", "BYPASS", "infinite"));
    write(d, &format!("{APPS}/Old.connectedApp-meta.xml"), &app("Old", "BYPASS", "zero"));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    git(d, &["tag", "base"]);
    dir
}

fn check(dir: &Path, format: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(dir)
        .args(["check", "--changed-since", "base", "--format", format, "--color", "never"])
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap(), text)
}

#[test]
fn only_changed_apps_are_reported_with_their_drift() {
    let repo = scratch();
    let d = repo.path();
    // Nothing changed: the old app's finding is not this change's business.
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(d)
        .args(["check", "--changed-since", "base", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]));
    assert_eq!(report["drift"]["changes"], serde_json::json!([]));

    // Sync's refresh tokens now expire; Old is untouched.
    write(d, &format!("{APPS}/Sync.connectedApp-meta.xml"), &app("Sync", "BYPASS", "zero"));
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(d)
        .args(["check", "--changed-since", "base", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let apps: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["app"]["name"].as_str().unwrap()).collect();
    assert_eq!(apps, ["Sync"]);
    let drift = &report["drift"];
    assert_eq!(drift["since"], "base");
    let changes = drift["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["subject"], "Sync");
    assert_eq!(changes[0]["element"], "ConnectedApp/oauthPolicy/refreshTokenPolicy");
    assert_eq!(changes[0]["before"], "infinite");
    assert_eq!(changes[0]["after"], "zero");
    assert_eq!(changes[0]["location"]["start"]["line"], 11);

    let (_, human) = check(d, "human");
    assert!(human.contains("Sync: refreshTokenPolicy: infinite → zero"), "{human}");
    let (_, markdown) = check(d, "markdown");
    assert!(markdown.contains("`refreshTokenPolicy`") && markdown.contains("`infinite` → `zero`"), "{markdown}");
}

#[test]
fn new_untracked_and_deleted_values_count_as_drift() {
    let repo = scratch();
    let d = repo.path();
    write(d, &format!("{APPS}/Fresh.connectedApp-meta.xml"), &app("Fresh", "ENFORCE", "infinite"));
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(d)
        .args(["check", "--changed-since", "base", "--format", "json", "--fail-on", "never"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let subjects: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["app"]["name"].as_str().unwrap()).collect();
    assert_eq!(subjects, ["Fresh"]);
    let changes = report["drift"]["changes"].as_array().unwrap();
    assert!(changes.iter().all(|c| c["subject"] == "Fresh" && c["before"].is_null()), "{changes:?}");
    assert!(changes.iter().any(|c| c["element"] == "ConnectedApp/oauthPolicy/ipRelaxation" && c["after"] == "ENFORCE"));
}

#[test]
fn a_bad_revision_is_a_run_failure() {
    let repo = scratch();
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(repo.path())
        .args(["check", "--changed-since", "no-such-ref"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`no-such-ref` is not a git revision here"));
}

#[test]
fn a_deleted_app_file_shows_what_was_removed() {
    let repo = scratch();
    let d = repo.path();
    std::fs::remove_file(d.join(format!("{APPS}/Old.connectedApp-meta.xml"))).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(d)
        .args(["check", "--changed-since", "base", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let changes = report["drift"]["changes"].as_array().unwrap();
    let refresh = changes.iter().find(|c| c["element"] == "ConnectedApp/oauthPolicy/refreshTokenPolicy").unwrap();
    assert_eq!(refresh["subject"], "Old");
    assert_eq!(refresh["before"], "zero");
    assert!(refresh["after"].is_null() && refresh["location"].is_null());
    assert_eq!(refresh["path"], "force-app/main/default/connectedApps/Old.connectedApp-meta.xml");
    let (_, human) = check(d, "human");
    assert!(human.contains("Old: refreshTokenPolicy: zero → (absent)"), "{human}");
    assert!(human.contains("deleted)"), "{human}");
}

/// `--changed-since` on `paths`, run in `cwd`: exit status and the reported finding count.
fn changed_findings(cwd: &Path, paths: &[&Path]) -> (i32, usize, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(cwd)
        .args(["check", "--changed-since", "base", "--format", "json"])
        .args(paths)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let n = report["findings"].as_array().map_or(0, Vec::len);
    (out.status.code().unwrap(), n, stderr)
}

#[test]
fn paths_with_dot_dot_or_through_a_link_match_the_changed_files() {
    let repo = scratch();
    let d = repo.path();
    write(d, &format!("{APPS}/Sync.connectedApp-meta.xml"), &app("Sync", "BYPASS", "zero"));
    let direct = changed_findings(d, &[Path::new(".")]);
    assert_eq!((direct.0, direct.1), (1, 1), "{}", direct.2);
    let dotted = d.join("force-app/../force-app");
    let file = d.join("force-app/main/../main/default/connectedApps/Sync.connectedApp-meta.xml");
    let link = tempfile::tempdir().unwrap();
    let linked = link.path().join("repo");
    std::os::unix::fs::symlink(d, &linked).unwrap();
    for path in [dotted, file, linked.clone(), linked.join(APPS).join("Sync.connectedApp-meta.xml")] {
        let (code, n, stderr) = changed_findings(d, &[&path]);
        assert_eq!((code, n), (1, 1), "{path:?}: {stderr}");
    }
    // Run from inside the link too.
    let (code, n, stderr) = changed_findings(&linked, &[Path::new(".")]);
    assert_eq!((code, n), (1, 1), "{stderr}");
}

#[test]
fn a_changed_file_whose_name_is_not_utf8_does_not_fail_the_run() {
    use std::os::unix::ffi::OsStrExt;
    let repo = scratch();
    let d = repo.path();
    let name = std::ffi::OsStr::from_bytes(b"notes-\xff.txt");
    if std::fs::write(d.join(name), "x").is_err() {
        eprintln!("skipped: the file system refuses names that are not UTF-8");
        return;
    }
    write(d, &format!("{APPS}/Sync.connectedApp-meta.xml"), &app("Sync", "BYPASS", "zero"));
    let (code, n, stderr) = changed_findings(d, &[Path::new(".")]);
    assert_eq!((code, n), (1, 1), "{stderr}");
}

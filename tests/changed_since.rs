//! Pull-request mode on a scratch git repository built by the test.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{git, write};

const APPS: &str = "force-app/main/default/connectedApps";

fn app(name: &str, relaxation: &str, refresh: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>{relaxation}</ipRelaxation>\n        <refreshTokenPolicy>{refresh}</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
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

/// An org with two offline apps: `Sync` pre-authorized for the Integration profile, `Feed`
/// for no profile (it inherits the org's session timeout). Clean at `base`.
fn org_scratch() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    write(d, "sfdx-project.json", r#"{"packageDirectories":[{"path":"force-app"}]}"#);
    let sync = app("Sync", "ENFORCE", "infinite")
        .replace("</ConnectedApp>", "    <profileName>Integration</profileName>\n</ConnectedApp>");
    write(d, &format!("{APPS}/Sync.connectedApp-meta.xml"), &sync);
    write(d, &format!("{APPS}/Feed.connectedApp-meta.xml"), &app("Feed", "ENFORCE_RELAXREFRESH", "infinite"));
    write(d, SETTINGS, &settings("TwoHours"));
    write(d, PROFILE, &profile(""));
    write(d, SESSION, &session_setting(120));
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    git(d, &["tag", "base"]);
    dir
}

const SETTINGS: &str = "force-app/main/default/settings/Security.settings-meta.xml";
const PROFILE: &str = "force-app/main/default/profiles/Integration.profile-meta.xml";
const SESSION: &str = "force-app/main/default/profileSessionSettings/Integration_profileSessionSetting1712345678901.profileSessionSetting-meta.xml";

fn settings(timeout: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SecuritySettings xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <sessionSettings>\n        <sessionTimeout>{timeout}</sessionTimeout>\n    </sessionSettings>\n</SecuritySettings>\n"
    )
}

fn profile(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <custom>true</custom>\n{body}    <userLicense>Salesforce Integration</userLicense>\n</Profile>\n"
    )
}

fn session_setting(minutes: u32) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProfileSessionSetting xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <profile>integration</profile>\n    <sessionTimeout>{minutes}</sessionTimeout>\n</ProfileSessionSetting>\n"
    )
}

/// A finding as (rule, app).
type Reported = (String, String);

/// (rule, app) of each finding, and the exit status, of `forcelint check ARGS` in `dir`.
fn reported(dir: &Path, args: &[&str]) -> (i32, Vec<Reported>) {
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let report: Value =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut found: Vec<Reported> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["rule"].as_str().unwrap().to_string(), f["app"]["name"].as_str().unwrap_or("-").to_string()))
        .collect();
    found.sort();
    (out.status.code().unwrap(), found)
}

/// A change to an org-level file is reported with the apps it breaks, both when that file
/// alone is linted (a pre-commit hook) and with `--changed-since`; the exit status follows.
#[test]
fn a_change_to_an_org_level_file_reports_the_apps_it_breaks() {
    let hours = "    <loginHours>\n        <mondayEnd>1020</mondayEnd>\n        <mondayStart>480</mondayStart>\n    </loginHours>\n";
    let ranges = "    <loginIpRanges>\n        <endAddress>203.0.113.255</endAddress>\n        <startAddress>203.0.113.0</startAddress>\n    </loginIpRanges>\n";
    let pair = |rule: &str, app: &str| (rule.to_string(), app.to_string());
    // (the file changed, its new text, the findings then reported)
    let cases: [(&str, String, Vec<Reported>); 4] = [
        // The org's timeout shortened: Feed inherits it (Sync has its profile's).
        (SETTINGS, settings("ThirtyMinutes"), vec![pair("short-session-timeout", "Feed")]),
        // The profile's session setting shortened: Sync.
        (SESSION, session_setting(30), vec![pair("short-session-timeout", "Sync")]),
        // Login IP ranges on the profile: Sync enforces them; Feed (profile unknown) is
        // relaxed for refresh tokens, the right value for it.
        (PROFILE, profile(ranges), vec![pair("enforced-ip-restrictions", "Sync")]),
        (PROFILE, profile(hours), vec![pair("integration-login-hours", "Sync")]),
    ];
    for (file, text, expected) in cases {
        let repo = org_scratch();
        let d = repo.path();
        assert_eq!(reported(d, &[file]), (0, vec![]), "{file} at base");
        assert_eq!(reported(d, &["--changed-since", "base"]), (0, vec![]), "{file} at base");
        write(d, file, &text);
        assert_eq!(reported(d, &[file]), (1, expected.clone()), "{file} named");
        assert_eq!(reported(d, &["--changed-since", "base"]), (1, expected.clone()), "{file} changed");
        // Named together with an unchanged app file: the same findings, no more.
        let other = format!("{APPS}/Feed.connectedApp-meta.xml");
        let (_, with_app) = reported(d, &[file, &other]);
        assert!(expected.iter().all(|e| with_app.contains(e)), "{file}: {with_app:?}");
    }
}

//! Issue 11 C: `OauthOidc.settings`, `ConnectedApp.settings` and permission sets are read as
//! context of named files and `--changed-since`, and reported with the findings they cause.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

mod common;
use common::{git, write};

const NS: &str = "http://soap.sforce.com/2006/04/metadata";
const D: &str = "force-app/main/default";

/// A JWT integration for profile `Tracking`, with API Enabled off in the profile and granted
/// by the permission set the app assigns; an integration that logs in with a password; the
/// org blocks the username-password flow; and many permission sets no app assigns.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "sfdx-project.json", r#"{"packageDirectories":[{"path":"force-app"}]}"#);
    write(
        d,
        &format!("{D}/connectedApps/Tracker.connectedApp-meta.xml"),
        &format!(
            "<ConnectedApp xmlns=\"{NS}\">\n<label>Tracker</label>\n<oauthConfig>\n<callbackUrl>https://example.org/cb</callbackUrl>\n<certificate>MIIC</certificate>\n<isAdminApproved>true</isAdminApproved>\n<scopes>Api</scopes>\n</oauthConfig>\n<permissionSetName>Tracking_Api</permissionSetName>\n<profileName>Tracking</profileName>\n</ConnectedApp>\n"
        ),
    );
    write(
        d,
        &format!("{D}/connectedApps/Loader.connectedApp-meta.xml"),
        &format!(
            "<ConnectedApp xmlns=\"{NS}\">\n<label>Loader</label>\n<oauthConfig>\n<callbackUrl>https://example.org/cb</callbackUrl>\n<isClientCredentialEnabled>false</isClientCredentialEnabled>\n<oauthClientCredentialUser>loader@example.org</oauthClientCredentialUser>\n<scopes>Api</scopes>\n</oauthConfig>\n</ConnectedApp>\n"
        ),
    );
    write(d, &format!("{D}/profiles/Tracking.profile-meta.xml"), &profile_with_api("false"));
    write(d, &format!("{D}/permissionsets/Tracking_Api.permissionset-meta.xml"), &permission_set("true"));
    for i in 0..50 {
        write(d, &format!("{D}/permissionsets/Unused_{i}.permissionset-meta.xml"), "not even XML");
    }
    write(
        d,
        &format!("{D}/settings/OauthOidc.settings-meta.xml"),
        &format!(
            "<OauthOidcSettings xmlns=\"{NS}\">\n<blockOAuthUnPwFlow>true</blockOAuthUnPwFlow>\n</OauthOidcSettings>\n"
        ),
    );
    dir
}

fn profile_with_api(enabled: &str) -> String {
    format!(
        "<Profile xmlns=\"{NS}\">\n<custom>true</custom>\n<userPermissions>\n<enabled>{enabled}</enabled>\n<name>ApiEnabled</name>\n</userPermissions>\n</Profile>\n"
    )
}

fn permission_set(api: &str) -> String {
    format!(
        "<PermissionSet xmlns=\"{NS}\">\n<label>Tracking API</label>\n<userPermissions>\n<enabled>{api}</enabled>\n<name>ApiEnabled</name>\n</userPermissions>\n</PermissionSet>\n"
    )
}

fn check(dir: &Path, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (rule, file name) of each finding.
fn found(report: &Value) -> Vec<(String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["location"]["path"].as_str().unwrap();
            (f["rule"].as_str().unwrap().to_string(), path.rsplit('/').next().unwrap().to_string())
        })
        .collect()
}

fn pair(rule: &str, file: &str) -> (String, String) {
    (rule.to_string(), file.to_string())
}

#[test]
fn unassigned_permission_sets_are_never_read() {
    let dir = project();
    // Fifty broken permission sets no app assigns: not read, so no parse errors.
    let report = check(dir.path(), &[]);
    let rules = found(&report);
    assert!(!rules.iter().any(|(r, _)| r == "parse-error"), "{rules:?}");
    assert!(!rules.iter().any(|(r, _)| r == "integration-api-disabled"), "the assigned set grants it: {rules:?}");
    assert!(rules.contains(&pair("oauth-flow-blocked", "OauthOidc.settings-meta.xml")), "{rules:?}");
    // Read: two apps, the profile, the settings and the one permission set an app assigns.
    assert_eq!(report["summary"]["files"], 5);
}

#[test]
fn a_named_context_file_reports_the_findings_it_causes() {
    let dir = project();
    let d = dir.path();
    write(d, &format!("{D}/permissionsets/Tracking_Api.permissionset-meta.xml"), &permission_set("false"));
    // The whole project: the profile turns the API off, and the set no longer grants it.
    let whole = found(&check(d, &[]));
    assert!(whole.contains(&pair("integration-api-disabled", "Tracking.profile-meta.xml")), "{whole:?}");

    // The permission set alone (as pre-commit passes it): the finding in the profile is
    // reported, as the set is one of its causes (a related label).
    let set = format!("{D}/permissionsets/Tracking_Api.permissionset-meta.xml");
    assert_eq!(found(&check(d, &[&set])), vec![pair("integration-api-disabled", "Tracking.profile-meta.xml")]);

    // The settings file alone: the blocked flow, found with the apps read as context.
    let settings = format!("{D}/settings/OauthOidc.settings-meta.xml");
    assert_eq!(found(&check(d, &[&settings])), vec![pair("oauth-flow-blocked", "OauthOidc.settings-meta.xml")]);

    // The app alone: its own findings, and the profile's, which is about it and has a label
    // in it (a finding belongs to every file it points into).
    let app = format!("{D}/connectedApps/Tracker.connectedApp-meta.xml");
    let alone = found(&check(d, &[&app]));
    assert!(alone.contains(&pair("integration-api-disabled", "Tracking.profile-meta.xml")), "{alone:?}");
    let others = alone.iter().filter(|(_, f)| f != "Tracker.connectedApp-meta.xml");
    assert_eq!(others.count(), 1, "{alone:?}");
}

#[test]
fn a_changed_permission_set_reports_the_findings_it_causes() {
    let dir = project();
    let d = dir.path();
    git(d, &["init", "-q", "-b", "main"]);
    git(d, &["add", "-A"]);
    git(d, &["commit", "-q", "-m", "base"]);
    let changed = |d: &Path| found(&check(d, &["--changed-since", "HEAD"]));
    assert_eq!(changed(d), vec![], "nothing changed");

    // Only the permission set changes: the profile and the app are untouched, and the
    // finding it causes is reported.
    write(d, &format!("{D}/permissionsets/Tracking_Api.permissionset-meta.xml"), &permission_set("false"));
    assert_eq!(changed(d), vec![pair("integration-api-disabled", "Tracking.profile-meta.xml")]);
    git(d, &["commit", "-q", "-am", "set"]);

    // The org unblocks the username-password flow, then blocks it again: the settings file
    // is the cause, reported with its drift.
    write(
        d,
        &format!("{D}/settings/OauthOidc.settings-meta.xml"),
        &format!(
            "<OauthOidcSettings xmlns=\"{NS}\">\n<blockOAuthUnPwFlow>false</blockOAuthUnPwFlow>\n</OauthOidcSettings>\n"
        ),
    );
    git(d, &["commit", "-q", "-am", "unblock"]);
    write(
        d,
        &format!("{D}/settings/OauthOidc.settings-meta.xml"),
        &format!(
            "<OauthOidcSettings xmlns=\"{NS}\">\n<blockOAuthUnPwFlow>true</blockOAuthUnPwFlow>\n</OauthOidcSettings>\n"
        ),
    );
    let report = check(d, &["--changed-since", "HEAD"]);
    assert_eq!(found(&report), vec![pair("oauth-flow-blocked", "OauthOidc.settings-meta.xml")]);
    let drift = report["drift"]["changes"].to_string();
    assert!(drift.contains("blockOAuthUnPwFlow") && drift.contains("false") && drift.contains("true"), "{drift}");
}

#[test]
fn a_named_profile_finds_the_permission_sets_of_its_apps_by_name() {
    let dir = project();
    let d = dir.path();
    let profile = format!("{D}/profiles/Tracking.profile-meta.xml");
    // The permission-set folder, beside other type folders, is not walked for context: the
    // set the app assigns is looked up by name, and it grants the API.
    assert_eq!(found(&check(d, &[&profile])), vec![]);
    write(d, &format!("{D}/permissionsets/Tracking_Api.permissionset-meta.xml"), &permission_set("false"));
    assert_eq!(found(&check(d, &[&profile])), vec![pair("integration-api-disabled", "Tracking.profile-meta.xml")]);
    // Ignored, it is not read (as by a run on the whole project), and may grant it.
    write(d, ".forceignore", "**/Tracking_Api.permissionset-meta.xml\n");
    assert_eq!(found(&check(d, &[&profile])), vec![]);
    assert_eq!(found(&check(d, &[])).iter().filter(|(r, _)| r == "integration-api-disabled").count(), 0);
}

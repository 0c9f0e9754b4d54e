//! `forcelint apps`: the app inventory.

use std::process::Command;

use serde_json::Value;

const DEMO: &str = "fixtures/projects/demo";

fn apps(format: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint")).args(["apps", DEMO, "--format", format]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn json_inventory_has_purpose_timeout_policies_and_counts() {
    let report: Value = serde_json::from_str(&apps("json")).unwrap();
    assert_eq!(report["version"], 1);
    let rows = report["apps"].as_array().unwrap();
    assert_eq!(rows.len(), 13);
    let row = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("{name}"));

    let erp = row("Nightly_ERP_Sync");
    assert_eq!(erp["type"], "ConnectedApp");
    assert_eq!(erp["purpose"], "integration");
    assert_eq!(erp["evidence"][0], "client-credentials flow enabled");
    assert_eq!(erp["session_timeout_minutes"], 30);
    assert_eq!(erp["session_timeout_source"], "org");
    assert_eq!(erp["refresh_token_policy"], "valid until revoked");
    assert_eq!(erp["ip_relaxation"], "enforced");
    assert_eq!(erp["profiles"], serde_json::json!(["ERP Integration"]));
    assert!(erp["errors"].as_u64().unwrap() >= 1);

    let loader = row("Data_Warehouse_Loader");
    assert_eq!(loader["session_timeout_minutes"], 240);
    assert_eq!(loader["session_timeout_source"], "app");
    assert_eq!(loader["refresh_token_policy"], "expires 90 days after issue");
    assert_eq!(loader["ip_relaxation"], "relaxed");

    let billing = row("Billing_Connector");
    assert_eq!(billing["type"], "ExternalClientApplication");
    assert_eq!(billing["refresh_token_policy"], "expires 365 days after issue");
    assert_eq!(billing["session_timeout_source"], "app");

    let warehouse = row("Warehouse_Scanner_Feed");
    assert_eq!(warehouse["ip_relaxation"], "enforced (default)");
    assert_eq!(warehouse["refresh_token_policy"], "valid until revoked (default)");
    // Its IP finding is suppressed in the demo config, so it is not counted; API Access
    // Control warns, as the app is not admin approved.
    assert_eq!(warehouse["warnings"], 1);
    assert_eq!(warehouse["pre_authorized"], "all users (self-authorize, default)");
    assert_eq!(
        warehouse["org_blocks"],
        serde_json::json!(["username-password flow", "API access (not admin approved)"])
    );

    let erp = row("Nightly_ERP_Sync");
    assert_eq!(erp["pre_authorized"], "ERP Integration");
    assert_eq!(erp["org_blocks"], serde_json::json!(["username-password flow"]));
    assert_eq!(row("Partner_Feed_JWT")["pre_authorized"], "nobody (admin approved)");
    assert_eq!(row("Billing_Connector")["pre_authorized"], "all users (self-authorize)");
    assert_eq!(
        row("Billing_Connector")["org_blocks"],
        serde_json::json!(["API access (not admin approved)"]),
        "external client apps have no username-password flow to block"
    );
}

#[test]
fn text_csv_and_markdown() {
    let text = apps("human");
    let header = text.lines().next().unwrap();
    for column in [
        "app",
        "type",
        "purpose",
        "session",
        "refresh token",
        "IP restrictions",
        "pre-authorized",
        "org blocks",
        "findings",
    ] {
        assert!(header.contains(column), "{header}");
    }
    assert!(text.contains("Partner_Feed_JWT"));
    // Every piece of evidence, under the table.
    let evidence = text.split("\nevidence:\n").nth(1).expect("an evidence section");
    assert!(
        evidence
            .lines()
            .any(|l| l.starts_with("  Nightly_ERP_Sync: integration (client-credentials flow enabled; runs as")),
        "{evidence}"
    );
    let jwt = text.lines().find(|l| l.starts_with("Partner_Feed_JWT ")).unwrap();
    assert!(jwt.contains("nobody (admin approved)"), "{jwt}");

    let csv = apps("csv");
    let mut lines = csv.split("\r\n");
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(head[0], "name");
    assert_eq!(head.len(), 15);
    let rows: Vec<&str> = lines.filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 13);
    // Fields with commas are quoted.
    let erp = rows.iter().find(|r| r.starts_with("Nightly_ERP_Sync,")).unwrap();
    assert!(erp.contains(",30,org,"), "{erp}");

    let md = apps("markdown");
    assert!(md.starts_with("| app | type | purpose |"));
    assert!(md.contains("| `Billing_Connector` | external client app |"));
}

/// An invalid value is an error of the app whose file holds it, though the finding is not
/// about the app's purpose (it has no app).
#[test]
fn an_invalid_policy_value_counts_as_an_error_of_its_app() {
    let dir = tempfile::tempdir().unwrap();
    let apps_dir = dir.path().join("connectedApps");
    std::fs::create_dir(&apps_dir).unwrap();
    std::fs::write(
        apps_dir.join("Bad.connectedApp-meta.xml"),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Bad</label>\n    <oauthConfig>\n        <callbackUrl>https://x.example.com/cb</callbackUrl>\n        <scopes>Api</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <refreshTokenPolicy>sometimes</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .args(["apps", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["apps"][0]["refresh_token_policy"], "invalid");
    assert_eq!(report["apps"][0]["errors"], 1, "{report}");
}

#[test]
fn apps_with_findings_come_first() {
    let report: Value = serde_json::from_str(&apps("json")).unwrap();
    let rows = report["apps"].as_array().unwrap();
    let total = |r: &Value| ["errors", "warnings", "infos"].iter().map(|k| r[k].as_u64().unwrap()).sum::<u64>();
    let first_clean = rows.iter().position(|r| total(r) == 0).expect("an app without findings");
    assert!(first_clean > 0, "{rows:#?}");
    assert!(rows[first_clean..].iter().all(|r| total(r) == 0), "{rows:#?}");
    // Errors before warnings-only before infos-only.
    let rank = |r: &Value| (r["errors"] == 0, r["warnings"] == 0, r["infos"] == 0);
    assert!(rows.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{rows:#?}");
}

#[test]
fn long_profile_lists_are_cut_in_tables_and_folded_in_html() {
    // Admin approved: the table's pre-authorized column lists the profiles.
    let dir = tempfile::tempdir().unwrap();
    let apps_dir = dir.path().join("force-app/main/default/connectedApps");
    std::fs::create_dir_all(&apps_dir).unwrap();
    let profiles: String = (1..=49).map(|i| format!("    <profileName>Sales {i:02}</profileName>\n")).collect();
    std::fs::write(
        apps_dir.join("Wide.connectedApp-meta.xml"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Wide</label>\n    <oauthConfig>\n        <isAdminApproved>true</isAdminApproved>\n        <scopes>Api</scopes>\n    </oauthConfig>\n{profiles}</ConnectedApp>\n"
        ),
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_forcelint")).args(args).arg(dir.path()).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run(&["apps"]);
    assert!(text.contains("Sales 01, Sales 02, Sales 03 +46 more"), "{text}");
    assert!(!text.contains("Sales 04"), "{text}");
    let md = run(&["apps", "--format", "markdown"]);
    assert!(md.contains("Sales 01, Sales 02, Sales 03 +46 more"), "{md}");
    // All of them in JSON and CSV.
    let json: Value = serde_json::from_str(&run(&["apps", "--format", "json"])).unwrap();
    assert_eq!(json["apps"][0]["profiles"].as_array().unwrap().len(), 49);
    assert!(run(&["apps", "--format", "csv"]).contains("Sales 49"));
    // HTML: the rest folds away.
    let html = run(&["check", "--format", "html"]);
    assert!(html.contains("<details><summary>+46 more</summary>"), "folded list missing");
    assert!(html.contains("<li>Sales 49</li>"));
}

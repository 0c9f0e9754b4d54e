//! The command line: exit codes, formats, discovery scenarios, file arguments.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const DEMO: &str = "fixtures/projects/demo";

fn forcelint() -> Command {
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn json(args: &[&str]) -> Value {
    let out = forcelint().args(["check", "--format", "json"]).args(args).output().unwrap();
    assert!(out.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

/// (rule, file name, line) of every finding.
fn found(report: &Value) -> Vec<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["location"]["path"].as_str().unwrap();
            let name = Path::new(path).file_name().unwrap().to_string_lossy().into_owned();
            (f["rule"].as_str().unwrap().to_string(), name, f["location"]["start"]["line"].as_u64().unwrap())
        })
        .collect()
}

#[test]
fn exit_status_follows_fail_on() {
    forcelint().args(["check", DEMO, "--format", "concise"]).assert().code(1);
    forcelint().args(["check", DEMO, "--fail-on", "never"]).assert().code(0);
    // eca-split has warnings only.
    let eca = "fixtures/projects/eca-split";
    forcelint().args(["check", eca, "--fail-on", "error"]).assert().code(0);
    forcelint().args(["check", eca, "--fail-on", "warning"]).assert().code(1);
    forcelint().args(["check", eca, "--fail-on", "info"]).assert().code(1);
}

#[test]
fn clean_project_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("force-app/main/default/connectedApps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("Sync.connectedApp-meta.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Sync</label>
    <oauthConfig>
        <callbackUrl>https://example.org/cb</callbackUrl>
        <scopes>Api</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>BYPASS</ipRelaxation>
        <refreshTokenPolicy>infinite</refreshTokenPolicy>
    </oauthPolicy>
</ConnectedApp>
"#,
    )
    .unwrap();
    forcelint()
        .args(["check", "--color", "never"])
        .arg(dir.path())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 errors, 0 warnings in 1 file; 1 app: 1 offline"));
}

#[test]
fn run_failures_exit_two() {
    forcelint()
        .args(["check", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/folder: no such file or directory"));
    forcelint().args(["check", DEMO, "--format", "yaml"]).assert().code(2);
    forcelint().args(["check", DEMO, "--fail-on", "sometimes"]).assert().code(2);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("sfdx-project.json"), "{\n  \"packageDirectories\": [\n    { \"path\": }\n  ]\n}\n")
        .unwrap();
    forcelint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("sfdx-project.json:3:15: cannot read sfdx-project.json"));
}

#[test]
fn a_bare_forcelint_checks_the_current_folder() {
    forcelint()
        .current_dir(DEMO)
        .args(["--format", "concise"])
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("force-app/main/default/connectedApps/"));
    forcelint().current_dir(DEMO).args(["check", "--format", "concise"]).assert().code(1);
}

#[test]
fn concise_lines_have_path_line_column_severity_rule() {
    let out = forcelint().args(["check", DEMO, "--format", "concise"]).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let line = regex_like(&stdout);
    assert!(line, "{stdout}");
    // The summary goes to stderr so that stdout holds only findings.
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(" errors, "), "{stderr}");
}

/// Every line looks like `path:line:col: severity[rule] message`.
fn regex_like(stdout: &str) -> bool {
    !stdout.is_empty()
        && stdout.lines().all(|l| {
            let mut parts = l.splitn(4, ':');
            let (path, line, col, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
            path.is_some_and(|p| p.ends_with(".xml") || p.contains(".connectedApp") || p.ends_with("forcelint.toml"))
                && line.is_some_and(|n| n.parse::<u32>().is_ok())
                && col.is_some_and(|n| n.parse::<u32>().is_ok())
                && rest.is_some_and(|r| {
                    let r = r.trim_start();
                    (r.starts_with("error[") || r.starts_with("warning[") || r.starts_with("info[")) && r.contains("] ")
                })
        })
}

#[test]
fn json_report_is_versioned_and_complete() {
    let report = json(&[DEMO]);
    assert_eq!(report["version"], 1);
    assert_eq!(report["tool"]["name"], "forcelint");
    let first = &report["findings"][0];
    for key in ["rule", "severity", "message", "help", "location", "related", "app"] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
    let loc = &first["location"];
    for key in ["path", "start", "end", "label"] {
        assert!(loc.get(key).is_some(), "missing location.{key}");
    }
    assert!(loc["start"]["offset"].as_u64().unwrap() < loc["end"]["offset"].as_u64().unwrap());
    assert_eq!(first["app"]["name"], "Data_Warehouse_Loader");
    assert_eq!(first["app"]["purpose"], "offline");
    assert_eq!(first["app"]["type"], "ConnectedApp");
    assert_eq!(report["summary"]["apps"]["integration"], 6);
    assert_eq!(report["summary"]["apps"]["interactive"], 2);
    // 25 metadata files; the Apex class and the object are never read.
    assert_eq!(report["summary"]["files"], 25);
}

#[test]
fn demo_project_shows_every_rule() {
    let report = json(&[DEMO]);
    let rules: std::collections::BTreeSet<String> = found(&report).into_iter().map(|f| f.0).collect();
    for rule in forcelint::rules::RULES {
        assert!(rules.contains(rule.id), "the demo project does not show {}", rule.id);
    }
}

#[test]
fn inherited_timeout_points_at_the_app_with_the_org_setting_related() {
    let report = json(&[DEMO]);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "short-session-timeout" && f["app"]["name"] == "Nightly_ERP_Sync")
        .expect("finding");
    assert!(finding["location"]["path"].as_str().unwrap().ends_with("Nightly_ERP_Sync.connectedApp-meta.xml"));
    let related = &finding["related"][0];
    assert!(related["path"].as_str().unwrap().ends_with("settings/Security.settings-meta.xml"));
    assert_eq!(related["start"]["line"], 20);
    assert_eq!(related["label"], "org session timeout: 30 minutes idle");
}

#[test]
fn output_is_deterministic() {
    let a = forcelint().args(["check", DEMO, "--format", "json"]).output().unwrap().stdout;
    let b = forcelint().args(["check", DEMO, "--format", "json"]).output().unwrap().stdout;
    assert_eq!(a, b);
    let report: Value = serde_json::from_slice(&a).unwrap();
    let keys: Vec<(String, u64, u64)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let l = &f["location"];
            (
                l["path"].as_str().unwrap().to_string(),
                l["start"]["line"].as_u64().unwrap(),
                l["start"]["column"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted, "findings are sorted by path and position");
}

#[test]
fn file_arguments_report_only_those_files_with_project_context() {
    let app = format!("{DEMO}/force-app/main/default/connectedApps/Nightly_ERP_Sync.connectedApp-meta.xml");
    let report = json(&[&app]);
    let findings = found(&report);
    assert!(!findings.is_empty());
    // Every finding with a location in the file, where it points or in a related label: the
    // org's and the profile's findings about this app too.
    let in_file = |l: &Value| l["path"].as_str().unwrap().ends_with("Nightly_ERP_Sync.connectedApp-meta.xml");
    for f in report["findings"].as_array().unwrap() {
        assert!(in_file(&f["location"]) || f["related"].as_array().unwrap().iter().any(in_file), "{f}");
    }
    assert!(findings.iter().any(|f| f.0 == "sessions-locked-to-ip" && f.1 == "Security.settings-meta.xml"));
    assert!(findings.iter().filter(|f| f.1 == "Nightly_ERP_Sync.connectedApp-meta.xml").count() >= 2, "{findings:?}");
    // Context from the rest of the project: the org timeout and the profile's IP ranges.
    let text = report.to_string();
    assert!(text.contains("org session timeout: 30 minutes"));
    assert!(text.contains("outside the login IP ranges of profile `ERP Integration`"));
    assert!(text.contains("allowed: 198.51.100.10–198.51.100.15"));

    // An ECA file alone is judged with its sibling files.
    let plcy = format!(
        "{DEMO}/force-app/main/default/extlClntAppOauthPolicies/Billing_Connector_oauthPlcy.ecaOauthPlcy-meta.xml"
    );
    let findings = found(&json(&[&plcy]));
    assert_eq!(
        findings,
        vec![
            ("api-access-control-blocks-app".into(), "Billing_Connector_oauthPlcy.ecaOauthPlcy-meta.xml".into(), 7),
            ("expiring-refresh-token".into(), "Billing_Connector_oauthPlcy.ecaOauthPlcy-meta.xml".into(), 8),
            // The org's finding names the relaxation in this file.
            ("ip-ranges-enforced-every-request".into(), "Security.settings-meta.xml".into(), 15),
        ]
    );
}

#[test]
fn a_file_that_is_not_metadata_gets_a_note() {
    forcelint()
        .args(["check", &format!("{DEMO}/force-app/main/default/classes/InvoiceService.cls")])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("not a metadata file forcelint reads"));
}

#[test]
fn a_folder_without_metadata_gets_a_note() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "hello").unwrap();
    forcelint()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(0)
        .stderr(predicate::str::contains("no Salesforce metadata that forcelint reads was found"));
}

#[test]
fn mdapi_format_is_read() {
    let report = json(&["fixtures/projects/mdapi"]);
    let findings = found(&report);
    // Postman's callback makes it a developer's tool: no reliability rule judges it.
    assert_eq!(findings, vec![("consumer-key-in-source".into(), "Postman.connectedApp".into(), 7)]);
    assert_eq!(report["findings"][0]["app"]["purpose"], "interactive", "{report}");
}

#[test]
fn package_directories_and_unpackaged_metadata_are_scanned_and_nothing_else() {
    let report = json(&["fixtures/projects/multi-package"]);
    let files: std::collections::BTreeSet<String> = found(&report).into_iter().map(|f| f.1).collect();
    assert_eq!(
        files.into_iter().collect::<Vec<_>>(),
        ["Core_Sync.connectedApp-meta.xml", "Ledger_Feed.connectedApp-meta.xml"]
    );
    // Security.settings from `unpackagedMetadata` is the org context.
    assert!(report.to_string().contains("org session timeout: 1 hour"));
    assert_eq!(report["summary"]["files"], 3);
}

#[test]
fn forceignore_and_builtin_ignores_are_honoured() {
    let report = json(&["fixtures/projects/forceignore"]);
    assert_eq!(found(&report), vec![("expiring-refresh-token".into(), "Kept.connectedApp-meta.xml".into(), 12)]);
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn external_client_app_split_across_files() {
    let report = json(&["fixtures/projects/eca-split"]);
    let findings = found(&report);
    assert_eq!(
        findings,
        vec![
            ("enforced-ip-restrictions".into(), "Support_Bot.eca-meta.xml".into(), 2),
            // Its refresh-token policy is whatever Salesforce generates: info.
            ("expiring-refresh-token".into(), "Support_Bot.eca-meta.xml".into(), 2),
            ("enforced-ip-restrictions".into(), "Order_Hub_oauthPlcy.ecaOauthPlcy-meta.xml".into(), 4),
            ("expiring-refresh-token".into(), "Order_Hub_oauthPlcy.ecaOauthPlcy-meta.xml".into(), 8),
        ]
    );
    // The missing policies file is explained.
    let support = &report["findings"][0];
    assert!(support["message"].as_str().unwrap().contains("no OAuth policies file (`.ecaOauthPlcy`)"));
    assert!(support["app"]["notes"][0].as_str().unwrap().starts_with("no `.ecaOauthPlcy` file"));
}

#[test]
fn symlink_loops_do_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("connectedApps");
    std::fs::create_dir_all(&apps).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path(), apps.join("loop")).unwrap();
    forcelint().arg("check").arg(dir.path()).timeout(std::time::Duration::from_secs(20)).assert().code(0);
}

#[test]
fn rules_lists_every_rule_and_explain_prints_its_page() {
    let out = forcelint().arg("rules").assert().code(0).get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    for rule in forcelint::rules::RULES {
        let line = out.lines().find(|l| l.starts_with(rule.id)).unwrap_or_else(|| panic!("{} not listed", rule.id));
        assert!(line.contains(rule.default_severity.name()) && line.contains(rule.summary), "{line}");
        forcelint().args(["explain", rule.id]).assert().code(0).stdout(predicate::eq(rule.doc));
    }
}

#[test]
fn explain_suggests_the_closest_rule() {
    forcelint().args(["explain", "expiring-refresh-tokens"]).assert().code(2).stderr(predicate::str::contains(
        "unknown rule `expiring-refresh-tokens`; did you mean `expiring-refresh-token`?",
    ));
}

#[test]
fn help_and_version() {
    forcelint().arg("--help").assert().code(0).stdout(predicate::str::contains("Examples:"));
    forcelint().arg("--version").assert().code(0).stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn color_honours_flag_and_no_color() {
    let has_escape = |out: &[u8]| out.contains(&0x1b);
    let always = forcelint().args(["check", DEMO, "--color", "always"]).output().unwrap();
    assert!(has_escape(&always.stdout));
    let never = forcelint().args(["check", DEMO, "--color", "never"]).output().unwrap();
    assert!(!has_escape(&never.stdout));
    // Not a terminal, and NO_COLOR: plain either way.
    let auto = forcelint().args(["check", DEMO]).env("NO_COLOR", "1").output().unwrap();
    assert!(!has_escape(&auto.stdout));
}

#[test]
fn the_human_header_counts_columns_in_characters_like_the_other_formats() {
    // Multi-byte characters before the finding, on a short line and on a line long enough to
    // be cut: the header's `line:column` is the concise format's.
    for padding in ["ééééé", &"é".repeat(1500)] {
        let dir = tempfile::tempdir().unwrap();
        let app = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Ü</label>\n    <oauthConfig>\n        <callbackUrl>https://e.example/cb</callbackUrl>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy><!-- {padding} --><refreshTokenPolicy>zero</refreshTokenPolicy></oauthPolicy>\n</ConnectedApp>\n"
        );
        std::fs::write(dir.path().join("U.connectedApp-meta.xml"), app).unwrap();
        let run = |format: &str| {
            let out = forcelint()
                .args(["check", "--color", "never", "--select", "expiring-refresh-token", "--format", format])
                .arg(dir.path())
                .output()
                .unwrap();
            String::from_utf8(out.stdout).unwrap()
        };
        let concise = run("concise");
        let place = concise.split(": error").next().unwrap().rsplit("U.connectedApp-meta.xml:").next().unwrap();
        assert!(place.starts_with("8:"), "{concise}");
        let human = run("human");
        assert!(human.contains(&format!("U.connectedApp-meta.xml:{place}]")), "{place}\n{human}");
    }
}

#[test]
fn a_folder_given_with_a_file_is_reported_whole() {
    let app = format!("{DEMO}/force-app/main/default/connectedApps/Data_Warehouse_Loader.connectedApp-meta.xml");
    let folder = found(&json(&[DEMO]));
    let both = found(&json(&[DEMO, &app]));
    assert!(folder.len() > 5);
    assert_eq!(both, folder);
    // A folder inside the project and a file elsewhere in it: the folder's findings and the file's.
    let apps = format!("{DEMO}/force-app/main/default/connectedApps");
    let plcy = format!(
        "{DEMO}/force-app/main/default/extlClntAppOauthPolicies/Billing_Connector_oauthPlcy.ecaOauthPlcy-meta.xml"
    );
    let mixed = found(&json(&[&apps, &plcy]));
    assert!(mixed.iter().any(|f| f.1 == "Billing_Connector_oauthPlcy.ecaOauthPlcy-meta.xml"), "{mixed:?}");
    assert!(mixed.iter().any(|f| f.1 == "Data_Warehouse_Loader.connectedApp-meta.xml"), "{mixed:?}");
}

#[test]
fn files_of_two_projects_get_a_note() {
    let demo = format!("{DEMO}/force-app/main/default/connectedApps/Data_Warehouse_Loader.connectedApp-meta.xml");
    let other =
        "fixtures/projects/eca-split/force-app/main/default/externalClientApps/Order_Hub.eca-meta.xml".to_string();
    assert!(Path::new(&other).is_file());
    forcelint()
        .args(["check", &demo, &other])
        .assert()
        .stderr(predicate::str::contains("the files named belong to 2 projects"));
    forcelint().args(["check", &demo]).assert().stderr(predicate::str::contains("belong to").not());
}

#[test]
fn each_finding_is_one_block_with_its_related_snippets_before_the_fix() {
    let out = forcelint().args(["check", DEMO, "--color", "never"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("Advice:"), "no detached related blocks:\n{text}");
    // A block runs from the rule id line to the next blank line before a rule id.
    let blocks: Vec<&str> = text.split("\n\n").collect();
    let block = blocks
        .iter()
        .find(|b| b.contains("sessions of `Legacy_Middleware` time out"))
        .expect("the inherited-timeout finding");
    let related = block.find("Security.settings-meta.xml:").expect("the org setting, in the block");
    let help = block.find("help:").expect("the fix");
    assert!(related < help, "the related snippet comes before the fix:\n{block}");
}

//! forcelint.toml, suppressions, baselines and command-line overrides, end to end.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

/// A scratch SFDX project.
struct Project {
    dir: tempfile::TempDir,
}

const APPS: &str = "force-app/main/default/connectedApps";

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("sfdx-project.json"), r#"{"packageDirectories":[{"path":"force-app"}]}"#)
            .unwrap();
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn file(&self, rel: &str, text: &str) -> &Self {
        let path = self.dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        self
    }

    /// A connected app with the given scopes and policy lines.
    fn app(&self, name: &str, scopes: &[&str], body: &str) -> &Self {
        let scopes: String = scopes.iter().map(|s| format!("        <scopes>{s}</scopes>\n")).collect();
        self.file(
            &format!("{APPS}/{name}.connectedApp-meta.xml"),
            &format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n{scopes}    </oauthConfig>\n{body}</ConnectedApp>\n"
            ),
        )
    }

    fn config(&self, text: &str) -> &Self {
        self.file("forcelint.toml", text)
    }

    fn cmd(&self) -> Command {
        let mut cmd = Command::cargo_bin("forcelint").unwrap();
        cmd.current_dir(self.path()).args(["check", "--format", "json"]);
        cmd
    }

    fn json(&self, args: &[&str]) -> Value {
        let out = self.cmd().args(args).output().unwrap();
        assert!(out.status.code().unwrap() < 2, "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

/// (rule, app or file, severity) of each reported finding.
fn found(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let who = f["app"]["name"].as_str().map(str::to_string).unwrap_or_else(|| {
                let path = PathBuf::from(f["location"]["path"].as_str().unwrap());
                path.file_name().unwrap().to_string_lossy().into_owned()
            });
            (f["rule"].as_str().unwrap().into(), who, f["severity"].as_str().unwrap().into())
        })
        .collect()
}

fn t(rule: &str, who: &str, severity: &str) -> (String, String, String) {
    (rule.into(), who.into(), severity.into())
}

const ZERO: &str = "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n";
const ENFORCE: &str = "    <oauthPolicy>\n        <ipRelaxation>ENFORCE</ipRelaxation>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n    <profileName>Integration</profileName>\n";

fn profile_with_ranges(p: &Project, ranges: &[(&str, &str)]) {
    let ranges: String = ranges
        .iter()
        .map(|(s, e)| format!("    <loginIpRanges>\n        <endAddress>{e}</endAddress>\n        <startAddress>{s}</startAddress>\n    </loginIpRanges>\n"))
        .collect();
    p.file(
        "force-app/main/default/profiles/Integration.profile-meta.xml",
        &format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n{ranges}</Profile>\n"),
    );
}

#[test]
fn config_is_found_next_to_sfdx_project_json_also_for_subfolders_and_files() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).config("[rules.expiring-refresh-token]\nseverity = \"info\"\n");
    assert_eq!(found(&p.json(&[])), vec![t("expiring-refresh-token", "Sync", "info")]);
    assert_eq!(found(&p.json(&["force-app"])), vec![t("expiring-refresh-token", "Sync", "info")]);
    let file = format!("{APPS}/Sync.connectedApp-meta.xml");
    assert_eq!(found(&p.json(&[&file])), vec![t("expiring-refresh-token", "Sync", "info")]);
}

#[test]
fn explicit_config_path() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO)
        .file("ci/strict.toml", "[rules.expiring-refresh-token]\nseverity = \"off\"\n");
    assert_eq!(found(&p.json(&["--config", "ci/strict.toml"])), vec![]);
    p.cmd()
        .args(["--config", "ci/missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot read the config"));
}

#[test]
fn config_errors_are_shown_on_the_toml_and_exit_two() {
    let p = Project::new();
    p.app("Sync", &["Api"], "").config("[rules.short-sesion-timeout]\nminimum-minutes = 60\n");
    p.cmd()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid config: unknown rule `short-sesion-timeout`"))
        .stderr(predicate::str::contains("forcelint.toml:1:8"))
        .stderr(predicate::str::contains("did you mean `short-session-timeout`?"));
}

#[test]
fn declared_purpose_overrides_detection() {
    let p = Project::new();
    // No refresh scope: detected interactive, so nothing fires...
    p.app(
        "Batch",
        &["Api"],
        "    <sessionPolicy>\n        <sessionTimeout>15</sessionTimeout>\n    </sessionPolicy>\n",
    );
    // ...and an offline app declared interactive is not judged.
    p.app("Portal", &["Api", "RefreshToken"], ZERO);
    assert_eq!(found(&p.json(&["--rule", "enforced-ip-restrictions=off"])).len(), 1);
    p.config("[apps.Batch]\npurpose = \"integration\"\n\n[apps.Portal]\npurpose = \"interactive\"\n");
    let report = p.json(&["--rule", "enforced-ip-restrictions=off"]);
    // Declared an integration, it is judged as one: short sessions, no way to renew, and a
    // password that may expire (the org's password policy is not in the project: info).
    assert_eq!(
        found(&report),
        vec![
            t("integration-password-expires", "Batch", "info"),
            t("no-unattended-renewal", "Batch", "warning"),
            t("short-session-timeout", "Batch", "warning")
        ]
    );
    let evidence = &report["findings"][0]["app"]["evidence"][0];
    assert_eq!(evidence["label"], "declared in config");
    assert_eq!(evidence["path"], "forcelint.toml");
    assert_eq!(evidence["start"]["line"], 2);
}

#[test]
fn severities_from_config_and_command_line() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).config("[rules.expiring-refresh-token]\nseverity = \"warning\"\n");
    assert_eq!(found(&p.json(&[])), vec![t("expiring-refresh-token", "Sync", "warning")]);
    // The command line wins over the config.
    assert_eq!(
        found(&p.json(&["--rule", "expiring-refresh-token=error"])),
        vec![t("expiring-refresh-token", "Sync", "error")]
    );
    assert_eq!(found(&p.json(&["--rule", "expiring-refresh-token=off"])), vec![]);
    assert_eq!(found(&p.json(&["--select", "parse-error"])), vec![]);
    p.cmd().args(["--rule", "expiring-refresh-tokn=off"]).assert().code(2).stderr(predicate::str::contains(
        "unknown rule `expiring-refresh-tokn`; did you mean `expiring-refresh-token`?",
    ));
    p.cmd().args(["--rule", "expiring-refresh-token=loud"]).assert().code(2);
}

#[test]
fn rule_options() {
    let p = Project::new();
    p.app(
        "Sync",
        &["Api", "RefreshToken"],
        "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>specific_inactivity:30:DAYS</refreshTokenPolicy>\n    </oauthPolicy>\n    <sessionPolicy>\n        <sessionTimeout>60</sessionTimeout>\n    </sessionPolicy>\n",
    );
    assert_eq!(
        found(&p.json(&[])),
        vec![t("expiring-refresh-token", "Sync", "warning"), t("short-session-timeout", "Sync", "warning")]
    );
    p.config("[rules.short-session-timeout]\nminimum-minutes = 60\n\n[rules.expiring-refresh-token]\nminimum-inactivity-days = 30\n");
    assert_eq!(found(&p.json(&[])), vec![]);
    p.config("[rules.expiring-refresh-token]\nminimum-inactivity-days = 31\n");
    assert_eq!(
        found(&p.json(&["--select", "expiring-refresh-token"])),
        vec![t("expiring-refresh-token", "Sync", "warning")]
    );
}

#[test]
fn exclude_globs_keep_files_out() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).file(
        "force-app/main/default/legacy/connectedApps/Old.connectedApp-meta.xml",
        "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><broken></ConnectedApp>",
    );
    assert_eq!(found(&p.json(&[])).len(), 2);
    p.config("exclude = [\"force-app/**/legacy/**\"]\n");
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![t("expiring-refresh-token", "Sync", "error")]);
    assert_eq!(report["summary"]["files"], 1);
}

#[test]
fn ignore_entries_by_app_and_path_with_no_ignore() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).app("Other", &["Api", "RefreshToken"], ZERO).config(
        r#"[[ignore]]
rule = "expiring-refresh-token"
app = "Sync"
reason = "re-authorized by the on-call runbook"

[[ignore]]
rule = "expiring-refresh-token"
path = "force-app/**/Other.connectedApp-meta.xml"
reason = "being replaced"
"#,
    );
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![]);
    assert_eq!(report["summary"]["suppressed"], 2);
    let suppressed = &report["suppressed"][1];
    assert_eq!(suppressed["rule"], "expiring-refresh-token");
    assert_eq!(suppressed["suppression"]["kind"], "config");
    assert_eq!(suppressed["suppression"]["reason"], "re-authorized by the on-call runbook");
    assert_eq!(suppressed["suppression"]["location"]["path"], "forcelint.toml");
    let mut concise = Command::cargo_bin("forcelint").unwrap();
    concise.current_dir(p.path()).args(["check", "--format", "concise"]);
    concise.assert().code(0).stderr(predicate::str::contains("; 2 suppressed"));

    let report = p.json(&["--no-ignore"]);
    assert_eq!(found(&report).len(), 2);
    assert_eq!(report["summary"]["suppressed"], 0);
}

#[test]
fn expired_and_unused_suppressions_are_reported() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).config(
        r#"[[ignore]]
rule = "expiring-refresh-token"
app = "Sync"
reason = "until the migration"
expires = 2020-01-31

[[ignore]]
rule = "short-session-timeout"
app = "Sync"
reason = "nothing to suppress"
"#,
    );
    let report = p.json(&[]);
    assert_eq!(
        found(&report),
        vec![
            t("expiring-refresh-token", "Sync", "error"),
            t("unused-suppression", "forcelint.toml", "warning"),
            t("unused-suppression", "forcelint.toml", "warning"),
        ]
    );
    let messages: Vec<&str> =
        report["findings"].as_array().unwrap().iter().map(|f| f["message"].as_str().unwrap()).collect();
    assert!(messages[1].contains("expired on 2020-01-31"), "{messages:?}");
    assert!(messages[2].contains("matches no finding"), "{messages:?}");
    assert_eq!(report["findings"][1]["location"]["start"]["line"], 2);

    // A date still to come suppresses.
    p.config("[[ignore]]\nrule = \"expiring-refresh-token\"\napp = \"Sync\"\nreason = \"r\"\nexpires = 2999-12-31\n");
    assert_eq!(found(&p.json(&[])), vec![]);
}

#[test]
fn inline_comments_suppress_the_next_element_and_its_children() {
    let p = Project::new();
    let policy = "    <!-- forcelint: ignore[expiring-refresh-token] the job re-authorizes nightly -->\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n";
    p.app("Sync", &["Api", "RefreshToken"], policy);
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![]);
    assert_eq!(report["suppressed"][0]["suppression"]["kind"], "inline");
    assert_eq!(report["suppressed"][0]["suppression"]["reason"], "the job re-authorizes nightly");

    // The comment covers only what follows it.
    let elsewhere = "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n    <!-- forcelint: ignore[expiring-refresh-token] misplaced -->\n    <profileName>Integration</profileName>\n";
    p.app("Sync", &["Api", "RefreshToken"], elsewhere);
    assert_eq!(
        found(&p.json(&[])),
        vec![
            t("expiring-refresh-token", "Sync", "error"),
            t("unused-suppression", "Sync.connectedApp-meta.xml", "warning")
        ]
    );
}

#[test]
fn baseline_round_trip() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).app("Loader", &["Api", "RefreshToken"], ZERO);
    p.cmd().args(["--write-baseline", "baseline.json"]).assert().code(0);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(p.path().join("baseline.json")).unwrap()).unwrap();
    assert_eq!(written["version"], 1);
    assert_eq!(written["entries"].as_array().unwrap().len(), 2);
    assert_eq!(written["entries"][0]["element"], "ConnectedApp/oauthPolicy/refreshTokenPolicy");
    assert_eq!(written["entries"][0]["value"], "zero");

    let report = p.json(&["--baseline", "baseline.json"]);
    assert_eq!(found(&report), vec![]);
    assert_eq!(report["summary"]["baselined"], 2);

    // Lines move (a description is added), a new problem appears, an old one is fixed.
    p.app("Sync", &["Api", "RefreshToken"], &format!("    <description>moved down</description>\n{ZERO}"));
    p.app("Loader", &["Api", "RefreshToken"], &ZERO.replace("zero", "infinite"));
    p.app(
        "Fresh",
        &["Api", "RefreshToken"],
        "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>specific_lifetime:1:DAYS</refreshTokenPolicy>\n    </oauthPolicy>\n",
    );
    let out = p.cmd().args(["--baseline", "baseline.json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found(&report), vec![t("expiring-refresh-token", "Fresh", "error")]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("baseline entry no longer occurs (1 finding), it can be pruned: expiring-refresh-token Loader"),
        "{stderr}"
    );

    p.file("bad.json", "{\"version\": 7, \"entries\": []}");
    p.cmd().args(["--baseline", "bad.json"]).assert().code(2).stderr(predicate::str::contains("baseline version 7"));
}

#[test]
fn egress_ips_checked_against_profile_ranges() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ENFORCE);
    profile_with_ranges(&p, &[("198.51.100.0", "198.51.100.15"), ("2001:db8::", "2001:db8::ffff")]);
    // Unknown egress: a warning.
    assert_eq!(found(&p.json(&[])), vec![t("enforced-ip-restrictions", "Sync", "warning")]);

    let with = |ips: &str| {
        p.config(&format!("[apps.Sync]\negress-ips = [{ips}]\n"));
        found(&p.json(&[]))
    };
    assert_eq!(with("\"198.51.100.15\""), vec![]);
    assert_eq!(with("\"198.51.100.0/28\", \"2001:db8::10\""), vec![]);
    assert_eq!(with("\"198.51.100.16\""), vec![t("enforced-ip-restrictions", "Sync", "error")]);
    assert_eq!(with("\"198.51.100.0/27\""), vec![t("enforced-ip-restrictions", "Sync", "error")]);
    assert_eq!(with("\"2001:db8::1:0\""), vec![t("enforced-ip-restrictions", "Sync", "error")]);
    assert_eq!(with("\"2001:db8::/112\""), vec![]);

    p.config("egress-ips = [\"198.51.100.99\", \"198.51.100.1\"]\n");
    let report = p.json(&[]);
    let finding = &report["findings"][0];
    assert_eq!(finding["severity"], "error");
    assert!(
        finding["message"]
            .as_str()
            .unwrap()
            .contains("calls from 198.51.100.99, outside the login IP ranges of profile `Integration`")
    );
    assert_eq!(finding["related"][0]["label"], "allowed: 198.51.100.0–198.51.100.15");
    assert!(finding["related"][0]["path"].as_str().unwrap().ends_with("Integration.profile-meta.xml"));
}

#[test]
fn egress_ips_checked_exactly_against_ranges_that_restrict_nothing() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ENFORCE);
    // Every address but one (seen on real profiles): no restriction, so no finding...
    profile_with_ranges(&p, &[("0.0.0.0", "52.90.244.112"), ("52.90.244.114", "255.255.255.255")]);
    assert_eq!(found(&p.json(&[])), vec![]);
    // ...but known egress IPs are checked exactly, the one address left out included.
    p.config("[apps.Sync]\negress-ips = [\"8.8.8.8\"]\n");
    assert_eq!(found(&p.json(&[])), vec![]);
    p.config("[apps.Sync]\negress-ips = [\"8.8.8.8\", \"52.90.244.113\"]\n");
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![t("enforced-ip-restrictions", "Sync", "error")]);
    assert!(report["findings"][0]["message"].as_str().unwrap().contains("calls from 52.90.244.113, outside"));
}

#[test]
fn the_fix_offered_fits_how_the_app_logs_in() {
    let p = Project::new();
    profile_with_ranges(&p, &[("203.0.113.0", "203.0.113.255")]);
    // An offline app only refreshes tokens: relaxing refresh is enough.
    p.app("Sync", &["Api", "RefreshToken"], ENFORCE);
    let help = |report: &Value| report["findings"][0]["help"].as_str().unwrap().to_string();
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![t("enforced-ip-restrictions", "Sync", "warning")]);
    assert!(help(&report).contains("<ipRelaxation>ENFORCE_RELAXREFRESH</ipRelaxation>"), "{}", help(&report));
    assert!(!help(&report).contains("BYPASS"), "{}", help(&report));
    // The client-credentials flow logs in afresh: only the full relaxation lets it in.
    p.file(
        &format!("{APPS}/Sync.connectedApp-meta.xml"),
        &format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Sync</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <oauthClientCredentialUser>sync@example.org</oauthClientCredentialUser>\n        <scopes>Api</scopes>\n    </oauthConfig>\n{ENFORCE}</ConnectedApp>\n"
        ),
    );
    let report = p.json(&[]);
    assert!(help(&report).contains("<ipRelaxation>BYPASS</ipRelaxation>"), "{}", help(&report));
}

#[test]
fn config_can_name_the_integration_users_profile() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], &ENFORCE.replace("    <profileName>Integration</profileName>\n", ""));
    profile_with_ranges(&p, &[("10.0.0.0", "10.0.0.255")]);
    p.config("[apps.Sync]\nprofile = \"Integration\"\negress-ips = [\"10.1.0.1\"]\n");
    assert_eq!(found(&p.json(&[])), vec![t("enforced-ip-restrictions", "Sync", "error")]);
    p.config("[apps.Sync]\nprofile = \"Integration\"\negress-ips = [\"10.0.0.1\"]\n");
    assert_eq!(found(&p.json(&[])), vec![]);
}

#[test]
fn init_writes_a_starter_config_once() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO);
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.current_dir(p.path()).arg("init").assert().code(0);
    let text = std::fs::read_to_string(p.path().join("forcelint.toml")).unwrap();
    assert!(text.contains("[apps.Sync]\n# purpose = \"offline\""), "{text}");
    assert!(text.contains("detected as offline (`RefreshToken` scope)"), "{text}");
    for rule in forcelint::rules::RULES {
        assert!(text.contains(&format!("[rules.{}]", rule.id)));
    }
    // The starter config is valid as written.
    assert_eq!(found(&p.json(&[])), vec![t("expiring-refresh-token", "Sync", "error")]);
    let mut again = Command::cargo_bin("forcelint").unwrap();
    again.current_dir(p.path()).arg("init").assert().code(2).stderr(predicate::str::contains("--force"));
    let mut forced = Command::cargo_bin("forcelint").unwrap();
    forced.current_dir(p.path()).args(["init", "--force"]).assert().code(0);
}

#[test]
fn declared_workers_decide_the_rotation_severity() {
    let p = Project::new();
    let rotation = ZERO.replace("zero", "infinite");
    p.file(
        &format!("{APPS}/Sync.connectedApp-meta.xml"),
        &format!(
            "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Sync</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n{rotation}</ConnectedApp>\n"
        ),
    );
    assert_eq!(found(&p.json(&[])), vec![t("refresh-token-rotation", "Sync", "warning")]);
    p.config("[apps.Sync]\nworkers = 1\n");
    assert_eq!(found(&p.json(&[])), vec![t("refresh-token-rotation", "Sync", "info")]);
    p.config("[apps.Sync]\nworkers = 3\n");
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![t("refresh-token-rotation", "Sync", "warning")]);
    assert!(report["findings"][0]["message"].as_str().unwrap().contains("3 workers are declared"));
}

#[test]
fn an_inline_comment_before_the_root_covers_the_whole_file() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO);
    let path = p.path().join(format!("{APPS}/Sync.connectedApp-meta.xml"));
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "<ConnectedApp",
        "<!-- forcelint: ignore[expiring-refresh-token, short-session-timeout] retired in Q3 -->\n<ConnectedApp",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![]);
    assert_eq!(report["summary"]["suppressed"], 1);
}

#[test]
fn a_relative_config_path_keeps_its_globs_working() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO)
        .file(
            "force-app/main/default/legacy/connectedApps/Old.connectedApp-meta.xml",
            "<ConnectedApp><broken></ConnectedApp>",
        )
        .file("strict.toml", "exclude = [\"force-app/**/legacy/**\"]\n");
    assert_eq!(found(&p.json(&["--config", "strict.toml"])), vec![t("expiring-refresh-token", "Sync", "error")]);
    assert_eq!(found(&p.json(&["--config", "./strict.toml"])), vec![t("expiring-refresh-token", "Sync", "error")]);
}

#[test]
fn suppressed_findings_carry_the_configured_severity_and_owner() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).config(
        "[rules.expiring-refresh-token]\nseverity = \"info\"\n\n[apps.Sync]\nowner = \"data@acme.example\"\n\n[[ignore]]\nrule = \"expiring-refresh-token\"\napp = \"Sync\"\nreason = \"r\"\n",
    );
    let report = p.json(&[]);
    assert_eq!(report["suppressed"][0]["severity"], "info");
    assert_eq!(report["suppressed"][0]["app"]["owner"], "data@acme.example");
    let report = p.json(&["--no-ignore"]);
    assert_eq!(report["findings"][0]["app"]["owner"], "data@acme.example");
}

#[test]
fn an_entry_with_app_and_path_needs_both() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).config(
        "[[ignore]]\nrule = \"expiring-refresh-token\"\napp = \"Sync\"\npath = \"elsewhere/**\"\nreason = \"r\"\n",
    );
    assert_eq!(
        found(&p.json(&[])),
        vec![t("expiring-refresh-token", "Sync", "error"), t("unused-suppression", "forcelint.toml", "warning")]
    );
    p.config(
        "[[ignore]]\nrule = \"expiring-refresh-token\"\napp = \"Sync\"\npath = \"force-app/**\"\nreason = \"r\"\n",
    );
    assert_eq!(found(&p.json(&[])), vec![]);
}

#[test]
fn an_inline_suppression_of_an_unknown_rule_says_so() {
    let p = Project::new();
    let policy = "    <!-- forcelint: ignore[expiring-refresh-tokens] typo -->\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n";
    p.app("Sync", &["Api", "RefreshToken"], policy);
    let report = p.json(&[]);
    let unused = report["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "unused-suppression").unwrap();
    assert_eq!(
        unused["message"],
        "this suppression names an unknown rule `expiring-refresh-tokens`; did you mean `expiring-refresh-token`?"
    );
}

#[test]
fn config_apps_that_match_nothing_get_a_note() {
    let p = Project::new();
    p.app("Sync", &["Api"], "").config("[apps.Synk]\npurpose = \"integration\"\n");
    p.cmd()
        .assert()
        .stderr(predicate::str::contains("`[apps.Synk]` matches no app in the project; did you mean `Sync`?"));
}

#[test]
fn config_profile_gives_the_session_timeout_too() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n")
        .file(
            "force-app/main/default/profileSessionSettings/p1.profileSessionSetting-meta.xml",
            "<ProfileSessionSetting xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <profile>integration</profile>\n    <sessionTimeout>30</sessionTimeout>\n</ProfileSessionSetting>\n",
        );
    assert_eq!(found(&p.json(&[])), vec![]);
    p.config("[apps.Sync]\nprofile = \"Integration\"\n");
    let report = p.json(&[]);
    assert_eq!(found(&report), vec![t("short-session-timeout", "Sync", "warning")]);
    assert_eq!(
        report["findings"][0]["related"][0]["label"],
        "session timeout of profile `Integration`: 30 minutes idle"
    );
}

#[test]
fn init_force_replaces_a_broken_config() {
    let p = Project::new();
    p.app("Sync", &["Api"], "").config("this is not toml = = =\n");
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.current_dir(p.path()).args(["init", "--force"]).assert().code(0);
    assert!(std::fs::read_to_string(p.path().join("forcelint.toml")).unwrap().contains("[apps.Sync]"));
}

#[test]
fn a_baseline_with_file_arguments_prunes_nothing_and_cannot_be_written_partially() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).app("Loader", &["Api", "RefreshToken"], ZERO);
    p.cmd().args(["--write-baseline", "baseline.json"]).assert().code(0);
    let file = format!("{APPS}/Sync.connectedApp-meta.xml");
    let out = p.cmd().args(["--baseline", "baseline.json", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    // Loader's entry is not stale just because Loader was not named.
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("can be pruned"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    p.cmd()
        .args(["--write-baseline", "partial.json", &file])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--write-baseline records the findings of a whole project"));
}

#[test]
fn a_baseline_with_file_arguments_is_matched_against_the_whole_project() {
    // Baseline entries do not say which file they are in: `Beta`'s new finding has the
    // fingerprint of `Alpha`'s known one, which the whole project still has.
    let hours =
        "<loginHours>\n        <mondayEnd>600</mondayEnd>\n        <mondayStart>0</mondayStart>\n    </loginHours>";
    let profile = |hours: &str| {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Profile xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    {hours}\n</Profile>\n"
        )
    };
    let p = Project::new();
    let policy = "    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>infinite</refreshTokenPolicy>\n    </oauthPolicy>\n    <profileName>Alpha</profileName>\n    <profileName>Beta</profileName>\n";
    p.app("Night_Batch", &["Api", "RefreshToken"], policy)
        .file("force-app/main/default/profiles/Alpha.profile-meta.xml", &profile(hours))
        .file("force-app/main/default/profiles/Beta.profile-meta.xml", &profile(""));
    p.cmd().args(["--write-baseline", "baseline.json"]).assert().code(0);
    p.file("force-app/main/default/profiles/Beta.profile-meta.xml", &profile(hours));
    let beta = "force-app/main/default/profiles/Beta.profile-meta.xml";
    let whole = p.json(&["--baseline", "baseline.json"]);
    let alone = p.json(&["--baseline", "baseline.json", beta]);
    assert_eq!(found(&whole).len(), 1, "{whole}");
    assert_eq!(found(&alone), found(&whole), "the file alone reports what the whole project reports in it");
    // What the baseline knew is counted where it is reported: `Alpha`'s, not in `Beta`.
    assert_eq!((whole["summary"]["baselined"].as_u64(), alone["summary"]["baselined"].as_u64()), (Some(1), Some(0)));
    let alpha = "force-app/main/default/profiles/Alpha.profile-meta.xml";
    let alpha = p.json(&["--baseline", "baseline.json", alpha]);
    assert_eq!((found(&alpha).len(), alpha["summary"]["baselined"].as_u64()), (0, Some(1)));
}

#[test]
fn apps_lists_every_app_of_a_named_file_s_project() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO).app("Loader", &["Api", "RefreshToken"], ZERO);
    let out = Command::cargo_bin("forcelint")
        .unwrap()
        .current_dir(p.path())
        .args(["apps", "--format", "json", &format!("{APPS}/Sync.connectedApp-meta.xml")])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["apps"].as_array().unwrap().len(), 2, "{report}");
    // The same inventory, findings counted, as for the project folder.
    let whole = Command::cargo_bin("forcelint")
        .unwrap()
        .current_dir(p.path())
        .args(["apps", "--format", "json", "."])
        .output()
        .unwrap();
    let whole: Value = serde_json::from_slice(&whole.stdout).unwrap();
    assert_eq!(report, whole);
    assert!(whole["apps"].as_array().unwrap().iter().all(|a| a["errors"] == 1), "{whole}");
}

#[test]
fn apps_with_the_same_name_stay_apart() {
    let p = Project::new();
    p.app("Sync", &["Api", "RefreshToken"], ZERO);
    p.file("force-app/templates/Sync.connectedApp-meta.xml", &app_text("Sync", "infinite"));
    let out = Command::cargo_bin("forcelint")
        .unwrap()
        .current_dir(p.path())
        .args(["apps", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let errors: Vec<u64> = report["apps"].as_array().unwrap().iter().map(|r| r["errors"].as_u64().unwrap()).collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors.iter().sum::<u64>(), 1, "{report}");
}

fn app_text(name: &str, policy: &str) -> String {
    format!(
        "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>{policy}</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

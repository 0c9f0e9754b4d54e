//! Several reports from one run (`--output FORMAT=FILE`, repeatable), `--output FILE` as before,
//! `forcelint rules --format json`, and links that come from Cargo.toml's `repository`.

use assert_cmd::Command;
use serde_json::Value;

const DEMO: &str = "fixtures/projects/demo";
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

fn forcelint() -> Command {
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.env_remove("NO_COLOR");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    String::from_utf8(forcelint().args(args).output().unwrap().stdout).unwrap()
}

#[test]
fn one_run_writes_annotations_to_stdout_and_each_named_report_to_its_file() {
    let dir = tempfile::tempdir().unwrap();
    let md = dir.path().join("summary.md");
    let sarif = dir.path().join("with space.sarif");
    let out = forcelint()
        .args(["check", DEMO, "--format", "github"])
        .arg("--output")
        .arg(format!("markdown={}", md.display()))
        .arg("-o")
        .arg(format!("sarif={}", sarif.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), stdout_of(&["check", DEMO, "--format", "github"]));
    // Each file is exactly what a run in that format prints.
    assert_eq!(std::fs::read_to_string(&md).unwrap(), stdout_of(&["check", DEMO, "--format", "markdown"]));
    assert_eq!(std::fs::read_to_string(&sarif).unwrap(), stdout_of(&["check", DEMO, "--format", "sarif"]));
    assert!(String::from_utf8(out.stderr).unwrap().contains(" errors, "), "the summary line goes to stderr");
}

#[test]
fn a_plain_output_file_still_replaces_stdout_and_format_files_go_besides_it() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("report.txt");
    let json = dir.path().join("report.json");
    let out = forcelint()
        .args(["check", DEMO, "--format", "concise", "--output"])
        .arg(&plain)
        .arg(format!("--output=json={}", json.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(std::fs::read_to_string(&plain).unwrap(), stdout_of(&["check", DEMO, "--format", "concise"]));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(report["version"], 1);

    // A name before `=` that is not a format is part of a file name.
    let odd = dir.path().join("a=b.txt");
    forcelint().args(["check", DEMO, "--format", "concise", "--output"]).arg(&odd).assert().code(1);
    assert!(std::fs::read_to_string(&odd).unwrap().contains("expiring-refresh-token"));
}

#[test]
fn bad_outputs_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        forcelint().current_dir(dir.path()).args(["check"]).arg(DEMO).args(["--output", "sarif="]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no file after `sarif=`"));

    let path = dir.path().join("same.txt");
    let out = forcelint()
        .args(["check", DEMO, "--output"])
        .arg(&path)
        .arg(format!("--output=json={}", path.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("twice"), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!path.exists());
}

#[test]
fn rules_as_json_list_every_rule_with_its_page() {
    let out = forcelint().args(["rules", "--format", "json"]).output().unwrap();
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = rules.as_array().unwrap();
    assert_eq!(rules.len(), forcelint::rules::RULES.len());
    for (json, rule) in rules.iter().zip(forcelint::rules::RULES) {
        assert_eq!(json["id"], rule.id);
        assert_eq!(json["severity"], rule.default_severity.name());
        assert_eq!(json["summary"], rule.summary);
        assert_eq!(json["url"], format!("{REPOSITORY}/blob/main/rules/{}.md", rule.id));
    }
}

/// Every link to the project in a report is under Cargo.toml's `repository`.
#[test]
fn report_links_come_from_the_cargo_repository_field() {
    assert!(REPOSITORY.starts_with("https://"), "Cargo.toml needs `repository`");
    let sarif: Value = serde_json::from_str(&stdout_of(&["check", DEMO, "--format", "sarif"])).unwrap();
    let driver = &sarif["runs"][0]["tool"]["driver"];
    assert_eq!(driver["informationUri"], REPOSITORY);
    for rule in driver["rules"].as_array().unwrap() {
        assert!(rule["helpUri"].as_str().unwrap().starts_with(REPOSITORY), "{rule}");
    }
    let markdown = stdout_of(&["check", DEMO, "--format", "markdown"]);
    assert!(markdown.contains(&format!("]({REPOSITORY}/blob/main/rules/expiring-refresh-token.md)")));
}

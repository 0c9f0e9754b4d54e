//! The example config in `fixtures/config/forcelint.toml` and the README's "Configuration"
//! section agree: every key the README's table documents is used in the example (and in the
//! README's own example), every key the examples use is documented, the table covers every key
//! the config accepts, and the example loads and runs on the demo project.

use std::collections::BTreeSet;
use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use toml::Table;

const EXAMPLE: &str = "fixtures/config/forcelint.toml";

/// The README's "## Configuration" section, up to the next `## ` heading.
fn config_section() -> String {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let start = readme.find("\n## Configuration\n").expect("README has a `## Configuration` section");
    let rest = &readme[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |i| i + 4);
    rest[..end].to_string()
}

/// (where, key) for each row of the key table: `where` is `top level` or a table header such
/// as `[rules.<id>]`, `[rules.short-session-timeout]`, `[apps.<fullName>]`, `[[ignore]]`.
fn documented_keys() -> BTreeSet<(String, String)> {
    let keys: BTreeSet<(String, String)> = config_section()
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            assert!(cells.len() >= 2, "README key table row: {l}");
            (cells[1].trim_matches('`').to_string(), cells[0].trim_matches('`').to_string())
        })
        .collect();
    assert!(keys.len() >= 10, "README's key table looks empty: {keys:?}");
    keys
}

/// For every key a config uses: the places the README's table may document it at, and the key.
/// A rule's key may be documented for every rule (`[rules.<id>]`) or for its own rule.
fn used_keys(config: &Table) -> BTreeSet<(Vec<String>, String)> {
    let mut used = BTreeSet::new();
    let tables = |section: &str| -> Vec<(String, Table)> {
        config
            .get(section)
            .and_then(toml::Value::as_table)
            .map(|t| t.iter().map(|(k, v)| (k.clone(), v.as_table().cloned().unwrap_or_default())).collect())
            .unwrap_or_default()
    };
    for key in config.keys().filter(|k| !["rules", "apps", "ignore"].contains(&k.as_str())) {
        used.insert((vec!["top level".to_string()], key.clone()));
    }
    for (id, rule) in tables("rules") {
        for key in rule.keys() {
            used.insert((vec!["[rules.<id>]".to_string(), format!("[rules.{id}]")], key.clone()));
        }
    }
    for (_, app) in tables("apps") {
        for key in app.keys() {
            used.insert((vec!["[apps.<fullName>]".to_string()], key.clone()));
        }
    }
    for entry in config.get("ignore").and_then(toml::Value::as_array).into_iter().flatten() {
        for key in entry.as_table().into_iter().flat_map(Table::keys) {
            used.insert((vec!["[[ignore]]".to_string()], key.clone()));
        }
    }
    used
}

/// Whether `config` uses the documented key at its documented place.
fn key_is_used(config: &Table, place: &str, key: &str) -> bool {
    let any_table_has = |section: &str| {
        config
            .get(section)
            .and_then(toml::Value::as_table)
            .is_some_and(|t| t.values().any(|v| v.as_table().is_some_and(|t| t.contains_key(key))))
    };
    match place {
        "top level" => config.contains_key(key),
        "[rules.<id>]" => any_table_has("rules"),
        "[apps.<fullName>]" => any_table_has("apps"),
        "[[ignore]]" => config
            .get("ignore")
            .and_then(toml::Value::as_array)
            .is_some_and(|a| a.iter().any(|e| e.as_table().is_some_and(|t| t.contains_key(key)))),
        other => {
            let id = other
                .strip_prefix("[rules.")
                .and_then(|r| r.strip_suffix(']'))
                .unwrap_or_else(|| panic!("README key table: unknown place `{other}` for `{key}`"));
            config
                .get("rules")
                .and_then(|r| r.get(id))
                .and_then(toml::Value::as_table)
                .is_some_and(|t| t.contains_key(key))
        }
    }
}

fn assert_covers_the_table(name: &str, text: &str) {
    let config: Table = toml::from_str(text).unwrap_or_else(|e| panic!("{name} is not TOML: {e}"));
    let documented = documented_keys();
    let missing: Vec<_> = documented.iter().filter(|(place, key)| !key_is_used(&config, place, key)).collect();
    assert!(missing.is_empty(), "{name} does not use these keys from README's table: {missing:?}");
    let undocumented: Vec<_> = used_keys(&config)
        .into_iter()
        .filter(|(places, key)| !places.iter().any(|p| documented.contains(&(p.clone(), key.clone()))))
        .collect();
    assert!(undocumented.is_empty(), "{name} uses keys README's table does not document: {undocumented:?}");
}

#[test]
fn the_example_config_loads() {
    let loaded = forcelint::config::load(Path::new(EXAMPLE)).unwrap_or_else(|e| panic!("{EXAMPLE}: {e:?}"));
    assert!(!loaded.egress.is_empty());
    assert!(!loaded.config.ignore.is_empty());
}

#[test]
fn the_example_config_uses_every_documented_key() {
    assert_covers_the_table(EXAMPLE, &std::fs::read_to_string(EXAMPLE).unwrap());
}

#[test]
fn the_readme_example_loads_and_uses_every_documented_key() {
    let section = config_section();
    let start = section.find("\n```toml\n").expect("README's Configuration section has a ```toml example") + 9;
    let end = start + section[start..].find("\n```\n").expect("the example is closed") + 1;
    let text = &section[start..end];
    forcelint::config::parse(Path::new("README.md"), text.to_string())
        .unwrap_or_else(|e| panic!("README's example config: {}: {:?}", e.message, &text[e.span.start..e.span.end]));
    assert_covers_the_table("README's example", text);
}

/// The keys the config accepts in one table, from the "expected one of" list of the error
/// an unknown key gets.
fn accepted_keys(text: &str) -> BTreeSet<String> {
    let e = forcelint::config::parse(Path::new("forcelint.toml"), text.to_string()).expect_err("unknown key");
    let expected = e.message.split_once("expected one of").map_or("", |(_, rest)| rest);
    let keys: BTreeSet<String> = expected.split('`').skip(1).step_by(2).map(str::to_string).collect();
    assert!(!keys.is_empty(), "no list of keys in: {}", e.message);
    keys
}

#[test]
fn the_readme_table_documents_every_key_the_config_accepts() {
    let documented = documented_keys();
    let keys_at = |prefix: &str| -> BTreeSet<String> {
        documented.iter().filter(|(place, _)| place.starts_with(prefix)).map(|(_, key)| key.clone()).collect()
    };
    let tables: BTreeSet<String> = ["rules", "apps", "ignore"].map(String::from).into();
    let top: BTreeSet<String> = accepted_keys("zz-unknown = 1\n").difference(&tables).cloned().collect();
    assert_eq!(keys_at("top level"), top, "top-level keys");
    assert_eq!(keys_at("[rules."), accepted_keys("[rules.parse-error]\nzz-unknown = 1\n"), "[rules.<id>] keys");
    assert_eq!(keys_at("[apps."), accepted_keys("[apps.X]\nzz-unknown = 1\n"), "[apps.<fullName>] keys");
    assert_eq!(keys_at("[[ignore]]"), accepted_keys("[[ignore]]\nzz-unknown = 1\n"), "[[ignore]] keys");
}

#[test]
fn the_example_config_runs_on_the_demo_project() {
    let out = Command::cargo_bin("forcelint")
        .unwrap()
        .args(["check", "fixtures/projects/demo", "--config", EXAMPLE, "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "exit status {:?}: {stderr}", out.status.code());
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    assert!(report["findings"].is_array(), "{report}");
    assert!(report["suppressed"].is_array(), "{report}");
}

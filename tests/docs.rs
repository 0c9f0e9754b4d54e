//! The rule catalogue, the rule pages and the README agree, and every page's examples do
//! what the page says.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use forcelint::engine::Settings;
use forcelint::engine::run;
use forcelint::rules::{RULES, Rule};

const HEADINGS: [&str; 6] = [
    "## What it checks",
    "## Why it breaks integrations",
    "## Examples",
    "## How to fix",
    "## Options",
    "## References",
];

/// (bad or good, relative path, contents) for each example block of a page.
fn examples(doc: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        // ```xml bad <path> or ```toml good <path>; the path may contain spaces.
        let Some(info) = line.strip_prefix("```xml ").or_else(|| line.strip_prefix("```toml ")) else { continue };
        let Some((kind, path)) = info.trim().split_once(' ') else {
            panic!("example info string must be `xml|toml bad|good <path>`: {line}");
        };
        let path = path.trim();
        assert!(kind == "bad" || kind == "good", "example kind must be bad or good: {line}");
        let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim_end() != "```").collect();
        out.push((kind.to_string(), path.to_string(), body.join("\n") + "\n"));
    }
    out
}

/// Writes the examples of one kind into a fresh folder and returns the rule's findings there.
fn findings_of(rule: &Rule, kind: &str, examples: &[(String, String, String)]) -> (usize, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    for (k, path, body) in examples {
        if k != kind {
            continue;
        }
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
        count += 1;
    }
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let messages = outcome.findings.iter().filter(|f| f.rule == rule.id).map(|f| f.message.clone()).collect();
    (count, messages)
}

#[test]
fn every_rule_page_has_the_sections_in_order() {
    for rule in RULES {
        assert!(rule.doc.starts_with(&format!("# {}\n", rule.id)), "rules/{}.md must start with its id", rule.id);
        let mut at = 0;
        for heading in HEADINGS {
            let found = rule.doc[at..].find(&format!("\n{heading}\n"));
            let found = found.unwrap_or_else(|| panic!("rules/{}.md: `{heading}` missing or out of order", rule.id));
            at += found + 1;
        }
    }
}

#[test]
fn every_page_example_behaves_as_the_page_says() {
    for rule in RULES {
        let examples = examples(rule.doc);
        let (bad, fired) = findings_of(rule, "bad", &examples);
        assert!(bad > 0, "rules/{}.md has no bad example", rule.id);
        assert!(!fired.is_empty(), "rules/{}.md: the bad example does not fire", rule.id);
        let (good, fired) = findings_of(rule, "good", &examples);
        assert!(good > 0, "rules/{}.md has no good example", rule.id);
        assert!(fired.is_empty(), "rules/{}.md: the good example fires: {fired:?}", rule.id);
    }
}

#[test]
fn rule_pages_match_the_catalogue() {
    let pages: BTreeSet<String> = std::fs::read_dir("rules")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let ids: BTreeSet<String> = RULES.iter().map(|r| r.id.to_string()).collect();
    assert_eq!(pages, ids, "rules/*.md and the rule catalogue differ");
}

#[test]
fn every_rule_has_its_module_and_fixtures() {
    // Rules the engine makes itself (from suppressions) have no module or fixtures of their own.
    for rule in RULES.iter().filter(|r| r.check.is_some()) {
        let module = PathBuf::from(format!("src/rules/{}.rs", rule.id.replace('-', "_")));
        assert!(module.is_file(), "{} has no {}", rule.id, module.display());
        for kind in ["bad", "good"] {
            let dir = Path::new("fixtures/rules").join(rule.id).join(kind);
            assert!(dir.is_dir(), "{} has no {}", rule.id, dir.display());
        }
    }
}

#[test]
fn readme_rule_table_matches_the_catalogue() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let rows: Vec<(String, String, String)> = readme
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> = l.trim().trim_matches('|').split('|').map(str::trim).collect();
            let [id, severity, summary] = cells.as_slice() else { return None };
            let id = id.strip_prefix('`')?.strip_suffix('`')?;
            if !id.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
                return None;
            }
            Some((id.to_string(), severity.to_string(), summary.to_string()))
        })
        .collect();
    let expected: Vec<(String, String, String)> = RULES
        .iter()
        .map(|r| (r.id.to_string(), r.default_severity.name().to_string(), r.summary.to_string()))
        .collect();
    assert_eq!(rows, expected, "README's rule table and the rule catalogue differ");
}

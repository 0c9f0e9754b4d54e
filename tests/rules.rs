//! Per-rule fixtures, run one rule at a time (see `fixtures/rules/README.md`).
//!
//! Every folder `fixtures/rules/<rule-id>/{bad,good}/<case>/` is a project of its own. The
//! harness discovers and loads it, runs only `<rule-id>`, and compares the findings with
//! the annotations written in the fixture files:
//!
//! ```xml
//! <!-- expect: <rule-id> <severity> "<substring of the message>" -->
//! <!-- expect-related: <rule-id> "<substring of the related label>" -->
//! ```
//!
//! An annotation is about the first line after it that is not itself an annotation.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use forcelint::discover::discover;
use forcelint::engine::{load, sort};
use forcelint::finding::Finding;
use forcelint::model::Project;
use forcelint::rules::{self, Options, RULES};

const SEVERITIES: [&str; 3] = ["error", "warning", "info"];

fn fixtures_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join("rules")
}

/// A path for messages: relative to the crate root, with forward slashes.
fn shown(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = path.strip_prefix(root).unwrap_or(path);
    path.to_string_lossy().replace('\\', "/")
}

/// An `expect:` annotation.
#[derive(Debug, Clone)]
struct Expect {
    file: PathBuf,
    /// The line the finding must start on (1-based).
    line: usize,
    /// Where the annotation itself is.
    at: usize,
    rule: String,
    severity: String,
    message: Option<String>,
}

/// An `expect-related:` annotation.
#[derive(Debug, Clone)]
struct ExpectRelated {
    file: PathBuf,
    line: usize,
    at: usize,
    rule: String,
    text: Option<String>,
}

#[derive(Debug, Default)]
struct Annotations {
    expects: Vec<Expect>,
    related: Vec<ExpectRelated>,
}

/// One finding, flattened for comparison and printing.
#[derive(Debug, Clone)]
struct Actual {
    file: PathBuf,
    line: usize,
    column: usize,
    rule: String,
    severity: String,
    message: String,
    related: Vec<(PathBuf, usize, String)>,
}

impl Actual {
    fn new(project: &Project, finding: &Finding) -> Actual {
        let place = |loc: forcelint::source::Location| {
            let file = project.sources.get(loc.file);
            let at = file.line_col(loc.span.start);
            (absolute(&file.path), at.line, at.column)
        };
        let (file, line, column) = place(finding.primary.loc);
        Actual {
            file,
            line,
            column,
            rule: finding.rule.to_string(),
            severity: finding.severity.name().to_string(),
            message: finding.message.clone(),
            related: finding
                .related
                .iter()
                .map(|label| {
                    let (file, line, _) = place(label.loc);
                    (file, line, label.text.clone())
                })
                .collect(),
        }
    }

    fn describe(&self) -> String {
        let mut out = format!(
            "{}:{}:{}: {}[{}] {}",
            shown(&self.file),
            self.line,
            self.column,
            self.severity,
            self.rule,
            self.message
        );
        for (file, line, text) in &self.related {
            let _ = write!(out, "\n          related {}:{}: {}", shown(file), line, text);
        }
        out
    }
}

impl Expect {
    fn describe(&self) -> String {
        let message = self.message.as_ref().map_or(String::new(), |m| format!(" message containing \"{m}\""));
        format!(
            "{}:{}: {}[{}]{}   (annotation on line {})",
            shown(&self.file),
            self.line,
            self.severity,
            self.rule,
            message,
            self.at
        )
    }

    fn matches(&self, actual: &Actual) -> bool {
        self.file == actual.file
            && self.line == actual.line
            && self.rule == actual.rule
            && self.severity == actual.severity
            && self.message.as_ref().is_none_or(|m| actual.message.contains(m.as_str()))
    }
}

impl ExpectRelated {
    fn describe(&self) -> String {
        let text = self.text.as_ref().map_or(String::new(), |t| format!(" containing \"{t}\""));
        format!(
            "{}:{}: related label of [{}]{}   (annotation on line {})",
            shown(&self.file),
            self.line,
            self.rule,
            text,
            self.at
        )
    }

    fn matches(&self, file: &Path, line: usize, text: &str) -> bool {
        self.file == file && self.line == line && self.text.as_ref().is_none_or(|t| text.contains(t.as_str()))
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// All files below `dir`, sorted.
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", shown(&d)));
        for entry in entries {
            let path = entry.unwrap_or_else(|e| panic!("{}: {e}", shown(&d))).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Directories directly inside `dir`, sorted.
fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", shown(dir)))
        .map(|e| e.unwrap_or_else(|e| panic!("{}: {e}", shown(dir))).path())
        .collect();
    out.sort();
    for path in &out {
        assert!(
            path.is_dir(),
            "{}: only case folders belong directly in `{}`; put the file in a case folder",
            shown(path),
            shown(dir)
        );
    }
    out
}

/// Reads a quoted string; the rest of the annotation must be empty.
fn quoted(rest: &str, where_: &str) -> Option<String> {
    let rest = rest.trim();
    if rest.is_empty() {
        return None;
    }
    let inner = rest
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or_else(|| panic!("{where_}: the substring must be in double quotes: `{rest}`"));
    assert!(!inner.is_empty(), "{where_}: empty substring; leave it out instead");
    Some(inner.to_string())
}

/// The annotations in one file. Files are read as bytes: a fixture may be deliberately
/// broken (not UTF-8, not well-formed).
fn annotations_in(file: &Path, into: &mut Annotations) {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{}: {e}", shown(file)));
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<&str> = text.split('\n').collect();
    // Annotations waiting for the line they are about.
    let mut pending_expects: Vec<Expect> = Vec::new();
    let mut pending_related: Vec<ExpectRelated> = Vec::new();
    for (i, raw) in lines.iter().enumerate() {
        let number = i + 1;
        let where_ = format!("{}:{number}", shown(file));
        let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
        let body = line.strip_prefix("<!--").and_then(|l| l.strip_suffix("-->")).map(str::trim);
        let annotation = body.filter(|b| b.starts_with("expect"));
        let Some(annotation) = annotation else {
            assert!(
                !line.contains("expect:") && !line.contains("expect-related:"),
                "{where_}: an annotation must be a comment alone on its line: `{line}`"
            );
            for mut e in pending_expects.drain(..) {
                e.line = number;
                into.expects.push(e);
            }
            for mut r in pending_related.drain(..) {
                r.line = number;
                into.related.push(r);
            }
            continue;
        };
        if let Some(rest) = annotation.strip_prefix("expect-related:") {
            let rest = rest.trim();
            let (rule, rest) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
            assert!(!rule.is_empty(), "{where_}: `expect-related:` needs a rule id");
            pending_related.push(ExpectRelated {
                file: file.to_path_buf(),
                line: 0,
                at: number,
                rule: rule.to_string(),
                text: quoted(rest, &where_),
            });
        } else if let Some(rest) = annotation.strip_prefix("expect:") {
            let mut words = rest.trim().splitn(3, char::is_whitespace);
            let rule = words.next().unwrap_or_default();
            let severity = words.next().unwrap_or_default();
            assert!(!rule.is_empty(), "{where_}: `expect:` needs a rule id");
            assert!(
                SEVERITIES.contains(&severity),
                "{where_}: `expect:` needs a severity (error, warning or info), found `{severity}`"
            );
            pending_expects.push(Expect {
                file: file.to_path_buf(),
                line: 0,
                at: number,
                rule: rule.to_string(),
                severity: severity.to_string(),
                message: quoted(words.next().unwrap_or_default(), &where_),
            });
        } else {
            panic!("{where_}: malformed annotation (use `expect:` or `expect-related:`): `{line}`");
        }
    }
    assert!(
        pending_expects.is_empty() && pending_related.is_empty(),
        "{}: annotations at the end of the file are about no line",
        shown(file)
    );
}

/// Runs one rule on one case folder and returns what went wrong, if anything.
fn check_case(rule: &rules::Rule, case: &Path, bad: bool) -> Option<String> {
    let case = absolute(case);
    let mut notes = Annotations::default();
    for file in files_below(&case) {
        annotations_in(&file, &mut notes);
    }
    for rule_id in notes.expects.iter().map(|e| &e.rule).chain(notes.related.iter().map(|r| &r.rule)) {
        assert_eq!(
            rule_id,
            rule.id,
            "{}: annotation for `{rule_id}` in the fixtures of `{}`: only `{}` runs here, so it would never be checked",
            shown(&case),
            rule.id,
            rule.id
        );
    }
    if bad {
        assert!(!notes.expects.is_empty(), "{}: a bad case needs at least one `expect:` annotation", shown(&case));
    } else {
        assert!(
            notes.expects.is_empty() && notes.related.is_empty(),
            "{}: a good case must have no annotations",
            shown(&case)
        );
    }

    let discovery =
        discover(std::slice::from_ref(&case)).unwrap_or_else(|e| panic!("{}: discovery failed: {e}", shown(&case)));
    assert!(!discovery.files.is_empty(), "{}: no metadata file that forcelint reads", shown(&case));
    let project = load(&discovery.files);
    let check = rule.check.unwrap_or_else(|| panic!("`{}` has no check function of its own", rule.id));
    let mut findings = check(&project, &Options::default());
    sort(&project, &mut findings);
    let actual: Vec<Actual> = findings.iter().map(|f| Actual::new(&project, f)).collect();
    for a in &actual {
        assert_eq!(a.rule, rule.id, "{}: rule `{}` produced a finding of `{}`", shown(&case), rule.id, a.rule);
    }

    // Match annotations with a message substring first, so that a bare annotation cannot
    // take the finding a more specific one needs.
    let mut expects = notes.expects.clone();
    expects.sort_by_key(|e| e.message.is_none());
    let mut unmatched: Vec<bool> = vec![true; actual.len()];
    let mut missing = Vec::new();
    let mut matched = Vec::new();
    for e in &expects {
        let hit = (0..actual.len()).find(|&i| unmatched[i] && e.matches(&actual[i]));
        match hit {
            Some(i) => {
                unmatched[i] = false;
                matched.push(i);
            }
            None => missing.push(e),
        }
    }
    let unexpected: Vec<&Actual> = actual.iter().zip(&unmatched).filter(|(_, u)| **u).map(|(a, _)| a).collect();
    let missing_related: Vec<&ExpectRelated> = notes
        .related
        .iter()
        .filter(|r| !actual.iter().any(|a| a.related.iter().any(|(file, line, text)| r.matches(file, *line, text))))
        .collect();

    if missing.is_empty() && unexpected.is_empty() && missing_related.is_empty() {
        return None;
    }
    let mut report = format!("{} ({}):\n", shown(&case), if bad { "bad" } else { "good" });
    if !missing.is_empty() {
        report.push_str("  expected, not found:\n");
        for e in &missing {
            let _ = writeln!(report, "    - {}", e.describe());
        }
    }
    if !unexpected.is_empty() {
        report.push_str("  found, not expected:\n");
        for a in &unexpected {
            let _ = writeln!(report, "    + {}", a.describe());
        }
    }
    if !missing_related.is_empty() {
        report.push_str("  related labels expected, not found:\n");
        for r in &missing_related {
            let _ = writeln!(report, "    - {}", r.describe());
        }
    }
    if !matched.is_empty() {
        report.push_str("  found as expected:\n");
        matched.sort_unstable();
        for i in matched {
            let _ = writeln!(report, "      {}", actual[i].describe());
        }
    }
    Some(report)
}

/// Runs every case of one rule and fails with one report covering all of them.
fn check_rule(id: &str) {
    let rule = rules::find(id).unwrap_or_else(|| panic!("no rule `{id}` in the catalogue"));
    let dir = fixtures_root().join(id);
    let mut failures = Vec::new();
    let mut cases = 0;
    for (kind, bad) in [("bad", true), ("good", false)] {
        let kind_dir = dir.join(kind);
        assert!(kind_dir.is_dir(), "{}: missing", shown(&kind_dir));
        let case_dirs = subdirs(&kind_dir);
        assert!(!case_dirs.is_empty(), "{}: no case folders", shown(&kind_dir));
        for case in case_dirs {
            cases += 1;
            failures.extend(check_case(rule, &case, bad));
        }
    }
    if !failures.is_empty() {
        panic!(
            "rule `{id}`: {} of {cases} fixture cases differ from their annotations\n\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}

#[test]
fn expiring_refresh_token() {
    check_rule("expiring-refresh-token");
}

#[test]
fn short_session_timeout() {
    check_rule("short-session-timeout");
}

#[test]
fn enforced_ip_restrictions() {
    check_rule("enforced-ip-restrictions");
}

/// Ranges over every address (`0.0.0.0–255.255.255.255` on `Admin`) are never described as
/// a restriction, not even beside a profile that restricts.
#[test]
fn ranges_that_restrict_nothing_are_never_named() {
    let rule = rules::find("enforced-ip-restrictions").unwrap();
    let mut labels = 0;
    for case in ["bad/other-profile-restricts", "bad/wide-and-narrow-ranges"] {
        let dir = fixtures_root().join(rule.id).join(case);
        let project = load(&discover(&[dir]).unwrap().files);
        let findings = (rule.check.unwrap())(&project, &Options::default());
        assert!(!findings.is_empty(), "{case}");
        for f in &findings {
            for label in &f.related {
                labels += 1;
                assert!(!label.text.contains("`Admin`"), "{case}: {}", label.text);
                assert!(!project.sources.path(label.loc.file).ends_with("Admin.profile-meta.xml"), "{case}");
            }
        }
    }
    assert!(labels >= 3, "{labels}");
}

#[test]
fn missing_run_as_user() {
    check_rule("missing-run-as-user");
}

#[test]
fn no_unattended_renewal() {
    check_rule("no-unattended-renewal");
}

#[test]
fn high_assurance_blocks_jwt() {
    check_rule("high-assurance-blocks-jwt");
}

#[test]
fn sessions_locked_to_ip() {
    check_rule("sessions-locked-to-ip");
}

#[test]
fn ip_ranges_enforced_every_request() {
    check_rule("ip-ranges-enforced-every-request");
}

#[test]
fn integration_login_hours() {
    check_rule("integration-login-hours");
}

#[test]
fn refresh_token_rotation() {
    check_rule("refresh-token-rotation");
}

#[test]
fn invalid_policy_value() {
    check_rule("invalid-policy-value");
}

#[test]
fn client_credentials_half_enabled() {
    check_rule("client-credentials-half-enabled");
}

#[test]
fn eca_oauth_disabled() {
    check_rule("eca-oauth-disabled");
}

#[test]
fn consumer_key_in_source() {
    check_rule("consumer-key-in-source");
}

#[test]
fn no_pre_authorized_users() {
    check_rule("no-pre-authorized-users");
}

#[test]
fn self_authorized_jwt() {
    check_rule("self-authorized-jwt");
}

#[test]
fn oauth_flow_blocked() {
    check_rule("oauth-flow-blocked");
}

#[test]
fn api_access_control_blocks_app() {
    check_rule("api-access-control-blocks-app");
}

#[test]
fn integration_password_expires() {
    check_rule("integration-password-expires");
}

#[test]
fn integration_api_disabled() {
    check_rule("integration-api-disabled");
}

#[test]
fn parse_error() {
    check_rule("parse-error");
}

/// Every rule with a check function has fixtures and a test above; every fixtures folder
/// names such a rule. (Rules without one, like `unused-suppression`, are made by the
/// engine from the other rules' findings and cannot run in isolation.)
#[test]
fn every_rule_has_fixtures() {
    const TESTED: [&str; 21] = [
        "no-pre-authorized-users",
        "self-authorized-jwt",
        "oauth-flow-blocked",
        "api-access-control-blocks-app",
        "integration-password-expires",
        "integration-api-disabled",
        "client-credentials-half-enabled",
        "eca-oauth-disabled",
        "consumer-key-in-source",
        "expiring-refresh-token",
        "short-session-timeout",
        "enforced-ip-restrictions",
        "missing-run-as-user",
        "no-unattended-renewal",
        "high-assurance-blocks-jwt",
        "sessions-locked-to-ip",
        "ip-ranges-enforced-every-request",
        "integration-login-hours",
        "refresh-token-rotation",
        "invalid-policy-value",
        "parse-error",
    ];
    let catalogue: BTreeSet<&str> = RULES.iter().filter(|r| r.check.is_some()).map(|r| r.id).collect();
    let folders: BTreeSet<String> = std::fs::read_dir(fixtures_root())
        .expect("fixtures/rules")
        .map(|e| e.expect("fixtures/rules").path())
        .filter(|p| p.is_dir())
        .map(|d| d.file_name().unwrap_or_default().to_string_lossy().into_owned())
        .collect();
    let folders: BTreeSet<&str> = folders.iter().map(String::as_str).collect();
    let tested: BTreeSet<&str> = TESTED.into_iter().collect();
    let without_fixtures: Vec<&&str> = catalogue.difference(&folders).collect();
    let unknown: Vec<&&str> = folders.difference(&catalogue).collect();
    let untested: Vec<&&str> = catalogue.difference(&tested).collect();
    assert!(
        without_fixtures.is_empty() && unknown.is_empty() && untested.is_empty(),
        "rules without fixtures/rules/<id>/: {without_fixtures:?}\n\
         fixtures/rules/<id>/ naming no rule with a check function: {unknown:?}\n\
         rules without a test in tests/rules.rs: {untested:?}"
    );
}

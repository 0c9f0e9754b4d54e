//! The report formats beyond human, concise and json: reviewed snapshots of the demo
//! project (fixed date, default settings, paths relative to the crate), SARIF validated
//! against the official schema, escaping tested with hostile values, JUnit parsed back.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use forcelint::engine::{Outcome, Settings, run};
use forcelint::report::{github, gitlab, html, junit, markdown, sarif};
use forcelint::rules::RULES;
use forcelint::suppress::Date;
use quick_xml::XmlVersion;
use quick_xml::events::Event;
use serde_json::Value;

const DEMO: &str = "fixtures/projects/demo";

fn outcome(path: impl AsRef<Path>) -> Outcome {
    // A fixed day, so that `expires` dates in fixtures never change the output.
    let today = Date { year: 2026, month: 11, day: 25 };
    run(&[path.as_ref().to_path_buf()], &Settings { today, ..Settings::default() }).expect("runs")
}

fn sarif_json(outcome: &Outcome) -> Value {
    serde_json::from_str(&sarif::render(outcome)).expect("SARIF is JSON")
}

/// A project whose file names and values carry every character the formats must escape:
/// markup, quotes, `%`, `:`, `,`, backticks, Markdown syntax, a CR LF and a workflow command.
fn hostile() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("a,b:c%d e/connectedApps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("Odd<b>&\"x\",y:z 100%.connectedApp-meta.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>x</label>
    <oauthConfig>
        <callbackUrl>https://x.example/cb</callbackUrl>
        <scopes>Api</scopes>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>50%,a:b &lt;script&gt;alert('1')&lt;/script&gt; ]]&gt; `tick` *b* | [l](u) &amp;amp;&#13;&#10;::error::x</ipRelaxation>
        <refreshTokenPolicy>zero</refreshTokenPolicy>
    </oauthPolicy>
</ConnectedApp>
"#,
    )
    .unwrap();
    dir
}

// --- snapshots ---------------------------------------------------------------------------

#[test]
fn demo_sarif() {
    // The rule pages (help text and markdown) are checked below; in the snapshot they
    // would drown the rest.
    let mut text = sarif::render(&outcome(DEMO));
    for rule in RULES {
        text = text.replace(&serde_json::to_string(rule.doc).unwrap(), &format!("\"[rules/{}.md]\"", rule.id));
    }
    insta::assert_snapshot!(text);
}

#[test]
fn demo_github() {
    insta::assert_snapshot!(github::render(&outcome(DEMO)));
}

#[test]
fn demo_gitlab() {
    insta::assert_snapshot!(gitlab::render(&outcome(DEMO)));
}

#[test]
fn demo_junit() {
    insta::assert_snapshot!(junit::render(&outcome(DEMO)));
}

#[test]
fn demo_markdown() {
    insta::assert_snapshot!(markdown::render(&outcome(DEMO)));
}

#[test]
fn demo_html() {
    insta::assert_snapshot!(html::render(&outcome(DEMO)));
}

#[test]
fn formats_are_deterministic() {
    let (a, b) = (outcome(DEMO), outcome(DEMO));
    for render in [sarif::render, github::render, gitlab::render, junit::render, markdown::render, html::render] {
        assert_eq!(render(&a), render(&b));
    }
}

// --- SARIF -------------------------------------------------------------------------------

/// The official schema, from the shared reference folder (beside the repository in CI).
fn sarif_schema() -> Option<Value> {
    let candidates = [
        std::env::var_os("FORCELINT_SARIF_SCHEMA").map(PathBuf::from),
        Some(PathBuf::from("../shared/reference/sarif-schema-2.1.0.json")),
        Some(PathBuf::from("/work/shared/reference/sarif-schema-2.1.0.json")),
    ];
    let path = candidates.into_iter().flatten().find(|p| p.is_file())?;
    Some(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("the schema is JSON"))
}

fn assert_valid_sarif(log: &Value) {
    let Some(schema) = sarif_schema() else {
        println!("skipped: sarif-schema-2.1.0.json not found (set FORCELINT_SARIF_SCHEMA)");
        return;
    };
    // The SARIF schema is draft-04; formats (uri, uri-reference) are checked too.
    let validator =
        jsonschema::draft4::options().should_validate_formats(true).build(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF does not match the schema:\n{}", errors.join("\n"));
    // And the validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["tool"]["driver"]["informationUri"] = Value::from("not a uri");
    assert_eq!(validator.iter_errors(&broken).count(), 2);
}

#[test]
fn sarif_matches_the_official_schema() {
    let log = sarif_json(&outcome(DEMO));
    assert!(!log["runs"][0]["results"].as_array().unwrap().is_empty());
    assert_valid_sarif(&log);
    // Absolute paths (outside the working directory) and hostile names too.
    let dir = hostile();
    let log = sarif_json(&outcome(dir.path()));
    assert_valid_sarif(&log);
    let uri =
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert!(uri.starts_with("file:///"), "{uri}");
    // `:` may stay in an absolute URI's path; a relative one would read it as a scheme.
    assert!(
        uri.contains("/a%2Cb:c%25d%20e/connectedApps/Odd%3Cb%3E%26%22x%22%2Cy:z%20100%25.connectedApp-meta.xml"),
        "{uri}"
    );
}

#[test]
fn sarif_describes_every_rule_and_points_results_at_them() {
    let log = sarif_json(&outcome(DEMO));
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (descriptor, rule) in rules.iter().zip(RULES) {
        assert_eq!(descriptor["id"], rule.id);
        assert_eq!(descriptor["shortDescription"]["text"], rule.summary);
        assert_eq!(descriptor["help"]["markdown"], rule.doc);
        assert!(descriptor["helpUri"].as_str().unwrap().ends_with(&format!("/rules/{}.md", rule.id)));
        let level = match rule.default_severity.name() {
            "info" => "note",
            other => other,
        };
        assert_eq!(descriptor["defaultConfiguration"]["level"], level);
        assert!(!descriptor["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    let results = run["results"].as_array().unwrap();
    let mut prints = BTreeSet::new();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        let location = &result["locations"][0]["physicalLocation"];
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(location["artifactLocation"]["uri"].as_str().unwrap().starts_with("fixtures/projects/demo/"));
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(prints.insert(result["partialFingerprints"]["forcelint/v1"].as_str().unwrap().to_string()));
    }
    // The suppressed finding is there, marked as suppressed by the config.
    let suppressed: Vec<&Value> = results.iter().filter(|r| r.get("suppressions").is_some()).collect();
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["suppressions"][0]["kind"], "external");
    assert!(suppressed[0]["suppressions"][0]["justification"].as_str().unwrap().contains("NET-2291"));
}

#[test]
fn fingerprints_do_not_move_with_lines() {
    let fingerprints = |dir: &Path| -> Vec<String> {
        let log = sarif_json(&outcome(dir));
        let results = log["runs"][0]["results"].as_array().unwrap().clone();
        results.iter().map(|r| r["partialFingerprints"]["forcelint/v1"].as_str().unwrap().to_string()).collect()
    };
    let dir = hostile();
    let before = fingerprints(dir.path());
    let file = std::fs::read_dir(dir.path().join("a,b:c%d e/connectedApps")).unwrap().next().unwrap().unwrap().path();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("<label>x</label>", "<!-- moved -->\n\n    <label>x</label>")).unwrap();
    assert_eq!(fingerprints(dir.path()), before);
    let log = sarif_json(&outcome(dir.path()));
    assert_eq!(log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 12);
}

// --- GitHub workflow commands ------------------------------------------------------------

#[test]
fn workflow_command_escaping() {
    assert_eq!(github::data("100% done\r\nnext: a,b"), "100%25 done%0D%0Anext: a,b");
    assert_eq!(github::property("a,b:c%d\ne"), "a%2Cb%3Ac%25d%0Ae");
    // `%` first: an already-escaped sequence is escaped again, not decoded.
    assert_eq!(github::data("%0A"), "%250A");
    assert_eq!(github::property("::error::"), "%3A%3Aerror%3A%3A");
}

#[test]
fn workflow_commands_cannot_be_injected() {
    let dir = hostile();
    let text = github::render(&outcome(dir.path()));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "one line per finding:\n{text}");
    for line in &lines {
        assert!(line.starts_with("::error file="), "{line}");
        let (properties, message) = line["::error ".len()..].split_once("::").expect("properties::message");
        // Property values hold no raw `,` or `:`; the message holds no raw line break.
        let fields: Vec<&str> = properties.split(',').collect();
        assert_eq!(
            fields.iter().map(|f| f.split('=').next().unwrap()).collect::<Vec<_>>(),
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert!(fields[0].contains("/a%2Cb%3Ac%25d e/connectedApps/Odd<b>&\"x\"%2Cy%3Az 100%25.connectedApp"));
        assert!(!message.contains('\r') && !message.contains('\n'));
        assert!(message.contains("%0Ahelp: "));
    }
    assert!(lines[0].contains("`50%25,a:b <script>alert('1')</script> ]]> `tick` *b* | [l](u) &amp;%0D%0A::error::x`"));
}

#[test]
fn workflow_command_levels() {
    let text = github::render(&outcome(DEMO));
    let outcome = outcome(DEMO);
    for (line, f) in text.lines().zip(&outcome.findings) {
        let command = match f.severity.name() {
            "error" => "::error ",
            "warning" => "::warning ",
            _ => "::notice ",
        };
        assert!(line.starts_with(command), "{line}");
        assert!(line.contains(&format!(",title={}::", f.rule)));
    }
    assert_eq!(text.lines().count(), outcome.findings.len());
}

// --- GitLab Code Quality -----------------------------------------------------------------

#[test]
fn gitlab_issues_have_unique_fingerprints_and_mapped_severities() {
    let outcome = outcome(DEMO);
    let issues: Vec<Value> = serde_json::from_str(&gitlab::render(&outcome)).unwrap();
    assert_eq!(issues.len(), outcome.findings.len());
    let prints: BTreeSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(prints.len(), issues.len());
    for (issue, f) in issues.iter().zip(&outcome.findings) {
        let severity = match f.severity.name() {
            "error" => "critical",
            "warning" => "major",
            _ => "info",
        };
        assert_eq!(issue["severity"], severity);
        assert_eq!(issue["check_name"], f.rule);
        assert_eq!(issue["description"], f.message.as_str());
        assert!(issue["location"]["lines"]["begin"].as_u64().unwrap() >= 1);
        assert!(!issue["location"]["path"].as_str().unwrap().contains('\\'));
    }
}

#[test]
fn gitlab_fingerprints_of_repeated_findings_get_a_counter() {
    // Two apps with the same name in two package folders make the same finding twice.
    let dir = tempfile::tempdir().unwrap();
    for folder in ["one", "two"] {
        let apps = dir.path().join(folder).join("connectedApps");
        std::fs::create_dir_all(&apps).unwrap();
        std::fs::write(
            apps.join("Same.connectedApp-meta.xml"),
            "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><oauthConfig><scopes>RefreshToken</scopes></oauthConfig><oauthPolicy><refreshTokenPolicy>zero</refreshTokenPolicy></oauthPolicy></ConnectedApp>\n",
        )
        .unwrap();
    }
    let issues: Vec<Value> = serde_json::from_str(&gitlab::render(&outcome(dir.path()))).unwrap();
    let prints: Vec<&str> = issues
        .iter()
        .filter(|i| i["check_name"] == "expiring-refresh-token")
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    assert_eq!(prints.len(), 2, "{issues:?}");
    assert_eq!(format!("{}:2", prints[0]), prints[1]);
    let all: BTreeSet<&str> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    assert_eq!(all.len(), issues.len());
}

// --- JUnit -------------------------------------------------------------------------------

#[derive(Debug, Default)]
struct Suite {
    name: String,
    tests: usize,
    failures: usize,
    skipped: usize,
    cases: usize,
    failed: usize,
    skips: usize,
    messages: Vec<String>,
}

/// Parses the XML back: the suites with their declared and counted cases.
fn parse_junit(xml: &str) -> ((usize, usize, usize), Vec<Suite>) {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut totals = (0, 0, 0);
    let mut suites: Vec<Suite> = Vec::new();
    let number = |e: &quick_xml::events::BytesStart, name: &str| -> usize {
        let attr = e.try_get_attribute(name).unwrap().unwrap_or_else(|| panic!("{name} missing"));
        attr.normalized_value(XmlVersion::Explicit1_0).unwrap().parse().unwrap()
    };
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() as &str {
                "testsuites" => totals = (number(&e, "tests"), number(&e, "failures"), number(&e, "skipped")),
                "testsuite" => suites.push(Suite {
                    name: e
                        .try_get_attribute("name")
                        .unwrap()
                        .unwrap()
                        .normalized_value(XmlVersion::Explicit1_0)
                        .unwrap()
                        .into_owned(),
                    tests: number(&e, "tests"),
                    failures: number(&e, "failures"),
                    skipped: number(&e, "skipped"),
                    ..Suite::default()
                }),
                "testcase" => suites.last_mut().unwrap().cases += 1,
                "failure" => {
                    let suite = suites.last_mut().unwrap();
                    suite.failed += 1;
                    let message = e
                        .try_get_attribute("message")
                        .unwrap()
                        .unwrap()
                        .normalized_value(XmlVersion::Explicit1_0)
                        .unwrap();
                    suite.messages.push(message.into_owned());
                }
                "skipped" => suites.last_mut().unwrap().skips += 1,
                _ => {}
            },
            _ => {}
        }
    }
    (totals, suites)
}

#[test]
fn junit_is_well_formed_and_counts_add_up() {
    let outcome = outcome(DEMO);
    let (totals, suites) = parse_junit(&junit::render(&outcome));
    for s in &suites {
        assert_eq!((s.tests, s.failures, s.skipped), (s.cases, s.failed, s.skips), "{s:?}");
        assert!(s.failures > 0 || s.cases >= 1);
    }
    let sum = |f: fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    assert_eq!(totals, (sum(|s| s.cases), sum(|s| s.failed), sum(|s| s.skips)));
    assert_eq!(totals.1, outcome.findings.len());
    assert_eq!(totals.2, outcome.suppressed.len());
    // A suite for every app, clean or not, and one for each file with findings about no app.
    for app in &outcome.project.apps {
        assert!(suites.iter().any(|s| s.name == app.name), "no suite for {}", app.name);
    }
    assert!(suites.iter().any(|s| s.name.ends_with("Survey_Tool.connectedApp-meta.xml")));
    let mut messages: Vec<&str> = suites.iter().flat_map(|s| s.messages.iter().map(String::as_str)).collect();
    let mut expected: Vec<&str> = outcome.findings.iter().map(|f| f.message.as_str()).collect();
    messages.sort();
    expected.sort();
    assert_eq!(messages, expected);
}

#[test]
fn junit_escapes_hostile_values() {
    let dir = hostile();
    let outcome = outcome(dir.path());
    let xml = junit::render(&outcome);
    let (totals, suites) = parse_junit(&xml);
    assert_eq!(totals.1, 2);
    assert_eq!(suites[0].name, "Odd<b>&\"x\",y:z 100%");
    // The message attribute reads back exactly, CR LF included.
    let mut messages: Vec<String> = suites.iter().flat_map(|s| s.messages.clone()).collect();
    let mut expected: Vec<String> = outcome.findings.iter().map(|f| f.message.clone()).collect();
    messages.sort();
    expected.sort();
    assert_eq!(messages, expected);
    assert!(expected.iter().any(|m| m.contains("\r\n::error::x")));
    assert!(!xml.contains("<script>"));
}

// --- Markdown ----------------------------------------------------------------------------

#[test]
fn markdown_links_rules_and_escapes_values() {
    let md = markdown::render(&outcome(DEMO));
    for f in &outcome(DEMO).findings {
        assert!(md.contains(&format!("[`{}`](", f.rule)));
    }
    assert!(md.contains("```xml\n"));
    assert!(md.contains("```toml\n"));

    let dir = hostile();
    let md = markdown::render(&outcome(dir.path()));
    // Markup is literal only inside code spans; elsewhere it is escaped.
    for line in md.lines() {
        for needle in ["<script", "<b>"] {
            for (at, _) in line.match_indices(needle) {
                let ticks = line[..at].matches('`').count();
                assert!(ticks % 2 == 1, "{needle} outside a code span: {line}");
            }
        }
    }
    assert!(md.contains("`Odd<b>&\"x\",y:z 100%`"));
    // The value's own backticks re-pair the spans; line breaks in a span become spaces.
    assert!(md.contains("` *b* | [l](u) &amp;  ::error::x`"), "{md}");
}

#[test]
fn markdown_folds_long_groups() {
    // One app with four findings (rotation, enforced IP, expiring tokens, short session).
    let dir = tempfile::tempdir().unwrap();
    let apps = dir.path().join("connectedApps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::write(
        apps.join("Busy.connectedApp-meta.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<ConnectedApp xmlns="http://soap.sforce.com/2006/04/metadata">
    <label>Busy</label>
    <oauthConfig>
        <callbackUrl>https://x.example/cb</callbackUrl>
        <isRefreshTokenRotationEnabled>true</isRefreshTokenRotationEnabled>
        <scopes>RefreshToken</scopes>
    </oauthConfig>
    <oauthPolicy>
        <ipRelaxation>ENFORCE</ipRelaxation>
        <refreshTokenPolicy>zero</refreshTokenPolicy>
    </oauthPolicy>
    <sessionPolicy>
        <sessionTimeout>15</sessionTimeout>
    </sessionPolicy>
</ConnectedApp>
"#,
    )
    .unwrap();
    let outcome = outcome(dir.path());
    assert!(outcome.findings.len() > markdown::FOLD, "{:?}", outcome.findings);
    let md = markdown::render(&outcome);
    let n = outcome.findings.len();
    assert!(md.contains(&format!("<details><summary>{n} findings: ")), "{md}");
    assert!(md.trim_end().ends_with("</details>"));

    // The demo has no group that long: nothing folded but the suppressed list.
    let outcome = self::outcome(DEMO);
    let md = markdown::render(&outcome);
    let long = forcelint::report::groups(&outcome).iter().filter(|g| g.findings.len() > markdown::FOLD).count();
    let folded = md.matches("<details>").count();
    assert_eq!(folded, long + usize::from(!outcome.suppressed.is_empty()));
    assert_eq!(folded, md.matches("</details>").count());
}

// --- HTML --------------------------------------------------------------------------------

/// Every value of a `src` or `href` attribute, roughly (enough for generated markup).
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=", "href=", "action=", "srcset="] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split([' ', '>']).next().unwrap_or(""),
            };
            out.push(value.to_string());
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

#[test]
fn html_is_self_contained() {
    let outcome = outcome(DEMO);
    let page = html::render(&outcome);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.trim_end().ends_with("</html>"));
    for link in links(&page) {
        assert!(link.starts_with('#'), "only in-page links: {link}");
    }
    for forbidden in ["<link", "@import", "url(", "<img", "<iframe", "http-equiv=\"refresh\""] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
    assert!(page.contains("default-src 'none'"));
    assert_eq!(page.matches("<script").count(), 1);
    // Every finding, its rule and severity; every app with its purpose.
    for f in &outcome.findings {
        for part in f.message.split('`') {
            assert!(page.contains(&escape(part)), "missing {part:?}");
        }
        assert!(page.contains(&format!("data-severity=\"{}\" data-rule=\"{}\"", f.severity.name(), f.rule)));
    }
    assert_eq!(page.matches("<article class=\"finding").count(), outcome.findings.len());
    for (app, class) in outcome.project.classified_apps() {
        assert!(page.contains(&format!("<td><strong>{}</strong>", escape(&app.name))), "{}", app.name);
        let _ = class;
    }
    // The filters: one checkbox per severity, one option per rule with findings.
    assert_eq!(page.matches("name=\"severity\"").count(), 3);
    let rules: BTreeSet<&str> = outcome.findings.iter().map(|f| f.rule).collect();
    assert_eq!(page.matches("<option value=\"").count(), rules.len() + 1);
}

#[test]
fn html_escapes_hostile_values() {
    let dir = hostile();
    let outcome = outcome(dir.path());
    let page = html::render(&outcome);
    assert_eq!(page.matches("<script").count(), 1, "only forcelint's own script");
    assert!(!page.contains("<b>&"));
    assert!(page.contains("Odd&lt;b&gt;&amp;&quot;x&quot;,y:z 100%"));
    assert!(page.contains("&lt;script&gt;alert(&#39;1&#39;)&lt;/script&gt;"));
    for link in links(&page) {
        assert!(link.starts_with('#'), "{link}");
    }
}

// --- the command line --------------------------------------------------------------------

#[test]
fn output_writes_the_report_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.sarif");
    let stdout = Command::cargo_bin("forcelint").unwrap().args(["check", DEMO, "--format", "sarif"]).output().unwrap();
    let to_file = Command::cargo_bin("forcelint")
        .unwrap()
        .args(["check", DEMO, "--format", "sarif", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    // Same exit status, nothing on stdout, the same report in the file.
    assert_eq!(to_file.status.code(), Some(1));
    assert_eq!(stdout.status.code(), Some(1));
    assert!(to_file.stdout.is_empty());
    assert_eq!(std::fs::read(&file).unwrap(), stdout.stdout);
    assert!(String::from_utf8_lossy(&to_file.stderr).contains("errors"));

    let clean = Command::cargo_bin("forcelint")
        .unwrap()
        .args(["check", DEMO, "--format", "html", "--fail-on", "never", "-o"])
        .arg(dir.path().join("report.html"))
        .output()
        .unwrap();
    assert_eq!(clean.status.code(), Some(0));
    assert!(std::fs::read_to_string(dir.path().join("report.html")).unwrap().contains("<!DOCTYPE html>"));

    // A file that cannot be written fails the run.
    Command::cargo_bin("forcelint")
        .unwrap()
        .args(["check", DEMO, "--format", "junit", "--output"])
        .arg(dir.path().join("missing/report.xml"))
        .assert()
        .code(2);
}

#[test]
fn every_format_is_accepted() {
    for format in ["sarif", "github", "gitlab", "junit", "markdown", "html"] {
        let out = Command::cargo_bin("forcelint").unwrap().args(["check", DEMO, "--format", format]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(!out.stdout.is_empty(), "{format}");
    }
}

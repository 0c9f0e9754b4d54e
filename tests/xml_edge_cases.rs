//! XML edge cases end to end: the built binary on the files in `fixtures/xml/`, plus files
//! that cannot be committed as text (non-UTF-8, UTF-16, huge, deeply nested), which are
//! written to a temporary folder.
//!
//! Well-formed files never give a `parse-error` and their finding points at the value; each
//! malformed file gives exactly one `parse-error` on the right line; one bad file never
//! stops the others; and no input makes the binary panic, in any output format.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const WELL_FORMED: &str = "fixtures/xml/well-formed";
const MALFORMED: &str = "fixtures/xml/malformed";
const MIXED: &str = "fixtures/xml/mixed";
const SUFFIX: &str = ".connectedApp-meta.xml";

fn forcelint() -> Command {
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.env_remove("NO_COLOR").env("NO_COLOR", "1");
    cmd
}

/// Runs `check <path> --format json`; the run itself must not fail (exit 2) or crash.
fn check(path: &Path) -> Value {
    let out = forcelint().arg("check").arg(path).args(["--format", "json"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}: {:?}\n{stderr}", path.display(), out.status);
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{}: invalid JSON ({e})\n{stderr}", path.display()))
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings array")
}

fn file_name(finding: &Value) -> String {
    let path = finding["location"]["path"].as_str().unwrap();
    Path::new(path).file_name().unwrap().to_string_lossy().into_owned()
}

fn line(finding: &Value) -> u64 {
    finding["location"]["start"]["line"].as_u64().unwrap()
}

fn column(finding: &Value) -> u64 {
    finding["location"]["start"]["column"].as_u64().unwrap()
}

fn with_rule<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    findings(report).iter().filter(|f| f["rule"] == rule).collect()
}

fn fixture(dir: &str, name: &str) -> std::path::PathBuf {
    Path::new(dir).join(format!("{name}{SUFFIX}"))
}

/// Exactly one finding, a `parse-error` (an error), in `path`; returns it.
fn one_parse_error(path: &Path) -> Value {
    let report = check(path);
    let all = findings(&report);
    assert_eq!(all.len(), 1, "{}: {all:#?}", path.display());
    let f = all[0].clone();
    assert_eq!(f["rule"], "parse-error", "{}: {f:#?}", path.display());
    assert_eq!(f["severity"], "error");
    f
}

/// (file stem, line and column of the `zero` refresh-token policy value).
const WELL_FORMED_FILES: [(&str, u64, u64); 9] = [
    ("Bom", 12, 29),
    ("Cdata", 12, 38),
    ("Comments", 18, 51),
    ("Crlf", 13, 13),
    ("Doctype_And_Whitespace", 13, 25),
    ("Entities", 12, 29),
    ("Namespace_Prefix", 12, 32),
    ("Odd_Declaration", 12, 29),
    ("Xsi_Nil", 14, 29),
];

#[test]
fn well_formed_fixtures_parse_and_findings_point_at_the_value() {
    for (name, line_no, col) in WELL_FORMED_FILES {
        let path = fixture(WELL_FORMED, name);
        let report = check(&path);
        assert!(with_rule(&report, "parse-error").is_empty(), "{name}: {report:#}");
        // The value decoded to exactly `zero`: no "unknown literal", no "empty" element.
        assert!(with_rule(&report, "invalid-policy-value").is_empty(), "{name}: {report:#}");
        let expiring = with_rule(&report, "expiring-refresh-token");
        assert_eq!(expiring.len(), 1, "{name}: {report:#}");
        assert_eq!((line(expiring[0]), column(expiring[0])), (line_no, col), "{name}: {:#}", expiring[0]);
        assert_eq!(expiring[0]["severity"], "error");
    }
}

#[test]
fn well_formed_folder_has_no_parse_error() {
    let report = check(Path::new(WELL_FORMED));
    assert!(with_rule(&report, "parse-error").is_empty(), "{report:#}");
    assert_eq!(with_rule(&report, "expiring-refresh-token").len(), WELL_FORMED_FILES.len());
    assert_eq!(report["summary"]["files"], WELL_FORMED_FILES.len());
}

#[test]
fn crlf_finding_spans_exactly_the_value() {
    let report = check(&fixture(WELL_FORMED, "Crlf"));
    let f = with_rule(&report, "expiring-refresh-token")[0];
    let (start, end) = (&f["location"]["start"], &f["location"]["end"]);
    assert_eq!((start["line"].as_u64(), start["column"].as_u64()), (Some(13), Some(13)));
    assert_eq!((end["line"].as_u64(), end["column"].as_u64()), (Some(13), Some(17)));
    let bytes = std::fs::read(fixture(WELL_FORMED, "Crlf")).unwrap();
    let (s, e) = (start["offset"].as_u64().unwrap() as usize, end["offset"].as_u64().unwrap() as usize);
    assert_eq!(&bytes[s..e], b"zero");
}

#[test]
fn bom_offsets_count_the_mark() {
    let report = check(&fixture(WELL_FORMED, "Bom"));
    let f = with_rule(&report, "expiring-refresh-token")[0];
    let bytes = std::fs::read(fixture(WELL_FORMED, "Bom")).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "the fixture must keep its byte-order mark");
    let (s, e) = (
        f["location"]["start"]["offset"].as_u64().unwrap() as usize,
        f["location"]["end"]["offset"].as_u64().unwrap() as usize,
    );
    assert_eq!(&bytes[s..e], b"zero");
}

/// (file stem, line of the error, part of the message).
const MALFORMED_FILES: [(&str, u64, &str); 13] = [
    ("Bare_Ampersand", 4, "`&`"),
    ("Declaration_Not_First", 2, "very start of the file"),
    ("Doctype_Entity", 7, "unknown entity `&company;`"),
    ("Double_Hyphen_Comment", 12, "`--`"),
    ("Empty", 1, "no root element"),
    ("Less_Than_In_Text", 7, "`&lt;`"),
    ("Malformed_Attribute", 2, "quotes"),
    ("Mismatched_End_Tag", 7, "</scope>"),
    ("Second_Root", 15, "second root element"),
    ("Text_After_Root", 16, "text after the root element"),
    ("Unclosed_Element", 10, "<oauthPolicy> is never closed"),
    ("Unknown_Entity", 4, "unknown entity `&eacute;`"),
    ("Wrong_Root", 2, "<Profile>"),
];

#[test]
fn each_malformed_fixture_gives_one_parse_error_on_the_right_line() {
    for (name, line_no, message) in MALFORMED_FILES {
        let f = one_parse_error(&fixture(MALFORMED, name));
        assert_eq!(line(&f), line_no, "{name}: {f:#}");
        let text = f["message"].as_str().unwrap();
        assert!(text.contains(message), "{name}: {text:?} should mention {message:?}");
        assert!(!text.contains("Expanded Corp"), "{name}: a DOCTYPE entity was expanded: {text}");
    }
}

#[test]
fn malformed_folder_gives_one_parse_error_per_file() {
    let report = check(Path::new(MALFORMED));
    let all = findings(&report);
    assert!(all.iter().all(|f| f["rule"] == "parse-error"), "{report:#}");
    let mut files: Vec<String> = all.iter().map(file_name).collect();
    files.dedup();
    assert_eq!(files.len(), all.len(), "more than one finding for a file: {files:?}");
    let expected: Vec<String> = MALFORMED_FILES.iter().map(|(n, _, _)| format!("{n}{SUFFIX}")).collect();
    assert_eq!(files, expected);
    for (f, (_, line_no, _)) in all.iter().zip(MALFORMED_FILES) {
        assert_eq!(line(f), line_no, "{f:#}");
    }
}

#[test]
fn one_bad_file_never_stops_the_others() {
    let report = check(Path::new(MIXED));
    let found: Vec<(String, String, u64)> =
        findings(&report).iter().map(|f| (f["rule"].as_str().unwrap().to_string(), file_name(f), line(f))).collect();
    assert_eq!(
        found,
        [
            ("parse-error".to_string(), format!("Broken{SUFFIX}"), 13),
            ("expiring-refresh-token".to_string(), format!("Expiring{SUFFIX}"), 12),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Files written at test time.

const GOOD_HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n";

fn expiring_app() -> String {
    format!(
        "{GOOD_HEAD}    <label>Good</label>\n    <oauthConfig>\n        <callbackUrl>https://x.example.com/cb</callbackUrl>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

/// A temporary folder with a valid app (one finding) and `name` holding `bytes`.
fn folder_with(name: &str, bytes: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("Good{SUFFIX}")), expiring_app()).unwrap();
    std::fs::write(dir.path().join(format!("{name}{SUFFIX}")), bytes).unwrap();
    dir
}

/// The bad file gives one parse-error at `line_no` and the good file still gives its
/// finding; returns the parse error's message.
fn bad_beside_good(name: &str, bytes: &[u8], line_no: u64) -> String {
    let dir = folder_with(name, bytes);
    let report = check(dir.path());
    let errors = with_rule(&report, "parse-error");
    assert_eq!(errors.len(), 1, "{name}: {report:#}");
    assert_eq!(file_name(errors[0]), format!("{name}{SUFFIX}"));
    assert_eq!(line(errors[0]), line_no, "{name}: {:#}", errors[0]);
    let good = with_rule(&report, "expiring-refresh-token");
    assert_eq!(good.len(), 1, "{name}: {report:#}");
    assert_eq!(file_name(good[0]), format!("Good{SUFFIX}"));
    // The bad file alone, named on the command line, gives the same single finding.
    let alone = one_parse_error(&dir.path().join(format!("{name}{SUFFIX}")));
    assert_eq!(line(&alone), line_no);
    errors[0]["message"].as_str().unwrap().to_string()
}

#[test]
fn non_utf8_file() {
    // Latin-1 `é` on line 3.
    let mut bytes = GOOD_HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"    <label>Caf\xE9</label>\n</ConnectedApp>\n");
    let message = bad_beside_good("Latin1", &bytes, 3);
    assert!(message.contains("UTF-8"), "{message}");
}

#[test]
fn utf16_files() {
    let text = expiring_app();
    let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain(text.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    assert!(bad_beside_good("Utf16le", &le, 1).contains("UTF-16"));
    assert!(bad_beside_good("Utf16be", &be, 1).contains("UTF-16"));
    // Without a byte-order mark, ASCII text in UTF-16 is valid UTF-8 full of NULs.
    let bare: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert!(bad_beside_good("Utf16bare", &bare, 1).contains("UTF-16"));
}

#[test]
fn control_character() {
    let bytes = format!("{GOOD_HEAD}    <label>a\u{1}b</label>\n</ConnectedApp>\n");
    assert!(bad_beside_good("Control", bytes.as_bytes(), 3).contains("U+0001"));
}

#[test]
fn deep_nesting() {
    // Just beyond the limit: the error is on the line of the first element too deep.
    let depth = forcelint::xml::MAX_DEPTH;
    let mut text = GOOD_HEAD.to_string();
    for _ in 1..depth {
        text.push_str("<a>");
    }
    text.push_str("\n<b>x</b>\n");
    for _ in 1..depth {
        text.push_str("</a>");
    }
    text.push_str("\n</ConnectedApp>\n");
    assert!(bad_beside_good("Deep", text.as_bytes(), 4).contains("nested deeper"));

    // Far beyond it: no stack overflow.
    let levels = 100_000;
    let huge = format!("{GOOD_HEAD}{}{}</ConnectedApp>\n", "<a>".repeat(levels), "</a>".repeat(levels));
    bad_beside_good("VeryDeep", huge.as_bytes(), 3);
}

#[test]
fn big_text_node_is_fine() {
    let dir = folder_with(
        "Big",
        format!("{GOOD_HEAD}    <description>{}</description>\n</ConnectedApp>\n", "x".repeat(1 << 20)).as_bytes(),
    );
    let report = check(dir.path());
    assert!(with_rule(&report, "parse-error").is_empty(), "{report:#}");
    assert_eq!(with_rule(&report, "expiring-refresh-token").len(), 1);
}

#[test]
fn file_over_the_size_limit() {
    let size = forcelint::engine::MAX_FILE_SIZE as usize + 1;
    let mut text = format!("{GOOD_HEAD}    <description>");
    text.push_str(&"x".repeat(size - text.len()));
    let message = bad_beside_good("Huge", text.as_bytes(), 1);
    assert!(message.contains("MiB"), "{message}");
}

// ---------------------------------------------------------------------------------------
// No crash in any format.

#[test]
fn no_format_panics_on_any_fixture() {
    let mut paths = vec![WELL_FORMED.to_string(), MALFORMED.to_string(), MIXED.to_string()];
    for dir in [WELL_FORMED, MALFORMED, MIXED] {
        for entry in std::fs::read_dir(dir).unwrap() {
            paths.push(entry.unwrap().path().to_string_lossy().into_owned());
        }
    }
    for path in &paths {
        for format in ["human", "concise", "json"] {
            let out = forcelint().args(["check", path, "--format", format]).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(matches!(out.status.code(), Some(0 | 1)), "{path} --format {format}: {:?}\n{stderr}", out.status);
            assert!(!stderr.contains("panicked"), "{path} --format {format}:\n{stderr}");
            assert!(!out.stdout.is_empty(), "{path} --format {format}: no output");
        }
    }
}

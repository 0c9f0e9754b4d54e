//! Nothing in a repository, however broken or hostile, makes forcelint panic, hang, or eat
//! memory: pathological files and folders, end to end through the built binary (always with
//! a timeout), plus the inputs the fuzzers found (`fixtures/fuzz-regressions/`).
//!
//! Covered elsewhere, so not repeated here:
//! - a 1 MB text node: `xml_edge_cases::big_text_node_is_fine`;
//! - elements nested 100,000 deep (a `parse-error`, no stack overflow):
//!   `xml_edge_cases::deep_nesting`;
//! - invalid UTF-8: `xml_edge_cases::non_utf8_file`; UTF-16 with and without a byte-order
//!   mark: `xml_edge_cases::utf16_files`;
//! - a file just over the size limit, written in full: `xml_edge_cases::file_over_the_size_limit`;
//! - DOCTYPE entities are never expanded: `fixtures/xml/malformed/Doctype_Entity.connectedApp-meta.xml`
//!   (`xml_edge_cases`) and `doctype_entities_are_never_expanded` in `src/xml/tests.rs`;
//! - a symbolic link loop between folders: `cli::symlink_loops_do_not_hang`;
//! - a path that does not exist (exit 2, a clear message): `cli::run_failures_exit_two`;
//! - a folder with no Salesforce metadata (exit 0, a note on stderr):
//!   `cli::a_folder_without_metadata_gets_a_note`.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;
use forcelint::discover::Candidate;
use forcelint::model::MetadataKind;
use forcelint::rules::Options;
use serde_json::Value;

#[path = "../fuzz/src/harness.rs"]
mod harness;

/// Every run here finishes in seconds; this only turns a hang into a failure.
const TIMEOUT: Duration = Duration::from_secs(60);

const SUFFIX: &str = ".connectedApp-meta.xml";

fn forcelint() -> Command {
    let mut cmd = Command::cargo_bin("forcelint").unwrap();
    cmd.env_remove("NO_COLOR").timeout(TIMEOUT);
    cmd
}

/// Runs the binary; it must finish in time with 0 or 1 (findings or none), never crash.
fn run(args: &[&str], paths: &[&Path]) -> Output {
    let out = forcelint().args(args).args(paths).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?} {paths:?}: {:?} (killed after {TIMEOUT:?}, or crashed)\n{stderr}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{args:?} {paths:?}:\n{stderr}");
    out
}

/// `check --format json` on `paths`: the report.
fn check(paths: &[&Path]) -> Value {
    let out = run(&["check", "--format", "json"], paths);
    serde_json::from_slice(&out.stdout).expect("a JSON report")
}

/// (rule, file name, message) of every finding.
fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = Path::new(f["location"]["path"].as_str().unwrap());
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (f["rule"].as_str().unwrap().into(), name, f["message"].as_str().unwrap().into())
        })
        .collect()
}

/// A connected app with one finding, `expiring-refresh-token` (a `zero` policy).
fn expiring_app(label: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{label}</label>\n    <oauthConfig>\n        <callbackUrl>https://x.example.com/cb</callbackUrl>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

/// A temporary folder holding `Good.connectedApp-meta.xml`, whose one finding shows that the
/// rest of the run went on.
fn folder_with_good_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("Good{SUFFIX}")), expiring_app("Good")).unwrap();
    dir
}

fn assert_good_app_reported(found: &[(String, String, String)]) {
    assert!(
        found.iter().any(|(rule, file, _)| rule == "expiring-refresh-token" && *file == format!("Good{SUFFIX}")),
        "the good file's finding is missing: {found:#?}"
    );
}

/// The messages of the `parse-error` findings in `file`.
fn parse_errors_in(found: &[(String, String, String)], file: &str) -> Vec<String> {
    found.iter().filter(|(rule, f, _)| rule == "parse-error" && f == file).map(|(_, _, m)| m.clone()).collect()
}

// ---------------------------------------------------------------------------------------
// What the fuzzers found, and their seeds.

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}

/// Every input kept in `fixtures/fuzz-regressions/<target>/` goes through its fuzz target's
/// body again (`fuzz/src/harness.rs`), which panics where forcelint broke a promise.
#[test]
fn fuzz_regressions_stay_fixed() {
    let mut replayed = 0;
    for (target, body) in harness::TARGETS {
        for file in files_in(&Path::new("fixtures/fuzz-regressions").join(target)) {
            let data = std::fs::read(&file).unwrap();
            if std::panic::catch_unwind(|| body(&data)).is_err() {
                panic!("{} fails again", file.display());
            }
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found: run the tests from the project root");
}

/// The seed corpora run cleanly through the fuzz targets' bodies: this keeps the harness
/// compiling and honest, since `cargo test` never builds the fuzz crate itself.
#[test]
fn fuzz_seeds_run_cleanly() {
    for (target, body) in harness::TARGETS {
        let seeds: Vec<PathBuf> = files_in(&Path::new("fuzz/corpus").join(target))
            .into_iter()
            .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("seed-")))
            .collect();
        assert!(!seeds.is_empty(), "no seeds for {target}: `python3 fuzz/seed-corpus.py` writes them");
        for seed in seeds {
            body(&std::fs::read(&seed).unwrap());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Files that are not what their name says.

#[test]
fn a_sparse_file_far_over_the_size_limit_is_not_read() {
    // 64 times the limit, but sparse: the test writes nothing, and forcelint must not try to
    // read it (that would take 1 GiB of memory, and time).
    let dir = folder_with_good_app();
    let huge = dir.path().join(format!("Huge{SUFFIX}"));
    std::fs::File::create(&huge).unwrap().set_len(forcelint::engine::MAX_FILE_SIZE * 64).unwrap();
    let found = findings(&check(&[dir.path()]));
    let errors = parse_errors_in(&found, &format!("Huge{SUFFIX}"));
    assert_eq!(errors.len(), 1, "{found:#?}");
    assert!(errors[0].contains("1024 MiB") && errors[0].contains("not read"), "{}", errors[0]);
    assert_good_app_reported(&found);
}

/// Makes a FIFO; `false` where `mkfifo` is not available.
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success())
}

#[test]
fn a_fifo_named_like_metadata_never_blocks_the_run() {
    let dir = folder_with_good_app();
    let fifo = dir.path().join(format!("Stuck{SUFFIX}"));
    if !mkfifo(&fifo) {
        eprintln!("skipped: `mkfifo` is not available here");
        return;
    }
    // Found by the walk: not a file, so never opened (opening a FIFO blocks until a writer
    // comes) and not reported.
    let found = findings(&check(&[dir.path()]));
    assert_good_app_reported(&found);
    assert!(found.iter().all(|(_, file, _)| *file != format!("Stuck{SUFFIX}")), "{found:#?}");

    // Named on the command line: reported, still without opening it.
    let found = findings(&check(&[&fifo]));
    assert_eq!(parse_errors_in(&found, &format!("Stuck{SUFFIX}")), ["not a regular file"], "{found:#?}");
}

#[test]
fn configuration_files_that_are_fifos_or_huge_are_refused_not_read() {
    // forcelint.toml, sfdx-project.json and .forceignore are read whole before anything
    // else: a FIFO would block the run, a huge file fill memory.
    for name in ["forcelint.toml", "sfdx-project.json", ".forceignore"] {
        for fifo in [true, false] {
            let dir = folder_with_good_app();
            let path = dir.path().join(name);
            if fifo && !mkfifo(&path) {
                eprintln!("skipped: `mkfifo` is not available here");
                continue;
            }
            if !fifo {
                std::fs::File::create(&path).unwrap().set_len(1 << 30).unwrap();
            }
            let out = forcelint().args(["check", "--format", "json"]).arg(dir.path()).output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            let said = if fifo { "not a regular file" } else { "over the limit of 4 MiB" };
            assert!(stderr.contains(said), "{name} (fifo: {fifo}): {stderr}");
            if name == ".forceignore" {
                // A note: the rest of the run goes on.
                assert_eq!(out.status.code(), Some(1), "{stderr}");
                assert_good_app_reported(&findings(&serde_json::from_slice(&out.stdout).unwrap()));
            } else {
                assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
                // Also when the run is for a file of the folder (pre-commit).
                let good = dir.path().join(format!("Good{SUFFIX}"));
                let out = forcelint().args(["check", "--format", "json"]).arg(&good).output().unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(2), "{name} (fifo: {fifo}), file named: {stderr}");
                assert!(stderr.contains(said), "{name} (fifo: {fifo}), file named: {stderr}");
            }
        }
    }
}

#[test]
fn doctype_entities_are_never_expanded_nor_fetched() {
    // Anything that tried to fetch the DTD or an external entity would connect here.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    // A file outside the scanned folder that an external entity names.
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-VALUE").unwrap();

    let dir = folder_with_good_app();
    let app = expiring_app("x");
    let body = app.split_once('\n').unwrap().1;
    let with_doctype = |name: &str, doctype: &str, label: &str| {
        let text = format!("<?xml version=\"1.0\"?>\n{doctype}\n{}", body.replace("<label>x</label>", label));
        std::fs::write(dir.path().join(format!("{name}{SUFFIX}")), text).unwrap();
    };
    // External entities: over HTTP, from a file, and a parameter entity that would pull in
    // more definitions.
    with_doctype(
        "External",
        &format!(
            "<!DOCTYPE ConnectedApp [\n  <!ENTITY web SYSTEM \"{url}/entity\">\n  <!ENTITY file SYSTEM \"file://{}\">\n  <!ENTITY % dtd SYSTEM \"{url}/more.dtd\"> %dtd;\n]>",
            secret.display()
        ),
        "<label>&file;&web;</label>",
    );
    // "Billion laughs": each entity ten of the one before.
    let mut laughs = String::from("<!DOCTYPE ConnectedApp [\n  <!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        laughs.push_str(&format!("  <!ENTITY lol{i} \"{refs}\">\n"));
    }
    laughs.push_str("]>");
    with_doctype("Laughs", &laughs, "<label>&lol9;</label>");
    // An external DTD that is never referenced otherwise: the file is fine as it is.
    with_doctype("Dtd", &format!("<!DOCTYPE ConnectedApp SYSTEM \"{url}/connectedapp.dtd\">"), "<label>x</label>");

    let out = run(&["check", "--format", "json"], &[dir.path()]);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found = findings(&report);
    assert_eq!(parse_errors_in(&found, &format!("External{SUFFIX}")), ["unknown entity `&file;`"], "{found:#?}");
    assert_eq!(parse_errors_in(&found, &format!("Laughs{SUFFIX}")), ["unknown entity `&lol9;`"], "{found:#?}");
    assert!(parse_errors_in(&found, &format!("Dtd{SUFFIX}")).is_empty(), "{found:#?}");
    assert!(found.iter().any(|(r, f, _)| r == "expiring-refresh-token" && *f == format!("Dtd{SUFFIX}")));
    assert_good_app_reported(&found);
    // Nothing expanded, nothing read, nothing fetched.
    assert!(out.stdout.len() < 64 * 1024, "{} bytes of output", out.stdout.len());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("TOP-SECRET-VALUE"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("lollol"));
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other => panic!("something connected to {url}: {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------
// Links, permissions, files that come and go.

#[cfg(unix)]
#[test]
fn symbolic_links_are_not_followed_out_of_the_project() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let apps = outside.path().join("connectedApps");
    std::fs::create_dir(&apps).unwrap();
    std::fs::write(apps.join(format!("Outside{SUFFIX}")), expiring_app("Outside")).unwrap();

    let dir = folder_with_good_app();
    let project = dir.path();
    // A file link and a folder link out of the project, a link to itself, and a dangling one,
    // all named like metadata.
    symlink(apps.join(format!("Outside{SUFFIX}")), project.join(format!("Linked{SUFFIX}"))).unwrap();
    symlink(&apps, project.join("connectedApps")).unwrap();
    symlink(project.join(format!("Loop{SUFFIX}")), project.join(format!("Loop{SUFFIX}"))).unwrap();
    symlink(project.join("nowhere"), project.join(format!("Dangling{SUFFIX}"))).unwrap();

    let report = check(&[project]);
    let found = findings(&report);
    assert_good_app_reported(&found);
    assert_eq!(found.len(), 1, "only the good file is read: {found:#?}");
    assert_eq!(report["summary"]["files"], 1, "{report:#}");
    let text = report.to_string();
    assert!(!text.contains("Outside") && !text.contains("Linked") && !text.contains("Loop"), "{report:#}");
}

/// Makes `path` unreadable; `false` (with the reason printed) where permissions do not bite,
/// as for root in CI.
#[cfg(unix)]
fn make_unreadable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
    let readable = if path.is_dir() { std::fs::read_dir(path).is_ok() } else { std::fs::read(path).is_ok() };
    if readable {
        eprintln!("skipped: {} is still readable after chmod 000 (running as root?)", path.display());
    }
    !readable
}

#[cfg(unix)]
fn make_readable(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_a_finding_and_the_others_are_still_checked() {
    let dir = folder_with_good_app();
    let locked = dir.path().join(format!("Locked{SUFFIX}"));
    std::fs::write(&locked, expiring_app("Locked")).unwrap();
    if !make_unreadable(&locked) {
        return;
    }
    let found = findings(&check(&[dir.path()]));
    make_readable(&locked, 0o644);
    let errors = parse_errors_in(&found, &format!("Locked{SUFFIX}"));
    assert_eq!(errors.len(), 1, "{found:#?}");
    assert!(errors[0].starts_with("cannot read the file: Permission denied"), "{}", errors[0]);
    assert_good_app_reported(&found);
}

#[cfg(unix)]
#[test]
fn an_unreadable_folder_is_a_note_and_the_others_are_still_checked() {
    let dir = folder_with_good_app();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join(format!("Hidden{SUFFIX}")), expiring_app("Hidden")).unwrap();
    if !make_unreadable(&locked) {
        make_readable(&locked, 0o755);
        return;
    }
    let out = run(&["check", "--format", "json"], &[dir.path()]);
    make_readable(&locked, 0o755);
    let found = findings(&serde_json::from_slice(&out.stdout).unwrap());
    assert_good_app_reported(&found);
    assert_eq!(found.len(), 1, "{found:#?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("locked: cannot read: Permission denied"), "{stderr}");
}

#[test]
fn a_file_that_vanishes_before_it_is_read_is_a_finding() {
    // What the walk found is gone by the time it is read (a checkout switching branches).
    let dir = folder_with_good_app();
    let candidate = |name: &str| Candidate {
        path: dir.path().join(format!("{name}{SUFFIX}")),
        kind: MetadataKind::ConnectedApp,
        full_name: name.to_string(),
    };
    let project = forcelint::engine::load(&[candidate("Gone"), candidate("Good")]);
    assert_eq!(project.apps.len(), 1, "the other file is still read");
    let check = forcelint::rules::find("parse-error").and_then(|r| r.check).unwrap();
    let errors = check(&project, &Options::default());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].message.starts_with("cannot read the file:"), "{}", errors[0].message);
    let path = project.sources.path(errors[0].primary.loc.file);
    assert_eq!(path.file_name().unwrap().to_string_lossy(), format!("Gone{SUFFIX}"));
}

#[test]
fn a_file_edited_after_it_was_parsed_is_not_shown_with_wrong_positions() {
    // Texts are dropped after parsing and read again for reports: an edit in between (an
    // editor saving during a pre-commit run) must not be shown as if it were what was parsed.
    let dir = folder_with_good_app();
    let path = dir.path().join(format!("Good{SUFFIX}"));
    let original = std::fs::read_to_string(&path).unwrap();
    let candidate = Candidate { path: path.clone(), kind: MetadataKind::ConnectedApp, full_name: "Good".into() };
    let project = forcelint::engine::load(std::slice::from_ref(&candidate));
    let file = project.sources.get(project.apps[0].anchor.file);
    assert!(!file.changed());
    assert_eq!(file.text(), original, "read again, unchanged");

    let project = forcelint::engine::load(std::slice::from_ref(&candidate));
    std::fs::write(&path, original.replace("<label>", "<label>Edited ")).unwrap();
    let file = project.sources.get(project.apps[0].anchor.file);
    assert!(file.changed());
    assert_eq!(file.text(), "");
    assert_eq!(file.line_col(project.apps[0].anchor.span.start).line, 1);

    std::fs::write(&path, &original).unwrap();
    let project = forcelint::engine::load(std::slice::from_ref(&candidate));
    std::fs::remove_file(&path).unwrap();
    assert!(project.sources.get(project.apps[0].anchor.file).changed(), "removed");
}

// ---------------------------------------------------------------------------------------
// Many findings: time and memory grow with the file, not with the file times the findings.

/// Every output format.
const FORMATS: [&str; 9] = ["human", "concise", "json", "sarif", "github", "gitlab", "junit", "markdown", "html"];

/// A connected app with `n` distinct unknown elements in `oauthPolicy` (an
/// `invalid-policy-value` each) after a 4 MiB description: in 80-byte lines and one element a line, or all on one
/// line. Before the fixes, every format scanned or copied the whole file (or line) for each
/// finding: time (and, for the human format, output) grew with the findings times the
/// file, far beyond the timeout at this size.
fn many_findings(n: usize, one_line: bool) -> String {
    let (padding, sep) = if one_line {
        ("d".repeat(4 << 20), "")
    } else {
        (format!("{}\n", "d".repeat(79)).repeat((4 << 20) / 80), "\n")
    };
    format!(
        "<ConnectedApp>\n<description>{padding}</description><oauthConfig><scopes>RefreshToken</scopes></oauthConfig><oauthPolicy>{}</oauthPolicy></ConnectedApp>\n",
        (0..n).map(|i| format!("<x{i}/>{sep}")).collect::<String>()
    )
}

fn count_invalid(found: &[(String, String, String)]) -> usize {
    found.iter().filter(|(rule, _, _)| rule == "invalid-policy-value").count()
}

/// 2,000 findings in one 4 MiB file: each format renders them, in bounded output.
fn many_findings_render_in_every_format(one_line: bool) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("Many{SUFFIX}")), many_findings(2_000, one_line)).unwrap();
    assert_eq!(count_invalid(&findings(&check(&[dir.path()]))), 2_000);
    for format in FORMATS {
        let out = run(&["check", "--color", "never", "--format", format], &[dir.path()]);
        assert!(!out.stdout.is_empty() && out.stdout.len() < 64 << 20, "{format}: {} bytes", out.stdout.len());
    }
}

#[test]
fn many_findings_in_a_big_file_render_in_every_format() {
    many_findings_render_in_every_format(false);
}

#[test]
fn many_findings_on_one_long_line_render() {
    // Formats that show source cut long lines: a finding's excerpt stays small however long
    // the line (whole, 2,000 copies of a 4 MiB line would be gigabytes).
    many_findings_render_in_every_format(true);
}

// ---------------------------------------------------------------------------------------
// Hostile text: control characters and forged lines from values, file and folder names,
// baseline entries. Nothing from the repository reaches a terminal or a CI log raw.

/// A project whose package folder name, file name and value carry terminal controls and
/// forged lines; a second package folder has a forged line in its name.
fn hostile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "::error::pkg", "default": true}, {"path": "gone\n::error::from-folder\u001b[2J"}]}"#,
    )
    .unwrap();
    let apps = dir.path().join("::error::pkg/connectedApps");
    std::fs::create_dir_all(&apps).unwrap();
    std::fs::create_dir_all(dir.path().join("gone\n::error::from-folder\u{1b}[2J")).unwrap();
    // XML allows CR, LF, DEL and C1 as references; other controls only raw (a parse error,
    // shown with its snippet).
    let value = "&#13;0 errors&#10;force-app/a.xml:1:1: error[fake] forged&#127;&#x9b;2J";
    std::fs::write(
        apps.join(format!("App\u{1b}[31m\u{9b}x{SUFFIX}")),
        expiring_app("Hostile").replace(">zero<", &format!(">{value}<")),
    )
    .unwrap();
    std::fs::write(apps.join(format!("Raw{SUFFIX}")), expiring_app("\u{1b}]0;pwned\u{7}\u{1b}[2J\r::error::raw\u{9b}"))
        .unwrap();
    dir
}

/// Bytes a terminal would act on: C0 but tab and line feed (CR only before LF), DEL, C1.
fn controls(text: &str) -> Vec<char> {
    let bytes = text.as_bytes();
    text.char_indices()
        .filter(|&(i, c)| match c {
            '\t' | '\n' => false,
            '\r' => bytes.get(i + 1) != Some(&b'\n'),
            c => c < ' ' || ('\u{7f}'..='\u{9f}').contains(&c),
        })
        .map(|(_, c)| c)
        .collect()
}

/// Lines that would start a workflow command in GitHub Actions or Azure Pipelines.
fn commands(text: &str) -> Vec<&str> {
    text.lines().filter(|l| ["::", "##[", "##vso["].iter().any(|c| l.trim_start().starts_with(c))).collect()
}

fn run_in(dir: &Path, args: &[&str]) -> (String, String) {
    let out = forcelint().current_dir(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?}: {:?}\n{stderr}", out.status);
    (String::from_utf8(out.stdout).unwrap(), stderr)
}

#[test]
fn controls_and_forged_lines_never_reach_the_output_raw() {
    let dir = hostile_project();
    let (json, _) = run_in(dir.path(), &["check", "--format", "json"]);
    let report: Value = serde_json::from_str(&json).unwrap();
    let n = report["findings"].as_array().unwrap().len();
    assert!(n >= 1, "{report}");
    assert!(
        json.contains("0 errors\\nforce-app") && json.contains("\\u007f\\u009b"),
        "values are kept in JSON, escaped:\n{json}"
    );
    let mut runs: Vec<Vec<&str>> = FORMATS.iter().map(|f| vec!["check", "--color", "never", "--format", f]).collect();
    runs.push(vec!["check", "--color", "always"]);
    runs.extend(["human", "csv", "markdown", "json"].map(|f| vec!["apps", "--format", f]));
    for args in &runs {
        let (stdout, stderr) = run_in(dir.path(), args);
        if args.contains(&"always") {
            // miette's own colours are escapes; what comes from the file is not.
            assert!(!stdout.contains("\u{1b}]0;") && !stdout.contains("\u{1b}[2J"), "{args:?}:\n{stdout}");
        } else {
            assert_eq!(controls(&stdout), [] as [char; 0], "{args:?}:\n{stdout}");
        }
        assert_eq!(controls(&stderr), [] as [char; 0], "{args:?}:\n{stderr}");
        assert_eq!(commands(&stderr), [] as [&str; 0], "{args:?}:\n{stderr}");
        if args.contains(&"github") {
            assert!(
                stdout
                    .lines()
                    .all(|l| l.starts_with("::error ") || l.starts_with("::warning ") || l.starts_with("::notice ")),
                "{stdout}"
            );
        } else {
            assert_eq!(commands(&stdout), [] as [&str; 0], "{args:?}:\n{stdout}");
        }
        if args.contains(&"concise") {
            assert_eq!(stdout.lines().count(), n, "one finding a line:\n{stdout}");
            assert!(stdout.lines().all(|l| l.starts_with("./::error::pkg/")), "{stdout}");
        }
        if args.contains(&"csv") {
            assert_eq!(stdout.lines().count(), 2, "one app a line:\n{stdout}");
        }
    }
}

#[test]
fn stale_baseline_entries_are_one_line_notes() {
    let dir = folder_with_good_app();
    let entry = r#"{"fingerprint": "0000000000000000", "rule": "r\n::error::forged", "type": "t\u001b[2J", "app": "a", "element": "e", "value": "v\r0 errors", "count": 1}"#;
    let baseline = dir.path().join("baseline.json");
    std::fs::write(&baseline, format!(r#"{{"version": 1, "entries": [{entry}]}}"#)).unwrap();
    let (_, stderr) = run_in(dir.path(), &["check", "--baseline", baseline.to_str().unwrap(), "."]);
    assert!(stderr.contains("baseline entry no longer occurs"), "{stderr}");
    assert_eq!(controls(&stderr), [] as [char; 0], "{stderr}");
    assert_eq!(commands(&stderr), [] as [&str; 0], "{stderr}");
}

#[test]
fn apps_csv_and_markdown_neutralise_formulas_images_and_links() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("=HYPERLINK(1)![x](https:⁄⁄e.example)|{SUFFIX}")), expiring_app("x"))
        .unwrap();
    let (csv, _) = run_in(dir.path(), &["apps", "--format", "csv", "."]);
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("'=HYPERLINK(1)"), "{row}");
    let (md, _) = run_in(dir.path(), &["apps", "--format", "markdown", "."]);
    let row = md.lines().nth(2).unwrap();
    assert!(
        row.starts_with("| `=HYPERLINK(1)![x](https:⁄⁄e.example)\\|` |"),
        "the name is code, its pipe escaped: {row}"
    );
}

/// A report that cannot be written is a failed run, with the reason.
#[test]
fn write_errors_exit_two() {
    if !Path::new("/dev/full").exists() {
        return;
    }
    let dir = folder_with_good_app();
    for format in FORMATS {
        let out =
            forcelint().args(["check", "--format", format, "--output", "/dev/full"]).arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{format}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report to /dev/full"), "{format}");
        let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_forcelint"))
            .args(["check", "--format", format])
            .arg(dir.path())
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{format} on stdout");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the report to standard output"));
    }
    let full = std::fs::File::options().write(true).open("/dev/full").unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .args(["apps", "--format", "json"])
        .arg(dir.path())
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "apps");
}

/// A file made of one unknown element, repeated: millions of
/// identical findings made `--format json` abort (a 2 GiB allocation, exit 134) and the human
/// report gigabytes. They are one finding with its count, in every format.
#[test]
fn a_file_of_one_element_repeated_is_one_finding_with_its_count() {
    let dir = tempfile::tempdir().unwrap();
    let head = "<ConnectedApp><oauthConfig><scopes>Api</scopes></oauthConfig><oauthPolicy>";
    let tail = "</oauthPolicy></ConnectedApp>\n";
    // Below the tree limit (a larger file is refused, next test); 800 KB keeps a debug build
    // quick.
    let n = 200_000;
    std::fs::write(dir.path().join(format!("Huge{SUFFIX}")), format!("{head}{}{tail}", "<x/>".repeat(n))).unwrap();
    let found = findings(&check(&[dir.path()]));
    let invalid: Vec<_> = found.iter().filter(|(rule, _, _)| rule == "invalid-policy-value").collect();
    assert_eq!(invalid.len(), 1, "{found:?}");
    assert!(invalid[0].2.contains(&format!("occurs {n} times in this file")), "{}", invalid[0].2);
    for format in FORMATS {
        let out = run(&["check", "--color", "never", "--format", format], &[dir.path()]);
        assert!(out.stdout.len() < 1 << 20, "{format}: {} bytes", out.stdout.len());
    }
}

/// A 16 MiB file of `<x/>` made a tree of half a gigabyte (bench/hostile.sh measures it):
/// a tree larger than any metadata file is refused where it gets too large, and the other
/// files are still checked.
#[test]
fn a_file_too_large_a_tree_is_a_parse_error_and_the_others_are_checked() {
    let dir = tempfile::tempdir().unwrap();
    let head = "<ConnectedApp><oauthConfig><scopes>Api</scopes></oauthConfig><oauthPolicy>";
    let tail = "</oauthPolicy></ConnectedApp>\n";
    let n = forcelint::xml::MAX_NODES;
    std::fs::write(dir.path().join(format!("Huge{SUFFIX}")), format!("{head}{}{tail}", "<x/>".repeat(n))).unwrap();
    std::fs::write(
        dir.path().join(format!("Other{SUFFIX}")),
        "<ConnectedApp><oauthConfig><scopes>RefreshToken</scopes></oauthConfig><oauthPolicy><refreshTokenPolicy>bogus</refreshTokenPolicy></oauthPolicy></ConnectedApp>",
    )
    .unwrap();
    let out = check(&[dir.path()]);
    let found = findings(&out);
    let parse_errors: Vec<_> = found.iter().filter(|(rule, _, _)| rule == "parse-error").collect();
    assert_eq!(parse_errors.len(), 1, "{found:?}");
    assert!(parse_errors[0].1.contains("Huge"), "{:?}", parse_errors[0]);
    assert!(parse_errors[0].2.contains(&format!("more than {n} elements")), "{:?}", parse_errors[0]);
    assert!(found.iter().any(|(rule, file, _)| rule == "invalid-policy-value" && file.contains("Other")), "{found:?}");
}

/// A value of megabytes is shown cut around `…`, with its length.
#[test]
fn a_huge_value_is_cut() {
    let dir = tempfile::tempdir().unwrap();
    let value = "x".repeat(1 << 20);
    std::fs::write(
        dir.path().join(format!("Long{SUFFIX}")),
        expiring_app("Long").replace(">zero<", &format!(">{value}<")),
    )
    .unwrap();
    for format in FORMATS {
        let out = run(&["check", "--color", "never", "--format", format], &[dir.path()]);
        let text = String::from_utf8_lossy(&out.stdout);
        // SARIF holds every rule's page.
        assert!(out.stdout.len() < 1 << 20, "{format}: {} bytes", out.stdout.len());
        if format != "github" {
            assert!(text.contains("(1048576 characters)"), "{format}:\n{text}");
        }
    }
}

/// A file edited between parsing and reporting is shown with its path and a note, not with
/// miette's "Failed to read contents" and no path.
#[test]
fn a_file_edited_during_the_run_is_shown_with_its_path_and_a_note() {
    let dir = folder_with_good_app();
    let path = dir.path().join(format!("Good{SUFFIX}"));
    let candidate = Candidate { path: path.clone(), kind: MetadataKind::ConnectedApp, full_name: "Good".into() };
    let project = forcelint::engine::load(std::slice::from_ref(&candidate));
    // Edited after it was parsed, before the report reads it again.
    std::fs::write(&path, "<ConnectedApp/>").unwrap();
    let findings = forcelint::rules::RULES
        .iter()
        .filter_map(|r| r.check)
        .flat_map(|c| c(&project, &Options::default()))
        .collect::<Vec<_>>();
    assert!(!findings.is_empty());
    let outcome = forcelint::engine::Outcome {
        project,
        findings,
        suppressed: Vec::new(),
        baselined: 0,
        stale_baseline: Vec::new(),
        notes: Vec::new(),
        config: Default::default(),
        drift: None,
        files: 1,
    };
    let style = forcelint::report::human::Style { color: false, width: 100 };
    let text = forcelint::report::render(&outcome, forcelint::report::Format::Human, &style);
    assert!(!text.contains("Failed to read") && !text.contains("OutOfBounds"), "{text}");
    assert!(text.contains(&format!("Good{SUFFIX} changed while forcelint ran")), "{text}");
}

/// `\` is a character of a Unix file name: shown as it is, not as `/`.
#[cfg(unix)]
#[test]
fn a_backslash_in_a_file_name_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(format!("Back\\slash{SUFFIX}")), expiring_app("x")).unwrap();
    for format in ["concise", "human", "json"] {
        let out = run(&["check", "--color", "never", "--format", format], &[dir.path()]);
        let text = String::from_utf8_lossy(&out.stdout).replace("\\\\", "\\");
        assert!(text.contains(&format!("Back\\slash{SUFFIX}")), "{format}: {text}");
    }
}

/// An invalid config is shown around the error, not whole: a 20 KB line is cut.
#[test]
fn a_long_config_line_is_cut_around_the_error() {
    let dir = folder_with_good_app();
    let line = format!("[rules.{}x]\nseverity = \"nonsense\"\n", "a".repeat(20_000));
    std::fs::write(dir.path().join("forcelint.toml"), format!("# {}\n{line}", "b".repeat(20_000))).unwrap();
    let out = forcelint()
        .args(["check", "--config"])
        .arg(dir.path().join("forcelint.toml"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("invalid config"), "{stderr}");
    assert!(stderr.len() < 8 << 10, "{} bytes:\n{stderr}", stderr.len());
}

// ---------------------------------------------------------------------------------------
// A repository is hostile input (issue 12): the files forcelint looks up by name, the
// config's reach, and what makes a run fail.

/// A secret outside the repository that a link in it points at.
fn secret_file() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("environ");
    std::fs::write(&secret, "AWS_SECRET=hunter2-s3cr3t\n**/[\n{\"packageDirectories\": [{\"path\": \"/\"}]}\n")
        .unwrap();
    (dir, secret)
}

#[test]
fn files_looked_up_by_name_are_never_followed_through_links() {
    let (_keep, secret) = secret_file();
    for name in ["forcelint.toml", ".forceignore", "sfdx-project.json"] {
        let dir = folder_with_good_app();
        std::os::unix::fs::symlink(&secret, dir.path().join(name)).unwrap();
        let good = dir.path().join(format!("Good{SUFFIX}"));
        for target in [dir.path(), good.as_path()] {
            let out = forcelint().args(["check", "--format", "json"]).arg(target).output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(!stdout.contains("s3cr3t") && !stderr.contains("s3cr3t"), "{name}: the link was read:\n{stderr}");
            // (A named file without a project has no .forceignore.)
            if name != ".forceignore" || target == dir.path() {
                assert!(stderr.contains("symbolic link"), "{name}: {stderr}");
            }
            if name == ".forceignore" {
                // A note, as for any .forceignore that cannot be read; the run goes on.
                assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
                assert_good_app_reported(&findings(&serde_json::from_slice(&out.stdout).unwrap()));
            } else {
                assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
            }
        }
    }
    // A config the user names is theirs to point anywhere.
    let dir = folder_with_good_app();
    let config = tempfile::tempdir().unwrap();
    std::fs::write(config.path().join("real.toml"), "[rules.expiring-refresh-token]\nseverity = \"off\"\n").unwrap();
    std::os::unix::fs::symlink(config.path().join("real.toml"), dir.path().join("linked.toml")).unwrap();
    let out =
        forcelint().args(["check", "--config"]).arg(dir.path().join("linked.toml")).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn init_never_writes_through_a_link() {
    let elsewhere = tempfile::tempdir().unwrap();
    let target = elsewhere.path().join("created-by-forcelint");
    for force in [false, true] {
        let dir = folder_with_good_app();
        std::os::unix::fs::symlink(&target, dir.path().join("forcelint.toml")).unwrap();
        let mut cmd = forcelint();
        cmd.arg("init").arg(dir.path());
        if force {
            cmd.arg("--force");
        }
        let out = cmd.output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "--force {force}: {stderr}");
        assert!(stderr.contains("symbolic link"), "{stderr}");
        assert!(!target.exists(), "--force {force}: init wrote through the link");
    }
}

/// A project in a git repository, with `forcelint.toml` files around it.
fn repository() -> tempfile::TempDir {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(repo.join("force-app/main/default/connectedApps")).unwrap();
    std::fs::write(repo.join("sfdx-project.json"), r#"{"packageDirectories": [{"path": "force-app"}]}"#).unwrap();
    let app = repo.join(format!("force-app/main/default/connectedApps/Good{SUFFIX}"));
    std::fs::write(app, expiring_app("Good")).unwrap();
    outer
}

#[test]
fn the_config_lookup_stays_inside_the_repository_and_the_summary_names_it() {
    let outer = repository();
    let repo = outer.path().join("repo");
    let app = repo.join(format!("force-app/main/default/connectedApps/Good{SUFFIX}"));
    // Above the repository: never read.
    let off = "[rules.expiring-refresh-token]\nseverity = \"off\"\n";
    std::fs::write(outer.path().join("forcelint.toml"), off).unwrap();
    for target in [repo.as_path(), app.as_path(), &repo.join("force-app")] {
        let out = forcelint().args(["check", "--format", "concise"]).arg(target).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{target:?}: the config above the repository was used: {stderr}");
        assert!(!stderr.contains("config"), "{stderr}");
    }
    // In the repository: used, and named in the summary.
    std::fs::write(repo.join("forcelint.toml"), "[rules.expiring-refresh-token]\nseverity = \"info\"\n").unwrap();
    for target in [repo.as_path(), app.as_path(), &repo.join("force-app")] {
        let out = forcelint().args(["check", "--format", "concise"]).arg(target).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{target:?}: {stderr}");
        assert!(stderr.contains("forcelint.toml"), "the summary says which config: {stderr}");
    }
    // In a subfolder of the project: the project's run and a named file's run agree (the
    // project's config, not the subfolder's).
    std::fs::write(repo.join("force-app/forcelint.toml"), off).unwrap();
    let infos = |target: &Path| {
        let report = check(&[target]);
        report["findings"].as_array().unwrap().iter().map(|f| f["severity"].to_string()).collect::<Vec<_>>()
    };
    assert_eq!(infos(&repo), infos(&app));
    assert_eq!(infos(&app), ["\"info\""]);
}

#[test]
fn a_missing_package_directory_fails_the_run() {
    let dir = folder_with_good_app();
    std::fs::write(
        dir.path().join("sfdx-project.json"),
        r#"{"packageDirectories": [{"path": "."}, {"path": "gone"}]}"#,
    )
    .unwrap();
    let good = dir.path().join(format!("Good{SUFFIX}"));
    for target in [dir.path(), good.as_path()] {
        let out = forcelint().arg("check").arg(target).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains("`gone` does not exist"), "{stderr}");
    }
}

#[test]
fn byte_order_marks_in_sfdx_project_json_and_baselines_are_accepted() {
    let dir = folder_with_good_app();
    std::fs::write(dir.path().join("sfdx-project.json"), "\u{feff}{\"packageDirectories\": [{\"path\": \".\"}]}")
        .unwrap();
    assert_good_app_reported(&findings(&check(&[dir.path()])));
    let baseline = dir.path().join("baseline.json");
    let out = forcelint().args(["check", "--write-baseline"]).arg(&baseline).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let mut text = "\u{feff}".as_bytes().to_vec();
    text.extend(std::fs::read(&baseline).unwrap());
    std::fs::write(&baseline, text).unwrap();
    let out = forcelint().args(["check", "--baseline"]).arg(&baseline).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_metadata_file_whose_name_is_not_utf8_is_linted_under_a_lossy_name() {
    use std::os::unix::ffi::OsStrExt;
    let dir = folder_with_good_app();
    let name = std::ffi::OsStr::from_bytes(b"Bad\xff.connectedApp-meta.xml");
    if std::fs::write(dir.path().join(name), expiring_app("Bad")).is_err() {
        eprintln!("skipped: the file system refuses names that are not UTF-8");
        return;
    }
    let found = findings(&check(&[dir.path()]));
    assert_good_app_reported(&found);
    assert!(
        found.iter().any(|(rule, file, _)| rule == "expiring-refresh-token" && file.starts_with("Bad")),
        "{found:#?}"
    );
}

#[test]
fn what_salesforce_would_refuse_or_not_read_is_reported_not_silently_judged() {
    const NS: &str = "xmlns=\"http://soap.sforce.com/2006/04/metadata\"";
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: String| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let app = |name: &str, policy: &str, extra: &str| {
        format!(
            "<ConnectedApp {NS} xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:x=\"urn:x\"><label>{name}</label>\
             <oauthConfig><callbackUrl>https://x.example.com/cb</callbackUrl><scopes>RefreshToken</scopes></oauthConfig>\
             <oauthPolicy>{policy}</oauthPolicy>{extra}</ConnectedApp>"
        )
    };
    // Item 11: twice; item 12: `nil` outside the schema-instance namespace; item 17: a sign;
    // item 19: the expiring policy in a foreign namespace is not read.
    write(
        &format!("Twice{SUFFIX}"),
        app(
            "Twice",
            "<refreshTokenPolicy>infinite</refreshTokenPolicy><refreshTokenPolicy>zero</refreshTokenPolicy>",
            "",
        ),
    );
    write(&format!("Nil{SUFFIX}"), app("Nil", "<refreshTokenPolicy nil=\"true\">zero</refreshTokenPolicy>", ""));
    write(
        &format!("Signed{SUFFIX}"),
        app(
            "Signed",
            "<refreshTokenPolicy>specific_lifetime:+5:DAYS</refreshTokenPolicy>",
            "<sessionPolicy><sessionTimeout>+15</sessionTimeout></sessionPolicy>",
        ),
    );
    write(
        &format!("Foreign{SUFFIX}"),
        app(
            "Foreign",
            "<x:refreshTokenPolicy>zero</x:refreshTokenPolicy><refreshTokenPolicy xmlns=\"\">zero</refreshTokenPolicy>",
            "",
        ),
    );
    // Item 14: two org settings; item 20: a malformed login IP range.
    let settings = format!(
        "<SecuritySettings {NS}><sessionSettings><sessionTimeout>TwoHours</sessionTimeout></sessionSettings></SecuritySettings>"
    );
    write("a/Security.settings-meta.xml", settings.clone());
    write("b/Security.settings-meta.xml", settings);
    write(
        "Admin.profile-meta.xml",
        format!(
            "<Profile {NS}><loginIpRanges><startAddress>10.0.0.300</startAddress><endAddress>10.0.0.1</endAddress></loginIpRanges></Profile>"
        ),
    );

    let found = findings(&check(&[dir.path()]));
    let of = |file: &str| -> Vec<(String, String)> {
        found.iter().filter(|(_, f, _)| f == file).map(|(r, _, m)| (r.clone(), m.clone())).collect()
    };
    let invalid = |file: &str| {
        of(file).into_iter().filter(|(r, _)| r == "invalid-policy-value").map(|(_, m)| m).collect::<Vec<_>>()
    };
    assert!(invalid(&format!("Twice{SUFFIX}"))[0].contains("given 2 times"), "{found:#?}");
    assert!(!of(&format!("Twice{SUFFIX}")).iter().any(|(r, _)| r == "expiring-refresh-token"), "{found:#?}");
    assert!(of(&format!("Nil{SUFFIX}")).iter().any(|(r, _)| r == "expiring-refresh-token"), "{found:#?}");
    assert_eq!(invalid(&format!("Signed{SUFFIX}")).len(), 2, "{found:#?}");
    assert!(
        of(&format!("Foreign{SUFFIX}"))
            .iter()
            .all(|(r, _)| r != "expiring-refresh-token" && r != "invalid-policy-value"),
        "{found:#?}"
    );
    assert!(
        invalid("Security.settings-meta.xml").iter().any(|m| m.contains("a second `Security.settings`")),
        "{found:#?}"
    );
    assert!(invalid("Admin.profile-meta.xml").iter().any(|m| m.contains("10.0.0.300")), "{found:#?}");
}

#[test]
fn a_missing_package_folder_with_a_forged_name_is_an_error_without_controls() {
    let dir = hostile_project();
    std::fs::remove_dir(dir.path().join("gone\n::error::from-folder\u{1b}[2J")).unwrap();
    let out = forcelint().current_dir(dir.path()).args(["check"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(controls(&stderr).is_empty() && commands(&stderr).is_empty(), "{stderr:?}");
}

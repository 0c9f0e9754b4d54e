//! The packages users install: npm (launcher + this platform's binary package, from
//! `scripts/package-npm.sh`), husky + lint-staged with the installed launcher, and the PyPI wheel
//! (maturin). One release build serves them all.
//!
//! Needs node/npm (npm tests), python3 with venv and maturin (wheel test), git, and the npm
//! registry (lint-staged only); without them a test says so and passes. `.ci/run` installs them.
#![cfg(unix)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Mutex, OnceLock};

const DEMO: &str = "fixtures/projects/demo";
const VERSION: &str = env!("CARGO_PKG_VERSION");
const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn available(cmd: &str, arg: &str) -> bool {
    Command::new(cmd).arg(arg).output().is_ok_and(|o| o.status.success())
}

fn have_node() -> bool {
    let ok = available("node", "--version") && available("npm", "--version");
    if !ok {
        eprintln!("skipped: node and npm are not on PATH (.ci/run installs them)");
    }
    ok
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(out.status.success(), "{cmd:?} failed:\n{}", text(&out));
    out
}

/// Builds of this checkout and reads of target/release, one at a time: the tests run in
/// parallel threads, and maturin and cargo write the same release binary.
static BUILD: Mutex<()> = Mutex::new(());

fn build_lock() -> std::sync::MutexGuard<'static, ()> {
    BUILD.lock().unwrap_or_else(|e| e.into_inner())
}

/// `scripts/package-npm.sh OUTDIR`, once: the folder with the two .tgz files.
fn npm_packages() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("npm-packages");
        let _build = build_lock();
        run(Command::new("bash").current_dir(root()).arg("scripts/package-npm.sh").arg(&dir));
        dir
    })
}

/// npm or npx with a cache of this run's own: npm's shared cache keeps a package by name and
/// version, and would install an earlier build of this version instead of the packed one.
fn npm(program: &str) -> Command {
    static CACHE: OnceLock<PathBuf> = OnceLock::new();
    let cache = CACHE.get_or_init(|| scratch("npm-cache"));
    let mut command = Command::new(program);
    command.env("npm_config_cache", cache);
    command
}

/// A fresh folder under target/tmp, shared by the tests of this run (statics are never
/// dropped, so a temporary directory would be left behind).
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tgz_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "tgz"))
        .collect();
    files.sort();
    files
}

/// A folder with an empty package.json, as `npm init -y` leaves it.
fn empty_project(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join("package.json"), "{\"name\": \"scratch\", \"version\": \"1.0.0\", \"private\": true}\n")
        .unwrap();
}

fn debug_binary_output(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_forcelint")).current_dir(root()).args(args).output().unwrap()
}

#[test]
fn npm_install_of_the_packed_packages_gives_a_working_forcelint_offline() {
    if !have_node() {
        return;
    }
    let packages = npm_packages();
    let tgz = tgz_files(packages);
    let names: Vec<String> = tgz.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&format!("forcelint-{VERSION}.tgz")), "{names:?}");

    let project = tempfile::tempdir().unwrap();
    empty_project(project.path());
    run(npm("npm")
        .current_dir(project.path())
        .args(["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error"])
        .args(&tgz));
    let demo = root().join(DEMO);
    let out = Command::new(project.path().join("node_modules/.bin/forcelint"))
        .args(["check", "--format", "concise"])
        .arg(&demo)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains(": error[expiring-refresh-token] refresh tokens of `Data_Warehouse_Loader` expire"),
        "{stdout}"
    );
    // The same findings as the binary built by the tests.
    let expected = debug_binary_output(&["check", "--format", "concise", demo.to_str().unwrap()]);
    assert_eq!(stdout, String::from_utf8(expected.stdout).unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains(" errors, "), "summary on stderr");

    let out = run(npm("npx").current_dir(project.path()).args(["--offline", "forcelint", "--version"]));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("forcelint {VERSION}"));
}

/// The generated package.json files: one version and one repository, from Cargo.toml.
#[test]
fn every_package_json_comes_from_cargo_toml() {
    if !have_node() {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let script = root().join("scripts/npm-packages.mjs");
    run(Command::new("node").arg(&script).arg("launcher").arg(out.path()));
    let targets = run(Command::new("node").arg(&script).arg("targets"));
    let targets = String::from_utf8(targets.stdout).unwrap();
    let fake = out.path().join("fake-binary");
    std::fs::write(&fake, "").unwrap();
    for line in targets.lines() {
        let target = line.split('\t').next().unwrap();
        run(Command::new("node").arg(&script).args(["platform", target]).arg(&fake).arg(out.path()));
    }
    let read = |dir: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(out.path().join(dir).join("package.json")).unwrap()).unwrap()
    };
    let launcher = read("forcelint");
    assert_eq!(launcher["version"], VERSION);
    assert_eq!(launcher["repository"]["url"], format!("git+{REPOSITORY}.git"));
    assert!(launcher.get("scripts").is_none(), "no install scripts");
    let optional = launcher["optionalDependencies"].as_object().unwrap();
    let expected = [
        "linux-x64",
        "linux-arm64",
        "linux-x64-musl",
        "linux-arm64-musl",
        "darwin-x64",
        "darwin-arm64",
        "win32-x64",
        "win32-arm64",
    ];
    assert_eq!(optional.len(), expected.len());
    for name in expected {
        assert_eq!(optional[&format!("@forcelint/cli-{name}")], VERSION);
        let package = read(&format!("cli-{name}"));
        assert_eq!(package["name"], format!("@forcelint/cli-{name}"));
        assert_eq!(package["version"], VERSION);
        let (os, rest) = name.split_once('-').unwrap();
        assert_eq!(package["os"], serde_json::json!([os]));
        assert_eq!(package["cpu"], serde_json::json!([rest.trim_end_matches("-musl")]));
        let libc = match (os, name.ends_with("-musl")) {
            ("linux", true) => serde_json::json!(["musl"]),
            ("linux", false) => serde_json::json!(["glibc"]),
            _ => serde_json::Value::Null,
        };
        assert_eq!(package["libc"], libc, "{name}");
        let exe = if os == "win32" { "bin/forcelint.exe" } else { "bin/forcelint" };
        assert_eq!(package["files"], serde_json::json!([exe]));
        assert!(out.path().join(format!("cli-{name}")).join(exe).is_file());
    }
}

/// The launcher alone (no platform package, no release build), with `FORCELINT_BINARY`
/// naming a script that stands in for forcelint.
fn launcher() -> &'static Path {
    static SCRIPT: OnceLock<PathBuf> = OnceLock::new();
    SCRIPT.get_or_init(|| {
        let dir = scratch("npm-launcher");
        run(Command::new("node").arg(root().join("scripts/npm-packages.mjs")).arg("launcher").arg(&dir));
        dir.join("forcelint/bin/forcelint.js")
    })
}

fn fake_forcelint(dir: &Path, script: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("fake forcelint");
    std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[test]
fn the_launcher_passes_arguments_stdio_and_exit_status_through() {
    if !have_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = fake_forcelint(dir.path(), "echo \"args: $*\"; echo \"err\" >&2; cat; exit 7");
    let mut child = Command::new("node")
        .arg(launcher())
        .args(["check", "a b", "--format", "concise"])
        .env("FORCELINT_BINARY", &fake)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"from stdin\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(7));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "args: check a b --format concise\nfrom stdin\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "err\n");
}

#[test]
fn the_launcher_passes_signals_both_ways() {
    use std::os::unix::process::ExitStatusExt;
    if !have_node() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // forcelint killed by a signal: the launcher dies of the same signal.
    let fake = fake_forcelint(dir.path(), "kill -TERM $$");
    let out = Command::new("node").arg(launcher()).env("FORCELINT_BINARY", &fake).output().unwrap();
    assert_eq!(out.status.signal(), Some(15), "{:?} {}", out.status, text(&out));

    // A signal sent to the launcher reaches forcelint.
    let fake = fake_forcelint(dir.path(), "trap 'kill $!; echo got TERM; exit 3' TERM; echo ready; sleep 30 & wait");
    let mut child =
        Command::new("node").arg(launcher()).env("FORCELINT_BINARY", &fake).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
    // The launcher sets its handlers right after spawning; on a loaded machine give it that moment.
    std::thread::sleep(std::time::Duration::from_millis(300));
    run(Command::new("kill").args(["-TERM", &child.id().to_string()]));
    let status = child.wait().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert_eq!(rest, "got TERM\n");
    assert_eq!(status.code(), Some(3));
}

#[test]
fn the_launcher_says_which_platform_package_is_missing() {
    if !have_node() {
        return;
    }
    let out = Command::new("node").arg(launcher()).arg("--version").env_remove("FORCELINT_BINARY").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let arch = match std::env::consts::ARCH {
        "x86_64" => "x64",
        "aarch64" => "arm64",
        other => other,
    };
    let platform = match std::env::consts::OS {
        "macos" => "darwin",
        "windows" => "win32",
        other => other,
    };
    let package = format!("@forcelint/cli-{platform}-{arch}");
    assert!(stderr.contains(&format!("the package {package}")), "{stderr}");
    assert!(stderr.contains(&format!("npm install --include=optional --save-dev forcelint@{VERSION}")), "{stderr}");
    assert!(stderr.contains("FORCELINT_BINARY"), "{stderr}");

    // A binary that cannot be run is a clear error too.
    let out = Command::new("node").arg(launcher()).env("FORCELINT_BINARY", "/nonexistent/forcelint").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot run /nonexistent/forcelint"), "{}", text(&out));
}

/// `pip install` of the wheel maturin builds, in a fresh virtual environment.
#[test]
fn the_wheel_installs_forcelint_in_a_fresh_venv() {
    if !available("maturin", "--version") || !available("python3", "--version") {
        eprintln!("skipped: maturin or python3 is not on PATH (.ci/run installs maturin from PyPI)");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let wheel = wheel();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("forcelint-{VERSION}-py3-none-")), "{name}");

    let venv = work.path().join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check"])
        .arg(wheel));
    let demo = root().join(DEMO);
    let out =
        Command::new(venv.join("bin/forcelint")).args(["check", "--format", "concise"]).arg(&demo).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let expected = debug_binary_output(&["check", "--format", "concise", demo.to_str().unwrap()]);
    assert_eq!(out.stdout, expected.stdout);

    // The package metadata points at Cargo.toml's repository.
    let show = run(Command::new(venv.join("bin/python")).args(["-m", "pip", "show", "--verbose", "forcelint"]));
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(show.contains(&format!("Version: {VERSION}")), "{show}");
    assert!(show.contains(REPOSITORY), "{show}");
}

/// The release archive of this machine's binary (named for the runner target the action picks
/// on this OS and architecture), laid out as the release page serves it: `<dir>/v<version>/`.
fn release_page() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = scratch("release-page");
        let _build = build_lock();
        run(Command::new(env!("CARGO")).current_dir(root()).args(["build", "--release", "--locked", "--quiet"]));
        run(Command::new("bash")
            .current_dir(root())
            .args(["scripts/package-release.sh", runner_target(), "target/release/forcelint"])
            .arg(dir.join(format!("v{VERSION}"))));
        dir
    })
}

fn runner_target() -> &'static str {
    if cfg!(target_arch = "aarch64") { "aarch64-unknown-linux-musl" } else { "x86_64-unknown-linux-musl" }
}

fn runner_arch() -> &'static str {
    if cfg!(target_arch = "aarch64") { "ARM64" } else { "X64" }
}

/// action.yml's install step: the archive is downloaded, checked against its checksum and its
/// folder put on GITHUB_PATH. Returns that folder.
fn action_install(work: &Path, releases: &Path) -> Output {
    let github_path = work.join("github-path");
    std::fs::write(&github_path, "").unwrap();
    Command::new("bash")
        .arg(root().join("scripts/action-install.sh"))
        .current_dir(work)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", runner_arch())
        .env("RUNNER_TEMP", work)
        .env("GITHUB_PATH", &github_path)
        .env("FORCELINT_RELEASES", format!("file://{}", releases.display()))
        .env_remove("INPUT_VERSION")
        .output()
        .unwrap()
}

#[test]
fn the_release_archive_has_the_binary_and_a_checksum() {
    if !cfg!(target_os = "linux") || !available("sha256sum", "--version") {
        eprintln!("skipped: the release archive is checked on Linux");
        return;
    }
    let page = release_page().join(format!("v{VERSION}"));
    let name = format!("forcelint-{VERSION}-{}", runner_target());
    run(Command::new("sha256sum").current_dir(&page).args(["--check", &format!("{name}.tar.gz.sha256")]));
    let list = run(Command::new("tar").current_dir(&page).args(["-tzf", &format!("{name}.tar.gz")]));
    let list = String::from_utf8(list.stdout).unwrap();
    for entry in ["forcelint", "README.md", "rules/expiring-refresh-token.md"] {
        assert!(list.lines().any(|l| l == format!("{name}/{entry}")), "{entry} not in {list}");
    }
}

#[test]
fn the_action_installs_the_release_and_one_run_annotates_summarizes_and_writes_sarif() {
    if !cfg!(target_os = "linux") || !available("curl", "--version") || !available("sha256sum", "--version") {
        eprintln!("skipped: the action's scripts are run on Linux with curl and sha256sum");
        return;
    }
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    // Every input reaches the scripts as INPUT_<NAME>.
    let inputs: Vec<&str> = action
        .split("\ninputs:\n")
        .nth(1)
        .unwrap()
        .split("\noutputs:")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':').filter(|n| !n.starts_with(' ')))
        .collect();
    assert_eq!(inputs, ["paths", "fail-on", "config", "args", "annotations", "summary", "sarif", "version"]);
    for input in &inputs {
        let env = format!("INPUT_{}: ${{{{ inputs.{input} }}}}", input.to_uppercase().replace('-', "_"));
        assert!(action.contains(&env), "action.yml does not pass {input}: {env}");
    }
    for script in ["scripts/action-install.sh", "scripts/action-run.sh"] {
        assert!(action.contains(&format!("run: bash \"$GITHUB_ACTION_PATH/{script}\"\n")), "{script}");
    }

    let work = tempfile::tempdir().unwrap();
    let out = action_install(work.path(), release_page());
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("forcelint {VERSION}")), "{}", text(&out));
    let bin = std::fs::read_to_string(work.path().join("github-path")).unwrap();
    let bin = PathBuf::from(bin.trim());
    assert!(bin.join("forcelint").is_file(), "{}", bin.display());

    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    let summary = work.path().join("step-summary.md");
    let outputs = work.path().join("github-output");
    let project = root().join(DEMO);
    let check = |env: &[(&str, &str)]| {
        std::fs::write(&summary, "earlier step\n").unwrap();
        std::fs::write(&outputs, "").unwrap();
        let mut cmd = Command::new("bash");
        cmd.arg(root().join("scripts/action-run.sh"))
            .current_dir(&project)
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_OUTPUT", &outputs);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().unwrap()
    };
    let sarif = work.path().join("forcelint.sarif");
    let out = check(&[("INPUT_SARIF", sarif.to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert!(stdout.lines().all(|l| l.starts_with("::")) && stdout.contains("::error file="), "{stdout}");
    let demo_markdown = Command::new(env!("CARGO_BIN_EXE_forcelint"))
        .current_dir(&project)
        .args(["check", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        format!("earlier step\n{}", String::from_utf8(demo_markdown.stdout).unwrap())
    );
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(report["version"], "2.1.0");
    assert_eq!(std::fs::read_to_string(&outputs).unwrap(), format!("sarif={}\n", sarif.display()));

    // fail-on, extra arguments, and no summary or annotations when turned off.
    let out = check(&[
        ("INPUT_FAIL_ON", "never"),
        ("INPUT_ARGS", "--select expiring-refresh-token"),
        ("INPUT_SUMMARY", "false"),
        ("INPUT_ANNOTATIONS", "false"),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("expiring-refresh-token") && !stdout.contains("short-session-timeout"), "{stdout}");
    assert!(!stdout.contains("::error"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), "earlier step\n");

    // A download that does not match its checksum is refused.
    let tampered = tempfile::tempdir().unwrap();
    let page = tampered.path().join(format!("v{VERSION}"));
    std::fs::create_dir_all(&page).unwrap();
    let name = format!("forcelint-{VERSION}-{}.tar.gz", runner_target());
    let original = release_page().join(format!("v{VERSION}"));
    std::fs::write(page.join(&name), b"not the archive").unwrap();
    std::fs::copy(original.join(format!("{name}.sha256")), page.join(format!("{name}.sha256"))).unwrap();
    let work = tempfile::tempdir().unwrap();
    let out = action_install(work.path(), tampered.path());
    assert!(!out.status.success());
    assert!(text(&out).contains("does not match its SHA-256 checksum"), "{}", text(&out));
}

/// The README's "Install" subsection `heading`: its code blocks as (language, text).
fn install_snippets(heading: &str) -> Vec<(String, String)> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let section = readme.split("\n## Install\n").nth(1).expect("README has ## Install").split("\n## ").next().unwrap();
    let sub = section
        .split(&format!("\n### {heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("no ### {heading} in Install"))
        .split("\n### ")
        .next()
        .unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in sub.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.to_string(), String::new())),
            (Some(_), Some("")) => blocks.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    blocks
}

/// A copy of the demo project, as a Salesforce DX project: with a package.json.
fn demo_project(dir: &Path) {
    run(Command::new("cp").arg("-R").arg(root().join(DEMO)).arg(dir));
    empty_project(dir);
}

/// Runs a README shell snippet line by line in `dir`; `forcelint check` lines exit 1 (the demo
/// has findings), every other line 0. `install` rewrites an install line to use the local
/// packages instead of the registry.
fn run_snippet(snippet: &str, dir: &Path, path: &str, install: impl Fn(&str) -> String) -> String {
    let mut output = String::new();
    for line in snippet.lines() {
        let line = install(line);
        let out = Command::new("sh").arg("-c").arg(&line).current_dir(dir).env("PATH", path).output().unwrap();
        let expected = if line.contains("forcelint check") { 1 } else { 0 };
        assert_eq!(out.status.code(), Some(expected), "`{line}`:\n{}", text(&out));
        output.push_str(&text(&out));
    }
    output
}

fn npm_install_locally(line: &str) -> String {
    match line.strip_prefix("npm install ") {
        Some(rest) => {
            let tgz: Vec<String> = tgz_files(npm_packages()).iter().map(|p| format!("'{}'", p.display())).collect();
            let args: Vec<String> =
                rest.split(' ').map(|a| if a == "forcelint" { tgz.join(" ") } else { a.to_string() }).collect();
            format!("npm install --no-audit --no-fund --loglevel=error {}", args.join(" "))
        }
        None => line.to_string(),
    }
}

#[test]
fn readme_npm_install_runs_the_demo() {
    if !have_node() {
        return;
    }
    let blocks = install_snippets("npm");
    assert_eq!(blocks.len(), 1);
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("my project");
    demo_project(&project);
    let path = std::env::var("PATH").unwrap_or_default();
    let output = run_snippet(&blocks[0].1, &project, &path, |l| {
        npm_install_locally(l).replace("npm install", "npm install --offline")
    });
    assert!(output.contains("expiring-refresh-token"), "{output}");
}

#[test]
fn readme_pip_install_runs_the_demo() {
    if !available("maturin", "--version") || !available("python3", "--version") {
        eprintln!("skipped: maturin or python3 is not on PATH");
        return;
    }
    let blocks = install_snippets("pip");
    assert_eq!(blocks.len(), 1);
    let wheel = wheel();
    let work = tempfile::tempdir().unwrap();
    let venv = work.path().join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    let project = work.path().join("project");
    demo_project(&project);
    let path = format!("{}:{}", venv.join("bin").display(), std::env::var("PATH").unwrap_or_default());
    let output = run_snippet(&blocks[0].1, &project, &path, |l| {
        l.replace("pip install forcelint", &format!("pip install --quiet --no-index '{}'", wheel.display()))
    });
    assert!(output.contains("expiring-refresh-token"), "{output}");
}

/// The wheel maturin builds, once.
fn wheel() -> &'static Path {
    static WHEEL: OnceLock<PathBuf> = OnceLock::new();
    WHEEL.get_or_init(|| {
        let dir = scratch("wheels");
        let _build = build_lock();
        run(Command::new("maturin")
            .current_dir(root())
            .args(["build", "--release", "--locked", "--quiet", "--out"])
            .arg(&dir));
        std::fs::read_dir(&dir).unwrap().next().unwrap().unwrap().path()
    })
}

#[test]
fn readme_release_binary_download_runs() {
    if !cfg!(target_os = "linux") || !available("curl", "--version") || !available("sha256sum", "--version") {
        eprintln!("skipped: the download recipe is run on Linux with curl and sha256sum");
        return;
    }
    let blocks = install_snippets("Release binaries");
    assert_eq!(blocks.len(), 1);
    let releases = format!("{REPOSITORY}/releases/download");
    assert!(blocks[0].1.contains(&releases), "the download address is not under Cargo.toml's repository");
    let script = blocks[0]
        .1
        .replace(&releases, &format!("file://{}", release_page().display()))
        .replace("x86_64-unknown-linux-musl", runner_target());
    let work = tempfile::tempdir().unwrap();
    let out = Command::new("sh").args(["-e", "-c", &script]).current_dir(work.path()).output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&format!("forcelint {VERSION}")), "{}", text(&out));
}

/// Every `uses: forcelint/forcelint@...` in the README names this version and only inputs
/// that action.yml declares.
#[test]
fn readme_action_steps_use_this_version_and_declared_inputs() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    let slug = REPOSITORY.trim_start_matches("https://github.com/");
    let uses = format!("- uses: {slug}@");
    let lines: Vec<&str> = readme.lines().collect();
    let mut found = 0;
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim().strip_prefix(&uses) else { continue };
        found += 1;
        assert_eq!(rest, format!("v{VERSION}"));
        let indent = line.len() - line.trim_start().len() + 2;
        let with = lines[i + 1].trim();
        assert_eq!(with, "with:");
        for input in lines[i + 2..].iter().take_while(|l| l.len() - l.trim_start().len() > indent) {
            let name = input.trim().split(':').next().unwrap();
            assert!(
                action.contains(&format!("\n  {name}:\n")),
                "README passes `{name}`, which action.yml does not declare"
            );
        }
    }
    assert!(found >= 2, "the README's Install and CI recipes use the action");
}

/// The README's links to the project are under Cargo.toml's `repository` (or its
/// `-pre-commit` mirror), so a move is found by this test.
#[test]
fn readme_links_to_the_project_use_the_cargo_repository() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let owner = REPOSITORY.rsplit_once('/').unwrap().0;
    for (i, _) in readme.match_indices(&format!("{owner}/")) {
        let link = &readme[i..];
        assert!(
            link.starts_with(&format!("{REPOSITORY}/"))
                || link.starts_with(&format!("{REPOSITORY}\n"))
                || link.starts_with(&format!("{REPOSITORY}-pre-commit")),
            "{}",
            &link[..60.min(link.len())]
        );
    }
}

const APP: &str = "force-app/main/default/connectedApps/Sync.connectedApp-meta.xml";

fn connected_app(policy: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Sync</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>{policy}</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

/// husky + lint-staged from the npm registry, set up as the README says, with the packed
/// forcelint: a staged bad connected app blocks the commit, a good one passes.
#[test]
fn readme_lint_staged_blocks_a_bad_commit_and_passes_a_good_one() {
    if !have_node() || !available("git", "--version") {
        return;
    }
    let blocks = install_snippets("husky and lint-staged");
    assert_eq!(blocks.iter().map(|b| b.0.as_str()).collect::<Vec<_>>(), ["sh", "json"]);
    let work = tempfile::tempdir().unwrap();
    let repo = work.path().join("repo");
    empty_project(&repo);
    std::fs::write(repo.join("sfdx-project.json"), r#"{"packageDirectories":[{"path":"force-app"}]}"#).unwrap();
    std::fs::write(repo.join(".gitignore"), "node_modules\n").unwrap();
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(&repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q", "-b", "main"]).status.success());

    // The install line needs the registry for husky and lint-staged.
    let mut lines = blocks[0].1.lines();
    let install = npm_install_locally(lines.next().unwrap());
    let out = Command::new("sh").arg("-c").arg(&install).current_dir(&repo).output().unwrap();
    if !out.status.success() {
        eprintln!("skipped: `{install}` failed (is the npm registry reachable?):\n{}", text(&out));
        return;
    }
    let rest: String = lines.map(|l| format!("{l}\n")).collect();
    run_snippet(&rest, &repo, &std::env::var("PATH").unwrap_or_default(), str::to_string);
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo.join("package.json")).unwrap()).unwrap();
    let snippet: serde_json::Value = serde_json::from_str(&blocks[1].1).unwrap();
    manifest["lint-staged"] = snippet["lint-staged"].clone();
    std::fs::write(repo.join("package.json"), serde_json::to_string_pretty(&manifest).unwrap()).unwrap();

    // The patterns match what the pre-commit hook's `files:` matches, with lint-staged's matcher.
    let patterns: Vec<&String> = snippet["lint-staged"].as_object().unwrap().keys().collect();
    let must = [
        "force-app/main/default/connectedApps/Sync.connectedApp-meta.xml",
        "src/connectedApps/Sync.connectedApp",
        "x/A.eca-meta.xml",
        "x/A_oauth.ecaOauth-meta.xml",
        "x/A_glbl.ecaGlblOauth",
        "x/A_oauthPlcy.ecaOauthPlcy-meta.xml",
        "x/A_plcy.ecaPlcy-meta.xml",
        "force-app/main/default/settings/Security.settings-meta.xml",
        "src/settings/Security.settings",
        "force-app/main/default/profiles/Integration User.profile-meta.xml",
        "x/p1.profileSessionSetting-meta.xml",
        "force-app/main/default/settings/OauthOidc.settings-meta.xml",
        "src/settings/ConnectedApp.settings",
        "force-app/main/default/permissionsets/Integration_Access.permissionset-meta.xml",
    ];
    let must_not = [
        "force-app/main/default/settings/Account.settings-meta.xml",
        "force-app/main/default/classes/Sync.cls-meta.xml",
        "sfdx-project.json",
        "x/Sync.connectedApp-meta.xml.dup",
    ];
    let script = "const { matchFiles } = await import(process.cwd() + '/node_modules/lint-staged/lib/matchFiles.js');\n\
        const [patterns, files] = JSON.parse(process.argv[1]);\n\
        for (const f of files) console.log(patterns.some((p) => matchFiles([{ filepath: f }], p).length) ? 1 : 0);";
    let input = serde_json::json!([patterns, must.iter().chain(&must_not).collect::<Vec<_>>()]).to_string();
    let out = run(Command::new("node").current_dir(&repo).args(["--input-type=module", "-e", script, &input]));
    let verdicts: Vec<String> = String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect();
    let expected: Vec<&str> = must.iter().map(|_| "1").chain(must_not.iter().map(|_| "0")).collect();
    assert_eq!(verdicts, expected, "{patterns:?}");

    std::fs::create_dir_all(repo.join("force-app/main/default/connectedApps")).unwrap();
    std::fs::write(repo.join(APP), connected_app("zero")).unwrap();
    assert!(git(&["add", "-A"]).status.success());
    let out = git(&["commit", "-q", "-m", "bad"]);
    let output = text(&out);
    assert!(!out.status.success(), "the bad commit went through:\n{output}");
    assert!(output.contains("refresh tokens of `Sync` expire immediately"), "{output}");
    assert!(output.contains("<refreshTokenPolicy>zero</refreshTokenPolicy>"), "{output}");

    std::fs::write(repo.join(APP), connected_app("infinite")).unwrap();
    assert!(git(&["add", "-A"]).status.success());
    let out = git(&["commit", "-q", "-m", "good"]);
    assert!(out.status.success(), "the good commit was blocked:\n{}", text(&out));
    assert!(git(&["log", "--oneline"]).stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count() == 1);
}

/// The release workflow's npm packages come from the release archives: the launcher and one
/// package per archive, which install and run like the ones `package-npm.sh` packs.
#[test]
fn npm_packages_from_the_release_archives_install_and_run() {
    if !have_node() || !cfg!(target_os = "linux") {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("npm-out");
    run(Command::new("bash")
        .current_dir(root())
        .arg("scripts/npm-from-release.sh")
        .arg(release_page().join(format!("v{VERSION}")))
        .arg(&out));
    let platform = format!("cli-{}-musl", if cfg!(target_arch = "aarch64") { "linux-arm64" } else { "linux-x64" });
    let mut dirs: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    dirs.sort();
    assert_eq!(dirs, [platform.clone(), "forcelint".to_string()]);
    let packs = work.path().join("packs");
    std::fs::create_dir_all(&packs).unwrap();
    for dir in &dirs {
        run(npm("npm").current_dir(out.join(dir)).args(["pack", "--silent", "--pack-destination"]).arg(&packs));
    }
    let project = work.path().join("project");
    empty_project(&project);
    // The test's archive is named for the musl target (as the action picks it), and npm
    // installs a musl package on glibc only when forced.
    run(npm("npm")
        .current_dir(&project)
        .args(["install", "--offline", "--force", "--no-audit", "--no-fund", "--loglevel=error"])
        .args(tgz_files(&packs)));
    // The glibc package is not installed: the launcher falls back to the static musl one.
    let out = run(Command::new(project.join("node_modules/.bin/forcelint")).arg("--version"));
    assert_eq!(String::from_utf8(out.stdout).unwrap().trim(), format!("forcelint {VERSION}"));
}

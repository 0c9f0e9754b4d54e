//! The packages users install: npm (launcher + this platform's binary package, from
//! `scripts/package-npm.sh`), husky + lint-staged with the installed launcher, and the PyPI wheel
//! (maturin). One release build serves them all.
//!
//! Needs node/npm (npm tests), python3 with venv and maturin (wheel test), git, and the npm
//! registry (lint-staged only); without them a test says so and passes. `.ci/run` installs them.

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

/// The release build, once for every test here (they run in parallel threads).
fn release_build() {
    static BUILT: Mutex<bool> = Mutex::new(false);
    let mut built = BUILT.lock().unwrap_or_else(|e| e.into_inner());
    if !*built {
        run(Command::new(env!("CARGO")).current_dir(root()).args(["build", "--release", "--locked", "--quiet"]));
        *built = true;
    }
}

/// `scripts/package-npm.sh OUTDIR`, once: the folder with the two .tgz files.
fn npm_packages() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        release_build();
        let dir = scratch("npm-packages");
        run(Command::new("bash").current_dir(root()).arg("scripts/package-npm.sh").arg(&dir));
        dir
    })
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
    run(Command::new("npm")
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
    assert!(stdout.contains(": error[expiring-refresh-token] refresh tokens of `Data_Warehouse_Loader` expire"), "{stdout}");
    // The same findings as the binary built by the tests.
    let expected = debug_binary_output(&["check", "--format", "concise", demo.to_str().unwrap()]);
    assert_eq!(stdout, String::from_utf8(expected.stdout).unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains(" errors, "), "summary on stderr");

    let out = run(Command::new("npx").current_dir(project.path()).args(["--offline", "forcelint", "--version"]));
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
    let fake = fake_forcelint(dir.path(), "trap 'echo got TERM; exit 3' TERM; echo ready; sleep 30 & wait");
    let mut child = Command::new("node")
        .arg(launcher())
        .env("FORCELINT_BINARY", &fake)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert_eq!(line, "ready\n");
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
    release_build();
    let work = tempfile::tempdir().unwrap();
    let wheels = work.path().join("wheels");
    run(Command::new("maturin").current_dir(root()).args(["build", "--release", "--locked", "--quiet", "--out"]).arg(&wheels));
    let wheel = std::fs::read_dir(&wheels).unwrap().next().unwrap().unwrap().path();
    let name = wheel.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.starts_with(&format!("forcelint-{VERSION}-py3-none-")), "{name}");

    let venv = work.path().join("venv");
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    run(Command::new(venv.join("bin/python"))
        .args(["-m", "pip", "install", "--quiet", "--no-index", "--disable-pip-version-check"])
        .arg(&wheel));
    let demo = root().join(DEMO);
    let out = Command::new(venv.join("bin/forcelint")).args(["check", "--format", "concise"]).arg(&demo).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let expected = debug_binary_output(&["check", "--format", "concise", demo.to_str().unwrap()]);
    assert_eq!(out.stdout, expected.stdout);

    // The package metadata points at Cargo.toml's repository.
    let show = run(Command::new(venv.join("bin/python")).args(["-m", "pip", "show", "--verbose", "forcelint"]));
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(show.contains(&format!("Version: {VERSION}")), "{show}");
    assert!(show.contains(REPOSITORY), "{show}");
}

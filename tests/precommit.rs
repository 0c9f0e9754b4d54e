//! The pre-commit hooks, with the real `pre-commit` tool, against a scratch SFDX repository:
//! this repository's hook (built from source by pip and maturin, with Cargo.lock) and the hook
//! of forcelint-pre-commit (`pre-commit/`, which installs the wheel: no Rust).
//!
//! Needs `pre-commit` and `git` on PATH, and `maturin` for the wheel (`.ci/run` installs them
//! from PyPI); without them a test says so and passes. The file pattern is checked without them.

use std::path::Path;
use std::process::{Command, Output};

const HOOKS: &str = include_str!("../.pre-commit-hooks.yaml");
const WHEEL_HOOKS: &str = include_str!("../pre-commit/.pre-commit-hooks.yaml");
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The two hooks differ only in where forcelint comes from; both are `language: python`.
#[test]
fn the_wheel_hook_is_the_source_hook_from_pypi() {
    let hook = |text: &str| -> Vec<String> {
        text.lines().filter(|l| !l.trim_start().starts_with('#')).map(str::to_string).collect()
    };
    assert_eq!(hook(HOOKS), hook(WHEEL_HOOKS));
    assert!(HOOKS.contains("\n  language: python\n"));
    let pyproject = include_str!("../pre-commit/pyproject.toml");
    assert!(
        pyproject.contains(&format!("\nversion = \"{VERSION}\"\n")),
        "pre-commit/pyproject.toml: version {VERSION}"
    );
    assert!(pyproject.contains(&format!("dependencies = [\"forcelint=={VERSION}\"]")), "the wheel of this version");
    let root = include_str!("../pyproject.toml");
    assert!(root.contains("\nbindings = \"bin\"\n") && root.contains("\nlocked = true\n"), "{root}");
}

/// The `files:` regex of the hook, as pre-commit sees it (single-quoted YAML).
fn files_pattern() -> String {
    let line = HOOKS.lines().find_map(|l| l.trim().strip_prefix("files: ")).expect("files: in the hook");
    line.trim_matches('\'').replace("''", "'")
}

/// The pattern, checked with Python's `re` (what pre-commit uses), on paths that must and
/// must not match.
#[test]
fn hook_file_pattern_covers_every_metadata_suffix() {
    let must = [
        "force-app/main/default/connectedApps/Sync.connectedApp-meta.xml",
        "src/connectedApps/Sync.connectedApp",
        "force-app/main/default/externalClientApps/A.eca-meta.xml",
        "x/A_oauth.ecaOauth-meta.xml",
        "x/A_glbl.ecaGlblOauth-meta.xml",
        "x/A_oauthPlcy.ecaOauthPlcy-meta.xml",
        "x/A_plcy.ecaPlcy-meta.xml",
        "force-app/main/default/settings/Security.settings-meta.xml",
        "src/settings/Security.settings",
        "force-app/main/default/profiles/Integration User.profile-meta.xml",
        "x/Admin.profile",
        "x/p1577114379358.profileSessionSetting-meta.xml",
        "force-app/main/default/settings/OauthOidc.settings-meta.xml",
        "src/settings/ConnectedApp.settings",
        "force-app/main/default/permissionsets/Integration_Access.permissionset-meta.xml",
        "src/permissionsets/Integration_Access.permissionset",
    ];
    let must_not = [
        "force-app/main/default/settings/Account.settings-meta.xml",
        "force-app/main/default/permissionsetgroups/G.permissionsetgroup-meta.xml",
        "force-app/main/default/classes/Sync.cls",
        "force-app/main/default/classes/Sync.cls-meta.xml",
        "sfdx-project.json",
        "x/Sync.connectedApp-meta.xml.dup",
    ];
    let pattern = files_pattern();
    let script = "import re,sys\np=re.compile(sys.argv[1])\nfor a in sys.argv[2:]: print('1' if p.search(a) else '0')";
    let Ok(out) = Command::new("python3").arg("-c").arg(script).arg(&pattern).args(must).args(must_not).output() else {
        eprintln!("skipped: python3 is not available to check the pattern with Python's re");
        return;
    };
    let verdicts: Vec<&str> = std::str::from_utf8(&out.stdout).unwrap().lines().collect();
    let expected: Vec<&str> = must.iter().map(|_| "1").chain(must_not.iter().map(|_| "0")).collect();
    assert_eq!(verdicts, expected, "pattern {pattern}");
}

fn run(dir: &Path, cmd: &str, args: &[&str]) -> Output {
    Command::new(cmd).current_dir(dir).args(args).output().unwrap_or_else(|e| panic!("{cmd}: {e}"))
}

fn available(cmd: &str) -> bool {
    Command::new(cmd).arg("--version").output().is_ok_and(|o| o.status.success())
}

const APP: &str = "force-app/main/default/connectedApps/Sync.connectedApp-meta.xml";

fn app(policy: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>Sync</label>\n    <oauthConfig>\n        <callbackUrl>https://example.org/cb</callbackUrl>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>\n    </oauthConfig>\n    <oauthPolicy>\n        <ipRelaxation>BYPASS</ipRelaxation>\n        <refreshTokenPolicy>{policy}</refreshTokenPolicy>\n    </oauthPolicy>\n</ConnectedApp>\n"
    )
}

#[test]
fn a_bad_commit_is_blocked_and_a_good_one_passes() {
    if !available("pre-commit") || !available("git") {
        eprintln!("skipped: `pre-commit` or `git` is not on PATH (.ci/run installs pre-commit)");
        return;
    }
    // The hook repository: this checkout's committed HEAD, as pre-commit clones it.
    let this = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = run(this, "git", &["rev-parse", "HEAD"]);
    assert!(head.status.success());
    let head = String::from_utf8(head.stdout).unwrap().trim().to_string();
    let config = format!("repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: forcelint\n", this.display());
    // pip builds the wheel with maturin and cargo. In this checkout's target folder the
    // dependencies are already built for release; the clone's own crate, unoptimized, is
    // enough to test the hook and takes a fraction of the time.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    let env = [
        ("CARGO_PROFILE_RELEASE_PACKAGE_FORCELINT_OPT_LEVEL", "0".to_string()),
        ("CARGO_TARGET_DIR", target.display().to_string()),
    ];
    bad_and_good_commits(&config, &env);
}

/// The README's hook of forcelint-pre-commit: a repository made of `pre-commit/`, tagged as
/// the release workflow tags it; pip finds the wheel maturin builds here instead of on PyPI.
#[test]
fn the_wheel_hook_needs_no_rust() {
    if !available("pre-commit") || !available("git") || !available("maturin") {
        eprintln!("skipped: `pre-commit`, `git` or `maturin` is not on PATH (.ci/run installs them)");
        return;
    }
    let this = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    let wheels = scratch.path().join("wheels");
    let out = Command::new("maturin")
        .current_dir(this)
        .args(["build", "--release", "--locked", "--quiet", "--out"])
        .arg(&wheels)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mirror = scratch.path().join("forcelint-pre-commit");
    std::fs::create_dir_all(&mirror).unwrap();
    for file in [".pre-commit-hooks.yaml", "pyproject.toml", "README.md"] {
        std::fs::copy(this.join("pre-commit").join(file), mirror.join(file)).unwrap();
    }
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-q", "-m", "hook"],
        &["tag", &format!("v{VERSION}")],
    ] {
        let out = Command::new("git")
            .current_dir(&mirror)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    // The README's configuration, pointing at the scratch mirror.
    let readme = std::fs::read_to_string(this.join("README.md")).unwrap();
    let install = readme.split("\n### pre-commit\n").nth(1).expect("README: Install, pre-commit");
    let config = install.split("```yaml\n").nth(1).unwrap().split("```").next().unwrap();
    let url = format!("{}-pre-commit", env!("CARGO_PKG_REPOSITORY"));
    assert!(config.contains(&format!("repo: {url}\n")) && config.contains(&format!("rev: v{VERSION}\n")), "{config}");
    let config = config.replace(&url, &mirror.display().to_string());
    // No Rust: cargo and rustc are not on the hook's PATH.
    let path = std::env::var("PATH")
        .unwrap_or_default()
        .split(':')
        .filter(|dir| !Path::new(dir).join("cargo").exists())
        .collect::<Vec<_>>()
        .join(":");
    let env = [
        ("PIP_FIND_LINKS", wheels.display().to_string()),
        ("PATH", path),
        ("RUSTUP_TOOLCHAIN", "none-such".to_string()),
    ];
    bad_and_good_commits(&config, &env);
}

fn bad_and_good_commits(config: &str, env: &[(&str, String)]) {
    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("repo");
    std::fs::create_dir_all(repo.join("force-app/main/default/connectedApps")).unwrap();
    std::fs::write(repo.join("sfdx-project.json"), r#"{"packageDirectories":[{"path":"force-app"}]}"#).unwrap();
    std::fs::write(repo.join(".pre-commit-config.yaml"), config).unwrap();
    let home = scratch.path().join("pre-commit-home");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("PRE_COMMIT_HOME", &home)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .output()
            .unwrap();
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    };
    assert!(git(&["init", "-q", "-b", "main"]).0);
    let install =
        Command::new("pre-commit").current_dir(&repo).arg("install").env("PRE_COMMIT_HOME", &home).output().unwrap();
    assert!(install.status.success(), "{}", String::from_utf8_lossy(&install.stderr));

    std::fs::write(repo.join(APP), app("zero")).unwrap();
    assert!(git(&["add", "-A"]).0);
    let (ok, output) = git(&["commit", "-q", "-m", "bad"]);
    assert!(!ok, "the bad commit went through:\n{output}");
    assert!(output.contains("expiring-refresh-token"), "{output}");
    assert!(output.contains("refresh tokens of `Sync` expire immediately"), "{output}");
    assert!(output.contains("<refreshTokenPolicy>zero</refreshTokenPolicy>"), "annotated snippet missing:\n{output}");

    std::fs::write(repo.join(APP), app("infinite")).unwrap();
    assert!(git(&["add", "-A"]).0);
    let (ok, output) = git(&["commit", "-q", "-m", "good"]);
    assert!(ok, "the good commit was blocked:\n{output}");
}

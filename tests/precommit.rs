//! The pre-commit hook, with the real `pre-commit` tool, against a scratch SFDX repository.
//!
//! Needs `pre-commit` and `git` on PATH (`.ci/run` installs pre-commit from PyPI); without
//! them the test says so and passes. The hook's file pattern is checked without them.

use std::path::Path;
use std::process::{Command, Output};

const HOOKS: &str = include_str!("../.pre-commit-hooks.yaml");

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
    ];
    let must_not = [
        "force-app/main/default/settings/Account.settings-meta.xml",
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

    let scratch = tempfile::tempdir().unwrap();
    let repo = scratch.path().join("repo");
    std::fs::create_dir_all(repo.join("force-app/main/default/connectedApps")).unwrap();
    std::fs::write(repo.join("sfdx-project.json"), r#"{"packageDirectories":[{"path":"force-app"}]}"#).unwrap();
    std::fs::write(
        repo.join(".pre-commit-config.yaml"),
        format!("repos:\n  - repo: {}\n    rev: {head}\n    hooks:\n      - id: forcelint\n", this.display()),
    )
    .unwrap();
    let home = scratch.path().join("pre-commit-home");
    let git = |args: &[&str]| {
        let out = Command::new("git")
            .current_dir(&repo)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .env("PRE_COMMIT_HOME", &home)
            // pre-commit builds the hook with `cargo install`; an unoptimized build is
            // enough to test it and takes a fraction of the time.
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0")
            .env("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "256")
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

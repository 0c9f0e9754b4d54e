//! The CI recipes in the README: every `forcelint check` command in a YAML block runs, on a
//! copy of the demo project, and writes what the CI system expects. The GitHub recipes use the
//! action, whose steps `tests/packages.rs` runs.

mod common;
use common::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Commands from the README's YAML blocks, as a shell would see them.
fn recipe_commands() -> Vec<String> {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let mut out = Vec::new();
    let mut in_yaml = false;
    for line in readme.lines() {
        match line.trim() {
            "```yaml" => in_yaml = true,
            "```" => in_yaml = false,
            l if in_yaml => {
                let command = l.trim_start_matches("- ").trim_start_matches("run: ").trim_start_matches("script: ");
                if command.starts_with("forcelint check") {
                    out.push(command.to_string());
                }
            }
            _ => {}
        }
    }
    out
}

#[test]
fn every_ci_recipe_command_runs_and_writes_its_report() {
    let commands = recipe_commands();
    assert!(commands.len() >= 2, "recipes not found in README: {commands:?}");
    let work = tempfile::tempdir().unwrap();
    copy_dir(Path::new("fixtures/projects/demo"), work.path());
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_forcelint")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let summary = work.path().join("step-summary.md");

    for command in &commands {
        let out = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(work.path())
            .env("PATH", &path)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .output()
            .unwrap();
        let code = out.status.code().unwrap();
        assert!(code == 0 || code == 1, "`{command}` exited {code}: {}", String::from_utf8_lossy(&out.stderr));
        if command.contains("--format github") {
            let stdout = String::from_utf8(out.stdout).unwrap();
            assert!(stdout.lines().all(|l| l.starts_with("::")), "{stdout}");
        }
    }

    let json = |name: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(work.path().join(name)).unwrap()).unwrap()
    };
    assert!(!json("gl-code-quality-report.json").as_array().unwrap().is_empty());
    let junit = std::fs::read_to_string(work.path().join("forcelint-junit.xml")).unwrap();
    assert!(junit.contains("<testsuites") && junit.contains("<failure"));
}

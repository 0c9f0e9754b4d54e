//! The VS Code task in the README: its problem matcher's regular expression, run by JavaScript's
//! engine (what VS Code uses), reads every line of real `--format concise` output, including
//! paths with spaces and Windows paths with drive letters.

mod common;
use common::copy_dir;
use std::path::Path;
use std::process::Command;

/// The README's VS Code task (the JSON block of "### Editors").
fn task() -> serde_json::Value {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let section = readme.split("\n### Editors\n").nth(1).expect("README has ### Editors");
    let block = section.split("```json\n").nth(1).unwrap().split("\n```").next().unwrap();
    serde_json::from_str(block).expect("the task is valid JSON")
}

#[test]
fn the_problem_matcher_reads_real_concise_output() {
    let task = task();
    let tasks = task["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1);
    assert!(tasks[0]["command"].as_str().unwrap().ends_with("forcelint check --format concise"));
    let matcher = &tasks[0]["problemMatcher"];
    let pattern = &matcher["pattern"];
    let regexp = pattern["regexp"].as_str().unwrap();
    let groups: Vec<u64> = ["file", "line", "column", "severity", "code", "message"]
        .iter()
        .map(|k| pattern[k].as_u64().unwrap())
        .collect();
    assert_eq!(groups, [1, 2, 3, 4, 5, 6]);
    if !Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: node is not on PATH to run the regular expression with JavaScript's engine");
        return;
    }

    // Real output, from a project in a folder whose name has spaces, run as the task runs it
    // (relative paths) and on an absolute path.
    let work = tempfile::tempdir().unwrap();
    let project = work.path().join("my sf project");
    copy_dir(Path::new("fixtures/projects/demo"), &project);
    let bin = env!("CARGO_BIN_EXE_forcelint");
    let concise = |dir: &Path, arg: &str| {
        let out = Command::new(bin).current_dir(dir).args(["check", "--format", "concise", arg]).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let relative = concise(&project, ".");
    // From elsewhere, paths outside the working folder are printed whole.
    let elsewhere = tempfile::tempdir().unwrap();
    let absolute = concise(elsewhere.path(), project.to_str().unwrap());
    let json = Command::new(bin).current_dir(&project).args(["check", "--format", "json"]).output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    // What each line must give: (file, line, column, severity, rule, message).
    let expected: Vec<[String; 6]> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            [
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["start"]["line"].to_string(),
                f["location"]["start"]["column"].to_string(),
                f["severity"].as_str().unwrap().to_string(),
                f["rule"].as_str().unwrap().to_string(),
                f["message"].as_str().unwrap().to_string(),
            ]
        })
        .collect();
    assert!(expected.len() > 5 && expected.iter().any(|e| e[0].contains(' ')), "{expected:?}");

    let prefix = format!("{}/", project.display());
    let windows = r"C:\Users\Jane Doe\my sf project\";
    let mut lines = Vec::new();
    let mut wanted = Vec::new();
    for (i, line) in relative.lines().enumerate() {
        lines.push(line.to_string());
        wanted.push(expected[i].clone());
    }
    for (i, line) in absolute.lines().enumerate() {
        lines.push(line.to_string());
        let mut e = expected[i].clone();
        e[0] = format!("{prefix}{}", e[0]);
        wanted.push(e);
    }
    // As forcelint prints them on Windows: backslashes after a drive letter.
    for (i, line) in relative.lines().enumerate() {
        let path = &expected[i][0];
        let win_path = format!("{windows}{}", path.replace('/', "\\"));
        lines.push(line.replacen(path.as_str(), &win_path, 1));
        let mut e = expected[i].clone();
        e[0] = win_path;
        wanted.push(e);
    }

    let script = "const [re, lines] = JSON.parse(process.argv[1]);\n\
        const r = new RegExp(re);\n\
        console.log(JSON.stringify(lines.map((l) => { const m = r.exec(l); return m ? m.slice(1, 7) : null; })));";
    let input = serde_json::json!([regexp, lines]).to_string();
    let out = Command::new("node").args(["-e", script, &input]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let got: Vec<Option<[String; 6]>> = serde_json::from_slice(&out.stdout).unwrap();
    for ((line, got), want) in lines.iter().zip(&got).zip(&wanted) {
        assert_eq!(got.as_ref(), Some(want), "{line}");
    }
    assert_eq!(got.len(), wanted.len());
}

//! Linting one file of a project (the pre-commit case) reports exactly what linting the
//! whole project reports in that file, or caused by it (a related label in it, when it is
//! no app's file), although it reads only the context the file needs.
//!
//! Checked for every metadata file of every example project and of every rule fixture
//! (each copied into a project of its own, so that its files have one another as context).

mod common;
use common::copy_dir;
use std::path::{Path, PathBuf};

use forcelint::discover::discover;

// The benchmark's project generator: realistic projects with many cross-file relations.
#[path = "../examples/generate.rs"]
#[allow(dead_code)]
mod generate;
use forcelint::engine::{self, Settings};
use forcelint::suppress::Date;

/// What a finding says and where, with its related places: enough to tell two apart.
type Seen = (String, usize, usize, String, String, String, Vec<String>);

fn settings() -> Settings {
    Settings { today: Date::from_days(20_600), ..Settings::default() }
}

/// The findings, each with the files that cause it: those of its related labels that are
/// no app's (org settings, profiles, permission sets, session settings).
fn findings_with_causes(paths: &[PathBuf]) -> Vec<(Seen, Vec<String>)> {
    let outcome = engine::run(paths, &settings()).unwrap_or_else(|e| panic!("{paths:?}: {e}"));
    let sources = &outcome.project.sources;
    let place = |loc: forcelint::source::Location| {
        let at = sources.get(loc.file).line_col(loc.span.start);
        (std::path::absolute(sources.path(loc.file)).unwrap(), at.line, at.column)
    };
    let app_files: Vec<_> = outcome.project.apps.iter().flat_map(|a| a.files.iter().copied()).collect();
    let mut seen: Vec<(Seen, Vec<String>)> = outcome
        .findings
        .iter()
        .map(|f| {
            let (path, line, column) = place(f.primary.loc);
            let related = f.related.iter().map(|l| format!("{:?} {}", place(l.loc), l.text)).collect();
            let severity = f.severity.name().to_string();
            let causes = f
                .related
                .iter()
                .filter(|l| !app_files.contains(&l.loc.file))
                .map(|l| place(l.loc).0.display().to_string())
                .collect();
            (
                (path.display().to_string(), line, column, f.rule.to_string(), severity, f.message.clone(), related),
                causes,
            )
        })
        .collect();
    seen.sort();
    seen
}

fn findings(paths: &[PathBuf]) -> Vec<Seen> {
    findings_with_causes(paths).into_iter().map(|(seen, _)| seen).collect()
}

/// Every file of the project, alone, against the whole project's findings in it or caused
/// by it.
fn check_each_file(project: &Path) -> usize {
    let all = findings_with_causes(&[project.to_path_buf()]);
    let files = discover(&[project.to_path_buf()]).unwrap().files;
    assert!(!files.is_empty(), "{}", project.display());
    for file in &files {
        let path = file.path.display().to_string();
        let expected: Vec<Seen> =
            all.iter().filter(|(f, causes)| f.0 == path || causes.contains(&path)).map(|(f, _)| f.clone()).collect();
        assert_eq!(findings(std::slice::from_ref(&file.path)), expected, "{path} alone");
    }
    files.len()
}

#[test]
fn each_file_of_the_example_projects_alone_gets_the_findings_of_the_whole() {
    // The context project is made so that findings depend on other files: they must be there.
    let context = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects/context");
    assert!(findings(&[context]).len() >= 5);
    let mut checked = 0;
    for project in ["context", "demo", "eca-split", "forceignore", "mdapi", "multi-package"] {
        checked += check_each_file(&Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/projects").join(project));
    }
    assert!(checked >= 36, "{checked} files");
}

#[test]
fn each_file_of_the_rule_fixtures_alone_gets_the_findings_of_the_whole() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut checked = 0;
    for rule in std::fs::read_dir(&rules).unwrap() {
        for verdict in ["bad", "good"] {
            let Ok(cases) = std::fs::read_dir(rule.as_ref().unwrap().path().join(verdict)) else { continue };
            for case in cases {
                let case = case.unwrap().path();
                let dir = tempfile::tempdir().unwrap();
                copy_dir(&case, dir.path());
                // Its top-level folders as package directories: the case becomes a project.
                let mut packages: Vec<String> = std::fs::read_dir(dir.path())
                    .unwrap()
                    .map(|e| e.unwrap())
                    .filter(|e| e.file_type().unwrap().is_dir())
                    .map(|e| format!("{{\"path\":\"{}\"}}", e.file_name().to_string_lossy()))
                    .collect();
                packages.sort();
                if packages.is_empty() {
                    continue;
                }
                let sfdx = format!("{{\"packageDirectories\":[{}]}}", packages.join(","));
                std::fs::write(dir.path().join("sfdx-project.json"), sfdx).unwrap();
                checked += check_each_file(dir.path());
            }
        }
    }
    assert!(checked > 150, "{checked} files");
}

#[test]
fn each_file_of_generated_projects_alone_gets_the_findings_of_the_whole() {
    let mut checked = 0;
    use generate::Layout::{Mdapi, Source};
    for (seed, layout) in [(1, Source), (2, Source), (3, Source), (4, Mdapi)] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("project");
        let args = generate::Args { files: 1500, layout, seed, list: None, out: out.clone() };
        generate::generate(&args).unwrap();
        // A config at the top of the repository, above an mdapi project's `src/package.xml`:
        // found from a file too. (Outside a repository, the lookup stops at the project.)
        std::fs::create_dir(out.join(".git")).unwrap();
        let config = "[rules.short-session-timeout]\nminimum-minutes = 600\n\n[rules.enforced-ip-restrictions]\nseverity = \"off\"\n";
        std::fs::write(out.join("forcelint.toml"), config).unwrap();
        checked += check_each_file(&out);
    }
    assert!(checked > 40, "{checked} files");
}

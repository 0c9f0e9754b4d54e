//! What each fuzz target does with its input, as plain functions that panic when forcelint
//! breaks a promise. Shared by the fuzz crate (`fuzz/fuzz_targets/`) and by
//! `tests/robustness.rs`, which replays `fixtures/fuzz-regressions/<target>/*` through them.
//!
//! Besides "no panic", the harness checks what later stages rely on: every span is inside
//! its text and on character boundaries, the JSON report is JSON, and the starter config
//! that `forcelint init` writes for the apps found is a config forcelint accepts.

use std::path::{Path, PathBuf};

use forcelint::config::{self, Loaded};
use forcelint::engine::{self, LoadedFile, Outcome};
use forcelint::finding::Finding;
use forcelint::model::{BuiltFile, MetadataKind, ParseFailure, Problem, Project, build_file};
use forcelint::report::{Format, concise, human, json};
use forcelint::rules::{Options, RULES};
use forcelint::source::{FileId, Location, SourceFile};
use forcelint::suppress::{self, Date};
use forcelint::xml::{self, Document, Node, Span};

/// A target's body: panics where forcelint breaks a promise.
pub type Body = fn(&[u8]);

/// The targets by name, which is also the name of their folders in `fuzz/corpus/` and
/// `fixtures/fuzz-regressions/`.
pub const TARGETS: [(&str, Body); 4] =
    [("xml_parse", xml_parse), ("model_build", model_build), ("pipeline", pipeline), ("config", config)];

/// At most this many files in one `pipeline` input.
pub const MAX_FILES: usize = 8;

/// Full names the `pipeline` target gives its files, so that files can refer to each
/// other (profiles by name, ECA parts by app name) and names need quoting in TOML.
const NAMES: [&str; 8] =
    ["App", "Admin", "Integration", "Security", "Billing_Connector", "Billing_Connector_oauthPlcy", "My.App", "Ü n"];

/// (a) The XML layer: `xml::parse` on any text, and `xml::parse_keeping` (as profiles are
/// parsed) against it: the same error, or the same root with the children not kept emptied
/// or, where no comment is about them, left out.
pub fn xml_parse(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let whole = xml::parse(&source);
    match &whole {
        Ok(doc) => check_document(&source, doc),
        Err(e) => check_span(&source, e.span, "parse error"),
    }
    if let Ok(doc) = &whole {
        check_namespaces(&source, doc);
    }
    let keep: fn(&str) -> bool = |name| name.len() % 2 == 0;
    match (xml::parse_keeping(&source, keep), &whole) {
        (Err(kept), Err(whole)) => assert_eq!(&kept, whole, "parse_keeping gave another error"),
        (Ok(kept), Ok(whole)) => {
            check_document(&source, &kept);
            // What is kept of the root's children is a part of them, in order: every comment
            // and text, whole the children `keep` wants, and of the others, as stubs holding
            // their comments, those a comment is in or right before.
            let mut rest = whole.root.nodes.iter();
            for k in &kept.root.nodes {
                let w = rest.find(|w| match (k, w) {
                    (Node::Element(k), Node::Element(w)) => (k.span, k.name_span) == (w.span, w.name_span),
                    (k, w) => format!("{k:?}") == format!("{w:?}"),
                });
                let Some(w) = w else { panic!("{k:?} kept from nothing") };
                if let (Node::Element(k), Node::Element(w)) = (k, w) {
                    assert_eq!((&k.name, k.nil, k.foreign), (&w.name, w.nil, w.foreign));
                    let same = format!("{:?}", k.nodes) == format!("{:?}", w.nodes);
                    let only_comments = k.nodes.iter().all(|n| matches!(n, Node::Comment(_)));
                    assert!(if keep(&w.name) { same } else { only_comments }, "<{}> kept wrongly", w.name);
                }
            }
            let not_elements = |nodes: &[Node]| nodes.iter().filter(|n| !matches!(n, Node::Element(_))).count();
            assert_eq!(not_elements(&kept.root.nodes), not_elements(&whole.root.nodes));
            assert_eq!(
                kept.root.elements().filter(|e| keep(&e.name)).count(),
                whole.root.elements().filter(|e| keep(&e.name)).count()
            );
            // Each comment is about the same element in both: inline suppressions rely on it.
            assert_eq!(comments_about(&kept.root), comments_about(&whole.root), "a comment is about another element");
        }
        // Only what is kept counts against the tree limit.
        (Ok(_), Err(whole)) if whole.message.starts_with("more than") => {}
        (kept, whole) => panic!("parse_keeping: {kept:?}, parse: {whole:?}"),
    }
}

/// For each comment directly in `element`, the span of the element after it (if any).
fn comments_about(element: &xml::Element) -> Vec<(xml::Span, Option<xml::Span>)> {
    element.comments_with_next().map(|(c, next)| (c.span, next.map(|e| e.span))).collect()
}

/// Namespaces (issue 12): `elements()` never yields a nil or foreign element; without any
/// `xmlns` declaration nothing is nil (an undeclared `xsi` is no namespace), and only an
/// element with an (undeclared) prefix is foreign.
fn check_namespaces(source: &str, doc: &Document) {
    let declares = source.contains("xmlns");
    let mut stack = vec![&doc.root];
    while let Some(element) = stack.pop() {
        for child in element.elements() {
            assert!(!child.nil && !child.foreign, "elements() gave <{}>, nil or foreign", child.name);
        }
        if !declares {
            assert!(!element.nil, "<{}> is nil without an xsi declaration", element.name);
            let prefixed = source[element.span.start + 1..element.name_span.start].ends_with(':');
            assert!(!element.foreign || prefixed, "<{}> is foreign without a namespace anywhere", element.name);
        }
        stack.extend(element.nodes.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            _ => None,
        }));
    }
}

/// (b) The model: the first byte chooses the metadata kind, the rest is the file.
pub fn model_build(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let kind = MetadataKind::ALL[usize::from(selector) % MetadataKind::ALL.len()];
    let source = String::from_utf8_lossy(rest);
    let Ok(doc) = xml::parse(&source) else { return };
    let mut problems = Vec::new();
    let built = build_file(FileId(0), kind, "Fuzz", &doc, &mut problems);
    for problem in &problems {
        check_location(&source, problem.loc, "problem");
    }
    if let BuiltFile::Failed(failure) = &built {
        check_location(&source, failure.loc, "failure");
    }
    // A repeated element is reported, and none of its values judged (issue 12).
    if let BuiltFile::ConnectedApp(app) = &built {
        let policies: Vec<_> = doc.root.children("oauthPolicy").collect();
        let repeated = |name| policies.len() > 1 || policies.iter().any(|p| p.children(name).count() > 1);
        if let Some(oauth) = &app.oauth {
            assert!(
                !(repeated("refreshTokenPolicy") && oauth.refresh_token.as_set().is_some()),
                "a repeated refresh token policy was judged"
            );
            assert!(
                !(repeated("ipRelaxation") && oauth.ip_relaxation.as_set().is_some()),
                "a repeated ipRelaxation was judged"
            );
        }
        if repeated("refreshTokenPolicy") || repeated("ipRelaxation") {
            assert!(problems.iter().any(|p| p.message.contains("times; Salesforce refuses a repeated element")));
        }
    }
}

/// (c) The whole pipeline on a small project held in memory, the way `engine::run` does
/// it: files are separated by NUL bytes (never valid in XML); in each, the first byte
/// chooses the kind (modulo 10: the nine kinds, then `forcelint.toml`), the second the full
/// name (modulo 8), the rest is the text. Neither byte can be 0, the separator.
/// Then assemble, every rule, inline and config suppressions, sort, baseline entries, and
/// every report format.
pub fn pipeline(data: &[u8]) {
    let mut files = Vec::new();
    let mut config_text = None;
    for chunk in data.split(|&b| b == 0).take(MAX_FILES) {
        let [kind, name, rest @ ..] = chunk else { continue };
        let name = NAMES[usize::from(*name) % NAMES.len()];
        let Some(&kind) = MetadataKind::ALL.get(usize::from(*kind) % (MetadataKind::ALL.len() + 1)) else {
            config_text.get_or_insert_with(|| String::from_utf8_lossy(rest).into_owned());
            continue;
        };
        let id = FileId(files.len() as u32);
        let path = PathBuf::from(format!("force-app/main/default/f{}/{name}.{}-meta.xml", id.0, kind.suffix()));
        // As `engine::read`: invalid UTF-8 keeps the valid prefix and fails at its end.
        files.push(match String::from_utf8(rest.to_vec()) {
            Ok(text) => LoadedFile::parse(id, kind, name, SourceFile::new(path, text.clone()), &text),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(&rest[..valid]).into_owned();
                LoadedFile::unreadable(id, path, text, valid, "not UTF-8".into())
            }
        });
    }

    let config = match config_text.map(|text| config::parse(Path::new(config::FILE_NAME), text)) {
        Some(Ok(loaded)) => loaded,
        Some(Err(e)) => {
            let _ = human::config_error(&e, false);
            Loaded::default()
        }
        None => Loaded::default(),
    };
    // A second org settings file is a conflict, reported (issue 12).
    let org_files = files.iter().filter(|f| matches!(f.built, BuiltFile::OrgSettings(_))).count();
    // The same assembly as `engine::run`, the config (if any) as the last source.
    let project = engine::assemble(files, &config, config.path.clone());
    let conflicts = project.problems.iter().filter(|p| p.message.starts_with("a second `Security.settings`")).count();
    assert_eq!(conflicts, org_files.saturating_sub(1), "second org settings files reported");
    let config_file = project.config_file;
    check_project(&project);

    let options = Options::from_config(&config);
    let findings: Vec<Finding> =
        RULES.iter().filter_map(|r| r.check).flat_map(|check| check(&project, &options)).collect();
    let mut all = config_file.map(|file| suppress::from_config(&config, file)).unwrap_or_default();
    all.extend(project.inline_suppressions.iter().cloned());
    let today = Date::from_days(20_000);
    let (mut findings, suppressed) = suppress::apply(findings, &all, &project.sources, config.base_dir(), today);
    engine::sort(&project, &mut findings);
    let mut fingerprinter = forcelint::baseline::Fingerprinter::new(&project);
    for finding in findings.iter().chain(suppressed.iter().map(|(f, _)| f)) {
        check_finding(&project, finding);
        let _ = fingerprinter.entry(finding);
    }

    // `forcelint init` writes this for the apps found; forcelint must accept it back.
    let starter = config::starter(&project);
    if let Err(e) = config::parse(Path::new(config::FILE_NAME), starter.clone()) {
        panic!("the starter config is refused: {}\n{starter}", e.message);
    }

    let files = project.sources.len() - usize::from(config_file.is_some());
    let outcome = Outcome {
        project,
        findings,
        suppressed,
        baselined: 0,
        stale_baseline: Vec::new(),
        notes: Vec::new(),
        config,
        drift: None,
        files,
    };
    // One finding a line, none started by a workflow command, no control a terminal acts on.
    let lines = concise::render(&outcome);
    assert_eq!(lines.lines().count(), outcome.findings.len(), "concise is one finding a line:\n{lines}");
    check_text(&lines, "concise");
    let report = json::render(&outcome);
    if let Err(e) = serde_json::from_str::<serde_json::Value>(&report) {
        panic!("the JSON report is not JSON: {e}\n{report}");
    }
    check_text(&report, "json");
    for format in [Format::Human, Format::Markdown, Format::Github, Format::Junit, Format::Html] {
        let text = forcelint::report::render(&outcome, format, &human::Style { color: false, width: 80 });
        check_text(&text, &format!("{format:?}"));
    }
}

/// Text output holds no control a terminal or CI log would act on (C0 but tab and line
/// ends, DEL, C1), and no line starts with a workflow command but the github format's own.
fn check_text(text: &str, what: &str) {
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        let line_end = c == '\n' || (c == '\r' && bytes.get(i + 1) == Some(&b'\n'));
        let control = (c < ' ' && c != '\t' && !line_end) || ('\u{7f}'..='\u{9f}').contains(&c);
        assert!(!control, "{what}: control U+{:04X} at byte {i}", c as u32);
    }
    for line in text.lines() {
        let start = line.trim_start();
        let ours = what == "Github" && ["::error ", "::warning ", "::notice "].iter().any(|p| line.starts_with(p));
        let command = ["::", "##[", "##vso["].iter().any(|c| start.starts_with(c));
        assert!(ours || !command, "{what}: a line starts a workflow command: {line}");
    }
}

/// `forcelint.toml` on its own: load, options, suppressions, and the error report.
pub fn config(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    match config::parse(Path::new(config::FILE_NAME), text) {
        Ok(loaded) => {
            let _ = Options::from_config(&loaded);
            for s in suppress::from_config(&loaded, FileId(0)) {
                check_span(&loaded.text, s.loc.span, "suppression");
            }
        }
        Err(e) => {
            check_span(&e.text, e.span, "config error");
            let _ = human::config_error(&e, false);
            let _ = human::config_error(&e, true);
        }
    }
}

/// A span is inside `text` and starts and ends on character boundaries.
fn check_span(text: &str, span: Span, what: &str) {
    assert!(
        span.start <= span.end
            && span.end <= text.len()
            && text.is_char_boundary(span.start)
            && text.is_char_boundary(span.end),
        "{what}: span {span:?} is not a character range of a {}-byte text",
        text.len()
    );
}

fn check_location(text: &str, loc: Location, what: &str) {
    check_span(text, loc.span, what);
}

fn check_in(project: &Project, loc: Location, what: &str) {
    assert!((loc.file.0 as usize) < project.sources.len(), "{what}: file {:?} is not a source", loc.file);
    check_span(project.sources.get(loc.file).text(), loc.span, what);
}

fn check_project(project: &Project) {
    for Problem { loc, .. } in &project.problems {
        check_in(project, *loc, "problem");
    }
    for ParseFailure { loc, .. } in &project.parse_failures {
        check_in(project, *loc, "parse failure");
    }
    for app in &project.apps {
        check_in(project, app.anchor, "app anchor");
    }
}

fn check_finding(project: &Project, finding: &Finding) {
    let what = finding.rule;
    check_in(project, finding.primary.loc, what);
    for label in &finding.related {
        check_in(project, label.loc, what);
    }
    for label in finding.app.iter().flat_map(|a| &a.evidence) {
        check_in(project, label.loc, what);
    }
}

/// Every span of the tree, and of every element's `text()`, is a character range of the
/// source; an element's name span holds its (local) name.
fn check_document(source: &str, doc: &Document) {
    for comment in &doc.comments {
        check_span(source, comment.span, "comment");
    }
    // No recursion: the tree is at most `MAX_DEPTH` deep, but the check need not rely on it.
    let mut stack = vec![&doc.root];
    while let Some(element) = stack.pop() {
        check_span(source, element.span, "element");
        check_span(source, element.name_span, "element name");
        assert_eq!(&source[element.name_span.start..element.name_span.end], element.name, "name span");
        assert!(
            element.span.start <= element.name_span.start && element.name_span.end <= element.span.end,
            "the name span {:?} is outside the element {:?}",
            element.name_span,
            element.span
        );
        if let Some(text) = element.text() {
            check_span(source, text.span, "element text");
        }
        for node in &element.nodes {
            match node {
                Node::Element(child) => stack.push(child),
                Node::Text(t) | Node::Comment(t) => check_span(source, t.span, "text"),
            }
        }
    }
}

//! Baselines: record today's findings, then report only what is new.
//!
//! A fingerprint uses no line numbers, so edits elsewhere in a file (or a retrieve that
//! reorders it) do not make old findings look new: rule, metadata type, app, element path
//! and value.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::finding::Finding;
use crate::model::{MetadataKind, Project};
use crate::source::FileId;
use crate::xml::{Document, Element, Node, Span};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    #[serde(rename = "type")]
    pub metadata_type: String,
    pub app: String,
    pub element: String,
    pub value: String,
    /// How many findings share this fingerprint.
    pub count: usize,
}

#[derive(Debug, Serialize, Deserialize)]
struct File {
    version: u32,
    entries: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct BaselineError {
    pub path: String,
    pub message: String,
}

/// Baseline entries for findings. Trees are not kept after loading, so the file a finding
/// is in is parsed again from its text; the last one is kept, so findings sorted by file
/// parse each file once.
pub struct Fingerprinter<'p> {
    project: &'p Project,
    last: Option<(FileId, Option<Document>)>,
}

impl<'p> Fingerprinter<'p> {
    pub fn new(project: &'p Project) -> Self {
        Fingerprinter { project, last: None }
    }

    /// What a finding is, independent of where in the file it sits.
    pub fn entry(&mut self, finding: &Finding) -> Entry {
        let project = self.project;
        let loc = finding.primary.loc;
        let (metadata_type, element, value) = match self.tree(loc.file) {
            Some(doc) => {
                let path = element_path(doc, loc.span);
                let value = path.last().and_then(|e| e.text()).map(|t| t.value).unwrap_or_default();
                let names: Vec<&str> = path.iter().map(|e| e.name.as_str()).collect();
                (names.first().copied().unwrap_or_default().to_string(), names.join("/"), value)
            }
            // Unparsable files and the config: the file name stands for the element.
            None => (String::new(), file_name(project, finding), String::new()),
        };
        let app = finding.app.as_ref().map_or_else(|| file_name(project, finding), |a| a.name.clone());
        let fingerprint =
            format!("{:016x}", fnv1a([finding.rule, &metadata_type, &app, &element, &value].join("\u{0}").as_bytes()));
        Entry { fingerprint, rule: finding.rule.to_string(), metadata_type, app, element, value, count: 1 }
    }

    fn tree(&mut self, file: FileId) -> Option<&Document> {
        if self.last.as_ref().is_none_or(|(f, _)| *f != file) {
            let source = self.project.sources.get(file);
            let kind = MetadataKind::of_path(self.project.sources.path(file));
            let doc = kind
                .filter(|_| self.project.config_file != Some(file) && !source.partial)
                .and_then(|kind| kind.parse(source.text()).ok());
            self.last = Some((file, doc));
        }
        self.last.as_ref().and_then(|(_, doc)| doc.as_ref())
    }
}

/// The elements from the root down to the innermost one that contains `span`. Children are
/// in document order, so the one that can contain it is found by binary search: a linear
/// scan made a file with many children take time quadratic in its size.
fn element_path(doc: &Document, span: Span) -> Vec<&Element> {
    let mut path = vec![&doc.root];
    while let Some(child) = path.last().and_then(|e| containing_child(e, span)) {
        path.push(child);
    }
    path
}

fn containing_child(element: &Element, span: Span) -> Option<&Element> {
    let start = |n: &Node| match n {
        Node::Element(e) => e.span.start,
        Node::Text(t) | Node::Comment(t) => t.span.start,
    };
    let after = element.nodes.partition_point(|n| start(n) <= span.start);
    // Two at most can contain it: an empty span can sit where one element ends and the next
    // starts (the first wins, as in document order).
    element.nodes[after.saturating_sub(2)..after].iter().find_map(|n| match n {
        Node::Element(c) if !c.nil && c.span.start <= span.start && span.end <= c.span.end => Some(c),
        _ => None,
    })
}

fn file_name(project: &Project, finding: &Finding) -> String {
    let path = project.sources.path(finding.primary.loc.file);
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// 64-bit FNV-1a: stable across platforms and releases, which `std`'s hasher is not.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

pub fn write(path: &Path, project: &Project, findings: &[Finding]) -> Result<usize, BaselineError> {
    let mut merged: BTreeMap<String, Entry> = BTreeMap::new();
    let mut fingerprinter = Fingerprinter::new(project);
    for f in findings {
        let e = fingerprinter.entry(f);
        merged.entry(e.fingerprint.clone()).and_modify(|m| m.count += 1).or_insert(e);
    }
    let mut entries: Vec<Entry> = merged.into_values().collect();
    entries.sort_by(|a, b| {
        (&a.app, &a.rule, &a.element, &a.fingerprint).cmp(&(&b.app, &b.rule, &b.element, &b.fingerprint))
    });
    let count = entries.len();
    let mut text = serde_json::to_string_pretty(&File { version: VERSION, entries }).expect("plain data serializes");
    text.push('\n');
    std::fs::write(path, text).map_err(|e| BaselineError {
        path: path.display().to_string(),
        message: format!("cannot write the baseline: {e}"),
    })?;
    Ok(count)
}

pub fn read(path: &Path) -> Result<Vec<Entry>, BaselineError> {
    let fail = |message: String| BaselineError { path: path.display().to_string(), message };
    // Baselines list every finding of a project: larger than a config, still not huge.
    let text = crate::source::read_text(path, 16 * crate::source::MAX_CONFIG_SIZE)
        .map_err(|e| fail(format!("cannot read the baseline: {e}")))?;
    let file: File = serde_json::from_str(&text)
        .map_err(|e| fail(format!("line {} column {}: not a forcelint baseline: {e}", e.line(), e.column())))?;
    if file.version != VERSION {
        return Err(fail(format!("baseline version {} is not supported (expected {VERSION})", file.version)));
    }
    Ok(file.entries)
}

/// Drops the findings the baseline knows; returns the entries no finding matched.
pub fn filter(project: &Project, findings: &mut Vec<Finding>, baseline: Vec<Entry>) -> Vec<Entry> {
    let mut remaining: BTreeMap<String, Entry> = baseline.into_iter().map(|e| (e.fingerprint.clone(), e)).collect();
    let mut fingerprinter = Fingerprinter::new(project);
    findings.retain(|f| {
        let fp = fingerprinter.entry(f).fingerprint;
        match remaining.get_mut(&fp) {
            Some(e) if e.count > 0 => {
                e.count -= 1;
                false
            }
            _ => true,
        }
    });
    remaining.into_values().filter(|e| e.count > 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path found by binary search is the one a walk in document order finds.
    #[test]
    fn element_paths_by_binary_search() {
        let text = "<r xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">x<a><b/>t<c>v</c></a><!--k--><d/><e/><n xsi:nil=\"true\"/><f/></r>";
        let doc = crate::xml::parse(text).unwrap();
        let names = |start: usize, end: usize| -> Vec<String> {
            element_path(&doc, Span::new(start, end)).iter().map(|e| e.name.clone()).collect()
        };
        let at = |s: &str| text.find(s).unwrap();
        assert_eq!(names(at("<c>"), at("</c>") + 4), ["r", "a", "c"]);
        assert_eq!(names(at("v"), at("v") + 1), ["r", "a", "c"]);
        assert_eq!(names(at("t<c>"), at("t<c>") + 1), ["r", "a"]);
        assert_eq!(names(at("<!--"), at("<!--") + 1), ["r"]);
        // An empty span where one element ends and the next starts: the first.
        assert_eq!(names(at("<e/>"), at("<e/>")), ["r", "d"]);
        assert_eq!(names(at("<f/>"), at("<f/>") + 4), ["r", "f"]);
        // A nil element stands for nothing.
        assert_eq!(names(at("<n "), at("<n ") + 2), ["r"]);
    }
}

//! Accepted risks: `[[ignore]]` entries in the config (by app or path, survive
//! `sf project retrieve`) and inline `<!-- forcelint: ignore[rule] reason -->` comments.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::Loaded;
use crate::finding::{Finding, Severity};
use crate::source::{FileId, Location, Sources};
use crate::xml::{Document, Element, Node, Span};

/// A calendar date, for `expires`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Date::from_days((secs / 86_400) as i64)
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as u16;
        Date { year, month, day }
    }
}

impl std::fmt::Display for Date {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Scope {
    /// An `[[ignore]]` entry: the app, the files, or both must match.
    Entry { app: Option<String>, path: Option<glob::Pattern> },
    /// An element (and its children) that an inline comment precedes.
    Region(Location),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    pub rules: Vec<String>,
    pub scope: Scope,
    pub reason: String,
    pub expires: Option<Date>,
    /// The entry in the config, or the comment.
    pub loc: Location,
    pub inline: bool,
}

impl Suppression {
    /// Whether it covers `finding`; `relative` is the finding's file as `path` patterns see it.
    fn matches(&self, finding: &Finding, relative: &Path) -> bool {
        if !self.rules.iter().any(|r| r == finding.rule) {
            return false;
        }
        let at = finding.primary.loc;
        match &self.scope {
            Scope::Entry { app, path } => {
                let app_matches = app.as_ref().is_none_or(|name| finding.app.as_ref().is_some_and(|a| &a.name == name));
                app_matches && path.as_ref().is_none_or(|pattern| pattern.matches_path(relative))
            }
            Scope::Region(region) => {
                region.file == at.file && region.span.start <= at.span.start && at.span.end <= region.span.end
            }
        }
    }
}

/// The suppressions that may cover a finding, found by rule, then by file (inline comments),
/// app, or literal path; patterns with wildcards are tried one by one. Trying every
/// suppression on every finding made a thousand `[[ignore]]` entries cost seconds.
struct Index<'s> {
    by_file: HashMap<(&'s str, FileId), Vec<usize>>,
    by_app: HashMap<(&'s str, &'s str), Vec<usize>>,
    by_path: HashMap<(&'s str, &'s str), Vec<usize>>,
    others: HashMap<&'s str, Vec<usize>>,
}

impl<'s> Index<'s> {
    fn new(suppressions: &'s [Suppression]) -> Self {
        let mut index =
            Index { by_file: HashMap::new(), by_app: HashMap::new(), by_path: HashMap::new(), others: HashMap::new() };
        for (i, s) in suppressions.iter().enumerate() {
            for rule in &s.rules {
                let rule = rule.as_str();
                let list = match &s.scope {
                    Scope::Region(loc) => index.by_file.entry((rule, loc.file)).or_default(),
                    Scope::Entry { app: Some(app), .. } => index.by_app.entry((rule, app.as_str())).or_default(),
                    Scope::Entry { app: None, path: Some(p) } if is_literal(p.as_str()) => {
                        index.by_path.entry((rule, p.as_str())).or_default()
                    }
                    Scope::Entry { .. } => index.others.entry(rule).or_default(),
                };
                list.push(i);
            }
        }
        index
    }

    /// Candidates for `finding`, in config order (the first that matches wins).
    fn candidates(&self, finding: &Finding, relative: &str) -> Vec<usize> {
        let rule = finding.rule;
        let mut out: Vec<usize> =
            self.by_file.get(&(rule, finding.primary.loc.file)).into_iter().flatten().copied().collect();
        if let Some(app) = &finding.app {
            out.extend(self.by_app.get(&(rule, app.name.as_str())).into_iter().flatten());
        }
        out.extend(self.by_path.get(&(rule, relative)).into_iter().flatten());
        out.extend(self.others.get(rule).into_iter().flatten());
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A glob pattern without wildcards matches exactly the path it spells.
fn is_literal(pattern: &str) -> bool {
    !pattern.contains(['*', '?', '[', ']', '\\']) && glob::Pattern::escape(pattern) == pattern
}

/// The `[[ignore]]` entries of a config; `config_file` is its id in the sources.
pub fn from_config(config: &Loaded, config_file: FileId) -> Vec<Suppression> {
    config
        .config
        .ignore
        .iter()
        .map(|entry| {
            let scope = Scope::Entry {
                app: entry.app.as_ref().map(|a| a.get_ref().clone()),
                // Validated when the config was loaded.
                path: entry.path.as_ref().map(|p| glob::Pattern::new(p.get_ref()).unwrap_or_default()),
            };
            let span = entry.rule.span();
            Suppression {
                rules: vec![entry.rule.get_ref().clone()],
                scope,
                reason: entry.reason.get_ref().clone(),
                expires: entry.expires.as_ref().and_then(|d| d.get_ref().date).map(|d| Date {
                    year: d.year,
                    month: d.month,
                    day: d.day,
                }),
                loc: Location { file: config_file, span: Span::new(span.start, span.end) },
                inline: false,
            }
        })
        .collect()
}

/// `<!-- forcelint: ignore[rule-a, rule-b] reason -->` before an element; before the root
/// element it covers the whole file.
pub fn inline(file: FileId, doc: &Document) -> Vec<Suppression> {
    let mut out = Vec::new();
    for comment in &doc.comments {
        let Some((rules, reason)) = parse_directive(&comment.value) else { continue };
        let before_root = comment.span.end <= doc.root.span.start;
        out.push(Suppression {
            rules,
            scope: Scope::Region(Location { file, span: if before_root { doc.root.span } else { Span::new(0, 0) } }),
            reason,
            expires: None,
            loc: Location { file, span: comment.span },
            inline: true,
        });
    }
    let mut stack: Vec<&Element> = vec![&doc.root];
    while let Some(element) = stack.pop() {
        stack.extend(element.nodes.iter().filter_map(|n| match n {
            Node::Element(child) => Some(child),
            _ => None,
        }));
        for (comment, next) in element.comments_with_next() {
            let Some((rules, reason)) = parse_directive(&comment.value) else { continue };
            out.push(Suppression {
                rules,
                // With nothing after it, the comment covers nothing and is reported unused.
                scope: Scope::Region(Location { file, span: next.map_or(Span::new(0, 0), |e| e.span) }),
                reason,
                expires: None,
                loc: Location { file, span: comment.span },
                inline: true,
            });
        }
    }
    out
}

fn parse_directive(comment: &str) -> Option<(Vec<String>, String)> {
    let rest = comment.trim().strip_prefix("forcelint:")?.trim_start().strip_prefix("ignore[")?;
    let (rules, reason) = rest.split_once(']')?;
    let rules: Vec<String> = rules.split(',').map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    (!rules.is_empty()).then(|| (rules, reason.trim().to_string()))
}

/// Splits findings into reported and suppressed, and reports suppressions that matched
/// nothing or have expired (`unused-suppression`).
pub fn apply(
    findings: Vec<Finding>,
    suppressions: &[Suppression],
    sources: &Sources,
    base: Option<&Path>,
    today: Date,
) -> (Vec<Finding>, Vec<(Finding, Suppression)>) {
    let mut used = vec![false; suppressions.len()];
    let mut reported = Vec::new();
    let mut suppressed = Vec::new();
    let index = Index::new(suppressions);
    let cwd = std::env::current_dir().unwrap_or_default();
    // Each file's path relative to the config's folder, worked out once.
    let mut relative: HashMap<FileId, PathBuf> = HashMap::new();
    for finding in findings {
        let file = finding.primary.loc.file;
        let relative = relative.entry(file).or_insert_with(|| {
            let path = sources.path(file);
            let absolute = cwd.join(path);
            base.and_then(|b| absolute.strip_prefix(b).ok()).unwrap_or(path).to_path_buf()
        });
        let key = relative.to_string_lossy();
        let hit = index
            .candidates(&finding, &key)
            .into_iter()
            .map(|i| (i, &suppressions[i]))
            .find(|(_, s)| s.expires.is_none_or(|e| today <= e) && s.matches(&finding, relative));
        match hit {
            Some((i, s)) => {
                used[i] = true;
                suppressed.push((finding, s.clone()));
            }
            None => reported.push(finding),
        }
    }
    for (s, used) in suppressions.iter().zip(used) {
        let expired = s.expires.filter(|e| today > *e);
        let finding = match expired {
            Some(date) => Finding::new(
                "unused-suppression",
                Severity::Warning,
                format!("this suppression expired on {date}: what it covered is reported again"),
                s.loc,
                "expired",
            )
            .help("fix what it covers, or move `expires` to a later date if the risk is still accepted"),
            None if !used => {
                let ids: Vec<&str> = crate::rules::RULES.iter().map(|r| r.id).collect();
                let unknown = s.rules.iter().find(|r| crate::rules::find(r).is_none());
                let message = match unknown {
                    Some(rule) => format!(
                        "this suppression names an unknown rule `{rule}`{}",
                        crate::model::literals::did_you_mean(rule, &ids)
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default()
                    ),
                    None => format!("this suppression of `{}` matches no finding", s.rules.join("`, `")),
                };
                Finding::new("unused-suppression", Severity::Warning, message, s.loc, "matches nothing").help(
                    if s.inline {
                        "remove the comment; an inline suppression covers the element right after it and its children"
                    } else {
                        "remove the entry, or correct its `app` or `path`"
                    },
                )
            }
            None => continue,
        };
        reported.push(finding);
    }
    (reported, suppressed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(Date::from_days(0).to_string(), "1970-01-01");
        assert_eq!(Date::from_days(19_782).to_string(), "2024-02-29");
        assert_eq!(Date::from_days(20_782).to_string(), "2026-11-25");
        assert_eq!(Date::from_days(-1).to_string(), "1969-12-31");
    }

    /// Through the index, the first suppression in order that matches still wins, whichever
    /// way it matches (literal path, wildcard, app, inline region).
    #[test]
    fn the_first_matching_suppression_wins() {
        use crate::source::SourceFile;
        let mut sources = Sources::default();
        let a = sources.add(SourceFile::new("p/A.xml".into(), "<a><b/></a>".into()));
        let b = sources.add(SourceFile::new("p/B.xml".into(), "<a/>".into()));
        let entry = |rule: &str, app: Option<&str>, path: Option<&str>, reason: &str| Suppression {
            rules: vec![rule.into()],
            scope: Scope::Entry { app: app.map(Into::into), path: path.map(|p| glob::Pattern::new(p).unwrap()) },
            reason: reason.into(),
            expires: None,
            loc: Location { file: a, span: Span::new(0, 0) },
            inline: false,
        };
        let region = Suppression {
            rules: vec!["r".into()],
            scope: Scope::Region(Location { file: a, span: Span::new(3, 7) }),
            reason: "inline".into(),
            ..entry("r", None, None, "")
        };
        let suppressions = [
            entry("other", None, Some("p/A.xml"), "other rule"),
            entry("r", None, Some("p/*.xml"), "wildcard"),
            entry("r", None, Some("p/A.xml"), "literal"),
            region,
        ];
        let finding = |file, start, end| {
            Finding::new("r", Severity::Warning, "m", Location { file, span: Span::new(start, end) }, "l")
        };
        let base = std::env::current_dir().unwrap();
        let reason = |suppressions: &[Suppression], f: Finding| {
            let (_, hidden) = apply(vec![f], suppressions, &sources, Some(&base), Date::from_days(0));
            hidden.first().map(|(_, s)| s.reason.clone())
        };
        assert_eq!(reason(&suppressions, finding(a, 3, 5)).as_deref(), Some("wildcard"));
        assert_eq!(reason(&suppressions[2..], finding(a, 3, 5)).as_deref(), Some("literal"));
        assert_eq!(reason(&suppressions[3..], finding(a, 3, 5)).as_deref(), Some("inline"));
        assert_eq!(reason(&suppressions[3..], finding(a, 0, 11)), None);
        assert_eq!(reason(&suppressions[2..], finding(b, 0, 1)), None);
        let mut by_app = finding(b, 0, 1);
        by_app.app = Some(crate::finding::AppRef {
            name: "App".into(),
            anchor: Location { file: b, span: Span::new(0, 4) },
            kind: crate::model::AppKind::ConnectedApp,
            purpose: crate::model::Purpose::Integration,
            evidence: Vec::new(),
            notes: Vec::new(),
            owner: None,
        });
        let app_entries =
            [entry("r", Some("App"), Some("p/A.xml"), "app and path"), entry("r", Some("App"), None, "app")];
        assert_eq!(reason(&app_entries, by_app).as_deref(), Some("app"));
    }

    #[test]
    fn directives() {
        assert_eq!(
            parse_directive(" forcelint: ignore[enforced-ip-restrictions] VPN egress is fixed "),
            Some((vec!["enforced-ip-restrictions".into()], "VPN egress is fixed".into()))
        );
        assert_eq!(parse_directive("forcelint: ignore[a, b]").map(|d| d.0), Some(vec!["a".into(), "b".into()]));
        assert_eq!(parse_directive("forcelint: ignore[] x"), None);
        assert_eq!(parse_directive("just a comment"), None);
        assert_eq!(parse_directive("forcelint: ignore a"), None);
    }
}

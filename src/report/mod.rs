//! Output formats. Each renders from `Finding`; only `human` knows miette.

pub mod concise;
pub mod human;
pub mod json;

use std::collections::BTreeMap;

use crate::engine::Outcome;
use crate::finding::Severity;
use crate::model::Purpose;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Concise,
    Json,
}

/// "15 minutes", "2 hours", "90 minutes".
pub fn fmt_minutes(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".to_string(),
        60 => "1 hour".to_string(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}

/// The counts every format reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
    pub apps: BTreeMap<Purpose, usize>,
    pub suppressed: usize,
    pub baselined: usize,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        let count = |s| outcome.findings.iter().filter(|f| f.severity == s).count();
        let mut apps = BTreeMap::new();
        for class in &outcome.project.purposes {
            *apps.entry(class.purpose).or_insert(0) += 1;
        }
        Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            // The config file is a source too, but not a metadata file.
            files: outcome.project.sources.len() - usize::from(outcome.config.path.is_some()),
            apps,
            suppressed: outcome.suppressed.len(),
            baselined: outcome.baselined,
        }
    }

    pub fn total_apps(&self) -> usize {
        self.apps.values().sum()
    }
}

impl std::fmt::Display for Summary {
    /// "2 errors, 1 warning in 7 files; 5 apps: 2 integration, 1 offline, 2 interactive"
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        let mut counts = vec![plural(self.errors, "error"), plural(self.warnings, "warning")];
        if self.infos > 0 {
            counts.push(format!("{} info", self.infos));
        }
        write!(f, "{} in {}", counts.join(", "), plural(self.files, "file"))?;
        write!(f, "; {}", plural(self.total_apps(), "app"))?;
        if !self.apps.is_empty() {
            let parts: Vec<String> = self.apps.iter().map(|(p, n)| format!("{n} {}", p.name())).collect();
            write!(f, ": {}", parts.join(", "))?;
        }
        if self.suppressed > 0 {
            write!(f, "; {} suppressed", self.suppressed)?;
        }
        if self.baselined > 0 {
            write!(f, "; {} in the baseline", self.baselined)?;
        }
        Ok(())
    }
}

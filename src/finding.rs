//! The one truth about a finding. Every output format renders from this type.

use crate::model::{App, AppKind, Classification, Purpose};
use crate::source::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a file and what is there.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    pub loc: Location,
    pub text: String,
}

/// The app a finding is about, with its purpose and the evidence for it.
#[derive(Debug, Clone, PartialEq)]
pub struct AppRef {
    pub name: String,
    /// The app's root element: two apps may share a name (templates beside the real one).
    pub anchor: Location,
    pub kind: AppKind,
    pub purpose: Purpose,
    pub evidence: Vec<Label>,
    /// How the app was assembled, when that matters (e.g. a missing ECA file).
    pub notes: Vec<String>,
    /// Who answers for the app (`owner` in forcelint.toml).
    pub owner: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    /// What is wrong (and, briefly, why it breaks).
    pub message: String,
    /// The offending element; the label says what is there.
    pub primary: Label,
    /// Places elsewhere that explain the finding (an inherited setting, a profile's ranges).
    pub related: Vec<Label>,
    /// What to do instead.
    pub help: Option<String>,
    pub app: Option<AppRef>,
}

impl Finding {
    pub fn new(
        rule: &'static str,
        severity: Severity,
        message: impl Into<String>,
        loc: Location,
        label: impl Into<String>,
    ) -> Self {
        Finding {
            rule,
            severity,
            message: message.into(),
            primary: Label { loc, text: label.into() },
            related: Vec::new(),
            help: None,
            app: None,
        }
    }

    pub fn related(mut self, loc: Location, text: impl Into<String>) -> Self {
        self.related.push(Label { loc, text: text.into() });
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn about(mut self, app: &App, class: &Classification) -> Self {
        self.app = Some(AppRef {
            name: app.name.clone(),
            anchor: app.anchor,
            kind: app.kind,
            purpose: class.purpose,
            evidence: class.evidence.iter().map(|e| Label { loc: e.loc, text: e.text.clone() }).collect(),
            notes: app.notes.clone(),
            owner: None,
        });
        self
    }
}

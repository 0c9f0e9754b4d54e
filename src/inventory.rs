//! The app inventory: every app with what it is for and the policies it runs with.

use std::fmt::Write;

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::Severity;
use crate::model::{App, AppKind, IpRelaxation, RefreshTokenPolicy, Setting, TimeoutSource};
use crate::report::fmt_minutes;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub path: String,
    pub purpose: &'static str,
    pub evidence: Vec<String>,
    pub session_timeout_minutes: u32,
    /// `app`, `profile <name>`, `org` or `default`.
    pub session_timeout_source: String,
    pub refresh_token_policy: String,
    pub ip_relaxation: String,
    pub profiles: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn rows(outcome: &Outcome) -> Vec<Row> {
    let project = &outcome.project;
    let options = crate::rules::Options::from_config(&outcome.config);
    project
        .classified_apps()
        .map(|(app, class)| {
            let timeout = crate::rules::effective_timeout(project, &options, app);
            let count = |s: Severity| {
                outcome
                    .findings
                    .iter()
                    .filter(|f| f.severity == s && f.app.as_ref().is_some_and(|a| a.anchor == app.anchor))
                    .count()
            };
            Row {
                name: app.name.clone(),
                kind: crate::report::metadata_type(app.kind),
                path: project.sources.path(app.anchor.file).to_string_lossy().replace('\\', "/"),
                purpose: class.purpose.name(),
                evidence: class.evidence.iter().map(|e| e.text.clone()).collect(),
                session_timeout_minutes: timeout.minutes,
                session_timeout_source: match timeout.source {
                    TimeoutSource::App(_) => "app".to_string(),
                    TimeoutSource::Profile { profile, .. } => format!("profile {profile}"),
                    TimeoutSource::Org(_) => "org".to_string(),
                    TimeoutSource::Default => "default".to_string(),
                },
                refresh_token_policy: refresh_token_policy(app),
                ip_relaxation: ip_relaxation(app),
                profiles: app.profiles.iter().map(|p| p.value.clone()).collect(),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
            }
        })
        .collect()
}

/// The app's refresh-token policy in words, as every report shows it.
pub fn refresh_token_policy(app: &App) -> String {
    let Some(oauth) = &app.oauth else { return "-".into() };
    match &oauth.refresh_token {
        Setting::Set(v) => match v.value {
            RefreshTokenPolicy::Infinite => "valid until revoked".into(),
            RefreshTokenPolicy::Zero => "expires immediately".into(),
            RefreshTokenPolicy::Lifetime(p) => format!("expires {p} after issue"),
            RefreshTokenPolicy::Inactivity(p) => format!("expires after {p} unused"),
        },
        // Salesforce generates an ECA's policies on deploy; its default is not documented.
        Setting::Absent if app.kind == AppKind::ExternalClientApp && !oauth.policy_present => {
            "not in the repository (generated on deploy; seen as 365 days after issue)".into()
        }
        Setting::Absent => "valid until revoked (default)".into(),
        Setting::Invalid => "invalid".into(),
    }
}

/// The app's IP relaxation in words (Setup's current labels), as every report shows it.
pub fn ip_relaxation(app: &App) -> String {
    let Some(oauth) = &app.oauth else { return "-".into() };
    let name = |r: IpRelaxation| match r {
        IpRelaxation::Enforce => "enforced",
        IpRelaxation::EnforceRelaxRefresh => "enforced, relaxed for refresh",
        IpRelaxation::Bypass2Factor => "relaxed for activated devices",
        IpRelaxation::Bypass => "relaxed",
    };
    match &oauth.ip_relaxation {
        Setting::Set(v) => name(v.value).into(),
        Setting::Absent => "enforced (default)".into(),
        Setting::Invalid => "invalid".into(),
    }
}

fn timeout(row: &Row) -> String {
    format!("{} ({})", fmt_minutes(row.session_timeout_minutes), row.session_timeout_source)
}

fn findings(row: &Row) -> String {
    format!("{}E {}W {}I", row.errors, row.warnings, row.infos)
}

/// A plain table for the terminal.
pub fn text(rows: &[Row]) -> String {
    let header = ["app", "type", "purpose", "session", "refresh token", "IP restrictions", "profiles", "findings"];
    let cells: Vec<[String; 8]> = rows
        .iter()
        .map(|r| {
            [
                r.name.clone(),
                if r.kind == "ConnectedApp" { "connected app" } else { "external client app" }.to_string(),
                // The first reason only: the table stays readable; JSON and CSV have them all.
                match r.evidence.as_slice() {
                    [] => r.purpose.to_string(),
                    [one] => format!("{} ({one})", r.purpose),
                    [first, ..] => format!("{} ({first}, ...)", r.purpose),
                },
                timeout(r),
                r.refresh_token_policy.clone(),
                r.ip_relaxation.clone(),
                if r.profiles.is_empty() { "-".to_string() } else { r.profiles.join(", ") },
                findings(r),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..8)
        .map(|i| cells.iter().map(|c| c[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cols: &[&str]| {
        let padded: Vec<String> = cols.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(out, "{}", padded.join("  ").trim_end());
    };
    line(&mut out, &header);
    for c in &cells {
        line(&mut out, &c.iter().map(String::as_str).collect::<Vec<_>>());
    }
    out
}

pub fn json(rows: &[Row]) -> String {
    let mut out = serde_json::to_string_pretty(&serde_json::json!({ "version": 1, "apps": rows })).expect("plain data");
    out.push('\n');
    out
}

/// RFC 4180: quote fields that need it.
pub fn csv(rows: &[Row]) -> String {
    let field = |s: &str| {
        if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
    };
    let mut out = String::from(
        "name,type,path,purpose,evidence,session_timeout_minutes,session_timeout_source,refresh_token_policy,ip_relaxation,profiles,errors,warnings,infos\r\n",
    );
    for r in rows {
        let cols = [
            field(&r.name),
            field(r.kind),
            field(&r.path),
            field(r.purpose),
            field(&r.evidence.join("; ")),
            r.session_timeout_minutes.to_string(),
            field(&r.session_timeout_source),
            field(&r.refresh_token_policy),
            field(&r.ip_relaxation),
            field(&r.profiles.join("; ")),
            r.errors.to_string(),
            r.warnings.to_string(),
            r.infos.to_string(),
        ];
        out.push_str(&cols.join(","));
        out.push_str("\r\n");
    }
    out
}

pub fn markdown(rows: &[Row]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut out = String::from(
        "| app | type | purpose | session | refresh token | IP restrictions | profiles | findings |\n|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} ({}) | {} | {} | {} | {} | {} |",
            cell(&r.name),
            if r.kind == "ConnectedApp" { "connected app" } else { "external client app" },
            r.purpose,
            cell(&r.evidence.join("; ")),
            cell(&timeout(r)),
            cell(&r.refresh_token_policy),
            cell(&r.ip_relaxation),
            cell(&if r.profiles.is_empty() { "-".to_string() } else { r.profiles.join(", ") }),
            findings(r)
        );
    }
    out
}

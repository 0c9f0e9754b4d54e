//! The app inventory: every app with what it is for and the policies it runs with.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use crate::engine::Outcome;
use crate::finding::Severity;
use crate::model::{App, AppKind, IpRelaxation, RefreshTokenPolicy, Setting, TimeoutSource};
use crate::report::clean;
use crate::report::fmt_minutes;
use crate::source::{FileId, Location};

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
    /// Who may use the app: the profiles and permission sets an admin-approved app
    /// pre-authorizes, or that all users may self-authorize.
    pub pre_authorized: String,
    /// As `pre_authorized`, with a long list cut for tables ("+N more").
    #[serde(skip)]
    pub pre_authorized_shown: String,
    /// What the org's settings block for this app: OAuth flows (`OauthOidc.settings`) and API
    /// access for apps not admin approved (`ConnectedApp.settings`).
    pub org_blocks: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn rows(outcome: &Outcome) -> Vec<Row> {
    let project = &outcome.project;
    let options = crate::rules::Options::from_config(&outcome.config);
    // Counted once, by app and by file: a count per app over every finding made a large
    // project quadratic. A finding about no app in one of an app's files (an invalid
    // value) is the app's too.
    let mut by_app: HashMap<Location, [usize; 3]> = HashMap::new();
    let mut by_file: HashMap<FileId, [usize; 3]> = HashMap::new();
    for f in &outcome.findings {
        let counts = match &f.app {
            Some(a) => by_app.entry(a.anchor).or_default(),
            None => by_file.entry(f.primary.loc.file).or_default(),
        };
        counts[f.severity as usize] += 1;
    }
    let mut rows: Vec<Row> = project
        .classified_apps()
        .map(|(app, class)| {
            let timeout = crate::rules::effective_timeout(project, &options, app);
            let count = |s: Severity| {
                let files = app.files.iter().filter_map(|f| by_file.get(f));
                by_app.get(&app.anchor).into_iter().chain(files).map(|c| c[s as usize]).sum::<usize>()
            };
            Row {
                name: app.name.clone(),
                kind: crate::report::metadata_type(app.kind),
                path: crate::report::display_path(project.sources.path(app.anchor.file)),
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
                pre_authorized: pre_authorized(app, usize::MAX),
                pre_authorized_shown: pre_authorized(app, PROFILES_SHOWN),
                org_blocks: blocked(project, app),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
                infos: count(Severity::Info),
            }
        })
        .collect();
    // Reviewers read the apps with findings first: errors, then warnings, then infos.
    rows.sort_by_key(|r| (r.errors == 0, r.warnings == 0, r.infos == 0));
    rows
}

/// How many profiles a table row shows before "+N more" (JSON and CSV have them all).
pub const PROFILES_SHOWN: usize = 3;

/// "A, B, C +46 more", or "-".
pub fn profile_list(profiles: &[String]) -> String {
    cut_list(profiles, PROFILES_SHOWN)
}

/// The first `shown` names and "+N more", or "-".
fn cut_list(names: &[String], shown: usize) -> String {
    if names.is_empty() {
        return "-".into();
    }
    let mut list = names.iter().take(shown).cloned().collect::<Vec<_>>().join(", ");
    if names.len() > shown {
        list.push_str(&format!(" +{} more", names.len() - shown));
    }
    list
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

/// Who may use the app, in words: of a list, the first `shown` names and "+N more".
pub fn pre_authorized(app: &App, shown: usize) -> String {
    let Some(oauth) = &app.oauth else { return "-".into() };
    match &oauth.admin_approved {
        Some(v) if v.value => {
            let names: Vec<String> = app
                .profiles
                .iter()
                .map(|p| p.value.clone())
                .chain(app.permission_sets.iter().map(|p| format!("{} (permission set)", p.value)))
                .collect();
            if names.is_empty() { "nobody (admin approved)".into() } else { cut_list(&names, shown) }
        }
        Some(_) => "all users (self-authorize)".into(),
        None if app.kind == AppKind::ExternalClientApp && !oauth.policy_present => "not in the repository".into(),
        None => "all users (self-authorize, default)".into(),
    }
}

/// What the org blocks for the app: the OAuth flows its settings block or restrict, and API
/// access when only admin-approved apps may call the API.
pub fn blocked(project: &crate::model::Project, app: &App) -> Vec<String> {
    let Some(oauth) = &app.oauth else { return Vec::new() };
    let on = |v: &Option<crate::model::Value<bool>>| v.as_ref().is_some_and(|v| v.value);
    let mut out = Vec::new();
    if let Some(org) = &project.oauth_oidc {
        // External client apps do not support the username-password flow at all.
        if on(&org.block_username_password) && app.kind == AppKind::ConnectedApp {
            out.push("username-password flow".to_string());
        }
        if on(&org.block_user_agent) {
            out.push("user-agent and hybrid flows".to_string());
        }
        if on(&org.pkce_required) && !app.requires_pkce() {
            out.push("authorization code without PKCE".to_string());
        }
    }
    if let Some(settings) = &project.connected_app_settings
        && on(&settings.admin_approved_apps_only)
        && !on(&oauth.admin_approved)
    {
        out.push("API access (not admin approved)".to_string());
    }
    out
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

fn blocked_cell(row: &Row) -> String {
    if row.org_blocks.is_empty() { "-".to_string() } else { row.org_blocks.join(", ") }
}

fn findings(row: &Row) -> String {
    format!("{}E {}W {}I", row.errors, row.warnings, row.infos)
}

/// A plain table for the terminal: controls in the metadata's values shown escaped, and a
/// row that would start with a workflow command (`::`) starts with `'`.
pub fn text(rows: &[Row]) -> String {
    let header = [
        "app",
        "type",
        "purpose",
        "session",
        "refresh token",
        "IP restrictions",
        "pre-authorized",
        "org blocks",
        "findings",
    ];
    let cells: Vec<[String; 9]> = rows
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
                r.pre_authorized_shown.clone(),
                blocked_cell(r),
                findings(r),
            ]
            .map(|c| clean::line(&c).into_owned())
        })
        .collect();
    let widths: Vec<usize> = (0..9)
        .map(|i| cells.iter().map(|c| c[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    let line = |out: &mut String, cols: &[&str]| {
        let padded: Vec<String> = cols.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        let _ = writeln!(out, "{}", clean::line_start(padded.join("  ").trim_end(), "'"));
    };
    line(&mut out, &header);
    for c in &cells {
        line(&mut out, &c.iter().map(String::as_str).collect::<Vec<_>>());
    }
    // The table shows the first piece of evidence; every piece is listed under it.
    let more: Vec<&Row> = rows.iter().filter(|r| r.evidence.len() > 1).collect();
    if !more.is_empty() {
        out.push_str("\nevidence:\n");
        for r in more {
            let text = format!("  {}: {} ({})", r.name, r.purpose, r.evidence.join("; "));
            let _ = writeln!(out, "{}", clean::line(&text));
        }
    }
    out
}

pub fn json(rows: &[Row]) -> String {
    // Serialized from the rows themselves: a `serde_json::Value` copy of 100,000 rows cost
    // half again the memory of the run.
    #[derive(Serialize)]
    struct Inventory<'a> {
        version: u32,
        apps: &'a [Row],
    }
    crate::report::to_string(|out| crate::report::write_json(&Inventory { version: 1, apps: rows }, out))
}

/// RFC 4180: quote fields that need it. A field a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or CR) or that would start a line with a workflow
/// command (`::`) gets a `'` first; controls are shown escaped, line breaks included, so
/// that each row is one line.
pub fn csv(rows: &[Row]) -> String {
    let field = |s: &str| csv_field(s);
    let mut out = String::from(
        "name,type,path,purpose,evidence,session_timeout_minutes,session_timeout_source,refresh_token_policy,ip_relaxation,profiles,pre_authorized,org_blocks,errors,warnings,infos\r\n",
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
            field(&r.pre_authorized),
            field(&r.org_blocks.join("; ")),
            r.errors.to_string(),
            r.warnings.to_string(),
            r.infos.to_string(),
        ];
        out.push_str(&cols.join(","));
        out.push_str("\r\n");
    }
    out
}

/// A table for GitHub: values are escaped as `check --format markdown` escapes them (no
/// image, link or HTML from the metadata).
pub fn markdown(rows: &[Row]) -> String {
    let cell = |s: &str| markdown_cell(&crate::report::markdown::inline(&s.replace(['\n', '\r'], " ")));
    let mut out = String::from(
        "| app | type | purpose | session | refresh token | IP restrictions | pre-authorized | org blocks | findings |\n|---|---|---|---|---|---|---|---|---|\n",
    );
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} ({}) | {} | {} | {} | {} | {} | {} |",
            markdown_cell(&crate::report::markdown::code(&r.name)),
            if r.kind == "ConnectedApp" { "connected app" } else { "external client app" },
            r.purpose,
            cell(&r.evidence.join("; ")),
            cell(&timeout(r)),
            cell(&r.refresh_token_policy),
            cell(&r.ip_relaxation),
            cell(&r.pre_authorized_shown),
            cell(&blocked_cell(r)),
            findings(r)
        );
    }
    out
}

fn csv_field(s: &str) -> String {
    let s = clean::line(s);
    let formula = s.len() > 1 && s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let s = if formula { Cow::Owned(format!("'{s}")) } else { clean::line_start(&s, "'").into_owned().into() };
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.into_owned() }
}

/// `|` escaped for a table cell, also in code spans (GitHub unescapes it there).
fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut escaped = false;
    for c in text.chars() {
        if c == '|' && !escaped {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_cannot_be_formulas_or_commands() {
        assert_eq!(csv_field("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_field("-"), "-");
        assert_eq!(csv_field("::error::x"), "'::error::x");
        assert_eq!(csv_field("a\nb,c"), "\"a\u{240a}b,c\"");
        assert_eq!(csv_field("plain"), "plain");
    }

    #[test]
    fn long_profile_lists_are_cut() {
        let names = |n: usize| (1..=n).map(|i| format!("P{i}")).collect::<Vec<_>>();
        assert_eq!(profile_list(&[]), "-");
        assert_eq!(profile_list(&names(3)), "P1, P2, P3");
        assert_eq!(profile_list(&names(49)), "P1, P2, P3 +46 more");
    }

    #[test]
    fn markdown_cells_escape_pipes_once() {
        assert_eq!(markdown_cell("`a|b` c\\|d"), "`a\\|b` c\\|d");
    }
}

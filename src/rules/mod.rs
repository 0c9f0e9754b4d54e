//! The rule catalogue. A rule is a pure function of the project: no IO, no printing.
//!
//! One rule, one name, four places: `src/rules/<id>.rs`, `rules/<id>.md`,
//! `fixtures/rules/<id>/` and `[rules.<id>]` in config.

use crate::finding::{Finding, Severity};
use std::collections::BTreeMap;

use crate::config::{Loaded, RuleConfig};
use crate::ip::IpNet;
use crate::model::purpose::Callback;
use crate::model::{
    App, AppKind, Classification, EffectiveTimeout, OAuth, PermissionSet, Profile, Project, Purpose, Value,
};
use crate::source::Location;

mod api_access_control_blocks_app;
mod client_credentials_half_enabled;
mod consumer_key_in_source;
mod eca_oauth_disabled;
mod enforced_ip_restrictions;
mod expiring_refresh_token;
mod high_assurance_blocks_jwt;
mod integration_api_disabled;
mod integration_login_hours;
mod integration_password_expires;
mod invalid_policy_value;
mod ip_ranges_enforced_every_request;
mod missing_run_as_user;
mod no_pre_authorized_users;
mod no_unattended_renewal;
mod oauth_flow_blocked;
mod parse_error;
mod refresh_token_rotation;
mod self_authorized_jwt;
mod sessions_locked_to_ip;
mod short_session_timeout;

/// What rules know beyond the metadata: options and facts from the config.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// `short-session-timeout`: the shortest acceptable session, in minutes.
    pub min_session_timeout: u32,
    /// `expiring-refresh-token`: inactivity windows at least this long are accepted.
    pub min_inactivity_days: Option<u32>,
    /// Where integrations call from: per app, else project-wide.
    pub egress: BTreeMap<String, Vec<IpNet>>,
    pub default_egress: Vec<IpNet>,
    /// The integration user's profile, per app, when the config names it.
    pub profiles: BTreeMap<String, String>,
    /// How many workers share an app's refresh token, per app, when the config says.
    pub workers: BTreeMap<String, u32>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_session_timeout: crate::model::DEFAULT_SESSION_TIMEOUT,
            min_inactivity_days: None,
            egress: BTreeMap::new(),
            default_egress: Vec::new(),
            profiles: BTreeMap::new(),
            workers: BTreeMap::new(),
        }
    }
}

impl Options {
    pub fn from_config(config: &Loaded) -> Options {
        let defaults = Options::default();
        let option = |id: &str, get: fn(&RuleConfig) -> Option<u32>| config.rule(id).and_then(get);
        Options {
            min_session_timeout: option("short-session-timeout", |r| r.minimum_minutes.as_ref().map(|v| *v.get_ref()))
                .unwrap_or(defaults.min_session_timeout),
            min_inactivity_days: option("expiring-refresh-token", |r| {
                r.minimum_inactivity_days.as_ref().map(|v| *v.get_ref())
            }),
            egress: config.app_egress.clone(),
            default_egress: config.egress.clone(),
            profiles: config
                .config
                .apps
                .iter()
                .filter_map(|(name, app)| Some((name.get_ref().clone(), app.profile.as_ref()?.get_ref().clone())))
                .collect(),
            workers: config
                .config
                .apps
                .iter()
                .filter_map(|(name, app)| Some((name.get_ref().clone(), *app.workers.as_ref()?.get_ref())))
                .collect(),
        }
    }

    /// The egress IPs of an app, if known.
    pub fn egress_for(&self, app: &str) -> &[IpNet] {
        self.egress.get(app).map_or(&self.default_egress, Vec::as_slice)
    }
}

pub struct Rule {
    pub id: &'static str,
    pub default_severity: Severity,
    pub summary: &'static str,
    /// The rule's page, `rules/<id>.md`.
    pub doc: &'static str,
    /// `None` for findings the engine makes itself (`unused-suppression`).
    pub check: Option<fn(&Project, &Options) -> Vec<Finding>>,
}

macro_rules! rule {
    ($module:ident, $id:literal, $severity:ident, $summary:literal) => {
        Rule {
            id: $id,
            default_severity: Severity::$severity,
            summary: $summary,
            doc: include_str!(concat!("../../rules/", $id, ".md")),
            check: Some($module::check),
        }
    };
}

pub static RULES: &[Rule] = &[
    rule!(
        expiring_refresh_token,
        "expiring-refresh-token",
        Error,
        "Refresh tokens of an unattended app expire, so someone must authorize it again"
    ),
    rule!(
        short_session_timeout,
        "short-session-timeout",
        Warning,
        "An unattended app's effective session timeout is shorter than the minimum"
    ),
    rule!(
        enforced_ip_restrictions,
        "enforced-ip-restrictions",
        Warning,
        "IP restrictions are enforced for an unattended app whose integration user's profile restricts, or may restrict, where it logs in from"
    ),
    rule!(
        missing_run_as_user,
        "missing-run-as-user",
        Warning,
        "The client-credentials flow is enabled without a run-as user, so it cannot issue tokens"
    ),
    rule!(
        client_credentials_half_enabled,
        "client-credentials-half-enabled",
        Error,
        "An external client app enables the client-credentials flow in only one of the two files that must both enable it"
    ),
    rule!(
        eca_oauth_disabled,
        "eca-oauth-disabled",
        Error,
        "An external client app's policies switch the app or its OAuth plugin off, so every OAuth flow of it stops"
    ),
    rule!(
        no_unattended_renewal,
        "no-unattended-renewal",
        Warning,
        "An integration can neither refresh its token nor re-authenticate by itself"
    ),
    rule!(
        no_pre_authorized_users,
        "no-pre-authorized-users",
        Error,
        "An unattended app admits only pre-authorized users but pre-authorizes no profile or permission set"
    ),
    rule!(
        self_authorized_jwt,
        "self-authorized-jwt",
        Warning,
        "A JWT bearer app is not admin approved, so its logins rely on the integration user's own earlier approval"
    ),
    rule!(
        oauth_flow_blocked,
        "oauth-flow-blocked",
        Warning,
        "The org blocks or restricts an OAuth flow an app depends on (username-password, user-agent, authorization code without PKCE)"
    ),
    rule!(
        api_access_control_blocks_app,
        "api-access-control-blocks-app",
        Warning,
        "API Access Control admits only admin-approved apps, and an unattended app is not admin approved"
    ),
    rule!(
        integration_password_expires,
        "integration-password-expires",
        Warning,
        "A password-based integration's password expires under the org's password policy"
    ),
    rule!(
        integration_api_disabled,
        "integration-api-disabled",
        Warning,
        "The integration user's profile turns API Enabled off, and no permission set the app assigns grants it"
    ),
    rule!(
        high_assurance_blocks_jwt,
        "high-assurance-blocks-jwt",
        Error,
        "High Assurance sessions are required for an app that logs in with JWT bearer or client credentials"
    ),
    rule!(
        sessions_locked_to_ip,
        "sessions-locked-to-ip",
        Warning,
        "Sessions are locked to their login IP while unattended apps exist"
    ),
    rule!(
        ip_ranges_enforced_every_request,
        "ip-ranges-enforced-every-request",
        Warning,
        "Login IP ranges are enforced on every request: apps' relaxed IP policies still apply at login and refresh, but some access from outside the ranges is blocked"
    ),
    rule!(
        integration_login_hours,
        "integration-login-hours",
        Warning,
        "A profile used by an unattended app has login hours"
    ),
    rule!(
        refresh_token_rotation,
        "refresh-token-rotation",
        Warning,
        "Refresh-token rotation is on for an unattended app whose workers may share a token"
    ),
    rule!(
        consumer_key_in_source,
        "consumer-key-in-source",
        Warning,
        "A connected app carries the consumer key of the org it was retrieved from, so deploying it to another org fails"
    ),
    rule!(
        invalid_policy_value,
        "invalid-policy-value",
        Error,
        "A policy element has a value or shape Salesforce does not accept"
    ),
    rule!(parse_error, "parse-error", Error, "A metadata file is not well-formed XML or has the wrong root element"),
    Rule {
        id: "unused-suppression",
        default_severity: Severity::Warning,
        summary: "A suppression matches no finding, or has expired",
        doc: include_str!("../../rules/unused-suppression.md"),
        // Made by the engine from the suppressions and the other rules' findings.
        check: None,
    },
];

pub fn find(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// A profile the integration user may have: named in config, else assigned to the app.
struct AssignedProfile<'a> {
    name: &'a str,
    /// The assignment in the app's metadata (`profileName`, `commaSeparatedProfile`).
    assignment: Option<Location>,
    /// The profile's file, when it is in the repository.
    profile: Option<&'a Profile>,
}

fn assigned_profiles<'a>(project: &'a Project, options: &'a Options, app: &'a App) -> Vec<AssignedProfile<'a>> {
    match options.profiles.get(&app.name) {
        Some(name) => vec![AssignedProfile { name, assignment: None, profile: project.profile(name) }],
        None => app
            .profiles
            .iter()
            .map(|p| AssignedProfile { name: &p.value, assignment: Some(p.loc), profile: project.profile(&p.value) })
            .collect(),
    }
}

/// Every profile the integration user may have is in the repository and has no login IP
/// ranges, or ranges that restrict nothing (`0.0.0.0–255.255.255.255`): IP restrictions
/// cannot bite.
fn unrestricted(assigned: &[AssignedProfile]) -> bool {
    !assigned.is_empty() && assigned.iter().all(|a| a.profile.is_some_and(|p| !p.restricts_login_ips()))
}

/// The app's effective session timeout, with the integration user's profile from config
/// when it names one. Every rule and report uses this one.
pub fn effective_timeout(project: &Project, options: &Options, app: &App) -> EffectiveTimeout {
    let profiles: Vec<&str> = assigned_profiles(project, options, app).iter().map(|a| a.name).collect();
    project.effective_session_timeout_with(app, &profiles)
}

/// An integration that can only be logging in with a username and password: a connected
/// app (external client apps do not support the flow) with no refresh scope, no JWT
/// certificate, no client credentials, and no callback on a server product's host (that
/// product signs in with the web-server flow). `no-unattended-renewal` judges these apps too.
fn password_only(app: &App, class: &Classification) -> bool {
    let Some(oauth) = &app.oauth else { return false };
    let server_callback =
        oauth.callback_urls.iter().any(|u| matches!(Callback::read(&u.value), Some(Callback::Server(..))));
    app.kind == AppKind::ConnectedApp
        && class.purpose == Purpose::Integration
        && oauth.scopes_known
        && oauth.refresh_scope().is_none()
        && !oauth.has_unattended_flow()
        && oauth.certificate_known
        && oauth.client_credentials_switches.as_ref().is_none_or(|s| s.disagreement().is_none())
        && !server_callback
}

/// Connected app `isAdminApproved` true, ECA `permittedUsersPolicyType`
/// `AdminApprovedPreAuthorized`.
fn admin_approved(oauth: &OAuth) -> Option<&Value<bool>> {
    oauth.admin_approved.as_ref().filter(|v| v.value)
}

/// The app assigns a profile or a permission set: someone is pre-authorized.
fn pre_authorizes(app: &App) -> bool {
    !app.profiles.is_empty() || !app.permission_sets.is_empty()
}

/// The permission sets the app assigns, as found in the repository (`None` for one that is
/// not there).
fn assigned_permission_sets<'a>(
    project: &'a Project,
    app: &'a App,
) -> Vec<(&'a Value<String>, Option<&'a PermissionSet>)> {
    app.permission_sets.iter().map(|s| (s, project.permission_set(&s.value))).collect()
}

/// Where `permission` is enabled among the app's assigned profiles and permission sets:
/// the `enabled` value that grants it.
fn granted<'a>(
    assigned: &[AssignedProfile<'a>],
    sets: &[(&'a Value<String>, Option<&'a PermissionSet>)],
    permission: &str,
) -> Option<&'a Value<bool>> {
    let profiles = assigned.iter().filter_map(|a| a.profile).map(|p| p.user_permissions.as_slice());
    let sets = sets.iter().filter_map(|(_, s)| *s).map(|s| s.user_permissions.as_slice());
    profiles
        .chain(sets)
        .filter_map(|perms| crate::model::permission(perms, permission))
        .map(|p| &p.enabled)
        .find(|e| e.value)
}

/// Shared by the rules: "`DevOps`" for messages.
fn app_name(app: &crate::model::App) -> String {
    format!("`{}`", app.name)
}

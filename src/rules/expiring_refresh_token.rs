use super::{Options, app_name, effective_timeout};
use crate::finding::{Finding, Severity};
use crate::model::{App, AppKind, OAuth, Period, Project, Purpose, RefreshTokenPolicy, Setting, TimeUnit, Value};
use crate::report::fmt_minutes;
use crate::source::Location;

/// "Limit the idle refresh token TTL": refresh tokens unused for 30 days expire.
const IDLE_TTL: Period = Period { n: 30, unit: TimeUnit::Days };

/// What the rule judges for one app: the written policy, the idle-TTL switch that overrides
/// it, or a policy that is not in the repository at all.
enum Judged<'a> {
    Policy(&'a Value<RefreshTokenPolicy>),
    IdleTtl(&'a Value<bool>),
    NotInRepository(Location),
}

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        // Without the scope no refresh token is issued, so its policy does not matter.
        let Some(scope) = oauth.refresh_scope() else { continue };
        let ttl = oauth.idle_refresh_ttl.as_ref().filter(|v| v.value);
        let judged = match (&oauth.refresh_token, ttl) {
            // The 30-day idle TTL overrides `Infinite` and longer inactivity windows.
            (Setting::Set(p), Some(t)) => match p.value {
                RefreshTokenPolicy::Infinite => Judged::IdleTtl(t),
                RefreshTokenPolicy::Inactivity(w) if w.days() > IDLE_TTL.days() => Judged::IdleTtl(t),
                _ => Judged::Policy(p),
            },
            (Setting::Set(p), None) => Judged::Policy(p),
            (Setting::Absent, Some(t)) => Judged::IdleTtl(t),
            // An ECA without a policies file gets the policies Salesforce generates on deploy.
            (Setting::Absent, None) if app.kind == AppKind::ExternalClientApp && !oauth.policy_present => {
                Judged::NotInRepository(oauth.policy)
            }
            // An absent connected-app policy is Salesforce's default, `infinite`.
            (Setting::Absent, None) | (Setting::Invalid, _) => continue,
        };
        let name = app_name(app);
        let consequence = match class.purpose {
            Purpose::Offline => {
                "whatever keeps the connection (a Named Credential, a sync tool) loses it until the person who authorized the app signs in and authorizes it again"
            }
            _ => {
                "every client of the integration that refreshes its token stops until someone signs in as the integration user and authorizes the app again"
            }
        };
        let (mut severity, mut message, label, loc) = match judged {
            Judged::Policy(policy) => {
                let (severity, message, label) = match policy.value {
                    RefreshTokenPolicy::Infinite => continue,
                    RefreshTokenPolicy::Zero => {
                        let timeout = effective_timeout(project, options, app);
                        (
                            Severity::Error,
                            format!(
                                "refresh tokens of {name} expire immediately: the client cannot renew its access token, so access stops at the first idle gap longer than the session timeout ({}), and {consequence}",
                                fmt_minutes(timeout.minutes)
                            ),
                            "refresh tokens expire immediately".to_string(),
                        )
                    }
                    RefreshTokenPolicy::Lifetime(period) => (
                        Severity::Error,
                        format!(
                            "refresh tokens of {name} expire {period} after they are issued: every {period}, {consequence}"
                        ),
                        format!("valid for {period} from issue"),
                    ),
                    RefreshTokenPolicy::Inactivity(period) if accepted(options, period) => continue,
                    RefreshTokenPolicy::Inactivity(period) => (
                        Severity::Warning,
                        format!(
                            "refresh tokens of {name} expire after {period} without use: when they go unused that long (a job that runs less often), {consequence}"
                        ),
                        format!("expires after {period} unused"),
                    ),
                };
                (severity, message, label, policy.loc)
            }
            Judged::IdleTtl(_) if accepted(options, IDLE_TTL) => continue,
            Judged::IdleTtl(flag) => (
                Severity::Warning,
                format!(
                    "the idle refresh-token TTL of {name} (`isEnforceRefreshTokenTTL`) ends refresh tokens after {IDLE_TTL} without use, whatever the refresh-token policy says: when they go unused that long, {consequence}"
                ),
                format!("refresh tokens expire after {IDLE_TTL} unused"),
                flag.loc,
            ),
            Judged::NotInRepository(loc) => (
                Severity::Info,
                format!(
                    "{name} has no OAuth policies file (`.ecaOauthPlcy`) in the repository, so its refresh-token policy is whatever Salesforce generates on deploy; generated policies have been seen with refresh tokens that expire 365 days after issue (unverified as a default): if so, once a year {consequence}"
                ),
                "no `.ecaOauthPlcy` file: the refresh-token policy is not in the repository".to_string(),
                loc,
            ),
        };
        if oauth.has_unattended_flow() && severity > Severity::Info {
            // JWT bearer and client credentials need no refresh token; only clients that
            // use the refresh-token flow are hit.
            severity = Severity::Info;
            message.push_str(" (clients using JWT bearer or client credentials are not affected)");
        }
        let help = help(app, oauth, &judged);
        let mut finding = Finding::new("expiring-refresh-token", severity, message, loc, label)
            .help(help)
            .about(app, class)
            .related(scope.loc, "refresh tokens are issued for this scope");
        if let Judged::Policy(_) = judged {
            for (loc, text) in oauth.refresh_token_details.iter().zip(["validity period", "validity unit"]) {
                finding = finding.related(*loc, text);
            }
        }
        if let (Judged::IdleTtl(_), Setting::Set(policy)) = (&judged, &oauth.refresh_token) {
            finding = finding.related(policy.loc, "the refresh-token policy the idle TTL overrides");
        }
        findings.push(finding);
    }
    findings
}

/// A window the team has declared long enough for its job cadence.
fn accepted(options: &Options, period: Period) -> bool {
    options.min_inactivity_days.is_some_and(|min| period.days() >= f64::from(min))
}

fn help(app: &App, oauth: &OAuth, judged: &Judged) -> String {
    let fix = match app.kind {
        AppKind::ConnectedApp => {
            "set `<refreshTokenPolicy>infinite</refreshTokenPolicy>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → Refresh Token Policy: \"Refresh token is valid until revoked\")".to_string()
        }
        AppKind::ExternalClientApp => {
            "set `<refreshTokenPolicyType>Infinite</refreshTokenPolicyType>` in the `.ecaOauthPlcy` file; the validity period and unit do not apply to it (Setup: External Client App Manager → the app → Policies → Edit → Refresh Token Policy: \"Refresh token is valid until revoked\"), and check the policy in Setup after deploying".to_string()
        }
    };
    let mut help = match judged {
        Judged::Policy(p) => match p.value {
            RefreshTokenPolicy::Inactivity(period) => {
                format!("make sure the client uses its refresh token at least once every {period}, or {fix}")
            }
            _ => fix,
        },
        Judged::IdleTtl(_) => format!(
            "make sure the client uses its refresh token at least once every {IDLE_TTL}, or set `<isEnforceRefreshTokenTTL>false</isEnforceRefreshTokenTTL>` in the `.ecaGlblOauth` file if your security policy allows (it is mandatory for AppExchange partner apps)"
        ),
        Judged::NotInRepository(_) => format!(
            "commit the app's `.ecaOauthPlcy` file with the policy you want (retrieve it to see what Salesforce generated): {fix}"
        ),
    };
    if oauth.has_unattended_flow() {
        // Self-authorized JWT bearer logins rely on an earlier approval that included
        // `refresh_token`; admin approval with the user's profile or permission set does not.
        let approved = oauth.admin_approved.as_ref().is_some_and(|v| v.value)
            && (!app.profiles.is_empty() || !app.permission_sets.is_empty());
        let scope = match app.kind {
            AppKind::ConnectedApp => "`RefreshToken` / `OfflineAccess` scope",
            AppKind::ExternalClientApp => "`RefreshToken` scope from `commaSeparatedOauthScopes`",
        };
        if oauth.certificate.is_none() || approved {
            help.push_str(&format!(
                ". If no client uses the refresh-token flow, remove the {scope}: the app's JWT bearer and client-credentials logins do not need it"
            ));
        } else {
            help.push_str(
                ". Keep the refresh scope while the app lets users self-authorize: JWT bearer logins rely on an earlier approval that included `refresh_token`. To drop it, first make the app admin-approved and assign the integration user's profile or permission set",
            );
        }
    }
    help
}

use super::{Options, app_name, effective_timeout};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project, RefreshTokenPolicy, Setting};
use crate::report::fmt_minutes;

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        // Without the scope no refresh token is issued, so its policy does not matter.
        let Some(scope) = oauth.refresh_scope() else { continue };
        // An absent policy is Salesforce's default, `infinite`.
        let Setting::Set(policy) = &oauth.refresh_token else { continue };
        let name = app_name(app);
        let (mut severity, message, label) = match policy.value {
            RefreshTokenPolicy::Infinite => continue,
            RefreshTokenPolicy::Zero => {
                let timeout = effective_timeout(project, options, app);
                (
                    Severity::Error,
                    format!(
                        "refresh tokens of {name} expire immediately: the integration stops at its first session timeout ({}) and stays down until someone re-authorizes it",
                        fmt_minutes(timeout.minutes)
                    ),
                    "refresh tokens expire immediately".to_string(),
                )
            }
            RefreshTokenPolicy::Lifetime(period) => (
                Severity::Error,
                format!(
                    "refresh tokens of {name} expire {period} after they are issued: the integration stops until someone re-authorizes it"
                ),
                format!("valid for {period} from issue"),
            ),
            // A window the team has declared long enough for its job cadence.
            RefreshTokenPolicy::Inactivity(period)
                if options.min_inactivity_days.is_some_and(|min| period.days() >= f64::from(min)) =>
            {
                continue;
            }
            RefreshTokenPolicy::Inactivity(period) => (
                Severity::Warning,
                format!(
                    "refresh tokens of {name} expire after {period} without use: a job that runs less often stops until someone re-authorizes it"
                ),
                format!("expires after {period} unused"),
            ),
        };
        let mut message = message;
        if oauth.has_unattended_flow() {
            // JWT bearer and client credentials need no refresh token; only clients that
            // use the refresh-token flow are hit.
            severity = Severity::Info;
            message.push_str(" (clients using JWT bearer or client credentials are not affected)");
        }
        let fix = match app.kind {
            AppKind::ConnectedApp => {
                "set `<refreshTokenPolicy>infinite</refreshTokenPolicy>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → Refresh Token Policy: \"Refresh token is valid until revoked\")"
            }
            AppKind::ExternalClientApp => {
                "set `<refreshTokenPolicyType>Infinite</refreshTokenPolicyType>` and remove the validity period and unit (Setup: External Client App Manager → the app → Policies → Edit → Refresh Token Policy: \"Refresh token is valid until revoked\")"
            }
        };
        let help = match policy.value {
            RefreshTokenPolicy::Inactivity(period) => {
                format!("make sure the integration uses its refresh token at least once every {period}, or {fix}")
            }
            _ => fix.to_string(),
        };
        let mut finding = Finding::new("expiring-refresh-token", severity, message, policy.loc, label)
            .help(help)
            .about(app, class)
            .related(scope.loc, "refresh tokens are issued for this scope");
        for (loc, text) in oauth.refresh_token_details.iter().zip(["validity period", "validity unit"]) {
            finding = finding.related(*loc, text);
        }
        findings.push(finding);
    }
    findings
}

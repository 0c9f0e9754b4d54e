use super::{Options, app_name, effective_timeout};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project, Purpose};
use crate::report::fmt_minutes;

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        if class.purpose != Purpose::Integration {
            continue;
        }
        let Some(oauth) = &app.oauth else { continue };
        if oauth.refresh_scope().is_some() || oauth.has_unattended_flow() {
            continue;
        }
        // An ECA's certificate lives in its global OAuth settings, often kept out of git.
        if !oauth.certificate_known {
            continue;
        }
        // Client credentials turned on in only one ECA file: `client-credentials-half-enabled`.
        if oauth.client_credentials_switches.as_ref().is_some_and(|s| s.disagreement().is_some()) {
            continue;
        }
        let timeout = effective_timeout(project, options, app);
        let scopes = match app.kind {
            AppKind::ConnectedApp => "`<scopes>RefreshToken</scopes>`",
            AppKind::ExternalClientApp => "`RefreshToken` in `commaSeparatedOauthScopes`",
        };
        findings.push(
            Finding::new(
                "no-unattended-renewal",
                Severity::Warning,
                format!(
                    "{} is an integration but can neither refresh its token (no refresh-token scope) nor re-authenticate by itself (no JWT certificate, no client credentials): its access ends at the first idle gap longer than its session timeout ({})",
                    app_name(app),
                    fmt_minutes(timeout.minutes)
                ),
                oauth.config,
                "no refresh scope, no certificate, no client credentials",
            )
            .help(format!(
                "give the app a way to renew: enable the client-credentials flow with a run-as user, upload a certificate for the JWT bearer flow, or add {scopes} and keep the refresh token valid until revoked. An integration that logs in with a username and password (OAuth username-password flow or SOAP `login()`) should move to client credentials or JWT bearer too: the username-password flow is blocked by default in orgs created from Summer '23 on (`blockOAuthUnPwFlow`), external client apps do not support it, and SOAP `login()` is retired in Summer '27"
            ))
            .about(app, class),
        );
    }
    findings
}

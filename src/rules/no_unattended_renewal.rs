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
                    "{} is an integration but can neither refresh its token (no refresh-token scope) nor re-authenticate by itself (no JWT certificate, no client credentials): its access ends at the first session timeout ({})",
                    app_name(app),
                    fmt_minutes(timeout.minutes)
                ),
                oauth.config,
                "no refresh scope, no certificate, no client credentials",
            )
            .help(format!(
                "give the app a way to renew: enable the client-credentials flow with a run-as user, upload a certificate for the JWT bearer flow, or add {scopes} and keep the refresh token valid until revoked"
            ))
            .about(app, class),
        );
    }
    findings
}

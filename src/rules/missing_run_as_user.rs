use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        let Some(oauth) = &app.oauth else { continue };
        let Some(enabled) = oauth.client_credentials_enabled() else { continue };
        if oauth.run_as_user.is_some() {
            continue;
        }
        // An ECA's run-as user lives in its policies file; without one it is unknown.
        if app.kind == AppKind::ExternalClientApp && !oauth.policy_present {
            continue;
        }
        let (element, fix) = match app.kind {
            AppKind::ConnectedApp => (
                "oauthClientCredentialUser",
                "add `<oauthClientCredentialUser>integration.user@example.com</oauthClientCredentialUser>` to `oauthConfig` (Setup: App Manager → the app → Manage → Edit Policies → Client Credentials Flow → Run As)",
            ),
            AppKind::ExternalClientApp => (
                "clientCredentialsFlowUser",
                "add `<clientCredentialsFlowUser>integration.user@example.com</clientCredentialsFlowUser>` to the `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → OAuth Policies → Client Credentials Flow → Run As)",
            ),
        };
        findings.push(
            Finding::new(
                "missing-run-as-user",
                Severity::Warning,
                format!(
                    "{} enables the client-credentials flow without a run-as user (`{element}`): the flow cannot issue tokens until one is set (unless the org has one that was not retrieved)",
                    app_name(app)
                ),
                enabled.loc,
                "client credentials enabled, but no run-as user",
            )
            .help(format!(
                "{fix}; the run-as user must have the API Only User permission (Salesforce requires it of the execution user): use a dedicated integration user, because every token depends on it staying active"
            ))
            .about(app, class),
        );
    }
    findings
}

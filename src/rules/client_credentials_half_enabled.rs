use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        let Some(oauth) = &app.oauth else { continue };
        let Some(switches) = &oauth.client_credentials_switches else { continue };
        let Some((on, off)) = switches.disagreement() else { continue };
        let (on_file, off_file) = if switches.global.off_at() == Some(off) {
            (".ecaOauthPlcy", ".ecaGlblOauth")
        } else {
            (".ecaGlblOauth", ".ecaOauthPlcy")
        };
        let written_off =
            [&switches.global, &switches.policy].iter().any(|s| s.value.as_ref().is_some_and(|v| v.loc == off));
        let label = if written_off {
            format!("`false` in `{off_file}`: the flow is off")
        } else {
            format!("no `isClientCredentialsFlowEnabled` in `{off_file}`: the flow is off")
        };
        // A run-as user says the flow is meant to be used; without one it may be a leftover.
        let (severity, what) = match &oauth.run_as_user {
            Some(user) => (
                Severity::Error,
                format!(
                    "token requests with client credentials fail, although the app names `{}` to run as",
                    user.value
                ),
            ),
            None => (Severity::Warning, "token requests with client credentials fail".to_string()),
        };
        findings.push(
            Finding::new(
                "client-credentials-half-enabled",
                severity,
                format!(
                    "{} turns the client-credentials flow on in `{on_file}` but not in `{off_file}`: Salesforce enables it only when both files say `true`, so the flow is off and {what}",
                    app_name(app)
                ),
                off,
                label,
            )
            .related(on.loc, format!("turned on in `{on_file}`"))
            .help(
                "set `<isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>` in both the `.ecaGlblOauth` and the `.ecaOauthPlcy` file, and name the run-as user in `.ecaOauthPlcy` with `clientCredentialsFlowUser` (Setup: External Client App Manager → the app → Settings → OAuth Settings → Flow Enablement → Enable Client Credentials Flow, then Policies → OAuth Policies → Client Credentials Flow → Run As); if the app does not use the flow, set it to `false` in both",
            )
            .about(app, class),
        );
    }
    findings
}

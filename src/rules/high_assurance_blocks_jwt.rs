use super::{Options, app_name, assigned_profiles};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        let Some(oauth) = &app.oauth else { continue };
        let flow = match (&oauth.certificate, oauth.client_credentials_enabled()) {
            (Some(cert), _) => ("JWT bearer", *cert),
            (None, Some(cc)) => ("client-credentials", cc.loc),
            (None, None) => continue,
        };
        let name = app_name(app);
        let (flow_name, flow_loc) = flow;
        let message = format!(
            "{name} requires High Assurance sessions, but its {flow_name} logins have no user step to raise the session level: those logins are blocked"
        );
        if let Some(level) = app.session_level.high_assurance() {
            let fix = match app.kind {
                AppKind::ConnectedApp => {
                    "set `<sessionLevel>STANDARD</sessionLevel>` in the app's `sessionPolicy` (Setup: App Manager → the app → Manage → Edit Policies → Session Policies → High Assurance session required: off); whether leaving the element out clears the org's value is unverified, so check the policy in Setup after deploying"
                }
                AppKind::ExternalClientApp => {
                    "set `<requiredSessionLevel>STANDARD</requiredSessionLevel>` in the `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → Session Policies), and check the policy in Setup after deploying"
                }
            };
            let mut finding = Finding::new(
                "high-assurance-blocks-jwt",
                Severity::Error,
                message,
                level.loc,
                "High Assurance required",
            )
            .related(flow_loc, format!("{flow_name} has no user step"))
            .help(format!(
                "{fix}. Keep High Assurance for apps people sign in to: if this app serves people too, keep it for them and move the integration to a new external client app (new connected apps cannot be created since Spring '26)"
            ));
            if let Some(action) = app.session_level.action.as_set() {
                finding = finding.related(action.loc, format!("policy action `{}`", action.value));
            }
            findings.push(finding.about(app, class));
            continue;
        }
        // The integration user's profile may require it instead.
        for assigned in assigned_profiles(project, options, app) {
            let Some(setting) = project.session_setting(assigned.name) else { continue };
            let Some(level) = setting.required_session_level.as_set().filter(|l| l.value == "HIGH_ASSURANCE") else {
                continue;
            };
            let here = assigned.assignment.unwrap_or(flow_loc);
            findings.push(
                Finding::new(
                    "high-assurance-blocks-jwt",
                    Severity::Error,
                    format!(
                        "profile `{}` requires High Assurance sessions, and {name} logs its users in with {flow_name}, which has no user step: those logins are blocked",
                        assigned.name
                    ),
                    here,
                    format!("the integration user's profile `{}`", assigned.name),
                )
                .related(level.loc, "High Assurance required for this profile")
                .related(flow_loc, format!("{flow_name} has no user step"))
                .help(format!(
                    "give the integration user a profile whose session setting does not require High Assurance (Setup: Profiles → `{}` → Session Settings → Session security level required at login)",
                    assigned.name
                ))
                .about(app, class),
            );
        }
    }
    findings
}

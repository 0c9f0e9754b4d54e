use super::{Options, app_name, assigned_permission_sets, assigned_profiles, granted};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let Some(settings) = &project.connected_app_settings else { return Vec::new() };
    let Some(control) = settings.admin_approved_apps_only.as_ref().filter(|v| v.value) else { return Vec::new() };
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        // Admin approved with nobody pre-authorized is `no-pre-authorized-users`.
        if oauth.admin_approved.as_ref().is_some_and(|v| v.value) {
            continue;
        }
        // An ECA without its policies file gets whatever policy Salesforce generates.
        if app.kind == AppKind::ExternalClientApp && !oauth.policy_present {
            continue;
        }
        // Users with Use Any API Client may call the API through any app.
        let assigned = assigned_profiles(project, options, app);
        if granted(&assigned, &assigned_permission_sets(project, app), "UseAnyApiClient").is_some() {
            continue;
        }
        // Whether API Access Control applies to the client-credentials execution user is
        // not documented: said, at info, for apps that log in no other way.
        let cc_only = oauth.client_credentials_enabled().is_some()
            && oauth.certificate.is_none()
            && oauth.refresh_scope().is_none();
        let (severity, consequence) = if cc_only {
            (
                Severity::Info,
                "whether this applies to the client-credentials flow's run-as user is not documented; if it does, its calls fail",
            )
        } else {
            (Severity::Warning, "its users' API calls fail unless they have the Use Any API Client permission")
        };
        let (loc, label) = match &oauth.admin_approved {
            Some(v) => (v.loc, format!("`{}`: not admin approved", v.raw)),
            None => match app.kind {
                AppKind::ConnectedApp => (oauth.config, "not admin approved (`isAdminApproved` absent)".to_string()),
                AppKind::ExternalClientApp => {
                    (oauth.policy, "not admin approved (`permittedUsersPolicyType` absent)".to_string())
                }
            },
        };
        let approve = match app.kind {
            AppKind::ConnectedApp => {
                "set `<isAdminApproved>true</isAdminApproved>` in `oauthConfig` and pre-authorize the integration user's profile (`<profileName>`) or a permission set (`<permissionSetName>`) (Setup: App Manager → the app → Manage → Edit Policies → Permitted Users: \"Admin approved users are pre-authorized\")"
            }
            AppKind::ExternalClientApp => {
                "set `<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>` in the `.ecaOauthPlcy` file and name the integration user's profile in `commaSeparatedProfile` or a permission set in `commaSeparatedPermissionSet`"
            }
        };
        findings.push(
            Finding::new(
                "api-access-control-blocks-app",
                severity,
                format!(
                    "API Access Control is on in the org (`enableAdminApprovedAppsOnly`): only apps an admin approved or installed may call the API, and {} is not admin approved: {consequence}",
                    app_name(app)
                ),
                loc,
                label,
            )
            .related(control.loc, "API Access Control on")
            .help(format!(
                "{approve}; or give the integration user the Use Any API Client permission"
            ))
            .about(app, class),
        );
    }
    findings
}

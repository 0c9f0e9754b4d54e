use super::{Options, admin_approved, app_name, pre_authorizes};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        let Some(approved) = admin_approved(oauth) else { continue };
        if pre_authorizes(app) {
            continue;
        }
        // Permitted-users policies do not apply to the client-credentials execution user:
        // only JWT bearer and refresh-token logins are refused.
        let cc = oauth.client_credentials_enabled().is_some();
        let mut flows = Vec::new();
        if oauth.certificate.is_some() {
            flows.push("JWT bearer");
        }
        if oauth.refresh_scope().is_some() && !cc {
            flows.push("refresh-token");
        }
        if flows.is_empty() {
            continue;
        }
        let unaffected = if cc { "; client-credentials logins are not affected" } else { "" };
        let (assign, setup) = match app.kind {
            AppKind::ConnectedApp => (
                "add `<profileName>` (the profile's name as Setup shows it) or `<permissionSetName>` at the top level of the connected app",
                "Setup: App Manager → the app → Manage → Manage Profiles / Manage Permission Sets",
            ),
            AppKind::ExternalClientApp => (
                "name the profiles in `commaSeparatedProfile` or the permission sets in `commaSeparatedPermissionSet` of the `.ecaOauthPlcy` file",
                "Setup: External Client App Manager → the app → Policies → App Policies → Select Profiles / Select Permission Sets",
            ),
        };
        let mut finding = Finding::new(
            "no-pre-authorized-users",
            Severity::Error,
            format!(
                "{} admits only pre-authorized users (admin approved), but pre-authorizes no profile and no permission set: every {} login fails with `OAUTH_APP_ACCESS_DENIED` (\"user is not admin approved to access this app\"){unaffected}",
                app_name(app),
                flows.join(" and ")
            ),
            approved.loc,
            "admin approved, but nobody is pre-authorized",
        )
        .help(format!(
            "pre-authorize the integration user: {assign} ({setup}); or, if users should approve the app themselves, let all users self-authorize"
        ));
        if let Some(cert) = oauth.certificate {
            finding = finding.related(cert, "JWT bearer certificate");
        }
        findings.push(finding.about(app, class));
    }
    findings
}

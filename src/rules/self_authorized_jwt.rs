use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        let Some(cert) = oauth.certificate else { continue };
        if oauth.admin_approved.as_ref().is_some_and(|v| v.value) {
            continue;
        }
        // An ECA without its policies file gets whatever policy Salesforce generates.
        if app.kind == AppKind::ExternalClientApp && !oauth.policy_present {
            continue;
        }
        let (loc, label) = match &oauth.admin_approved {
            Some(v) => (v.loc, format!("`{}`: users approve the app themselves", v.raw)),
            None if app.kind == AppKind::ConnectedApp => {
                (cert, "JWT bearer certificate; no `isAdminApproved` in the file".to_string())
            }
            None => (cert, "JWT bearer certificate; the app is not admin approved".to_string()),
        };
        let approve = match app.kind {
            AppKind::ConnectedApp => {
                "set `<isAdminApproved>true</isAdminApproved>` in `oauthConfig` and pre-authorize the integration user's profile (`<profileName>`) or a permission set it has (`<permissionSetName>`) (Setup: App Manager → the app → Manage → Edit Policies → Permitted Users: \"Admin approved users are pre-authorized\", then Manage Profiles / Manage Permission Sets)"
            }
            AppKind::ExternalClientApp => {
                "set `<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>` in the `.ecaOauthPlcy` file and name the integration user's profile in `commaSeparatedProfile` or a permission set it has in `commaSeparatedPermissionSet` (Setup: External Client App Manager → the app → Policies → Permitted Users)"
            }
        };
        // Retrieves write `isAdminApproved` explicitly; a connected app file without it is
        // older or hand-written, and what the org has is not known: something to verify.
        let unsaid = app.kind == AppKind::ConnectedApp && oauth.admin_approved.is_none();
        let (severity, opening) = if unsaid {
            (
                Severity::Info,
                format!(
                    "`isAdminApproved` is not in the file, and self-authorization is the default: if {} is not admin approved in the org, its JWT bearer logins rely on the integration user's own approval",
                    app_name(app)
                ),
            )
        } else {
            (
                Severity::Warning,
                format!(
                    "JWT bearer logins of {} rely on the integration user's own approval: the app is not admin approved (all users may self-authorize)",
                    app_name(app)
                ),
            )
        };
        let mut finding = Finding::new(
            "self-authorized-jwt",
            severity,
            format!(
                "{opening}, so a JWT login works only while an earlier interactive approval that included `refresh_token` exists, and fails with `invalid_grant` (\"user hasn't approved this consumer\") after a sandbox refresh, with a new integration user, or once that approval is revoked"
            ),
            loc,
            label,
        )
        .help(format!("{approve}; JWT logins then need no earlier approval"));
        if loc != cert {
            finding = finding.related(cert, "JWT bearer certificate");
        }
        findings.push(finding.about(app, class));
    }
    findings
}

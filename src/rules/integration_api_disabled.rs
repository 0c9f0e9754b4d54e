use super::{Options, app_name, assigned_permission_sets, assigned_profiles, granted};
use crate::finding::{Finding, Severity};
use crate::model::{Project, permission};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        // A client-credentials app calls as its run-as user, whose profile the app does not
        // name; config may name it.
        let cc_only = oauth.client_credentials_enabled().is_some()
            && oauth.certificate.is_none()
            && oauth.refresh_scope().is_none();
        if cc_only && !options.profiles.contains_key(&app.name) {
            continue;
        }
        let sets = assigned_permission_sets(project, app);
        // A permission set not in the repository may grant it.
        if sets.iter().any(|(_, s)| s.is_none()) {
            continue;
        }
        let assigned = assigned_profiles(project, options, app);
        if granted(&[], &sets, "ApiEnabled").is_some() {
            continue;
        }
        for a in &assigned {
            let Some(profile) = a.profile else { continue };
            let Some(off) = permission(&profile.user_permissions, "ApiEnabled").filter(|p| !p.enabled.value) else {
                continue;
            };
            let mut finding = Finding::new(
                "integration-api-disabled",
                Severity::Warning,
                format!(
                    "profile `{}`, the integration user's profile for {}, turns API Enabled off, and no permission set the app assigns grants it: every API call fails with `API_DISABLED_FOR_ORG`, unless a permission set assigned to the user outside the app grants it",
                    a.name,
                    app_name(app)
                ),
                off.enabled.loc,
                "API Enabled off",
            )
            .help(format!(
                "enable API Enabled for the integration user: `<userPermissions><enabled>true</enabled><name>ApiEnabled</name></userPermissions>` in profile `{}` or in a permission set the app assigns (Setup: the profile or permission set → System Permissions → API Enabled)",
                a.name
            ));
            if let Some(loc) = a.assignment {
                finding = finding.related(loc, format!("`{}` is assigned here", a.name));
            }
            for (_, set) in &sets {
                if let Some(set) = set {
                    finding = finding
                        .related(set.anchor, format!("permission set `{}` does not grant API Enabled", set.name));
                }
            }
            findings.push(finding.about(app, class));
        }
    }
    findings
}

use super::{Options, app_name, assigned_permission_sets, assigned_profiles, granted, password_only};
use crate::finding::{Finding, Severity};
use crate::model::{PasswordExpiry, Project, Setting};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    let expiration = project.org.as_ref().map(|o| &o.password_expiration);
    let (days, set) = match expiration {
        Some(Setting::Set(v)) => match v.value {
            PasswordExpiry::Never => return findings,
            PasswordExpiry::Days(days) => (days, Some(v)),
        },
        Some(Setting::Invalid) => return findings,
        // Not in the repository: Salesforce's default applies to new orgs.
        Some(Setting::Absent) | None => (90, None),
    };
    for (app, class) in project.classified_apps() {
        let Some(oauth) = &app.oauth else { continue };
        if !password_only(app, class) {
            continue;
        }
        let assigned = assigned_profiles(project, options, app);
        if granted(&assigned, &assigned_permission_sets(project, app), "PasswordNeverExpires").is_some() {
            continue;
        }
        let (severity, when) = match set {
            Some(_) => (Severity::Warning, format!("the org's passwords expire every {days} days")),
            None => (
                Severity::Info,
                "passwords expire every 90 days by default (the org's password policy is not in the repository)"
                    .to_string(),
            ),
        };
        let mut finding = Finding::new(
            "integration-password-expires",
            severity,
            format!(
                "{} is an integration that can only be logging in with a username and password (no JWT certificate, no client credentials, no refresh-token scope), and {when}: unless the integration user has Password Never Expires, its logins fail with `INVALID_OPERATION_WITH_EXPIRED_PASSWORD` until someone sets a new password",
                app_name(app)
            ),
            oauth.config,
            "a password-based integration",
        )
        .help(
            "move the integration to client credentials or JWT bearer, which use no password; or give the integration user Password Never Expires in its profile or in a permission set the app assigns (`<userPermissions><enabled>true</enabled><name>PasswordNeverExpires</name></userPermissions>`; Setup: the profile or permission set → System Permissions → Password Never Expires)",
        );
        if let Some(v) = set {
            finding = finding.related(v.loc, format!("passwords expire: `{}`", v.raw));
        }
        for a in &assigned {
            if let Some(profile) = a.profile {
                finding = finding.related(profile.anchor, format!("profile `{}` lacks Password Never Expires", a.name));
            }
        }
        findings.push(finding.about(app, class));
    }
    findings
}

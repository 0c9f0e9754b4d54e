use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        let Some(rotation) = oauth.refresh_rotation.as_ref().filter(|r| r.value) else { continue };
        // Rotation only matters to clients that use refresh tokens.
        if oauth.refresh_scope().is_none() {
            continue;
        }
        let workers = options.workers.get(&app.name).copied();
        let (severity, why) = match workers {
            Some(1) => (Severity::Info, "one worker is declared, so this is safe as long as it stays one".to_string()),
            Some(n) => (Severity::Warning, format!("{n} workers are declared: they revoke each other")),
            None => (Severity::Warning, "workers that share one refresh token revoke each other".to_string()),
        };
        let fix = match app.kind {
            AppKind::ConnectedApp => {
                "`<isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>` in `oauthConfig`"
            }
            AppKind::ExternalClientApp => {
                "`<isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>` in the `.ecaGlblOauth` file"
            }
        };
        findings.push(
            Finding::new(
                "refresh-token-rotation",
                severity,
                format!(
                    "refresh tokens of {} rotate on every use, and reusing an old one revokes the current token and its sessions: {why}",
                    app_name(app)
                ),
                rotation.loc,
                "refresh-token rotation on",
            )
            .help(format!(
                "give each worker its own authorization (its own refresh token), or serialize refreshes through one token store; if neither is possible, set {fix}. Declare `workers = 1` under `[apps.{}]` in forcelint.toml when only one worker uses the token",
                app.name
            ))
            .about(app, class),
        );
    }
    findings
}

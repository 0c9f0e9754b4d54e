use super::{Options, app_name, effective_timeout};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, Project, TimeoutSource};
use crate::report::fmt_minutes;

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    let minimum = options.min_session_timeout;
    for (app, class) in project.classified_apps() {
        if !class.purpose.is_unattended() {
            continue;
        }
        let timeout = effective_timeout(project, options, app);
        if timeout.minutes >= minimum {
            continue;
        }
        let name = app_name(app);
        let length = fmt_minutes(timeout.minutes);
        let message = format!(
            "sessions of {name} end after {length}, below the minimum of {}: calls fail with INVALID_SESSION_ID unless the client renews its token in time",
            fmt_minutes(minimum)
        );
        let (element, fix) = match app.kind {
            AppKind::ConnectedApp => (
                "sessionPolicy/sessionTimeout",
                format!(
                    "set `<sessionPolicy><sessionTimeout>{minimum}</sessionTimeout></sessionPolicy>` or more on the app (Setup: App Manager → the app → Manage → Edit Policies → Session Policies → Timeout Value)"
                ),
            ),
            AppKind::ExternalClientApp => (
                "sessionTimeoutInMinutes",
                format!(
                    "set `<sessionTimeoutInMinutes>{minimum}</sessionTimeoutInMinutes>` or more in the app's `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → Session Policies)"
                ),
            ),
        };
        // An inherited value is reported where the app's own setting would go.
        let here = match (&app.oauth, app.kind) {
            (Some(o), AppKind::ExternalClientApp) if o.policy_present => o.policy,
            _ => app.anchor,
        };
        let finding = match &timeout.source {
            TimeoutSource::App(loc) => Finding::new(
                "short-session-timeout",
                Severity::Warning,
                message,
                *loc,
                format!("sessions end after {length}"),
            )
            .help(fix),
            TimeoutSource::Profile { profile, loc } => Finding::new(
                "short-session-timeout",
                Severity::Warning,
                message,
                here,
                format!("no `{element}` here: inherits {length} from profile `{profile}`"),
            )
            .related(*loc, format!("session timeout of profile `{profile}`: {length}"))
            .help(format!("{fix}; the app's setting overrides the profile's")),
            TimeoutSource::Org(loc) => Finding::new(
                "short-session-timeout",
                Severity::Warning,
                message,
                here,
                format!("no `{element}` here: inherits the org's {length}"),
            )
            .related(*loc, format!("org session timeout: {length}"))
            .help(format!("{fix}; the app's setting overrides the org's")),
            TimeoutSource::Default => Finding::new(
                "short-session-timeout",
                Severity::Warning,
                message,
                here,
                format!("no `{element}` here: Salesforce's default of {length} applies"),
            )
            .help(fix),
        };
        findings.push(finding.about(app, class));
    }
    findings
}

use super::{Options, app_name, effective_timeout};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, EffectiveTimeout, Project, TimeoutSource};
use crate::report::fmt_minutes;

/// ECA `namedUserJwtTimeout` values (API 61.0 and 65.0).
const JWT_TIMEOUTS: [u32; 11] = [1, 5, 10, 15, 30, 60, 90, 120, 240, 480, 720];

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    let minimum = options.min_session_timeout;
    for (app, class) in project.classified_apps() {
        if !class.purpose.is_unattended() {
            continue;
        }
        let name = app_name(app);
        // JWT-based access tokens (ECA `isNamedUserJwtEnabled`) do not follow
        // `sessionTimeoutInMinutes`, which applies to opaque tokens only.
        let jwt = app.oauth.as_ref().filter(|o| o.named_user_jwt.as_ref().is_some_and(|v| v.value));
        let jwt_timeout = jwt.and_then(|o| {
            let user_session = o.jwt_timeout_type.as_ref().is_some_and(|t| t.value.eq_ignore_ascii_case("UserSession"));
            o.jwt_timeout.as_set().filter(|_| !user_session)
        });
        if let Some(v) = jwt_timeout {
            if v.value >= minimum {
                continue;
            }
            let length = fmt_minutes(v.value);
            let value = JWT_TIMEOUTS.iter().find(|m| **m >= minimum).copied().unwrap_or(720);
            findings.push(
                Finding::new(
                    "short-session-timeout",
                    Severity::Warning,
                    format!(
                        "the JWT-based access tokens of {name} expire after {length}, below the minimum of {}: a client that keeps a token longer than that (a job that runs less often, a connection pool idle overnight) gets INVALID_SESSION_ID unless it gets a new token first",
                        fmt_minutes(minimum)
                    ),
                    v.loc,
                    format!("JWT access tokens expire after {length}"),
                )
                .help(format!(
                    "set `<namedUserJwtTimeout>{value}</namedUserJwtTimeout>` or more (allowed: 1, 5, 10, 15, 30, 60, 90, 120, 240, 480, 720) with `<namedUserJwtSessionTimeoutType>Custom</namedUserJwtSessionTimeoutType>` in the `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → JWT-based access tokens)"
                ))
                .about(app, class),
            );
            continue;
        }
        let timeout = effective_timeout(project, options, app);
        if timeout.minutes >= minimum {
            continue;
        }
        let length = fmt_minutes(timeout.minutes);
        let mut message = format!(
            "sessions of {name} time out after {length} without activity, below the minimum of {}: a client that leaves its access token idle longer than that (a job that runs less often, a connection pool idle overnight) gets INVALID_SESSION_ID unless it renews its token first",
            fmt_minutes(minimum)
        );
        let mut severity = Severity::Warning;
        if jwt.is_some() {
            // The timeout judged is not the one in force for this app's tokens.
            severity = Severity::Info;
            message.push_str(" (if the app issues opaque tokens: it issues JWT-based access tokens (`isNamedUserJwtEnabled`), to which this timeout does not apply; their own timeout, `namedUserJwtTimeout`, is not set in the repository or follows the user's session)");
        }
        let (element, fix) = match app.kind {
            AppKind::ConnectedApp => (
                "sessionPolicy/sessionTimeout",
                format!(
                    "set `<sessionPolicy><sessionTimeout>{minimum}</sessionTimeout></sessionPolicy>` or more on the app, longer than the client's longest idle gap (Setup: App Manager → the app → Manage → Edit Policies → Session Policies → Timeout Value)"
                ),
            ),
            AppKind::ExternalClientApp => (
                "sessionTimeoutInMinutes",
                format!(
                    "set `<sessionTimeoutInMinutes>{minimum}</sessionTimeoutInMinutes>` or more in the app's `.ecaOauthPlcy` file, longer than the client's longest idle gap (Setup: External Client App Manager → the app → Policies → Edit → Session Policies)"
                ),
            ),
        };
        let fix = format!("{fix}; or make the client renew its token when it gets INVALID_SESSION_ID");
        findings.push(finding(app, severity, message, &timeout, element, &length, fix).about(app, class));
    }
    findings
}

#[allow(clippy::too_many_arguments)]
fn finding(
    app: &crate::model::App,
    severity: Severity,
    message: String,
    timeout: &EffectiveTimeout,
    element: &str,
    length: &str,
    fix: String,
) -> Finding {
    // An inherited value is reported where the app's own setting would go.
    let here = match (&app.oauth, app.kind) {
        (Some(o), AppKind::ExternalClientApp) if o.policy_present => o.policy,
        _ => app.anchor,
    };
    match &timeout.source {
        TimeoutSource::App(loc) => {
            Finding::new("short-session-timeout", severity, message, *loc, format!("times out after {length} idle"))
                .help(fix)
        }
        TimeoutSource::Profile { profile, loc } => Finding::new(
            "short-session-timeout",
            severity,
            message,
            here,
            format!("no `{element}` here: inherits the {length} idle timeout of profile `{profile}`"),
        )
        .related(*loc, format!("session timeout of profile `{profile}`: {length} idle"))
        .help(format!("{fix}; the app's setting overrides the profile's")),
        TimeoutSource::Org(loc) => Finding::new(
            "short-session-timeout",
            severity,
            message,
            here,
            format!("no `{element}` here: inherits the org's {length} idle timeout"),
        )
        .related(*loc, format!("org session timeout: {length} idle"))
        .help(format!("{fix}; the app's setting overrides the org's")),
        TimeoutSource::Default => Finding::new(
            "short-session-timeout",
            severity,
            message,
            here,
            format!("no `{element}` here: Salesforce's default of {length} idle applies"),
        )
        .help(fix),
    }
}

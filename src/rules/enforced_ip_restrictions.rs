use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::{AppKind, IpRelaxation, Profile, Project, Setting};

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        if !class.purpose.is_unattended() {
            continue;
        }
        let Some(oauth) = &app.oauth else { continue };
        let relaxation = match &oauth.ip_relaxation {
            Setting::Set(v) => Some(v),
            Setting::Absent => None,
            Setting::Invalid => continue,
        };
        let value = relaxation.map_or(IpRelaxation::Enforce, |v| v.value);

        // IP restrictions only exist where the user's profile has login IP ranges.
        let assigned: Vec<Option<&Profile>> = app.profiles.iter().map(|p| project.profile(&p.value)).collect();
        let restricting: Vec<&Profile> =
            assigned.iter().flatten().copied().filter(|p| !p.login_ip_ranges.is_empty()).collect();
        let all_unrestricted =
            !assigned.is_empty() && assigned.iter().all(|p| p.is_some_and(|p| p.login_ip_ranges.is_empty()));
        if all_unrestricted {
            continue;
        }
        // JWT bearer (and SAML bearer) logins are always checked against login IP ranges.
        let jwt = oauth.certificate.is_some();
        let name = app_name(app);
        let (message, label) = match value {
            IpRelaxation::Bypass if !jwt || restricting.is_empty() => continue,
            IpRelaxation::Bypass => (
                format!(
                    "JWT bearer logins of {name} are checked against login IP ranges even though the app relaxes IP restrictions"
                ),
                "relaxation does not apply to JWT bearer".to_string(),
            ),
            // Refresh is relaxed, and an offline app only refreshes: right for it.
            IpRelaxation::EnforceRelaxRefresh if !oauth.has_unattended_flow() => continue,
            IpRelaxation::EnforceRelaxRefresh => (
                format!(
                    "IP restrictions are enforced for {name}: only refresh tokens are relaxed, and JWT bearer or client-credentials logins use none"
                ),
                "enforced except for refresh tokens".to_string(),
            ),
            IpRelaxation::Bypass2Factor => (
                format!(
                    "IP restrictions are relaxed for {name} only for activated devices or a second factor, which a server cannot complete"
                ),
                "relaxed only for activated devices".to_string(),
            ),
            IpRelaxation::Enforce => match relaxation {
                Some(_) => (
                    format!(
                        "IP restrictions are enforced for {name}: calls from a server outside the integration user's login IP ranges fail"
                    ),
                    "IP restrictions enforced".to_string(),
                ),
                None if oauth.policy_present => (
                    format!(
                        "{name} does not set IP relaxation, and Salesforce's default is ENFORCE: calls from a server outside the integration user's login IP ranges fail"
                    ),
                    "no IP relaxation here: defaults to ENFORCE".to_string(),
                ),
                None => {
                    let missing = match app.kind {
                        AppKind::ConnectedApp => "no `oauthPolicy`",
                        AppKind::ExternalClientApp => "no OAuth policies file (`.ecaOauthPlcy`)",
                    };
                    (
                        format!(
                            "{name} has {missing}, and Salesforce's default IP relaxation is ENFORCE: calls from a server outside the integration user's login IP ranges fail"
                        ),
                        format!("{missing}: IP restrictions default to ENFORCE"),
                    )
                }
            },
        };
        let loc = relaxation.map_or(oauth.policy, |v| v.loc);
        let mut finding = Finding::new("enforced-ip-restrictions", Severity::Warning, message, loc, label);
        for profile in &restricting {
            let ranges = &profile.login_ip_ranges;
            let first = &ranges[0];
            let span = match (&first.start, &first.end) {
                (Some(s), Some(e)) => format!("{}–{}", s.value, e.value),
                _ => "a range".to_string(),
            };
            let more = if ranges.len() > 1 { format!(" and {} more", ranges.len() - 1) } else { String::new() };
            finding =
                finding.related(first.loc, format!("profile `{}` allows logins only from {span}{more}", profile.name));
        }
        let relax = match app.kind {
            AppKind::ConnectedApp => {
                "set `<ipRelaxation>BYPASS</ipRelaxation>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → IP Relaxation: \"Relax IP restrictions\")"
            }
            AppKind::ExternalClientApp => {
                "set `<ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>` in the app's `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → IP Relaxation)"
            }
        };
        let help = if jwt {
            "JWT bearer logins always enforce IP restrictions, whatever the app's IP relaxation says: add the integration server's egress IPs to the login IP ranges of the integration user's profile".to_string()
        } else {
            format!(
                "add the integration server's egress IPs to the login IP ranges of the integration user's profile, or {relax}"
            )
        };
        finding = finding.help(help).about(app, class);
        findings.push(finding);
    }
    findings
}

use super::{Options, app_name, assigned_profiles, unrestricted};
use crate::finding::{Finding, Severity};
use crate::ip::IpNet;
use crate::model::{AppKind, IpRange, IpRelaxation, Profile, Project, Setting};
use crate::source::Location;

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        let relaxation = match &oauth.ip_relaxation {
            Setting::Set(v) => Some(v),
            Setting::Absent => None,
            Setting::Invalid => continue,
        };
        let value = relaxation.map_or(IpRelaxation::Enforce, |v| v.value);

        // IP restrictions only exist where the user's profile has login IP ranges. The
        // config may name the integration user's profile; else the app's assigned ones.
        let assigned = assigned_profiles(project, options, app);
        if unrestricted(&assigned) {
            continue;
        }
        let restricting: Vec<&Profile> =
            assigned.iter().filter_map(|a| a.profile).filter(|p| !p.login_ip_ranges.is_empty()).collect();
        let egress = options.egress_for(&app.name);
        // JWT bearer (and SAML bearer) logins are always checked against login IP ranges.
        let jwt = oauth.certificate.is_some();
        let name = app_name(app);
        let (message, label) = match value {
            IpRelaxation::Bypass if !jwt => continue,
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
            // Callers inside the app's own ranges are relaxed without a second factor.
            IpRelaxation::Bypass2Factor
                if !jwt
                    && !oauth.trusted_ranges.is_empty()
                    && !egress.is_empty()
                    && egress.iter().all(|ip| ip.covered_by(&nets(&oauth.trusted_ranges))) =>
            {
                continue;
            }
            IpRelaxation::Bypass2Factor if !oauth.trusted_ranges.is_empty() => (
                format!(
                    "IP restrictions of {name} are relaxed only for callers inside the app's own IP ranges (web-server flow) or with a second factor"
                ),
                "relaxed only inside the app's IP ranges".to_string(),
            ),
            IpRelaxation::Bypass2Factor => (
                format!(
                    "IP restrictions of {name} are relaxed only for activated devices or a second factor, which a server cannot complete"
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
                None => match app.kind {
                    AppKind::ConnectedApp => (
                        format!(
                            "{name} has no `oauthPolicy`, and Salesforce's default IP relaxation is ENFORCE: calls from a server outside the integration user's login IP ranges fail"
                        ),
                        "no `oauthPolicy`: IP restrictions default to ENFORCE".to_string(),
                    ),
                    AppKind::ExternalClientApp => (
                        format!(
                            "{name} has no OAuth policies file (`.ecaOauthPlcy`), so Salesforce's default IP relaxation applies, which is ENFORCE for connected apps (unverified for external client apps): calls from a server outside the integration user's login IP ranges fail"
                        ),
                        "no OAuth policies file: IP restrictions default to ENFORCE".to_string(),
                    ),
                },
            },
        };
        let loc = relaxation.map_or(oauth.policy, |v| v.loc);
        if !egress.is_empty() && !restricting.is_empty() {
            // Known egress IPs: check them against the ranges instead of warning.
            if let Some(finding) = uncovered_egress(&name, egress, &restricting, loc, &label, jwt) {
                findings.push(finding.about(app, class));
            }
            continue;
        }
        let mut finding = Finding::new("enforced-ip-restrictions", Severity::Warning, message, loc, label);
        for profile in &restricting {
            let ranges = &profile.login_ip_ranges;
            let more = if ranges.len() > 1 { format!(" and {} more", ranges.len() - 1) } else { String::new() };
            finding = finding.related(
                ranges[0].loc,
                format!("profile `{}` allows logins only from {}{more}", profile.name, describe(&ranges[0])),
            );
        }
        if value == IpRelaxation::Bypass2Factor
            && let Some(range) = oauth.trusted_ranges.first()
        {
            finding = finding.related(range.loc, format!("the app's IP range {}", describe(range)));
        }
        let relax = match app.kind {
            AppKind::ConnectedApp => {
                "set `<ipRelaxation>BYPASS</ipRelaxation>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → IP Relaxation: \"Relax IP restrictions\")"
            }
            AppKind::ExternalClientApp => {
                "set `<ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>` in the app's `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → IP Relaxation)"
            }
        };
        let declare = if egress.is_empty() {
            "list those IPs as `egress-ips` in forcelint.toml so forcelint can check them".to_string()
        } else {
            format!(
                "name the integration user's profile under `[apps.{}]` (`profile = \"...\"`) in forcelint.toml so forcelint can check the egress IPs against it",
                app.name
            )
        };
        let help = if jwt {
            format!(
                "JWT bearer logins always enforce IP restrictions, whatever the app's IP relaxation says: add the integration server's egress IPs to the login IP ranges of the integration user's profile, and {declare}"
            )
        } else {
            format!(
                "add the integration server's egress IPs to the login IP ranges of the integration user's profile and {declare}, or {relax}"
            )
        };
        findings.push(finding.help(help).about(app, class));
    }
    findings
}

fn describe(range: &IpRange) -> String {
    match (&range.start, &range.end) {
        (Some(s), Some(e)) if s.value == e.value => s.value.clone(),
        (Some(s), Some(e)) => format!("{}–{}", s.value, e.value),
        _ => "an incomplete range".to_string(),
    }
}

/// Ranges with both ends readable as addresses of one family.
fn nets(ranges: &[IpRange]) -> Vec<IpNet> {
    ranges
        .iter()
        .filter_map(|r| IpNet::range(r.start.as_ref()?.value.parse().ok()?, r.end.as_ref()?.value.parse().ok()?))
        .collect()
}

/// An error for the first profile that does not cover every egress IP, naming the IPs.
fn uncovered_egress(
    name: &str,
    egress: &[IpNet],
    profiles: &[&Profile],
    loc: Location,
    label: &str,
    jwt: bool,
) -> Option<Finding> {
    for profile in profiles {
        let ranges = nets(&profile.login_ip_ranges);
        let outside: Vec<String> =
            egress.iter().filter(|ip| !ip.covered_by(&ranges)).map(ToString::to_string).collect();
        if outside.is_empty() {
            continue;
        }
        let ips = outside.join(", ");
        let mut finding = Finding::new(
            "enforced-ip-restrictions",
            Severity::Error,
            format!(
                "{name} calls from {ips}, outside the login IP ranges of profile `{}`: its logins and calls are refused",
                profile.name
            ),
            loc,
            label,
        )
        .help(format!(
            "add {ips} to the login IP ranges of profile `{}` (Setup: Profiles → the profile → Login IP Ranges){}",
            profile.name,
            if jwt { "; JWT bearer logins are checked whatever the app's IP relaxation says" } else { ", or relax IP restrictions for the app" }
        ));
        for range in &profile.login_ip_ranges {
            finding = finding.related(range.loc, format!("allowed: {}", describe(range)));
        }
        return Some(finding);
    }
    None
}

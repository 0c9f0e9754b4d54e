use super::{Options, app_name, assigned_profiles};
use crate::finding::{Finding, Severity};
use crate::ip::IpNet;
use crate::model::{App, AppKind, IpRange, IpRelaxation, OAuth, Profile, Project, Setting};
use crate::source::Location;

/// Related labels naming profiles, at most this many; the message counts the rest.
const SHOWN_PROFILES: usize = 5;

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class, oauth) in project.unattended_apps() {
        let relaxation = match &oauth.ip_relaxation {
            Setting::Set(v) => Some(v),
            Setting::Absent => None,
            Setting::Invalid => continue,
        };
        let value = relaxation.map_or(IpRelaxation::Enforce, |v| v.value);
        let egress = options.egress_for(&app.name);
        // JWT bearer (and SAML bearer) logins are always checked against login IP ranges.
        let jwt = oauth.certificate.is_some();
        let name = app_name(app);
        // What the app's relaxation means for a server, and whether it is a relaxation that
        // cannot do what its author meant (`misfit`).
        let (what, label, misfit) = match value {
            IpRelaxation::Bypass if !jwt => continue,
            IpRelaxation::Bypass => (
                format!(
                    "JWT bearer logins of {name} are checked against login IP ranges even though the app relaxes IP restrictions"
                ),
                "relaxation does not apply to JWT bearer".to_string(),
                true,
            ),
            // Refresh is relaxed, and an offline app only refreshes: right for it.
            IpRelaxation::EnforceRelaxRefresh if !oauth.has_unattended_flow() => continue,
            IpRelaxation::EnforceRelaxRefresh => (
                format!(
                    "IP restrictions are enforced for {name}: only refresh tokens are relaxed, and JWT bearer or client-credentials logins use none"
                ),
                "enforced except for refresh tokens".to_string(),
                true,
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
                false,
            ),
            IpRelaxation::Bypass2Factor => (
                format!(
                    "IP restrictions of {name} are relaxed only for activated devices or a second factor, which a server cannot complete"
                ),
                "relaxed only for activated devices".to_string(),
                false,
            ),
            IpRelaxation::Enforce => match relaxation {
                Some(_) => {
                    (format!("IP restrictions are enforced for {name}"), "IP restrictions enforced".to_string(), false)
                }
                None if oauth.policy_present => (
                    format!("{name} does not set IP relaxation, and Salesforce's default is ENFORCE"),
                    "no IP relaxation here: defaults to ENFORCE".to_string(),
                    false,
                ),
                None => match app.kind {
                    AppKind::ConnectedApp => (
                        format!("{name} has no `oauthPolicy`, and Salesforce's default IP relaxation is ENFORCE"),
                        "no `oauthPolicy`: IP restrictions default to ENFORCE".to_string(),
                        false,
                    ),
                    AppKind::ExternalClientApp => (
                        format!(
                            "{name} has no OAuth policies file (`.ecaOauthPlcy`), so Salesforce's default IP relaxation applies, which is ENFORCE for connected apps (unverified for external client apps)"
                        ),
                        "no OAuth policies file: IP restrictions default to ENFORCE".to_string(),
                        false,
                    ),
                },
            },
        };
        let loc = relaxation.map_or(oauth.policy, |v| v.loc);

        // IP restrictions only exist where the user's profile has login IP ranges. The
        // config may name the integration user's profile; else the app's assigned ones.
        let assigned = assigned_profiles(project, options, app);
        let with_ranges: Vec<&Profile> =
            assigned.iter().filter_map(|a| a.profile).filter(|p| !p.login_ip_ranges.is_empty()).collect();
        if !egress.is_empty() && !with_ranges.is_empty() {
            // Known egress IPs: checked exactly against every range, even ranges that
            // restrict nothing else.
            if let Some(finding) = uncovered_egress(&name, egress, &with_ranges, loc, &label, jwt) {
                findings.push(finding.about(app, class));
            }
            continue;
        }
        // Ranges over (nearly) all public addresses restrict nothing.
        let restricting: Vec<&Profile> = with_ranges.into_iter().filter(|p| p.restricts_login_ips()).collect();
        let missing: Vec<&str> = assigned.iter().filter(|a| a.profile.is_none()).map(|a| a.name).collect();
        let grade = if !restricting.is_empty() {
            Grade::Restricted(restricting)
        } else if !assigned.is_empty() && missing.is_empty() {
            // Every profile the integration user may have is here, without restrictions.
            continue;
        } else {
            // The integration user's profile is not known (or not here): what the rest of
            // the repository shows.
            let others: Vec<&Profile> = project.profiles.iter().filter(|p| p.restricts_login_ips()).collect();
            let every_request = project.org.as_ref().and_then(|o| o.enforce_ip_ranges_every_request.as_ref());
            let every_request = every_request.filter(|v| v.value).map(|v| v.loc);
            if misfit {
                Grade::Misfit(others)
            } else if !project.profiles.is_empty() && others.is_empty() {
                // An org's profiles, none restricting: ENFORCE has nothing to enforce.
                continue;
            } else if let Some(every) = every_request {
                Grade::EveryRequest(every, others)
            } else if !others.is_empty() {
                Grade::Others(others)
            } else {
                Grade::NothingKnown
            }
        };
        let (severity, message, profiles) = match &grade {
            Grade::Restricted(profiles) => (
                Severity::Warning,
                if misfit {
                    what.clone()
                } else {
                    format!("{what}: calls from a server outside the integration user's login IP ranges fail")
                },
                profiles.clone(),
            ),
            Grade::Misfit(others) => (Severity::Warning, what.clone(), others.clone()),
            Grade::EveryRequest(_, others) => (
                Severity::Warning,
                format!(
                    "{what}; the org enforces login IP ranges on every request, API calls included, so calls from a server outside the integration user's login IP ranges fail"
                ),
                others.clone(),
            ),
            Grade::Others(others) => (
                Severity::Info,
                match missing.as_slice() {
                    _ if assigned.is_empty() => format!(
                        "{what}: some profiles here have login IP ranges ({}); if the integration user's profile is one of them, calls from a server outside its ranges fail",
                        list(others)
                    ),
                    _ => format!(
                        "{what}: {} not in the repository, and some profiles here have login IP ranges ({}); if it has login IP ranges too, calls from a server outside them fail",
                        missing_profiles(&missing, ("is", "are")),
                        list(others)
                    ),
                },
                others.clone(),
            ),
            Grade::NothingKnown => (
                Severity::Info,
                match missing.as_slice() {
                    _ if assigned.is_empty() => format!(
                        "{what}: if the integration user's profile has login IP ranges, calls from a server outside them fail; the repository holds no profiles to check"
                    ),
                    _ => format!(
                        "{what}: if {} login IP ranges, calls from a server outside them fail; the repository holds no profiles to check",
                        missing_profiles(&missing, ("has", "have"))
                    ),
                },
                Vec::new(),
            ),
        };
        let mut finding = Finding::new("enforced-ip-restrictions", severity, message, loc, label);
        if let Grade::EveryRequest(every, _) = &grade {
            finding = finding.related(*every, "login IP ranges enforced on every request");
        }
        for profile in profiles.iter().take(SHOWN_PROFILES) {
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
        let help =
            help(app, oauth, jwt, egress, severity == Severity::Info || !missing.is_empty() || assigned.is_empty());
        findings.push(finding.help(help).about(app, class));
    }
    findings
}

/// What the repository shows about the integration user's login IP ranges.
enum Grade<'a> {
    /// A profile of the app, in the repository, restricts them.
    Restricted(Vec<&'a Profile>),
    /// The profile is not known, and the app's relaxation cannot work as meant: the
    /// profiles that restrict, if any.
    Misfit(Vec<&'a Profile>),
    /// The profile is not known, and the org enforces login IP ranges on every request.
    EveryRequest(Location, Vec<&'a Profile>),
    /// The profile is not known; these profiles restrict.
    Others(Vec<&'a Profile>),
    /// No profiles in the repository and no org evidence.
    NothingKnown,
}

/// "its profile `X` is" / "its profiles `X`, `Y` are", with the verb for one or many.
fn missing_profiles(missing: &[&str], (one_verb, many_verb): (&str, &str)) -> String {
    let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
    match names.as_slice() {
        [one] => format!("its profile {one} {one_verb}"),
        _ => format!("its profiles {} {many_verb}", names.join(", ")),
    }
}

/// "`A`, `B` and 3 more profiles" for a message.
fn list(profiles: &[&Profile]) -> String {
    let names: Vec<String> = profiles.iter().take(SHOWN_PROFILES).map(|p| format!("`{}`", p.name)).collect();
    let rest = profiles.len().saturating_sub(SHOWN_PROFILES);
    match rest {
        0 => names.join(", "),
        _ => format!("{} and {rest} more", names.join(", ")),
    }
}

fn help(app: &App, oauth: &OAuth, jwt: bool, egress: &[IpNet], verify: bool) -> String {
    // An offline app only refreshes tokens: relaxing refresh is the narrowest fix. Flows
    // that log in afresh (client credentials) need the full relaxation.
    let refresh_only = !oauth.has_unattended_flow();
    let relax = match (app.kind, refresh_only) {
        (AppKind::ConnectedApp, true) => {
            "set `<ipRelaxation>ENFORCE_RELAXREFRESH</ipRelaxation>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → IP Relaxation: \"Enforce IP restrictions, but relax for refresh tokens\")"
        }
        (AppKind::ConnectedApp, false) => {
            "set `<ipRelaxation>BYPASS</ipRelaxation>` in `oauthPolicy` (Setup: App Manager → the app → Manage → Edit Policies → IP Relaxation: \"Relax IP restrictions\")"
        }
        (AppKind::ExternalClientApp, true) => {
            "set `<ipRelaxationPolicyType>Enforce_RelaxRefresh</ipRelaxationPolicyType>` in the app's `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → IP Relaxation)"
        }
        (AppKind::ExternalClientApp, false) => {
            "set `<ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>` in the app's `.ecaOauthPlcy` file (Setup: External Client App Manager → the app → Policies → Edit → IP Relaxation)"
        }
    };
    let declare = if egress.is_empty() && !verify {
        "list those IPs as `egress-ips` in forcelint.toml so forcelint can check them".to_string()
    } else {
        format!(
            "name the integration user's profile under `[apps.{}]` (`profile = \"...\"`) in forcelint.toml so forcelint can judge it{}",
            app.name,
            if egress.is_empty() { "" } else { " against the egress IPs" }
        )
    };
    let check = "check the login IP ranges of the integration user's profile (Setup: Users → the user → Profile → Login IP Ranges)";
    match (jwt, verify) {
        (true, false) => format!(
            "JWT bearer logins always enforce IP restrictions, whatever the app's IP relaxation says: add the integration server's egress IPs to the login IP ranges of the integration user's profile, and {declare}"
        ),
        (true, true) => format!(
            "JWT bearer logins always enforce IP restrictions, whatever the app's IP relaxation says: {check} and, if it has some, add the integration server's egress IPs to them; {declare}"
        ),
        (false, false) => format!(
            "add the integration server's egress IPs to the login IP ranges of the integration user's profile and {declare}, or {relax}"
        ),
        (false, true) => {
            format!("{check}; if it has some, add the integration server's egress IPs to them or {relax}; {declare}")
        }
    }
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
    ranges.iter().filter_map(IpRange::net).collect()
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

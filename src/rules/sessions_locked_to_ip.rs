use super::Options;
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let Some(org) = &project.org else { return Vec::new() };
    let Some(lock) = org.lock_sessions_to_ip.as_ref().filter(|v| v.value) else { return Vec::new() };
    let unattended: Vec<_> = project.classified_apps().filter(|(_, c)| c.purpose.is_unattended()).collect();
    if unattended.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = unattended.iter().map(|(a, _)| format!("`{}`", a.name)).collect();
    let mut finding = Finding::new(
        "sessions-locked-to-ip",
        Severity::Warning,
        format!(
            "sessions are locked to the IP address they started from, and {} app{} run{} unattended ({}): a session dies when the caller's egress IP changes (cloud NAT, load balancers, proxies)",
            unattended.len(),
            if unattended.len() == 1 { "" } else { "s" },
            if unattended.len() == 1 { "s" } else { "" },
            names.join(", ")
        ),
        lock.loc,
        "sessions locked to the login IP",
    )
    .help(
        "set `<lockSessionsToIp>false</lockSessionsToIp>` in `sessionSettings` (Setup: Session Settings → Lock sessions to the IP address from which they originated), or make sure every integration calls from one fixed egress IP",
    );
    for (app, class) in unattended {
        finding = finding.related(app.anchor, format!("{} app `{}`", class.purpose.name(), app.name));
    }
    vec![finding]
}

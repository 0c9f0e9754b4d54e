use super::{Options, assigned_profiles, unrestricted};
use crate::finding::{Finding, Severity};
use crate::model::{IpRelaxation, Project};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let Some(org) = &project.org else { return Vec::new() };
    let Some(every) = org.enforce_ip_ranges_every_request.as_ref().filter(|v| v.value) else { return Vec::new() };
    // Apps that rely on relaxed IP restrictions: the setting takes part of that away.
    let relaxed: Vec<_> = project
        .classified_apps()
        .filter(|(_, c)| c.purpose.is_unattended())
        .filter_map(|(app, class)| {
            let oauth = app.oauth.as_ref()?;
            let v = oauth.ip_relaxation.as_set()?;
            // Relaxing refresh tokens does nothing for flows that use none.
            let relaxed = match v.value {
                IpRelaxation::Enforce => false,
                IpRelaxation::EnforceRelaxRefresh => !oauth.has_unattended_flow(),
                IpRelaxation::Bypass2Factor | IpRelaxation::Bypass => true,
            };
            // Without login IP ranges on the integration user's profile there is nothing to enforce.
            (relaxed && !unrestricted(&assigned_profiles(project, options, app))).then_some((app, class, v))
        })
        .collect();
    if relaxed.is_empty() {
        return Vec::new();
    }
    let names: Vec<String> = relaxed.iter().map(|(a, _, _)| format!("`{}`", a.name)).collect();
    let mut finding = Finding::new(
        "ip-ranges-enforced-every-request",
        Severity::Warning,
        format!(
            "login IP ranges are enforced on every request, so the relaxed IP policies of {} no longer cover every request: calls from outside the integration user's ranges can fail",
            names.join(", ")
        ),
        every.loc,
        "login IP ranges enforced on every request",
    )
    .help(
        "set `<enforceIpRangesEveryRequest>false</enforceIpRangesEveryRequest>` in `sessionSettings` (Setup: Session Settings → Enforce login IP ranges on every request), or add the integrations' egress IPs to their profiles' login IP ranges",
    );
    for (app, _, relaxation) in relaxed {
        finding =
            finding.related(relaxation.loc, format!("`{}` relaxes IP restrictions ({})", app.name, relaxation.raw));
    }
    vec![finding]
}

use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        // An app with no OAuth settings in the repository (an app-launcher entry such as
        // DevOps Center) has no OAuth flow to stop.
        if app.oauth.is_none() {
            continue;
        }
        let off: Vec<_> = app.eca_switches.iter().filter(|s| !s.value).collect();
        // `isEnabled` (the whole app) before `isOauthPluginEnabled`: the order they are read in.
        let Some(first) = off.first() else { continue };
        let what = match first.element {
            "isEnabled" => "disable the app, and with it all its plugins",
            _ => "switch its OAuth plugin off",
        };
        let mut finding = Finding::new(
            "eca-oauth-disabled",
            Severity::Error,
            format!(
                "the policies of {} {what} (`{}` is `false` in the `.ecaPlcy` file): every OAuth flow of the app fails, so nobody can sign in with it and no integration gets a token",
                app_name(app),
                first.element
            ),
            first.loc,
            format!("`{}` off", first.element),
        )
        .help(format!(
            "set {} in the `.ecaPlcy` file (Setup: External Client App Manager → the app → Policies → Edit), or remove the app from the repository if it is retired on purpose",
            off.iter().map(|s| format!("`<{0}>true</{0}>`", s.element)).collect::<Vec<_>>().join(" and ")
        ))
        .about(app, class);
        for other in &off[1..] {
            finding = finding.related(other.loc, format!("`{}` off too", other.element));
        }
        findings.push(finding);
    }
    findings
}

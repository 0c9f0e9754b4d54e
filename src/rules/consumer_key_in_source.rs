use super::{Options, app_name};
use crate::finding::{Finding, Severity};
use crate::model::Project;

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        let Some(key) = app.oauth.as_ref().and_then(|o| o.consumer_key.as_ref()) else { continue };
        findings.push(
            Finding::new(
                "consumer-key-in-source",
                Severity::Warning,
                format!(
                    "{} carries the consumer key of the org it was retrieved from: deploying this file to another org fails (\"You cannot provide a Consumer Key\", \"consumer key is already taken\")",
                    app_name(app)
                ),
                key.loc,
                "a consumer key issued by one org",
            )
            .help(
                "remove `<consumerKey>` from the file in source control: each org the app is deployed to issues its own key; or keep one copy of the file per org. A repository that deploys to one org only can turn the rule off: `severity = \"off\"` under `[rules.consumer-key-in-source]` in forcelint.toml",
            )
            .about(app, class),
        );
    }
    findings
}

use super::{Options, app_name, assigned_profiles};
use crate::finding::{Finding, Severity};
use crate::model::{LoginHours, Project};

pub fn check(project: &Project, options: &Options) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        if !class.purpose.is_unattended() {
            continue;
        }
        for assigned in assigned_profiles(project, options, app) {
            let Some(hours) = assigned.profile.and_then(|p| p.login_hours.as_ref()) else { continue };
            // Every day open all day restricts nothing.
            if hours.days.len() == 7 && hours.days.iter().all(|(_, s, e)| (*s, *e) == (0, 1440)) {
                continue;
            }
            let allowed = describe(hours);
            let mut finding = Finding::new(
                "integration-login-hours",
                Severity::Warning,
                format!(
                    "profile `{}`, used by the {} app {}, allows logins only {allowed}: scheduled jobs outside those hours fail",
                    assigned.name,
                    class.purpose.name(),
                    app_name(app)
                ),
                hours.loc,
                format!("login hours: {allowed}"),
            )
            .help(format!(
                "give the integration user a profile without login hours, or remove them from `{}` (`<loginHours/>`; Setup: Profiles → the profile → Login Hours → Clear all times)",
                assigned.name
            ));
            if let Some(loc) = assigned.assignment {
                finding = finding.related(loc, format!("`{}` is assigned here", assigned.name));
            }
            findings.push(finding.about(app, class));
        }
    }
    findings
}

/// "Monday–Friday 08:00–18:00; Saturday, Sunday never"
fn describe(hours: &LoginHours) -> String {
    const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
    let window = |day: &str| hours.days.iter().find(|(d, _, _)| d.eq_ignore_ascii_case(day)).map(|(_, s, e)| (*s, *e));
    // Runs of consecutive days with the same window: (first day, last day, window).
    type Run = (usize, usize, Option<(u32, u32)>);
    let mut parts: Vec<Run> = Vec::new();
    for (i, day) in DAYS.iter().enumerate() {
        let w = window(day);
        match parts.last_mut() {
            Some((_, end, last)) if *last == w && *end + 1 == i => *end = i,
            _ => parts.push((i, i, w)),
        }
    }
    let time = |m: u32| format!("{:02}:{:02}", m / 60, m % 60);
    parts
        .into_iter()
        .map(|(a, b, w)| {
            let days = if a == b { DAYS[a].to_string() } else { format!("{}–{}", DAYS[a], DAYS[b]) };
            match w {
                Some((0, 1440)) => format!("{days} all day"),
                // Equal start and end times block the day.
                Some((s, e)) if s == e => format!("{days} not at all"),
                Some((s, e)) => format!("{days} {}–{}", time(s), time(e)),
                None => format!("{days} no hours set"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

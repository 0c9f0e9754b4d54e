//! One self-contained HTML page for reviewers: the app inventory (purpose and evidence,
//! effective session timeout and where it comes from, refresh-token policy, IP
//! relaxation, profiles, findings), then every finding with its annotated snippet, with
//! filters by severity and rule. No network: inline CSS, a little inline JavaScript, and a
//! Content-Security-Policy that forbids loading anything. Everything from the metadata is
//! escaped.

use std::fmt::Write;

use super::snippet::{self, Line};
use super::{
    Group, Sink, Span, Subject, Summary, escape_markup as esc, file_name, groups, location_text, purpose_note,
    report_path, rule_description, short_location,
};
use crate::engine::Outcome;
use crate::finding::{Finding, Label, Severity};
use crate::inventory;
use crate::model::{App, TimeoutSource};
use crate::report::fmt_minutes;
use crate::rules::RULES;
use crate::source::{Location, Sources};

const CONTEXT: usize = 2;
const SEVERITIES: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

const STYLE: &str = r#"
:root { --error: #b42318; --warning: #b54708; --info: #175cd3; --line: #d0d5dd; --muted: #667085; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 32px 0 12px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 24px 0 8px; }
h3 small { font-weight: normal; color: var(--muted); }
code, .snippet { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
p code, td code, li code { background: #f2f4f7; padding: 0 3px; border-radius: 3px; }
.muted { color: var(--muted); }
.counts { display: flex; gap: 12px; margin: 16px 0; flex-wrap: wrap; }
.count { border: 1px solid var(--line); border-radius: 8px; padding: 8px 16px; min-width: 110px; }
.count b { display: block; font-size: 22px; }
.count.error b { color: var(--error); } .count.warning b { color: var(--warning); } .count.info b { color: var(--info); }
.table { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
td .where { font-size: 12px; }
td .where, td code, td strong { overflow-wrap: anywhere; }
th { background: #f9fafb; }
td ul { margin: 0; padding-left: 16px; }
.badge { display: inline-block; border-radius: 10px; padding: 0 8px; color: #fff; font-size: 12px; font-weight: 600; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.filters { position: sticky; top: 0; background: #fff; padding: 8px 0; border-bottom: 1px solid var(--line); display: flex; gap: 16px; align-items: center; flex-wrap: wrap; z-index: 1; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); } .finding.info { border-left-color: var(--info); }
.finding header { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.finding .message { margin: 6px 0; font-weight: 600; }
.finding .help { margin: 6px 0; }
.snippet { background: #f9fafb; border: 1px solid var(--line); border-radius: 4px; padding: 6px 0; overflow-x: auto; margin: 6px 0; }
.snippet div { white-space: pre; padding: 0 8px; }
.snippet .ln { display: inline-block; min-width: 3em; color: var(--muted); user-select: none; }
.snippet .hit { background: #fef0c7; }
.snippet mark { background: #fdb022; color: inherit; }
.snippet .label { color: var(--error); }
.related { margin: 6px 0; padding-left: 18px; }
[hidden] { display: none !important; }
"#;

const SCRIPT: &str = r#"
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var findings = Array.prototype.slice.call(document.querySelectorAll('.finding'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('.group'));
  var shown = document.getElementById('shown');
  function apply() {
    var severities = {};
    Array.prototype.forEach.call(form.querySelectorAll('input[name=severity]'), function (box) {
      severities[box.value] = box.checked;
    });
    var rule = form.querySelector('select[name=rule]').value;
    var count = 0;
    findings.forEach(function (f) {
      var visible = severities[f.getAttribute('data-severity')] && (rule === '' || f.getAttribute('data-rule') === rule);
      f.hidden = !visible;
      if (visible) count++;
    });
    groups.forEach(function (g) { g.hidden = !g.querySelector('.finding:not([hidden])'); });
    shown.textContent = 'showing ' + count + ' of ' + findings.length + ' findings';
  }
  form.addEventListener('change', apply);
  apply();
})();
"#;

pub fn render(outcome: &Outcome) -> String {
    super::to_string(|out| write(outcome, out))
}

pub fn write(outcome: &Outcome, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let project = &outcome.project;
    let sources = &project.sources;
    let summary = Summary::of(outcome);
    let groups = groups(outcome);
    let mut out = Sink::new(out);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Nothing may be loaded: styles and the script are inline.
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<title>forcelint report</title>\n");
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    let _ = writeln!(
        out,
        "<h1>forcelint report</h1>\n<p>{}</p>\n<p class=\"muted\">forcelint {}</p>",
        esc(&summary.to_string()),
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("<div class=\"counts\">\n");
    for (class, label, n) in [
        ("error", "errors", summary.errors),
        ("warning", "warnings", summary.warnings),
        ("info", "info", summary.infos),
        ("", "suppressed", summary.suppressed),
        ("", "in the baseline", summary.baselined),
        ("", "apps", summary.total_apps()),
        ("", "files", summary.files),
    ] {
        let class = if class.is_empty() { "count".to_string() } else { format!("count {class}") };
        let _ = writeln!(out, "<div class=\"{class}\"><b>{n}</b>{label}</div>");
    }
    out.push_str("</div>\n");
    for note in &outcome.notes {
        let _ = writeln!(out, "<p class=\"note\"><strong>Note:</strong> {}</p>", esc(note));
    }

    apps_table(&mut out, outcome, &groups);

    out.push_str("<h2 id=\"findings\">Findings</h2>\n");
    if outcome.findings.is_empty() {
        out.push_str("<p>No findings.</p>\n");
    } else {
        filters(&mut out, outcome);
        for (i, group) in groups.iter().enumerate() {
            if !group.findings.is_empty() {
                render_group(&mut out, sources, i, group);
            }
        }
    }

    if !outcome.suppressed.is_empty() {
        out.push_str("<h2 id=\"suppressed\">Suppressed findings</h2>\n<div class=\"table\"><table>\n<tr><th>severity</th><th>rule</th><th>app</th><th>where</th><th>message</th><th>suppressed by</th><th>reason</th></tr>\n");
        for (f, s) in &outcome.suppressed {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td><a href=\"#rule-{}\"><code>{}</code></a></td><td>{}</td><td><code title=\"{}\">{}</code></td><td>{}</td><td>{} <code>{}</code></td><td>{}</td></tr>",
                f.severity.name(),
                esc(f.rule),
                esc(f.rule),
                f.app.as_ref().map(|a| esc(&a.name)).unwrap_or_default(),
                esc(&location_text(sources, f.primary.loc)),
                esc(&short_location(sources, f.primary.loc)),
                code_spans(&f.message),
                if s.inline { "inline comment" } else { "config" },
                esc(&short_location(sources, s.loc)),
                esc(&s.reason)
            );
        }
        out.push_str("</table></div>\n");
    }

    rules_section(&mut out, outcome);
    let _ = writeln!(out, "<script>{SCRIPT}</script>\n</body>\n</html>");
    out.finish()
}

/// The app inventory: one row per app of the project.
fn apps_table(out: &mut Sink, outcome: &Outcome, groups: &[Group]) {
    let project = &outcome.project;
    let sources = &project.sources;
    out.push_str("<h2 id=\"apps\">Apps</h2>\n");
    if project.apps.is_empty() {
        out.push_str("<p>No connected apps or external client apps were found.</p>\n");
        return;
    }
    out.push_str("<div class=\"table\"><table>\n<tr><th>app</th><th>type</th><th>purpose</th><th>session timeout</th><th>refresh tokens</th><th>IP relaxation</th><th>profiles</th><th>findings</th></tr>\n");
    // The first groups are the project's apps, in this order.
    let classified: Vec<_> = project.classified_apps().collect();
    // Apps with findings first (errors, then warnings, then infos); `group-{i}` links stay.
    let mut order: Vec<(usize, &Group)> = groups.iter().enumerate().collect();
    order.sort_by_key(|(_, g)| {
        let none = |s: Severity| g.findings.iter().all(|f| f.severity != s);
        (none(Severity::Error), none(Severity::Warning), none(Severity::Info))
    });
    for (i, group) in order {
        let Subject::App { purpose, app: Some(app), .. } = &group.subject else { continue };
        let class = classified.get(i).filter(|(a, _)| std::ptr::eq(*a, *app)).map(|(_, c)| *c);
        let evidence: Vec<String> = class
            .map(|c| {
                c.evidence
                    .iter()
                    .map(|e| {
                        format!(
                            "<li>{} <span class=\"muted where\">{}</span></li>",
                            code_spans(&e.text),
                            esc(&at(sources, e.loc))
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        let findings = if group.findings.is_empty() {
            "none".to_string()
        } else {
            format!("<a href=\"#group-{i}\">{}</a>", esc(&counts(group)))
        };
        // From the findings, else from the config (an app without findings).
        let configured = outcome.config.app(&app.name).and_then(|a| a.owner.as_ref()).map(|o| o.get_ref().as_str());
        let owner = match group.app_ref().and_then(|a| a.owner.as_deref()).or(configured) {
            Some(owner) => format!("<br><span class=\"muted where\">owner: {}</span>", esc(owner)),
            None => String::new(),
        };
        let suppressed = match group.suppressed.len() {
            0 => String::new(),
            n => format!("<br><span class=\"muted\">{n} suppressed</span>"),
        };
        let _ = writeln!(
            out,
            "<tr><td><strong>{}</strong><br><span class=\"muted where\">{}</span>{owner}</td><td>{}</td><td>{}<ul>{}</ul></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{findings}{suppressed}</td></tr>",
            esc(&app.name),
            esc(&file_name(sources, app.anchor.file)),
            app.kind.describe(),
            purpose.name(),
            evidence.join(""),
            session_timeout(outcome, app),
            refresh_tokens(app),
            ip_relaxation(app),
            profiles(app)
        );
    }
    out.push_str("</table></div>\n");
}

/// `File.xml:12`.
fn at(sources: &Sources, loc: Location) -> String {
    format!("{}:{}", file_name(sources, loc.file), sources.get(loc.file).line_col(loc.span.start).line)
}

fn session_timeout(outcome: &Outcome, app: &App) -> String {
    let project = &outcome.project;
    let sources = &project.sources;
    let timeout = crate::rules::effective_timeout(project, &crate::rules::Options::from_config(&outcome.config), app);
    let source = match &timeout.source {
        TimeoutSource::App(loc) => format!("the app's own setting ({})", esc(&at(sources, *loc))),
        TimeoutSource::Profile { profile, loc } => {
            format!("profile <code>{}</code> session setting ({})", esc(profile), esc(&at(sources, *loc)))
        }
        TimeoutSource::Org(loc) => format!("the org's <code>Security.settings</code> ({})", esc(&at(sources, *loc))),
        TimeoutSource::Default => "Salesforce's default: nothing in the repository sets it".to_string(),
    };
    format!("{}<br><span class=\"muted where\">from {source}</span>", esc(&fmt_minutes(timeout.minutes)))
}

/// A policy in words (the inventory's), and the value as written when it is set.
fn policy(words: String, raw: Option<&str>) -> String {
    match raw {
        Some(raw) => format!("{}<br><code>{}</code>", esc(&words), esc(raw)),
        None => esc(&words),
    }
}

fn refresh_tokens(app: &App) -> String {
    let Some(oauth) = &app.oauth else { return "<span class=\"muted\">no OAuth settings</span>".into() };
    policy(inventory::refresh_token_policy(app), oauth.refresh_token.as_set().map(|v| v.raw.as_str()))
}

fn ip_relaxation(app: &App) -> String {
    let Some(oauth) = &app.oauth else { return "<span class=\"muted\">no OAuth settings</span>".into() };
    policy(inventory::ip_relaxation(app), oauth.ip_relaxation.as_set().map(|v| v.raw.as_str()))
}

fn profiles(app: &App) -> String {
    if app.profiles.is_empty() {
        return "<span class=\"muted\">none</span>".into();
    }
    let items: Vec<String> = app.profiles.iter().map(|p| format!("<li>{}</li>", esc(&p.value))).collect();
    let shown = crate::inventory::PROFILES_SHOWN;
    if items.len() <= shown {
        return format!("<ul>{}</ul>", items.join(""));
    }
    // A long list would make the row taller than a screen: the rest folds away.
    format!(
        "<ul>{}</ul><details><summary>+{} more</summary><ul>{}</ul></details>",
        items[..shown].join(""),
        items.len() - shown,
        items[shown..].join("")
    )
}

/// "2 errors, 1 warning"
fn counts(group: &Group) -> String {
    let parts: Vec<String> = SEVERITIES
        .into_iter()
        .filter_map(|s| {
            let n = group.count(s);
            (n > 0).then(|| format!("{n} {}{}", s.name(), if n == 1 || s == Severity::Info { "" } else { "s" }))
        })
        .collect();
    parts.join(", ")
}

fn filters(out: &mut Sink, outcome: &Outcome) {
    out.push_str("<form id=\"filters\" class=\"filters\"><span>Severity:</span>\n");
    for s in SEVERITIES {
        let n = outcome.findings.iter().filter(|f| f.severity == s).count();
        let _ = writeln!(
            out,
            "<label><input type=\"checkbox\" name=\"severity\" value=\"{0}\" checked> <span class=\"badge {0}\">{0}</span> ({n})</label>",
            s.name()
        );
    }
    out.push_str("<label>Rule: <select name=\"rule\"><option value=\"\">all rules</option>");
    for rule in RULES {
        let n = outcome.findings.iter().filter(|f| f.rule == rule.id).count();
        if n > 0 {
            let _ = write!(out, "<option value=\"{0}\">{0} ({n})</option>", esc(rule.id));
        }
    }
    out.push_str("</select></label>\n<span id=\"shown\" class=\"muted\"></span>\n</form>\n");
}

fn render_group(out: &mut Sink, sources: &Sources, index: usize, group: &Group) {
    let _ = writeln!(out, "<section class=\"group\" id=\"group-{index}\">");
    match &group.subject {
        Subject::App { name, kind, purpose, .. } => {
            let _ = writeln!(out, "<h3>{} <small>{}, {}</small></h3>", esc(name), kind.describe(), purpose.name());
            if let Some(app) = group.app_ref() {
                let _ = writeln!(out, "<p class=\"muted\">{}</p>", code_spans(&purpose_note(sources, app)));
                if let Some(owner) = &app.owner {
                    let _ = writeln!(out, "<p class=\"muted\">Owner: {}</p>", esc(owner));
                }
                for note in &app.notes {
                    let _ = writeln!(out, "<p class=\"muted\">Note: {}</p>", code_spans(note));
                }
            }
        }
        Subject::File(id) => {
            let _ = writeln!(out, "<h3><code>{}</code></h3>", esc(&report_path(sources, *id)));
        }
    }
    for f in &group.findings {
        render_finding(out, sources, f);
    }
    out.push_str("</section>\n");
}

fn render_finding(out: &mut Sink, sources: &Sources, f: &Finding) {
    let severity = f.severity.name();
    let _ = writeln!(
        out,
        "<article class=\"finding {severity}\" data-severity=\"{severity}\" data-rule=\"{}\">",
        esc(f.rule)
    );
    let _ = writeln!(
        out,
        "<header><span class=\"badge {severity}\">{severity}</span> <a href=\"#rule-{0}\"><code>{0}</code></a> <code class=\"muted\">{1}</code></header>",
        esc(f.rule),
        esc(&location_text(sources, f.primary.loc))
    );
    let _ = writeln!(out, "<p class=\"message\">{}</p>", code_spans(&f.message));
    if let Some(help) = &f.help {
        let _ = writeln!(out, "<p class=\"help\"><strong>Fix:</strong> {}</p>", code_spans(help));
    }
    out.push_str(&snippet_html(sources, &f.primary, CONTEXT, true));
    if !f.related.is_empty() {
        out.push_str("<ul class=\"related\">\n");
        for l in &f.related {
            let _ = writeln!(
                out,
                "<li>related: <code>{}</code> {}{}</li>",
                esc(&location_text(sources, l.loc)),
                code_spans(&l.text),
                snippet_html(sources, l, 0, false)
            );
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</article>\n");
}

/// The lines around a label; the label's lines highlighted, a one-line span marked and
/// underlined, with the label's text when `caption`.
fn snippet_html(sources: &Sources, label: &Label, context: usize, caption: bool) -> String {
    let lines = snippet::around(sources, label.loc, context);
    if lines.is_empty() {
        return String::new();
    }
    let last_marked = lines.iter().rposition(|l| l.marked);
    let mut out = String::from("<div class=\"snippet\">");
    for (i, Line { number, text, marked, underline }) in lines.iter().enumerate() {
        let class = if *marked { " class=\"hit\"" } else { "" };
        let body = match underline {
            Some((col, len)) => {
                let chars: Vec<char> = text.chars().collect();
                let from = (*col).min(chars.len());
                let to = (col + len).min(chars.len());
                let part = |a: usize, b: usize| esc(&chars[a..b].iter().collect::<String>());
                format!("{}<mark>{}</mark>{}", part(0, from), part(from, to), part(to, chars.len()))
            }
            None => esc(text),
        };
        let _ = write!(out, "<div{class}><span class=\"ln\">{number}</span>{body}</div>");
        let caption = if caption { esc(&label.text.replace(['\n', '\r'], " ")) } else { String::new() };
        match underline {
            Some((col, len)) => {
                let _ = write!(
                    out,
                    "<div class=\"label\"><span class=\"ln\"></span>{}{} {caption}</div>",
                    " ".repeat(*col),
                    "^".repeat(*len)
                );
            }
            None if Some(i) == last_marked && !caption.is_empty() => {
                let _ = write!(out, "<div class=\"label\"><span class=\"ln\"></span>= {caption}</div>");
            }
            None => {}
        }
    }
    out.push_str("</div>\n");
    out
}

/// Escaped text with the author's `code spans` as `<code>`.
fn code_spans(text: &str) -> String {
    super::code_spans(text)
        .into_iter()
        .map(|span| match span {
            Span::Code(code) => format!("<code>{}</code>", esc(code)),
            Span::Tick => "`".to_string(),
            Span::Text(text) => esc(text),
        })
        .collect()
}

/// The rules that have findings: summary, what they check, where the full page is.
fn rules_section(out: &mut Sink, outcome: &Outcome) {
    let used: Vec<_> = RULES
        .iter()
        .filter(|r| outcome.findings.iter().chain(outcome.suppressed.iter().map(|(f, _)| f)).any(|f| f.rule == r.id))
        .collect();
    if used.is_empty() {
        return;
    }
    out.push_str("<h2 id=\"rules\">Rules</h2>\n");
    for rule in used {
        let _ = writeln!(
            out,
            "<section id=\"rule-{0}\"><h3><code>{0}</code> <small>default severity: {1}</small></h3>\n<p><strong>{2}</strong></p>\n<p>{3}</p>\n<p class=\"muted\">The full page, with examples and the fix: <code>rules/{0}.md</code> in the forcelint repository, or <code>forcelint explain {0}</code>.</p></section>",
            esc(rule.id),
            rule.default_severity.name(),
            esc(rule.summary),
            code_spans(&rule_description(rule))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_are_escaped() {
        assert_eq!(code_spans("set `<a>` & `b"), "set <code>&lt;a&gt;</code> &amp; `b");
    }
}

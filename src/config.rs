//! `forcelint.toml`: what apps are for, rule severities and options, accepted risks.
//!
//! Unknown keys are rejected; every error points at its place in the TOML.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::finding::Severity;
use crate::ip::IpNet;
use crate::model::Purpose;
use crate::model::literals::did_you_mean;
use crate::rules::{RULES, Rule};
use crate::xml::Span;

pub const FILE_NAME: &str = "forcelint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Public IPs or CIDR ranges integrations call from, unless an app says otherwise.
    #[serde(default)]
    pub egress_ips: Vec<Spanned<String>>,
    /// Path globs, relative to the config file, that are never read.
    #[serde(default)]
    pub exclude: Vec<Spanned<String>>,
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, RuleConfig>,
    #[serde(default)]
    pub apps: BTreeMap<Spanned<String>, AppConfig>,
    #[serde(default)]
    pub ignore: Vec<IgnoreEntry>,
}

/// `[rules.<id>]`. Options that belong to another rule are refused after parsing.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleConfig {
    pub severity: Option<Spanned<Level>>,
    /// `short-session-timeout`
    pub minimum_minutes: Option<Spanned<u32>>,
    /// `expiring-refresh-token`
    pub minimum_inactivity_days: Option<Spanned<u32>>,
}

/// Options and the rules they belong to.
const RULE_OPTIONS: [(&str, &str); 2] =
    [("minimum-minutes", "short-session-timeout"), ("minimum-inactivity-days", "expiring-refresh-token")];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// `[apps.<fullName>]`
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AppConfig {
    pub purpose: Option<Spanned<String>>,
    pub egress_ips: Option<Vec<Spanned<String>>>,
    pub owner: Option<Spanned<String>>,
    /// The integration user's profile, when the app's metadata does not say.
    pub profile: Option<Spanned<String>>,
    /// How many workers share the app's refresh token (`refresh-token-rotation`).
    pub workers: Option<Spanned<u32>>,
}

/// `[[ignore]]`: an accepted risk.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IgnoreEntry {
    pub rule: Spanned<String>,
    pub app: Option<Spanned<String>>,
    pub path: Option<Spanned<String>>,
    pub reason: Spanned<String>,
    pub expires: Option<Spanned<toml::value::Datetime>>,
}

/// A config that failed to load, with where and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub text: String,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// A loaded, validated config and where it came from.
#[derive(Debug, Default)]
pub struct Loaded {
    pub path: Option<PathBuf>,
    pub text: String,
    pub config: Config,
    /// Parsed `egress-ips`, project-wide and per app.
    pub egress: Vec<IpNet>,
    pub app_egress: BTreeMap<String, Vec<IpNet>>,
    pub excludes: Vec<glob::Pattern>,
}

impl Loaded {
    pub fn base_dir(&self) -> Option<&Path> {
        self.path.as_deref().and_then(Path::parent)
    }

    pub fn app(&self, name: &str) -> Option<&AppConfig> {
        self.config.apps.iter().find(|(k, _)| k.get_ref() == name).map(|(_, v)| v)
    }

    pub fn rule(&self, id: &str) -> Option<&RuleConfig> {
        self.config.rules.iter().find(|(k, _)| k.get_ref() == id).map(|(_, v)| v)
    }
}

/// Reads and validates a config file the user named (`--config`): a link is followed.
pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
    load_with(path, crate::source::read_text)
}

/// Reads and validates a config file found by looking in the repository: a link is
/// refused, unread (see `source::read_found`).
pub fn load_found(path: &Path) -> Result<Loaded, ConfigError> {
    load_with(path, crate::source::read_found_text).map_err(|mut e| {
        if e.message.ends_with(crate::source::LINK_REFUSED) {
            e.message.push_str("; to use the file it points to, name it with `--config`");
        }
        e
    })
}

fn load_with(path: &Path, read: fn(&Path, u64) -> std::io::Result<String>) -> Result<Loaded, ConfigError> {
    // Globs are relative to the config's folder, which must be absolute like scanned paths.
    let path = &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = read(path, crate::source::MAX_CONFIG_SIZE).map_err(|e| ConfigError {
        path: path.to_path_buf(),
        text: String::new(),
        span: Span::default(),
        message: format!("cannot read the config: {e}"),
        help: None,
    })?;
    parse(path, text)
}

pub fn parse(path: &Path, text: String) -> Result<Loaded, ConfigError> {
    let fail = |span: Span, message: String, help: Option<String>| ConfigError {
        path: path.to_path_buf(),
        text: text.clone(),
        span,
        message,
        help,
    };
    let config: Config = match toml::from_str(&text) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().map_or(Span::default(), |r| Span::new(r.start, r.end));
            let message = e.message().trim().to_string();
            let help = suggest_field(&message);
            return Err(fail(span, message, help));
        }
    };
    let span_of = |s: &Spanned<String>| Span::new(s.span().start, s.span().end);

    for (id, rule) in &config.rules {
        let Some(known) = crate::rules::find(id.get_ref()) else {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            return Err(fail(
                span_of(id),
                format!("unknown rule `{}`", id.get_ref()),
                Some(hint(did_you_mean(id.get_ref(), &ids), "`forcelint rules` lists the rules")),
            ));
        };
        check_options(known, rule).map_err(|(span, message)| fail(span, message, None))?;
    }

    let mut app_egress = BTreeMap::new();
    for (name, app) in &config.apps {
        if let Some(purpose) = &app.purpose
            && Purpose::from_name(purpose.get_ref()).is_none()
        {
            let names: Vec<&str> = Purpose::ALL.iter().map(|p| p.name()).collect();
            return Err(fail(
                span_of(purpose),
                format!("unknown purpose `{}`", purpose.get_ref()),
                Some(hint(
                    did_you_mean(purpose.get_ref(), &names),
                    "purposes: integration, offline, interactive, unmanaged",
                )),
            ));
        }
        if let Some(workers) = &app.workers
            && *workers.get_ref() == 0
        {
            return Err(fail(
                Span::new(workers.span().start, workers.span().end),
                "`workers` must be at least 1".into(),
                Some("the number of processes that share the app's refresh token".into()),
            ));
        }
        if let Some(ips) = &app.egress_ips {
            let nets =
                ips.iter().map(|s| parse_ip(s).map_err(|m| fail(span_of(s), m, None))).collect::<Result<_, _>>()?;
            app_egress.insert(name.get_ref().clone(), nets);
        }
    }
    let egress = config
        .egress_ips
        .iter()
        .map(|s| parse_ip(s).map_err(|m| fail(span_of(s), m, None)))
        .collect::<Result<Vec<_>, _>>()?;
    let excludes = config
        .exclude
        .iter()
        .map(|s| glob::Pattern::new(s.get_ref()).map_err(|e| fail(span_of(s), format!("invalid glob: {e}"), None)))
        .collect::<Result<Vec<_>, _>>()?;

    for entry in &config.ignore {
        let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        if crate::rules::find(entry.rule.get_ref()).is_none() {
            return Err(fail(
                span_of(&entry.rule),
                format!("unknown rule `{}`", entry.rule.get_ref()),
                Some(hint(did_you_mean(entry.rule.get_ref(), &ids), "`forcelint rules` lists the rules")),
            ));
        }
        if entry.app.is_none() && entry.path.is_none() {
            return Err(fail(
                span_of(&entry.rule),
                "an `[[ignore]]` entry needs `app` or `path`".into(),
                Some("name the app (`app = \"Nightly_Sync\"`) or the files (`path = \"force-app/**/Legacy*\"`)".into()),
            ));
        }
        if let Some(p) = &entry.path {
            glob::Pattern::new(p.get_ref()).map_err(|e| fail(span_of(p), format!("invalid glob: {e}"), None))?;
        }
        if entry.reason.get_ref().trim().is_empty() {
            return Err(fail(
                span_of(&entry.reason),
                "the reason is empty".into(),
                Some("say why the risk is accepted".into()),
            ));
        }
        if let Some(expires) = &entry.expires
            && (expires.get_ref().date.is_none() || expires.get_ref().time.is_some())
        {
            return Err(fail(
                Span::new(expires.span().start, expires.span().end),
                "`expires` must be a date".into(),
                Some("write it as a TOML date: `expires = 2026-06-30`".into()),
            ));
        }
    }
    Ok(Loaded { path: Some(path.to_path_buf()), text, config, egress, app_egress, excludes })
}

fn check_options(rule: &Rule, config: &RuleConfig) -> Result<(), (Span, String)> {
    let set: [(&str, Option<std::ops::Range<usize>>); 2] = [
        ("minimum-minutes", config.minimum_minutes.as_ref().map(Spanned::span)),
        ("minimum-inactivity-days", config.minimum_inactivity_days.as_ref().map(Spanned::span)),
    ];
    for (option, span) in set {
        let Some(span) = span else { continue };
        let owner = RULE_OPTIONS.iter().find(|(o, _)| *o == option).map(|(_, r)| *r);
        if owner != Some(rule.id) {
            let owner = owner.map(|o| format!(" (it belongs to `{o}`)")).unwrap_or_default();
            return Err((
                Span::new(span.start, span.end),
                format!("`{option}` is not an option of `{}`{owner}", rule.id),
            ));
        }
    }
    Ok(())
}

fn parse_ip(s: &Spanned<String>) -> Result<IpNet, String> {
    s.get_ref().parse::<IpNet>().map_err(|e| format!("`{}` is not an IP address or CIDR range: {e}", s.get_ref()))
}

fn hint(suggestion: Option<String>, otherwise: &str) -> String {
    match suggestion {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise.to_string(),
    }
}

/// serde words unknown keys as "unknown field `x`, expected one of `a`, `b`": suggest the
/// closest of the expected ones.
fn suggest_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, expected) = rest.split_once('`')?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    did_you_mean(field, &candidates).map(|s| format!("did you mean `{s}`?"))
}

/// Finds the config: `--config`, else `forcelint.toml` in `dir` (see
/// `discover::config_dir`), which must be a file there, not a link.
pub fn discover(explicit: Option<&Path>, dir: &Path) -> Result<Loaded, ConfigError> {
    match explicit {
        Some(path) => load(path),
        None => {
            let path = dir.join(FILE_NAME);
            if crate::source::present(&path) { load_found(&path) } else { Ok(Loaded::default()) }
        }
    }
}

#[cfg(test)]
mod tests;

/// A commented starter config: every rule with its default, and every app found with its
/// detected purpose.
pub fn starter(project: &crate::model::Project) -> String {
    use std::fmt::Write;
    let mut out = String::from(
        "# forcelint configuration. Docs: `forcelint explain <rule>`; every key is optional.\n\n\
         # Public IPs or CIDR ranges your integrations call Salesforce from. With them,\n\
         # `enforced-ip-restrictions` checks the profiles' login IP ranges exactly.\n\
         # egress-ips = [\"203.0.113.10\", \"2001:db8::/48\"]\n\n\
         # Paths (globs, relative to this file) that are never read.\n\
         # exclude = [\"force-app/main/legacy/**\"]\n\n",
    );
    for rule in RULES {
        let _ = writeln!(out, "# {}", rule.summary);
        let _ = writeln!(out, "[rules.{}]", rule.id);
        let _ = writeln!(out, "# severity = \"{}\"  # error | warning | info | off", rule.default_severity.name());
        if let Some((option, _)) = RULE_OPTIONS.iter().find(|(_, r)| *r == rule.id) {
            let example = match *option {
                "minimum-minutes" => "# minimum-minutes = 120  # shorter effective session timeouts are reported",
                _ => "# minimum-inactivity-days = 30  # longer inactivity windows are accepted",
            };
            let _ = writeln!(out, "{example}");
        }
        out.push('\n');
    }
    let mut written = std::collections::BTreeSet::new();
    for (app, class) in project.classified_apps() {
        // Config is keyed by name: two apps of one name (in two package directories, or in
        // source and metadata format) get one section, as a second would be a duplicate key.
        if !written.insert(&app.name) {
            continue;
        }
        let about = format!("{} `{}`: detected as {}", app.kind.describe(), app.name, class.summary());
        let _ = writeln!(out, "# {}", comment_text(&about));
        let _ = writeln!(out, "[apps.{}]", toml_key(&app.name));
        let _ = writeln!(
            out,
            "# purpose = \"{}\"  # integration | offline | interactive | unmanaged",
            class.purpose.name()
        );
        let _ = writeln!(out, "# egress-ips = []");
        let _ = writeln!(out, "# owner = \"team@example.org\"");
        let _ = writeln!(
            out,
            "# profile = \"Integration User\"  # the integration user's profile, if not assigned in metadata"
        );
        let _ = writeln!(out, "# workers = 1  # how many workers share one refresh token");
        out.push('\n');
    }
    out.push_str(
        "# Accepted risks. Keyed by app and rule, so they survive `sf project retrieve`.\n\
         # [[ignore]]\n\
         # rule = \"enforced-ip-restrictions\"\n\
         # app = \"Some_App\"\n\
         # reason = \"egress IPs are in the profile's ranges; checked with the network team\"\n\
         # expires = 2027-06-30\n",
    );
    out
}

/// A bare key where TOML allows one, else a quoted key.
fn toml_key(name: &str) -> String {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return name.to_string();
    }
    // TOML's escapes, not Rust's (`{:?}` wrote `\u{7f}`, which TOML refuses).
    let mut key = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => key.push_str("\\\""),
            '\\' => key.push_str("\\\\"),
            c if c.is_control() => key.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => key.push(c),
        }
    }
    key.push('"');
    key
}

/// Text for a TOML comment: control characters, which TOML refuses there (a line break
/// would end the comment), are shown escaped.
fn comment_text(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() && c != '\t' { c.escape_unicode().to_string() } else { c.to_string() })
        .collect()
}

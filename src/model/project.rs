//! The whole project: all apps joined across files, the org context they inherit from,
//! and what each app is for.

use std::collections::BTreeMap;

use super::build::{BuiltFile, EcaPart};
use super::purpose::{Classification, Purpose, classify};
use super::{
    App, AppKind, ConnectedAppSettings, FlowSwitch, FlowSwitches, MetadataKind, OAuth, OauthOidc, OrgSettings,
    ParseFailure, PermissionSet, Problem, Profile, ProfileSessionSetting, Setting, Value,
};
use crate::source::{FileId, Location, Sources};
use crate::suppress::Suppression;

#[derive(Debug, Default)]
pub struct Project {
    pub sources: Sources,
    pub apps: Vec<App>,
    pub purposes: Vec<Classification>,
    /// The first `Security.settings` by path; more than one is unusual.
    pub org: Option<OrgSettings>,
    /// The first `OauthOidc.settings` by path.
    pub oauth_oidc: Option<OauthOidc>,
    /// The first `ConnectedApp.settings` by path.
    pub connected_app_settings: Option<ConnectedAppSettings>,
    pub profiles: Vec<Profile>,
    /// The permission sets apps assign (only those are read).
    pub permission_sets: Vec<PermissionSet>,
    pub session_settings: Vec<ProfileSessionSetting>,
    pub problems: Vec<Problem>,
    pub parse_failures: Vec<ParseFailure>,
    /// The `<!-- forcelint: ignore[...] -->` comments of every file.
    pub inline_suppressions: Vec<Suppression>,
    /// forcelint.toml as a source, so that findings can point into it.
    pub config_file: Option<FileId>,
}

/// Where an app's effective session timeout comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeoutSource {
    App(Location),
    Profile {
        profile: String,
        loc: Location,
    },
    Org(Location),
    /// Nothing in the repository sets it: Salesforce's default of two hours applies.
    Default,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveTimeout {
    pub minutes: u32,
    pub source: TimeoutSource,
}

/// Salesforce's org default session timeout (Security Implementation Guide).
pub const DEFAULT_SESSION_TIMEOUT: u32 = 120;

/// Standard profiles: the file (API) name differs from the name shown in Setup, which is
/// what `profileName` holds.
const STANDARD_PROFILES: [(&str, &str); 6] = [
    ("Admin", "System Administrator"),
    ("Standard", "Standard User"),
    ("ReadOnly", "Read Only"),
    ("MarketingProfile", "Marketing User"),
    ("ContractManager", "Contract Manager"),
    ("SolutionManager", "Solution Manager"),
];

/// Whether two names are the same profile. Every comparison of profile names goes through
/// here. Names come written in several ways: `profileName`, `commaSeparatedProfile` and a
/// session setting's `<profile>` hold the name Setup shows, in any case (`core sales
/// administration - sb`); a profile's file holds its API name, which for standard profiles
/// differs (`Admin` for `System Administrator`); and a session setting whose `<profile>` is
/// nil names it only in its file name, where each run of characters other than ASCII
/// letters and digits became one `_` (`Core_Sales_Administration_SB`). So names are the
/// same when they are equal ignoring case, or have the same ASCII words ignoring case,
/// standard profiles by either name.
pub fn same_profile(a: &str, b: &str) -> bool {
    if a.to_lowercase() == b.to_lowercase() {
        return true;
    }
    let (a, b) = (profile_key(a), profile_key(b));
    !a.is_empty() && a == b
}

/// A permission set an app assigns (`permissionSetName`) and one of the repository, by its
/// API name: retrieves write the assignment as the set's label or its API name, in any case
/// (`Integration User - Service Now` is `Integration_User_Service_Now`). So, as for
/// profiles, names are the same when equal ignoring case or made of the same ASCII words.
pub fn same_permission_set(assigned: &str, api_name: &str) -> bool {
    let key = ascii_words(assigned);
    assigned.to_lowercase() == api_name.to_lowercase() || (!key.is_empty() && key == ascii_words(api_name))
}

/// A name's ASCII words, lower-cased and joined by one space.
fn ascii_words(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A profile name's ASCII words, lower-cased and joined by one space; a standard profile's
/// by its API name.
fn profile_key(name: &str) -> String {
    let key = ascii_words(name);
    STANDARD_PROFILES.iter().find(|(_, label)| ascii_words(label) == key).map_or(key, |(api, _)| ascii_words(api))
}

impl Project {
    /// Joins the built files (in path order) into a project. `declared` gives purposes set
    /// in config, by app full name.
    pub fn assemble(
        sources: Sources,
        files: Vec<BuiltFile>,
        mut problems: Vec<Problem>,
        declared: &dyn Fn(&str) -> Option<(Purpose, Location)>,
    ) -> Project {
        let mut apps = Vec::new();
        let mut eca_parts: BTreeMap<String, Vec<EcaPart>> = BTreeMap::new();
        let mut org: Option<OrgSettings> = None;
        let mut oauth_oidc: Option<OauthOidc> = None;
        let mut connected_app_settings: Option<ConnectedAppSettings> = None;
        let mut profiles = Vec::new();
        let mut permission_sets = Vec::new();
        let mut session_settings = Vec::new();
        let mut parse_failures = Vec::new();
        for file in files {
            match file {
                BuiltFile::ConnectedApp(app) => apps.push(*app),
                BuiltFile::EcaPart(part) => match &part.app_name {
                    Some(name) => eca_parts.entry(name.value.clone()).or_default().push(*part),
                    None => problems.push(Problem {
                        loc: part.anchor,
                        message: format!("`{}` has no `externalClientApplication`", part.full_name),
                        label: "this file does not say which app it belongs to".into(),
                        help: "add `<externalClientApplication>AppName</externalClientApplication>` naming the app's `.eca` file".into(),
                    }),
                },
                BuiltFile::OrgSettings(settings) => match &org {
                    // Two would be deployed over each other: which wins is not known.
                    Some(first) => problems.push(conflict(&sources, "`Security.settings`", "the org", first.anchor, settings.anchor)),
                    None => org = Some(settings),
                },
                BuiltFile::OauthOidc(settings) => match &oauth_oidc {
                    Some(first) => problems.push(conflict(&sources, "`OauthOidc.settings`", "the org", first.anchor, settings.anchor)),
                    None => oauth_oidc = Some(settings),
                },
                BuiltFile::ConnectedAppSettings(settings) => match &connected_app_settings {
                    Some(first) => problems.push(conflict(&sources, "`ConnectedApp.settings`", "the org", first.anchor, settings.anchor)),
                    None => connected_app_settings = Some(settings),
                },
                BuiltFile::PermissionSet(p) => permission_sets.push(p),
                BuiltFile::Profile(p) => profiles.push(p),
                BuiltFile::ProfileSessionSetting(s) => session_settings.push(s),
                BuiltFile::Failed(f) => parse_failures.push(f),
            }
        }
        for (name, parts) in &eca_parts {
            for (i, part) in parts.iter().enumerate() {
                if let Some(first) = parts[..i].iter().find(|p| p.kind == part.kind) {
                    let what = format!("`.{}` file", part.kind.suffix());
                    let of = format!("external client app `{name}`");
                    problems.push(conflict(&sources, &what, &of, first.anchor, part.anchor));
                }
            }
        }
        apps.extend(eca_parts.into_iter().map(|(name, parts)| assemble_eca(name, parts)));
        apps.sort_by(|a, b| (sources.path(a.anchor.file), &a.name).cmp(&(sources.path(b.anchor.file), &b.name)));
        let purposes = apps.iter().map(|app| classify(app, declared(&app.name))).collect();
        Project {
            sources,
            apps,
            purposes,
            org,
            oauth_oidc,
            connected_app_settings,
            profiles,
            permission_sets,
            session_settings,
            problems,
            parse_failures,
            inline_suppressions: Vec::new(),
            config_file: None,
        }
    }

    /// Keeps only the apps `keep` accepts (with their purposes).
    pub fn retain_apps(&mut self, keep: impl Fn(&App) -> bool) {
        let pairs = std::mem::take(&mut self.apps).into_iter().zip(std::mem::take(&mut self.purposes));
        (self.apps, self.purposes) = pairs.filter(|(app, _)| keep(app)).unzip();
    }

    /// Every app with its purpose.
    pub fn classified_apps(&self) -> impl Iterator<Item = (&App, &Classification)> {
        self.apps.iter().zip(&self.purposes)
    }

    /// Apps something runs unattended (integration or offline) that have OAuth settings:
    /// what the reliability rules judge.
    pub fn unattended_apps(&self) -> impl Iterator<Item = (&App, &Classification, &OAuth)> {
        self.classified_apps()
            .filter(|(_, class)| class.purpose.is_unattended())
            .filter_map(|(app, class)| Some((app, class, app.oauth.as_ref()?)))
    }

    /// The profile an app assignment names: by file name or, for standard profiles, by the
    /// name shown in Setup; case-insensitive.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| same_profile(name, &p.name))
    }

    /// The permission set an app assignment names, by API name, case-insensitively.
    pub fn permission_set(&self, name: &str) -> Option<&PermissionSet> {
        self.permission_sets.iter().find(|p| same_permission_set(name, &p.name))
    }

    /// The session setting for a profile: joined on `<profile>` (or, where that is nil, the
    /// name in the file name), as [`same_profile`] compares names. A file whose `<profile>`
    /// names the profile wins over one named by its file name (a stale file of a renamed
    /// profile; real retrieves have both).
    pub fn session_setting(&self, profile: &str) -> Option<&ProfileSessionSetting> {
        let of = |s: &&ProfileSessionSetting| s.profile.as_ref().is_some_and(|p| same_profile(profile, &p.value));
        let mut found = self.session_settings.iter().filter(of);
        let first = found.clone().next();
        found.find(|s| !s.profile_from_file_name).or(first)
    }

    /// The session timeout an app's tokens live with: the app's own, else the shortest
    /// of its assigned profiles' session settings, else the org's, else the default.
    pub fn effective_session_timeout(&self, app: &App) -> EffectiveTimeout {
        let profiles: Vec<&str> = app.profiles.iter().map(|p| p.value.as_str()).collect();
        self.effective_session_timeout_with(app, &profiles)
    }

    /// As `effective_session_timeout`, with the integration user's possible profiles given
    /// (config can name one the metadata does not).
    pub fn effective_session_timeout_with(&self, app: &App, profiles: &[&str]) -> EffectiveTimeout {
        if let Setting::Set(v) = &app.session_timeout {
            return EffectiveTimeout { minutes: v.value, source: TimeoutSource::App(v.loc) };
        }
        let from_profiles = profiles
            .iter()
            .filter_map(|name| {
                let setting = self.session_setting(name)?;
                let v = setting.session_timeout.as_set()?;
                Some(EffectiveTimeout {
                    minutes: v.value,
                    source: TimeoutSource::Profile { profile: name.to_string(), loc: v.loc },
                })
            })
            .min_by_key(|t| t.minutes);
        if let Some(t) = from_profiles {
            return t;
        }
        if let Some(Setting::Set(v)) = self.org.as_ref().map(|o| &o.session_timeout) {
            return EffectiveTimeout { minutes: v.value, source: TimeoutSource::Org(v.loc) };
        }
        EffectiveTimeout { minutes: DEFAULT_SESSION_TIMEOUT, source: TimeoutSource::Default }
    }
}

/// A second file of what a project has one of (`what` of `of`), at `second`: reported
/// there; the first (by path) is the one judged.
fn conflict(sources: &Sources, what: &str, of: &str, first: Location, second: Location) -> Problem {
    let first_path = sources.path(first.file).display();
    Problem {
        loc: second,
        message: format!("a second {what} for {of}: `{first_path}` is one too, and Salesforce keeps one"),
        label: "a second file".into(),
        help: format!("keep one of the two files; until then forcelint judges `{first_path}`, the first by path"),
    }
}

/// Joins the files of one external client app. Any of them may be missing: the global
/// OAuth settings are usually kept out of git, and the policies file is generated on deploy.
fn assemble_eca(name: String, parts: Vec<EcaPart>) -> App {
    let find = |kind: MetadataKind| parts.iter().find(|p| p.kind == kind);
    let header = find(MetadataKind::ExternalClientApplication);
    let settings = find(MetadataKind::EcaOauthSettings);
    let global = find(MetadataKind::EcaGlobalOauthSettings);
    let policies = find(MetadataKind::EcaOauthPolicies);
    let anchor = header.unwrap_or(&parts[0]).anchor;

    let mut notes = Vec::new();
    let oauth_parts: Vec<&EcaPart> = [settings, global, policies].into_iter().flatten().collect();
    let oauth = oauth_parts.first().map(|first| {
        if policies.is_none() {
            notes.push(
                "no `.ecaOauthPlcy` file: Salesforce generates the OAuth policies on deploy; its defaults are not documented (IP restrictions taken to be enforced, as for connected apps; generated policies have been seen with refresh tokens that expire 365 days after issue)"
                    .to_string(),
            );
        }
        if settings.is_none() {
            notes.push(
                "no `.ecaOauth` file: the app's OAuth scopes are not in the repository, so what it is for cannot be detected; declare it with `purpose` under `[apps.<name>]` in forcelint.toml"
                    .to_string(),
            );
        }
        if global.is_none() {
            notes.push(
                "no `.ecaGlblOauth` file (often kept out of source control): a JWT certificate or client-credentials setting there is not known"
                    .to_string(),
            );
        }
        // The policies file has the last word on whether a flow is on; without it, the
        // global settings say.
        let pick = |f: fn(&EcaPart) -> Option<&Value<bool>>| {
            policies.and_then(f).or_else(|| global.and_then(f)).cloned()
        };
        let policy = policies.map(|p| p.anchor).unwrap_or(anchor);
        OAuth {
            config: settings.unwrap_or(first).anchor,
            scopes: settings.map(|s| s.scopes.clone()).unwrap_or_default(),
            certificate: global.and_then(|g| g.certificate),
            client_credentials: pick(|p| p.client_credentials.as_ref()),
            run_as_user: policies.and_then(|p| p.run_as_user.clone()),
            refresh_rotation: global.and_then(|g| g.refresh_rotation.clone()),
            pkce: global.and_then(|g| g.pkce.clone()),
            scopes_known: settings.is_some(),
            certificate_known: global.is_some(),
            trusted_ranges: settings.map(|s| s.trusted_ranges.clone()).unwrap_or_default(),
            policy,
            policy_present: policies.is_some(),
            ip_relaxation: policies.map(|p| p.ip_relaxation.clone()).unwrap_or_default(),
            refresh_token: policies.map(|p| p.refresh_token.clone()).unwrap_or_default(),
            refresh_token_details: policies.map(|p| p.refresh_token_details.clone()).unwrap_or_default(),
            client_credentials_switches: Some(FlowSwitches {
                global: FlowSwitch {
                    file: global.map(|g| g.anchor),
                    value: global.and_then(|g| g.client_credentials.clone()),
                },
                policy: FlowSwitch {
                    file: policies.map(|p| p.anchor),
                    value: policies.and_then(|p| p.client_credentials.clone()),
                },
            }),
            admin_approved: policies.and_then(|p| p.admin_approved.clone()),
            consumer_key: None,
            idle_refresh_ttl: global.and_then(|g| g.idle_refresh_ttl.clone()),
            named_user_jwt: global.and_then(|g| g.named_user_jwt.clone()).or_else(|| policies.and_then(|p| p.named_user_jwt.clone())),
            jwt_timeout: policies.map(|p| p.jwt_timeout.clone()).unwrap_or_default(),
            jwt_timeout_type: policies.and_then(|p| p.jwt_timeout_type.clone()),
            callback_urls: global.map(|g| g.callback_urls.clone()).unwrap_or_default(),
            secret_optional: global.and_then(|g| g.secret_optional.clone()),
            secret_required_for_refresh: global.and_then(|g| g.secret_required_for_refresh.clone()),
        }
    });
    let mut files: Vec<_> = parts.iter().map(|p| p.anchor.file).collect();
    files.sort();
    files.dedup();
    App {
        name,
        kind: AppKind::ExternalClientApp,
        anchor,
        files,
        oauth,
        session_timeout: policies.map(|p| p.session_timeout.clone()).unwrap_or_default(),
        session_level: policies.map(|p| p.session_level.clone()).unwrap_or_default(),
        profiles: policies.map(|p| p.profiles.clone()).unwrap_or_default(),
        permission_sets: policies.map(|p| p.permission_sets.clone()).unwrap_or_default(),
        interactive_features: Vec::new(),
        notes,
        eca_switches: find(MetadataKind::EcaPolicies).map(|p| p.plugin_switches.clone()).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::model::build_file;
    use crate::source::SourceFile;

    const NS: &str = "http://soap.sforce.com/2006/04/metadata";

    fn project(files: &[(&str, MetadataKind, &str, &str)]) -> Project {
        let mut sources = Sources::default();
        let mut built = Vec::new();
        let mut problems = Vec::new();
        for (i, (path, kind, full_name, body)) in files.iter().enumerate() {
            let root = kind.root_element();
            let text = format!("<{root} xmlns=\"{NS}\">{body}</{root}>");
            let doc = crate::xml::parse(&text).unwrap();
            built.push(build_file(FileId(i as u32), *kind, full_name, &doc, &mut problems));
            sources.add(SourceFile::new(PathBuf::from(path), text));
        }
        Project::assemble(sources, built, problems, &|_| None)
    }

    #[test]
    fn a_second_org_settings_or_eca_policies_file_is_a_conflict() {
        let settings = "<sessionSettings><sessionTimeout>TwoHours</sessionTimeout></sessionSettings>";
        let p = project(&[
            ("a/Security.settings-meta.xml", MetadataKind::SecuritySettings, "Security", settings),
            ("b/Security.settings-meta.xml", MetadataKind::SecuritySettings, "Security", settings),
        ]);
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert_eq!(p.problems[0].loc.file, FileId(1), "reported in the second");
        assert!(p.problems[0].message.contains("a/Security.settings-meta.xml"), "{:?}", p.problems);
        assert_eq!(p.org.as_ref().unwrap().file, FileId(0), "the first by path is judged");

        let policy = |v: &str| {
            format!(
                "<externalClientApplication>E</externalClientApplication><refreshTokenPolicyType>{v}</refreshTokenPolicyType>"
            )
        };
        let p = project(&[
            ("a/E.eca-meta.xml", MetadataKind::ExternalClientApplication, "E", ""),
            ("a/E.ecaOauthPlcy-meta.xml", MetadataKind::EcaOauthPolicies, "E", &policy("Infinite")),
            ("b/E2.ecaOauthPlcy-meta.xml", MetadataKind::EcaOauthPolicies, "E2", &policy("Zero")),
        ]);
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert_eq!(p.problems[0].loc.file, FileId(2));
        assert!(p.problems[0].message.contains("a/E.ecaOauthPlcy-meta.xml"), "{:?}", p.problems);
        assert_eq!(p.apps.len(), 1);
    }

    #[test]
    fn permission_sets_match_by_api_name_or_label() {
        assert!(same_permission_set("Integration User - Service Now", "Integration_User_Service_Now"));
        assert!(same_permission_set("loader_password_policy", "Loader_Password_Policy"));
        assert!(!same_permission_set("Loader Password", "Loader_Password_Policy"));
        assert!(!same_permission_set("---", "___"));
    }

    #[test]
    fn profile_names_match_one_way_everywhere() {
        assert!(same_profile("Core Sales", "core sales"));
        assert!(same_profile("core sales administration - sb", "Core Sales Administration - SB"));
        // A session setting's file name: runs of other characters became one `_`.
        assert!(same_profile("Core Sales Administration - SB", "Core Sales Administration SB"));
        assert!(same_profile("AH PSA T&E - Platform Lightning", "AH PSA T E Platform Lightning"));
        assert!(same_profile("NIM'S Profile", "NIM S Profile"));
        // Standard profiles by either name, in any case.
        assert!(same_profile("System Administrator", "Admin"));
        assert!(same_profile("admin", "system administrator"));
        assert!(same_profile("Read Only", "ReadOnly"));
        assert!(!same_profile("Core Sales", "Core Sales Admin"));
        assert!(!same_profile("Admin", "Standard"));
        // Names without ASCII letters are compared whole, never as empty keys.
        assert!(same_profile("営業", "営業"));
        assert!(!same_profile("営業", "経理"));
    }

    #[test]
    fn a_session_setting_with_a_nil_profile_is_found_by_its_file_name() {
        let nil = "<profile xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xsi:nil=\"true\"/><sessionTimeout>15</sessionTimeout>";
        let p = project(&[
            (
                "s/Core_Sales_profileSessionSetting1534257263727.profileSessionSetting-meta.xml",
                MetadataKind::ProfileSessionSetting,
                "Core_Sales_profileSessionSetting1534257263727",
                nil,
            ),
            (
                "s/null_profileSessionSetting1720619397698.profileSessionSetting-meta.xml",
                MetadataKind::ProfileSessionSetting,
                "null_profileSessionSetting1720619397698",
                nil,
            ),
        ]);
        let setting = p.session_setting("core sales").expect("found by the file name");
        assert_eq!(setting.profile.as_ref().unwrap().value, "Core Sales");
        assert_eq!(setting.session_timeout.as_set().unwrap().value, 15);
        assert!(p.session_settings[1].profile.is_none(), "`null_` names no profile");
        assert!(p.session_setting("null").is_none());

        // Both, for one profile: the file whose `<profile>` names it wins.
        let p = project(&[
            (
                "s/Core_Sales_profileSessionSetting1493130008270.profileSessionSetting-meta.xml",
                MetadataKind::ProfileSessionSetting,
                "Core_Sales_profileSessionSetting1493130008270",
                nil,
            ),
            (
                "s/Core_Sales_profileSessionSetting1495032633934.profileSessionSetting-meta.xml",
                MetadataKind::ProfileSessionSetting,
                "Core_Sales_profileSessionSetting1495032633934",
                "<profile>Core Sales</profile><sessionTimeout>30</sessionTimeout>",
            ),
        ]);
        assert_eq!(p.session_setting("Core Sales").unwrap().session_timeout.as_set().unwrap().value, 30);
    }
}

//! From one parsed file to its typed view. Cross-file assembly happens in `project.rs`.

use super::literals::{self, EcaRefreshType, Rejection};
use super::{
    App, AppKind, ConnectedAppSettings, IpRange, LoginHours, MetadataKind, OAuth, OauthOidc, OrgSettings,
    PERMISSIONS_READ, ParseFailure, Period, PermissionSet, Problem, Profile, ProfileSessionSetting, RefreshTokenPolicy,
    SessionLevel, Setting, UserPermission, Value,
};
use crate::source::{FileId, Location};
use crate::xml::{Document, Element, Span};

/// What one file contributes to the project.
#[derive(Debug)]
pub enum BuiltFile {
    // Boxed: the two are much larger than the other variants.
    ConnectedApp(Box<App>),
    EcaPart(Box<EcaPart>),
    OrgSettings(OrgSettings),
    Profile(Profile),
    ProfileSessionSetting(ProfileSessionSetting),
    OauthOidc(OauthOidc),
    ConnectedAppSettings(ConnectedAppSettings),
    PermissionSet(PermissionSet),
    Failed(ParseFailure),
}

/// One file of an external client app; joined with its siblings by `app_name`.
#[derive(Debug)]
pub struct EcaPart {
    pub kind: MetadataKind,
    pub full_name: String,
    /// `externalClientApplication` (the header's own name for `.eca` files).
    pub app_name: Option<Value<String>>,
    pub anchor: Location,
    pub scopes: Vec<Value<String>>,
    pub certificate: Option<Location>,
    pub client_credentials: Option<Value<bool>>,
    pub run_as_user: Option<Value<String>>,
    pub refresh_rotation: Option<Value<bool>>,
    pub pkce: Option<Value<bool>>,
    pub trusted_ranges: Vec<IpRange>,
    pub ip_relaxation: Setting<super::IpRelaxation>,
    pub refresh_token: Setting<RefreshTokenPolicy>,
    pub refresh_token_details: Vec<Location>,
    pub session_timeout: Setting<u32>,
    pub session_level: SessionLevel,
    pub profiles: Vec<Value<String>>,
    pub permission_sets: Vec<Value<String>>,
    pub admin_approved: Option<Value<bool>>,
    pub idle_refresh_ttl: Option<Value<bool>>,
    pub named_user_jwt: Option<Value<bool>>,
    pub jwt_timeout: Setting<u32>,
    pub jwt_timeout_type: Option<Value<String>>,
    pub callback_urls: Vec<Value<String>>,
    pub secret_optional: Option<Value<bool>>,
    pub secret_required_for_refresh: Option<Value<bool>>,
    /// `.ecaPlcy`: `isEnabled`, `isOauthPluginEnabled`.
    pub plugin_switches: Vec<Value<bool>>,
}

/// Builds the typed view of one parsed file, collecting the values Salesforce would refuse.
pub fn build_file(
    file: FileId,
    kind: MetadataKind,
    full_name: &str,
    doc: &Document,
    problems: &mut Vec<Problem>,
) -> BuiltFile {
    let root = &doc.root;
    if root.name != kind.root_element() {
        return BuiltFile::Failed(ParseFailure {
            loc: Location { file, span: root.name_span },
            message: format!(
                "a `.{}` file must have the root element <{}>, found <{}>",
                kind.suffix(),
                kind.root_element(),
                root.name
            ),
        });
    }
    let mut cx = Cx { file, problems };
    match kind {
        MetadataKind::ConnectedApp => BuiltFile::ConnectedApp(Box::new(cx.connected_app(root, full_name))),
        MetadataKind::SecuritySettings => BuiltFile::OrgSettings(cx.org_settings(root)),
        MetadataKind::Profile => BuiltFile::Profile(cx.profile(root, full_name)),
        MetadataKind::ProfileSessionSetting => {
            BuiltFile::ProfileSessionSetting(cx.profile_session_setting(root, full_name))
        }
        MetadataKind::OauthOidcSettings => BuiltFile::OauthOidc(OauthOidc {
            anchor: cx.loc(root.name_span),
            block_username_password: cx.flag(root, "blockOAuthUnPwFlow"),
            block_user_agent: cx.flag(root, "blockOAuthUsrAgtFlow"),
            pkce_required: cx.flag(root, "isPkceRequired"),
        }),
        MetadataKind::ConnectedAppSettings => BuiltFile::ConnectedAppSettings(ConnectedAppSettings {
            anchor: cx.loc(root.name_span),
            admin_approved_apps_only: cx.flag(root, "enableAdminApprovedAppsOnly"),
        }),
        MetadataKind::PermissionSet => BuiltFile::PermissionSet(PermissionSet {
            name: super::decode_full_name(full_name),
            anchor: cx.loc(root.name_span),
            user_permissions: cx.user_permissions(root),
        }),
        _ => BuiltFile::EcaPart(Box::new(cx.eca_part(root, kind, full_name))),
    }
}

struct Cx<'a> {
    file: FileId,
    problems: &'a mut Vec<Problem>,
}

/// Elements of a connected app's `oauthPolicy` and `sessionPolicy` (WSDL v63).
const OAUTH_POLICY_ELEMENTS: [&str; 4] =
    ["ipRelaxation", "isTokenExchangeFlowEnabled", "refreshTokenPolicy", "singleLogoutUrl"];
const SESSION_POLICY_ELEMENTS: [&str; 3] = ["policyAction", "sessionLevel", "sessionTimeout"];
/// External-client-app policy elements that people put into connected apps.
const ECA_ONLY_ELEMENTS: [&str; 7] = [
    "refreshTokenValidityPeriod",
    "refreshTokenValidityUnit",
    "refreshTokenValidityUnits",
    "refreshTokenPolicyType",
    "ipRelaxationPolicyType",
    "sessionTimeoutInMinutes",
    "requiredSessionLevel",
];

/// A child Salesforce allows once, as found.
#[derive(Clone, Copy)]
enum Single<'e> {
    Absent,
    One(&'e Element),
    /// More than once (reported): the first.
    Repeated(&'e Element),
}

impl<'e> Single<'e> {
    fn first(self) -> Option<&'e Element> {
        match self {
            Single::Absent => None,
            Single::One(e) | Single::Repeated(e) => Some(e),
        }
    }
}

impl Cx<'_> {
    fn loc(&self, span: Span) -> Location {
        Location { file: self.file, span }
    }

    /// The child `name`, which Salesforce allows once: it refuses a file that repeats it,
    /// so a repeat is reported (at the second) and the caller judges no value of it.
    fn single<'e>(&mut self, el: &'e Element, name: &'e str) -> Single<'e> {
        let mut all = el.children(name);
        let Some(first) = all.next() else { return Single::Absent };
        let Some(second) = all.next() else { return Single::One(first) };
        let times = 2 + all.count();
        self.problems.push(Problem {
            loc: self.loc(second.name_span),
            message: format!("`{name}` is given {times} times; Salesforce refuses a repeated element"),
            label: "repeated here".into(),
            help: format!("keep one `{name}`: until then forcelint judges none of its values"),
        });
        Single::Repeated(first)
    }

    fn string(&mut self, el: &Element, name: &'static str) -> Option<Value<String>> {
        let Single::One(child) = self.single(el, name) else { return None };
        let text = child.text()?;
        Some(Value { raw: text.value.clone(), value: text.value, element: name, loc: self.loc(text.span) })
    }

    fn strings(&self, el: &Element, name: &'static str) -> Vec<Value<String>> {
        el.children(name)
            .filter_map(|c| c.text())
            .map(|t| Value { raw: t.value.clone(), value: t.value, element: name, loc: self.loc(t.span) })
            .collect()
    }

    /// A child parsed with `parse`; a refused value becomes a problem and `Invalid`.
    fn setting<T>(
        &mut self,
        el: &Element,
        name: &'static str,
        parse: impl Fn(&str) -> Result<T, Rejection>,
    ) -> Setting<T> {
        let child = match self.single(el, name) {
            Single::Absent => return Setting::Absent,
            Single::Repeated(_) => return Setting::Invalid,
            Single::One(child) => child,
        };
        let Some(text) = child.text() else {
            self.problems.push(Problem {
                loc: self.loc(child.name_span),
                message: format!("`{name}` is empty"),
                label: "no value here".into(),
                help: format!("give `{name}` a value, or remove the element to use Salesforce's default"),
            });
            return Setting::Invalid;
        };
        match parse(&text.value) {
            Ok(value) => Setting::Set(Value { value, raw: text.value, element: name, loc: self.loc(text.span) }),
            Err(rejection) => {
                self.reject(name, &text.value, text.span, rejection);
                Setting::Invalid
            }
        }
    }

    fn reject(&mut self, name: &str, raw: &str, span: Span, rejection: Rejection) {
        let help = match &rejection.suggestion {
            Some(s) => format!("did you mean `{s}`? `{name}` takes {}", rejection.expected),
            None => format!("`{name}` takes {}", rejection.expected),
        };
        self.problems.push(Problem {
            loc: self.loc(span),
            message: format!("`{name}` is `{raw}`, which Salesforce does not accept"),
            label: "not a valid value".into(),
            help,
        });
    }

    fn flag(&mut self, el: &Element, name: &'static str) -> Option<Value<bool>> {
        self.setting(el, name, literals::boolean).as_set().cloned()
    }

    fn unknown_children(&mut self, el: &Element, known: &[&str], context: &str, eca_hint: bool) {
        for child in el.elements() {
            if known.contains(&child.name.as_str()) {
                continue;
            }
            let (message, help) = if eca_hint && child.name == "refreshTokenValidityUnits" {
                (
                    format!("`{}` is not an element of `{context}`", child.name),
                    "a connected app encodes the lifetime in `refreshTokenPolicy`, e.g. `specific_lifetime:90:DAYS` (external client apps have `refreshTokenValidityUnit`)".to_string(),
                )
            } else if eca_hint && ECA_ONLY_ELEMENTS.contains(&child.name.as_str()) {
                (
                    format!(
                        "`{}` is an external client app element; a connected app's `{context}` has no such element",
                        child.name
                    ),
                    match child.name.as_str() {
                        n if n.starts_with("refreshToken") => {
                            "encode the policy in `refreshTokenPolicy`, e.g. `specific_lifetime:90:DAYS` or `infinite`"
                                .to_string()
                        }
                        "ipRelaxationPolicyType" => {
                            "use `ipRelaxation` with ENFORCE, ENFORCE_RELAXREFRESH, BYPASS_2FACTOR or BYPASS"
                                .to_string()
                        }
                        "sessionTimeoutInMinutes" => "use `sessionPolicy/sessionTimeout` (minutes)".to_string(),
                        _ => "use `sessionPolicy/policyAction` and `sessionLevel` for High Assurance".to_string(),
                    },
                )
            } else {
                let hint = literals::did_you_mean(&child.name, known)
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                (
                    format!("`{}` is not an element of `{context}`", child.name),
                    format!(
                        "{hint}`{context}` holds {}",
                        known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
                    ),
                )
            };
            self.problems.push(Problem {
                loc: self.loc(child.name_span),
                message,
                label: "unknown element".into(),
                help,
            });
        }
    }

    fn connected_app(&mut self, root: &Element, full_name: &str) -> App {
        let anchor = self.loc(root.name_span);
        let policy = self.single(root, "oauthPolicy");
        let policy_el = policy.first();
        let (ip_relaxation, refresh_token) = match policy {
            Single::One(p) => {
                self.unknown_children(p, &OAUTH_POLICY_ELEMENTS, "oauthPolicy", true);
                (
                    self.setting(p, "ipRelaxation", literals::connected_app_ip_relaxation),
                    self.setting(p, "refreshTokenPolicy", literals::connected_app_refresh_token_policy),
                )
            }
            Single::Repeated(_) => (Setting::Invalid, Setting::Invalid),
            Single::Absent => (Setting::Absent, Setting::Absent),
        };
        let (session_timeout, session_level) = match self.single(root, "sessionPolicy") {
            Single::One(s) => {
                self.unknown_children(s, &SESSION_POLICY_ELEMENTS, "sessionPolicy", true);
                (
                    self.setting(s, "sessionTimeout", literals::minutes),
                    SessionLevel {
                        // The connected-app literal is unverified: read as written, not refused.
                        level: self.setting(s, "sessionLevel", |raw| Ok(raw.to_string())),
                        action: self.setting(s, "policyAction", literals::policy_action),
                    },
                )
            }
            Single::Repeated(_) => {
                (Setting::Invalid, SessionLevel { level: Setting::Invalid, action: Setting::Invalid })
            }
            Single::Absent => (Setting::Absent, SessionLevel::default()),
        };
        // A repeated `oauthConfig` is reported; its first is read, for what the app is for.
        let oauth = self.single(root, "oauthConfig").first().map(|cfg| OAuth {
            config: self.loc(cfg.name_span),
            scopes: self.strings(cfg, "scopes"),
            certificate: cfg.child("certificate").filter(|c| c.text().is_some()).map(|c| self.loc(c.name_span)),
            client_credentials: self.flag(cfg, "isClientCredentialEnabled"),
            run_as_user: self.string(cfg, "oauthClientCredentialUser"),
            refresh_rotation: self.flag(cfg, "isRefreshTokenRotationEnabled"),
            pkce: self.flag(cfg, "isPkceRequired"),
            scopes_known: true,
            certificate_known: true,
            trusted_ranges: self.ip_ranges(root, "ipRanges", "start", "end"),
            policy: policy_el.map_or(anchor, |p| self.loc(p.name_span)),
            policy_present: policy_el.is_some(),
            ip_relaxation,
            refresh_token,
            refresh_token_details: Vec::new(),
            client_credentials_switches: None,
            admin_approved: self.flag(cfg, "isAdminApproved"),
            consumer_key: self.string(cfg, "consumerKey"),
            idle_refresh_ttl: None,
            named_user_jwt: None,
            jwt_timeout: Setting::Absent,
            jwt_timeout_type: None,
            callback_urls: self.separated(cfg, "callbackUrl", '\n'),
            secret_optional: self.flag(cfg, "isConsumerSecretOptional"),
            secret_required_for_refresh: self.flag(cfg, "isSecretRequiredForRefreshToken"),
        });
        let interactive_features = ["samlConfig", "canvasConfig", "canvas", "mobileAppConfig", "mobileStartUrl"]
            .into_iter()
            .filter_map(|name| {
                root.child(name).map(|el| Value {
                    value: (),
                    raw: String::new(),
                    element: name,
                    loc: self.loc(el.name_span),
                })
            })
            .collect();
        App {
            name: full_name.to_string(),
            kind: AppKind::ConnectedApp,
            anchor,
            files: vec![self.file],
            oauth,
            session_timeout,
            session_level,
            profiles: self.strings(root, "profileName"),
            permission_sets: self.strings(root, "permissionSetName"),
            interactive_features,
            notes: Vec::new(),
            eca_switches: Vec::new(),
        }
    }

    fn eca_part(&mut self, root: &Element, kind: MetadataKind, full_name: &str) -> EcaPart {
        let anchor = self.loc(root.name_span);
        let mut part = EcaPart {
            kind,
            full_name: full_name.to_string(),
            app_name: self.string(root, "externalClientApplication"),
            anchor,
            scopes: Vec::new(),
            certificate: None,
            client_credentials: None,
            run_as_user: None,
            refresh_rotation: None,
            pkce: None,
            trusted_ranges: Vec::new(),
            ip_relaxation: Setting::Absent,
            refresh_token: Setting::Absent,
            refresh_token_details: Vec::new(),
            session_timeout: Setting::Absent,
            session_level: SessionLevel::default(),
            profiles: Vec::new(),
            permission_sets: Vec::new(),
            admin_approved: None,
            idle_refresh_ttl: None,
            named_user_jwt: None,
            jwt_timeout: Setting::Absent,
            jwt_timeout_type: None,
            callback_urls: Vec::new(),
            secret_optional: None,
            secret_required_for_refresh: None,
            plugin_switches: Vec::new(),
        };
        match kind {
            MetadataKind::ExternalClientApplication => {
                part.app_name = Some(Value {
                    value: full_name.to_string(),
                    raw: full_name.to_string(),
                    element: "fullName",
                    loc: anchor,
                });
            }
            MetadataKind::EcaOauthSettings => {
                part.scopes = self.comma_separated(root, "commaSeparatedOauthScopes");
                part.trusted_ranges = self.ip_ranges(root, "trustedIpRanges", "startIpAddress", "endIpAddress");
            }
            MetadataKind::EcaGlobalOauthSettings => {
                part.certificate =
                    root.child("certificate").filter(|c| c.text().is_some()).map(|c| self.loc(c.name_span));
                part.client_credentials = self.flag(root, "isClientCredentialsFlowEnabled");
                part.refresh_rotation = self.flag(root, "isRefreshTokenRotationEnabled");
                part.pkce = self.flag(root, "isPkceRequired");
                part.idle_refresh_ttl = self.flag(root, "isEnforceRefreshTokenTTL");
                part.named_user_jwt = self.flag(root, "isNamedUserJwtEnabled");
                part.callback_urls = self.separated(root, "callbackUrl", '\n');
                part.secret_optional = self.flag(root, "isConsumerSecretOptional");
                part.secret_required_for_refresh = self.flag(root, "isSecretRequiredForRefreshToken");
            }
            MetadataKind::EcaOauthPolicies => self.eca_policies(root, &mut part),
            MetadataKind::EcaPolicies => {
                part.plugin_switches = ["isEnabled", "isOauthPluginEnabled"]
                    .into_iter()
                    .filter_map(|name| self.flag(root, name))
                    .collect();
            }
            _ => {}
        }
        part
    }

    fn eca_policies(&mut self, root: &Element, part: &mut EcaPart) {
        for (ca_name, eca_name) in [
            ("ipRelaxation", "ipRelaxationPolicyType"),
            ("refreshTokenPolicy", "refreshTokenPolicyType"),
            ("sessionTimeout", "sessionTimeoutInMinutes"),
        ] {
            if let Some(el) = root.child(ca_name) {
                self.problems.push(Problem {
                    loc: self.loc(el.name_span),
                    message: format!(
                        "`{ca_name}` is a connected app element; external client app policies have no such element"
                    ),
                    label: "unknown element".into(),
                    help: format!("use `{eca_name}`"),
                });
            }
        }
        part.ip_relaxation = self.setting(root, "ipRelaxationPolicyType", literals::eca_ip_relaxation);
        part.session_timeout = self.setting(root, "sessionTimeoutInMinutes", literals::minutes);
        part.session_level = SessionLevel {
            level: self.setting(root, "requiredSessionLevel", literals::session_level),
            action: self.setting(root, "policyAction", literals::policy_action),
        };
        part.client_credentials = self.flag(root, "isClientCredentialsFlowEnabled");
        part.run_as_user = self.string(root, "clientCredentialsFlowUser");
        part.profiles = self.comma_separated(root, "commaSeparatedProfile");
        part.permission_sets = self.comma_separated(root, "commaSeparatedPermissionSet");
        part.admin_approved = self.string(root, "permittedUsersPolicyType").map(|v| Value {
            value: v.value.eq_ignore_ascii_case("AdminApprovedPreAuthorized"),
            raw: v.raw,
            element: v.element,
            loc: v.loc,
        });
        // Deprecated here (it lives in `.ecaGlblOauth`), but still honoured when written.
        part.named_user_jwt = self.flag(root, "isNamedUserJwtEnabled");
        part.jwt_timeout = self.setting(root, "namedUserJwtTimeout", literals::minutes);
        part.jwt_timeout_type = self.string(root, "namedUserJwtSessionTimeoutType");

        let kind = self.setting(root, "refreshTokenPolicyType", literals::eca_refresh_token_type);
        let period = self.setting(root, "refreshTokenValidityPeriod", literals::positive_int);
        let unit = self.setting(root, "refreshTokenValidityUnit", literals::eca_time_unit);
        part.refresh_token_details =
            [period.as_set().map(|v| v.loc), unit.as_set().map(|v| v.loc)].into_iter().flatten().collect();
        part.refresh_token = match kind {
            Setting::Set(v) => {
                let policy = match v.value {
                    EcaRefreshType::Infinite => Some(RefreshTokenPolicy::Infinite),
                    EcaRefreshType::Zero => Some(RefreshTokenPolicy::Zero),
                    EcaRefreshType::SpecificLifetime | EcaRefreshType::SpecificInactivity => {
                        match (&period, &unit) {
                            (Setting::Set(p), Setting::Set(u)) => {
                                let period = Period { n: p.value, unit: u.value };
                                Some(if v.value == EcaRefreshType::SpecificLifetime {
                                    RefreshTokenPolicy::Lifetime(period)
                                } else {
                                    RefreshTokenPolicy::Inactivity(period)
                                })
                            }
                            (Setting::Absent, _) | (_, Setting::Absent) => {
                                let missing: Vec<&str> = [
                                    matches!(period, Setting::Absent).then_some("refreshTokenValidityPeriod"),
                                    matches!(unit, Setting::Absent).then_some("refreshTokenValidityUnit"),
                                ]
                                .into_iter()
                                .flatten()
                                .collect();
                                self.problems.push(Problem {
                                    loc: v.loc,
                                    message: format!("`{}` needs {}", v.raw, missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" and ")),
                                    label: "the period is missing".into(),
                                    help: "add e.g. `<refreshTokenValidityPeriod>90</refreshTokenValidityPeriod>` and `<refreshTokenValidityUnit>Days</refreshTokenValidityUnit>`".into(),
                                });
                                None
                            }
                            // Already reported as invalid values.
                            _ => None,
                        }
                    }
                };
                match policy {
                    Some(value) => Setting::Set(Value { value, raw: v.raw, element: v.element, loc: v.loc }),
                    None => Setting::Invalid,
                }
            }
            Setting::Absent => Setting::Absent,
            Setting::Invalid => Setting::Invalid,
        };
    }

    /// `commaSeparatedOauthScopes` and friends: one element, many values. Each value gets
    /// the element's text span.
    fn comma_separated(&self, el: &Element, name: &'static str) -> Vec<Value<String>> {
        self.separated(el, name, ',')
    }

    /// One element holding several values split by `sep` (commas, or lines for
    /// `callbackUrl`); each value gets its own span when the text has no entities.
    fn separated(&self, el: &Element, name: &'static str, sep: char) -> Vec<Value<String>> {
        let Some(text) = el.child(name).and_then(|c| c.text()) else { return Vec::new() };
        // Without entities the value is the source text, so each item gets its own span.
        let verbatim = text.value.len() == text.span.len();
        let mut items = Vec::new();
        let mut offset = 0;
        for piece in text.value.split(sep) {
            let lead = piece.len() - piece.trim_start().len();
            let item = piece.trim();
            if !item.is_empty() {
                let start = text.span.start + offset + lead;
                let span = if verbatim { Span::new(start, start + item.len()) } else { text.span };
                items.push(Value {
                    value: item.to_string(),
                    raw: item.to_string(),
                    element: name,
                    loc: self.loc(span),
                });
            }
            offset += piece.len() + sep.len_utf8();
        }
        items
    }

    fn ip_ranges(&mut self, el: &Element, name: &str, start: &'static str, end: &'static str) -> Vec<IpRange> {
        let mut ranges = Vec::new();
        for r in el.children(name) {
            ranges.push(IpRange { start: self.string(r, start), end: self.string(r, end), loc: self.loc(r.name_span) });
        }
        ranges
    }

    /// Reports a range Salesforce would refuse: a bound missing or not an IP address, the
    /// start after the end, or one IPv4 and one IPv6 address.
    fn check_ip_range(&mut self, range: &IpRange, name: &str, start: &str, end: &str) {
        let (Some(first), Some(last)) = (&range.start, &range.end) else {
            let missing = if range.start.is_none() { start } else { end };
            self.problems.push(Problem {
                loc: range.loc,
                message: format!("`{name}` has no `{missing}`"),
                label: "incomplete range".into(),
                help: format!("give both `{start}` and `{end}` (the same address for a single one)"),
            });
            return;
        };
        let mut bad = false;
        for bound in [first, last] {
            // Digits and dots or colons only: Rust's parser is the check, and takes no sign.
            if bound.value.parse::<std::net::IpAddr>().is_err() {
                self.problems.push(Problem {
                    loc: bound.loc,
                    message: format!("`{}` is `{}`, which Salesforce does not accept", bound.element, bound.value),
                    label: "not an IP address".into(),
                    help: format!("`{}` takes an IPv4 or IPv6 address, e.g. `203.0.113.10`", bound.element),
                });
                bad = true;
            }
        }
        if bad {
            return;
        }
        let (Ok(a), Ok(b)) = (first.value.parse::<std::net::IpAddr>(), last.value.parse::<std::net::IpAddr>()) else {
            return;
        };
        let problem = if a.is_ipv4() != b.is_ipv4() {
            Some((format!("`{name}` mixes IPv4 and IPv6: `{a}` to `{b}`"), "one family per range"))
        } else if crate::ip::IpNet::range(a, b).is_none() {
            Some((format!("`{name}` starts after it ends: `{a}` to `{b}`"), "an empty range"))
        } else {
            None
        };
        if let Some((message, label)) = problem {
            self.problems.push(Problem {
                loc: range.loc,
                message,
                label: label.into(),
                help: format!("`{start}` must be an address of the same family as `{end}`, and not after it"),
            });
        }
    }

    fn org_settings(&mut self, root: &Element) -> OrgSettings {
        let (session_timeout, lock, every_request) = match self.single(root, "sessionSettings") {
            Single::One(s) => (
                self.setting(s, "sessionTimeout", literals::org_session_timeout),
                self.flag(s, "lockSessionsToIp"),
                self.flag(s, "enforceIpRangesEveryRequest"),
            ),
            Single::Repeated(_) => (Setting::Invalid, None, None),
            Single::Absent => (Setting::Absent, None, None),
        };
        let password_expiration = match self.single(root, "passwordPolicies") {
            Single::One(p) => self.setting(p, "expiration", literals::password_expiration),
            Single::Repeated(_) => Setting::Invalid,
            Single::Absent => Setting::Absent,
        };
        OrgSettings {
            file: self.file,
            anchor: self.loc(root.name_span),
            password_expiration,
            session_timeout,
            lock_sessions_to_ip: lock,
            enforce_ip_ranges_every_request: every_request,
            trusted_ip_ranges: root
                .child("networkAccess")
                .map(|n| self.ip_ranges(n, "ipRanges", "start", "end"))
                .unwrap_or_default(),
        }
    }

    fn profile(&mut self, root: &Element, full_name: &str) -> Profile {
        let login_hours = root.child("loginHours").map(|h| {
            const DAYS: [(&str, &str, &str); 7] = [
                ("monday", "mondayStart", "mondayEnd"),
                ("tuesday", "tuesdayStart", "tuesdayEnd"),
                ("wednesday", "wednesdayStart", "wednesdayEnd"),
                ("thursday", "thursdayStart", "thursdayEnd"),
                ("friday", "fridayStart", "fridayEnd"),
                ("saturday", "saturdayStart", "saturdayEnd"),
                ("sunday", "sundayStart", "sundayEnd"),
            ];
            let days = DAYS
                .into_iter()
                .filter_map(|(day, start, end)| {
                    // Both are read (and checked) even when one is missing or wrong.
                    let start = self.setting(h, start, literals::login_hour);
                    let end = self.setting(h, end, literals::login_hour);
                    Some((day, start.as_set()?.value, end.as_set()?.value))
                })
                .collect();
            LoginHours { loc: self.loc(h.name_span), days }
        });
        let login_ip_ranges = self.ip_ranges(root, "loginIpRanges", "startAddress", "endAddress");
        for range in &login_ip_ranges {
            self.check_ip_range(range, "loginIpRanges", "startAddress", "endAddress");
        }
        Profile {
            name: super::decode_full_name(full_name),
            anchor: self.loc(root.name_span),
            login_ip_ranges,
            // `<loginHours/>` (what retrieves write) means no restriction.
            login_hours: login_hours.filter(|h| !h.days.is_empty()),
            user_permissions: self.user_permissions(root),
        }
    }

    /// The `userPermissions` of a profile or permission set that rules read.
    fn user_permissions(&mut self, root: &Element) -> Vec<UserPermission> {
        let mut out = Vec::new();
        for el in root.children("userPermissions") {
            let Some(name) = self.string(el, "name") else { continue };
            if !PERMISSIONS_READ.contains(&name.value.as_str()) {
                continue;
            }
            if let Some(enabled) = self.flag(el, "enabled") {
                out.push(UserPermission { name, enabled });
            }
        }
        out
    }

    fn profile_session_setting(&mut self, root: &Element, full_name: &str) -> ProfileSessionSetting {
        // Retrieves write `<profile xsi:nil="true"/>` in some files: the profile is then
        // named only by the file name, at the `<profile>` element (else the root).
        let named = self.string(root, "profile");
        let profile_from_file_name = named.is_none();
        let profile = named.or_else(|| {
            let name = profile_in_file_name(full_name)?;
            let at = root
                .nodes
                .iter()
                .find_map(|n| match n {
                    crate::xml::Node::Element(e) if e.name == "profile" && !e.foreign => Some(e.name_span),
                    _ => None,
                })
                .unwrap_or(root.name_span);
            Some(Value { raw: String::new(), value: name, element: "profile", loc: self.loc(at) })
        });
        ProfileSessionSetting {
            anchor: self.loc(root.name_span),
            profile_from_file_name: profile_from_file_name && profile.is_some(),
            profile,
            session_timeout: self.setting(root, "sessionTimeout", literals::profile_session_timeout),
            required_session_level: self.setting(root, "requiredSessionLevel", literals::session_level),
        }
    }
}

/// The profile a session setting's file name names: Salesforce names these files
/// `<Profile_Name>_profileSessionSetting<digits>`, the profile's name with each run of other
/// characters than letters and digits written `_` (`Core_Sales_profileSessionSetting1534257263727`
/// is `Core Sales`). `null_…` names none.
fn profile_in_file_name(full_name: &str) -> Option<String> {
    let (name, rest) = full_name.rsplit_once("_profileSessionSetting")?;
    if !rest.bytes().all(|b| b.is_ascii_digit()) || name.is_empty() || name.eq_ignore_ascii_case("null") {
        return None;
    }
    Some(name.replace('_', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NS: &str = "http://soap.sforce.com/2006/04/metadata";

    fn build(kind: MetadataKind, body: &str) -> (BuiltFile, Vec<Problem>) {
        let root = kind.root_element();
        let text = format!("<{root} xmlns=\"{NS}\">{body}</{root}>");
        let doc = crate::xml::parse(&text).unwrap();
        let mut problems = Vec::new();
        let built = build_file(FileId(0), kind, "X", &doc, &mut problems);
        (built, problems)
    }

    fn messages(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.message.as_str()).collect()
    }

    #[test]
    fn a_repeated_element_is_reported_and_not_judged() {
        let (built, problems) = build(
            MetadataKind::ConnectedApp,
            "<oauthPolicy><refreshTokenPolicy>zero</refreshTokenPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy><ipRelaxation>ENFORCE</ipRelaxation></oauthPolicy>\
             <oauthConfig><scopes>Api</scopes></oauthConfig>",
        );
        let BuiltFile::ConnectedApp(app) = built else { panic!() };
        let oauth = app.oauth.unwrap();
        assert_eq!(oauth.refresh_token, Setting::Invalid, "Salesforce refuses the file: no value is judged");
        assert!(oauth.ip_relaxation.as_set().is_some());
        assert_eq!(
            messages(&problems),
            ["`refreshTokenPolicy` is given 2 times; Salesforce refuses a repeated element"]
        );

        let (built, problems) = build(
            MetadataKind::ConnectedApp,
            "<oauthConfig><scopes>Api</scopes></oauthConfig><oauthPolicy><refreshTokenPolicy>zero</refreshTokenPolicy></oauthPolicy>\
             <oauthPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy></oauthPolicy>\
             <sessionPolicy><sessionTimeout>15</sessionTimeout></sessionPolicy><sessionPolicy/>",
        );
        let BuiltFile::ConnectedApp(app) = built else { panic!() };
        assert_eq!(app.oauth.unwrap().refresh_token, Setting::Invalid);
        assert_eq!(app.session_timeout, Setting::Invalid);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message.starts_with("`oauthPolicy` is given 2 times"), "{problems:?}");

        let (built, problems) = build(
            MetadataKind::SecuritySettings,
            "<sessionSettings><lockSessionsToIp>true</lockSessionsToIp><lockSessionsToIp>false</lockSessionsToIp></sessionSettings>",
        );
        let BuiltFile::OrgSettings(org) = built else { panic!() };
        assert_eq!(org.lock_sessions_to_ip, None);
        assert_eq!(problems.len(), 1);
        // Lists are lists.
        let (_, problems) = build(
            MetadataKind::ConnectedApp,
            "<oauthConfig><scopes>Api</scopes><scopes>RefreshToken</scopes></oauthConfig><profileName>A</profileName><profileName>B</profileName>",
        );
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn callback_urls_are_one_value_per_line_with_their_own_spans() {
        let body = "<oauthConfig><callbackUrl>https://a.example.com/cb\n  http://localhost:1717/OauthRedirect\n\n</callbackUrl>\
                    <isConsumerSecretOptional>false</isConsumerSecretOptional></oauthConfig>";
        let root = MetadataKind::ConnectedApp.root_element();
        let text = format!("<{root} xmlns=\"{NS}\">{body}</{root}>");
        let (built, problems) = build(MetadataKind::ConnectedApp, body);
        assert!(problems.is_empty(), "{problems:?}");
        let BuiltFile::ConnectedApp(app) = built else { panic!() };
        let oauth = app.oauth.unwrap();
        let urls: Vec<_> = oauth.callback_urls.iter().map(|u| u.value.as_str()).collect();
        assert_eq!(urls, ["https://a.example.com/cb", "http://localhost:1717/OauthRedirect"]);
        for url in &oauth.callback_urls {
            assert_eq!(&text[url.loc.span.start..url.loc.span.end], url.value);
        }
        assert_eq!(oauth.secret_optional.map(|v| v.value), Some(false));
    }

    #[test]
    fn password_expiry_and_user_permissions_are_read() {
        let (built, problems) = build(
            MetadataKind::SecuritySettings,
            "<passwordPolicies><complexity>AlphaNumeric</complexity><expiration>SixMonths</expiration></passwordPolicies>",
        );
        let BuiltFile::OrgSettings(org) = built else { panic!() };
        assert_eq!(org.password_expiration.as_set().map(|v| v.value), Some(super::super::PasswordExpiry::Days(180)));
        assert!(problems.is_empty(), "{problems:?}");
        let (built, problems) =
            build(MetadataKind::SecuritySettings, "<passwordPolicies><expiration>90</expiration></passwordPolicies>");
        let BuiltFile::OrgSettings(org) = built else { panic!() };
        assert_eq!(org.password_expiration, Setting::Invalid);
        assert!(problems[0].help.contains("did you mean `NinetyDays`?"), "{problems:?}");

        let perms = "<userPermissions><enabled>false</enabled><name>ApiEnabled</name></userPermissions>\
                     <userPermissions><enabled>true</enabled><name>ViewSetup</name></userPermissions>\
                     <userPermissions><name>PasswordNeverExpires</name><enabled>true</enabled></userPermissions>";
        for kind in [MetadataKind::Profile, MetadataKind::PermissionSet] {
            let (built, problems) = build(kind, perms);
            let read = match built {
                BuiltFile::Profile(p) => p.user_permissions,
                BuiltFile::PermissionSet(p) => p.user_permissions,
                _ => panic!(),
            };
            let read: Vec<(&str, bool)> = read.iter().map(|p| (p.name.value.as_str(), p.enabled.value)).collect();
            assert_eq!(read, [("ApiEnabled", false), ("PasswordNeverExpires", true)], "only those rules read");
            assert!(problems.is_empty(), "{problems:?}");
        }
    }

    #[test]
    fn org_oauth_and_connected_app_settings_are_read() {
        let (built, _) = build(
            MetadataKind::OauthOidcSettings,
            "<blockOAuthUnPwFlow>true</blockOAuthUnPwFlow><isPkceRequired>false</isPkceRequired>",
        );
        let BuiltFile::OauthOidc(o) = built else { panic!() };
        assert_eq!(o.block_username_password.map(|v| v.value), Some(true));
        assert_eq!(o.block_user_agent, None);
        assert_eq!(o.pkce_required.map(|v| v.value), Some(false));
        let (built, problems) = build(
            MetadataKind::ConnectedAppSettings,
            "<enableAdminApprovedAppsOnly>TRUE</enableAdminApprovedAppsOnly>",
        );
        let BuiltFile::ConnectedAppSettings(c) = built else { panic!() };
        assert_eq!(c.admin_approved_apps_only, None, "not a boolean Salesforce accepts");
        assert_eq!(problems.len(), 1);
    }

    #[test]
    fn malformed_login_ip_ranges_are_reported() {
        let range = |s: &str, e: &str| {
            format!("<loginIpRanges><endAddress>{e}</endAddress><startAddress>{s}</startAddress></loginIpRanges>")
        };
        let body = [
            range("10.0.0.1", "10.0.0.9"),
            range("2001:db8::1", "2001:db8::ff"),
            range("10.0.0.300", "10.0.0.9"),
            range("10.0.0.9", "10.0.0.1"),
            range("10.0.0.1", "2001:db8::1"),
            range("+10.0.0.1", "10.0.0.2"),
            "<loginIpRanges><startAddress>10.0.0.1</startAddress></loginIpRanges>".to_string(),
        ]
        .concat();
        let (built, problems) = build(MetadataKind::Profile, &body);
        let BuiltFile::Profile(profile) = built else { panic!() };
        assert_eq!(profile.login_ip_ranges.len(), 7, "still all read");
        let messages = messages(&problems);
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages[0].contains("`startAddress` is `10.0.0.300`"), "{messages:#?}");
        assert!(messages[1].contains("starts after it ends"), "{messages:#?}");
        assert!(messages[2].contains("IPv4") && messages[2].contains("IPv6"), "{messages:#?}");
        assert!(messages[3].contains("`+10.0.0.1`"), "{messages:#?}");
        assert!(messages[4].contains("`endAddress`"), "{messages:#?}");
    }

    #[test]
    fn foreign_and_no_namespace_elements_are_not_read() {
        let (built, problems) = build(
            MetadataKind::ConnectedApp,
            "<oauthConfig><scopes>Api</scopes></oauthConfig><oauthPolicy><x:refreshTokenPolicy xmlns:x=\"urn:x\">zero</x:refreshTokenPolicy>\
             <refreshTokenPolicy xmlns=\"\">zero</refreshTokenPolicy><refreshTokenPolicy>infinite</refreshTokenPolicy></oauthPolicy>",
        );
        let BuiltFile::ConnectedApp(app) = built else { panic!() };
        assert_eq!(app.oauth.unwrap().refresh_token.as_set().unwrap().raw, "infinite");
        assert!(problems.is_empty(), "{problems:?}");
    }
}

//! Typed views of the metadata forcelint reads, built from the span-keeping XML tree.
//!
//! Every value keeps where it came from; an absent value is reported at its parent.

mod build;
mod kind;
pub mod literals;
mod project;
pub mod purpose;

pub use build::{BuiltFile, build_file};
pub use kind::{MetadataKind, decode_full_name};
pub use project::{
    DEFAULT_SESSION_TIMEOUT, EffectiveTimeout, Project, TimeoutSource, same_permission_set, same_profile,
};
pub use purpose::{Classification, Evidence, Purpose};

use crate::source::{FileId, Location};

/// A value read from the XML, with its raw text and the element it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Value<T> {
    pub value: T,
    pub raw: String,
    pub element: &'static str,
    pub loc: Location,
}

/// A policy setting: not written, written but unusable (reported by
/// `invalid-policy-value`), or set.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Setting<T> {
    #[default]
    Absent,
    Invalid,
    Set(Value<T>),
}

impl<T> Setting<T> {
    pub fn as_set(&self) -> Option<&Value<T>> {
        match self {
            Setting::Set(v) => Some(v),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AppKind {
    ConnectedApp,
    ExternalClientApp,
}

impl App {
    /// The app requires PKCE itself: a connected app when it says so; an external client app
    /// unless it says otherwise (its default is `true`).
    pub fn requires_pkce(&self) -> bool {
        let Some(oauth) = &self.oauth else { return false };
        match self.kind {
            AppKind::ConnectedApp => oauth.pkce.as_ref().is_some_and(|v| v.value),
            AppKind::ExternalClientApp => oauth.pkce.as_ref().is_none_or(|v| v.value),
        }
    }
}

impl AppKind {
    pub fn describe(self) -> &'static str {
        match self {
            AppKind::ConnectedApp => "connected app",
            AppKind::ExternalClientApp => "external client app",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpRelaxation {
    Enforce,
    EnforceRelaxRefresh,
    Bypass2Factor,
    Bypass,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    Hours,
    Days,
    Months,
}

impl TimeUnit {
    pub fn name(self, n: u32) -> &'static str {
        match (self, n == 1) {
            (TimeUnit::Hours, true) => "hour",
            (TimeUnit::Hours, false) => "hours",
            (TimeUnit::Days, true) => "day",
            (TimeUnit::Days, false) => "days",
            (TimeUnit::Months, true) => "month",
            (TimeUnit::Months, false) => "months",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub n: u32,
    pub unit: TimeUnit,
}

impl Period {
    /// Length in days; a month counts as 30.
    pub fn days(self) -> f64 {
        let n = f64::from(self.n);
        match self.unit {
            TimeUnit::Hours => n / 24.0,
            TimeUnit::Days => n,
            TimeUnit::Months => n * 30.0,
        }
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.n, self.unit.name(self.n))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshTokenPolicy {
    Infinite,
    Zero,
    Lifetime(Period),
    Inactivity(Period),
}

/// The OAuth side of an app: how it authenticates and its OAuth policies.
#[derive(Debug, Clone, PartialEq)]
pub struct OAuth {
    /// `oauthConfig`, or the root of the `.ecaOauth` file (or of whichever ECA file holds
    /// the OAuth settings we found).
    pub config: Location,
    pub scopes: Vec<Value<String>>,
    /// A JWT-bearer certificate.
    pub certificate: Option<Location>,
    pub client_credentials: Option<Value<bool>>,
    pub run_as_user: Option<Value<String>>,
    pub refresh_rotation: Option<Value<bool>>,
    /// `isPkceRequired`: a public client (browser, mobile, desktop) when true.
    pub pkce: Option<Value<bool>>,
    /// Whether the scopes are in the repository (an ECA's `.ecaOauth` file may be missing).
    pub scopes_known: bool,
    /// Whether a JWT certificate would be in the repository (an ECA's `.ecaGlblOauth` file
    /// is often kept out of source control).
    pub certificate_known: bool,
    /// The app's own IP ranges (connected app `ipRanges`, ECA `trustedIpRanges`): where
    /// `BYPASS_2FACTOR` relaxes restrictions without a second factor.
    pub trusted_ranges: Vec<IpRange>,
    /// Where policy findings point when a policy value is absent: `oauthPolicy`, the
    /// `.ecaOauthPlcy` root, or the app's root when there is no policy at all.
    pub policy: Location,
    /// Whether a policy element or file exists at all.
    pub policy_present: bool,
    pub ip_relaxation: Setting<IpRelaxation>,
    pub refresh_token: Setting<RefreshTokenPolicy>,
    /// ECA: the validity period and unit that go with `refreshTokenPolicyType`.
    pub refresh_token_details: Vec<Location>,
    /// ECA: the two switches of the client-credentials flow, which must both be on.
    /// `None` for connected apps (one switch, `client_credentials`).
    pub client_credentials_switches: Option<FlowSwitches>,
    /// Connected app `isAdminApproved`; ECA `permittedUsersPolicyType` read as
    /// "`AdminApprovedPreAuthorized`?" (its raw text kept).
    pub admin_approved: Option<Value<bool>>,
    /// Connected app `oauthConfig/consumerKey`: tied to the org it was retrieved from.
    pub consumer_key: Option<Value<String>>,
    /// ECA `.ecaGlblOauth` `isEnforceRefreshTokenTTL`: refresh tokens expire after 30 idle days.
    pub idle_refresh_ttl: Option<Value<bool>>,
    /// ECA: access tokens are JWT-based (`isNamedUserJwtEnabled`, in `.ecaGlblOauth` or,
    /// deprecated, in `.ecaOauthPlcy`); `sessionTimeoutInMinutes` then does not apply.
    pub named_user_jwt: Option<Value<bool>>,
    /// ECA `namedUserJwtTimeout` (minutes) and `namedUserJwtSessionTimeoutType`.
    pub jwt_timeout: Setting<u32>,
    pub jwt_timeout_type: Option<Value<String>>,
    /// `callbackUrl` (connected app `oauthConfig`, ECA `.ecaGlblOauth`): one value per URL,
    /// as the element may hold several, one per line.
    pub callback_urls: Vec<Value<String>>,
    /// `isConsumerSecretOptional`: `false` means a confidential client (its secret is required).
    pub secret_optional: Option<Value<bool>>,
    /// `isSecretRequiredForRefreshToken`: `true` means a confidential client.
    pub secret_required_for_refresh: Option<Value<bool>>,
}

/// One switch of a flow that two ECA files must both turn on.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSwitch {
    /// The root of the file that holds the switch; `None` when the file is not in the
    /// repository (then the switch is unknown, and taken to agree with the other).
    pub file: Option<Location>,
    pub value: Option<Value<bool>>,
}

impl FlowSwitch {
    /// On, or unknown because its file is not in the repository.
    fn on_or_unknown(&self) -> bool {
        self.file.is_none() || self.value.as_ref().is_some_and(|v| v.value)
    }

    /// The file is in the repository and does not turn the switch on: the `false`, or the
    /// file's root when the element is missing.
    pub fn off_at(&self) -> Option<Location> {
        let file = self.file?;
        match &self.value {
            Some(v) if v.value => None,
            Some(v) => Some(v.loc),
            None => Some(file),
        }
    }
}

/// `isClientCredentialsFlowEnabled` of an ECA's `.ecaGlblOauth` and `.ecaOauthPlcy` files.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowSwitches {
    pub global: FlowSwitch,
    pub policy: FlowSwitch,
}

impl FlowSwitches {
    /// One file turns the flow on and the other (in the repository) does not: the `true`,
    /// and where the other is off.
    pub fn disagreement(&self) -> Option<(&Value<bool>, Location)> {
        fn on(s: &FlowSwitch) -> Option<&Value<bool>> {
            s.value.as_ref().filter(|v| v.value)
        }
        if let (Some(on), Some(off)) = (on(&self.policy), self.global.off_at()) {
            return Some((on, off));
        }
        if let (Some(on), Some(off)) = (on(&self.global), self.policy.off_at()) {
            return Some((on, off));
        }
        None
    }
}

impl OAuth {
    pub fn scope(&self, name: &str) -> Option<&Value<String>> {
        self.scopes.iter().find(|s| s.value.eq_ignore_ascii_case(name))
    }

    /// The app can be granted refresh tokens (`RefreshToken` ≡ `OfflineAccess`).
    pub fn refresh_scope(&self) -> Option<&Value<String>> {
        self.scopes
            .iter()
            .find(|s| s.value.eq_ignore_ascii_case("RefreshToken") || s.value.eq_ignore_ascii_case("OfflineAccess"))
    }

    /// Whether the client-credentials flow is on, and the switch that says so. An ECA's flow
    /// is on only when `.ecaGlblOauth` and `.ecaOauthPlcy` both turn it on (a file not in the
    /// repository is taken to agree). The one place that decides.
    pub fn client_credentials_enabled(&self) -> Option<&Value<bool>> {
        match &self.client_credentials_switches {
            None => self.client_credentials.as_ref().filter(|v| v.value),
            Some(s) if s.global.on_or_unknown() && s.policy.on_or_unknown() => {
                s.policy.value.as_ref().or(s.global.value.as_ref()).filter(|v| v.value)
            }
            Some(_) => None,
        }
    }

    /// Flows with no user step that never receive a refresh token.
    pub fn has_unattended_flow(&self) -> bool {
        self.certificate.is_some() || self.client_credentials_enabled().is_some()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct App {
    pub name: String,
    pub kind: AppKind,
    /// The root element of the app's main file: where app-level findings point.
    pub anchor: Location,
    pub files: Vec<FileId>,
    pub oauth: Option<OAuth>,
    pub session_timeout: Setting<u32>,
    /// The app's own session security requirement (High Assurance).
    pub session_level: SessionLevel,
    pub profiles: Vec<Value<String>>,
    pub permission_sets: Vec<Value<String>>,
    /// SAML, canvas or mobile configuration: signs of an app people use.
    pub interactive_features: Vec<Value<()>>,
    /// Facts worth stating about how the app was assembled (e.g. a missing ECA file).
    pub notes: Vec<String>,
    /// ECA `.ecaPlcy`: `isEnabled` and `isOauthPluginEnabled`, as written.
    pub eca_switches: Vec<Value<bool>>,
}

/// What an app's session policy says about High Assurance sessions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionLevel {
    /// Connected app `sessionLevel`, ECA `requiredSessionLevel`.
    pub level: Setting<String>,
    /// `policyAction`: `Block` or `RaiseSessionLevel`.
    pub action: Setting<String>,
}

impl SessionLevel {
    /// The value that requires High Assurance, if any. The connected-app literal is
    /// unverified, so it is compared case-insensitively.
    pub fn high_assurance(&self) -> Option<&Value<String>> {
        self.level.as_set().filter(|v| v.value.eq_ignore_ascii_case("HIGH_ASSURANCE"))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct IpRange {
    pub start: Option<Value<String>>,
    pub end: Option<Value<String>>,
    pub loc: Location,
}

impl IpRange {
    /// The range, when both ends are addresses of one family in order.
    pub fn net(&self) -> Option<crate::ip::IpNet> {
        crate::ip::IpNet::range(self.start.as_ref()?.value.parse().ok()?, self.end.as_ref()?.value.parse().ok()?)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct OrgSettings {
    pub file: FileId,
    pub anchor: Location,
    /// `sessionSettings/sessionTimeout`, in minutes.
    pub session_timeout: Setting<u32>,
    pub lock_sessions_to_ip: Option<Value<bool>>,
    pub enforce_ip_ranges_every_request: Option<Value<bool>>,
    pub trusted_ip_ranges: Vec<IpRange>,
    /// `passwordPolicies/expiration`.
    pub password_expiration: Setting<PasswordExpiry>,
}

/// How long users' passwords last (`passwordPolicies/expiration`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordExpiry {
    Never,
    Days(u32),
}

/// `OauthOidc.settings`: OAuth flows the org blocks, and org-wide PKCE.
#[derive(Debug, Clone, PartialEq)]
pub struct OauthOidc {
    pub anchor: Location,
    /// `blockOAuthUnPwFlow`: the OAuth username-password flow is blocked.
    pub block_username_password: Option<Value<bool>>,
    /// `blockOAuthUsrAgtFlow`: the user-agent flow (and with it the hybrid app flow) is blocked.
    pub block_user_agent: Option<Value<bool>>,
    /// `isPkceRequired`: every authorization-code flow must use PKCE.
    pub pkce_required: Option<Value<bool>>,
}

/// `ConnectedApp.settings`.
#[derive(Debug, Clone, PartialEq)]
pub struct ConnectedAppSettings {
    pub anchor: Location,
    /// `enableAdminApprovedAppsOnly` ("API Access Control"): only admin-approved or installed
    /// apps may call the API.
    pub admin_approved_apps_only: Option<Value<bool>>,
}

/// One `userPermissions` entry of a profile or permission set, of those rules read.
#[derive(Debug, Clone, PartialEq)]
pub struct UserPermission {
    pub name: Value<String>,
    pub enabled: Value<bool>,
}

/// The user permissions rules read; the others are not kept.
pub const PERMISSIONS_READ: [&str; 3] = ["ApiEnabled", "PasswordNeverExpires", "UseAnyApiClient"];

/// The entry for permission `name`, if the file has one.
pub fn permission<'a>(permissions: &'a [UserPermission], name: &str) -> Option<&'a UserPermission> {
    permissions.iter().find(|p| p.name.value == name)
}

/// A permission set an app assigns; read only then, and only its user permissions.
#[derive(Debug, Clone, PartialEq)]
pub struct PermissionSet {
    /// The API name, from the file name with its percent escapes decoded.
    pub name: String,
    pub anchor: Location,
    pub user_permissions: Vec<UserPermission>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LoginHours {
    pub loc: Location,
    /// (day, start minute, end minute) for each day that has both values, Monday first.
    pub days: Vec<(&'static str, u32, u32)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The profile's name, from the file name with its percent escapes decoded.
    pub name: String,
    pub anchor: Location,
    pub login_ip_ranges: Vec<IpRange>,
    pub login_hours: Option<LoginHours>,
    /// Of `userPermissions`, those in [`PERMISSIONS_READ`].
    pub user_permissions: Vec<UserPermission>,
}

impl Profile {
    /// Whether the profile's login IP ranges restrict where its users log in from: it has
    /// some, and together they leave out more than a sliver (1 %) of the public IPv4 space,
    /// or of the public IPv6 space where it has IPv6 ranges. `0.0.0.0–255.255.255.255`
    /// restricts nothing. Unreadable ranges count for nothing.
    pub fn restricts_login_ips(&self) -> bool {
        if self.login_ip_ranges.is_empty() {
            return false;
        }
        let nets: Vec<crate::ip::IpNet> = self.login_ip_ranges.iter().filter_map(IpRange::net).collect();
        let has_v6 = nets.iter().any(|n| !n.start.is_ipv4());
        !crate::ip::covers_public(&nets, true) || (has_v6 && !crate::ip::covers_public(&nets, false))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSessionSetting {
    pub anchor: Location,
    /// `<profile>`, else (where it is nil) the name in the file name.
    pub profile: Option<Value<String>>,
    /// The profile was named only by the file name: the name the profile had when the
    /// file was made, so a file whose `<profile>` names it wins.
    pub profile_from_file_name: bool,
    pub session_timeout: Setting<u32>,
    pub required_session_level: Setting<String>,
}

/// A value or element Salesforce will not accept.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub loc: Location,
    pub message: String,
    pub label: String,
    pub help: String,
}

/// A file that is not well-formed XML or not the metadata its name says.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseFailure {
    pub loc: Location,
    pub message: String,
}

//! The literal values Salesforce accepts for the policy elements forcelint reads, and
//! "did you mean" suggestions for the ones it does not.
//!
//! Sources: `reference/salesforce-metadata.md` §1.4, §1.5, §2.5, §3.1, §3.3.

use super::{IpRelaxation, PasswordExpiry, Period, RefreshTokenPolicy, TimeUnit};

/// Why a literal was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub expected: String,
    pub suggestion: Option<String>,
}

fn reject(expected: impl Into<String>, suggestion: Option<String>) -> Rejection {
    Rejection { expected: expected.into(), suggestion }
}

/// The largest number Salesforce's `xsd:int` fields hold.
pub const MAX_INT: u32 = i32::MAX as u32;

/// A whole number as Salesforce reads one: ASCII digits only (no sign, no spaces: Rust's
/// `parse` would take `+5`), at most [`MAX_INT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    Ok(u32),
    NotDigits,
    TooLarge,
}

fn number(raw: &str) -> Number {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Number::NotDigits;
    }
    match raw.parse::<u32>() {
        Ok(n) if n <= MAX_INT => Number::Ok(n),
        _ => Number::TooLarge,
    }
}

/// `number` as an `Option`, for the callers that refuse both failures alike.
fn digits(raw: &str) -> Option<u32> {
    match number(raw) {
        Number::Ok(n) => Some(n),
        _ => None,
    }
}

fn list(values: &[&str]) -> String {
    values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
}

/// Connected app `oauthPolicy/ipRelaxation`: upper-case literals (verified).
pub const CA_IP_RELAXATION: [&str; 4] = ["ENFORCE", "ENFORCE_RELAXREFRESH", "BYPASS_2FACTOR", "BYPASS"];
/// ECA `ipRelaxationPolicyType`: mixed case; the case of the last one is unverified, so
/// all are compared case-insensitively.
pub const ECA_IP_RELAXATION: [&str; 4] = ["Enforce", "Enforce_RelaxRefresh", "Bypass_2factor", "Bypass"];
const IP_RELAXATION_VALUES: [IpRelaxation; 4] =
    [IpRelaxation::Enforce, IpRelaxation::EnforceRelaxRefresh, IpRelaxation::Bypass2Factor, IpRelaxation::Bypass];

pub fn connected_app_ip_relaxation(raw: &str) -> Result<IpRelaxation, Rejection> {
    if let Some(i) = CA_IP_RELAXATION.iter().position(|v| *v == raw) {
        return Ok(IP_RELAXATION_VALUES[i]);
    }
    let suggestion = match raw.to_ascii_uppercase().as_str() {
        // Invented literals seen in AI-written examples: the real one is "relax for activated devices".
        "ENFORCE_ACTIVATED_DEVICES" | "ENFORCE_ACTIVATED_USERS" | "RELAX_ACTIVATED_DEVICES" => {
            Some("BYPASS_2FACTOR".to_string())
        }
        _ => did_you_mean(raw, &CA_IP_RELAXATION),
    };
    Err(reject(format!("one of {}", list(&CA_IP_RELAXATION)), suggestion))
}

pub fn eca_ip_relaxation(raw: &str) -> Result<IpRelaxation, Rejection> {
    if let Some(i) = ECA_IP_RELAXATION.iter().position(|v| *v == raw) {
        return Ok(IP_RELAXATION_VALUES[i]);
    }
    // `Enforce_RelaxRefresh` is also reported as `Enforce_relaxrefresh`: any case.
    if raw.eq_ignore_ascii_case(ECA_IP_RELAXATION[1]) && raw != raw.to_ascii_uppercase() {
        return Ok(IpRelaxation::EnforceRelaxRefresh);
    }
    let suggestion = match raw.to_ascii_uppercase().as_str() {
        "ENFORCE_ACTIVATED_DEVICES" | "ENFORCE_ACTIVATED_USERS" | "RELAX_ACTIVATED_DEVICES" => {
            Some("Bypass_2factor".to_string())
        }
        // Connected-app spellings: same meaning, other case.
        upper => ECA_IP_RELAXATION
            .iter()
            .find(|v| v.to_ascii_uppercase() == upper)
            .map(|v| v.to_string())
            .or_else(|| did_you_mean(raw, &ECA_IP_RELAXATION)),
    };
    Err(reject(format!("one of {}", list(&ECA_IP_RELAXATION)), suggestion))
}

const CA_REFRESH_EXPECTED: &str =
    "`infinite`, `zero`, `specific_lifetime:N:UNIT` or `specific_inactivity:N:UNIT` (UNIT is HOURS, DAYS or MONTHS)";

/// Connected app `oauthPolicy/refreshTokenPolicy`: `zero`, `infinite`,
/// `specific_lifetime:N:UNIT`, `specific_inactivity:N:UNIT`.
pub fn connected_app_refresh_token_policy(raw: &str) -> Result<RefreshTokenPolicy, Rejection> {
    match raw {
        "infinite" => return Ok(RefreshTokenPolicy::Infinite),
        "zero" => return Ok(RefreshTokenPolicy::Zero),
        _ => {}
    }
    let mut parts = raw.split(':');
    let head = parts.next().unwrap_or("");
    let rest: Vec<&str> = parts.collect();
    let lower_head = head.to_ascii_lowercase();
    let kind = match lower_head.as_str() {
        "specific_lifetime" => Some(RefreshTokenPolicy::Lifetime as fn(Period) -> RefreshTokenPolicy),
        "specific_inactivity" => Some(RefreshTokenPolicy::Inactivity as fn(Period) -> RefreshTokenPolicy),
        _ => None,
    };
    if let Some(make) = kind {
        // Unit case on retrieve is unverified: accept any case. The prefix is verified lower case.
        if let [n, unit] = rest.as_slice()
            && let (Number::Ok(n), Some(unit)) = (number(n), time_unit(unit))
            && n > 0
        {
            if head == lower_head {
                return Ok(make(Period { n, unit }));
            }
            return Err(reject(
                format!("`{lower_head}:N:UNIT`, in lower case"),
                Some(format!("{lower_head}:{}", rest.join(":"))),
            ));
        }
    }
    if kind.is_some() && head == lower_head {
        if let [n, _] = rest.as_slice()
            && number(n) == Number::TooLarge
        {
            return Err(reject(format!("`{head}:N:UNIT` with N at most {MAX_INT}"), None));
        }
        let example = format!("{head}:1:DAYS");
        return Err(reject(
            format!("`{head}:N:UNIT` with N a positive whole number and UNIT one of HOURS, DAYS, MONTHS"),
            Some(example),
        ));
    }
    let lower = raw.to_ascii_lowercase();
    let suggestion = match lower.replace(['-', ' '], "_").as_str() {
        "infinite" | "zero" => Some(lower.clone()),
        // ECA literals or upper-case names written into a connected app.
        "specific_lifetime" | "specificlifetime" => Some("specific_lifetime:N:DAYS".to_string()),
        "specific_inactivity" | "specificinactivity" => Some("specific_inactivity:N:DAYS".to_string()),
        _ => did_you_mean(raw, &["infinite", "zero", "specific_lifetime", "specific_inactivity"]).map(|s| {
            match s.as_str() {
                "specific_lifetime" | "specific_inactivity" => format!("{s}:N:DAYS"),
                _ => s,
            }
        }),
    };
    Err(reject(CA_REFRESH_EXPECTED, suggestion))
}

pub const ECA_REFRESH_TYPES: [&str; 4] = ["Infinite", "Zero", "SpecificLifetime", "SpecificInactivity"];

/// The kind of ECA refresh-token policy; the period comes from sibling elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EcaRefreshType {
    Infinite,
    Zero,
    SpecificLifetime,
    SpecificInactivity,
}

pub fn eca_refresh_token_type(raw: &str) -> Result<EcaRefreshType, Rejection> {
    const VALUES: [EcaRefreshType; 4] = [
        EcaRefreshType::Infinite,
        EcaRefreshType::Zero,
        EcaRefreshType::SpecificLifetime,
        EcaRefreshType::SpecificInactivity,
    ];
    if let Some(i) = ECA_REFRESH_TYPES.iter().position(|v| *v == raw) {
        return Ok(VALUES[i]);
    }
    // Connected-app spellings (`zero`, `specific_lifetime`) map onto the ECA ones.
    let squashed = raw.replace('_', "").to_ascii_lowercase();
    let suggestion = ECA_REFRESH_TYPES
        .iter()
        .find(|v| v.to_ascii_lowercase() == squashed || squashed.starts_with(&v.to_ascii_lowercase()))
        .map(|v| v.to_string())
        .or_else(|| did_you_mean(raw, &ECA_REFRESH_TYPES));
    Err(reject(format!("one of {}", list(&ECA_REFRESH_TYPES)), suggestion))
}

pub const ECA_UNITS: [&str; 3] = ["Hours", "Days", "Months"];

/// `HOURS`/`Hours`/`hours`: the case used on retrieve is unverified.
pub fn time_unit(raw: &str) -> Option<TimeUnit> {
    match raw.to_ascii_lowercase().as_str() {
        "hours" => Some(TimeUnit::Hours),
        "days" => Some(TimeUnit::Days),
        "months" => Some(TimeUnit::Months),
        _ => None,
    }
}

/// ECA `refreshTokenValidityUnit`: `Hours`, `Days`, `Months` as the docs write them.
pub fn eca_time_unit(raw: &str) -> Result<TimeUnit, Rejection> {
    if let Some(i) = ECA_UNITS.iter().position(|u| *u == raw) {
        return Ok([TimeUnit::Hours, TimeUnit::Days, TimeUnit::Months][i]);
    }
    // `DAYS`, `day`: the same unit in another spelling.
    let plural = format!("{}s", raw.trim_end_matches(['s', 'S']));
    let suggestion =
        time_unit(&plural).map(|u| ECA_UNITS[u as usize].to_string()).or_else(|| did_you_mean(raw, &ECA_UNITS));
    Err(reject(format!("one of {}", list(&ECA_UNITS)), suggestion))
}

/// `SecuritySettings` `sessionTimeout` literals and their length in minutes.
pub const ORG_SESSION_TIMEOUTS: [(&str, u32); 9] = [
    ("FifteenMinutes", 15),
    ("ThirtyMinutes", 30),
    ("SixtyMinutes", 60),
    ("NinetyMinutes", 90),
    ("TwoHours", 120),
    ("FourHours", 240),
    ("EightHours", 480),
    ("TwelveHours", 720),
    ("TwentyFourHours", 1440),
];

pub fn org_session_timeout(raw: &str) -> Result<u32, Rejection> {
    if let Some((_, minutes)) = ORG_SESSION_TIMEOUTS.iter().find(|(name, _)| *name == raw) {
        return Ok(*minutes);
    }
    let names: Vec<&str> = ORG_SESSION_TIMEOUTS.iter().map(|(n, _)| *n).collect();
    let suggestion = match digits(raw) {
        Some(minutes) => ORG_SESSION_TIMEOUTS.iter().find(|(_, m)| *m == minutes).map(|(n, _)| n.to_string()),
        None => did_you_mean(raw, &names),
    };
    Err(reject(format!("one of {}", list(&names)), suggestion))
}

/// `passwordPolicies/expiration` (enum `ExpirationOption`) and its length in days.
pub const PASSWORD_EXPIRATIONS: [(&str, Option<u32>); 6] = [
    ("Never", None),
    ("ThirtyDays", Some(30)),
    ("SixtyDays", Some(60)),
    ("NinetyDays", Some(90)),
    ("SixMonths", Some(180)),
    ("OneYear", Some(365)),
];

pub fn password_expiration(raw: &str) -> Result<PasswordExpiry, Rejection> {
    if let Some((_, days)) = PASSWORD_EXPIRATIONS.iter().find(|(name, _)| *name == raw) {
        return Ok(days.map_or(PasswordExpiry::Never, PasswordExpiry::Days));
    }
    let names: Vec<&str> = PASSWORD_EXPIRATIONS.iter().map(|(n, _)| *n).collect();
    let suggestion = match digits(raw) {
        Some(d) => PASSWORD_EXPIRATIONS.iter().find(|(_, days)| *days == Some(d)).map(|(n, _)| n.to_string()),
        None => did_you_mean(raw, &names),
    };
    Err(reject(format!("one of {}", list(&names)), suggestion))
}

/// `ProfileSessionSetting` `sessionTimeout`, in minutes; `0` means two hours.
pub const PROFILE_SESSION_TIMEOUTS: [u32; 10] = [0, 15, 30, 60, 90, 120, 240, 480, 720, 1440];

pub fn profile_session_timeout(raw: &str) -> Result<u32, Rejection> {
    let expected =
        format!("one of {} (minutes; 0 means two hours)", PROFILE_SESSION_TIMEOUTS.map(|m| m.to_string()).join(", "));
    match digits(raw) {
        Some(0) => Ok(120),
        Some(m) if PROFILE_SESSION_TIMEOUTS.contains(&m) => Ok(m),
        Some(m) => {
            let nearest = PROFILE_SESSION_TIMEOUTS[1..].iter().min_by_key(|v| v.abs_diff(m)).copied();
            Err(reject(expected, nearest.map(|n| n.to_string())))
        }
        None => {
            let suggestion = ORG_SESSION_TIMEOUTS.iter().find(|(n, _)| *n == raw).map(|(_, m)| m.to_string());
            Err(reject(expected, suggestion))
        }
    }
}

/// A whole number of minutes (`sessionTimeout`, `sessionTimeoutInMinutes`). The allowed
/// set for apps is unverified, so any positive whole number is accepted.
pub fn minutes(raw: &str) -> Result<u32, Rejection> {
    match number(raw) {
        Number::Ok(m) if m > 0 => Ok(m),
        Number::TooLarge => Err(reject(format!("a positive whole number of minutes, at most {MAX_INT}"), None)),
        _ => {
            let suggestion = ORG_SESSION_TIMEOUTS.iter().find(|(n, _)| *n == raw).map(|(_, m)| m.to_string());
            Err(reject("a positive whole number of minutes", suggestion))
        }
    }
}

pub fn positive_int(raw: &str) -> Result<u32, Rejection> {
    match number(raw) {
        Number::Ok(n) if n > 0 => Ok(n),
        Number::TooLarge => Err(reject(format!("a positive whole number, at most {MAX_INT}"), None)),
        _ => Err(reject("a positive whole number", None)),
    }
}

pub fn boolean(raw: &str) -> Result<bool, Rejection> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => {
            let lower = raw.to_ascii_lowercase();
            let suggestion = (lower == "true" || lower == "false").then_some(lower);
            Err(reject("`true` or `false`", suggestion))
        }
    }
}

pub const POLICY_ACTIONS: [&str; 2] = ["Block", "RaiseSessionLevel"];

/// `policyAction` (enum `PolicyAction`).
pub fn policy_action(raw: &str) -> Result<String, Rejection> {
    if POLICY_ACTIONS.contains(&raw) {
        return Ok(raw.to_string());
    }
    let suggestion = POLICY_ACTIONS
        .iter()
        .find(|v| v.eq_ignore_ascii_case(raw) || v.eq_ignore_ascii_case(&raw.replace('_', "")))
        .map(|v| v.to_string())
        .or_else(|| did_you_mean(raw, &POLICY_ACTIONS));
    Err(reject(format!("one of {}", list(&POLICY_ACTIONS)), suggestion))
}

/// Profile `loginHours` values: minutes after midnight, whole hours, 0 to 1440.
pub fn login_hour(raw: &str) -> Result<u32, Rejection> {
    match digits(raw) {
        Some(m) if m <= 1440 && m % 60 == 0 => Ok(m),
        Some(m) if m <= 1440 => Err(reject(
            "minutes after midnight in whole hours (0, 60, ..., 1440)",
            Some(((m + 30) / 60 * 60).to_string()),
        )),
        _ => Err(reject("minutes after midnight in whole hours (0, 60, ..., 1440)", None)),
    }
}

pub const SESSION_LEVELS: [&str; 3] = ["LOW", "STANDARD", "HIGH_ASSURANCE"];

pub fn session_level(raw: &str) -> Result<String, Rejection> {
    if SESSION_LEVELS.contains(&raw) {
        return Ok(raw.to_string());
    }
    let suggestion = SESSION_LEVELS
        .iter()
        .find(|v| v.eq_ignore_ascii_case(raw) || v.replace('_', "").eq_ignore_ascii_case(raw))
        .map(|v| v.to_string())
        .or_else(|| did_you_mean(raw, &SESSION_LEVELS));
    Err(reject(format!("one of {}", list(&SESSION_LEVELS)), suggestion))
}

/// The closest candidate by edit distance (case-insensitive), if it is close enough to be
/// a plausible typo.
pub fn did_you_mean(raw: &str, candidates: &[&str]) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    candidates
        .iter()
        .map(|c| (edit_distance(&lower, &c.to_ascii_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

/// Levenshtein distance over chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refresh_token_policy_grammar() {
        use RefreshTokenPolicy::*;
        let p = |n, unit| Period { n, unit };
        assert_eq!(connected_app_refresh_token_policy("zero"), Ok(Zero));
        assert_eq!(connected_app_refresh_token_policy("infinite"), Ok(Infinite));
        assert_eq!(
            connected_app_refresh_token_policy("specific_lifetime:90:DAYS"),
            Ok(Lifetime(p(90, TimeUnit::Days)))
        );
        assert_eq!(
            connected_app_refresh_token_policy("specific_inactivity:7:days"),
            Ok(Inactivity(p(7, TimeUnit::Days)))
        );
        for bad in
            ["specific_lifetime:0:DAYS", "specific_lifetime:x:DAYS", "specific_lifetime:3", "specific_lifetime:3:WEEKS"]
        {
            let err = connected_app_refresh_token_policy(bad).unwrap_err();
            assert_eq!(err.suggestion.as_deref(), Some("specific_lifetime:1:DAYS"), "{bad}");
        }
        assert_eq!(
            connected_app_refresh_token_policy("SPECIFIC_LIFETIME").unwrap_err().suggestion.as_deref(),
            Some("specific_lifetime:N:DAYS")
        );
        assert_eq!(connected_app_refresh_token_policy("Zero").unwrap_err().suggestion.as_deref(), Some("zero"));
        assert_eq!(connected_app_refresh_token_policy("infinte").unwrap_err().suggestion.as_deref(), Some("infinite"));
        assert_eq!(
            connected_app_refresh_token_policy("SPECIFIC_LIFETIME:90:DAYS").unwrap_err().suggestion.as_deref(),
            Some("specific_lifetime:90:DAYS")
        );
    }

    #[test]
    fn ip_relaxation_literals() {
        assert_eq!(connected_app_ip_relaxation("BYPASS"), Ok(IpRelaxation::Bypass));
        assert_eq!(
            connected_app_ip_relaxation("ENFORCE_ACTIVATED_DEVICES").unwrap_err().suggestion.as_deref(),
            Some("BYPASS_2FACTOR")
        );
        assert_eq!(connected_app_ip_relaxation("Enforce").unwrap_err().suggestion.as_deref(), Some("ENFORCE"));
        assert_eq!(eca_ip_relaxation("Enforce_relaxrefresh"), Ok(IpRelaxation::EnforceRelaxRefresh));
        assert_eq!(eca_ip_relaxation("Enforce_RelaxRefresh"), Ok(IpRelaxation::EnforceRelaxRefresh));
        assert_eq!(eca_ip_relaxation("BYPASS_2FACTOR").unwrap_err().suggestion.as_deref(), Some("Bypass_2factor"));
        assert_eq!(eca_ip_relaxation("ENFORCE").unwrap_err().suggestion.as_deref(), Some("Enforce"));
        assert_eq!(
            eca_ip_relaxation("ENFORCE_RELAXREFRESH").unwrap_err().suggestion.as_deref(),
            Some("Enforce_RelaxRefresh")
        );
        assert_eq!(
            eca_ip_relaxation("ENFORCE_ACTIVATED_DEVICES").unwrap_err().suggestion.as_deref(),
            Some("Bypass_2factor")
        );
        assert_eq!(eca_ip_relaxation("Enforced").unwrap_err().suggestion.as_deref(), Some("Enforce"));
    }

    #[test]
    fn eca_refresh_types_suggest_from_connected_app_spelling() {
        assert_eq!(eca_refresh_token_type("SpecificLifetime"), Ok(EcaRefreshType::SpecificLifetime));
        assert_eq!(
            eca_refresh_token_type("SPECIFIC_LIFETIME").unwrap_err().suggestion.as_deref(),
            Some("SpecificLifetime")
        );
        assert_eq!(eca_refresh_token_type("zero").unwrap_err().suggestion.as_deref(), Some("Zero"));
        assert_eq!(eca_time_unit("Day").unwrap_err().suggestion.as_deref(), Some("Days"));
        assert_eq!(eca_time_unit("DAYS").unwrap_err().suggestion.as_deref(), Some("Days"));
        assert_eq!(eca_time_unit("Months"), Ok(TimeUnit::Months));
    }

    #[test]
    fn session_timeouts() {
        assert_eq!(org_session_timeout("ThirtyMinutes"), Ok(30));
        assert_eq!(org_session_timeout("30").unwrap_err().suggestion.as_deref(), Some("ThirtyMinutes"));
        assert_eq!(org_session_timeout("TwoHour").unwrap_err().suggestion.as_deref(), Some("TwoHours"));
        assert_eq!(profile_session_timeout("0"), Ok(120));
        assert_eq!(profile_session_timeout("45").unwrap_err().suggestion.as_deref(), Some("30"));
        assert_eq!(minutes("15"), Ok(15));
        assert!(minutes("fifteen").is_err());
        assert!(minutes("-5").is_err());
    }

    #[test]
    fn numbers_are_digits_only_and_within_an_int() {
        // Rust's `parse` takes a leading `+`; Salesforce's `xsd:int` fields do not.
        assert!(minutes("+15").is_err());
        assert!(minutes(" 15").is_err());
        assert!(profile_session_timeout("+15").is_err());
        assert!(positive_int("+5").is_err());
        assert!(login_hour("+60").is_err());
        assert!(connected_app_refresh_token_policy("specific_lifetime:+5:DAYS").is_err());
        assert_eq!(minutes("2147483647"), Ok(2_147_483_647));
        let huge = minutes("2147483648").unwrap_err();
        assert!(huge.expected.contains("2147483647"), "{huge:?}");
        // A huge N: the hint says how large N may be, not to write 1.
        let huge = connected_app_refresh_token_policy("specific_lifetime:99999999999:DAYS").unwrap_err();
        assert!(huge.expected.contains("2147483647"), "{huge:?}");
        assert_eq!(huge.suggestion, None);
        assert!(positive_int("99999999999").unwrap_err().expected.contains("2147483647"));
    }

    #[test]
    fn edit_distance_basics() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(did_you_mean("BYPAS", &CA_IP_RELAXATION).as_deref(), Some("BYPASS"));
        assert_eq!(did_you_mean("something", &CA_IP_RELAXATION), None);
    }
}

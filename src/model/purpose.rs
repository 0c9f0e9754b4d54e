//! What each app is for, and the evidence for it (DESIGN §2).
//!
//! Every piece of evidence is kept, not only what decided: `forcelint apps` shows it all.
//! The strongest decides (a flow with no user step; then what people sign in with; then the
//! callback URL; then the refresh scope); where pieces disagree, the evidence says so and
//! the reading under which a finding is least likely to be a false alarm wins.

use super::{App, OAuth, Value};
use crate::source::Location;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Purpose {
    Integration,
    Offline,
    Interactive,
    Unmanaged,
}

impl Purpose {
    pub const ALL: [Purpose; 4] = [Purpose::Integration, Purpose::Offline, Purpose::Interactive, Purpose::Unmanaged];

    pub fn name(self) -> &'static str {
        match self {
            Purpose::Integration => "integration",
            Purpose::Offline => "offline",
            Purpose::Interactive => "interactive",
            Purpose::Unmanaged => "unmanaged",
        }
    }

    pub fn from_name(name: &str) -> Option<Purpose> {
        Purpose::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Reliability rules judge only apps that something runs unattended.
    pub fn is_unattended(self) -> bool {
        matches!(self, Purpose::Integration | Purpose::Offline)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub loc: Location,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Classification {
    pub purpose: Purpose,
    /// What decided first, then every other piece (and a conflict, when there is one).
    pub evidence: Vec<Evidence>,
}

impl Classification {
    /// "integration (client-credentials flow enabled; JWT bearer certificate)"
    pub fn summary(&self) -> String {
        let reasons: Vec<&str> = self.evidence.iter().map(|e| e.text.as_str()).collect();
        format!("{} ({})", self.purpose.name(), reasons.join("; "))
    }
}

/// A server product whose host in a callback URL shows that a system, not a person, holds
/// the app's tokens. The one list; `tests::every_server_host_matches` covers each entry.
#[derive(Debug, PartialEq)]
pub struct ServerHost {
    /// The host, or a domain whose sub-domains count too.
    pub domain: &'static str,
    pub product: &'static str,
    pub kind: &'static str,
}

pub const SERVER_HOSTS: &[ServerHost] = &[
    ServerHost { domain: "platform.boomi.com", product: "Boomi", kind: "an iPaaS" },
    ServerHost { domain: "cloudhub.io", product: "MuleSoft CloudHub", kind: "an iPaaS" },
    ServerHost { domain: "anypoint.mulesoft.com", product: "MuleSoft Anypoint", kind: "an iPaaS" },
    ServerHost { domain: "workato.com", product: "Workato", kind: "an iPaaS" },
    ServerHost { domain: "zapier.com", product: "Zapier", kind: "an iPaaS" },
    ServerHost { domain: "tray.io", product: "Tray.io", kind: "an iPaaS" },
    ServerHost { domain: "integrator.io", product: "Celigo integrator.io", kind: "an iPaaS" },
    ServerHost { domain: "jitterbit.com", product: "Jitterbit", kind: "an iPaaS" },
    ServerHost { domain: "make.com", product: "Make", kind: "an iPaaS" },
    ServerHost { domain: "fivetran.com", product: "Fivetran", kind: "an ETL service" },
    ServerHost { domain: "stitchdata.com", product: "Stitch", kind: "an ETL service" },
    ServerHost { domain: "informaticacloud.com", product: "Informatica Cloud", kind: "an ETL service" },
    ServerHost { domain: "skyvia.com", product: "Skyvia", kind: "an ETL and backup service" },
    ServerHost { domain: "airbyte.com", product: "Airbyte", kind: "an ETL service" },
    ServerHost { domain: "matillion.com", product: "Matillion", kind: "an ETL service" },
    ServerHost { domain: "hightouch.com", product: "Hightouch", kind: "a data-sync service" },
    ServerHost { domain: "getcensus.com", product: "Census", kind: "a data-sync service" },
    ServerHost { domain: "snowflakecomputing.com", product: "Snowflake", kind: "a data warehouse" },
    ServerHost { domain: "splunkcloud.com", product: "Splunk Cloud", kind: "a log-analytics service" },
    ServerHost { domain: "sumologic.com", product: "Sumo Logic", kind: "a log-analytics service" },
    ServerHost { domain: "datadoghq.com", product: "Datadog", kind: "a monitoring service" },
    ServerHost { domain: "databox.com", product: "Databox", kind: "a metrics service" },
    ServerHost { domain: "ownbackup.com", product: "OwnBackup", kind: "a backup service" },
    ServerHost { domain: "odaseva.com", product: "Odaseva", kind: "a backup service" },
];

/// Developers' tools that sign a person in from their own machine.
const DEVELOPER_TOOLS: &[(&str, &str)] =
    &[("oauth.pstmn.io", "Postman"), ("getpostman.com", "Postman"), ("postman.com", "Postman")];

/// Domains of Salesforce itself, where an Auth. Provider's callback lives.
const SALESFORCE_DOMAINS: &[&str] = &["salesforce.com", "force.com", "site.com", "cloudforce.com", "database.com"];

/// What one callback URL says about who uses the app.
#[derive(Debug, Clone, PartialEq)]
pub enum Callback {
    /// An Auth. Provider for Named Credentials: Apex callouts live on the refresh token.
    AuthProvider,
    /// A server product's host, and the callback's host that matched it.
    Server(&'static ServerHost, String),
    /// The Salesforce CLI's web login, or another tool a developer runs.
    DeveloperTool(&'static str),
    /// An Experience Cloud site, the org's own Lightning or Visualforce pages, a mobile or
    /// desktop app's own scheme: people.
    People(&'static str),
}

impl Callback {
    pub fn read(url: &str) -> Option<Callback> {
        let url = url.trim();
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        let (authority, path) = rest.split_at(rest.find(['/', '?', '#']).unwrap_or(rest.len()));
        let authority = authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase();
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) if !h.contains(']') || h.ends_with(']') => (h.to_string(), Some(p.to_string())),
            _ => (authority.clone(), None),
        };
        let path = path.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return (!scheme.is_empty()).then_some(Callback::People("a mobile or desktop app's own URL scheme"));
        }
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if host == "localhost" && port.as_deref() == Some("1717") && path.starts_with("/oauthredirect") {
            return Some(Callback::DeveloperTool("the Salesforce CLI's web login"));
        }
        if SALESFORCE_DOMAINS.iter().any(|d| under(d)) && path.contains("/services/authcallback/") {
            return Some(Callback::AuthProvider);
        }
        if let Some(server) = SERVER_HOSTS.iter().find(|s| under(s.domain)) {
            return Some(Callback::Server(server, host.clone()));
        }
        if let Some((_, tool)) = DEVELOPER_TOOLS.iter().find(|(d, _)| under(d)) {
            return Some(Callback::DeveloperTool(tool));
        }
        if under("lightning.force.com") || under("vf.force.com") || under("visualforce.com") {
            return Some(Callback::People("the org's own Lightning or Visualforce pages"));
        }
        // A site's own pages and OAuth endpoints are where people land; its Apex REST
        // services are called by servers.
        if (under("site.com") || under("force.com"))
            && !under("salesforce.com")
            && !path.contains("/services/apexrest/")
        {
            return Some(Callback::People("an Experience Cloud site"));
        }
        None
    }

    fn lean(&self) -> Lean {
        match self {
            Callback::AuthProvider | Callback::Server(..) => Lean::Unattended,
            Callback::DeveloperTool(_) | Callback::People(_) => Lean::People,
        }
    }

    fn describe(&self, url: &str) -> String {
        match self {
            Callback::AuthProvider => format!(
                "callback `{url}` is an Auth. Provider's: Named Credentials make unattended Apex callouts with its tokens"
            ),
            Callback::Server(s, host) => {
                format!("callback on `{host}` ({}, {}): a server holds the tokens", s.product, s.kind)
            }
            Callback::DeveloperTool(tool) => format!("callback `{url}` is {tool}: a developer's tool"),
            Callback::People(what) => format!("callback `{url}` is {what}: people sign in"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Lean {
    Unattended,
    People,
}

/// Words in a profile's name that say an integration user has it, not people.
const INTEGRATION_PROFILE_WORDS: [&str; 6] = ["integration", "api", "sync", "etl", "middleware", "connector"];

/// The app is pre-authorized (admin-approved) only for profiles none of whose names say
/// an integration user has them: profiles people use.
fn people_profiles(app: &App, oauth: &OAuth) -> Option<Location> {
    let approved = oauth.admin_approved.as_ref().is_some_and(|v| v.value);
    if !approved || app.profiles.is_empty() || !app.permission_sets.is_empty() {
        return None;
    }
    let integration = |p: &Value<String>| {
        let name = p.value.to_ascii_lowercase();
        name.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| INTEGRATION_PROFILE_WORDS.contains(&w))
    };
    (!app.profiles.iter().any(integration)).then(|| app.profiles[0].loc)
}

/// Detects the purpose from the metadata; `declared` (from config) wins.
pub fn classify(app: &App, declared: Option<(Purpose, Location)>) -> Classification {
    if let Some((purpose, loc)) = declared {
        return Classification { purpose, evidence: vec![Evidence { loc, text: "declared in config".into() }] };
    }
    let features: Vec<Evidence> = app
        .interactive_features
        .iter()
        .map(|f| Evidence { loc: f.loc, text: format!("`{}`: people sign in through it", f.element) })
        .collect();
    let Some(oauth) = &app.oauth else {
        // A SAML (or canvas) app without OAuth is one people sign in to.
        if !features.is_empty() {
            return Classification { purpose: Purpose::Interactive, evidence: features };
        }
        return Classification {
            purpose: Purpose::Unmanaged,
            evidence: vec![Evidence { loc: app.anchor, text: "no OAuth settings in the repository".into() }],
        };
    };

    let mut strong = Vec::new();
    if let Some(cc) = oauth.client_credentials_enabled() {
        strong.push(Evidence { loc: cc.loc, text: "client-credentials flow enabled".into() });
    }
    if let Some(cert) = oauth.certificate {
        strong.push(Evidence { loc: cert, text: "JWT bearer certificate".into() });
    }
    if let Some(user) = &oauth.run_as_user {
        strong.push(Evidence { loc: user.loc, text: format!("runs as `{}`", user.value) });
    }
    let callbacks: Vec<(Callback, &Value<String>)> =
        oauth.callback_urls.iter().filter_map(|u| Some((Callback::read(&u.value)?, u))).collect();
    let evidence_of = |lean: Lean| -> Vec<Evidence> {
        callbacks
            .iter()
            .filter(|(c, _)| c.lean() == lean)
            .map(|(c, u)| Evidence { loc: u.loc, text: c.describe(&u.value) })
            .collect()
    };
    let unattended_callbacks = evidence_of(Lean::Unattended);
    let mut people = features;
    people.extend(evidence_of(Lean::People));
    let profiles = people_profiles(app, oauth);
    let refresh = oauth.refresh_scope();
    let mut other = Vec::new();
    if let Some(scope) = refresh {
        other.push(Evidence { loc: scope.loc, text: format!("`{}` scope", scope.value) });
    }
    if let Some(loc) = profiles {
        // Three names: evidence is one line of a report; an app can assign dozens.
        let mut names: Vec<&str> = app.profiles.iter().take(3).map(|p| p.value.as_str()).collect();
        let more = app.profiles.len().saturating_sub(3);
        let more = format!("+{more} more");
        if app.profiles.len() > 3 {
            names.push(&more);
        }
        other.push(Evidence {
            loc,
            text: format!("pre-authorized only for profiles people use ({})", names.join(", ")),
        });
    }
    if let Some(v) = confidential(oauth) {
        other.push(v);
    }

    let all = |first: Vec<Evidence>, rest: &[&Vec<Evidence>]| -> Vec<Evidence> {
        let mut out = first;
        for r in rest {
            out.extend(r.iter().cloned());
        }
        out
    };

    // A flow with no user step decides: people's evidence is then about another use of the app.
    if !strong.is_empty() {
        let mut evidence = all(strong, &[&unattended_callbacks, &people, &other]);
        if let Some(p) = people.first() {
            evidence.push(conflict(
                p.loc,
                "a flow with no user step wins: its logins are unattended whoever else uses the app",
            ));
        }
        return Classification { purpose: Purpose::Integration, evidence };
    }
    // People sign in (SAML, canvas, mobile, a site or a developer's tool): interactive, even
    // with a refresh scope (a 12-month refresh lifetime on a mobile app is hardening).
    if !people.is_empty() {
        let mut evidence = all(people.clone(), &[&unattended_callbacks, &other]);
        // A refresh scope is what a mobile or canvas app asks for anyway; beside a callback
        // alone it may be a system's, so the conflict is said.
        let scope_conflict = refresh.is_some() && app.interactive_features.is_empty();
        if let Some(u) = unattended_callbacks.first().or(scope_conflict.then(|| &other[0])) {
            evidence.push(conflict(u.loc, "judged interactive, the reading least likely to raise a false alarm"));
        }
        return Classification { purpose: Purpose::Interactive, evidence };
    }
    let auth_provider = callbacks.iter().any(|(c, _)| *c == Callback::AuthProvider);
    // Without its scopes, a server product's callback does not say whether the app keeps a
    // refresh token (offline) or lives on its access token (integration); an Auth. Provider
    // keeps one either way.
    if !oauth.scopes_known && !auth_provider {
        let scopes = Evidence {
            loc: oauth.config,
            text: "no `.ecaOauth` file: its OAuth scopes are not in the repository".into(),
        };
        return Classification { purpose: Purpose::Unmanaged, evidence: all(vec![scopes], &[&unattended_callbacks]) };
    }
    if refresh.is_some() || auth_provider {
        // A person authorizes once; a system (a Named Credential, a server product) keeps the
        // refresh token.
        let (first, rest): (Vec<Evidence>, Vec<Evidence>) = match refresh {
            Some(_) => (vec![other[0].clone()], other[1..].to_vec()),
            None => (Vec::new(), other.clone()),
        };
        return Classification { purpose: Purpose::Offline, evidence: all(first, &[&unattended_callbacks, &rest]) };
    }
    if !unattended_callbacks.is_empty() {
        // A server product without a refresh scope: it lives on its access token.
        return Classification { purpose: Purpose::Integration, evidence: all(unattended_callbacks, &[&other]) };
    }
    let mut evidence = vec![Evidence { loc: oauth.config, text: "no refresh-token scope".into() }];
    evidence.extend(other);
    Classification { purpose: Purpose::Interactive, evidence }
}

/// `isConsumerSecretOptional` false or `isSecretRequiredForRefreshToken` true: the client
/// must present its secret. Shown where PKCE is required, which readers take for a public
/// client; not decisive: servers and native apps alike can be confidential.
fn confidential(oauth: &OAuth) -> Option<Evidence> {
    oauth.pkce.as_ref().filter(|p| p.value)?;
    let required = oauth.secret_required_for_refresh.as_ref().filter(|v| v.value);
    let not_optional = oauth.secret_optional.as_ref().filter(|v| !v.value);
    let v = not_optional.or(required)?;
    Some(Evidence { loc: v.loc, text: "consumer secret required: a confidential client".into() })
}

fn conflict(loc: Location, how: &str) -> Evidence {
    Evidence { loc, text: format!("conflicting evidence: {how}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_server_host_matches() {
        for server in SERVER_HOSTS {
            for url in
                [format!("https://{}/oauth/callback", server.domain), format!("https://eu1.{}/cb", server.domain)]
            {
                let host = url.split('/').nth(2).unwrap().to_string();
                match Callback::read(&url) {
                    Some(Callback::Server(s, matched)) => {
                        assert_eq!(s.domain, server.domain, "{url}");
                        assert_eq!(matched, host, "{url}");
                    }
                    other => panic!("{url}: {other:?}"),
                }
                // The evidence names the host that matched, and the product.
                let text = Callback::read(&url).unwrap().describe(&url);
                assert!(text.contains(&format!("`{host}`")) && text.contains(server.product), "{text}");
            }
            // Only the domain itself and its sub-domains.
            let lookalike = format!("https://not{}/cb", server.domain);
            assert_eq!(Callback::read(&lookalike), None, "{lookalike}");
        }
    }

    #[test]
    fn callbacks_from_real_repositories() {
        let read = |u: &str| Callback::read(u);
        assert!(matches!(
            read("https://platform.boomi.com/account/jde-AI42D3/oauth2/callback"),
            Some(Callback::Server(ServerHost { product: "Boomi", .. }, _))
        ));
        assert!(
            matches!(read("https://connect.databox.com/callback"), Some(Callback::Server(_, h)) if h == "connect.databox.com")
        );
        for auth in [
            "https://nikh-dev-ed.my.salesforce.com/services/authcallback/Roshan_Dev",
            "https://login.salesforce.com/services/authcallback/00D2w000001OjyNEAS/TestAuth",
            "https://egylieretravel--dev.sandbox.my.salesforce.com/services/authcallback/Api_Integration",
        ] {
            assert_eq!(read(auth), Some(Callback::AuthProvider), "{auth}");
        }
        assert_eq!(read("https://evil.example.com/services/authcallback/X"), None, "not on a Salesforce domain");
        assert!(
            matches!(read("http://localhost:1717/OauthRedirect"), Some(Callback::DeveloperTool(t)) if t.contains("CLI"))
        );
        assert!(matches!(read("https://oauth.pstmn.io/v1/callback"), Some(Callback::DeveloperTool("Postman"))));
        assert!(read("http://localhost:8080/callback").is_none());
        assert!(
            matches!(read("https://milestoneconsulting--dev.sandbox.my.site.com/portal"), Some(Callback::People(w)) if w.contains("Experience"))
        );
        assert!(matches!(
            read("https://milestoneconsulting--dev.sandbox.my.site.com/services/oauth2/success"),
            Some(Callback::People(_))
        ));
        assert!(
            matches!(read("https://cvet.lightning.force.com/"), Some(Callback::People(w)) if w.contains("Lightning"))
        );
        assert!(
            matches!(read("testsfdc:///mobilesdk/detect/oauth/done"), Some(Callback::People(w)) if w.contains("scheme"))
        );
        // Placeholders and the org's own OAuth endpoints say nothing.
        for none in [
            "https://login.salesforce.com/services/oauth2/success",
            "https://example.com/dummy",
            "https://amadeus-hospitality.my.salesforce.com/services/oauth2/callback",
            "https://uat1-carharttars.cs20.force.com/MarketingCloudController/services/apexrest/marketingCloud/",
            "not a url",
            "https://",
        ] {
            assert_eq!(read(none), None, "{none}");
        }
    }
}

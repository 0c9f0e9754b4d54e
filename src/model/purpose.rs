//! What each app is for, and the evidence for it (DESIGN §2).

use super::App;
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
    pub evidence: Vec<Evidence>,
}

impl Classification {
    /// "integration (client-credentials flow enabled; JWT bearer certificate)"
    pub fn summary(&self) -> String {
        let reasons: Vec<&str> = self.evidence.iter().map(|e| e.text.as_str()).collect();
        format!("{} ({})", self.purpose.name(), reasons.join("; "))
    }
}

/// Detects the purpose from the metadata; `declared` (from config) wins.
pub fn classify(app: &App, declared: Option<(Purpose, Location)>) -> Classification {
    if let Some((purpose, loc)) = declared {
        return Classification { purpose, evidence: vec![Evidence { loc, text: "declared in config".into() }] };
    }
    let Some(oauth) = &app.oauth else {
        return Classification {
            purpose: Purpose::Unmanaged,
            evidence: vec![Evidence { loc: app.anchor, text: "no OAuth settings in the repository".into() }],
        };
    };
    let mut evidence = Vec::new();
    if let Some(cc) = oauth.client_credentials_enabled() {
        evidence.push(Evidence { loc: cc.loc, text: "client-credentials flow enabled".into() });
    }
    if let Some(cert) = oauth.certificate {
        evidence.push(Evidence { loc: cert, text: "JWT bearer certificate".into() });
    }
    if let Some(user) = &oauth.run_as_user {
        evidence.push(Evidence { loc: user.loc, text: format!("runs as `{}`", user.value) });
    }
    if !evidence.is_empty() {
        return Classification { purpose: Purpose::Integration, evidence };
    }
    // SAML, canvas and mobile apps are used by people, even when they keep them signed in
    // with refresh tokens.
    if let Some(feature) = app.interactive_features.first() {
        return Classification {
            purpose: Purpose::Interactive,
            evidence: vec![Evidence { loc: feature.loc, text: format!("`{}`", feature.element) }],
        };
    }
    // A public client (PKCE) that signs people in (OpenID) is a browser, mobile or desktop app.
    if let (Some(openid), Some(pkce)) = (oauth.scope("OpenID"), oauth.pkce.as_ref().filter(|p| p.value)) {
        return Classification {
            purpose: Purpose::Interactive,
            evidence: vec![
                Evidence { loc: openid.loc, text: "`OpenID` scope".into() },
                Evidence { loc: pkce.loc, text: "PKCE required (a public client)".into() },
            ],
        };
    }
    if !oauth.scopes_known {
        return Classification {
            purpose: Purpose::Unmanaged,
            evidence: vec![Evidence {
                loc: oauth.config,
                text: "no `.ecaOauth` file: its OAuth scopes are not in the repository".into(),
            }],
        };
    }
    if let Some(scope) = oauth.refresh_scope() {
        return Classification {
            purpose: Purpose::Offline,
            evidence: vec![Evidence { loc: scope.loc, text: format!("`{}` scope", scope.value) }],
        };
    }
    let evidence = Evidence { loc: oauth.config, text: "no refresh-token scope".into() };
    Classification { purpose: Purpose::Interactive, evidence: vec![evidence] }
}

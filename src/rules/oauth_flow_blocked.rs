use super::{Options, app_name, password_only};
use crate::finding::{Finding, Severity};
use crate::model::{Project, Purpose, Value};

pub fn check(project: &Project, _: &Options) -> Vec<Finding> {
    let Some(org) = &project.oauth_oidc else { return Vec::new() };
    let on = |v: &Option<Value<bool>>| v.as_ref().filter(|v| v.value).cloned();
    let mut findings = Vec::new();
    for (app, class) in project.classified_apps() {
        let Some(oauth) = &app.oauth else { continue };
        let name = app_name(app);
        // `password_only` holds for connected apps only: external client apps do not support
        // the flow at all.
        if let Some(block) = on(&org.block_username_password)
            && password_only(app, class)
        {
            findings.push(
                Finding::new(
                    "oauth-flow-blocked",
                    Severity::Warning,
                    format!(
                        "the org blocks the OAuth username-password flow, and {name} is an integration with no other way to log in (no JWT certificate, no client credentials, no refresh-token scope): if it logs in with a username and password over OAuth, every login fails"
                    ),
                    block.loc,
                    "username-password flow blocked",
                )
                .related(oauth.config, "no JWT certificate, client credentials or refresh-token scope")
                .help(
                    "move the integration to the client-credentials flow (with a run-as user) or the JWT bearer flow, which the block does not affect; the username-password flow is blocked by default in orgs created from Summer '23 on, and external client apps do not support it. Unblocking it (`<blockOAuthUnPwFlow>false</blockOAuthUnPwFlow>`, Setup: OAuth and OpenID Connect Settings → Allow OAuth Username-Password Flows) keeps a deprecated flow alive",
                )
                .about(app, class),
            );
        }
        if let Some(block) = on(&org.block_user_agent)
            && class.purpose == Purpose::Offline
            && let Some(url) = oauth.callback_urls.iter().find(|u| user_agent_callback(&u.value))
        {
            findings.push(
                Finding::new(
                    "oauth-flow-blocked",
                    Severity::Warning,
                    format!(
                        "the org blocks the user-agent flow (and with it the hybrid app flow), and the callback URL of {name} suggests a client that uses one of them (`{}`): its users cannot authorize it, so it gets no new refresh token",
                        url.value
                    ),
                    block.loc,
                    "user-agent and hybrid flows blocked",
                )
                .related(url.loc, "a mobile, desktop or browser client's callback")
                .help(
                    "have the client use the web-server (authorization code) flow with PKCE, which the block does not affect; or, if the client cannot change, allow the user-agent flow again (`<blockOAuthUsrAgtFlow>false</blockOAuthUsrAgtFlow>`, Setup: OAuth and OpenID Connect Settings → Allow OAuth User-Agent Flows)",
                )
                .about(app, class),
            );
        }
        if let Some(pkce) = on(&org.pkce_required)
            && class.purpose == Purpose::Offline
            && !app.requires_pkce()
        {
            findings.push(
                Finding::new(
                    "oauth-flow-blocked",
                    Severity::Info,
                    format!(
                        "the org requires PKCE for every authorization-code flow, and {name} does not require it itself, so its client may not send it: if it does not, authorizing the app again fails, and the integration cannot get a new refresh token"
                    ),
                    pkce.loc,
                    "PKCE required org-wide",
                )
                .related(oauth.config, "the app does not require PKCE")
                .help(
                    "check that the client sends a `code_challenge` (PKCE) when it authorizes, and then require PKCE on the app too, so the two agree (connected app `<isPkceRequired>true</isPkceRequired>` in `oauthConfig`; external client app `isPkceRequired` in `.ecaGlblOauth`)",
                )
                .about(app, class),
            );
        }
    }
    findings
}

/// A callback that suggests the user-agent or hybrid flow: a custom scheme (mobile and
/// desktop apps) or Salesforce's own `/services/oauth2/success` page.
fn user_agent_callback(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s);
    let custom = scheme.is_some_and(|s| s != "http" && s != "https" && !s.is_empty() && !s.contains('/'));
    custom || lower.contains("/services/oauth2/success")
}

#[cfg(test)]
mod tests {
    #[test]
    fn user_agent_callbacks() {
        for url in ["myapp://oauth/callback", "sfdc://success", "https://login.salesforce.com/services/oauth2/success"]
        {
            assert!(super::user_agent_callback(url), "{url}");
        }
        for url in ["https://etl.example.com/oauth/callback", "http://localhost:1717/OauthRedirect", "callback"] {
            assert!(!super::user_agent_callback(url), "{url}");
        }
    }
}

//! What findings claim about Salesforce (issue 11 A, B7, B8; issue 10 item 9 and "Also"):
//! each test writes a small project and checks the wording or the judgement that was wrong.

use forcelint::engine::{Settings, run};
use forcelint::finding::{Finding, Severity};

const CA_DIR: &str = "force-app/main/default/connectedApps";
const ECA: &str = "force-app/main/default";

fn lint(files: &[(&str, String)]) -> (tempfile::TempDir, Vec<Finding>) {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
    }
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    (dir, outcome.findings)
}

fn of<'a>(findings: &'a [Finding], rule: &str) -> Vec<&'a Finding> {
    findings.iter().filter(|f| f.rule == rule).collect()
}

fn one<'a>(findings: &'a [Finding], rule: &str) -> &'a Finding {
    let found = of(findings, rule);
    assert_eq!(found.len(), 1, "{rule}: {:#?}", findings);
    found[0]
}

fn help(f: &Finding) -> &str {
    f.help.as_deref().unwrap_or("")
}

/// A connected app with `inner` inside `oauthConfig` and `rest` after it.
fn ca(name: &str, inner: &str, rest: &str) -> (&'static str, String) {
    let path: &'static str = Box::leak(format!("{CA_DIR}/{name}.connectedApp-meta.xml").into_boxed_str());
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n    <oauthConfig>\n        <callbackUrl>https://login.salesforce.com/services/oauth2/success</callbackUrl>\n{inner}\n    </oauthConfig>\n{rest}\n</ConnectedApp>\n"
    );
    (path, body)
}

/// The files of an external client app; `None` leaves a file out.
fn eca(name: &str, scopes: &str, global: Option<&str>, policies: Option<&str>) -> Vec<(&'static str, String)> {
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let ns = "xmlns=\"http://soap.sforce.com/2006/04/metadata\"";
    let mut files = vec![
        (
            leak(format!("{ECA}/externalClientApps/{name}.eca-meta.xml")),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExternalClientApplication {ns}>\n    <distributionState>Local</distributionState>\n    <label>{name}</label>\n</ExternalClientApplication>\n"
            ),
        ),
        (
            leak(format!("{ECA}/extlClntAppOauthSettings/{name}_oauth.ecaOauth-meta.xml")),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppOauthSettings {ns}>\n    <commaSeparatedOauthScopes>{scopes}</commaSeparatedOauthScopes>\n    <externalClientApplication>{name}</externalClientApplication>\n    <label>{name}</label>\n</ExtlClntAppOauthSettings>\n"
            ),
        ),
    ];
    if let Some(inner) = global {
        files.push((
            leak(format!("{ECA}/extlClntAppGlobalOauthSets/{name}_glbloauth.ecaGlblOauth-meta.xml")),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppGlobalOauthSettings {ns}>\n    <callbackUrl>https://example.com/cb</callbackUrl>\n    <externalClientApplication>{name}</externalClientApplication>\n{inner}\n    <label>{name}</label>\n</ExtlClntAppGlobalOauthSettings>\n"
            ),
        ));
    }
    if let Some(inner) = policies {
        files.push((
            leak(format!("{ECA}/extlClntAppOauthPolicies/{name}_oauthPlcy.ecaOauthPlcy-meta.xml")),
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppOauthConfigurablePolicies {ns}>\n    <externalClientApplication>{name}</externalClientApplication>\n{inner}\n    <label>{name}</label>\n</ExtlClntAppOauthConfigurablePolicies>\n"
            ),
        ));
    }
    files
}

#[test]
fn a1_eca_client_credentials_need_both_files() {
    let policies = "    <clientCredentialsFlowUser>int@example.com</clientCredentialsFlowUser>\n    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>\n    <ipRelaxationPolicyType>Bypass</ipRelaxationPolicyType>";
    // The global settings say false: the flow is off.
    let files = eca(
        "Ledger",
        "Api",
        Some("    <isClientCredentialsFlowEnabled>false</isClientCredentialsFlowEnabled>"),
        Some(policies),
    );
    let (dir, findings) = lint(&files);
    let f = one(&findings, "client-credentials-half-enabled");
    assert_eq!(f.severity, Severity::Error);
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let path = outcome.project.sources.path(f.primary.loc.file).to_string_lossy().into_owned();
    assert!(path.ends_with(".ecaGlblOauth-meta.xml"), "{path}");
    let text =
        &outcome.project.sources.get(f.primary.loc.file).text()[f.primary.loc.span.start..f.primary.loc.span.end];
    assert_eq!(text, "false");
    assert!(help(f).contains(".ecaGlblOauth") && help(f).contains(".ecaOauthPlcy"), "{}", help(f));
    // The model says the flow is off: no other rule takes it for enabled.
    let app = &outcome.project.purposes[0];
    assert!(app.evidence.iter().all(|e| e.text != "client-credentials flow enabled"), "{:?}", app.evidence);

    // The policies file leaves it out: reported at that file's root.
    let files = eca(
        "Ledger",
        "Api",
        Some("    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>"),
        Some("    <clientCredentialsFlowUser>int@example.com</clientCredentialsFlowUser>"),
    );
    let (dir, findings) = lint(&files);
    let f = one(&findings, "client-credentials-half-enabled");
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let path = outcome.project.sources.path(f.primary.loc.file).to_string_lossy().into_owned();
    assert!(path.ends_with(".ecaOauthPlcy-meta.xml"), "{path}");

    // Both say true: on, and nothing to report.
    let files = eca(
        "Ledger",
        "Api",
        Some("    <isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>"),
        Some(policies),
    );
    let (dir, findings) = lint(&files);
    assert!(of(&findings, "client-credentials-half-enabled").is_empty());
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    assert_eq!(outcome.project.purposes[0].evidence[0].text, "client-credentials flow enabled");
}

#[test]
fn a2_run_as_user_must_have_api_only() {
    let (_d, findings) = lint(&[ca(
        "Export",
        "        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <scopes>Api</scopes>",
        "",
    )]);
    let f = one(&findings, "missing-run-as-user");
    assert!(help(f).contains("must have the API Only User permission"), "{}", help(f));
    assert!(!help(f).contains("use a dedicated API-only"), "{}", help(f));
}

#[test]
fn a3_session_timeout_is_an_inactivity_timeout() {
    let cc = "        <isClientCredentialEnabled>true</isClientCredentialEnabled>\n        <oauthClientCredentialUser>int@example.com</oauthClientCredentialUser>\n        <scopes>Api</scopes>";
    let (_d, findings) = lint(&[ca(
        "Export",
        cc,
        "    <sessionPolicy>\n        <sessionTimeout>30</sessionTimeout>\n    </sessionPolicy>",
    )]);
    let f = one(&findings, "short-session-timeout");
    assert!(f.message.contains("without activity"), "{}", f.message);
    assert!(!f.message.contains("end after"), "{}", f.message);
    assert!(f.primary.text.contains("idle"), "{}", f.primary.text);

    // `zero`: the client stops at its first idle gap.
    let offline = "        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>";
    let (_d, findings) = lint(&[ca(
        "Sync",
        offline,
        "    <oauthPolicy>\n        <refreshTokenPolicy>zero</refreshTokenPolicy>\n    </oauthPolicy>",
    )]);
    let f = one(&findings, "expiring-refresh-token");
    assert!(f.message.contains("first idle gap longer than"), "{}", f.message);
}

#[test]
fn a3_jwt_based_eca_tokens_follow_their_own_timeout() {
    let global = "    <certificate>MIIB</certificate>\n    <isNamedUserJwtEnabled>true</isNamedUserJwtEnabled>";
    // 15 minutes for opaque tokens, but the app issues JWT-based tokens that last 12 hours.
    let policies = "    <namedUserJwtSessionTimeoutType>Custom</namedUserJwtSessionTimeoutType>\n    <namedUserJwtTimeout>720</namedUserJwtTimeout>\n    <sessionTimeoutInMinutes>15</sessionTimeoutInMinutes>";
    let (_d, findings) = lint(&eca("Jwt_App", "Api", Some(global), Some(policies)));
    assert!(of(&findings, "short-session-timeout").is_empty(), "{:#?}", findings);

    // A short JWT timeout is judged, at its element.
    let policies = "    <namedUserJwtSessionTimeoutType>Custom</namedUserJwtSessionTimeoutType>\n    <namedUserJwtTimeout>30</namedUserJwtTimeout>\n    <sessionTimeoutInMinutes>720</sessionTimeoutInMinutes>";
    let (_d, findings) = lint(&eca("Jwt_App", "Api", Some(global), Some(policies)));
    let f = one(&findings, "short-session-timeout");
    assert!(f.message.contains("JWT"), "{}", f.message);
    assert!(help(f).contains("namedUserJwtTimeout"), "{}", help(f));
}

#[test]
fn a4_password_logins_are_not_a_renewal_path() {
    let (_d, findings) = lint(&[ca(
        "Legacy",
        "        <oauthClientCredentialUser>int@example.com</oauthClientCredentialUser>\n        <scopes>Api</scopes>",
        "",
    )]);
    let f = one(&findings, "no-unattended-renewal");
    assert!(help(f).contains("username-password"), "{}", help(f));
    assert!(help(f).contains("JWT bearer"), "{}", help(f));
    let page = std::fs::read_to_string("rules/no-unattended-renewal.md").unwrap();
    assert!(!page.contains("false alarm; suppress"), "the page still advises suppressing");
}

#[test]
fn a5_the_second_app_is_an_external_client_app() {
    let (_d, findings) = lint(&[ca(
        "Jwt",
        "        <certificate>MIIB</certificate>\n        <scopes>Api</scopes>",
        "    <sessionPolicy>\n        <sessionLevel>HIGH_ASSURANCE</sessionLevel>\n    </sessionPolicy>",
    )]);
    let f = one(&findings, "high-assurance-blocks-jwt");
    assert!(help(f).contains("external client app"), "{}", help(f));
}

#[test]
fn a6_refresh_scope_removal_only_for_admin_approved_apps() {
    // A self-authorized JWT app: its logins rely on an approval with `refresh_token`.
    let jwt =
        "        <certificate>MIIB</certificate>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>";
    let rest = "    <oauthPolicy>\n        <refreshTokenPolicy>specific_lifetime:90:DAYS</refreshTokenPolicy>\n    </oauthPolicy>";
    let (_d, findings) = lint(&[ca("Jwt", jwt, rest)]);
    let f = one(&findings, "expiring-refresh-token");
    assert!(!help(f).contains("remove the"), "{}", help(f));
    assert!(help(f).contains("admin"), "{}", help(f));

    // Admin-approved with the integration user's profile assigned: removing the scope is safe.
    let approved = "        <certificate>MIIB</certificate>\n        <isAdminApproved>true</isAdminApproved>\n        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>";
    let rest2 = format!("{rest}\n    <profileName>Integration</profileName>");
    let (_d, findings) = lint(&[ca("Jwt", approved, &rest2)]);
    let f = one(&findings, "expiring-refresh-token");
    assert!(help(f).contains("remove the `RefreshToken`"), "{}", help(f));
}

#[test]
fn a7_no_advice_to_remove_elements_without_checking_setup() {
    let (_d, findings) = lint(&[ca(
        "Jwt",
        "        <certificate>MIIB</certificate>\n        <scopes>Api</scopes>",
        "    <sessionPolicy>\n        <sessionLevel>HIGH_ASSURANCE</sessionLevel>\n    </sessionPolicy>",
    )]);
    let f = one(&findings, "high-assurance-blocks-jwt");
    assert!(!help(f).starts_with("remove"), "{}", help(f));
    assert!(help(f).contains("STANDARD"), "{}", help(f));
    assert!(help(f).contains("check the policy in Setup after deploying"), "{}", help(f));

    let policies = "    <refreshTokenPolicyType>SpecificLifetime</refreshTokenPolicyType>\n    <refreshTokenValidityPeriod>90</refreshTokenValidityPeriod>\n    <refreshTokenValidityUnit>Days</refreshTokenValidityUnit>";
    let (_d, findings) = lint(&eca("Sync", "Api, RefreshToken", None, Some(policies)));
    let f = one(&findings, "expiring-refresh-token");
    assert!(!help(f).contains("remove the validity"), "{}", help(f));
    assert!(help(f).contains("check the policy in Setup after deploying"), "{}", help(f));
}

#[test]
fn a8_readme_does_not_overstate_every_request_enforcement() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    assert!(!readme.contains("undoing apps' relaxed IP policies"));
}

#[test]
fn b7_eca_policies_that_switch_oauth_off() {
    let ns = "xmlns=\"http://soap.sforce.com/2006/04/metadata\"";
    for (element, _) in [("isOauthPluginEnabled", ()), ("isEnabled", ())] {
        let mut files = eca(
            "Sync",
            "Api, RefreshToken",
            None,
            Some("    <refreshTokenPolicyType>Infinite</refreshTokenPolicyType>"),
        );
        files.push((
            "force-app/main/default/extlClntAppPolicies/Sync_plcy.ecaPlcy-meta.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppConfigurablePolicies {ns}>\n    <externalClientApplication>Sync</externalClientApplication>\n    <{element}>false</{element}>\n    <label>Sync</label>\n</ExtlClntAppConfigurablePolicies>\n"
            ),
        ));
        let (dir, findings) = lint(&files);
        let f = one(&findings, "eca-oauth-disabled");
        assert_eq!(f.severity, Severity::Error);
        let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
        let text =
            &outcome.project.sources.get(f.primary.loc.file).text()[f.primary.loc.span.start..f.primary.loc.span.end];
        assert_eq!(text, "false", "{element}");
        assert!(help(f).contains(&format!("<{element}>true</{element}>")), "{}", help(f));
    }
    // An app with no OAuth settings (an app-launcher entry) has no OAuth flow to stop.
    let files = vec![
        eca("Launcher", "Api", None, None).remove(0),
        (
            "force-app/main/default/extlClntAppPolicies/Launcher_plcy.ecaPlcy-meta.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ExtlClntAppConfigurablePolicies {ns}>\n    <externalClientApplication>Launcher</externalClientApplication>\n    <isOauthPluginEnabled>false</isOauthPluginEnabled>\n</ExtlClntAppConfigurablePolicies>\n"
            ),
        ),
    ];
    let (_d, findings) = lint(&files);
    assert!(of(&findings, "eca-oauth-disabled").is_empty(), "{findings:#?}");
}

#[test]
fn b8_consumer_key_in_source() {
    let inner = "        <consumerKey>3MVG9abc</consumerKey>\n        <scopes>Api</scopes>";
    let (dir, findings) = lint(&[ca("Portal", inner, "")]);
    let f = one(&findings, "consumer-key-in-source");
    assert_eq!(f.severity, Severity::Warning);
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let text =
        &outcome.project.sources.get(f.primary.loc.file).text()[f.primary.loc.span.start..f.primary.loc.span.end];
    assert_eq!(text, "3MVG9abc");

    // A repository that deploys to one org turns the rule off.
    let config = ("forcelint.toml", "[rules.consumer-key-in-source]\nseverity = \"off\"\n".to_string());
    let (_d, findings) = lint(&[ca("Portal", inner, ""), config]);
    assert!(of(&findings, "consumer-key-in-source").is_empty());
}

#[test]
fn idle_refresh_token_ttl_is_a_30_day_inactivity_window() {
    let (dir, findings) = lint(&eca(
        "Sync",
        "Api, RefreshToken",
        Some("    <isEnforceRefreshTokenTTL>true</isEnforceRefreshTokenTTL>"),
        Some("    <refreshTokenPolicyType>Infinite</refreshTokenPolicyType>"),
    ));
    let f = one(&findings, "expiring-refresh-token");
    assert_eq!(f.severity, Severity::Warning);
    assert!(f.message.contains("30 days"), "{}", f.message);
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let path = outcome.project.sources.path(f.primary.loc.file).to_string_lossy().into_owned();
    assert!(path.ends_with(".ecaGlblOauth-meta.xml"), "{path}");

    // Off: nothing to report.
    let (_d, findings) = lint(&eca(
        "Sync",
        "Api, RefreshToken",
        Some("    <isEnforceRefreshTokenTTL>false</isEnforceRefreshTokenTTL>"),
        Some("    <refreshTokenPolicyType>Infinite</refreshTokenPolicyType>"),
    ));
    assert!(of(&findings, "expiring-refresh-token").is_empty());
}

#[test]
fn expiring_refresh_token_message_fits_the_purpose() {
    let offline = "        <scopes>Api</scopes>\n        <scopes>RefreshToken</scopes>";
    let rest = "    <oauthPolicy>\n        <refreshTokenPolicy>specific_lifetime:90:DAYS</refreshTokenPolicy>\n    </oauthPolicy>";
    let (_d, findings) = lint(&[ca("Sync", offline, rest)]);
    let f = one(&findings, "expiring-refresh-token");
    assert!(!f.message.contains("the integration stops"), "{}", f.message);
    assert!(f.message.contains("authorize"), "{}", f.message);
}

#[test]
fn eca_without_policies_file_is_not_valid_until_revoked() {
    let (dir, findings) = lint(&eca("Sync", "Api, RefreshToken", None, None));
    let f = one(&findings, "expiring-refresh-token");
    assert_eq!(f.severity, Severity::Info);
    assert!(f.message.contains("365"), "{}", f.message);
    assert!(help(f).contains(".ecaOauthPlcy"), "{}", help(f));
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    let policy = forcelint::inventory::refresh_token_policy(&outcome.project.apps[0]);
    assert!(policy.contains("not in the repository"), "{policy}");
    assert!(!policy.contains("valid until revoked (default)"), "{policy}");
}

//! What each app is for (issue 10 items 4, 5, 6) and what `.forceignore` kept out (item 10):
//! each test writes a small project and checks the purpose, its evidence, or the note.

use forcelint::engine::{Outcome, Settings, run};
use forcelint::model::Purpose;

const CA_DIR: &str = "force-app/main/default/connectedApps";

fn project(files: &[(String, String)]) -> (tempfile::TempDir, Outcome) {
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
    }
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    (dir, outcome)
}

/// A connected app with `config` inside `oauthConfig` (no `oauthConfig` when `None`) and
/// `rest` after it.
fn ca(name: &str, config: Option<&str>, rest: &str) -> (String, String) {
    let oauth = config.map(|c| format!("    <oauthConfig>\n{c}\n    </oauthConfig>\n")).unwrap_or_default();
    (
        format!("{CA_DIR}/{name}.connectedApp-meta.xml"),
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n    <label>{name}</label>\n{oauth}{rest}\n</ConnectedApp>\n"
        ),
    )
}

/// The purpose and evidence texts of the one app.
fn judged(config: Option<&str>, rest: &str) -> (Purpose, Vec<String>) {
    let (_d, outcome) = project(&[ca("App", config, rest)]);
    let class = &outcome.project.purposes[0];
    (class.purpose, class.evidence.iter().map(|e| e.text.clone()).collect())
}

fn has(evidence: &[String], part: &str) -> bool {
    evidence.iter().any(|e| e.contains(part))
}

#[test]
fn pkce_is_not_evidence_and_a_required_secret_is_a_confidential_client() {
    let (purpose, evidence) = judged(
        Some(
            "<isConsumerSecretOptional>false</isConsumerSecretOptional><isPkceRequired>true</isPkceRequired>\
             <scopes>OpenID</scopes><scopes>RefreshToken</scopes>",
        ),
        "",
    );
    assert_eq!(purpose, Purpose::Offline, "{evidence:?}");
    assert!(has(&evidence, "confidential client"), "{evidence:?}");
    assert!(!has(&evidence, "PKCE"), "{evidence:?}");
    // Without PKCE a required secret is not worth saying.
    let (_, evidence) =
        judged(Some("<isConsumerSecretOptional>false</isConsumerSecretOptional><scopes>RefreshToken</scopes>"), "");
    assert!(!has(&evidence, "confidential client"), "{evidence:?}");
    // `isSecretRequiredForRefreshToken` says so too.
    let (purpose, evidence) = judged(
        Some(
            "<isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken><isPkceRequired>true</isPkceRequired><scopes>OpenID</scopes><scopes>RefreshToken</scopes>",
        ),
        "",
    );
    assert_eq!(purpose, Purpose::Offline);
    assert!(has(&evidence, "confidential client"), "{evidence:?}");
    // Without a refresh scope, OpenID with PKCE is still people signing in.
    let (purpose, _) = judged(Some("<isPkceRequired>true</isPkceRequired><scopes>OpenID</scopes>"), "");
    assert_eq!(purpose, Purpose::Interactive);
}

#[test]
fn callback_urls_are_evidence_and_say_what_matched() {
    let cb = |url: &str, scopes: &str| format!("<callbackUrl>{url}</callbackUrl>{scopes}");
    // An Auth. Provider: offline, even with scope `Api` only.
    let (purpose, evidence) =
        judged(Some(&cb("https://acme.my.salesforce.com/services/authcallback/Billing", "<scopes>Api</scopes>")), "");
    assert_eq!(purpose, Purpose::Offline, "{evidence:?}");
    assert!(has(&evidence, "Auth. Provider"), "{evidence:?}");
    // A server product's host: integration with `Full` alone, and the host is named.
    let (purpose, evidence) =
        judged(Some(&cb("https://platform.boomi.com/account/x/oauth2/callback", "<scopes>Full</scopes>")), "");
    assert_eq!(purpose, Purpose::Integration, "{evidence:?}");
    assert!(has(&evidence, "`platform.boomi.com` (Boomi, an iPaaS)"), "{evidence:?}");
    // With a refresh scope the product keeps the refresh token: offline, with both pieces.
    let (purpose, evidence) = judged(
        Some(&cb("https://connect.databox.com/callback", "<scopes>Basic</scopes><scopes>RefreshToken</scopes>")),
        "",
    );
    assert_eq!(purpose, Purpose::Offline);
    assert!(has(&evidence, "`RefreshToken` scope") && has(&evidence, "databox.com"), "{evidence:?}");
    // The CLI's web login: a developer's tool, interactive even with a refresh scope; the
    // conflict is said.
    let (purpose, evidence) = judged(
        Some(&cb("http://localhost:1717/OauthRedirect", "<scopes>Api</scopes><scopes>RefreshToken</scopes>")),
        "",
    );
    assert_eq!(purpose, Purpose::Interactive, "{evidence:?}");
    assert!(has(&evidence, "Salesforce CLI") && has(&evidence, "developer's tool"), "{evidence:?}");
    assert!(has(&evidence, "`RefreshToken` scope") && has(&evidence, "conflicting evidence"), "{evidence:?}");
    // A site pre-authorized for profiles people use: interactive with a refresh scope.
    let (purpose, evidence) = judged(
        Some(&cb(
            "https://acme.my.site.com/partners/s/",
            "<isAdminApproved>true</isAdminApproved><scopes>OpenID</scopes><scopes>RefreshToken</scopes>",
        )),
        "<profileName>Partner Community User</profileName>",
    );
    assert_eq!(purpose, Purpose::Interactive, "{evidence:?}");
    assert!(has(&evidence, "Experience Cloud site"), "{evidence:?}");
    assert!(has(&evidence, "profiles people use (Partner Community User)"), "{evidence:?}");
    // A mobile scheme: people.
    let (purpose, _) =
        judged(Some(&cb("acmefield://oauth/done", "<scopes>Api</scopes><scopes>RefreshToken</scopes>")), "");
    assert_eq!(purpose, Purpose::Interactive);
    // Several URLs, one per line: each is read.
    let (purpose, evidence) = judged(
        Some(&cb(
            "https://login.salesforce.com/services/oauth2/success\n  https://acme.my.salesforce.com/services/authcallback/X",
            "<scopes>Api</scopes>",
        )),
        "",
    );
    assert_eq!(purpose, Purpose::Offline, "{evidence:?}");
}

#[test]
fn a_flow_without_a_user_step_wins_and_the_conflict_is_said() {
    let (purpose, evidence) = judged(
        Some(
            "<callbackUrl>http://localhost:1717/OauthRedirect</callbackUrl><certificate>MIIC</certificate><scopes>Api</scopes>",
        ),
        "",
    );
    assert_eq!(purpose, Purpose::Integration);
    assert_eq!(evidence[0], "JWT bearer certificate");
    assert!(has(&evidence, "Salesforce CLI") && has(&evidence, "conflicting evidence"), "{evidence:?}");
}

#[test]
fn saml_only_apps_are_interactive() {
    let saml = "    <samlConfig>\n        <acsUrl>https://sso.example.com/acs</acsUrl>\n    </samlConfig>";
    let (purpose, evidence) = judged(None, saml);
    assert_eq!(purpose, Purpose::Interactive);
    assert!(has(&evidence, "`samlConfig`"), "{evidence:?}");
    // Nothing at all: still unmanaged.
    let (purpose, _) = judged(None, "");
    assert_eq!(purpose, Purpose::Unmanaged);
}

#[test]
fn the_inventory_shows_every_piece_of_evidence() {
    let (_d, outcome) = project(&[ca(
        "App",
        Some(
            "<callbackUrl>http://localhost:1717/OauthRedirect</callbackUrl><isConsumerSecretOptional>false</isConsumerSecretOptional><isPkceRequired>true</isPkceRequired><scopes>RefreshToken</scopes>",
        ),
        "",
    )]);
    let rows = forcelint::inventory::rows(&outcome);
    let evidence = &rows[0].evidence;
    assert_eq!(evidence.len(), 4, "CLI, scope, secret, conflict: {evidence:?}");
}

#[test]
fn forceignore_exclusions_are_noted() {
    let files = [ca("Ignored", Some("<scopes>Api</scopes>"), ""), ca("Other", Some("<scopes>Api</scopes>"), "")];
    let dir = tempfile::tempdir().unwrap();
    for (path, body) in &files {
        let file = dir.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, body).unwrap();
    }
    std::fs::write(dir.path().join(".forceignore"), "**/Ignored.connectedApp-meta.xml\n").unwrap();
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    assert_eq!(outcome.project.apps.len(), 1);
    let note = outcome.notes.iter().find(|n| n.contains(".forceignore")).expect("a note");
    assert!(note.contains("1 metadata file") && note.contains("1 app") && note.contains("`Ignored`"), "{note}");

    // All of them, by folder: counted, and not "no metadata was found" alone.
    std::fs::write(dir.path().join(".forceignore"), "**/connectedApps\n").unwrap();
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    assert!(outcome.project.apps.is_empty());
    let text = outcome.notes.join("\n");
    assert!(text.contains("`.forceignore` excludes 2 metadata files forcelint reads, 2 apps"), "{text}");
    assert!(text.contains("outside what `.forceignore` excludes"), "{text}");

    // Nothing ignored: no note.
    std::fs::remove_file(dir.path().join(".forceignore")).unwrap();
    let outcome = run(&[dir.path().to_path_buf()], &Settings::default()).unwrap();
    assert!(outcome.notes.iter().all(|n| !n.contains("forceignore")), "{:?}", outcome.notes);
}

/// An external client app without its `.ecaOauth` file (its scopes unknown) and a server
/// product's callback: whether it keeps a refresh token is not in the repository, so it is
/// not judged (`unmanaged`), and no rule says it has no refresh scope. An Auth. Provider's
/// callback keeps one either way: offline.
#[test]
fn an_eca_without_its_scopes_is_not_judged_on_a_server_callback() {
    let eca = |callback: &str| {
        let (_d, outcome) = project(&[
            (
                "force-app/main/default/externalClientApps/Claims_Sync.eca-meta.xml".into(),
                "<ExternalClientApplication xmlns=\"http://soap.sforce.com/2006/04/metadata\"><label>Claims Sync</label></ExternalClientApplication>".into(),
            ),
            (
                "force-app/main/default/extlClntAppGlobalOauthSets/Claims_Sync_glbloauth.ecaGlblOauth-meta.xml".into(),
                format!(
                    "<ExtlClntAppGlobalOauthSettings xmlns=\"http://soap.sforce.com/2006/04/metadata\"><callbackUrl>{callback}</callbackUrl><externalClientApplication>Claims_Sync</externalClientApplication><label>g</label></ExtlClntAppGlobalOauthSettings>"
                ),
            ),
        ]);
        let class = outcome.project.purposes[0].clone();
        let rules: Vec<&str> = outcome.findings.iter().map(|f| f.rule).collect();
        (class.purpose, class.evidence.iter().map(|e| e.text.clone()).collect::<Vec<_>>(), rules)
    };
    let (purpose, evidence, rules) = eca("https://acme.workato.com/oauth/callback");
    assert_eq!(purpose, Purpose::Unmanaged, "{evidence:?}");
    assert!(has(&evidence, "scopes are not in the repository") && has(&evidence, "workato.com"), "{evidence:?}");
    assert!(!rules.contains(&"no-unattended-renewal") && !rules.contains(&"integration-password-expires"), "{rules:?}");
    let (purpose, evidence, _) = eca("https://acme.my.salesforce.com/services/authcallback/Claims");
    assert_eq!(purpose, Purpose::Offline, "{evidence:?}");
}

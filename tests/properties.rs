//! Property tests through the public API: whatever bytes a metadata file holds, a run gives
//! findings or a `parse-error` for it, never a panic or a failed run, and every output
//! format renders. Each case writes the same content under every suffix forcelint reads
//! (source format or metadata API format) and runs `forcelint::engine::run` on the folder.
//!
//! Three kinds of content: arbitrary bytes; documents built from the element names and
//! values the model knows (so the model and the rules see plausible, often odd, metadata);
//! and such documents with a few bytes changed or cut off. The fuzz targets in `fuzz/` go
//! further; these keep `cargo test` fast (a few hundred runs).

use forcelint::engine::{self, Outcome, Settings};
use forcelint::finding::Finding;
use forcelint::model::MetadataKind;
use forcelint::report::{concise, human, json};
use proptest::prelude::*;

/// Cases per property: enough to reach odd corners, few enough for a quick `cargo test`.
const CASES: u32 = 128;

/// The file a kind's content is written to: settings files are read by name.
fn file_name(kind: MetadataKind, mdapi: bool) -> String {
    let name = match kind {
        MetadataKind::SecuritySettings => "Security".to_string(),
        MetadataKind::OauthOidcSettings => "OauthOidc".to_string(),
        MetadataKind::ConnectedAppSettings => "ConnectedApp".to_string(),
        _ => format!("F_{kind:?}"),
    };
    if mdapi { format!("{name}.{}", kind.suffix()) } else { format!("{name}.{}-meta.xml", kind.suffix()) }
}

/// Whether forcelint must report a `parse-error` for a file of `kind` holding `bytes`: not
/// UTF-8, not well-formed, or the wrong root element.
fn must_fail(kind: MetadataKind, bytes: &[u8]) -> bool {
    match std::str::from_utf8(bytes) {
        Err(_) => true,
        Ok(text) => forcelint::xml::parse(text).map_or(true, |doc| doc.root.name != kind.root_element()),
    }
}

/// Writes `content(kind)` under every suffix, runs forcelint on the folder and checks the
/// outcome: the run succeeds; each file has exactly one `parse-error` when it is broken and
/// none otherwise; every finding points into a file of the run; every format renders.
fn check_all_kinds(content: impl Fn(MetadataKind) -> Vec<u8>, mdapi: bool) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for kind in MetadataKind::ALL {
        let bytes = content(kind);
        let name = file_name(kind, mdapi);
        std::fs::write(dir.path().join(&name), &bytes).unwrap();
        files.push((name, must_fail(kind, &bytes)));
    }
    // Permission sets are read only when an app assigns them: one app assigns this one.
    let assigner = if mdapi { "Assigner.connectedApp" } else { "Assigner.connectedApp-meta.xml" };
    std::fs::write(
        dir.path().join(assigner),
        "<ConnectedApp xmlns=\"http://soap.sforce.com/2006/04/metadata\"><permissionSetName>F_PermissionSet</permissionSetName></ConnectedApp>",
    )
    .unwrap();
    files.push((assigner.to_string(), false));
    let outcome = match engine::run(&[dir.path().to_path_buf()], &Settings::default()) {
        Ok(outcome) => outcome,
        Err(e) => return Err(TestCaseError::fail(format!("the run failed: {e}"))),
    };
    let sources = &outcome.project.sources;
    prop_assert_eq!(sources.len(), files.len(), "every file is read once");
    let in_file = |f: &Finding, name: &str| {
        f.rule == "parse-error" && sources.path(f.primary.loc.file).file_name() == Some(name.as_ref())
    };
    for (name, fails) in &files {
        let reported = outcome.findings.iter().chain(outcome.suppressed.iter().map(|(f, _)| f));
        let reported = reported.filter(|f| in_file(f, name)).count();
        prop_assert_eq!(reported, usize::from(*fails), "parse-errors in {}: {:#?}", name, outcome.findings);
    }
    for f in &outcome.findings {
        let text = sources.get(f.primary.loc.file).text();
        let span = f.primary.loc.span;
        prop_assert!(
            span.start <= span.end && span.end <= text.len(),
            "{} at {:?} in {} bytes",
            f.rule,
            span,
            text.len()
        );
    }
    render_all(&outcome)
}

fn render_all(outcome: &Outcome) -> Result<(), TestCaseError> {
    let _ = concise::render(outcome);
    let report = json::render(outcome);
    prop_assert!(serde_json::from_str::<serde_json::Value>(&report).is_ok(), "not JSON: {}", report);
    let _ = human::render(outcome, &human::Style { color: false, width: 80 });
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Documents built from what the model knows.

/// Elements the model reads, containers and values alike.
const NAMES: &[&str] = &[
    "fullName",
    "label",
    "oauthConfig",
    "oauthPolicy",
    "sessionPolicy",
    "scopes",
    "certificate",
    "callbackUrl",
    "ipRelaxation",
    "refreshTokenPolicy",
    "sessionTimeout",
    "sessionLevel",
    "policyAction",
    "isClientCredentialEnabled",
    "oauthClientCredentialUser",
    "profileName",
    "permissionSetName",
    "ipRanges",
    "start",
    "end",
    "samlConfig",
    "canvasConfig",
    "mobileAppConfig",
    "externalClientApplication",
    "commaSeparatedOauthScopes",
    "isClientCredentialsFlowEnabled",
    "clientCredentialsFlowUser",
    "isRefreshTokenRotationEnabled",
    "ipRelaxationPolicyType",
    "refreshTokenPolicyType",
    "refreshTokenValidityPeriod",
    "refreshTokenValidityUnit",
    "sessionTimeoutInMinutes",
    "commaSeparatedProfile",
    "commaSeparatedPermissionSet",
    "trustedIpRanges",
    "startIpAddress",
    "endIpAddress",
    "sessionSettings",
    "lockSessionsToIp",
    "enforceIpRangesEveryRequest",
    "networkAccess",
    "ipRanges",
    "startAddress",
    "endAddress",
    "loginIpRanges",
    "loginHours",
    "mondayStart",
    "mondayEnd",
    "profile",
    "requiredSessionLevel",
    "userPermissions",
    "name",
    "enabled",
    "blockOAuthUnPwFlow",
    "blockOAuthUsrAgtFlow",
    "isPkceRequired",
    "enableAdminApprovedAppsOnly",
    "passwordPolicies",
    "expiration",
    "isAdminApproved",
    "permittedUsersPolicyType",
];

/// Values the model parses, plus boundary cases.
const VALUES: &[&str] = &[
    "ApiEnabled",
    "PasswordNeverExpires",
    "NinetyDays",
    "Never",
    "AdminApprovedPreAuthorized",
    "ENFORCE",
    "ENFORCE_RELAXREFRESH",
    "BYPASS_2FACTOR",
    "BYPASS",
    "Enforce",
    "Bypass",
    "infinite",
    "zero",
    "Zero",
    "Infinite",
    "specific_lifetime:90:DAYS",
    "specific_lifetime:0:HOURS",
    "specific_lifetime:4294967296:MONTHS",
    "specific_inactivity:1:HOURS",
    "specific_inactivity::",
    "SpecificLifetime",
    "SpecificInactivity",
    "Days",
    "Hours",
    "Months",
    "RefreshToken",
    "OfflineAccess",
    "Api",
    "Api,RefreshToken",
    "true",
    "false",
    "0",
    "-1",
    "15",
    "120",
    "1440",
    "4294967295",
    "99999999999999999999999",
    "TwoHours",
    "FifteenMinutes",
    "10.0.0.1",
    "255.255.255.255",
    "0.0.0.0",
    "::1",
    "2001:db8::",
    "Admin",
    "Integration",
    "F_ExternalClientApplication",
    "HIGH_ASSURANCE",
    "RaiseSessionLevel",
    "",
];

#[derive(Debug, Clone)]
enum Content {
    Text(String),
    Children(Vec<(String, String)>),
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(VALUES).prop_map(str::to_string),
        1 => any::<String>().prop_map(|s| escape(&s)),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_string)
}

fn body() -> impl Strategy<Value = Vec<(String, Content)>> {
    let content = prop_oneof![
        value().prop_map(Content::Text),
        prop::collection::vec((name(), value()), 0..5).prop_map(Content::Children),
    ];
    prop::collection::vec((name(), content), 0..10)
}

/// A document with `kind`'s root element (or, sometimes, the wrong one) around `body`.
fn document(kind: MetadataKind, body: &[(String, Content)], wrong_root: bool) -> Vec<u8> {
    let root = if wrong_root { "ConnectedApp" } else { kind.root_element() };
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"http://soap.sforce.com/2006/04/metadata\">\n"
    );
    for (name, content) in body {
        match content {
            Content::Text(v) => out.push_str(&format!("    <{name}>{v}</{name}>\n")),
            Content::Children(children) => {
                out.push_str(&format!("    <{name}>\n"));
                for (child, v) in children {
                    out.push_str(&format!("        <{child}>{v}</{child}>\n"));
                }
                out.push_str(&format!("    </{name}>\n"));
            }
        }
    }
    out.push_str(&format!("</{root}>\n"));
    out.into_bytes()
}

/// Changes to a document: (position, byte) overwrites, then maybe a cut.
fn mutate(mut bytes: Vec<u8>, edits: &[(prop::sample::Index, u8)], cut: Option<prop::sample::Index>) -> Vec<u8> {
    if bytes.is_empty() {
        return bytes;
    }
    for (at, b) in edits {
        let i = at.index(bytes.len());
        bytes[i] = *b;
    }
    if let Some(cut) = cut {
        bytes.truncate(cut.index(bytes.len()));
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// Arbitrary bytes, mostly not XML at all.
    #[test]
    fn any_bytes_give_findings_or_a_parse_error(bytes in prop::collection::vec(any::<u8>(), 0..600), mdapi: bool) {
        check_all_kinds(|_| bytes.clone(), mdapi)?;
    }

    /// Well-formed documents of plausible metadata with odd values and shapes.
    #[test]
    fn plausible_documents_never_fail_the_run(body in body(), wrong_root in prop::bool::weighted(0.1), mdapi: bool) {
        check_all_kinds(|kind| document(kind, &body, wrong_root && kind != MetadataKind::ConnectedApp), mdapi)?;
    }

    /// The same documents with a few bytes changed and maybe cut short.
    #[test]
    fn damaged_documents_give_a_parse_error_not_a_panic(
        body in body(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
        mdapi: bool,
    ) {
        check_all_kinds(|kind| mutate(document(kind, &body, false), &edits, cut), mdapi)?;
    }

    /// Keeping only some children of the root (as for profiles) finds exactly the errors
    /// that parsing everything finds.
    #[test]
    fn keeping_some_children_finds_the_same_errors(
        body in body(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..4),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let bytes = mutate(document(MetadataKind::Profile, &body, false), &edits, cut);
        let text = String::from_utf8_lossy(&bytes);
        let whole = forcelint::xml::parse(&text).err();
        let keeps: [fn(&str) -> bool; 2] = [|_| false, |name| name.len() % 2 == 0];
        for keep in keeps {
            prop_assert_eq!(forcelint::xml::parse_keeping(&text, keep).err(), whole.clone());
        }
    }
}

/// The helpers agree with the engine on which files it reads.
#[test]
fn every_test_file_name_is_recognized() {
    for kind in MetadataKind::ALL {
        for mdapi in [false, true] {
            let name = file_name(kind, mdapi);
            assert_eq!(MetadataKind::from_file_name(&name).map(|(k, _)| k), Some(kind), "{name}");
        }
    }
}

use super::*;

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(Path::new("forcelint.toml"), text.to_string())
}

/// The error's message, help, and the text its span covers.
fn error(text: &str) -> (String, Option<String>, String) {
    let e = parse_str(text).expect_err("should fail");
    let at = text[e.span.start..e.span.end].to_string();
    (e.message, e.help, at)
}

#[test]
fn a_full_config_loads() {
    let loaded = parse_str(
        r#"
egress-ips = ["203.0.113.7", "2001:db8::/48"]
exclude = ["force-app/legacy/**"]

[rules.short-session-timeout]
severity = "error"
minimum-minutes = 60

[rules.expiring-refresh-token]
minimum-inactivity-days = 30

[rules.parse-error]
severity = "off"

[apps.Nightly_Sync]
purpose = "integration"
egress-ips = ["198.51.100.0/28"]
owner = "data@acme.example"
profile = "Integration User"

[[ignore]]
rule = "enforced-ip-restrictions"
app = "Nightly_Sync"
reason = "egress is inside the profile's ranges"
expires = 2026-06-30

[[ignore]]
rule = "short-session-timeout"
path = "force-app/**/Legacy*"
reason = "retired next quarter"
"#,
    )
    .unwrap();
    assert_eq!(loaded.egress.len(), 2);
    let options = crate::rules::Options::from_config(&loaded);
    assert_eq!(options.egress_for("Nightly_Sync")[0].to_string(), "198.51.100.0/28");
    assert_eq!(options.egress_for("Other")[0].to_string(), "203.0.113.7");
    assert_eq!(loaded.rule("short-session-timeout").unwrap().minimum_minutes.as_ref().map(|m| *m.get_ref()), Some(60));
    assert_eq!(loaded.rule("parse-error").unwrap().severity.as_ref().map(|s| *s.get_ref()), Some(Level::Off));
    assert_eq!(loaded.app("Nightly_Sync").unwrap().purpose.as_ref().unwrap().get_ref(), "integration");
    assert_eq!(loaded.config.ignore.len(), 2);
    assert!(loaded.excludes[0].matches("force-app/legacy/x/y.connectedApp-meta.xml"));
}

#[test]
fn an_empty_config_is_fine() {
    let loaded = parse_str("").unwrap();
    assert!(loaded.config.rules.is_empty() && loaded.egress.is_empty());
}

#[test]
fn a_misspelled_rule_id_gets_a_suggestion_at_its_key() {
    let (message, help, at) = error("[rules.short-session-timout]\nseverity = \"off\"\n");
    assert_eq!(message, "unknown rule `short-session-timout`");
    assert_eq!(help.as_deref(), Some("did you mean `short-session-timeout`?"));
    assert_eq!(at, "short-session-timout");
}

#[test]
fn a_misspelled_key_gets_a_suggestion() {
    let (message, help, at) = error("[rules.short-session-timeout]\nseverty = \"off\"\n");
    assert!(message.starts_with("unknown field `severty`"), "{message}");
    assert_eq!(help.as_deref(), Some("did you mean `severity`?"));
    assert_eq!(at, "severty");

    let (message, help, _) = error("egres-ips = []\n");
    assert!(message.starts_with("unknown field `egres-ips`"), "{message}");
    assert_eq!(help.as_deref(), Some("did you mean `egress-ips`?"));

    let (_, help, _) = error("[apps.X]\npurpos = \"integration\"\n");
    assert_eq!(help.as_deref(), Some("did you mean `purpose`?"));
}

#[test]
fn an_option_of_another_rule_is_refused() {
    let (message, _, at) = error("[rules.parse-error]\nminimum-minutes = 60\n");
    assert_eq!(message, "`minimum-minutes` is not an option of `parse-error` (it belongs to `short-session-timeout`)");
    assert_eq!(at, "60");
}

#[test]
fn bad_values_point_at_the_value() {
    let (message, _, at) = error("[rules.parse-error]\nseverity = \"loud\"\n");
    assert!(message.contains("unknown variant `loud`"), "{message}");
    assert_eq!(at, "\"loud\"");

    let (message, help, at) = error("[apps.X]\npurpose = \"integrated\"\n");
    assert_eq!(message, "unknown purpose `integrated`");
    assert_eq!(help.as_deref(), Some("did you mean `integration`?"));
    assert_eq!(at, "\"integrated\"");

    let (message, _, at) = error("egress-ips = [\"10.0.0.0/40\"]\n");
    assert_eq!(message, "`10.0.0.0/40` is not an IP address or CIDR range: the prefix length must be 0 to 32");
    assert_eq!(at, "\"10.0.0.0/40\"");

    let (message, _, at) = error("exclude = [\"a/[b\"]\n");
    assert!(message.starts_with("invalid glob"), "{message}");
    assert_eq!(at, "\"a/[b\"");

    let (message, _, _) = error("[rules.short-session-timeout]\nminimum-minutes = -5\n");
    assert!(message.contains("-5") || message.contains("invalid value"), "{message}");
}

#[test]
fn ignore_entries_are_checked() {
    let (message, _, at) = error("[[ignore]]\nrule = \"short-session-timeout\"\napp = \"X\"\n");
    assert!(message.contains("missing field `reason`"), "{message}");
    assert_eq!(at, "[[ignore]]");

    let (message, help, _) = error("[[ignore]]\nrule = \"short-session-timeout\"\nreason = \"r\"\n");
    assert_eq!(message, "an `[[ignore]]` entry needs `app` or `path`");
    assert!(help.unwrap().contains("app = "));

    let (message, help, at) = error("[[ignore]]\nrule = \"enforced-ip\"\napp = \"X\"\nreason = \"r\"\n");
    assert_eq!(message, "unknown rule `enforced-ip`");
    assert_eq!(help.as_deref(), Some("`forcelint rules` lists the rules"));
    assert_eq!(at, "\"enforced-ip\"");

    let (message, help, at) =
        error("[[ignore]]\nrule = \"parse-error\"\napp = \"X\"\nreason = \"r\"\nexpires = 2026-06-30T10:00:00\n");
    assert_eq!(message, "`expires` must be a date");
    assert_eq!(help.as_deref(), Some("write it as a TOML date: `expires = 2026-06-30`"));
    assert_eq!(at, "2026-06-30T10:00:00");

    let (message, _, _) = error("[[ignore]]\nrule = \"parse-error\"\napp = \"X\"\nreason = \"  \"\n");
    assert_eq!(message, "the reason is empty");
}

#[test]
fn malformed_toml_points_at_the_problem() {
    let e = parse_str("[rules.parse-error\nseverity = \"off\"\n").unwrap_err();
    assert!(e.span.start <= 20, "{e:?}");
    assert!(!e.message.is_empty());
}

#[test]
fn starter_config_parses_and_lists_every_rule() {
    let project = crate::model::Project::default();
    let text = starter(&project);
    parse_str(&text).expect("the starter config is valid");
    for rule in RULES {
        assert!(text.contains(&format!("[rules.{}]", rule.id)), "{}", rule.id);
    }
}

#[test]
fn workers_must_be_positive() {
    let (message, _, at) = error("[apps.Sync]\nworkers = 0\n");
    assert_eq!(message, "`workers` must be at least 1");
    assert_eq!(at, "0");
    assert!(parse_str("[apps.Sync]\nworkers = 2\n").is_ok());
}

#[test]
fn starter_keys_and_comments_are_valid_toml_for_any_app_name() {
    // Found by the `pipeline` fuzz target's check that `forcelint init` writes a config
    // forcelint accepts: app names come from XML text, which may hold control characters.
    for name in ["Plain_Name-1", "My App", "Ünïcode", "a\u{7f}b", "line\nbreak", "q\"uote\\slash", "tab\there", ""] {
        let text = format!("# {}\n[apps.{}]\nowner = \"x\"\n", comment_text(&format!("app `{name}`")), toml_key(name));
        let loaded = parse_str(&text).unwrap_or_else(|e| panic!("{name:?}: {}\n{text}", e.message));
        assert!(loaded.app(name).is_some(), "{name:?}\n{text}");
    }
}

#[test]
fn starter_has_one_section_per_app_name() {
    // Found by the `pipeline` fuzz target: the same app in two folders (two package
    // directories, or source and metadata format) gave `[apps.Sync]` twice, a duplicate key.
    use crate::model::{MetadataKind, Project, build_file};
    use crate::source::{FileId, SourceFile, Sources};
    let text = "<ConnectedApp><oauthConfig><scopes>RefreshToken</scopes></oauthConfig></ConnectedApp>";
    let doc = crate::xml::parse(text).unwrap();
    let mut sources = Sources::default();
    let mut built = Vec::new();
    for (i, dir) in ["a", "b"].into_iter().enumerate() {
        sources.add(SourceFile::new(format!("{dir}/Sync.connectedApp-meta.xml").into(), text.into()));
        built.push(build_file(FileId(i as u32), MetadataKind::ConnectedApp, "Sync", &doc, &mut Vec::new()));
    }
    let project = Project::assemble(sources, built, Vec::new(), &|_| None);
    assert_eq!(project.apps.len(), 2);
    let text = starter(&project);
    assert_eq!(text.matches("[apps.Sync]").count(), 1, "{text}");
    parse_str(&text).expect("the starter config is valid");
}

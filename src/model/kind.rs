/// The metadata types forcelint reads. Files of any other type are never opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MetadataKind {
    ConnectedApp,
    ExternalClientApplication,
    EcaOauthSettings,
    EcaGlobalOauthSettings,
    EcaOauthPolicies,
    EcaPolicies,
    SecuritySettings,
    Profile,
    ProfileSessionSetting,
    /// `OauthOidc.settings`: the org's blocked OAuth flows and org-wide PKCE.
    OauthOidcSettings,
    /// `ConnectedApp.settings`: API Access Control.
    ConnectedAppSettings,
    PermissionSet,
}

impl MetadataKind {
    pub const ALL: [MetadataKind; 12] = [
        MetadataKind::ConnectedApp,
        MetadataKind::ExternalClientApplication,
        MetadataKind::EcaOauthSettings,
        MetadataKind::EcaGlobalOauthSettings,
        MetadataKind::EcaOauthPolicies,
        MetadataKind::EcaPolicies,
        MetadataKind::SecuritySettings,
        MetadataKind::Profile,
        MetadataKind::ProfileSessionSetting,
        MetadataKind::OauthOidcSettings,
        MetadataKind::ConnectedAppSettings,
        MetadataKind::PermissionSet,
    ];

    /// The file suffix (`<name>.<suffix>` in mdapi format, `<name>.<suffix>-meta.xml` in
    /// source format). Case-sensitive, as in Salesforce's registry.
    pub fn suffix(self) -> &'static str {
        match self {
            MetadataKind::ConnectedApp => "connectedApp",
            MetadataKind::ExternalClientApplication => "eca",
            MetadataKind::EcaOauthSettings => "ecaOauth",
            MetadataKind::EcaGlobalOauthSettings => "ecaGlblOauth",
            MetadataKind::EcaOauthPolicies => "ecaOauthPlcy",
            MetadataKind::EcaPolicies => "ecaPlcy",
            MetadataKind::SecuritySettings => "settings",
            MetadataKind::Profile => "profile",
            MetadataKind::ProfileSessionSetting => "profileSessionSetting",
            MetadataKind::OauthOidcSettings | MetadataKind::ConnectedAppSettings => "settings",
            MetadataKind::PermissionSet => "permissionset",
        }
    }

    /// The folder retrieves write this kind to (`directoryName` in the CLI's registry).
    pub fn directory(self) -> &'static str {
        match self {
            MetadataKind::ConnectedApp => "connectedApps",
            MetadataKind::ExternalClientApplication => "externalClientApps",
            MetadataKind::EcaOauthSettings => "extlClntAppOauthSettings",
            MetadataKind::EcaGlobalOauthSettings => "extlClntAppGlobalOauthSets",
            MetadataKind::EcaOauthPolicies => "extlClntAppOauthPolicies",
            MetadataKind::EcaPolicies => "extlClntAppPolicies",
            MetadataKind::SecuritySettings => "settings",
            MetadataKind::Profile => "profiles",
            MetadataKind::ProfileSessionSetting => "profileSessionSettings",
            MetadataKind::OauthOidcSettings | MetadataKind::ConnectedAppSettings => "settings",
            MetadataKind::PermissionSet => "permissionsets",
        }
    }

    /// One of the files an external client app is split into.
    pub fn is_eca_part(self) -> bool {
        use MetadataKind::*;
        matches!(
            self,
            ExternalClientApplication | EcaOauthSettings | EcaGlobalOauthSettings | EcaOauthPolicies | EcaPolicies
        )
    }

    /// Which children of the root element the model reads, for a kind it reads little of:
    /// a profile is mostly permissions no rule reads, which `xml::parse_keeping` checks
    /// without keeping (nor the comments inside them). `None`: the whole file is read.
    pub fn children_read(self) -> Option<fn(&str) -> bool> {
        match self {
            MetadataKind::Profile => Some(|name| matches!(name, "loginHours" | "loginIpRanges" | "userPermissions")),
            MetadataKind::PermissionSet => Some(|name| name == "userPermissions"),
            _ => None,
        }
    }

    /// Parses a file of this kind as it is loaded, keeping only what the model reads: a
    /// second reading (drift, baselines) sees the same tree and meets the same limits.
    pub fn parse(self, text: &str) -> Result<crate::xml::Document, crate::xml::XmlError> {
        match self.children_read() {
            Some(keep) => crate::xml::parse_keeping(text, keep),
            None => crate::xml::parse(text),
        }
    }

    /// The kind of the file at `path`, from its name alone.
    pub fn of_path(path: &std::path::Path) -> Option<MetadataKind> {
        Some(MetadataKind::from_file_name(path.file_name()?.to_str()?)?.0)
    }

    /// The metadata type name, which is also the root element.
    pub fn root_element(self) -> &'static str {
        match self {
            MetadataKind::ConnectedApp => "ConnectedApp",
            MetadataKind::ExternalClientApplication => "ExternalClientApplication",
            MetadataKind::EcaOauthSettings => "ExtlClntAppOauthSettings",
            MetadataKind::EcaGlobalOauthSettings => "ExtlClntAppGlobalOauthSettings",
            MetadataKind::EcaOauthPolicies => "ExtlClntAppOauthConfigurablePolicies",
            MetadataKind::EcaPolicies => "ExtlClntAppConfigurablePolicies",
            MetadataKind::SecuritySettings => "SecuritySettings",
            MetadataKind::Profile => "Profile",
            MetadataKind::ProfileSessionSetting => "ProfileSessionSetting",
            MetadataKind::OauthOidcSettings => "OauthOidcSettings",
            MetadataKind::ConnectedAppSettings => "ConnectedAppSettings",
            MetadataKind::PermissionSet => "PermissionSet",
        }
    }

    /// Recognizes a file by its name alone; returns the kind and the component's full
    /// name. Of the settings files, `Security`, `OauthOidc` and `ConnectedApp` are read.
    pub fn from_file_name(file_name: &str) -> Option<(MetadataKind, &str)> {
        let stem = file_name.strip_suffix("-meta.xml").unwrap_or(file_name);
        let (full_name, suffix) = stem.rsplit_once('.')?;
        if full_name.is_empty() {
            return None;
        }
        if suffix == "settings" {
            let kind = match full_name {
                "Security" => MetadataKind::SecuritySettings,
                "OauthOidc" => MetadataKind::OauthOidcSettings,
                "ConnectedApp" => MetadataKind::ConnectedAppSettings,
                _ => return None,
            };
            return Some((kind, full_name));
        }
        let kind = MetadataKind::ALL.into_iter().find(|k| k.suffix() == suffix)?;
        Some((kind, full_name))
    }

    /// An org settings file: one per org, read whole, always part of a run's context.
    pub fn is_org_settings(self) -> bool {
        matches!(
            self,
            MetadataKind::SecuritySettings | MetadataKind::OauthOidcSettings | MetadataKind::ConnectedAppSettings
        )
    }
}

/// A component's name from its file name: Salesforce writes characters that file names
/// may not hold (`Custom: Sales` is `Custom%3A Sales`, parentheses are `%28`/`%29`) as
/// percent escapes. Anything that is not a valid escape is kept as it is.
pub fn decode_full_name(full_name: &str) -> String {
    let bytes = full_name.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| full_name.to_string())
}

#[cfg(test)]
mod tests {
    use super::MetadataKind::{self, *};

    #[test]
    fn recognizes_source_and_mdapi_names() {
        let cases = [
            ("My.App.connectedApp-meta.xml", Some((ConnectedApp, "My.App"))),
            ("Postman.connectedApp", Some((ConnectedApp, "Postman"))),
            ("x.ecaOauthPlcy-meta.xml", Some((EcaOauthPolicies, "x"))),
            ("Security.settings-meta.xml", Some((SecuritySettings, "Security"))),
            ("Security.settings", Some((SecuritySettings, "Security"))),
            ("Account.settings-meta.xml", None),
            ("OauthOidc.settings-meta.xml", Some((OauthOidcSettings, "OauthOidc"))),
            ("OauthOidc.settings", Some((OauthOidcSettings, "OauthOidc"))),
            ("ConnectedApp.settings-meta.xml", Some((ConnectedAppSettings, "ConnectedApp"))),
            ("ConnectedApp.settings", Some((ConnectedAppSettings, "ConnectedApp"))),
            ("Integration_Access.permissionset-meta.xml", Some((PermissionSet, "Integration_Access"))),
            ("Integration_Access.permissionset", Some((PermissionSet, "Integration_Access"))),
            ("X.permissionsetgroup-meta.xml", None),
            ("Admin.profile-meta.xml", Some((Profile, "Admin"))),
            ("Foo.cls-meta.xml", None),
            ("Foo.connectedapp-meta.xml", None),
            (".connectedApp", None),
            ("package.xml", None),
        ];
        for (name, want) in cases {
            assert_eq!(MetadataKind::from_file_name(name), want, "{name}");
        }
    }

    #[test]
    fn decodes_percent_escaped_names() {
        use super::decode_full_name;
        assert_eq!(decode_full_name("Custom%3A Sales Profile"), "Custom: Sales Profile");
        assert_eq!(decode_full_name("My%28awesome%29profile"), "My(awesome)profile");
        assert_eq!(decode_full_name("Contrataci%C3%B3n"), "Contratación");
        // Not escapes, or not UTF-8 once decoded: kept as written.
        assert_eq!(decode_full_name("100% Admin %zz %4"), "100% Admin %zz %4");
        assert_eq!(decode_full_name("bad%FF"), "bad%FF");
    }
}

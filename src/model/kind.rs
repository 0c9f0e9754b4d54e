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
}

impl MetadataKind {
    pub const ALL: [MetadataKind; 9] = [
        MetadataKind::ConnectedApp,
        MetadataKind::ExternalClientApplication,
        MetadataKind::EcaOauthSettings,
        MetadataKind::EcaGlobalOauthSettings,
        MetadataKind::EcaOauthPolicies,
        MetadataKind::EcaPolicies,
        MetadataKind::SecuritySettings,
        MetadataKind::Profile,
        MetadataKind::ProfileSessionSetting,
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
        }
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
        }
    }

    /// Recognizes a file by its name alone; returns the kind and the component's full
    /// name. `Security.settings` is the only settings file read.
    pub fn from_file_name(file_name: &str) -> Option<(MetadataKind, &str)> {
        let stem = file_name.strip_suffix("-meta.xml").unwrap_or(file_name);
        let (full_name, suffix) = stem.rsplit_once('.')?;
        if full_name.is_empty() {
            return None;
        }
        let kind = MetadataKind::ALL.into_iter().find(|k| k.suffix() == suffix)?;
        if kind == MetadataKind::SecuritySettings && full_name != "Security" {
            return None;
        }
        Some((kind, full_name))
    }
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
}

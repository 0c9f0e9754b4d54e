//! Writes a synthetic SFDX repository of a given size, for benchmarks.
//!
//! ```sh
//! cargo run --release --example generate -- --files 30000 --layout source OUT_DIR
//! ```
//!
//! The project looks like a large org's repository: Apex classes with their `-meta.xml`,
//! custom objects with their fields, list views and record types, layouts, flows, Lightning
//! web and Aura components, static resources (some unzipped into folders), custom metadata
//! records, reports, permission sets and the like, and among them the files forcelint reads:
//! connected apps, external client apps (split across `.eca`, `.ecaOauth`, `.ecaGlblOauth`,
//! `.ecaOauthPlcy` and `.ecaPlcy` files), `Security.settings`, profiles (tens to hundreds of
//! KiB each, as retrieved profiles are) and profile session settings.
//!
//! - `--layout source`: `sfdx-project.json` with one package directory per ~40,000 files
//!   (`force-app/main/default/...`, `packages/<area>/main/default/...`), a `.forceignore`
//!   (the CLI's template plus `**/*.ecaGlblOauth-meta.xml`, as Salesforce advises, and
//!   deprecated profiles), dot folders, tooling files.
//! - `--layout mdapi`: `src/` with `package.xml`, objects as single `.object` files, no
//!   `sfdx-project.json` (so the whole folder is scanned).
//!
//! The output is deterministic: the same `--files`, `--layout` and `--seed` give the same
//! tree, byte for byte. Exactly `--files` files are written (at least the ~80 fixed ones).
//! `--list FILE` writes the absolute paths of the files forcelint has to read (one a line,
//! sorted): those it recognizes by name and `.forceignore` does not exclude.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, ValueEnum};

// Public for tests/single_file.rs, which includes this file to make projects of its own.
#[derive(Parser)]
#[command(about = "Writes a synthetic SFDX project for forcelint benchmarks")]
pub struct Args {
    /// How many files to write.
    #[arg(long, default_value_t = 30_000)]
    pub files: usize,
    /// Source format (sfdx-project.json, force-app/main/default) or metadata API format (src/).
    #[arg(long, value_enum, default_value_t = Layout::Source)]
    pub layout: Layout,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write the absolute paths of the files forcelint must read to this file.
    #[arg(long, value_name = "FILE")]
    pub list: Option<PathBuf>,
    /// The folder to write; it must not exist yet, or be empty.
    pub out: PathBuf,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Layout {
    Source,
    Mdapi,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match generate(&args) {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn generate(args: &Args) -> Result<String, String> {
    let err = |e: std::io::Error| format!("{}: {e}", args.out.display());
    if args.out.exists() && std::fs::read_dir(&args.out).map_err(err)?.next().is_some() {
        return Err(format!("{}: exists and is not empty", args.out.display()));
    }
    std::fs::create_dir_all(&args.out).map_err(err)?;
    let root = std::fs::canonicalize(&args.out).map_err(err)?;
    let mut g = Gen::new(root, args.layout, args.seed);
    g.project(args.files).map_err(|e| e.to_string())?;
    let mut reads: Vec<String> = g.reads.iter().map(|p| p.display().to_string()).collect();
    reads.sort();
    if let Some(list) = &args.list {
        let mut text = reads.join("\n");
        text.push('\n');
        std::fs::write(list, text).map_err(|e| format!("{}: {e}", list.display()))?;
    }
    Ok(format!(
        "wrote {} files ({:.1} MiB) to {}; forcelint reads {} of them ({:.1} MiB): {} connected apps, {} external client apps, {} profiles",
        g.written,
        g.bytes as f64 / 1048576.0,
        args.out.display(),
        reads.len(),
        g.read_bytes as f64 / 1048576.0,
        g.connected_apps,
        g.ecas,
        g.profile_names.len(),
    ))
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    /// Inclusive.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len).map(|_| CHARS[self.below(CHARS.len())] as char).collect()
    }
    fn base64(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        (0..len).map(|_| CHARS[self.below(CHARS.len())] as char).collect()
    }
}

const NS: &str = "http://soap.sforce.com/2006/04/metadata";
const API: &str = "62.0";
const HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

const NOUNS: &[&str] = &[
    "Account",
    "Invoice",
    "Shipment",
    "Order",
    "Payment",
    "Contract",
    "Asset",
    "Claim",
    "Policy",
    "Member",
    "Subscription",
    "Renewal",
    "Territory",
    "Region",
    "Survey",
    "Ticket",
    "Project",
    "Milestone",
    "Timesheet",
    "Expense",
    "Budget",
    "Forecast",
    "Commission",
    "Partner",
    "Referral",
    "Loyalty",
    "Reward",
    "Device",
    "Sensor",
    "Reading",
    "Inspection",
    "Visit",
    "Appointment",
    "Warehouse",
    "Vendor",
    "Carrier",
    "Route",
    "Delivery",
    "Quote",
    "Product",
    "PriceBook",
    "Discount",
    "Entitlement",
    "Warranty",
    "Repair",
    "Part",
    "Inventory",
    "Batch",
    "Ledger",
    "Journal",
    "Tax",
    "Refund",
    "Credit",
    "Lease",
    "Property",
    "Unit",
    "Tenant",
    "Grant",
    "Donation",
    "Campaign",
    "Event",
    "Session",
    "Speaker",
    "Course",
    "Enrollment",
    "Certificate",
    "Badge",
    "Document",
    "Approval",
    "Escalation",
    "Agreement",
    "Opportunity",
    "Lead",
    "Contact",
    "Case",
    "Task",
];
const CLASS_ROLES: &[&str] = &[
    "Service",
    "Controller",
    "Handler",
    "Selector",
    "Batch",
    "Queueable",
    "Scheduler",
    "Helper",
    "Util",
    "TriggerHandler",
    "Domain",
    "Callout",
    "Sync",
    "Mapper",
    "Validator",
    "Builder",
    "Factory",
    "Repository",
    "Processor",
    "Gateway",
    "Adapter",
    "Api",
    "Rest",
    "Invocable",
];
const AREAS: &[&str] = &[
    "sales-core",
    "service",
    "billing",
    "integrations",
    "marketing",
    "analytics",
    "partner",
    "field-service",
    "commerce",
    "shared",
    "data-platform",
    "compliance",
];
const PROFILE_NAMES: &[&str] = &[
    "Admin",
    "Standard",
    "ReadOnly",
    "MarketingProfile",
    "ContractManager",
    "SolutionManager",
    "Custom%3A Marketing Profile",
    "Custom%3A Sales Profile",
    "Custom%3A Support Profile",
    "Integration User",
    "API Only",
    "ERP Integration",
    "Data Loader",
    "Partner Community User",
    "Customer Community User",
    "Sales Manager",
    "Service Agent",
    "Field Technician",
    "Finance",
    "Billing Operations",
    "Read Only Auditor",
];
const USER_PERMISSIONS: &[&str] = &[
    "ActivateContract",
    "ActivateOrder",
    "ActivitiesAccess",
    "AllowUniversalSearch",
    "AllowViewKnowledge",
    "ApexRestServices",
    "ApiEnabled",
    "AssignPermissionSets",
    "AssignTopics",
    "AuthorApex",
    "BulkApiHardDelete",
    "CanApproveFeedPost",
    "CanInsertFeedSystemFields",
    "CanUseNewDashboardBuilder",
    "ChatterEditOwnPost",
    "ChatterFileLink",
    "ChatterInternalUser",
    "ChatterInviteExternalUsers",
    "ChatterOwnGroups",
    "ConnectOrgToEnvironmentHub",
    "ContentAdministrator",
    "ContentWorkspaces",
    "ConvertLeads",
    "CreateCustomizeDashboards",
    "CreateCustomizeFilters",
    "CreateCustomizeReports",
    "CreateDashboardFolders",
    "CreateReportFolders",
    "CreateTopics",
    "CustomizeApplication",
    "DataExport",
    "DelegatedTwoFactor",
    "DeleteActivatedContract",
    "DeleteTopics",
    "DistributeFromPersWksp",
    "EditActivatedOrders",
    "EditBrandTemplates",
    "EditCaseComments",
    "EditEvent",
    "EditHtmlTemplates",
    "EditKnowledge",
    "EditMyDashboards",
    "EditMyReports",
    "EditOppLineItemUnitPrice",
    "EditPublicDocuments",
    "EditPublicFilters",
    "EditPublicTemplates",
    "EditReadonlyFields",
    "EditTask",
    "EditTopics",
    "EmailAdministration",
    "EmailMass",
    "EmailSingle",
    "EnableCommunityAppLauncher",
    "EnableNotifications",
    "ExportReport",
    "FreezeUsers",
    "GiveRecognitionBadge",
    "ImportCustomObjects",
    "ImportLeads",
    "ImportPersonal",
    "InstallPackaging",
    "LightningConsoleAllowedForUser",
    "LightningExperienceUser",
    "ListEmailSend",
    "ManageAnalyticSnapshots",
    "ManageAuthProviders",
    "ManageBusinessHourHolidays",
    "ManageCallCenters",
    "ManageCases",
    "ManageCategories",
    "ManageCertificates",
    "ManageContentPermissions",
    "ManageContentProperties",
    "ManageContentTypes",
    "ManageCustomPermissions",
    "ManageCustomReportTypes",
    "ManageDashbdsInPubFolders",
    "ManageDataCategories",
    "ManageDataIntegrations",
    "ManageDynamicDashboards",
    "ManageEmailClientConfig",
    "ManageExchangeConfig",
    "ManageHealthCheck",
    "ManageInteraction",
    "ManageInternalUsers",
    "ManageIpAddresses",
    "ManageKnowledge",
    "ManageKnowledgeImportExport",
    "ManageLeads",
    "ManageLoginAccessPolicies",
    "ManageMobile",
    "ManageNetworks",
    "ManagePasswordPolicies",
    "ManageProfilesPermissionsets",
    "ManagePropositions",
    "ManagePvtRptsAndDashbds",
    "ManageRemoteAccess",
    "ManageReportsInPubFolders",
    "ManageRoles",
    "ManageSearchPromotionRules",
    "ManageSessionPermissionSets",
    "ManageSharing",
    "ManageSolutions",
    "ManageSubscriptions",
    "ManageSynonyms",
    "ManageTranslation",
    "ManageTwoFactor",
    "ManageUnlistedGroups",
    "ManageUsers",
    "MassInlineEdit",
    "MergeTopics",
    "ModerateChatter",
    "ModifyAllData",
    "ModifyDataClassification",
    "ModifyMetadata",
    "NewReportBuilder",
    "OverrideForecasts",
    "Packaging2",
    "PasswordNeverExpires",
    "PreventClassicExperience",
    "PrivacyDataAccess",
    "PublishPackaging",
    "RemoveDirectMessageMembers",
    "ResetPasswords",
    "RunFlow",
    "RunReports",
    "ScheduleJob",
    "ScheduleReports",
    "SelectFilesFromSalesforce",
    "SendAnnouncementEmails",
    "SendSitRequests",
    "ShareInternalArticles",
    "ShowCompanyNameAsUserBadge",
    "SolutionImport",
    "SubmitMacrosAllowed",
    "SubscribeDashboardRolesGrps",
    "SubscribeDashboardToOtherUsers",
    "SubscribeReportRolesGrps",
    "SubscribeReportToOtherUsers",
    "SubscribeReportsRunAsUser",
    "SubscribeToLightningDashboards",
    "SubscribeToLightningReports",
    "TerritoryOperations",
    "TransactionalEmailSend",
    "TransferAnyCase",
    "TransferAnyEntity",
    "TransferAnyLead",
    "UseTeamReassignWizards",
    "UseWebLink",
    "ViewAllData",
    "ViewAllProfiles",
    "ViewAllUsers",
    "ViewDataAssessment",
    "ViewDataCategories",
    "ViewDeveloperName",
    "ViewEventLogFiles",
    "ViewFlowUsageAndFlowEventData",
    "ViewHealthCheck",
    "ViewHelpLink",
    "ViewMyTeamsDashboards",
    "ViewPublicDashboards",
    "ViewPublicReports",
    "ViewRoles",
    "ViewSetup",
    "ViewUserPII",
];
const FIELD_TYPES: &[&str] = &[
    "Text",
    "Number",
    "Currency",
    "Checkbox",
    "Date",
    "DateTime",
    "Picklist",
    "LongTextArea",
    "Lookup",
    "Email",
    "Percent",
];
const SETTINGS: &[&str] = &[
    "Account",
    "Activities",
    "Apex",
    "Case",
    "Chatter",
    "Communities",
    "ConnectedApp",
    "Content",
    "Currency",
    "DevHub",
    "EmailAdministration",
    "Entitlement",
    "ExternalClientApp",
    "FieldService",
    "Forecasting",
    "Knowledge",
    "LightningExperience",
    "Mobile",
    "MyDomain",
    "OauthOidc",
    "Opportunity",
    "OrgPreference",
    "PathAssistant",
    "Quote",
    "Search",
    "Sharing",
    "Territory2",
    "UserManagement",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// forcelint recognizes the file and reads it.
    Yes,
    /// Not a file forcelint reads (or one `.forceignore` excludes).
    No,
}

struct Gen {
    rng: Rng,
    layout: Layout,
    root: PathBuf,
    written: usize,
    bytes: u64,
    read_bytes: u64,
    reads: Vec<PathBuf>,
    made_dirs: HashSet<PathBuf>,
    used: HashSet<String>,
    /// Metadata folders of the package directories (`force-app/main/default`, `src`, ...).
    packages: Vec<String>,
    connected_apps: usize,
    ecas: usize,
    // What profiles refer to.
    profile_names: Vec<String>,
    classes: Vec<String>,
    objects: Vec<String>,
    fields: Vec<String>,
    record_types: Vec<String>,
    layouts: Vec<String>,
    flows: Vec<String>,
    pages: Vec<String>,
    tabs: Vec<String>,
    apps: Vec<String>,
}

impl Gen {
    fn new(root: PathBuf, layout: Layout, seed: u64) -> Self {
        Gen {
            rng: Rng(seed ^ 0x5EED_F04C_E11A_7000),
            layout,
            root,
            written: 0,
            bytes: 0,
            read_bytes: 0,
            reads: Vec::new(),
            made_dirs: HashSet::new(),
            used: HashSet::new(),
            packages: Vec::new(),
            connected_apps: 0,
            ecas: 0,
            profile_names: Vec::new(),
            classes: Vec::new(),
            objects: Vec::new(),
            fields: Vec::new(),
            record_types: Vec::new(),
            layouts: Vec::new(),
            flows: Vec::new(),
            pages: Vec::new(),
            tabs: Vec::new(),
            apps: Vec::new(),
        }
    }

    fn write(&mut self, rel: &str, content: &str, read: Read) -> std::io::Result<()> {
        let path = self.root.join(rel);
        if let Some(dir) = path.parent()
            && !self.made_dirs.contains(dir)
        {
            std::fs::create_dir_all(dir)?;
            self.made_dirs.insert(dir.to_path_buf());
        }
        std::fs::write(&path, content)?;
        self.written += 1;
        self.bytes += content.len() as u64;
        if read == Read::Yes {
            self.read_bytes += content.len() as u64;
            self.reads.push(path);
        }
        Ok(())
    }

    /// `dir/name.suffix-meta.xml` in source format, `dir/name.suffix` in mdapi format.
    fn meta_path(&self, dir: &str, name: &str, suffix: &str) -> String {
        match self.layout {
            Layout::Source => format!("{dir}/{name}.{suffix}-meta.xml"),
            Layout::Mdapi => format!("{dir}/{name}.{suffix}"),
        }
    }

    fn project(&mut self, files: usize) -> std::io::Result<()> {
        // How much of each kind forcelint reads, growing with the repository.
        let n_connected = 3 + files / 2000;
        let n_eca = 1 + files / 6000;
        let n_profiles = 5 + files / 2500;
        let n_session_settings = 1 + files / 20000;
        let n_packages = if self.layout == Layout::Source { 1 + files / 40000 } else { 1 };

        self.tooling(n_packages)?;
        for (i, pkg) in self.packages.clone().iter().enumerate() {
            self.package_fixed(pkg, i == 0)?;
        }
        let first = self.packages[0].clone();
        // Profile names come first so that apps can name them; the files come last, so
        // that they can list the project's classes, fields and layouts.
        for i in 0..n_profiles {
            let base = if let Some(name) = PROFILE_NAMES.get(i) {
                name.to_string()
            } else {
                format!(
                    "Custom%3A {} {}",
                    pick_noun(&mut self.rng),
                    self.rng.pick(&["User", "Agent", "Manager", "Partner"])
                )
            };
            let name = unique(&mut self.used, "profile", &base);
            self.profile_names.push(name);
        }
        self.security_settings(&first)?;
        for i in 0..n_session_settings {
            self.profile_session_setting(&first, i)?;
        }
        for i in 0..n_connected {
            let pkg = if i % 3 == 0 { self.pick_package() } else { first.clone() };
            self.connected_app(&pkg)?;
        }
        for i in 0..n_eca {
            let pkg = if i % 2 == 0 { self.pick_package() } else { first.clone() };
            self.external_client_app(&pkg)?;
        }
        // Deprecated profiles that .forceignore excludes (source layout), plus the profiles.
        let ignored_profiles = if self.layout == Layout::Source { 2 } else { 0 };
        let reserved = n_profiles + ignored_profiles;
        while self.written + reserved < files {
            let left = files - self.written - reserved;
            let pkg = self.pick_package();
            self.component(&pkg, left)?;
        }
        for i in 0..ignored_profiles {
            let name = format!("Deprecated {}", pick_noun(&mut self.rng));
            let name = unique(&mut self.used, "profile", &name);
            self.profile(&first, &name, Read::No, i)?;
        }
        for (i, name) in self.profile_names.clone().iter().enumerate() {
            self.profile(&first, name, Read::Yes, i)?;
        }
        Ok(())
    }

    fn pick_package(&mut self) -> String {
        // The first package directory (the org's "happy soup") is the largest.
        let n = self.packages.len();
        let i = self.rng.below(n + 1);
        self.packages[i.saturating_sub(1)].clone()
    }

    /// Files around the metadata: project files, tooling, CI, dot folders.
    fn tooling(&mut self, n_packages: usize) -> std::io::Result<()> {
        match self.layout {
            Layout::Source => {
                let mut dirs = vec![("force-app".to_string(), None)];
                for i in 1..n_packages {
                    let area = AREAS[(i - 1) % AREAS.len()];
                    let area = if i > AREAS.len() { format!("{area}-{i}") } else { area.to_string() };
                    dirs.push((format!("packages/{area}"), Some(area)));
                }
                let mut json = String::from("{\n  \"packageDirectories\": [\n");
                for (i, (path, area)) in dirs.iter().enumerate() {
                    if i > 0 {
                        json.push_str(",\n");
                    }
                    match area {
                        None => write!(json, "    {{\n      \"path\": \"{path}\",\n      \"default\": true\n    }}")
                            .unwrap(),
                        Some(area) => {
                            write!(
                                json,
                                "    {{\n      \"path\": \"{path}\",\n      \"package\": \"{area}\",\n      \"versionName\": \"ver 1.{i}\",\n      \"versionNumber\": \"1.{i}.0.NEXT\",\n      \"default\": false"
                            )
                            .unwrap();
                            if i == 1 {
                                write!(json, ",\n      \"unpackagedMetadata\": {{\n        \"path\": \"unpackaged/{area}\"\n      }}").unwrap();
                            }
                            json.push_str("\n    }");
                        }
                    }
                }
                writeln!(
                    json,
                    "\n  ],\n  \"name\": \"acme-org\",\n  \"namespace\": \"\",\n  \"sfdcLoginUrl\": \"https://login.salesforce.com\",\n  \"sourceApiVersion\": \"{API}\"\n}}"
                )
                .unwrap();
                self.write("sfdx-project.json", &json, Read::No)?;
                self.write(
                    ".forceignore",
                    "# List files or directories below to ignore them when running force:source:push, force:source:pull, and force:source:status\n\
                     # More information: https://developer.salesforce.com/docs/atlas.en-us.sfdx_dev.meta/sfdx_dev/sfdx_dev_exclude_source.htm\n\
                     #\n\npackage.xml\n\n# LWC configuration files\n**/jsconfig.json\n**/.eslintrc.json\n\n# LWC Jest\n**/__tests__/**\n\n\
                     # Global OAuth settings hold the consumer key: never in source control\n**/*.ecaGlblOauth-meta.xml\n\n\
                     # Profiles kept for reference only\n**/profiles/Deprecated *\n",
                    Read::No,
                )?;
                self.write(
                    ".gitignore",
                    "# This file is used for Git repositories to specify intentionally untracked files.\n.sfdx/\n.sf/\n.localdevserver/\ndeploy-options.json\n\n# LWC VSCode autocomplete\n**/lwc/jsconfig.json\n\n# LWC Jest coverage reports\ncoverage/\n\n# Logs\nlogs\n*.log\nnpm-debug.log*\n\n# Dependency directories\nnode_modules/\n\n# Eslint cache\n.eslintcache\n\n# MacOS system files\n.DS_Store\n",
                    Read::No,
                )?;
                self.write(
                    "package.json",
                    "{\n  \"name\": \"acme-org\",\n  \"private\": true,\n  \"version\": \"1.0.0\",\n  \"scripts\": {\n    \"lint\": \"eslint **/{aura,lwc}/**/*.js\",\n    \"test\": \"npm run test:unit\",\n    \"test:unit\": \"sfdx-lwc-jest\",\n    \"prettier\": \"prettier --write \\\"**/*.{cls,cmp,component,css,html,js,json,md,page,trigger,xml,yaml,yml}\\\"\"\n  },\n  \"devDependencies\": {\n    \"@lwc/eslint-plugin-lwc\": \"^1.8.0\",\n    \"@prettier/plugin-xml\": \"^3.4.1\",\n    \"@salesforce/sfdx-lwc-jest\": \"^5.1.0\",\n    \"eslint\": \"^8.57.0\",\n    \"prettier\": \"^3.3.3\",\n    \"prettier-plugin-apex\": \"^2.1.4\"\n  }\n}\n",
                    Read::No,
                )?;
                self.write(
                    "jest.config.js",
                    "const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');\n\nmodule.exports = {\n    ...jestConfig,\n    modulePathIgnorePatterns: ['<rootDir>/.localdevserver']\n};\n",
                    Read::No,
                )?;
                self.write(".prettierrc", "{\n  \"trailingComma\": \"none\",\n  \"plugins\": [\"prettier-plugin-apex\", \"@prettier/plugin-xml\"]\n}\n", Read::No)?;
                self.write(
                    ".prettierignore",
                    "**/staticresources/**\n.localdevserver\n.sfdx\n.sf\ncoverage\n",
                    Read::No,
                )?;
                self.write(
                    "config/project-scratch-def.json",
                    "{\n  \"orgName\": \"Acme\",\n  \"edition\": \"Developer\",\n  \"features\": [\"EnableSetPasswordInApi\"],\n  \"settings\": {\n    \"lightningExperienceSettings\": {\n      \"enableS1DesktopEnabled\": true\n    }\n  }\n}\n",
                    Read::No,
                )?;
                self.write(
                    "manifest/package.xml",
                    &format!("{HEADER}<Package xmlns=\"{NS}\">\n    <types>\n        <members>*</members>\n        <name>ApexClass</name>\n    </types>\n    <version>{API}</version>\n</Package>\n"),
                    Read::No,
                )?;
                self.write(
                    "scripts/apex/hello.apex",
                    "string tempvar = 'Enter_your_name_here';\nSystem.debug('Hello World!');\n",
                    Read::No,
                )?;
                self.write("scripts/soql/account.soql", "SELECT Id, Name FROM Account LIMIT 10\n", Read::No)?;
                self.write(
                    ".vscode/settings.json",
                    "{\n  \"search.exclude\": {\n    \"**/node_modules\": true,\n    \"**/.sfdx\": true\n  }\n}\n",
                    Read::No,
                )?;
                self.write(
                    ".vscode/extensions.json",
                    "{\n  \"recommendations\": [\"salesforce.salesforcedx-vscode\"]\n}\n",
                    Read::No,
                )?;
                self.write(".husky/pre-commit", "#!/bin/sh\nnpx lint-staged\nforcelint check $(git diff --cached --name-only -- '*.connectedApp-meta.xml' '*.eca*-meta.xml')\n", Read::No)?;
                self.write(
                    ".github/workflows/validate.yml",
                    "name: Validate\non: [pull_request]\njobs:\n  validate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm run lint\n      - run: forcelint check --format github\n",
                    Read::No,
                )?;
                self.write(".sf/config.json", "{\n  \"target-org\": \"acme-dev\"\n}\n", Read::No)?;
                self.write(".sfdx/sfdx-config.json", "{\n  \"defaultusername\": \"acme-dev\"\n}\n", Read::No)?;
                self.write("README.md", "# Acme org\n\nSalesforce DX project of the Acme production org.\n\n## Deploy\n\n```\nsf project deploy start\n```\n", Read::No)?;
                for (path, area) in dirs {
                    self.packages.push(format!("{path}/main/default"));
                    if let Some(area) = area
                        && self.packages.len() == 2
                    {
                        let body = apex_class(&mut self.rng, "TestDataFactory", "Builder", true);
                        self.write(
                            &format!("unpackaged/{area}/main/default/classes/TestDataFactory.cls"),
                            &body,
                            Read::No,
                        )?;
                        self.write(
                            &format!("unpackaged/{area}/main/default/classes/TestDataFactory.cls-meta.xml"),
                            &class_meta(),
                            Read::No,
                        )?;
                    }
                }
            }
            Layout::Mdapi => {
                self.write(
                    "README.md",
                    "# Acme org\n\nMetadata API backup of the Acme production org (nightly `ant retrieve`).\n",
                    Read::No,
                )?;
                self.write(
                    "build.xml",
                    "<project name=\"acme\" default=\"retrieve\" basedir=\".\" xmlns:sf=\"antlib:com.salesforce\">\n    <property file=\"build.properties\"/>\n    <target name=\"retrieve\">\n        <sf:retrieve username=\"${sf.username}\" password=\"${sf.password}\" serverurl=\"${sf.serverurl}\" retrieveTarget=\"src\" unpackaged=\"src/package.xml\"/>\n    </target>\n    <target name=\"deploy\">\n        <sf:deploy username=\"${sf.username}\" password=\"${sf.password}\" serverurl=\"${sf.serverurl}\" deployRoot=\"src\" testLevel=\"RunLocalTests\"/>\n    </target>\n</project>\n",
                    Read::No,
                )?;
                self.write(
                    "build.properties",
                    "sf.serverurl = https://login.salesforce.com\nsf.maxPoll = 200\n",
                    Read::No,
                )?;
                self.write(".gitignore", "build.properties.local\n*.log\n", Read::No)?;
                let mut xml = format!("{HEADER}<Package xmlns=\"{NS}\">\n");
                for t in [
                    "ApexClass",
                    "ApexPage",
                    "ApexTrigger",
                    "ConnectedApp",
                    "CustomObject",
                    "Flow",
                    "Layout",
                    "Profile",
                    "Settings",
                    "StaticResource",
                ] {
                    writeln!(xml, "    <types>\n        <members>*</members>\n        <name>{t}</name>\n    </types>")
                        .unwrap();
                }
                writeln!(xml, "    <version>{API}</version>\n</Package>").unwrap();
                self.write("src/package.xml", &xml, Read::No)?;
                self.packages.push("src".to_string());
            }
        }
        Ok(())
    }

    /// Once per package directory: labels, applications, settings, config files of the
    /// LWC and Aura folders.
    fn package_fixed(&mut self, pkg: &str, first: bool) -> std::io::Result<()> {
        let mut labels = format!("{HEADER}<CustomLabels xmlns=\"{NS}\">\n");
        for _ in 0..self.rng.range(5, 40) {
            let noun = pick_noun(&mut self.rng);
            let name = unique(&mut self.used, "label", &format!("{noun}_Message"));
            writeln!(
                labels,
                "    <labels>\n        <fullName>{name}</fullName>\n        <language>en_US</language>\n        <protected>false</protected>\n        <shortDescription>{name}</shortDescription>\n        <value>The {} could not be saved. Please try again.</value>\n    </labels>",
                noun.to_lowercase()
            )
            .unwrap();
        }
        labels.push_str("</CustomLabels>\n");
        let path = self.meta_path(&format!("{pkg}/labels"), "CustomLabels", "labels");
        self.write(&path, &labels, Read::No)?;
        for _ in 0..self.rng.range(1, 4) {
            let noun = pick_noun(&mut self.rng);
            let name = unique(&mut self.used, "app", &format!("{noun}_Console"));
            let xml = format!(
                "{HEADER}<CustomApplication xmlns=\"{NS}\">\n    <brand>\n        <headerColor>#0070D2</headerColor>\n        <shouldOverrideOrgTheme>false</shouldOverrideOrgTheme>\n    </brand>\n    <formFactors>Small</formFactors>\n    <formFactors>Large</formFactors>\n    <isNavAutoTempTabsDisabled>false</isNavAutoTempTabsDisabled>\n    <isNavPersonalizationDisabled>false</isNavPersonalizationDisabled>\n    <label>{noun} Console</label>\n    <navType>Console</navType>\n    <tabs>standard-home</tabs>\n    <tabs>standard-Account</tabs>\n    <uiType>Lightning</uiType>\n</CustomApplication>\n"
            );
            let path = self.meta_path(&format!("{pkg}/applications"), &name, "app");
            self.write(&path, &xml, Read::No)?;
            self.apps.push(name);
        }
        if first {
            // Settings files: of these, forcelint reads `ConnectedApp` and `OauthOidc` (and
            // `Security`, written below).
            for s in SETTINGS {
                let (body, read) = match *s {
                    "ConnectedApp" => (
                        "    <enableAdminApprovedAppsOnly>false</enableAdminApprovedAppsOnly>\n    <enableAdminApprovedAppsOnlyForExternalUser>false</enableAdminApprovedAppsOnlyForExternalUser>\n    <enableSkipUserProvisioningWizardWelcomePage>false</enableSkipUserProvisioningWizardWelcomePage>\n".to_string(),
                        Read::Yes,
                    ),
                    "OauthOidc" => (
                        "    <blockOAuthUnPwFlow>true</blockOAuthUnPwFlow>\n    <blockOAuthUsrAgtFlow>false</blockOAuthUsrAgtFlow>\n    <isPkceRequired>false</isPkceRequired>\n    <oAuthCdCrdtFlowEnable>false</oAuthCdCrdtFlowEnable>\n".to_string(),
                        Read::Yes,
                    ),
                    _ => (
                        format!("    <enable{s}Feature>true</enable{s}Feature>\n    <enable{s}Notifications>false</enable{s}Notifications>\n"),
                        Read::No,
                    ),
                };
                let xml = format!("{HEADER}<{s}Settings xmlns=\"{NS}\">\n{body}</{s}Settings>\n");
                let path = self.meta_path(&format!("{pkg}/settings"), s, "settings");
                self.write(&path, &xml, read)?;
            }
        }
        if self.layout == Layout::Source {
            self.write(
                &format!("{pkg}/lwc/.eslintrc.json"),
                "{\n  \"extends\": [\"@salesforce/eslint-config-lwc/recommended\"]\n}\n",
                Read::No,
            )?;
            self.write(
                &format!("{pkg}/lwc/jsconfig.json"),
                "{\n  \"compilerOptions\": {\n    \"experimentalDecorators\": true\n  },\n  \"include\": [\"**/*\"]\n}\n",
                Read::No,
            )?;
            self.write(
                &format!("{pkg}/aura/.eslintrc.json"),
                "{\n  \"extends\": [\"@salesforce/eslint-plugin-aura\"]\n}\n",
                Read::No,
            )?;
        }
        Ok(())
    }

    /// One component of a type forcelint does not read; never more files than `left`.
    fn component(&mut self, pkg: &str, left: usize) -> std::io::Result<()> {
        if left < 200 {
            // Single-file kinds, so that the total comes out exact.
            return match self.rng.below(3) {
                0 => self.layout_file(pkg),
                1 => self.flow(pkg),
                _ => self.custom_metadata(pkg),
            };
        }
        const WEIGHTS: &[(u32, u8)] = &[
            (30, 0), // Apex class
            (12, 1), // Apex test class
            (2, 2),  // trigger
            (6, 3),  // custom object
            (10, 4), // layout
            (8, 5),  // flow
            (8, 6),  // LWC
            (2, 7),  // Aura
            (3, 8),  // static resource
            (10, 9), // custom metadata record
            (3, 10), // permission set
            (3, 11), // email template
            (5, 12), // report
            (1, 13), // dashboard
            (4, 14), // flexipage
            (2, 15), // tab
            (3, 16), // quick action
            (2, 17), // Visualforce page
            (2, 18), // remote site, named credential, custom permission
        ];
        let total: u32 = WEIGHTS.iter().map(|w| w.0).sum();
        let mut r = self.rng.below(total as usize) as u32;
        let mut kind = 0;
        for (w, k) in WEIGHTS {
            if r < *w {
                kind = *k;
                break;
            }
            r -= w;
        }
        match kind {
            0 => self.apex(pkg, false),
            1 => self.apex(pkg, true),
            2 => self.trigger(pkg),
            3 => self.custom_object(pkg),
            4 => self.layout_file(pkg),
            5 => self.flow(pkg),
            6 => self.lwc(pkg),
            7 => self.aura(pkg),
            8 => self.static_resource(pkg),
            9 => self.custom_metadata(pkg),
            10 => self.permission_set(pkg),
            11 => self.email_template(pkg),
            12 => self.report(pkg),
            13 => self.dashboard(pkg),
            14 => self.flexipage(pkg),
            15 => self.tab(pkg),
            16 => self.quick_action(pkg),
            17 => self.page(pkg),
            _ => self.misc(pkg),
        }
    }

    fn apex(&mut self, pkg: &str, test: bool) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let role = *self.rng.pick(CLASS_ROLES);
        let base = if test { format!("{noun}{role}Test") } else { format!("{noun}{role}") };
        let name = unique(&mut self.used, "class", &base);
        let body = apex_class(&mut self.rng, &name, role, test);
        self.write(&format!("{pkg}/classes/{name}.cls"), &body, Read::No)?;
        self.write(&format!("{pkg}/classes/{name}.cls-meta.xml"), &class_meta(), Read::No)?;
        self.classes.push(name);
        Ok(())
    }

    fn trigger(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "trigger", &format!("{noun}Trigger"));
        let body = format!(
            "trigger {name} on {noun}__c (before insert, before update, after insert, after update, after delete) {{\n    new {noun}TriggerHandler().run();\n}}\n"
        );
        self.write(&format!("{pkg}/triggers/{name}.trigger"), &body, Read::No)?;
        let meta = format!(
            "{HEADER}<ApexTrigger xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n    <status>Active</status>\n</ApexTrigger>\n"
        );
        self.write(&format!("{pkg}/triggers/{name}.trigger-meta.xml"), &meta, Read::No)
    }

    fn custom_object(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "object", &format!("{noun}__c"));
        let label = name.trim_end_matches("__c").to_string();
        let n_fields = self.rng.range(6, 60);
        let mut fields = Vec::new();
        for _ in 0..n_fields {
            let f = pick_noun(&mut self.rng);
            let kind = *self
                .rng
                .pick(&["Amount", "Status", "Date", "Code", "Type", "Count", "Notes", "Owner", "Region", "Score"]);
            let field = unique(&mut self.used, &format!("field:{name}"), &format!("{f}_{kind}__c"));
            let ty = *self.rng.pick(FIELD_TYPES);
            fields.push((field, ty));
        }
        let n_views = self.rng.range(1, 4);
        let n_rules = self.rng.range(0, 3);
        let n_types = self.rng.range(0, 3);
        let object_head = format!(
            "    <actionOverrides>\n        <actionName>View</actionName>\n        <type>Default</type>\n    </actionOverrides>\n    <allowInChatterGroups>false</allowInChatterGroups>\n    <compactLayoutAssignment>SYSTEM</compactLayoutAssignment>\n    <deploymentStatus>Deployed</deploymentStatus>\n    <description>{label} records kept in sync with the ERP.</description>\n    <enableActivities>true</enableActivities>\n    <enableBulkApi>true</enableBulkApi>\n    <enableFeeds>false</enableFeeds>\n    <enableHistory>true</enableHistory>\n    <enableReports>true</enableReports>\n    <enableSearch>true</enableSearch>\n    <enableSharing>true</enableSharing>\n    <enableStreamingApi>true</enableStreamingApi>\n    <label>{label}</label>\n    <nameField>\n        <displayFormat>{}-{{000000}}</displayFormat>\n        <label>{label} Number</label>\n        <type>AutoNumber</type>\n    </nameField>\n    <pluralLabel>{label}s</pluralLabel>\n    <searchLayouts/>\n    <sharingModel>ReadWrite</sharingModel>\n    <visibility>Public</visibility>\n",
            label.chars().take(3).collect::<String>().to_uppercase()
        );
        let field_xml: Vec<String> = fields.iter().map(|(f, ty)| field_body(&mut self.rng, f, ty)).collect();
        let views: Vec<String> = (0..n_views)
            .map(|i| {
                let v = ["All", "My_Records", "Recently_Modified", "Open"][i];
                format!(
                    "    <fullName>{v}</fullName>\n    <columns>NAME</columns>\n    <columns>{}</columns>\n    <filterScope>{}</filterScope>\n    <label>{}</label>\n",
                    fields[0].0,
                    if i == 1 { "Mine" } else { "Everything" },
                    v.replace('_', " ")
                )
            })
            .collect();
        let rules: Vec<String> = (0..n_rules)
            .map(|i| {
                format!(
                    "    <fullName>Require_{}_{i}</fullName>\n    <active>true</active>\n    <errorConditionFormula>AND(ISPICKVAL(Status__c, &quot;Closed&quot;), ISBLANK({}))</errorConditionFormula>\n    <errorDisplayField>{}</errorDisplayField>\n    <errorMessage>Fill in {} before closing.</errorMessage>\n",
                    fields[i % fields.len()].0.trim_end_matches("__c"),
                    fields[i % fields.len()].0,
                    fields[i % fields.len()].0,
                    fields[i % fields.len()].0
                )
            })
            .collect();
        let types: Vec<String> = (0..n_types)
            .map(|i| {
                let t = ["Standard", "Internal", "Partner"][i];
                format!("    <fullName>{t}</fullName>\n    <active>true</active>\n    <label>{t}</label>\n")
            })
            .collect();
        for (f, _) in &fields {
            self.fields.push(format!("{name}.{f}"));
        }
        for i in 0..n_types {
            self.record_types.push(format!("{name}.{}", ["Standard", "Internal", "Partner"][i]));
        }
        self.objects.push(name.clone());
        match self.layout {
            Layout::Source => {
                let dir = format!("{pkg}/objects/{name}");
                self.write(
                    &format!("{dir}/{name}.object-meta.xml"),
                    &format!("{HEADER}<CustomObject xmlns=\"{NS}\">\n{object_head}</CustomObject>\n"),
                    Read::No,
                )?;
                for ((f, _), body) in fields.iter().zip(&field_xml) {
                    self.write(
                        &format!("{dir}/fields/{f}.field-meta.xml"),
                        &format!("{HEADER}<CustomField xmlns=\"{NS}\">\n{body}</CustomField>\n"),
                        Read::No,
                    )?;
                }
                for (i, body) in views.iter().enumerate() {
                    let v = ["All", "My_Records", "Recently_Modified", "Open"][i];
                    self.write(
                        &format!("{dir}/listViews/{v}.listView-meta.xml"),
                        &format!("{HEADER}<ListView xmlns=\"{NS}\">\n{body}</ListView>\n"),
                        Read::No,
                    )?;
                }
                for (i, body) in rules.iter().enumerate() {
                    let r = format!("Require_{}_{i}", fields[i % fields.len()].0.trim_end_matches("__c"));
                    self.write(
                        &format!("{dir}/validationRules/{r}.validationRule-meta.xml"),
                        &format!("{HEADER}<ValidationRule xmlns=\"{NS}\">\n{body}</ValidationRule>\n"),
                        Read::No,
                    )?;
                }
                for (i, body) in types.iter().enumerate() {
                    let t = ["Standard", "Internal", "Partner"][i];
                    self.write(
                        &format!("{dir}/recordTypes/{t}.recordType-meta.xml"),
                        &format!("{HEADER}<RecordType xmlns=\"{NS}\">\n{body}</RecordType>\n"),
                        Read::No,
                    )?;
                }
                self.write(
                    &format!("{dir}/compactLayouts/{label}_Compact.compactLayout-meta.xml"),
                    &format!(
                        "{HEADER}<CompactLayout xmlns=\"{NS}\">\n    <fullName>{label}_Compact</fullName>\n    <fields>Name</fields>\n    <fields>{}</fields>\n    <label>{label} Compact</label>\n</CompactLayout>\n",
                        fields[0].0
                    ),
                    Read::No,
                )
            }
            Layout::Mdapi => {
                let mut xml = format!("{HEADER}<CustomObject xmlns=\"{NS}\">\n{object_head}");
                let mut section = |tag: &str, bodies: &[String]| {
                    for b in bodies {
                        let indented: String = b.lines().map(|l| format!("    {l}\n")).collect();
                        writeln!(xml, "    <{tag}>\n{indented}    </{tag}>").unwrap();
                    }
                };
                let named: Vec<String> = fields
                    .iter()
                    .zip(&field_xml)
                    .map(|((f, _), b)| format!("    <fullName>{f}</fullName>\n{b}"))
                    .collect();
                section("fields", &named);
                section("listViews", &views);
                section("recordTypes", &types);
                section("validationRules", &rules);
                xml.push_str("</CustomObject>\n");
                self.write(&format!("{pkg}/objects/{name}.object"), &xml, Read::No)
            }
        }
    }

    fn layout_file(&mut self, pkg: &str) -> std::io::Result<()> {
        let object = if self.objects.is_empty() { "Account".to_string() } else { self.rng.pick(&self.objects).clone() };
        let label = object.trim_end_matches("__c").replace('_', " ");
        let variant =
            *self.rng.pick(&["Layout", "Sales Layout", "Support Layout", "Partner Layout", "Read Only Layout"]);
        let name = unique(&mut self.used, "layout", &format!("{object}-{label} {variant}"));
        let mut xml = format!("{HEADER}<Layout xmlns=\"{NS}\">\n");
        for s in 0..self.rng.range(2, 6) {
            writeln!(
                xml,
                "    <layoutSections>\n        <customLabel>{}</customLabel>\n        <detailHeading>true</detailHeading>\n        <editHeading>true</editHeading>\n        <label>Section {s}</label>\n        <layoutColumns>",
                s > 0
            )
            .unwrap();
            for _ in 0..self.rng.range(2, 10) {
                let f = pick_noun(&mut self.rng);
                writeln!(
                    xml,
                    "            <layoutItems>\n                <behavior>Edit</behavior>\n                <field>{f}_Status__c</field>\n            </layoutItems>"
                )
                .unwrap();
            }
            xml.push_str(
                "        </layoutColumns>\n        <style>TwoColumnsTopToBottom</style>\n    </layoutSections>\n",
            );
        }
        xml.push_str("    <showEmailCheckbox>false</showEmailCheckbox>\n    <showHighlightsPanel>false</showHighlightsPanel>\n    <showInteractionLogPanel>false</showInteractionLogPanel>\n    <showRunAssignmentRulesCheckbox>false</showRunAssignmentRulesCheckbox>\n    <showSubmitAndAttachButton>false</showSubmitAndAttachButton>\n</Layout>\n");
        let path = self.meta_path(&format!("{pkg}/layouts"), &name, "layout");
        self.layouts.push(name);
        self.write(&path, &xml, Read::No)
    }

    fn flow(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let what = *self.rng.pick(&["Update", "Notify", "Assign", "Create", "Sync", "Escalate", "Close"]);
        let name = unique(
            &mut self.used,
            "flow",
            &format!("{noun}_{what}_{}", self.rng.pick(&["Flow", "Process", "Screen", "Autolaunched"])),
        );
        let mut xml = format!("{HEADER}<Flow xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n");
        for i in 0..self.rng.range(1, 12) {
            writeln!(
                xml,
                "    <assignments>\n        <name>Set_{noun}_{i}</name>\n        <label>Set {noun} {i}</label>\n        <locationX>176</locationX>\n        <locationY>{}</locationY>\n        <assignmentItems>\n            <assignToReference>$Record.Status__c</assignToReference>\n            <operator>Assign</operator>\n            <value>\n                <stringValue>{what}d</stringValue>\n            </value>\n        </assignmentItems>\n        <connector>\n            <targetReference>Set_{noun}_{}</targetReference>\n        </connector>\n    </assignments>",
                134 + i * 120,
                i + 1
            )
            .unwrap();
        }
        writeln!(
            xml,
            "    <environments>Default</environments>\n    <interviewLabel>{noun} {what} {{!$Flow.CurrentDateTime}}</interviewLabel>\n    <label>{noun} {what}</label>\n    <processMetadataValues>\n        <name>BuilderType</name>\n        <value>\n            <stringValue>LightningFlowBuilder</stringValue>\n        </value>\n    </processMetadataValues>\n    <processType>AutoLaunchedFlow</processType>\n    <start>\n        <locationX>50</locationX>\n        <locationY>0</locationY>\n        <object>{noun}__c</object>\n        <recordTriggerType>CreateAndUpdate</recordTriggerType>\n        <triggerType>RecordBeforeSave</triggerType>\n    </start>\n    <status>Active</status>\n</Flow>"
        )
        .unwrap();
        let path = self.meta_path(&format!("{pkg}/flows"), &name, "flow");
        self.flows.push(name);
        self.write(&path, &xml, Read::No)
    }

    fn lwc(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let what = *self.rng.pick(&["List", "Card", "Detail", "Form", "Summary", "Picker", "Timeline", "Banner"]);
        let base = format!("{}{noun}{what}", self.rng.pick(&["", "acme", "app"]));
        let mut name = unique(&mut self.used, "lwc", &base);
        if let Some(first) = name.get(..1) {
            name = first.to_lowercase() + &name[1..];
        }
        let dir = format!("{pkg}/lwc/{name}");
        let class = format!("{noun}{what}");
        let mut js = format!(
            "import {{ LightningElement, api, wire }} from 'lwc';\nimport {{ getRecord }} from 'lightning/uiRecordApi';\nimport get{noun}s from '@salesforce/apex/{noun}Controller.get{noun}s';\n\nexport default class {class} extends LightningElement {{\n    @api recordId;\n    records = [];\n    error;\n\n    @wire(get{noun}s, {{ recordId: '$recordId' }})\n    wired({{ data, error }}) {{\n        if (data) {{\n            this.records = data;\n            this.error = undefined;\n        }} else if (error) {{\n            this.error = error;\n        }}\n    }}\n"
        );
        for i in 0..self.rng.range(0, 8) {
            writeln!(js, "\n    handle{what}{i}(event) {{\n        const id = event.target.dataset.id;\n        this.dispatchEvent(new CustomEvent('select', {{ detail: {{ id, index: {i} }} }}));\n    }}").unwrap();
        }
        js.push_str("}\n");
        self.write(&format!("{dir}/{name}.js"), &js, Read::No)?;
        self.write(
            &format!("{dir}/{name}.html"),
            &format!("<template>\n    <lightning-card title=\"{noun}s\" icon-name=\"custom:custom14\">\n        <template for:each={{records}} for:item=\"r\">\n            <p key={{r.Id}} data-id={{r.Id}} onclick={{handle{what}0}}>{{r.Name}}</p>\n        </template>\n        <template lwc:if={{error}}>\n            <c-error-panel errors={{error}}></c-error-panel>\n        </template>\n    </lightning-card>\n</template>\n"),
            Read::No,
        )?;
        self.write(
            &format!("{dir}/{name}.js-meta.xml"),
            &format!("{HEADER}<LightningComponentBundle xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n    <isExposed>true</isExposed>\n    <targets>\n        <target>lightning__RecordPage</target>\n        <target>lightning__AppPage</target>\n    </targets>\n</LightningComponentBundle>\n"),
            Read::No,
        )?;
        if self.rng.chance(0.5) {
            self.write(
                &format!("{dir}/{name}.css"),
                ":host {\n    display: block;\n}\n.slds-card {\n    margin-bottom: 0.5rem;\n}\n",
                Read::No,
            )?;
        }
        if self.layout == Layout::Source && self.rng.chance(0.4) {
            self.write(
                &format!("{dir}/__tests__/{name}.test.js"),
                &format!("import {{ createElement }} from 'lwc';\nimport {class} from 'c/{name}';\n\ndescribe('c-{name}', () => {{\n    afterEach(() => {{\n        while (document.body.firstChild) {{\n            document.body.removeChild(document.body.firstChild);\n        }}\n    }});\n\n    it('renders', () => {{\n        const element = createElement('c-{name}', {{ is: {class} }});\n        document.body.appendChild(element);\n        expect(element).not.toBeNull();\n    }});\n}});\n"),
                Read::No,
            )?;
        }
        Ok(())
    }

    fn aura(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(
            &mut self.used,
            "aura",
            &format!("{noun}{}", self.rng.pick(&["Wrapper", "Action", "Modal", "Utility"])),
        );
        let dir = format!("{pkg}/aura/{name}");
        self.write(
            &format!("{dir}/{name}.cmp"),
            &format!("<aura:component implements=\"force:hasRecordId,flexipage:availableForAllPageTypes\" controller=\"{noun}Controller\">\n    <aura:attribute name=\"records\" type=\"Object[]\"/>\n    <aura:handler name=\"init\" value=\"{{!this}}\" action=\"{{!c.doInit}}\"/>\n    <lightning:card title=\"{noun}\">\n        <aura:iteration items=\"{{!v.records}}\" var=\"r\">\n            <p>{{!r.Name}}</p>\n        </aura:iteration>\n    </lightning:card>\n</aura:component>\n"),
            Read::No,
        )?;
        self.write(
            &format!("{dir}/{name}.cmp-meta.xml"),
            &format!("{HEADER}<AuraDefinitionBundle xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n    <description>{noun} wrapper</description>\n</AuraDefinitionBundle>\n"),
            Read::No,
        )?;
        self.write(
            &format!("{dir}/{name}Controller.js"),
            "({\n    doInit: function (component, event, helper) {\n        helper.load(component);\n    }\n});\n",
            Read::No,
        )?;
        self.write(
            &format!("{dir}/{name}Helper.js"),
            "({\n    load: function (component) {\n        var action = component.get('c.getRecords');\n        action.setCallback(this, function (response) {\n            if (response.getState() === 'SUCCESS') {\n                component.set('v.records', response.getReturnValue());\n            }\n        });\n        $A.enqueueAction(action);\n    }\n});\n",
            Read::No,
        )?;
        if self.rng.chance(0.6) {
            self.write(&format!("{dir}/{name}.css"), ".THIS {\n    padding: 0.5rem;\n}\n", Read::No)?;
        }
        if self.rng.chance(0.5) {
            self.write(
                &format!("{dir}/{name}.design"),
                &format!("<design:component label=\"{noun}\">\n    <design:attribute name=\"title\" label=\"Title\"/>\n</design:component>\n"),
                Read::No,
            )?;
        }
        if self.rng.chance(0.3) {
            self.write(
                &format!("{dir}/{name}Renderer.js"),
                "({\n    afterRender: function (component, helper) {\n        this.superAfterRender();\n    }\n});\n",
                Read::No,
            )?;
        }
        Ok(())
    }

    fn static_resource(&mut self, pkg: &str) -> std::io::Result<()> {
        let lib = *self.rng.pick(&[
            "chartjs",
            "jquery",
            "moment",
            "select2",
            "leaflet",
            "d3",
            "fullcalendar",
            "signature_pad",
            "pdfjs",
            "brandAssets",
            "fonts",
            "icons",
        ]);
        let name = unique(&mut self.used, "resource", lib);
        let dir = format!("{pkg}/staticresources");
        let unzipped = self.layout == Layout::Source && self.rng.chance(0.25);
        let content_type = if unzipped {
            "application/zip"
        } else {
            *self.rng.pick(&["application/javascript", "text/css", "image/png"])
        };
        let meta = format!(
            "{HEADER}<StaticResource xmlns=\"{NS}\">\n    <cacheControl>Public</cacheControl>\n    <contentType>{content_type}</contentType>\n    <description>{lib} library</description>\n</StaticResource>\n"
        );
        self.write(&format!("{dir}/{name}.resource-meta.xml"), &meta, Read::No)?;
        if unzipped {
            // A library unpacked into a folder: many small files in nested folders.
            let n = self.rng.range(10, 150);
            for i in 0..n {
                let sub = *self.rng.pick(&[
                    "dist",
                    "dist/js",
                    "dist/css",
                    "src",
                    "src/core",
                    "src/plugins",
                    "img",
                    "locale",
                    "fonts",
                ]);
                let ext = match sub {
                    "dist/css" => "css",
                    "img" => "svg",
                    "fonts" => "woff2",
                    "locale" => "json",
                    _ => "js",
                };
                let body = format!(
                    "/* {lib} {sub} part {i} */\n(function(g){{g.{lib}_{i}=function(x){{return x*{i};}};}})(this);\n"
                );
                self.write(&format!("{dir}/{name}/{sub}/{lib}-{i}.{ext}"), &body, Read::No)?;
            }
        } else {
            let (ext, body) = match content_type {
                "application/javascript" => (
                    "js",
                    format!(
                        "/*! {lib} v3.9.1 | MIT */\n!function(e,t){{\"object\"==typeof exports?module.exports=t():e.{lib}=t()}}(this,function(){{return{{}}}});\n"
                    ),
                ),
                "text/css" => {
                    ("css", format!(".{lib}-container {{ display: flex; }}\n.{lib}-item {{ margin: 0 4px; }}\n"))
                }
                _ => ("png", "\u{89}PNG\r\n\u{1a}\n (image data)\n".to_string()),
            };
            let file = match self.layout {
                Layout::Source => format!("{dir}/{name}.{ext}"),
                Layout::Mdapi => format!("{dir}/{name}.resource"),
            };
            self.write(&file, &body, Read::No)?;
        }
        Ok(())
    }

    fn custom_metadata(&mut self, pkg: &str) -> std::io::Result<()> {
        let ty = *self.rng.pick(&["Integration_Setting", "Feature_Flag", "Routing_Rule", "Tax_Rate", "Mapping"]);
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "md", &format!("{ty}.{noun}"));
        let xml = format!(
            "{HEADER}<CustomMetadata xmlns=\"{NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\">\n    <label>{noun}</label>\n    <protected>false</protected>\n    <values>\n        <field>Active__c</field>\n        <value xsi:type=\"xsd:boolean\">true</value>\n    </values>\n    <values>\n        <field>Endpoint__c</field>\n        <value xsi:type=\"xsd:string\">https://{}.acme.example/api/v2</value>\n    </values>\n    <values>\n        <field>Notes__c</field>\n        <value xsi:nil=\"true\"/>\n    </values>\n</CustomMetadata>\n",
            noun.to_lowercase()
        );
        let path = self.meta_path(&format!("{pkg}/customMetadata"), &name, "md");
        self.write(&path, &xml, Read::No)
    }

    fn permission_set(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(
            &mut self.used,
            "permset",
            &format!("{noun}_{}", self.rng.pick(&["Access", "Admin", "ReadOnly", "Integration"])),
        );
        let mut xml = format!("{HEADER}<PermissionSet xmlns=\"{NS}\">\n");
        for _ in 0..self.rng.range(0, 20) {
            if self.classes.is_empty() {
                break;
            }
            let c = self.rng.pick(&self.classes).clone();
            writeln!(xml, "    <classAccesses>\n        <apexClass>{c}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>").unwrap();
        }
        for _ in 0..self.rng.range(0, 60) {
            if self.fields.is_empty() {
                break;
            }
            let f = self.rng.pick(&self.fields).clone();
            writeln!(xml, "    <fieldPermissions>\n        <editable>false</editable>\n        <field>{f}</field>\n        <readable>true</readable>\n    </fieldPermissions>").unwrap();
        }
        writeln!(
            xml,
            "    <hasActivationRequired>false</hasActivationRequired>\n    <label>{}</label>\n</PermissionSet>",
            name.replace('_', " ")
        )
        .unwrap();
        let path = self.meta_path(&format!("{pkg}/permissionsets"), &name, "permissionset");
        self.write(&path, &xml, Read::No)
    }

    fn email_template(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let folder = *self.rng.pick(&["Sales_Templates", "Support_Templates", "Billing_Notices"]);
        let name = unique(&mut self.used, "email", &format!("{noun}_Notification"));
        let dir = format!("{pkg}/email/{folder}");
        self.write(
            &format!("{dir}/{name}.email"),
            &format!("Hello {{!Contact.FirstName}},\n\nYour {} {{!{noun}__c.Name}} has been updated.\n\nRegards,\n{{!Organization.Name}}\n", noun.to_lowercase()),
            Read::No,
        )?;
        self.write(
            &format!("{dir}/{name}.email-meta.xml"),
            &format!("{HEADER}<EmailTemplate xmlns=\"{NS}\">\n    <available>true</available>\n    <encodingKey>UTF-8</encodingKey>\n    <name>{noun} Notification</name>\n    <style>none</style>\n    <subject>{noun} update</subject>\n    <type>text</type>\n    <uiType>Aloha</uiType>\n</EmailTemplate>\n"),
            Read::No,
        )
    }

    fn report(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let folder = *self.rng.pick(&["Sales_Reports", "Service_Reports", "Finance", "Operations"]);
        let name = unique(
            &mut self.used,
            "report",
            &format!("{noun}_by_{}", self.rng.pick(&["Owner", "Region", "Month", "Status"])),
        );
        let mut xml = format!("{HEADER}<Report xmlns=\"{NS}\">\n");
        for _ in 0..self.rng.range(3, 12) {
            let f = pick_noun(&mut self.rng);
            writeln!(xml, "    <columns>\n        <field>{noun}__c.{f}_Amount__c</field>\n    </columns>").unwrap();
        }
        writeln!(xml, "    <format>Summary</format>\n    <name>{}</name>\n    <reportType>CustomEntity${noun}__c</reportType>\n    <scope>organization</scope>\n    <showDetails>true</showDetails>\n    <timeFrameFilter>\n        <dateColumn>CUST_CREATED_DATE</dateColumn>\n        <interval>INTERVAL_CURFY</interval>\n    </timeFrameFilter>\n</Report>", name.replace('_', " ")).unwrap();
        let path = self.meta_path(&format!("{pkg}/reports/{folder}"), &name, "report");
        self.write(&path, &xml, Read::No)
    }

    fn dashboard(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "dashboard", &format!("{noun}_Overview"));
        let xml = format!(
            "{HEADER}<Dashboard xmlns=\"{NS}\">\n    <backgroundEndColor>#FFFFFF</backgroundEndColor>\n    <backgroundFadeDirection>Diagonal</backgroundFadeDirection>\n    <backgroundStartColor>#FFFFFF</backgroundStartColor>\n    <dashboardType>SpecifiedUser</dashboardType>\n    <isGridLayout>true</isGridLayout>\n    <runningUser>reports@acme.example</runningUser>\n    <textColor>#000000</textColor>\n    <title>{noun} Overview</title>\n    <titleColor>#000000</titleColor>\n    <titleSize>12</titleSize>\n</Dashboard>\n"
        );
        let path = self.meta_path(&format!("{pkg}/dashboards/Company_Dashboards"), &name, "dashboard");
        self.write(&path, &xml, Read::No)
    }

    fn flexipage(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "flexipage", &format!("{noun}_Record_Page"));
        let mut xml = format!("{HEADER}<FlexiPage xmlns=\"{NS}\">\n");
        for i in 0..self.rng.range(1, 6) {
            writeln!(xml, "    <flexiPageRegions>\n        <itemInstances>\n            <componentInstance>\n                <componentName>force:highlightsPanel</componentName>\n                <identifier>force_highlightsPanel{i}</identifier>\n            </componentInstance>\n        </itemInstances>\n        <name>region{i}</name>\n        <type>Region</type>\n    </flexiPageRegions>").unwrap();
        }
        writeln!(xml, "    <masterLabel>{noun} Record Page</masterLabel>\n    <sobjectType>{noun}__c</sobjectType>\n    <template>\n        <name>flexipage:recordHomeTemplateDesktop</name>\n    </template>\n    <type>RecordPage</type>\n</FlexiPage>").unwrap();
        let path = self.meta_path(&format!("{pkg}/flexipages"), &name, "flexipage");
        self.write(&path, &xml, Read::No)
    }

    fn tab(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "tab", &format!("{noun}__c"));
        let xml = format!(
            "{HEADER}<CustomTab xmlns=\"{NS}\">\n    <customObject>true</customObject>\n    <mobileReady>false</mobileReady>\n    <motif>Custom{}: Box</motif>\n</CustomTab>\n",
            self.rng.range(1, 99)
        );
        let path = self.meta_path(&format!("{pkg}/tabs"), &name, "tab");
        self.tabs.push(name);
        self.write(&path, &xml, Read::No)
    }

    fn quick_action(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(&mut self.used, "qa", &format!("{noun}__c.New_{}", pick_noun(&mut self.rng)));
        let xml = format!(
            "{HEADER}<QuickAction xmlns=\"{NS}\">\n    <optionsCreateFeedItem>true</optionsCreateFeedItem>\n    <quickActionLayout>\n        <layoutSectionStyle>TwoColumnsLeftToRight</layoutSectionStyle>\n        <quickActionLayoutColumns>\n            <quickActionLayoutItems>\n                <emptySpace>false</emptySpace>\n                <field>Name</field>\n                <uiBehavior>Required</uiBehavior>\n            </quickActionLayoutItems>\n        </quickActionLayoutColumns>\n    </quickActionLayout>\n    <targetObject>{noun}__c</targetObject>\n    <type>Create</type>\n</QuickAction>\n"
        );
        let path = self.meta_path(&format!("{pkg}/quickActions"), &name, "quickAction");
        self.write(&path, &xml, Read::No)
    }

    fn page(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name =
            unique(&mut self.used, "page", &format!("{noun}{}", self.rng.pick(&["Pdf", "Print", "Edit", "Wizard"])));
        self.write(
            &format!("{pkg}/pages/{name}.page"),
            &format!("<apex:page standardController=\"{noun}__c\" extensions=\"{noun}Controller\" renderAs=\"pdf\">\n    <apex:pageBlock title=\"{noun}\">\n        <apex:outputField value=\"{{!{noun}__c.Name}}\"/>\n    </apex:pageBlock>\n</apex:page>\n"),
            Read::No,
        )?;
        self.write(
            &format!("{pkg}/pages/{name}.page-meta.xml"),
            &format!("{HEADER}<ApexPage xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n    <availableInTouch>false</availableInTouch>\n    <confirmationTokenRequired>false</confirmationTokenRequired>\n    <label>{name}</label>\n</ApexPage>\n"),
            Read::No,
        )?;
        self.pages.push(name);
        Ok(())
    }

    fn misc(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        match self.rng.below(3) {
            0 => {
                let name = unique(&mut self.used, "remote", &format!("{noun}_API"));
                let xml = format!(
                    "{HEADER}<RemoteSiteSetting xmlns=\"{NS}\">\n    <disableProtocolSecurity>false</disableProtocolSecurity>\n    <isActive>true</isActive>\n    <url>https://{}.acme.example</url>\n</RemoteSiteSetting>\n",
                    noun.to_lowercase()
                );
                let path = self.meta_path(&format!("{pkg}/remoteSiteSettings"), &name, "remoteSite");
                self.write(&path, &xml, Read::No)
            }
            1 => {
                let name = unique(&mut self.used, "named", &format!("{noun}_Service"));
                let xml = format!(
                    "{HEADER}<NamedCredential xmlns=\"{NS}\">\n    <allowMergeFieldsInBody>false</allowMergeFieldsInBody>\n    <allowMergeFieldsInHeader>false</allowMergeFieldsInHeader>\n    <calloutStatus>Enabled</calloutStatus>\n    <generateAuthorizationHeader>true</generateAuthorizationHeader>\n    <label>{noun} Service</label>\n    <namedCredentialType>SecuredEndpoint</namedCredentialType>\n</NamedCredential>\n"
                );
                let path = self.meta_path(&format!("{pkg}/namedCredentials"), &name, "namedCredential");
                self.write(&path, &xml, Read::No)
            }
            _ => {
                let name = unique(&mut self.used, "customperm", &format!("Can_Approve_{noun}"));
                let xml = format!(
                    "{HEADER}<CustomPermission xmlns=\"{NS}\">\n    <isLicensed>false</isLicensed>\n    <label>Can approve {}</label>\n</CustomPermission>\n",
                    noun.to_lowercase()
                );
                let path = self.meta_path(&format!("{pkg}/customPermissions"), &name, "customPermission");
                self.write(&path, &xml, Read::No)
            }
        }
    }

    // ---- The files forcelint reads --------------------------------------------------

    fn connected_app(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let purpose = self.rng.below(10);
        let suffix = match purpose {
            0..=2 => *self.rng.pick(&["Integration", "Sync", "Loader", "Connector", "Batch"]),
            3..=5 => *self.rng.pick(&["ETL", "Middleware", "Export", "Feed"]),
            6..=7 => *self.rng.pick(&["Portal", "Mobile", "SSO", "App"]),
            8 => "Canvas",
            _ => "Package",
        };
        let name = unique(&mut self.used, "connectedApp", &format!("{noun}_{suffix}"));
        let host = format!("{}.{}.example", noun.to_lowercase(), self.rng.pick(&["acme", "partner", "vendor", "erp"]));
        let mut xml = String::with_capacity(4096);
        xml.push_str(HEADER);
        writeln!(xml, "<ConnectedApp xmlns=\"{NS}\">").unwrap();
        if self.rng.chance(0.1) {
            xml.push_str("    <!-- Managed by the integration team; change through a pull request. -->\n");
        }
        if purpose == 8 {
            writeln!(xml, "    <canvasConfig>\n        <accessMethod>Post</accessMethod>\n        <canvasUrl>https://{host}/canvas</canvasUrl>\n        <locations>Visualforce</locations>\n    </canvasConfig>").unwrap();
        }
        writeln!(
            xml,
            "    <contactEmail>{}@acme.example</contactEmail>\n    <label>{}</label>",
            noun.to_lowercase(),
            name.replace('_', " ")
        )
        .unwrap();
        if purpose != 9 {
            xml.push_str("    <oauthConfig>\n");
            writeln!(xml, "        <callbackUrl>https://{host}/oauth/callback</callbackUrl>").unwrap();
            let jwt = purpose <= 2 && self.rng.chance(0.5);
            if jwt {
                writeln!(xml, "        <certificate>MIIDdzCCAl+gAwIBAgIE{}</certificate>", self.rng.base64(1200))
                    .unwrap();
            }
            writeln!(xml, "        <consumerKey>3MVG9{}</consumerKey>", self.rng.token(80)).unwrap();
            let admin = self.rng.chance(0.5);
            let cc = purpose <= 2 && !jwt;
            writeln!(
                xml,
                "        <isAdminApproved>{admin}</isAdminApproved>\n        <isClientCredentialEnabled>{cc}</isClientCredentialEnabled>\n        <isCodeCredentialEnabled>false</isCodeCredentialEnabled>\n        <isCodeCredentialPostOnly>false</isCodeCredentialPostOnly>\n        <isConsumerSecretOptional>false</isConsumerSecretOptional>\n        <isIntrospectAllTokens>false</isIntrospectAllTokens>\n        <isNamedUserJwtEnabled>false</isNamedUserJwtEnabled>\n        <isPkceRequired>{}</isPkceRequired>\n        <isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>\n        <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>\n        <isSecretRequiredForTokenExchange>false</isSecretRequiredForTokenExchange>\n        <isTokenExchangeEnabled>false</isTokenExchangeEnabled>",
                purpose >= 6
            )
            .unwrap();
            if cc {
                writeln!(
                    xml,
                    "        <oauthClientCredentialUser>{}.integration@acme.example</oauthClientCredentialUser>",
                    noun.to_lowercase()
                )
                .unwrap();
            }
            let scopes: &[&str] = match purpose {
                0..=2 => &["Api"],
                3..=5 => &["Api", "RefreshToken", "Web"],
                6..=7 => &["Basic", "OpenID", "Web", "Chatter"],
                _ => &["Basic", "Api", "CustomApplications"],
            };
            for s in scopes {
                writeln!(xml, "        <scopes>{s}</scopes>").unwrap();
            }
            xml.push_str("    </oauthConfig>\n");
            let relax = *self.rng.pick(&["ENFORCE", "BYPASS", "ENFORCE_RELAXREFRESH", "BYPASS", ""]);
            let refresh = *self.rng.pick(&[
                "infinite",
                "infinite",
                "zero",
                "specific_lifetime:90:DAYS",
                "specific_inactivity:30:DAYS",
                "",
            ]);
            if !relax.is_empty() || !refresh.is_empty() {
                xml.push_str("    <oauthPolicy>\n");
                if !relax.is_empty() {
                    writeln!(xml, "        <ipRelaxation>{relax}</ipRelaxation>").unwrap();
                }
                if !refresh.is_empty() {
                    writeln!(xml, "        <refreshTokenPolicy>{refresh}</refreshTokenPolicy>").unwrap();
                }
                xml.push_str("    </oauthPolicy>\n");
            }
            if admin {
                for _ in 0..self.rng.range(1, 3) {
                    let p = self.rng.pick(&self.profile_names).replace("%3A", ":");
                    writeln!(xml, "    <profileName>{p}</profileName>").unwrap();
                }
            }
            if self.rng.chance(0.5) {
                let t = *self.rng.pick(&["15", "30", "60", "120", "240", "480", "720", "1440"]);
                writeln!(
                    xml,
                    "    <sessionPolicy>\n        <sessionTimeout>{t}</sessionTimeout>\n    </sessionPolicy>"
                )
                .unwrap();
            }
        }
        xml.push_str("</ConnectedApp>\n");
        let path = self.meta_path(&format!("{pkg}/connectedApps"), &name, "connectedApp");
        self.connected_apps += 1;
        self.write(&path, &xml, Read::Yes)
    }

    fn external_client_app(&mut self, pkg: &str) -> std::io::Result<()> {
        let noun = pick_noun(&mut self.rng);
        let name = unique(
            &mut self.used,
            "eca",
            &format!("{noun}_{}", self.rng.pick(&["Connector", "Integration", "Sync", "Client"])),
        );
        let host = format!("{}.acme.example", noun.to_lowercase());
        let org = format!("00D{}", self.rng.token(12));
        let eca = format!(
            "{HEADER}<ExternalClientApplication xmlns=\"{NS}\">\n    <contactEmail>{}@acme.example</contactEmail>\n    <distributionState>Local</distributionState>\n    <isProtected>false</isProtected>\n    <label>{}</label>\n    <orgScopedExternalApp>{org}:{name}</orgScopedExternalApp>\n</ExternalClientApplication>\n",
            noun.to_lowercase(),
            name.replace('_', " ")
        );
        let path = self.meta_path(&format!("{pkg}/externalClientApps"), &name, "eca");
        self.write(&path, &eca, Read::Yes)?;
        let scopes =
            *self.rng.pick(&["Api, RefreshToken", "Api", "Full, RefreshToken", "Api, OpenID, RefreshToken, Web"]);
        let oauth = format!(
            "{HEADER}<ExtlClntAppOauthSettings xmlns=\"{NS}\">\n    <commaSeparatedOauthScopes>{scopes}</commaSeparatedOauthScopes>\n    <externalClientApplication>{name}</externalClientApplication>\n    <isFirstPartyAppEnabled>false</isFirstPartyAppEnabled>\n    <label>{name}_oauth</label>\n    <oauthLink>{org}:888{}</oauthLink>\n</ExtlClntAppOauthSettings>\n",
            self.rng.token(12)
        );
        let path = self.meta_path(&format!("{pkg}/extlClntAppOauthSettings"), &format!("{name}_oauth"), "ecaOauth");
        self.write(&path, &oauth, Read::Yes)?;
        let cc = self.rng.chance(0.4);
        if self.rng.chance(0.6) {
            let global = format!(
                "{HEADER}<ExtlClntAppGlobalOauthSettings xmlns=\"{NS}\">\n    <callbackUrl>https://{host}/oauth/callback</callbackUrl>\n    <consumerKey>3MVG9{}</consumerKey>\n    <externalClientApplication>{name}</externalClientApplication>\n    <isClientCredentialsFlowEnabled>{cc}</isClientCredentialsFlowEnabled>\n    <isCodeCredFlowEnabled>false</isCodeCredFlowEnabled>\n    <isConsumerSecretOptional>false</isConsumerSecretOptional>\n    <isDeviceFlowEnabled>false</isDeviceFlowEnabled>\n    <isIntrospectAllTokens>false</isIntrospectAllTokens>\n    <isPkceRequired>false</isPkceRequired>\n    <isRefreshTokenRotationEnabled>false</isRefreshTokenRotationEnabled>\n    <isSecretRequiredForRefreshToken>true</isSecretRequiredForRefreshToken>\n    <label>{name}_glbloauth</label>\n    <shouldRotateConsumerKey>false</shouldRotateConsumerKey>\n    <shouldRotateConsumerSecret>false</shouldRotateConsumerSecret>\n</ExtlClntAppGlobalOauthSettings>\n",
                self.rng.token(80)
            );
            // The project's .forceignore keeps these out in source layout.
            let read = if self.layout == Layout::Source { Read::No } else { Read::Yes };
            let path = self.meta_path(
                &format!("{pkg}/extlClntAppGlobalOauthSets"),
                &format!("{name}_glbloauth"),
                "ecaGlblOauth",
            );
            self.write(&path, &global, read)?;
        }
        let relax = *self.rng.pick(&["Enforce", "Bypass", "EnforceRelaxRefresh", "Bypass"]);
        let mut plcy = format!(
            "{HEADER}<ExtlClntAppOauthConfigurablePolicies xmlns=\"{NS}\">\n    <externalClientApplication>{name}</externalClientApplication>\n    <ipRelaxationPolicyType>{relax}</ipRelaxationPolicyType>\n    <isClientCredentialsFlowEnabled>{cc}</isClientCredentialsFlowEnabled>\n    <isGuestCodeCredFlowEnabled>false</isGuestCodeCredFlowEnabled>\n    <isTokenExchangeFlowEnabled>false</isTokenExchangeFlowEnabled>\n    <label>{name}_oauthPlcy</label>\n    <permittedUsersPolicyType>{}</permittedUsersPolicyType>\n",
            if cc { "AdminApprovedPreAuthorized" } else { "AllSelfAuthorized" }
        );
        if cc {
            writeln!(
                plcy,
                "    <clientCredentialsFlowUser>{}.integration@acme.example</clientCredentialsFlowUser>",
                noun.to_lowercase()
            )
            .unwrap();
        }
        match self.rng.below(4) {
            0 => plcy.push_str("    <refreshTokenPolicyType>SpecificLifetime</refreshTokenPolicyType>\n    <refreshTokenValidityPeriod>90</refreshTokenValidityPeriod>\n    <refreshTokenValidityUnit>Days</refreshTokenValidityUnit>\n"),
            1 => plcy.push_str("    <refreshTokenPolicyType>Zero</refreshTokenPolicyType>\n"),
            _ => plcy.push_str("    <refreshTokenPolicyType>Infinite</refreshTokenPolicyType>\n"),
        }
        plcy.push_str("    <requiredSessionLevel>STANDARD</requiredSessionLevel>\n");
        if self.rng.chance(0.5) {
            writeln!(
                plcy,
                "    <sessionTimeoutInMinutes>{}</sessionTimeoutInMinutes>",
                self.rng.pick(&["30", "60", "120", "480"])
            )
            .unwrap();
        }
        plcy.push_str("</ExtlClntAppOauthConfigurablePolicies>\n");
        let path =
            self.meta_path(&format!("{pkg}/extlClntAppOauthPolicies"), &format!("{name}_oauthPlcy"), "ecaOauthPlcy");
        self.write(&path, &plcy, Read::Yes)?;
        let policies = format!(
            "{HEADER}<ExtlClntAppConfigurablePolicies xmlns=\"{NS}\">\n    <externalClientApplication>{name}</externalClientApplication>\n    <isEnabled>true</isEnabled>\n    <isOauthPluginEnabled>true</isOauthPluginEnabled>\n    <label>{name}_plcy</label>\n    <startPage>Custom</startPage>\n    <startUrl>https://{host}/</startUrl>\n</ExtlClntAppConfigurablePolicies>\n"
        );
        let path = self.meta_path(&format!("{pkg}/extlClntAppPolicies"), &format!("{name}_plcy"), "ecaPlcy");
        self.ecas += 1;
        self.write(&path, &policies, Read::Yes)
    }

    fn security_settings(&mut self, pkg: &str) -> std::io::Result<()> {
        let timeout = *self.rng.pick(&["TwoHours", "TwoHours", "EightHours", "SixtyMinutes", "FourHours"]);
        let mut xml = format!(
            "{HEADER}<SecuritySettings xmlns=\"{NS}\">\n    <canUsersGrantLoginAccess>true</canUsersGrantLoginAccess>\n    <enableAdminLoginAsAnyUser>true</enableAdminLoginAsAnyUser>\n    <enableAuditFieldsInactiveOwner>false</enableAuditFieldsInactiveOwner>\n    <enableAuraSecureEvalPref>true</enableAuraSecureEvalPref>\n    <enableRequireHttpsConnection>true</enableRequireHttpsConnection>\n"
        );
        if self.rng.chance(0.5) {
            xml.push_str("    <networkAccess>\n");
            for i in 0..self.rng.range(1, 6) {
                writeln!(xml, "        <ipRanges>\n            <description>Office {i}</description>\n            <end>203.0.113.{}</end>\n            <start>203.0.113.{}</start>\n        </ipRanges>", i * 16 + 15, i * 16).unwrap();
            }
            xml.push_str("    </networkAccess>\n");
        } else {
            xml.push_str("    <networkAccess/>\n");
        }
        xml.push_str("    <passwordPolicies>\n        <complexity>AlphaNumeric</complexity>\n        <expiration>NinetyDays</expiration>\n        <historyRestriction>3</historyRestriction>\n        <lockoutInterval>FifteenMinutes</lockoutInterval>\n        <maxLoginAttempts>TenAttempts</maxLoginAttempts>\n        <minimumPasswordLength>8</minimumPasswordLength>\n        <minimumPasswordLifetime>false</minimumPasswordLifetime>\n        <obscureSecretAnswer>false</obscureSecretAnswer>\n        <questionRestriction>DoesNotContainPassword</questionRestriction>\n    </passwordPolicies>\n    <sessionSettings>\n");
        for s in [
            "allowUserAuthenticationByCertificate",
            "canConfirmEmailChangeInLightningCommunities",
            "disableTimeoutWarning",
            "enableCSPOnEmail",
            "enableCSRFOnGet",
            "enableCSRFOnPost",
            "enableCacheAndAutocomplete",
            "enableClickjackNonsetupSFDC",
            "enableClickjackSetup",
            "enableContentSniffingProtection",
            "enableLightningLogin",
            "enablePostForSessions",
            "enableSMSIdentity",
            "enforceIpRangesEveryRequest",
            "forceLogoutOnSessionTimeout",
            "forceRelogin",
            "hasRetainedLoginHints",
            "hasUserSwitching",
            "identityConfirmationOnEmailChange",
            "lockSessionsToDomain",
            "lockSessionsToIp",
            "lockerServiceNext",
            "redirectionWarning",
            "referrerPolicy",
            "requireHttpOnly",
        ] {
            let v = match s {
                "enforceIpRangesEveryRequest" | "lockSessionsToIp" => self.rng.chance(0.2),
                "lockSessionsToDomain" | "forceRelogin" | "enableCSRFOnGet" | "enableCSRFOnPost" => true,
                _ => self.rng.chance(0.5),
            };
            writeln!(xml, "        <{s}>{v}</{s}>").unwrap();
        }
        writeln!(xml, "        <sessionTimeout>{timeout}</sessionTimeout>\n        <useLocalStorageForLogoutUrl>false</useLocalStorageForLogoutUrl>\n    </sessionSettings>\n    <singleSignOnSettings>\n        <enableForceDelegatedCallout>false</enableForceDelegatedCallout>\n        <enableMultipleSamlConfigs>true</enableMultipleSamlConfigs>\n        <enableSamlLogin>false</enableSamlLogin>\n    </singleSignOnSettings>\n</SecuritySettings>").unwrap();
        let path = self.meta_path(&format!("{pkg}/settings"), "Security", "settings");
        self.write(&path, &xml, Read::Yes)
    }

    fn profile_session_setting(&mut self, pkg: &str, i: usize) -> std::io::Result<()> {
        let profile = self.profile_names[(i * 7 + 9) % self.profile_names.len()].replace("%3A", ":").to_lowercase();
        let stem = profile.replace([' ', ':'], "_");
        let name = format!("{stem}_profileSessionSetting{}", 1_577_114_379_358u64 + i as u64 * 86_400_000);
        let xml = format!(
            "{HEADER}<ProfileSessionSetting xmlns=\"{NS}\">\n    <forceLogout>false</forceLogout>\n    <profile>{profile}</profile>\n    <requiredSessionLevel>STANDARD</requiredSessionLevel>\n    <sessionTimeout>{}</sessionTimeout>\n    <sessionTimeoutWarning>true</sessionTimeoutWarning>\n</ProfileSessionSetting>\n",
            self.rng.pick(&["30", "60", "240", "480", "1440"])
        );
        let path = self.meta_path(&format!("{pkg}/profileSessionSettings"), &name, "profileSessionSetting");
        self.write(&path, &xml, Read::Yes)
    }

    /// A retrieved profile: permissions for a sample of the project's components, in
    /// Salesforce's order (element name, then name), tens to hundreds of KiB.
    fn profile(&mut self, pkg: &str, name: &str, read: Read, i: usize) -> std::io::Result<()> {
        let mut xml = String::with_capacity(256 * 1024);
        writeln!(xml, "{HEADER}<Profile xmlns=\"{NS}\">").unwrap();
        for app in self.apps.clone() {
            writeln!(xml, "    <applicationVisibilities>\n        <application>{app}</application>\n        <default>false</default>\n        <visible>{}</visible>\n    </applicationVisibilities>", self.rng.chance(0.7)).unwrap();
        }
        let sample = |rng: &mut Rng, items: &[String], want: usize| -> Vec<String> {
            let p = want as f64 / items.len().max(1) as f64;
            let mut picked: Vec<String> = items.iter().filter(|_| rng.chance(p)).cloned().collect();
            picked.sort();
            picked
        };
        let n = self.rng.range(50, 400);
        for c in sample(&mut self.rng, &self.classes, n) {
            writeln!(xml, "    <classAccesses>\n        <apexClass>{c}</apexClass>\n        <enabled>true</enabled>\n    </classAccesses>").unwrap();
        }
        let custom = i >= 6;
        writeln!(xml, "    <custom>{custom}</custom>").unwrap();
        let n = self.rng.range(200, 1500);
        for f in sample(&mut self.rng, &self.fields, n) {
            let edit = self.rng.chance(0.6);
            writeln!(xml, "    <fieldPermissions>\n        <editable>{edit}</editable>\n        <field>{f}</field>\n        <readable>true</readable>\n    </fieldPermissions>").unwrap();
        }
        for f in sample(&mut self.rng, &self.flows, 30) {
            writeln!(
                xml,
                "    <flowAccesses>\n        <enabled>true</enabled>\n        <flow>{f}</flow>\n    </flowAccesses>"
            )
            .unwrap();
        }
        for l in sample(&mut self.rng, &self.layouts, 100) {
            writeln!(xml, "    <layoutAssignments>\n        <layout>{l}</layout>\n    </layoutAssignments>").unwrap();
        }
        if self.rng.chance(0.2) {
            xml.push_str("    <loginHours>\n");
            for d in ["friday", "monday", "thursday", "tuesday", "wednesday"] {
                writeln!(xml, "        <{d}End>1200</{d}End>\n        <{d}Start>420</{d}Start>").unwrap();
            }
            xml.push_str("    </loginHours>\n");
        }
        if self.rng.chance(0.3) {
            for k in 0..self.rng.range(1, 4) {
                writeln!(xml, "    <loginIpRanges>\n        <description>Data centre {k}</description>\n        <endAddress>198.51.100.{}</endAddress>\n        <startAddress>198.51.100.{}</startAddress>\n    </loginIpRanges>", k * 32 + 31, k * 32).unwrap();
            }
        }
        let n = self.rng.range(20, 150);
        for o in sample(&mut self.rng, &self.objects, n) {
            let all = self.rng.chance(0.2);
            writeln!(xml, "    <objectPermissions>\n        <allowCreate>true</allowCreate>\n        <allowDelete>{all}</allowDelete>\n        <allowEdit>true</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>{all}</modifyAllRecords>\n        <object>{o}</object>\n        <viewAllFields>false</viewAllFields>\n        <viewAllRecords>{all}</viewAllRecords>\n    </objectPermissions>").unwrap();
        }
        for p in sample(&mut self.rng, &self.pages, 50) {
            writeln!(xml, "    <pageAccesses>\n        <apexPage>{p}</apexPage>\n        <enabled>true</enabled>\n    </pageAccesses>").unwrap();
        }
        for r in sample(&mut self.rng, &self.record_types, 40) {
            writeln!(xml, "    <recordTypeVisibilities>\n        <default>false</default>\n        <recordType>{r}</recordType>\n        <visible>true</visible>\n    </recordTypeVisibilities>").unwrap();
        }
        for t in sample(&mut self.rng, &self.tabs, 50) {
            writeln!(xml, "    <tabVisibilities>\n        <tab>{t}</tab>\n        <visibility>DefaultOn</visibility>\n    </tabVisibilities>").unwrap();
        }
        writeln!(
            xml,
            "    <userLicense>{}</userLicense>",
            if name.contains("Integration") || name.contains("API") { "Salesforce Integration" } else { "Salesforce" }
        )
        .unwrap();
        let n = self.rng.range(30, USER_PERMISSIONS.len());
        let perms: Vec<String> = USER_PERMISSIONS.iter().map(|s| s.to_string()).collect();
        for p in sample(&mut self.rng, &perms, n) {
            writeln!(xml, "    <userPermissions>\n        <enabled>true</enabled>\n        <name>{p}</name>\n    </userPermissions>").unwrap();
        }
        xml.push_str("</Profile>\n");
        let path = self.meta_path(&format!("{pkg}/profiles"), name, "profile");
        self.write(&path, &xml, read)
    }
}

/// A name not used before for this kind: `base`, else `base2`, `base3`, ...
fn unique(used: &mut HashSet<String>, kind: &str, base: &str) -> String {
    let mut n = 1;
    loop {
        let name = if n == 1 { base.to_string() } else { format!("{base}{n}") };
        if used.insert(format!("{kind}:{name}")) {
            return name;
        }
        n += 1;
    }
}

fn pick_noun(rng: &mut Rng) -> &'static str {
    NOUNS[rng.below(NOUNS.len())]
}

fn class_meta() -> String {
    format!(
        "{HEADER}<ApexClass xmlns=\"{NS}\">\n    <apiVersion>{API}</apiVersion>\n    <status>Active</status>\n</ApexClass>\n"
    )
}

fn apex_class(rng: &mut Rng, name: &str, role: &str, test: bool) -> String {
    let mut s = String::with_capacity(4096);
    writeln!(
        s,
        "/**\n * {name}: {} for the {} domain.\n * @group {role}\n */",
        role.to_lowercase(),
        name.trim_end_matches("Test")
    )
    .unwrap();
    if test {
        writeln!(s, "@IsTest\nprivate class {name} {{\n    @TestSetup\n    static void setup() {{\n        TestDataFactory.createAccounts(5);\n    }}").unwrap();
        for i in 0..rng.range(1, 8) {
            writeln!(s, "\n    @IsTest\n    static void itHandlesCase{i}() {{\n        Test.startTest();\n        List<Account> accounts = [SELECT Id, Name FROM Account LIMIT 5];\n        Test.stopTest();\n        Assert.areEqual(5, accounts.size(), 'expected the setup accounts');\n    }}").unwrap();
        }
    } else {
        writeln!(
            s,
            "public with sharing class {name} {{\n    private static final Integer BATCH_SIZE = {};",
            rng.range(50, 2000)
        )
        .unwrap();
        for i in 0..rng.range(1, 14) {
            let ret = *rng.pick(&["void", "List<SObject>", "Map<Id, SObject>", "Boolean", "String"]);
            writeln!(s, "\n    public static {ret} process{i}(List<SObject> records) {{\n        if (records == null || records.isEmpty()) {{\n            {}\n        }}\n        Map<Id, SObject> byId = new Map<Id, SObject>(records);\n        for (SObject record : records) {{\n            if (record.get('Status__c') == 'Closed') {{\n                byId.remove(record.Id);\n            }}\n        }}\n        {}\n    }}",
                match ret { "void" => "return;", "Boolean" => "return false;", "String" => "return '';", _ => "return null;" },
                match ret { "void" => "update byId.values();", "Boolean" => "return !byId.isEmpty();", "String" => "return String.join(new List<Id>(byId.keySet()), ',');", "List<SObject>" => "return byId.values();", _ => "return byId;" }
            ).unwrap();
        }
    }
    s.push_str("}\n");
    s
}

fn field_body(rng: &mut Rng, name: &str, ty: &str) -> String {
    let label = name.trim_end_matches("__c").replace('_', " ");
    let mut s = format!(
        "    <fullName>{name}</fullName>\n    <description>{label}, from the ERP.</description>\n    <externalId>false</externalId>\n    <label>{label}</label>\n"
    );
    match ty {
        "Text" | "Email" => writeln!(s, "    <length>{}</length>\n    <required>false</required>\n    <trackHistory>false</trackHistory>\n    <type>{ty}</type>\n    <unique>false</unique>", rng.pick(&[80, 128, 255])).unwrap(),
        "Number" | "Currency" | "Percent" => writeln!(s, "    <precision>18</precision>\n    <required>false</required>\n    <scale>2</scale>\n    <trackHistory>false</trackHistory>\n    <type>{ty}</type>").unwrap(),
        "Checkbox" => writeln!(s, "    <defaultValue>false</defaultValue>\n    <trackHistory>false</trackHistory>\n    <type>Checkbox</type>").unwrap(),
        "Picklist" => {
            s.push_str("    <required>false</required>\n    <trackHistory>true</trackHistory>\n    <type>Picklist</type>\n    <valueSet>\n        <restricted>true</restricted>\n        <valueSetDefinition>\n            <sorted>false</sorted>\n");
            for v in ["New", "In Progress", "On Hold", "Closed"] {
                writeln!(s, "            <value>\n                <fullName>{v}</fullName>\n                <default>false</default>\n                <label>{v}</label>\n            </value>").unwrap();
            }
            s.push_str("        </valueSetDefinition>\n    </valueSet>\n");
        }
        "LongTextArea" => s.push_str("    <length>32768</length>\n    <trackHistory>false</trackHistory>\n    <type>LongTextArea</type>\n    <visibleLines>3</visibleLines>\n"),
        "Lookup" => writeln!(s, "    <deleteConstraint>SetNull</deleteConstraint>\n    <referenceTo>Account</referenceTo>\n    <relationshipLabel>{label}s</relationshipLabel>\n    <relationshipName>{}</relationshipName>\n    <required>false</required>\n    <trackHistory>false</trackHistory>\n    <type>Lookup</type>", name.trim_end_matches("__c")).unwrap(),
        _ => writeln!(s, "    <required>false</required>\n    <trackHistory>false</trackHistory>\n    <type>{ty}</type>").unwrap(),
    }
    s
}

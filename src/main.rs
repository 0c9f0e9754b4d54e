use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use forcelint::baseline;
use forcelint::config::Level;
use forcelint::engine::{RunError, Settings};
use forcelint::finding::Severity;
use forcelint::inventory;
use forcelint::model::literals::did_you_mean;
use forcelint::report::{self, Format, clean};
use forcelint::rules::{self, RULES};

const EXAMPLES: &str = "\
Examples:
  forcelint                                  lint the project in the current folder
  forcelint check path/to/sfdx-project       lint a project (its sfdx-project.json package folders)
  forcelint check force-app/main/default/connectedApps/Sync.connectedApp-meta.xml
                                             lint one file, with its project's context
  forcelint check --format concise --fail-on error
  forcelint check --format sarif --output forcelint.sarif
                                             a report for GitHub code scanning
  forcelint check --format github --output markdown=summary.md --output sarif=forcelint.sarif
                                             annotations on stdout, two reports from one run
  forcelint rules                            list the rules
  forcelint explain expiring-refresh-token   print a rule's page (`explain purpose`: app purposes)

Exit status: 0 no findings at or above --fail-on, 1 findings at or above it,
2 the run itself failed (bad arguments, path not found).";

#[derive(Parser)]
#[command(name = "forcelint", version, about = "Checks Salesforce connected apps and external client apps for OAuth and session policies that break integrations.", after_help = EXAMPLES, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Lint SFDX projects, folders or files (the default command).
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules {
        /// `json`: an array of {id, severity, summary, url}, for tools that list rules.
        #[arg(long, value_enum, default_value_t = RulesFormat::Human)]
        format: RulesFormat,
    },
    /// Print a rule's documentation page (or, for `purpose`, how apps are classified).
    Explain {
        /// A rule id, as `forcelint rules` lists them.
        rule: String,
    },
    /// List every app with its purpose, effective session timeout, policies and findings.
    Apps {
        /// A project folder, folder or file [default: .]
        path: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = InventoryFormat::Human)]
        format: InventoryFormat,
        /// Use this config instead of looking for forcelint.toml.
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
    /// Write a starter forcelint.toml listing every rule and the apps found.
    Init {
        /// The project folder [default: .]
        path: Option<PathBuf>,
        /// Replace an existing forcelint.toml.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Project folders, folders or metadata files [default: .]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// `FILE`: write the report to FILE instead of standard output. `FORMAT=FILE`: also write
    /// a FORMAT report to FILE (repeatable, e.g. `--output sarif=forcelint.sarif`).
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE", value_parser = parse_output)]
    output: Vec<Output>,
    /// Exit with status 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colour in human output; `auto` honours NO_COLOR and whether stdout is a terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Use this config instead of looking for forcelint.toml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Set a rule's severity for this run: `ID=error|warning|info|off` (repeatable).
    #[arg(long = "rule", value_name = "ID=LEVEL", value_parser = parse_override)]
    overrides: Vec<(String, Level)>,
    /// Run only these rules (repeatable).
    #[arg(long, value_name = "ID")]
    select: Vec<String>,
    /// Pull-request mode: only apps and files changed since this git revision, with how
    /// their policy values moved.
    #[arg(long, value_name = "REV")]
    changed_since: Option<String>,
    /// Report findings that suppressions would hide.
    #[arg(long)]
    no_ignore: bool,
    /// Report only findings that are not in this baseline.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Record the findings of this run as the baseline, then exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
}

fn parse_override(s: &str) -> Result<(String, Level), String> {
    let (id, level) = s.split_once('=').ok_or("expected ID=LEVEL, e.g. short-session-timeout=off")?;
    let level = match level {
        "error" => Level::Error,
        "warning" => Level::Warning,
        "info" => Level::Info,
        "off" => Level::Off,
        other => return Err(format!("unknown level `{other}`: use error, warning, info or off")),
    };
    Ok((id.to_string(), level))
}

/// Where one report goes: `format: None` is the `--format` report instead of stdout.
#[derive(Clone)]
struct Output {
    format: Option<Format>,
    path: PathBuf,
}

/// `FORMAT=FILE` when the text before the first `=` is a format name, else a plain FILE (so
/// `--output FILE` keeps its meaning; a file named like `json=x` is given as `./json=x`).
fn parse_output(s: &str) -> Result<Output, String> {
    if let Some((name, path)) = s.split_once('=')
        && let Ok(format) = Format::from_str(name, false)
    {
        if path.is_empty() {
            return Err(format!("no file after `{name}=`: use {name}=FILE"));
        }
        return Ok(Output { format: Some(format), path: PathBuf::from(path) });
    }
    if s.is_empty() {
        return Err("expected FILE or FORMAT=FILE".to_string());
    }
    Ok(Output { format: None, path: PathBuf::from(s) })
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum InventoryFormat {
    Human,
    Json,
    Csv,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    // A bug is a failed run (2), not an exit status of its own (101).
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: forcelint failed, which is a bug (please report it): {}", clean::line(&info.to_string()));
        std::process::exit(2);
    }));
    let cli = Cli::parse();
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules { format }) => {
            print(&match format {
                RulesFormat::Human => list_rules(),
                RulesFormat::Json => rules_json(),
            });
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Apps { path, format, config }) => {
            apps(path.unwrap_or_else(|| PathBuf::from(".")), format, config)
        }
        Some(Command::Init { path, force }) => init(path.unwrap_or_else(|| PathBuf::from(".")), force),
    }
}

fn list_rules() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    RULES.iter().map(|r| format!("{:width$}  {:7}  {}\n", r.id, r.default_severity.name(), r.summary)).collect()
}

fn rules_json() -> String {
    let rules: Vec<_> = RULES
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "severity": r.default_severity.name(),
                "summary": r.summary,
                "url": report::rule_url(r.id),
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&rules).expect("rules serialize");
    text.push('\n');
    text
}

fn explain(id: &str) -> ExitCode {
    if id == "purpose" {
        print(include_str!("../docs/purpose.md"));
        return ExitCode::SUCCESS;
    }
    match rules::find(id) {
        Some(rule) => {
            print(rule.doc);
            ExitCode::SUCCESS
        }
        None => {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            let hint = did_you_mean(id, &ids).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            eprintln!(
                "error: unknown rule `{id}`{hint}\n(`forcelint rules` lists them all; `forcelint explain purpose` says how apps are classified)"
            );
            ExitCode::from(2)
        }
    }
}

/// Exit status 2, with the reason; a config error is shown on its TOML.
fn run_failed(error: &RunError) -> ExitCode {
    match error {
        RunError::Config(e) if !e.text.is_empty() => {
            eprint!("{}", report::human::config_error(e, std::io::stderr().is_terminal()))
        }
        other => eprintln!("error: {}", clean::line(&other.to_string())),
    }
    ExitCode::from(2)
}

fn apps(path: PathBuf, format: InventoryFormat, config: Option<PathBuf>) -> ExitCode {
    // The inventory is of the whole project, also when a file of it is named.
    let project = forcelint::discover::project_dir(&path);
    let outcome = match forcelint::engine::run(&[project], &Settings { config, ..Settings::default() }) {
        Ok(o) => o,
        Err(e) => return run_failed(&e),
    };
    for note in &outcome.notes {
        eprintln!("note: {}", clean::line(note));
    }
    let rows = inventory::rows(&outcome);
    let text = match format {
        InventoryFormat::Human => inventory::text(&rows),
        InventoryFormat::Json => inventory::json(&rows),
        InventoryFormat::Csv => inventory::csv(&rows),
        InventoryFormat::Markdown => inventory::markdown(&rows),
    };
    let mut out = std::io::stdout().lock();
    match written(out.write_all(text.as_bytes()).and_then(|()| out.flush()), None) {
        Some(failed) => failed,
        None => ExitCode::SUCCESS,
    }
}

/// A report that could not be written whole is a failed run (exit 2), with the reason; a
/// closed pipe (`forcelint | head`) is not, the reader has what it wanted.
fn written(result: std::io::Result<()>, path: Option<&std::path::Path>) -> Option<ExitCode> {
    let e = match result {
        Ok(()) => return None,
        Err(e) if path.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe => return None,
        Err(e) => e,
    };
    let to = path.map_or_else(|| "standard output".to_string(), |p| p.display().to_string());
    eprintln!("error: cannot write the report to {to}: {e}");
    Some(ExitCode::from(2))
}

fn init(path: PathBuf, force: bool) -> ExitCode {
    let dir = forcelint::discover::config_dir(&path);
    let target = dir.join(forcelint::config::FILE_NAME);
    // Not followed: a link in the repository could make init write anywhere.
    let existing = std::fs::symlink_metadata(&target).ok();
    if existing.as_ref().is_some_and(|m| m.file_type().is_symlink()) {
        eprintln!("error: {} is a symbolic link; forcelint init does not write through links", target.display());
        return ExitCode::from(2);
    }
    if existing.is_some() && !force {
        eprintln!("error: {} exists; use --force to replace it", target.display());
        return ExitCode::from(2);
    }
    // Every app of the project, also when a file of it is named.
    let project = forcelint::discover::project_dir(&path);
    let outcome =
        match forcelint::engine::run(&[project], &Settings { no_ignore: true, no_config: true, ..Settings::default() })
        {
            Ok(o) => o,
            Err(e) => return run_failed(&e),
        };
    if let Err(e) = create(&target, existing.is_some(), forcelint::config::starter(&outcome.project).as_bytes()) {
        eprintln!("error: {}: {e}", target.display());
        return ExitCode::from(2);
    }
    eprintln!("wrote {} ({} apps)", target.display(), outcome.project.apps.len());
    ExitCode::SUCCESS
}

fn check(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let settings = Settings {
        config: args.config.clone(),
        overrides: args.overrides.clone(),
        select: args.select.clone(),
        no_ignore: args.no_ignore,
        baseline: args.baseline.clone(),
        changed_since: args.changed_since.clone(),
        whole_projects: args.baseline.is_some(),
        ..Settings::default()
    };
    let outcome = match forcelint::engine::run(&paths, &settings) {
        Ok(o) => o,
        Err(e) => return run_failed(&e),
    };
    for note in &outcome.notes {
        eprintln!("note: {}", clean::line(note));
    }
    if let Some(path) = &args.write_baseline {
        if args.changed_since.is_some() || paths.iter().any(|p| p.is_file()) {
            eprintln!(
                "error: --write-baseline records the findings of a whole project: run it without file arguments or --changed-since"
            );
            return ExitCode::from(2);
        }
        return match baseline::write(path, &outcome.project, &outcome.findings) {
            Ok(n) => {
                eprintln!("wrote {n} baseline entries for {} findings to {}", outcome.findings.len(), path.display());
                ExitCode::SUCCESS
            }
            Err(e) => run_failed(&RunError::Baseline(e)),
        };
    }
    for stale in &outcome.stale_baseline {
        let note = format!(
            "note: baseline entry no longer occurs ({} finding{}), it can be pruned: {} {} {} `{}`",
            stale.count,
            if stale.count == 1 { "" } else { "s" },
            stale.rule,
            stale.app,
            stale.element,
            stale.value
        );
        eprintln!("{}", clean::line(&note));
    }
    // `--output FILE` replaces stdout; `--output FORMAT=FILE` reports are written besides it.
    let replaced = args.output.iter().any(|o| o.format.is_none());
    let files: Vec<(Format, &PathBuf)> =
        args.output.iter().map(|o| (o.format.unwrap_or(args.format), &o.path)).collect();
    for (i, (_, path)) in files.iter().enumerate() {
        if files[..i].iter().any(|(_, p)| p == path) {
            eprintln!("error: --output names {} twice", path.display());
            return ExitCode::from(2);
        }
    }
    // A file gets no colour unless asked for, and a fixed width.
    let file_style = report::human::Style { color: matches!(args.color, Color::Always), width: 100 };
    // Written as it is rendered: a report is never held whole in memory.
    for (format, path) in files {
        let result = std::fs::File::create(path).and_then(|file| {
            let mut file = std::io::BufWriter::new(file);
            report::write(&outcome, format, &file_style, &mut file)?;
            file.flush()
        });
        if let Some(failed) = written(result, Some(path)) {
            return failed;
        }
    }
    if !replaced {
        let to_terminal = std::io::stdout().is_terminal();
        let color = match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && to_terminal,
        };
        let width = terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0));
        let style = report::human::Style { color, width };
        let result = report::write(&outcome, args.format, &style, &mut std::io::stdout().lock());
        if let Some(failed) = written(result, None) {
            return failed;
        }
    }
    if matches!(args.format, Format::Concise | Format::Github) || replaced {
        // Kept off stdout so that every stdout line is a finding (or the report is the file).
        eprintln!("{}", report::Summary::of(&outcome));
    }
    let threshold = match args.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let failed = threshold.is_some_and(|t| outcome.findings.iter().any(|f| f.severity >= t));
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// Writes a new file at `path` (replacing the one there, if `replace`), never following a
/// link: `create_new` fails on anything already there, a link included, even one made since
/// it was looked at.
fn create(path: &std::path::Path, replace: bool, bytes: &[u8]) -> std::io::Result<()> {
    if replace {
        std::fs::remove_file(path)?;
    }
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Prints without panicking when stdout is closed (`forcelint | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

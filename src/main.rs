use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use forcelint::finding::Severity;
use forcelint::model::literals::did_you_mean;
use forcelint::report::{self, Format};
use forcelint::rules::{self, Options, RULES};

const EXAMPLES: &str = "\
Examples:
  forcelint                                  lint the project in the current folder
  forcelint check path/to/sfdx-project       lint a project (its sfdx-project.json package folders)
  forcelint check force-app/main/default/connectedApps/Sync.connectedApp-meta.xml
                                             lint one file, with its project's context
  forcelint check --format concise --fail-on error
  forcelint rules                            list the rules
  forcelint explain expiring-refresh-token   print a rule's page

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
    Rules,
    /// Print a rule's documentation page.
    Explain {
        /// A rule id, as `forcelint rules` lists them.
        rule: String,
    },
}

#[derive(Args, Clone)]
struct CheckArgs {
    /// Project folders, folders or metadata files [default: .]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with status 1 when a finding has at least this severity.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    fail_on: FailOn,
    /// Colour in human output; `auto` honours NO_COLOR and whether stdout is a terminal.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
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
    let cli = Cli::parse();
    match cli.command {
        None => check(cli.check),
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules) => {
            print(&list_rules());
            ExitCode::SUCCESS
        }
        Some(Command::Explain { rule }) => explain(&rule),
    }
}

fn list_rules() -> String {
    let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
    RULES.iter().map(|r| format!("{:width$}  {:7}  {}\n", r.id, r.default_severity.name(), r.summary)).collect()
}

fn explain(id: &str) -> ExitCode {
    match rules::find(id) {
        Some(rule) => {
            print(rule.doc);
            ExitCode::SUCCESS
        }
        None => {
            let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
            let hint = did_you_mean(id, &ids).map(|s| format!("; did you mean `{s}`?")).unwrap_or_default();
            eprintln!("error: unknown rule `{id}`{hint}\n(`forcelint rules` lists them all)");
            ExitCode::from(2)
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths };
    let outcome = match forcelint::engine::run(&paths, &Options::default()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    for note in &outcome.notes {
        eprintln!("note: {note}");
    }
    let output = match args.format {
        Format::Human => {
            let color = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => {
                    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
                }
            };
            let width = terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0));
            report::human::render(&outcome, &report::human::Style { color, width })
        }
        Format::Concise => report::concise::render(&outcome),
        Format::Json => report::json::render(&outcome),
    };
    print(&output);
    if args.format == Format::Concise {
        // Kept off stdout so that every stdout line is a finding.
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

/// Prints without panicking when stdout is closed (`forcelint | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

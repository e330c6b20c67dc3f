//! `cookiejar`: replay scenario files (the format of `wpt-tests/SCENARIOS.md`) through the jar,
//! and explain a step of one.
//!
//! ```text
//! cookiejar replay [--profile standard|chromium|firefox] [--json] FILE...
//! cookiejar explain [--profile standard|chromium|firefox] FILE CASE_ID STEP
//! ```
//!
//! Exit status: 0 when every case passed (or the explanation was printed), 1 when a case failed,
//! 2 on a usage error or a file that cannot be read.
#![forbid(unsafe_code)]

use clap::{Args, Parser, Subcommand};
use cookiejar::Profile;
use std::path::PathBuf;
use std::process::ExitCode;
use wpt_tests::scenario::{explain_step, jar_for, run_file, Report, ScenarioFile};

/// Replay cookie scenario files through cookiejar, a browser-accurate cookie jar.
#[derive(Debug, Parser)]
#[command(
    name = "cookiejar",
    version,
    arg_required_else_help = true,
    after_help = "Scenario files are in the format of wpt-tests/SCENARIOS.md.\n\
                  Exit status: 0 all cases passed, 1 some case failed, 2 usage error or unreadable file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Replay every case of each FILE; print each failing case and a summary line.
    ///
    /// Prints one `FAIL CASE_ID step N: expected ... got ...` line per failing case (N counted
    /// from 0), then `P passed, F failed`. Exits 1 when any case failed.
    Replay(ReplayArgs),
    /// Replay one case up to STEP, then explain that step.
    ///
    /// For a read (`get`, `script_get`): every candidate cookie of the request's site, and
    /// whether it is sent or why not, then the header. For a write (`set`, `script_set`): the
    /// outcome of each line, or why it was rejected.
    Explain(ExplainArgs),
}

#[derive(Debug, Args)]
struct ProfileArg {
    /// The behaviour profile: standard, chromium or firefox [default: the case's, else the
    /// file's, else standard]
    #[arg(long, value_name = "PROFILE", value_parser = parse_profile)]
    profile: Option<Profile>,
}

#[derive(Debug, Args)]
struct ReplayArgs {
    #[command(flatten)]
    profile: ProfileArg,
    /// Print what every step of every case produced, as JSON, before the summary line.
    #[arg(long)]
    json: bool,
    /// Scenario files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    #[command(flatten)]
    profile: ProfileArg,
    /// The scenario file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// The case's `id`.
    #[arg(value_name = "CASE_ID")]
    case_id: String,
    /// The step's index in the case, counted from 0 (the first step is 0), as in `replay`'s
    /// FAIL lines and the `step` of its --json output.
    #[arg(value_name = "STEP")]
    step: usize,
}

/// The library's own names for its profiles, and its message for any other.
fn parse_profile(s: &str) -> Result<Profile, cookiejar::UnknownProfile> {
    s.parse()
}

fn show(s: &str) -> String {
    format!("{s:?}")
}

fn read(path: &PathBuf) -> Result<ScenarioFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ScenarioFile::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn replay(args: &ReplayArgs) -> Result<bool, String> {
    let profile = args.profile.profile;
    let (mut passed, mut failed) = (0, 0);
    let mut reports: Vec<(String, Report)> = Vec::new();
    for path in &args.files {
        let report = run_file(&read(path)?, profile);
        passed += report.passed();
        failed += report.failed();
        reports.push((path.display().to_string(), report));
    }
    if args.json {
        let out: Vec<_> = reports
            .iter()
            .map(|(f, r)| serde_json::json!({ "file": f, "cases": r.cases }))
            .collect();
        let s = serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?;
        println!("{s}");
    } else {
        for (_, report) in &reports {
            for c in report.cases.iter().filter(|c| !c.passed) {
                if let Some(s) = c.first_failure() {
                    println!(
                        "FAIL {} step {}: expected {} got {}",
                        c.id,
                        s.step,
                        show(s.expect.as_deref().unwrap_or("")),
                        show(s.got.as_deref().unwrap_or(""))
                    );
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}

fn explain(args: &ExplainArgs) -> Result<bool, String> {
    let file = read(&args.file)?;
    let case = file
        .cases
        .iter()
        .find(|c| c.id == args.case_id)
        .ok_or_else(|| format!("{}: no case {:?}", args.file.display(), args.case_id))?;
    let mut jar = jar_for(case, file.profile, args.profile.profile);
    for line in explain_step(case, &mut jar, args.step).map_err(|e| e.to_string())? {
        println!("{line}");
    }
    Ok(true)
}

fn main() -> ExitCode {
    // clap prints its own usage errors (exit 2), help and version (exit 0).
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Replay(args) => replay(args),
        Command::Explain(args) => explain(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("cookiejar: {e}");
            ExitCode::from(2)
        }
    }
}

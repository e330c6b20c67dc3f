//! `cookiejar`: replay scenario files through the jar.
//!
//! ```text
//! cookiejar replay [--profile standard|chromium|firefox] [--json] FILE...
//! ```

use wpt_tests::scenario::{explain_step, jar_for, run_file, Report, ScenarioFile};
use cookiejar::Profile;
use std::process::ExitCode;

const USAGE: &str =
    "usage: cookiejar replay [--profile standard|chromium|firefox] [--json] FILE...";

fn show(s: &str) -> String {
    format!("{s:?}")
}

fn replay(args: &[String]) -> Result<bool, String> {
    let mut json = false;
    let mut profile: Option<Profile> = None;
    let mut files = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--profile" => {
                let p = it.next().ok_or("--profile needs a name")?;
                profile = Some(p.parse()?);
            }
            s if s.starts_with("--profile=") => {
                profile = Some(s.trim_start_matches("--profile=").parse()?);
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => files.push(a.clone()),
        }
    }
    if files.is_empty() {
        return Err(USAGE.to_owned());
    }
    let (mut passed, mut failed) = (0, 0);
    let mut reports: Vec<(String, Report)> = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{f}: {e}"))?;
        let file = ScenarioFile::from_json(&bytes).map_err(|e| format!("{f}: {e}"))?;
        let report = run_file(&file, profile);
        passed += report.passed();
        failed += report.failed();
        reports.push((f.clone(), report));
    }
    if json {
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

fn explain(args: &[String]) -> Result<bool, String> {
    let mut profile: Option<Profile> = None;
    let mut rest = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--profile" => profile = Some(it.next().ok_or("--profile needs a name")?.parse()?),
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ => rest.push(a.clone()),
        }
    }
    let [file, id, step] = rest.as_slice() else {
        return Err(USAGE.to_owned());
    };
    let step: usize = step
        .parse()
        .map_err(|_| format!("STEP must be a number, not {step:?}"))?;
    let bytes = std::fs::read(file).map_err(|e| format!("{file}: {e}"))?;
    let f = ScenarioFile::from_json(&bytes).map_err(|e| format!("{file}: {e}"))?;
    let case = f
        .cases
        .iter()
        .find(|c| &c.id == id)
        .ok_or_else(|| format!("{file}: no case {id:?}"))?;
    let mut jar = jar_for(case, f.profile, profile);
    for line in explain_step(case, &mut jar, step).map_err(|e| e.to_string())? {
        println!("{line}");
    }
    Ok(true)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("replay") => replay(args.get(1..).unwrap_or_default()),
        Some("explain") => explain(args.get(1..).unwrap_or_default()),
        Some("-h" | "--help") | None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some(other) => Err(format!("unknown command {other:?}\n{USAGE}")),
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

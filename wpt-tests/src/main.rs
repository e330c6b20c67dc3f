//! `cargo run --release -p wpt-tests`: the conformance table, one row per vector file.

use std::process::ExitCode;

fn main() -> ExitCode {
    let root = wpt_tests::root();
    let verbose = std::env::args().any(|a| a == "-v" || a == "--verbose");
    let rows = match wpt_tests::run_dir(&root.join("vectors")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wpt-tests: {e}");
            return ExitCode::from(2);
        }
    };
    let expected = wpt_tests::all_expected_failures(&root).unwrap_or_default();
    println!("| vectors | passed | failed | of which expected |");
    println!("|---|---:|---:|---:|");
    let (mut p, mut f) = (0, 0);
    for r in &rows {
        let listed = r
            .failed
            .iter()
            .filter(|(id, _)| expected.contains_key(id))
            .count();
        println!(
            "| {} | {} | {} | {} |",
            r.file,
            r.passed,
            r.failed.len(),
            listed
        );
        p += r.passed;
        f += r.failed.len();
    }
    if verbose {
        for r in &rows {
            for (id, why) in &r.failed {
                println!("FAIL {id} {why}");
            }
        }
    }
    println!("{p} passed, {f} failed");
    ExitCode::SUCCESS
}

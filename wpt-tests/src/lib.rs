//! The conformance suite: every `vectors/*.json` scenario file replayed through `cookiejar`,
//! checked against `expected-failures.txt`, which must stay exactly true: a listed case that
//! passes, or that no longer exists, is as much a failure as an unlisted case that fails
//! (after servo/rust-url's `expected_failures.txt`).
//!
//! The crate also holds what the suite is written in: [`scenario`], the scenario format (specified
//! in `wpt-tests/SCENARIOS.md`) and its runner, which the `cookiejar` command (`cli/`) drives;
//! and [`fuzz`], the check the `scenario` fuzz target runs on every input.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod fuzz;
pub mod scenario;

use scenario::{run_file, ScenarioFile};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The suite's root folder (where `vectors/` and `expected-failures.txt` live).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One vector file's results.
#[derive(Debug, Default)]
pub struct FileRow {
    /// File name.
    pub file: String,
    /// Cases that passed.
    pub passed: usize,
    /// Failing case ids, with a one-line description of the first failing step.
    pub failed: Vec<(String, String)>,
}

/// Reads `expected-failures.txt`: `id  # reason` per line (the id is the first word, since
/// ids hold `#` themselves); lines starting with `#` and blanks are comments.
pub fn expected_failures(path: &Path) -> Result<BTreeMap<String, String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((id, why)) => (
                id.to_owned(),
                why.trim().trim_start_matches('#').trim().to_owned(),
            ),
            None => (l.to_owned(), String::new()),
        })
        .collect())
}

/// The lists the suite keeps true: `expected-failures.txt` (the default and chromium profiles:
/// tiny, every entry argued in the README) and `expected-failures-firefox.txt` (the firefox
/// profile against real Firefox, grouped by cause), merged. After rust-url's per-browser lists.
pub fn all_expected_failures(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut all = expected_failures(&root.join("expected-failures.txt"))?;
    all.extend(expected_failures(
        &root.join("expected-failures-firefox.txt"),
    )?);
    Ok(all)
}

/// Replays every `*.json` under `dir`, in name order.
pub fn run_dir(dir: &Path) -> Result<Vec<FileRow>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let bytes = std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let file =
                ScenarioFile::from_json(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            let report = run_file(&file, None);
            let mut row = FileRow {
                file: p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                ..FileRow::default()
            };
            for c in &report.cases {
                if c.passed {
                    row.passed += 1;
                } else {
                    let why = c.first_failure().map_or(String::new(), |s| {
                        format!(
                            "step {}: expected {:?} got {:?}",
                            s.step,
                            s.expect.as_deref().unwrap_or(""),
                            s.got.as_deref().unwrap_or("")
                        )
                    });
                    row.failed.push((c.id.clone(), why));
                }
            }
            Ok(row)
        })
        .collect()
}

/// Everything that makes the suite fail: unexpected failures, unexpected passes, stale entries.
pub fn discrepancies(
    rows: &[FileRow],
    expected: &BTreeMap<String, String>,
    all_ids: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    let failing: BTreeMap<&str, &str> = rows
        .iter()
        .flat_map(|r| r.failed.iter().map(|(id, why)| (id.as_str(), why.as_str())))
        .collect();
    for (id, why) in &failing {
        if !expected.contains_key(*id) {
            out.push(format!("unexpected failure: {id} ({why})"));
        }
    }
    for id in expected.keys() {
        if !all_ids.contains(id) {
            out.push(format!(
                "listed in expected-failures.txt but no such case: {id}"
            ));
        } else if !failing.contains_key(id.as_str()) {
            out.push(format!(
                "listed in expected-failures.txt but passes now: {id}"
            ));
        }
    }
    out
}

/// Every case id under `dir`.
pub fn all_ids(dir: &Path) -> Result<Vec<String>, String> {
    let mut ids = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let p = e.map_err(|e| e.to_string())?.path();
        if p.extension().is_some_and(|x| x == "json") {
            let bytes = std::fs::read(&p).map_err(|e| e.to_string())?;
            let f = ScenarioFile::from_json(&bytes).map_err(|e| format!("{}: {e}", p.display()))?;
            ids.extend(f.cases.into_iter().map(|c| c.id));
        }
    }
    Ok(ids)
}

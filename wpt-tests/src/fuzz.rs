//! The check the `scenario` fuzz target (`fuzz/fuzz_targets/scenario.rs`) runs on every input,
//! here so that `cargo test -p wpt-tests` replays the fuzz seeds and every regression through
//! exactly the same check (`tests/fuzz.rs`), without cargo-fuzz.

use crate::scenario::{explain_step, jar_for, run_file, ScenarioFile};
use cookiejar::Profile;

/// Most steps (over all cases) one input may replay: bounds the work of one execution.
pub const MAX_STEPS: usize = 2_000;

/// Reads `data` as a scenario file and, when it is one, replays it (as `cookiejar replay`
/// does) under the file's own profiles and under every profile; panics when an invariant
/// breaks.
///
/// Checked: reading never panics, whatever the bytes; a file that reads replays without a
/// panic, and its report accounts for every case and every step, agrees with itself (a case
/// passed exactly when each of its steps met its expectation) and serializes as `--json` does;
/// explaining a case's last step works and explaining a step past the end is an error, not a
/// panic.
pub fn check_scenario(data: &[u8]) {
    let Ok(file) = ScenarioFile::from_json(data) else {
        return;
    };
    // Bound the work of one input: a file may list many cases.
    if file.cases.iter().map(|c| c.steps.len()).sum::<usize>() > MAX_STEPS {
        return;
    }
    let profiles = [
        None,
        Some(Profile::Standard),
        Some(Profile::Chromium),
        Some(Profile::Firefox),
    ];
    for profile in profiles {
        let report = run_file(&file, profile);
        assert_eq!(report.cases.len(), file.cases.len());
        assert_eq!(report.passed() + report.failed(), file.cases.len());
        for (case, result) in file.cases.iter().zip(&report.cases) {
            assert_eq!(case.id, result.id);
            assert_eq!(case.steps.len(), result.steps.len(), "case {:?}", case.id);
            for (i, (step, r)) in case.steps.iter().zip(&result.steps).enumerate() {
                assert_eq!(r.step, i);
                assert_eq!(r.kind, step.kind());
            }
            assert_eq!(result.passed, result.first_failure().is_none());
        }
        let json = serde_json::to_string(&report);
        assert!(json.is_ok(), "the report serializes");
        for case in &file.cases {
            let mut jar = jar_for(case, file.profile, profile);
            if let Some(last) = case.steps.len().checked_sub(1) {
                assert!(explain_step(case, &mut jar, last).is_ok());
            }
            let mut jar = jar_for(case, file.profile, profile);
            assert!(explain_step(case, &mut jar, case.steps.len()).is_err());
        }
    }
}

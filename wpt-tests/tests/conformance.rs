//! `cargo test -p wpt-tests`: fails on any vector that fails and is not listed in
//! `expected-failures.txt` or `expected-failures-firefox.txt`, on a listed one that passes, and
//! on a listed id that does not exist.

#[test]
fn vectors_match_expected_failures() {
    let root = wpt_tests::root();
    let dir = root.join("vectors");
    let rows = wpt_tests::run_dir(&dir).expect("vectors readable");
    let expected = wpt_tests::all_expected_failures(&root).expect("lists readable");
    let ids = wpt_tests::all_ids(&dir).expect("ids");
    let total: usize = rows.iter().map(|r| r.passed + r.failed.len()).sum();
    assert!(
        total >= 1002,
        "the WPT vectors are all there ({total} cases)"
    );
    let problems = wpt_tests::discrepancies(&rows, &expected, &ids);
    assert!(
        problems.is_empty(),
        "{} discrepancies:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn expected_failures_stay_tiny_and_argued() {
    let root = wpt_tests::root();
    let expected =
        wpt_tests::expected_failures(&root.join("expected-failures.txt")).expect("list readable");
    // The default and chromium profiles: at most five deliberate departures, each argued.
    assert!(expected.len() <= 5, "{} entries", expected.len());
    for (id, why) in &expected {
        assert!(!why.is_empty(), "{id} is listed without a reason");
    }
    let firefox = wpt_tests::expected_failures(&root.join("expected-failures-firefox.txt"))
        .expect("firefox list readable");
    for (id, why) in &firefox {
        assert!(id.starts_with("firefox/"), "{id} is not a firefox case");
        assert!(!why.is_empty(), "{id} is listed without a reason");
    }
}

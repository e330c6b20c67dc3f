//! Replays the fuzz seeds (`fuzz/corpus/TARGET/`) and every crash the fuzzers ever found
//! (`fuzz/regressions/TARGET/`) through the same checks the fuzz targets run
//! (`tests/fuzz_support/checks.rs`), so `cargo test` guards them without cargo-fuzz.

#[path = "fuzz_support/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut dirs = vec![
        root.join("corpus").join(target),
        root.join("regressions").join(target),
    ];
    // A long run's whole corpus can be replayed too: COOKIEJAR_FUZZ_EXTRA=fuzz/work.
    if let Some(extra) = std::env::var_os("COOKIEJAR_FUZZ_EXTRA") {
        dirs.push(PathBuf::from(extra).join(target));
    }
    let mut files = Vec::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep")),
        );
    }
    files.sort();
    files
}

fn replay(target: &str, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(!files.is_empty(), "no seeds for {target}");
    for f in &files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let run = std::panic::catch_unwind(|| check(&data));
        assert!(run.is_ok(), "{target}: {} fails its checks", f.display());
    }
}

#[test]
fn parse_corpus() {
    replay("parse", checks::check_parse);
}

#[test]
fn jar_ops_corpus() {
    replay("jar_ops", checks::check_jar_ops);
}

#[cfg(feature = "netscape")]
#[path = "fuzz_support/netscape.rs"]
mod netscape;

#[cfg(feature = "netscape")]
#[test]
fn netscape_corpus() {
    replay("netscape", netscape::check_netscape);
}

#[cfg(feature = "redis")]
#[path = "fuzz_support/redis_record.rs"]
mod redis_record;

#[cfg(feature = "redis")]
#[test]
fn redis_record_corpus() {
    replay("redis_record", redis_record::check_redis_record);
}

#[cfg(feature = "json")]
#[path = "fuzz_support/formats.rs"]
mod formats;

#[cfg(feature = "json")]
#[test]
fn formats_corpus() {
    replay("formats", formats::check_formats);
}

#[cfg(feature = "browser-import")]
#[path = "fuzz_support/browser.rs"]
mod browser;

#[cfg(feature = "browser-import")]
#[test]
fn browser_corpus() {
    replay("browser", browser::check_browser);
}

#[path = "fuzz_support/hostile.rs"]
mod hostile;

/// A bounded run of the hostile load of `examples/hostile.rs`: 50,000 lines over 1,000 sites
/// across 60 simulated days; every limit is checked every 5,000 lines and at the end.
#[test]
fn hostile_load_bounded() {
    let mut jar = cookiejar::CookieJar::new();
    let start = cookiejar::Timestamp::from_unix_seconds(checks::START);
    let lines = 50_000;
    let step = 60 * 86_400 * 1_000_000 / lines;
    let out = hostile::feed(
        &mut jar,
        lines as u64,
        1_000,
        start,
        step,
        5_000,
        |jar, now, _| {
            checks::check_jar(jar, now);
        },
    );
    assert_eq!(out.lines, 50_000);
    assert!(out.accepted > 0 && out.rejected > 0);
    // The hottest sites were fed far more than their limit: eviction ran and held it.
    let mut per_site = std::collections::HashMap::<String, usize>::new();
    for c in jar.iter().filter(|c| c.partition_key().is_none()) {
        *per_site.entry(checks::site_of(c.domain())).or_default() += 1;
    }
    let most = per_site.values().copied().max().unwrap_or(0);
    let limit = jar.policy().max_cookies_per_site;
    assert!(
        (jar.policy().purge_site_to..=limit).contains(&most),
        "most in one site: {most}"
    );
}

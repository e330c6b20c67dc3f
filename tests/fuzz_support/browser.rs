//! The check of the `browser` fuzz target (`fuzz/fuzz_targets/browser.rs`), shared with the
//! corpus replay (`tests/fuzz_corpus.rs`, with the `browser-import` feature).
//!
//! The input is one byte, then a database file: the byte's low bit picks the reader (0
//! [`firefox::read`], 1 [`chromium::read`]), its second bit whether a `v11` key password is
//! given. The file is written to a private temporary path and read. Whatever the bytes (a
//! corrupted page, a schema of the wrong types, values that do not decrypt), the reader never
//! panics and returns an error or `Records`; every cookie it reads passes the canonical gate
//! again unchanged; every refusal has a reason that displays; importing the records into a jar
//! never panics and accounts for every one.

use cookiejar::import::{chromium, firefox};
use cookiejar::{CookieJar, Timestamp};
use std::path::PathBuf;

fn scratch() -> PathBuf {
    let base = if std::path::Path::new("/dev/shm").is_dir() {
        PathBuf::from("/dev/shm")
    } else {
        std::env::temp_dir()
    };
    base.join(format!("cookiejar-fuzz-browser-{}.db", std::process::id()))
}

pub fn check_browser(data: &[u8]) {
    let Some((&mode, db)) = data.split_first() else {
        return;
    };
    let path = scratch();
    std::fs::write(&path, db).expect("write the scratch database");
    let read = if mode & 1 == 0 {
        firefox::read(&path, &firefox::Options::default())
    } else {
        let mut o = chromium::Options::default();
        if mode & 2 != 0 {
            o = o.key_password("fuzz");
        }
        chromium::read(&path, &o)
    };
    let _ = std::fs::remove_file(&path);
    let Ok(records) = read else { return };
    for r in &records.records {
        let again = r
            .cookie
            .to_builder()
            .build()
            .expect("a record passes the gate again");
        assert_eq!(again, r.cookie);
    }
    for r in &records.refused {
        assert!(!r.to_string().is_empty());
    }
    let n = records.records.len();
    let refused = records.refused.len();
    let mut jar = CookieJar::new();
    let report = jar.import(records, Timestamp::from_unix_seconds(1_800_000_000));
    assert_eq!(
        report.imported + report.expired + report.refused.len(),
        n + refused
    );
}

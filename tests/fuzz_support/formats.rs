//! The check of the `formats` fuzz target (`fuzz/fuzz_targets/formats.rs`), replayed over its
//! seeds by `tests/formats_roundtrip.rs`: the first byte picks a reader (the jar's own JSON,
//! Playwright, CDP, extension, tough-cookie, cookie_store), the rest is the file.
//!
//! Checked: no reader panics; every cookie a reader returns passes the canonical gate again;
//! the Playwright and CDP writers write every live UTF-8 cookie, and their readers read each
//! back; importing into a jar never panics and accounts for every record.

#![allow(dead_code)]

use cookiejar::persist::{self, cdp, cookie_store, extension, playwright, tough_cookie};
use cookiejar::{Cookie, CookieJar, Timestamp};

/// The clock of every run.
pub const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

pub fn check_formats(data: &[u8]) {
    let Some((&pick, input)) = data.split_first() else {
        return;
    };
    let read = match pick % 6 {
        0 => persist::json::read(input),
        1 => playwright::read(input, NOW),
        2 => cdp::read(input, NOW),
        3 => extension::read(input, NOW),
        4 => tough_cookie::read(input, NOW),
        _ => cookie_store::read(input, NOW),
    };
    let Ok(records) = read else {
        return;
    };
    for r in &records.records {
        assert!(
            r.cookie.to_builder().build().is_ok(),
            "a read cookie fails the gate: {:?}",
            r.cookie
        );
    }
    let cookies: Vec<Cookie> = records.records.iter().map(|r| r.cookie.clone()).collect();
    let live = cookies
        .iter()
        .filter(|c| !c.is_expired(NOW))
        .filter(|c| std::str::from_utf8(c.name()).is_ok() && std::str::from_utf8(c.value()).is_ok())
        .count();
    let pw = playwright::write(&cookies, NOW, None).expect("no existing file, no error");
    let back = playwright::read(&pw.bytes, NOW).expect("playwright reads its own file");
    assert_eq!(
        (back.records.len(), back.refused.len()),
        (live, 0),
        "playwright: {:?}",
        back.refused
    );
    let cd = cdp::write(&cookies, NOW);
    let back = cdp::read(&cd.bytes, NOW).expect("cdp reads its own file");
    assert_eq!(
        (back.records.len(), back.refused.len()),
        (live, 0),
        "cdp: {:?}",
        back.refused
    );

    let (n, refused_by_reader) = (records.records.len(), records.refused.len());
    let mut jar = CookieJar::new();
    let report = jar.import(records, NOW);
    assert_eq!(
        report.imported + report.expired + report.refused.len() - refused_by_reader,
        n
    );
}

//! `cookiejar::import` against cookie databases that real browsers wrote: Firefox ESR and
//! Chromium, each run headless with a fresh profile against the loopback server of
//! `scripts/browser-fixtures/` (see `tests/fixtures/browser/README.md` for the versions). The
//! databases and what the server saw (its `Set-Cookie` lines, the `Cookie` headers the browser
//! sent) are committed, so these tests need no browser.
//!
//! Each imported cookie is compared, field by field, with what the jar itself stores for the
//! server's `Set-Cookie` line at the same URL and time, and with a table written out here; each
//! `Cookie` header the browser sent is compared with the jar's for the same request.
//!
//! The other tests change copies of the fixtures with SQLite to reach the paths the browsers
//! did not write: `v11` values (encrypted here with a password, as the keyring's would be),
//! database version 23 (no host hash), rows that fail the canonical gate or do not decrypt, a
//! database another connection holds open in WAL mode with uncheckpointed writes, and files
//! that are not cookie databases.

use cookiejar::import::{chromium, firefox, DecryptError, ImportError};
use cookiejar::persist::{Location, RecordError, Records};
use cookiejar::{Cookie, CookieJar, NotCanonical, Priority, RequestContext, SameSite, Timestamp};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use url::Url;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/browser")
        .join(name)
}

/// What the fixture server saw.
struct Visit {
    port: u16,
    set_cookie: Vec<String>,
    partitioned: String,
    started: Timestamp,
    finished: Timestamp,
    /// (host, path, Cookie header)
    requests: Vec<(String, String, Option<String>)>,
}

fn visit(browser: &str) -> Visit {
    let text = std::fs::read_to_string(fixture(&format!("{browser}.json"))).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let s = |v: &serde_json::Value| v.as_str().unwrap().to_owned();
    Visit {
        port: v["port"].as_u64().unwrap() as u16,
        set_cookie: v["set_cookie"].as_array().unwrap().iter().map(s).collect(),
        partitioned: s(&v["partitioned_set_cookie"]),
        started: Timestamp::from_unix_micros(v["started_us"].as_i64().unwrap()),
        finished: Timestamp::from_unix_micros(v["finished_us"].as_i64().unwrap()),
        requests: v["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    s(&r["host"]),
                    s(&r["path"]),
                    r["cookie"].as_str().map(str::to_owned),
                )
            })
            .collect(),
    }
}

/// A fresh directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "cookiejar-browser-import-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn copy(&self, fixture_name: &str, as_name: &str) -> PathBuf {
        let p = self.0.join(as_name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::copy(fixture(fixture_name), &p).unwrap();
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// name → (domain, host_only, path, secure, http_only, same_site, partition, Max-Age)
type Expect = (
    &'static str,
    &'static str,
    bool,
    &'static str,
    bool,
    bool,
    SameSite,
    Option<&'static str>,
    Option<i64>,
);

/// The cookies the server set (scripts/browser-fixtures/server.py), as a browser stores them.
const TABLE: &[Expect] = &[
    (
        "host",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Unspecified,
        None,
        None,
    ),
    (
        "dom",
        "site.localhost",
        false,
        "/",
        false,
        false,
        SameSite::Unspecified,
        None,
        None,
    ),
    (
        "persist",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "sec",
        "www.site.localhost",
        true,
        "/",
        true,
        false,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "ho",
        "www.site.localhost",
        true,
        "/",
        false,
        true,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "ssnone",
        "www.site.localhost",
        true,
        "/",
        true,
        false,
        SameSite::None,
        None,
        Some(86400),
    ),
    (
        "sslax",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Lax,
        None,
        Some(86400),
    ),
    (
        "ssstrict",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Strict,
        None,
        Some(86400),
    ),
    (
        "uni",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "__Host-h",
        "www.site.localhost",
        true,
        "/",
        true,
        false,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "pathc",
        "www.site.localhost",
        true,
        "/check",
        false,
        false,
        SameSite::Unspecified,
        None,
        Some(86400),
    ),
    (
        "dompers",
        "site.localhost",
        false,
        "/",
        true,
        true,
        SameSite::Lax,
        None,
        Some(3600),
    ),
    (
        "prio",
        "www.site.localhost",
        true,
        "/",
        false,
        false,
        SameSite::Unspecified,
        None,
        Some(7200),
    ),
    (
        "__Host-part",
        "www.site.localhost",
        true,
        "/",
        true,
        false,
        SameSite::None,
        Some("http://top.localhost"),
        Some(86400),
    ),
];

fn by_name<'a>(records: &'a Records, name: &str) -> Option<&'a Cookie> {
    records
        .records
        .iter()
        .map(|r| &r.cookie)
        .find(|c| c.name() == name.as_bytes())
}

fn close(a: Timestamp, b: Timestamp, within_us: i64) -> bool {
    (a.unix_micros() - b.unix_micros()).abs() <= within_us
}

/// Checks every cookie of `records` against the table and against what the jar itself makes of
/// the server's line; `session_stored`: whether the browser writes session cookies.
fn check_cookies(records: &Records, v: &Visit, session_stored: bool, has_priority: bool) {
    assert!(records.refused.is_empty(), "{:?}", records.refused);
    let expected: Vec<&Expect> = TABLE
        .iter()
        .filter(|e| session_stored || e.8.is_some())
        .collect();
    let mut names: Vec<String> = records
        .records
        .iter()
        .map(|r| r.cookie.name_str().into_owned())
        .collect();
    names.sort();
    let mut want: Vec<String> = expected.iter().map(|e| e.0.to_owned()).collect();
    want.sort();
    assert_eq!(names, want);
    for r in &records.records {
        assert!(matches!(r.location, Location::Index(n) if n > 0));
        assert!(r.creation_known);
    }
    let site = Url::parse(&format!("http://www.site.localhost:{}/set", v.port)).unwrap();
    let top = Url::parse(&format!("http://top.localhost:{}/start", v.port)).unwrap();
    let embed = Url::parse(&format!("http://www.site.localhost:{}/embed", v.port)).unwrap();
    for &&(name, domain, host_only, path, secure, http_only, same_site, partition, max_age) in
        &expected
    {
        let c = by_name(records, name).unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(
            (
                c.domain(),
                c.host_only(),
                c.path(),
                c.secure(),
                c.http_only()
            ),
            (domain, host_only, path, secure, http_only),
            "{name}"
        );
        assert_eq!(c.same_site(), same_site, "{name}");
        assert_eq!(c.partition_key(), partition, "{name}");
        assert_eq!(c.partitioned_attribute(), partition.is_some(), "{name}");
        let prio = if has_priority && name == "prio" {
            Priority::High
        } else {
            Priority::Medium
        };
        assert_eq!(c.priority(), prio, "{name}");
        assert!(
            c.creation() >= v.started && c.creation() <= v.finished,
            "{name}: created {:?} outside the visit {:?}..{:?}",
            c.creation(),
            v.started,
            v.finished
        );
        // Firefox takes lastAccessed before it makes creationTime unique (a few µs later).
        assert!(
            c.last_access() >= v.started && c.last_access() <= v.finished,
            "{name}"
        );
        match (max_age, c.expires()) {
            (None, None) => {}
            (Some(s), Some(e)) => assert!(
                close(e, c.creation().plus_seconds(s), 1_000_000),
                "{name}: expires {e:?}, created {:?} + {s} s",
                c.creation()
            ),
            other => panic!("{name}: {other:?}"),
        }
        // What the jar stores for the same line at the same URL and time.
        let (line, ctx) = if partition.is_some() {
            (
                v.partitioned.clone(),
                RequestContext::subresource(&embed, &top),
            )
        } else {
            let line = v
                .set_cookie
                .iter()
                .find(|l| l.starts_with(&format!("{name}=")))
                .unwrap()
                .clone();
            (line, RequestContext::navigation(&site))
        };
        let mut jar = CookieJar::new();
        jar.set_cookie(line.as_bytes(), &ctx, c.creation())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        let ours = jar.iter().next().unwrap().clone();
        assert_eq!(c.value(), ours.value(), "{name}");
        assert_eq!(
            (
                c.domain(),
                c.host_only(),
                c.path(),
                c.secure(),
                c.http_only(),
                c.same_site()
            ),
            (
                ours.domain(),
                ours.host_only(),
                ours.path(),
                ours.secure(),
                ours.http_only(),
                ours.same_site()
            ),
            "{name}"
        );
        assert_eq!(
            (c.partition_key(), c.partitioned_attribute()),
            (ours.partition_key(), ours.partitioned_attribute()),
            "{name}"
        );
        if has_priority {
            assert_eq!(c.priority(), ours.priority(), "{name}");
        }
        match (c.expires(), ours.expires()) {
            (Some(a), Some(b)) => assert!(close(a, b, 1_000_000), "{name}: {a:?} {b:?}"),
            (a, b) => assert_eq!(a, b, "{name}"),
        }
    }
    assert_eq!(
        by_name(records, "uni").unwrap().value(),
        "café ☃".as_bytes()
    );
}

/// Imports `records` into a jar and checks that each request of the visit gets the header the
/// browser sent (less the session cookies the browser did not write, `missing`).
fn check_headers(records: Records, v: &Visit, missing: &[&str]) {
    let mut jar = CookieJar::new();
    let report = jar.import(records, v.finished);
    assert!(report.refused.is_empty(), "{report:?}");
    let mut checked = 0;
    for (host, path, header) in &v.requests {
        let Some(header) = header else { continue };
        let url = Url::parse(&format!("http://{host}:{}{path}", v.port)).unwrap();
        let want: Vec<&str> = header
            .split("; ")
            .filter(|kv| !missing.iter().any(|m| kv.starts_with(&format!("{m}="))))
            .collect();
        let got = jar.cookie_header(&RequestContext::navigation(&url), v.finished);
        assert_eq!(got.as_deref(), Some(want.join("; ").as_str()), "{url}");
        checked += 1;
    }
    assert_eq!(
        checked, 3,
        "the visit's three requests that carried cookies"
    );
    // The partitioned cookie goes to its site in a frame of its partition, and nowhere else.
    let top = Url::parse(&format!("http://top.localhost:{}/start", v.port)).unwrap();
    let other = Url::parse(&format!("http://other.localhost:{}/", v.port)).unwrap();
    let embed = Url::parse(&format!("http://www.site.localhost:{}/embed", v.port)).unwrap();
    let framed = jar
        .cookie_header(&RequestContext::subresource(&embed, &top), v.finished)
        .unwrap_or_default();
    assert!(
        framed.split("; ").any(|kv| kv == "__Host-part=13"),
        "{framed}"
    );
    let elsewhere = jar
        .cookie_header(&RequestContext::subresource(&embed, &other), v.finished)
        .unwrap_or_default();
    assert!(!elsewhere.contains("__Host-part"), "{elsewhere}");
}

#[test]
fn firefox_fixture_every_cookie_and_field() {
    let v = visit("firefox");
    let records = firefox::read(
        fixture("firefox-cookies.sqlite"),
        &firefox::Options::default(),
    )
    .unwrap();
    // Firefox keeps session cookies out of cookies.sqlite, and has no Priority.
    check_cookies(&records, &v, false, false);
    check_headers(records, &v, &["host", "dom"]);
}

#[test]
fn chromium_fixture_every_cookie_and_field() {
    let v = visit("chromium");
    let records =
        chromium::read(fixture("chromium-Cookies"), &chromium::Options::default()).unwrap();
    check_cookies(&records, &v, true, true);
    check_headers(records, &v, &[]);
}

#[test]
fn profile_directories_are_searched() {
    let dir = TempDir::new();
    dir.copy("firefox-cookies.sqlite", "ff/cookies.sqlite");
    dir.copy("chromium-Cookies", "chromium/Default/Cookies");
    let ff = firefox::read(dir.0.join("ff"), &firefox::Options::default()).unwrap();
    assert_eq!(ff.records.len(), 12);
    // The user data directory, and the profile directory in it.
    for p in ["chromium", "chromium/Default"] {
        let cr = chromium::read(dir.0.join(p), &chromium::Options::default()).unwrap();
        assert_eq!(cr.records.len(), 14, "{p}");
    }
    match firefox::read(dir.0.join("chromium"), &firefox::Options::default()) {
        Err(ImportError::NotFound(tried)) => {
            assert_eq!(tried, vec![dir.0.join("chromium/cookies.sqlite")])
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        chromium::read(dir.0.join("nothing"), &chromium::Options::default()),
        Err(ImportError::NotFound(_))
    ));
}

fn open(p: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(p).unwrap()
}

/// The Chromium fixture with every value re-encrypted: `v11` under `password`, with the host
/// hash when `version` is 24 (the database is set to `version`).
fn chromium_v11(dir: &TempDir, password: &[u8], version: i64) -> PathBuf {
    let plain = chromium::read(fixture("chromium-Cookies"), &chromium::Options::default()).unwrap();
    let p = dir.copy("chromium-Cookies", "v11/Cookies");
    let conn = open(&p);
    conn.execute(
        "UPDATE meta SET value = ?1 WHERE key = 'version'",
        [version.to_string()],
    )
    .unwrap();
    let rows: Vec<(i64, String, String)> = {
        let mut st = conn
            .prepare("SELECT rowid, host_key, name FROM cookies")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    assert_eq!(rows.len(), 14);
    for (rowid, host, name) in rows {
        let value = by_name(&plain, &name).unwrap().value();
        let hash = (version >= 24).then_some(host.as_bytes());
        let ev = chromium::encrypt_value(value, Some(password), hash);
        assert!(ev.starts_with(b"v11"));
        conn.execute(
            "UPDATE cookies SET encrypted_value = ?1 WHERE rowid = ?2",
            rusqlite::params![ev, rowid],
        )
        .unwrap();
    }
    p
}

fn same_cookies(a: &Records, b: &Records) {
    assert_eq!(a.records.len(), b.records.len());
    for (x, y) in a.records.iter().zip(&b.records) {
        assert_eq!(x, y);
    }
}

#[test]
fn v11_values_decrypt_with_the_key_password_only() {
    let v10 = chromium::read(fixture("chromium-Cookies"), &chromium::Options::default()).unwrap();
    for version in [24, 23] {
        let dir = TempDir::new();
        let p = chromium_v11(&dir, b"keyring secret", version);
        let with = chromium::read(
            &p,
            &chromium::Options::default().key_password("keyring secret"),
        )
        .unwrap();
        assert!(with.refused.is_empty(), "{:?}", with.refused);
        same_cookies(&with, &v10);

        let without = chromium::read(&p, &chromium::Options::default()).unwrap();
        assert!(without.records.is_empty());
        assert_eq!(without.refused.len(), 14);
        for r in &without.refused {
            assert_eq!(
                r.error,
                RecordError::Undecryptable(DecryptError::NoPassword)
            );
            assert!(r.name.is_some());
        }

        let wrong =
            chromium::read(&p, &chromium::Options::default().key_password("guess")).unwrap();
        // A wrong key leaves bad padding, or (rarely) good padding and then a wrong host hash
        // (version 24); nothing is imported as garbage at version 24.
        if version == 24 {
            assert!(wrong.records.is_empty(), "{:?}", wrong.records);
        }
        assert!(wrong.refused.iter().all(|r| matches!(
            r.error,
            RecordError::Undecryptable(DecryptError::BadPadding | DecryptError::HostHashMismatch)
        )));
    }
}

#[test]
fn rows_that_fail_are_refused_with_their_reason_and_the_rest_imported() {
    let dir = TempDir::new();
    let p = dir.copy("chromium-Cookies", "Cookies");
    let conn = open(&p);
    let rowid = |name: &str| -> i64 {
        conn.query_row("SELECT rowid FROM cookies WHERE name = ?1", [name], |r| {
            r.get(0)
        })
        .unwrap()
    };
    let (app_bound, short, moved, insecure_host, plain) = (
        rowid("host"),
        rowid("persist"),
        rowid("sec"),
        rowid("__Host-h"),
        rowid("ho"),
    );
    conn.execute(
        "UPDATE cookies SET encrypted_value = x'7632300102030405' WHERE rowid = ?1",
        [app_bound],
    )
    .unwrap();
    conn.execute(
        "UPDATE cookies SET encrypted_value = substr(encrypted_value, 1, 20) WHERE rowid = ?1",
        [short],
    )
    .unwrap();
    // A value encrypted for another host: the version-24 hash catches it.
    let ev = chromium::encrypt_value(b"4", None, Some(b"evil.example"));
    conn.execute(
        "UPDATE cookies SET encrypted_value = ?1 WHERE rowid = ?2",
        rusqlite::params![ev, moved],
    )
    .unwrap();
    // __Host- without Secure: not a cookie a browser could hold.
    conn.execute(
        "UPDATE cookies SET is_secure = 0 WHERE rowid = ?1",
        [insecure_host],
    )
    .unwrap();
    // A plain (unencrypted) value, as older or unencrypted profiles have.
    conn.execute(
        "UPDATE cookies SET encrypted_value = x'', value = 'plain' WHERE rowid = ?1",
        [plain],
    )
    .unwrap();
    conn.execute("UPDATE cookies SET samesite = 7 WHERE name = 'sslax'", [])
        .unwrap();
    let sslax = rowid("sslax");
    drop(conn);
    let r = chromium::read(&p, &chromium::Options::default()).unwrap();
    let reasons: Vec<(Location, Option<&str>, &RecordError)> = r
        .refused
        .iter()
        .map(|x| (x.location, x.name.as_deref(), &x.error))
        .collect();
    let at = |id: i64| Location::Index(id as usize);
    let want = [
        (
            at(app_bound),
            Some("host"),
            RecordError::Undecryptable(DecryptError::AppBound),
        ),
        (
            at(short),
            Some("persist"),
            RecordError::Undecryptable(DecryptError::BadLength(17)),
        ),
        (
            at(moved),
            Some("sec"),
            RecordError::Undecryptable(DecryptError::HostHashMismatch),
        ),
        (
            at(insecure_host),
            Some("__Host-h"),
            RecordError::NotCanonical(NotCanonical::Prefix),
        ),
        (
            at(sslax),
            Some("sslax"),
            RecordError::Malformed(cookiejar::persist::Malformed::BadField("samesite")),
        ),
    ];
    assert_eq!(reasons.len(), want.len(), "{reasons:?}");
    for w in &want {
        assert!(
            reasons.iter().any(|g| (g.0, g.1, g.2) == (w.0, w.1, &w.2)),
            "{w:?} not in {reasons:?}"
        );
    }
    assert_eq!(r.records.len(), 14 - want.len());
    assert_eq!(by_name(&r, "ho").unwrap().value(), b"plain");
    // The jar reports the reader's refusals with the rest imported.
    let mut jar = CookieJar::new();
    let report = jar.import(r, visit("chromium").finished);
    assert_eq!((report.imported, report.refused.len()), (9, 5));
    assert!(report.refused.iter().any(|x| x.to_string().contains("v20")));
}

#[test]
fn firefox_rows_of_other_containers_are_left_and_bad_rows_refused() {
    let dir = TempDir::new();
    let p = dir.copy("firefox-cookies.sqlite", "cookies.sqlite");
    let conn = open(&p);
    conn.execute(
        "UPDATE moz_cookies SET originAttributes = '^userContextId=2' WHERE name = 'sslax'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE moz_cookies SET originAttributes = '^privateBrowsingId=1' WHERE name = 'ho'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE moz_cookies SET isSecure = 0 WHERE name = 'ssnone'",
        [],
    )
    .unwrap();
    conn.execute(
        "UPDATE moz_cookies SET isSecure = 0 WHERE name = '__Host-h'",
        [],
    )
    .unwrap();
    drop(conn);
    let r = firefox::read(&p, &firefox::Options::default()).unwrap();
    assert!(by_name(&r, "sslax").is_none());
    let refused: Vec<(Option<&str>, &RecordError)> = r
        .refused
        .iter()
        .map(|x| (x.name.as_deref(), &x.error))
        .collect();
    assert_eq!(refused.len(), 2, "{refused:?}");
    assert!(refused.contains(&(
        Some("ho"),
        &RecordError::Malformed(cookiejar::persist::Malformed::BadField("originAttributes"))
    )));
    assert!(refused.contains(&(
        Some("__Host-h"),
        &RecordError::NotCanonical(NotCanonical::Prefix)
    )));
    // An insecure sameSite 0 is how Firefox stored an unset attribute before SAMESITE_UNSET.
    assert_eq!(
        by_name(&r, "ssnone").unwrap().same_site(),
        SameSite::Unspecified
    );
    assert_eq!(r.records.len(), 12 - 3);

    let work = firefox::read(&p, &firefox::Options::default().container(2)).unwrap();
    assert_eq!(work.records.len(), 1);
    assert_eq!(by_name(&work, "sslax").unwrap().same_site(), SameSite::Lax);
}

#[test]
fn firefox_schema_15_expiry_is_in_seconds() {
    let dir = TempDir::new();
    let p = dir.copy("firefox-cookies.sqlite", "cookies.sqlite");
    let conn = open(&p);
    conn.execute_batch("UPDATE moz_cookies SET expiry = expiry / 1000; PRAGMA user_version = 15;")
        .unwrap();
    drop(conn);
    let old = firefox::read(&p, &firefox::Options::default()).unwrap();
    let new = firefox::read(
        fixture("firefox-cookies.sqlite"),
        &firefox::Options::default(),
    )
    .unwrap();
    assert!(old.refused.is_empty());
    for (a, b) in old.records.iter().zip(&new.records) {
        let (ea, eb) = (a.cookie.expires().unwrap(), b.cookie.expires().unwrap());
        assert!(close(ea, eb, 1_000_000), "{ea:?} {eb:?}");
    }
}

/// The browser is running: another connection holds the database in WAL mode, with SQLite's
/// exclusive lock (as Chromium does), and writes not yet checkpointed into the main file. The
/// import sees them and changes no byte of the profile.
#[test]
fn a_live_database_in_wal_mode_is_read_and_left_untouched() {
    let dir = TempDir::new();
    let p = dir.copy("firefox-cookies.sqlite", "profile/cookies.sqlite");
    let conn = open(&p);
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; PRAGMA locking_mode = EXCLUSIVE;
         INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, lastAccessed,
           creationTime, isSecure, isHttpOnly, sameSite, schemeMap, isPartitionedAttributeSet)
         SELECT '', 'late', 'wal', host, path, expiry, lastAccessed + 1, creationTime + 1, 0, 0,
           256, 1, 0 FROM moz_cookies WHERE name = 'persist';
         UPDATE moz_cookies SET value = 'changed' WHERE name = 'sslax';",
    )
    .unwrap();
    let wal = dir.0.join("profile/cookies.sqlite-wal");
    assert!(
        std::fs::metadata(&wal).unwrap().len() > 0,
        "the writes are in the WAL"
    );
    let files = |d: &Path| -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = files(&dir.0.join("profile"));
    let r = firefox::read(dir.0.join("profile"), &firefox::Options::default()).unwrap();
    assert_eq!(
        files(&dir.0.join("profile")),
        before,
        "the profile's files are unchanged"
    );
    assert_eq!(r.records.len(), 13);
    assert_eq!(by_name(&r, "late").unwrap().value(), b"wal");
    assert_eq!(by_name(&r, "sslax").unwrap().value(), b"changed");
    // The writer still owns its database.
    conn.execute("DELETE FROM moz_cookies WHERE name = 'late'", [])
        .unwrap();
}

#[test]
fn files_that_are_not_cookie_databases_are_clear_errors() {
    let dir = TempDir::new();
    let junk = dir.0.join("junk");
    std::fs::write(
        &junk,
        b"this is not a database, but it is long enough to look at it".repeat(40),
    )
    .unwrap();
    assert!(matches!(
        firefox::read(&junk, &firefox::Options::default()),
        Err(ImportError::NotADatabase)
    ));
    assert!(matches!(
        chromium::read(&junk, &chromium::Options::default()),
        Err(ImportError::NotADatabase)
    ));
    // Each reader given the other's database.
    assert!(matches!(
        firefox::read(fixture("chromium-Cookies"), &firefox::Options::default()),
        Err(ImportError::NotACookieDatabase(_))
    ));
    assert!(matches!(
        chromium::read(
            fixture("firefox-cookies.sqlite"),
            &chromium::Options::default()
        ),
        Err(ImportError::NotACookieDatabase(_))
    ));
    let p = dir.copy("chromium-Cookies", "Cookies");
    open(&p)
        .execute("UPDATE meta SET value = '25' WHERE key = 'version'", [])
        .unwrap();
    match chromium::read(&p, &chromium::Options::default()) {
        Err(
            e @ ImportError::UnsupportedVersion {
                found: 25,
                oldest: 18,
                newest: 24,
            },
        ) => {
            assert_eq!(
                e.to_string(),
                "schema version 25; this build reads versions 18 to 24"
            )
        }
        other => panic!("{other:?}"),
    }
    let p = dir.copy("firefox-cookies.sqlite", "cookies.sqlite");
    open(&p).execute_batch("PRAGMA user_version = 11").unwrap();
    assert!(matches!(
        firefox::read(&p, &firefox::Options::default()),
        Err(ImportError::UnsupportedVersion { found: 11, .. })
    ));
    // A truncated database: an error, never a panic, and the half that reads is not guessed at.
    let p = dir.copy("chromium-Cookies", "cut/Cookies");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() / 2]).unwrap();
    assert!(chromium::read(&p, &chromium::Options::default()).is_err());
}

/// A database in rollback-journal mode in the middle of a transaction whose pages already
/// spilled into the main file (a hot journal, as a browser in DELETE or TRUNCATE journal mode
/// leaves it mid-write): the import reads the last committed state, not the torn file.
#[test]
fn a_database_mid_transaction_reads_as_last_committed() {
    let dir = TempDir::new();
    let p = dir.copy("firefox-cookies.sqlite", "profile/cookies.sqlite");
    let conn = open(&p);
    conn.execute_batch(
        "PRAGMA journal_mode = DELETE; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = 2;
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)
         INSERT INTO moz_cookies (originAttributes, name, value, host, path, expiry, lastAccessed,
           creationTime, isSecure, isHttpOnly, sameSite, schemeMap, isPartitionedAttributeSet)
         SELECT '', 'n' || i, hex(randomblob(400)), 'www.site.localhost', '/', 1796270128743,
           1796183728743533, 1796183728743533 + i, 0, 0, 256, 1, 0 FROM n;
         BEGIN;
         UPDATE moz_cookies SET value = 'uncommitted';",
    )
    .unwrap();
    let journal = dir.0.join("profile/cookies.sqlite-journal");
    assert!(
        std::fs::metadata(&journal).unwrap().len() > 100_000,
        "a hot journal: the update spilled into the main file"
    );
    let r = firefox::read(&p, &firefox::Options::default()).unwrap();
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    assert_eq!(r.records.len(), 312);
    let torn = r
        .records
        .iter()
        .filter(|x| x.cookie.value() == b"uncommitted")
        .count();
    assert_eq!(torn, 0, "uncommitted values read");
    conn.execute_batch("COMMIT").unwrap();
    let r = firefox::read(&p, &firefox::Options::default()).unwrap();
    assert!(r.records.iter().all(|x| x.cookie.value() == b"uncommitted"));
}

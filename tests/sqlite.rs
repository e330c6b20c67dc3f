//! The persistent jar on SQLite: what survives a close, what the write-behind queue commits and
//! when, and the databases it refuses (and leaves as they were).
#![cfg(feature = "sqlite")]

use cookiejar::persist::sqlite::{RowError, SqliteError, SqliteJar, SqliteOptions};
use cookiejar::{
    Cookie, CookieId, NotCanonical, Policy, RequestContext, SharedJar, Timestamp, Url,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const T0: i64 = 1_800_000_000;

fn t(s: i64) -> Timestamp {
    Timestamp::from_unix_seconds(T0 + s)
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "cookiejar-sqlite-{name}-{}-{:?}",
            std::process::id(),
            Instant::now()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
    fn path(&self, file: &str) -> PathBuf {
        self.0.join(file)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn open(path: &Path) -> (SqliteJar, cookiejar::persist::sqlite::Opened) {
    SqliteJar::open(path, Policy::standard(), SqliteOptions::default().now(t(0))).unwrap()
}

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// Every cookie with every field, last access included, in a stable order.
fn state(cookies: Vec<Cookie>) -> Vec<(Cookie, Timestamp)> {
    let mut v: Vec<_> = cookies
        .into_iter()
        .map(|c| {
            let a = c.last_access();
            (c, a)
        })
        .collect();
    v.sort_by_key(|(c, _)| (c.creation(), c.domain().to_owned(), c.name().to_vec()));
    v
}

const LINES: &[(&str, &str)] = &[
    (
        "https://www.example.com/a/b",
        "sid=1; Secure; HttpOnly; SameSite=Lax",
    ),
    (
        "https://www.example.com/",
        "lang=en; Domain=example.com; Path=/; Max-Age=86400",
    ),
    (
        "https://www.example.com/",
        "__Host-k=v; Secure; Path=/; Max-Age=600",
    ),
    (
        "https://www.example.com/",
        "__Host-bad=v; Domain=example.com; Secure",
    ),
    ("https://www.example.com/", "x=1; Domain=com"),
    ("http://www.example.com/", "s=1; Secure"),
    (
        "https://shop.example.org/",
        "cart=3; SameSite=None; Secure; Priority=High",
    ),
    ("https://shop.example.org/", "p=1; Partitioned; Secure"),
    (
        "https://shop.example.org/x/",
        "deep=1; Path=/x; Expires=Wed, 01 Jan 2100 00:00:00 GMT",
    ),
    (
        "https://www.example.com/",
        "lang=de; Domain=example.com; Path=/; Max-Age=86400",
    ),
];

fn ctx_urls() -> Vec<Url> {
    [
        "https://www.example.com/a/b",
        "https://api.example.com/",
        "https://shop.example.org/x/y",
        "http://www.example.com/",
    ]
    .iter()
    .map(|u| url(u))
    .collect()
}

#[test]
fn same_answers_as_shared_jar_and_round_trip() {
    let dir = TempDir::new("roundtrip");
    let path = dir.path("jar.sqlite");
    let (jar, opened) = open(&path);
    assert!(opened.created);
    let mem = SharedJar::new();
    for (i, (u, line)) in LINES.iter().enumerate() {
        let u = url(u);
        let ctx = RequestContext::navigation(&u);
        assert_eq!(
            jar.set_cookie(line, &ctx, t(i as i64)),
            mem.set_cookie(line, &ctx, t(i as i64)),
            "{line}"
        );
    }
    // A value that is not UTF-8 survives.
    let u = url("https://www.example.com/");
    let raw: &[u8] = b"bin=\xff\xfe\x80; Max-Age=9999";
    assert_eq!(
        jar.set_cookie(raw, &RequestContext::navigation(&u), t(20)),
        mem.set_cookie(raw, &RequestContext::navigation(&u), t(20))
    );
    for u in ctx_urls() {
        let ctx = RequestContext::navigation(&u);
        assert_eq!(
            jar.cookie_header_bytes(&ctx, t(100)),
            mem.cookie_header_bytes(&ctx, t(100))
        );
        assert_eq!(jar.explain(&ctx, t(100)), mem.explain(&ctx, t(100)));
    }
    let before = state(jar.cookies());
    assert_eq!(before, state(mem.cookies()));
    let snap = jar.snapshot();
    jar.close().unwrap();

    let (jar, opened) = open(&path);
    assert_eq!((opened.loaded, opened.refused.len()), (before.len(), 0));
    assert_eq!(state(jar.cookies()), before);
    let again = jar.snapshot();
    assert_eq!(again.creation_clock, snap.creation_clock);
    let bin = jar
        .get(&CookieId::new("bin", "www.example.com", "/"))
        .unwrap();
    assert_eq!(bin.value(), b"\xff\xfe\x80");
    for u in ctx_urls() {
        let ctx = RequestContext::navigation(&u);
        assert_eq!(
            jar.cookie_header_bytes(&ctx, t(200)),
            mem.cookie_header_bytes(&ctx, t(200))
        );
    }
    // Same eviction: 200 more cookies on one site evict the same ones in both.
    let u = url("https://www.example.com/");
    for i in 0..200 {
        let line = format!("e{i}=1; Max-Age=99999");
        let ctx = RequestContext::navigation(&u);
        assert_eq!(
            jar.set_cookie(&line, &ctx, t(300 + i)),
            mem.set_cookie(&line, &ctx, t(300 + i))
        );
    }
    assert_eq!(state(jar.cookies()), state(mem.cookies()));
    let evicted = state(jar.cookies());
    jar.close().unwrap();
    let (jar, _) = open(&path);
    assert_eq!(state(jar.cookies()), evicted);
}

#[test]
fn every_operation_persists() {
    let dir = TempDir::new("ops");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    let mem = SharedJar::new();
    let u = url("https://www.example.com/");
    let ctx = RequestContext::navigation(&u);
    for j in [&jar as &dyn Ops, &mem as &dyn Ops] {
        j.set("a=1", &ctx, t(0));
        j.set("b=1; Max-Age=100", &ctx, t(0));
        j.set("c=1; Max-Age=10000", &ctx, t(0));
        j.set("d=1; Max-Age=10000", &ctx, t(0));
    }
    let c = Cookie::builder("imp", "1", "example.com")
        .host_only(false)
        .creation(t(1))
        .build()
        .unwrap();
    assert_eq!(jar.insert(c.clone(), t(1)), mem.insert(c, t(1)));
    let d = CookieId::new("d", "www.example.com", "/");
    assert_eq!(jar.remove(&d), mem.remove(&d));
    jar.remove_expired(t(500));
    mem.remove_expired(t(500));
    jar.end_session();
    mem.end_session();
    let want = state(mem.cookies());
    assert_eq!(state(jar.cookies()), want);
    jar.flush().unwrap();
    jar.close().unwrap();
    let (jar, _) = open(&path);
    assert_eq!(state(jar.cookies()), want);
    jar.clear();
    jar.close().unwrap();
    let (jar, opened) = open(&path);
    assert_eq!((opened.loaded, jar.len()), (0, 0));
}

trait Ops {
    fn set(&self, line: &str, ctx: &RequestContext<'_>, now: Timestamp);
}
impl Ops for SqliteJar {
    fn set(&self, line: &str, ctx: &RequestContext<'_>, now: Timestamp) {
        self.set_cookie(line, ctx, now).unwrap();
    }
}
impl Ops for SharedJar {
    fn set(&self, line: &str, ctx: &RequestContext<'_>, now: Timestamp) {
        self.set_cookie(line, ctx, now).unwrap();
    }
}

fn raw(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

fn rows(path: &Path) -> Vec<(Vec<u8>, i64)> {
    let c = raw(path);
    let mut st = c
        .prepare("SELECT name, last_access FROM cookies ORDER BY name")
        .unwrap();
    let v = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    v
}

#[test]
fn access_updates_coalesce_and_lookups_are_not_writes() {
    let dir = TempDir::new("coalesce");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    let u = url("https://example.com/");
    let ctx = RequestContext::navigation(&u);
    jar.set_cookie("a=1; Max-Age=100000", &ctx, t(0)).unwrap();
    jar.flush().unwrap();
    assert_eq!(jar.queued(), 0);
    // Lookups within the 60 s throttle refresh nothing: nothing is queued.
    for s in 1..50 {
        jar.cookie_header(&ctx, t(s));
    }
    assert_eq!(jar.queued(), 0);
    // Ten refreshing lookups, a minute apart: one queued operation.
    for i in 1..=10 {
        assert!(jar.cookie_header(&ctx, t(i * 61)).is_some());
    }
    assert_eq!(jar.queued(), 1);
    let commits = jar.commits();
    jar.flush().unwrap();
    assert_eq!(jar.commits(), commits + 1);
    jar.close().unwrap();
    assert_eq!(rows(&path), vec![(b"a".to_vec(), t(610).unix_micros())]);

    // A set then a delete before the commit: no row, and one queued operation.
    let (jar, _) = open(&path);
    jar.set_cookie("b=1", &ctx, t(1000)).unwrap();
    jar.set_cookie("b=2", &ctx, t(1001)).unwrap();
    jar.remove(&CookieId::new("b", "example.com", "/"));
    assert_eq!(jar.queued(), 1);
    jar.close().unwrap();
    assert_eq!(rows(&path), vec![(b"a".to_vec(), t(610).unix_micros())]);
}

fn wait_for(what: impl Fn() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if what() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

#[test]
fn size_trigger_commits_without_flush() {
    let dir = TempDir::new("size");
    let path = dir.path("jar.db");
    let options = SqliteOptions::default()
        .max_batch(3)
        .max_age(Duration::from_secs(3600))
        .now(t(0));
    let (jar, _) = SqliteJar::open(&path, Policy::standard(), options).unwrap();
    let u = url("https://example.com/");
    let ctx = RequestContext::navigation(&u);
    jar.set_cookie("a=1", &ctx, t(0)).unwrap();
    jar.set_cookie("b=1", &ctx, t(0)).unwrap();
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!((jar.commits(), jar.queued()), (0, 2));
    jar.set_cookie("c=1", &ctx, t(0)).unwrap();
    assert!(wait_for(|| jar.commits() == 1 && jar.queued() == 0));
}

#[test]
fn age_trigger_commits_an_idle_jar() {
    let dir = TempDir::new("age");
    let path = dir.path("jar.db");
    let options = SqliteOptions::default()
        .max_age(Duration::from_millis(50))
        .now(t(0));
    let (jar, _) = SqliteJar::open(&path, Policy::standard(), options).unwrap();
    let u = url("https://example.com/");
    jar.set_cookie("a=1", &RequestContext::navigation(&u), t(0))
        .unwrap();
    assert_eq!(jar.queued(), 1);
    assert!(wait_for(|| jar.commits() == 1 && jar.queued() == 0));
    // The row is there without a flush: a second process could not see it while this jar
    // holds the lock, so the jar is leaked (no close, no flush on drop) and the file read.
    std::mem::forget(jar);
    assert!(rows_after_forget(&path).contains(&b"a".to_vec()));
}

/// The rows of a database whose jar was leaked (it still holds the lock): a copy of the file
/// and its WAL, read by a fresh connection.
fn rows_after_forget(path: &Path) -> Vec<Vec<u8>> {
    let copy = path.with_extension("copy");
    std::fs::copy(path, &copy).unwrap();
    let wal = PathBuf::from(format!("{}-wal", path.display()));
    if wal.exists() {
        std::fs::copy(&wal, format!("{}-wal", copy.display())).unwrap();
    }
    rows(&copy).into_iter().map(|(n, _)| n).collect()
}

#[test]
fn user_meta_is_committed_with_the_changes() {
    let dir = TempDir::new("meta");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    let u = url("https://example.com/");
    jar.atomically(|| {
        jar.set_cookie("a=1", &RequestContext::navigation(&u), t(0))
            .unwrap();
        jar.set_meta("seq", "7");
        assert!(matches!(jar.flush(), Err(SqliteError::FlushInAtomically)));
    });
    assert_eq!(jar.meta("seq").as_deref(), Some("7"));
    jar.close().unwrap();
    let (jar, _) = open(&path);
    assert_eq!(jar.meta("seq").as_deref(), Some("7"));
    assert_eq!(jar.len(), 1);
}

#[test]
fn newer_version_is_refused_and_untouched() {
    let dir = TempDir::new("newer");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    jar.set_cookie(
        "a=1",
        &RequestContext::navigation(&url("https://example.com/")),
        t(0),
    )
    .unwrap();
    jar.close().unwrap();
    raw(&path)
        .execute("UPDATE meta SET value = 2 WHERE key = 'version'", [])
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let r = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default());
    assert!(
        matches!(
            r,
            Err(SqliteError::NewerVersion {
                found: 2,
                supported: 1
            })
        ),
        "{r:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn garbage_and_truncated_files_are_typed_errors_and_untouched() {
    let dir = TempDir::new("corrupt");
    let garbage = dir.path("garbage.db");
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i * 7919 % 251) as u8).collect();
    std::fs::write(&garbage, &bytes).unwrap();
    let r = SqliteJar::open(&garbage, Policy::standard(), SqliteOptions::default());
    assert!(matches!(r, Err(SqliteError::NotADatabase)), "{r:?}");
    assert_eq!(std::fs::read(&garbage).unwrap(), bytes);
    assert!(r
        .unwrap_err()
        .to_string()
        .contains("not an SQLite database"));

    // A real jar of 2000 cookies, cut in half.
    let path = dir.path("cut.db");
    let mut policy = Policy::standard();
    policy.max_cookies = 100_000;
    let (jar, _) = SqliteJar::open(&path, policy.clone(), SqliteOptions::default()).unwrap();
    for i in 0..2000 {
        let u = url(&format!("https://site{}.example/", i / 100));
        let line = format!("c{i}={}; Max-Age=99999", "v".repeat(100));
        jar.set_cookie(&line, &RequestContext::navigation(&u), t(i))
            .unwrap();
    }
    jar.close().unwrap();
    let full = std::fs::read(&path).unwrap();
    let cut = &full[..full.len() / 2];
    std::fs::write(&path, cut).unwrap();
    let r = SqliteJar::open(&path, policy, SqliteOptions::default());
    assert!(
        matches!(r, Err(SqliteError::Corrupt | SqliteError::NotADatabase)),
        "{r:?}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), cut);
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let dir = TempDir::new("foreign");
    let path = dir.path("other.db");
    raw(&path)
        .execute_batch("CREATE TABLE songs (title TEXT); INSERT INTO songs VALUES ('x');")
        .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let r = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default());
    assert!(matches!(r, Err(SqliteError::NotACookieJar(_))), "{r:?}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn missing_file_without_create_is_not_found_and_not_created() {
    let dir = TempDir::new("missing");
    let path = dir.path("none.db");
    let r = SqliteJar::open(
        &path,
        Policy::standard(),
        SqliteOptions::default().create(false),
    );
    assert!(matches!(r, Err(SqliteError::NotFound(_))), "{r:?}");
    assert!(!path.exists());
}

#[cfg(unix)]
#[test]
fn a_new_database_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("mode");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    drop(jar);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn rows_that_fail_the_gate_are_reported_skipped_and_kept() {
    let dir = TempDir::new("gate");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    jar.set_cookie(
        "ok=1",
        &RequestContext::navigation(&url("https://example.com/")),
        t(0),
    )
    .unwrap();
    jar.close().unwrap();
    let c = raw(&path);
    // A __Host- cookie on a domain cookie, and a SameSite code no build writes.
    c.execute(
        "INSERT INTO cookies (name, value, domain, host_only, path, expires, secure, http_only,
           same_site, priority, partition_key, partitioned_attribute, creation, last_access)
         VALUES (X'5F5F486F73742D78', X'31', 'example.com', 0, '/', NULL, 1, 0, -1, 1, '', 0, 5, 5),
                (X'79', X'31', 'example.com', 1, '/', NULL, 0, 0, 9, 1, '', 0, 6, 6),
                (X'7A', X'31', 'com', 0, '/', NULL, 0, 0, -1, 1, '', 0, 7, 7)",
        [],
    )
    .unwrap();
    let ids: Vec<i64> = c
        .prepare("SELECT rowid FROM cookies WHERE name != X'6F6B' ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(c);
    let (jar, opened) = open(&path);
    assert_eq!(opened.loaded, 1);
    assert_eq!(
        opened.refused,
        vec![
            (ids[0], RowError::NotCanonical(NotCanonical::Prefix)),
            (ids[1], RowError::BadField("same_site")),
            (
                ids[2],
                RowError::Rejected(cookiejar::Rejection::PublicSuffixDomainCookie)
            ),
        ]
    );
    assert_eq!(jar.len(), 1);
    jar.close().unwrap();
    assert_eq!(rows(&path).len(), 4);
}

const CHILD_ENV: &str = "COOKIEJAR_SQLITE_SECOND_OPEN";

/// The child of `second_open_is_in_use`: opens the database its parent holds.
#[test]
fn second_open_child() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    match SqliteJar::open(&path, Policy::standard(), SqliteOptions::default()) {
        Err(SqliteError::InUse) => std::process::exit(42),
        other => {
            eprintln!("child: {other:?}");
            std::process::exit(1)
        }
    }
}

#[test]
fn second_open_is_in_use() {
    let dir = TempDir::new("inuse");
    let path = dir.path("jar.db");
    let (jar, _) = open(&path);
    jar.set_cookie(
        "a=1",
        &RequestContext::navigation(&url("https://example.com/")),
        t(0),
    )
    .unwrap();
    jar.flush().unwrap();
    // In this process.
    let r = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default());
    assert!(matches!(r, Err(SqliteError::InUse)), "{r:?}");
    // From another process.
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "second_open_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &path)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(42));
    // The first jar still works, and once it is closed the database opens again.
    jar.set_cookie(
        "b=1",
        &RequestContext::navigation(&url("https://example.com/")),
        t(1),
    )
    .unwrap();
    jar.close().unwrap();
    let (jar, opened) = open(&path);
    assert_eq!((opened.loaded, jar.len()), (2, 2));
}

#[test]
fn shared_between_threads() {
    let dir = TempDir::new("threads");
    let path = dir.path("jar.db");
    let options = SqliteOptions::default().max_batch(16).now(t(0));
    let (jar, _) = SqliteJar::open(&path, Policy::standard(), options).unwrap();
    let jar = std::sync::Arc::new(jar);
    let handles: Vec<_> = (0..4)
        .map(|th| {
            let jar = std::sync::Arc::clone(&jar);
            std::thread::spawn(move || {
                let u = url(&format!("https://t{th}.example/"));
                let ctx = RequestContext::navigation(&u);
                for i in 0..100 {
                    jar.set_cookie(format!("c{}=1; Max-Age=9999", i % 30), &ctx, t(i))
                        .unwrap();
                    jar.cookie_header(&ctx, t(i * 61));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let want = state(jar.cookies());
    let jar = std::sync::Arc::try_unwrap(jar).unwrap();
    jar.close().unwrap();
    let (jar, _) = open(&path);
    assert_eq!(state(jar.cookies()), want);
}

/// The load of 100 000 cookies, timed: `cargo test --features sqlite --test sqlite open_time
/// -- --nocapture` prints it (about 3 s in a debug build on a 2-core machine; SQLite itself
/// compiled without optimization there).
#[test]
fn open_time_100k() {
    let dir = TempDir::new("100k");
    let path = dir.path("big.db");
    drop(open(&path));
    {
        let mut c = raw(&path);
        let tx = c.transaction().unwrap();
        {
            let mut st = tx
                .prepare(
                    "INSERT INTO cookies (name, value, domain, host_only, path, expires, secure,
                       http_only, same_site, priority, partition_key, partitioned_attribute,
                       creation, last_access)
                     VALUES (?1, ?2, ?3, 1, '/', ?4, 1, 0, 1, 1, '', 0, ?5, ?5)",
                )
                .unwrap();
            for i in 0..100_000i64 {
                let created = t(i).unix_micros();
                st.execute(rusqlite::params![
                    format!("cookie{}", i % 100).into_bytes(),
                    format!("value-{i}-abcdefghijklmnop").into_bytes(),
                    format!("www.site{}.example", i / 100),
                    t(i + 86_400).unix_micros(),
                    created
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let mut policy = Policy::standard();
    policy.max_cookies = 200_000;
    let start = Instant::now();
    let (jar, opened) =
        SqliteJar::open(&path, policy, SqliteOptions::default().now(t(100_000))).unwrap();
    let took = start.elapsed();
    assert_eq!((opened.loaded, opened.refused.len()), (100_000, 0));
    assert_eq!(jar.len(), 100_000);
    println!("open of 100000 cookies: {took:?}");
    let start = Instant::now();
    jar.close().unwrap();
    println!("close: {:?}", start.elapsed());
}

//! Crash safety of the persistent jar, tested as it fails in use: a child process (this test
//! binary, re-run with an environment variable) writes cookies continuously through a
//! `SqliteJar` with small batches, and is killed with SIGKILL at random moments, often in the
//! middle of a commit. After every kill the database must open, pass `PRAGMA
//! integrity_check`, hold only cookies that pass the canonical gate, and hold exactly the state
//! after some committed batch: the writer is deterministic (op `i` depends only on the seed and
//! `i`), each op and the `seq` marker naming it are committed in one transaction
//! (`SqliteJar::atomically`), so the test replays ops `0..=seq` on an in-memory jar and
//! compares every field of every cookie, and the jar-wide state. The next child continues from
//! the reopened database.
#![cfg(feature = "sqlite")]

use cookiejar::persist::sqlite::{SqliteJar, SqliteOptions};
use cookiejar::{Cookie, CookieId, Policy, RequestContext, SharedJar, Timestamp, Url};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const DB_ENV: &str = "COOKIEJAR_CRASH_DB";
const SEED: u64 = 0x5EED_C0FF_EE15_600D;
const T0: i64 = 1_800_000_000;
const KILLS: usize = 300;

fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The jar operations the writer makes, on either jar.
trait Jar {
    fn set(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp);
    fn remove(&self, id: &CookieId);
    fn header(&self, ctx: &RequestContext<'_>, now: Timestamp);
    fn remove_expired(&self, now: Timestamp);
    fn end_session(&self);
}

impl Jar for SqliteJar {
    fn set(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        let _ = self.set_cookie(line, ctx, now);
    }
    fn remove(&self, id: &CookieId) {
        SqliteJar::remove(self, id);
    }
    fn header(&self, ctx: &RequestContext<'_>, now: Timestamp) {
        self.cookie_header(ctx, now);
    }
    fn remove_expired(&self, now: Timestamp) {
        SqliteJar::remove_expired(self, now);
    }
    fn end_session(&self) {
        SqliteJar::end_session(self);
    }
}

impl Jar for SharedJar {
    fn set(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        let _ = self.set_cookie(line, ctx, now);
    }
    fn remove(&self, id: &CookieId) {
        SharedJar::remove(self, id);
    }
    fn header(&self, ctx: &RequestContext<'_>, now: Timestamp) {
        self.cookie_header(ctx, now);
    }
    fn remove_expired(&self, now: Timestamp) {
        SharedJar::remove_expired(self, now);
    }
    fn end_session(&self) {
        SharedJar::end_session(self);
    }
}

const HOSTS: &[&str] = &["www.example.com", "api.example.com", "shop.example.org"];
const NAMES: &[&str] = &["a", "b", "sid", "lang", "cart", "__Host-k", "t", "u"];

/// Op `i` of the writer: a function of the seed and `i` only.
fn apply(jar: &dyn Jar, i: u64) {
    let r = splitmix(SEED ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
    let host = HOSTS[(r % 3) as usize];
    let name = NAMES[((r >> 8) % NAMES.len() as u64) as usize];
    let now = Timestamp::from_unix_seconds(T0 + i as i64 * 7);
    let url = Url::parse(&format!("https://{host}/a/b")).unwrap();
    let ctx = RequestContext::navigation(&url);
    let attrs = r >> 16;
    match (r >> 40) % 100 {
        0..=44 => {
            let mut line = format!("{name}=v{i}; Max-Age={}", 1 + (r >> 20) % 3000);
            if attrs & 1 == 1 && host.ends_with("example.com") {
                line.push_str("; Domain=example.com");
            }
            if attrs & 2 == 2 {
                line.push_str("; Path=/a");
            }
            if attrs & 4 == 4 || name.starts_with("__Host-") {
                line.push_str("; Secure; Path=/");
            }
            if attrs & 8 == 8 {
                line.push_str("; SameSite=Lax; HttpOnly");
            }
            jar.set(line.as_bytes(), &ctx, now);
        }
        45..=54 => jar.set(format!("{name}=gone; Max-Age=0").as_bytes(), &ctx, now),
        55..=64 => jar.remove(&CookieId::new(name, host, "/")),
        65..=88 => jar.header(&ctx, now),
        89..=93 => {
            let mut line = format!("{name}=").into_bytes();
            line.extend_from_slice(b"\xff\xfe\x80");
            line.extend_from_slice(format!("{i}; Max-Age=5000").as_bytes());
            jar.set(&line, &ctx, now);
        }
        94..=96 => jar.remove_expired(now),
        97 => jar.end_session(),
        _ => jar.set(format!("{name}=session{i}").as_bytes(), &ctx, now),
    }
}

fn options() -> SqliteOptions {
    SqliteOptions::default()
        .max_batch(3)
        .max_age(Duration::from_millis(2))
        .now(Timestamp::from_unix_seconds(T0))
}

/// The writer (run as a child): continues from the database's `seq` until it is killed.
#[test]
fn writer_role() {
    let Ok(path) = std::env::var(DB_ENV) else {
        return;
    };
    let (jar, _) = SqliteJar::open(&path, Policy::standard(), options()).unwrap();
    let mut i = jar.meta("seq").map_or(0, |s| s.parse::<u64>().unwrap() + 1);
    let start = Instant::now();
    // A cap, so a child that is somehow not killed ends by itself.
    while start.elapsed() < Duration::from_secs(30) {
        jar.atomically(|| {
            apply(&jar, i);
            jar.set_meta("seq", &i.to_string());
        });
        if i % 11 == 0 {
            jar.flush().unwrap();
        }
        i += 1;
    }
}

fn state(cookies: Vec<Cookie>) -> Vec<(Cookie, Timestamp)> {
    let mut v: Vec<_> = cookies
        .into_iter()
        .map(|c| {
            let a = c.last_access();
            (c, a)
        })
        .collect();
    v.sort_by(|(a, _), (b, _)| {
        (a.domain(), a.path(), a.name(), a.host_only()).cmp(&(
            b.domain(),
            b.path(),
            b.name(),
            b.host_only(),
        ))
    });
    v
}

/// Whether the WAL ends with frames of a transaction that never committed: the kill landed in
/// the middle of a commit (sqlite.org/fileformat.html#the_write_ahead_log: a frame's bytes 4-8
/// are the database size for a commit frame, 0 otherwise; frames of an older WAL generation
/// have other salts).
fn wal_has_torn_commit(db: &Path) -> bool {
    let Ok(wal) = std::fs::read(format!("{}-wal", db.display())) else {
        return false;
    };
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    if wal.len() < 32 {
        return false;
    }
    let page = be(&wal[8..12]) as usize;
    let salts = &wal[16..24];
    let mut at = 32;
    let mut last_commit = None;
    while at + 24 + page <= wal.len() {
        let frame = &wal[at..at + 24];
        if &frame[8..16] != salts {
            break;
        }
        last_commit = Some(be(&frame[4..8]) != 0);
        at += 24 + page;
    }
    last_commit == Some(false) || (at < wal.len() && at + 24 + page > wal.len())
}

struct Meta {
    creation_clock: Option<i64>,
    earliest_access: Option<i64>,
    purge_at: Option<i64>,
}

fn check_raw(path: &Path) -> Meta {
    let c = rusqlite::Connection::open(path).unwrap();
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let get = |k: &str| -> Option<i64> {
        c.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get(0))
            .ok()
            .flatten()
    };
    Meta {
        creation_clock: get("creation_clock"),
        earliest_access: get("earliest_access"),
        purge_at: get("last_global_purge_at"),
    }
}

#[test]
fn sigkill_at_random_moments_leaves_a_committed_batch() {
    if std::env::var(DB_ENV).is_ok() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("cookiejar-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path: PathBuf = dir.join("crash.db");
    let exe = std::env::current_exe().unwrap();
    let model = SharedJar::new();
    let mut model_seq: Option<u64> = None;
    let mut rng = SEED;
    let start = Instant::now();
    let (mut kills, mut torn, mut advanced) = (0, 0, 0);
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", "writer_role", "--test-threads=1"])
            .env(DB_ENV, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        rng = splitmix(rng);
        // A third of the kills land while the child starts or opens; the rest while it writes.
        let delay_us = if round % 3 == 0 {
            rng % 3_000
        } else {
            5_000 + rng % 60_000
        };
        std::thread::sleep(Duration::from_micros(delay_us));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        kills += 1;
        if !path.exists() {
            continue;
        }
        if wal_has_torn_commit(&path) {
            torn += 1;
        }
        let meta = check_raw(&path);
        let (jar, opened) = SqliteJar::open(&path, Policy::standard(), options())
            .unwrap_or_else(|e| panic!("round {round}: the database does not open: {e}"));
        assert!(
            opened.refused.is_empty(),
            "round {round}: {:?}",
            opened.refused
        );
        let seq = jar.meta("seq").map(|s| s.parse::<u64>().unwrap());
        assert!(seq >= model_seq, "round {round}: went back");
        if seq > model_seq {
            advanced += 1;
        }
        let from = model_seq.map_or(0, |s| s + 1);
        if let Some(seq) = seq {
            for i in from..=seq {
                apply(&model, i);
            }
        }
        model_seq = seq;
        let (got, want) = (state(jar.cookies()), state(model.cookies()));
        if got != want {
            let first = got.iter().zip(&want).position(|(g, w)| g != w);
            let show = |v: &[(Cookie, Timestamp)], i: Option<usize>| {
                i.and_then(|i| v.get(i))
                    .map(|(c, a)| format!("{:?}={:?} {a:?}", c.id(), c.value_str()))
            };
            panic!(
                "round {round}: the database ({} cookies) is not the state after op {seq:?} \
                 ({} cookies); first difference: {:?} vs {:?}",
                got.len(),
                want.len(),
                show(&got, first),
                show(&want, first)
            );
        }
        if seq.is_some() {
            let want = model.snapshot();
            assert_eq!(meta.creation_clock, Some(want.creation_clock.unix_micros()));
            assert_eq!(
                meta.earliest_access,
                want.earliest_access.map(Timestamp::unix_micros),
                "round {round}"
            );
            assert_eq!(
                meta.purge_at,
                want.last_global_purge.map(|(t, _)| t.unix_micros())
            );
        }
        jar.close().unwrap();
    }
    let took = start.elapsed();
    println!(
        "{kills} kills in {took:?}: {torn} mid-commit (a torn transaction in the WAL), the \
         database advanced in {advanced} rounds, to op {model_seq:?}"
    );
    assert!(kills >= 100);
    assert!(
        advanced >= 20,
        "the writer made too little progress: {advanced} rounds"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

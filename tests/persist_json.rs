//! The jar's own JSON file: save -> load -> save is byte-identical, and the loaded jar answers
//! every lookup, and evicts, as the original does. Plus the file-level errors.
#![cfg(feature = "json")]

use cookiejar::persist::{json, FormatError, Location, Malformed, RecordError};
use cookiejar::{Cookie, CookieJar, NotCanonical, Policy, RequestContext, Timestamp, Url};
use proptest::prelude::*;

const T0: i64 = 1_800_000_000;

const HOSTS: &[&str] = &[
    "example.com",
    "www.example.com",
    "a.b.example.com",
    "other.org",
    "foo.co.uk",
    "127.0.0.1",
];
const NAMES: &[&str] = &["a", "b", "sid", "__Host-x", "__Secure-y", ""];
const VALUES: &[&str] = &["1", "", "v w", "\"q\"", "é"];
const ATTRS: &[&str] = &[
    "; Path=/",
    "; Path=/a",
    "; Domain=example.com",
    "; Domain=co.uk",
    "; Secure",
    "; HttpOnly",
    "; SameSite=Strict",
    "; SameSite=Lax",
    "; SameSite=None; Secure",
    "; Max-Age=60",
    "; Max-Age=0",
    "; Max-Age=999999999",
    "; Partitioned; Secure",
    "; Priority=High",
];
const PATHS: &[&str] = &["/", "/a", "/a/b", "/b"];

#[derive(Clone, Debug)]
enum Op {
    Set {
        https: bool,
        host: usize,
        path: usize,
        name: usize,
        value: usize,
        attrs: Vec<usize>,
        third_party: bool,
    },
    /// A cookie whose value is not UTF-8, through `insert`.
    InsertBytes {
        host: usize,
        name: usize,
        byte: u8,
    },
    Get {
        https: bool,
        host: usize,
        path: usize,
    },
    Wait(i64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (any::<bool>(), 0..HOSTS.len(), 0..PATHS.len(), 0..NAMES.len(), 0..VALUES.len(),
              proptest::collection::vec(0..ATTRS.len(), 0..4), any::<bool>())
            .prop_map(|(https, host, path, name, value, attrs, third_party)| Op::Set {
                https, host, path, name, value, attrs, third_party,
            }),
        1 => (0..HOSTS.len(), 0..NAMES.len(), 0x80u8..=0xff)
            .prop_map(|(host, name, byte)| Op::InsertBytes { host, name, byte }),
        3 => (any::<bool>(), 0..HOSTS.len(), 0..PATHS.len())
            .prop_map(|(https, host, path)| Op::Get { https, host, path }),
        1 => prop_oneof![Just(1i64), Just(61), Just(3600)].prop_map(Op::Wait),
    ]
}

/// Small limits, so eviction (per site and global) happens within a short run.
fn small_limits() -> Policy {
    let mut p = Policy::chromium();
    p.max_cookies_per_site = 6;
    p.purge_site_to = 4;
    p.priority_quotas = [1, 2, 3];
    p.max_cookies = 12;
    p.purge_to = 9;
    p.safe_from_global_purge_seconds = 0;
    p.global_purge_min_interval_seconds = 0;
    p
}

fn url(https: bool, host: usize, path: usize) -> Url {
    let scheme = if https { "https" } else { "http" };
    Url::parse(&format!("{scheme}://{}{}", HOSTS[host], PATHS[path])).unwrap()
}

fn apply(jar: &mut CookieJar, op: &Op, now: &mut i64) {
    let t = Timestamp::from_unix_seconds(*now);
    match op {
        Op::Set {
            https,
            host,
            path,
            name,
            value,
            attrs,
            third_party,
        } => {
            let u = url(*https, *host, *path);
            let top = Url::parse("https://top.example.net/").unwrap();
            let ctx = if *third_party {
                RequestContext::subresource(&u, &top)
            } else {
                RequestContext::navigation(&u)
            };
            let mut line = format!("{}={}", NAMES[*name], VALUES[*value]);
            for a in attrs {
                line.push_str(ATTRS[*a]);
            }
            let _ = jar.set_cookie(&line, &ctx, t);
        }
        Op::InsertBytes { host, name, byte } => {
            if let Ok(c) = Cookie::builder(NAMES[*name], vec![b'v', *byte], HOSTS[*host])
                .creation(t)
                .last_access(t)
                .build()
            {
                let _ = jar.insert(c, t);
            }
        }
        Op::Get { https, host, path } => {
            let u = url(*https, *host, *path);
            let _ = jar.cookie_header(&RequestContext::navigation(&u), t);
        }
        Op::Wait(s) => *now += s,
    }
}

/// Every header and explanation the two jars give, for every URL of the workload.
fn answers(jar: &CookieJar, now: i64) -> Vec<String> {
    let t = Timestamp::from_unix_seconds(now);
    let mut out = Vec::new();
    for https in [false, true] {
        for host in 0..HOSTS.len() {
            for path in 0..PATHS.len() {
                let u = url(https, host, path);
                let top = Url::parse("https://top.example.net/").unwrap();
                for ctx in [
                    RequestContext::navigation(&u),
                    RequestContext::subresource(&u, &top),
                    RequestContext::script(&u),
                ] {
                    out.push(format!("{u} {:?}", jar.cookie_header_bytes(&ctx, t)));
                }
            }
        }
    }
    out
}

fn round_trip(jar: &CookieJar, now: i64) -> Result<CookieJar, TestCaseError> {
    let bytes = json::to_vec(&jar.snapshot());
    let (snapshot, refused) =
        json::from_slice(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(refused.is_empty(), "refused {refused:?}");
    let (copy, skipped) = CookieJar::restore(
        jar.policy().clone(),
        snapshot,
        Timestamp::from_unix_seconds(now),
    );
    prop_assert!(skipped.is_empty(), "skipped {skipped:?}");
    let again = json::to_vec(&copy.snapshot());
    prop_assert_eq!(
        String::from_utf8_lossy(&again),
        String::from_utf8_lossy(&bytes),
        "save -> load -> save is not byte-identical"
    );
    Ok(copy)
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn save_load_save_is_identical_and_the_copy_behaves_the_same(
        before in proptest::collection::vec(op(), 1..40),
        after in proptest::collection::vec(op(), 0..30),
    ) {
        let mut now = T0;
        let mut jar = CookieJar::with_policy(small_limits());
        for op in &before {
            apply(&mut jar, op, &mut now);
        }
        let mut copy = round_trip(&jar, now)?;
        prop_assert_eq!(answers(&copy, now), answers(&jar, now));
        // The same future on both: the same sets, the same evictions, the same headers.
        let mut now_copy = now;
        for op in &after {
            apply(&mut jar, op, &mut now);
            apply(&mut copy, op, &mut now_copy);
        }
        prop_assert_eq!(answers(&copy, now), answers(&jar, now));
        prop_assert_eq!(json::to_vec(&copy.snapshot()), json::to_vec(&jar.snapshot()));
    }
}

fn sample() -> Vec<u8> {
    let now = Timestamp::from_unix_seconds(T0);
    let u = Url::parse("https://www.example.com/").unwrap();
    let mut jar = CookieJar::new();
    jar.set_cookie(
        "a=1; Domain=example.com",
        &RequestContext::navigation(&u),
        now,
    )
    .unwrap();
    json::to_vec(&jar.snapshot())
}

#[test]
fn the_file_names_its_format_and_version() {
    let v: serde_json::Value = serde_json::from_slice(&sample()).unwrap();
    assert_eq!(v["format"], "cookiejar");
    assert_eq!(v["version"], 1);
    assert_eq!(v["cookies"][0]["creation"], T0 * 1_000_000);
    assert_eq!(v["cookies"][0]["same_site"], "Unspecified");
    assert_eq!(v["cookies"][0]["host_only"], false);
}

#[test]
fn an_unknown_version_or_format_is_a_clear_error() {
    let s = String::from_utf8(sample()).unwrap();
    let newer = s.replace("\"version\": 1", "\"version\": 2");
    assert_eq!(
        json::from_slice(newer.as_bytes()).unwrap_err(),
        FormatError::UnsupportedVersion(2)
    );
    assert_eq!(
        json::read(newer.as_bytes()).unwrap_err(),
        FormatError::UnsupportedVersion(2)
    );
    let other = s.replace("\"cookiejar\"", "\"something-else\"");
    assert_eq!(
        json::from_slice(other.as_bytes()).unwrap_err(),
        FormatError::UnknownFormat("something-else".into())
    );
    assert!(json::from_slice(b"[]").is_err());
}

#[test]
fn truncated_or_garbage_files_are_errors() {
    let s = sample();
    for cut in [0, 1, s.len() / 2, s.len() - 3] {
        match json::from_slice(&s[..cut]) {
            Err(FormatError::Json(_)) => {}
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
    assert!(matches!(
        json::from_slice(&[0xff, 0xfe, 0]),
        Err(FormatError::Json(_))
    ));
}

#[test]
fn a_value_that_is_not_utf8_survives() {
    let now = Timestamp::from_unix_seconds(T0);
    let mut jar = CookieJar::new();
    let c = Cookie::builder("b", vec![0xff, b'x', 0x80], "example.com")
        .creation(now)
        .build()
        .unwrap();
    jar.insert(c, now).unwrap();
    let bytes = json::to_vec(&jar.snapshot());
    let (snap, refused) = json::from_slice(&bytes).unwrap();
    assert!(refused.is_empty());
    assert_eq!(snap.cookies[0].value(), &[0xff, b'x', 0x80]);
}

#[test]
fn a_record_the_gate_refuses_is_reported_with_its_index_and_the_rest_load() {
    let s = String::from_utf8(sample()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&s).unwrap();
    let good = v["cookies"][0].clone();
    let mut bad = good.clone();
    bad["name"] = "__Host-x".into(); // a domain cookie cannot carry __Host-
    let mut shapeless = good.clone();
    shapeless["secure"] = "yes".into();
    v["cookies"] = serde_json::json!([bad, good, shapeless, 7]);
    let (snap, refused) = json::from_slice(v.to_string().as_bytes()).unwrap();
    assert_eq!(snap.cookies.len(), 1);
    let got: Vec<_> = refused
        .iter()
        .map(|r| (r.location, r.error.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Location::Index(0),
                RecordError::NotCanonical(NotCanonical::Prefix)
            ),
            (
                Location::Index(2),
                RecordError::Malformed(Malformed::BadField("secure"))
            ),
            (
                Location::Index(3),
                RecordError::Malformed(Malformed::NotAnObject)
            ),
        ]
    );
}

#[test]
fn import_of_a_bare_array_refuses_a_public_suffix_domain() {
    let now = Timestamp::from_unix_seconds(T0);
    let good = Cookie::builder("a", "1", "foo.co.uk")
        .creation(now)
        .build()
        .unwrap();
    // Created later, so the file lists it second.
    let later = now.plus_seconds(1);
    let suffix = Cookie::builder("b", "2", "co.uk")
        .host_only(false)
        .creation(later)
        .last_access(later)
        .build()
        .unwrap();
    let bytes = json::cookies_to_vec([&good, &suffix]);
    let records = json::read(&bytes).unwrap();
    let mut jar = CookieJar::new();
    let report = jar.import(records, now);
    assert_eq!(report.imported, 1);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].location, Location::Index(1));
    assert_eq!(report.refused[0].name.as_deref(), Some("b"));
    assert!(matches!(report.refused[0].error, RecordError::Rejected(_)));
    assert_eq!(report.to_string(), "1 imported, 1 refused");
}

#[test]
fn write_atomic_replaces_the_file_and_leaves_no_temporary_behind() {
    let dir = std::env::temp_dir().join(format!("cookiejar-atomic-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("jar.json");
    cookiejar::persist::write_atomic(&path, b"old").unwrap();
    cookiejar::persist::write_atomic(&path, b"new").unwrap();
    assert_eq!(std::fs::read(&path).unwrap(), b"new");
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("jar.json")]);
    // A failed save (the target is a directory, so the rename fails) leaves the old file.
    let blocked = dir.join("sub");
    std::fs::create_dir_all(blocked.join("x")).unwrap();
    assert!(cookiejar::persist::write_atomic(&blocked, b"new").is_err());
    assert!(blocked.join("x").is_dir());
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_shared_jar_saves_and_restores_the_same_file() {
    let mut now = T0;
    let mut jar = CookieJar::with_policy(small_limits());
    let mut rng = 7u64;
    for _ in 0..200 {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = (rng >> 33) as usize;
        let op = Op::Set {
            https: r % 2 == 0,
            host: r % HOSTS.len(),
            path: (r / 7) % PATHS.len(),
            name: (r / 11) % NAMES.len(),
            value: (r / 13) % VALUES.len(),
            attrs: vec![(r / 17) % ATTRS.len(), (r / 19) % ATTRS.len()],
            third_party: r % 5 == 0,
        };
        apply(&mut jar, &op, &mut now);
    }
    assert!(
        jar.len() >= 6,
        "a workload this small proves little: {}",
        jar.len()
    );
    let bytes = json::to_vec(&jar.snapshot());
    let (snapshot, _) = json::from_slice(&bytes).unwrap();
    let t = Timestamp::from_unix_seconds(now);
    let (shared, skipped) = cookiejar::SharedJar::restore(small_limits(), snapshot, t);
    assert!(skipped.is_empty());
    assert_eq!(json::to_vec(&shared.snapshot()), bytes);
    for https in [false, true] {
        for host in 0..HOSTS.len() {
            for path in 0..PATHS.len() {
                let u = url(https, host, path);
                let ctx = RequestContext::navigation(&u);
                assert_eq!(
                    shared.cookie_header(&ctx, t),
                    jar.cookie_header(&ctx, t),
                    "{u}"
                );
            }
        }
    }
}

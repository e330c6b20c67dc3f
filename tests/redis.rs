//! `RedisJar` against a real `redis-server` on loopback (started by each test in a temporary
//! directory): the same answers and rejections as the in-memory jar, the key layout, binary
//! names, damaged fields, lazy last access, the per-site-only limit, the sweeps, and what
//! happens when the server goes away and comes back.

#[path = "common/redis_server.rs"]
mod redis_server;
#[path = "common/redis_workload.rs"]
mod workload;

use cookiejar::persist::redis::{
    decode_cookie, identity_field, RedisError, RedisJar, RedisOptions, SetError,
};
use cookiejar::{Cookie, CookieId, CookieJar, Policy, Rejection, RequestContext, Timestamp, Url};
use redis_server::RedisServer;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use workload::{run_mem, run_redis, workload, T0};

fn at(s: i64) -> Timestamp {
    Timestamp::from_unix_seconds(T0 + s)
}

fn open(server: &RedisServer, ns: &str, policy: Policy) -> RedisJar {
    RedisJar::open(
        &server.url(),
        RedisOptions::default().namespace(ns).policy(policy),
    )
    .unwrap_or_else(|e| panic!("open {}: {e}", server.url()))
}

fn raw(server: &RedisServer) -> redis::Connection {
    redis::Client::open(server.url())
        .unwrap()
        .get_connection()
        .unwrap()
}

/// One process, one Redis jar, one in-memory jar, the same workload: every answer equal, in
/// each profile.
#[test]
fn every_answer_as_in_memory_in_each_profile() {
    let server = RedisServer::start("answers");
    for (ns, policy) in [
        ("standard", Policy::standard()),
        ("chromium", Policy::chromium()),
        ("firefox", Policy::firefox()),
    ] {
        let jar = open(&server, ns, policy.clone());
        let mut mem = CookieJar::with_policy(policy);
        let steps = workload(0x5eed ^ ns.len() as u64, 12, 1500);
        let mut rejected = std::collections::BTreeSet::new();
        for (i, step) in steps.iter().enumerate() {
            let want = run_mem(&mut mem, step);
            let got = run_redis(&jar, step);
            assert_eq!(got, want, "{ns}: step {i}: {step:?}");
            if want.starts_with("Err(") {
                rejected.insert(want);
            }
        }
        // The workload exercises refusals, not only stores.
        assert!(rejected.len() >= 4, "{ns}: only {rejected:?}");
        assert!(mem.len() < mem.policy().max_cookies);
        // And the whole jar, site by site.
        for s in 0..12 {
            let host = workload::site_domain(s);
            let m: Vec<String> = mem
                .site_cookies(&host, at(10_000))
                .map(workload::show)
                .collect();
            let r: Vec<String> = jar
                .site_cookies(&host, at(10_000))
                .unwrap()
                .iter()
                .map(workload::show)
                .collect();
            assert_eq!(r, m, "{ns}: site {host}");
        }
    }
}

/// The key layout of the documentation: three hash-tagged keys per site, the identity field,
/// the access hash and the generation.
#[test]
fn key_layout_and_generation() {
    let server = RedisServer::start("layout");
    let jar = open(&server, "crawl-1", Policy::standard());
    let url = Url::parse("https://www.example.co.uk/").unwrap();
    let ctx = RequestContext::navigation(&url);
    let (_, g1) = jar
        .set_cookie_with("a=1; Domain=example.co.uk", &ctx, at(0), &mut ())
        .unwrap();
    let (_, g2) = jar.set_cookie_with("b=2", &ctx, at(1), &mut ()).unwrap();
    assert_eq!((g1, g2), (1, 2));
    let mut r = raw(&server);
    let mut keys: Vec<String> = redis::cmd("KEYS").arg("*").query(&mut r).unwrap();
    keys.sort();
    assert_eq!(
        keys,
        [
            "crawl-1:{example.co.uk}:a",
            "crawl-1:{example.co.uk}:c",
            "crawl-1:{example.co.uk}:m"
        ]
    );
    let id = CookieId::new("b", "www.example.co.uk", "/");
    let v: Vec<u8> = redis::cmd("HGET")
        .arg("crawl-1:{example.co.uk}:c")
        .arg(identity_field(&id))
        .query(&mut r)
        .unwrap();
    let c = decode_cookie(&v, None).unwrap();
    assert_eq!((c.name(), c.value()), (&b"b"[..], &b"2"[..]));
    let gen: i64 = redis::cmd("HGET")
        .arg("crawl-1:{example.co.uk}:m")
        .arg("gen")
        .query(&mut r)
        .unwrap();
    assert_eq!(gen, 2);
    assert_eq!(jar.sites().unwrap(), ["example.co.uk"]);
    // A refused set writes nothing.
    let e = jar
        .set_cookie("x=1; Domain=co.uk", &ctx, at(2))
        .unwrap_err();
    assert!(
        matches!(e, SetError::Rejected(Rejection::PublicSuffixDomain)),
        "{e:?}"
    );
    let gen: i64 = redis::cmd("HGET")
        .arg("crawl-1:{example.co.uk}:m")
        .arg("gen")
        .query(&mut r)
        .unwrap();
    assert_eq!(gen, 2);
    assert!(matches!(
        RedisJar::open(&server.url(), RedisOptions::default().namespace("a{b}")),
        Err(RedisError::BadNamespace(_))
    ));
}

/// Lookups refresh last access lazily (once per 60 s per cookie, into the access hash) and never
/// bump the generation; eviction then follows the refreshed times, as in memory.
#[test]
fn last_access_is_lazy_and_leaves_the_generation_alone() {
    let server = RedisServer::start("access");
    let jar = open(&server, "acc", Policy::standard());
    let url = Url::parse("https://example.com/").unwrap();
    let ctx = RequestContext::navigation(&url);
    jar.set_cookie("a=1", &ctx, at(0)).unwrap();
    let mut r = raw(&server);
    let field = identity_field(&CookieId::new("a", "example.com", "/"));
    let access = |r: &mut redis::Connection| -> i64 {
        let s: String = redis::cmd("HGET")
            .arg("acc:{example.com}:a")
            .arg(&field)
            .query(r)
            .unwrap();
        s.parse().unwrap()
    };
    let gen = |r: &mut redis::Connection| -> i64 {
        redis::cmd("HGET")
            .arg("acc:{example.com}:m")
            .arg("gen")
            .query(r)
            .unwrap()
    };
    assert_eq!(access(&mut r), at(0).unix_micros());
    for s in [10, 30, 59] {
        assert_eq!(
            jar.cookie_header(&ctx, at(s)).unwrap().as_deref(),
            Some("a=1")
        );
        assert_eq!(access(&mut r), at(0).unix_micros(), "within 60 s: no write");
    }
    jar.cookie_header(&ctx, at(60)).unwrap();
    assert_eq!(access(&mut r), at(60).unix_micros());
    assert_eq!(gen(&mut r), 1, "reads never bump the generation");
    let got = jar
        .get(&CookieId::new("a", "example.com", "/"))
        .unwrap()
        .unwrap();
    assert_eq!(got.last_access(), at(60));
}

/// Names and values are bytes: non-UTF-8 survives the field encoding and the header.
#[test]
fn binary_names_and_values() {
    let server = RedisServer::start("binary");
    let jar = open(&server, "bin", Policy::standard());
    let mut mem = CookieJar::new();
    let url = Url::parse("https://example.com/").unwrap();
    let ctx = RequestContext::navigation(&url);
    let line: &[u8] = b"n\xff\xfe=v\x80\xc3(";
    assert_eq!(
        jar.set_cookie(line, &ctx, at(0)).unwrap(),
        mem.set_cookie(line, &ctx, at(0)).unwrap()
    );
    assert_eq!(
        jar.cookie_header_bytes(&ctx, at(1)).unwrap(),
        mem.cookie_header_bytes(&ctx, at(1))
    );
    assert_eq!(
        jar.cookie_header_bytes(&ctx, at(1)).unwrap().unwrap(),
        b"n\xff\xfe=v\x80\xc3("
    );
}

/// A damaged or misplaced field is never sent and never changed: it is skipped, counted, and
/// left for whoever can read it; the site's other cookies work on.
#[test]
fn damaged_fields_are_skipped_and_kept() {
    let server = RedisServer::start("damaged");
    let jar = open(&server, "dmg", Policy::standard());
    let url = Url::parse("https://example.com/").unwrap();
    let ctx = RequestContext::navigation(&url);
    jar.set_cookie("ok=1", &ctx, at(0)).unwrap();
    let mut r = raw(&server);
    let key = "dmg:{example.com}:c";
    // Garbage, a cookie with a control byte in its value (fails the gate), and a valid cookie
    // of another site planted in this site's hash.
    let other = Cookie::builder("evil", "1", "attacker.test")
        .build()
        .unwrap();
    let mut bad_gate = cookiejar::persist::redis::encode_cookie(
        &Cookie::builder("g", "1", "example.com").build().unwrap(),
    );
    // The value's one byte sits before the domain (4 + 11 bytes) and the path (4 + 1).
    let at_value = bad_gate.len() - (1 + 4 + 11 + 4 + 1);
    bad_gate[at_value] = 0x01; // the value "1" becomes a control byte
    let planted: [(&[u8], Vec<u8>); 3] = [
        (b"junk", vec![1, 2, 3]),
        (b"gate", bad_gate),
        (b"evil", cookiejar::persist::redis::encode_cookie(&other)),
    ];
    for (f, v) in &planted {
        let _: i64 = redis::cmd("HSET")
            .arg(key)
            .arg(*f)
            .arg(v)
            .query(&mut r)
            .unwrap();
    }
    assert_eq!(
        jar.cookie_header(&ctx, at(1)).unwrap().as_deref(),
        Some("ok=1")
    );
    assert_eq!(jar.refused_fields(), 3);
    jar.set_cookie("ok=2", &ctx, at(2)).unwrap();
    jar.remove_expired(at(100_000)).unwrap();
    for (f, v) in &planted {
        let kept: Vec<u8> = redis::cmd("HGET").arg(key).arg(*f).query(&mut r).unwrap();
        assert_eq!(&kept, v, "field {:?} changed", String::from_utf8_lossy(f));
    }
    assert_eq!(
        jar.cookie_header(&ctx, at(3)).unwrap().as_deref(),
        Some("ok=2")
    );
}

/// The documented choice: per-site limits hold across the fleet, the jar-wide limit does not
/// (no global purge); the in-memory jar with the same small global limit purges.
#[test]
fn per_site_limits_only() {
    let server = RedisServer::start("global");
    let mut policy = Policy::standard();
    policy.max_cookies = 20;
    policy.purge_to = 10;
    policy.safe_from_global_purge_seconds = 0;
    let jar = open(&server, "glob", policy.clone());
    let mut mem = CookieJar::with_policy(policy.clone());
    for s in 0..30 {
        let url = Url::parse(&format!("https://s{s}.example/")).unwrap();
        let ctx = RequestContext::navigation(&url);
        jar.set_cookie("a=1", &ctx, at(s)).unwrap();
        mem.set_cookie("a=1", &ctx, at(s)).unwrap();
    }
    assert!(mem.len() <= 20, "the in-memory jar purges: {}", mem.len());
    assert_eq!(
        jar.sites().unwrap().len(),
        30,
        "the Redis jar keeps every site"
    );
    // The per-site limit holds.
    let url = Url::parse("https://big.example/").unwrap();
    let ctx = RequestContext::navigation(&url);
    for i in 0..(policy.max_cookies_per_site + 20) {
        jar.set_cookie(format!("c{i}=1"), &ctx, at(100 + i as i64))
            .unwrap();
    }
    let n = jar.site_cookies("big.example", at(1000)).unwrap().len();
    assert!(n <= policy.max_cookies_per_site, "{n}");
}

/// The sweep removes expired cookies everywhere; the end of a session removes session
/// cookies everywhere; `clear` removes everything.
#[test]
fn sweep_end_session_clear() {
    let server = RedisServer::start("sweep");
    let jar = open(&server, "sw", Policy::standard());
    for s in 0..5 {
        let url = Url::parse(&format!("https://s{s}.example/")).unwrap();
        let ctx = RequestContext::navigation(&url);
        jar.set_cookie("short=1; Max-Age=10", &ctx, at(0)).unwrap();
        jar.set_cookie("long=1; Max-Age=100000", &ctx, at(0))
            .unwrap();
        jar.set_cookie("session=1", &ctx, at(0)).unwrap();
    }
    assert_eq!(jar.remove_expired(at(20)).unwrap(), 5);
    assert_eq!(jar.end_session().unwrap(), 5);
    let left = jar.site_cookies("s3.example", at(20)).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].name(), b"long");
    assert_eq!(jar.clear().unwrap(), 5);
    assert!(jar.sites().unwrap().is_empty());
}

/// The server goes away: typed errors, no panic; the HTTP-client store sends nothing and
/// reports through the counter and the hook; the server comes back (AOF): the jar reconnects
/// and everything acknowledged is there.
#[test]
fn server_down_and_back() {
    let mut server = RedisServer::start("down");
    let seen = Arc::new(AtomicUsize::new(0));
    let hook = Arc::clone(&seen);
    let jar = RedisJar::open(
        &server.url(),
        RedisOptions::default()
            .namespace("down")
            .timeout(Duration::from_millis(300)),
    )
    .unwrap()
    .on_error(move |e| {
        assert!(matches!(e, RedisError::Unreachable(_)), "{e}");
        hook.fetch_add(1, Ordering::Relaxed);
    });
    let url = Url::parse("https://example.com/").unwrap();
    let ctx = RequestContext::navigation(&url);
    jar.set_cookie("sid=1", &ctx, at(0)).unwrap();
    server.kill();
    match jar.set_cookie("sid=2", &ctx, at(1)) {
        Err(SetError::Redis(RedisError::Unreachable(_))) => {}
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        jar.cookie_header(&ctx, at(1)),
        Err(RedisError::Unreachable(_))
    ));
    {
        use reqwest::cookie::CookieStore;
        assert_eq!(jar.cookies(&url), None);
        let v = reqwest::header::HeaderValue::from_static("x=1");
        jar.set_cookies(&mut std::iter::once(&v), &url);
    }
    {
        // The HTTP clients' handle (reqwest's Client, ureq, tower): no header and nothing
        // half-written into the caller's buffer, the error counted.
        use cookiejar::client::JarHandle;
        let mut out = b"kept".to_vec();
        assert_eq!(jar.append_cookie_header(&ctx, at(1), &mut out), 0);
        assert_eq!(out, b"kept");
        jar.store_set_cookie(b"y=1", &ctx, at(1));
    }
    assert_eq!(jar.errors(), 4);
    assert_eq!(seen.load(Ordering::Relaxed), 4);
    server.restart();
    assert_eq!(
        jar.cookie_header(&ctx, at(2)).unwrap().as_deref(),
        Some("sid=1")
    );
    jar.set_cookie("sid=3", &ctx, at(3)).unwrap();
    {
        use cookiejar::client::JarHandle;
        let mut out = Vec::new();
        assert_eq!(jar.append_cookie_header(&ctx, at(3), &mut out), 1);
        assert_eq!(out, b"sid=3");
    }
    {
        use reqwest::cookie::CookieStore;
        assert_eq!(
            jar.cookies(&url).map(|v| v.to_str().unwrap().to_owned()),
            Some("sid=3".to_owned())
        );
    }
}

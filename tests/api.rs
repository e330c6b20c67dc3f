//! The jar API beyond `Set-Cookie`: building cookies through the canonical gate, insert, get,
//! remove, site listings, the change record with each cause, snapshots, warnings and the
//! `Display` of outcomes; every jar-level test runs through `CookieJar` and `SharedJar`.

mod common;

use common::{at, now, u, DAY};
use cookiejar::{
    Change, ChangeLog, ChangeSink, Cookie, CookieId, CookieJar, JarSnapshot, NotCanonical,
    OwnedChange, Policy, Priority, Profile, Rejection, RemovalCause, RequestContext, SameSite,
    SetOutcome, SharedJar, Stored, Timestamp, Warning,
};

/// What the tests ask of both jars.
trait Jar {
    fn make(policy: Policy) -> Self;
    fn set(
        &mut self,
        url: &str,
        line: &str,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<Stored, Rejection>;
    fn header(&self, url: &str, t: Timestamp, sink: &mut ChangeLog) -> Option<String>;
    fn insert(
        &mut self,
        c: Cookie,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<SetOutcome, Rejection>;
    fn get(&self, id: &CookieId) -> Option<Cookie>;
    fn remove(&mut self, id: &CookieId, sink: &mut ChangeLog) -> Option<Cookie>;
    fn site(&self, host: &str, t: Timestamp) -> Vec<Cookie>;
    fn end_session(&mut self, sink: &mut ChangeLog);
    fn remove_expired(&mut self, t: Timestamp, sink: &mut ChangeLog);
    fn clear(&mut self, sink: &mut ChangeLog);
    fn len(&self) -> usize;
    fn snapshot(&self) -> JarSnapshot;
    fn restore(policy: Policy, s: JarSnapshot, t: Timestamp) -> Self;
}

impl Jar for CookieJar {
    fn make(policy: Policy) -> Self {
        CookieJar::with_policy(policy)
    }
    fn set(
        &mut self,
        url: &str,
        line: &str,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<Stored, Rejection> {
        let url = u(url);
        self.set_cookie_with(line, &RequestContext::navigation(&url), t, sink)
    }
    fn header(&self, url: &str, t: Timestamp, sink: &mut ChangeLog) -> Option<String> {
        let url = u(url);
        let mut out = Vec::new();
        (self.write_cookie_header_with(&RequestContext::navigation(&url), t, &mut out, sink) > 0)
            .then(|| String::from_utf8(out).unwrap())
    }
    fn insert(
        &mut self,
        c: Cookie,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<SetOutcome, Rejection> {
        self.insert_with(c, t, sink)
    }
    fn get(&self, id: &CookieId) -> Option<Cookie> {
        CookieJar::get(self, id).cloned()
    }
    fn remove(&mut self, id: &CookieId, sink: &mut ChangeLog) -> Option<Cookie> {
        self.remove_with(id, sink)
    }
    fn site(&self, host: &str, t: Timestamp) -> Vec<Cookie> {
        self.site_cookies(host, t).cloned().collect()
    }
    fn end_session(&mut self, sink: &mut ChangeLog) {
        self.end_session_with(sink)
    }
    fn remove_expired(&mut self, t: Timestamp, sink: &mut ChangeLog) {
        self.remove_expired_with(t, sink)
    }
    fn clear(&mut self, sink: &mut ChangeLog) {
        self.clear_with(sink)
    }
    fn len(&self) -> usize {
        CookieJar::len(self)
    }
    fn snapshot(&self) -> JarSnapshot {
        CookieJar::snapshot(self)
    }
    fn restore(policy: Policy, s: JarSnapshot, t: Timestamp) -> Self {
        let (jar, skipped) = CookieJar::restore(policy, s, t);
        assert!(skipped.is_empty());
        jar
    }
}

impl Jar for SharedJar {
    fn make(policy: Policy) -> Self {
        SharedJar::with_policy(policy)
    }
    fn set(
        &mut self,
        url: &str,
        line: &str,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<Stored, Rejection> {
        let url = u(url);
        self.set_cookie_with(line, &RequestContext::navigation(&url), t, sink)
    }
    fn header(&self, url: &str, t: Timestamp, sink: &mut ChangeLog) -> Option<String> {
        let url = u(url);
        let mut out = Vec::new();
        (self.write_cookie_header_with(&RequestContext::navigation(&url), t, &mut out, sink) > 0)
            .then(|| String::from_utf8(out).unwrap())
    }
    fn insert(
        &mut self,
        c: Cookie,
        t: Timestamp,
        sink: &mut ChangeLog,
    ) -> Result<SetOutcome, Rejection> {
        self.insert_with(c, t, sink)
    }
    fn get(&self, id: &CookieId) -> Option<Cookie> {
        SharedJar::get(self, id)
    }
    fn remove(&mut self, id: &CookieId, sink: &mut ChangeLog) -> Option<Cookie> {
        self.remove_with(id, sink)
    }
    fn site(&self, host: &str, t: Timestamp) -> Vec<Cookie> {
        self.site_cookies(host, t)
    }
    fn end_session(&mut self, sink: &mut ChangeLog) {
        self.end_session_with(sink)
    }
    fn remove_expired(&mut self, t: Timestamp, sink: &mut ChangeLog) {
        self.remove_expired_with(t, sink)
    }
    fn clear(&mut self, sink: &mut ChangeLog) {
        self.clear_with(sink)
    }
    fn len(&self) -> usize {
        SharedJar::len(self)
    }
    fn snapshot(&self) -> JarSnapshot {
        SharedJar::snapshot(self)
    }
    fn restore(policy: Policy, s: JarSnapshot, t: Timestamp) -> Self {
        let (jar, skipped) = SharedJar::restore(policy, s, t);
        assert!(skipped.is_empty());
        jar
    }
}

/// Runs a test body through both jars.
macro_rules! both {
    ($name:ident, $body:ident) => {
        mod $name {
            #[test]
            fn cookie_jar() {
                super::$body::<cookiejar::CookieJar>();
            }
            #[test]
            fn shared_jar() {
                super::$body::<cookiejar::SharedJar>();
            }
        }
    };
}

fn log() -> ChangeLog {
    ChangeLog::default()
}

fn removed_causes(log: &ChangeLog) -> Vec<(String, RemovalCause)> {
    log.changes
        .iter()
        .filter_map(|c| match c {
            OwnedChange::Removed { cookie, cause } => {
                Some((cookie.name_str().into_owned(), *cause))
            }
            _ => None,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// insert, get, remove

fn insert_get_remove<J: Jar>() {
    let mut jar = J::make(Policy::standard());
    let mut l = log();
    let t = now();
    // A __Host- cookie, a Domain cookie and a partitioned one, each set the usual way.
    jar.set(
        "https://www.example.com/",
        "__Host-sid=1; Secure; Path=/",
        t,
        &mut l,
    )
    .unwrap();
    jar.set(
        "https://www.example.com/",
        "lang=en; Domain=example.com; Path=/",
        t,
        &mut l,
    )
    .unwrap();
    assert_eq!(jar.len(), 2);

    let host = CookieId::new("__Host-sid", "www.example.com", "/");
    let domain = CookieId::new("lang", "example.com", "/").domain_cookie();
    assert_eq!(jar.get(&host).unwrap().value(), b"1");
    assert_eq!(jar.get(&domain).unwrap().value(), b"en");
    // The identity includes host-only: the host-only twin of a Domain cookie is another cookie.
    assert!(jar
        .get(&CookieId::new("lang", "example.com", "/"))
        .is_none());
    assert_eq!(jar.site("api.example.com", t).len(), 2);
    assert_eq!(jar.site("other.example", t).len(), 0);

    let gone = jar.remove(&host, &mut l).unwrap();
    assert_eq!(gone.name(), b"__Host-sid");
    assert!(jar.remove(&host, &mut l).is_none(), "removed once");
    assert_eq!(
        jar.header("https://www.example.com/", t, &mut log())
            .as_deref(),
        Some("lang=en")
    );
    jar.remove(&domain, &mut l).unwrap();
    assert_eq!(jar.len(), 0);
    assert_eq!(
        removed_causes(&l),
        [
            ("__Host-sid".to_owned(), RemovalCause::Explicit),
            ("lang".to_owned(), RemovalCause::Explicit)
        ]
    );
}
both!(insert_get_remove_by_identity, insert_get_remove);

fn partitioned_remove<J: Jar>() {
    let mut jar = J::make(Policy::standard());
    let t = now();
    let c = Cookie::builder("p", "1", "widget.example")
        .secure(true)
        .same_site(SameSite::None)
        .partition(Some("https://news.example".to_owned()), true)
        .creation(t)
        .build()
        .unwrap();
    assert_eq!(jar.insert(c, t, &mut log()), Ok(SetOutcome::Inserted));
    let unpartitioned = CookieId::new("p", "widget.example", "/");
    assert!(
        jar.get(&unpartitioned).is_none(),
        "the partition is part of the identity"
    );
    let id = unpartitioned.partitioned("https://news.example");
    assert!(jar.get(&id).unwrap().partitioned_attribute());
    assert!(jar.remove(&id, &mut log()).is_some());
    assert_eq!(jar.len(), 0);
}
both!(remove_a_partitioned_cookie, partitioned_remove);

fn insert_keeps_times<J: Jar>() {
    let mut jar = J::make(Policy::standard());
    let created = now().plus_seconds(-10 * DAY);
    let used = now().plus_seconds(-DAY);
    let c = Cookie::builder("a", "1", "example.com")
        .host_only(false)
        .path("/app")
        .expires(Some(at(DAY)))
        .priority(Priority::High)
        .creation(created)
        .last_access(used)
        .build()
        .unwrap();
    let mut l = log();
    assert_eq!(jar.insert(c, now(), &mut l), Ok(SetOutcome::Inserted));
    let got = jar
        .get(&CookieId::new("a", "example.com", "/app").domain_cookie())
        .unwrap();
    assert_eq!((got.creation(), got.last_access()), (created, used));
    assert!(matches!(l.changes.as_slice(), [OwnedChange::Added(c)] if c.name() == b"a"));
    // Sent to a subdomain, on the path.
    assert_eq!(
        jar.header("https://www.example.com/app/x", now(), &mut log())
            .as_deref(),
        Some("a=1")
    );
    // A cookie set later sorts after it (creation times stay increasing).
    jar.set(
        "https://www.example.com/app/x",
        "b=2; Path=/app",
        now(),
        &mut log(),
    )
    .unwrap();
    assert_eq!(
        jar.header("https://www.example.com/app/x", now(), &mut log())
            .as_deref(),
        Some("a=1; b=2")
    );
    // Inserting the same identity replaces; an expired one deletes.
    let newer = Cookie::builder("a", "2", "example.com")
        .host_only(false)
        .path("/app")
        .creation(now())
        .build()
        .unwrap();
    assert_eq!(
        jar.insert(newer, now(), &mut log()),
        Ok(SetOutcome::Replaced)
    );
    let dead = Cookie::builder("a", "3", "example.com")
        .host_only(false)
        .path("/app")
        .expires(Some(at(-1)))
        .creation(at(-2))
        .build()
        .unwrap();
    let mut l = log();
    assert_eq!(jar.insert(dead, now(), &mut l), Ok(SetOutcome::Deleted));
    assert_eq!(
        removed_causes(&l),
        [("a".to_owned(), RemovalCause::Overwritten)]
    );
}
both!(insert_keeps_creation_and_last_access, insert_keeps_times);

fn insert_refuses_public_suffix<J: Jar>() {
    let mut jar = J::make(Policy::standard());
    let c = Cookie::builder("a", "1", "co.uk")
        .host_only(false)
        .build()
        .unwrap();
    assert_eq!(
        jar.insert(c, now(), &mut log()),
        Err(Rejection::PublicSuffixDomainCookie)
    );
    // Host-only on a public-suffix host is what admission stores too.
    let c = Cookie::builder("a", "1", "co.uk").build().unwrap();
    assert_eq!(jar.insert(c, now(), &mut log()), Ok(SetOutcome::Inserted));
}
both!(
    insert_refuses_a_domain_cookie_on_a_public_suffix,
    insert_refuses_public_suffix
);

fn insert_evicts<J: Jar>() {
    let mut policy = Policy::chromium();
    policy.max_cookies_per_site = 3;
    policy.purge_site_to = 2;
    policy.priority_quotas = [0, 0, 0];
    let mut jar = J::make(policy);
    let mut l = log();
    for (i, name) in ["a", "b", "c", "d"].iter().enumerate() {
        let t = now().plus_seconds(i as i64);
        let c = Cookie::builder(*name, "1", "example.com")
            .creation(t)
            .build()
            .unwrap();
        jar.insert(c, t, &mut l).unwrap();
    }
    assert_eq!(jar.len(), 2, "the bucket rules hold for imports too");
    assert_eq!(
        removed_causes(&l),
        [
            ("a".to_owned(), RemovalCause::Evicted),
            ("b".to_owned(), RemovalCause::Evicted)
        ]
    );
}
both!(insert_goes_through_eviction, insert_evicts);

// ---------------------------------------------------------------------------------------------
// The change record: each cause

fn change_record<J: Jar>() {
    let mut jar = J::make(Policy::standard());
    let url = "https://example.com/";
    // Added, then Replaced.
    let mut l = log();
    jar.set(url, "a=1; Max-Age=100", now(), &mut l).unwrap();
    jar.set(url, "a=2; Max-Age=100", now(), &mut l).unwrap();
    match l.changes.as_slice() {
        [OwnedChange::Added(a), OwnedChange::Replaced { old, new }] => {
            assert_eq!(
                (a.value(), old.value(), new.value()),
                (&b"1"[..], &b"1"[..], &b"2"[..])
            );
        }
        other => panic!("{other:?}"),
    }
    // Overwritten: an expired Set-Cookie deletes.
    let mut l = log();
    assert_eq!(
        jar.set(url, "a=; Max-Age=0", now(), &mut l)
            .map(|s| s.outcome),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(
        removed_causes(&l),
        [("a".to_owned(), RemovalCause::Overwritten)]
    );
    // Expired: swept when the site is next touched (Chromium sweeps on every set).
    jar.set(url, "b=1; Max-Age=10", now(), &mut log()).unwrap();
    let mut l = log();
    jar.set(url, "c=1", at(20), &mut l).unwrap();
    assert_eq!(
        removed_causes(&l),
        [("b".to_owned(), RemovalCause::Expired)]
    );
    // Accessed: a lookup refreshes last access at most once a minute, and says so.
    let mut l = log();
    assert_eq!(jar.header(url, at(100), &mut l).as_deref(), Some("c=1"));
    assert_eq!(jar.header(url, at(110), &mut l).as_deref(), Some("c=1"));
    assert!(matches!(l.changes.as_slice(), [OwnedChange::Accessed { at: t, .. }] if *t == at(100)));
    // EndOfSession.
    jar.set(url, "d=1; Max-Age=1000", at(100), &mut log())
        .unwrap();
    let mut l = log();
    jar.end_session(&mut l);
    assert_eq!(
        removed_causes(&l),
        [("c".to_owned(), RemovalCause::EndOfSession)]
    );
    // remove_expired.
    let mut l = log();
    jar.remove_expired(at(2000), &mut l);
    assert_eq!(
        removed_causes(&l),
        [("d".to_owned(), RemovalCause::Expired)]
    );
    // Explicit: clear.
    jar.set(url, "e=1", at(2000), &mut log()).unwrap();
    let mut l = log();
    jar.clear(&mut l);
    assert_eq!(
        removed_causes(&l),
        [("e".to_owned(), RemovalCause::Explicit)]
    );
    assert_eq!(jar.len(), 0);
}
both!(change_record_reports_each_cause, change_record);

fn eviction_record<J: Jar>() {
    let mut policy = Policy::standard();
    policy.max_cookies_per_site = 2;
    policy.purge_site_to = 1;
    policy.priority_quotas = [0, 0, 0];
    let mut jar = J::make(policy);
    let mut l = log();
    for (i, n) in ["x", "y", "z"].iter().enumerate() {
        jar.set(
            "https://example.com/",
            &format!("{n}=1"),
            at(i as i64),
            &mut l,
        )
        .unwrap();
    }
    assert_eq!(
        removed_causes(&l),
        [
            ("x".to_owned(), RemovalCause::Evicted),
            ("y".to_owned(), RemovalCause::Evicted)
        ]
    );
    // The evicted cookies were reported added first: a persister replaying the record ends
    // with exactly what the jar holds.
    let mut held: Vec<String> = Vec::new();
    for c in &l.changes {
        match c {
            OwnedChange::Added(c) => held.push(c.name_str().into_owned()),
            OwnedChange::Removed { cookie, .. } => held.retain(|n| *n != cookie.name_str()),
            _ => {}
        }
    }
    assert_eq!(held, ["z"]);
}
both!(change_record_reports_eviction, eviction_record);

fn global_purge_record<J: Jar>() {
    let mut policy = Policy::chromium();
    policy.max_cookies = 4;
    policy.purge_to = 2;
    let mut jar = J::make(policy);
    let mut l = log();
    for (i, site) in ["a.example", "b.example", "c.example", "d.example"]
        .iter()
        .enumerate()
    {
        jar.set(&format!("https://{site}/"), "k=1", at(i as i64), &mut l)
            .unwrap();
    }
    // 31 days later every cookie is old enough for the global purge.
    let mut l = log();
    jar.set("https://e.example/", "k=1", at(31 * DAY), &mut l)
        .unwrap();
    assert_eq!(jar.len(), 2);
    let evicted = removed_causes(&l)
        .into_iter()
        .filter(|(_, c)| *c == RemovalCause::Evicted)
        .count();
    assert_eq!(evicted, 3);
}
both!(change_record_reports_the_global_purge, global_purge_record);

/// A sink that only counts, to show the trait is the user's to implement.
#[derive(Default)]
struct Count(usize);
impl ChangeSink for Count {
    fn record(&mut self, change: Change<'_>) {
        if matches!(change, Change::Added(_)) {
            self.0 += 1;
        }
    }
}

#[test]
fn a_sink_of_ones_own() {
    let mut jar = CookieJar::new();
    let url = u("https://example.com/");
    let mut count = Count::default();
    jar.set_cookie_with("a=1", &RequestContext::navigation(&url), now(), &mut count)
        .unwrap();
    jar.set_cookie_with("b=1", &RequestContext::navigation(&url), now(), &mut count)
        .unwrap();
    assert_eq!(count.0, 2);
}

// ---------------------------------------------------------------------------------------------
// Snapshots

fn snapshot_round_trip<J: Jar>() {
    let mut jar = J::make(Policy::firefox());
    let t = now();
    for (i, line) in [
        "a=1; Path=/",
        "b=2; Path=/x; Max-Age=1000",
        "c=3; Domain=example.com; Secure; SameSite=Strict",
        "d=4; Path=/x/y; Max-Age=5",
    ]
    .iter()
    .enumerate()
    {
        jar.set(
            "https://www.example.com/x/y/z",
            line,
            t.plus_seconds(i as i64),
            &mut log(),
        )
        .unwrap();
    }
    let snap = jar.snapshot();
    assert_eq!(snap.cookies.len(), 4);
    let copy = J::restore(Policy::firefox(), snap.clone(), at(10));
    // The expired cookie is kept (Firefox counts expired cookies until it evicts them).
    assert_eq!(copy.len(), 4);
    let mut a = copy.snapshot().cookies;
    let mut b = snap.cookies.clone();
    a.sort_by_key(Cookie::creation);
    b.sort_by_key(Cookie::creation);
    assert_eq!(a, b);
    for url in [
        "https://www.example.com/x/y/z",
        "https://api.example.com/",
        "http://www.example.com/x",
    ] {
        assert_eq!(
            copy.header(url, at(10), &mut log()),
            jar.header(url, at(10), &mut log()),
            "{url}"
        );
    }
}
both!(snapshot_restores_the_same_jar, snapshot_round_trip);

#[cfg(feature = "serde")]
#[test]
fn cookies_serialize_losslessly() {
    let t = now();
    let c = Cookie::builder("id", vec![b'v', 0xff, 0xfe], "example.com")
        .host_only(false)
        .path("/a")
        .expires(Some(at(60)))
        .secure(true)
        .http_only(true)
        .same_site(SameSite::None)
        .priority(Priority::Low)
        .partition(Some("https://top.example".to_owned()), true)
        .creation(t.plus_micros(7))
        .last_access(t.plus_micros(9))
        .build()
        .unwrap();
    let json = serde_json::to_string(&c).unwrap();
    let back: Cookie = serde_json::from_str(&json).unwrap();
    assert_eq!(back, c);
    assert_eq!(back.value(), [b'v', 0xff, 0xfe]);
    assert_eq!(back.last_access(), c.last_access());
    // Deserializing runs the canonical gate.
    let bad = json.replace("\"secure\":true", "\"secure\":false");
    let err = serde_json::from_str::<Cookie>(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("Secure"), "{err}");
    // A whole jar.
    let mut jar = CookieJar::new();
    jar.insert(c, t).unwrap();
    let text = serde_json::to_string(&jar.snapshot()).unwrap();
    let snap: JarSnapshot = serde_json::from_str(&text).unwrap();
    assert_eq!(snap, jar.snapshot());
}

// ---------------------------------------------------------------------------------------------
// The canonical gate: every reason

#[test]
fn canonical_gate_reasons() {
    let ok = || Cookie::builder("n", "v", "example.com");
    assert!(ok().build().is_ok());
    let cases: Vec<(cookiejar::CookieBuilder, NotCanonical)> = vec![
        (
            Cookie::builder("", "", "example.com"),
            NotCanonical::EmptyNameAndValue,
        ),
        (
            Cookie::builder("n", vec![b'v'; 4096], "example.com"),
            NotCanonical::NameValueTooLong(4097),
        ),
        (
            Cookie::builder("a=b", "v", "example.com"),
            NotCanonical::InvalidName,
        ),
        (
            Cookie::builder("a;b", "v", "example.com"),
            NotCanonical::InvalidName,
        ),
        (
            Cookie::builder(" a", "v", "example.com"),
            NotCanonical::InvalidName,
        ),
        (
            Cookie::builder("a", "v\n", "example.com"),
            NotCanonical::InvalidValue,
        ),
        (
            Cookie::builder("a", "v;w", "example.com"),
            NotCanonical::InvalidValue,
        ),
        (
            Cookie::builder("a", "v ", "example.com"),
            NotCanonical::InvalidValue,
        ),
        (
            Cookie::builder("n", "v", "Example.com"),
            NotCanonical::InvalidDomain,
        ),
        (
            Cookie::builder("n", "v", ".example.com"),
            NotCanonical::InvalidDomain,
        ),
        (Cookie::builder("n", "v", ""), NotCanonical::InvalidDomain),
        (
            Cookie::builder("n", "v", "bücher.de"),
            NotCanonical::InvalidDomain,
        ),
        (
            Cookie::builder("n", "v", "127.0.0.1").host_only(false),
            NotCanonical::DomainCookieOnIp,
        ),
        (ok().path("a"), NotCanonical::InvalidPath),
        (ok().path("/a\u{7f}b"), NotCanonical::InvalidPath),
        (
            Cookie::builder("__Secure-a", "v", "example.com"),
            NotCanonical::Prefix,
        ),
        (
            Cookie::builder("__host-a", "v", "example.com")
                .secure(true)
                .path("/x"),
            NotCanonical::Prefix,
        ),
        (
            Cookie::builder("__Host-a", "v", "example.com")
                .secure(true)
                .host_only(false),
            NotCanonical::Prefix,
        ),
        (
            Cookie::builder("__Http-a", "v", "example.com").secure(true),
            NotCanonical::Prefix,
        ),
        (
            Cookie::builder("__Host-Http-a", "v", "example.com").secure(true),
            NotCanonical::Prefix,
        ),
        (
            Cookie::builder("", "__Secure-x", "example.com").secure(true),
            NotCanonical::Prefix,
        ),
        (
            ok().same_site(SameSite::None),
            NotCanonical::SameSiteNoneInsecure,
        ),
        (
            ok().partition(Some("https://top.example".into()), true),
            NotCanonical::PartitionedInsecure,
        ),
        (
            ok().secure(true).partition(None, true),
            NotCanonical::PartitionedInsecure,
        ),
        (
            ok().partition(Some("top.example".into()), false),
            NotCanonical::InvalidPartitionKey,
        ),
        (
            ok().creation(now()).expires(Some(at(401 * DAY))),
            NotCanonical::ExpiryPastCap,
        ),
        (
            ok().creation(now())
                .last_access(at(DAY))
                .expires(Some(at(402 * DAY))),
            NotCanonical::ExpiryPastCap,
        ),
    ];
    for (builder, want) in cases {
        let shown = format!("{builder:?}");
        assert_eq!(builder.build().err(), Some(want), "{shown}");
        assert!(!want.to_string().is_empty());
    }
    // What passes: the prefixes done right, an A-label domain, an IP host-only cookie, a cookie
    // partitioned by the profile alone without Secure (Firefox Total Cookie Protection).
    for b in [
        Cookie::builder("__Host-a", "v", "example.com").secure(true),
        Cookie::builder("__Host-Http-a", "v", "example.com")
            .secure(true)
            .http_only(true),
        Cookie::builder("__Secure-a", "v", "example.com")
            .secure(true)
            .host_only(false),
        Cookie::builder("n", "v", "xn--bcher-kva.de"),
        Cookie::builder("n", "v", "[::1]"),
        Cookie::builder("", "v", "example.com"),
        ok().partition(Some("http://top.example".into()), false),
        ok().creation(now()).expires(Some(at(400 * DAY))),
        // Overwritten a day later with the same value: old creation, new 400 days.
        ok().creation(now())
            .last_access(at(DAY))
            .expires(Some(at(401 * DAY))),
    ] {
        let shown = format!("{b:?}");
        assert!(b.build().is_ok(), "{shown}");
    }
}

#[test]
fn every_admitted_cookie_passes_the_gate() {
    let mut jar = CookieJar::with_policy(Policy::firefox());
    let page = u("https://news.example/");
    for (url, line) in [
        (
            "https://www.example.com/a/b",
            "a=1; Domain=EXAMPLE.com; Path=/x; Max-Age=999999999",
        ),
        ("https://bücher.de/", "b=2"),
        ("http://[::1]:8080/", "c=3; Domain=[::1]"),
        ("http://w.example.org/p;x/q", "d=4"),
    ] {
        let url = u(url);
        jar.set_cookie(line, &RequestContext::subresource(&url, &page), now())
            .unwrap();
    }
    // An overwrite an hour later with the same value keeps the creation time and takes a new
    // 400-day expiry (found by the jar_ops fuzzer against the gate's first form).
    let url = u("https://www.example.com/a/b");
    let ctx = RequestContext::subresource(&url, &page);
    jar.set_cookie(
        "a=1; Domain=example.com; Path=/x; Max-Age=999999999",
        &ctx,
        at(3600),
    )
    .unwrap();
    let a = jar.iter().find(|c| c.name() == b"a").unwrap();
    assert_eq!(
        (a.creation(), a.expires()),
        (now(), Some(at(3600 + 400 * DAY)))
    );
    assert_eq!(jar.len(), 4);
    for c in jar.iter() {
        assert_eq!(c.to_builder().build().as_ref(), Ok(c), "{c:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Fixes, warnings, Display

#[test]
fn a_host_ending_in_two_dots_refuses_every_cookie() {
    for policy in [Policy::standard(), Policy::chromium(), Policy::firefox()] {
        let mut jar = CookieJar::with_policy(policy);
        let url = u("https://example.com../");
        assert_eq!(url.host_str(), Some("example.com.."));
        let ctx = RequestContext::navigation(&url);
        assert_eq!(
            jar.set_cookie("a=1", &ctx, now()),
            Err(Rejection::UnsupportedUrl)
        );
        assert_eq!(jar.cookie_header(&ctx, now()), None);
        let shared = SharedJar::with_policy(jar.policy().clone());
        assert_eq!(
            shared.set_cookie("a=1", &ctx, now()),
            Err(Rejection::UnsupportedUrl)
        );
    }
}

#[test]
fn a_partitioned_cookie_larger_than_its_partition_is_refused() {
    let mut policy = Policy::standard();
    policy.max_bytes_per_partition = 8;
    let mut jar = CookieJar::with_policy(policy);
    let (page, url) = (u("https://news.example/"), u("https://w.example/"));
    let ctx = RequestContext::subresource(&url, &page);
    let line = "name=123456789; Secure; Partitioned; SameSite=None";
    assert_eq!(
        jar.set_cookie(line, &ctx, now()),
        Err(Rejection::PartitionTooLarge)
    );
    assert!(jar
        .set_cookie("n=1; Secure; Partitioned; SameSite=None", &ctx, now())
        .is_ok());
}

#[test]
fn an_expiry_past_400_days_is_capped_with_a_warning() {
    let mut jar = CookieJar::new();
    let url = u("https://example.com/");
    let ctx = RequestContext::navigation(&url);
    let s = jar
        .set_cookie_with("a=1; Max-Age=999999999", &ctx, now(), &mut ())
        .unwrap();
    assert!(s.warnings.contains(Warning::ExpiryCapped));
    assert_eq!(jar.iter().next().unwrap().expires(), Some(at(400 * DAY)));
    let s = jar
        .set_cookie_with("b=1; Max-Age=60", &ctx, now(), &mut ())
        .unwrap();
    assert!(s.warnings.is_empty());
}

#[test]
fn parser_warnings_reach_the_caller() {
    let mut jar = CookieJar::new();
    let url = u("https://example.com/");
    let ctx = RequestContext::navigation(&url);
    let long = format!("a=1; Path=/{}", "p".repeat(1100));
    let s = jar.set_cookie_with(long, &ctx, now(), &mut ()).unwrap();
    assert_eq!(
        s.warnings.iter().collect::<Vec<_>>(),
        [Warning::AttributeValueTooLong]
    );
    assert_eq!(
        jar.iter().next().unwrap().path(),
        "/",
        "the long Path was ignored"
    );
    let s = jar
        .set_cookie_with("b=1; SameSite=Sometimes", &ctx, now(), &mut ())
        .unwrap();
    assert_eq!(
        s.warnings.iter().collect::<Vec<_>>(),
        [Warning::UnknownSameSite]
    );
}

#[test]
fn outcomes_and_verdicts_display() {
    assert_eq!(SetOutcome::Inserted.to_string(), "stored");
    let mut jar = CookieJar::new();
    let url = u("https://example.com/");
    jar.set_cookie("a=1; Secure", &RequestContext::navigation(&url), now())
        .unwrap();
    let http = u("http://example.com/");
    let e = jar.explain(&RequestContext::navigation(&http), now());
    assert_eq!(
        e[0].to_string(),
        "a=1: not sent (Secure cookie, insecure request)"
    );
    let e = jar.explain(&RequestContext::navigation(&url), now());
    assert_eq!(e[0].to_string(), "a=1: sent");
    assert!(e[0].is_sent());
    assert_eq!(RemovalCause::Evicted.to_string(), "evicted");
}

#[test]
fn profile_names() {
    for p in [Profile::Standard, Profile::Chromium, Profile::Firefox] {
        assert_eq!(p.to_string().parse::<Profile>(), Ok(p));
    }
    let err = "safari".parse::<Profile>().unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown profile \"safari\" (standard, chromium, firefox)"
    );
}

#[test]
fn timestamps_in_microseconds() {
    let t = Timestamp::from_unix_micros(1_800_000_000_123_456);
    assert_eq!(t.unix_micros(), 1_800_000_000_123_456);
    assert_eq!(t.unix_seconds(), 1_800_000_000);
}

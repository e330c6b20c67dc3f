//! The checks shared by the fuzz targets (`fuzz/fuzz_targets/*.rs`) and the corpus replay test
//! (`tests/fuzz_corpus.rs`): each takes the fuzzer's bytes and panics when an invariant breaks.
//!
//! Included by `#[path]` from both places, so a crash found by the fuzzer replays as a plain
//! `cargo test` case with the very same checks.
//!
//! What is checked, independently of the jar's own code (the site key, domain-match and
//! path-match are re-derived here from the public suffix list and RFC 6265bis):
//! - `parse`: no panic; name and value hold no control byte and no `;`, the name no `=`, both
//!   trimmed and within the size limit; the same line admitted into a jar is sent back as stored.
//! - `jar_ops`: after every step, no per-site, per-partition or global limit exceeded and every
//!   stored cookie is well-formed; every cookie sent domain-matches and path-matches the request,
//!   belongs to its site, is not expired, is not Secure on an insecure request nor HttpOnly to a
//!   script nor SameSite on a cross-site subresource; a partitioned cookie goes only to its
//!   partition, and under Total Cookie Protection a third-party request gets only partitioned
//!   cookies; the header is exactly the sent cookies, well-formed. Each profile is held to its
//!   own rule: the `Partitioned` attribute needs Secure everywhere, while a cookie partitioned
//!   without it exists only under `partition_third_party` (Firefox), Secure or not.
//! - `scenario`: its check lives with the scenario format, in `wpt-tests/src/fuzz.rs`.

#![allow(dead_code)]

use cookiejar::{
    parse_set_cookie, Api, CookieJar, ParseOptions, Policy, Profile, RequestContext, SameSite,
    Timestamp, Url,
};
use std::collections::HashMap;

/// Most operations one `jar_ops` input may run (keeps each execution fast).
pub const MAX_OPS: usize = 400;

/// The clock at the start of every `jar_ops` run.
pub const START: i64 = 1_800_000_000;

/// A cursor over the fuzzer's bytes; reads past the end give zeros.
pub struct Bytes<'a> {
    data: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Bytes { data }
    }
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&b, rest)) => {
                self.data = rest;
                b
            }
            None => 0,
        }
    }
    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[usize::from(self.byte()) % from.len()]
    }
    /// A length-prefixed slice (at most 255 bytes, or `4 * 255` when `long`).
    pub fn slice(&mut self, long: bool) -> &'a [u8] {
        let mut n = usize::from(self.byte());
        if long {
            n *= 4;
        }
        let n = n.min(self.data.len());
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        head
    }
}

/// 6265bis 5.6 step 1: control bytes other than HTAB.
fn is_forbidden_ctl(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0A..=0x1F | 0x7F)
}

fn is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The public suffix of `host` per the compiled-in list (`*` rule included), in bytes.
fn suffix_len(host: &str) -> usize {
    psl::suffix(host.as_bytes()).map_or(0, |s| s.as_bytes().len())
}

/// Whether `host` is itself a public suffix.
pub fn is_public_suffix(host: &str) -> bool {
    let h = host.strip_suffix('.').unwrap_or(host);
    !h.is_empty() && suffix_len(h) >= h.len()
}

/// The site key: the registrable domain, or the host itself (IPs, public suffixes, localhost).
pub fn site_of(host: &str) -> String {
    if is_ip(host) {
        return host.to_owned();
    }
    let n = suffix_len(host);
    if n == 0 || n + 2 > host.len() {
        return host.to_owned();
    }
    let before = &host[..host.len() - n - 1];
    let start = before.rfind('.').map_or(0, |i| i + 1);
    host[start..].to_owned()
}

/// 6265bis 5.1.3 domain-match.
pub fn domain_matches(host: &str, domain: &str) -> bool {
    host == domain
        || (host.len() > domain.len()
            && host.ends_with(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
            && !is_ip(host))
}

/// 6265bis 5.1.4 path-match.
pub fn path_matches(request: &str, cookie: &str) -> bool {
    request == cookie
        || (request.starts_with(cookie)
            && (cookie.ends_with('/') || request.as_bytes().get(cookie.len()) == Some(&b'/')))
}

fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The CHIPS partition key of a top-level URL: its schemeful site (`https://example.com`), in
/// which ws and wss count as http and https (Chromium `SchemefulSite`).
pub fn partition_key_for(top: &Url) -> String {
    let scheme = match top.scheme() {
        "ws" => "http",
        "wss" => "https",
        s => s,
    };
    format!("{scheme}://{}", site_of(top.host_str().unwrap_or("")))
}

/// Whether `p` has the shape of a partition key: `scheme://site`, the site its own site key.
fn is_partition_key(p: &str) -> bool {
    p.split_once("://").is_some_and(|(scheme, site)| {
        !scheme.is_empty() && !site.is_empty() && site_of(site) == site
    })
}

fn secure_request(url: &Url, policy: &Policy) -> bool {
    matches!(url.scheme(), "https" | "wss")
        || (policy.trust_loopback && url.host_str().is_some_and(is_loopback))
}

// ---------------------------------------------------------------------------------------------
// parse

fn trimmed(s: &[u8]) -> bool {
    !matches!(s.first(), Some(b' ' | b'\t')) && !matches!(s.last(), Some(b' ' | b'\t'))
}

/// Parses `data` as a `Set-Cookie` line under every profile's options, checks the result, then
/// admits it into a jar and checks the cookie comes back as stored.
pub fn check_parse(data: &[u8]) {
    for profile in [Profile::Standard, Profile::Chromium, Profile::Firefox] {
        let policy = Policy::for_profile(profile);
        check_parsed(data, &policy.parse);
        let mut jar = CookieJar::with_policy(policy);
        let now = Timestamp::from_unix_seconds(START);
        for url in ["https://www.example.com/a/b", "http://example.com/"] {
            let url = Url::parse(url).unwrap();
            let ctx = RequestContext::navigation(&url);
            if jar.set_cookie(data, &ctx, now).is_ok() {
                check_jar(&jar, now);
                check_lookup(&jar, &ctx, &url, None, now);
            }
        }
    }
}

fn check_parsed(data: &[u8], opts: &ParseOptions) {
    let Ok(c) = parse_set_cookie(data, opts) else {
        return;
    };
    assert!(!c.name.is_empty() || !c.value.is_empty(), "empty cookie");
    assert!(c.name.len() + c.value.len() <= opts.max_name_value_bytes);
    for s in [c.name, c.value] {
        assert!(!s.iter().any(|&b| is_forbidden_ctl(b)), "control byte");
        assert!(!s.contains(&b';'), "';' in name or value");
        assert!(trimmed(s), "untrimmed name or value");
    }
    assert!(!c.name.contains(&b'='), "'=' in name");
    for a in [c.domain, c.path].into_iter().flatten() {
        assert!(a.len() <= opts.max_attribute_value_bytes);
        assert!(!a.contains(&b';'));
    }
    // Every slice borrows the input.
    let range = data.as_ptr_range();
    for s in [c.name, c.value] {
        if !s.is_empty() {
            assert!(range.contains(&s.as_ptr()));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// jar_ops

/// The URLs the operations pick from: same-site and cross-site hosts, http and https, public
/// suffixes as hosts, IPs, loopback, IDNA, odd schemes, and a few paths.
pub const BASES: &[&str] = &[
    "https://example.com",
    "http://example.com",
    "https://www.example.com",
    "http://a.b.example.com",
    "https://a.b.example.com:8443",
    "https://other.org",
    "http://other.org",
    "http://foo.co.uk",
    "https://bar.foo.co.uk",
    "https://co.uk",
    "http://localhost:8080",
    "https://127.0.0.1",
    "http://10.0.0.1",
    "http://[::1]",
    "https://x.github.io",
    "https://github.io",
    "https://b\u{fc}cher.de",
    "wss://example.com",
    "ftp://example.com",
    "https://test",
    "https://a.test",
    "https://xn--bcher-kva.de",
];

pub const PATHS: &[&str] = &[
    "/",
    "/a",
    "/a/",
    "/a/b",
    "/ab",
    "/a/b/c/d",
    "/x/%2e%2e/y",
    "/a;b",
    "/A",
    "/a//b",
];

const NAMES: &[&str] = &[
    "a",
    "b",
    "sid",
    "",
    "__Secure-a",
    "__Host-a",
    "__host-A",
    "__Http-a",
    "__Host-Http-a",
    "__SECURE-x",
    " a ",
    "a\tb",
    "\u{e9}",
];

const VALUES: &[&str] = &[
    "1",
    "2",
    "",
    "x y",
    "\"q\"",
    "=a",
    "__Secure-v",
    "__Host-v",
    "a=b",
];

const DOMAINS: &[&str] = &[
    "",
    "example.com",
    ".example.com",
    "EXAMPLE.COM",
    "www.example.com",
    "b.example.com",
    "ample.com",
    "com",
    ".com",
    "co.uk",
    "foo.co.uk",
    "other.org",
    "org",
    "github.io",
    "x.github.io",
    "127.0.0.1",
    "0.1",
    "[::1]",
    "localhost",
    "b\u{fc}cher.de",
    "test",
    "a.test",
    "example.com.",
    "..example.com",
    "exa mple.com",
];

const MAX_AGES: &[&str] = &[
    "0",
    "-1",
    "1",
    "59",
    "3600",
    "34560000",
    "99999999999999999999",
    "+5",
    "x",
    "",
];

const EXPIRES: &[&str] = &[
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Wed, 01 Jan 2031 00:00:00 GMT",
    "Fri, 31 Dec 9999 23:59:59 GMT",
    "Sun, 06 Nov 1994 08:49:37 GMT",
    "junk",
    "1 Jan 70 1:2:3",
];

const SAMESITES: &[&str] = &["None", "Lax", "Strict", "lax", "bogus", ""];

fn structured_line(b: &mut Bytes<'_>) -> Vec<u8> {
    let mut line = Vec::new();
    let name_kind = b.byte();
    if name_kind < 200 {
        line.extend_from_slice(b.pick(NAMES).as_bytes());
    } else {
        // Many distinct names, to fill sites up to their limits.
        line.extend_from_slice(format!("c{}", b.byte()).as_bytes());
    }
    line.push(b'=');
    if b.byte() < 220 {
        line.extend_from_slice(b.pick(VALUES).as_bytes());
    } else {
        line.extend_from_slice(b.slice(true));
    }
    let attrs = b.byte() % 8;
    for _ in 0..attrs {
        line.extend_from_slice(b"; ");
        let (name, value): (&str, Option<&str>) = match b.byte() % 13 {
            0 | 1 => ("Domain", Some(b.pick(DOMAINS))),
            2 | 3 => ("Path", Some(b.pick(PATHS))),
            4 => ("Secure", None),
            5 => ("HttpOnly", None),
            6 => ("SameSite", Some(b.pick(SAMESITES))),
            7 => ("Max-Age", Some(b.pick(MAX_AGES))),
            8 => ("Expires", Some(b.pick(EXPIRES))),
            9 => ("Priority", Some(b.pick(&["Low", "Medium", "High", "x"]))),
            10 => ("Partitioned", None),
            11 => ("path", Some("relative")),
            _ => {
                line.extend_from_slice(b.slice(false));
                continue;
            }
        };
        line.extend_from_slice(name.as_bytes());
        if let Some(v) = value {
            line.push(b'=');
            line.extend_from_slice(v.as_bytes());
        }
    }
    line
}

fn set_cookie_line(b: &mut Bytes<'_>) -> Vec<u8> {
    match b.byte() % 8 {
        0 => b.slice(true).to_vec(),
        _ => structured_line(b),
    }
}

/// A policy with small limits, so that a short run fills sites and the jar past them.
pub fn small_limits(mut p: Policy) -> Policy {
    p.max_cookies_per_site = 12;
    p.purge_site_to = 9;
    p.priority_quotas = [3, 3, 3];
    p.max_cookies = 40;
    p.purge_to = 30;
    p.max_cookies_per_partition = 6;
    p.max_bytes_per_partition = 200;
    p
}

/// The policy a `jar_ops` input runs under, from its first byte.
pub fn ops_policy(b: u8) -> Policy {
    let profile = [Profile::Standard, Profile::Chromium, Profile::Firefox][usize::from(b % 3)];
    let p = Policy::for_profile(profile);
    if (b / 3) % 2 == 1 {
        small_limits(p)
    } else {
        p
    }
}

#[derive(Clone, Copy, Debug)]
enum Ctx {
    Navigation,
    NavigationFrom(usize),
    NavigationPost(usize),
    Subresource(usize),
}

fn pick_ctx(b: &mut Bytes<'_>) -> Ctx {
    match b.byte() % 6 {
        0..=2 => Ctx::Navigation,
        3 => Ctx::NavigationFrom(usize::from(b.byte())),
        4 => Ctx::NavigationPost(usize::from(b.byte())),
        _ => Ctx::Subresource(usize::from(b.byte())),
    }
}

fn url_from(b: &mut Bytes<'_>) -> Url {
    let base = b.pick(BASES);
    let path = b.pick(PATHS);
    Url::parse(&format!("{base}{path}")).expect("fixed URLs parse")
}

fn base_url(i: usize) -> Url {
    Url::parse(&format!("{}/", BASES[i % BASES.len()])).expect("fixed URLs parse")
}

fn with_ctx<R>(url: &Url, ctx: Ctx, f: impl FnOnce(&RequestContext<'_>, Option<&Url>) -> R) -> R {
    match ctx {
        Ctx::Navigation => f(&RequestContext::navigation(url), None),
        Ctx::NavigationFrom(i) => {
            let from = base_url(i);
            f(&RequestContext::navigation_from(url, &from), None)
        }
        Ctx::NavigationPost(i) => {
            let from = base_url(i);
            f(
                &RequestContext::navigation_from(url, &from).with_method("POST"),
                None,
            )
        }
        Ctx::Subresource(i) => {
            let top = base_url(i);
            f(&RequestContext::subresource(url, &top), Some(&top))
        }
    }
}

/// Runs the operations `data` encodes on one jar, checking every invariant after every step.
pub fn check_jar_ops(data: &[u8]) {
    let mut b = Bytes::new(data);
    let policy = ops_policy(b.byte());
    let mut jar = CookieJar::with_policy(policy);
    let mut now = Timestamp::from_unix_seconds(START);
    let mut last_url = base_url(0);
    for _ in 0..MAX_OPS {
        if b.is_empty() {
            break;
        }
        match b.byte() % 10 {
            // A response sets cookies.
            0..=2 => {
                let url = url_from(&mut b);
                let ctx = pick_ctx(&mut b);
                let line = set_cookie_line(&mut b);
                let outcome = with_ctx(&url, ctx, |c, _| jar.set_cookie(&line, c, now));
                check_jar(&jar, now);
                if outcome.is_ok() {
                    check_global_after_set(&jar, now);
                }
                last_url = url;
            }
            // A burst of distinct cookies for one site: fills it past its limit.
            3 => {
                let url = url_from(&mut b);
                let n = b.byte() % 64;
                let attrs = b.pick(&["", "; Secure", "; Priority=High", "; Domain=example.com"]);
                for i in 0..n {
                    let line = format!("burst{i}_{}={}{attrs}", b.byte(), i);
                    let ok = jar
                        .set_cookie(&line, &RequestContext::navigation(&url), now)
                        .is_ok();
                    check_jar(&jar, now);
                    if ok {
                        check_global_after_set(&jar, now);
                    }
                }
                last_url = url;
            }
            // A script writes document.cookie.
            4 => {
                let url = url_from(&mut b);
                let line = set_cookie_line(&mut b);
                let ok = jar
                    .set_cookie(&line, &RequestContext::script(&url), now)
                    .is_ok();
                check_jar(&jar, now);
                if ok {
                    check_global_after_set(&jar, now);
                }
                last_url = url;
            }
            // A request.
            5 | 6 => {
                let url = url_from(&mut b);
                let ctx = pick_ctx(&mut b);
                with_ctx(&url, ctx, |c, top| check_lookup(&jar, c, &url, top, now));
                last_url = url;
            }
            // A script reads document.cookie.
            7 => {
                let url = url_from(&mut b);
                check_lookup(&jar, &RequestContext::script(&url), &url, None, now);
                last_url = url;
            }
            // Time passes.
            8 => {
                let secs = [0, 1, 59, 61, 121, 3600, 86_400, 31 * 86_400, 401 * 86_400];
                now = now.plus_seconds(b.pick(&secs));
                if b.byte() % 4 == 0 {
                    jar.remove_expired(now);
                }
            }
            // The browser restarts.
            _ => {
                jar.end_session();
                assert!(
                    jar.iter().all(|c| c.persistent()),
                    "session cookie survived"
                );
            }
        }
        // After every step: the stored cookies and the limits, and a lookup of the last URL.
        check_jar(&jar, now);
        check_lookup(
            &jar,
            &RequestContext::navigation(&last_url),
            &last_url,
            None,
            now,
        );
    }
}

/// Stored cookies are well-formed and within the per-site and per-partition limits.
pub fn check_jar(jar: &CookieJar, now: Timestamp) {
    let policy = jar.policy();
    let mut per_site: HashMap<String, usize> = HashMap::new();
    let mut per_partition: HashMap<(String, String), (usize, usize)> = HashMap::new();
    let mut total = 0;
    for c in jar.iter() {
        total += 1;
        let site = site_of(c.domain());
        // Every admitted cookie passes the canonical gate that imports go through, so what the
        // jar stores it can always load back.
        assert_eq!(
            c.to_builder().build().as_ref(),
            Ok(c),
            "fails the canonical gate"
        );
        assert!(c.path().starts_with('/'), "path {:?}", c.path());
        assert!(c.name().len() + c.value().len() <= policy.parse.max_name_value_bytes);
        for s in [c.name(), c.value()] {
            assert!(
                !s.iter().any(|&b| is_forbidden_ctl(b)),
                "control byte stored"
            );
            assert!(!s.contains(&b';'));
        }
        assert!(!c.name().contains(&b'='));
        assert!(!c.domain().is_empty());
        assert_eq!(c.domain(), c.domain().to_ascii_lowercase());
        if !c.host_only() {
            assert!(
                !is_public_suffix(c.domain()),
                "domain cookie on a public suffix: {}",
                c.domain()
            );
            assert!(!is_ip(c.domain()), "domain cookie on an IP");
        }
        if let Some(e) = c.expires() {
            assert!(
                e <= now.plus_seconds(policy.max_age_cap_seconds),
                "expiry past the 400-day cap"
            );
        }
        if c.same_site() == SameSite::None && policy.samesite_none_requires_secure {
            assert!(c.secure(), "SameSite=None without Secure");
        }
        // CHIPS (and Firefox CookieService, `CookieRejectedPartitionedRequiresSecure`): the
        // `Partitioned` attribute needs Secure in every profile.
        if c.partitioned_attribute() {
            assert!(c.secure(), "Partitioned attribute without Secure");
            assert!(
                c.partition_key().is_some(),
                "Partitioned attribute but no partition key"
            );
        }
        match c.partition_key() {
            None => *per_site.entry(site).or_default() += 1,
            Some(p) => {
                // Firefox Total Cookie Protection (`partition_third_party`) partitions a cookie
                // set by a third-party request by the top-level site whatever its attributes,
                // Secure or not; without it, only the `Partitioned` attribute partitions.
                assert!(
                    c.partitioned_attribute() || policy.partition_third_party,
                    "partitioned without the Partitioned attribute under {:?}, which does not \
                     partition third-party cookies",
                    policy.profile
                );
                assert!(
                    is_partition_key(p),
                    "partition key {p:?} is not a schemeful site"
                );
                let e = per_partition.entry((p.to_owned(), site)).or_default();
                e.0 += 1;
                e.1 += c.name().len() + c.value().len();
            }
        }
    }
    assert_eq!(total, jar.len(), "len() disagrees with iter()");
    // No empty bucket is left behind (a rejected or deleted cookie must not grow the index):
    // the jar's Debug output tells how many sites it indexes.
    let mut sites: Vec<String> = jar.iter().map(|c| site_of(c.domain())).collect();
    sites.sort_unstable();
    sites.dedup();
    if let Some(indexed) = debug_field(jar, "sites") {
        assert_eq!(
            indexed,
            sites.len(),
            "the jar indexes sites that hold no cookie"
        );
    }
    for (site, n) in &per_site {
        assert!(
            *n <= policy.max_cookies_per_site,
            "site {site} holds {n} cookies, over its limit {}",
            policy.max_cookies_per_site
        );
    }
    for ((p, site), (n, bytes)) in &per_partition {
        assert!(
            *n <= policy.max_cookies_per_partition,
            "partition {p} / {site} holds {n} cookies"
        );
        assert!(
            *bytes <= policy.max_bytes_per_partition,
            "partition {p} / {site} holds {bytes} bytes"
        );
    }
}

/// A number field of the jar's `Debug` output, when it has one.
fn debug_field(jar: &CookieJar, name: &str) -> Option<usize> {
    let dbg = format!("{jar:?}");
    let at = dbg.find(&format!("{name}: "))? + name.len() + 2;
    let digits: String = dbg[at..].chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// Right after a successful set: the jar is within its global limit, except for cookies the
/// policy protects from a global purge (Chromium `kSafeFromGlobalPurgeDays`: a cookie accessed
/// within that window is never purged for the global limit, so the limit is soft). Partitioned
/// cookies count only where the policy says so (`partitioned_count_toward_global_limit`):
/// Chromium keeps them outside `kMaxCookies`, under their own limits; `standard` and `firefox`
/// count them. The profiles with a purge interval (`global_purge_min_interval_seconds`, our
/// documented hysteresis: after a purge that could not reach its target the next one waits)
/// may hold cookies that turned old enough within that interval.
pub fn check_global_after_set(jar: &CookieJar, now: Timestamp) {
    let policy = jar.policy();
    let counts = |c: &cookiejar::Cookie| {
        policy.partitioned_count_toward_global_limit || c.partition_key().is_none()
    };
    let counted = jar.iter().filter(|c| counts(c)).count();
    if counted <= policy.max_cookies {
        return;
    }
    let safe_since = now.plus_seconds(
        policy
            .safe_from_global_purge_seconds
            .saturating_add(policy.global_purge_min_interval_seconds)
            .saturating_neg(),
    );
    let purgeable = jar
        .iter()
        .filter(|c| counts(c) && c.last_access() < safe_since)
        .count();
    assert_eq!(
        purgeable, 0,
        "jar holds {counted} cookies, over its limit {}, and {purgeable} of them could be purged",
        policy.max_cookies
    );
}

/// A lookup: every cookie sent may be sent, and the header is exactly those cookies.
pub fn check_lookup(
    jar: &CookieJar,
    ctx: &RequestContext<'_>,
    url: &Url,
    subresource_top: Option<&Url>,
    now: Timestamp,
) {
    let policy = jar.policy();
    let header = jar.cookie_header_bytes(ctx, now);
    let explained = jar.explain(ctx, now);
    let host = url.host_str().unwrap_or("");
    let secure = secure_request(url, policy);
    let top = ctx.top_level();
    let partition = partition_key_for(top);
    // Firefox Total Cookie Protection: an HTTP request under a top-level page of another site
    // (scheme-less unless the policy is schemeful) is third-party and sees only its partition.
    let third_party = policy.partition_third_party
        && ctx.api() == Api::Http
        && (site_of(top.host_str().unwrap_or("")) != site_of(host)
            || (policy.schemeful_same_site
                && matches!(url.scheme(), "https" | "wss")
                    != matches!(top.scheme(), "https" | "wss")));
    let mut expected: Vec<u8> = Vec::new();
    let mut sent = 0;
    for e in explained.iter().filter(|e| e.verdict.is_ok()) {
        let c = &e.cookie;
        assert!(
            matches!(url.scheme(), "http" | "https" | "ws" | "wss"),
            "cookie sent over {}",
            url.scheme()
        );
        if c.host_only() {
            assert_eq!(host, c.domain(), "host-only cookie sent to another host");
        } else {
            assert!(
                domain_matches(host, c.domain()),
                "{} sent to {host}",
                c.domain()
            );
        }
        assert_eq!(
            site_of(host),
            site_of(c.domain()),
            "cookie sent across sites"
        );
        assert!(
            path_matches(url.path(), c.path()),
            "path {} for {}",
            c.path(),
            url.path()
        );
        assert!(!c.is_expired(now), "expired cookie sent");
        // CHIPS: a partitioned cookie goes only to requests under its top-level site.
        if let Some(p) = c.partition_key() {
            assert_eq!(p, partition, "cookie of another partition sent");
        }
        assert!(
            !third_party || c.partition_key().is_some(),
            "unpartitioned cookie sent to a third-party request under {:?}",
            policy.profile
        );
        assert!(
            !c.secure() || secure,
            "Secure cookie on an insecure request"
        );
        assert!(
            !(c.http_only() && ctx.api() == Api::Script),
            "HttpOnly cookie to a script"
        );
        if let Some(top) = subresource_top {
            let cross_scheme = policy.schemeful_same_site
                && (matches!(url.scheme(), "https" | "wss")
                    != matches!(top.scheme(), "https" | "wss"));
            let cross = site_of(top.host_str().unwrap_or("")) != site_of(host) || cross_scheme;
            if cross {
                let ok = c.same_site() == SameSite::None
                    || (c.same_site() == SameSite::Unspecified && !policy.lax_by_default);
                assert!(ok, "{:?} cookie on a cross-site subresource", c.same_site());
            }
        }
        if sent > 0 {
            expected.extend_from_slice(b"; ");
        }
        if !c.name().is_empty() {
            expected.extend_from_slice(c.name());
            expected.push(b'=');
        }
        expected.extend_from_slice(c.value());
        sent += 1;
    }
    match &header {
        None => assert_eq!(sent, 0, "cookies to send but no header"),
        Some(h) => {
            assert!(!h.is_empty(), "empty header");
            assert!(
                !h.iter().any(|&b| is_forbidden_ctl(b)),
                "control byte in header"
            );
            assert_eq!(
                h, &expected,
                "header differs from the cookies explain() sends"
            );
        }
    }
    // explain() lists only the request's site, in header order: longest path first.
    let paths: Vec<usize> = explained.iter().map(|e| e.cookie.path().len()).collect();
    assert!(
        paths.windows(2).all(|w| w[0] >= w[1]),
        "not in header order"
    );
}

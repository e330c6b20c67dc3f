//! The one workload every bench uses: S sites × 10 cookies, and request URLs over their hosts.
//!
//! Each site `s{i}.{tld}` gets host-only and domain cookies set from its apex, `www.` and `api.`
//! hosts, on the paths `/`, `/a`, `/a/b`, `/shop`, `/shop/cart`, with and without `Secure`,
//! `HttpOnly` and `Max-Age`. Requests go to a random site's apex, `www.` or `api.` host, on those
//! paths and deeper ones. Everything is drawn from a fixed seed, so every run and every jar sees
//! the same cookies and the same requests.
#![allow(dead_code)] // each bench uses its own part of the workload

use cookiejar::{CookieJar, Policy, RequestContext, SharedJar, Timestamp};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use url::Url;

/// Cookies per site.
pub const PER_SITE: usize = 10;

/// A small, fast, seeded PRNG (SplitMix64): no dependency, the same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn token(&mut self, len: usize) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..len)
            .map(|_| ALPHABET[self.below(ALPHABET.len())] as char)
            .collect()
    }
}

const TLDS: [&str; 5] = ["com", "co.uk", "org", "de", "com.au"];

/// The apex host of site `i`.
pub fn apex(i: usize) -> String {
    format!("s{i}.{}", TLDS[i % TLDS.len()])
}

/// One `Set-Cookie` line and the URL of the response that carries it.
#[derive(Clone)]
pub struct SetLine {
    pub url: Url,
    pub line: String,
}

/// The 10 cookies of a site, with `value` as every value.
///
/// Templates (host, line): host-only and `Domain=` cookies on the apex, `www.` and `api.`.
fn site_lines(i: usize, value: &str) -> Vec<SetLine> {
    let a = apex(i);
    let www = format!("www.{a}");
    let api = format!("api.{a}");
    let t: [(&str, String); PER_SITE] = [
        (&www, format!("sid={value}; Path=/; Secure; HttpOnly")),
        (
            &www,
            format!("pref={value}; Domain={a}; Path=/; Max-Age=31536000"),
        ),
        (&www, format!("a={value}; Path=/a")),
        (&www, format!("ab={value}; Path=/a/b; Secure")),
        (
            &www,
            format!("cart={value}; Path=/shop/cart; Max-Age=86400"),
        ),
        (&www, format!("shop={value}; Domain={a}; Path=/shop")),
        (
            &api,
            format!("tok={value}; Path=/; Secure; HttpOnly; Max-Age=3600"),
        ),
        (&api, format!("v={value}; Domain={a}; Path=/a")),
        (&a, format!("root={value}; Path=/")),
        (
            &a,
            format!("trk={value}; Domain={a}; Path=/; Secure; Max-Age=604800"),
        ),
    ];
    t.into_iter()
        .map(|(host, line)| SetLine {
            url: Url::parse(&format!("https://{host}/")).unwrap(),
            line,
        })
        .collect()
}

/// Every line of a jar of `sites` sites (`sites × 10` cookies), values drawn from `rng`.
pub fn jar_lines(sites: usize, rng: &mut Rng) -> Vec<SetLine> {
    (0..sites)
        .flat_map(|i| {
            let v = rng.token(16);
            site_lines(i, &v)
        })
        .collect()
}

/// Overwrites: lines with the identity of stored cookies and a new value.
pub fn overwrite_lines(sites: usize, n: usize, rng: &mut Rng) -> Vec<SetLine> {
    (0..n)
        .map(|_| {
            let site = rng.below(sites);
            let v = rng.token(16);
            let mut lines = site_lines(site, &v);
            lines.swap_remove(rng.below(PER_SITE))
        })
        .collect()
}

/// New cookies: lines with names no stored cookie has, spread over the sites.
pub fn new_lines(sites: usize, n: usize, rng: &mut Rng) -> Vec<SetLine> {
    (0..n)
        .map(|k| {
            let a = apex(rng.below(sites));
            let v = rng.token(16);
            let (host, line) = match k % 3 {
                0 => (format!("www.{a}"), format!("n{k}={v}; Path=/; Secure")),
                1 => (
                    format!("www.{a}"),
                    format!("n{k}={v}; Domain={a}; Max-Age=3600"),
                ),
                _ => (format!("api.{a}"), format!("n{k}={v}; Path=/a; HttpOnly")),
            };
            SetLine {
                url: Url::parse(&format!("https://{host}/")).unwrap(),
                line,
            }
        })
        .collect()
}

const PATHS: [&str; 9] = [
    "/",
    "/a",
    "/a/b",
    "/a/b/c/d",
    "/shop",
    "/shop/cart",
    "/shop/cart/item/42",
    "/x/y",
    "/index.html",
];

/// `n` request URLs: a random site's apex, `www.` or `api.` host, a random path.
pub fn request_urls(sites: usize, n: usize, rng: &mut Rng) -> Vec<Url> {
    (0..n)
        .map(|_| {
            let a = apex(rng.below(sites));
            let host = match rng.below(3) {
                0 => a,
                1 => format!("www.{a}"),
                _ => format!("api.{a}"),
            };
            let path = PATHS[rng.below(PATHS.len())];
            Url::parse(&format!("https://{host}{path}")).unwrap()
        })
        .collect()
}

/// Every URL the workload can request of `sites` sites: each site's three hosts × every path.
pub fn all_request_urls(sites: usize) -> Vec<Url> {
    (0..sites)
        .flat_map(|i| {
            let a = apex(i);
            [a.clone(), format!("www.{a}"), format!("api.{a}")]
        })
        .flat_map(|host| {
            PATHS
                .iter()
                .map(move |path| Url::parse(&format!("https://{host}{path}")).unwrap())
        })
        .collect()
}

/// The policy for the benches: browser rules, but no jar-wide limit (Chromium's 3300 would
/// otherwise cap every jar at 3300 cookies).
pub fn bench_policy() -> Policy {
    let mut p = Policy::chromium();
    p.max_cookies = usize::MAX;
    p.purge_to = usize::MAX;
    p
}

/// The time every cookie of the workload is set at: the benches run with the real clock, as
/// the peers do (they read it themselves).
pub fn now() -> Timestamp {
    Timestamp::now()
}

pub fn build_jar(lines: &[SetLine]) -> CookieJar {
    let mut jar = CookieJar::with_policy(bench_policy());
    let now = now();
    for l in lines {
        jar.set_cookie(&l.line, &RequestContext::navigation(&l.url), now)
            .unwrap();
    }
    jar
}

pub fn build_shared(lines: &[SetLine]) -> SharedJar {
    let jar = SharedJar::with_policy(bench_policy());
    let now = now();
    for l in lines {
        jar.set_cookie(&l.line, &RequestContext::navigation(&l.url), now)
            .unwrap();
    }
    jar
}

pub fn build_cookie_store(lines: &[SetLine]) -> cookie_store::CookieStore {
    let mut store = cookie_store::CookieStore::default();
    for l in lines {
        store.parse(&l.line, &l.url).unwrap();
    }
    store
}

pub fn build_reqwest(lines: &[SetLine]) -> reqwest::cookie::Jar {
    let jar = reqwest::cookie::Jar::default();
    for l in lines {
        jar.add_cookie_str(&l.line, &l.url);
    }
    jar
}

/// What reqwest's `Jar::cookies` does with a `cookie_store`: the header of a request.
pub fn cookie_store_header(store: &cookie_store::CookieStore, url: &Url) -> String {
    store
        .get_request_values(url)
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// FxHash, as the jar's own index uses: the floor gets the same fast hash.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes(c.try_into().unwrap());
            self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// The floor: each request URL's header, precomputed (by the jar) and kept in a hash map
/// keyed by the URL. A lookup is one hash of the URL plus copying the header: no jar can do
/// less.
pub type Floor = HashMap<String, Vec<u8>, BuildHasherDefault<FxHasher>>;

pub fn build_floor(jar: &CookieJar, urls: &[Url]) -> Floor {
    let now = now();
    urls.iter()
        .map(|u| {
            let h = jar
                .cookie_header_bytes(&RequestContext::navigation(u), now)
                .unwrap_or_default();
            (u.as_str().to_owned(), h)
        })
        .collect()
}

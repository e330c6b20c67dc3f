//! A deterministic, site-partitioned workload for the Redis tests: sets (accepted and refused
//! for many reasons), lookups in several contexts, explanations, removals and listings over a
//! few dozen sites, each answered as a string so a Redis jar and an in-memory jar can be
//! compared operation by operation.
#![allow(dead_code)]

use cookiejar::persist::redis::{RedisJar, SetError};
use cookiejar::{CookieId, CookieJar, Explanation, RequestContext, Timestamp, Url};

pub const T0: i64 = 1_800_000_000;

pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Clone, Debug)]
pub enum Kind {
    Nav,
    Script,
    /// A subresource of a page on another site.
    CrossSub,
    /// A top-level POST navigation from another site.
    CrossPost,
}

#[derive(Clone, Debug)]
pub enum Op {
    Set {
        url: String,
        kind: Kind,
        line: String,
    },
    Get {
        url: String,
        kind: Kind,
    },
    Explain {
        url: String,
        kind: Kind,
    },
    Remove {
        id: CookieId,
    },
    List {
        host: String,
    },
}

#[derive(Clone, Debug)]
pub struct Step {
    /// The index of the site (a worker takes the sites `site % workers == k`).
    pub site: usize,
    /// Seconds after T0.
    pub t: i64,
    pub op: Op,
}

pub fn site_domain(s: usize) -> String {
    if s % 5 == 4 {
        format!("site{s}.co.uk")
    } else {
        format!("site{s}.example")
    }
}

/// `n` steps over `sites` sites, one every 5 s (so `Max-Age` and the 60 s last-access
/// threshold come into play).
pub fn workload(seed: u64, sites: usize, n: usize) -> Vec<Step> {
    let mut r = seed;
    let mut next = move || {
        r = splitmix(r);
        r
    };
    let mut steps = Vec::with_capacity(n);
    for i in 0..n {
        let site = (next() % sites as u64) as usize;
        let d = site_domain(site);
        // Big sites (every seventh) get many names: per-site eviction.
        let names = if site % 7 == 3 { 240 } else { 12 };
        let name = format!("n{}", next() % names);
        let host = match next() % 3 {
            0 => d.clone(),
            1 => format!("www.{d}"),
            _ => format!("api.{d}"),
        };
        let scheme = if next() % 4 == 0 { "http" } else { "https" };
        let path = ["/", "/a", "/a/b"][(next() % 3) as usize];
        let url = format!("{scheme}://{host}{path}");
        let kind = match next() % 8 {
            0 => Kind::Script,
            1 => Kind::CrossSub,
            2 => Kind::CrossPost,
            _ => Kind::Nav,
        };
        let v = format!("v{i}");
        let op = match next() % 20 {
            0..=9 => {
                let line = match next() % 14 {
                    0 => format!("{name}={v}"),
                    1 => format!("{name}={v}; Path=/a; HttpOnly"),
                    2 => format!("{name}={v}; Domain={d}; Secure; Max-Age=600"),
                    3 => format!("{name}={v}; SameSite=Strict; Max-Age=3000"),
                    4 => format!("{name}={v}; SameSite=None; Secure"),
                    5 => format!("__Host-{name}={v}; Secure; Path=/"),
                    6 => format!("__Host-{name}={v}; Path=/"),
                    7 => format!("{name}=; Max-Age=0"),
                    8 => format!("{name}={v}; Domain=co.uk"),
                    9 => format!("{name}={v}; Domain=elsewhere.example"),
                    10 => format!("{name}={v}; SameSite=Lax; Priority=High"),
                    11 => format!("{name}={v}; Domain={d}; Path=/a/b; Max-Age=90"),
                    12 => format!("{name}={v}; Secure; HttpOnly; SameSite=Lax"),
                    _ => format!("{name}\u{7f}={v}"),
                };
                Op::Set { url, kind, line }
            }
            10..=15 => Op::Get { url, kind },
            16 => Op::Explain { url, kind },
            17 | 18 => {
                let (host_only, dom) = if next() % 2 == 0 {
                    (true, host.clone())
                } else {
                    (false, d.clone())
                };
                let mut id = CookieId::new(name.as_str(), dom, path);
                id.host_only = host_only;
                Op::Remove { id }
            }
            _ => Op::List { host },
        };
        steps.push(Step {
            site,
            t: 5 * i as i64,
            op,
        });
    }
    steps
}

fn with_ctx<R>(url: &str, kind: &Kind, f: impl FnOnce(&RequestContext<'_>) -> R) -> R {
    let url = Url::parse(url).expect("workload URL");
    let other = Url::parse("https://elsewhere.example/page").expect("URL");
    match kind {
        Kind::Nav => f(&RequestContext::navigation(&url)),
        Kind::Script => f(&RequestContext::script(&url)),
        Kind::CrossSub => f(&RequestContext::subresource(&url, &other)),
        Kind::CrossPost => f(&RequestContext::navigation_from(&url, &other).with_method("POST")),
    }
}

/// A cookie as the answers show it: every field, last access included.
pub fn show(c: &cookiejar::Cookie) -> String {
    format!(
        "{}={} d={} ho={} p={} exp={:?} s={} h={} ss={:?} pr={:?} c={} a={}",
        c.name_str(),
        c.value_str(),
        c.domain(),
        c.host_only(),
        c.path(),
        c.expires().map(|e| e.unix_micros()),
        c.secure(),
        c.http_only(),
        c.same_site(),
        c.priority(),
        c.creation().unix_micros(),
        c.last_access().unix_micros(),
    )
}

fn show_explain(ex: &[Explanation]) -> String {
    ex.iter()
        .map(|e| format!("[{} {:?}]", show(&e.cookie), e.verdict))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The in-memory jar's answer.
pub fn run_mem(jar: &mut CookieJar, step: &Step) -> String {
    let now = Timestamp::from_unix_seconds(T0 + step.t);
    match &step.op {
        Op::Set { url, kind, line } => {
            format!(
                "{:?}",
                with_ctx(url, kind, |c| jar.set_cookie(line, c, now))
            )
        }
        Op::Get { url, kind } => {
            format!("{:?}", with_ctx(url, kind, |c| jar.cookie_header(c, now)))
        }
        Op::Explain { url, kind } => with_ctx(url, kind, |c| show_explain(&jar.explain(c, now))),
        Op::Remove { id } => format!("{:?}", jar.remove(id).map(|c| show(&c))),
        Op::List { host } => jar
            .site_cookies(host, now)
            .map(show)
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

/// The Redis jar's answer (a Redis error fails the test: the server is up throughout).
pub fn run_redis(jar: &RedisJar, step: &Step) -> String {
    let now = Timestamp::from_unix_seconds(T0 + step.t);
    match &step.op {
        Op::Set { url, kind, line } => {
            let r = with_ctx(url, kind, |c| jar.set_cookie(line, c, now));
            let r = match r {
                Ok(o) => Ok(o),
                Err(SetError::Rejected(r)) => Err(r),
                Err(e) => panic!("Redis error on {step:?}: {e}"),
            };
            format!("{r:?}")
        }
        Op::Get { url, kind } => format!(
            "{:?}",
            with_ctx(url, kind, |c| jar.cookie_header(c, now)).expect("Redis lookup")
        ),
        Op::Explain { url, kind } => with_ctx(url, kind, |c| {
            show_explain(&jar.explain(c, now).expect("Redis explain"))
        }),
        Op::Remove { id } => format!(
            "{:?}",
            jar.remove(id).expect("Redis remove").map(|c| show(&c))
        ),
        Op::List { host } => jar
            .site_cookies(host, now)
            .expect("Redis listing")
            .iter()
            .map(show)
            .collect::<Vec<_>>()
            .join(" | "),
    }
}

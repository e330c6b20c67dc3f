//! Hostile load: `Set-Cookie` lines a malicious or broken server would send, over many sites,
//! fed to one jar. Shared by `examples/hostile.rs` (1M lines, figures) and the bounded test in
//! `tests/fuzz_corpus.rs`. Deterministic: a seeded xorshift generator, no dependency.

#![allow(dead_code)]

use cookiejar::{CookieJar, RequestContext, Timestamp, Url};

/// xorshift64*: deterministic and dependency-free.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The kinds of hostile lines, in the order [`Load::line`] draws them.
pub const KINDS: &[&str] = &[
    "oversized name/value and attributes",
    "public-suffix and foreign Domain",
    "thousands of paths",
    "prefix abuse",
    "control bytes and header injection",
    "thousands of attributes",
    "many distinct names, long-lived",
    "partitioned, one partition per top-level site",
    "deletions and past expiry",
    "IDNA, IP and odd Domain values",
];

/// One hostile request: where the response came from, the top-level page, and the line.
pub struct Hostile {
    pub url: Url,
    pub top: Option<Url>,
    pub line: Vec<u8>,
    pub kind: usize,
}

/// The generator: `sites` registrable domains, half `.com`, half `.co.uk`; half the lines go
/// to the hottest 1% of them.
pub struct Load {
    rng: Rng,
    pub sites: u64,
}

fn site_host(n: u64) -> String {
    if n % 2 == 0 {
        format!("site{n}.com")
    } else {
        format!("site{n}.co.uk")
    }
}

impl Load {
    pub fn new(seed: u64, sites: u64) -> Self {
        Load {
            rng: Rng::new(seed),
            sites,
        }
    }

    /// The next hostile request.
    pub fn next(&mut self) -> Hostile {
        let r = &mut self.rng;
        // Half the lines go to the hottest 1% of sites, so those hit their per-site limit hard.
        let hot = (self.sites / 100).max(1);
        let site = if r.below(2) == 0 {
            r.below(hot)
        } else {
            r.below(self.sites)
        };
        let base = site_host(site);
        let host = match r.below(4) {
            0 => base.clone(),
            1 => format!("www.{base}"),
            2 => format!("a.b.{base}"),
            _ => format!("x{}.{base}", r.below(1000)),
        };
        let scheme = if r.below(3) == 0 { "http" } else { "https" };
        let depth = r.below(4);
        let mut path = String::new();
        for _ in 0..depth {
            path.push_str(&format!("/p{}", r.below(3000)));
        }
        path.push_str("/x");
        let url = Url::parse(&format!("{scheme}://{host}{path}")).expect("generated URL");
        let kind = usize::try_from(r.below(KINDS.len() as u64)).unwrap_or(0);
        let mut top = None;
        let line: Vec<u8> = match kind {
            0 => {
                let n = 1 + r.below(4000) as usize;
                let v = 4096 - n + r.below(3) as usize; // exactly the limit, or 1-2 bytes over
                let mut l = vec![b'n'; n];
                l.push(b'=');
                l.extend(std::iter::repeat_n(b'v', v));
                l.extend_from_slice(b"; Path=/");
                l.extend(std::iter::repeat_n(b'p', 1100));
                l.extend_from_slice(b"; Domain=");
                l.extend(std::iter::repeat_n(b'd', 2000));
                l
            }
            1 => {
                let d = match r.below(8) {
                    0 => "com".to_owned(),
                    1 => ".com".to_owned(),
                    2 => "co.uk".to_owned(),
                    3 => "uk".to_owned(),
                    4 => "github.io".to_owned(),
                    5 => site_host(r.below(self.sites)),
                    6 => format!("evil.{}", site_host(r.below(self.sites))),
                    _ => base.clone(),
                };
                format!("ps{}=1; Domain={d}; Path=/", r.below(50)).into_bytes()
            }
            2 => format!("p{}=1; Path=/p{}", r.below(100), r.below(5000)).into_bytes(),
            3 => match r.below(7) {
                0 => format!("__Host-x{}=1; Secure; Path=/; Domain={base}", r.below(100)),
                1 => format!("__Secure-x{}=1", r.below(100)),
                2 => format!("__HOST-x{}=1; Secure; Path=/a", r.below(100)),
                3 => "=__Host-x=1; Secure; Path=/".to_owned(),
                4 => format!("__Host-Http-x{}=1; Secure; Path=/", r.below(100)),
                5 => format!("__Http-x{}=1; Secure", r.below(100)),
                _ => format!("__Host-ok{}=1; Secure; Path=/", r.below(300)),
            }
            .into_bytes(),
            4 => {
                let c = [0u8, 1, 8, 0x0a, 0x0d, 0x1f, 0x7f][r.below(7) as usize];
                let mut l = format!("c{}=a", r.below(100)).into_bytes();
                l.push(c);
                l.extend_from_slice(b"b\r\nSet-Cookie: evil=1; Domain=com");
                if r.below(2) == 0 {
                    l = format!("t\t{}=\tv\t; Path=/\t", r.below(100)).into_bytes();
                }
                l
            }
            5 => {
                let mut l = format!("m{}=1", r.below(100)).into_bytes();
                for i in 0..(1000 + r.below(3000)) {
                    l.extend_from_slice(
                        [
                            &b"; Domain=com"[..],
                            b"; Path=/",
                            b"; x",
                            b"; Max-Age=1",
                            b"; Secure",
                        ][(i % 5) as usize],
                    );
                }
                l
            }
            6 => format!(
                "n{}={}; Max-Age=999999999999; Priority=High",
                r.below(1_000_000),
                r.below(u64::MAX)
            )
            .into_bytes(),
            7 => {
                top = Some(
                    Url::parse(&format!("https://{}/", site_host(r.below(self.sites))))
                        .expect("generated URL"),
                );
                format!(
                    "part{}={}; Secure; SameSite=None; Partitioned; Path=/",
                    r.below(1000),
                    "v".repeat(r.below(300) as usize)
                )
                .into_bytes()
            }
            8 => match r.below(3) {
                0 => format!("n{}=; Max-Age=0", r.below(1_000_000)),
                1 => format!("p{}=; Expires=Thu, 01 Jan 1970 00:00:00 GMT", r.below(100)),
                _ => format!("d{}=1; Max-Age=-1", r.below(100)),
            }
            .into_bytes(),
            _ => {
                let d = [
                    "b\u{fc}cher.de",
                    "xn--bcher-kva.de",
                    "[::1]",
                    "127.0.0.1",
                    "0.0.0.0",
                    "..",
                    "%2e",
                    "\u{ff0e}com",
                    "",
                ][r.below(9) as usize];
                format!("i{}=1; Domain={d}", r.below(50)).into_bytes()
            }
        };
        Hostile {
            url,
            top,
            line,
            kind,
        }
    }
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    pub lines: u64,
    pub bytes: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub lookups: u64,
    pub peak_cookies: usize,
}

/// Feeds `lines` hostile lines over `sites` sites into `jar`, the clock moving `step_micros`
/// per line from `start`, with a lookup every 10 lines. `check` runs every `check_every` lines
/// and at the end.
pub fn feed(
    jar: &mut CookieJar,
    lines: u64,
    sites: u64,
    start: Timestamp,
    step_micros: i64,
    check_every: u64,
    mut check: impl FnMut(&CookieJar, Timestamp, &Outcome),
) -> Outcome {
    let mut load = Load::new(0x5eed_c00c, sites);
    let mut out = Outcome::default();
    let mut now = start;
    for i in 0..lines {
        let h = load.next();
        let ctx = match &h.top {
            Some(top) => RequestContext::subresource(&h.url, top),
            None => RequestContext::navigation(&h.url),
        };
        out.lines += 1;
        out.bytes += h.line.len() as u64;
        match jar.set_cookie(&h.line, &ctx, now) {
            Ok(_) => out.accepted += 1,
            Err(_) => out.rejected += 1,
        }
        if i % 10 == 0 {
            let _ = jar.cookie_header_bytes(&RequestContext::navigation(&h.url), now);
            out.lookups += 1;
        }
        out.peak_cookies = out.peak_cookies.max(jar.len());
        if check_every > 0 && (i + 1) % check_every == 0 {
            check(jar, now, &out);
        }
        now = now.plus_micros(step_micros);
    }
    check(jar, now, &out);
    out
}

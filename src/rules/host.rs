//! Hosts: the request host, the `Domain` attribute, domain-match and the site key.

use crate::rules::psl::{registrable_domain, SuffixList};
use std::borrow::Cow;
use url::{Host, Url};

/// Schemes that carry cookies (Chromium `CookieMonster::kDefaultCookieableSchemes`).
pub(crate) fn is_cookieable_scheme(scheme: &str) -> bool {
    matches!(scheme, "http" | "https" | "ws" | "wss")
}

/// The canonical request host: `url` already lower-cased it, applied IDNA and normalized IPs.
/// IPv6 hosts keep their brackets (`[::1]`), as Chromium stores them.
pub(crate) fn request_host(url: &Url) -> Option<&str> {
    if !is_cookieable_scheme(url.scheme()) {
        return None;
    }
    url.host_str().filter(|h| !h.is_empty())
}

/// True for IPv4 and bracketed IPv6 hosts.
///
/// For canonical hosts (what `url` and [`canonicalize_domain`] produce) a last label made only
/// of digits means IPv4: the WHATWG host parser turns such hosts into IPv4 addresses (or
/// refuses them), so no domain ends in a numeric label. Cheaper than parsing the address.
pub(crate) fn is_ip(host: &str) -> bool {
    is_ip_bytes(host.as_bytes())
}

fn is_ip_bytes(host: &[u8]) -> bool {
    if host.first() == Some(&b'[') {
        return true;
    }
    // Most hosts end in a letter: no label to scan.
    if !host.last().is_some_and(u8::is_ascii_digit) {
        return false;
    }
    let last = host.rsplit(|&b| b == b'.').next().unwrap_or(&[]);
    !last.is_empty() && last.iter().all(u8::is_ascii_digit)
}

/// Canonicalizes a `Domain` attribute value (6265bis 5.6.3 and 5.7 step 5): drop one leading
/// dot, then run the URL host parser (lower-case, IDNA to A-labels, IP normalization).
///
/// Returns `None` for a value that is not a host.
pub(crate) fn canonicalize_domain(raw: &[u8]) -> Option<String> {
    canonical_domain(raw).map(Cow::into_owned)
}

/// [`canonicalize_domain`], borrowing `raw` when it is already canonical.
///
/// The common attribute (`Domain=example.com`) is lower-case letters, digits, `-` and `.` in
/// non-empty labels, its last label starting with a letter and none starting with `xn--`: the
/// URL host parser (WHATWG "host parsing": ASCII lower-casing, UTS #46 with no mapping for
/// such labels, an IPv4 form only when the last label is a number) returns it unchanged, so it
/// is returned without running the parser; anything else goes through `Host::parse`.
pub(crate) fn canonical_domain(raw: &[u8]) -> Option<Cow<'_, str>> {
    let raw = raw.strip_prefix(b".").unwrap_or(raw);
    if let Some(fast) = plain_ascii_domain(raw) {
        return Some(fast);
    }
    let s = std::str::from_utf8(raw).ok()?;
    if s.is_empty() {
        return None;
    }
    match Host::parse(s).ok()? {
        Host::Domain(d) => Some(Cow::Owned(d)),
        Host::Ipv4(ip) => Some(Cow::Owned(ip.to_string())),
        Host::Ipv6(ip) => Some(Cow::Owned(format!("[{ip}]"))),
    }
}

/// The fast path of [`canonical_domain`]: `raw` lower-cased when it is a plain ASCII domain
/// the host parser would return as is (see there), else `None`.
fn plain_ascii_domain(raw: &[u8]) -> Option<Cow<'_, str>> {
    let mut upper = false;
    for label in raw.split(|&b| b == b'.') {
        label.first()?; // an empty label: the parser decides
        if label.len() >= 4
            && label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--"))
        {
            return None; // punycode: the parser validates it
        }
        for &b in label {
            match b {
                b'a'..=b'z' | b'0'..=b'9' | b'-' => {}
                b'A'..=b'Z' => upper = true,
                _ => return None,
            }
        }
    }
    // The last label must start with a letter: a number there makes an IPv4 form (WHATWG
    // "ends in a number").
    let last = raw.rsplit(|&b| b == b'.').next()?;
    if !last.first()?.is_ascii_alphabetic() {
        return None;
    }
    let s = std::str::from_utf8(raw).ok()?;
    Some(if upper {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    })
}

/// Domain-match (6265bis 5.1.3): identical, or `host` ends with `"." + domain` and is not an IP.
///
/// ```
/// use cookiejar::host::domain_match;
/// assert!(domain_match("www.example.com", "example.com"));
/// assert!(!domain_match("wwwexample.com", "example.com"));
/// assert!(!domain_match("1.2.3.4", "2.3.4"));
/// ```
pub fn domain_match(host: &str, domain: &str) -> bool {
    domain_match_bytes(host.as_bytes(), domain.as_bytes())
}

/// [`domain_match`] over bytes, for the lookup's hot path.
pub(crate) fn domain_match_bytes(host: &[u8], domain: &[u8]) -> bool {
    if bytes_eq(host, domain) {
        return true;
    }
    host.len() > domain.len()
        && ends_with(host, domain)
        && host.get(host.len() - domain.len() - 1) == Some(&b'.')
        && !is_ip_bytes(host)
}

/// `a == b` for the short strings of hosts and paths, inlined: the slice `==` calls `memcmp`,
/// whose call costs more than comparing a few words here.
#[inline]
pub(crate) fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 4 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    if n < 8 {
        // Two (possibly overlapping) four-byte words.
        let word = |s: &[u8], i: usize| {
            s.get(i..i + 4)
                .and_then(|w| <[u8; 4]>::try_from(w).ok())
                .map_or(0, u32::from_ne_bytes)
        };
        return word(a, 0) == word(b, 0) && word(a, n - 4) == word(b, n - 4);
    }
    // Whole words, then the last (possibly overlapping) word.
    let word = |s: &[u8], i: usize| {
        s.get(i..i + 8)
            .and_then(|w| <[u8; 8]>::try_from(w).ok())
            .map_or(0, u64::from_ne_bytes)
    };
    let mut i = 0;
    while i + 8 < n {
        if word(a, i) != word(b, i) {
            return false;
        }
        i += 8;
    }
    word(a, n - 8) == word(b, n - 8)
}

/// `s.ends_with(suffix)` through [`bytes_eq`].
#[inline]
pub(crate) fn ends_with(s: &[u8], suffix: &[u8]) -> bool {
    s.len() >= suffix.len()
        && s.get(s.len() - suffix.len()..)
            .is_some_and(|t| bytes_eq(t, suffix))
}

/// `s.starts_with(prefix)` through [`bytes_eq`].
#[inline]
pub(crate) fn starts_with(s: &[u8], prefix: &[u8]) -> bool {
    s.get(..prefix.len()).is_some_and(|t| bytes_eq(t, prefix))
}

/// The site key of a host: its registrable domain (eTLD+1, both PSL sections), or the host
/// itself for IP addresses, `localhost` and hosts that are public suffixes. A cookie can only
/// be sent to hosts that share its site key, so the store is bucketed by it.
pub(crate) fn site_key<'h>(psl: &dyn SuffixList, host: &'h str) -> &'h str {
    site_key_of(psl, host, is_ip(host))
}

/// [`site_key`] of a host already known to be an IP address or not.
#[inline]
pub(crate) fn site_key_of<'h>(psl: &dyn SuffixList, host: &'h str, host_is_ip: bool) -> &'h str {
    if host_is_ip {
        return host;
    }
    registrable_domain(psl, host).unwrap_or(host)
}

/// Hosts Chromium treats as potentially trustworthy over plain http: `localhost`,
/// `*.localhost`, 127.0.0.0/8 and `[::1]` (Chromium `network::IsUrlPotentiallyTrustworthy`).
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let h = host.strip_suffix('.').unwrap_or(host);
    h == "localhost"
        || h.ends_with(".localhost")
        || h == "[::1]"
        || (is_ip(h)
            && h.parse::<std::net::Ipv4Addr>()
                .is_ok_and(|ip| ip.is_loopback()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn inlined_compares_agree_with_slices() {
        let words: Vec<Vec<u8>> = (0..40)
            .flat_map(|n| {
                let base: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
                let mut out = vec![base.clone()];
                for at in 0..n {
                    let mut v = base.clone();
                    v[at] ^= 1;
                    out.push(v);
                }
                out
            })
            .collect();
        for a in &words {
            for b in &words {
                assert_eq!(bytes_eq(a, b), a == b, "{a:?} {b:?}");
                assert_eq!(ends_with(a, b), a.ends_with(b), "{a:?} {b:?}");
                assert_eq!(starts_with(a, b), a.starts_with(b), "{a:?} {b:?}");
            }
        }
    }

    use super::*;

    /// The host parser's answer, for comparing with the fast path.
    fn parsed(raw: &[u8]) -> Option<String> {
        let raw = raw.strip_prefix(b".").unwrap_or(raw);
        let s = std::str::from_utf8(raw).ok().filter(|s| !s.is_empty())?;
        match Host::parse(s).ok()? {
            Host::Domain(d) => Some(d),
            Host::Ipv4(ip) => Some(ip.to_string()),
            Host::Ipv6(ip) => Some(format!("[{ip}]")),
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_host_parser() {
        let fixed: &[&[u8]] = &[
            b"example.com",
            b".Example.COM",
            b"a-b.c-d.org",
            b"-a.com",
            b"a-.com",
            b"1a.com",
            b"a.1com",
            b"a.0x1f",
            b"1.2.3.4",
            b"a..b",
            b"a.",
            b".",
            b"",
            b"xn--bcher-kva.de",
            b"XN--x.com",
            b"a_b.com",
            b"a.b-",
            b"0",
            b"com",
            b"a.b.c.d.e.f.g",
        ];
        for raw in fixed {
            assert_eq!(
                canonicalize_domain(raw),
                parsed(raw),
                "{:?}",
                String::from_utf8_lossy(raw)
            );
        }
        // Random strings over the characters that matter, from a fixed seed.
        let alphabet = b"aAzZ09-.xn_";
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            crate::xorshift(&mut x);
            let len = (x % 12) as usize;
            let raw: Vec<u8> = (0..len)
                .map(|i| alphabet[((x >> (i * 4 + 8)) % alphabet.len() as u64) as usize])
                .collect();
            assert_eq!(
                canonicalize_domain(&raw),
                parsed(&raw),
                "{:?}",
                String::from_utf8_lossy(&raw)
            );
        }
    }

    #[test]
    fn canonical_domain() {
        assert_eq!(
            canonicalize_domain(b".Example.COM").as_deref(),
            Some("example.com")
        );
        assert_eq!(
            canonicalize_domain(b"b\xc3\xbccher.de").as_deref(),
            Some("xn--bcher-kva.de")
        );
        assert_eq!(
            canonicalize_domain(b"127.0.0.1").as_deref(),
            Some("127.0.0.1")
        );
        assert_eq!(canonicalize_domain(b"[::1]").as_deref(), Some("[::1]"));
        assert_eq!(canonicalize_domain(b""), None);
        assert_eq!(canonicalize_domain(b"."), None);
        assert_eq!(canonicalize_domain(b"a b.com"), None);
        assert_eq!(canonicalize_domain(b"\xff.com"), None);
    }

    #[test]
    fn domain_matching() {
        assert!(domain_match("example.com", "example.com"));
        assert!(domain_match("a.b.example.com", "example.com"));
        assert!(!domain_match("example.com", "www.example.com"));
        assert!(!domain_match("badexample.com", "example.com"));
        assert!(domain_match("127.0.0.1", "127.0.0.1"));
        assert!(!domain_match("10.0.0.1", "0.0.1"));
    }

    #[test]
    fn site_keys() {
        let l = psl::List;
        assert_eq!(site_key(&l, "www.example.co.uk"), "example.co.uk");
        assert_eq!(site_key(&l, "co.uk"), "co.uk");
        assert_eq!(site_key(&l, "127.0.0.1"), "127.0.0.1");
        assert_eq!(site_key(&l, "[::1]"), "[::1]");
        assert_eq!(site_key(&l, "localhost"), "localhost");
        assert_eq!(site_key(&l, "a.localhost"), "a.localhost");
    }

    #[test]
    fn loopback() {
        for h in [
            "localhost",
            "a.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["localhost.com", "128.0.0.1", "[::2]", "example.com"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }
}

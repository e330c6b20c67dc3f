//! Hosts: the request host, the `Domain` attribute, domain-match and the site key.

use crate::rules::psl::{registrable_domain, SuffixList};
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
    let last = host.rsplit(|&b| b == b'.').next().unwrap_or(&[]);
    !last.is_empty() && last.iter().all(u8::is_ascii_digit)
}

/// Canonicalizes a `Domain` attribute value (6265bis 5.6.3 and 5.7 step 5): drop one leading
/// dot, then run the URL host parser (lower-case, IDNA to A-labels, IP normalization).
///
/// Returns `None` for a value that is not a host.
pub(crate) fn canonicalize_domain(raw: &[u8]) -> Option<String> {
    let raw = raw.strip_prefix(b".").unwrap_or(raw);
    let s = std::str::from_utf8(raw).ok()?;
    if s.is_empty() {
        return None;
    }
    match Host::parse(s).ok()? {
        Host::Domain(d) => Some(d),
        Host::Ipv4(ip) => Some(ip.to_string()),
        Host::Ipv6(ip) => Some(format!("[{ip}]")),
    }
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
    if host == domain {
        return true;
    }
    host.len() > domain.len()
        && host.ends_with(domain)
        && host.get(host.len() - domain.len() - 1) == Some(&b'.')
        && !is_ip_bytes(host)
}

/// The site key of a host: its registrable domain (eTLD+1, both PSL sections), or the host
/// itself for IP addresses, `localhost` and hosts that are public suffixes. A cookie can only
/// be sent to hosts that share its site key, so the store is bucketed by it.
pub(crate) fn site_key<'h>(psl: &dyn SuffixList, host: &'h str) -> &'h str {
    if is_ip(host) {
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
    use super::*;

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

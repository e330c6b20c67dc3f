//! Why a cookie was not stored ([`Rejection`]) or not sent ([`Exclusion`]).
//!
//! Like Chromium's `CookieInclusionStatus`: every decision has a reason value, and tests assert
//! the reason, not just the absence.

use std::fmt;

/// A `Set-Cookie` line that is not a cookie at all (6265bis 5.6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParseError {
    /// 6265bis 5.6 step 1: a control character other than HTAB (the byte is given).
    ControlCharacter(u8),
    /// 6265bis 5.6: both name and value are empty.
    EmptyNameAndValue,
    /// 6265bis 5.6: name and value together exceed 4096 bytes (their length is given).
    NameValueTooLong(usize),
    /// Chromium: a tab inside the name, value or an attribute.
    Tab,
    /// Chromium: a nameless cookie whose value holds `=` (`=a=b`).
    NamelessWithEquals,
    /// Firefox: an empty name before `=` (`=a`).
    EmptyName,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::ControlCharacter(b) => write!(f, "control character 0x{b:02x} in the line"),
            ParseError::EmptyNameAndValue => f.write_str("both name and value are empty"),
            ParseError::NameValueTooLong(n) => {
                write!(
                    f,
                    "name and value are {n} bytes together, over the 4096 limit"
                )
            }
            ParseError::Tab => f.write_str("a tab inside the name, value or an attribute"),
            ParseError::NamelessWithEquals => {
                f.write_str("a nameless cookie whose value holds '='")
            }
            ParseError::EmptyName => f.write_str("an empty name before '='"),
        }
    }
}

impl std::error::Error for ParseError {}

/// Why `set_cookie` refused a cookie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// The line does not parse (6265bis 5.6).
    Parse(ParseError),
    /// The request URL has no host or a scheme that does not carry cookies (http, https, ws, wss).
    UnsupportedUrl,
    /// The `Domain` attribute is not a valid host name.
    InvalidDomain,
    /// The `Domain` attribute is a public suffix other than the request host (6265bis 5.7 step 9).
    PublicSuffixDomain,
    /// The request host does not domain-match the `Domain` attribute (6265bis 5.7 step 10).
    DomainMismatch,
    /// `Secure` from an insecure URL (6265bis 5.7 step 14).
    SecureFromInsecureUrl,
    /// An insecure URL tried to set or overwrite a cookie that would shadow a Secure one
    /// (6265bis 5.7 step 16, "leave secure cookies alone").
    OverwriteSecure,
    /// `HttpOnly` from a script (6265bis 5.7 step 13).
    HttpOnlyFromScript,
    /// A script tried to overwrite an `HttpOnly` cookie (6265bis 5.7 step 22).
    OverwriteHttpOnly,
    /// A nameless cookie whose value starts with a reserved prefix (6265bis 5.7 step 17).
    NamelessWithPrefix,
    /// The `__Secure-` prefix rules were not met (6265bis 5.7 step 18).
    SecurePrefix,
    /// The `__Host-` prefix rules were not met (6265bis 5.7 step 19).
    HostPrefix,
    /// The `__Http-` prefix rules were not met (HttpOnly, Secure, from HTTP).
    HttpPrefix,
    /// The `__Host-Http-` prefix rules were not met.
    HostHttpPrefix,
    /// `SameSite=None` without `Secure` (6265bis 5.7 step 15; Chromium).
    SameSiteNoneInsecure,
    /// A SameSite Strict or Lax cookie (or unspecified, under Lax-by-default) set from a
    /// cross-site context (6265bis 5.7 step 15).
    SameSiteContext,
    /// `Partitioned` without `Secure` (CHIPS).
    PartitionedInsecure,
    /// The cookie alone is larger than its partition's byte budget (CHIPS).
    PartitionTooLarge,
    /// Firefox: the site is full of live Secure cookies and an insecure one cannot evict them.
    SiteFull,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Rejection::Parse(e) => return write!(f, "unparseable Set-Cookie: {e}"),
            Rejection::UnsupportedUrl => "the URL has no host or does not carry cookies",
            Rejection::InvalidDomain => "the Domain attribute is not a valid host",
            Rejection::PublicSuffixDomain => "the Domain attribute is a public suffix",
            Rejection::DomainMismatch => "the request host is not within the Domain attribute",
            Rejection::SecureFromInsecureUrl => "a Secure cookie from an insecure URL",
            Rejection::OverwriteSecure => "an insecure URL may not shadow a Secure cookie",
            Rejection::HttpOnlyFromScript => "a script may not set an HttpOnly cookie",
            Rejection::OverwriteHttpOnly => "a script may not overwrite an HttpOnly cookie",
            Rejection::NamelessWithPrefix => "a nameless cookie whose value starts with a prefix",
            Rejection::SecurePrefix => "__Secure- needs Secure from a secure URL",
            Rejection::HostPrefix => "__Host- needs Secure, no Domain and Path=/",
            Rejection::HttpPrefix => "__Http- needs Secure and HttpOnly, set over HTTP",
            Rejection::HostHttpPrefix => "__Host-Http- needs the __Host- and __Http- rules",
            Rejection::SameSiteNoneInsecure => "SameSite=None needs Secure",
            Rejection::SameSiteContext => "a SameSite cookie set from a cross-site context",
            Rejection::PartitionedInsecure => "Partitioned needs Secure",
            Rejection::PartitionTooLarge => "the cookie is larger than its partition may hold",
            Rejection::SiteFull => "the site is full of Secure cookies",
        };
        f.write_str(s)
    }
}

impl std::error::Error for Rejection {}

impl From<ParseError> for Rejection {
    fn from(e: ParseError) -> Self {
        Rejection::Parse(e)
    }
}

/// Why a stored cookie was not sent with a request (see [`crate::CookieJar::explain`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exclusion {
    /// The cookie has expired.
    Expired,
    /// The host does not match the cookie's domain (host-only or domain-match).
    DomainMismatch,
    /// The request path does not path-match the cookie path.
    PathMismatch,
    /// A Secure cookie and an insecure URL.
    NotSecure,
    /// An HttpOnly cookie and a script read.
    HttpOnly,
    /// `SameSite=Strict` and a context weaker than strict.
    SameSiteStrict,
    /// `SameSite=Lax` and a cross-site (or unsafe-method) context.
    SameSiteLax,
    /// No `SameSite`, treated as Lax, and a cross-site context.
    SameSiteUnspecifiedTreatedAsLax,
    /// A partitioned cookie of another partition.
    Partition,
}

impl fmt::Display for Exclusion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Exclusion::Expired => "expired",
            Exclusion::DomainMismatch => "domain does not match",
            Exclusion::PathMismatch => "path does not match",
            Exclusion::NotSecure => "Secure cookie, insecure request",
            Exclusion::HttpOnly => "HttpOnly cookie, script read",
            Exclusion::SameSiteStrict => "SameSite=Strict, not a strictly same-site request",
            Exclusion::SameSiteLax => "SameSite=Lax, cross-site request",
            Exclusion::SameSiteUnspecifiedTreatedAsLax => {
                "no SameSite (treated as Lax), cross-site request"
            }
            Exclusion::Partition => "partitioned under another top-level site",
        })
    }
}

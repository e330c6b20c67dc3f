//! Why a cookie was not stored ([`Rejection`]) or not sent ([`Exclusion`]).
//!
//! Like Chromium's `CookieInclusionStatus`: every decision has a reason value, and tests assert
//! the reason, not just the absence.

use std::fmt;

/// A `Set-Cookie` line that is not a cookie at all (6265bis 5.6).
#[non_exhaustive]
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

/// Why `set_cookie` (or `insert`) refused a cookie.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Rejection {
    /// The line does not parse (6265bis 5.6).
    Parse(ParseError),
    /// The request URL has no host, a host ending in `..` (Chromium
    /// `GetCookieDomainWithString`), or a scheme that does not carry cookies (http, https, ws,
    /// wss).
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
    /// `SameSite=None` without `Secure` (Chromium `CanonicalCookie::Create`, Firefox; see
    /// `Policy::samesite_none_requires_secure`).
    SameSiteNoneInsecure,
    /// A SameSite Strict or Lax cookie (or unspecified, under Lax-by-default) set from a
    /// cross-site context (6265bis 5.7 step 15).
    SameSiteContext,
    /// A SameSite cookie set in a context that only a cross-site hop of the request's redirect
    /// chain made cross-site (6265bis 5.2 and 5.7 step 15; Firefox).
    SameSiteCrossSiteRedirect,
    /// `Partitioned` without `Secure` (CHIPS).
    PartitionedInsecure,
    /// The cookie's name and value alone are larger than its partition's byte budget
    /// (CHIPS `kPerPartitionDomainMaxCookieBytes`, `Policy::max_bytes_per_partition`).
    PartitionTooLarge,
    /// Firefox: the site is full of live Secure cookies and an insecure one cannot evict them.
    SiteFull,
    /// [`crate::CookieJar::insert`]: a domain cookie (not host-only) whose domain is a public
    /// suffix, which admission would never have stored (6265bis 5.7 step 9).
    PublicSuffixDomainCookie,
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
            Rejection::SameSiteCrossSiteRedirect => {
                "a SameSite cookie set from a context made cross-site by a redirect hop"
            }
            Rejection::PartitionedInsecure => "Partitioned needs Secure",
            Rejection::PartitionTooLarge => "the cookie is larger than its partition may hold",
            Rejection::SiteFull => "the site is full of Secure cookies",
            Rejection::PublicSuffixDomainCookie => "a domain cookie on a public suffix",
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
#[non_exhaustive]
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
    /// A SameSite cookie (the value says which kind) that the request would carry but for a
    /// hop of its redirect chain cross-site to it (6265bis 5.2, Firefox
    /// `CookieCommons::IsSameSiteForeign`; Chromium's `WARN_CROSS_SITE_REDIRECT_DOWNGRADE`).
    CrossSiteRedirect(crate::SameSite),
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
            Exclusion::CrossSiteRedirect(crate::SameSite::Strict) => {
                "SameSite=Strict, a cross-site hop in the redirect chain"
            }
            Exclusion::CrossSiteRedirect(crate::SameSite::Lax) => {
                "SameSite=Lax, a cross-site hop in the redirect chain"
            }
            Exclusion::CrossSiteRedirect(_) => {
                "no SameSite (treated as Lax), a cross-site hop in the redirect chain"
            }
        })
    }
}

/// Why a cookie built from stored fields ([`crate::CookieBuilder::build`]) is not one a browser
/// could hold: the canonical gate every import passes (Chromium
/// `CanonicalCookie::IsCanonicalForFromStorage`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotCanonical {
    /// Both name and value are empty (6265bis 5.6).
    EmptyNameAndValue,
    /// Name and value together exceed 4096 bytes (6265bis 5.6; the length is given).
    NameValueTooLong(usize),
    /// The name holds a control byte, `;` or `=`, or leading or trailing whitespace (6265bis 5.6).
    InvalidName,
    /// The value holds a control byte or `;`, or leading or trailing whitespace (6265bis 5.6).
    InvalidValue,
    /// The domain is empty, not lower-case, has a leading dot, or is not what the URL host
    /// parser makes of it (IDNA A-labels, canonical IPs).
    InvalidDomain,
    /// A domain cookie (not host-only) on an IP address (Chromium `GetCookieDomainWithString`).
    DomainCookieOnIp,
    /// The path does not start with `/`, or holds a control byte.
    InvalidPath,
    /// A cookie prefix (`__Secure-`, `__Host-`, `__Http-`, `__Host-Http-`, case-insensitive, or a
    /// nameless cookie whose value starts with one) whose rules the cookie breaks (6265bis 5.7
    /// steps 17-19).
    Prefix,
    /// `SameSite=None` without `Secure` (Chromium, Firefox).
    SameSiteNoneInsecure,
    /// The `Partitioned` attribute without `Secure` (CHIPS), or without a partition key.
    PartitionedInsecure,
    /// A partition key that is not a scheme and a site (`https://example.com`).
    InvalidPartitionKey,
    /// The expiry is more than 400 days after the later of creation and last access (6265bis
    /// 5.5 cookie-age-limit; an overwrite keeps the creation time but restarts the 400 days).
    ExpiryPastCap,
}

impl fmt::Display for NotCanonical {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            NotCanonical::EmptyNameAndValue => "both name and value are empty",
            NotCanonical::NameValueTooLong(n) => {
                return write!(f, "name and value are {n} bytes together, over 4096")
            }
            NotCanonical::InvalidName => {
                "the name holds a control byte, ';', '=' or surrounding whitespace"
            }
            NotCanonical::InvalidValue => {
                "the value holds a control byte, ';' or surrounding whitespace"
            }
            NotCanonical::InvalidDomain => "the domain is not a canonical host",
            NotCanonical::DomainCookieOnIp => "a domain cookie on an IP address",
            NotCanonical::InvalidPath => "the path is not absolute or holds a control byte",
            NotCanonical::Prefix => "the cookie breaks the rules of its name's prefix",
            NotCanonical::SameSiteNoneInsecure => "SameSite=None needs Secure",
            NotCanonical::PartitionedInsecure => "Partitioned needs Secure and a partition key",
            NotCanonical::InvalidPartitionKey => "the partition key is not scheme://site",
            NotCanonical::ExpiryPastCap => {
                "the expiry is more than 400 days after creation or last access"
            }
        };
        f.write_str(s)
    }
}

impl std::error::Error for NotCanonical {}

/// Something a browser would warn about on a cookie it still stored (Chromium
/// `CookieInclusionStatus::WarningReason`).
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Warning {
    /// The expiry asked for was more than 400 days away and was capped (6265bis 5.5
    /// cookie-age-limit; Chromium `CanonicalCookie::ValidateAndAdjustExpiryDate`).
    ExpiryCapped,
    /// An attribute value over 1024 bytes was ignored (6265bis 5.6.1; Chromium
    /// `WARN_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE`).
    AttributeValueTooLong,
    /// A `SameSite` attribute with a value that is not `Strict`, `Lax` or `None` was treated as
    /// unspecified (6265bis 5.6.7).
    UnknownSameSite,
}

impl Warning {
    const ALL: [Warning; 3] = [
        Warning::ExpiryCapped,
        Warning::AttributeValueTooLong,
        Warning::UnknownSameSite,
    ];

    fn bit(self) -> u8 {
        match self {
            Warning::ExpiryCapped => 1,
            Warning::AttributeValueTooLong => 2,
            Warning::UnknownSameSite => 4,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Warning::ExpiryCapped => "the expiry was capped at 400 days",
            Warning::AttributeValueTooLong => "an attribute value over 1024 bytes was ignored",
            Warning::UnknownSameSite => "an unknown SameSite value was treated as unspecified",
        })
    }
}

/// The [`Warning`]s of one stored cookie: a small set.
///
/// ```
/// use cookiejar::{Warning, Warnings};
/// let w = Warnings::default().with(Warning::ExpiryCapped);
/// assert!(w.contains(Warning::ExpiryCapped));
/// assert_eq!(w.iter().count(), 1);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Warnings(u8);

impl Warnings {
    /// This set with `w` added.
    #[must_use]
    pub fn with(self, w: Warning) -> Self {
        Warnings(self.0 | w.bit())
    }
    /// Whether `w` is in the set.
    pub fn contains(self, w: Warning) -> bool {
        self.0 & w.bit() != 0
    }
    /// True when there is no warning.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    /// The warnings, in a fixed order.
    pub fn iter(self) -> impl Iterator<Item = Warning> {
        Warning::ALL.into_iter().filter(move |w| self.contains(*w))
    }
}

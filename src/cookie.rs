//! The stored cookie, as users of the jar see it.

use crate::reason::NotCanonical;
use crate::rules::host::bytes_eq;
use crate::syntax::parse::{is_forbidden_ctl, trim_wsp};
pub use crate::timestamp::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

/// The `SameSite` attribute of a cookie (6265bis 5.6.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SameSite {
    /// Absent or unrecognized: "Default" enforcement (Lax-by-default in Chromium).
    #[default]
    Unspecified,
    /// `SameSite=None`: sent in every context (requires `Secure`).
    None,
    /// `SameSite=Lax`: sent on same-site requests and cross-site top-level safe navigations.
    Lax,
    /// `SameSite=Strict`: sent on same-site requests only.
    Strict,
}

/// Chromium's `Priority` attribute, which shapes eviction (`cookie_monster.cc`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Priority {
    /// `Priority=Low`: evicted first.
    Low,
    /// The default.
    #[default]
    Medium,
    /// `Priority=High`: evicted last.
    High,
}

/// 6265bis 5.5 cookie-age-limit: no expiry lies more than 400 days after it was set. The
/// canonical gate checks it; the file readers cap at it.
pub(crate) const AGE_LIMIT_SECONDS: i64 = 400 * 24 * 3600;

/// Bytes kept inside the cookie itself when short (a typical domain and path fit), so that
/// filtering a bucket reads one contiguous `Vec` and chases no pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Compact {
    /// Up to [`Compact::INLINE`] bytes, in place.
    Inline(u8, [u8; Compact::INLINE]),
    /// Longer: on the heap.
    Heap(Box<[u8]>),
}

impl Compact {
    pub(crate) const INLINE: usize = 46;

    pub(crate) fn new(parts: &[&[u8]]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        if len <= Self::INLINE {
            let mut buf = [0u8; Self::INLINE];
            let mut at = 0;
            for p in parts {
                if let Some(dst) = buf.get_mut(at..at + p.len()) {
                    dst.copy_from_slice(p);
                }
                at += p.len();
            }
            // len <= INLINE (46) fits a u8.
            Compact::Inline(u8::try_from(len).unwrap_or(0), buf)
        } else {
            Compact::Heap(parts.concat().into_boxed_slice())
        }
    }

    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Compact::Inline(len, buf) => buf.get(..usize::from(*len)).unwrap_or(&[]),
            Compact::Heap(b) => b,
        }
    }
}

/// A cookie in the jar.
///
/// Built by the jar's admission rules from a `Set-Cookie` line, or from stored fields through
/// [`Cookie::builder`], whose [`CookieBuilder::build`] is the canonical gate: either way its
/// fields are consistent (a canonical lower-case domain, an absolute path, a name and value
/// within the size limits, prefixes respected).
///
/// ```
/// use cookiejar::{Cookie, SameSite, Timestamp};
/// let t = Timestamp::from_unix_seconds(1_800_000_000);
/// let c = Cookie::builder("sid", "1", "example.com")
///     .host_only(false)
///     .secure(true)
///     .same_site(SameSite::Lax)
///     .expires(Some(t.plus_seconds(3600)))
///     .creation(t)
///     .build()
///     .unwrap();
/// assert_eq!((c.name_str().as_ref(), c.domain(), c.path()), ("sid", "example.com", "/"));
/// ```
///
/// Stored compactly: name and value share one allocation; domain and path share another, or
/// none when they are short (see `Compact`).
#[derive(Debug)]
pub struct Cookie {
    /// Name then value.
    pub(crate) name_value: Box<[u8]>,
    pub(crate) name_len: u32,
    /// Domain then path (both ASCII or UTF-8 text).
    pub(crate) domain_path: Compact,
    pub(crate) domain_len: u32,
    pub(crate) host_only: bool,
    pub(crate) expires: Option<Timestamp>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: SameSite,
    pub(crate) priority: Priority,
    pub(crate) partition_key: Option<Box<str>>,
    /// The line carried the `Partitioned` attribute (CHIPS); false for a cookie partitioned by
    /// the profile alone (Firefox Total Cookie Protection, `isPartitionedAttributeSet`).
    pub(crate) partitioned_attribute: bool,
    pub(crate) creation: Timestamp,
    /// Updated through `&self` by lookups (relaxed atomics), so readers never need a write lock.
    pub(crate) last_access: AtomicI64,
}

/// Everything needed to build a [`Cookie`] (the jar's admission fills it in).
pub(crate) struct CookieParts<'a> {
    pub(crate) name: &'a [u8],
    pub(crate) value: &'a [u8],
    pub(crate) domain: &'a str,
    pub(crate) path: &'a str,
    pub(crate) host_only: bool,
    pub(crate) expires: Option<Timestamp>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: SameSite,
    pub(crate) priority: Priority,
    pub(crate) partition_key: Option<Box<str>>,
    pub(crate) partitioned_attribute: bool,
    pub(crate) creation: Timestamp,
}

impl Clone for Cookie {
    fn clone(&self) -> Self {
        Cookie {
            name_value: self.name_value.clone(),
            name_len: self.name_len,
            domain_path: self.domain_path.clone(),
            domain_len: self.domain_len,
            host_only: self.host_only,
            expires: self.expires,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            priority: self.priority,
            partition_key: self.partition_key.clone(),
            partitioned_attribute: self.partitioned_attribute,
            creation: self.creation,
            last_access: AtomicI64::new(self.last_access.load(Ordering::Relaxed)),
        }
    }
}

impl PartialEq for Cookie {
    fn eq(&self, o: &Self) -> bool {
        self.name_value == o.name_value
            && self.name_len == o.name_len
            && self.domain_path == o.domain_path
            && self.domain_len == o.domain_len
            && self.host_only == o.host_only
            && self.expires == o.expires
            && self.secure == o.secure
            && self.http_only == o.http_only
            && self.same_site == o.same_site
            && self.priority == o.priority
            && self.partition_key == o.partition_key
            && self.partitioned_attribute == o.partitioned_attribute
            && self.creation == o.creation
    }
}

impl Cookie {
    pub(crate) fn new(p: CookieParts<'_>, now: Timestamp) -> Self {
        Cookie {
            name_value: [p.name, p.value].concat().into_boxed_slice(),
            // The parser caps name + value at a few KiB and the URL host parser caps nothing,
            // so lengths are u32 with saturation (never reached for real input).
            name_len: u32::try_from(p.name.len()).unwrap_or(u32::MAX),
            domain_path: Compact::new(&[p.domain.as_bytes(), p.path.as_bytes()]),
            domain_len: u32::try_from(p.domain.len()).unwrap_or(u32::MAX),
            host_only: p.host_only,
            expires: p.expires,
            secure: p.secure,
            http_only: p.http_only,
            same_site: p.same_site,
            priority: p.priority,
            partition_key: p.partition_key,
            partitioned_attribute: p.partitioned_attribute,
            creation: p.creation,
            last_access: AtomicI64::new(now.0),
        }
    }

    #[inline]
    fn split(bytes: &[u8], at: u32) -> (&[u8], &[u8]) {
        let at = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
        bytes.split_at(at)
    }

    /// Gives an imported cookie whose file had no creation time a fresh one (also its last
    /// access). Callers pass a time at or after the one the reader built it with, so the
    /// 400-day expiry cap, counted from creation, still holds.
    pub(crate) fn restamp_creation(&mut self, t: Timestamp) {
        self.creation = t;
        self.last_access = AtomicI64::new(t.unix_micros());
    }

    /// The name, as received (may be empty for a nameless cookie).
    #[inline]
    pub fn name(&self) -> &[u8] {
        Self::split(&self.name_value, self.name_len).0
    }
    /// The value, as received (no percent-decoding).
    #[inline]
    pub fn value(&self) -> &[u8] {
        Self::split(&self.name_value, self.name_len).1
    }
    /// Name and value bytes together (what the CHIPS byte budget counts).
    pub(crate) fn name_value_len(&self) -> usize {
        self.name_value.len()
    }
    /// The name as text (lossy for non-UTF-8 bytes).
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.name())
    }
    /// The value as text (lossy for non-UTF-8 bytes).
    pub fn value_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.value())
    }
    /// The domain as bytes (hot path: no UTF-8 check).
    pub(crate) fn domain_bytes(&self) -> &[u8] {
        Self::split(self.domain_path.as_bytes(), self.domain_len).0
    }
    /// The domain and the path as bytes, split once (the lookup's hot path).
    #[inline]
    pub(crate) fn domain_and_path_bytes(&self) -> (&[u8], &[u8]) {
        Self::split(self.domain_path.as_bytes(), self.domain_len)
    }
    /// The path as bytes (hot path: no UTF-8 check).
    pub(crate) fn path_bytes(&self) -> &[u8] {
        Self::split(self.domain_path.as_bytes(), self.domain_len).1
    }
    /// The canonical domain (lower-case, IDNA A-labels, no leading dot).
    pub fn domain(&self) -> &str {
        // Built from a `&str`, so always UTF-8; the fallback keeps this panic-free.
        std::str::from_utf8(self.domain_bytes()).unwrap_or("")
    }
    /// True when the cookie is sent only to exactly [`Cookie::domain`] (no `Domain` attribute).
    pub fn host_only(&self) -> bool {
        self.host_only
    }
    /// The cookie path (always starts with `/`).
    pub fn path(&self) -> &str {
        // Built from a `&str`, so always UTF-8; the fallback keeps this panic-free.
        std::str::from_utf8(self.path_bytes()).unwrap_or("/")
    }
    /// When the cookie expires; `None` for a session cookie.
    pub fn expires(&self) -> Option<Timestamp> {
        self.expires
    }
    /// True for a persistent cookie (one with an expiry).
    pub fn persistent(&self) -> bool {
        self.expires.is_some()
    }
    /// `Secure`.
    pub fn secure(&self) -> bool {
        self.secure
    }
    /// `HttpOnly`.
    pub fn http_only(&self) -> bool {
        self.http_only
    }
    /// `SameSite`.
    pub fn same_site(&self) -> SameSite {
        self.same_site
    }
    /// `Priority`.
    pub fn priority(&self) -> Priority {
        self.priority
    }
    /// The partition (top-level site) of a partitioned cookie: one set with the `Partitioned`
    /// attribute (CHIPS), or, under a profile that partitions third-party cookies (Firefox Total
    /// Cookie Protection), one set in a third-party context.
    pub fn partition_key(&self) -> Option<&str> {
        self.partition_key.as_deref()
    }
    /// True when the cookie carried the `Partitioned` attribute (CHIPS, which needs `Secure`);
    /// false for an unpartitioned cookie and for one partitioned by the profile alone (Firefox
    /// `isPartitionedAttributeSet`).
    pub fn partitioned_attribute(&self) -> bool {
        self.partitioned_attribute
    }
    /// When the cookie was created (kept across overwrites, see the storage model).
    pub fn creation(&self) -> Timestamp {
        self.creation
    }
    /// When the cookie was last sent or stored.
    pub fn last_access(&self) -> Timestamp {
        Timestamp(self.last_access.load(Ordering::Relaxed))
    }
    /// True when the cookie has expired at `now`.
    #[inline]
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires.is_some_and(|e| e <= now)
    }
    /// The identity of this cookie (what [`crate::CookieJar::get`] and `remove` take).
    pub fn id(&self) -> CookieId {
        CookieId {
            name: self.name().to_vec(),
            domain: self.domain().to_owned(),
            host_only: self.host_only,
            path: self.path().to_owned(),
            partition_key: self.partition_key.as_deref().map(str::to_owned),
        }
    }

    /// Whether this cookie has the identity `id`.
    pub fn has_id(&self, id: &CookieId) -> bool {
        self.name() == id.name.as_slice()
            && self.domain_bytes() == id.domain.as_bytes()
            && self.host_only == id.host_only
            && self.path_bytes() == id.path.as_bytes()
            && self.partition_key.as_deref() == id.partition_key.as_deref()
    }

    /// Starts a cookie from stored fields: path `/`, host-only, session, no attributes,
    /// created (and last accessed) at the Unix epoch until told otherwise.
    pub fn builder(
        name: impl Into<Vec<u8>>,
        value: impl Into<Vec<u8>>,
        domain: impl Into<String>,
    ) -> CookieBuilder {
        CookieBuilder {
            name: name.into(),
            value: value.into(),
            domain: domain.into(),
            path: "/".to_owned(),
            host_only: true,
            expires: None,
            secure: false,
            http_only: false,
            same_site: SameSite::Unspecified,
            priority: Priority::Medium,
            partition_key: None,
            partitioned_attribute: false,
            creation: Timestamp::UNIX_EPOCH,
            last_access: None,
        }
    }

    /// A builder holding this cookie's fields (to change one and build again).
    pub fn to_builder(&self) -> CookieBuilder {
        CookieBuilder {
            name: self.name().to_vec(),
            value: self.value().to_vec(),
            domain: self.domain().to_owned(),
            path: self.path().to_owned(),
            host_only: self.host_only,
            expires: self.expires,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            priority: self.priority,
            partition_key: self.partition_key.as_deref().map(str::to_owned),
            partitioned_attribute: self.partitioned_attribute,
            creation: self.creation,
            last_access: Some(self.last_access()),
        }
    }

    /// The identity of 6265bis 5.7 (name, domain, host-only, path), plus the partition.
    pub(crate) fn same_identity(&self, o: &Cookie) -> bool {
        // The lengths and flag first: most cookies of a bucket differ there, and comparing them
        // costs no call.
        self.name_len == o.name_len
            && self.domain_len == o.domain_len
            && self.host_only == o.host_only
            && bytes_eq(self.name(), o.name())
            && bytes_eq(self.domain_path.as_bytes(), o.domain_path.as_bytes())
            && self.partition_key == o.partition_key
    }
}

/// A cookie's identity: two cookies with the same identity cannot both be stored (6265bis 5.7
/// step 22: name, domain, host-only flag and path; CHIPS adds the partition).
///
/// ```
/// use cookiejar::CookieId;
/// let id = CookieId::new("__Host-sid", "www.example.com", "/");
/// assert!(id.host_only);
/// let shared = CookieId::new("lang", "example.com", "/").domain_cookie();
/// assert!(!shared.host_only);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CookieId {
    /// The name, as bytes.
    pub name: Vec<u8>,
    /// The canonical domain (lower-case, no leading dot).
    pub domain: String,
    /// Sent only to exactly `domain`.
    pub host_only: bool,
    /// The path.
    pub path: String,
    /// The partition key of a partitioned cookie.
    pub partition_key: Option<String>,
}

impl CookieId {
    /// A host-only, unpartitioned identity.
    pub fn new(
        name: impl Into<Vec<u8>>,
        domain: impl Into<String>,
        path: impl Into<String>,
    ) -> Self {
        CookieId {
            name: name.into(),
            domain: domain.into(),
            host_only: true,
            path: path.into(),
            partition_key: None,
        }
    }

    /// The same identity for a domain cookie (one set with a `Domain` attribute).
    #[must_use]
    pub fn domain_cookie(mut self) -> Self {
        self.host_only = false;
        self
    }

    /// The same identity in a partition (`https://top-level.example`).
    #[must_use]
    pub fn partitioned(mut self, key: impl Into<String>) -> Self {
        self.partition_key = Some(key.into());
        self
    }
}

/// The fields of a cookie to build (see [`Cookie::builder`]); [`CookieBuilder::build`] checks
/// them with the canonical gate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[must_use]
pub struct CookieBuilder {
    name: Vec<u8>,
    value: Vec<u8>,
    domain: String,
    path: String,
    host_only: bool,
    expires: Option<Timestamp>,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
    priority: Priority,
    partition_key: Option<String>,
    partitioned_attribute: bool,
    creation: Timestamp,
    last_access: Option<Timestamp>,
}

impl CookieBuilder {
    /// The path (must start with `/`).
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    /// Host-only (`true`, the default) or a domain cookie sent to subdomains too.
    pub fn host_only(mut self, host_only: bool) -> Self {
        self.host_only = host_only;
        self
    }
    /// The expiry; `None` (the default) for a session cookie.
    pub fn expires(mut self, expires: Option<Timestamp>) -> Self {
        self.expires = expires;
        self
    }
    /// `Secure`.
    pub fn secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }
    /// `HttpOnly`.
    pub fn http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }
    /// `SameSite`.
    pub fn same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }
    /// `Priority`.
    pub fn priority(mut self, priority: Priority) -> Self {
        self.priority = priority;
        self
    }
    /// A partitioned cookie: the partition key (`https://top-level.example`) and whether the
    /// cookie carried the `Partitioned` attribute (CHIPS) or was partitioned by the profile.
    pub fn partition(mut self, key: Option<String>, partitioned_attribute: bool) -> Self {
        self.partition_key = key;
        self.partitioned_attribute = partitioned_attribute;
        self
    }
    /// The creation time (kept by the jar: it orders the `Cookie` header and eviction).
    pub fn creation(mut self, creation: Timestamp) -> Self {
        self.creation = creation;
        self
    }
    /// The last access time (default: the creation time).
    pub fn last_access(mut self, last_access: Timestamp) -> Self {
        self.last_access = Some(last_access);
        self
    }

    /// The cookie, if its fields pass the canonical gate (Chromium
    /// `CanonicalCookie::IsCanonicalForFromStorage`), else why not.
    pub fn build(self) -> Result<Cookie, NotCanonical> {
        check_canonical(&self)?;
        let last = self.last_access.unwrap_or(self.creation);
        let cookie = Cookie::new(
            CookieParts {
                name: &self.name,
                value: &self.value,
                domain: &self.domain,
                path: &self.path,
                host_only: self.host_only,
                expires: self.expires,
                secure: self.secure,
                http_only: self.http_only,
                same_site: self.same_site,
                priority: self.priority,
                partition_key: self.partition_key.map(String::into_boxed_str),
                partitioned_attribute: self.partitioned_attribute,
                creation: self.creation,
            },
            last,
        );
        Ok(cookie)
    }
}

/// 6265bis 5.6: what the parser leaves of a name or value: no control byte but HTAB, no `;`,
/// trimmed of SP and HTAB.
fn is_parsed_form(s: &[u8]) -> bool {
    !s.iter().any(|&b| is_forbidden_ctl(b) || b == b';') && trim_wsp(s).len() == s.len()
}

/// A cookie name prefix (6265bis -22 5.7 steps 17-19, and the `__Http-` prefixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Prefix {
    /// `__Secure-`: Secure.
    Secure,
    /// `__Host-`: Secure, host-only, path `/`.
    Host,
    /// `__Http-`: Secure and HttpOnly, set over HTTP.
    Http,
    /// `__Host-Http-`: both.
    HostHttp,
}

impl Prefix {
    /// The prefix `s` starts with, case-insensitively (6265bis -22, Chromium
    /// `CanonicalCookie::GetCookiePrefix`); without `http_prefixes`, `__Http-` is no prefix and
    /// `__Host-Http-` is `__Host-`.
    pub(crate) fn of(s: &[u8], http_prefixes: bool) -> Option<Prefix> {
        let starts = |p: &str| {
            s.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
        };
        if http_prefixes && starts("__Host-Http-") {
            Some(Prefix::HostHttp)
        } else if starts("__Host-") {
            Some(Prefix::Host)
        } else if http_prefixes && starts("__Http-") {
            Some(Prefix::Http)
        } else if starts("__Secure-") {
            Some(Prefix::Secure)
        } else {
            None
        }
    }

    /// Whether a cookie meets this prefix's rules, given whether it is Secure, meets the
    /// `__Host-` rules, and is HttpOnly from HTTP.
    pub(crate) fn allows(self, secure: bool, host_ok: bool, http_ok: bool) -> bool {
        match self {
            Prefix::Secure => secure,
            Prefix::Host => host_ok,
            Prefix::Http => http_ok,
            Prefix::HostHttp => host_ok && http_ok,
        }
    }
}

/// The canonical gate (Chromium `CanonicalCookie::IsCanonicalForFromStorage`).
fn check_canonical(b: &CookieBuilder) -> Result<(), NotCanonical> {
    // 6265bis 5.6: the parser's invariants on name and value.
    if b.name.is_empty() && b.value.is_empty() {
        return Err(NotCanonical::EmptyNameAndValue);
    }
    let len = b.name.len() + b.value.len();
    if len > 4096 {
        return Err(NotCanonical::NameValueTooLong(len));
    }
    if !is_parsed_form(&b.name) || b.name.contains(&b'=') {
        return Err(NotCanonical::InvalidName);
    }
    if !is_parsed_form(&b.value) {
        return Err(NotCanonical::InvalidValue);
    }
    // The domain is what the URL host parser makes of it (6265bis 5.7 step 5).
    if crate::rules::host::canonicalize_domain(b.domain.as_bytes()).as_deref()
        != Some(b.domain.as_str())
        || b.domain.starts_with('.')
    {
        return Err(NotCanonical::InvalidDomain);
    }
    if !b.host_only && crate::rules::host::is_ip(&b.domain) {
        return Err(NotCanonical::DomainCookieOnIp);
    }
    // 6265bis 5.7 step 11: an absolute path with no control byte (a default-path from the URL
    // may hold ';', as `/a;b/c` does).
    if !b.path.starts_with('/') || b.path.bytes().any(is_forbidden_ctl) {
        return Err(NotCanonical::InvalidPath);
    }
    // 6265bis 5.7 steps 17-19 and the __Http- prefixes (Chromium IsCookiePrefixValid).
    let (name, value) = (b.name.as_slice(), b.value.as_slice());
    // A nameless cookie's value may not look like a prefixed name (6265bis 5.7 step 17).
    let nameless_prefixed = name.is_empty() && Prefix::of(value, true).is_some();
    let host_ok = b.secure && b.host_only && b.path == "/";
    let http_ok = b.secure && b.http_only;
    let prefix_ok = Prefix::of(name, true).is_none_or(|p| p.allows(b.secure, host_ok, http_ok));
    if nameless_prefixed || !prefix_ok {
        return Err(NotCanonical::Prefix);
    }
    if b.same_site == SameSite::None && !b.secure {
        return Err(NotCanonical::SameSiteNoneInsecure);
    }
    // CHIPS: Partitioned needs Secure, and a partition to be in.
    if b.partitioned_attribute && (!b.secure || b.partition_key.is_none()) {
        return Err(NotCanonical::PartitionedInsecure);
    }
    // A partition key is a schemeful site: `scheme://site` (the site may be empty for a
    // top-level page without a host).
    if let Some(key) = &b.partition_key {
        let well_formed = key.split_once("://").is_some_and(|(scheme, site)| {
            scheme.starts_with(|c: char| c.is_ascii_lowercase())
                && scheme
                    .bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || b"+-.".contains(&c))
                && !site.bytes().any(|c| c <= b' ' || b"/;\x7f".contains(&c))
        });
        if !well_formed {
            return Err(NotCanonical::InvalidPartitionKey);
        }
    }
    // 6265bis 5.5 cookie-age-limit: 400 days from when the expiry was set. An overwrite keeps
    // the old creation time (6265bis 5.7 step 22.3) but sets a new expiry and last access, so
    // the cap runs from the later of creation and last access.
    let set_at = b.last_access.map_or(b.creation, |a| a.max(b.creation));
    if b.expires
        .is_some_and(|e| e > set_at.plus_seconds(AGE_LIMIT_SECONDS))
    {
        return Err(NotCanonical::ExpiryPastCap);
    }
    Ok(())
}

//! The stored cookie, as users of the jar see it.

use std::sync::atomic::{AtomicI64, Ordering};

/// A point in time: microseconds since the Unix epoch, UTC.
///
/// The jar never reads the system clock by itself: every call takes the current time, so tests
/// and scenarios are deterministic. Convert from [`time::OffsetDateTime`] or
/// [`std::time::SystemTime`], or build one from Unix seconds.
///
/// ```
/// use cookiejar::Timestamp;
/// let t = Timestamp::from_unix_seconds(1_700_000_000);
/// assert_eq!(t.unix_seconds(), 1_700_000_000);
/// assert_eq!(t.plus_seconds(60).unix_seconds(), 1_700_000_060);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The earliest representable time: what `Max-Age=0` expires at.
    pub const MIN: Timestamp = Timestamp(i64::MIN);
    /// The latest representable time.
    pub const MAX: Timestamp = Timestamp(i64::MAX);

    /// From whole seconds since the Unix epoch (saturating).
    pub const fn from_unix_seconds(s: i64) -> Self {
        Timestamp(s.saturating_mul(1_000_000))
    }

    /// Whole seconds since the Unix epoch (rounded towards negative infinity).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000)
    }

    /// This time plus `s` seconds (saturating; `s` may be negative).
    pub const fn plus_seconds(self, s: i64) -> Self {
        Timestamp(self.0.saturating_add(s.saturating_mul(1_000_000)))
    }

    /// This time plus `us` microseconds (saturating).
    pub const fn plus_micros(self, us: i64) -> Self {
        Timestamp(self.0.saturating_add(us))
    }

    /// The system clock now. The jar never calls this itself.
    pub fn now() -> Self {
        std::time::SystemTime::now().into()
    }
}

impl From<time::OffsetDateTime> for Timestamp {
    fn from(t: time::OffsetDateTime) -> Self {
        let micros = t.unix_timestamp_nanos() / 1000;
        Timestamp(i64::try_from(micros).unwrap_or(if micros < 0 { i64::MIN } else { i64::MAX }))
    }
}

impl From<std::time::SystemTime> for Timestamp {
    fn from(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Timestamp(i64::try_from(d.as_micros()).unwrap_or(i64::MAX)),
            Err(e) => Timestamp(i64::try_from(e.duration().as_micros()).map_or(i64::MIN, |m| -m)),
        }
    }
}

/// The `SameSite` attribute of a cookie (6265bis 5.6.7).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
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
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    serde::Serialize,
    serde::Deserialize,
)]
pub enum Priority {
    /// `Priority=Low`: evicted first.
    Low,
    /// The default.
    #[default]
    Medium,
    /// `Priority=High`: evicted last.
    High,
}

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

    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Compact::Inline(len, buf) => buf.get(..usize::from(*len)).unwrap_or(&[]),
            Compact::Heap(b) => b,
        }
    }
}

/// A cookie in the jar.
///
/// Built only by the jar's admission rules, so its fields are always consistent: a canonical
/// lower-case domain, an absolute path, a name and value within the size limits.
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

    fn split(bytes: &[u8], at: u32) -> (&[u8], &[u8]) {
        let at = usize::try_from(at).unwrap_or(usize::MAX).min(bytes.len());
        bytes.split_at(at)
    }

    /// The name, as received (may be empty for a nameless cookie).
    pub fn name(&self) -> &[u8] {
        Self::split(&self.name_value, self.name_len).0
    }
    /// The value, as received (no percent-decoding).
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
    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires.is_some_and(|e| e <= now)
    }
    /// The identity of 6265bis 5.7 (name, domain, host-only, path), plus the partition.
    pub(crate) fn same_identity(&self, o: &Cookie) -> bool {
        self.name() == o.name()
            && self.domain_path == o.domain_path
            && self.domain_len == o.domain_len
            && self.host_only == o.host_only
            && self.partition_key == o.partition_key
    }
}

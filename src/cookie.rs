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

/// A cookie in the jar.
///
/// Built only by the jar's admission rules, so its fields are always consistent: a canonical
/// lower-case domain, an absolute path, a name and value within the size limits.
#[derive(Debug)]
pub struct Cookie {
    pub(crate) name: Box<[u8]>,
    pub(crate) value: Box<[u8]>,
    pub(crate) domain: Box<str>,
    pub(crate) host_only: bool,
    pub(crate) path: Box<str>,
    pub(crate) expires: Option<Timestamp>,
    pub(crate) secure: bool,
    pub(crate) http_only: bool,
    pub(crate) same_site: SameSite,
    pub(crate) priority: Priority,
    pub(crate) partition_key: Option<Box<str>>,
    pub(crate) creation: Timestamp,
    /// Updated through `&self` by lookups (relaxed atomics), so readers never need a write lock.
    pub(crate) last_access: AtomicI64,
}

impl Clone for Cookie {
    fn clone(&self) -> Self {
        Cookie {
            name: self.name.clone(),
            value: self.value.clone(),
            domain: self.domain.clone(),
            host_only: self.host_only,
            path: self.path.clone(),
            expires: self.expires,
            secure: self.secure,
            http_only: self.http_only,
            same_site: self.same_site,
            priority: self.priority,
            partition_key: self.partition_key.clone(),
            creation: self.creation,
            last_access: AtomicI64::new(self.last_access.load(Ordering::Relaxed)),
        }
    }
}

impl PartialEq for Cookie {
    fn eq(&self, o: &Self) -> bool {
        self.name == o.name
            && self.value == o.value
            && self.domain == o.domain
            && self.host_only == o.host_only
            && self.path == o.path
            && self.expires == o.expires
            && self.secure == o.secure
            && self.http_only == o.http_only
            && self.same_site == o.same_site
            && self.priority == o.priority
            && self.partition_key == o.partition_key
            && self.creation == o.creation
    }
}

impl Cookie {
    /// The name, as received (may be empty for a nameless cookie).
    pub fn name(&self) -> &[u8] {
        &self.name
    }
    /// The value, as received (no percent-decoding).
    pub fn value(&self) -> &[u8] {
        &self.value
    }
    /// The name as text (lossy for non-UTF-8 bytes).
    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.name)
    }
    /// The value as text (lossy for non-UTF-8 bytes).
    pub fn value_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.value)
    }
    /// The canonical domain (lower-case, IDNA A-labels, no leading dot).
    pub fn domain(&self) -> &str {
        &self.domain
    }
    /// True when the cookie is sent only to exactly [`Cookie::domain`] (no `Domain` attribute).
    pub fn host_only(&self) -> bool {
        self.host_only
    }
    /// The cookie path (always starts with `/`).
    pub fn path(&self) -> &str {
        &self.path
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
    /// The partition (top-level site) of a `Partitioned` cookie.
    pub fn partition_key(&self) -> Option<&str> {
        self.partition_key.as_deref()
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
        self.name == o.name
            && self.domain == o.domain
            && self.host_only == o.host_only
            && self.path == o.path
            && self.partition_key == o.partition_key
    }
}

//! A jar shared by many processes and machines: [`RedisJar`], the engine's rules over site
//! buckets that live in Redis or Valkey (feature `redis`).
//!
//! A cookie is only ever stored under, and sent to, hosts of its own site key (the registrable
//! domain), so a jar partitioned by site is exact: each site is one Redis hash, and every
//! operation touches exactly one site.
//!
//! ## Key layout
//!
//! With namespace `NS` (default `cookiejar`) and site key `SITE` (e.g. `example.co.uk`):
//!
//! | key | type | holds |
//! |---|---|---|
//! | `NS:{SITE}:c` | hash | one field per cookie identity ([`identity_field`]) → the cookie ([`encode_cookie`]) |
//! | `NS:{SITE}:a` | hash | the same fields → last access, µs since the Unix epoch, decimal |
//! | `NS:{SITE}:m` | hash | `gen`: the generation, bumped by every write; `clock`: the site's creation clock (µs) |
//!
//! The braces are a Redis Cluster hash tag: a site's three keys share a slot, so the
//! compare-and-set script may touch all of them. Last-access times are kept apart and written
//! at most once per [`Policy::last_access_threshold_seconds`] per cookie (60 s, Chromium
//! `kLastAccessThreshold`), without bumping the generation: reads never invalidate a writer.
//!
//! ## How an operation runs
//!
//! - A lookup ([`RedisJar::cookie_header`], [`RedisJar::explain`]) is one round trip (a
//!   pipeline of `HGETALL` of the cookie hash and of the access hash) followed by the engine's
//!   selection in this process; a second, small one only when a last access is due (a Lua
//!   script that refreshes only cookies still stored).
//! - A write ([`RedisJar::set_cookie`], [`RedisJar::insert`], [`RedisJar::remove`], the sweeps)
//!   reads the site the same way (with the generation, read first in the same pipeline),
//!   runs admission and the bucket rules in Rust (the very code
//!   of [`crate::CookieJar`]), and applies the resulting changes with a compare-and-set on the
//!   generation (a Lua script: `HSET`/`HDEL` only if the generation is still the one read).
//!   On conflict it reads again and reruns the rules, up to [`RedisOptions::max_attempts`]
//!   times. A Lua script runs atomically and reaches the AOF whole, so a write is either
//!   entirely there or not at all.
//!
//! ## What the fleet shares, and what it does not
//!
//! Per-site limits, eviction, overwrites, Secure and HttpOnly protection hold across every
//! client of one namespace. The jar-wide limit ([`Policy::max_cookies`]) does not: there is no
//! global purge, each site is bounded by its own limits only, and [`RedisJar::remove_expired`]
//! (a sweep of every site) removes expired cookies. Expiry is client-side (Redis 7.0 has no
//! per-field TTL): an expired cookie is never sent, is dropped by the next write to its site,
//! and by the sweep.

use crate::cookie::{Cookie, CookieId, Priority, SameSite, Timestamp};
use crate::policy::Policy;
use crate::reason::{NotCanonical, Rejection};
use crate::rules::admit::RequestFacts;
use crate::rules::context::RequestContext;
use crate::rules::host::site_key;
use crate::rules::psl::{default_list, Psl, SuffixList};
use crate::rules::retrieve::{Explanation, Selection};
use crate::store::bucket::{SetOutcome, Stored};
use crate::store::change::{Change, ChangeSink, RemovalCause};
use crate::store::state::{JarState, PlainState};
use crate::store::{import, import_site, set_line, Store};
use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How a [`RedisJar`] names its keys and talks to the server.
///
/// ```
/// use cookiejar::persist::redis::RedisOptions;
/// use std::time::Duration;
/// let o = RedisOptions::default().namespace("crawl-7").timeout(Duration::from_millis(500));
/// assert_eq!(o.namespace, "crawl-7");
/// ```
#[non_exhaustive]
#[derive(Clone, Debug)]
pub struct RedisOptions {
    /// The prefix of every key (default `cookiejar`): letters, digits and `-_.:` only (no
    /// braces, which would break the hash tag; no glob characters, which the sweeps match on).
    pub namespace: String,
    /// The browser rules (default [`Policy::standard`]). Every client of one namespace should
    /// use the same policy.
    pub policy: Policy,
    /// Connect, read and write timeout of each round trip (default 2 s).
    pub timeout: Duration,
    /// How many times a write reads, reruns the rules and tries its compare-and-set before
    /// giving up with [`RedisError::Contended`] (default 64).
    pub max_attempts: usize,
}

impl Default for RedisOptions {
    fn default() -> Self {
        RedisOptions {
            namespace: "cookiejar".to_owned(),
            policy: Policy::standard(),
            timeout: Duration::from_secs(2),
            max_attempts: 64,
        }
    }
}

impl RedisOptions {
    /// Sets [`RedisOptions::namespace`].
    #[must_use]
    pub fn namespace(mut self, ns: impl Into<String>) -> Self {
        self.namespace = ns.into();
        self
    }
    /// Sets [`RedisOptions::policy`].
    #[must_use]
    pub fn policy(mut self, policy: Policy) -> Self {
        self.policy = policy;
        self
    }
    /// Sets [`RedisOptions::timeout`].
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// Sets [`RedisOptions::max_attempts`] (at least 1).
    #[must_use]
    pub fn max_attempts(mut self, n: usize) -> Self {
        self.max_attempts = n.max(1);
        self
    }
}

/// Why a [`RedisJar`] operation did not reach the server, or not through.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum RedisError {
    /// The server could not be reached, or the connection broke or timed out. The next call
    /// connects again. A write that fails this way during its compare-and-set may or may not
    /// have been applied (as with any network store), but never in part.
    Unreachable(Arc<redis::RedisError>),
    /// The server answered with an error (the client's error is given).
    Server(Arc<redis::RedisError>),
    /// Other clients kept writing the same site: the compare-and-set failed this many times.
    Contended {
        /// The site key.
        site: String,
        /// Attempts made.
        attempts: usize,
    },
    /// The namespace holds a character other than letters, digits and `-_.:`.
    BadNamespace(String),
    /// The server's reply did not have the shape this build expects (what was wrong).
    UnexpectedReply(&'static str),
}

impl fmt::Display for RedisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedisError::Unreachable(e) => write!(f, "Redis unreachable: {e}"),
            RedisError::Server(e) => write!(f, "Redis error: {e}"),
            RedisError::Contended { site, attempts } => {
                write!(
                    f,
                    "site {site:?}: {attempts} concurrent writes won over this one"
                )
            }
            RedisError::BadNamespace(ns) => write!(
                f,
                "namespace {ns:?}: only letters, digits and -_.: are allowed"
            ),
            RedisError::UnexpectedReply(what) => write!(f, "unexpected Redis reply: {what}"),
        }
    }
}

impl std::error::Error for RedisError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RedisError::Unreachable(e) | RedisError::Server(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<redis::RedisError> for RedisError {
    fn from(e: redis::RedisError) -> Self {
        if e.is_io_error()
            || e.is_connection_refusal()
            || e.is_timeout()
            || e.is_connection_dropped()
            || e.is_unrecoverable_error()
        {
            RedisError::Unreachable(Arc::new(e))
        } else {
            RedisError::Server(Arc::new(e))
        }
    }
}

/// Why a set or insert did not store: the jar refused the cookie (as [`crate::CookieJar`]
/// would), or the server could not be used.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum SetError {
    /// The cookie was refused, with the same reason the in-memory jar gives.
    Rejected(Rejection),
    /// Redis could not be used; nothing was stored by this call (see
    /// [`RedisError::Unreachable`] for the one exception).
    Redis(RedisError),
}

impl SetError {
    /// The rejection, when the jar refused the cookie.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            SetError::Rejected(r) => Some(r),
            SetError::Redis(_) => None,
        }
    }
}

impl fmt::Display for SetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::Rejected(r) => r.fmt(f),
            SetError::Redis(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SetError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SetError::Rejected(_) => None,
            SetError::Redis(e) => Some(e),
        }
    }
}

impl From<Rejection> for SetError {
    fn from(r: Rejection) -> Self {
        SetError::Rejected(r)
    }
}

impl From<RedisError> for SetError {
    fn from(e: RedisError) -> Self {
        SetError::Redis(e)
    }
}

/// What is wrong with a stored hash field (it is skipped: never sent, never changed).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// The value is not an [`encode_cookie`] encoding of a version this build reads (what is
    /// wrong).
    Malformed(&'static str),
    /// The fields do not make a cookie a browser could hold (the canonical gate).
    NotCanonical(NotCanonical),
    /// The cookie does not belong where it is stored: its identity is not the field's, or its
    /// domain is not of the hash's site.
    Misplaced,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Malformed(what) => write!(f, "not a stored cookie: {what}"),
            DecodeError::NotCanonical(n) => n.fmt(f),
            DecodeError::Misplaced => f.write_str("a cookie stored under another identity or site"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The encoding's version byte.
const ENCODING_V1: u8 = 1;

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    // Lengths are u32: a cookie's name and value are bounded by 4096 bytes (6265bis 5.6), and
    // a domain or path by what a URL holds; nothing near 4 GiB.
    let len = u32::try_from(b.len()).unwrap_or(u32::MAX);
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(b.get(..len as usize).unwrap_or(b));
}

/// The hash field of a cookie identity: binary-safe, one per identity (6265bis 5.7 step 22:
/// name, domain, host-only flag and path; CHIPS adds the partition).
///
/// Layout: the host-only flag (1 byte), then domain, path, partition key (absent: no bytes and
/// a flag of 0; present: flag 1), name, each length-prefixed (u32 LE) where it has a length.
pub fn identity_field(id: &CookieId) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + id.domain.len() + id.path.len() + id.name.len());
    identity_into(
        &mut out,
        id.host_only,
        id.domain.as_bytes(),
        id.path.as_bytes(),
        id.partition_key.as_deref(),
        &id.name,
    );
    out
}

fn identity_into(
    out: &mut Vec<u8>,
    host_only: bool,
    domain: &[u8],
    path: &[u8],
    partition: Option<&str>,
    name: &[u8],
) {
    out.push(u8::from(host_only));
    put_bytes(out, domain);
    put_bytes(out, path);
    match partition {
        Some(p) => {
            out.push(1);
            put_bytes(out, p.as_bytes());
        }
        None => out.push(0),
    }
    put_bytes(out, name);
}

fn field_of(c: &Cookie) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + c.name_value_len() + c.domain_bytes().len());
    identity_into(
        &mut out,
        c.host_only,
        c.domain_bytes(),
        c.path_bytes(),
        c.partition_key.as_deref(),
        c.name(),
    );
    out
}

/// Chromium `CookieSameSiteToDBCookieSameSite`, shifted by one to fit a byte: 0 unspecified,
/// 1 no restriction, 2 lax, 3 strict.
fn same_site_code(s: SameSite) -> u8 {
    match s {
        SameSite::Unspecified => 0,
        SameSite::None => 1,
        SameSite::Lax => 2,
        SameSite::Strict => 3,
    }
}

/// Chromium `CookiePriorityToDBCookiePriority`: 0 low, 1 medium, 2 high.
fn priority_code(p: Priority) -> u8 {
    match p {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::High => 2,
    }
}

const F_HOST_ONLY: u8 = 1;
const F_SECURE: u8 = 2;
const F_HTTP_ONLY: u8 = 4;
const F_PARTITIONED_ATTR: u8 = 8;
const F_EXPIRES: u8 = 16;
const F_PARTITION: u8 = 32;

/// A cookie as a hash field value: a compact binary record (version 1), everything but the
/// last access (kept in the access hash). Names and values are bytes, kept as received.
///
/// Layout: version (1), flags (host-only 1, Secure 2, HttpOnly 4, Partitioned 8, has expiry
/// 16, has partition key 32), SameSite (0 unspecified, 1 None, 2 Lax, 3 Strict), priority (0
/// low, 1 medium, 2 high), creation (i64 LE, µs), expiry if any (i64 LE, µs), then name,
/// value, domain, path and the partition key if any, each length-prefixed (u32 LE).
///
/// ```
/// use cookiejar::persist::redis::{decode_cookie, encode_cookie};
/// use cookiejar::Cookie;
/// let c = Cookie::builder(&b"sid\xff"[..], "1", "example.com").secure(true).build().unwrap();
/// assert_eq!(decode_cookie(&encode_cookie(&c), None).unwrap(), c);
/// ```
pub fn encode_cookie(c: &Cookie) -> Vec<u8> {
    let mut out = Vec::with_capacity(40 + c.name_value_len() + c.domain_bytes().len());
    out.push(ENCODING_V1);
    let mut flags = 0;
    for (on, bit) in [
        (c.host_only, F_HOST_ONLY),
        (c.secure, F_SECURE),
        (c.http_only, F_HTTP_ONLY),
        (c.partitioned_attribute, F_PARTITIONED_ATTR),
        (c.expires.is_some(), F_EXPIRES),
        (c.partition_key.is_some(), F_PARTITION),
    ] {
        if on {
            flags |= bit;
        }
    }
    out.push(flags);
    out.push(same_site_code(c.same_site));
    out.push(priority_code(c.priority));
    out.extend_from_slice(&c.creation.0.to_le_bytes());
    if let Some(e) = c.expires {
        out.extend_from_slice(&e.0.to_le_bytes());
    }
    put_bytes(&mut out, c.name());
    put_bytes(&mut out, c.value());
    put_bytes(&mut out, c.domain_bytes());
    put_bytes(&mut out, c.path_bytes());
    if let Some(p) = &c.partition_key {
        put_bytes(&mut out, p.as_bytes());
    }
    out
}

/// A cursor over bytes read from the server: every read is checked, nothing panics.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.0.len() {
            return Err(DecodeError::Malformed("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn byte(&mut self) -> Result<u8, DecodeError> {
        self.take(1)?
            .first()
            .copied()
            .ok_or(DecodeError::Malformed("truncated"))
    }
    fn i64(&mut self) -> Result<i64, DecodeError> {
        let mut w = [0u8; 8];
        w.copy_from_slice(self.take(8)?);
        Ok(i64::from_le_bytes(w))
    }
    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let mut w = [0u8; 4];
        w.copy_from_slice(self.take(4)?);
        let n =
            usize::try_from(u32::from_le_bytes(w)).map_err(|_| DecodeError::Malformed("length"))?;
        self.take(n)
    }
    fn text(&mut self) -> Result<String, DecodeError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| DecodeError::Malformed("not UTF-8"))
    }
}

/// The cookie in a hash field value written by [`encode_cookie`], through the canonical gate
/// ([`Cookie::builder`]'s `build`), with `last_access` (default: its creation).
pub fn decode_cookie(bytes: &[u8], last_access: Option<Timestamp>) -> Result<Cookie, DecodeError> {
    let mut r = Cursor(bytes);
    if r.byte()? != ENCODING_V1 {
        return Err(DecodeError::Malformed("unknown version"));
    }
    let flags = r.byte()?;
    if flags
        & !(F_HOST_ONLY | F_SECURE | F_HTTP_ONLY | F_PARTITIONED_ATTR | F_EXPIRES | F_PARTITION)
        != 0
    {
        return Err(DecodeError::Malformed("unknown flags"));
    }
    let same_site = match r.byte()? {
        0 => SameSite::Unspecified,
        1 => SameSite::None,
        2 => SameSite::Lax,
        3 => SameSite::Strict,
        _ => return Err(DecodeError::Malformed("SameSite")),
    };
    let priority = match r.byte()? {
        0 => Priority::Low,
        1 => Priority::Medium,
        2 => Priority::High,
        _ => return Err(DecodeError::Malformed("priority")),
    };
    let creation = Timestamp(r.i64()?);
    let expires = if flags & F_EXPIRES != 0 {
        Some(Timestamp(r.i64()?))
    } else {
        None
    };
    let name = r.bytes()?.to_vec();
    let value = r.bytes()?.to_vec();
    let domain = r.text()?;
    let path = r.text()?;
    let partition = if flags & F_PARTITION != 0 {
        Some(r.text()?)
    } else {
        None
    };
    if !r.0.is_empty() {
        return Err(DecodeError::Malformed("trailing bytes"));
    }
    let mut b = Cookie::builder(name, value, domain)
        .host_only(flags & F_HOST_ONLY != 0)
        .path(path)
        .expires(expires)
        .secure(flags & F_SECURE != 0)
        .http_only(flags & F_HTTP_ONLY != 0)
        .same_site(same_site)
        .priority(priority)
        .partition(partition, flags & F_PARTITIONED_ATTR != 0)
        .creation(creation);
    if let Some(t) = last_access {
        // As the engine keeps it: a cookie set with a clock behind the site's creation clock
        // has a last access before its (unique, later) creation time.
        b = b.last_access(t);
    }
    b.build().map_err(DecodeError::NotCanonical)
}

/// The compare-and-set: applies the writes only if the site's generation is still the one the
/// writer read; returns the new generation, or -1 on conflict.
/// KEYS: cookies, access, meta. ARGV: expected generation, creation clock, number of stores,
/// then (field, cookie, last access) per store, then the fields to delete.
const CAS: &str = r"
local g = tonumber(redis.call('HGET', KEYS[3], 'gen') or '0')
if g ~= tonumber(ARGV[1]) then return -1 end
local n = tonumber(ARGV[3])
local i = 4
for _ = 1, n do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 2])
  i = i + 3
end
while i <= #ARGV do
  redis.call('HDEL', KEYS[1], ARGV[i])
  redis.call('HDEL', KEYS[2], ARGV[i])
  i = i + 1
end
local clock = tonumber(redis.call('HGET', KEYS[3], 'clock') or '0')
if tonumber(ARGV[2]) > clock then redis.call('HSET', KEYS[3], 'clock', ARGV[2]) end
return redis.call('HINCRBY', KEYS[3], 'gen', 1)
";

/// A lookup's lazy last-access refresh, throttled where the truth is: a cookie still stored
/// whose last access is at least the threshold old gets `now` (6265bis 5.8.3 step 3, Chromium
/// `kLastAccessThreshold`), without a generation bump (a refresh changes no answer, only the
/// eviction order). Returns each field's last access after the call (-1: no longer stored).
/// KEYS: cookies, access. ARGV: threshold (µs), now (µs), then the fields.
const TOUCH: &str = r"
local out = {}
local threshold, now = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 3, #ARGV do
  if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 1 then
    local old = tonumber(redis.call('HGET', KEYS[2], ARGV[i]) or '0')
    if now - old >= threshold then
      redis.call('HSET', KEYS[2], ARGV[i], ARGV[2])
      old = now
    end
    out[#out + 1] = old
  else
    out[#out + 1] = -1
  end
end
return out
";

/// What a read fetches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Read {
    /// The cookies only (a header: the access hash is consulted only when a refresh may be
    /// due, by the refresh script itself).
    Cookies,
    /// Cookies and last-access times (listings, `explain`, `get`).
    WithAccess,
    /// The generation and creation clock first, then cookies and last-access times (writes).
    ForWrite,
}

/// One site as read: its bucket in a one-site store, its generation and creation clock.
struct Site {
    store: Store,
    generation: i64,
    clock: Timestamp,
    /// Fields that did not decode or pass the gate: skipped, and never written.
    refused: Vec<(Vec<u8>, DecodeError)>,
}

/// Records which identities an operation changed, and the changes themselves for the
/// caller's sink (replayed after the compare-and-set succeeded).
#[derive(Default)]
struct Touched {
    fields: Vec<Vec<u8>>,
    accessed: Vec<(Vec<u8>, Timestamp)>,
    log: crate::store::change::ChangeLog,
}

impl ChangeSink for Touched {
    fn record(&mut self, change: Change<'_>) {
        match change {
            Change::Added(c) => self.fields.push(field_of(c)),
            Change::Replaced { old, new } => {
                self.fields.push(field_of(old));
                self.fields.push(field_of(new));
            }
            Change::Removed { cookie, .. } => self.fields.push(field_of(cookie)),
            Change::Accessed(c) => self.accessed.push((field_of(c), c.last_access())),
        }
        self.log.record(change);
    }
}

/// A hook called with every error a [`RedisJar`] used as an HTTP client's cookie store meets
/// (where there is no caller to return it to).
pub type ErrorHook = Box<dyn Fn(&RedisError) + Send + Sync>;

/// A cookie jar whose site buckets live in Redis (or Valkey), shared by every process that
/// opens the same namespace. `Send + Sync`: share one per process (it keeps a small pool of
/// connections, one per thread at most in use at a time).
///
/// Every call is synchronous: a lookup costs one round trip to the server, a set two (the read
/// and the compare-and-set), plus one more per conflict with a concurrent writer of the same
/// site.
///
/// ```no_run
/// use cookiejar::persist::redis::{RedisJar, RedisOptions};
/// use cookiejar::{RequestContext, Timestamp, Url};
/// let jar = RedisJar::open("redis://127.0.0.1:6379/0", RedisOptions::default().namespace("crawl"))?;
/// let url = Url::parse("https://www.example.com/").unwrap();
/// let ctx = RequestContext::navigation(&url);
/// let now = Timestamp::now();
/// jar.set_cookie("sid=1; Secure; HttpOnly", &ctx, now)?;
/// assert_eq!(jar.cookie_header(&ctx, now)?.as_deref(), Some("sid=1"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct RedisJar {
    client: redis::Client,
    pool: Mutex<Vec<redis::Connection>>,
    ns: String,
    policy: Policy,
    psl: Psl,
    timeout: Duration,
    max_attempts: usize,
    cas: redis::Script,
    touch: redis::Script,
    errors: AtomicU64,
    conflicts: AtomicU64,
    refused: AtomicU64,
    hook: Option<ErrorHook>,
    /// The last access this client last saw stored per identity field: lets a lookup skip
    /// the refresh script for cookies it knows were refreshed within the threshold.
    accessed: Mutex<HashMap<Vec<u8>, i64>>,
}

impl fmt::Debug for RedisJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisJar")
            .field("namespace", &self.ns)
            .field("policy", &self.policy.profile)
            .finish()
    }
}

/// The most identities [`RedisJar`] remembers a refresh of (then it forgets them all; the
/// cost is one more refresh script per cookie).
const ACCESS_CACHE_MAX: usize = 100_000;

/// The largest number of idle connections a jar keeps.
const POOL_MAX: usize = 64;

impl RedisJar {
    /// Connects to `url` (`redis://HOST:PORT/DB`, `redis://:PASSWORD@HOST/DB`,
    /// `redis+unix:///PATH`) and checks the server answers (`PING`).
    pub fn open(url: &str, options: RedisOptions) -> Result<RedisJar, RedisError> {
        let ns = options.namespace;
        if ns.is_empty()
            || !ns
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
        {
            return Err(RedisError::BadNamespace(ns));
        }
        let client = redis::Client::open(url)?;
        let jar = RedisJar {
            client,
            pool: Mutex::new(Vec::new()),
            ns,
            policy: options.policy,
            psl: default_list(),
            timeout: options.timeout,
            max_attempts: options.max_attempts.max(1),
            cas: redis::Script::new(CAS),
            touch: redis::Script::new(TOUCH),
            errors: AtomicU64::new(0),
            conflicts: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            hook: None,
            accessed: Mutex::new(HashMap::new()),
        };
        jar.with_conn(|c| redis::cmd("PING").query::<String>(c).map(|_| ()))?;
        Ok(jar)
    }

    /// Replaces the public suffix list (every client of one namespace should use the same).
    #[must_use]
    pub fn with_public_suffix_list<L: SuffixList + 'static>(mut self, list: L) -> Self {
        self.psl = Arc::new(list);
        self
    }

    /// Calls `hook` with every error met where no caller can be told: by the HTTP-client cookie
    /// store (reqwest's `CookieStore`), which sends no cookies when Redis cannot be read.
    #[must_use]
    pub fn on_error(mut self, hook: impl Fn(&RedisError) + Send + Sync + 'static) -> Self {
        self.hook = Some(Box::new(hook));
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The namespace.
    pub fn namespace(&self) -> &str {
        &self.ns
    }

    /// How many errors the HTTP-client cookie store met (see [`RedisJar::on_error`]).
    pub fn errors(&self) -> u64 {
        self.errors.load(Ordering::Relaxed)
    }

    /// How many compare-and-sets lost to a concurrent writer and were retried.
    pub fn conflicts(&self) -> u64 {
        self.conflicts.load(Ordering::Relaxed)
    }

    /// How many stored fields this jar skipped because they did not decode or pass the
    /// canonical gate (counted at each read; they are left in Redis untouched).
    pub fn refused_fields(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// The three keys of `site`: cookies, access times, meta.
    pub fn keys(&self, site: &str) -> [String; 3] {
        let ns = &self.ns;
        [
            format!("{ns}:{{{site}}}:c"),
            format!("{ns}:{{{site}}}:a"),
            format!("{ns}:{{{site}}}:m"),
        ]
    }

    fn conn(&self) -> Result<redis::Connection, RedisError> {
        let pooled = self
            .pool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        if let Some(c) = pooled {
            return Ok(c);
        }
        let c = self.client.get_connection_with_timeout(self.timeout)?;
        c.set_read_timeout(Some(self.timeout))?;
        c.set_write_timeout(Some(self.timeout))?;
        Ok(c)
    }

    fn give_back(&self, c: redis::Connection) {
        let mut pool = self.pool.lock().unwrap_or_else(PoisonError::into_inner);
        if pool.len() < POOL_MAX {
            pool.push(c);
        }
    }

    /// Runs `f` on a connection; a connection that failed is dropped (the next call opens a
    /// new one). A pooled connection that turns out dead (the server restarted) is replaced
    /// and `f` tried once more, since nothing was sent on it that the server ran.
    fn with_conn<R>(
        &self,
        mut f: impl FnMut(&mut redis::Connection) -> redis::RedisResult<R>,
    ) -> Result<R, RedisError> {
        let mut c = self.conn()?;
        match f(&mut c) {
            Ok(r) => {
                self.give_back(c);
                Ok(r)
            }
            Err(e) if e.is_connection_dropped() || e.is_io_error() => {
                drop(c);
                let mut c = self.client.get_connection_with_timeout(self.timeout)?;
                c.set_read_timeout(Some(self.timeout))?;
                c.set_write_timeout(Some(self.timeout))?;
                let r = f(&mut c)?;
                self.give_back(c);
                Ok(r)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Reads `site` in one round trip: a pipeline of `HMGET` of the generation and creation
    /// clock (writes only), then `HGETALL` of the cookie and access hashes. No `MULTI` is
    /// needed: the generation is read first, so any write that lands between the commands
    /// bumps it and the compare-and-set of what was read fails.
    fn read_site(
        &self,
        conn: &mut redis::Connection,
        site: &str,
        read: Read,
    ) -> redis::RedisResult<Site> {
        let [ck, ak, mk] = self.keys(site);
        type Pairs = Vec<(Vec<u8>, Vec<u8>)>;
        let mut p = redis::pipe();
        if read == Read::ForWrite {
            p.cmd("HMGET").arg(&mk).arg("gen").arg("clock");
        }
        p.cmd("HGETALL").arg(&ck);
        if read != Read::Cookies {
            p.cmd("HGETALL").arg(&ak);
        }
        let (generation, clock, cookies, access): (Option<i64>, Option<i64>, Pairs, Pairs) =
            match read {
                Read::ForWrite => {
                    let ((g, c), cookies, access): ((Option<i64>, Option<i64>), Pairs, Pairs) =
                        p.query(conn)?;
                    (g, c, cookies, access)
                }
                Read::WithAccess => {
                    let (cookies, access): (Pairs, Pairs) = p.query(conn)?;
                    (None, None, cookies, access)
                }
                Read::Cookies => {
                    let (cookies,): (Pairs,) = p.query(conn)?;
                    (None, None, cookies, Vec::new())
                }
            };
        let access: HashMap<Vec<u8>, Vec<u8>> = access.into_iter().collect();
        let mut store = Store::default();
        let mut refused = Vec::new();
        let mut cookies_ok = Vec::with_capacity(cookies.len());
        for (field, value) in cookies {
            let last = access
                .get(&field)
                .and_then(|v| std::str::from_utf8(v).ok())
                .and_then(|s| s.parse::<i64>().ok())
                .map(Timestamp);
            match decode_cookie(&value, last) {
                Ok(c) if field_of(&c) == field && of_site(c.domain(), site) => cookies_ok.push(c),
                Ok(_) => refused.push((field, DecodeError::Misplaced)),
                Err(e) => refused.push((field, e)),
            }
        }
        if !refused.is_empty() {
            self.refused
                .fetch_add(refused.len() as u64, Ordering::Relaxed);
        }
        if !cookies_ok.is_empty() {
            let mut bucket = crate::store::bucket::Bucket::default();
            for c in cookies_ok {
                bucket.insert(c);
            }
            store.buckets.insert(Box::from(site), bucket);
        }
        Ok(Site {
            store,
            generation: generation.unwrap_or(0),
            clock: Timestamp(clock.unwrap_or(i64::MIN)),
            refused,
        })
    }

    /// Reads `site`, runs `op` on it (the engine's rules), and writes what `op` changed with
    /// the compare-and-set, rereading and rerunning on conflict. Returns `op`'s answer, the
    /// changes (replayed into `sink` once committed) and the generation after the write.
    fn mutate<R, S: ChangeSink>(
        &self,
        site: &str,
        sink: &mut S,
        mut op: impl FnMut(&mut Store, &mut PlainState, &mut Touched) -> R,
    ) -> Result<(R, u64), RedisError> {
        let mut conn = self.conn()?;
        let mut fresh = false;
        for attempt in 0..self.max_attempts {
            let mut s = match self.read_site(&mut conn, site, Read::ForWrite) {
                Ok(s) => s,
                Err(e) if !fresh && (e.is_connection_dropped() || e.is_io_error()) => {
                    // A pooled connection the server no longer knows: one fresh try.
                    fresh = true;
                    conn = self.client.get_connection_with_timeout(self.timeout)?;
                    conn.set_read_timeout(Some(self.timeout))?;
                    conn.set_write_timeout(Some(self.timeout))?;
                    self.read_site(&mut conn, site, Read::ForWrite)?
                }
                Err(e) => return Err(e.into()),
            };
            let mut state = PlainState::default();
            // The site's creation clock: creation times stay unique and increasing per site, as
            // Chromium `CookieMonster::CurrentTime` makes them jar-wide.
            state.observe_creation(s.clock);
            let n = s.store.iter().count();
            state.adjust_len(n, 0);
            for c in s.store.iter() {
                state.observe_creation(c.creation);
            }
            let mut touched = Touched::default();
            let answer = op(&mut s.store, &mut state, &mut touched);
            if touched.fields.is_empty() {
                self.give_back(conn);
                return Ok((answer, u64::try_from(s.generation).unwrap_or(0)));
            }
            let [ck, ak, mk] = self.keys(site);
            let mut inv = self.cas.prepare_invoke();
            inv.key(&ck).key(&ak).key(&mk);
            inv.arg(s.generation).arg(state.last_creation().0);
            let bucket = s.store.bucket(site);
            let mut stores = Vec::new();
            let mut deletes = Vec::new();
            touched.fields.sort();
            touched.fields.dedup();
            for f in &touched.fields {
                if s.refused.iter().any(|(r, _)| r == f) {
                    // Never overwrite or delete what this build could not read.
                    continue;
                }
                match bucket.and_then(|b| b.cookies.iter().find(|c| field_of(c) == *f)) {
                    Some(c) => stores.push((f, encode_cookie(c), c.last_access().0)),
                    None => deletes.push(f),
                }
            }
            inv.arg(stores.len());
            for (f, v, a) in &stores {
                inv.arg(&f[..]).arg(&v[..]).arg(*a);
            }
            for f in &deletes {
                inv.arg(&f[..]);
            }
            // A failure here drops the connection (a new one next time).
            let generation: i64 = inv.invoke(&mut conn)?;
            if generation < 0 {
                let n = self.conflicts.fetch_add(1, Ordering::Relaxed);
                backoff(attempt, n);
                continue;
            }
            self.give_back(conn);
            for c in &touched.log.changes {
                replay(c, sink);
            }
            return Ok((answer, u64::try_from(generation).unwrap_or(0)));
        }
        self.give_back(conn);
        Err(RedisError::Contended {
            site: site.to_owned(),
            attempts: self.max_attempts,
        })
    }

    /// Applies one `Set-Cookie` header value received for `ctx` at `now`: the same admission
    /// and bucket rules as [`crate::CookieJar::set_cookie`], the same [`Rejection`]s.
    pub fn set_cookie(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, SetError> {
        self.set_cookie_with(line, ctx, now, &mut ())
            .map(|(s, _)| s.outcome)
    }

    /// [`RedisJar::set_cookie`], reporting each change to `sink` once it is committed, and
    /// returning the browser's warnings and the site's generation after the write (the order
    /// in which writes to one site took effect).
    pub fn set_cookie_with<S: ChangeSink>(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<(Stored, u64), SetError> {
        let now = now.into();
        let (policy, psl) = (&self.policy, &*self.psl);
        let facts = RequestFacts::new(ctx, policy, psl).ok_or(Rejection::UnsupportedUrl)?;
        let line = line.as_ref();
        let (result, generation) = self.mutate(facts.site, sink, |store, state, touched| {
            set_line(store, state, &facts, line, policy, psl, now, touched)
        })?;
        Ok((result?.stored, generation))
    }

    /// Stores a cookie that did not come from a `Set-Cookie` line, as
    /// [`crate::CookieJar::insert`] does.
    pub fn insert(
        &self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, SetError> {
        let now = now.into();
        let site = import_site(&cookie, &*self.psl)?.to_owned();
        let policy = &self.policy;
        let (result, _) = self.mutate(&site, &mut (), |store, state, touched| {
            import(
                store,
                &site,
                state,
                cookie.clone(),
                false,
                policy,
                now,
                touched,
            )
        })?;
        Ok(result?.stored.outcome)
    }

    /// Stores what a reader of [`crate::persist`] read, each cookie as [`RedisJar::insert`]
    /// does, and reports what was imported and refused, as [`crate::CookieJar::import`] does.
    /// A record without a creation time keeps the reader's (the time of the read). Stops at
    /// the first Redis error: the records before it are stored, none after.
    pub fn import(
        &self,
        records: crate::persist::Records,
        now: impl Into<Timestamp>,
    ) -> Result<crate::persist::ImportReport, RedisError> {
        use crate::persist::{ImportReport, RecordError, Refused};
        let now = now.into();
        let mut report = ImportReport {
            warnings: records.warnings,
            refused: records.refused,
            ..ImportReport::default()
        };
        for r in records.records {
            let name = String::from_utf8_lossy(r.cookie.name()).into_owned();
            let expired = r.cookie.is_expired(now);
            match self.insert(r.cookie, now) {
                Ok(_) if expired => report.expired += 1,
                Ok(_) => report.imported += 1,
                Err(SetError::Rejected(why)) => report.refused.push(Refused {
                    location: r.location,
                    name: Some(name),
                    error: RecordError::Rejected(why),
                }),
                Err(SetError::Redis(e)) => return Err(e),
            }
        }
        report.refused.sort_by_key(|r| r.location);
        Ok(report)
    }

    /// Every cookie of the namespace not expired at `now`, site by site, each site in header
    /// order (a `SCAN` and one read per site: for tooling, not the request path).
    pub fn unexpired(&self, now: impl Into<Timestamp>) -> Result<Vec<Cookie>, RedisError> {
        let now = now.into();
        let mut out = Vec::new();
        for site in self.sites()? {
            out.extend(self.site_cookies(&site, now)?);
        }
        Ok(out)
    }

    /// The stored cookie of identity `id`, if any (expired or not).
    pub fn get(&self, id: &CookieId) -> Result<Option<Cookie>, RedisError> {
        let site = site_key(&*self.psl, &id.domain);
        let s = self.with_conn(|c| self.read_site(c, site, Read::WithAccess))?;
        Ok(s.store.bucket(site).and_then(|b| b.get(id)).cloned())
    }

    /// Removes the cookie of identity `id` and returns it.
    pub fn remove(&self, id: &CookieId) -> Result<Option<Cookie>, RedisError> {
        let site = site_key(&*self.psl, &id.domain);
        let (removed, _) = self.mutate(site, &mut (), |store, state, touched| {
            store.remove(site, id, state, touched)
        })?;
        Ok(removed)
    }

    /// The cookies not expired at `now` of the site of `host`, in header order.
    pub fn site_cookies(
        &self,
        host: &str,
        now: impl Into<Timestamp>,
    ) -> Result<Vec<Cookie>, RedisError> {
        let now = now.into();
        let site = site_key(&*self.psl, host);
        let s = self.with_conn(|c| self.read_site(c, site, Read::WithAccess))?;
        Ok(s.store
            .bucket(site)
            .map(|b| {
                b.cookies
                    .iter()
                    .filter(|c| !c.is_expired(now))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out` and returns how many cookies
    /// it holds: one round trip, then the selection of [`crate::CookieJar`], then (at most
    /// once a minute per cookie) a refresh of last-access times.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> Result<usize, RedisError> {
        let Some(sel) = Selection::new(ctx, &self.policy, &*self.psl, now.into()) else {
            return Ok(0);
        };
        let site = sel.site();
        let s = self.with_conn(|c| self.read_site(c, site, Read::Cookies))?;
        let mut touched = Touched::default();
        // Read without the access hash, each cookie's last access is its creation: the
        // selection flags every cookie whose refresh may be due (a superset of those due).
        let n = sel.header_from(&s.store, out, &mut touched);
        let threshold = self
            .policy
            .last_access_threshold_seconds
            .saturating_mul(1_000_000);
        let now = touched.accessed.first().map(|(_, t)| t.0);
        let due: Vec<Vec<u8>> = {
            let known = self.accessed.lock().unwrap_or_else(PoisonError::into_inner);
            touched
                .accessed
                .into_iter()
                .filter(|(f, t)| {
                    // Skip what this client knows was refreshed less than the threshold ago:
                    // the stored time is at least what it saw (times only move forward).
                    known
                        .get(f)
                        .is_none_or(|&seen| t.0.saturating_sub(seen) >= threshold)
                })
                .map(|(f, _)| f)
                .collect()
        };
        if let (Some(now), false) = (now, due.is_empty()) {
            let [ck, ak, _] = self.keys(site);
            let r = self.with_conn(|c| {
                let mut inv = self.touch.prepare_invoke();
                inv.key(&ck).key(&ak).arg(threshold).arg(now);
                for f in &due {
                    inv.arg(&f[..]);
                }
                inv.invoke::<Vec<i64>>(c)
            });
            match r {
                Ok(times) => {
                    let mut known = self.accessed.lock().unwrap_or_else(PoisonError::into_inner);
                    if known.len() > ACCESS_CACHE_MAX {
                        known.clear();
                    }
                    for (f, t) in due.into_iter().zip(times) {
                        if t >= 0 {
                            known.insert(f, t);
                        }
                    }
                }
                // The header is right whether or not the refresh landed: a lost refresh only
                // makes the cookie look older to eviction. Report it, send the header.
                Err(e) => self.report(&e),
            }
        }
        Ok(n)
    }

    /// The `Cookie` header bytes for `ctx` at `now`, or `None` when no cookie is sent.
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<Option<Vec<u8>>, RedisError> {
        let mut out = Vec::new();
        Ok((self.write_cookie_header(ctx, now, &mut out)? > 0).then_some(out))
    }

    /// The `Cookie` header for `ctx` at `now`, or `None` when no cookie is sent (bytes that
    /// are not UTF-8 replaced; see [`RedisJar::cookie_header_bytes`]).
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<Option<String>, RedisError> {
        Ok(self
            .cookie_header_bytes(ctx, now)?
            .map(crate::rules::retrieve::header_string))
    }

    /// Every cookie stored for the request's site, in header order, each with whether it is
    /// sent and, if not, why (as [`crate::CookieJar::explain`]).
    pub fn explain(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<Vec<Explanation>, RedisError> {
        let Some(sel) = Selection::new(ctx, &self.policy, &*self.psl, now.into()) else {
            return Ok(Vec::new());
        };
        let site = sel.site();
        let s = self.with_conn(|c| self.read_site(c, site, Read::WithAccess))?;
        Ok(sel.explain_from(&s.store))
    }

    /// Every site key of the namespace that holds cookies (a `SCAN` of the keyspace: for
    /// sweeps and tooling, not for the request path).
    pub fn sites(&self) -> Result<Vec<String>, RedisError> {
        let pattern = format!("{}:{{*}}:c", self.ns);
        let prefix = format!("{}:{{", self.ns);
        let keys: Vec<Vec<u8>> = self.with_conn(|c| {
            let mut keys = Vec::new();
            let mut cursor: u64 = 0;
            loop {
                let (next, batch): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(1000)
                    .query(c)?;
                keys.extend(batch);
                if next == 0 {
                    break;
                }
                cursor = next;
            }
            Ok(keys)
        })?;
        let mut sites: Vec<String> = keys
            .iter()
            .filter_map(|k| {
                let k = std::str::from_utf8(k).ok()?;
                k.strip_prefix(&prefix)?
                    .strip_suffix("}:c")
                    .map(str::to_owned)
            })
            .collect();
        sites.sort();
        sites.dedup();
        Ok(sites)
    }

    /// Removes, site by site, every cookie `doomed` picks; returns how many went.
    fn remove_all_where(
        &self,
        doomed: impl Fn(&Cookie) -> bool,
        cause: RemovalCause,
        now: Timestamp,
    ) -> Result<usize, RedisError> {
        let mut total = 0;
        for site in self.sites()? {
            let (n, _) = self.mutate(&site, &mut (), |store, state, touched| {
                let before = state.len();
                store.remove_all_where(&doomed, cause, now, state, touched);
                before - state.len()
            })?;
            total += n;
        }
        Ok(total)
    }

    /// The sweep: removes every cookie expired at `now`, in every site; returns how many.
    pub fn remove_expired(&self, now: impl Into<Timestamp>) -> Result<usize, RedisError> {
        let now = now.into();
        self.remove_all_where(|c| c.is_expired(now), RemovalCause::Expired, now)
    }

    /// The browser restarts: session cookies are dropped, in every site; returns how many.
    pub fn end_session(&self) -> Result<usize, RedisError> {
        self.remove_all_where(
            |c| !c.persistent(),
            RemovalCause::EndOfSession,
            Timestamp::MIN,
        )
    }

    /// Removes every cookie of the namespace; returns how many.
    pub fn clear(&self) -> Result<usize, RedisError> {
        self.remove_all_where(|_| true, RemovalCause::Explicit, Timestamp::MIN)
    }

    pub(crate) fn report(&self, e: &RedisError) {
        self.errors.fetch_add(1, Ordering::Relaxed);
        if let Some(h) = &self.hook {
            h(e);
        }
    }
}

/// After the `attempt`-th lost compare-and-set: a random pause of up to 50 µs × 2^attempt
/// (at most 3.2 ms), so writers of one hot site spread out instead of colliding again in step
/// (a starved writer would otherwise end in [`RedisError::Contended`]). `salt` varies per call.
fn backoff(attempt: usize, salt: u64) {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    // splitmix64 of the clock and the salt: a cheap, unsynchronised random number.
    let mut z = nanos ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    let window = 1u64 << attempt.min(6);
    std::thread::sleep(Duration::from_micros(50 * (z % window)));
}

/// Whether a cookie of `domain` may live in the bucket of `site`: the domain is the site or
/// under it (a site key is a suffix of every domain whose site it is). Cheaper than the
/// suffix-list lookup on every read; the selection still domain-matches every cookie against
/// the request's host (6265bis 5.8.3 step 1), so nothing is sent beyond its domain.
fn of_site(domain: &str, site: &str) -> bool {
    domain
        .strip_suffix(site)
        .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
}

/// Replays an owned change into a sink (after its compare-and-set committed).
fn replay<S: ChangeSink>(c: &crate::store::change::OwnedChange, sink: &mut S) {
    use crate::store::change::OwnedChange;
    match c {
        OwnedChange::Added(c) => sink.record(Change::Added(c)),
        OwnedChange::Replaced { old, new } => sink.record(Change::Replaced { old, new }),
        OwnedChange::Removed { cookie, cause } => sink.record(Change::Removed {
            cookie,
            cause: *cause,
        }),
        // Sets and removals report no access; lookups do not replay.
        OwnedChange::Accessed { .. } => {}
    }
}

/// reqwest's cookie hook over the shared jar: every request a user-started top-level
/// navigation at the system clock, as for [`crate::SharedJar`].
///
/// reqwest's trait is synchronous: `cookies` blocks for one round trip to Redis (plus, at most
/// once a minute per cookie, a last-access refresh), `set_cookies` for two per `Set-Cookie`
/// header (plus one per conflict). When Redis cannot be used, `cookies` sends no cookie and
/// `set_cookies` stores none; each error is counted ([`RedisJar::errors`]) and passed to the
/// hook of [`RedisJar::on_error`].
#[cfg(feature = "reqwest")]
impl reqwest::cookie::CookieStore for RedisJar {
    fn set_cookies(
        &self,
        cookie_headers: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &url::Url,
    ) {
        let now = Timestamp::now();
        let ctx = RequestContext::navigation(url);
        for value in cookie_headers {
            // A refused cookie is dropped, as a browser drops it; a Redis error is reported.
            if let Err(SetError::Redis(e)) = self.set_cookie(value.as_bytes(), &ctx, now) {
                self.report(&e);
            }
        }
    }

    fn cookies(&self, url: &url::Url) -> Option<reqwest::header::HeaderValue> {
        let mut out = Vec::new();
        match self.write_cookie_header(&RequestContext::navigation(url), Timestamp::now(), &mut out)
        {
            Ok(0) => None,
            // Stored names and values hold no control bytes (the canonical gate), so the
            // header is a valid `HeaderValue`.
            Ok(_) => reqwest::header::HeaderValue::try_from(out).ok(),
            Err(e) => {
                self.report(&e);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<RedisJar>();
    }

    #[test]
    fn encoding_round_trips_and_refuses_damage() {
        let c = Cookie::builder(&b"n\xfe"[..], &b"v\x80"[..], "a.example.com")
            .host_only(false)
            .path("/x")
            .expires(Some(Timestamp::from_unix_seconds(1_800_100_000)))
            .secure(true)
            .http_only(true)
            .same_site(SameSite::Strict)
            .priority(Priority::High)
            .partition(Some("https://top.example".to_owned()), true)
            .creation(Timestamp::from_unix_seconds(1_800_000_000))
            .build()
            .unwrap();
        let bytes = encode_cookie(&c);
        assert_eq!(decode_cookie(&bytes, None).unwrap(), c);
        assert_eq!(field_of(&c), identity_field(&c.id()));
        // Every truncation is a typed error, never a panic.
        for n in 0..bytes.len() {
            assert!(decode_cookie(&bytes[..n], None).is_err(), "prefix {n}");
        }
        let mut extra = bytes.clone();
        extra.push(0);
        assert_eq!(
            decode_cookie(&extra, None),
            Err(DecodeError::Malformed("trailing bytes"))
        );
        let mut v2 = bytes;
        v2[0] = 2;
        assert_eq!(
            decode_cookie(&v2, None),
            Err(DecodeError::Malformed("unknown version"))
        );
    }
}

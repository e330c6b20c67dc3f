//! [`SharedJar`]: one jar for many threads, sharded by site key.
//!
//! A cookie is only ever stored under, and sent to, hosts of its own site key (the registrable
//! domain), so the jar partitions losslessly by site key: each shard is a whole [`CookieJar`]
//! behind its own `RwLock`, and a request touches exactly one shard. Lookups take a read lock
//! (last-access is an atomic in [`Cookie`]), so readers of one site never wait for each other
//! and readers of different sites never touch the same lock. Only the jar-wide rules cross
//! shards: the creation clock (an atomic) and the global cookie limit (a purge that takes every
//! shard's write lock in index order, and runs only when the jar is over its limit).

use crate::rules::context::RequestContext;
use crate::cookie::{Cookie, Timestamp};
use crate::rules::host::{request_host, site_key};
use crate::jar::{CookieJar, Explanation, SetOutcome};
use crate::policy::Policy;
use crate::rules::psl::{default_list, Psl, SuffixList};
use crate::reason::Rejection;
use crate::store::{FxHasher, Store};
use std::hash::Hasher;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The default number of shards: enough that 16 threads on random sites rarely share one.
const DEFAULT_SHARDS: usize = 64;

/// A [`CookieJar`] that many threads share: `Send + Sync`, every method takes `&self`.
///
/// Answers exactly as a [`CookieJar`] with the same policy would, given the same calls in the
/// same order (the scenario suites are replayed through both in `tests/shared_jar.rs`). Calls
/// from several threads at once behave as some order of those calls, per site; the jar-wide
/// limit is applied after the set that crosses it, as in Chromium.
///
/// ```
/// use cookiejar::{RequestContext, SharedJar, Timestamp};
/// use std::sync::Arc;
/// use url::Url;
///
/// let jar = Arc::new(SharedJar::new());
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let url = Url::parse("https://www.example.com/").unwrap();
/// let writer = {
///     let (jar, url) = (Arc::clone(&jar), url.clone());
///     std::thread::spawn(move || {
///         jar.set_cookie("id=42; Domain=example.com", &RequestContext::navigation(&url), now)
///     })
/// };
/// writer.join().unwrap().unwrap();
/// assert_eq!(jar.cookie_header(&RequestContext::navigation(&url), now).as_deref(), Some("id=42"));
/// ```
pub struct SharedJar {
    /// One jar per shard, each with `policy` minus the jar-wide limit (enforced here instead).
    shards: Box<[RwLock<CookieJar>]>,
    /// `shards.len() - 1`; the count is a power of two.
    mask: usize,
    policy: Policy,
    psl: Psl,
    /// The sum of the shards' counts.
    len: AtomicUsize,
    /// The latest creation time handed out by any shard (creation times are unique and
    /// increasing jar-wide, as in [`CookieJar`]).
    clock: AtomicI64,
    /// When the last jar-wide purge ran and what it left (`evict::global_purge_due`).
    last_global_purge: std::sync::Mutex<Option<(Timestamp, usize)>>,
    /// A jar-wide lower bound on every cookie's last access (what each shard's store keeps for
    /// itself), so a set can tell without any lock that a global purge has nothing to do.
    earliest_access: AtomicI64,
}

impl Default for SharedJar {
    fn default() -> Self {
        SharedJar::new()
    }
}

impl std::fmt::Debug for SharedJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedJar")
            .field("policy", &self.policy.profile)
            .field("cookies", &self.len())
            .field("shards", &self.shards.len())
            .finish()
    }
}

fn read(lock: &RwLock<CookieJar>) -> RwLockReadGuard<'_, CookieJar> {
    // A panic while holding the lock leaves a consistent jar (no method panics half-way
    // through an update on valid input), so poisoning is ignored.
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write(lock: &RwLock<CookieJar>) -> RwLockWriteGuard<'_, CookieJar> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl SharedJar {
    /// An empty jar with [`Policy::standard`], the compiled-in public suffix list and 64 shards.
    pub fn new() -> Self {
        SharedJar::with_policy(Policy::standard())
    }

    /// An empty jar with the given policy and 64 shards.
    pub fn with_policy(policy: Policy) -> Self {
        SharedJar::with_policy_and_shards(policy, DEFAULT_SHARDS)
    }

    /// An empty jar with the given policy and `shards` shards (rounded up to a power of two,
    /// at least 1). More shards than threads keeps writers of different sites apart.
    pub fn with_policy_and_shards(policy: Policy, shards: usize) -> Self {
        let n = shards.max(1).next_power_of_two();
        let mut inner = policy.clone();
        // The jar-wide limit is this type's business: a shard never purges on its own.
        inner.max_cookies = usize::MAX;
        inner.purge_to = usize::MAX;
        let psl = default_list();
        let shards = (0..n)
            .map(|_| {
                let mut jar = CookieJar::with_policy(inner.clone());
                jar.set_psl(Arc::clone(&psl));
                RwLock::new(jar)
            })
            .collect();
        SharedJar {
            shards,
            mask: n - 1,
            policy,
            psl,
            len: AtomicUsize::new(0),
            clock: AtomicI64::new(Timestamp::MIN.0),
            last_global_purge: std::sync::Mutex::new(None),
            earliest_access: AtomicI64::new(i64::MAX),
        }
    }

    /// Replaces the public suffix list (see [`CookieJar::with_public_suffix_list`]).
    #[must_use]
    pub fn with_public_suffix_list<L: SuffixList + 'static>(mut self, list: L) -> Self {
        let psl: Psl = Arc::new(list);
        for shard in self.shards.iter_mut() {
            shard
                .get_mut()
                .unwrap_or_else(PoisonError::into_inner)
                .set_psl(Arc::clone(&psl));
        }
        self.psl = psl;
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How many shards the jar has.
    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// How many cookies are stored (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }

    /// True when no cookie is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shard of a request URL: that of its host's site key (shard 0 when the URL carries
    /// no cookies at all, where every shard answers the same).
    fn shard_of(&self, ctx: &RequestContext<'_>) -> &RwLock<CookieJar> {
        let i = request_host(ctx.url).map_or(0, |h| self.index_of_site(site_key(&*self.psl, h)));
        // `i <= mask < len`, so the index is always in range.
        &self.shards[i]
    }

    fn index_of_site(&self, site: &str) -> usize {
        let mut h = FxHasher::default();
        h.write(site.as_bytes());
        // The top bits of a multiplicative mix: independent of the low bits and of the top 7
        // bits that each shard's own hash table uses for the same key.
        let mixed = h.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) as usize & self.mask
    }

    /// Applies one `Set-Cookie` value received for `ctx` at `now`; see [`CookieJar::set_cookie`].
    pub fn set_cookie(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        let now = now.into();
        let result = {
            let mut jar = write(self.shard_of(ctx));
            let clock = jar.creation_clock_mut();
            *clock = (*clock).max(Timestamp(self.clock.load(Ordering::Relaxed)));
            let before = jar.len();
            let result = jar.set_cookie(line, ctx, now);
            self.clock
                .fetch_max(jar.creation_clock_mut().0, Ordering::Relaxed);
            let after = jar.len();
            if after >= before {
                self.len.fetch_add(after - before, Ordering::Relaxed);
            } else {
                self.len.fetch_sub(before - after, Ordering::Relaxed);
            }
            result
        };
        if result.is_ok() {
            // Last access only grows and a new cookie's is `now`: keep the bound, with a plain
            // load first so the common case (time moves forward) writes nothing shared.
            if now.0 < self.earliest_access.load(Ordering::Relaxed) {
                self.earliest_access.fetch_min(now.0, Ordering::Relaxed);
            }
            // evict::global_gc's O(1) tests, asked before taking every shard's lock (the
            // purge-interval test waits for its mutex, inside global_purge).
            let earliest = Timestamp(self.earliest_access.load(Ordering::Relaxed));
            if crate::store::evict::global_purge_may_run(
                self.len(),
                Some(earliest),
                None,
                now,
                &self.policy,
            ) {
                self.global_purge(now);
            }
        }
        result
    }

    /// Chromium `GarbageCollect`, jar-wide part, across every shard (see `evict::global_gc`):
    /// the shards' buckets are gathered into one store, purged as one jar would be, and put
    /// back. Runs only when the jar is over `max_cookies`, so its O(jar) cost is paid once per
    /// `max_cookies - purge_to` insertions at most.
    fn global_purge(&self, now: Timestamp) {
        // Every write lock, in index order: no other call holds more than one lock.
        let mut guards: Vec<_> = self.shards.iter().map(write).collect();
        let total: usize = guards.iter().map(|g| g.len()).sum();
        // evict::global_gc's O(1) tests, with the shards' lower bounds on last access, before
        // gathering anything.
        let earliest = guards
            .iter_mut()
            .filter_map(|g| g.store_mut().earliest_access)
            .min();
        let mut last = self
            .last_global_purge
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !crate::store::evict::global_purge_may_run(total, earliest, *last, now, &self.policy) {
            return; // another thread purged first, or nothing can go yet
        }
        let mut merged = Store::default();
        for g in &mut guards {
            let store = std::mem::take(g.store_mut());
            merged.len += store.len;
            merged.buckets.extend(store.buckets);
        }
        merged.earliest_access = earliest;
        merged.last_global_purge = *last;
        crate::store::evict::global_gc(&mut merged, &self.policy, now);
        *last = merged.last_global_purge;
        // Back to their shards; each shard keeps the jar-wide lower bound on last access, as
        // the one store of a `CookieJar` would.
        for g in &mut guards {
            g.store_mut().earliest_access = merged.earliest_access;
        }
        self.earliest_access.store(
            merged.earliest_access.map_or(i64::MAX, |t| t.0),
            Ordering::Relaxed,
        );
        for (site, bucket) in merged.buckets {
            let i = self.index_of_site(&site);
            if let Some(g) = guards.get_mut(i) {
                let store = g.store_mut();
                store.len += bucket.cookies.len();
                store.buckets.insert(site, bucket);
            }
        }
        let total: usize = guards.iter().map(|g| g.len()).sum();
        self.len.store(total, Ordering::Relaxed);
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out`; see
    /// [`CookieJar::write_cookie_header`]. Takes one shard's read lock.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> usize {
        read(self.shard_of(ctx)).write_cookie_header(ctx, now, out)
    }

    /// The `Cookie` header bytes for `ctx` at `now`; see [`CookieJar::cookie_header_bytes`].
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<Vec<u8>> {
        read(self.shard_of(ctx)).cookie_header_bytes(ctx, now)
    }

    /// The `Cookie` header for `ctx` at `now`; see [`CookieJar::cookie_header`].
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<String> {
        read(self.shard_of(ctx)).cookie_header(ctx, now)
    }

    /// Every cookie of the request's site and whether it is sent; see [`CookieJar::explain`].
    pub fn explain(&self, ctx: &RequestContext<'_>, now: impl Into<Timestamp>) -> Vec<Explanation> {
        read(self.shard_of(ctx)).explain(ctx, now)
    }

    /// Applies `f` to each shard in turn under its write lock, keeping the count in step.
    fn each_shard(&self, mut f: impl FnMut(&mut CookieJar)) {
        for shard in self.shards.iter() {
            let mut jar = write(shard);
            let before = jar.len();
            f(&mut jar);
            let after = jar.len();
            if after >= before {
                self.len.fetch_add(after - before, Ordering::Relaxed);
            } else {
                self.len.fetch_sub(before - after, Ordering::Relaxed);
            }
        }
    }

    /// The browser restarts: session cookies are dropped (shard by shard).
    pub fn end_session(&self) {
        self.each_shard(CookieJar::end_session);
    }

    /// Removes every cookie expired at `now` (shard by shard).
    pub fn remove_expired(&self, now: impl Into<Timestamp>) {
        let now = now.into();
        self.each_shard(|jar| jar.remove_expired(now));
    }

    /// Removes every cookie (shard by shard).
    pub fn clear(&self) {
        self.each_shard(CookieJar::clear);
    }

    /// A copy of every stored cookie, shard by shard, each site in header order.
    pub fn cookies(&self) -> Vec<Cookie> {
        let mut out = Vec::with_capacity(self.len());
        for shard in self.shards.iter() {
            out.extend(read(shard).iter().cloned());
        }
        out
    }
}

/// The request context a [`SharedJar`] assumes for the requests of an HTTP client, whose
/// cookie hook (reqwest's [`CookieStore`](reqwest::cookie::CookieStore)) passes only a URL.
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClientContext {
    /// Every request is a top-level navigation the user started
    /// ([`RequestContext::navigation`]): same-site, so `SameSite=Strict` and `Lax` cookies are
    /// sent and may be set. What a plain HTTP client is, and what `Arc<SharedJar>` assumes.
    #[default]
    TopLevel,
    /// Every request is a top-level navigation started by a page at this URL
    /// ([`RequestContext::navigation_from`]): a cross-site one sends `Lax` cookies, not
    /// `Strict` ones (nor `Lax` ones on a POST).
    NavigationFrom(url::Url),
    /// Every request is a subresource fetched by the top-level page at this URL
    /// ([`RequestContext::subresource`]): a cross-site one sends only `SameSite=None` cookies.
    Subresource(url::Url),
}

#[cfg(feature = "reqwest")]
impl ClientContext {
    fn request<'a>(&'a self, url: &'a url::Url) -> RequestContext<'a> {
        match self {
            ClientContext::TopLevel => RequestContext::navigation(url),
            ClientContext::NavigationFrom(from) => RequestContext::navigation_from(url, from),
            ClientContext::Subresource(page) => RequestContext::subresource(url, page),
        }
    }
}

/// A [`SharedJar`] seen through a fixed [`ClientContext`]: give it to
/// `reqwest::ClientBuilder::cookie_provider` to make that client's requests, for example, the
/// subresources of one page. Cheap to make; many views can share one jar.
///
/// ```
/// use cookiejar::{ClientContext, SharedJar};
/// use std::sync::Arc;
/// let jar = Arc::new(SharedJar::new());
/// let page = url::Url::parse("https://news.example/").unwrap();
/// let widgets = jar.with_client_context(ClientContext::Subresource(page));
/// let client = reqwest::Client::builder().cookie_provider(Arc::new(widgets)).build().unwrap();
/// # let _ = client;
/// ```
#[cfg(feature = "reqwest")]
#[derive(Clone, Debug)]
pub struct ContextJar {
    jar: Arc<SharedJar>,
    context: ClientContext,
}

#[cfg(feature = "reqwest")]
impl ContextJar {
    /// The jar.
    pub fn jar(&self) -> &Arc<SharedJar> {
        &self.jar
    }

    /// The context.
    pub fn context(&self) -> &ClientContext {
        &self.context
    }
}

#[cfg(feature = "reqwest")]
impl SharedJar {
    /// A view of this jar whose requests all have `context` (see [`ContextJar`]).
    pub fn with_client_context(self: &Arc<Self>, context: ClientContext) -> ContextJar {
        ContextJar {
            jar: Arc::clone(self),
            context,
        }
    }

    fn reqwest_set(
        &self,
        context: &ClientContext,
        headers: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &url::Url,
    ) {
        let now = Timestamp::now();
        let ctx = context.request(url);
        for value in headers {
            // The raw bytes: no `to_str()`, so a value with non-ASCII bytes is kept as sent.
            // A refused cookie is dropped, as a browser drops it.
            let _ = self.set_cookie(value.as_bytes(), &ctx, now);
        }
    }

    fn reqwest_get(
        &self,
        context: &ClientContext,
        url: &url::Url,
    ) -> Option<reqwest::header::HeaderValue> {
        let mut out = Vec::new();
        if self.write_cookie_header(&context.request(url), Timestamp::now(), &mut out) == 0 {
            return None;
        }
        // Stored names and values hold no control bytes (6265bis 5.6 refuses them), so the
        // header is always a valid `HeaderValue`; bytes above 0x7F pass as obs-text.
        reqwest::header::HeaderValue::try_from(out).ok()
    }
}

/// reqwest's cookie hook, with every request a user-started top-level navigation
/// ([`ClientContext::TopLevel`]) at the system clock. A drop-in for `reqwest::cookie::Jar`:
///
/// ```
/// use cookiejar::SharedJar;
/// use std::sync::Arc;
/// let jar = Arc::new(SharedJar::new());
/// let client = reqwest::Client::builder().cookie_provider(Arc::clone(&jar)).build().unwrap();
/// # let _ = client;
/// ```
///
/// reqwest calls `set_cookies` with the URL of each response (each hop of a redirect
/// included) and `cookies` with the URL of each request. It passes no page, initiator or
/// method, so SameSite is decided as for a top-level navigation; for another context, use
/// [`SharedJar::with_client_context`].
#[cfg(feature = "reqwest")]
impl reqwest::cookie::CookieStore for SharedJar {
    fn set_cookies(
        &self,
        cookie_headers: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &url::Url,
    ) {
        self.reqwest_set(&ClientContext::TopLevel, cookie_headers, url);
    }

    fn cookies(&self, url: &url::Url) -> Option<reqwest::header::HeaderValue> {
        self.reqwest_get(&ClientContext::TopLevel, url)
    }
}

/// reqwest's cookie hook with the view's [`ClientContext`].
#[cfg(feature = "reqwest")]
impl reqwest::cookie::CookieStore for ContextJar {
    fn set_cookies(
        &self,
        cookie_headers: &mut dyn Iterator<Item = &reqwest::header::HeaderValue>,
        url: &url::Url,
    ) {
        self.jar.reqwest_set(&self.context, cookie_headers, url);
    }

    fn cookies(&self, url: &url::Url) -> Option<reqwest::header::HeaderValue> {
        self.jar.reqwest_get(&self.context, url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn is_send_and_sync() {
        assert_send_sync::<SharedJar>();
    }

    #[test]
    fn one_site_one_shard() {
        let jar = SharedJar::new();
        for (a, b) in [
            ("https://www.example.com/", "https://api.example.com/x"),
            ("https://a.b.example.co.uk/", "https://example.co.uk/"),
            ("http://127.0.0.1:8080/", "http://127.0.0.1/"),
        ] {
            let (a, b) = (Url::parse(a).unwrap(), Url::parse(b).unwrap());
            let sa = jar.shard_of(&RequestContext::navigation(&a)) as *const _;
            let sb = jar.shard_of(&RequestContext::navigation(&b)) as *const _;
            assert_eq!(sa, sb, "{a} {b}");
        }
    }

    #[test]
    fn shard_count_is_a_power_of_two() {
        assert_eq!(
            SharedJar::with_policy_and_shards(Policy::standard(), 0).shard_count(),
            1
        );
        assert_eq!(
            SharedJar::with_policy_and_shards(Policy::standard(), 5).shard_count(),
            8
        );
    }
}

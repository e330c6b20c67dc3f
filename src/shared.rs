//! [`SharedJar`]: the engine's rules over buckets sharded by site key, for many threads.
//!
//! A cookie is only ever stored under, and sent to, hosts of its own site key (the registrable
//! domain), so the jar partitions losslessly by site key: each shard is a store of buckets
//! behind its own `RwLock`, and a request touches exactly one shard. Lookups take a read lock
//! (last-access is an atomic in [`Cookie`]), so readers of one site never wait for each other
//! and readers of different sites never touch the same lock. Jar-wide state (the count, the
//! creation clock, the global purge's bookkeeping) is atomic; only the global purge crosses
//! shards, taking every shard's write lock in index order, and only when the jar is over its
//! limit with something old enough to go.

use crate::cookie::{Cookie, CookieId, Timestamp};
use crate::policy::Policy;
use crate::reason::Rejection;
use crate::rules::admit::RequestFacts;
use crate::rules::context::RequestContext;
use crate::rules::host::site_key;
use crate::rules::psl::{default_list, Psl, SuffixList};
use crate::rules::retrieve::{Explanation, Selection};
use crate::snapshot::{load, JarSnapshot, Skipped};
use crate::store::bucket::{SetOutcome, Stored};
use crate::store::change::{ChangeSink, RemovalCause};
use crate::store::state::{AtomicState, JarState};
use crate::store::{evict, import, import_site, set_line, FxHasher, SetDone, Store};
use std::hash::Hasher;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The default number of shards: enough that 16 threads on random sites rarely share one.
const DEFAULT_SHARDS: usize = 64;

/// A [`crate::CookieJar`] that many threads share: `Send + Sync`, every method takes `&self`.
///
/// Answers exactly as a [`crate::CookieJar`] with the same policy would, given the same calls in
/// the same order (the scenario suites are replayed through both in `wpt-tests/tests/shared_jar.rs`). Calls from several threads
/// at once behave as some order of those calls, per site; the jar-wide limit is applied after
/// the set that crosses it, as in Chromium.
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
    shards: Box<[RwLock<Store>]>,
    /// `shards.len() - 1`; the count is a power of two.
    mask: usize,
    policy: Policy,
    psl: Psl,
    state: AtomicState,
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

fn read(lock: &RwLock<Store>) -> RwLockReadGuard<'_, Store> {
    // A panic while holding the lock leaves a consistent store (no method panics half-way
    // through an update on valid input), so poisoning is ignored.
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write(lock: &RwLock<Store>) -> RwLockWriteGuard<'_, Store> {
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
        SharedJar {
            shards: (0..n).map(|_| RwLock::new(Store::default())).collect(),
            mask: n - 1,
            policy,
            psl: default_list(),
            state: AtomicState::default(),
        }
    }

    /// Replaces the public suffix list (see [`crate::CookieJar::with_public_suffix_list`]).
    #[must_use]
    pub fn with_public_suffix_list<L: SuffixList + 'static>(mut self, list: L) -> Self {
        self.psl = Arc::new(list);
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
        (&self.state).len()
    }

    /// True when no cookie is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The shard of a site key.
    fn shard(&self, site: &str) -> &RwLock<Store> {
        let mut h = FxHasher::default();
        h.write(site.as_bytes());
        // The top bits of a multiplicative mix: independent of the low bits and of the top 7
        // bits that each shard's own hash table uses for the same key.
        let mixed = h.finish().wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let i = (mixed >> 32) as usize & self.mask;
        // `i <= mask < len`, so the index is always in range.
        &self.shards[i]
    }

    /// The shard of a cookie domain or host.
    fn shard_of_host(&self, host: &str) -> &RwLock<Store> {
        self.shard(site_key(&*self.psl, host))
    }

    /// Applies one `Set-Cookie` value received for `ctx` at `now`; see
    /// [`crate::CookieJar::set_cookie`]. Takes one shard's write lock.
    pub fn set_cookie(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.set_cookie_with(line, ctx, now, &mut ())
            .map(|s| s.outcome)
    }

    /// [`SharedJar::set_cookie`], reporting each change to `sink`; see
    /// [`crate::CookieJar::set_cookie_with`].
    pub fn set_cookie_with<S: ChangeSink>(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<Stored, Rejection> {
        let now = now.into();
        let (policy, psl) = (&self.policy, &*self.psl);
        let facts = RequestFacts::new(ctx, policy, psl).ok_or(Rejection::UnsupportedUrl)?;
        let mut state = &self.state;
        let mut store = write(self.shard(facts.site));
        let done = set_line(
            &mut store,
            &mut state,
            &facts,
            line.as_ref(),
            policy,
            psl,
            now,
            sink,
        );
        drop(store);
        Ok(self.after_set(done?, now, sink))
    }

    /// Stores an imported cookie; see [`crate::CookieJar::insert`].
    pub fn insert(
        &self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.insert_with(cookie, now, &mut ())
    }

    /// [`SharedJar::insert`], reporting each change to `sink`.
    pub fn insert_with<S: ChangeSink>(
        &self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<SetOutcome, Rejection> {
        self.import_one(cookie, false, now.into(), sink)
    }

    /// Stores what a reader of [`crate::persist`] read from a file; see [`CookieJar::import`].
    ///
    /// [`CookieJar::import`]: crate::CookieJar::import
    pub fn import(
        &self,
        records: crate::persist::Records,
        now: impl Into<Timestamp>,
    ) -> crate::persist::ImportReport {
        self.import_with(records, now, &mut ())
    }

    /// [`SharedJar::import`], reporting each change to `sink`.
    pub fn import_with<S: ChangeSink>(
        &self,
        records: crate::persist::Records,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> crate::persist::ImportReport {
        let now = now.into();
        crate::persist::import_records(records, now, |mut c, creation_known| {
            if !creation_known {
                let mut state = &self.state;
                c.restamp_creation(state.next_creation(now));
            }
            self.import_one(c, false, now, sink)
        })
    }

    fn import_one<S: ChangeSink>(
        &self,
        cookie: Cookie,
        restoring: bool,
        now: Timestamp,
        sink: &mut S,
    ) -> Result<SetOutcome, Rejection> {
        let site = import_site(&cookie, &*self.psl)?.to_owned();
        let mut state = &self.state;
        let mut store = write(self.shard(&site));
        let done = import(
            &mut store,
            &site,
            &mut state,
            cookie,
            restoring,
            &self.policy,
            now,
            sink,
        );
        drop(store);
        Ok(self.after_set(done?, now, sink).outcome)
    }

    /// After a set that grew the jar: Chromium `GarbageCollect`'s global part, across every
    /// shard. Its O(1) tests run before any lock is taken, so a jar over its limit whose
    /// cookies are all recent (Chromium never purges those) costs each set nothing more.
    fn after_set<S: ChangeSink>(&self, done: SetDone, now: Timestamp, sink: &mut S) -> Stored {
        if done.grew && evict::global_purge_may_run(&&self.state, now, &self.policy) {
            // Every write lock, in index order: no other call holds more than one lock.
            let mut guards: Vec<_> = self.shards.iter().map(write).collect();
            let mut stores: Vec<&mut Store> = guards.iter_mut().map(|g| &mut **g).collect();
            let mut state = &self.state;
            // Asks the O(1) tests again under the locks: another thread may have purged.
            evict::global_purge(&mut stores, &mut state, &self.policy, now, sink);
        }
        done.stored
    }

    /// The stored cookie of identity `id`, if any; see [`crate::CookieJar::get`].
    pub fn get(&self, id: &CookieId) -> Option<Cookie> {
        let site = site_key(&*self.psl, &id.domain);
        read(self.shard(site)).bucket(site)?.get(id).cloned()
    }

    /// Removes the cookie of identity `id` and returns it.
    pub fn remove(&self, id: &CookieId) -> Option<Cookie> {
        self.remove_with(id, &mut ())
    }

    /// [`SharedJar::remove`], reporting the change to `sink`.
    pub fn remove_with<S: ChangeSink>(&self, id: &CookieId, sink: &mut S) -> Option<Cookie> {
        let site = site_key(&*self.psl, &id.domain);
        let mut state = &self.state;
        write(self.shard(site)).remove(site, id, &mut state, sink)
    }

    /// The cookies not expired at `now` of the site of `host`; see
    /// [`crate::CookieJar::site_cookies`].
    pub fn site_cookies(&self, host: &str, now: impl Into<Timestamp>) -> Vec<Cookie> {
        let now = now.into();
        let site = site_key(&*self.psl, host);
        read(self.shard_of_host(host))
            .bucket(site)
            .map_or_else(Vec::new, |b| {
                b.cookies
                    .iter()
                    .filter(|c| !c.is_expired(now))
                    .cloned()
                    .collect()
            })
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out`; see
    /// [`crate::CookieJar::write_cookie_header`]. Takes one shard's read lock.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> usize {
        self.write_cookie_header_with(ctx, now, out, &mut ())
    }

    /// [`SharedJar::write_cookie_header`], reporting each refreshed last access to `sink`.
    pub fn write_cookie_header_with<S: ChangeSink>(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
        sink: &mut S,
    ) -> usize {
        Selection::new(ctx, &self.policy, &*self.psl, now.into())
            .map_or(0, |s| s.header_from(&read(self.shard(s.site())), out, sink))
    }

    /// The `Cookie` header bytes for `ctx` at `now`; see
    /// [`crate::CookieJar::cookie_header_bytes`].
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        (self.write_cookie_header(ctx, now, &mut out) > 0).then_some(out)
    }

    /// The `Cookie` header for `ctx` at `now`; see [`crate::CookieJar::cookie_header`].
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<String> {
        self.cookie_header_bytes(ctx, now)
            .map(crate::rules::retrieve::header_string)
    }

    /// Every cookie of the request's site and whether it is sent; see
    /// [`crate::CookieJar::explain`].
    pub fn explain(&self, ctx: &RequestContext<'_>, now: impl Into<Timestamp>) -> Vec<Explanation> {
        Selection::new(ctx, &self.policy, &*self.psl, now.into())
            .map_or_else(Vec::new, |s| s.explain_from(&read(self.shard(s.site()))))
    }

    /// Removes, shard by shard, the cookies `doomed` picks, reporting each with `cause`.
    fn remove_all_where<S: ChangeSink>(
        &self,
        doomed: impl Fn(&Cookie) -> bool,
        cause: RemovalCause,
        now: Timestamp,
        sink: &mut S,
    ) {
        let mut state = &self.state;
        for shard in self.shards.iter() {
            write(shard).remove_all_where(&doomed, cause, now, &mut state, sink);
        }
    }

    /// The browser restarts: session cookies are dropped (shard by shard).
    pub fn end_session(&self) {
        self.end_session_with(&mut ());
    }

    /// [`SharedJar::end_session`], reporting each removal to `sink`.
    pub fn end_session_with<S: ChangeSink>(&self, sink: &mut S) {
        let session = |c: &Cookie| !c.persistent();
        self.remove_all_where(session, RemovalCause::EndOfSession, Timestamp::MIN, sink);
    }

    /// Removes every cookie expired at `now` (shard by shard).
    pub fn remove_expired(&self, now: impl Into<Timestamp>) {
        self.remove_expired_with(now, &mut ());
    }

    /// [`SharedJar::remove_expired`], reporting each removal to `sink`.
    pub fn remove_expired_with<S: ChangeSink>(&self, now: impl Into<Timestamp>, sink: &mut S) {
        let now = now.into();
        self.remove_all_where(|c| c.is_expired(now), RemovalCause::Expired, now, sink);
    }

    /// Every cookie and the jar-wide state, to save (see [`JarSnapshot`]).
    pub fn snapshot(&self) -> JarSnapshot {
        let state = &self.state;
        JarSnapshot {
            creation_clock: state.last_creation(),
            last_global_purge: state.last_global_purge(),
            earliest_access: state.earliest_access(),
            cookies: self.cookies(),
        }
    }

    /// A jar with `policy`, 64 shards and the compiled-in suffix list holding what `snapshot`
    /// holds; see [`crate::CookieJar::load_snapshot`].
    pub fn restore(
        policy: Policy,
        snapshot: JarSnapshot,
        now: impl Into<Timestamp>,
    ) -> (SharedJar, Skipped) {
        let jar = SharedJar::with_policy(policy);
        let skipped = jar.load_snapshot(snapshot, now);
        (jar, skipped)
    }

    /// Adds what `snapshot` holds to this jar; see [`crate::CookieJar::load_snapshot`].
    pub fn load_snapshot(&self, snapshot: JarSnapshot, now: impl Into<Timestamp>) -> Skipped {
        self.load_snapshot_with(snapshot, now.into(), &mut ())
    }

    /// [`SharedJar::load_snapshot`], reporting each change to `sink` (a persistent store
    /// keeps the removals the bucket rules make while loading).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn load_snapshot_with<S: ChangeSink>(
        &self,
        snapshot: JarSnapshot,
        now: Timestamp,
        sink: &mut S,
    ) -> Skipped {
        let skipped = load(snapshot.cookies, |c| self.import_one(c, true, now, sink));
        let mut state = &self.state;
        state.observe_creation(snapshot.creation_clock);
        state.set_last_global_purge(snapshot.last_global_purge);
        if let Some(e) = snapshot.earliest_access {
            // The saved lower bound, which may lie below every cookie's own last access.
            state.note_access(e);
        }
        skipped
    }

    /// The jar-wide state a snapshot holds (creation clock, last global purge, earliest
    /// access), without copying the cookies.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn jar_state(&self) -> (Timestamp, Option<(Timestamp, usize)>, Option<Timestamp>) {
        let state = &self.state;
        (
            state.last_creation(),
            state.last_global_purge(),
            state.earliest_access(),
        )
    }

    /// Removes every cookie (shard by shard).
    pub fn clear(&self) {
        self.clear_with(&mut ());
    }

    /// [`SharedJar::clear`], reporting each removal to `sink`.
    pub fn clear_with<S: ChangeSink>(&self, sink: &mut S) {
        self.remove_all_where(|_| true, RemovalCause::Explicit, Timestamp::MIN, sink);
    }

    /// A copy of every stored cookie (expired ones not yet swept included), shard by shard,
    /// each site in header order.
    pub fn cookies(&self) -> Vec<Cookie> {
        let mut out = Vec::with_capacity(self.len());
        for shard in self.shards.iter() {
            out.extend(read(shard).iter().cloned());
        }
        out
    }

    /// A copy of every cookie not expired at `now`; see [`crate::CookieJar::unexpired`].
    pub fn unexpired(&self, now: impl Into<Timestamp>) -> Vec<Cookie> {
        let now = now.into();
        let mut cookies = self.cookies();
        cookies.retain(|c| !c.is_expired(now));
        cookies
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
            let sa = jar.shard_of_host(a.host_str().unwrap()) as *const _;
            let sb = jar.shard_of_host(b.host_str().unwrap()) as *const _;
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

//! [`CookieJar`]: the engine's rules over buckets held in one process's memory, for one owner.

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
use crate::store::state::{JarState, PlainState};
use crate::store::{evict, import, import_site, set_line, SetDone, Store};
use std::sync::Arc;

/// A browser-accurate cookie jar.
///
/// ```
/// use cookiejar::{CookieJar, RequestContext, Timestamp};
/// use url::Url;
/// let mut jar = CookieJar::new();
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let url = Url::parse("https://www.example.com/a/b").unwrap();
/// let ctx = RequestContext::navigation(&url);
/// jar.set_cookie("sid=1; Secure; HttpOnly; SameSite=Lax", &ctx, now).unwrap();
/// jar.set_cookie("lang=en; Domain=example.com; Path=/", &ctx, now).unwrap();
/// assert_eq!(jar.cookie_header(&ctx, now).as_deref(), Some("sid=1; lang=en"));
/// // A script sees no HttpOnly cookie.
/// assert_eq!(jar.cookie_header(&RequestContext::script(&url), now).as_deref(), Some("lang=en"));
/// // A public suffix cannot be a cookie's domain.
/// assert!(jar.set_cookie("x=1; Domain=com", &ctx, now).is_err());
/// ```
///
/// Every method that changes the jar has a `_with` form that reports each change to a
/// [`ChangeSink`] (what a persistent store consumes); lookups report refreshed last-access
/// times the same way.
#[derive(Clone)]
pub struct CookieJar {
    policy: Policy,
    psl: Psl,
    store: Store,
    state: PlainState,
}

impl Default for CookieJar {
    fn default() -> Self {
        CookieJar::new()
    }
}

impl std::fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieJar")
            .field("policy", &self.policy.profile)
            .field("cookies", &self.state.len())
            .field("sites", &self.store.buckets.len())
            .finish()
    }
}

impl CookieJar {
    /// An empty jar with [`Policy::standard`] and the compiled-in public suffix list.
    pub fn new() -> Self {
        CookieJar::with_policy(Policy::standard())
    }

    /// An empty jar with the given policy.
    pub fn with_policy(policy: Policy) -> Self {
        CookieJar {
            policy,
            psl: default_list(),
            store: Store::default(),
            state: PlainState::default(),
        }
    }

    /// Replaces the public suffix list, e.g. with a runtime-loaded `publicsuffix::List`.
    ///
    /// ```
    /// # use cookiejar::CookieJar;
    /// let list: publicsuffix::List = "// ===BEGIN ICANN DOMAINS===\ncom\n".parse().unwrap();
    /// let jar = CookieJar::new().with_public_suffix_list(list);
    /// # let _ = jar;
    /// ```
    #[must_use]
    pub fn with_public_suffix_list<L: SuffixList + 'static>(mut self, list: L) -> Self {
        self.psl = Arc::new(list);
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How many cookies are stored (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.state.len()
    }

    /// True when no cookie is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every stored cookie (expired ones not yet swept included), site by site, each site in
    /// header order.
    pub fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.store.iter()
    }

    /// Every cookie not expired at `now`, site by site, each site in header order.
    pub fn unexpired(&self, now: impl Into<Timestamp>) -> impl Iterator<Item = &Cookie> {
        let now = now.into();
        self.iter().filter(move |c| !c.is_expired(now))
    }

    /// The cookies not expired at `now` of the site of `host` (its registrable domain: every
    /// cookie that could ever be sent to `host` or its sibling hosts), in header order.
    ///
    /// ```
    /// # use cookiejar::{CookieJar, RequestContext, Timestamp, Url};
    /// let mut jar = CookieJar::new();
    /// let now = Timestamp::from_unix_seconds(1_800_000_000);
    /// let url = Url::parse("https://www.example.com/").unwrap();
    /// jar.set_cookie("a=1", &RequestContext::navigation(&url), now).unwrap();
    /// assert_eq!(jar.site_cookies("api.example.com", now).count(), 1);
    /// ```
    pub fn site_cookies(
        &self,
        host: &str,
        now: impl Into<Timestamp>,
    ) -> impl Iterator<Item = &Cookie> {
        let now = now.into();
        self.store
            .bucket(site_key(&*self.psl, host))
            .into_iter()
            .flat_map(|b| b.cookies.iter())
            .filter(move |c| !c.is_expired(now))
    }

    /// The stored cookie of identity `id`, if any (expired or not).
    pub fn get(&self, id: &CookieId) -> Option<&Cookie> {
        self.store.bucket(site_key(&*self.psl, &id.domain))?.get(id)
    }

    /// Removes the cookie of identity `id` and returns it.
    pub fn remove(&mut self, id: &CookieId) -> Option<Cookie> {
        self.remove_with(id, &mut ())
    }

    /// [`CookieJar::remove`], reporting the change to `sink`.
    pub fn remove_with<S: ChangeSink>(&mut self, id: &CookieId, sink: &mut S) -> Option<Cookie> {
        let site = site_key(&*self.psl, &id.domain);
        self.store.remove(site, id, &mut self.state, sink)
    }

    /// Stores a cookie that did not come from a `Set-Cookie` line (an import: see
    /// [`Cookie::builder`]), keeping its creation and last-access times. It goes through the
    /// bucket rules (a cookie of the same identity is replaced; per-site, per-partition and
    /// global limits hold) as if set from a secure URL; an expired cookie only deletes.
    ///
    /// ```
    /// # use cookiejar::{Cookie, CookieJar, RequestContext, Timestamp, Url};
    /// let mut jar = CookieJar::new();
    /// let now = Timestamp::from_unix_seconds(1_800_000_000);
    /// let c = Cookie::builder("sid", "1", "example.com").creation(now).build().unwrap();
    /// jar.insert(c, now).unwrap();
    /// let url = Url::parse("https://example.com/").unwrap();
    /// assert_eq!(jar.cookie_header(&RequestContext::navigation(&url), now).as_deref(), Some("sid=1"));
    /// ```
    pub fn insert(
        &mut self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.insert_with(cookie, now, &mut ())
    }

    /// [`CookieJar::insert`], reporting each change to `sink`.
    pub fn insert_with<S: ChangeSink>(
        &mut self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<SetOutcome, Rejection> {
        self.import_one(cookie, false, now.into(), sink)
    }

    /// Stores what a reader of [`crate::persist`] read from a file, each cookie as
    /// [`CookieJar::insert`] does, and reports what was imported and what refused (by the
    /// reader or by the jar), with each record's place in the file. Records without a creation
    /// time get unique increasing ones, in file order.
    pub fn import(
        &mut self,
        records: crate::persist::Records,
        now: impl Into<Timestamp>,
    ) -> crate::persist::ImportReport {
        self.import_with(records, now, &mut ())
    }

    /// [`CookieJar::import`], reporting each change to `sink`.
    pub fn import_with<S: ChangeSink>(
        &mut self,
        records: crate::persist::Records,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> crate::persist::ImportReport {
        let now = now.into();
        crate::persist::import_records(records, now, |mut c, creation_known| {
            if !creation_known {
                c.restamp_creation(self.state.next_creation(now));
            }
            self.import_one(c, false, now, sink)
        })
    }

    fn import_one<S: ChangeSink>(
        &mut self,
        cookie: Cookie,
        restoring: bool,
        now: Timestamp,
        sink: &mut S,
    ) -> Result<SetOutcome, Rejection> {
        let site = import_site(&cookie, &*self.psl)?.to_owned();
        let done = import(
            &mut self.store,
            &site,
            &mut self.state,
            cookie,
            restoring,
            &self.policy,
            now,
            sink,
        )?;
        Ok(self.after_set(done, now, sink).outcome)
    }

    /// Every cookie and the jar-wide state, to save (see [`JarSnapshot`]).
    pub fn snapshot(&self) -> JarSnapshot {
        JarSnapshot {
            creation_clock: self.state.last_creation(),
            last_global_purge: self.state.last_global_purge(),
            earliest_access: self.state.earliest_access(),
            cookies: self.iter().cloned().collect(),
        }
    }

    /// A jar with `policy` and the compiled-in suffix list holding what `snapshot` holds;
    /// see [`CookieJar::load_snapshot`].
    pub fn restore(
        policy: Policy,
        snapshot: JarSnapshot,
        now: impl Into<Timestamp>,
    ) -> (CookieJar, Skipped) {
        let mut jar = CookieJar::with_policy(policy);
        let skipped = jar.load_snapshot(snapshot, now);
        (jar, skipped)
    }

    /// Adds what `snapshot` holds to this jar, expired cookies included, each through the
    /// bucket rules with its own creation and last-access times; returns the cookies that could
    /// not be taken (a domain cookie on what this jar's suffix list calls a public suffix).
    pub fn load_snapshot(&mut self, snapshot: JarSnapshot, now: impl Into<Timestamp>) -> Skipped {
        let now = now.into();
        let skipped = load(snapshot.cookies, |c| self.import_one(c, true, now, &mut ()));
        self.state.observe_creation(snapshot.creation_clock);
        self.state.set_last_global_purge(snapshot.last_global_purge);
        if let Some(e) = snapshot.earliest_access {
            // The saved lower bound, which may lie below every cookie's own last access.
            self.state.note_access(e);
        }
        skipped
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.clear_with(&mut ());
    }

    /// [`CookieJar::clear`], reporting each removal to `sink`.
    pub fn clear_with<S: ChangeSink>(&mut self, sink: &mut S) {
        let now = Timestamp::MIN;
        self.store
            .remove_all_where(|_| true, RemovalCause::Explicit, now, &mut self.state, sink);
    }

    /// The browser restarts: session cookies (those without an expiry) are dropped.
    pub fn end_session(&mut self) {
        self.end_session_with(&mut ());
    }

    /// [`CookieJar::end_session`], reporting each removal to `sink`.
    pub fn end_session_with<S: ChangeSink>(&mut self, sink: &mut S) {
        self.store.remove_all_where(
            |c| !c.persistent(),
            RemovalCause::EndOfSession,
            Timestamp::MIN,
            &mut self.state,
            sink,
        );
    }

    /// Removes every cookie expired at `now`.
    pub fn remove_expired(&mut self, now: impl Into<Timestamp>) {
        self.remove_expired_with(now, &mut ());
    }

    /// [`CookieJar::remove_expired`], reporting each removal to `sink`.
    pub fn remove_expired_with<S: ChangeSink>(&mut self, now: impl Into<Timestamp>, sink: &mut S) {
        let now = now.into();
        self.store.remove_all_where(
            |c| c.is_expired(now),
            RemovalCause::Expired,
            now,
            &mut self.state,
            sink,
        );
    }

    /// Applies one `Set-Cookie` header value (or, with [`RequestContext::script`], one
    /// `document.cookie = ...` write) received for `ctx` at `now`.
    ///
    /// Runs the storage model of 6265bis 5.7 with the policy's browser rules; a refused cookie
    /// comes back as a typed [`Rejection`] and leaves the jar unchanged.
    pub fn set_cookie(
        &mut self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.set_cookie_with(line, ctx, now, &mut ())
            .map(|s| s.outcome)
    }

    /// [`CookieJar::set_cookie`], reporting each change to `sink` and returning the browser's
    /// warnings with the outcome.
    pub fn set_cookie_with<S: ChangeSink>(
        &mut self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<Stored, Rejection> {
        let now = now.into();
        let (policy, psl) = (&self.policy, &*self.psl);
        let facts = RequestFacts::new(ctx, policy, psl).ok_or(Rejection::UnsupportedUrl)?;
        let done = set_line(
            &mut self.store,
            &mut self.state,
            &facts,
            line.as_ref(),
            policy,
            psl,
            now,
            sink,
        )?;
        Ok(self.after_set(done, now, sink))
    }

    /// After a set that grew the jar: Chromium `GarbageCollect`'s global part.
    fn after_set<S: ChangeSink>(&mut self, done: SetDone, now: Timestamp, sink: &mut S) -> Stored {
        if done.grew {
            evict::global_purge(
                &mut [&mut self.store],
                &mut self.state,
                &self.policy,
                now,
                sink,
            );
        }
        done.stored
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out` (without clearing it) and
    /// returns how many cookies it holds. Allocation-free beyond `out`'s growth.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> usize {
        self.write_cookie_header_with(ctx, now, out, &mut ())
    }

    /// [`CookieJar::write_cookie_header`], reporting each refreshed last access to `sink`.
    pub fn write_cookie_header_with<S: ChangeSink>(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
        sink: &mut S,
    ) -> usize {
        Selection::new(ctx, &self.policy, &*self.psl, now.into())
            .map_or(0, |s| s.header_from(&self.store, out, sink))
    }

    /// The `Cookie` header bytes for `ctx` at `now`, or `None` when no cookie is sent.
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        (self.write_cookie_header(ctx, now, &mut out) > 0).then_some(out)
    }

    /// The `Cookie` header for `ctx` at `now` (6265bis 5.8.3), or `None` when no cookie is
    /// sent. With [`RequestContext::script`] this is what `document.cookie` reads. Bytes that
    /// are not UTF-8 are replaced; use [`CookieJar::cookie_header_bytes`] to keep them.
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<String> {
        self.cookie_header_bytes(ctx, now)
            .map(crate::rules::retrieve::header_string)
    }

    /// Every cookie stored for the request's site, in header order, each with whether it is
    /// sent and, if not, why.
    pub fn explain(&self, ctx: &RequestContext<'_>, now: impl Into<Timestamp>) -> Vec<Explanation> {
        Selection::new(ctx, &self.policy, &*self.psl, now.into())
            .map_or_else(Vec::new, |s| s.explain_from(&self.store))
    }
}

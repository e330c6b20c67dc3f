//! The store: site key → [`bucket::Bucket`], the bucket rules, eviction, the change record and
//! jar-wide state.
//!
//! A cookie can only be sent to hosts under its own site key (registrable domain), so a lookup
//! reads one bucket: its cost follows the cookies of the request's site, never the jar's size.

use crate::cookie::{Cookie, CookieId, Timestamp};
use crate::policy::Policy;
use crate::reason::{Rejection, Warnings};
use crate::rules::admit::{admit, Admitted, RequestFacts};
use crate::rules::context::Api;
use crate::rules::host::site_key;
use crate::rules::psl::{is_public_suffix, SuffixList};
use crate::syntax::parse::parse_set_cookie;
use bucket::{Applied, Bucket, Incoming, Stored};
use change::{ChangeSink, RemovalCause};
use state::JarState;
pub(crate) mod bucket;
pub(crate) mod change;
pub(crate) mod evict;
pub(crate) mod state;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FxHash (rustc's hasher): site keys are short and chosen by the jar's own canonicalization,
/// and the per-bucket limits bound what a hostile server can put in one bucket, so a fast
/// non-keyed hash is safe here and halves the lookup cost against SipHash.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Buckets by site key (the jar-wide count lives in `state`).
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    pub(crate) buckets: HashMap<Box<str>, Bucket, FxBuild>,
}

impl Store {
    pub(crate) fn bucket(&self, site: &str) -> Option<&Bucket> {
        self.buckets.get(site)
    }

    /// Drops a bucket that became empty, so the map does not grow with dead sites.
    pub(crate) fn drop_if_empty(&mut self, site: &str) {
        if self.buckets.get(site).is_some_and(|b| b.cookies.is_empty()) {
            self.buckets.remove(site);
        }
    }
}

impl Store {
    /// Runs the bucket rules for `incoming` in the bucket of `site` and keeps the jar-wide count.
    pub(crate) fn apply<J: JarState, S: ChangeSink>(
        &mut self,
        site: &str,
        incoming: Incoming,
        state: &mut J,
        policy: &Policy,
        now: Timestamp,
        sink: &mut S,
    ) -> Applied {
        let access = incoming.cookie.last_access();
        // One hash lookup for a set into an existing site (the common case); a new site's key
        // is allocated only if the bucket keeps a cookie.
        let applied = match self.buckets.get_mut(site) {
            Some(bucket) => {
                let applied = bucket.apply(incoming, policy, now, sink);
                if bucket.cookies.is_empty() {
                    // Do not let the map grow with dead sites.
                    self.buckets.remove(site);
                }
                applied
            }
            None => {
                let mut bucket = Bucket::default();
                let applied = bucket.apply(incoming, policy, now, sink);
                if !bucket.cookies.is_empty() {
                    self.buckets.insert(Box::from(site), bucket);
                }
                applied
            }
        };
        state.adjust_len(applied.added, applied.removed);
        if applied.added > 0 {
            state.note_access(access);
        }
        applied
    }

    /// Removes the cookie of identity `id` from the bucket of `site`.
    pub(crate) fn remove<J: JarState, S: ChangeSink>(
        &mut self,
        site: &str,
        id: &CookieId,
        state: &mut J,
        sink: &mut S,
    ) -> Option<Cookie> {
        let removed = self.buckets.get_mut(site)?.remove(id, sink);
        if removed.is_some() {
            state.adjust_len(0, 1);
            self.drop_if_empty(site);
        }
        removed
    }

    /// Removes, from every bucket, the cookies `doomed` picks (reported with `cause`), and drops
    /// the buckets left empty.
    pub(crate) fn remove_all_where<J: JarState, S: ChangeSink>(
        &mut self,
        mut doomed: impl FnMut(&Cookie) -> bool,
        cause: RemovalCause,
        now: Timestamp,
        state: &mut J,
        sink: &mut S,
    ) {
        let mut removed = 0;
        self.buckets.retain(|_, b| {
            removed += b.remove_where(|_, c| doomed(c), cause, now, sink);
            !b.cookies.is_empty()
        });
        state.adjust_len(0, removed);
    }

    /// Every cookie, site by site, each site in header order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.buckets.values().flat_map(|b| b.cookies.iter())
    }
}

/// What [`set_line`] did: the caller's answer, and whether the jar grew (then the global limit
/// is checked).
pub(crate) struct SetDone {
    pub(crate) stored: Stored,
    pub(crate) grew: bool,
}

impl SetDone {
    fn of(applied: Applied, warnings: Warnings) -> Result<SetDone, Rejection> {
        Ok(SetDone {
            stored: Stored {
                outcome: applied.result?,
                warnings,
            },
            grew: applied.added > 0,
        })
    }
}

/// One `Set-Cookie` line into `store`: parse (6265bis 5.6), admit (5.7 steps 2-21), a unique
/// creation time, then the bucket rules (5.7 steps 16, 22-24). The global limit is the caller's:
/// it may span stores.
#[allow(clippy::too_many_arguments)]
pub(crate) fn set_line<J: JarState, S: ChangeSink>(
    store: &mut Store,
    state: &mut J,
    facts: &RequestFacts<'_>,
    line: &[u8],
    policy: &Policy,
    psl: &dyn SuffixList,
    now: Timestamp,
    sink: &mut S,
) -> Result<SetDone, Rejection> {
    // 6265bis 5.7 step 1: parse.
    let parsed = parse_set_cookie(line, &policy.parse)?;
    let Admitted {
        mut cookie,
        expired,
        warnings,
    } = admit(&parsed, facts, policy, psl, now)?;
    cookie.creation = state.next_creation(now);
    let incoming = Incoming {
        cookie,
        expired,
        secure_source: facts.secure,
        api: facts.ctx.api,
        keep_creation: false,
        sweep: true,
    };
    let applied = store.apply(facts.site, incoming, state, policy, now, sink);
    SetDone::of(applied, warnings)
}

/// The site key an imported cookie belongs to, or why it cannot be imported: a domain cookie on
/// a public suffix (6265bis 5.7 step 9, which the canonical gate cannot check without a list).
pub(crate) fn import_site<'c>(
    cookie: &'c Cookie,
    psl: &dyn SuffixList,
) -> Result<&'c str, Rejection> {
    let domain = cookie.domain();
    if !cookie.host_only && is_public_suffix(psl, domain) {
        return Err(Rejection::PublicSuffixDomainCookie);
    }
    Ok(site_key(psl, domain))
}

/// An imported cookie into `store` (in the bucket `import_site` named): the bucket rules with
/// the cookie's own creation and last access, as from a secure source over HTTP. An expired
/// cookie only deletes, unless `restoring` (a snapshot keeps what its jar kept).
#[allow(clippy::too_many_arguments)]
pub(crate) fn import<J: JarState, S: ChangeSink>(
    store: &mut Store,
    site: &str,
    state: &mut J,
    cookie: Cookie,
    restoring: bool,
    policy: &Policy,
    now: Timestamp,
    sink: &mut S,
) -> Result<SetDone, Rejection> {
    state.observe_creation(cookie.creation);
    let incoming = Incoming {
        expired: !restoring && cookie.is_expired(now),
        cookie,
        secure_source: true,
        api: Api::Http,
        keep_creation: true,
        sweep: !restoring,
    };
    let applied = store.apply(site, incoming, state, policy, now, sink);
    SetDone::of(applied, Warnings::default())
}

//! One site's cookies and the rules that run on them, wherever the bucket lives.
//!
//! A bucket is a flat `Vec` kept in `Cookie` header order (longest path first, then earliest
//! creation; 6265bis 5.8.3 step 2), so building a header is one filtered pass with no sort.
//! [`Bucket::apply`] is 6265bis 5.7 steps 16 and 22-24 with the per-site and per-partition
//! eviction; every change it makes is reported to a [`ChangeSink`].

use crate::cookie::{Cookie, CookieId, Timestamp};
use crate::policy::{EvictionStyle, Policy};
use crate::reason::Rejection;
use crate::rules::context::Api;
use crate::rules::host::domain_match_bytes;
use crate::rules::path::path_match_bytes;
use crate::store::change::{Change, ChangeSink, RemovalCause};
use crate::store::evict;

/// What a successful set or insert did.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetOutcome {
    /// A new cookie was stored.
    Inserted,
    /// A cookie with the same name, domain, host-only flag and path was replaced.
    Replaced,
    /// The cookie was already expired and deleted the matching stored cookie.
    Deleted,
    /// The cookie was already expired and there was nothing to delete.
    Expired,
}

impl std::fmt::Display for SetOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SetOutcome::Inserted => "stored",
            SetOutcome::Replaced => "stored, replacing the cookie of the same identity",
            SetOutcome::Deleted => "expired: deleted the cookie of the same identity",
            SetOutcome::Expired => "expired: nothing to delete",
        })
    }
}

/// What a stored `Set-Cookie` line did, with what a browser would warn about it.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stored {
    /// What happened to the jar.
    pub outcome: SetOutcome,
    /// The browser's warnings for the cookie (Chromium `CookieInclusionStatus` warnings).
    pub warnings: crate::reason::Warnings,
}

/// The cookies of one site key, in header order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Bucket {
    pub(crate) cookies: Vec<Cookie>,
    /// The earliest expiry in the bucket: sweeping is skipped while it lies in the future.
    pub(crate) earliest_expiry: Option<Timestamp>,
}

/// Header order (6265bis 5.8.3 step 2): longer paths first, then earlier creation. Creation
/// times from `Set-Cookie` are unique, but imported cookies may share one: those are ordered
/// by domain, path, name, host-only flag and partition, so the order (and with it eviction's) never depends on
/// the order cookies were inserted in, and a restored jar is the jar that was saved.
type OrderKey<'a> = (
    std::cmp::Reverse<usize>,
    Timestamp,
    &'a [u8],
    &'a [u8],
    &'a [u8],
    bool,
    Option<&'a str>,
);

fn order_key(c: &Cookie) -> OrderKey<'_> {
    (
        std::cmp::Reverse(c.path_bytes().len()),
        c.creation,
        c.domain_bytes(),
        c.path_bytes(),
        c.name(),
        c.host_only,
        c.partition_key.as_deref(),
    )
}

/// A cookie on its way into a bucket, with what the bucket rules need to know of its source.
pub(crate) struct Incoming {
    pub(crate) cookie: Cookie,
    /// Already expired: it only deletes (6265bis 5.7 step 23).
    pub(crate) expired: bool,
    /// Set from a secure URL (or imported): "leave secure cookies alone" does not apply.
    pub(crate) secure_source: bool,
    pub(crate) api: Api,
    /// Imported: the cookie keeps its own creation time over the old cookie's.
    pub(crate) keep_creation: bool,
    /// Drop the site's expired cookies first, as Chromium does on every touch of a site
    /// (false when restoring a snapshot, which keeps the jar exactly as it was saved).
    pub(crate) sweep: bool,
}

/// What [`Bucket::apply`] did.
pub(crate) struct Applied {
    pub(crate) result: Result<SetOutcome, Rejection>,
    /// Cookies inserted (0 or 1).
    pub(crate) added: usize,
    /// Cookies removed: swept, replaced or evicted.
    pub(crate) removed: usize,
}

impl Bucket {
    /// Inserts keeping header order; returns the cookie's index.
    pub(crate) fn insert(&mut self, cookie: Cookie) -> usize {
        let key = order_key(&cookie);
        // Path length and creation decide nearly always (creation times from `Set-Cookie`
        // are unique): the whole key is built only on a tie.
        let head = (
            std::cmp::Reverse(cookie.path_bytes().len()),
            cookie.creation,
        );
        let at = self.cookies.partition_point(|c| {
            match (std::cmp::Reverse(c.path_bytes().len()), c.creation).cmp(&head) {
                std::cmp::Ordering::Equal => order_key(c) <= key,
                o => o.is_lt(),
            }
        });
        if let Some(e) = cookie.expires {
            self.earliest_expiry = Some(self.earliest_expiry.map_or(e, |x| x.min(e)));
        }
        if self.cookies.len() == self.cookies.capacity() {
            // Grow by a quarter (at least two), not double: a cookie is 128 bytes and a site
            // holds a handful, so doubling (10 cookies in 16 slots) would spend more on empty
            // slots than on the cookies' own bytes. The extra moves cost a few percent of a
            // new-cookie set, once per site.
            let extra = (self.cookies.len() / 4).max(2);
            self.cookies.reserve_exact(extra);
        }
        self.cookies.insert(at, cookie);
        at
    }

    /// Removes every cookie for which `doomed` says so, reporting each with `cause`
    /// (`Expired` for one expired at `now`, whatever `cause` says); returns how many went.
    pub(crate) fn remove_where<S: ChangeSink>(
        &mut self,
        mut doomed: impl FnMut(usize, &Cookie) -> bool,
        cause: RemovalCause,
        now: Timestamp,
        sink: &mut S,
    ) -> usize {
        let before = self.cookies.len();
        let mut i = 0;
        self.cookies.retain(|c| {
            let gone = doomed(i, c);
            i += 1;
            if gone {
                let cause = if c.is_expired(now) {
                    RemovalCause::Expired
                } else {
                    cause
                };
                sink.record(Change::Removed { cookie: c, cause });
            }
            !gone
        });
        let removed = before - self.cookies.len();
        if removed > 0 {
            self.recompute_earliest_expiry();
        }
        removed
    }

    /// Removes every cookie expired at `now`; returns how many went.
    pub(crate) fn sweep_expired<S: ChangeSink>(&mut self, now: Timestamp, sink: &mut S) -> usize {
        match self.earliest_expiry {
            Some(e) if e <= now => {}
            _ => return 0,
        }
        self.remove_where(|_, c| c.is_expired(now), RemovalCause::Expired, now, sink)
    }

    /// Recomputes the expiry watermark after removals.
    pub(crate) fn recompute_earliest_expiry(&mut self) {
        self.earliest_expiry = self.cookies.iter().filter_map(|c| c.expires).min();
    }

    /// The cookie of identity `id`.
    pub(crate) fn get(&self, id: &CookieId) -> Option<&Cookie> {
        self.cookies.iter().find(|c| c.has_id(id))
    }

    /// Removes the cookie of identity `id` (6265bis has no such step; Chromium
    /// `CookieMonster::DeleteCanonicalCookie`).
    pub(crate) fn remove<S: ChangeSink>(&mut self, id: &CookieId, sink: &mut S) -> Option<Cookie> {
        let i = self.cookies.iter().position(|c| c.has_id(id))?;
        let cookie = self.cookies.remove(i);
        sink.record(Change::Removed {
            cookie: &cookie,
            cause: RemovalCause::Explicit,
        });
        self.recompute_earliest_expiry();
        Some(cookie)
    }

    /// 6265bis 5.7 steps 16, 22-24 within the cookie's bucket: leave-secure-cookies-alone, the
    /// old cookie of the same identity, then the insert and the site's eviction.
    pub(crate) fn apply<S: ChangeSink>(
        &mut self,
        incoming: Incoming,
        policy: &Policy,
        now: Timestamp,
        sink: &mut S,
    ) -> Applied {
        let Incoming {
            mut cookie,
            expired,
            secure_source,
            api,
            keep_creation,
            sweep,
        } = incoming;
        let mut removed = 0;
        let done = |result, added, removed| Applied {
            result,
            added,
            removed,
        };
        if sweep && policy.eviction == EvictionStyle::Chromium {
            // Chromium drops a site's expired cookies whenever it touches the site; Firefox
            // keeps counting them until they are picked as the first eviction victims.
            removed += self.sweep_expired(now, sink);
        }

        // 6265bis 5.7 step 16 ("leave secure cookies alone"): from an insecure URL, a cookie
        // may not shadow a Secure one of the same name whose domain matches either way and
        // whose path the new path path-matches. Chromium
        // CookieMonster::MaybeDeleteEquivalentCookieAndUpdateStatus with
        // IsEquivalentForSecureCookieMatching.
        if !secure_source {
            let shadows = self.cookies.iter().any(|old| {
                old.secure
                    && old.name() == cookie.name()
                    && old.partition_key == cookie.partition_key
                    && (domain_match_bytes(cookie.domain_bytes(), old.domain_bytes())
                        || domain_match_bytes(old.domain_bytes(), cookie.domain_bytes()))
                    && path_match_bytes(cookie.path_bytes(), old.path_bytes())
            });
            if shadows {
                return done(Err(Rejection::OverwriteSecure), 0, removed);
            }
        }

        // 6265bis 5.7 step 22: an old cookie with the same identity.
        let old_at = self
            .cookies
            .iter()
            .position(|old| old.same_identity(&cookie));
        if let Some(old) = old_at.and_then(|i| self.cookies.get(i)) {
            // 6265bis 5.7 step 22.2: a script cannot overwrite an HttpOnly cookie.
            if old.http_only && api == Api::Script {
                return done(Err(Rejection::OverwriteHttpOnly), 0, removed);
            }
            // 6265bis 5.7 step 22.3: keep the old creation time. Chromium does so only when the
            // value is unchanged (CookieMonster::SetCanonicalCookie, creation_date_to_inherit).
            let fresh = policy.new_creation_on_value_change && old.value() != cookie.value();
            if !(keep_creation || fresh) {
                cookie.creation = old.creation;
            }
        }
        let old = old_at.map(|i| self.cookies.remove(i));
        if old.is_some() {
            // The expiry watermark stays a lower bound: no need to recompute it.
            removed += 1;
        }
        if expired {
            // 6265bis 5.7 step 23 (implied): an expired cookie only deletes.
            return match &old {
                Some(old) => {
                    sink.record(Change::Removed {
                        cookie: old,
                        cause: RemovalCause::Overwritten,
                    });
                    done(Ok(SetOutcome::Deleted), 0, removed)
                }
                None => done(Ok(SetOutcome::Expired), 0, removed),
            };
        }
        let partition = cookie.partition_key.clone();
        if policy.eviction == EvictionStyle::Firefox && old.is_none() && partition.is_none() {
            // Firefox CookieStorage::AddCookie: make room before inserting.
            match evict::firefox_make_room(self, cookie.secure, policy, now, sink) {
                evict::FirefoxRoom::Made(n) => removed += n,
                evict::FirefoxRoom::Refused => return done(Err(Rejection::SiteFull), 0, removed),
            }
        }
        let at = self.insert(cookie);
        if let Some(new) = self.cookies.get(at) {
            sink.record(match &old {
                Some(old) => Change::Replaced { old, new },
                None => Change::Added(new),
            });
        }
        // Chromium CookieMonster::SetCanonicalCookie then GarbageCollect: the new cookie takes
        // part in the eviction it triggers.
        removed += match &partition {
            Some(p) => evict::partition_gc(self, p, policy, now, sink),
            None if policy.eviction == EvictionStyle::Chromium => {
                evict::chromium_site_gc(self, policy, now, sink)
            }
            None => 0,
        };
        let outcome = if old.is_some() {
            SetOutcome::Replaced
        } else {
            SetOutcome::Inserted
        };
        done(Ok(outcome), 1, removed)
    }
}

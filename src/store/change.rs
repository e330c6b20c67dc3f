//! The change record: what a bucket operation did, for whoever keeps a durable copy.
//!
//! Every operation that changes a bucket (a set, an insert, an eviction, a removal, the end of a
//! session) and every lookup that refreshes a cookie's last access reports to a [`ChangeSink`].
//! The in-memory jars pass `()`, which records nothing and costs nothing; a persistent store
//! passes its write-behind queue. Nothing in a change depends on where the bucket lives.

use crate::cookie::{Cookie, CookieId, Timestamp};

/// Why a cookie left the jar.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RemovalCause {
    /// A `Set-Cookie` of the same identity that was already expired deleted it (6265bis 5.7
    /// step 22-23; Chromium `DELETE_COOKIE_EXPIRED_OVERWRITE`).
    Overwritten,
    /// It had expired and was swept.
    Expired,
    /// Per-site, per-partition or jar-wide eviction chose it (Chromium `GarbageCollect`,
    /// Firefox `CookieStorage::AddCookie`).
    Evicted,
    /// The user removed it ([`crate::CookieJar::remove`], [`crate::CookieJar::clear`]).
    Explicit,
    /// A session cookie, dropped when the session ended ([`crate::CookieJar::end_session`]).
    EndOfSession,
}

impl std::fmt::Display for RemovalCause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RemovalCause::Overwritten => "overwritten by an expired cookie",
            RemovalCause::Expired => "expired",
            RemovalCause::Evicted => "evicted",
            RemovalCause::Explicit => "removed",
            RemovalCause::EndOfSession => "session ended",
        })
    }
}

/// One change to the jar, borrowing the cookies involved.
#[non_exhaustive]
#[derive(Clone, Copy, Debug)]
pub enum Change<'a> {
    /// A cookie was stored where none of its identity was.
    Added(&'a Cookie),
    /// A cookie replaced the stored one of the same identity.
    Replaced {
        /// The cookie that was stored.
        old: &'a Cookie,
        /// The cookie now stored.
        new: &'a Cookie,
    },
    /// A cookie left the jar.
    Removed {
        /// The cookie.
        cookie: &'a Cookie,
        /// Why.
        cause: RemovalCause,
    },
    /// A lookup sent the cookie and refreshed its last access (at most once per
    /// `Policy::last_access_threshold_seconds`, Chromium `kLastAccessThreshold`).
    Accessed(&'a Cookie),
}

impl Change<'_> {
    /// An owned copy, to keep.
    pub fn to_owned_change(&self) -> OwnedChange {
        match *self {
            Change::Added(c) => OwnedChange::Added(c.clone()),
            Change::Replaced { old, new } => OwnedChange::Replaced {
                old: old.clone(),
                new: new.clone(),
            },
            Change::Removed { cookie, cause } => OwnedChange::Removed {
                cookie: cookie.clone(),
                cause,
            },
            Change::Accessed(c) => OwnedChange::Accessed {
                id: c.id(),
                at: c.last_access(),
            },
        }
    }
}

/// A [`Change`] that owns its cookies.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq)]
pub enum OwnedChange {
    /// See [`Change::Added`].
    Added(Cookie),
    /// See [`Change::Replaced`].
    Replaced {
        /// The cookie that was stored.
        old: Cookie,
        /// The cookie now stored.
        new: Cookie,
    },
    /// See [`Change::Removed`].
    Removed {
        /// The cookie.
        cookie: Cookie,
        /// Why.
        cause: RemovalCause,
    },
    /// See [`Change::Accessed`].
    Accessed {
        /// The cookie's identity.
        id: CookieId,
        /// Its new last access.
        at: Timestamp,
    },
}

/// Receives the changes of jar operations (the `*_with` methods of [`crate::CookieJar`] and
/// [`crate::SharedJar`]).
///
/// `()` records nothing; [`ChangeLog`] keeps owned copies.
pub trait ChangeSink {
    /// One change, in the order they happened.
    fn record(&mut self, change: Change<'_>);
}

impl ChangeSink for () {
    #[inline]
    fn record(&mut self, _: Change<'_>) {}
}

impl<S: ChangeSink + ?Sized> ChangeSink for &mut S {
    fn record(&mut self, change: Change<'_>) {
        (**self).record(change);
    }
}

/// A [`ChangeSink`] that keeps every change.
///
/// ```
/// use cookiejar::{ChangeLog, CookieJar, OwnedChange, RequestContext, Timestamp, Url};
/// let mut jar = CookieJar::new();
/// let url = Url::parse("https://example.com/").unwrap();
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let mut log = ChangeLog::default();
/// jar.set_cookie_with("a=1", &RequestContext::navigation(&url), now, &mut log).unwrap();
/// assert!(matches!(log.changes.as_slice(), [OwnedChange::Added(c)] if c.name() == b"a"));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ChangeLog {
    /// The changes, oldest first.
    pub changes: Vec<OwnedChange>,
}

impl ChangeSink for ChangeLog {
    fn record(&mut self, change: Change<'_>) {
        self.changes.push(change.to_owned_change());
    }
}

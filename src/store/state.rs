//! Jar-wide state: the count, the creation clock and the global purge's bookkeeping.
//!
//! Everything else a jar holds lives in its site buckets. [`PlainState`] is the state of a
//! [`crate::CookieJar`] (one owner, `&mut`); [`AtomicState`] that of a [`crate::SharedJar`]
//! (many threads, `&self`, atomics). The engine takes either through [`JarState`].

use crate::cookie::Timestamp;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// What the engine asks of jar-wide state.
pub(crate) trait JarState {
    /// How many cookies the jar holds (expired ones not yet swept included).
    fn len(&self) -> usize;
    /// Counts cookies in and out.
    fn adjust_len(&mut self, added: usize, removed: usize);
    /// A creation time for a cookie made at `now`: unique and increasing jar-wide (Chromium
    /// `CookieMonster::CurrentTime` semantics), so header order never depends on ties.
    fn next_creation(&mut self, now: Timestamp) -> Timestamp;
    /// An imported cookie's creation time: later ones stay after it.
    fn observe_creation(&mut self, t: Timestamp);
    /// The latest creation time handed out or observed.
    fn last_creation(&self) -> Timestamp;
    /// A lower bound on every cookie's last access (last access only grows), `None` when the
    /// jar has never held a cookie: lets the global purge tell in O(1) that nothing is old
    /// enough to go.
    fn earliest_access(&self) -> Option<Timestamp>;
    /// A cookie was stored with last access `t`.
    fn note_access(&mut self, t: Timestamp);
    /// Sets the bound after a scan of every cookie.
    fn set_earliest_access(&mut self, e: Option<Timestamp>);
    /// When the last global purge ran and how many cookies it left (`evict::global_purge_due`).
    fn last_global_purge(&self) -> Option<(Timestamp, usize)>;
    /// Records a global purge.
    fn set_last_global_purge(&mut self, p: Option<(Timestamp, usize)>);
}

/// The state of a single-owner jar.
#[derive(Clone, Debug)]
pub(crate) struct PlainState {
    len: usize,
    last_creation: Timestamp,
    earliest_access: Option<Timestamp>,
    last_global_purge: Option<(Timestamp, usize)>,
}

impl Default for PlainState {
    fn default() -> Self {
        PlainState {
            len: 0,
            last_creation: Timestamp::MIN,
            earliest_access: None,
            last_global_purge: None,
        }
    }
}

fn next_after(last: Timestamp, now: Timestamp) -> Timestamp {
    if now > last {
        now
    } else {
        last.plus_micros(1)
    }
}

impl JarState for PlainState {
    fn len(&self) -> usize {
        self.len
    }
    fn adjust_len(&mut self, added: usize, removed: usize) {
        self.len = (self.len + added).saturating_sub(removed);
    }
    fn next_creation(&mut self, now: Timestamp) -> Timestamp {
        self.last_creation = next_after(self.last_creation, now);
        self.last_creation
    }
    fn observe_creation(&mut self, t: Timestamp) {
        self.last_creation = self.last_creation.max(t);
    }
    fn last_creation(&self) -> Timestamp {
        self.last_creation
    }
    fn earliest_access(&self) -> Option<Timestamp> {
        self.earliest_access
    }
    fn note_access(&mut self, t: Timestamp) {
        self.earliest_access = Some(self.earliest_access.map_or(t, |e| e.min(t)));
    }
    fn set_earliest_access(&mut self, e: Option<Timestamp>) {
        self.earliest_access = e;
    }
    fn last_global_purge(&self) -> Option<(Timestamp, usize)> {
        self.last_global_purge
    }
    fn set_last_global_purge(&mut self, p: Option<(Timestamp, usize)>) {
        self.last_global_purge = p;
    }
}

/// The state of a jar many threads share: every operation through `&self`.
#[derive(Debug)]
pub(crate) struct AtomicState {
    len: AtomicUsize,
    clock: AtomicI64,
    /// `i64::MAX` for `None`.
    earliest_access: AtomicI64,
    last_global_purge: Mutex<Option<(Timestamp, usize)>>,
}

impl Default for AtomicState {
    fn default() -> Self {
        AtomicState {
            len: AtomicUsize::new(0),
            clock: AtomicI64::new(Timestamp::MIN.0),
            earliest_access: AtomicI64::new(i64::MAX),
            last_global_purge: Mutex::new(None),
        }
    }
}

impl JarState for &AtomicState {
    fn len(&self) -> usize {
        self.len.load(Ordering::Relaxed)
    }
    fn adjust_len(&mut self, added: usize, removed: usize) {
        if added >= removed {
            self.len.fetch_add(added - removed, Ordering::Relaxed);
        } else {
            let gone = removed - added;
            // Never below zero, even if a caller miscounts.
            let _ = self
                .len
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| {
                    Some(n.saturating_sub(gone))
                });
        }
    }
    fn next_creation(&mut self, now: Timestamp) -> Timestamp {
        let mut cur = self.clock.load(Ordering::Relaxed);
        loop {
            let t = next_after(Timestamp(cur), now);
            match self
                .clock
                .compare_exchange_weak(cur, t.0, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return t,
                Err(seen) => cur = seen,
            }
        }
    }
    fn observe_creation(&mut self, t: Timestamp) {
        self.clock.fetch_max(t.0, Ordering::Relaxed);
    }
    fn last_creation(&self) -> Timestamp {
        Timestamp(self.clock.load(Ordering::Relaxed))
    }
    fn earliest_access(&self) -> Option<Timestamp> {
        match self.earliest_access.load(Ordering::Relaxed) {
            i64::MAX => None,
            e => Some(Timestamp(e)),
        }
    }
    fn note_access(&mut self, t: Timestamp) {
        // A plain load first, so the common case (time moves forward) writes nothing shared.
        if t.0 < self.earliest_access.load(Ordering::Relaxed) {
            self.earliest_access.fetch_min(t.0, Ordering::Relaxed);
        }
    }
    fn set_earliest_access(&mut self, e: Option<Timestamp>) {
        self.earliest_access
            .store(e.map_or(i64::MAX, |t| t.0), Ordering::Relaxed);
    }
    fn last_global_purge(&self) -> Option<(Timestamp, usize)> {
        *self
            .last_global_purge
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
    fn set_last_global_purge(&mut self, p: Option<(Timestamp, usize)>) {
        *self
            .last_global_purge
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = p;
    }
}

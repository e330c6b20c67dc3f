//! The index: site key → bucket of cookies in header order.
//!
//! A cookie can only be sent to hosts under its own site key (registrable domain), so a lookup
//! reads one bucket: its cost follows the cookies of the request's site, never the jar's size.
//! Each bucket is a flat `Vec` kept in `Cookie` header order (longest path first, then earliest
//! creation; 6265bis 5.8.3 step 2), so building a header is one filtered pass with no sort.

use crate::cookie::{Cookie, Timestamp};
pub(crate) mod evict;

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

/// The cookies of one site key, in header order.
#[derive(Debug, Default, Clone)]
pub(crate) struct Bucket {
    pub(crate) cookies: Vec<Cookie>,
    /// The earliest expiry in the bucket: sweeping is skipped while it lies in the future.
    pub(crate) earliest_expiry: Option<Timestamp>,
}

/// Header order (6265bis 5.8.3 step 2): longer paths first, then earlier creation.
fn order_key(c: &Cookie) -> (std::cmp::Reverse<usize>, Timestamp) {
    (std::cmp::Reverse(c.path_bytes().len()), c.creation)
}

impl Bucket {
    /// Inserts keeping header order.
    pub(crate) fn insert(&mut self, cookie: Cookie) {
        let key = order_key(&cookie);
        let at = self.cookies.partition_point(|c| order_key(c) <= key);
        if let Some(e) = cookie.expires {
            self.earliest_expiry = Some(self.earliest_expiry.map_or(e, |x| x.min(e)));
        }
        self.cookies.insert(at, cookie);
    }

    /// Removes every cookie expired at `now`; returns how many went.
    pub(crate) fn sweep_expired(&mut self, now: Timestamp) -> usize {
        match self.earliest_expiry {
            Some(e) if e <= now => {}
            _ => return 0,
        }
        let before = self.cookies.len();
        self.cookies.retain(|c| !c.is_expired(now));
        self.recompute_earliest_expiry();
        before - self.cookies.len()
    }

    /// Recomputes the expiry watermark after removals.
    pub(crate) fn recompute_earliest_expiry(&mut self) {
        self.earliest_expiry = self.cookies.iter().filter_map(|c| c.expires).min();
    }
}

/// All buckets, with the total count.
#[derive(Debug, Default, Clone)]
pub(crate) struct Store {
    pub(crate) buckets: HashMap<Box<str>, Bucket, FxBuild>,
    pub(crate) len: usize,
    /// A lower bound on every cookie's last access (last-access only grows), so the global
    /// purge, which spares recently used cookies, can tell in O(1) that it has nothing to do.
    pub(crate) earliest_access: Option<Timestamp>,
    /// When the last global purge ran, and how many cookies it left (see
    /// `evict::global_purge_due`).
    pub(crate) last_global_purge: Option<(Timestamp, usize)>,
    /// Never holds cookies: the unreachable fallback of `bucket_mut`.
    spare: Bucket,
}

impl Store {
    pub(crate) fn bucket(&self, site: &str) -> Option<&Bucket> {
        self.buckets.get(site)
    }

    pub(crate) fn bucket_mut(&mut self, site: &str) -> &mut Bucket {
        // Allocate the key only for a new site: sets into an existing site (the common case)
        // cost one hash lookup, not an allocation.
        if !self.buckets.contains_key(site) {
            self.buckets.insert(Box::from(site), Bucket::default());
        }
        match self.buckets.get_mut(site) {
            Some(b) => b,
            // Inserted just above; this arm only keeps the function free of panics.
            None => &mut self.spare,
        }
    }

    /// Drops a bucket that became empty, so the map does not grow with dead sites.
    pub(crate) fn drop_if_empty(&mut self, site: &str) {
        if self.buckets.get(site).is_some_and(|b| b.cookies.is_empty()) {
            self.buckets.remove(site);
        }
    }
}

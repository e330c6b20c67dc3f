//! Eviction: what survives when a site, a partition or the whole jar is over its limit.
//!
//! Chromium (`net/cookies/cookie_monster.cc`): after every set, a site key with more than
//! `kDomainMaxCookies` (180) cookies loses its expired cookies, then is purged to 150 in six
//! rounds by priority and Secure, least recently accessed first, protecting per-priority quotas
//! (`GarbageCollect`, `PurgeLeastRecentMatches`). Above `kMaxCookies` (3300) the jar is purged to
//! 3000, non-secure first, never touching a cookie accessed within `kSafeFromGlobalPurgeDays`.
//! Partitioned cookies are limited per (partition, site) by count and bytes
//! (`GarbageCollectPartitionedCookies`).
//!
//! Firefox (`netwerk/cookie/CookieStorage.cpp`): before adding to a full site, expired cookies and
//! up to 30 least recently used non-secure ones go (`FindStaleCookies`); a secure newcomer may
//! evict secure cookies; an insecure newcomer facing only live secure cookies is refused.

use crate::cookie::{Cookie, Priority, Timestamp};
use crate::policy::Policy;
use crate::store::bucket::Bucket;
use crate::store::change::{ChangeSink, RemovalCause};
use crate::store::state::JarState;
use crate::store::Store;

/// Least recently accessed first; ties by creation (Chromium `LRACookieSorter`).
fn lra_key(c: &Cookie) -> (Timestamp, Timestamp) {
    (c.last_access(), c.creation)
}

fn priority_index(p: Priority) -> usize {
    match p {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::High => 2,
    }
}

/// Removes the cookies whose index is marked in `doomed`, keeping header order.
fn remove_marked<S: ChangeSink>(
    bucket: &mut Bucket,
    doomed: &[bool],
    now: Timestamp,
    sink: &mut S,
) -> usize {
    bucket.remove_where(
        |i, _| doomed.get(i).copied().unwrap_or(false),
        RemovalCause::Evicted,
        now,
        sink,
    )
}

/// Chromium `CookieMonster::GarbageCollect`, per-domain part, over the unpartitioned cookies of
/// one bucket. Returns how many cookies were removed.
pub(crate) fn chromium_site_gc<S: ChangeSink>(
    bucket: &mut Bucket,
    policy: &Policy,
    now: Timestamp,
    sink: &mut S,
) -> usize {
    let unpartitioned = |b: &Bucket| {
        b.cookies
            .iter()
            .filter(|c| c.partition_key.is_none())
            .count()
    };
    if unpartitioned(bucket) <= policy.max_cookies_per_site {
        return 0;
    }
    // Chromium: expired cookies go first.
    let mut removed = bucket.sweep_expired(now, sink);
    let live = unpartitioned(bucket);
    if live <= policy.max_cookies_per_site {
        return removed;
    }
    let mut goal = live.saturating_sub(policy.purge_site_to);
    let mut order: Vec<usize> = (0..bucket.cookies.len())
        .filter(|&i| {
            bucket
                .cookies
                .get(i)
                .is_some_and(|c| c.partition_key.is_none())
        })
        .collect();
    order.sort_by_key(|&i| bucket.cookies.get(i).map(lra_key));
    let mut doomed = vec![false; bucket.cookies.len()];
    // Chromium GarbageCollect: the six rounds, (priority, protect secure cookies).
    const ROUNDS: [(Priority, bool); 6] = [
        (Priority::Low, true),
        (Priority::Low, false),
        (Priority::Medium, true),
        (Priority::High, true),
        (Priority::Medium, false),
        (Priority::High, false),
    ];
    for (priority, protect_secure) in ROUNDS {
        if goal == 0 {
            break;
        }
        let quota = policy
            .priority_quotas
            .get(priority_index(priority))
            .copied()
            .unwrap_or(0);
        // Chromium PurgeLeastRecentMatches.
        let alive = |i: &usize| !doomed.get(*i).copied().unwrap_or(true);
        let of_priority: Vec<usize> = order
            .iter()
            .copied()
            .filter(|i| {
                alive(i)
                    && bucket
                        .cookies
                        .get(*i)
                        .is_some_and(|c| c.priority == priority)
            })
            .collect();
        let count_all = of_priority.len();
        if count_all <= quota {
            continue;
        }
        let mut deletable = if protect_secure {
            let secure = of_priority
                .iter()
                .filter(|&&i| bucket.cookies.get(i).is_some_and(|c| c.secure))
                .count();
            count_all.saturating_sub(secure.max(quota))
        } else {
            count_all - quota
        };
        for i in of_priority {
            if goal == 0 || deletable == 0 {
                break;
            }
            let secure = bucket.cookies.get(i).is_some_and(|c| c.secure);
            if protect_secure && secure {
                continue;
            }
            if let Some(d) = doomed.get_mut(i) {
                *d = true;
                goal -= 1;
                deletable -= 1;
            }
        }
    }
    removed += remove_marked(bucket, &doomed, now, sink);
    removed
}

/// Chromium `GarbageCollectPartitionedCookies` for one partition of one site: expired first,
/// then least recently accessed until both the count and the name+value bytes fit.
pub(crate) fn partition_gc<S: ChangeSink>(
    bucket: &mut Bucket,
    partition: &str,
    policy: &Policy,
    now: Timestamp,
    sink: &mut S,
) -> usize {
    let in_partition = |c: &Cookie| c.partition_key.as_deref() == Some(partition);
    let size = Cookie::name_value_len;
    let (mut count, mut bytes) = bucket
        .cookies
        .iter()
        .filter(|c| in_partition(c))
        .fold((0, 0), |(n, b), c| (n + 1, b + size(c)));
    if count <= policy.max_cookies_per_partition && bytes <= policy.max_bytes_per_partition {
        return 0;
    }
    let mut removed = bucket.remove_where(
        |_, c| in_partition(c) && c.is_expired(now),
        RemovalCause::Expired,
        now,
        sink,
    );
    let mut order: Vec<usize> = (0..bucket.cookies.len())
        .filter(|&i| bucket.cookies.get(i).is_some_and(in_partition))
        .collect();
    order.sort_by_key(|&i| bucket.cookies.get(i).map(lra_key));
    (count, bytes) = order
        .iter()
        .filter_map(|&i| bucket.cookies.get(i))
        .fold((0, 0), |(n, b), c| (n + 1, b + size(c)));
    let mut doomed = vec![false; bucket.cookies.len()];
    for i in order {
        if count <= policy.max_cookies_per_partition && bytes <= policy.max_bytes_per_partition {
            break;
        }
        if let (Some(c), Some(d)) = (bucket.cookies.get(i), doomed.get_mut(i)) {
            *d = true;
            count -= 1;
            bytes -= size(c);
        }
    }
    removed += remove_marked(bucket, &doomed, now, sink);
    removed
}

/// What Firefox's pre-insert eviction decided.
pub(crate) enum FirefoxRoom {
    /// There is room (possibly after evicting).
    Made(usize),
    /// The site holds only live secure cookies and the newcomer is insecure.
    Refused,
}

/// Firefox `CookieStorage::AddCookie` with `FindStaleCookies`, before inserting a new cookie
/// (not a replacement) into a site that is full.
pub(crate) fn firefox_make_room<S: ChangeSink>(
    bucket: &mut Bucket,
    newcomer_secure: bool,
    policy: &Policy,
    now: Timestamp,
    sink: &mut S,
) -> FirefoxRoom {
    // Firefox counts expired cookies too: they are only removed as the first victims.
    let count = bucket
        .cookies
        .iter()
        .filter(|c| c.partition_key.is_none())
        .count();
    if count < policy.max_cookies_per_site {
        return FirefoxRoom::Made(0);
    }
    // CookieStorage::AddCookie: `limit = maxPerHost - quotaPerHost + excess`, so a full site
    // ends at the quota (150) once the newcomer is in.
    let excess = count - policy.max_cookies_per_site;
    let limit = policy
        .max_cookies_per_site
        .saturating_sub(policy.purge_site_to)
        + excess
        + 1;
    let pick = |bucket: &Bucket, include_secure: bool| -> Vec<usize> {
        // FindStaleCookies: expired cookies first, then the least recently used others.
        let mut expired: Vec<usize> = Vec::new();
        let mut others: Vec<usize> = Vec::new();
        for (i, c) in bucket.cookies.iter().enumerate() {
            if c.partition_key.is_some() {
                continue;
            }
            if c.is_expired(now) {
                expired.push(i);
            } else if include_secure || !c.secure {
                others.push(i);
            }
        }
        others.sort_by_key(|&i| bucket.cookies.get(i).map(lra_key));
        let room = limit.saturating_sub(expired.len());
        expired.extend(others.into_iter().take(room));
        expired
    };
    // Firefox: insecure cookies first (draft-ietf-httpbis-cookie-alone 3.3).
    let mut victims = pick(bucket, false);
    if victims.is_empty() {
        if !newcomer_secure {
            return FirefoxRoom::Refused;
        }
        victims = pick(bucket, true);
    }
    let mut doomed = vec![false; bucket.cookies.len()];
    for i in &victims {
        if let Some(d) = doomed.get_mut(*i) {
            *d = true;
        }
    }
    FirefoxRoom::Made(remove_marked(bucket, &doomed, now, sink))
}

/// Whether a global purge may run now (our hysteresis, not Chromium's): above the limit with
/// cookies just turning 30 days old, Chromium rescans the whole jar on nearly every set, a
/// throughput cliff a busy crawler hits (the README's hostile-load figures). After a purge, the
/// next waits `global_purge_min_interval_seconds` unless the jar has grown by another
/// `max_cookies - purge_to` cookies since.
pub(crate) fn global_purge_due(
    last: Option<(Timestamp, usize)>,
    len: usize,
    now: Timestamp,
    policy: &Policy,
) -> bool {
    let margin = policy.max_cookies.saturating_sub(policy.purge_to).max(1);
    last.is_none_or(|(at, len_then)| {
        now >= at.plus_seconds(policy.global_purge_min_interval_seconds)
            || len >= len_then.saturating_add(margin)
    })
}

/// The O(1) tests before a global purge: over `max_cookies`, some cookie possibly accessed
/// before the safe period (Chromium: `earliest_access_time_ < safe_date`; the state keeps a lower
/// bound, `None` when unknown), and due by [`global_purge_due`] (asked last: the atomic state
/// keeps it behind a mutex). Both jars ask before purging; `SharedJar` before taking every
/// shard's lock and again after.
pub(crate) fn global_purge_may_run<J: JarState>(
    state: &J,
    now: Timestamp,
    policy: &Policy,
) -> bool {
    let safe = now.plus_seconds(policy.safe_from_global_purge_seconds.saturating_neg());
    let len = state.len();
    len > policy.max_cookies
        && state.earliest_access().is_none_or(|e| e < safe)
        && global_purge_due(state.last_global_purge(), len, now, policy)
}

/// Chromium `GarbageCollect`, global part, over every store of one jar (a `CookieJar` has one,
/// a `SharedJar` one per shard): above `max_cookies`, drop expired cookies, then purge to
/// `purge_to`, non-secure before secure, least recently accessed first, sparing every cookie
/// accessed within `safe_from_global_purge_seconds`. Returns how many cookies were removed.
pub(crate) fn global_purge<J: JarState, S: ChangeSink>(
    stores: &mut [&mut Store],
    state: &mut J,
    policy: &Policy,
    now: Timestamp,
    sink: &mut S,
) -> usize {
    if !global_purge_may_run(state, now, policy) {
        return 0;
    }
    let safe = now.plus_seconds(policy.safe_from_global_purge_seconds.saturating_neg());
    let mut removed = 0;
    for store in stores.iter_mut() {
        for b in store.buckets.values_mut() {
            removed += b.sweep_expired(now, sink);
        }
    }
    let len = state.len().saturating_sub(removed);
    // Chromium keeps partitioned cookies in their own map, outside `kMaxCookies`; the policy
    // says whether they count (only reached above the limit, so the scan is rare).
    let counts =
        |c: &Cookie| policy.partitioned_count_toward_global_limit || c.partition_key.is_none();
    let counted = if policy.partitioned_count_toward_global_limit {
        len
    } else {
        stores
            .iter()
            .flat_map(|s| s.buckets.values())
            .flat_map(|b| b.cookies.iter())
            .filter(|c| counts(c))
            .count()
    };
    if counted > policy.max_cookies {
        let goal = counted - policy.purge_to;
        // Candidates: not accessed recently; non-secure first, then least recently accessed.
        let mut candidates: Vec<(bool, Timestamp, Timestamp, usize, &str, usize)> = Vec::new();
        for (s, store) in stores.iter().enumerate() {
            for (site, b) in &store.buckets {
                for (i, c) in b.cookies.iter().enumerate() {
                    if c.last_access() < safe && counts(c) {
                        candidates.push((c.secure, c.last_access(), c.creation, s, site, i));
                    }
                }
            }
        }
        candidates.sort_unstable();
        let mut doomed: std::collections::HashMap<(usize, Box<str>), Vec<usize>> =
            std::collections::HashMap::new();
        for (_, _, _, s, site, i) in candidates.into_iter().take(goal) {
            doomed.entry((s, Box::from(site))).or_default().push(i);
        }
        for ((s, site), mut idx) in doomed {
            if let Some(b) = stores.get_mut(s).and_then(|st| st.buckets.get_mut(&site)) {
                idx.sort_unstable();
                let gone = b.remove_where(
                    |i, _| idx.binary_search(&i).is_ok(),
                    RemovalCause::Evicted,
                    now,
                    sink,
                );
                removed += gone;
            }
        }
    }
    let mut earliest: Option<Timestamp> = None;
    for store in stores.iter_mut() {
        store.buckets.retain(|_, b| !b.cookies.is_empty());
        let e = store
            .buckets
            .values()
            .flat_map(|b| b.cookies.iter())
            .map(Cookie::last_access)
            .min();
        earliest = match (earliest, e) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    state.adjust_len(0, removed);
    state.set_last_global_purge(Some((now, state.len())));
    state.set_earliest_access(earliest);
    removed
}

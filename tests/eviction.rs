//! Eviction, as the browsers do it.
//!
//! Chromium (`net/cookies/cookie_monster.cc`, research notes §1 and §7): after every set, a site
//! key (eTLD+1) above 180 cookies is purged to 150 in six (priority, protect-secure) rounds with
//! quotas 30/50/70, least recently accessed first; above 3300 cookies the jar is purged to 3000,
//! non-secure first, never touching a cookie accessed in the last 30 days; partitioned cookies
//! are limited per (partition, site) to 180 cookies and 10240 name+value bytes, with no slack.
//! Firefox (`netwerk/cookie/CookieStorage.cpp` AddCookie/FindStaleCookies): before adding to a
//! full site, expired then least recently used non-secure cookies go, down to 150 with the
//! newcomer; no priorities.
//!
//! Every test says exactly which cookies survive.

mod common;

use common::*;
use cookiejar::{CookieJar, Policy, Rejection, SetOutcome, Timestamp};
use std::collections::BTreeSet;

fn names_of(jar: &CookieJar) -> BTreeSet<String> {
    jar.iter().map(|c| c.name_str().into_owned()).collect()
}

fn set_many(jar: &mut CookieJar, url: &str, lines: impl IntoIterator<Item = (String, Timestamp)>) {
    for (line, t) in lines {
        let out = set_at(jar, url, &line, t);
        assert!(out.is_ok(), "{line:?}: {out:?}");
    }
}

fn range(prefix: &str, r: std::ops::Range<usize>) -> BTreeSet<String> {
    r.map(|i| format!("{prefix}{i:03}")).collect()
}

fn union(sets: &[BTreeSet<String>]) -> BTreeSet<String> {
    sets.iter().flatten().cloned().collect()
}

const SITE: &str = "https://lim.example/";

// ---------------------------------------------------------------------------------------------
// Chromium: per-site limit (GarbageCollect, PurgeLeastRecentMatches)

#[test]
fn a_site_may_hold_180_cookies() {
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(jar.len(), 180);
}

#[test]
fn the_181st_cookie_purges_the_site_to_150_least_recently_accessed_first() {
    // 181 non-secure medium cookies → purge_goal 31 → the 31 least recently accessed go.
    for mut jar in [standard(), chromium()] {
        set_many(
            &mut jar,
            SITE,
            (0..181).map(|i| (format!("c{i:03}=1"), at(i as i64))),
        );
        assert_eq!(jar.len(), 150);
        assert_eq!(names_of(&jar), range("c", 31..181));
    }
}

#[test]
fn cookies_set_in_one_instant_are_evicted_in_arrival_order() {
    // Unique, increasing creation times make LRA order = insertion order (notes §1).
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..181).map(|i| (format!("c{i:03}=1"), now())),
    );
    assert_eq!(names_of(&jar), range("c", 31..181));
}

#[test]
fn reading_a_cookie_protects_it_from_eviction() {
    // Path=/pNNN lets a request touch exactly one cookie; the read at +1000 s refreshes
    // last-access (more than 60 s after the set).
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1; Path=/p{i:03}"), at(i as i64))),
    );
    for i in 0..10 {
        assert_eq!(
            get_at(&jar, &format!("https://lim.example/p{i:03}"), at(1000)),
            format!("c{i:03}=1")
        );
    }
    set_ok_at(&mut jar, SITE, "c180=1; Path=/p180", at(1001));
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("c", 0..10), range("c", 41..181)])
    );
}

#[test]
fn a_read_within_60_seconds_of_the_last_access_does_not_protect() {
    // kLastAccessThreshold: the read at +30 s does not move last-access.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1; Path=/p{i:03}"), now())),
    );
    get_at(&jar, "https://lim.example/p000", at(30));
    set_ok_at(&mut jar, SITE, "c180=1; Path=/p180", at(31));
    assert_eq!(names_of(&jar), range("c", 31..181));
}

#[test]
fn low_priority_cookies_go_first_even_when_newer() {
    // 100 medium (older) + 81 low (newer): round 1 (low, non-secure) deletes the 31 oldest low.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..100).map(|i| (format!("m{i:03}=1"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..81).map(|i| (format!("l{i:03}=1; Priority=Low"), at(100 + i as i64))),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("m", 0..100), range("l", 31..81)])
    );
}

#[test]
fn thirty_low_priority_cookies_are_protected_by_their_quota() {
    // 150 high (older) + 31 low (newer). Round 1: 31 low > quota 30, deletable 1 → l000.
    // Round 4 (high, non-secure): 150 > 70, deletes the 30 oldest high.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..150).map(|i| (format!("h{i:03}=1; Priority=High"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..31).map(|i| (format!("l{i:03}=1; Priority=Low"), at(150 + i as i64))),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("h", 30..150), range("l", 1..31)])
    );
}

#[test]
fn non_secure_cookies_go_before_older_secure_ones() {
    // 100 secure medium (older) + 81 non-secure medium (newer). Round 3: deletable =
    // 181 - max(100 secure, 50) = 81; the 31 least recently accessed non-secure go.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..100).map(|i| (format!("s{i:03}=1; Secure"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..81).map(|i| (format!("n{i:03}=1"), at(100 + i as i64))),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("s", 0..100), range("n", 31..81)])
    );
}

#[test]
fn secure_cookies_go_once_the_non_secure_ones_are_gone() {
    // 160 secure (older) + 21 non-secure (newer), all medium. Round 3 deletes the 21
    // non-secure (goal 31 → 10); round 5 (medium, secure too) deletes the 10 oldest secure.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..160).map(|i| (format!("s{i:03}=1; Secure"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..21).map(|i| (format!("n{i:03}=1"), at(160 + i as i64))),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(names_of(&jar), range("s", 10..160));
}

#[test]
fn secure_cookies_use_up_the_protected_quota_first() {
    // 121 high non-secure, then 40 low secure, then 20 low non-secure (181, goal 31).
    // Round 1 (low, protect secure): deletable = 60 - max(40, 30) = 20 → all 20 non-secure low.
    // Round 2 (low, any): 40 > 30 → the 10 oldest secure low. Round 4 (high): the oldest high.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..121).map(|i| (format!("h{i:03}=1; Priority=High"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..40).map(|i| {
            (
                format!("s{i:03}=1; Secure; Priority=Low"),
                at(200 + i as i64),
            )
        }),
    );
    set_many(
        &mut jar,
        SITE,
        (0..20).map(|i| (format!("n{i:03}=1; Priority=Low"), at(300 + i as i64))),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("h", 1..121), range("s", 10..40)])
    );
}

#[test]
fn high_priority_cookies_survive_a_flood_of_medium_ones() {
    // 70 high (oldest) + 111 medium: round 3 takes 31 medium; the high ones are untouched.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..70).map(|i| (format!("h{i:03}=1; Priority=High"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..111).map(|i| (format!("m{i:03}=1"), at(100 + i as i64))),
    );
    assert_eq!(
        names_of(&jar),
        union(&[range("h", 0..70), range("m", 31..111)])
    );
}

#[test]
fn expired_cookies_are_dropped_before_any_live_one() {
    // 170 long-lived + 10 short-lived; at +200 s the 181st arrives: only the expired go.
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..170).map(|i| (format!("c{i:03}=1; Max-Age=86400"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..10).map(|i| (format!("e{i:03}=1; Max-Age=1"), at(170))),
    );
    set_ok_at(&mut jar, SITE, "c170=1", at(200));
    assert_eq!(jar.len(), 171);
    assert_eq!(names_of(&jar), range("c", 0..171));
}

#[test]
fn subdomains_and_domain_cookies_share_the_site_budget() {
    // The key is the eTLD+1: a.lim.example.com, www.lim.example.com and Domain=example.com...
    // all count toward lim.example.com's 180 (limits/0004).
    let mut jar = chromium();
    set_many(
        &mut jar,
        "https://a.lim.example.com/",
        (0..90).map(|i| (format!("a{i:03}=1"), at(i as i64))),
    );
    set_many(
        &mut jar,
        "https://www.lim.example.com/",
        (0..90).map(|i| (format!("w{i:03}=1"), at(100 + i as i64))),
    );
    assert_eq!(jar.len(), 180);
    set_ok_at(
        &mut jar,
        "https://lim.example.com/",
        "d=1; Domain=example.com",
        at(300),
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[
            range("a", 31..90),
            range("w", 0..90),
            ["d".to_owned()].into()
        ])
    );
}

#[test]
fn private_suffix_sites_have_separate_budgets() {
    let mut jar = chromium();
    set_many(
        &mut jar,
        "https://a.github.io/",
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    set_many(
        &mut jar,
        "https://b.github.io/",
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    set_many(
        &mut jar,
        "https://shop.co.uk/",
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(jar.len(), 540);
}

#[test]
fn overwriting_does_not_count_twice() {
    let mut jar = chromium();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(
        set_at(&mut jar, SITE, "c000=2", at(500)),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(
        set_at(&mut jar, SITE, "c001=; Max-Age=0", at(501)),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(
        set_at(&mut jar, SITE, "x=1", at(502)),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(jar.len(), 180);
}

#[test]
fn limits_and_quotas_are_policy_fields() {
    let mut p = Policy::chromium();
    p.max_cookies_per_site = 10;
    p.purge_site_to = 5;
    p.priority_quotas = [1, 2, 2];
    let mut jar = CookieJar::with_policy(p);
    // 11 medium non-secure: round 3 may delete 11 - 2 = 9, the goal is 6.
    set_many(
        &mut jar,
        SITE,
        (0..11).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(names_of(&jar), range("c", 6..11));

    let mut p = Policy::chromium();
    p.max_cookies_per_site = 10_000;
    let mut jar = CookieJar::with_policy(p);
    set_many(
        &mut jar,
        SITE,
        (0..500).map(|i| (format!("c{i:03}=1"), now())),
    );
    assert_eq!(jar.len(), 500);
}

// ---------------------------------------------------------------------------------------------
// Chromium: global limit (3300 → 3000, never cookies accessed in the last 30 days)

/// 33 sites × 100 cookies, cookie j of site k set at T0 + (100 k + j) s.
fn fill_3300(jar: &mut CookieJar, secure_sites: &[usize]) {
    for k in 0..33 {
        let attrs = if secure_sites.contains(&k) {
            "; Secure"
        } else {
            ""
        };
        set_many(
            jar,
            &format!("https://s{k:02}.example/"),
            (0..100).map(|j| (format!("s{k:02}c{j:03}=1{attrs}"), at((100 * k + j) as i64))),
        );
    }
    assert_eq!(jar.len(), 3300);
}

fn site_names(k: usize, r: std::ops::Range<usize>) -> BTreeSet<String> {
    r.map(|j| format!("s{k:02}c{j:03}")).collect()
}

#[test]
fn cookies_used_in_the_last_30_days_are_never_globally_evicted() {
    // Notes §1: a jar filled within minutes keeps everything above 3300.
    let mut jar = chromium();
    for k in 0..20 {
        set_many(
            &mut jar,
            &format!("https://f{k:02}.example/"),
            (0..170).map(|j| (format!("c{j:03}=1"), now())),
        );
    }
    assert_eq!(jar.len(), 3400);
}

#[test]
fn the_global_purge_cuts_to_3000_least_recently_accessed_first() {
    let mut jar = chromium();
    fill_3300(&mut jar, &[]);
    set_ok_at(&mut jar, "https://new.example/", "fresh=1", at(40 * DAY));
    assert_eq!(jar.len(), 3000);
    let names = names_of(&jar);
    assert!(names.contains("fresh"));
    // 301 go: sites 0-2 and the first cookie of site 3.
    for k in 0..3 {
        assert!(names.is_disjoint(&site_names(k, 0..100)), "site {k}");
    }
    assert!(!names.contains("s03c000"));
    assert!(names.is_superset(&site_names(3, 1..100)));
    for k in 4..33 {
        assert!(names.is_superset(&site_names(k, 0..100)), "site {k}");
    }
}

#[test]
fn the_global_purge_spares_cookies_read_in_the_last_30_days() {
    let mut jar = chromium();
    fill_3300(&mut jar, &[]);
    for k in 0..5 {
        let h = get_at(
            &jar,
            &format!("https://s{k:02}.example/"),
            at(40 * DAY - 10),
        );
        assert_eq!(names(&h).len(), 100);
    }
    set_ok_at(&mut jar, "https://new.example/", "fresh=1", at(40 * DAY));
    assert_eq!(jar.len(), 3000);
    let names = names_of(&jar);
    for k in 0..5 {
        assert!(names.is_superset(&site_names(k, 0..100)), "read site {k}");
    }
    for k in 5..8 {
        assert!(names.is_disjoint(&site_names(k, 0..100)), "site {k}");
    }
    assert!(!names.contains("s08c000"));
    assert!(names.contains("s08c001"));
}

#[test]
fn the_global_purge_takes_non_secure_cookies_before_older_secure_ones() {
    let mut jar = chromium();
    fill_3300(&mut jar, &[0, 1]);
    set_ok_at(&mut jar, "https://new.example/", "fresh=1", at(40 * DAY));
    assert_eq!(jar.len(), 3000);
    let names = names_of(&jar);
    assert!(names.is_superset(&site_names(0, 0..100)));
    assert!(names.is_superset(&site_names(1, 0..100)));
    for k in 2..5 {
        assert!(names.is_disjoint(&site_names(k, 0..100)), "site {k}");
    }
    assert!(!names.contains("s05c000"));
    assert!(names.contains("s05c001"));
}

#[test]
fn the_global_purge_stops_at_the_cookies_used_recently() {
    // 200 old cookies, then 3101 recent ones: at 3301 only the 200 old ones may go.
    let mut jar = chromium();
    for k in 0..2 {
        set_many(
            &mut jar,
            &format!("https://old{k}.example/"),
            (0..100).map(|j| (format!("o{k}c{j:03}=1"), at(j as i64))),
        );
    }
    let later = at(40 * DAY);
    let mut n = 0;
    for k in 0..32 {
        let count = if k == 31 { 3101 - 31 * 97 } else { 97 };
        set_many(
            &mut jar,
            &format!("https://r{k:02}.example/"),
            (0..count).map(|j| (format!("r{k:02}c{j:03}=1"), later)),
        );
        n += count;
    }
    assert_eq!(n, 3101);
    assert_eq!(jar.len(), 3101);
    assert!(names_of(&jar).iter().all(|c| c.starts_with('r')));
}

#[test]
fn partitioned_cookies_do_not_count_toward_the_global_limit() {
    // Chromium keeps partitioned cookies in their own map (partitioned_cookies_): the 3300
    // limit counts cookies_ only. 3290 + 1 unpartitioned is under it, whatever the partitions.
    let mut jar = chromium();
    for k in 0..33 {
        let n = if k == 32 { 90 } else { 100 };
        set_many(
            &mut jar,
            &format!("https://s{k:02}.example/"),
            (0..n).map(|j| (format!("s{k:02}c{j:03}=1"), at((100 * k + j) as i64))),
        );
    }
    for i in 0..20 {
        set_in(
            &mut jar,
            "https://embed.example/",
            Ctx::Sub("https://top.example/"),
            &format!("p{i:03}=1; Secure; Partitioned; SameSite=None"),
            at(i),
        )
        .expect("partitioned");
    }
    assert_eq!(jar.len(), 3310);
    set_ok_at(&mut jar, "https://new.example/", "fresh=1", at(40 * DAY));
    assert_eq!(jar.len(), 3311);
}

// ---------------------------------------------------------------------------------------------
// CHIPS: per (partition, site) limits

const EMBED: &str = "https://embed.example/";
const TOP_A: &str = "https://top-a.example/";
const TOP_B: &str = "https://top-b.example/";

fn set_partitioned(jar: &mut CookieJar, top: &str, line: &str, t: Timestamp) {
    let line = format!("{line}; Secure; Partitioned; SameSite=None; Path=/");
    assert_eq!(
        set_in(jar, EMBED, Ctx::Sub(top), &line, t),
        Ok(SetOutcome::Inserted),
        "{line}"
    );
}

fn partition_names(jar: &CookieJar, top: &str, t: Timestamp) -> Vec<String> {
    names(&get_in(jar, EMBED, Ctx::Sub(top), t))
}

#[test]
fn a_partition_holds_180_cookies_per_site_without_slack() {
    let mut jar = chromium();
    for i in 0..181 {
        set_partitioned(&mut jar, TOP_A, &format!("p{i:03}=1"), at(i));
    }
    assert_eq!(jar.len(), 180);
    let sent = partition_names(&jar, TOP_A, at(200));
    assert_eq!(sent.len(), 180);
    assert_eq!(sent.first().map(String::as_str), Some("p001"));
    assert_eq!(sent.last().map(String::as_str), Some("p180"));
}

#[test]
fn a_partition_holds_10240_name_value_bytes_per_site() {
    // Each cookie is 4 + 96 = 100 bytes: 102 fit (10200), the 103rd evicts the oldest.
    let mut jar = chromium();
    let value = "v".repeat(96);
    for i in 0..103 {
        set_partitioned(&mut jar, TOP_A, &format!("b{i:03}={value}"), at(i));
    }
    assert_eq!(jar.len(), 102);
    let sent = partition_names(&jar, TOP_A, at(200));
    assert_eq!(sent.first().map(String::as_str), Some("b001"));
    let bytes: usize = jar.iter().map(|c| c.name().len() + c.value().len()).sum();
    assert_eq!(bytes, 10_200);
}

#[test]
fn a_large_partitioned_cookie_evicts_as_many_as_it_needs() {
    let mut jar = chromium();
    let value = "v".repeat(96);
    for i in 0..102 {
        set_partitioned(&mut jar, TOP_A, &format!("b{i:03}={value}"), at(i));
    }
    // 4000 bytes more: 10200 + 4000 - 10240 = 3960 → the 40 oldest go.
    set_partitioned(
        &mut jar,
        TOP_A,
        &format!("big={}", "x".repeat(3997)),
        at(500),
    );
    assert_eq!(jar.len(), 63);
    let sent = partition_names(&jar, TOP_A, at(501));
    assert_eq!(sent.first().map(String::as_str), Some("b040"));
}

#[test]
fn partitions_are_limited_separately() {
    let mut jar = chromium();
    for i in 0..180 {
        set_partitioned(&mut jar, TOP_A, &format!("p{i:03}=1"), at(i));
        set_partitioned(&mut jar, TOP_B, &format!("p{i:03}=1"), at(i));
    }
    assert_eq!(jar.len(), 360);
    assert_eq!(partition_names(&jar, TOP_A, at(400)).len(), 180);
    assert_eq!(partition_names(&jar, TOP_B, at(400)).len(), 180);
}

#[test]
fn partitioned_cookies_do_not_count_toward_the_site_limit() {
    let mut jar = chromium();
    for i in 0..100 {
        set_partitioned(&mut jar, TOP_A, &format!("p{i:03}=1"), at(i));
    }
    set_many(
        &mut jar,
        EMBED,
        (0..180).map(|i| (format!("c{i:03}=1"), at(200 + i as i64))),
    );
    assert_eq!(jar.len(), 280);
    set_ok_at(&mut jar, EMBED, "c180=1", at(400));
    assert_eq!(jar.len(), 250);
    let names = names_of(&jar);
    assert!(names.is_superset(&range("p", 0..100)));
    assert!(names.is_superset(&range("c", 31..181)));
    assert!(names.is_disjoint(&range("c", 0..31)));
}

// ---------------------------------------------------------------------------------------------
// Firefox: CookieStorage::AddCookie with FindStaleCookies, before the insert

#[test]
fn firefox_purges_a_full_site_to_150_before_inserting() {
    // At 180, limit = 180 - 150 + 1 = 31 stale cookies go, then the newcomer: 150
    // (firefox-recorded limits cases agree).
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(jar.len(), 180);
    set_ok_at(&mut jar, SITE, "c180=1", at(180));
    assert_eq!(jar.len(), 150);
    assert_eq!(names_of(&jar), range("c", 31..181));
}

#[test]
fn firefox_ignores_priority() {
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..150).map(|i| (format!("h{i:03}=1; Priority=High"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..31).map(|i| (format!("l{i:03}=1; Priority=Low"), at(150 + i as i64))),
    );
    assert_eq!(
        names_of(&jar),
        union(&[range("h", 31..150), range("l", 0..31)])
    );
}

#[test]
fn firefox_evicts_only_non_secure_cookies_while_there_are_any() {
    // 150 secure (older) + 30 non-secure: a newcomer evicts the 30 non-secure ones only.
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..150).map(|i| (format!("s{i:03}=1; Secure"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..30).map(|i| (format!("n{i:03}=1"), at(150 + i as i64))),
    );
    set_ok_at(&mut jar, SITE, "x=1", at(200));
    assert_eq!(jar.len(), 151);
    assert_eq!(
        names_of(&jar),
        union(&[range("s", 0..150), ["x".to_owned()].into()])
    );
}

#[test]
fn firefox_refuses_an_insecure_cookie_when_only_secure_ones_remain() {
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("s{i:03}=1; Secure"), at(i as i64))),
    );
    assert_eq!(
        set_at(&mut jar, SITE, "x=1", at(200)),
        Err(Rejection::SiteFull)
    );
    assert_eq!(jar.len(), 180);
    // A secure newcomer may evict secure cookies.
    assert_eq!(
        set_at(&mut jar, SITE, "y=1; Secure", at(201)),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(jar.len(), 150);
    assert_eq!(
        names_of(&jar),
        union(&[range("s", 31..180), ["y".to_owned()].into()])
    );
}

#[test]
fn firefox_replacing_a_cookie_in_a_full_site_evicts_nothing() {
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..180).map(|i| (format!("c{i:03}=1"), at(i as i64))),
    );
    assert_eq!(
        set_at(&mut jar, SITE, "c000=2", at(300)),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(jar.len(), 180);
}

#[test]
fn firefox_counts_expired_cookies_toward_the_stale_limit() {
    // FindStaleCookies: expired cookies are stale first and count toward the limit of 31.
    // 175 live + 5 expired = 180: the 5 expired and the 26 least recently used live ones go.
    let mut jar = firefox();
    set_many(
        &mut jar,
        SITE,
        (0..175).map(|i| (format!("c{i:03}=1; Max-Age=86400"), at(i as i64))),
    );
    set_many(
        &mut jar,
        SITE,
        (0..5).map(|i| (format!("e{i:03}=1; Max-Age=1"), at(175))),
    );
    assert_eq!(jar.len(), 180);
    set_ok_at(&mut jar, SITE, "c175=1", at(1000));
    assert_eq!(jar.len(), 150);
    assert_eq!(names_of(&jar), range("c", 26..176));
}

// ---------------------------------------------------------------------------------------------
// Global purge hysteresis (ours): above the limit with only recent cookies left, the next purge
// waits `global_purge_min_interval_seconds` (3600 in standard, 0 in chromium) unless the jar
// has grown by another `max_cookies - purge_to`.

fn tiny_global(mut policy: Policy) -> CookieJar {
    policy.max_cookies = 20;
    policy.purge_to = 10;
    CookieJar::with_policy(policy)
}

/// A at t0, C 30 minutes later; at T1 = t0 + 30 d + 10 min recent cookies push the jar over the
/// limit: only A is old enough to go. 30 minutes later C is too, and more recent cookies push the
/// jar over again. Returns the jar and T1.
fn fill_for_hysteresis(mut jar: CookieJar) -> (CookieJar, i64) {
    let site = |k: &str, i: usize| format!("https://{k}{i}.example/");
    for i in 0..5 {
        set_ok_at(&mut jar, &site("a", i), "a=1", at(0));
        set_ok_at(&mut jar, &site("c", i), "c=1", at(1800));
    }
    let t1 = 30 * DAY + 600;
    for i in 0..11 {
        set_ok_at(&mut jar, &site("b", i), "b=1", at(t1));
    }
    // 21 > 20: the five A cookies went, nothing recent could.
    assert_eq!(jar.len(), 16);
    assert!(!names_of(&jar).contains("a"));
    for i in 11..16 {
        set_ok_at(&mut jar, &site("b", i), "b=1", at(t1 + 1800));
    }
    (jar, t1)
}

#[test]
fn chromium_purges_again_as_soon_as_a_cookie_ages_out() {
    let (jar, _) = fill_for_hysteresis(tiny_global(Policy::chromium()));
    // The fifth new cookie made 21 and the five C cookies, now 30 days old, went at once.
    assert_eq!(jar.len(), 16);
    assert!(!names_of(&jar).contains("c"));
}

#[test]
fn standard_waits_an_hour_between_purges_that_could_not_reach_the_target() {
    let (mut jar, t1) = fill_for_hysteresis(tiny_global(Policy::standard()));
    // 21 cookies, but the last purge was 30 minutes ago and the jar grew by 5 < 10 since.
    assert_eq!(jar.len(), 21);
    assert!(names_of(&jar).contains("c"));
    // An hour after the last purge, the next set purges the C cookies.
    set_ok_at(&mut jar, "https://d0.example/", "d=1", at(t1 + 3600));
    assert_eq!(jar.len(), 17);
    assert!(!names_of(&jar).contains("c"));
}

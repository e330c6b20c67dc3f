//! `evict`: new cookies set into a site already at its limit (180), in a jar of 10k cookies,
//! with Chromium's eviction (purge to 150 in priority/secure rounds when over 180) and
//! Firefox's (evict before inserting into a full site). The peers have no per-site limit, so
//! there is nothing of theirs to compare.
//!
//! `cargo bench --bench evict`
use cookiejar::{CookieJar, EvictionStyle, Policy, RequestContext, Timestamp};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;
use url::Url;

mod common;
use common::*;

fn evict(c: &mut Criterion) {
    let mut g = c.benchmark_group("evict");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    let mut rng = Rng::new(11);
    let lines = jar_lines(1_000, &mut rng);
    let full = Url::parse("https://www.full.example.com/").unwrap();
    // A ring of distinct names, far longer than the site keeps: each set is a new cookie.
    let ring: Vec<String> = (0..65_536)
        .map(|k| {
            format!(
                "e{k}={}; Path=/; Max-Age=3600{}",
                rng.token(12),
                if k % 4 == 0 { "; Secure" } else { "" }
            )
        })
        .collect();
    for (name, style) in [
        ("chromium", EvictionStyle::Chromium),
        ("firefox", EvictionStyle::Firefox),
    ] {
        let mut policy: Policy = bench_policy();
        policy.eviction = style;
        let mut jar = CookieJar::with_policy(policy);
        let now = Timestamp::now();
        for l in &lines {
            jar.set_cookie(&l.line, &RequestContext::navigation(&l.url), now)
                .unwrap();
        }
        let ctx = RequestContext::navigation(&full);
        for l in ring.iter().take(180) {
            jar.set_cookie(l, &ctx, now).unwrap();
        }
        let mut i = 180;
        g.bench_function(BenchmarkId::new("cookiejar", name), |b| {
            b.iter(|| {
                let l = &ring[i % ring.len()];
                i += 1;
                black_box(jar.set_cookie(l, &ctx, Timestamp::now()))
            })
        });
    }
    g.finish();
}

criterion_group!(benches, evict);
criterion_main!(benches);

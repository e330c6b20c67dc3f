//! `set`: parse and store one `Set-Cookie` line into a jar of 10k cookies, as a new cookie and
//! as an overwrite of a stored one; beside `cookie_store` 0.22 and `reqwest::cookie::Jar`.
//!
//! `cargo bench --bench set`
use cookiejar::{RequestContext, Timestamp};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reqwest::cookie::CookieStore as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

mod common;
use common::*;

const COOKIES: usize = 10_000;
const SITES: usize = COOKIES / PER_SITE;
/// New cookies are timed in chunks of this many, each into a fresh copy of the base jar (the
/// copy is not timed), so the jar stays near 10k cookies and no site reaches its limit.
const CHUNK: usize = 2_000;

fn set(c: &mut Criterion) {
    let mut g = c.benchmark_group("set");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    let mut rng = Rng::new(7);
    let lines = jar_lines(SITES, &mut rng);
    let over = overwrite_lines(SITES, 4096, &mut rng);
    let new = new_lines(SITES, CHUNK, &mut rng);

    // Overwrites: same name, domain and path, new value; the jar keeps its size.
    let mut jar = build_jar(&lines);
    let mut i = 0;
    g.bench_function(BenchmarkId::new("cookiejar", "overwrite"), |b| {
        b.iter(|| {
            let l = &over[i % over.len()];
            i += 1;
            black_box(jar.set_cookie(
                &l.line,
                &RequestContext::navigation(&l.url),
                Timestamp::now(),
            ))
        })
    });
    let mut store = build_cookie_store(&lines);
    g.bench_function(BenchmarkId::new("cookie_store", "overwrite"), |b| {
        b.iter(|| {
            let l = &over[i % over.len()];
            i += 1;
            black_box(store.parse(&l.line, &l.url).is_ok())
        })
    });
    let rq = build_reqwest(&lines);
    g.bench_function(BenchmarkId::new("reqwest", "overwrite"), |b| {
        b.iter(|| {
            let l = &over[i % over.len()];
            i += 1;
            let v = reqwest::header::HeaderValue::from_str(&l.line).unwrap();
            rq.set_cookies(&mut std::iter::once(&v), &l.url);
        })
    });

    // New cookies.
    let base = build_jar(&lines);
    g.bench_function(BenchmarkId::new("cookiejar", "new"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                let mut jar = base.clone();
                let t = Instant::now();
                for l in &new[..n] {
                    let _ = black_box(jar.set_cookie(
                        &l.line,
                        &RequestContext::navigation(&l.url),
                        Timestamp::now(),
                    ));
                }
                total += t.elapsed();
                left -= n;
            }
            total
        })
    });
    let base = build_cookie_store(&lines);
    g.bench_function(BenchmarkId::new("cookie_store", "new"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                let mut store = base.clone();
                let t = Instant::now();
                for l in &new[..n] {
                    black_box(store.parse(&l.line, &l.url).is_ok());
                }
                total += t.elapsed();
                left -= n;
            }
            total
        })
    });
    drop(store);
    g.finish();
}

criterion_group!(benches, set);
criterion_main!(benches);

//! `lookup`: the `Cookie` header of a random request URL, at 1k, 10k, 100k and 1M cookies;
//! beside `floor` (the same headers precomputed in a hash map) and the peers, `cookie_store`
//! 0.22 and `reqwest::cookie::Jar` (which wraps it). The peers are skipped at 1M: building and
//! scanning a million cookies per lookup would take minutes.
//!
//! `cargo bench --bench lookup`
use cookiejar::{RequestContext, Timestamp};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reqwest::cookie::CookieStore as _;
use std::hint::black_box;
use std::time::Duration;

mod common;
use common::*;

const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const URLS: usize = 4096; // a power of two

fn lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("lookup");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    for cookies in SIZES {
        let sites = cookies / PER_SITE;
        let mut rng = Rng::new(cookies as u64);
        let lines = jar_lines(sites, &mut rng);
        let urls = request_urls(sites, URLS, &mut rng);
        let mut out = Vec::with_capacity(512);

        let jar = build_jar(&lines);
        assert_eq!(jar.len(), cookies);
        let mut i = 0;
        g.bench_function(BenchmarkId::new("cookiejar", cookies), |b| {
            b.iter(|| {
                let url = &urls[i & (URLS - 1)];
                i += 1;
                out.clear();
                jar.write_cookie_header(
                    &RequestContext::navigation(url),
                    Timestamp::now(),
                    &mut out,
                );
                black_box(&out);
            })
        });

        let floor = build_floor(&jar, &urls);
        drop(jar);
        g.bench_function(BenchmarkId::new("floor", cookies), |b| {
            b.iter(|| {
                let url = &urls[i & (URLS - 1)];
                i += 1;
                out.clear();
                if let Some(h) = floor.get(url.as_str()) {
                    out.extend_from_slice(h);
                }
                black_box(&out);
            })
        });
        drop(floor);

        let shared = build_shared(&lines);
        g.bench_function(BenchmarkId::new("shared", cookies), |b| {
            b.iter(|| {
                let url = &urls[i & (URLS - 1)];
                i += 1;
                out.clear();
                shared.write_cookie_header(
                    &RequestContext::navigation(url),
                    Timestamp::now(),
                    &mut out,
                );
                black_box(&out);
            })
        });
        drop(shared);

        if cookies > 100_000 {
            continue;
        }
        if cookies >= 100_000 {
            // Milliseconds per lookup: fewer, longer samples.
            g.sample_size(10).measurement_time(Duration::from_secs(3));
        }
        let store = build_cookie_store(&lines);
        g.bench_function(BenchmarkId::new("cookie_store", cookies), |b| {
            b.iter(|| {
                black_box(cookie_store_header(
                    &store,
                    &urls[{
                        i += 1;
                        i
                    } & (URLS - 1)],
                ))
            })
        });
        drop(store);
        let rq = build_reqwest(&lines);
        g.bench_function(BenchmarkId::new("reqwest", cookies), |b| {
            b.iter(|| {
                black_box(rq.cookies(
                    &urls[{
                        i += 1;
                        i
                    } & (URLS - 1)],
                ))
            })
        });
        g.sample_size(30).measurement_time(Duration::from_secs(2));
    }
    g.finish();
}

criterion_group!(benches, lookup);
criterion_main!(benches);

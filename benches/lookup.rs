//! `lookup`: the `Cookie` header of a request URL, at 1k, 10k, 100k and 1M cookies, in two
//! workloads:
//!
//! - **hot**: 4096 request URLs (random site, host and path), cycled; after warm-up their
//!   sites' buckets sit in cache. The floor is a hash map of those 4096 URLs' headers.
//! - **cold**: 65,536 request URLs drawn at random over *all* sites, so at 100k and 1M cookies
//!   nearly every lookup reads a bucket no recent lookup read, as a crawler's do. The floor is a
//!   hash map holding the header of *every* URL the workload can request (27 per site: three
//!   hosts × nine paths), so it grows with the jar as any jar must.
//!
//! For each: `clock` (at 1k only: `Timestamp::now()` alone, which every jar figure includes
//! and the floor does not), `CookieJar::write_cookie_header` (into a reused buffer),
//! `CookieJar::cookie_header` (a new `String`, what most users call),
//! `SharedJar::write_cookie_header`, the floor, and (up to 100k cookies) the peers,
//! `cookie_store` 0.22 and `reqwest::cookie::Jar`. The peers are
//! skipped at 1M: building and scanning a million cookies per lookup would take minutes.
//!
//! `cargo bench --bench lookup` (`-- hot` or `-- cold` for one workload)
use cookiejar::{RequestContext, Timestamp};
use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use reqwest::cookie::CookieStore as _;
use std::hint::black_box;
use std::time::Duration;
use url::Url;

mod common;
use common::*;

const HOT_SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];
const COLD_SIZES: [usize; 3] = [1_000, 100_000, 1_000_000];
const HOT_URLS: usize = 4096; // powers of two
const COLD_URLS: usize = 65_536;

fn run(g: &mut BenchmarkGroup<'_, WallTime>, cookies: usize, cold: bool) {
    let sites = cookies / PER_SITE;
    let mut rng = Rng::new(cookies as u64);
    let lines = jar_lines(sites, &mut rng);
    let n = if cold { COLD_URLS } else { HOT_URLS };
    let urls = request_urls(sites, n, &mut rng);
    let mask = n - 1;
    let mut out = Vec::with_capacity(512);
    let mut i = 0usize;

    if cookies == 1_000 {
        // What of each jar figure is reading the clock (`Timestamp::now()`), which the floor
        // does not do.
        g.bench_function(BenchmarkId::new("clock", cookies), |b| {
            b.iter(|| black_box(Timestamp::now()))
        });
    }
    let jar = build_jar(&lines);
    assert_eq!(jar.len(), cookies);
    g.bench_function(BenchmarkId::new("cookiejar", cookies), |b| {
        b.iter(|| {
            let url = &urls[i & mask];
            i += 1;
            out.clear();
            jar.write_cookie_header(&RequestContext::navigation(url), Timestamp::now(), &mut out);
            black_box(&out);
        })
    });
    g.bench_function(BenchmarkId::new("cookiejar_string", cookies), |b| {
        b.iter(|| {
            let url = &urls[i & mask];
            i += 1;
            black_box(jar.cookie_header(&RequestContext::navigation(url), Timestamp::now()))
        })
    });

    let floor = if cold {
        build_floor(&jar, &all_request_urls(sites))
    } else {
        build_floor(&jar, &urls)
    };
    drop(jar);
    g.bench_function(BenchmarkId::new("floor", cookies), |b| {
        b.iter(|| {
            let url: &Url = &urls[i & mask];
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
            let url = &urls[i & mask];
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
        return;
    }
    if cookies >= 100_000 {
        // Milliseconds per lookup: fewer, longer samples.
        g.sample_size(10).measurement_time(Duration::from_secs(3));
    }
    let store = build_cookie_store(&lines);
    g.bench_function(BenchmarkId::new("cookie_store", cookies), |b| {
        b.iter(|| {
            let url = &urls[i & mask];
            i += 1;
            black_box(cookie_store_header(&store, url))
        })
    });
    drop(store);
    let rq = build_reqwest(&lines);
    g.bench_function(BenchmarkId::new("reqwest", cookies), |b| {
        b.iter(|| {
            let url = &urls[i & mask];
            i += 1;
            black_box(rq.cookies(url))
        })
    });
    g.sample_size(30).measurement_time(Duration::from_secs(2));
}

fn lookup(c: &mut Criterion) {
    for (name, cold, sizes) in [
        ("hot", false, &HOT_SIZES[..]),
        ("cold", true, &COLD_SIZES[..]),
    ] {
        let mut g = c.benchmark_group(format!("lookup_{name}"));
        g.warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2))
            .sample_size(30);
        for &cookies in sizes {
            run(&mut g, cookies, cold);
        }
        g.finish();
    }
}

criterion_group!(benches, lookup);
criterion_main!(benches);

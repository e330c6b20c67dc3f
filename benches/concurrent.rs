//! `concurrent`: N threads share one jar of 10k cookies, each doing 90% lookups and 10% sets
//! (overwrites, so the jar keeps its size), for N = 1, 2, 4, ... up to the cores present;
//! `SharedJar` beside `reqwest::cookie::Jar` (one `RwLock` around a `cookie_store`) shared the
//! same way; and `shared_reads`, lookups only, for how reads scale. One iteration is one operation on every thread, so with perfect scaling the time
//! per iteration stays flat as N grows; criterion's throughput is operations per second.
//!
//! `cargo bench --bench concurrent`
use cookiejar::{RequestContext, Timestamp};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use reqwest::cookie::CookieStore as _;
use reqwest::header::HeaderValue;
use std::hint::black_box;
use std::sync::Barrier;
use std::time::{Duration, Instant};
use url::Url;

mod common;
use common::*;

const COOKIES: usize = 10_000;
const SITES: usize = COOKIES / PER_SITE;
const OPS: usize = 8192; // per thread, a power of two

/// One thread's operations: `None` is a lookup of the URL, `Some(i)` the set of line `i`.
struct Plan {
    urls: Vec<Url>,
    sets: Vec<SetLine>,
    values: Vec<HeaderValue>,
}

fn plan(thread: usize) -> Plan {
    let mut rng = Rng::new(1000 + thread as u64);
    let urls = request_urls(SITES, OPS, &mut rng);
    let sets = overwrite_lines(SITES, OPS / 8, &mut rng);
    let values = sets
        .iter()
        .map(|l| HeaderValue::from_str(&l.line).unwrap())
        .collect();
    Plan { urls, sets, values }
}

/// Runs `iters` operations on each of `n` threads started together; the wall time of all.
fn run(n: usize, iters: u64, plans: &[Plan], op: &(impl Fn(&Plan, usize) + Sync)) -> Duration {
    let start = Barrier::new(n + 1);
    std::thread::scope(|s| {
        for plan in plans.iter().take(n) {
            let start = &start;
            s.spawn(move || {
                start.wait();
                for k in 0..iters as usize {
                    op(plan, k);
                }
            });
        }
        start.wait();
        let t = Instant::now();
        // The scope joins every thread before returning.
        t
    })
    .elapsed()
}

fn thread_counts() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut v: Vec<usize> = std::iter::successors(Some(1), |n| Some(n * 2))
        .take_while(|&n| n <= cores)
        .collect();
    if v.last() != Some(&cores) {
        v.push(cores);
    }
    v
}

fn concurrent(c: &mut Criterion) {
    let mut g = c.benchmark_group("concurrent");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    let mut rng = Rng::new(5);
    let lines = jar_lines(SITES, &mut rng);
    let counts = thread_counts();
    let plans: Vec<Plan> = (0..*counts.last().unwrap_or(&1)).map(plan).collect();

    let shared = build_shared(&lines);
    let rq = build_reqwest(&lines);
    // Every 10th operation is a set (10%), the others lookups (90%).
    let shared_op = |p: &Plan, k: usize| {
        let now = Timestamp::now();
        if k % 10 == 9 {
            let l = &p.sets[(k / 10) & (OPS / 8 - 1)];
            let _ = black_box(shared.set_cookie(&l.line, &RequestContext::navigation(&l.url), now));
        } else {
            let mut out = Vec::with_capacity(256);
            shared.write_cookie_header(
                &RequestContext::navigation(&p.urls[k & (OPS - 1)]),
                now,
                &mut out,
            );
            black_box(out);
        }
    };
    // Lookups only: what "reads scale with the cores" is measured on.
    let read_op = |p: &Plan, k: usize| {
        let mut out = Vec::with_capacity(256);
        shared.write_cookie_header(
            &RequestContext::navigation(&p.urls[k & (OPS - 1)]),
            Timestamp::now(),
            &mut out,
        );
        black_box(out);
    };
    let reqwest_op = |p: &Plan, k: usize| {
        if k % 10 == 9 {
            let i = (k / 10) & (OPS / 8 - 1);
            rq.set_cookies(&mut std::iter::once(&p.values[i]), &p.sets[i].url);
        } else {
            black_box(rq.cookies(&p.urls[k & (OPS - 1)]));
        }
    };
    for &n in &counts {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("shared", n), |b| {
            b.iter_custom(|iters| run(n, iters, &plans, &shared_op))
        });
    }
    for &n in &counts {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("shared_reads", n), |b| {
            b.iter_custom(|iters| run(n, iters, &plans, &read_op))
        });
    }
    // reqwest's lookups take hundreds of microseconds at 10k cookies: fewer samples.
    g.sample_size(10).measurement_time(Duration::from_secs(3));
    for &n in &counts {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(BenchmarkId::new("reqwest", n), |b| {
            b.iter_custom(|iters| run(n, iters, &plans, &reqwest_op))
        });
    }
    g.finish();
}

criterion_group!(benches, concurrent);
criterion_main!(benches);

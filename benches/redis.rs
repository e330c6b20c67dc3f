//! `RedisJar` lookup and set latency (p50, p99) and throughput with 1, 4 and 16 client threads
//! against a `redis-server` on loopback that the bench starts itself, beside Redis's own
//! `HGETALL` round trip on the same hashes and the in-memory `SharedJar`, in the same run.
//!
//! `cargo bench -p cookiejar --features redis --bench redis` (`REDIS_BENCH_OPS` sets the
//! operations per thread and measurement, default 4000).

#[path = "../tests/common/redis_server.rs"]
mod redis_server;

use cookiejar::persist::redis::{RedisJar, RedisOptions};
use cookiejar::{RequestContext, SharedJar, Timestamp, Url};
use redis_server::RedisServer;
use std::time::{Duration, Instant};

const SITES: usize = 200;
const PER_SITE: usize = 20;
const T0: i64 = 1_800_000_000;

fn url(s: usize) -> Url {
    Url::parse(&format!("https://www.site{s}.example/a/b")).unwrap()
}

struct Figures {
    p50: Duration,
    p99: Duration,
    per_sec: f64,
}

/// Runs `op(thread, i)` `ops` times on each of `threads` threads; latency quantiles over every
/// call, throughput over the wall time.
fn measure(threads: usize, ops: usize, op: &(dyn Fn(usize, usize) + Sync)) -> Figures {
    let start = Instant::now();
    let mut lat: Vec<Duration> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || {
                    let mut v = Vec::with_capacity(ops);
                    for i in 0..ops {
                        let t0 = Instant::now();
                        op(t, i);
                        v.push(t0.elapsed());
                    }
                    v
                })
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let wall = start.elapsed();
    lat.sort();
    let q = |p: f64| lat[((lat.len() - 1) as f64 * p) as usize];
    Figures {
        p50: q(0.50),
        p99: q(0.99),
        per_sec: lat.len() as f64 / wall.as_secs_f64(),
    }
}

fn row(what: &str, threads: usize, f: &Figures, base: Option<&Figures>) {
    let ratio = base.map_or(String::new(), |b| {
        format!("{:.2}x", f.p50.as_secs_f64() / b.p50.as_secs_f64())
    });
    println!(
        "| {what} | {threads} | {:.1} | {:.1} | {:.0} | {ratio} |",
        f.p50.as_secs_f64() * 1e6,
        f.p99.as_secs_f64() * 1e6,
        f.per_sec
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need: run once.
    let ops: usize = std::env::var("REDIS_BENCH_OPS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(4000);
    // Redis's default fsync policy (the tests use `always`).
    let server = RedisServer::start_with("bench", "everysec");
    let jar = RedisJar::open(&server.url(), RedisOptions::default().namespace("bench")).unwrap();
    let mem = SharedJar::new();
    let now = Timestamp::from_unix_seconds(T0);
    for s in 0..SITES {
        let u = url(s);
        let ctx = RequestContext::navigation(&u);
        for c in 0..PER_SITE {
            let line = format!("c{c}=value-{s}-{c}; Domain=site{s}.example; Path=/; Secure");
            jar.set_cookie(&line, &ctx, now).unwrap();
            mem.set_cookie(&line, &ctx, now).unwrap();
        }
    }
    let client = redis::Client::open(server.url()).unwrap();
    let urls: Vec<Url> = (0..SITES).map(url).collect();
    let keys: Vec<String> = (0..SITES)
        .map(|s| jar.keys(&format!("site{s}.example"))[0].clone())
        .collect();
    println!(
        "{SITES} sites x {PER_SITE} cookies; {ops} operations per thread and row; loopback redis-server {}",
        server.port
    );
    println!("| operation | threads | p50 µs | p99 µs | ops/s | p50 / HGETALL |");
    println!("|---|---|---|---|---|---|");
    for threads in [1, 4, 16] {
        // Lookups at a time within the last-access threshold: no refresh writes.
        let pick = |t: usize, i: usize| (t * 7919 + i * 104_729) % SITES;
        let conns: Vec<std::sync::Mutex<redis::Connection>> = (0..threads)
            .map(|_| std::sync::Mutex::new(client.get_connection().unwrap()))
            .collect();
        let raw = measure(threads, ops, &|t, i| {
            let mut c = conns[t].lock().unwrap();
            let v: Vec<(Vec<u8>, Vec<u8>)> = redis::cmd("HGETALL")
                .arg(&keys[pick(t, i)])
                .query(&mut *c)
                .unwrap();
            assert_eq!(v.len(), PER_SITE);
        });
        row("raw HGETALL (20 fields)", threads, &raw, None);
        let access: Vec<String> = (0..SITES)
            .map(|s| jar.keys(&format!("site{s}.example"))[1].clone())
            .collect();
        let raw2 = measure(threads, ops, &|t, i| {
            let mut c = conns[t].lock().unwrap();
            type Pairs = Vec<(Vec<u8>, Vec<u8>)>;
            let (a, b): (Pairs, Pairs) = redis::pipe()
                .cmd("HGETALL")
                .arg(&keys[pick(t, i)])
                .cmd("HGETALL")
                .arg(&access[pick(t, i)])
                .query(&mut *c)
                .unwrap();
            assert_eq!(a.len() + b.len(), 2 * PER_SITE);
        });
        row(
            "raw pipeline: HGETALL cookies + access",
            threads,
            &raw2,
            Some(&raw),
        );
        let look = measure(threads, ops, &|t, i| {
            let ctx = RequestContext::navigation(&urls[pick(t, i)]);
            let h = jar.cookie_header(&ctx, now.plus_seconds(1)).unwrap();
            assert!(h.is_some());
        });
        row("RedisJar lookup", threads, &look, Some(&raw));
        let set = measure(threads, ops, &|t, i| {
            let ctx = RequestContext::navigation(&urls[pick(t, i)]);
            let line = format!(
                "c{}=new-{t}-{i}; Domain={}; Path=/; Secure",
                i % PER_SITE,
                {
                    let h = urls[pick(t, i)].host_str().unwrap_or("");
                    h.trim_start_matches("www.").to_owned()
                }
            );
            jar.set_cookie(&line, &ctx, now.plus_seconds(2)).unwrap();
        });
        row("RedisJar set (replace)", threads, &set, Some(&raw));
        let mem_look = measure(threads, ops, &|t, i| {
            let ctx = RequestContext::navigation(&urls[pick(t, i)]);
            assert!(mem.cookie_header(&ctx, now.plus_seconds(1)).is_some());
        });
        row(
            "SharedJar lookup (in memory)",
            threads,
            &mem_look,
            Some(&raw),
        );
    }
    println!("conflicts retried: {}", jar.conflicts());
}

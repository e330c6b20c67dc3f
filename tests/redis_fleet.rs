//! A fleet on one real `redis-server` (loopback, AOF on): worker processes (this test binary
//! run again in a worker role) and threads share one namespace.
//!
//! - Workers that split the sites between them answer every operation exactly as one
//!   in-memory jar fed the whole sequence.
//! - Threads and processes hammering one site: every acknowledged set took exactly one
//!   generation (no lost update), and replaying the sets in generation order through an
//!   in-memory jar gives the same outcomes and the same cookies (the per-site limit and the
//!   eviction order as in memory).
//! - The server is SIGKILLed and restarted mid-run: the workers recover, every set Redis
//!   acknowledged is there, and every stored field passes the canonical gate.

#[path = "common/redis_server.rs"]
mod redis_server;
#[path = "common/redis_workload.rs"]
mod workload;

use cookiejar::persist::redis::{decode_cookie, RedisError, RedisJar, RedisOptions, SetError};
use cookiejar::{CookieJar, Policy, RequestContext, Timestamp, Url};
use redis_server::RedisServer;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use workload::{run_mem, run_redis, splitmix, workload, T0};

const ROLE: &str = "COOKIEJAR_REDIS_ROLE";
const SEED: u64 = 0xf1ee7;
const SITES: usize = 24;
const STEPS: usize = 4000;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("worker without {name}"))
}

fn open(url: &str, ns: &str) -> RedisJar {
    RedisJar::open(url, RedisOptions::default().namespace(ns))
        .unwrap_or_else(|e| panic!("worker: open {url}: {e}"))
}

fn spawn(role: &str, url: &str, k: usize, out: &Path) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "worker_role", "--test-threads=1"])
        .env(ROLE, role)
        .env("REDIS_URL", url)
        .env("WORKER", k.to_string())
        .env("OUT", out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn tmp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("cookiejar-fleet-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The worker roles (run as children; returns at once in a normal test run).
#[test]
fn worker_role() {
    let Ok(role) = std::env::var(ROLE) else {
        return;
    };
    let url = env("REDIS_URL");
    let k: usize = env("WORKER").parse().unwrap();
    let mut out = std::io::BufWriter::new(std::fs::File::create(env("OUT")).unwrap());
    match role.as_str() {
        "partitioned" => {
            let jar = open(&url, "fleet");
            for (i, step) in workload(SEED, SITES, STEPS).iter().enumerate() {
                if step.site % WORKERS == k {
                    let a = run_redis(&jar, step);
                    writeln!(out, "{i}\t{}", a.replace(['\n', '\t'], " ")).unwrap();
                }
            }
        }
        "hot" => {
            let jar = open(&url, "hot");
            for line in hot_writer(&jar, k) {
                writeln!(out, "{line}").unwrap();
            }
        }
        "restart" => {
            let jar = RedisJar::open(
                &url,
                RedisOptions::default()
                    .namespace("restart")
                    .timeout(Duration::from_millis(500)),
            )
            .unwrap();
            let mut errors = 0;
            for i in 0..RESTART_SETS {
                let (url, line) = restart_set(k, i);
                let url = Url::parse(&url).unwrap();
                let ctx = RequestContext::navigation(&url);
                let deadline = Instant::now() + Duration::from_secs(60);
                loop {
                    match jar.set_cookie(&line, &ctx, Timestamp::from_unix_seconds(T0 + i as i64)) {
                        Ok(_) => break,
                        Err(SetError::Redis(_)) if Instant::now() < deadline => {
                            errors += 1;
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        Err(e) => panic!("worker {k}: set {i}: {e}"),
                    }
                }
                // Acknowledged: Redis ran the compare-and-set and replied.
                writeln!(out, "ack {i}").unwrap();
                out.flush().unwrap();
                std::thread::sleep(Duration::from_millis(2));
            }
            writeln!(out, "errors {errors}").unwrap();
        }
        other => panic!("unknown role {other}"),
    }
    out.flush().unwrap();
}

const WORKERS: usize = 4;

fn wait_all(children: Vec<Child>) {
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a worker failed: {}\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn partitioned_workers_answer_as_one_in_memory_jar() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let server = RedisServer::start("fleet");
    let dir = tmp("partitioned");
    let children: Vec<Child> = (0..WORKERS)
        .map(|k| spawn("partitioned", &server.url(), k, &dir.join(format!("w{k}"))))
        .collect();
    let steps = workload(SEED, SITES, STEPS);
    let mut mem = CookieJar::new();
    let want: Vec<String> = steps
        .iter()
        .map(|s| {
            let a = run_mem(&mut mem, s).replace(['\n', '\t'], " ");
            // The premise: the fleet's one difference (no jar-wide limit) never comes up.
            assert!(mem.len() < mem.policy().purge_to);
            a
        })
        .collect();
    wait_all(children);
    let mut got: BTreeMap<usize, String> = BTreeMap::new();
    for k in 0..WORKERS {
        let text = std::fs::read_to_string(dir.join(format!("w{k}"))).unwrap();
        for line in text.lines() {
            let (i, a) = line.split_once('\t').unwrap();
            assert!(got.insert(i.parse().unwrap(), a.to_owned()).is_none());
        }
    }
    assert_eq!(got.len(), steps.len(), "every step answered once");
    let mut sets = 0;
    for (i, a) in &got {
        assert_eq!(a, &want[*i], "step {i}: {:?}", steps[*i]);
        sets += usize::from(a.starts_with("Ok("));
    }
    assert!(sets > 500, "{sets} stores");
    // The final jar, site by site, seen by a fresh client.
    let jar = open(&server.url(), "fleet");
    let end = Timestamp::from_unix_seconds(T0 + 5 * STEPS as i64);
    for s in 0..SITES {
        let host = workload::site_domain(s);
        let m: Vec<String> = mem.site_cookies(&host, end).map(workload::show).collect();
        let r: Vec<String> = jar
            .site_cookies(&host, end)
            .unwrap()
            .iter()
            .map(workload::show)
            .collect();
        assert_eq!(r, m, "site {host}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

const HOT_SETS: usize = 300;
const HOT_URL: &str = "https://www.hot.example/";

/// One writer's sets on the hot site; each line: generation, writer, index, outcome.
fn hot_writer(jar: &RedisJar, w: usize) -> Vec<String> {
    let url = Url::parse(HOT_URL).unwrap();
    let ctx = RequestContext::navigation(&url);
    let mut r = SEED ^ ((w as u64 + 1) * 0x1000);
    let mut log = Vec::with_capacity(HOT_SETS);
    for i in 0..HOT_SETS {
        r = splitmix(r);
        let line = hot_line(w, i, r);
        let now = Timestamp::from_unix_seconds(T0 + i as i64);
        // A writer that lost every compare-and-set of one call gets the typed `Contended`
        // (nothing written) and repeats the set, as the jar's docs tell callers to; on a
        // loaded 2-core machine seven writers on one site can starve one for 64 rounds.
        let mut starved = 0;
        let (stored, generation) = loop {
            match jar.set_cookie_with(&line, &ctx, now, &mut ()) {
                Ok(done) => break done,
                Err(SetError::Redis(RedisError::Contended { .. })) if starved < 100 => starved += 1,
                Err(e) => panic!("writer {w}: {line}: {e}"),
            }
        };
        log.push(format!("{generation}\t{w}\t{i}\t{:?}", stored.outcome));
    }
    log
}

fn hot_line(w: usize, i: usize, r: u64) -> String {
    let name = r % 250;
    let prio = ["Low", "Medium", "High"][(r >> 20) as usize % 3];
    let domain = if (r >> 30) % 2 == 0 {
        "; Domain=hot.example"
    } else {
        ""
    };
    format!("n{name}=w{w}i{i}; Priority={prio}{domain}")
}

#[test]
fn concurrent_writers_on_one_site_lose_no_update() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let server = RedisServer::start("hot");
    let dir = tmp("hot");
    const PROCS: usize = 3;
    const THREADS: usize = 4;
    let children: Vec<Child> = (0..PROCS)
        .map(|k| spawn("hot", &server.url(), k, &dir.join(format!("p{k}"))))
        .collect();
    let jar = open(&server.url(), "hot");
    let mut lines: Vec<String> = std::thread::scope(|s| {
        let hs: Vec<_> = (0..THREADS)
            .map(|t| {
                let jar = &jar;
                s.spawn(move || hot_writer(jar, PROCS + t))
            })
            .collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    wait_all(children);
    for k in 0..PROCS {
        let text = std::fs::read_to_string(dir.join(format!("p{k}"))).unwrap();
        lines.extend(text.lines().map(str::to_owned));
    }
    let total = (PROCS + THREADS) * HOT_SETS;
    assert_eq!(lines.len(), total);
    let mut by_gen: BTreeMap<u64, (usize, usize, String)> = BTreeMap::new();
    for l in &lines {
        let f: Vec<&str> = l.split('\t').collect();
        let g: u64 = f[0].parse().unwrap();
        let prev = by_gen.insert(
            g,
            (
                f[1].parse().unwrap(),
                f[2].parse().unwrap(),
                f[3].to_owned(),
            ),
        );
        assert!(
            prev.is_none(),
            "generation {g} acknowledged twice: a lost update"
        );
    }
    // Every acknowledged set is one generation, with no gap.
    assert_eq!(
        by_gen.keys().copied().collect::<Vec<_>>(),
        (1..=total as u64).collect::<Vec<_>>()
    );
    assert!(
        jar.conflicts() > 0,
        "the threads never collided: the test proves nothing"
    );
    // Replayed in generation order, an in-memory jar gives the same outcomes and cookies.
    let url = Url::parse(HOT_URL).unwrap();
    let ctx = RequestContext::navigation(&url);
    let mut mem = CookieJar::new();
    let mut lines_of: BTreeMap<(usize, usize), String> = BTreeMap::new();
    for w in 0..PROCS + THREADS {
        let mut r = SEED ^ ((w as u64 + 1) * 0x1000);
        for i in 0..HOT_SETS {
            r = splitmix(r);
            lines_of.insert((w, i), hot_line(w, i, r));
        }
    }
    for (g, (w, i, outcome)) in &by_gen {
        let now = Timestamp::from_unix_seconds(T0 + *i as i64);
        let o = mem.set_cookie(&lines_of[&(*w, *i)], &ctx, now).unwrap();
        assert_eq!(&format!("{o:?}"), outcome, "generation {g}");
    }
    let end = Timestamp::from_unix_seconds(T0 + 10_000);
    let m: Vec<String> = mem
        .site_cookies("hot.example", end)
        .map(workload::show)
        .collect();
    let r: Vec<String> = jar
        .site_cookies("hot.example", end)
        .unwrap()
        .iter()
        .map(workload::show)
        .collect();
    assert_eq!(r, m);
    let limit = Policy::standard().max_cookies_per_site;
    assert!(
        r.len() <= limit && r.len() > limit / 2,
        "{} cookies",
        r.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
}

const RESTART_SETS: usize = 300;
const RESTART_WORKERS: usize = 3;

fn restart_set(w: usize, i: usize) -> (String, String) {
    (
        format!("https://r{}.example/", i % 30),
        format!("w{w}i{i}=v; Max-Age=100000"),
    )
}

#[test]
fn server_killed_and_restarted_mid_run() {
    if std::env::var(ROLE).is_ok() {
        return;
    }
    let mut server = RedisServer::start("restart");
    let dir = tmp("restart");
    let outs: Vec<PathBuf> = (0..RESTART_WORKERS)
        .map(|k| dir.join(format!("r{k}")))
        .collect();
    let children: Vec<Child> = (0..RESTART_WORKERS)
        .map(|k| spawn("restart", &server.url(), k, &outs[k]))
        .collect();
    let acks = |outs: &[PathBuf]| -> usize {
        outs.iter()
            .map(|p| {
                std::fs::read_to_string(p)
                    .unwrap_or_default()
                    .lines()
                    .filter(|l| l.starts_with("ack "))
                    .count()
            })
            .sum()
    };
    let start = Instant::now();
    while acks(&outs) < 150 {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "the workers make no progress"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let before = acks(&outs);
    server.kill();
    std::thread::sleep(Duration::from_millis(400));
    server.restart();
    wait_all(children);
    assert!(
        before < RESTART_WORKERS * RESTART_SETS,
        "the kill came after the run"
    );
    // Every acknowledged set is there.
    let jar = open(&server.url(), "restart");
    let end = Timestamp::from_unix_seconds(T0 + 1000);
    let mut errors = 0;
    for (k, out) in outs.iter().enumerate() {
        let text = std::fs::read_to_string(out).unwrap();
        let acked: Vec<usize> = text
            .lines()
            .filter_map(|l| l.strip_prefix("ack ")?.parse().ok())
            .collect();
        assert_eq!(acked, (0..RESTART_SETS).collect::<Vec<_>>());
        errors += text
            .lines()
            .filter_map(|l| l.strip_prefix("errors ")?.parse::<usize>().ok())
            .sum::<usize>();
        for i in acked {
            let (url, line) = restart_set(k, i);
            let host = Url::parse(&url).unwrap().host_str().unwrap().to_owned();
            let name = line.split('=').next().unwrap();
            assert!(
                jar.site_cookies(&host, end)
                    .unwrap()
                    .iter()
                    .any(|c| c.name() == name.as_bytes()),
                "worker {k}: acknowledged set {i} ({name}) lost"
            );
        }
    }
    assert!(errors > 0, "no worker saw the server go away");
    // Every stored field passes the gate, every access time is a number.
    let mut raw = redis::Client::open(server.url())
        .unwrap()
        .get_connection()
        .unwrap();
    let keys: Vec<String> = redis::cmd("KEYS").arg("restart:*").query(&mut raw).unwrap();
    let mut fields = 0;
    for key in keys {
        let pairs: Vec<(Vec<u8>, Vec<u8>)> =
            redis::cmd("HGETALL").arg(&key).query(&mut raw).unwrap();
        for (_, v) in pairs {
            if key.ends_with(":c") {
                decode_cookie(&v, None).unwrap_or_else(|e| panic!("{key}: {e}"));
                fields += 1;
            } else if key.ends_with(":a") {
                std::str::from_utf8(&v).unwrap().parse::<i64>().unwrap();
            }
        }
    }
    assert_eq!(fields, RESTART_WORKERS * RESTART_SETS);
    assert_eq!(jar.refused_fields(), 0);
    let _ = std::fs::remove_dir_all(&dir);
}

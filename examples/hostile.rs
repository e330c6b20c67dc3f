//! Hostile load: a million `Set-Cookie` lines of the worst kinds (oversized, public-suffix and
//! foreign domains, thousands of paths, prefix abuse, control bytes, thousands of attributes,
//! a partition per top-level site, IDNA and IP domains) over 10,000 sites, fed to one jar.
//! Checks that the limits held and that nothing panicked, and reports throughput and memory.
//!
//! ```text
//! cargo run --release --example hostile [LINES [SITES [DAYS]]]     # 1000000 10000 60
//! ```
//!
//! The clock moves evenly over DAYS, so that Chromium's global limit (which spares cookies
//! accessed within 30 days) has something to purge. Memory is counted by a global allocator
//! wrapper: the live heap and its peak.

#[path = "../tests/fuzz_support/checks.rs"]
mod checks;
#[path = "../tests/fuzz_support/hostile.rs"]
mod hostile;

use cookiejar::{CookieJar, Timestamp};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// The system allocator, counting live bytes and their peak.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(n: usize) {
    let live = LIVE.fetch_add(n, Ordering::Relaxed) + n;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is `System`'s.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

fn mib(b: usize) -> f64 {
    b as f64 / (1024.0 * 1024.0)
}

fn arg(i: usize, default: u64) -> u64 {
    std::env::args()
        .nth(i)
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let lines = arg(1, 1_000_000);
    let sites = arg(2, 10_000);
    let days = arg(3, 60);
    let step_micros = i64::try_from(days * 86_400 * 1_000_000 / lines.max(1)).unwrap_or(0);
    let mut jar = CookieJar::new();
    let start = Timestamp::from_unix_seconds(checks::START);
    let baseline = LIVE.load(Ordering::Relaxed);
    PEAK.store(baseline, Ordering::Relaxed);
    println!(
        "hostile: {lines} lines over {sites} sites, {days} simulated days, policy {:?}",
        jar.policy().profile
    );
    let t = Instant::now();
    let mut checks_run = 0;
    let out = hostile::feed(
        &mut jar,
        lines,
        sites,
        start,
        step_micros,
        lines / 10,
        |jar, now, out| {
            // Per-site and per-partition limits, well-formed cookies (panics otherwise).
            checks::check_jar(jar, now);
            checks_run += 1;
            let unpartitioned = jar.iter().filter(|c| c.partition_key().is_none()).count();
            println!(
                "  {:>6.1} s, after {:>8} lines: {:>7} cookies ({unpartitioned} unpartitioned), live heap {:.1} MiB",
                t.elapsed().as_secs_f64(),
                out.lines,
                jar.len(),
                mib(LIVE.load(Ordering::Relaxed).saturating_sub(baseline)),
            );
        },
    );
    let secs = t.elapsed().as_secs_f64();
    let policy = jar.policy();
    let mut per_site = std::collections::HashMap::<String, usize>::new();
    for c in jar.iter().filter(|c| c.partition_key().is_none()) {
        *per_site.entry(checks::site_of(c.domain())).or_default() += 1;
    }
    let max_site = per_site.values().copied().max().unwrap_or(0);
    let partitions: std::collections::HashSet<_> =
        jar.iter().filter_map(|c| c.partition_key()).collect();
    let now = start.plus_micros(step_micros.saturating_mul(i64::try_from(lines).unwrap_or(0)));
    let safe_since = now.plus_seconds(-policy.safe_from_global_purge_seconds);
    let recent = jar
        .iter()
        .filter(|c| c.partition_key().is_none() && c.last_access() >= safe_since)
        .count();
    println!(
        "lines {}  ({:.1} MB)  accepted {}  rejected {}  lookups {}",
        out.lines,
        out.bytes as f64 / 1e6,
        out.accepted,
        out.rejected,
        out.lookups
    );
    println!(
        "throughput {:.0} lines/s ({:.2} s, generation and lookups included)",
        out.lines as f64 / secs,
        secs
    );
    println!(
        "cookies at end {} (peak {}), sites {}, most in one site {} (limit {}), partitions {}",
        jar.len(),
        out.peak_cookies,
        per_site.len(),
        max_site,
        policy.max_cookies_per_site,
        partitions.len()
    );
    println!(
        "unpartitioned at end {} (global limit {}; {} accessed within the last {} days, which Chromium never purges for it)",
        per_site.values().sum::<usize>(),
        policy.max_cookies,
        recent,
        policy.safe_from_global_purge_seconds / 86_400
    );
    println!(
        "heap: peak {:.1} MiB, live at end {:.1} MiB ({} limit checks passed)",
        mib(PEAK.load(Ordering::Relaxed).saturating_sub(baseline)),
        mib(LIVE.load(Ordering::Relaxed).saturating_sub(baseline)),
        checks_run
    );
    assert!(max_site <= policy.max_cookies_per_site);
}

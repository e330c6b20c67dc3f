//! `memory`: live heap bytes per stored cookie, measured with a counting global allocator,
//! for `CookieJar`, `SharedJar`, `cookie_store` 0.22 and `reqwest::cookie::Jar`, at 10k and
//! 100k cookies of the shared workload. Prints a table; no criterion timing.
//!
//! `cargo bench --bench memory`
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

mod common;
use common::*;

/// The system allocator, counting live bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to `System` with the same arguments; the counter is a side
// effect that cannot affect the allocation. (The library forbids unsafe code; this bench
// binary needs a global allocator, which is an unsafe trait.)
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes still allocated after `build` returns its value (kept alive while measuring).
fn live_bytes<T>(build: impl FnOnce() -> T) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    let value = build();
    let after = LIVE.load(Ordering::Relaxed);
    drop(value);
    after.saturating_sub(before)
}

fn main() {
    // `cargo bench` passes `--bench`; a name filter that is not "memory" skips the table.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"memory".contains(a.as_str()))
    {
        return;
    }
    println!("| cookies | CookieJar | SharedJar | cookie_store 0.22 | reqwest Jar |");
    println!("|---:|---:|---:|---:|---:|");
    for cookies in [10_000, 100_000] {
        let mut rng = Rng::new(cookies as u64);
        let lines = jar_lines(cookies / PER_SITE, &mut rng);
        let per = |bytes: usize| format!("{:.0} B", bytes as f64 / cookies as f64);
        let jar = live_bytes(|| build_jar(&lines));
        let shared = live_bytes(|| build_shared(&lines));
        let store = live_bytes(|| build_cookie_store(&lines));
        let rq = live_bytes(|| build_reqwest(&lines));
        println!(
            "| {cookies} | {} | {} | {} | {} |",
            per(jar),
            per(shared),
            per(store),
            per(rq)
        );
    }
}

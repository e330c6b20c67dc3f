//! The lookup and set benches' operations, counted in instructions rather than timed: the
//! instruction count of `valgrind --tool=callgrind` does not vary with the machine's load.
//! `opcount MODE OPS`, MODE one of `none` (build the 10k-cookie workload jar only), `lookup`,
//! `string` (the lookup as a new `String`), `shared` (the lookup through `SharedJar`; subtract
//! `shared_build`, which also builds the `SharedJar`), `floor` (the same requests answered from
//! a map of precomputed headers; subtract `floor_build`, its set-up, instead of `none`),
//! `overwrite`, `new`; (Ir(MODE) - Ir(none)) / OPS is the cost of one operation:
//!
//! ```sh
//! cargo build --release --example opcount
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null target/release/examples/opcount lookup 100000
//! ```
#[path = "../benches/common/mod.rs"]
mod common;
use common::*;
use cookiejar::RequestContext;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mode = args.get(1).map_or("none", String::as_str).to_owned();
    let ops: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let sites = 1_000;
    let mut rng = Rng::new(7);
    let lines = jar_lines(sites, &mut rng);
    let urls = request_urls(sites, 4096, &mut rng);
    let over = overwrite_lines(sites, 4096, &mut rng);
    let new = new_lines(sites, ops, &mut rng);
    let mut jar = build_jar(&lines);
    let t = now();
    let mut out = Vec::with_capacity(512);
    let mut n = 0usize;
    match mode.as_str() {
        "lookup" => {
            for i in 0..ops {
                out.clear();
                n += jar.write_cookie_header(
                    &RequestContext::navigation(&urls[i % urls.len()]),
                    t,
                    &mut out,
                );
            }
        }
        "floor" => {
            let floor = build_floor(&jar, &urls);
            let base = std::hint::black_box(floor.len());
            for i in 0..ops {
                out.clear();
                if let Some(h) = floor.get(urls[i % urls.len()].as_str()) {
                    out.extend_from_slice(h);
                }
                n += out.len();
            }
            n += base;
        }
        "floor_build" => {
            // What `floor` spends before its loop, to subtract.
            n += std::hint::black_box(build_floor(&jar, &urls)).len();
        }
        "shared" => {
            // The same lookups through `SharedJar` (subtract `shared_build`).
            let shared = build_shared(&lines);
            for i in 0..ops {
                out.clear();
                n += shared.write_cookie_header(
                    &RequestContext::navigation(&urls[i % urls.len()]),
                    t,
                    &mut out,
                );
            }
        }
        "shared_build" => {
            n += std::hint::black_box(build_shared(&lines)).len();
        }
        "string" => {
            for i in 0..ops {
                let h = jar.cookie_header(&RequestContext::navigation(&urls[i % urls.len()]), t);
                n += h.map_or(0, |h| h.len());
            }
        }
        "overwrite" => {
            for i in 0..ops {
                let l = &over[i % over.len()];
                n += usize::from(
                    jar.set_cookie(&l.line, &RequestContext::navigation(&l.url), t)
                        .is_ok(),
                );
            }
        }
        "new" => {
            for l in &new {
                n += usize::from(
                    jar.set_cookie(&l.line, &RequestContext::navigation(&l.url), t)
                        .is_ok(),
                );
            }
        }
        _ => {}
    }
    println!("{mode} {ops} {n} {}", jar.len());
}

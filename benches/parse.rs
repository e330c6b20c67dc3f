//! `parse`: `Set-Cookie` parsing alone, `cookiejar::parse_set_cookie` beside the `cookie`
//! crate's `Cookie::parse` (what `cookie_store` and reqwest use), on the workload's lines plus
//! lines with an `Expires` date.
//!
//! `cargo bench --bench parse`
use cookiejar::{parse_set_cookie, ParseOptions};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

mod common;
use common::*;

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    let mut rng = Rng::new(3);
    let mut lines: Vec<String> = jar_lines(1, &mut rng).into_iter().map(|l| l.line).collect();
    lines.push("id=a3fWa; Expires=Wed, 21 Oct 2026 07:28:00 GMT; Secure; HttpOnly".into());
    lines.push("lang=en-US; Path=/; Domain=example.com; SameSite=Lax; Expires=Thu, 01 Jan 2099 00:00:00 GMT".into());
    let options = ParseOptions::default();
    // Per line: each iteration parses every line once.
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function(BenchmarkId::new("cookiejar", lines.len()), |b| {
        b.iter(|| {
            for l in &lines {
                let _ = black_box(parse_set_cookie(black_box(l.as_bytes()), &options));
            }
        })
    });
    g.bench_function(BenchmarkId::new("cookie", lines.len()), |b| {
        b.iter(|| {
            for l in &lines {
                let _ = black_box(cookie::Cookie::parse(black_box(l.as_str())));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);

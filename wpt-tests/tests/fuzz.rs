//! The `scenario` fuzz target's check (`wpt_tests::fuzz::check_scenario`) without cargo-fuzz:
//! the checked-in seeds (`fuzz/corpus/scenario/`) and every crash the fuzzer ever found
//! (`fuzz/regressions/scenario/`), then a bounded deterministic smoke of pseudo-random inputs.

use std::path::{Path, PathBuf};
use wpt_tests::fuzz::check_scenario;
use wpt_tests::scenario::ScenarioFile;

/// The fuzz crate's folder for the `scenario` target's `kind` (`corpus` or `regressions`).
fn fuzz_dir(kind: &str) -> PathBuf {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"));
    suite
        .parent()
        .unwrap_or(suite)
        .join("fuzz")
        .join(kind)
        .join("scenario")
}

fn inputs(kind: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir(kind);
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep"))
        .collect();
    files.sort();
    files
}

fn replay(files: &[PathBuf]) {
    for f in files {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let run = std::panic::catch_unwind(|| check_scenario(&data));
        assert!(run.is_ok(), "{} fails its checks", f.display());
    }
}

#[test]
fn scenario_corpus() {
    let seeds = inputs("corpus");
    assert!(
        !seeds.is_empty(),
        "no seeds in {}",
        fuzz_dir("corpus").display()
    );
    // The seeds are meant to reach the replay, not stop at the reader.
    for f in &seeds {
        let data = std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        if let Err(e) = ScenarioFile::from_json(&data) {
            panic!("seed {} does not read: {e}", f.display());
        }
    }
    replay(&seeds);
}

#[test]
fn scenario_regressions() {
    // Empty while the fuzzer has found nothing; the folder itself must be there.
    assert!(fuzz_dir("regressions").is_dir());
    replay(&inputs("regressions"));
}

/// A long run's whole local corpus, when asked: `COOKIEJAR_FUZZ_EXTRA=fuzz/work cargo test
/// --release -p wpt-tests --test fuzz` (as `tests/fuzz_corpus.rs` does for the other targets).
#[test]
fn scenario_extra_corpus() {
    let Some(extra) = std::env::var_os("COOKIEJAR_FUZZ_EXTRA") else {
        return;
    };
    let dir = PathBuf::from(extra).join("scenario");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    replay(&files);
}

/// xorshift64*: a tiny PRNG, so the smoke is the same on every run and needs no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A number below `n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.get(self.below(from.len())).copied().unwrap_or("")
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
    /// Mostly one of `good`; now and then (1 in 100) `bad`, which the reader must refuse.
    fn mostly<'a>(&mut self, good: &[&'a str], bad: &'a str) -> &'a str {
        if self.chance(1) {
            bad
        } else {
            self.pick(good)
        }
    }
}

const URLS: &[&str] = &[
    "https://a.example/",
    "http://a.example/",
    "https://www.a.example/x/y",
    "https://b.example/",
    "http://localhost:8080/",
    "https://co.uk/",
    "https://x.github.io/",
    "https://127.0.0.1/",
    "http://[::1]/",
    "data:text/plain,hi",
];

const LINES: &[&str] = &[
    "a=1",
    "a=2; Path=/x",
    "b=1; Domain=a.example",
    "c=1; Secure; SameSite=None",
    "d=1; SameSite=Lax",
    "e=1; SameSite=Strict; HttpOnly",
    "f=1; Max-Age=5",
    "g=1; Max-Age=0",
    "h=1; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
    "__Host-i=1; Secure; Path=/",
    "__Secure-j=1",
    "k=1; Domain=co.uk",
    "l=1; Partitioned; Secure",
    "=m",
    "n",
    "o=\u{e9}",
    "",
];

const PROFILES: &[&str] = &["standard", "chromium", "firefox"];

const STRAY_KEYS: &[&str] = &["expcet", "note", "chromium", "headers", "get", "wait"];

/// A JSON string literal of `s`.
fn lit(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

fn step(r: &mut Rng) -> String {
    let url = lit(r.mostly(URLS, "not a url"));
    let context = |r: &mut Rng| {
        let mut c = String::new();
        if r.chance(40) {
            c.push_str(&format!(r#", "from": {}"#, lit(r.pick(URLS))));
        }
        if r.chance(30) {
            c.push_str(&format!(r#", "navigation": {}"#, r.chance(50)));
        }
        if r.chance(20) {
            c.push_str(&format!(
                r#", "method": {}"#,
                lit(r.pick(&["GET", "POST", "PUT"]))
            ));
        }
        c
    };
    let mut s = match r.below(6) {
        0 | 1 => {
            let headers: Vec<String> = (0..r.below(4)).map(|_| lit(r.pick(LINES))).collect();
            format!(
                r#"{{"set": {url}, "headers": [{}]{}"#,
                headers.join(", "),
                context(r)
            )
        }
        2 => {
            let expect = if r.chance(70) {
                format!(r#", "expect": {}"#, lit(r.pick(LINES)))
            } else {
                String::new()
            };
            format!(r#"{{"get": {url}{expect}{}"#, context(r))
        }
        3 => format!(r#"{{"script_set": {url}, "value": {}"#, lit(r.pick(LINES))),
        4 => format!(r#"{{"script_get": {url}, "expect": {}"#, lit(r.pick(LINES))),
        _ => {
            if r.chance(50) {
                let secs = [
                    "0", "1", "6", "61", "86400", "34560001", "0.5", "-1", "1e300",
                ];
                format!(r#"{{"wait": {}"#, r.pick(&secs))
            } else {
                r#"{"end_session": true"#.to_owned()
            }
        }
    };
    // Now and then a key the step does not know: the reader must refuse it, not panic.
    if r.chance(1) {
        s.push_str(&format!(r#", {}: "x""#, lit(r.pick(STRAY_KEYS))));
    }
    s.push('}');
    s
}

fn scenario(r: &mut Rng) -> String {
    let cases: Vec<String> = (0..1 + r.below(3))
        .map(|i| {
            let steps: Vec<String> = (0..r.below(12)).map(|_| step(r)).collect();
            let mut case = format!(r#"{{"id": "smoke/{i}""#);
            if r.chance(30) {
                case.push_str(&format!(
                    r#", "profile": {}"#,
                    lit(r.mostly(PROFILES, "opera"))
                ));
            }
            if r.chance(30) {
                let now = [
                    "2026-11-22T22:40:00Z",
                    "1970-01-01T00:00:00Z",
                    "2026-02-30T00:00:00Z",
                ];
                case.push_str(&format!(r#", "now": {}"#, lit(r.pick(&now))));
            }
            case.push_str(&format!(r#", "steps": [{}]}}"#, steps.join(", ")));
            case
        })
        .collect();
    let format = if r.chance(98) {
        lit("cookie scenarios v1")
    } else {
        lit("cookie scenarios v2")
    };
    format!(r#"{{"format": {format}, "cases": [{}]}}"#, cases.join(", "))
}

/// Raw bytes: random, or a well-formed file cut short or with a byte flipped.
fn raw(r: &mut Rng) -> Vec<u8> {
    match r.below(3) {
        0 => (0..r.below(200))
            .map(|_| u8::try_from(r.next() & 0xff).unwrap_or(0))
            .collect(),
        1 => {
            let mut s = scenario(r).into_bytes();
            s.truncate(r.below(s.len() + 1));
            s
        }
        _ => {
            let mut s = scenario(r).into_bytes();
            let i = r.below(s.len());
            if let Some(b) = s.get_mut(i) {
                *b = u8::try_from(r.next() & 0xff).unwrap_or(0);
            }
            s
        }
    }
}

/// A few thousand inputs from a fixed seed, most of them scenario files with random steps.
#[test]
fn scenario_smoke() {
    let mut r = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut files, mut read) = (0, 0);
    for _ in 0..5_000 {
        let data = if r.chance(20) {
            raw(&mut r)
        } else {
            files += 1;
            scenario(&mut r).into_bytes()
        };
        if ScenarioFile::from_json(&data).is_ok() {
            read += 1;
        }
        let run = std::panic::catch_unwind(|| check_scenario(&data));
        assert!(
            run.is_ok(),
            "fails its checks: {}",
            String::from_utf8_lossy(&data)
        );
    }
    // The generator reaches the replay, not only the reader's errors.
    assert!(
        read * 3 > files,
        "only {read} of {files} generated files read"
    );
}

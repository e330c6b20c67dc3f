//! A bounded, deterministic smoke of the `parse` and `jar_ops` fuzz targets in plain
//! `cargo test`: a few thousand pseudo-random inputs per target from a fixed seed, through the
//! very checks the fuzzers run (`tests/fuzz_support/checks.rs`). It is no substitute for
//! `fuzz/run.sh`, but a check that contradicts a profile (issue 15: `Partitioned without Secure`
//! on a cookie Firefox Total Cookie Protection partitioned) fails CI the day the profile or the
//! check changes, not after minutes of fuzzing.
//!
//! Inputs per target: raw random bytes; inputs built from structured fragments (real-looking
//! `Set-Cookie` lines with `Partitioned`, `Secure`, `SameSite`, `Domain`, prefixes, `Max-Age`,
//! and for `jar_ops` whole operation sequences with third-party subresources over http and
//! https); and byte-level mutants of every checked-in seed (`fuzz/corpus/TARGET/`,
//! `fuzz/regressions/TARGET/`). `jar_ops` inputs cycle through the six policies `ops_policy`
//! decodes from the first byte (three profiles, each with default and small limits), so each
//! gets the same share.
//!
//! A failing input is written to `target/fuzz-smoke/TARGET-N` (copy it into
//! `fuzz/regressions/TARGET/` once understood) and its hex is printed.

#[path = "fuzz_support/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

/// Fixed seed: the smoke is the same on every run and every machine.
const SEED: u64 = 0x0015_c00c_1e5f_0220;

/// splitmix64 (Steele, Lea, Flood 2014): tiny, deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
    fn byte(&mut self) -> u8 {
        self.next().to_le_bytes()[0]
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T: ?Sized>(&mut self, from: &[&'a T]) -> &'a T {
        from[self.below(from.len())]
    }
    fn bytes(&mut self, max_len: usize) -> Vec<u8> {
        let n = self.below(max_len + 1);
        (0..n).map(|_| self.byte()).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Structured Set-Cookie lines

const NAMES: &[&str] = &[
    "a",
    "sid",
    "id",
    "",
    "__Secure-a",
    "__Host-a",
    "__HOST-a",
    "__secure-b",
    "__Http-a",
    "__Host-Http-a",
    " a ",
];

const VALUES: &[&str] = &[
    "1",
    "",
    "x",
    "\"q\"",
    "a=b",
    "__Secure-v",
    "__Host-v",
    "v w",
];

const DOMAINS: &[&str] = &[
    "example.com",
    ".example.com",
    "www.example.com",
    "other.org",
    "foo.co.uk",
    "co.uk",
    "com",
    "github.io",
    "x.github.io",
    "a.test",
    "localhost",
    "127.0.0.1",
    "xn--bcher-kva.de",
    "b\u{fc}cher.de",
    "",
];

const ATTRIBUTES: &[&str] = &[
    "Partitioned",
    "Partitioned",
    "Secure",
    "Secure",
    "HttpOnly",
    "SameSite=None",
    "SameSite=None",
    "SameSite=Lax",
    "SameSite=Strict",
    "SameSite=bogus",
    "Path=/",
    "Path=/a",
    "Path=/a/b",
    "Path=relative",
    "Max-Age=0",
    "Max-Age=-1",
    "Max-Age=60",
    "Max-Age=3600",
    "Max-Age=99999999999",
    "Max-Age=+5",
    "Expires=Wed, 01 Jan 2031 00:00:00 GMT",
    "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
    "Priority=High",
    "Priority=Low",
    "secure",
    "partitioned",
    "x",
];

/// A real-looking `Set-Cookie` line: a name (prefixes included), a value, and up to six
/// attributes, `Partitioned`, `Secure` and `SameSite=None` the most frequent.
fn set_cookie_line(r: &mut Rng) -> Vec<u8> {
    let mut line = String::new();
    if r.chance(5) {
        line.push_str(&format!("c{}", r.below(40)));
    } else {
        line.push_str(r.pick(NAMES));
    }
    if !(line.is_empty() && r.chance(2)) {
        line.push('=');
    }
    line.push_str(r.pick(VALUES));
    for _ in 0..r.below(7) {
        line.push_str(if r.chance(8) { ";" } else { "; " });
        if r.chance(4) {
            line.push_str("Domain=");
            line.push_str(r.pick(DOMAINS));
        } else {
            line.push_str(r.pick(ATTRIBUTES));
        }
    }
    let mut bytes = line.into_bytes();
    // Now and then a stray byte: a control character, a tab, a high byte.
    if r.chance(12) && !bytes.is_empty() {
        let at = r.below(bytes.len());
        bytes[at] = *r.pick(&[&0u8, &b'\t', &0x7f, &0xff, &b'\r', &b'=']);
    }
    bytes
}

// ---------------------------------------------------------------------------------------------
// Structured jar_ops inputs: the byte encoding `checks::check_jar_ops` decodes.

/// Appends the two bytes `url_from` reads: a base (often one of the cross-site pairs) and a path.
fn push_url(r: &mut Rng, out: &mut Vec<u8>) {
    out.push(u8::try_from(r.below(checks::BASES.len())).unwrap_or(0));
    out.push(u8::try_from(r.below(checks::PATHS.len())).unwrap_or(0));
}

/// Appends a context as `pick_ctx` reads it, third-party subresources half the time.
fn push_ctx(r: &mut Rng, out: &mut Vec<u8>) {
    let top = u8::try_from(r.below(checks::BASES.len())).unwrap_or(0);
    match r.below(6) {
        0..=2 => out.extend_from_slice(&[5, top]), // subresource under `top`
        3 => out.push(0),                          // navigation
        4 => out.extend_from_slice(&[3, top]),     // navigation from `top`
        _ => out.extend_from_slice(&[4, top]),     // POST navigation from `top`
    }
}

/// Appends a line as `set_cookie_line`'s raw branch reads it: selector 0, a length byte, then
/// four times that many bytes (the line padded with spaces, which the parser trims).
fn push_line(line: &[u8], out: &mut Vec<u8>) {
    let mut line = line[..line.len().min(4 * 255)].to_vec();
    while line.len() % 4 != 0 {
        line.push(b' ');
    }
    out.push(0);
    out.push(u8::try_from(line.len() / 4).unwrap_or(u8::MAX));
    out.extend_from_slice(&line);
}

/// Up to 40 operations, mostly sets of structured lines from every kind of context, with
/// lookups, script access, time passing and session ends between them.
fn structured_ops(r: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    for _ in 0..1 + r.below(40) {
        match r.below(20) {
            0..=8 => {
                out.push(0); // a response sets a cookie
                push_url(r, &mut out);
                push_ctx(r, &mut out);
                let line = set_cookie_line(r);
                push_line(&line, &mut out);
            }
            9 => {
                out.push(4); // a script sets a cookie
                push_url(r, &mut out);
                let line = set_cookie_line(r);
                push_line(&line, &mut out);
            }
            10 => {
                out.push(3); // a burst for one site
                push_url(r, &mut out);
                let n = r.below(30);
                out.push(u8::try_from(n).unwrap_or(0));
                out.push(r.byte());
                out.extend((0..n).map(|_| r.byte()));
            }
            11 => {
                out.push(0); // a set from the checks' own fragment decoder
                push_url(r, &mut out);
                push_ctx(r, &mut out);
                out.push(1 + r.byte() % 7);
                out.extend((0..24).map(|_| r.byte()));
            }
            12..=15 => {
                out.push(5); // a request
                push_url(r, &mut out);
                push_ctx(r, &mut out);
            }
            16 => {
                out.push(7); // a script reads document.cookie
                push_url(r, &mut out);
            }
            17 | 18 => {
                out.push(8); // time passes
                out.push(r.byte());
                out.push(r.byte());
            }
            _ => out.push(9), // the browser restarts
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Seeds and their mutants

fn seeds(target: &str) -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else {
            continue;
        };
        files.extend(
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != ".gitkeep")),
        );
    }
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect()
}

/// A seed with a few byte-level edits, as libFuzzer's simplest mutators make them: bit flips,
/// random bytes, an inserted or deleted byte, a truncation.
fn mutate(r: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut m = seed.to_vec();
    for _ in 0..1 + r.below(8) {
        if m.is_empty() {
            m.push(r.byte());
            continue;
        }
        let at = r.below(m.len());
        match r.below(6) {
            0 | 1 => m[at] ^= 1 << r.below(8),
            2 => m[at] = r.byte(),
            3 => m.insert(at, r.byte()),
            4 => {
                m.remove(at);
            }
            _ => m.truncate(at.max(1)),
        }
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The runner

/// Runs `check` on every input; on the first failure saves the input and fails with its index.
fn run(target: &str, inputs: impl Iterator<Item = Vec<u8>>, check: fn(&[u8])) -> usize {
    let mut n = 0;
    for (i, data) in inputs.enumerate() {
        n += 1;
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("fuzz-smoke");
            let file = dir.join(format!("{target}-{i}"));
            let saved = std::fs::create_dir_all(&dir)
                .and_then(|()| std::fs::write(&file, &data))
                .map_or_else(
                    |e| format!("not saved: {e}"),
                    |()| file.display().to_string(),
                );
            let hex: String = data.iter().map(|b| format!("{b:02x}")).collect();
            panic!("{target}: smoke input {i} fails its checks ({saved}): {hex}");
        }
    }
    n
}

/// Raw random inputs for `parse`.
const PARSE_RAW: usize = 1_500;
/// Structured `Set-Cookie` lines for `parse`.
const PARSE_STRUCTURED: usize = 2_500;
/// Mutants of each `parse` seed.
const PARSE_MUTANTS_PER_SEED: usize = 60;

#[test]
fn parse_smoke() {
    let mut r = Rng::new(SEED);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for _ in 0..PARSE_RAW {
        inputs.push(r.bytes(96));
    }
    for _ in 0..PARSE_STRUCTURED {
        inputs.push(set_cookie_line(&mut r));
    }
    for seed in seeds("parse") {
        for _ in 0..PARSE_MUTANTS_PER_SEED {
            inputs.push(mutate(&mut r, &seed));
        }
    }
    let n = run("parse", inputs.into_iter(), checks::check_parse);
    assert!(n >= PARSE_RAW + PARSE_STRUCTURED);
}

/// Inputs of raw random bytes for `jar_ops` (after the policy byte).
const OPS_RAW: usize = 600;
/// Inputs of structured operations for `jar_ops`.
const OPS_STRUCTURED: usize = 1_800;
/// Mutants of each `jar_ops` seed.
const OPS_MUTANTS_PER_SEED: usize = 12;

/// The policy byte for the `i`th input: cycles through the six policies `ops_policy` decodes
/// (`b % 3` the profile, `(b / 3) % 2` small limits), the rest of the byte random.
fn policy_byte(r: &mut Rng, i: usize) -> u8 {
    u8::try_from(i % 6 + 6 * r.below(42)).unwrap_or(0)
}

#[test]
fn jar_ops_smoke() {
    let mut r = Rng::new(SEED ^ 0x0a);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for i in 0..OPS_RAW {
        let mut data = vec![policy_byte(&mut r, i)];
        data.extend(r.bytes(200));
        inputs.push(data);
    }
    for i in 0..OPS_STRUCTURED {
        let mut data = vec![policy_byte(&mut r, i)];
        data.extend(structured_ops(&mut r));
        inputs.push(data);
    }
    // Each seed's mutants, and the seed's operations under each of the six policies.
    for seed in seeds("jar_ops") {
        for i in 0..OPS_MUTANTS_PER_SEED {
            let mut m = mutate(&mut r, &seed);
            if i < 6 && !m.is_empty() {
                m[0] = policy_byte(&mut r, i);
            }
            inputs.push(m);
        }
    }
    let mut share = [0usize; 6];
    for d in &inputs {
        if let Some(&b) = d.first() {
            share[usize::from(b % 3) + 3 * usize::from((b / 3) % 2)] += 1;
        }
    }
    let least = (OPS_RAW + OPS_STRUCTURED) / 6;
    assert!(
        share.iter().all(|&n| n >= least),
        "a policy got less than its share: {share:?}"
    );
    let n = run("jar_ops", inputs.into_iter(), checks::check_jar_ops);
    assert!(n >= OPS_RAW + OPS_STRUCTURED);
}

// ---------------------------------------------------------------------------------------------
// netscape (with the `netscape` feature)

#[cfg(feature = "netscape")]
#[path = "fuzz_support/netscape.rs"]
mod netscape;

/// A cookies.txt line from fragments: each field a real-looking value or an odd one.
#[cfg(feature = "netscape")]
fn netscape_line(r: &mut Rng) -> Vec<u8> {
    const DOMAINS: &[&str] = &[
        "example.com",
        ".example.com",
        "WWW.Example.COM",
        "#HttpOnly_.example.com",
        "127.0.0.1",
        "b\u{fc}cher.de",
        "co.uk",
        "",
        "Set-Cookie: a=1; Domain=example.com",
    ];
    const FLAGS: &[&str] = &["TRUE", "FALSE", "true", "x", ""];
    const PATHS: &[&str] = &["/", "/a", "", "rel", "/a\tb", "TRUE"];
    const EXPIRIES: &[&str] = &[
        "0",
        "-1",
        "",
        "1800003600",
        "1800000000.5",
        "9999999999999",
        "x",
    ];
    let mut fields: Vec<&str> = vec![
        r.pick(DOMAINS),
        r.pick(FLAGS),
        r.pick(PATHS),
        r.pick(FLAGS),
        r.pick(EXPIRIES),
        r.pick(NAMES),
        r.pick(VALUES),
    ];
    if r.chance(5) {
        fields.remove(r.below(fields.len()));
    }
    let mut line = fields.join("\t").into_bytes();
    line.extend_from_slice(if r.chance(3) { b"\r\n" } else { b"\n" });
    line
}

/// Raw random files, files of structured lines, mutants of each seed.
#[cfg(feature = "netscape")]
#[test]
fn netscape_smoke() {
    const RAW: usize = 500;
    const STRUCTURED: usize = 1_000;
    const MUTANTS_PER_SEED: usize = 200;
    let mut r = Rng::new(SEED ^ 0x75);
    let mut inputs: Vec<Vec<u8>> = Vec::new();
    for _ in 0..RAW {
        inputs.push(r.bytes(200));
    }
    for _ in 0..STRUCTURED {
        let mut file = Vec::new();
        for _ in 0..1 + r.below(8) {
            file.extend(netscape_line(&mut r));
        }
        inputs.push(file);
    }
    for seed in seeds("netscape") {
        for _ in 0..MUTANTS_PER_SEED {
            inputs.push(mutate(&mut r, &seed));
        }
    }
    let n = run("netscape", inputs.into_iter(), netscape::check_netscape);
    assert!(n >= RAW + STRUCTURED);
}

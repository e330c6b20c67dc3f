//! Test-only: the three cookie-date parsers against the pre-refactor copy in `legacy`, over
//! pseudo-random bytes and over strings built from date-like pieces.

use super::legacy;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).unwrap_or(0)
    }
    fn pick<'a>(&mut self, xs: &[&'a [u8]]) -> &'a [u8] {
        xs.get(self.below(xs.len())).copied().unwrap_or(b"")
    }
}

const WORDS: &[&[u8]] = &[
    b"Wed",
    b"Wednesday",
    b"Jun",
    b"JUNE",
    b"junk",
    b"jan",
    b"Feb",
    b"mar",
    b"Apr",
    b"may",
    b"jul",
    b"aug",
    b"Sep",
    b"oct",
    b"Nov",
    b"dec",
    b"foo",
    b"GMT",
    b"UTC",
    b"UT",
    b"UTX",
    b"PST",
    b"pdt",
    b"MST",
    b"cdt",
    b"EST",
    b"edt",
    b"ast",
    b"NST",
    b"BST",
    b"MET",
    b"EET",
    b"JST",
    b"am",
    b"PM",
    b"pm",
    b"T",
    b"Z",
    b"",
    b"\xa0",
    b"\xff",
    b"\x00",
];

const SEPS: &[&[u8]] = &[
    b" ", b"  ", b",", b", ", b"-", b"/", b":", b"\t", b";", b"+", b".", b"(", b")", b"[", b"]",
    b"\"", b"=", b"@", b"_", b"{", b"~", b"", b"--", b"+-",
];

fn number(rng: &mut Rng, out: &mut Vec<u8>) {
    let len = match rng.below(10) {
        0 => 0,
        1..=3 => 1,
        4..=6 => 2,
        7 => 4,
        8 => 3 + rng.below(4),
        _ => 5 + rng.below(20),
    };
    for _ in 0..len {
        out.push(b'0' + u8::try_from(rng.below(10)).unwrap_or(0));
    }
}

/// A real-looking date (day name, day, month, year, time, zone) with pieces dropped, swapped
/// or mangled.
fn date_like(rng: &mut Rng) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    parts.push(
        rng.pick(&[b"Wed", b"Thu", b"Sunday", b"", b"junk"])
            .to_vec(),
    );
    let mut day = Vec::new();
    if rng.below(6) == 0 {
        number(rng, &mut day);
    } else {
        day.extend_from_slice(format!("{}", 1 + rng.below(32)).as_bytes());
    }
    parts.push(day);
    parts.push(rng.pick(WORDS.get(..16).unwrap_or(WORDS)).to_vec());
    let mut year = Vec::new();
    match rng.below(4) {
        0 => number(rng, &mut year),
        1 => year.extend_from_slice(format!("{:02}", rng.below(100)).as_bytes()),
        _ => year.extend_from_slice(format!("{}", 1590 + rng.below(600)).as_bytes()),
    }
    parts.push(year);
    let mut time = format!("{}:{}", rng.below(26), rng.below(62)).into_bytes();
    if rng.below(4) != 0 {
        time.extend_from_slice(format!(":{}", rng.below(62)).as_bytes());
    }
    parts.push(time);
    parts.push(rng.pick(WORDS.get(16..).unwrap_or(WORDS)).to_vec());
    for _ in 0..rng.below(3) {
        let (i, j) = (rng.below(parts.len()), rng.below(parts.len()));
        parts.swap(i, j);
    }
    let mut out = Vec::new();
    for p in parts {
        if rng.below(10) != 0 {
            out.extend_from_slice(&p);
        }
        out.extend_from_slice(if rng.below(3) == 0 {
            rng.pick(SEPS)
        } else {
            b" "
        });
    }
    out
}

fn structured(rng: &mut Rng) -> Vec<u8> {
    if rng.below(2) == 0 {
        return date_like(rng);
    }
    let mut out = Vec::new();
    for _ in 0..rng.below(10) {
        match rng.below(8) {
            0 | 1 => out.extend_from_slice(rng.pick(WORDS)),
            2 | 3 => number(rng, &mut out),
            4 => {
                // A time, maybe with missing or extra fields.
                number(rng, &mut out);
                for _ in 0..rng.below(4) {
                    out.push(b':');
                    number(rng, &mut out);
                }
            }
            5 => {
                // A numeric date.
                number(rng, &mut out);
                for _ in 0..rng.below(3) {
                    out.push(if rng.below(2) == 0 { b'/' } else { b'-' });
                    number(rng, &mut out);
                }
            }
            6 => {
                out.push(if rng.below(2) == 0 { b'+' } else { b'-' });
                number(rng, &mut out);
            }
            _ => out.push(u8::try_from(rng.below(256)).unwrap_or(0)),
        }
        out.extend_from_slice(rng.pick(SEPS));
    }
    out
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    const ALPHABET: &[u8] = b"0123456789:/-+ ,;.\tajunfebmarpsgtJUNGMTp\x00\xa0";
    let len = rng.below(40);
    (0..len)
        .map(|_| {
            if rng.below(8) == 0 {
                u8::try_from(rng.below(256)).unwrap_or(0)
            } else {
                ALPHABET
                    .get(rng.below(ALPHABET.len()))
                    .copied()
                    .unwrap_or(0)
            }
        })
        .collect()
}

fn check(input: &[u8]) {
    let show = || String::from_utf8_lossy(input).into_owned();
    assert_eq!(
        super::parse_cookie_date(input),
        legacy::parse_cookie_date(input),
        "6265bis {:?}",
        show()
    );
    assert_eq!(
        super::parse_cookie_date_chromium(input),
        legacy::parse_cookie_date_chromium(input),
        "chromium {:?}",
        show()
    );
    assert_eq!(
        super::parse_cookie_date_firefox(input),
        legacy::parse_cookie_date_firefox(input),
        "firefox {:?}",
        show()
    );
}

#[test]
fn new_parsers_match_legacy() {
    const N: usize = 200_000;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut parsed = [0usize; 3];
    for _ in 0..N {
        let s = structured(&mut rng);
        parsed[0] += usize::from(legacy::parse_cookie_date(&s).is_some());
        parsed[1] += usize::from(legacy::parse_cookie_date_chromium(&s).is_some());
        parsed[2] += usize::from(legacy::parse_cookie_date_firefox(&s).is_some());
        check(&s);
        check(&random_bytes(&mut rng));
    }
    // Every single byte, and every byte in a few positions of a real date.
    for b in 0..=255u8 {
        check(&[b]);
        for i in 0..29 {
            let mut s = b"Wed, 09 Jun 2027 10:18:14 GMT".to_vec();
            if let Some(slot) = s.get_mut(i) {
                *slot = b;
            }
            check(&s);
        }
    }
    // The structured inputs must reach the date-building code, not only the failures.
    assert!(
        parsed.iter().all(|&n| n > N / 20),
        "structured inputs parsed (6265bis, Chromium, NSPR): {parsed:?}"
    );
    eprintln!(
        "differential: {} inputs x 3 parsers; structured ones parsed (6265bis, Chromium, NSPR): \
         {parsed:?}",
        2 * N + 256 * 30
    );
}

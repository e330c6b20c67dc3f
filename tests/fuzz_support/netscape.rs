//! The check of the `netscape` fuzz target (`fuzz/fuzz_targets/netscape.rs`), shared with the
//! corpus replay (`tests/fuzz_corpus.rs`) and the smoke (`tests/fuzz_smoke.rs`), both with the
//! `netscape` feature.
//!
//! Arbitrary bytes as a cookies.txt file: [`netscape::read`] never panics; every line number it
//! gives is a line of the input, in order; every cookie it reads passes the canonical gate again
//! unchanged, was read without a creation time and expires within 400 days; importing into a jar
//! never panics and accounts for every record; and [`netscape::write`] of the resulting jar, read
//! again, gives back the same cookies (name, value, domain, host-only, path, Secure, HttpOnly,
//! expiry to the second), in the file's order, with no refusal and no warning, while every
//! cookie the writer refuses has what it is refused for.

use cookiejar::persist::{netscape, oldest_first, Location, WriteRefusal};
use cookiejar::{CookieJar, Timestamp};

pub fn check_netscape(data: &[u8]) {
    let now = Timestamp::from_unix_seconds(1_800_000_000);
    let cap = now.plus_seconds(400 * 24 * 3600);
    let records = netscape::read(data, now);
    let lines = data.split(|&b| b == b'\n').count();
    let line = |l: Location| match l {
        Location::Line(n) => {
            assert!((1..=lines).contains(&n), "line {n} of {lines}");
            n
        }
        other => panic!("a cookies.txt location is a line: {other:?}"),
    };
    let mut last = 0;
    for r in &records.records {
        let n = line(r.location);
        assert!(n > last, "records in line order");
        last = n;
        assert!(!r.creation_known);
        let again = r
            .cookie
            .to_builder()
            .build()
            .expect("a record passes the gate again");
        assert_eq!(again, r.cookie);
        assert!(r.cookie.expires().is_none_or(|e| e <= cap), "expiry capped");
    }
    for r in &records.refused {
        line(r.location);
    }
    for (l, _) in &records.warnings {
        line(*l);
    }

    let mut jar = CookieJar::new();
    let report = jar.import(records.clone(), now);
    assert_eq!(
        report.imported + report.expired + report.refused.len(),
        records.records.len() + records.refused.len(),
        "every record accounted for"
    );

    let written = netscape::write(jar.iter(), now);
    for (id, why) in &written.refused {
        let c = jar.get(id).expect("a refused cookie is in the jar");
        match why {
            WriteRefusal::ForbiddenByte(b) => assert!(
                [c.name(), c.value(), c.path().as_bytes()]
                    .iter()
                    .any(|f| f.contains(b)),
                "refused for a byte it does not hold"
            ),
            WriteRefusal::Unrepresentable("an empty name") => assert!(c.name().is_empty()),
            WriteRefusal::Unrepresentable("a partition key") => {
                assert!(c.partition_key().is_some())
            }
            other => panic!("unexpected refusal {other:?}"),
        }
    }
    let kept: Vec<_> = oldest_first(jar.iter())
        .into_iter()
        .filter(|c| !written.refused.iter().any(|(id, _)| c.has_id(id)))
        .collect();
    let back = netscape::read(&written.bytes, now);
    assert!(
        back.refused.is_empty(),
        "what we write reads: {:?}",
        back.refused
    );
    assert!(
        back.warnings.is_empty(),
        "what we write reads cleanly: {:?}",
        back.warnings
    );
    assert_eq!(back.records.len(), kept.len());
    for (c, r) in kept.iter().zip(&back.records) {
        let g = &r.cookie;
        assert_eq!(
            (g.name(), g.value(), g.domain(), g.host_only(), g.path()),
            (c.name(), c.value(), c.domain(), c.host_only(), c.path())
        );
        assert_eq!((g.secure(), g.http_only()), (c.secure(), c.http_only()));
        let to_the_second = c
            .expires()
            .map(|e| Timestamp::from_unix_seconds(e.unix_seconds().max(1)));
        assert_eq!(g.expires(), to_the_second);
    }
    let mut copy = CookieJar::new();
    let report = copy.import(back, now);
    assert_eq!(report.imported, kept.len(), "{:?}", report.refused);
}

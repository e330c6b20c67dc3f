//! jar → Playwright → jar and jar → CDP → jar: the reloaded jar sends the same `Cookie`
//! headers, and what each format cannot carry is lost in the way its module says (asserted
//! here). Also replays the `formats` fuzz seeds (`fuzz/corpus/formats/`).

#[path = "fuzz_support/formats.rs"]
mod formats;

use cookiejar::persist::{cdp, playwright, WriteRefusal};
use cookiejar::{Cookie, CookieJar, Priority, RequestContext, SameSite, Timestamp, Url};

const T0: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

/// A jar with a cookie of each kind, set one second apart; and the one cookie no string format
/// can hold (a value that is not UTF-8).
fn jar() -> (CookieJar, Cookie) {
    let mut jar = CookieJar::new();
    let www = url("https://www.example.com/");
    let app = url("http://app.example.com/sub/page");
    let widget = url("https://widget.example/frame");
    let top = url("https://top.example/");
    let lines: [(&str, RequestContext<'_>); 6] = [
        (
            "sid=1; Secure; HttpOnly; SameSite=Strict; Max-Age=3600",
            RequestContext::navigation(&www),
        ),
        (
            "lang=en; Domain=example.com; Path=/; Priority=High; Max-Age=86400",
            RequestContext::navigation(&www),
        ),
        ("pref=dark", RequestContext::navigation(&app)),
        ("u=1; Path=/", RequestContext::navigation(&www)),
        (
            "n=1; Secure; SameSite=None; Priority=Low",
            RequestContext::navigation(&www),
        ),
        (
            "chips=1; Secure; Partitioned; SameSite=None; Path=/",
            RequestContext::subresource(&widget, &top),
        ),
    ];
    for (i, (line, ctx)) in lines.iter().enumerate() {
        jar.set_cookie(line, ctx, T0.plus_seconds(i as i64))
            .unwrap();
    }
    let binary = Cookie::builder("bin", &b"\xff\xfe"[..], "www.example.com")
        .creation(T0.plus_seconds(10))
        .build()
        .unwrap();
    jar.insert(binary.clone(), T0.plus_seconds(10)).unwrap();
    (jar, binary)
}

/// The headers a jar sends for a set of requests.
fn headers(jar: &CookieJar, now: Timestamp) -> Vec<Option<String>> {
    let www = url("https://www.example.com/");
    let deep = url("https://www.example.com/sub/x");
    let app = url("http://app.example.com/sub/page");
    let other = url("https://other.example.com/");
    let widget = url("https://widget.example/frame");
    let top = url("https://top.example/");
    let evil = url("https://evil.example/");
    let mut out = Vec::new();
    for u in [&www, &deep, &app, &other, &widget] {
        out.push(jar.cookie_header(&RequestContext::navigation(u), now));
    }
    out.push(jar.cookie_header(&RequestContext::subresource(&widget, &top), now));
    out.push(jar.cookie_header(&RequestContext::subresource(&www, &evil), now));
    out.push(jar.cookie_header(&RequestContext::navigation_from(&www, &evil), now));
    out
}

fn find<'a>(jar: &'a CookieJar, name: &str) -> &'a Cookie {
    jar.iter().find(|c| c.name() == name.as_bytes()).unwrap()
}

#[test]
fn jar_to_playwright_to_jar() {
    let (jar, binary) = jar();
    let now = T0.plus_seconds(20);
    let written = playwright::write(jar.iter(), now, None).unwrap();
    // Lost: a value that is not UTF-8.
    assert_eq!(written.refused, vec![(binary.id(), WriteRefusal::NotUtf8)]);
    let records = playwright::read(&written.bytes, now).unwrap();
    assert!(records.refused.is_empty() && records.warnings.is_empty());
    // Lost: creation times (the importing jar gives new ones, in file order).
    assert!(records.records.iter().all(|r| !r.creation_known));
    let mut copy = CookieJar::new();
    let report = copy.import(records, now);
    assert_eq!((report.imported, report.refused.len()), (6, 0));
    assert_eq!(headers(&copy, now), headers_without_binary(&jar, now));
    // Lost: Priority (reads back Medium).
    assert_eq!(find(&jar, "lang").priority(), Priority::High);
    assert_eq!(find(&copy, "lang").priority(), Priority::Medium);
    assert_eq!(find(&copy, "n").priority(), Priority::Medium);
    // Lost: an unspecified SameSite, written as Playwright reports it in Chromium, "Lax".
    assert_eq!(find(&jar, "u").same_site(), SameSite::Unspecified);
    assert_eq!(find(&copy, "u").same_site(), SameSite::Lax);
    // Lost: creation times themselves; kept: their order.
    assert_ne!(find(&copy, "sid").creation(), find(&jar, "sid").creation());
    assert!(find(&copy, "sid").creation() < find(&copy, "lang").creation());
    // Kept: the rest.
    for name in ["sid", "lang", "pref", "n", "chips"] {
        let (a, b) = (find(&jar, name), find(&copy, name));
        assert_eq!(
            (
                a.domain(),
                a.host_only(),
                a.path(),
                a.expires(),
                a.secure(),
                a.http_only()
            ),
            (
                b.domain(),
                b.host_only(),
                b.path(),
                b.expires(),
                b.secure(),
                b.http_only()
            ),
            "{name}"
        );
        assert_eq!(
            (a.partition_key(), a.partitioned_attribute()),
            (b.partition_key(), b.partitioned_attribute())
        );
    }
}

#[test]
fn jar_to_cdp_to_jar() {
    let (jar, binary) = jar();
    let now = T0.plus_seconds(20);
    let written = cdp::write(jar.iter(), now);
    assert_eq!(written.refused, vec![(binary.id(), WriteRefusal::NotUtf8)]);
    let records = cdp::read(&written.bytes, now).unwrap();
    assert!(records.refused.is_empty() && records.warnings.is_empty());
    assert!(records.records.iter().all(|r| !r.creation_known));
    let mut copy = CookieJar::new();
    let report = copy.import(records, now);
    assert_eq!((report.imported, report.refused.len()), (6, 0));
    assert_eq!(headers(&copy, now), headers_without_binary(&jar, now));
    // Kept by CDP, unlike Playwright: Priority and an unspecified SameSite.
    assert_eq!(find(&copy, "lang").priority(), Priority::High);
    assert_eq!(find(&copy, "n").priority(), Priority::Low);
    assert_eq!(find(&copy, "u").same_site(), SameSite::Unspecified);
    for name in ["sid", "lang", "pref", "u", "n", "chips"] {
        let (a, b) = (find(&jar, name), find(&copy, name));
        assert_eq!(
            (
                a.domain(),
                a.host_only(),
                a.path(),
                a.expires(),
                a.same_site(),
                a.priority()
            ),
            (
                b.domain(),
                b.host_only(),
                b.path(),
                b.expires(),
                b.same_site(),
                b.priority()
            ),
            "{name}"
        );
        assert_eq!(
            (a.partition_key(), a.partitioned_attribute()),
            (b.partition_key(), b.partitioned_attribute())
        );
        // Lost: creation and last access.
        assert_ne!(a.creation(), b.creation());
    }
    // The written file is stable: the copy writes the same bytes.
    assert_eq!(cdp::write(copy.iter(), now).bytes, written.bytes);
}

/// The headers of `jar` less the cookie no format can carry (a copy without it, inserted in
/// creation order).
fn headers_without_binary(jar: &CookieJar, now: Timestamp) -> Vec<Option<String>> {
    let mut copy = CookieJar::new();
    let mut cookies: Vec<Cookie> = jar.iter().filter(|c| c.name() != b"bin").cloned().collect();
    cookies.sort_by_key(|c| c.creation());
    for c in cookies {
        copy.insert(c, now).unwrap();
    }
    headers(&copy, now)
}

#[test]
fn headers_see_the_cookies() {
    // The header comparison above is not vacuous: these requests do get cookies.
    let (jar, _) = jar();
    let h = headers(&jar, T0.plus_seconds(20));
    assert!(h[0]
        .as_deref()
        .is_some_and(|s| s.contains("sid=1") && s.contains("bin=")));
    assert_eq!(h[2].as_deref(), Some("pref=dark; lang=en"));
    assert_eq!(h[5].as_deref(), Some("chips=1"));
}

#[test]
fn formats_fuzz_seeds() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/formats");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        formats::check_formats(&data);
        // Every seed is a file its reader reads, with at least one cookie.
        let (pick, input) = data.split_first().unwrap();
        let now = formats::NOW;
        let read = match pick % 6 {
            0 => cookiejar::persist::json::read(input),
            1 => playwright::read(input, now),
            2 => cdp::read(input, now),
            3 => cookiejar::persist::extension::read(input, now),
            4 => cookiejar::persist::tough_cookie::read(input, now),
            _ => cookiejar::persist::cookie_store::read(input, now),
        };
        let records = read.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            !records.records.is_empty() && records.refused.is_empty(),
            "{}: {records:?}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 6);
}

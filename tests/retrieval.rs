//! Retrieval (6265bis 5.8.3): path- and domain-matching, explain() reasons, header forms, and
//! the last-access throttle.

mod common;

use common::*;
use cookiejar::{Exclusion, RequestContext};

#[test]
fn path_match_rules() {
    let mut jar = standard();
    set_ok(&mut jar, "https://p.example/", "a=1; Path=/foo");
    set_ok(&mut jar, "https://p.example/", "b=1; Path=/foo/");
    for (path, want) in [
        ("/foo", "a=1"),
        ("/foo/", "b=1; a=1"),
        ("/foo/bar", "b=1; a=1"),
        ("/foobar", ""),
        ("/Foo", ""),
        ("/", ""),
        ("/fo", ""),
    ] {
        assert_eq!(
            get(&jar, &format!("https://p.example{path}")),
            want,
            "{path}"
        );
    }
}

#[test]
fn query_fragment_and_port_do_not_matter() {
    let mut jar = standard();
    set_ok(&mut jar, "https://p.example:8443/x/y?q=1", "a=1");
    // default-path of /x/y is /x.
    assert_eq!(only(&jar, "a").path(), "/x");
    assert_eq!(get(&jar, "https://p.example/x/z?other#frag"), "a=1");
    assert_eq!(get(&jar, "https://p.example:9999/x"), "a=1");
    assert_eq!(get(&jar, "https://p.example/y"), "");
}

#[test]
fn request_paths_are_canonicalized_but_cookie_paths_are_raw() {
    // chromium/path/0018, 0022, 0032, 0060.
    let mut jar = chromium();
    set_ok(&mut jar, "https://p.example/", "a=1; Path=/a");
    set_ok(&mut jar, "https://p.example/", "e=1; Path=/é");
    set_ok(&mut jar, "https://p.example/", "t=1; Path=/%7Ea");
    assert_eq!(get(&jar, "https://p.example/x/../a/b"), "a=1");
    assert_eq!(get(&jar, "https://p.example/é"), "");
    assert_eq!(get(&jar, "https://p.example/~a"), "");
    assert_eq!(get(&jar, "https://p.example/%7Ea"), "t=1");
}

#[test]
fn relative_or_empty_path_attribute_uses_the_default_path() {
    let mut jar = standard();
    set_ok(&mut jar, "https://p.example/dir/page", "a=1; Path=relative");
    set_ok(&mut jar, "https://p.example/dir/page", "b=1; Path=");
    set_ok(&mut jar, "https://p.example/page", "c=1");
    assert_eq!(only(&jar, "a").path(), "/dir");
    assert_eq!(only(&jar, "b").path(), "/dir");
    assert_eq!(only(&jar, "c").path(), "/");
}

#[test]
fn explain_gives_each_exclusion() {
    let mut jar = standard();
    let origin = "https://www.ex.example/";
    set_ok(&mut jar, origin, "ok=1; Domain=ex.example");
    set_ok(&mut jar, origin, "sec=1; Secure; Domain=ex.example");
    set_ok(&mut jar, origin, "ho=1; HttpOnly; Domain=ex.example");
    set_ok(&mut jar, origin, "path=1; Path=/private; Domain=ex.example");
    set_ok(&mut jar, origin, "exp=1; Max-Age=10; Domain=ex.example");
    set_ok(&mut jar, origin, "host=1");
    set_ok(
        &mut jar,
        origin,
        "strict=1; SameSite=Strict; Domain=ex.example",
    );
    set_ok(&mut jar, origin, "lax=1; SameSite=Lax; Domain=ex.example");
    set_ok(&mut jar, origin, "unspec=1; Domain=ex.example");
    set_ok(
        &mut jar,
        origin,
        "none=1; SameSite=None; Secure; Domain=ex.example",
    );

    // A script on an http page of another host of the site, later.
    let ex = explain(&jar, "http://api.ex.example/", Ctx::Script, at(60));
    assert_eq!(ex.len(), 10, "every cookie of the site is a candidate");
    assert_eq!(verdict(&ex, "ok"), Ok(()));
    assert_eq!(verdict(&ex, "sec"), Err(Exclusion::NotSecure));
    assert_eq!(verdict(&ex, "ho"), Err(Exclusion::HttpOnly));
    assert_eq!(verdict(&ex, "path"), Err(Exclusion::PathMismatch));
    assert_eq!(verdict(&ex, "exp"), Err(Exclusion::Expired));
    assert_eq!(verdict(&ex, "host"), Err(Exclusion::DomainMismatch));
    // Same-site script: SameSite cookies are fine.
    assert_eq!(verdict(&ex, "strict"), Ok(()));
    assert_eq!(verdict(&ex, "lax"), Ok(()));
    assert_eq!(verdict(&ex, "none"), Err(Exclusion::NotSecure));

    // A cross-site subresource.
    let ex = explain(
        &jar,
        "https://www.ex.example/",
        Ctx::Sub("https://other.example/"),
        now(),
    );
    assert_eq!(verdict(&ex, "strict"), Err(Exclusion::SameSiteStrict));
    assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    assert_eq!(
        verdict(&ex, "unspec"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
    assert_eq!(
        verdict(&ex, "host"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
    assert_eq!(verdict(&ex, "none"), Ok(()));
}

#[test]
fn explain_agrees_with_the_header() {
    let mut jar = standard();
    let origin = "https://www.ex.example/a/";
    for line in [
        "a=1; Path=/a",
        "b=1; Secure",
        "c=1; HttpOnly; Path=/",
        "d=1; SameSite=Strict; Domain=ex.example",
        "e=1; Path=/zzz",
    ] {
        set_ok(&mut jar, origin, line);
    }
    for (url, ctx) in [
        ("https://www.ex.example/a/b", Ctx::Nav),
        ("http://www.ex.example/a/b", Ctx::Script),
        (
            "https://www.ex.example/",
            Ctx::Sub("https://other.example/"),
        ),
        (
            "https://m.ex.example/a",
            Ctx::NavFrom("https://other.example/"),
        ),
    ] {
        let ex = explain(&jar, url, ctx, now());
        let sent: Vec<String> = ex
            .iter()
            .filter(|e| e.verdict.is_ok())
            .map(|e| format!("{}={}", e.cookie.name_str(), e.cookie.value_str()))
            .collect();
        assert_eq!(
            sent.join("; "),
            get_in(&jar, url, ctx, now()),
            "{url} {ctx:?}"
        );
    }
}

#[test]
fn explain_of_another_site_is_empty() {
    let mut jar = standard();
    set_ok(&mut jar, "https://a.example/", "a=1");
    assert!(explain(&jar, "https://b.example/", Ctx::Nav, now()).is_empty());
}

#[test]
fn write_cookie_header_appends_and_counts() {
    let mut jar = standard();
    set_ok(&mut jar, "https://w.example/", "a=1");
    set_ok(&mut jar, "https://w.example/", "bare");
    let url = u("https://w.example/");
    let ctx = RequestContext::navigation(&url);
    let mut out = b"Cookie: ".to_vec();
    assert_eq!(jar.write_cookie_header(&ctx, now(), &mut out), 2);
    assert_eq!(out, b"Cookie: a=1; bare");
    let other = u("https://none.example/");
    let mut out2 = Vec::new();
    assert_eq!(
        jar.write_cookie_header(&RequestContext::navigation(&other), now(), &mut out2),
        0
    );
    assert!(out2.is_empty());
    assert_eq!(
        jar.cookie_header(&RequestContext::navigation(&other), now()),
        None
    );
    assert_eq!(
        jar.cookie_header_bytes(&ctx, now()).as_deref(),
        Some(&b"a=1; bare"[..])
    );
}

#[test]
fn last_access_updates_at_most_once_a_minute() {
    // Chromium kLastAccessThreshold (60 s); 6265bis 5.8.3 step 3.
    let mut jar = standard();
    set_ok(&mut jar, "https://la.example/", "a=1");
    let la = |jar: &cookiejar::CookieJar| only(jar, "a").last_access();
    assert_eq!(la(&jar), now());
    get_at(&jar, "https://la.example/", at(30));
    assert_eq!(la(&jar), now());
    get_at(&jar, "https://la.example/", at(59));
    assert_eq!(la(&jar), now());
    get_at(&jar, "https://la.example/", at(60));
    assert_eq!(la(&jar), at(60));
    get_at(&jar, "https://la.example/", at(100));
    assert_eq!(la(&jar), at(60));
    get_at(&jar, "https://la.example/", at(121));
    assert_eq!(la(&jar), at(121));
    // Creation does not move with access.
    assert_eq!(only(&jar, "a").creation(), now());
}

#[test]
fn only_sent_cookies_have_their_last_access_updated() {
    let mut jar = standard();
    set_ok(&mut jar, "https://la.example/", "sent=1; Path=/");
    set_ok(&mut jar, "https://la.example/", "unsent=1; Path=/elsewhere");
    get_at(&jar, "https://la.example/", at(600));
    assert_eq!(only(&jar, "sent").last_access(), at(600));
    assert_eq!(only(&jar, "unsent").last_access(), now());
}

#[test]
fn a_script_read_also_counts_as_access() {
    let mut jar = standard();
    set_ok(&mut jar, "https://la.example/", "a=1");
    get_in(&jar, "https://la.example/", Ctx::Script, at(600));
    assert_eq!(only(&jar, "a").last_access(), at(600));
}

#[test]
fn an_overwrite_refreshes_last_access() {
    let mut jar = standard();
    set_ok(&mut jar, "https://la.example/", "a=1");
    set_ok_at(&mut jar, "https://la.example/", "a=1", at(10));
    let a = only(&jar, "a");
    assert_eq!(a.last_access(), at(10));
    assert_eq!(a.creation(), now());
}

#[test]
fn lookups_only_see_the_requests_site() {
    let mut jar = standard();
    for i in 0..50 {
        set_ok(
            &mut jar,
            &format!("https://site{i}.example/"),
            &format!("s{i}=1"),
        );
    }
    assert_eq!(jar.len(), 50);
    assert_eq!(get(&jar, "https://site7.example/"), "s7=1");
    assert_eq!(
        explain(&jar, "https://site7.example/", Ctx::Nav, now()).len(),
        1
    );
}

#[test]
fn iter_yields_each_site_in_header_order() {
    let mut jar = standard();
    set_ok(&mut jar, "https://it.example/", "short=1; Path=/");
    set_ok(&mut jar, "https://it.example/", "long=1; Path=/a/b");
    set_ok(&mut jar, "https://it.example/", "mid=1; Path=/a");
    let names: Vec<String> = jar.iter().map(|c| c.name_str().into_owned()).collect();
    assert_eq!(names, ["long", "mid", "short"]);
}

#[test]
fn domain_cookie_is_sent_to_the_domain_itself_and_below() {
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://a.b.dm.example/",
        "d=1; Domain=b.dm.example",
    );
    assert_eq!(get(&jar, "https://b.dm.example/"), "d=1");
    assert_eq!(get(&jar, "https://x.a.b.dm.example/"), "d=1");
    assert_eq!(get(&jar, "https://dm.example/"), "");
    assert_eq!(get(&jar, "https://c.dm.example/"), "");
    let ex = explain(&jar, "https://c.dm.example/", Ctx::Nav, now());
    assert_eq!(verdict(&ex, "d"), Err(Exclusion::DomainMismatch));
}

#[test]
fn uppercase_request_hosts_match() {
    let mut jar = standard();
    set_ok(&mut jar, "https://CASE.example/", "a=1");
    assert_eq!(only(&jar, "a").domain(), "case.example");
    assert_eq!(get(&jar, "https://Case.Example/"), "a=1");
}

//! Secure, HttpOnly and prefix rules through the public API: every rejection asserts its reason.

mod common;

use common::*;
use cookiejar::{Exclusion, Policy, Rejection, SetOutcome};

// ---------------------------------------------------------------------------------------------
// Secure (6265bis 5.7 step 14)

#[test]
fn secure_from_http_is_rejected() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "http://sec.example/", "a=1; Secure"),
        Err(Rejection::SecureFromInsecureUrl)
    );
    assert_eq!(
        script_set(&mut jar, "http://sec.example/", "a=1; Secure"),
        Err(Rejection::SecureFromInsecureUrl)
    );
    assert_eq!(
        set(&mut jar, "ws://sec.example/", "a=1; Secure"),
        Err(Rejection::SecureFromInsecureUrl)
    );
    assert!(jar.is_empty());
}

#[test]
fn secure_cookies_are_not_sent_over_http() {
    let mut jar = standard();
    set_ok(&mut jar, "https://sec.example/", "s=1; Secure");
    set_ok(&mut jar, "https://sec.example/", "p=1");
    assert_eq!(get(&jar, "https://sec.example/"), "s=1; p=1");
    // A non-Secure cookie set over https is sent over http (no scheme binding).
    assert_eq!(get(&jar, "http://sec.example/"), "p=1");
    let ex = explain(&jar, "http://sec.example/", Ctx::Nav, now());
    assert_eq!(verdict(&ex, "s"), Err(Exclusion::NotSecure));
    assert_eq!(verdict(&ex, "p"), Ok(()));
}

#[test]
fn loopback_http_origins_are_trusted_for_secure_cookies() {
    // chromium/secure/0310 (localhost), 0312 (127.0.0.1), 0316 (www.localhost), 0318 ([::1]),
    // 0322 (127.1.2.3).
    for host in [
        "localhost",
        "localhost:8080",
        "www.localhost",
        "127.0.0.1",
        "127.1.2.3",
        "[::1]",
    ] {
        let mut jar = chromium();
        let url = format!("http://{host}/");
        assert_eq!(
            set(&mut jar, &url, "s=1; Secure"),
            Ok(SetOutcome::Inserted),
            "{host}"
        );
        assert_eq!(get(&jar, &url), "s=1", "{host}");
        assert_eq!(script_get(&jar, &url), "s=1", "{host}");
    }
}

#[test]
fn lookalikes_of_loopback_are_not_trusted() {
    let mut jar = standard();
    for url in [
        "http://localhost.example/",
        "http://128.0.0.1/",
        "http://[::2]/",
        "http://notlocalhost/",
    ] {
        assert_eq!(
            set(&mut jar, url, "s=1; Secure"),
            Err(Rejection::SecureFromInsecureUrl),
            "{url}"
        );
    }
}

#[test]
fn loopback_trust_can_be_switched_off() {
    let mut p = Policy::standard();
    p.trust_loopback = false;
    let mut jar = cookiejar::CookieJar::with_policy(p);
    assert_eq!(
        set(&mut jar, "http://localhost/", "s=1; Secure"),
        Err(Rejection::SecureFromInsecureUrl)
    );
}

// ---------------------------------------------------------------------------------------------
// Leave secure cookies alone (6265bis 5.7 step 16)

#[test]
fn http_cannot_overwrite_a_secure_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=secure; Secure");
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=plain"),
        Err(Rejection::OverwriteSecure)
    );
    assert_eq!(
        script_set(&mut jar, "http://lsca.example/", "a=plain"),
        Err(Rejection::OverwriteSecure)
    );
    assert_eq!(get(&jar, "https://lsca.example/"), "a=secure");
}

#[test]
fn http_cannot_delete_a_secure_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=secure; Secure");
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=; Max-Age=0"),
        Err(Rejection::OverwriteSecure)
    );
    assert_eq!(get(&jar, "https://lsca.example/"), "a=secure");
}

#[test]
fn a_secure_cookie_shadows_any_path_under_its_own() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=s; Secure; Path=/");
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=x; Path=/deep/er"),
        Err(Rejection::OverwriteSecure)
    );
}

#[test]
fn a_secure_cookie_at_foo_does_not_block_an_insecure_one_at_root() {
    // Chromium IsEquivalentForSecureCookieMatching: the new path must path-match the secure one.
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=s; Secure; Path=/foo");
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=x; Path=/"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=y; Path=/foo/bar"),
        Err(Rejection::OverwriteSecure)
    );
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "a=z; Path=/foobar"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(get(&jar, "https://lsca.example/foo"), "a=s; a=x");
}

#[test]
fn secure_shadowing_matches_domains_either_way() {
    let mut jar = standard();
    // Secure domain cookie blocks an insecure host cookie on a subdomain.
    set_ok(
        &mut jar,
        "https://www.lsca.example/",
        "a=s; Secure; Domain=lsca.example",
    );
    assert_eq!(
        set(&mut jar, "http://www.lsca.example/", "a=x"),
        Err(Rejection::OverwriteSecure)
    );
    // Secure host cookie on a subdomain blocks an insecure domain cookie of the parent.
    set_ok(&mut jar, "https://sub.lsca2.example/", "b=s; Secure");
    assert_eq!(
        set(
            &mut jar,
            "http://sub.lsca2.example/",
            "b=x; Domain=lsca2.example"
        ),
        Err(Rejection::OverwriteSecure)
    );
    // A sibling host is unrelated.
    assert_eq!(
        set(&mut jar, "http://other.lsca2.example/", "b=x"),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn secure_shadowing_needs_the_same_name() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=s; Secure");
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "A=x"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(&mut jar, "http://lsca.example/", "b=x"),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn https_may_overwrite_a_secure_cookie_with_an_insecure_one() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=s; Secure");
    assert_eq!(
        set(&mut jar, "https://lsca.example/", "a=x"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(get(&jar, "http://lsca.example/"), "a=x");
}

#[test]
fn trusted_loopback_may_overwrite_a_secure_cookie() {
    // chromium/secure/0310-0322.
    let mut jar = chromium();
    set_ok(&mut jar, "https://localhost/", "a=s; Secure");
    assert_eq!(
        set(&mut jar, "http://localhost/", "a=x"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(get(&jar, "http://localhost/"), "a=x");
}

#[test]
fn an_expired_secure_cookie_does_not_shadow() {
    let mut jar = standard();
    set_ok(&mut jar, "https://lsca.example/", "a=s; Secure; Max-Age=10");
    assert_eq!(
        set_at(&mut jar, "http://lsca.example/", "a=x", at(20)),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(get_at(&jar, "http://lsca.example/", at(21)), "a=x");
}

// ---------------------------------------------------------------------------------------------
// HttpOnly and scripts (6265bis 5.7 steps 13 and 22.2, 5.8.3)

#[test]
fn script_cannot_set_an_http_only_cookie() {
    let mut jar = standard();
    assert_eq!(
        script_set(&mut jar, "https://ho.example/", "a=1; HttpOnly"),
        Err(Rejection::HttpOnlyFromScript)
    );
    assert!(jar.is_empty());
}

#[test]
fn script_cannot_see_an_http_only_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://ho.example/", "h=1; HttpOnly");
    set_ok(&mut jar, "https://ho.example/", "v=1");
    assert_eq!(get(&jar, "https://ho.example/"), "h=1; v=1");
    assert_eq!(script_get(&jar, "https://ho.example/"), "v=1");
    let ex = explain(&jar, "https://ho.example/", Ctx::Script, now());
    assert_eq!(verdict(&ex, "h"), Err(Exclusion::HttpOnly));
    assert_eq!(verdict(&ex, "v"), Ok(()));
}

#[test]
fn script_cannot_overwrite_or_delete_an_http_only_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://ho.example/", "h=1; HttpOnly");
    assert_eq!(
        script_set(&mut jar, "https://ho.example/", "h=2"),
        Err(Rejection::OverwriteHttpOnly)
    );
    assert_eq!(
        script_set(&mut jar, "https://ho.example/", "h=; Max-Age=0"),
        Err(Rejection::OverwriteHttpOnly)
    );
    assert_eq!(get(&jar, "https://ho.example/"), "h=1");
    assert!(only(&jar, "h").http_only());
}

#[test]
fn script_may_set_the_same_name_under_another_path() {
    // Chromium: only the exact equivalent (name, domain, path) is protected.
    let mut jar = standard();
    set_ok(&mut jar, "https://ho.example/", "h=1; HttpOnly; Path=/");
    assert_eq!(
        script_set(&mut jar, "https://ho.example/", "h=2; Path=/app"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(get(&jar, "https://ho.example/app"), "h=2; h=1");
}

#[test]
fn http_may_overwrite_an_http_only_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://ho.example/", "h=1; HttpOnly");
    assert_eq!(
        set(&mut jar, "https://ho.example/", "h=2"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(script_get(&jar, "https://ho.example/"), "h=2");
}

// ---------------------------------------------------------------------------------------------
// Prefixes (6265bis 5.7 steps 17-19, Chromium IsCookiePrefixValid)

#[test]
fn secure_prefix_needs_secure() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://pfx.example/", "__Secure-a=1"),
        Err(Rejection::SecurePrefix)
    );
    assert_eq!(
        set(&mut jar, "https://pfx.example/", "__Secure-a=1; Secure"),
        Ok(SetOutcome::Inserted)
    );
    // With a Domain too: only __Host- forbids it.
    assert_eq!(
        set(
            &mut jar,
            "https://www.pfx.example/",
            "__Secure-b=1; Secure; Domain=pfx.example"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn secure_prefix_from_http_fails_on_secure_first() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "http://pfx.example/", "__Secure-a=1; Secure"),
        Err(Rejection::SecureFromInsecureUrl)
    );
    assert_eq!(
        set(&mut jar, "http://pfx.example/", "__Secure-a=1"),
        Err(Rejection::SecurePrefix)
    );
}

#[test]
fn prefixes_are_case_insensitive() {
    let mut jar = standard();
    let url = "https://pfx.example/";
    assert_eq!(
        set(&mut jar, url, "__secure-a=1"),
        Err(Rejection::SecurePrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__SECURE-a=1"),
        Err(Rejection::SecurePrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__HOST-a=1; Secure"),
        Err(Rejection::HostPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__hOsT-a=1; Secure; Path=/"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(&mut jar, url, "__http-a=1; Secure"),
        Err(Rejection::HttpPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__host-http-a=1; Secure; Path=/"),
        Err(Rejection::HostHttpPrefix)
    );
}

#[test]
fn prefix_lookalikes_are_not_prefixes() {
    let mut jar = standard();
    let url = "https://pfx.example/";
    for name in [
        "__Secure_a",
        "_Secure-a",
        "%5F%5FHost-a",
        "__Hosta",
        "x__Host-a",
    ] {
        assert_eq!(
            set(&mut jar, url, &format!("{name}=1")),
            Ok(SetOutcome::Inserted),
            "{name}"
        );
    }
}

#[test]
fn host_prefix_needs_secure_no_domain_and_explicit_root_path() {
    let mut jar = standard();
    let url = "https://www.pfx.example/";
    assert_eq!(
        set(&mut jar, url, "__Host-a=1; Path=/"),
        Err(Rejection::HostPrefix)
    );
    // No explicit Path, even from "/".
    assert_eq!(
        set(&mut jar, "https://www.pfx.example/", "__Host-a=1; Secure"),
        Err(Rejection::HostPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__Host-a=1; Secure; Path=/x"),
        Err(Rejection::HostPrefix)
    );
    assert_eq!(
        set(
            &mut jar,
            url,
            "__Host-a=1; Secure; Path=/; Domain=pfx.example"
        ),
        Err(Rejection::HostPrefix)
    );
    // Even a Domain equal to the host.
    assert_eq!(
        set(
            &mut jar,
            url,
            "__Host-a=1; Secure; Path=/; Domain=www.pfx.example"
        ),
        Err(Rejection::HostPrefix)
    );
    // The last Path wins (chromium/prefixes/0280).
    assert_eq!(
        set(&mut jar, url, "__Host-a=1; Secure; Path=/; Path=/a"),
        Err(Rejection::HostPrefix)
    );
    assert!(jar.is_empty());
    assert_eq!(
        set(&mut jar, url, "__Host-a=1; Secure; Path=/"),
        Ok(SetOutcome::Inserted)
    );
    let c = only(&jar, "__Host-a");
    assert!(c.host_only() && c.secure());
    assert_eq!(c.path(), "/");
}

#[test]
fn host_prefix_ignores_an_empty_domain() {
    // chromium/prefixes/0274: `Domain=` alone is fine.
    let mut jar = chromium();
    assert_eq!(
        set(
            &mut jar,
            "https://www.pfx.example/",
            "__Host-n=v; Secure; Path=/; Domain="
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn host_prefix_allows_a_domain_equal_to_an_ip_host() {
    let mut jar = chromium();
    assert_eq!(
        set(
            &mut jar,
            "https://127.0.0.1/",
            "__Host-a=1; Secure; Path=/; Domain=127.0.0.1"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn http_prefix_needs_secure_and_http_only_from_http() {
    // chromium/prefixes/0104, 0106, 0130, 0296-0308.
    let mut jar = chromium();
    let url = "https://pfx.example/";
    assert_eq!(
        set(&mut jar, url, "__Http-a=1; Secure"),
        Err(Rejection::HttpPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__Http-a=1; HttpOnly"),
        Err(Rejection::HttpPrefix)
    );
    assert_eq!(
        script_set(&mut jar, url, "__Http-a=1; Secure"),
        Err(Rejection::HttpPrefix)
    );
    assert_eq!(
        script_set(&mut jar, url, "__Http-a=1; Secure; HttpOnly"),
        Err(Rejection::HttpOnlyFromScript)
    );
    assert!(jar.is_empty());
    assert_eq!(
        set(&mut jar, url, "__Http-a=1; Secure; HttpOnly"),
        Ok(SetOutcome::Inserted)
    );
    // Domain and Path are free for __Http-.
    assert_eq!(
        set(
            &mut jar,
            "https://www.pfx.example/",
            "__Http-b=1; Secure; HttpOnly; Domain=pfx.example; Path=/x"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn host_http_prefix_needs_both_rule_sets() {
    let mut jar = chromium();
    let url = "https://www.pfx.example/";
    assert_eq!(
        set(&mut jar, url, "__Host-Http-a=1; Secure; Path=/"),
        Err(Rejection::HostHttpPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__Host-Http-a=1; Secure; HttpOnly"),
        Err(Rejection::HostHttpPrefix)
    );
    assert_eq!(
        set(
            &mut jar,
            url,
            "__Host-Http-a=1; Secure; HttpOnly; Path=/; Domain=pfx.example"
        ),
        Err(Rejection::HostHttpPrefix)
    );
    assert_eq!(
        set(&mut jar, url, "__Host-Http-a=1; Secure; HttpOnly; Path=/"),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn secure_http_name_is_only_a_secure_prefix() {
    // chromium/prefixes/0248: `__Secure-Http-n` is just `__Secure-`.
    let mut jar = chromium();
    assert_eq!(
        set(
            &mut jar,
            "https://pfx.example/",
            "__Secure-Http-n=1; Secure"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn loopback_http_may_set_prefixed_cookies() {
    // chromium/prefixes/0334-0342.
    let mut jar = chromium();
    assert_eq!(
        set(&mut jar, "http://localhost/", "__Secure-a=1; Secure"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(&mut jar, "http://127.0.0.1/", "__Host-a=1; Secure; Path=/"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(
            &mut jar,
            "http://app.localhost/",
            "__Host-Http-a=1; Secure; HttpOnly; Path=/"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn nameless_cookie_that_looks_prefixed_is_rejected() {
    // 6265bis 5.7 step 17; chromium/prefixes/0250-0260, 0268.
    let mut jar = chromium();
    let url = "https://pfx.example/";
    for line in [
        "=__Secure-a=1; Secure",
        "__Secure-a; Secure",
        "=__Host-x; Secure; Path=/",
        "__Host-; Secure; Path=/",
        "__host-x",
        "=__SECURE-",
    ] {
        let line = line.replace("=1", "");
        assert_eq!(
            set(&mut jar, url, &line),
            Err(Rejection::NamelessWithPrefix),
            "{line}"
        );
    }
    assert!(jar.is_empty());
    // A cookie *named* `__Host-` with a value is fine (chromium/prefixes/0262).
    assert_eq!(
        set(&mut jar, url, "__Host-=v; Secure; Path=/"),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn nameless_cookie_that_looks_http_prefixed_is_rejected() {
    let mut jar = chromium();
    assert_eq!(
        set(
            &mut jar,
            "https://pfx.example/",
            "=__Http-a; Secure; HttpOnly"
        ),
        Err(Rejection::NamelessWithPrefix)
    );
}

#[test]
fn a_rejected_prefixed_cookie_leaves_the_old_one_alone() {
    let mut jar = standard();
    set_ok(&mut jar, "https://pfx.example/", "__Secure-a=1; Secure");
    assert_eq!(
        set(&mut jar, "https://pfx.example/", "__Secure-a=2"),
        Err(Rejection::SecurePrefix)
    );
    assert_eq!(get(&jar, "https://pfx.example/"), "__Secure-a=1");
}

// ---------------------------------------------------------------------------------------------
// SameSite=None and Partitioned need Secure

#[test]
fn samesite_none_requires_secure() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://ss.example/", "a=1; SameSite=None"),
        Err(Rejection::SameSiteNoneInsecure)
    );
    assert_eq!(
        script_set(&mut jar, "https://ss.example/", "a=1; samesite=none"),
        Err(Rejection::SameSiteNoneInsecure)
    );
    assert_eq!(
        set(
            &mut jar,
            "https://ss.example/",
            "a=1; SameSite=None; Secure"
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn partitioned_requires_secure() {
    // chromium/syntax/0132.
    let mut jar = chromium();
    assert_eq!(
        set(&mut jar, "https://chips.example/", "a=b; Partitioned"),
        Err(Rejection::PartitionedInsecure)
    );
    assert_eq!(
        set(
            &mut jar,
            "https://chips.example/",
            "a=b; Partitioned; Secure"
        ),
        Ok(SetOutcome::Inserted)
    );
    assert!(only(&jar, "a").partition_key().is_some());
    // A top-level partitioned cookie behaves like an ordinary one there (prefixes/0322).
    assert_eq!(get(&jar, "https://chips.example/"), "a=b");
}

#[test]
fn partitioned_cookies_are_sent_only_under_their_top_level_site() {
    let mut jar = standard();
    let embed = "https://embed.example/widget";
    set_in(
        &mut jar,
        embed,
        Ctx::Sub("https://a-top.example/"),
        "p=1; Secure; Partitioned; SameSite=None; Path=/",
        now(),
    )
    .expect("partitioned cookie");
    assert_eq!(
        get_in(&jar, embed, Ctx::Sub("https://a-top.example/page"), now()),
        "p=1"
    );
    assert_eq!(
        get_in(&jar, embed, Ctx::Sub("https://b-top.example/"), now()),
        ""
    );
    let ex = explain(&jar, embed, Ctx::Sub("https://b-top.example/"), now());
    assert_eq!(verdict(&ex, "p"), Err(Exclusion::Partition));
}

#[test]
fn firefox_host_prefix_needs_only_a_resulting_root_path() {
    // firefox/prefixes/0286: no Path attribute, set at "/", is enough in Firefox.
    let line = "__Host-n=v; Secure";
    assert_eq!(
        set(&mut firefox(), "https://www.pfx.example/", line),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        set(&mut chromium(), "https://www.pfx.example/", line),
        Err(Rejection::HostPrefix)
    );
    // A default path other than "/" still fails in Firefox.
    assert_eq!(
        set(&mut firefox(), "https://www.pfx.example/a/b", line),
        Err(Rejection::HostPrefix)
    );
}

#[test]
fn firefox_refuses_a_non_ascii_domain_attribute() {
    // firefox/domain/0172 against chromium/domain/0172.
    let line = "a=1; Domain=b\u{fc}cher.example";
    assert_eq!(
        set(&mut firefox(), "https://www.xn--bcher-kva.example/", line),
        Err(Rejection::InvalidDomain)
    );
    assert_eq!(
        set(&mut chromium(), "https://www.xn--bcher-kva.example/", line),
        Ok(SetOutcome::Inserted)
    );
}

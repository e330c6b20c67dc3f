//! SameSite through the public API (6265bis 5.2, 5.7 step 15, 5.8.3; Chromium
//! ComputeSameSiteContext): what each context sends, what it may set, and why not.

mod common;

use common::*;
use cookiejar::{CookieJar, Exclusion, Rejection, SameSite, SetOutcome};

const SITE: &str = "https://www.ss.example/get";
const GRID: [&str; 4] = [
    "strict=1; SameSite=Strict",
    "lax=1; SameSite=Lax",
    "none=1; SameSite=None; Secure",
    "unspec=1",
];

/// A jar holding the four SameSite flavours on www.ss.example, set by a user-typed navigation.
fn grid(mut jar: CookieJar) -> CookieJar {
    for line in GRID {
        set_ok(&mut jar, "https://www.ss.example/set", line);
    }
    jar
}

#[test]
fn same_site_requests_get_every_cookie() {
    for jar in [grid(standard()), grid(chromium()), grid(firefox())] {
        let all = "strict=1; lax=1; none=1; unspec=1";
        assert_eq!(get(&jar, SITE), all);
        assert_eq!(
            get_in(&jar, SITE, Ctx::Sub("https://a.ss.example/p"), now()),
            all
        );
        assert_eq!(
            get_in(&jar, SITE, Ctx::NavFrom("https://ss.example/"), now()),
            all
        );
        assert_eq!(script_get(&jar, "https://www.ss.example/p"), all);
    }
}

#[test]
fn cross_site_subresource_gets_only_samesite_none() {
    let jar = grid(standard());
    let ctx = Ctx::Sub("https://other.example/p");
    assert_eq!(get_in(&jar, SITE, ctx, now()), "none=1");
    let ex = explain(&jar, SITE, ctx, now());
    assert_eq!(verdict(&ex, "strict"), Err(Exclusion::SameSiteStrict));
    assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    assert_eq!(verdict(&ex, "none"), Ok(()));
    assert_eq!(
        verdict(&ex, "unspec"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
}

#[test]
fn cross_site_top_level_get_navigation_sends_lax_and_unspecified_not_strict() {
    for jar in [grid(standard()), grid(chromium())] {
        let ctx = Ctx::NavFrom("https://other.example/p");
        assert_eq!(get_in(&jar, SITE, ctx, now()), "lax=1; none=1; unspec=1");
        let ex = explain(&jar, SITE, ctx, now());
        assert_eq!(verdict(&ex, "strict"), Err(Exclusion::SameSiteStrict));
        assert_eq!(verdict(&ex, "lax"), Ok(()));
        assert_eq!(verdict(&ex, "unspec"), Ok(()));
    }
}

#[test]
fn cross_site_post_navigation_does_not_send_lax() {
    let jar = grid(standard());
    let ctx = Ctx::PostFrom("https://other.example/p");
    // Standard has no 2-minute rule: even a fresh unspecified cookie stays home.
    assert_eq!(get_in(&jar, SITE, ctx, at(2)), "none=1");
    let ex = explain(&jar, SITE, ctx, at(2));
    assert_eq!(verdict(&ex, "strict"), Err(Exclusion::SameSiteStrict));
    assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    assert_eq!(
        verdict(&ex, "unspec"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
}

#[test]
fn head_and_options_navigations_are_safe_methods() {
    let jar = grid(standard());
    let page = u("https://other.example/p");
    let url = u(SITE);
    for m in ["HEAD", "options", "Get"] {
        let ctx = cookiejar::RequestContext::navigation_from(&url, &page).with_method(m);
        assert_eq!(
            jar.cookie_header(&ctx, now()).as_deref(),
            Some("lax=1; none=1; unspec=1"),
            "{m}"
        );
    }
}

#[test]
fn chromium_sends_a_young_lax_by_default_cookie_on_a_cross_site_post() {
    // chromium/samesite/0366; Chromium kLaxAllowUnsafeMaxAge = 2 minutes.
    let jar = grid(chromium());
    let ctx = Ctx::PostFrom("https://other.example/p");
    assert_eq!(get_in(&jar, SITE, ctx, at(2)), "none=1; unspec=1");
    assert_eq!(get_in(&jar, SITE, ctx, at(119)), "none=1; unspec=1");
    assert_eq!(get_in(&jar, SITE, ctx, at(121)), "none=1");
    let ex = explain(&jar, SITE, ctx, at(121));
    assert_eq!(
        verdict(&ex, "unspec"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
    // An explicit Lax cookie never gets the allowance.
    assert_eq!(
        verdict(&explain(&jar, SITE, ctx, at(2)), "lax"),
        Err(Exclusion::SameSiteLax)
    );
}

#[test]
fn chromium_two_minute_window_is_inclusive() {
    // The first cookie of a jar is created exactly at T0 (later ones get +1 µs each).
    let mut jar = chromium();
    set_ok(&mut jar, "https://www.ss.example/set", "unspec=1");
    assert_eq!(only(&jar, "unspec").creation(), now());
    let ctx = Ctx::PostFrom("https://other.example/p");
    assert_eq!(get_in(&jar, SITE, ctx, at(120)), "unspec=1");
}

#[test]
fn chromium_two_minute_window_restarts_only_on_a_new_value() {
    // chromium/samesite/0369: overwriting with a new value restarts the clock.
    let ctx = Ctx::PostFrom("https://other.example/p");
    let mut jar = chromium();
    set_ok(&mut jar, "https://www.ss.example/set", "same=1");
    set_ok(&mut jar, "https://www.ss.example/set", "changed=1");
    set_ok_at(&mut jar, "https://www.ss.example/set", "same=1", at(100));
    set_ok_at(&mut jar, "https://www.ss.example/set", "changed=2", at(100));
    assert_eq!(get_in(&jar, SITE, ctx, at(150)), "changed=2");
}

#[test]
fn chromium_lax_allow_unsafe_applies_only_to_top_level_navigations() {
    let jar = grid(chromium());
    let page = u("https://other.example/p");
    let url = u(SITE);
    let ctx = cookiejar::RequestContext::subresource(&url, &page).with_method("POST");
    assert_eq!(jar.cookie_header(&ctx, at(2)).as_deref(), Some("none=1"));
}

#[test]
fn schemeful_same_site_http_page_to_https_request_is_cross_site() {
    // chromium/samesite/0360.
    for jar in [grid(standard()), grid(chromium())] {
        let ctx = Ctx::Sub("http://a.ss.example/p");
        assert_eq!(get_in(&jar, SITE, ctx, now()), "none=1");
        let ex = explain(&jar, SITE, ctx, now());
        assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    }
}

#[test]
fn firefox_same_site_is_schemeless() {
    // firefox/samesite/0360.
    let jar = grid(firefox());
    assert_eq!(
        get_in(&jar, SITE, Ctx::Sub("http://a.ss.example/p"), now()),
        "strict=1; lax=1; none=1; unspec=1"
    );
}

#[test]
fn websocket_schemes_fold_into_http_schemes() {
    let mut jar = standard();
    set_ok(&mut jar, "https://ss.example/", "lax=1; SameSite=Lax");
    assert_eq!(
        get_in(
            &jar,
            "wss://ss.example/ws",
            Ctx::Sub("https://ss.example/"),
            now()
        ),
        "lax=1"
    );
    assert_eq!(
        get_in(
            &jar,
            "wss://ss.example/ws",
            Ctx::Sub("http://ss.example/"),
            now()
        ),
        ""
    );
}

#[test]
fn firefox_has_no_lax_by_default() {
    // firefox/samesite/0366: the unspecified cookie goes on a cross-site POST; Lax does not.
    let jar = grid(firefox());
    // A cross-site subresource sees none of them: Total Cookie Protection gives a third-party
    // request only its own partition (firefox/samesite/0000, 0006).
    assert_eq!(
        get_in(&jar, SITE, Ctx::Sub("https://other.example/p"), now()),
        ""
    );
    let ex = explain(&jar, SITE, Ctx::Sub("https://other.example/p"), now());
    assert_eq!(verdict(&ex, "none"), Err(Exclusion::Partition));
    let ctx = Ctx::PostFrom("https://other.example/p");
    assert_eq!(get_in(&jar, SITE, ctx, at(3600)), "none=1; unspec=1");
    let ex = explain(&jar, SITE, ctx, at(3600));
    assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    assert_eq!(verdict(&ex, "unspec"), Ok(()));
}

#[test]
fn cross_site_subresource_responses_cannot_set_samesite_cookies() {
    // chromium/samesite/0364; Chromium CookieBase::IsSetPermittedInContext.
    for mut jar in [standard(), chromium()] {
        let ctx = Ctx::Sub("https://other.example/p");
        let url = "https://www.ss.example/set";
        for line in [
            "strict=1; SameSite=Strict",
            "lax=1; SameSite=Lax",
            "unspec=1",
        ] {
            assert_eq!(
                set_in(&mut jar, url, ctx, line, now()),
                Err(Rejection::SameSiteContext),
                "{line}"
            );
        }
        assert_eq!(
            set_in(&mut jar, url, ctx, "none=1; SameSite=None; Secure", now()),
            Ok(SetOutcome::Inserted)
        );
        assert_eq!(get(&jar, SITE), "none=1");
    }
}

#[test]
fn firefox_cross_site_subresource_may_set_unspecified_but_not_lax() {
    let mut jar = firefox();
    let ctx = Ctx::Sub("https://other.example/p");
    let url = "https://www.ss.example/set";
    assert_eq!(
        set_in(&mut jar, url, ctx, "lax=1; SameSite=Lax", now()),
        Err(Rejection::SameSiteContext)
    );
    assert_eq!(
        set_in(&mut jar, url, ctx, "strict=1; SameSite=Strict", now()),
        Err(Rejection::SameSiteContext)
    );
    assert!(set_in(&mut jar, url, ctx, "unspec=1", now()).is_ok());
}

#[test]
fn cross_site_navigation_responses_may_set_any_samesite_cookie() {
    // chromium/samesite/0362: even a cross-site POST navigation's response.
    for ctx in [
        Ctx::NavFrom("https://other.example/p"),
        Ctx::PostFrom("https://other.example/p"),
    ] {
        let mut jar = chromium();
        for line in GRID {
            assert_eq!(
                set_in(&mut jar, "https://www.ss.example/set", ctx, line, now()),
                Ok(SetOutcome::Inserted),
                "{line} {ctx:?}"
            );
        }
        assert_eq!(
            script_get(&jar, "https://www.ss.example/p"),
            "strict=1; lax=1; none=1; unspec=1"
        );
    }
}

#[test]
fn same_site_subresource_responses_may_set_strict_cookies() {
    let mut jar = standard();
    let ctx = Ctx::Sub("https://ss.example/");
    assert_eq!(
        set_in(
            &mut jar,
            "https://api.ss.example/",
            ctx,
            "s=1; SameSite=Strict",
            now()
        ),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(
        script_set(&mut jar, "https://ss.example/", "t=1; SameSite=Strict"),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn an_http_page_cannot_set_samesite_cookies_on_its_https_sibling() {
    // Schemeful: the http page is cross-site for the https request that sets.
    let mut jar = standard();
    let ctx = Ctx::Sub("http://ss.example/");
    assert_eq!(
        set_in(
            &mut jar,
            "https://api.ss.example/",
            ctx,
            "lax=1; SameSite=Lax",
            now()
        ),
        Err(Rejection::SameSiteContext)
    );
    let mut ff = firefox();
    assert_eq!(
        set_in(
            &mut ff,
            "https://api.ss.example/",
            ctx,
            "lax=1; SameSite=Lax",
            now()
        ),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn samesite_attribute_values_are_case_insensitive_and_unknown_is_unspecified() {
    let mut jar = standard();
    let url = "https://www.ss.example/";
    set_ok(&mut jar, url, "a=1; samesite=STRICT");
    set_ok(&mut jar, url, "b=1; SameSite=lax");
    set_ok(&mut jar, url, "c=1; SameSite=Bogus");
    set_ok(&mut jar, url, "d=1; SameSite");
    assert_eq!(only(&jar, "a").same_site(), SameSite::Strict);
    assert_eq!(only(&jar, "b").same_site(), SameSite::Lax);
    assert_eq!(only(&jar, "c").same_site(), SameSite::Unspecified);
    assert_eq!(only(&jar, "d").same_site(), SameSite::Unspecified);
    let ex = explain(&jar, url, Ctx::Sub("https://other.example/"), now());
    assert_eq!(
        verdict(&ex, "c"),
        Err(Exclusion::SameSiteUnspecifiedTreatedAsLax)
    );
}

#[test]
fn a_same_site_initiator_makes_a_navigation_strict() {
    let jar = grid(standard());
    assert_eq!(
        get_in(
            &jar,
            SITE,
            Ctx::PostFrom("https://login.ss.example/form"),
            now()
        ),
        "strict=1; lax=1; none=1; unspec=1"
    );
}

#[test]
fn registrable_domain_decides_the_site_not_the_host() {
    // a.github.io and b.github.io are different sites; a.example.co.uk and b.example.co.uk one.
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://x.example.co.uk/",
        "lax=1; SameSite=Lax; Domain=example.co.uk",
    );
    assert_eq!(
        get_in(
            &jar,
            "https://x.example.co.uk/",
            Ctx::Sub("https://y.example.co.uk/"),
            now()
        ),
        "lax=1"
    );
    set_ok(&mut jar, "https://a.github.io/", "lax=1; SameSite=Lax");
    assert_eq!(
        get_in(
            &jar,
            "https://a.github.io/",
            Ctx::Sub("https://b.github.io/"),
            now()
        ),
        ""
    );
}

#[test]
fn firefox_partitions_third_party_cookies_by_top_level_site() {
    // firefox/samesite/0000: a cookie set by a cross-site fetch lives in the top-level site's
    // partition, seen again only under that top level.
    let mut jar = firefox();
    set_in(
        &mut jar,
        SITE,
        Ctx::Sub("https://top.example/"),
        "t=1",
        now(),
    )
    .expect("stored");
    assert_eq!(only(&jar, "t").partition_key(), Some("https://top.example"));
    assert_eq!(
        get_in(&jar, SITE, Ctx::Sub("https://top.example/"), now()),
        "t=1"
    );
    assert_eq!(
        get_in(&jar, SITE, Ctx::Sub("https://elsewhere.example/"), now()),
        ""
    );
    // First-party (a top-level visit to the site itself) sees only unpartitioned cookies.
    assert_eq!(get_in(&jar, SITE, Ctx::Nav, now()), "");
    // Chromium does not partition without the Partitioned attribute.
    let mut jar = chromium();
    set_in(
        &mut jar,
        SITE,
        Ctx::Sub("https://top.example/"),
        "t=1; SameSite=None; Secure",
        now(),
    )
    .expect("stored");
    assert_eq!(only(&jar, "t").partition_key(), None);
}

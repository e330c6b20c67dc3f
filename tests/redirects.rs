//! Redirect chains through the public API (6265bis 5.2; Firefox CookieCommons::IsSameSiteForeign;
//! Chromium ignores the chain, kCookieSameSiteConsidersRedirectChain being off): which cookies go
//! on each hop of a chain under each profile, what a hop's response may set, and the reason
//! that names the chain when a cookie stays home because of it.

mod common;

use common::*;
use cookiejar::{CookieJar, Exclusion, Rejection, RequestContext, SameSite, Url};

const GRID: [&str; 4] = [
    "strict=1; SameSite=Strict; Secure",
    "lax=1; SameSite=Lax; Secure",
    "none=1; SameSite=None; Secure",
    "unspec=1; Secure",
];

fn grid(mut jar: CookieJar) -> CookieJar {
    for line in GRID {
        set_ok(&mut jar, "https://www.site.example/", line);
    }
    jar
}

fn header(jar: &CookieJar, ctx: &RequestContext<'_>) -> String {
    jar.cookie_header(ctx, now()).unwrap_or_default()
}

fn urls(list: &[&str]) -> Vec<Url> {
    list.iter().map(|s| u(s)).collect()
}

#[test]
fn typed_boomerang_navigation_per_profile() {
    // Typed https://tracker.example/, which answers 302 to https://www.site.example/.
    let home = u("https://www.site.example/");
    let chain = urls(&["https://tracker.example/bounce"]);
    let hop = RequestContext::navigation(&home).with_redirect_chain(&chain);
    // Chromium 156 sends the Strict cookie: it ignores the chain.
    assert_eq!(
        header(&grid(chromium()), &hop),
        "strict=1; lax=1; none=1; unspec=1"
    );
    // Firefox ESR 153: the cross-site hop makes the request foreign; a top-level GET keeps Lax
    // (and unspecified is None-like in Firefox).
    assert_eq!(header(&grid(firefox()), &hop), "lax=1; none=1; unspec=1");
    // standard: 6265bis 5.2 and WPT, and unspecified is Lax by default.
    let jar = grid(standard());
    assert_eq!(header(&jar, &hop), "lax=1; none=1; unspec=1");
    let ex = jar.explain(&hop, now());
    assert_eq!(
        verdict(&ex, "strict"),
        Err(Exclusion::CrossSiteRedirect(SameSite::Strict))
    );
    assert_eq!(
        Exclusion::CrossSiteRedirect(SameSite::Strict).to_string(),
        "SameSite=Strict, a cross-site hop in the redirect chain"
    );
    // Without the chain the same request is strictly same-site everywhere.
    let typed = RequestContext::navigation(&home);
    for jar in [grid(standard()), grid(chromium()), grid(firefox())] {
        assert_eq!(header(&jar, &typed), "strict=1; lax=1; none=1; unspec=1");
    }
}

#[test]
fn same_site_chains_change_nothing() {
    let home = u("https://www.site.example/c");
    let chain = urls(&["https://www.site.example/a", "https://login.site.example/b"]);
    for jar in [grid(standard()), grid(chromium()), grid(firefox())] {
        let hop = RequestContext::navigation(&home).with_redirect_chain(&chain);
        assert_eq!(header(&jar, &hop), "strict=1; lax=1; none=1; unspec=1");
        let page = u("https://www.site.example/page");
        let fetch = RequestContext::subresource(&home, &page).with_redirect_chain(&chain);
        assert_eq!(header(&jar, &fetch), "strict=1; lax=1; none=1; unspec=1");
    }
}

#[test]
fn fetch_img_iframe_through_a_cross_site_hop() {
    // A subresource of a page on the site (fetch, <img>, an iframe: all subresources to the
    // jar) redirected through another site and back is cross-site: only SameSite=None (and,
    // in Firefox, unspecified).
    let page = u("https://www.site.example/page");
    let api = u("https://www.site.example/api");
    let chain = urls(&["https://cdn.other.example/r"]);
    let hop = RequestContext::subresource(&api, &page).with_redirect_chain(&chain);
    let jar = grid(standard());
    assert_eq!(header(&jar, &hop), "none=1");
    let ex = jar.explain(&hop, now());
    assert_eq!(
        verdict(&ex, "lax"),
        Err(Exclusion::CrossSiteRedirect(SameSite::Lax))
    );
    assert_eq!(
        verdict(&ex, "unspec"),
        Err(Exclusion::CrossSiteRedirect(SameSite::Unspecified))
    );
    assert_eq!(header(&grid(firefox()), &hop), "none=1; unspec=1");
    assert_eq!(
        header(&grid(chromium()), &hop),
        "strict=1; lax=1; none=1; unspec=1"
    );
}

#[test]
fn a_cookie_already_excluded_keeps_its_own_reason() {
    // A cross-site fetch whose chain is also cross-site: the chain is not why.
    let page = u("https://other.example/page");
    let api = u("https://www.site.example/api");
    let chain = urls(&["https://third.example/r"]);
    let hop = RequestContext::subresource(&api, &page).with_redirect_chain(&chain);
    let ex = grid(standard()).explain(&hop, now());
    assert_eq!(verdict(&ex, "lax"), Err(Exclusion::SameSiteLax));
    assert_eq!(verdict(&ex, "strict"), Err(Exclusion::SameSiteStrict));
}

#[test]
fn a_cross_site_post_hop_keeps_lax_cookies_home() {
    // A form POST from the site to itself through a 307 on another site: still a POST, now
    // cross-site: Lax stays home (6265bis 5.8.3: Lax needs a safe method).
    let login = u("https://www.site.example/login");
    let form = u("https://www.site.example/form");
    let chain = urls(&["https://sso.other.example/r"]);
    let hop = RequestContext::navigation_from(&login, &form)
        .with_method("POST")
        .with_redirect_chain(&chain);
    let jar = grid(standard());
    assert_eq!(header(&jar, &hop), "none=1");
    assert_eq!(
        verdict(&jar.explain(&hop, now()), "lax"),
        Err(Exclusion::CrossSiteRedirect(SameSite::Lax))
    );
    // After a 303 the hop is a GET: Lax goes again.
    let get = RequestContext::navigation_from(&login, &form).with_redirect_chain(&chain);
    assert_eq!(header(&jar, &get), "lax=1; none=1; unspec=1");
    assert_eq!(
        header(&grid(chromium()), &hop),
        "strict=1; lax=1; none=1; unspec=1"
    );
}

#[test]
fn scheme_hops_follow_schemeful_same_site() {
    // https -> http on one host: cross-site under schemeful same-site (standard), same-site in
    // Firefox (not schemeful), ignored by Chromium.
    let plain = |mut jar: CookieJar| {
        set_ok(
            &mut jar,
            "http://plain.example/",
            "strict=1; SameSite=Strict",
        );
        set_ok(&mut jar, "http://plain.example/", "lax=1; SameSite=Lax");
        jar
    };
    let target = u("http://plain.example/");
    let chain = urls(&["https://plain.example/"]);
    let hop = RequestContext::navigation(&target).with_redirect_chain(&chain);
    assert_eq!(header(&plain(standard()), &hop), "lax=1");
    assert_eq!(header(&plain(firefox()), &hop), "strict=1; lax=1");
    assert_eq!(header(&plain(chromium()), &hop), "strict=1; lax=1");
}

#[test]
fn what_a_hop_response_may_set() {
    let page = u("https://www.site.example/page");
    let api = u("https://www.site.example/api");
    let chain = urls(&["https://cdn.other.example/r"]);
    let fetch = RequestContext::subresource(&api, &page).with_redirect_chain(&chain);
    // A fetch made cross-site by its chain cannot set a Lax cookie: the reason names the chain.
    let mut jar = standard();
    assert_eq!(
        jar.set_cookie(b"hop=1; SameSite=Lax; Secure", &fetch, now()),
        Err(Rejection::SameSiteCrossSiteRedirect)
    );
    assert!(jar
        .set_cookie(b"hopnone=1; SameSite=None; Secure", &fetch, now())
        .is_ok());
    // Chromium ignores the chain.
    assert!(chromium()
        .set_cookie(b"hop=1; SameSite=Lax; Secure", &fetch, now())
        .is_ok());
    // A navigation's response may always set Lax cookies (Chromium
    // ComputeSameSiteContextForResponse; 6265bis 5.7 step 15 top-level navigation).
    let nav = RequestContext::navigation(&api).with_redirect_chain(&chain);
    for mut jar in [standard(), firefox(), chromium()] {
        assert!(jar
            .set_cookie(b"hop=1; SameSite=Lax; Secure", &nav, now())
            .is_ok());
    }
    // A fetch that is cross-site without the chain keeps the plain reason.
    let cross_page = u("https://other.example/");
    let cross = RequestContext::subresource(&api, &cross_page).with_redirect_chain(&chain);
    assert_eq!(
        standard().set_cookie(b"x=1; SameSite=Lax; Secure", &cross, now()),
        Err(Rejection::SameSiteContext)
    );
}

#[test]
fn the_chain_is_what_the_caller_gave() {
    let home = u("https://www.site.example/");
    let chain = urls(&["https://a.example/", "https://b.example/"]);
    let ctx = RequestContext::navigation(&home).with_redirect_chain(&chain);
    assert_eq!(ctx.redirect_chain(), chain.as_slice());
    assert!(ctx.is_navigation());
    assert!(RequestContext::navigation(&home)
        .redirect_chain()
        .is_empty());
}

//! Helpers shared by the whole-jar behaviour tests: a fixed clock, jars per profile, and
//! one-liners that build a [`RequestContext`] from URL strings.
#![allow(dead_code)]

use cookiejar::{
    CookieJar, Exclusion, Explanation, Policy, Rejection, RequestContext, SetOutcome, Timestamp,
};
use url::Url;

/// The fixed clock every test starts from.
pub const T0: i64 = 1_800_000_000;

/// The clock at the start of a test.
pub fn now() -> Timestamp {
    Timestamp::from_unix_seconds(T0)
}

/// `s` seconds after [`now`].
pub fn at(s: i64) -> Timestamp {
    now().plus_seconds(s)
}

/// One day, in seconds.
pub const DAY: i64 = 24 * 3600;

/// Parses a URL (panics on a typo in the test).
pub fn u(s: &str) -> Url {
    Url::parse(s).unwrap_or_else(|e| panic!("bad test URL {s:?}: {e}"))
}

pub fn standard() -> CookieJar {
    CookieJar::with_policy(Policy::standard())
}

pub fn chromium() -> CookieJar {
    CookieJar::with_policy(Policy::chromium())
}

pub fn firefox() -> CookieJar {
    CookieJar::with_policy(Policy::firefox())
}

/// How a request or a write reaches the jar.
#[derive(Clone, Copy, Debug)]
pub enum Ctx<'a> {
    /// A user-typed top-level navigation.
    Nav,
    /// A top-level navigation started by a page.
    NavFrom(&'a str),
    /// A top-level POST navigation started by a page (a form).
    PostFrom(&'a str),
    /// A subresource of a top-level page.
    Sub(&'a str),
    /// `document.cookie` on the page itself.
    Script,
}

fn with_ctx<R>(url: &str, ctx: Ctx<'_>, f: impl FnOnce(&RequestContext<'_>) -> R) -> R {
    let url = u(url);
    match ctx {
        Ctx::Nav => f(&RequestContext::navigation(&url)),
        Ctx::NavFrom(i) => {
            let i = u(i);
            f(&RequestContext::navigation_from(&url, &i))
        }
        Ctx::PostFrom(i) => {
            let i = u(i);
            f(&RequestContext::navigation_from(&url, &i).with_method("POST"))
        }
        Ctx::Sub(top) => {
            let top = u(top);
            f(&RequestContext::subresource(&url, &top))
        }
        Ctx::Script => f(&RequestContext::script(&url)),
    }
}

/// A `Set-Cookie` in a response to a user-typed navigation to `url`, at `t`.
pub fn set_at(
    jar: &mut CookieJar,
    url: &str,
    line: &str,
    t: Timestamp,
) -> Result<SetOutcome, Rejection> {
    with_ctx(url, Ctx::Nav, |c| jar.set_cookie(line, c, t))
}

/// [`set_at`] at [`now`].
pub fn set(jar: &mut CookieJar, url: &str, line: &str) -> Result<SetOutcome, Rejection> {
    set_at(jar, url, line, now())
}

/// A `Set-Cookie` in a response to `url` reached in context `ctx`, at `t`.
pub fn set_in(
    jar: &mut CookieJar,
    url: &str,
    ctx: Ctx<'_>,
    line: &str,
    t: Timestamp,
) -> Result<SetOutcome, Rejection> {
    with_ctx(url, ctx, |c| jar.set_cookie(line, c, t))
}

/// Like [`set`], but the cookie must be accepted.
pub fn set_ok(jar: &mut CookieJar, url: &str, line: &str) -> SetOutcome {
    set(jar, url, line).unwrap_or_else(|e| panic!("{line:?} on {url} rejected: {e:?}"))
}

/// Like [`set_at`], but the cookie must be accepted.
pub fn set_ok_at(jar: &mut CookieJar, url: &str, line: &str, t: Timestamp) -> SetOutcome {
    set_at(jar, url, line, t).unwrap_or_else(|e| panic!("{line:?} on {url} rejected: {e:?}"))
}

/// `document.cookie = line` on the page `page`, at [`now`].
pub fn script_set(jar: &mut CookieJar, page: &str, line: &str) -> Result<SetOutcome, Rejection> {
    with_ctx(page, Ctx::Script, |c| jar.set_cookie(line, c, now()))
}

/// The `Cookie` header of a user-typed navigation to `url` at `t` (`""`: no header).
pub fn get_at(jar: &CookieJar, url: &str, t: Timestamp) -> String {
    get_in(jar, url, Ctx::Nav, t)
}

/// [`get_at`] at [`now`].
pub fn get(jar: &CookieJar, url: &str) -> String {
    get_at(jar, url, now())
}

/// The `Cookie` header of a request for `url` in context `ctx` at `t` (`""`: no header).
pub fn get_in(jar: &CookieJar, url: &str, ctx: Ctx<'_>, t: Timestamp) -> String {
    with_ctx(url, ctx, |c| jar.cookie_header(c, t)).unwrap_or_default()
}

/// `document.cookie` on the page `page` at [`now`].
pub fn script_get(jar: &CookieJar, page: &str) -> String {
    get_in(jar, page, Ctx::Script, now())
}

/// [`CookieJar::explain`] for `url` in context `ctx` at `t`.
pub fn explain(jar: &CookieJar, url: &str, ctx: Ctx<'_>, t: Timestamp) -> Vec<Explanation> {
    with_ctx(url, ctx, |c| jar.explain(c, t))
}

/// The verdict for the cookie named `name` in an explanation (panics if it is not there).
pub fn verdict(ex: &[Explanation], name: &str) -> Result<(), Exclusion> {
    let found: Vec<_> = ex
        .iter()
        .filter(|e| e.cookie.name() == name.as_bytes())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "expected one candidate cookie named {name:?} in {:?}",
        ex.iter().map(|e| e.cookie.name_str()).collect::<Vec<_>>()
    );
    found[0].verdict
}

/// The stored cookies named `name`.
pub fn stored<'j>(jar: &'j CookieJar, name: &str) -> Vec<&'j cookiejar::Cookie> {
    jar.iter().filter(|c| c.name() == name.as_bytes()).collect()
}

/// The one stored cookie named `name` (panics unless there is exactly one).
pub fn only<'j>(jar: &'j CookieJar, name: &str) -> &'j cookiejar::Cookie {
    let v = stored(jar, name);
    assert_eq!(v.len(), 1, "expected exactly one cookie named {name:?}");
    v[0]
}

/// The names in a `Cookie` header, in order.
pub fn names(header: &str) -> Vec<String> {
    if header.is_empty() {
        return Vec::new();
    }
    header
        .split("; ")
        .map(|p| p.split('=').next().unwrap_or("").to_owned())
        .collect()
}

//! HTTP clients with the jar: what every integration shares.
//!
//! A browser stores the cookies of every response, each hop of a redirect included, and sends
//! each request (each hop again) the `Cookie` header the jar builds for it, in the request's
//! context: a top-level navigation or a page's subresource, the method, and the earlier hops of
//! the same action. The integrations (the modules `reqwest`, `ureq` and `tower`, each behind
//! the feature of its name) all do that with the pieces here:
//!
//! - [`JarHandle`]: the two calls a client needs from a jar (store one `Set-Cookie` value, write
//!   the `Cookie` header), implemented for [`SharedJar`], `Mutex<CookieJar>`, the persistent
//!   jars and `Arc`/`&` of each, so every client works with every jar;
//! - [`ClientContext`]: how the client's requests reach the jar (a top-level navigation by
//!   default; a navigation started by a page; a page's subresources), the same type for every
//!   client;
//! - the redirect rules a browser applies ([`redirect_method`], [`resolve_location`],
//!   [`MAX_REDIRECTS`]) and the chain of earlier hops ([`RedirectChain`]) each hop's
//!   [`RequestContext`] carries.
//!
//! ```
//! use cookiejar::client::{ClientContext, JarHandle};
//! use cookiejar::{CookieJar, Timestamp, Url};
//! use std::sync::Mutex;
//!
//! let jar = Mutex::new(CookieJar::new());
//! let now = Timestamp::from_unix_seconds(1_800_000_000);
//! let url = Url::parse("https://shop.example/login").unwrap();
//! let context = ClientContext::TopLevel;
//! let ctx = context.request_context(&url, "POST", &[]);
//! jar.store_set_cookie(b"sid=1; SameSite=Lax; HttpOnly", &ctx, now);
//! let mut header = Vec::new();
//! jar.append_cookie_header(&context.request_context(&url, "GET", &[]), now, &mut header);
//! assert_eq!(header, b"sid=1");
//! ```

use crate::jar::CookieJar;
use crate::rules::context::RequestContext;
use crate::shared::SharedJar;
use crate::timestamp::Timestamp;
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use url::Url;

#[cfg(feature = "reqwest")]
pub mod reqwest;
#[cfg(feature = "tower")]
pub mod tower;
#[cfg(feature = "ureq")]
pub mod ureq;

/// The two calls an HTTP client makes on a jar: store one `Set-Cookie` value received for a
/// request, and write the `Cookie` header for a request.
///
/// Implemented for [`SharedJar`], `Mutex<CookieJar>` and `RwLock<CookieJar>`, the SQLite jar
/// (feature `sqlite`), and `Arc<J>`, `&J` and `Box<J>` of any of them. A jar of your own (a
/// remote store, say) implements these two methods and works with every client integration.
///
/// Both take `&self` (clients share the jar between requests and threads) and the clock from
/// the caller. Neither reports failure: a refused cookie is dropped as a browser drops it, and
/// a store that can fail (a database, a network) keeps its errors to itself (queues, retries,
/// its own error channel), since a browser's request does not fail because its cookie store
/// did.
pub trait JarHandle {
    /// Applies one `Set-Cookie` header value, as received (raw bytes: a value that is not UTF-8
    /// is stored as sent), from the response to the request `ctx` at `now`.
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp);

    /// Appends the `Cookie` header value for the request `ctx` at `now` to `out` and returns
    /// how many cookies it holds (0: send no header).
    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize;
}

impl JarHandle for SharedJar {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        // A refused cookie is dropped, as a browser drops it (6265bis 5.7: "ignore the cookie
        // entirely"); `SharedJar::set_cookie` says why, for those who ask.
        let _ = self.set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        self.write_cookie_header(ctx, now, out)
    }
}

/// A [`CookieJar`] behind a lock. A poisoned lock is used anyway: a jar's state is valid
/// between any two calls (every set is applied whole or not at all).
impl JarHandle for Mutex<CookieJar> {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        let mut jar = self.lock().unwrap_or_else(PoisonError::into_inner);
        // Refused: dropped, as a browser drops it (6265bis 5.7).
        let _ = jar.set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        let jar = self.lock().unwrap_or_else(PoisonError::into_inner);
        jar.write_cookie_header(ctx, now, out)
    }
}

/// A [`CookieJar`] behind a read-write lock: lookups share the read lock.
impl JarHandle for RwLock<CookieJar> {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        let mut jar = self.write().unwrap_or_else(PoisonError::into_inner);
        // Refused: dropped, as a browser drops it (6265bis 5.7).
        let _ = jar.set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        let jar = self.read().unwrap_or_else(PoisonError::into_inner);
        jar.write_cookie_header(ctx, now, out)
    }
}

#[cfg(feature = "sqlite")]
impl JarHandle for crate::persist::sqlite::SqliteJar {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        // Refused: dropped, as a browser drops it (6265bis 5.7). A stored cookie is queued for
        // the database (write-behind); its write errors surface at flush and close.
        let _ = self.set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        self.write_cookie_header(ctx, now, out)
    }
}

/// A [`crate::persist::redis::RedisJar`]: a Redis error sends no cookies and stores nothing,
/// and is reported through the jar's error hook and counter
/// ([`crate::persist::redis::RedisJar::errors`]); a refused cookie is dropped.
#[cfg(feature = "redis")]
impl JarHandle for crate::persist::redis::RedisJar {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        if let Err(crate::persist::redis::SetError::Redis(e)) = self.set_cookie(line, ctx, now) {
            self.report(&e);
        }
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        let start = out.len();
        match self.write_cookie_header(ctx, now, out) {
            Ok(n) => n,
            Err(e) => {
                // Never a partial or stale header: nothing is sent.
                out.truncate(start);
                self.report(&e);
                0
            }
        }
    }
}

impl<J: JarHandle + ?Sized> JarHandle for Arc<J> {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        (**self).store_set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        (**self).append_cookie_header(ctx, now, out)
    }
}

impl<J: JarHandle + ?Sized> JarHandle for Box<J> {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        (**self).store_set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        (**self).append_cookie_header(ctx, now, out)
    }
}

impl<J: JarHandle + ?Sized> JarHandle for &J {
    fn store_set_cookie(&self, line: &[u8], ctx: &RequestContext<'_>, now: Timestamp) {
        (**self).store_set_cookie(line, ctx, now);
    }

    fn append_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        out: &mut Vec<u8>,
    ) -> usize {
        (**self).append_cookie_header(ctx, now, out)
    }
}

/// How an HTTP client's requests reach the jar: the part of the [`RequestContext`] a plain
/// client cannot know (a client has no pages), the same for every client integration. The URL,
/// the method and the redirect chain come from each request itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ClientContext {
    /// Every request is a top-level navigation the user started
    /// ([`RequestContext::navigation`]): same-site, so `SameSite=Strict` and `Lax` cookies are
    /// sent and may be set (a cross-site redirect hop may change that, per profile). What a
    /// plain HTTP client is, and the default.
    #[default]
    TopLevel,
    /// Every request is a top-level navigation started by a page at this URL (a link, a form;
    /// [`RequestContext::navigation_from`]): a cross-site one sends `Lax` cookies, not `Strict`
    /// ones, and a cross-site POST sends neither.
    NavigationFrom(Url),
    /// Every request is a subresource fetched by the top-level page at this URL
    /// ([`RequestContext::subresource`]): a cross-site one sends only `SameSite=None` cookies.
    Subresource(Url),
}

impl ClientContext {
    /// The [`RequestContext`] of one request (one hop) to `url` with `method`, `chain` being
    /// the URLs of the earlier hops of the same action, first request first (empty for a
    /// request that is not a redirect hop).
    pub fn request_context<'a>(
        &'a self,
        url: &'a Url,
        method: &str,
        chain: &'a [Url],
    ) -> RequestContext<'a> {
        let ctx = match self {
            ClientContext::TopLevel => RequestContext::navigation(url),
            ClientContext::NavigationFrom(from) => RequestContext::navigation_from(url, from),
            ClientContext::Subresource(page) => RequestContext::subresource(url, page),
        };
        // The policy decides what a cross-site hop does (RequestContext::with_redirect_chain).
        ctx.with_method(method).with_redirect_chain(chain)
    }
}

/// The URLs of the earlier hops of one browser action, first request first; the current hop's
/// URL is not in it. The tower integration carries it from hop to hop as a request extension
/// (see `tower::ChainPolicy`); the others keep it inside
/// their redirect loop.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RedirectChain {
    hops: Vec<Url>,
}

impl RedirectChain {
    /// An empty chain: the first request of an action.
    pub fn new() -> Self {
        Self::default()
    }

    /// The earlier hops, first request first.
    pub fn hops(&self) -> &[Url] {
        &self.hops
    }

    /// Records that the request to `url` was redirected (it becomes an earlier hop).
    pub fn push(&mut self, url: Url) {
        self.hops.push(url);
    }

    /// How many redirects were followed.
    pub fn len(&self) -> usize {
        self.hops.len()
    }

    /// Whether no redirect was followed.
    pub fn is_empty(&self) -> bool {
        self.hops.is_empty()
    }
}

/// The most redirects followed for one request before giving up (Fetch 4.4 "HTTP-redirect
/// fetch" step 5: more than 20 is a network error; Chromium `URLRequest::kMaxRedirects` = 20;
/// Firefox `network.http.redirection-limit` = 20).
pub const MAX_REDIRECTS: usize = 20;

/// What the next hop's request is, after a redirect response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextMethod {
    /// The same method and body (307, 308; 301 and 302 on anything but POST; 303 on HEAD).
    Keep,
    /// `GET` without a body and without the body's headers (`Content-Type`,
    /// `Content-Length`, `Content-Encoding`, `Content-Language`, `Content-Location`,
    /// `Transfer-Encoding`).
    Get,
}

/// Whether a response with `status` to a request with `method` is a redirect a browser follows,
/// and with which method: `None` when it is not one (then the response is the answer).
///
/// ```
/// use cookiejar::client::{redirect_method, NextMethod};
/// assert_eq!(redirect_method(303, "POST"), Some(NextMethod::Get));
/// assert_eq!(redirect_method(302, "POST"), Some(NextMethod::Get));
/// assert_eq!(redirect_method(302, "PUT"), Some(NextMethod::Keep));
/// assert_eq!(redirect_method(307, "POST"), Some(NextMethod::Keep));
/// assert_eq!(redirect_method(304, "GET"), None);
/// ```
pub fn redirect_method(status: u16, method: &str) -> Option<NextMethod> {
    // Fetch: a redirect status is 301, 302, 303, 307 or 308.
    match status {
        // Fetch 4.4 step 12: 301 or 302 with POST becomes GET.
        301 | 302 if method.eq_ignore_ascii_case("POST") => Some(NextMethod::Get),
        301 | 302 => Some(NextMethod::Keep),
        // Fetch 4.4 step 12: 303 with a method other than GET or HEAD becomes GET.
        303 if method.eq_ignore_ascii_case("HEAD") => Some(NextMethod::Keep),
        303 => Some(NextMethod::Get),
        // RFC 9110 15.4.8, 15.4.9: 307 and 308 keep the method and the body.
        307 | 308 => Some(NextMethod::Keep),
        _ => None,
    }
}

/// The request headers a redirect to `GET` drops with the body (Fetch 4.4 step 12: "request-
/// body-header names", plus `Transfer-Encoding`, which only framed the body).
pub const BODY_HEADERS: [&str; 6] = [
    "content-encoding",
    "content-language",
    "content-location",
    "content-type",
    "content-length",
    "transfer-encoding",
];

/// The next hop's URL: the `Location` header's bytes resolved against the current URL, or why
/// not (Fetch 4.4 steps 3-6: parse with the request URL as base; a URL that is not http(s) is a
/// network error). A `Location` without a fragment keeps the current URL's fragment (Fetch
/// "location URL" step 3).
///
/// ```
/// use cookiejar::client::resolve_location;
/// use cookiejar::Url;
/// let base = Url::parse("http://site-a.test:8080/a/b").unwrap();
/// assert_eq!(resolve_location(&base, b"../c").unwrap().as_str(), "http://site-a.test:8080/c");
/// assert!(resolve_location(&base, b"ftp://x/").is_err());
/// ```
pub fn resolve_location(base: &Url, location: &[u8]) -> Result<Url, RedirectError> {
    let bad = || RedirectError::BadLocation {
        location: String::from_utf8_lossy(location).into_owned(),
    };
    // A Location that is not UTF-8 cannot be a URL the URL parser accepts (it reads a string).
    let text = std::str::from_utf8(location).map_err(|_| bad())?;
    let mut next = base.join(text.trim()).map_err(|_| bad())?;
    // Fetch 4.4 step 6: a redirect to a scheme other than http(s) is a network error.
    if !matches!(next.scheme(), "http" | "https") {
        return Err(bad());
    }
    // Fetch "location URL" step 3: the fragment carries over when the Location has none.
    if next.fragment().is_none() {
        next.set_fragment(base.fragment());
    }
    Ok(next)
}

/// Why a client integration stopped following redirects.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectError {
    /// More than the limit (by default [`MAX_REDIRECTS`]) in one chain: Fetch's network error.
    TooManyRedirects {
        /// The limit.
        limit: usize,
    },
    /// A redirect whose `Location` is missing, not a URL, or not http(s) (Fetch 4.4 steps 3-6).
    BadLocation {
        /// The `Location` value as received (lossy where it is not UTF-8; empty when missing).
        location: String,
    },
    /// A 307 or 308 redirect of a request whose body cannot be sent again (a stream).
    BodyNotReplayable,
}

impl std::fmt::Display for RedirectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RedirectError::TooManyRedirects { limit } => {
                write!(f, "more than {limit} redirects")
            }
            RedirectError::BadLocation { location } => {
                write!(f, "a redirect to {location:?}, which is not an http(s) URL")
            }
            RedirectError::BodyNotReplayable => {
                f.write_str("a 307/308 redirect of a request whose body cannot be sent again")
            }
        }
    }
}

impl std::error::Error for RedirectError {}

/// An error of a client integration that follows redirects itself: the client's own, or the
/// redirect rules'.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClientError<E> {
    /// The HTTP client failed (connection, protocol, timeout).
    Client(E),
    /// A redirect could not be followed.
    Redirect(RedirectError),
    /// The request's URL is not an absolute http(s) URL.
    BadUrl(String),
}

impl<E: std::fmt::Display> std::fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ClientError::Client(e) => write!(f, "{e}"),
            ClientError::Redirect(e) => write!(f, "{e}"),
            ClientError::BadUrl(url) => write!(f, "{url:?} is not an absolute http(s) URL"),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for ClientError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Client(e) => Some(e),
            ClientError::Redirect(e) => Some(e),
            ClientError::BadUrl(_) => None,
        }
    }
}

impl<E> From<RedirectError> for ClientError<E> {
    fn from(e: RedirectError) -> Self {
        ClientError::Redirect(e)
    }
}

/// The bookkeeping of one redirect-following action, shared by the integrations that follow
/// redirects themselves (reqwest's helper, ureq): the current URL and method, the earlier hops,
/// the limit.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
#[derive(Debug)]
pub(crate) struct Hops {
    pub(crate) url: Url,
    pub(crate) method: String,
    pub(crate) chain: RedirectChain,
    limit: usize,
}

#[cfg(any(feature = "reqwest", feature = "ureq"))]
impl Hops {
    pub(crate) fn new(url: Url, method: String, limit: usize) -> Self {
        Hops {
            url,
            method,
            chain: RedirectChain::new(),
            limit,
        }
    }

    /// Stores every `Set-Cookie` of the current hop's response.
    pub(crate) fn store<'v, J: JarHandle + ?Sized>(
        &self,
        jar: &J,
        context: &ClientContext,
        set_cookies: impl Iterator<Item = &'v [u8]>,
    ) {
        let ctx = context.request_context(&self.url, &self.method, self.chain.hops());
        let now = Timestamp::now();
        for line in set_cookies {
            jar.store_set_cookie(line, &ctx, now);
        }
    }

    /// The current hop's `Cookie` header, or `None` when no cookie is sent.
    pub(crate) fn cookie_header<J: JarHandle + ?Sized>(
        &self,
        jar: &J,
        context: &ClientContext,
    ) -> Option<Vec<u8>> {
        let ctx = context.request_context(&self.url, &self.method, self.chain.hops());
        let mut out = Vec::new();
        (jar.append_cookie_header(&ctx, Timestamp::now(), &mut out) > 0).then_some(out)
    }

    /// After a response with `status` and `location`: `Ok(None)` when it is the answer,
    /// `Ok(Some(next))` when the next hop is to be sent (the URL and method are already
    /// updated), or why the chain stops.
    pub(crate) fn follow(
        &mut self,
        status: u16,
        location: Option<&[u8]>,
    ) -> Result<Option<NextMethod>, RedirectError> {
        let Some(next_method) = redirect_method(status, &self.method) else {
            return Ok(None);
        };
        // Fetch 4.4 step 3: a redirect without a Location is the answer itself.
        let Some(location) = location else {
            return Ok(None);
        };
        let next = resolve_location(&self.url, location)?;
        // Fetch 4.4 step 5.
        if self.chain.len() >= self.limit {
            return Err(RedirectError::TooManyRedirects { limit: self.limit });
        }
        let previous = std::mem::replace(&mut self.url, next);
        self.chain.push(previous);
        if next_method == NextMethod::Get {
            self.method = "GET".to_owned();
        }
        Ok(Some(next_method))
    }
}

/// Turns the headers of a request into those of the next hop (Fetch 4.4 "HTTP-redirect fetch"):
/// the body's headers go with the body on a change to GET (step 12), `Authorization` goes on a
/// cross-origin hop (step 13), and the `Cookie` header is the jar's to write for each hop.
#[cfg(any(feature = "reqwest", feature = "ureq"))]
pub(crate) fn next_hop_headers(
    headers: &mut http::HeaderMap,
    next: NextMethod,
    from: &Url,
    to: &Url,
) {
    if next == NextMethod::Get {
        for name in BODY_HEADERS {
            headers.remove(name);
        }
    }
    // Fetch 4.4 step 13: a cross-origin hop drops `Authorization`.
    if from.origin() != to.origin() {
        headers.remove(http::header::AUTHORIZATION);
        headers.remove(http::header::PROXY_AUTHORIZATION);
    }
    headers.remove(http::header::COOKIE);
}

/// The `Cookie` header value for a hop; `None` when the jar sends none. Stored names and values
/// hold no control bytes (6265bis 5.6 refuses them), so the value is always valid; bytes above
/// 0x7F pass as obs-text (RFC 9110 5.5).
#[cfg(any(feature = "reqwest", feature = "ureq", feature = "tower"))]
pub(crate) fn header_value(bytes: Vec<u8>) -> Option<http::HeaderValue> {
    http::HeaderValue::from_bytes(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_methods_follow_fetch() {
        for (status, method, want) in [
            (301, "POST", Some(NextMethod::Get)),
            (302, "post", Some(NextMethod::Get)),
            (301, "GET", Some(NextMethod::Keep)),
            (302, "DELETE", Some(NextMethod::Keep)),
            (303, "PUT", Some(NextMethod::Get)),
            (303, "GET", Some(NextMethod::Get)),
            (303, "HEAD", Some(NextMethod::Keep)),
            (307, "POST", Some(NextMethod::Keep)),
            (308, "PUT", Some(NextMethod::Keep)),
            (300, "GET", None),
            (304, "GET", None),
            (200, "GET", None),
        ] {
            assert_eq!(redirect_method(status, method), want, "{status} {method}");
        }
    }

    #[cfg(any(feature = "reqwest", feature = "ureq"))]
    #[test]
    fn hops_count_and_stop_at_the_limit() {
        let mut hops = Hops::new(Url::parse("http://a.test/0").unwrap(), "POST".into(), 2);
        assert_eq!(hops.follow(302, Some(b"/1")), Ok(Some(NextMethod::Get)));
        assert_eq!(hops.method, "GET");
        assert_eq!(
            hops.follow(307, Some(b"http://b.test/2")),
            Ok(Some(NextMethod::Keep))
        );
        assert_eq!(hops.chain.hops().len(), 2);
        assert_eq!(hops.chain.hops()[1].as_str(), "http://a.test/1");
        assert_eq!(hops.url.as_str(), "http://b.test/2");
        assert_eq!(
            hops.follow(302, Some(b"/3")),
            Err(RedirectError::TooManyRedirects { limit: 2 })
        );
        assert_eq!(hops.follow(200, Some(b"/3")), Ok(None));
        assert_eq!(hops.follow(302, None), Ok(None));
    }

    #[test]
    fn bad_locations_are_errors_not_panics() {
        let base = Url::parse("http://a.test/x#frag").unwrap();
        for bad in [
            &b"http://[::1"[..],
            b"\xff\xfe",
            b"javascript:alert(1)",
            b"data:,x",
        ] {
            assert!(resolve_location(&base, bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            resolve_location(&base, b"/y").unwrap().as_str(),
            "http://a.test/y#frag"
        );
        assert_eq!(
            resolve_location(&base, b"/y#z").unwrap().as_str(),
            "http://a.test/y#z"
        );
    }
}

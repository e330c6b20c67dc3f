//! reqwest with the jar (feature `reqwest`), two ways.
//!
//! - **As reqwest's cookie store**: `Arc<SharedJar>` (or a [`ContextJar`] view of one) given to
//!   `ClientBuilder::cookie_provider`. reqwest then follows redirects and calls the store on each
//!   hop, but its hook passes only a URL: no method and no redirect chain, so every request is
//!   a GET-like request of the view's [`ClientContext`], and a cross-site redirect cannot change
//!   the SameSite context.
//! - **[`Client`]**: a reqwest client with redirects turned off, following them itself, so each
//!   hop's [`RequestContext`](crate::RequestContext) has its method (303, and 301/302 on POST,
//!   become GET; 307/308 keep the method and body) and the chain of earlier hops, as a browser's.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use cookiejar::{client::reqwest::Client, SharedJar};
//! use std::sync::Arc;
//!
//! let client = Client::new(Arc::new(SharedJar::new()))?;
//! let page = client.get("http://example.com/login").await?;
//! println!("{}", page.text().await?);
//! # Ok(()) }
//! ```

use super::{header_value, next_hop_headers, ClientContext, ClientError, Hops, JarHandle};
use super::{NextMethod, RedirectError, MAX_REDIRECTS};
use crate::shared::SharedJar;
use crate::timestamp::Timestamp;
use reqwest::header::{HeaderValue, COOKIE, LOCATION, SET_COOKIE};
use std::sync::Arc;

/// Stores a response's `Set-Cookie` values through reqwest's hook, raw (no `to_str()`, so a
/// value with non-ASCII bytes is kept as sent).
fn hook_set<J: JarHandle + ?Sized>(
    jar: &J,
    context: &ClientContext,
    headers: &mut dyn Iterator<Item = &HeaderValue>,
    url: &url::Url,
) {
    let now = Timestamp::now();
    // reqwest's hook passes no method and no chain.
    let ctx = context.request_context(url, "GET", &[]);
    for value in headers {
        jar.store_set_cookie(value.as_bytes(), &ctx, now);
    }
}

fn hook_get<J: JarHandle + ?Sized>(
    jar: &J,
    context: &ClientContext,
    url: &url::Url,
) -> Option<HeaderValue> {
    let mut out = Vec::new();
    let ctx = context.request_context(url, "GET", &[]);
    if jar.append_cookie_header(&ctx, Timestamp::now(), &mut out) == 0 {
        return None;
    }
    header_value(out)
}

/// A [`SharedJar`] seen through a fixed [`ClientContext`]: give it to
/// `reqwest::ClientBuilder::cookie_provider` to make that client's requests, for example, the
/// subresources of one page. Cheap to make; many views can share one jar.
///
/// ```
/// use cookiejar::{ClientContext, SharedJar};
/// use std::sync::Arc;
/// let jar = Arc::new(SharedJar::new());
/// let page = url::Url::parse("https://news.example/").unwrap();
/// let widgets = jar.with_client_context(ClientContext::Subresource(page));
/// let client = reqwest::Client::builder().cookie_provider(Arc::new(widgets)).build().unwrap();
/// # let _ = client;
/// ```
#[derive(Clone, Debug)]
pub struct ContextJar {
    jar: Arc<SharedJar>,
    context: ClientContext,
}

impl ContextJar {
    /// The jar.
    pub fn jar(&self) -> &Arc<SharedJar> {
        &self.jar
    }

    /// The context.
    pub fn context(&self) -> &ClientContext {
        &self.context
    }
}

impl SharedJar {
    /// A view of this jar whose requests all have `context` (see [`ContextJar`]).
    pub fn with_client_context(self: &Arc<Self>, context: ClientContext) -> ContextJar {
        ContextJar {
            jar: Arc::clone(self),
            context,
        }
    }
}

/// reqwest's cookie hook, with every request a user-started top-level navigation
/// ([`ClientContext::TopLevel`]) at the system clock. A drop-in for `reqwest::cookie::Jar`:
///
/// ```
/// use cookiejar::SharedJar;
/// use std::sync::Arc;
/// let jar = Arc::new(SharedJar::new());
/// let client = reqwest::Client::builder().cookie_provider(Arc::clone(&jar)).build().unwrap();
/// # let _ = client;
/// ```
///
/// reqwest calls `set_cookies` with the URL of each response (each hop of a redirect
/// included) and `cookies` with the URL of each request. It passes no page, initiator, method
/// or redirect chain, so SameSite is decided as for a top-level GET navigation; for another
/// context, use [`SharedJar::with_client_context`], and for the method and the chain,
/// [`Client`].
impl reqwest::cookie::CookieStore for SharedJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &url::Url) {
        hook_set(self, &ClientContext::TopLevel, cookie_headers, url);
    }

    fn cookies(&self, url: &url::Url) -> Option<HeaderValue> {
        hook_get(self, &ClientContext::TopLevel, url)
    }
}

/// reqwest's cookie hook with the view's [`ClientContext`].
impl reqwest::cookie::CookieStore for ContextJar {
    fn set_cookies(&self, cookie_headers: &mut dyn Iterator<Item = &HeaderValue>, url: &url::Url) {
        hook_set(&*self.jar, &self.context, cookie_headers, url);
    }

    fn cookies(&self, url: &url::Url) -> Option<HeaderValue> {
        hook_get(&*self.jar, &self.context, url)
    }
}

/// A reqwest client that follows redirects itself, hop by hop, with any jar ([`JarHandle`]):
/// each hop sends the jar's `Cookie` header for its URL, method and chain of earlier hops, and
/// stores each hop's `Set-Cookie` values (raw bytes) in the same context.
///
/// The redirect rules are a browser's (Fetch 4.4): 303, and 301/302 on POST, become a GET
/// without the body and its headers; 307 and 308 resend the method and body (a streamed body
/// cannot be resent: [`RedirectError::BodyNotReplayable`]); a cross-origin hop drops
/// `Authorization`; more than [`MAX_REDIRECTS`] is an error. A `Cookie` header set on the
/// request by hand is replaced by the jar's.
///
/// The wrapped reqwest client must not follow redirects or keep cookies itself:
/// [`Client::new`] builds one so; [`Client::with_client`] takes yours as it is.
#[derive(Clone, Debug)]
pub struct Client<J> {
    client: reqwest::Client,
    jar: J,
    context: ClientContext,
    max_redirects: usize,
}

impl<J: JarHandle> Client<J> {
    /// A client with reqwest's defaults, except that it follows no redirects itself
    /// (`redirect::Policy::none()`) and has no cookie store.
    pub fn new(jar: J) -> Result<Self, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Self::with_client(client, jar))
    }

    /// Wraps a reqwest client built with `.redirect(reqwest::redirect::Policy::none())` and
    /// without a `cookie_provider` (a client that follows redirects itself would hide every
    /// hop but the last from the jar).
    pub fn with_client(client: reqwest::Client, jar: J) -> Self {
        Client {
            client,
            jar,
            context: ClientContext::TopLevel,
            max_redirects: MAX_REDIRECTS,
        }
    }

    /// The context of this client's requests (by default [`ClientContext::TopLevel`]).
    #[must_use]
    pub fn with_context(mut self, context: ClientContext) -> Self {
        self.context = context;
        self
    }

    /// The most redirects followed for one request (by default [`MAX_REDIRECTS`]).
    #[must_use]
    pub fn with_max_redirects(mut self, limit: usize) -> Self {
        self.max_redirects = limit;
        self
    }

    /// The reqwest client, to build requests with (`client.inner().post(url).form(..)`).
    pub fn inner(&self) -> &reqwest::Client {
        &self.client
    }

    /// The jar.
    pub fn jar(&self) -> &J {
        &self.jar
    }

    /// The context of this client's requests.
    pub fn context(&self) -> &ClientContext {
        &self.context
    }

    /// GETs `url`, following redirects.
    pub async fn get(&self, url: &str) -> Result<reqwest::Response, ClientError<reqwest::Error>> {
        let request = self.client.get(url).build().map_err(ClientError::Client)?;
        self.execute(request).await
    }

    /// Sends `request`, following redirects; the response is the last hop's.
    pub async fn execute(
        &self,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, ClientError<reqwest::Error>> {
        self.execute_in(request, &self.context).await
    }

    /// [`Client::execute`] in another context than the client's own (one form POST from a
    /// page, say).
    pub async fn execute_in(
        &self,
        mut request: reqwest::Request,
        context: &ClientContext,
    ) -> Result<reqwest::Response, ClientError<reqwest::Error>> {
        if !matches!(request.url().scheme(), "http" | "https") {
            return Err(ClientError::BadUrl(request.url().to_string()));
        }
        let mut hops = Hops::new(
            request.url().clone(),
            request.method().as_str().to_owned(),
            self.max_redirects,
        );
        loop {
            // What the next hop needs of this one: the whole request (307/308) or its headers.
            let replay = request.try_clone();
            let (headers, timeout) = (request.headers().clone(), request.timeout().copied());
            request.headers_mut().remove(COOKIE);
            if let Some(value) = hops
                .cookie_header(&self.jar, context)
                .and_then(header_value)
            {
                request.headers_mut().insert(COOKIE, value);
            }
            let response = self
                .client
                .execute(request)
                .await
                .map_err(ClientError::Client)?;
            let set_cookies = response.headers().get_all(SET_COOKIE);
            hops.store(&self.jar, context, set_cookies.iter().map(|v| v.as_bytes()));
            let from = hops.url.clone();
            let location = response.headers().get(LOCATION).map(|v| v.as_bytes());
            let Some(next) = hops.follow(response.status().as_u16(), location)? else {
                return Ok(response);
            };
            let mut next_request = match next {
                NextMethod::Keep => replay.ok_or(RedirectError::BodyNotReplayable)?,
                NextMethod::Get => {
                    let mut r = reqwest::Request::new(reqwest::Method::GET, hops.url.clone());
                    *r.headers_mut() = headers;
                    *r.timeout_mut() = timeout;
                    r
                }
            };
            *next_request.url_mut() = hops.url.clone();
            next_hop_headers(next_request.headers_mut(), next, &from, &hops.url);
            request = next_request;
        }
    }
}

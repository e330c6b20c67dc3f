//! ureq 3 with the jar (feature `ureq`): [`Agent`], a `ureq::Agent` that follows redirects
//! itself.
//!
//! ureq has no pluggable cookie store, and its `Middleware` sits above its own redirect loop,
//! whose hops would send their `Set-Cookie` values to ureq's internal jar (the `cookies`
//! feature) and never to this one. So [`Agent`] runs every request with ureq's redirects off
//! (`max_redirects(0)`, set per request, so any `ureq::Agent` will do) and 3xx statuses as
//! responses, and loops itself: each hop sends the jar's `Cookie` header for its URL, method and
//! chain of earlier hops, and stores each hop's `Set-Cookie` values as raw bytes.
//!
//! ```no_run
//! use cookiejar::{client::ureq::Agent, SharedJar};
//! use std::sync::Arc;
//!
//! let agent = Agent::new(Arc::new(SharedJar::new()));
//! let mut page = agent.get("http://example.com/login")?;
//! println!("{}", page.body_mut().read_to_string()?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Leave ureq's own `cookies` feature off: with it, ureq would also send its internal jar's
//! cookies on every request.

use super::{header_value, next_hop_headers, ClientContext, ClientError, Hops, JarHandle};
use super::{NextMethod, MAX_REDIRECTS};
use http::header::{COOKIE, LOCATION, SET_COOKIE};
use url::Url;

/// The response type: ureq's (`http::Response<ureq::Body>`), the last hop's.
pub type Response = http::Response<ureq::Body>;

/// A ureq agent with a jar ([`JarHandle`]), following redirects the way a browser does.
///
/// The redirect rules (Fetch 4.4): 303, and 301/302 on POST, become a GET without the body and
/// its headers; 307 and 308 resend the method and the body; a cross-origin hop drops
/// `Authorization`; more than [`MAX_REDIRECTS`] (or [`Agent::with_max_redirects`]) is an error.
/// A `Cookie` header set on the request by hand is replaced by the jar's. Statuses of 400 and
/// up are responses, not errors (ureq's `http_status_as_error` is off for these requests).
#[derive(Clone, Debug)]
pub struct Agent<J> {
    agent: ureq::Agent,
    jar: J,
    context: ClientContext,
    max_redirects: usize,
}

impl<J: JarHandle> Agent<J> {
    /// An agent with ureq's default configuration.
    pub fn new(jar: J) -> Self {
        Self::with_agent(ureq::Agent::new_with_defaults(), jar)
    }

    /// Wraps `agent` (its resolver, proxy, TLS and timeouts are used as they are; its redirect
    /// and status-as-error settings are overridden per request).
    pub fn with_agent(agent: ureq::Agent, jar: J) -> Self {
        Agent {
            agent,
            jar,
            context: ClientContext::TopLevel,
            max_redirects: MAX_REDIRECTS,
        }
    }

    /// The context of this agent's requests (by default [`ClientContext::TopLevel`]).
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

    /// The ureq agent.
    pub fn inner(&self) -> &ureq::Agent {
        &self.agent
    }

    /// The jar.
    pub fn jar(&self) -> &J {
        &self.jar
    }

    /// The context of this agent's requests.
    pub fn context(&self) -> &ClientContext {
        &self.context
    }

    /// GETs `url`, following redirects.
    pub fn get(&self, url: &str) -> Result<Response, ClientError<ureq::Error>> {
        self.run(request("GET", url, Vec::new())?)
    }

    /// POSTs `body` as `application/x-www-form-urlencoded` (an HTML form) to `url`, following
    /// redirects.
    pub fn post_form(&self, url: &str, body: &str) -> Result<Response, ClientError<ureq::Error>> {
        let mut req = request("POST", url, body.as_bytes().to_vec())?;
        req.headers_mut().insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self.run(req)
    }

    /// Sends `request` (an absolute http(s) URI; the body is kept so that a 307 or 308 can
    /// resend it), following redirects.
    pub fn run(
        &self,
        request: http::Request<Vec<u8>>,
    ) -> Result<Response, ClientError<ureq::Error>> {
        self.run_in(request, &self.context)
    }

    /// [`Agent::run`] in another context than the agent's own (one form POST from a page, say).
    pub fn run_in(
        &self,
        request: http::Request<Vec<u8>>,
        context: &ClientContext,
    ) -> Result<Response, ClientError<ureq::Error>> {
        let (mut parts, mut body) = request.into_parts();
        let uri = parts.uri.to_string();
        let url = Url::parse(&uri).map_err(|_| ClientError::BadUrl(uri.clone()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ClientError::BadUrl(uri));
        }
        let mut hops = Hops::new(url, parts.method.as_str().to_owned(), self.max_redirects);
        loop {
            parts.headers.remove(COOKIE);
            if let Some(value) = hops
                .cookie_header(&self.jar, context)
                .and_then(header_value)
            {
                parts.headers.insert(COOKIE, value);
            }
            let response = self.send(&parts, &body)?;
            let set_cookies = response.headers().get_all(SET_COOKIE);
            hops.store(&self.jar, context, set_cookies.iter().map(|v| v.as_bytes()));
            let from = hops.url.clone();
            let location = response.headers().get(LOCATION).map(|v| v.as_bytes());
            let Some(next) = hops.follow(response.status().as_u16(), location)? else {
                return Ok(response);
            };
            if next == NextMethod::Get {
                parts.method = http::Method::GET;
                body = Vec::new();
            }
            // A `Url` is always a valid URI (it is ASCII, percent-encoded).
            parts.uri = hops
                .url
                .as_str()
                .parse()
                .map_err(|_| ClientError::BadUrl(hops.url.to_string()))?;
            next_hop_headers(&mut parts.headers, next, &from, &hops.url);
        }
    }

    /// One hop: ureq's redirects off and statuses as responses, for this request alone.
    fn send(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
    ) -> Result<Response, ClientError<ureq::Error>> {
        let mut builder = http::Request::builder()
            .method(parts.method.clone())
            .uri(parts.uri.clone())
            .version(parts.version);
        if let Some(headers) = builder.headers_mut() {
            headers.clone_from(&parts.headers);
        }
        if body.is_empty() {
            // No body at all (not a zero-length one): a GET sends no Content-Length.
            let req = builder
                .body(())
                .map_err(|_| ClientError::BadUrl(parts.uri.to_string()))?;
            run_configured(&self.agent, req).map_err(ClientError::Client)
        } else {
            let req = builder
                .body(body)
                .map_err(|_| ClientError::BadUrl(parts.uri.to_string()))?;
            run_configured(&self.agent, req).map_err(ClientError::Client)
        }
    }
}

fn run_configured<S: ureq::AsSendBody>(
    agent: &ureq::Agent,
    req: http::Request<S>,
) -> Result<Response, ureq::Error> {
    let req = agent
        .configure_request(req)
        // The redirect loop is ours, so every hop reaches the jar.
        .max_redirects(0)
        // A 4xx or 5xx is a response for the caller to read, as a browser shows it.
        .http_status_as_error(false)
        .build();
    agent.run(req)
}

fn request(
    method: &str,
    url: &str,
    body: Vec<u8>,
) -> Result<http::Request<Vec<u8>>, ClientError<ureq::Error>> {
    http::Request::builder()
        .method(method)
        .uri(url)
        .body(body)
        .map_err(|_| ClientError::BadUrl(url.to_owned()))
}

//! hyper and tower with the jar (feature `tower`): [`CookieLayer`], a `tower::Layer` for any
//! HTTP client service (`Service<http::Request<B>, Response = http::Response<R>>`, such as
//! hyper-util's `Client`), and [`ChainPolicy`] for tower-http's `FollowRedirect`.
//!
//! The cookie layer adds the jar's `Cookie` header to each request that passes through it and
//! stores each response's `Set-Cookie` values as raw bytes (a value that is not UTF-8 survives).
//! It sees one request per hop only when it sits **inside** the redirect layer: the order is
//! `FollowRedirect` (outermost), then `CookieLayer`, then the client. Outside it, the layer
//! would see the first request and the last response only, and the cookies of every hop in
//! between would be lost (and sent to the wrong host).
//!
//! `FollowRedirect` rebuilds each hop's request and drops its extensions; [`ChainPolicy`] (a
//! wrapper around any tower-http redirect policy; [`ChainPolicy::standard`] wraps [`Standard`]) puts the chain of
//! earlier hops ([`RedirectChain`]) and the first request's [`ClientContext`] back on each hop,
//! so that each hop's [`RequestContext`](crate::RequestContext) is what a browser's would be.
//! tower-http changes the method as a browser does (303, and 301/302 on POST, become GET;
//! 307/308 keep it) and stops after 20 redirects with the `Standard` policy; `ChainPolicy` also
//! stops at a redirect to a scheme other than http(s). Where the chain stops, the redirect
//! response is the answer.
//! A 307 or 308 resends the body only when the wrapped policy can clone it (tower-http's
//! `clone_body_fn`, combined with `PolicyExt::and`); otherwise the redirect response comes back.
//!
//! ```
//! use cookiejar::client::tower::{ChainPolicy, CookieLayer};
//! use cookiejar::SharedJar;
//! use http_body_util::Empty;
//! use hyper::body::Bytes;
//! use hyper_util::client::legacy::Client;
//! use hyper_util::rt::TokioExecutor;
//! use std::sync::Arc;
//! use tower::ServiceBuilder;
//! use tower_http::follow_redirect::FollowRedirectLayer;
//!
//! let jar = Arc::new(SharedJar::new());
//! let client = ServiceBuilder::new()
//!     .layer(FollowRedirectLayer::with_policy(ChainPolicy::standard())) // outermost
//!     .layer(CookieLayer::new(Arc::clone(&jar)))                      // every hop
//!     .service(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());
//! # let _ = client;
//! ```
//!
//! A request's own context (a form POST from a page, say) is a [`ClientContext`] request
//! extension; without one, the layer's context applies ([`ClientContext::TopLevel`] by
//! default). A request whose URI is not an absolute http(s) URI passes through untouched.

use super::{header_value, ClientContext, JarHandle, RedirectChain};
use crate::timestamp::Timestamp;
use http::header::{COOKIE, SET_COOKIE};
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tower_http::follow_redirect::policy::{Action, Attempt, Policy, Standard};
use url::Url;

/// A `tower::Layer` that gives the services it wraps the jar: see the [module docs](self) for
/// where it goes.
#[derive(Clone, Debug)]
pub struct CookieLayer<J> {
    jar: J,
    context: ClientContext,
}

impl<J> CookieLayer<J> {
    /// The layer, with every request a top-level navigation ([`ClientContext::TopLevel`])
    /// unless it carries its own [`ClientContext`] extension.
    pub fn new(jar: J) -> Self {
        CookieLayer {
            jar,
            context: ClientContext::TopLevel,
        }
    }

    /// The context of requests that carry none of their own.
    #[must_use]
    pub fn with_context(mut self, context: ClientContext) -> Self {
        self.context = context;
        self
    }
}

impl<S, J: Clone> tower_layer::Layer<S> for CookieLayer<J> {
    type Service = CookieService<S, J>;

    fn layer(&self, inner: S) -> Self::Service {
        CookieService {
            inner,
            jar: self.jar.clone(),
            context: self.context.clone(),
        }
    }
}

/// The service [`CookieLayer`] makes: `Cookie` on the way out, `Set-Cookie` on the way back.
#[derive(Clone, Debug)]
pub struct CookieService<S, J> {
    inner: S,
    jar: J,
    context: ClientContext,
}

impl<S, J> CookieService<S, J> {
    /// The wrapped service.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// The jar.
    pub fn jar(&self) -> &J {
        &self.jar
    }
}

impl<S, J, B, R> tower_service::Service<http::Request<B>> for CookieService<S, J>
where
    S: tower_service::Service<http::Request<B>, Response = http::Response<R>>,
    J: JarHandle + Clone,
{
    type Response = http::Response<R>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, J>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<B>) -> Self::Future {
        let url = Url::parse(&req.uri().to_string())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"));
        let after = url.map(|url| {
            let chain = req
                .extensions()
                .get::<RedirectChain>()
                .cloned()
                .unwrap_or_default();
            let context = req
                .extensions()
                .get::<ClientContext>()
                .cloned()
                .unwrap_or_else(|| self.context.clone());
            let hop = Hop {
                jar: self.jar.clone(),
                url,
                method: req.method().as_str().to_owned(),
                chain,
                context,
            };
            // The jar writes this hop's header; one set by hand or left from a hop is replaced.
            req.headers_mut().remove(COOKIE);
            let mut out = Vec::new();
            let ctx = hop.request_context();
            if hop
                .jar
                .append_cookie_header(&ctx, Timestamp::now(), &mut out)
                > 0
            {
                if let Some(value) = header_value(out) {
                    req.headers_mut().insert(COOKIE, value);
                }
            }
            hop
        });
        ResponseFuture {
            inner: Box::pin(self.inner.call(req)),
            hop: after,
        }
    }
}

/// What a response needs to be stored in its request's context.
struct Hop<J> {
    jar: J,
    url: Url,
    method: String,
    chain: RedirectChain,
    context: ClientContext,
}

impl<J> Hop<J> {
    fn request_context(&self) -> crate::RequestContext<'_> {
        self.context
            .request_context(&self.url, &self.method, self.chain.hops())
    }
}

/// The future of [`CookieService`]: the inner service's, storing the response's cookies.
pub struct ResponseFuture<F, J> {
    inner: Pin<Box<F>>,
    hop: Option<Hop<J>>,
}

// The inner future is boxed and pinned there; nothing else is ever pinned.
impl<F, J> Unpin for ResponseFuture<F, J> {}

impl<F, J> std::fmt::Debug for ResponseFuture<F, J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture")
            .field("url", &self.hop.as_ref().map(|h| h.url.as_str()))
            .finish_non_exhaustive()
    }
}

impl<F, J, R, E> Future for ResponseFuture<F, J>
where
    F: Future<Output = Result<http::Response<R>, E>>,
    J: JarHandle,
{
    type Output = Result<http::Response<R>, E>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let result = ready!(self.inner.as_mut().poll(cx));
        if let (Ok(response), Some(hop)) = (&result, self.hop.take()) {
            let ctx = hop.request_context();
            let now = Timestamp::now();
            for value in response.headers().get_all(SET_COOKIE) {
                // Raw bytes: no `to_str()`, so a value that is not UTF-8 is stored as sent.
                hop.jar.store_set_cookie(value.as_bytes(), &ctx, now);
            }
        }
        Poll::Ready(result)
    }
}

/// A tower-http redirect policy that tells [`CookieLayer`] which hop each request is: it wraps
/// any policy `P` (the decisions are `P`'s) and puts the [`RedirectChain`] of earlier hops and
/// the first request's [`ClientContext`] on every hop's request, since `FollowRedirect` drops
/// request extensions between hops.
///
/// [`ChainPolicy::standard`] wraps tower-http's [`Standard`] (at most 20 redirects, Fetch 4.4
/// step 5; `Authorization` and a hand-set `Cookie` dropped on a cross-origin hop, Fetch 4.4
/// step 13). Whatever it wraps, a redirect to a scheme other than http(s) (`javascript:`,
/// `file:`) is not followed (Fetch 4.4 step 6): the redirect response is the answer.
#[derive(Clone, Debug, Default)]
pub struct ChainPolicy<P = Standard> {
    inner: P,
    chain: RedirectChain,
    context: Option<ClientContext>,
    started: bool,
}

impl ChainPolicy<Standard> {
    /// [`Standard`] wrapped: what `FollowRedirectLayer::with_policy` takes.
    pub fn standard() -> Self {
        ChainPolicy::new(Standard::default())
    }
}

impl<P> ChainPolicy<P> {
    /// Wraps `inner`.
    pub fn new(inner: P) -> Self {
        ChainPolicy {
            inner,
            chain: RedirectChain::new(),
            context: None,
            started: false,
        }
    }
}

impl<B, E, P: Policy<B, E>> Policy<B, E> for ChainPolicy<P> {
    fn redirect(&mut self, attempt: &Attempt<'_>) -> Result<Action, E> {
        // Fetch 4.4 step 6: a redirect to anything but http(s) is a network error; tower-http
        // would follow it, so the chain stops here and the redirect response is the answer.
        let location = Url::parse(&attempt.location().to_string()).ok();
        if !location.is_some_and(|l| matches!(l.scheme(), "http" | "https")) {
            return Ok(Action::Stop);
        }
        let action = self.inner.redirect(attempt)?;
        if action.is_follow() {
            // The redirected request becomes an earlier hop of the chain. A URI tower-http
            // followed is absolute; one the URL parser refuses is left out rather than guessed.
            if let Ok(previous) = Url::parse(&attempt.previous().to_string()) {
                self.chain.push(previous);
            }
        }
        Ok(action)
    }

    fn on_request(&mut self, request: &mut http::Request<B>) {
        self.inner.on_request(request);
        if !self.started {
            // The first request: its own context, if it has one, holds for every hop.
            self.started = true;
            self.context = request.extensions().get::<ClientContext>().cloned();
        }
        request.extensions_mut().insert(self.chain.clone());
        if let Some(context) = &self.context {
            request.extensions_mut().insert(context.clone());
        }
    }

    fn clone_body(&self, body: &B) -> Option<B> {
        self.inner.clone_body(body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::SharedJar;
    use std::sync::{Arc, Mutex};
    use tower_service::Service;

    /// A service that records the `Cookie` header it got and answers with `set_cookie`.
    fn server(
        seen: Arc<Mutex<Vec<Option<Vec<u8>>>>>,
        set_cookie: &'static [u8],
    ) -> impl tower_service::Service<
        http::Request<()>,
        Response = http::Response<()>,
        Error = std::convert::Infallible,
        Future = std::future::Ready<Result<http::Response<()>, std::convert::Infallible>>,
    > + Clone {
        tower::service_fn(move |req: http::Request<()>| {
            let cookie = req.headers().get(COOKIE).map(|v| v.as_bytes().to_vec());
            seen.lock().unwrap().push(cookie);
            let mut res = http::Response::new(());
            res.headers_mut().append(
                SET_COOKIE,
                http::HeaderValue::from_bytes(set_cookie).unwrap(),
            );
            std::future::ready(Ok(res))
        })
    }

    fn call<S: Service<http::Request<()>>>(svc: &mut S, req: http::Request<()>) -> S::Response
    where
        S::Error: std::fmt::Debug,
    {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        rt.block_on(svc.call(req)).unwrap()
    }

    #[test]
    fn raw_bytes_both_ways_and_a_hand_set_cookie_is_replaced() {
        let jar = Arc::new(SharedJar::new());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut svc = tower_layer::Layer::layer(
            &CookieLayer::new(Arc::clone(&jar)),
            server(Arc::clone(&seen), b"v=caf\xe9; Path=/"),
        );
        let req = || {
            http::Request::get("http://site.test/")
                .header(COOKIE, "forged=1")
                .body(())
                .unwrap()
        };
        call(&mut svc, req());
        call(&mut svc, req());
        let seen = seen.lock().unwrap();
        assert_eq!(*seen, vec![None, Some(b"v=caf\xe9".to_vec())]);
    }

    #[test]
    fn a_relative_uri_passes_through_untouched() {
        let jar = Arc::new(SharedJar::new());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut svc = tower_layer::Layer::layer(
            &CookieLayer::new(Arc::clone(&jar)),
            server(Arc::clone(&seen), b"v=1"),
        );
        let req = http::Request::get("/only/a/path")
            .header(COOKIE, "mine=1")
            .body(())
            .unwrap();
        call(&mut svc, req);
        assert_eq!(*seen.lock().unwrap(), vec![Some(b"mine=1".to_vec())]);
        assert!(jar.is_empty(), "no URL, nothing stored");
    }

    #[test]
    fn the_request_context_extension_wins() {
        let jar = Arc::new(SharedJar::new());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let mut svc = tower_layer::Layer::layer(
            &CookieLayer::new(Arc::clone(&jar)),
            server(Arc::clone(&seen), b"s=1; SameSite=Strict"),
        );
        call(
            &mut svc,
            http::Request::get("http://site.test/").body(()).unwrap(),
        );
        let other = Url::parse("http://other.test/").unwrap();
        let mut req = http::Request::get("http://site.test/").body(()).unwrap();
        req.extensions_mut()
            .insert(ClientContext::Subresource(other));
        call(&mut svc, req);
        call(
            &mut svc,
            http::Request::get("http://site.test/").body(()).unwrap(),
        );
        let seen = seen.lock().unwrap();
        // Strict: not sent to a cross-site subresource, sent to the top-level navigation.
        assert_eq!(*seen, vec![None, None, Some(b"s=1".to_vec())]);
    }
}

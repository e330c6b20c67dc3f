//! Fetches one URL with hyper-util's client under tower-http's `FollowRedirect` and the jar's
//! `CookieLayer` (so every hop's cookies are stored and sent), and prints the final body.
//!
//! `cargo run --example hyper --features tower -- http://example.com/`

use cookiejar::client::tower::{ChainPolicy, CookieLayer};
use cookiejar::SharedJar;
use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::sync::Arc;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::follow_redirect::FollowRedirectLayer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: hyper URL")?;
    let client = ServiceBuilder::new()
        .layer(FollowRedirectLayer::with_policy(ChainPolicy::standard()))
        .layer(CookieLayer::new(Arc::new(SharedJar::new())))
        .service(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());
    let request = http::Request::get(url).body(Empty::new())?;
    let response = client.oneshot(request).await?;
    let body = response.into_body().collect().await?.to_bytes();
    std::io::Write::write_all(&mut std::io::stdout(), &body)?;
    Ok(())
}

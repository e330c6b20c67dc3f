//! Fetches one URL with reqwest and the jar, following redirects hop by hop (each hop's
//! cookies stored and sent), and prints the final response body.
//!
//! `cargo run --example reqwest --features reqwest -- http://example.com/`

use cookiejar::{client::reqwest::Client, SharedJar};
use std::sync::Arc;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: reqwest URL")?;
    let client = Client::new(Arc::new(SharedJar::new()))?;
    let body = client.get(&url).await?.bytes().await?;
    std::io::Write::write_all(&mut std::io::stdout(), &body)?;
    Ok(())
}

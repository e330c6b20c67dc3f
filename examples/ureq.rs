//! Fetches one URL with ureq and the jar, following redirects hop by hop (each hop's cookies
//! stored and sent), and prints the final response body.
//!
//! `cargo run --example ureq --features ureq -- http://example.com/`

use cookiejar::{client::ureq::Agent, SharedJar};
use std::sync::Arc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: ureq URL")?;
    let agent = Agent::new(Arc::new(SharedJar::new()));
    let mut response = agent.get(&url)?;
    std::io::copy(&mut response.body_mut().as_reader(), &mut std::io::stdout())?;
    Ok(())
}

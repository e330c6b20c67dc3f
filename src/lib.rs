//! # cookiejar
//!
//! The user-agent side of HTTP cookies, as a browser does it: parse `Set-Cookie`
//! (RFC 6265bis 5.6), store with domain, path and public-suffix rules (5.7), enforce Secure,
//! HttpOnly, prefixes and SameSite, and build the `Cookie` header (5.8), with lookups whose
//! cost follows the cookies of the request's site, never the jar's size.
//!
//! ```
//! use cookiejar::{CookieJar, RequestContext, Timestamp};
//! use url::Url;
//!
//! let mut jar = CookieJar::new();
//! let now = Timestamp::from_unix_seconds(1_800_000_000);
//! let url = Url::parse("https://www.example.com/").unwrap();
//! jar.set_cookie("id=42; Domain=example.com; Path=/; Secure", &RequestContext::navigation(&url), now).unwrap();
//! let api = Url::parse("https://api.example.com/v1").unwrap();
//! assert_eq!(jar.cookie_header(&RequestContext::navigation(&api), now).as_deref(), Some("id=42"));
//! ```
//!
//! The flow: [`parse`] turns bytes into a [`ParsedCookie`]; [`CookieJar::set_cookie`] admits it
//! under a [`Policy`] (or says why not, as a [`Rejection`]); [`CookieJar::cookie_header`] reads
//! the one bucket of the request's site and filters it by domain, path, Secure, HttpOnly,
//! SameSite and expiry ([`CookieJar::explain`] says why each cookie was or was not sent).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod client;
mod cookie;
#[cfg(feature = "browser-import")]
pub mod import;
mod jar;
pub mod persist;
mod policy;
mod reason;
pub mod rules;
mod shared;
mod snapshot;
mod store;
pub mod syntax;
mod timestamp;

pub use rules::{host, path};
pub use syntax::{date, parse};

#[cfg(feature = "reqwest")]
pub use client::reqwest::ContextJar;
pub use client::ClientContext;
pub use cookie::{Cookie, CookieBuilder, CookieId, Priority, SameSite};
pub use jar::CookieJar;
pub use parse::{parse_set_cookie, DateParser, ParseOptions, ParseWarnings, ParsedCookie};
pub use policy::{EvictionStyle, Policy, Profile, UnknownProfile};
pub use reason::{Exclusion, NotCanonical, ParseError, Rejection, Warning, Warnings};
pub use rules::context::{Api, RequestContext, SameSiteContext};
pub use rules::psl::SuffixList;
pub use rules::retrieve::Explanation;
pub use shared::SharedJar;
pub use snapshot::{JarSnapshot, Skipped};
pub use store::bucket::{SetOutcome, Stored};
pub use store::change::{Change, ChangeLog, ChangeSink, OwnedChange, RemovalCause};
pub use timestamp::Timestamp;
pub use url::Url;

/// The unit tests' random inputs: xorshift64, from a fixed seed, so every run tests the same ones.
#[cfg(test)]
pub(crate) fn xorshift(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

/// The README's examples are compiled and run as doctests, so they stay true (with the features
/// they use: `cargo test --all-features`).
#[cfg(all(
    doctest,
    feature = "json",
    feature = "netscape",
    feature = "sqlite",
    feature = "reqwest",
    feature = "ureq",
    feature = "tower",
    feature = "redis",
    feature = "browser-import"
))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

//! Syntax: `Set-Cookie` bytes to a [`ParsedCookie`](parse::ParsedCookie) (6265bis 5.6) and the
//! cookie-date algorithms (6265bis 5.1.1 and the browsers' variants). No URL, no clock.

pub mod date;
pub mod parse;

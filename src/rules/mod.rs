//! The rules that need a URL: hosts and the site key, the public suffix list, paths, the request
//! context and its SameSite computation.

pub(crate) mod admit;
pub(crate) mod context;
pub mod host;
pub mod path;
pub(crate) mod psl;
pub(crate) mod retrieve;

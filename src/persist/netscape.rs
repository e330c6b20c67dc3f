//! Netscape `cookies.txt`, as curl writes it (in progress).
use super::{Records, Written};
use crate::cookie::Cookie;
use crate::timestamp::Timestamp;

/// Reads a cookies.txt file.
pub fn read(_bytes: &[u8], _now: Timestamp) -> Records {
    Records::default()
}

/// Writes a cookies.txt file.
pub fn write<'a>(_cookies: impl IntoIterator<Item = &'a Cookie>, _now: Timestamp) -> Written {
    Written::default()
}

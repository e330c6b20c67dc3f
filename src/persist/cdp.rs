//! CDP / Puppeteer cookie arrays (in progress).
use super::{FormatError, Records, Written};
use crate::cookie::Cookie;
use crate::timestamp::Timestamp;

/// Reads a CDP cookie array.
pub fn read(_bytes: &[u8], _now: Timestamp) -> Result<Records, FormatError> {
    Ok(Records::default())
}

/// Writes a CDP cookie array.
pub fn write<'a>(_cookies: impl IntoIterator<Item = &'a Cookie>, _now: Timestamp) -> Written {
    Written::default()
}

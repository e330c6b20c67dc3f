//! Playwright `storageState` (in progress).
use super::{FormatError, Records, Written};
use crate::cookie::Cookie;
use crate::timestamp::Timestamp;

/// Reads the `cookies` of a storageState file.
pub fn read(_bytes: &[u8], _now: Timestamp) -> Result<Records, FormatError> {
    Ok(Records::default())
}

/// Writes a storageState file, keeping `existing`'s `origins`.
pub fn write<'a>(
    _cookies: impl IntoIterator<Item = &'a Cookie>,
    _now: Timestamp,
    _existing: Option<&[u8]>,
) -> Result<Written, FormatError> {
    Ok(Written::default())
}

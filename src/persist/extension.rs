//! (in progress)
use super::{FormatError, Records};
use crate::timestamp::Timestamp;

/// Reads the file.
pub fn read(_bytes: &[u8], _now: Timestamp) -> Result<Records, FormatError> {
    Ok(Records::default())
}

//! The `redis_record` fuzz target's checks: any bytes read back from a Redis hash field
//! (`persist::redis::decode_cookie`) give a typed error or a cookie that passed the canonical
//! gate, never a panic; and a decoded cookie encodes to bytes that decode to the same cookie.

use cookiejar::persist::redis::{decode_cookie, encode_cookie};
use cookiejar::Timestamp;

/// Runs the checks on one input: the first 8 bytes (when there are) are a last-access time.
pub fn check_redis_record(data: &[u8]) {
    let (access, record) = match data.split_first_chunk::<8>() {
        Some((t, rest)) if data.len() % 2 == 0 => (
            Some(Timestamp::from_unix_micros(i64::from_le_bytes(*t))),
            rest,
        ),
        _ => (None, data),
    };
    let Ok(cookie) = decode_cookie(record, access) else {
        return;
    };
    let again = decode_cookie(&encode_cookie(&cookie), access)
        .unwrap_or_else(|e| panic!("a decoded cookie re-encodes to bytes that fail: {e}"));
    assert_eq!(again, cookie, "encode(decode(x)) decodes to another cookie");
    assert_eq!(encode_cookie(&again), encode_cookie(&cookie));
}

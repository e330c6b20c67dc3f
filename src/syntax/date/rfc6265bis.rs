//! The cookie-date algorithm of RFC 6265bis section 5.1.1, step by step.

use super::calendar::{days_from_civil, days_in_month};
use super::cursor::Cursor;
use super::month_from_prefix;

/// 6265bis 5.1.1: `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
pub(super) fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// 6265bis 5.1.1: `hms-time = time-field ":" time-field ":" time-field`,
/// `time = hms-time [ non-digit *OCTET ]`, `time-field = 1*2DIGIT`.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let mut t = Cursor::new(token);
    let h = t.digits(1, 2)?;
    if !t.eat(b':') {
        return None;
    }
    let m = t.digits(1, 2)?;
    if !t.eat(b':') {
        return None;
    }
    // After the third field: the end, or a non-digit (`digits` read them all) then anything.
    let s = t.digits(1, 2)?;
    Some((h, m, s))
}

/// 6265bis 5.1.1: `day-of-month = 1*2DIGIT [ non-digit *OCTET ]` and
/// `year = 2*4DIGIT [ non-digit *OCTET ]`: `min..=max` digits, then the end of the token or
/// a non-digit followed by anything.
fn digits_then_anything(token: &[u8], min: usize, max: usize) -> Option<u32> {
    Cursor::new(token).digits(min, max)
}

/// Parses a cookie-date (6265bis 5.1.1) into seconds since the Unix epoch, UTC.
///
/// Returns `None` when the algorithm says "fail to parse the cookie-date".
///
/// ```
/// use cookiejar::date::parse_cookie_date;
/// assert_eq!(parse_cookie_date(b"Thu, 01 Jan 1970 00:00:01 GMT"), Some(1));
/// assert_eq!(parse_cookie_date(b"Wed, 09-Jun-21 10:18:14 GMT"), Some(1_623_233_894));
/// assert_eq!(parse_cookie_date(b"not a date"), None);
/// ```
pub fn parse_cookie_date(input: &[u8]) -> Option<i64> {
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    // 6265bis 5.1.1 step 1: date-token-list = the input split on delimiters.
    let mut tokens = Cursor::new(input);
    while let Some(token) = tokens.token(is_delimiter) {
        // Step 2: the first token matching each production, in this order, wins.
        if time.is_none() {
            if let Some(t) = parse_time(token) {
                time = Some(t);
                continue;
            }
        }
        if day.is_none() {
            if let Some(d) = digits_then_anything(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            // 6265bis 5.1.1: `month = ( "jan" / ... / "dec" ) *OCTET`.
            if let Some(m) = month_from_prefix(token) {
                month = Some(m);
                continue;
            }
        }
        if year.is_none() {
            if let Some(y) = digits_then_anything(token, 2, 4) {
                year = Some(y);
                continue;
            }
        }
    }
    // Steps 3 to 7, with 6265bis's lower bound on the year.
    to_unix(time?, day?, month?, year?, Some(1601))
}

/// 6265bis 5.1.1 steps 3-7 (shared with Chromium's variant): two-digit years, range checks,
/// the date must exist; then seconds since the epoch.
pub(super) fn to_unix(
    (hour, minute, second): (u32, u32, u32),
    day: u32,
    month: u32,
    year: u32,
    min_year: Option<i64>,
) -> Option<i64> {
    let mut year = i64::from(year);
    // Steps 3 and 4: two-digit years.
    if (70..=99).contains(&year) {
        year += 1900;
    } else if (0..=69).contains(&year) {
        year += 2000;
    }
    // Step 5: abort on out-of-range fields.
    if !(1..=31).contains(&day)
        || min_year.is_some_and(|m| year < m)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    // Step 6: the date must exist (no 31 April, no 29 February outside leap years).
    if day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second))
}

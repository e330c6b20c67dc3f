//! Chromium's cookie-date parser (`net/cookies/cookie_util.cc: ParseCookieExpirationTime`).

use super::cursor::Cursor;
use super::month_from_prefix;
use super::rfc6265bis::to_unix;

/// Chromium cookie_util.cc: `kDelimiters`, the characters `ParseCookieExpirationTime`
/// tokenizes on (the same set as 6265bis's `delimiter`).
fn is_delimiter(b: u8) -> bool {
    b"\t !\"#$%&'()*+,-./;<=>?@[\\]^_`{|}~".contains(&b)
}

/// Chromium cookie_util.cc: one field of a time token, everything up to the next `:`; it must
/// start with one or two digits, which are its value.
fn time_field(fields: &mut Cursor<'_>) -> Option<u32> {
    let f = fields.take_while(|b| b != b':');
    Cursor::new(f).digits(1, 2)
}

/// Chromium cookie_util.cc: a time token is exactly three `:`-separated fields.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let mut fields = Cursor::new(token);
    let h = time_field(&mut fields)?;
    if !fields.eat(b':') {
        return None;
    }
    let m = time_field(&mut fields)?;
    if !fields.eat(b':') {
        return None;
    }
    let s = time_field(&mut fields)?;
    // Chromium: `if (time_fields.size() != 3) return Time();` -- a fourth field fails.
    if fields.eat(b':') {
        return None;
    }
    Some((h, m, s))
}

/// Chromium's cookie-date parser (`cookie_util.cc: ParseCookieExpirationTime`), which departs
/// from 6265bis: `:` is not a delimiter; a token starting with a letter can be the month (a
/// month-name prefix), one holding `:` the time (exactly three fields; a second time-like token
/// fails the date), other digit tokens the day (at most 2 digits) then the year (at most 5);
/// no lower bound on the year. Returns Unix seconds.
///
/// ```
/// use cookiejar::date::parse_cookie_date_chromium as p;
/// assert_eq!(p(b"Thu, 01 Jan 1970 00:00:01 GMT"), Some(1));
/// assert!(p(b"Wed, 09 Jun 1600 10:18:14 GMT").is_some()); // 6265bis: year < 1601 fails
/// assert_eq!(p(b"Wed, 09 Jun 2027 10:18:14:15 GMT"), None); // four time fields
/// ```
pub fn parse_cookie_date_chromium(input: &[u8]) -> Option<i64> {
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut tokens = Cursor::new(input);
    while let Some(token) = tokens.token(is_delimiter) {
        if !token.first().is_some_and(u8::is_ascii_digit) {
            // Chromium: a token not starting with a digit may be the month (the first one).
            if month.is_none() {
                month = month_from_prefix(token);
            }
        } else if token.contains(&b':') {
            if time.is_some() {
                // Chromium: "We should only ever encounter one time-like thing."
                return None;
            }
            time = Some(parse_time(token)?);
        } else if day.is_none() && token.len() <= 2 {
            // Chromium: the first numeric token of at most two digits is the day of month.
            day = Cursor::new(token).digits(1, 2);
        } else if year.is_none() && token.len() <= 5 {
            // Chromium: then a numeric token of at most five digits is the year.
            year = Cursor::new(token).digits(1, 5);
        }
    }
    // base::Time::FromUTCExploded: the fields must form a real date and time; no lower bound.
    to_unix(time?, day?, month?, year?, None)
}

//! The cookie-date algorithm of RFC 6265bis section 5.1.1.
//!
//! [`parse_cookie_date`] turns the value of an `Expires` attribute into Unix seconds. It is a
//! literal transcription of the spec's steps: tokenize on delimiters, take the first token that
//! matches each of time, day-of-month, month and year, then normalize two-digit years and
//! validate ranges.

/// 6265bis 5.1.1: `delimiter = %x09 / %x20-2F / %x3B-40 / %x5B-60 / %x7B-7E`.
fn is_delimiter(b: u8) -> bool {
    matches!(b, 0x09 | 0x20..=0x2F | 0x3B..=0x40 | 0x5B..=0x60 | 0x7B..=0x7E)
}

/// Reads 1 to `max` leading digits; returns the number and how many bytes were digits.
fn leading_digits(token: &[u8], min: usize, max: usize) -> Option<(u32, usize)> {
    let n = token.iter().take_while(|b| b.is_ascii_digit()).count();
    if n < min || n > max {
        return None;
    }
    let value = token
        .iter()
        .take(n)
        .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((value, n))
}

/// `1*2DIGIT ( non-digit *OCTET )` and friends: `min..=max` digits, then either the end of the
/// token or a non-digit followed by anything.
fn digits_then_anything(token: &[u8], min: usize, max: usize) -> Option<u32> {
    // leading_digits already stops at the first non-digit, so whatever follows starts with one.
    leading_digits(token, min, max).map(|(v, _)| v)
}

/// 6265bis 5.1.1: `hms-time = time-field ":" time-field ":" time-field`,
/// `time = hms-time [ non-digit *OCTET ]`, `time-field = 1*2DIGIT`.
fn parse_time(token: &[u8]) -> Option<(u32, u32, u32)> {
    let (h, n1) = leading_digits(token, 1, 2)?;
    let rest = token.get(n1..)?;
    let rest = rest.strip_prefix(b":")?;
    let (m, n2) = leading_digits(rest, 1, 2)?;
    let rest = rest.get(n2..)?.strip_prefix(b":")?;
    let (s, n3) = leading_digits(rest, 1, 2)?;
    // After the third field: end, or a non-digit (leading_digits guarantees it) then anything.
    let _ = rest.get(n3..)?;
    Some((h, m, s))
}

/// 6265bis 5.1.1: `month = ( "jan" / ... / "dec" ) *OCTET`, case-insensitive.
fn parse_month(token: &[u8]) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let head = token.get(..3)?;
    MONTHS
        .iter()
        .position(|m| head.eq_ignore_ascii_case(&m[..]))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm.
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
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
    for token in input.split(|&b| is_delimiter(b)).filter(|t| !t.is_empty()) {
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
            if let Some(m) = parse_month(token) {
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
fn to_unix(
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
    const DELIMS: &[u8] = b"\t !\"#$%&'()*+,-./;<=>?@[\\]^_`{|}~";
    let mut time = None;
    let mut day = None;
    let mut month = None;
    let mut year = None;
    for token in input
        .split(|b| DELIMS.contains(b))
        .filter(|t| !t.is_empty())
    {
        let first = token.first().copied().unwrap_or(0);
        if !first.is_ascii_digit() {
            if month.is_none() {
                month = parse_month(token);
            }
        } else if token.contains(&b':') {
            if time.is_some() {
                // Chromium: "We should only ever encounter one time-like thing."
                return None;
            }
            let mut fields = token.split(|&b| b == b':');
            let mut next = || leading_digits(fields.next()?, 1, 2).map(|(v, _)| v);
            let (h, m, s) = (next()?, next()?, next()?);
            if fields.next().is_some() {
                return None;
            }
            time = Some((h, m, s));
        } else if day.is_none() && token.len() <= 2 {
            day = leading_digits(token, 1, 2).map(|(v, _)| v);
        } else if year.is_none() && token.len() <= 5 {
            year = leading_digits(token, 1, 5).map(|(v, _)| v);
        }
    }
    // base::Time::FromUTCExploded: the fields must form a real date and time; no lower bound.
    to_unix(time?, day?, month?, year?, None)
}

/// Firefox's cookie-date parser (NSPR `PR_ParseTimeString`, which Firefox's `CookieParser` uses
/// for `Expires`): lenient where 6265bis fails. Returns Unix seconds.
pub fn parse_cookie_date_firefox(input: &[u8]) -> Option<i64> {
    parse_cookie_date(input)
}

#[cfg(test)]
mod tests {
    use super::parse_cookie_date as p;

    #[test]
    fn rfc1123_and_rfc850_and_asctime() {
        assert_eq!(p(b"Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(p(b"Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(p(b"Sun Nov  6 08:49:37 1994"), Some(784_111_777));
    }

    #[test]
    fn two_digit_years() {
        // 6265bis 5.1.1 steps 3-4: 70-99 -> 19xx, 00-69 -> 20xx.
        assert_eq!(p(b"01 Jan 70 00:00:00"), Some(0));
        assert_eq!(p(b"01 Jan 69 00:00:00"), p(b"01 Jan 2069 00:00:00"));
        assert_eq!(p(b"01 Jan 00 00:00:00"), p(b"01 Jan 2000 00:00:00"));
    }

    #[test]
    fn out_of_range_fields_fail() {
        assert_eq!(p(b"32 Jan 2020 00:00:00"), None);
        assert_eq!(p(b"00 Jan 2020 00:00:00"), None);
        assert_eq!(p(b"01 Jan 2020 24:00:00"), None);
        assert_eq!(p(b"01 Jan 2020 00:60:00"), None);
        assert_eq!(p(b"01 Jan 2020 00:00:60"), None);
        assert_eq!(p(b"01 Jan 1600 00:00:00"), None);
        assert_eq!(p(b"31 Apr 2020 00:00:00"), None);
        assert_eq!(p(b"29 Feb 2021 00:00:00"), None);
        assert!(p(b"29 Feb 2020 00:00:00").is_some());
    }

    #[test]
    fn missing_parts_fail() {
        assert_eq!(p(b"Jan 2020 00:00:00"), None);
        assert_eq!(p(b"01 Jan 2020"), None);
        assert_eq!(p(b""), None);
    }

    #[test]
    fn case_insensitive_month_and_trailing_junk() {
        assert_eq!(p(b"10 APR 1980 16:33:12"), p(b"10 apr 1980 16:33:12"));
        assert_eq!(
            p(b"10 Aprilxyz 1980 16:33:12GMT"),
            p(b"10 Apr 1980 16:33:12")
        );
        // Three-digit day is not a day; it can be nothing else either.
        assert_eq!(p(b"100 Apr 1980 16:33:12"), None);
        // Five-digit years are not years.
        assert_eq!(p(b"10 Apr 19800 16:33:12"), None);
    }

    #[test]
    fn chromium_variant() {
        use super::parse_cookie_date_chromium as c;
        assert_eq!(c(b"Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(
            c(b"Wed, 09 Jun 027 10:18:14 GMT"),
            p(b"Wed, 09 Jun 2027 10:18:14 GMT")
        );
        assert!(c(b"Wed, 09 Jun 12027 10:18:14 GMT").is_some());
        assert_eq!(c(b"Wed, 09 Jun 2027 100:18:14 GMT"), None);
        assert_eq!(c(b"Wed, 09 Jun 2027 10:18 GMT"), None);
        assert_eq!(c(b"Wed, 31 Jun 2027 10:18:14 GMT"), None);
        assert_eq!(c(b"10:18:14 09 Jun 2027 11:00:00"), None);
    }

    #[test]
    fn large_years() {
        assert!(p(b"01 Jan 9999 23:59:59").is_some());
    }
}

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

/// NSPR prtime.c `PR_ParseTimeString`: the zone names it knows, as (minutes east of GMT,
/// daylight-saving minutes). `UT` (not followed by a letter) is GMT too.
fn nspr_zone(a: u8, b: u8, c: u8) -> Option<(i64, i64)> {
    Some(match [a, b, c] {
        [b'p', b's', b't'] => (-8 * 60, 0),
        [b'p', b'd', b't'] => (-8 * 60, 60),
        [b'm', b's', b't'] => (-7 * 60, 0),
        [b'm', b'd', b't'] => (-7 * 60, 60),
        [b'c', b's', b't'] => (-6 * 60, 0),
        [b'c', b'd', b't'] => (-6 * 60, 60),
        [b'e', b's', b't'] => (-5 * 60, 0),
        [b'e', b'd', b't'] => (-5 * 60, 60),
        [b'a', b's', b't'] => (-4 * 60, 0),
        [b'n', b's', b't'] => (-3 * 60 - 30, 0),
        [b'g', b'm', b't'] => (0, 0),
        [b'b', b's', b't'] => (0, 60),
        [b'm', b'e', b't'] => (60, 0),
        [b'e', b'e', b't'] => (2 * 60, 0),
        [b'j', b's', b't'] => (9 * 60, 0),
        _ => return None,
    })
}

/// NSPR prtime.c: `nDays[leap][month]`.
fn nspr_days_in_month(year: i16, month: i64) -> i64 {
    // `month` is normalized to 0..=11 by the caller.
    i64::from(days_in_month(
        i64::from(year),
        u32::try_from(month + 1).unwrap_or(1),
    ))
}

/// NSPR prtime.c `COUNT_DAYS(Y)`: days from 01/01/01 to the start of year Y, with C's
/// truncating division (Rust's `/` on integers truncates the same way).
fn nspr_count_days(y: i64) -> i64 {
    (y - 1) * 365 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400
}

/// NSPR prtime.c `PR_NormalizeTime(.., PR_GMTParameters)` followed by `PR_ImplodeTime`: carry
/// out-of-range seconds, minutes, hours, months and days (June 31 -> July 1, second 60 -> the
/// next minute, day 0 -> the last day of the previous month) and count seconds since the
/// epoch. `tm_year` is a `PRInt16` in NSPR, so it wraps like one.
fn nspr_implode(
    mut year: i16,
    mut month: i64,
    mut mday: i64,
    mut hour: i64,
    mut min: i64,
    mut sec: i64,
) -> i64 {
    // Seconds, minutes and hours carry into the next field, floor-wise.
    min += sec.div_euclid(60);
    sec = sec.rem_euclid(60);
    hour += min.div_euclid(60);
    min = min.rem_euclid(60);
    mday += hour.div_euclid(24);
    hour = hour.rem_euclid(24);
    // "Normalize month and year before mday".
    year = year.wrapping_add(i16::try_from(month.div_euclid(12)).unwrap_or(0));
    month = month.rem_euclid(12);
    if mday < 1 {
        while mday < 1 {
            month -= 1;
            if month < 0 {
                month = 11;
                year = year.wrapping_sub(1);
            }
            mday += nspr_days_in_month(year, month);
        }
    } else {
        loop {
            let dim = nspr_days_in_month(year, month);
            if mday <= dim {
                break;
            }
            mday -= dim;
            month += 1;
            if month > 11 {
                month = 0;
                year = year.wrapping_add(1);
            }
        }
    }
    let y = i64::from(year);
    let first_of_month =
        days_from_civil(y, u32::try_from(month + 1).unwrap_or(1), 1) - days_from_civil(y, 1, 1);
    let yday = first_of_month + mday - 1;
    // PR_ImplodeTime: DAYS_BETWEEN_YEARS(1970, year) days, then the time of day.
    let days = nspr_count_days(y) - nspr_count_days(1970) + yday;
    days * 86_400 + hour * 3600 + min * 60 + sec
}

/// Firefox's cookie-date parser: NSPR `PR_ParseTimeString(value, PR_TRUE, ..)` (prtime.c),
/// which Firefox's `CookieParser::GetExpiry` runs on the last `Expires` value. A port of its
/// algorithm: a hand-written scanner that takes month names and zone names by their first
/// three letters anywhere, `H:M[:S]` times, `m/d/y`-style dates, 1-2 digit days, 2-5 digit
/// years and `+hhmm` offsets, then normalizes out-of-range fields instead of failing. A date
/// without a zone is GMT. Returns Unix seconds; `None` is `PR_FAILURE` (a session cookie).
///
/// ```
/// use cookiejar::date::parse_cookie_date_firefox as f;
/// assert_eq!(f(b"Thu, 01 Jan 1970 00:00:01 GMT"), Some(1));
/// assert_eq!(f(b"Wed, 31 Jun 2027 10:18:14 GMT"), f(b"Thu, 01 Jul 2027 10:18:14 GMT"));
/// assert_eq!(f(b"Wed, 09 Jun 027 10:18:14 GMT"), None); // three-digit year
/// ```
pub fn parse_cookie_date_firefox(input: &[u8]) -> Option<i64> {
    // NSPR reads a NUL-terminated C string: stop at the first NUL; reading past the end
    // yields NUL.
    let s = input.split(|&b| b == 0).next().unwrap_or(&[]);
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let digit = |i: usize| at(i).is_ascii_digit();
    let val = |i: usize| i64::from(at(i)) - i64::from(b'0');
    // Two digits at i (the caller knows they are digits).
    let two = |i: usize| val(i) * 10 + val(i + 1);
    let scan_digits = |mut i: usize| {
        while digit(i) {
            i += 1;
        }
        i
    };

    let mut month: Option<i64> = None; // 0-based; may be -1 or > 11 from a numeric date
    let mut zone: Option<(i64, i64)> = None; // a zone name: (offset, dst) in minutes
    let mut zone_offset: Option<i64> = None; // an explicit +hhmm offset, minutes
    let mut date: Option<i64> = None;
    let mut year: Option<i64> = None;
    let mut time: Option<(i64, i64, i64)> = None;

    let mut rest = 0usize;
    let mut iterations = 0u32;
    while at(rest) != 0 {
        // prtime.c: `if (iterations++ > 1000) return PR_FAILURE;`
        if iterations > 1000 {
            return None;
        }
        iterations += 1;
        let c = at(rest);
        let (l1, l2) = (at(rest + 1).to_ascii_lowercase(), at(rest + 2));
        let l2 = l2.to_ascii_lowercase();
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {
                let l0 = c.to_ascii_lowercase();
                // prtime.c: a month name is its first three letters, wherever a token starts
                // ("junk" is June); the first month and the first zone win. Day names only set
                // tm_wday, which normalization recomputes, so they are skipped here.
                if let Some(m) = parse_month(&[l0, l1, l2]) {
                    if month.is_none() {
                        month = Some(i64::from(m) - 1);
                    }
                } else if let Some(z) = nspr_zone(l0, l1, l2) {
                    if zone.is_none() {
                        zone = Some(z);
                    }
                } else if l0 == b'u' && l1 == b't' && !l2.is_ascii_alphabetic() && zone.is_none() {
                    // prtime.c: "UT is the same as GMT but UTx is not."
                    zone = Some((0, 0));
                }
            }
            b'+' | b'-' => {
                // prtime.c: a numeric zone offset; only one, and "GMT+0300 is legal, but
                // PST+0300 is not". 4 digits are HHMM, 1 or 2 are hours; others are ignored.
                let named_not_gmt = zone.is_some_and(|z| z != (0, 0));
                if zone_offset.is_none() && !named_not_gmt {
                    let sign = if c == b'+' { 1 } else { -1 };
                    let start = rest + 1;
                    let end = scan_digits(start);
                    let minutes = match end - start {
                        4 => Some(two(start) * 60 + two(start + 2)),
                        2 => Some(two(start) * 60),
                        1 => Some(val(start) * 60),
                        _ => None,
                    };
                    if let Some(m) = minutes {
                        zone_offset = Some(sign * m);
                        zone = Some((0, 0));
                    }
                }
                rest += 1;
            }
            b'0'..=b'9' => {
                let end = scan_digits(rest + 1);
                let n = end - rest;
                let after = at(end);
                if after == b':' {
                    // prtime.c: `HH:MM[:SS]`, the first one only; 1-2 digits each.
                    if time.is_none() && n <= 2 {
                        if let Some(t) = nspr_time(s, rest, end) {
                            time = Some(t.0);
                            rest = t.1;
                        }
                    }
                } else if (after == b'/' || after == b'-') && digit(end + 1) {
                    // prtime.c: `6/16/95`, `16/6/95`, `95-06-08`, never after a month name.
                    if month.is_none() {
                        if let Some((d, next)) = nspr_numeric_date(s, rest) {
                            if let Some((y, m, dd)) = d {
                                year = Some(y);
                                month = Some(m);
                                date = Some(dd);
                            }
                            rest = next;
                        }
                    }
                } else if after.is_ascii_alphabetic() {
                    // prtime.c: "Digits followed by non-punctuation - what's that?"
                } else if n == 5 || n == 4 {
                    // prtime.c: four or five digits is a year (the first one).
                    if year.is_none() {
                        year = Some((rest..end).fold(0, |acc, i| acc * 10 + val(i)));
                    }
                } else if n == 2 {
                    // prtime.c: two digits are the day if below 32 and no day yet, else the
                    // year (< 70 -> 20xx, else 19xx) if none yet.
                    let v = two(rest);
                    if date.is_none() && v < 32 {
                        date = Some(v);
                    } else if year.is_none() {
                        year = Some(if v < 70 { 2000 + v } else { 1900 + v });
                    }
                } else if n == 1 {
                    // prtime.c: one digit is the day.
                    if date.is_none() {
                        date = Some(val(rest));
                    }
                }
                // prtime.c: three or more than five digits mean nothing.
            }
            _ => {}
        }
        // prtime.c: skip to the end of the token ("delimited by whitespace, or ,;-/ but
        // explicitly not :+-." -- the code stops at + and - and brackets too).
        while !matches!(
            at(rest),
            0 | b' ' | b'\t' | b',' | b';' | b'-' | b'+' | b'/' | b'(' | b')' | b'[' | b']'
        ) {
            rest += 1;
        }
        loop {
            while matches!(
                at(rest),
                b' ' | b'\t' | b',' | b';' | b'/' | b'(' | b')' | b'[' | b']'
            ) {
                rest += 1;
            }
            // prtime.c: "-" is skipped after a letter while there is no year yet
            // ("30-AUG-1966"), or when no digit follows it.
            let after_alpha = rest > 0 && at(rest - 1).is_ascii_alphabetic() && year.is_none();
            if at(rest) == b'-' && (after_alpha || !digit(rest + 1)) {
                rest += 1;
            } else {
                break;
            }
        }
    }

    // prtime.c: no month, day or year (or a year over PR_INT16_MAX) fails.
    let month = month?;
    let date = date?;
    let year = i16::try_from(year?).ok()?;
    // prtime.c: an explicit offset wins over a zone name; no zone at all is GMT
    // (`default_to_gmt` is PR_TRUE in CookieParser::GetExpiry).
    let offset_minutes = match (zone_offset, zone) {
        (Some(o), _) => o,
        (None, Some((o, dst))) => o + dst,
        (None, None) => 0,
    };
    // prtime.c: a field still at -1 is left at 0 (so a seconds value of -1 from the
    // quirk in nspr_time counts as none).
    let (hour, min, sec) = time.unwrap_or((0, 0, 0));
    let sec = if sec == -1 { 0 } else { sec };
    Some(nspr_implode(
        year,
        month,
        date,
        hour,
        min,
        sec - offset_minutes * 60,
    ))
}

/// NSPR prtime.c `PR_ParseTimeString`, the `[0-9]+:` branch: `H:M[:S]` at `start` (the hour's
/// digits end at `end`, on the colon), then an optional `am`/`pm`. Returns the time and where
/// the scan goes on, or `None` when this is not a time (the caller skips the token).
fn nspr_time(s: &[u8], start: usize, end: usize) -> Option<((i64, i64, i64), usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let val = |i: usize| i64::from(at(i)) - i64::from(b'0');
    let scan = |mut i: usize| {
        while at(i).is_ascii_digit() {
            i += 1;
        }
        i
    };
    let field = |from: usize, to: usize| {
        if to - from == 2 {
            val(from) * 10 + val(from + 1)
        } else {
            val(from)
        }
    };
    let mut hour = field(start, end);
    let m_start = end + 1;
    let m_end = scan(m_start);
    if m_end == m_start || m_end - m_start > 2 {
        return None;
    }
    let min = field(m_start, m_end);
    let s_start = if at(m_end) == b':' { m_end + 1 } else { m_end };
    let s_end = scan(s_start);
    if s_end - s_start > 2 {
        return None;
    }
    // prtime.c quirk: with no seconds digits the code still reads `rest[0] - '0'`, the
    // character after the minutes as a signed C char ("10:18 GMT" has seconds ' ' - '0' =
    // -16, so 10:17:44; at the end of the string NUL - '0' = -48).
    let sec = if s_end == s_start {
        i64::from(at(s_start) as i8) - i64::from(b'0')
    } else {
        field(s_start, s_end)
    };
    // prtime.c: "10:05pm == 22:05, and 12:05pm == 12:05"; "12:05am == 00:05".
    if hour <= 12 {
        let mut p = s_end;
        while matches!(at(p), b' ' | b'\t') {
            p += 1;
        }
        let (a, b) = (at(p).to_ascii_lowercase(), at(p + 1).to_ascii_lowercase());
        if (a, b) == (b'p', b'm') {
            if hour != 12 {
                hour += 12;
            }
        } else if hour == 12 && (a, b) == (b'a', b'm') {
            hour = 0;
        }
    }
    Some(((hour, min, sec), s_end))
}

/// A numeric date as (year, 0-based month, day), or `None` when its numbers are illegal.
type NumericDate = Option<(i64, i64, i64)>;

/// NSPR prtime.c `PR_ParseTimeString`, the `[0-9]+[/-][0-9]` branch: three numbers of 1-2,
/// 1-2 and 1, 2, 4 or 5 digits, separated by `/` or `-` and not followed by a letter or digit.
/// Returns the date (if legal) and where the scan goes on; `None` when the shape is wrong
/// (the caller skips the token from its start).
fn nspr_numeric_date(s: &[u8], start: usize) -> Option<(NumericDate, usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let digit = |i: usize| at(i).is_ascii_digit();
    let val = |i: usize| i64::from(at(i)) - i64::from(b'0');
    let mut p = start;
    // One or two digits, then a separator.
    let small = |p: &mut usize| -> Option<i64> {
        if !digit(*p) {
            return None;
        }
        let mut n = val(*p);
        *p += 1;
        if digit(*p) {
            n = n * 10 + val(*p);
            *p += 1;
        }
        Some(n)
    };
    let n1 = small(&mut p)?;
    if !matches!(at(p), b'/' | b'-') {
        return None;
    }
    p += 1;
    let n2 = small(&mut p)?;
    if !matches!(at(p), b'/' | b'-') {
        return None;
    }
    p += 1;
    let mut n3 = small(&mut p)?;
    if digit(p) {
        // Optional digits 3 and 4 (both) and 5.
        n3 = n3 * 10 + val(p);
        p += 1;
        if !digit(p) {
            return None;
        }
        n3 = n3 * 10 + val(p);
        p += 1;
        if digit(p) {
            n3 = n3 * 10 + val(p);
            p += 1;
        }
    }
    if at(p).is_ascii_alphanumeric() {
        return None;
    }
    let two_digit_year = |y: i64| {
        if y < 70 {
            y + 2000
        } else if y < 100 {
            y + 1900
        } else {
            y
        }
    };
    if n1 > 31 || n1 == 0 {
        // prtime.c: "must be YY/MM/DD".
        if n2 > 12 || n3 > 31 {
            return None;
        }
        return Some((Some((two_digit_year(n1), n2 - 1, n3)), p));
    }
    if n1 > 12 && n2 > 12 {
        // prtime.c: "illegal" -- skipped, but the scan goes on after it.
        return Some((None, p));
    }
    let y = two_digit_year(n3);
    Some(if n1 > 12 {
        // prtime.c: "must be DD/MM/YY".
        (Some((y, n2 - 1, n1)), p)
    } else {
        // prtime.c: "assume MM/DD/YY".
        (Some((y, n1 - 1, n2)), p)
    })
}

#[cfg(test)]
mod differential;
#[cfg(test)]
mod legacy;

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

    /// Expiry times Firefox ESR 153 stored (`firefox_store` in
    /// shared/scenarios/firefox-recorded.json, `dates` cases), through NSPR PR_ParseTimeString.
    #[test]
    fn firefox_matches_recorded_store() {
        use super::parse_cookie_date_firefox as f;
        let cases: &[(&[u8], i64)] = &[
            (b"Wed, 09 Jun 2027 10:18:14 GMT", 1_812_536_294),
            (b"Wednesday, 09-Jun-27 10:18:14 GMT", 1_812_536_294),
            (b"Wed Jun  9 10:18:14 2027", 1_812_536_294),
            (b"WED, 09 JUN 2027 10:18:14 UTC", 1_812_536_294),
            (b"Wed, 09 Jun 2027 10:18:14 +0000", 1_812_536_294),
            // No zone: GMT (PR_ParseTimeString(.., PR_TRUE, ..)).
            (b"Wed, 09 Jun 2027 10:18:14", 1_812_536_294),
            (b"Wed, 09 Jun 2027 10:18:14 PST", 1_812_565_094),
            (b"Wed, 09 Jun 2027 10:18:14 -0800", 1_812_565_094),
            (b"Wed, 09 Jun 2027 10:18:14 GMT+2", 1_812_529_094),
            (b"Wed, 9 Jun 2027 1:2:3 GMT", 1_812_502_923),
            // No seconds: NSPR reads ' ' - '0' = -16 as the seconds.
            (b"Wed, 09 Jun 2027 10:18 GMT", 1_812_536_264),
            // No time at all: midnight.
            (b"Wed, 09 Jun 2027 GMT", 1_812_499_200),
            (b"Jun 09 2027", 1_812_499_200),
            // Numeric m/d/y.
            (b"06/09/2027 10:18:14", 1_812_536_294),
            (b"junk Wed, 09 Jun 2027 10:18:14 GMT", 1_812_536_294),
            (b"Wed,09/Jun/2027 10:18:14 GMT", 1_812_536_294),
            (b"2027 Jun 09 10:18:14", 1_812_536_294),
            (b"Jun 2027 09 10:18:14", 1_812_536_294),
            (b"09 Jun. 2027 10:18:14 GMT", 1_812_536_294),
            (b"\"Wed, 09 Jun 2027 10:18:14 GMT\"", 1_812_536_294),
            (b"Wed,\t09\tJun\t2027\t10:18:14\tGMT", 1_812_536_294),
            (
                b"Wed Jun 09 2027 10:18:14 GMT+0000 (Coordinated Universal Time)",
                1_812_536_294,
            ),
            (b"Wed, 09 Jun 2027 10:18:14 GMT\xa0", 1_812_536_294),
            // Out-of-range fields are normalized, not refused.
            (b"Wed, 00 Jun 2027 10:18:14 GMT", 1_811_758_694),
            (b"Wed, 31 Jun 2027 10:18:14 GMT", 1_814_437_094),
            (b"Tue, 30 Feb 2027 10:18:14 GMT", 1_803_982_694),
            (b"Mon, 29 Feb 2027 10:18:14 GMT", 1_803_896_294),
            (b"Wed, 09 Jun 2027 24:00:00 GMT", 1_812_585_600),
            (b"Wed, 09 Jun 2027 10:60:14 GMT", 1_812_538_814),
            (b"Wed, 09 Jun 2027 10:18:60 GMT", 1_812_536_340),
            (b"Wed, 09 Jun 2027 10:18:61 GMT", 1_812_536_341),
            // A three-digit hour is no time; extra time fields and fractions are ignored.
            (b"Wed, 09 Jun 2027 100:18:14 GMT", 1_812_499_200),
            (b"Wed, 09 Jun 2027 10:18:14.5 GMT", 1_812_536_294),
            (b"Wed, 09 Jun 2027 10:18:14:15 GMT", 1_812_536_294),
            // "-10" is a zone offset of -10 hours; the rest of that token is skipped.
            (b"Wed, 09 Jun 2027 -10:18:14 GMT", 1_812_535_200),
        ];
        for &(input, want) in cases {
            assert_eq!(f(input), Some(want), "{}", String::from_utf8_lossy(input));
        }
    }

    /// Values Firefox ESR 153 kept as session cookies: PR_ParseTimeString failed.
    #[test]
    fn firefox_failures() {
        use super::parse_cookie_date_firefox as f;
        for input in [
            &b"2027-06-09T10:18:14Z"[..],
            b"2027/06/09 10:18:14",
            b"09Jun2027 10:18:14 GMT",
            b"Wed, 09 Jun 027 10:18:14 GMT",
            b"Wed, 32 Jun 2027 10:18:14 GMT",
            b"Wed, 09 Foo 2027 10:18:14 GMT",
            b"Wed, 009 Jun 2027 10:18:14 GMT",
            b"Wed, 09 Jun -2027 10:18:14 GMT",
            b"tomorrow",
            b"",
            b"0",
            b"1800000000",
            b"2027",
            b"Jun 09 32768",
        ] {
            assert_eq!(f(input), None, "{}", String::from_utf8_lossy(input));
        }
    }

    /// Past dates Firefox ESR 153 deleted with (the year is not bounded below).
    #[test]
    fn firefox_past_and_far_years() {
        use super::parse_cookie_date_firefox as f;
        assert_eq!(f(b"Thu, 01 Jan 1970 00:00:01 GMT"), Some(1));
        assert_eq!(f(b"Wed, 09 Jun 70 10:18:14 GMT"), Some(13_774_694));
        assert!(f(b"Wed, 09 Jun 1600 10:18:14 GMT").is_some_and(|t| t < 0));
        assert_eq!(
            f(b"Wed, 09 Jun 69 10:18:14 GMT"),
            p(b"Wed, 09 Jun 2069 10:18:14 GMT")
        );
        assert!(f(b"Wed, 09 Jun 12027 10:18:14 GMT").is_some_and(|t| t > 300_000_000_000));
        // NSPR's tm_year is a PRInt16: 32767 is the last year, and a carry past it wraps.
        assert!(f(b"Dec 31 32767 23:59:59").is_some_and(|t| t > 0));
        assert!(f(b"Dec 31 32767 24:00:00").is_some_and(|t| t < 0));
    }

    /// prtime.c branches the recording does not reach.
    #[test]
    fn firefox_nspr_details() {
        use super::parse_cookie_date_firefox as f;
        let base = f(b"09 Jun 2027 10:18:14").unwrap_or(0);
        // am/pm right after the time.
        assert_eq!(f(b"09 Jun 2027 10:18:14 pm"), Some(base + 12 * 3600));
        assert_eq!(f(b"09 Jun 2027 12:18:14am"), Some(base - 10 * 3600));
        // d/m/y when the first number is over 12; yy/mm/dd when it is over 31.
        assert_eq!(f(b"13/06/2027 10:18:14"), Some(base + 4 * 86_400));
        assert_eq!(f(b"95-06-08 10:18:14"), p(b"08 Jun 1995 10:18:14"));
        // A named zone other than GMT refuses a numeric offset; the first zone wins.
        assert_eq!(f(b"09 Jun 2027 10:18:14 PST+0300"), Some(base + 8 * 3600));
        assert_eq!(f(b"09 Jun 2027 10:18:14 PDT"), Some(base + 7 * 3600));
        assert_eq!(f(b"09 Jun 2027 10:18:14 +0100 EST"), Some(base - 3600));
        // Seconds missing at the end of the string: NUL - '0' = -48.
        assert_eq!(f(b"09 Jun 2027 10:18"), Some(base - 14 - 48));
        // At most 1001 scanner iterations.
        let mut long = b"09 Jun 2027 10:18:14 ".to_vec();
        long.extend(std::iter::repeat_n(b'+', 997)); // 4 + 997 iterations
        assert_eq!(f(&long), Some(base));
        long.push(b'+');
        assert_eq!(f(&long), None);
        // Arbitrary bytes never panic.
        for b in 0..=255u8 {
            let _ = f(&[
                b'1', b':', b'2', b, b'-', b'9', b'/', b'1', b'/', b'9', b'9', b'9', b'9', b'9',
            ]);
        }
    }

    #[test]
    fn large_years() {
        assert!(p(b"01 Jan 9999 23:59:59").is_some());
    }
}

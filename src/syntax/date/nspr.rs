//! Firefox's cookie-date parser: a port of NSPR `PR_ParseTimeString` (prtime.c), which
//! Firefox's `CookieParser::GetExpiry` runs on the last `Expires` value.

use super::calendar::{days_from_civil, days_in_month};
use super::cursor::{decimal, Cursor};
use super::month_from_prefix;

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
    // NSPR reads a NUL-terminated C string: stop at the first NUL (and `at` reads NUL past
    // the end).
    let s = Cursor::new(input).take_while(|b| b != 0);
    let mut cur = Cursor::new(s);

    let mut month: Option<i64> = None; // 0-based; may be -1 or > 11 from a numeric date
    let mut zone: Option<(i64, i64)> = None; // a zone name: (offset, dst) in minutes
    let mut zone_offset: Option<i64> = None; // an explicit +hhmm offset, minutes
    let mut date: Option<i64> = None;
    let mut year: Option<i64> = None;
    let mut time: Option<(i64, i64, i64)> = None;

    let mut iterations = 0u32;
    while let Some(c) = cur.peek() {
        // prtime.c: `if (iterations++ > 1000) return PR_FAILURE;`
        if iterations > 1000 {
            return None;
        }
        iterations += 1;
        let l1 = at(&cur, 1).to_ascii_lowercase();
        let l2 = at(&cur, 2).to_ascii_lowercase();
        match c {
            b'a'..=b'z' | b'A'..=b'Z' => {
                let l0 = c.to_ascii_lowercase();
                // prtime.c: a month name is its first three letters, wherever a token starts
                // ("junk" is June); the first month and the first zone win. Day names only set
                // tm_wday, which normalization recomputes, so they are skipped here.
                if let Some(m) = month_from_prefix(&[l0, l1, l2]) {
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
                    let mut digits = cur;
                    digits.next_byte();
                    let digits = digits.take_digits();
                    let minutes = match *digits {
                        [h1, h2, m1, m2] => Some(decimal(&[h1, h2]) * 60 + decimal(&[m1, m2])),
                        [_, _] | [_] => Some(decimal(digits) * 60),
                        _ => None,
                    };
                    if let Some(m) = minutes {
                        zone_offset = Some(sign * m);
                        zone = Some((0, 0));
                    }
                }
                cur.next_byte();
            }
            b'0'..=b'9' => {
                let mut end = cur;
                let digits = end.take_digits();
                let n = digits.len();
                let after = at(&end, 0);
                if after == b':' {
                    // prtime.c: `HH:MM[:SS]`, the first one only; 1-2 digits each.
                    if time.is_none() && n <= 2 {
                        if let Some((t, next)) = nspr_time(cur) {
                            time = Some(t);
                            cur = next;
                        }
                    }
                } else if (after == b'/' || after == b'-') && at(&end, 1).is_ascii_digit() {
                    // prtime.c: `6/16/95`, `16/6/95`, `95-06-08`, never after a month name.
                    if month.is_none() {
                        if let Some((d, next)) = nspr_numeric_date(cur) {
                            if let Some((y, m, dd)) = d {
                                year = Some(y);
                                month = Some(m);
                                date = Some(dd);
                            }
                            cur = next;
                        }
                    }
                } else if after.is_ascii_alphabetic() {
                    // prtime.c: "Digits followed by non-punctuation - what's that?"
                } else if n == 5 || n == 4 {
                    // prtime.c: four or five digits is a year (the first one).
                    if year.is_none() {
                        year = Some(decimal(digits));
                    }
                } else if n == 2 {
                    // prtime.c: two digits are the day if below 32 and no day yet, else the
                    // year (< 70 -> 20xx, else 19xx) if none yet.
                    let v = decimal(digits);
                    if date.is_none() && v < 32 {
                        date = Some(v);
                    } else if year.is_none() {
                        year = Some(if v < 70 { 2000 + v } else { 1900 + v });
                    }
                } else if n == 1 {
                    // prtime.c: one digit is the day.
                    if date.is_none() {
                        date = Some(decimal(digits));
                    }
                }
                // prtime.c: three or more than five digits mean nothing.
            }
            _ => {}
        }
        // prtime.c: skip to the end of the token ("delimited by whitespace, or ,;-/ but
        // explicitly not :+-." -- the code stops at + and - and brackets too).
        cur.skip_while(|b| {
            !matches!(
                b,
                0 | b' ' | b'\t' | b',' | b';' | b'-' | b'+' | b'/' | b'(' | b')' | b'[' | b']'
            )
        });
        loop {
            cur.skip_while(|b| {
                matches!(
                    b,
                    b' ' | b'\t' | b',' | b';' | b'/' | b'(' | b')' | b'[' | b']'
                )
            });
            // prtime.c: "-" is skipped after a letter while there is no year yet
            // ("30-AUG-1966"), or when no digit follows it.
            let after_alpha = cur.prev().is_some_and(|b| b.is_ascii_alphabetic()) && year.is_none();
            if at(&cur, 0) == b'-' && (after_alpha || !at(&cur, 1).is_ascii_digit()) {
                cur.next_byte();
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

/// prtime.c reads a NUL-terminated string: the byte `n` past the cursor, NUL past the end.
fn at(cur: &Cursor<'_>, n: usize) -> u8 {
    cur.peek_at(n).unwrap_or(0)
}

/// Reads one ASCII digit, if the next byte is one, and returns its value.
fn read_digit(cur: &mut Cursor<'_>) -> Option<i64> {
    let d = cur.peek().filter(u8::is_ascii_digit)?;
    cur.next_byte();
    Some(decimal(&[d]))
}

/// NSPR prtime.c `PR_ParseTimeString`, the `[0-9]+:` branch: `H:M[:S]` from `cur` (the
/// caller saw 1-2 hour digits, then a colon), then an optional `am`/`pm`. Returns the time
/// and where the scan goes on, or `None` when this is not a time (the caller skips the
/// token).
fn nspr_time(mut cur: Cursor<'_>) -> Option<((i64, i64, i64), Cursor<'_>)> {
    let mut hour = decimal(cur.take_digits());
    if !cur.eat(b':') {
        return None;
    }
    let m = cur.take_digits();
    if m.is_empty() || m.len() > 2 {
        return None;
    }
    let min = decimal(m);
    cur.eat(b':');
    // prtime.c quirk: with no seconds digits the code still reads `rest[0] - '0'`, the
    // character after the minutes as a signed C char ("10:18 GMT" has seconds ' ' - '0' =
    // -16, so 10:17:44; at the end of the string NUL - '0' = -48).
    let after_minutes = at(&cur, 0);
    let s = cur.take_digits();
    if s.len() > 2 {
        return None;
    }
    let sec = if s.is_empty() {
        i64::from(after_minutes as i8) - i64::from(b'0')
    } else {
        decimal(s)
    };
    // prtime.c: "10:05pm == 22:05, and 12:05pm == 12:05"; "12:05am == 00:05".
    if hour <= 12 {
        let mut p = cur;
        p.skip_while(|b| matches!(b, b' ' | b'\t'));
        let (a, b) = (
            at(&p, 0).to_ascii_lowercase(),
            at(&p, 1).to_ascii_lowercase(),
        );
        if (a, b) == (b'p', b'm') {
            if hour != 12 {
                hour += 12;
            }
        } else if hour == 12 && (a, b) == (b'a', b'm') {
            hour = 0;
        }
    }
    Some(((hour, min, sec), cur))
}

/// A numeric date as (year, 0-based month, day), or `None` when its numbers are illegal.
type NumericDate = Option<(i64, i64, i64)>;

/// prtime.c: one or two digits, then `/` or `-` (read too).
fn nspr_date_field(p: &mut Cursor<'_>) -> Option<i64> {
    let n = nspr_one_or_two_digits(p)?;
    if !matches!(at(p, 0), b'/' | b'-') {
        return None;
    }
    p.next_byte();
    Some(n)
}

/// prtime.c: one digit, and a second one if there is one.
fn nspr_one_or_two_digits(p: &mut Cursor<'_>) -> Option<i64> {
    let mut n = read_digit(p)?;
    if let Some(d) = read_digit(p) {
        n = n * 10 + d;
    }
    Some(n)
}

/// NSPR prtime.c `PR_ParseTimeString`, the `[0-9]+[/-][0-9]` branch: three numbers of 1-2,
/// 1-2 and 1, 2, 4 or 5 digits, separated by `/` or `-` and not followed by a letter or digit.
/// Returns the date (if legal) and where the scan goes on; `None` when the shape is wrong
/// (the caller skips the token from its start).
fn nspr_numeric_date(mut p: Cursor<'_>) -> Option<(NumericDate, Cursor<'_>)> {
    let n1 = nspr_date_field(&mut p)?;
    let n2 = nspr_date_field(&mut p)?;
    let mut n3 = nspr_one_or_two_digits(&mut p)?;
    if let Some(d3) = read_digit(&mut p) {
        // Optional digits 3 and 4 (both) and 5.
        n3 = n3 * 10 + d3;
        n3 = n3 * 10 + read_digit(&mut p)?;
        if let Some(d5) = read_digit(&mut p) {
            n3 = n3 * 10 + d5;
        }
    }
    if at(&p, 0).is_ascii_alphanumeric() {
        return None;
    }
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

/// prtime.c (numeric dates): a year below 70 is 20xx, below 100 19xx.
fn two_digit_year(y: i64) -> i64 {
    if y < 70 {
        y + 2000
    } else if y < 100 {
        y + 1900
    } else {
        y
    }
}

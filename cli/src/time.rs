//! `--now` and the `expires` column of `list`: Unix seconds and RFC 3339 date-times, read
//! strictly and written in UTC.

use cookiejar::Timestamp;

/// Reads `--now`: whole Unix seconds (`1800000000`, `-5`), or an RFC 3339 date-time
/// (`2026-12-01T00:00:00Z`, `2026-12-01T01:30:00.25+01:30`).
pub fn parse_now(s: &str) -> Result<Timestamp, String> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return s
            .parse::<i64>()
            .ok()
            .and_then(|secs| secs.checked_mul(1_000_000))
            .map(Timestamp::from_unix_micros)
            .ok_or_else(|| "too far from 1970 to be a time".to_owned());
    }
    parse_rfc3339(s)
        .map(Timestamp::from_unix_micros)
        .ok_or_else(|| {
            "neither Unix seconds nor an RFC 3339 date-time (like 2026-12-01T00:00:00Z)".to_owned()
        })
}

/// Takes exactly `n` ASCII digits from the front of `s`.
fn digits(s: &mut &[u8], n: usize) -> Option<i64> {
    let (head, rest) = (s.get(..n)?, s.get(n..)?);
    if !head.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *s = rest;
    Some(
        head.iter()
            .fold(0, |acc, &d| acc * 10 + i64::from(d - b'0')),
    )
}

fn byte(s: &mut &[u8], allowed: &[u8]) -> Option<u8> {
    let (&b, rest) = s.split_first()?;
    if !allowed.contains(&b) {
        return None;
    }
    *s = rest;
    Some(b)
}

/// RFC 3339 section 5.6 `date-time`, as microseconds since the epoch. `T` and `Z` may be lower
/// case, and `T` a space (the notes of 5.6); a leap second (`:60`, 5.7) counts as the first
/// second of the next minute; fractions finer than a microsecond are cut off.
fn parse_rfc3339(s: &str) -> Option<i64> {
    let mut s = s.as_bytes();
    let year = digits(&mut s, 4)?;
    byte(&mut s, b"-")?;
    let month = digits(&mut s, 2)?;
    byte(&mut s, b"-")?;
    let day = digits(&mut s, 2)?;
    byte(&mut s, b"Tt ")?;
    let hour = digits(&mut s, 2)?;
    byte(&mut s, b":")?;
    let minute = digits(&mut s, 2)?;
    byte(&mut s, b":")?;
    let second = digits(&mut s, 2)?;
    // RFC 3339 5.7: month 01-12, mday by month and leap year, hour 00-23, minute 00-59,
    // second 00-60.
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut micros = 0;
    if byte(&mut s, b".").is_some() {
        let n = s.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let mut frac = &s[..n];
        s = &s[n..];
        for scale in [100_000, 10_000, 1_000, 100, 10, 1] {
            if let Some((&d, rest)) = frac.split_first() {
                micros += i64::from(d - b'0') * scale;
                frac = rest;
            }
        }
    }
    let offset = match byte(&mut s, b"Zz+-")? {
        b'Z' | b'z' => 0,
        sign => {
            let h = digits(&mut s, 2)?;
            byte(&mut s, b":")?;
            let m = digits(&mut s, 2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            if sign == b'-' {
                -off
            } else {
                off
            }
        }
    };
    if !s.is_empty() {
        return None;
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Some(secs * 1_000_000 + micros)
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
/// Low-Level Date Algorithms", `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`] (same source, `civil_from_days`).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

/// `t` as an RFC 3339 date-time in UTC, to the second (`2026-12-01T00:00:00Z`).
pub fn format_rfc3339(t: Timestamp) -> String {
    let secs = t.unix_seconds();
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: &str) -> Result<i64, String> {
        parse_now(s).map(|t| t.unix_seconds())
    }

    #[test]
    fn unix_seconds() {
        assert_eq!(secs("1800000000"), Ok(1_800_000_000));
        assert_eq!(secs("0"), Ok(0));
        assert_eq!(secs("-86400"), Ok(-86_400));
        for bad in ["", "-", "+5", "1e9", "12 ", " 12", "99999999999999999999"] {
            assert!(parse_now(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rfc3339() {
        assert_eq!(secs("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(secs("2026-12-01T00:00:00Z"), Ok(1_796_083_200));
        assert_eq!(secs("2026-12-01t00:00:00z"), Ok(1_796_083_200));
        assert_eq!(secs("2026-12-01 00:00:00Z"), Ok(1_796_083_200));
        assert_eq!(secs("2026-12-01T01:30:00+01:30"), Ok(1_796_083_200));
        assert_eq!(secs("2026-11-30T19:00:00-05:00"), Ok(1_796_083_200));
        assert_eq!(secs("2026-12-01T00:00:00-00:00"), Ok(1_796_083_200));
        assert_eq!(secs("2024-02-29T12:00:00Z"), Ok(1_709_208_000));
        // A leap second is the next minute's first.
        assert_eq!(secs("2016-12-31T23:59:60Z"), secs("2017-01-01T00:00:00Z"));
        let t = parse_now("2026-12-01T00:00:00.123456789Z").unwrap();
        assert_eq!(t.unix_micros(), 1_796_083_200_123_456);
        assert_eq!(
            parse_now("1969-12-31T23:59:59.5Z").unwrap().unix_micros(),
            -500_000
        );
        for bad in [
            "2026-12-01",
            "2026-12-01T00:00:00",
            "2026-12-01T00:00Z",
            "2026-13-01T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "2026-12-01T24:00:00Z",
            "2026-12-01T00:60:00Z",
            "2026-12-01T00:00:61Z",
            "2026-12-01T00:00:00.Z",
            "2026-12-01T00:00:00+0100",
            "2026-12-01T00:00:00+24:00",
            "2026-12-01T00:00:00Z ",
            "26-12-01T00:00:00Z",
            "2026-1-01T00:00:00Z",
        ] {
            assert!(parse_now(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_in_utc() {
        for s in [
            "1970-01-01T00:00:00Z",
            "2026-12-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "1969-07-20T20:17:40Z",
            "2400-03-01T00:00:00Z",
        ] {
            assert_eq!(format_rfc3339(parse_now(s).unwrap()), s);
        }
        // Seconds round down, before 1970 too.
        assert_eq!(
            format_rfc3339(Timestamp::from_unix_micros(-1)),
            "1969-12-31T23:59:59Z"
        );
    }
}

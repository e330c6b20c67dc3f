//! The cookie-date algorithms: RFC 6265bis section 5.1.1 and the two browsers' variants.
//!
//! [`parse_cookie_date`] turns the value of an `Expires` attribute into Unix seconds. It is a
//! literal transcription of the spec's steps: tokenize on delimiters, take the first token that
//! matches each of time, day-of-month, month and year, then normalize two-digit years and
//! validate ranges. [`parse_cookie_date_chromium`] is Chromium's `ParseCookieExpirationTime`
//! and [`parse_cookie_date_firefox`] a port of NSPR's `PR_ParseTimeString`, which Firefox uses;
//! [`DateParser`] picks one. All three read their input through one small cursor type, which
//! cannot index out of bounds.

pub(crate) mod calendar;
mod chromium;
mod cursor;
mod nspr;
mod rfc6265bis;

pub use chromium::parse_cookie_date_chromium;
pub use nspr::parse_cookie_date_firefox;
pub use rfc6265bis::parse_cookie_date;

/// The cookie-date parser an `Expires` attribute goes through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateParser {
    /// 6265bis 5.1.1.
    Rfc6265bis,
    /// Chromium `ParseCookieExpirationTime`.
    Chromium,
    /// Firefox (NSPR `PR_ParseTimeString`, lenient).
    Firefox,
}

impl DateParser {
    /// Parses a cookie-date with this parser: Unix seconds, or `None` when it fails (the
    /// `Expires` attribute is then ignored, or cancels an earlier one, as
    /// [`ParseOptions::invalid_attribute_overrides`](crate::ParseOptions) says).
    ///
    /// ```
    /// use cookiejar::DateParser;
    /// let d = b"Wed, 09 Jun 1600 10:18:14 GMT";
    /// assert_eq!(DateParser::Rfc6265bis.parse(d), None); // 6265bis: the year is below 1601
    /// assert!(DateParser::Chromium.parse(d).is_some());
    /// ```
    pub fn parse(self, input: &[u8]) -> Option<i64> {
        match self {
            DateParser::Rfc6265bis => parse_cookie_date(input),
            DateParser::Chromium => parse_cookie_date_chromium(input),
            DateParser::Firefox => parse_cookie_date_firefox(input),
        }
    }
}

/// 6265bis 5.1.1: `month = ( "jan" / ... / "dec" ) *OCTET`, case-insensitive (also Chromium
/// cookie_util.cc and NSPR prtime.c: a month is named by its first three letters). 1-based.
fn month_from_prefix(token: &[u8]) -> Option<u32> {
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

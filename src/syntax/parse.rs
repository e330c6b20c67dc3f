//! `Set-Cookie` parsing (RFC 6265bis section 5.6): bytes in, name, value and attributes out.
//!
//! Parsing is pure syntax: no URL, no clock, no allocation. [`ParsedCookie`] borrows the input;
//! admission into a jar (the storage model, 6265bis 5.7) happens in [`crate::CookieJar`].

use crate::cookie::{Priority, SameSite};
use crate::reason::ParseError;

/// Kept here too, so `cookiejar::parse::DateParser` still names it.
pub use crate::syntax::date::DateParser;

/// How strictly to parse; the profiles of [`crate::Policy`] fill it in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParseOptions {
    /// 6265bis 5.6 step 5: the most bytes name and value may have together (4096).
    pub max_name_value_bytes: usize,
    /// 6265bis 5.6.1: an attribute value longer than this is ignored (1024).
    pub max_attribute_value_bytes: usize,
    /// Chromium: a horizontal tab inside a name, value or attribute rejects the cookie
    /// (`ParsedCookie::IsValidCookieName`/`Value`, which refuse every control character).
    pub reject_inner_tab: bool,
    /// Chromium: a nameless cookie whose value contains `=` (`=a=b`) is refused, since it would
    /// serialize as a named cookie.
    pub reject_nameless_with_equals: bool,
    /// Chromium: `Max-Age=+5` is accepted (`base::StringToInt64`). 6265bis ignores it.
    pub max_age_allows_plus: bool,
    /// Chromium and Firefox keep the last `Expires`/`Max-Age` even when its value is invalid
    /// (so an invalid last one cancels a valid earlier one); 6265bis ignores an invalid one.
    ///
    /// `SameSite` does not depend on this: in 6265bis and both browsers an unrecognized value
    /// is "Default" and, being the last one, wins, so `SameSite=Strict; SameSite=bogus` is
    /// [`SameSite::Unspecified`] under every profile (see [`ParseWarnings`]).
    pub invalid_attribute_overrides: bool,
    /// Which cookie-date parser reads `Expires`.
    pub dates: DateParser,
    /// Firefox (`CookieParser`): a pair without `=` is a name with an empty value (`a` is sent
    /// as `a=`), and a pair with an empty name before `=` is refused. 6265bis 5.6 step 3 makes
    /// both nameless cookies instead.
    pub no_nameless: bool,
    /// Firefox (`CookieParser::ParseMaxAgeAttribute`): a `Max-Age` value starting with `-`
    /// has already expired, whatever follows (`-`, `- 1`, `--1`). 6265bis ignores those.
    pub max_age_minus_expires: bool,
}

impl Default for ParseOptions {
    fn default() -> Self {
        ParseOptions {
            max_name_value_bytes: 4096,
            max_attribute_value_bytes: 1024,
            reject_inner_tab: false,
            reject_nameless_with_equals: false,
            max_age_allows_plus: false,
            invalid_attribute_overrides: false,
            dates: DateParser::Rfc6265bis,
            no_nameless: false,
            max_age_minus_expires: false,
        }
    }
}

/// What the parser noticed and let pass without refusing the cookie, as Chromium reports
/// `CookieInclusionStatus` warning reasons and Firefox `CookieParser::mWarnings`. A small
/// `Copy` set of flags; [`ParsedCookie::warnings`] returns it. More flags may be added.
///
/// ```
/// use cookiejar::parse::{parse_set_cookie, ParseOptions};
/// let long = format!("a=b; Path=/{}; SameSite=Laxx", "p".repeat(1024));
/// let w = parse_set_cookie(long.as_bytes(), &ParseOptions::default()).unwrap().warnings();
/// assert!(w.attribute_value_too_long() && w.unrecognized_same_site());
/// assert!(parse_set_cookie(b"a=b", &ParseOptions::default()).unwrap().warnings().is_empty());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParseWarnings(u8);

impl ParseWarnings {
    const ATTRIBUTE_VALUE_TOO_LONG: u8 = 1 << 0;
    const UNRECOGNIZED_SAME_SITE: u8 = 1 << 1;

    fn insert(&mut self, flag: u8) {
        self.0 |= flag;
    }

    /// No warning.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// An attribute (any attribute, known or not) had a value over
    /// [`ParseOptions::max_attribute_value_bytes`] and was ignored (6265bis 5.6 step 8;
    /// Chromium `CookieInclusionStatus::WARN_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE`).
    pub const fn attribute_value_too_long(self) -> bool {
        self.0 & Self::ATTRIBUTE_VALUE_TOO_LONG != 0
    }

    /// A `SameSite` attribute had a value other than `Strict`, `Lax` or `None` (empty
    /// included), which counts as "Default" ([`SameSite::Unspecified`]). Set when any
    /// `SameSite` attribute was unrecognized, even if a later one was recognized (Firefox
    /// `CookieParser`: `mWarnings.mInvalidSameSiteAttribute`).
    pub const fn unrecognized_same_site(self) -> bool {
        self.0 & Self::UNRECOGNIZED_SAME_SITE != 0
    }
}

/// The result of parsing one `Set-Cookie` value. Every slice borrows the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedCookie<'a> {
    /// The cookie name, trimmed; empty for a nameless cookie (`foo` or `=foo`).
    pub name: &'a [u8],
    /// The cookie value, trimmed. Bytes as received: no percent-decoding, no quote stripping.
    pub value: &'a [u8],
    /// `Expires`, parsed by the cookie-date algorithm, as Unix seconds.
    pub expires: Option<i64>,
    /// `Max-Age` in seconds (may be zero or negative: delete).
    pub max_age: Option<i64>,
    /// The raw `Domain` attribute value (trimmed, leading dot still there); `Some(b"")` when
    /// the last `Domain` attribute was empty.
    pub domain: Option<&'a [u8]>,
    /// The raw `Path` attribute value (trimmed); admission replaces an empty or relative one
    /// with the default-path.
    pub path: Option<&'a [u8]>,
    /// `Secure` was present.
    pub secure: bool,
    /// `HttpOnly` was present.
    pub http_only: bool,
    /// The `SameSite` attribute; [`SameSite::Unspecified`] when absent or unrecognized.
    pub same_site: SameSite,
    /// Chromium's `Priority` attribute (default Medium).
    pub priority: Priority,
    /// CHIPS `Partitioned` was present.
    pub partitioned: bool,
    /// What the parser noticed on the way; see [`ParsedCookie::warnings`].
    warnings: ParseWarnings,
}

impl ParsedCookie<'_> {
    /// What the parser noticed and let pass: an ignored over-long attribute value, an
    /// unrecognized `SameSite` value. Empty for a clean header.
    pub fn warnings(&self) -> ParseWarnings {
        self.warnings
    }
}

/// 6265bis: `WSP = SP / HTAB`.
pub(crate) fn trim_wsp(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// 6265bis 5.6 step 1: CTL characters other than HTAB (%x00-08 / %x0A-1F / %x7F).
pub(crate) fn is_forbidden_ctl(b: u8) -> bool {
    matches!(b, 0x00..=0x08 | 0x0A..=0x1F | 0x7F)
}

/// Finds a forbidden control character (6265bis 5.6 step 1) eight bytes at a time; returns
/// whether the line holds a tab (allowed here, refused inside names and values by Chromium).
fn scan_controls(input: &[u8]) -> Result<bool, ParseError> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut has_tab = false;
    let mut words = input.chunks_exact(8);
    for w in &mut words {
        let x = <[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
        // A high bit for each byte below 0x20 (bytes of 0x80 and up never flag), or equal to
        // 0x7F: the "has less" and "has zero" word tricks. Only a flagged word is looked at
        // byte by byte.
        let below = x.wrapping_sub(ONES * 0x20) & !x & HIGHS;
        let del = (x ^ (ONES * 0x7F)).wrapping_sub(ONES) & !(x ^ (ONES * 0x7F)) & HIGHS;
        if below | del != 0 {
            has_tab |= scan_bytes(w)?;
        }
    }
    Ok(scan_bytes(words.remainder())? || has_tab)
}

/// [`scan_controls`] one byte at a time.
fn scan_bytes(bytes: &[u8]) -> Result<bool, ParseError> {
    let mut has_tab = false;
    for &b in bytes {
        if is_forbidden_ctl(b) {
            return Err(ParseError::ControlCharacter(b));
        }
        has_tab |= b == b'\t';
    }
    Ok(has_tab)
}

/// The cookie attributes 6265bis 5.6 step 8 knows (and Chromium's `Priority`, CHIPS'
/// `Partitioned`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Attr {
    Expires,
    MaxAge,
    Domain,
    Path,
    Secure,
    HttpOnly,
    SameSite,
    Priority,
    Partitioned,
}

/// The attribute `name` names, case-insensitively; `None` for an unknown one. Picks the one
/// candidate by length and first letter, then compares once.
fn attribute(name: &[u8]) -> Option<Attr> {
    let (attr, spelled): (Attr, &[u8]) = match (name.len(), name.first()? | 0x20) {
        (7, b'e') => (Attr::Expires, b"expires"),
        (7, b'm') => (Attr::MaxAge, b"max-age"),
        (6, b'd') => (Attr::Domain, b"domain"),
        (4, b'p') => (Attr::Path, b"path"),
        (6, b's') => (Attr::Secure, b"secure"),
        (8, b'h') => (Attr::HttpOnly, b"httponly"),
        (8, b's') => (Attr::SameSite, b"samesite"),
        (8, b'p') => (Attr::Priority, b"priority"),
        (11, b'p') => (Attr::Partitioned, b"partitioned"),
        _ => return None,
    };
    name.eq_ignore_ascii_case(spelled).then_some(attr)
}

fn split_once(s: &[u8], sep: u8) -> Option<(&[u8], &[u8])> {
    let i = s.iter().position(|&b| b == sep)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// 6265bis 5.6.2: `Max-Age`. Returns `None` when the attribute must be ignored.
fn parse_max_age(value: &[u8], allow_plus: bool, minus_expires: bool) -> Option<i64> {
    if minus_expires && value.first() == Some(&b'-') {
        // Firefox CookieParser::ParseMaxAgeAttribute: "Negative values mean that the cookie
        // is already expired. Don't bother to parse." (INT64_MIN).
        return Some(i64::MIN);
    }
    let (negative, digits) = match value {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] if allow_plus => (false, rest),
        _ => (false, value),
    };
    // The first character must be a DIGIT (after an optional sign), and all the rest DIGITs.
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Saturate: a number too large for i64 is "a very long time", capped later anyway.
    let magnitude = digits.iter().fold(0i64, |acc, &d| {
        acc.saturating_mul(10).saturating_add(i64::from(d - b'0'))
    });
    Some(if negative { -magnitude } else { magnitude })
}

/// Parses a `Set-Cookie` header value (6265bis 5.6).
///
/// ```
/// use cookiejar::parse::{parse_set_cookie, ParseOptions};
/// let c = parse_set_cookie(b"sid=abc; Path=/; Secure; HttpOnly", &ParseOptions::default()).unwrap();
/// assert_eq!((c.name, c.value, c.path), (&b"sid"[..], &b"abc"[..], Some(&b"/"[..])));
/// assert!(c.secure && c.http_only);
/// ```
pub fn parse_set_cookie<'a>(
    input: &'a [u8],
    opts: &ParseOptions,
) -> Result<ParsedCookie<'a>, ParseError> {
    // 6265bis 5.6 step 1: a control character (other than HTAB) anywhere rejects the line.
    let has_tab = scan_controls(input)?;
    // Tabs are rare: the checks that look for one inside names and values run only if the
    // line has any.
    let reject_tab = opts.reject_inner_tab && has_tab;
    // Step 2: the name-value-pair is everything up to the first ";".
    let (pair, attributes) = match split_once(input, b';') {
        Some((pair, rest)) => (pair, Some(rest)),
        None => (input, None),
    };
    // Step 3: no "=" means a nameless cookie whose value is the whole pair.
    let (name, value) = match split_once(pair, b'=') {
        Some((n, v)) => (trim_wsp(n), trim_wsp(v)),
        None if opts.no_nameless => (trim_wsp(pair), &b""[..]),
        None => (&b""[..], trim_wsp(pair)),
    };
    if opts.no_nameless && name.is_empty() && !value.is_empty() {
        // Firefox CookieParser: `=a` has no name and is refused.
        return Err(ParseError::EmptyName);
    }
    // Step 5: name and value empty together -> ignore.
    if name.is_empty() && value.is_empty() {
        return Err(ParseError::EmptyNameAndValue);
    }
    // 6265bis 5.6 step 6 (and Chromium kMaxCookieNamePlusValueSize): 4096 bytes in all.
    if name.len() + value.len() > opts.max_name_value_bytes {
        return Err(ParseError::NameValueTooLong(name.len() + value.len()));
    }
    if reject_tab && (name.contains(&b'\t') || value.contains(&b'\t')) {
        // Chromium ParsedCookie::IsValidCookieName/IsValidCookieValue.
        return Err(ParseError::Tab);
    }
    if opts.reject_nameless_with_equals && name.is_empty() && pair.contains(&b'=') {
        // Chromium: `=a=b` and similar nameless cookies with "=" are refused.
        if value.contains(&b'=') {
            return Err(ParseError::NamelessWithEquals);
        }
    }

    let mut c = ParsedCookie {
        name,
        value,
        expires: None,
        max_age: None,
        domain: None,
        path: None,
        secure: false,
        http_only: false,
        same_site: SameSite::Unspecified,
        priority: Priority::Medium,
        partitioned: false,
        warnings: ParseWarnings::default(),
    };
    let Some(attributes) = attributes else {
        return Ok(c);
    };
    // 6265bis 5.6 step 8: each ";"-separated cookie-av, in order; the last one of a kind wins.
    for av in attributes.split(|&b| b == b';') {
        let (attr_name, attr_value) = match split_once(av, b'=') {
            Some((n, v)) => (trim_wsp(n), trim_wsp(v)),
            None => (trim_wsp(av), &b""[..]),
        };
        if reject_tab && (attr_name.contains(&b'\t') || attr_value.contains(&b'\t')) {
            // Chromium ParsedCookie::ParseTokenValuePairs rejects tabs in attributes too.
            return Err(ParseError::Tab);
        }
        // 6265bis 5.6 step 8: an attribute value over 1024 bytes is ignored (Chromium
        // ParsedCookie::ParseTokenValuePairs: the pair is dropped, with the warning
        // WARN_ATTRIBUTE_VALUE_EXCEEDS_MAX_SIZE).
        if attr_value.len() > opts.max_attribute_value_bytes {
            c.warnings.insert(ParseWarnings::ATTRIBUTE_VALUE_TOO_LONG);
            continue;
        }
        let Some(attr) = attribute(attr_name) else {
            // 6265bis 5.6 step 8: unknown attributes are ignored.
            continue;
        };
        match attr {
            Attr::Expires => {
                // 6265bis 5.6.1: an unparseable date ignores the attribute.
                match opts.dates.parse(attr_value) {
                    Some(t) => c.expires = Some(t),
                    None if opts.invalid_attribute_overrides => c.expires = None,
                    None => {}
                }
            }
            Attr::MaxAge => {
                // 6265bis 5.6.2.
                match parse_max_age(
                    attr_value,
                    opts.max_age_allows_plus,
                    opts.max_age_minus_expires,
                ) {
                    Some(t) => c.max_age = Some(t),
                    None if opts.invalid_attribute_overrides => c.max_age = None,
                    None => {}
                }
            }
            Attr::Domain => {
                // 6265bis 5.6.3.
                c.domain = Some(attr_value);
            }
            Attr::Path => {
                // 6265bis 5.6.4.
                c.path = Some(attr_value);
            }
            Attr::Secure => {
                // 6265bis 5.6.5.
                c.secure = true;
            }
            Attr::HttpOnly => {
                // 6265bis 5.6.6.
                c.http_only = true;
            }
            Attr::SameSite => {
                // 6265bis 5.6.7: an unknown value means "Default" (unspecified), and 5.7
                // takes the last SameSite attribute, so it cancels an earlier valid one. The
                // browsers agree, whatever `invalid_attribute_overrides` says: Chromium
                // parsed_cookie.cc keeps the index of the last "samesite" pair and
                // cookie_constants.cc StringToCookieSameSite maps an unknown value to
                // UNSPECIFIED; Firefox CookieParser "Reset to Default if unknown token value
                // (see Bug 1682450)" and sets mInvalidSameSiteAttribute.
                let v = attr_value;
                let parsed = if v.eq_ignore_ascii_case(b"none") {
                    Some(SameSite::None)
                } else if v.eq_ignore_ascii_case(b"lax") {
                    Some(SameSite::Lax)
                } else if v.eq_ignore_ascii_case(b"strict") {
                    Some(SameSite::Strict)
                } else {
                    None
                };
                match parsed {
                    Some(s) => c.same_site = s,
                    None => {
                        c.same_site = SameSite::Unspecified;
                        c.warnings.insert(ParseWarnings::UNRECOGNIZED_SAME_SITE);
                    }
                }
            }
            Attr::Priority => {
                // Chromium cookie_util StringToCookiePriority: unknown -> Medium.
                c.priority = if attr_value.eq_ignore_ascii_case(b"low") {
                    Priority::Low
                } else if attr_value.eq_ignore_ascii_case(b"high") {
                    Priority::High
                } else {
                    Priority::Medium
                };
            }
            Attr::Partitioned => {
                // CHIPS (draft-cutler-httpbis-partitioned-cookies).
                c.partitioned = true;
            }
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn control_scan_agrees_with_bytewise() {
        // Every byte at every position of lines around the word size.
        for len in [1usize, 7, 8, 9, 16, 17, 23] {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut line = vec![b'a'; len];
                    line[at] = b;
                    let want = if is_forbidden_ctl(b) {
                        Err(ParseError::ControlCharacter(b))
                    } else {
                        Ok(b == b'\t')
                    };
                    assert_eq!(scan_controls(&line), want, "{line:?}");
                }
            }
        }
    }

    #[test]
    fn control_scan_agrees_on_random_lines() {
        // Mixed high, low and ordinary bytes, where borrows between a word's bytes could hide
        // a control character from the word test.
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            crate::xorshift(&mut x);
            let len = (x % 24) as usize;
            let line: Vec<u8> = (0..len)
                .map(|i| {
                    let b = (x >> (i % 8 * 8)) as u8;
                    [b, b | 0x80, b & 0x3f, b'a', 0x7f, 0x20][(x >> (i % 6 + 40)) as usize % 6]
                })
                .collect();
            assert_eq!(scan_controls(&line), scan_bytes(&line), "{line:?}");
        }
    }

    #[test]
    fn attribute_names() {
        for (name, a) in [
            ("expires", Attr::Expires),
            ("Max-Age", Attr::MaxAge),
            ("DOMAIN", Attr::Domain),
            ("path", Attr::Path),
            ("sEcUrE", Attr::Secure),
            ("HttpOnly", Attr::HttpOnly),
            ("SameSite", Attr::SameSite),
            ("priority", Attr::Priority),
            ("Partitioned", Attr::Partitioned),
        ] {
            assert!(attribute(name.as_bytes()) == Some(a), "{name}");
        }
        for name in [
            "", "expire", "max_age", "paths", "secur", "httponlx", "samesit", "x",
        ] {
            assert!(attribute(name.as_bytes()).is_none(), "{name}");
        }
    }

    use super::*;

    fn p(s: &str) -> Result<ParsedCookie<'_>, ParseError> {
        parse_set_cookie(s.as_bytes(), &ParseOptions::default())
    }

    fn chromium() -> ParseOptions {
        ParseOptions {
            reject_inner_tab: true,
            reject_nameless_with_equals: true,
            max_age_allows_plus: true,
            invalid_attribute_overrides: true,
            ..ParseOptions::default()
        }
    }

    #[test]
    fn name_value_split_and_trim() {
        let c = p("  a = b c  ; Path=/").unwrap();
        assert_eq!((c.name, c.value), (&b"a"[..], &b"b c"[..]));
        let c = p("a=b=c").unwrap();
        assert_eq!((c.name, c.value), (&b"a"[..], &b"b=c"[..]));
    }

    #[test]
    fn nameless() {
        let c = p("foo").unwrap();
        assert_eq!((c.name, c.value), (&b""[..], &b"foo"[..]));
        let c = p("=foo").unwrap();
        assert_eq!((c.name, c.value), (&b""[..], &b"foo"[..]));
        assert_eq!(p("="), Err(ParseError::EmptyNameAndValue));
        assert_eq!(p(" ; Secure"), Err(ParseError::EmptyNameAndValue));
        assert!(p("=a=b").is_ok());
        assert_eq!(
            parse_set_cookie(b"=a=b", &chromium()),
            Err(ParseError::NamelessWithEquals)
        );
    }

    #[test]
    fn control_characters_reject() {
        assert_eq!(p("a=b\x00c"), Err(ParseError::ControlCharacter(0)));
        assert_eq!(
            p("a=b; Path=/\x7f"),
            Err(ParseError::ControlCharacter(0x7f))
        );
        assert!(p("a=b\tc").is_ok());
        assert_eq!(
            parse_set_cookie(b"a=b\tc", &chromium()),
            Err(ParseError::Tab)
        );
        assert_eq!(
            parse_set_cookie(b"a=b; Pa\tth=/", &chromium()),
            Err(ParseError::Tab)
        );
    }

    #[test]
    fn sizes() {
        let name = "n".repeat(2048);
        let ok = format!("{name}={}", "v".repeat(2048));
        assert!(p(&ok).is_ok());
        let too_long = format!("{name}={}", "v".repeat(2049));
        assert_eq!(p(&too_long), Err(ParseError::NameValueTooLong(4097)));
        let long_path = format!("a=b; Path=/x; Path=/{}", "p".repeat(1024));
        assert_eq!(p(&long_path).unwrap().path, Some(&b"/x"[..]));
    }

    #[test]
    fn attributes_case_insensitive_last_wins_unknown_ignored() {
        let c = p("a=b; pAtH=/x; PATH=/y; lol; secure; HTTPONLY; Foo=bar").unwrap();
        assert_eq!(c.path, Some(&b"/y"[..]));
        assert!(c.secure && c.http_only);
    }

    #[test]
    fn max_age() {
        assert_eq!(p("a=b; Max-Age=10").unwrap().max_age, Some(10));
        assert_eq!(p("a=b; Max-Age=-1").unwrap().max_age, Some(-1));
        assert_eq!(p("a=b; Max-Age=+1").unwrap().max_age, None);
        assert_eq!(
            parse_set_cookie(b"a=b; Max-Age=+1", &chromium())
                .unwrap()
                .max_age,
            Some(1)
        );
        assert_eq!(p("a=b; Max-Age=50,399").unwrap().max_age, None);
        assert_eq!(p("a=b; Max-Age=1; Max-Age=x").unwrap().max_age, Some(1));
        assert_eq!(
            parse_set_cookie(b"a=b; Max-Age=1; Max-Age=x", &chromium())
                .unwrap()
                .max_age,
            None
        );
        assert_eq!(
            p("a=b; Max-Age=99999999999999999999999").unwrap().max_age,
            Some(i64::MAX)
        );
    }

    #[test]
    fn firefox_max_age_minus_and_last_raw_value() {
        // Firefox CookieParser: a leading "-" expires; the last raw Expires/Max-Age wins.
        let ff = ParseOptions {
            invalid_attribute_overrides: true,
            max_age_minus_expires: true,
            ..ParseOptions::default()
        };
        let m = |s: &str| parse_set_cookie(s.as_bytes(), &ff).unwrap().max_age;
        assert_eq!(m("a=b; Max-Age=-"), Some(i64::MIN));
        assert_eq!(m("a=b; Max-Age=- 1"), Some(i64::MIN));
        assert_eq!(m("a=b; Max-Age=--1"), Some(i64::MIN));
        assert_eq!(m("a=b; Max-Age=+1"), None);
        assert_eq!(m("a=b; Max-Age=1000; Max-Age=junk"), None);
        assert_eq!(p("a=b; Max-Age=--1").unwrap().max_age, None);
    }

    #[test]
    fn expires_invalid_ignored() {
        let c = p("a=b; Expires=Thu, 01 Jan 1970 00:00:01 GMT; Expires=junk").unwrap();
        assert_eq!(c.expires, Some(1));
    }

    #[test]
    fn samesite_and_priority() {
        assert_eq!(p("a=b; SameSite=lAx").unwrap().same_site, SameSite::Lax);
        assert_eq!(
            p("a=b; SameSite=Strict; SameSite=bogus").unwrap().same_site,
            SameSite::Unspecified
        );
        assert_eq!(p("a=b; Priority=HIGH").unwrap().priority, Priority::High);
        assert_eq!(p("a=b; Priority=x").unwrap().priority, Priority::Medium);
        assert!(p("a=b; Partitioned").unwrap().partitioned);
    }

    /// The options a profile's policy parses with.
    fn profile(p: crate::Profile) -> ParseOptions {
        crate::Policy::for_profile(p).parse
    }

    fn same_site_under(opts: &ParseOptions, s: &str) -> (SameSite, bool) {
        let c = parse_set_cookie(s.as_bytes(), opts).unwrap();
        (c.same_site, c.warnings().unrecognized_same_site())
    }

    /// 6265bis 5.6.7 / 5.7 (the Standard profile): the last SameSite wins, an unrecognized
    /// one as "Default".
    #[test]
    fn samesite_unrecognized_last_wins_rfc6265bis() {
        let o = profile(crate::Profile::Standard);
        let last = "a=b; SameSite=Strict; SameSite=bogus";
        assert_eq!(same_site_under(&o, last), (SameSite::Unspecified, true));
        let first = "a=b; SameSite=bogus; SameSite=Lax";
        assert_eq!(same_site_under(&o, first), (SameSite::Lax, true));
        assert_eq!(
            same_site_under(&o, "a=b; SameSite=Lax"),
            (SameSite::Lax, false)
        );
    }

    /// Chromium: the last "samesite" pair, through StringToCookieSameSite (unknown ->
    /// UNSPECIFIED), even with `invalid_attribute_overrides`.
    #[test]
    fn samesite_unrecognized_last_wins_chromium() {
        let o = profile(crate::Profile::Chromium);
        assert!(o.invalid_attribute_overrides);
        let last = "a=b; SameSite=Strict; SameSite=bogus";
        assert_eq!(same_site_under(&o, last), (SameSite::Unspecified, true));
        assert_eq!(
            same_site_under(&o, "a=b; SameSite="),
            (SameSite::Unspecified, true)
        );
        let first = "a=b; SameSite=bogus; SameSite=none";
        assert_eq!(same_site_under(&o, first), (SameSite::None, true));
    }

    /// Firefox CookieParser: an unknown value resets to the default (Bug 1682450).
    #[test]
    fn samesite_unrecognized_last_wins_firefox() {
        let o = profile(crate::Profile::Firefox);
        assert!(o.invalid_attribute_overrides);
        let last = "a=b; SameSite=Lax; SameSite";
        assert_eq!(same_site_under(&o, last), (SameSite::Unspecified, true));
        let first = "a=b; SameSite=x; SameSite=STRICT";
        assert_eq!(same_site_under(&o, first), (SameSite::Strict, true));
    }

    #[test]
    fn warning_attribute_value_too_long() {
        let long = "v".repeat(1025);
        for attr in [
            "Path=/",
            "Domain=",
            "Expires=",
            "SameSite=",
            "Unknown=",
            "Secure=",
        ] {
            let s = format!("a=b; Path=/x; SameSite=Lax; {attr}{long}");
            let c = p(&s).unwrap();
            let w = c.warnings();
            assert!(w.attribute_value_too_long(), "{attr}");
            assert!(
                !w.unrecognized_same_site(),
                "{attr}: the long SameSite was ignored"
            );
            assert_eq!(
                (c.path, c.same_site, c.secure),
                (Some(&b"/x"[..]), SameSite::Lax, false)
            );
        }
        // Exactly 1024 bytes is kept, without a warning; the cookie's own value does not count.
        let exact = format!("a={long}; Path=/{}", "p".repeat(1023));
        let c = p(&exact).unwrap();
        assert!(c.warnings().is_empty());
        assert_eq!(c.path.map(<[u8]>::len), Some(1024));
    }

    #[test]
    fn domain_raw() {
        assert_eq!(
            p("a=b; Domain=.Example.COM").unwrap().domain,
            Some(&b".Example.COM"[..])
        );
        assert_eq!(p("a=b; Domain=").unwrap().domain, Some(&b""[..]));
    }
}

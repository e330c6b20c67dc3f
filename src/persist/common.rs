//! What the readers and writers of other tools' JSON share: typed field access that reports
//! the field at fault, domains with a leading dot, float seconds, RFC 3339 times, the 400-day
//! cap, the canonical gate, and the writers' loop (live cookies, oldest first, UTF-8 only).

use super::{
    oldest_first, FormatError, Location, Malformed, Record, RecordWarning, Records, Refused,
    WriteRefusal,
};
use crate::cookie::{Cookie, CookieBuilder, CookieId, SameSite};
use crate::syntax::date::calendar::{days_from_civil, days_in_month};
use crate::timestamp::Timestamp;
use serde_json::{Map, Value};

/// A JSON object.
pub(super) type Object = Map<String, Value>;

/// The whole file as JSON, or why not.
pub(super) fn parse(bytes: &[u8]) -> Result<Value, FormatError> {
    serde_json::from_slice(bytes).map_err(|e| FormatError::Json(e.to_string()))
}

/// The cookie records of a file that is a bare array of them or an object with a `cookies`
/// array (Playwright's storageState, CDP's `Network.getAllCookies` result, extension exports).
pub(super) fn cookie_array(bytes: &[u8]) -> Result<Vec<Value>, FormatError> {
    match parse(bytes)? {
        Value::Array(a) => Ok(a),
        top => array_in(top, "cookies"),
    }
}

/// `top[key]` as an array: the records of a file whose top level is an object.
pub(super) fn array_in(top: Value, key: &str) -> Result<Vec<Value>, FormatError> {
    match top {
        Value::Object(mut o) => match o.remove(key) {
            Some(Value::Array(a)) => Ok(a),
            _ => Err(FormatError::Json(format!("{key:?} is not an array"))),
        },
        _ => Err(FormatError::Json(format!(
            "not an object with a {key:?} array"
        ))),
    }
}

/// The fields of one record, read with the type the format gives them.
#[derive(Clone, Copy)]
pub(super) struct Fields<'a>(pub(super) &'a Object);

impl<'a> Fields<'a> {
    /// A required string.
    pub(super) fn str(&self, key: &'static str) -> Result<&'a str, Malformed> {
        self.opt_str(key)?.ok_or(Malformed::MissingField(key))
    }

    /// An optional string (absent or `null`: `None`).
    pub(super) fn opt_str(&self, key: &'static str) -> Result<Option<&'a str>, Malformed> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(Malformed::BadField(key)),
        }
    }

    /// An optional boolean (absent or `null`: `None`).
    pub(super) fn opt_bool(&self, key: &'static str) -> Result<Option<bool>, Malformed> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Malformed::BadField(key)),
        }
    }

    /// An optional boolean, `false` when absent.
    pub(super) fn flag(&self, key: &'static str) -> Result<bool, Malformed> {
        Ok(self.opt_bool(key)?.unwrap_or(false))
    }

    /// An optional number (absent or `null`: `None`).
    pub(super) fn opt_f64(&self, key: &'static str) -> Result<Option<f64>, Malformed> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Number(n)) => n.as_f64().map(Some).ok_or(Malformed::BadField(key)),
            Some(_) => Err(Malformed::BadField(key)),
        }
    }

    /// The raw value of a field.
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key)
    }
}

/// A domain as these tools write it: the canonical host (the crate's one canonicalization,
/// `rules::host::canonicalize_domain`), and whether it had a leading dot, which marks a domain
/// cookie (Chromium `CanonicalCookie::Domain()`: "a leading dot for domain cookies").
pub(super) fn domain(raw: &str, key: &'static str) -> Result<(String, bool), Malformed> {
    let canonical =
        crate::rules::host::canonicalize_domain(raw.as_bytes()).ok_or(Malformed::BadField(key))?;
    Ok((canonical, raw.starts_with('.')))
}

/// Float seconds since the Unix epoch (CDP `Network.TimeSinceEpoch`, Playwright `expires`,
/// `chrome.cookies.Cookie.expirationDate`), to the microsecond; far-off times saturate.
pub(super) fn from_seconds(s: f64, key: &'static str) -> Result<Timestamp, Malformed> {
    if !s.is_finite() {
        return Err(Malformed::BadField(key));
    }
    // `as` saturates at the ends of i64; the 400-day cap then brings a far expiry in.
    Ok(Timestamp::from_unix_micros((s * 1e6).round() as i64))
}

/// The `expires` field of Playwright and CDP cookies: float seconds, `-1` (and `0`, which
/// Playwright's `rewriteCookies` takes as no expiry) a session cookie, absent a session cookie;
/// any other negative number is not an expiry.
pub(super) fn expires_seconds(f: &Fields<'_>) -> Result<Option<Timestamp>, Malformed> {
    match f.opt_f64("expires")? {
        None => Ok(None),
        Some(e) if e == -1.0 || e == 0.0 => Ok(None),
        Some(e) if e < 0.0 => Err(Malformed::BadField("expires")),
        Some(e) => Ok(Some(from_seconds(e, "expires")?)),
    }
}

/// The `sameSite` field of Playwright and CDP cookies (`Strict`, `Lax`, `None`; absent:
/// unspecified); another value is ignored with a warning.
pub(super) fn same_site_titled(
    f: &Fields<'_>,
    warnings: &mut Vec<RecordWarning>,
) -> Result<SameSite, Malformed> {
    Ok(match f.opt_str("sameSite")? {
        None => SameSite::Unspecified,
        Some("Strict") => SameSite::Strict,
        Some("Lax") => SameSite::Lax,
        Some("None") => SameSite::None,
        Some(_) => {
            warnings.push(RecordWarning::Ignored("sameSite"));
            SameSite::Unspecified
        }
    })
}

/// A time as float seconds, written as an integer when it is whole.
pub(super) fn seconds_value(t: Timestamp) -> Value {
    let us = t.unix_micros();
    if us % 1_000_000 == 0 {
        Value::from(us / 1_000_000)
    } else {
        Value::from(us as f64 / 1e6)
    }
}

/// A strict RFC 3339 date-time: `2025-01-02T03:04:05Z`, with optional fractional seconds and
/// a `Z` or `±hh:mm` offset, and the signed six-digit years of ECMAScript
/// `Date.prototype.toISOString` (ECMA-262 21.4.1.32, expanded years).
pub(super) fn parse_rfc3339(s: &str) -> Option<Timestamp> {
    let mut c = Digits {
        b: s.as_bytes(),
        at: 0,
    };
    let year = match c.peek() {
        Some(b'+') => {
            c.at += 1;
            c.num(6)?
        }
        Some(b'-') => {
            c.at += 1;
            -c.num(6)?
        }
        _ => c.num(4)?,
    };
    c.lit(b'-')?;
    let month = c.num(2)?;
    c.lit(b'-')?;
    let day = c.num(2)?;
    if !matches!(c.peek(), Some(b'T' | b't' | b' ')) {
        return None;
    }
    c.at += 1;
    let hour = c.num(2)?;
    c.lit(b':')?;
    let minute = c.num(2)?;
    c.lit(b':')?;
    // RFC 3339 5.6: a leap second (60) is read as the last second of its minute.
    let second = c.num(2)?.min(59);
    let mut micros = 0;
    if c.peek() == Some(b'.') {
        c.at += 1;
        let start = c.at;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.at += 1;
        }
        let frac = c.b.get(start..c.at)?;
        if frac.is_empty() {
            return None;
        }
        for i in 0..6 {
            micros = micros * 10 + frac.get(i).map_or(0, |d| i64::from(d - b'0'));
        }
    }
    let offset = match c.peek() {
        Some(b'Z' | b'z') => {
            c.at += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.at += 1;
            let h = c.num(2)?;
            c.lit(b':')?;
            let m = c.num(2)?;
            if h > 23 || m > 59 {
                return None;
            }
            let o = h * 3600 + m * 60;
            if sign == b'+' {
                o
            } else {
                -o
            }
        }
        _ => return None,
    };
    let (month, day) = (u32::try_from(month).ok()?, u32::try_from(day).ok()?);
    if c.at != c.b.len()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
    {
        return None;
    }
    let secs = days_from_civil(year, month, day)
        .checked_mul(86_400)?
        .checked_add(hour * 3600 + minute * 60 + second - offset)?;
    Some(Timestamp::from_unix_micros(
        secs.checked_mul(1_000_000)?.checked_add(micros)?,
    ))
}

struct Digits<'a> {
    b: &'a [u8],
    at: usize,
}

impl Digits<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.at).copied()
    }
    fn lit(&mut self, want: u8) -> Option<()> {
        (self.peek()? == want).then(|| self.at += 1)
    }
    fn num(&mut self, n: usize) -> Option<i64> {
        let d = self.b.get(self.at..self.at + n)?;
        if !d.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.at += n;
        Some(d.iter().fold(0, |acc, &b| acc * 10 + i64::from(b - b'0')))
    }
}

/// What a format's reader made of one record, before the cap and the gate.
pub(super) struct Parsed {
    /// Every field but the expiry and the times.
    pub(super) builder: CookieBuilder,
    /// The expiry the file gives (`None`: a session cookie).
    pub(super) expires: Option<Timestamp>,
    /// Creation and last access, when the file gives them.
    pub(super) times: Option<(Timestamp, Timestamp)>,
    /// What deserves a word.
    pub(super) warnings: Vec<RecordWarning>,
}

impl Parsed {
    /// A record with no times of its own and no warnings yet.
    pub(super) fn new(builder: CookieBuilder, expires: Option<Timestamp>) -> Self {
        Parsed {
            builder,
            expires,
            times: None,
            warnings: Vec::new(),
        }
    }
}

/// Reads each record of `values` with `one`: a record that is not an object, or that `one`
/// finds malformed, is refused with its index and (when it has a string `name_key`) its name;
/// the others are capped and gated ([`finish`]).
pub(super) fn read_records(
    values: Vec<Value>,
    now: Timestamp,
    name_key: &str,
    mut one: impl FnMut(Fields<'_>) -> Result<Parsed, Malformed>,
) -> Records {
    let mut out = Records::default();
    for (i, v) in values.iter().enumerate() {
        let location = Location::Index(i);
        let Some(obj) = v.as_object() else {
            out.refused.push(Refused {
                location,
                name: None,
                error: Malformed::NotAnObject.into(),
            });
            continue;
        };
        let name = obj.get(name_key).and_then(Value::as_str).map(str::to_owned);
        match one(Fields(obj)) {
            Ok(parsed) => finish(&mut out, location, name, parsed, now),
            Err(m) => out.refused.push(Refused {
                location,
                name,
                error: m.into(),
            }),
        }
    }
    out
}

/// Caps the expiry at 400 days after the later of creation and last access (`now` for both
/// when the file has no times; 6265bis 5.5 cookie-age-limit, as the gate checks it), then runs
/// the canonical gate.
fn finish(out: &mut Records, location: Location, name: Option<String>, p: Parsed, now: Timestamp) {
    let (creation, last_access) = p.times.unwrap_or((now, now));
    let mut warnings = p.warnings;
    let expires = super::cap_expiry(p.expires, creation.max(last_access), &mut warnings);
    match p
        .builder
        .expires(expires)
        .creation(creation)
        .last_access(last_access)
        .build()
    {
        Ok(cookie) => {
            out.records.push(Record {
                location,
                cookie,
                creation_known: p.times.is_some(),
            });
            out.warnings
                .extend(warnings.into_iter().map(|w| (location, w)));
        }
        Err(n) => out.refused.push(Refused {
            location,
            name,
            error: n.into(),
        }),
    }
}

/// The name and value as text, or [`WriteRefusal::NotUtf8`]: these formats hold strings only.
pub(super) fn text(c: &Cookie) -> Result<(&str, &str), WriteRefusal> {
    match (
        std::str::from_utf8(c.name()),
        std::str::from_utf8(c.value()),
    ) {
        (Ok(n), Ok(v)) => Ok((n, v)),
        _ => Err(WriteRefusal::NotUtf8),
    }
}

/// The domain as CDP, Playwright and `chrome.cookies` report it: a leading dot for a domain
/// cookie (Chromium `CanonicalCookie::Domain()`), the bare host for a host-only one.
pub(super) fn dotted_domain(c: &Cookie) -> String {
    if c.host_only() {
        c.domain().to_owned()
    } else {
        format!(".{}", c.domain())
    }
}

/// Runs `one` over the cookies that are still live at `now`, oldest first
/// ([`oldest_first`]); expired cookies are left out silently, refused ones with why.
pub(super) fn write_each<'a>(
    cookies: impl IntoIterator<Item = &'a Cookie>,
    now: Timestamp,
    mut one: impl FnMut(&Cookie, &str, &str) -> Value,
) -> (Vec<Value>, Vec<(CookieId, WriteRefusal)>) {
    let mut values = Vec::new();
    let mut refused = Vec::new();
    for c in oldest_first(cookies) {
        if c.is_expired(now) {
            continue;
        }
        match text(c) {
            Ok((name, value)) => values.push(one(c, name, value)),
            Err(r) => refused.push((c.id(), r)),
        }
    }
    (values, refused)
}

/// Pretty JSON ending in a newline (serializing a `Value` into memory cannot fail).
pub(super) fn pretty(v: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_reads_what_to_iso_string_and_time_write() {
        let t = |s| parse_rfc3339(s).map(Timestamp::unix_micros);
        assert_eq!(t("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(t("2025-01-02T03:04:05.678Z"), Some(1_735_787_045_678_000));
        assert_eq!(
            t("2025-01-02T03:04:05.6789999Z"),
            Some(1_735_787_045_678_999)
        );
        assert_eq!(t("2025-01-02T04:04:05+01:00"), Some(1_735_787_045_000_000));
        assert_eq!(t("2025-01-02t03:04:05z"), Some(1_735_787_045_000_000));
        assert_eq!(
            t("+275760-09-13T00:00:00.000Z"),
            Some(8_640_000_000_000_000_000)
        );
        assert_eq!(t("-000001-01-01T00:00:00Z"), Some(-62_198_755_200_000_000));
        assert_eq!(t("2024-02-29T00:00:00Z"), Some(1_709_164_800_000_000));
        for bad in [
            "",
            "2025-01-02",
            "2025-01-02T03:04:05",
            "2025-13-02T03:04:05Z",
            "2023-02-29T00:00:00Z",
            "2025-01-02T24:00:00Z",
            "2025-01-02T03:04:05.Z",
            "2025-01-02T03:04:05Zjunk",
            "2025-1-02T03:04:05Z",
            "+99999999-01-01T00:00:00Z",
            "Infinity",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn seconds_keep_microseconds_and_whole_seconds_stay_integers() {
        let t = from_seconds(1_800_000_000.123_456, "expires").unwrap();
        assert_eq!(t.unix_micros(), 1_800_000_000_123_456);
        assert_eq!(seconds_value(t), Value::from(1_800_000_000.123_456));
        assert_eq!(
            seconds_value(Timestamp::from_unix_seconds(5)),
            Value::from(5)
        );
        assert_eq!(
            from_seconds(f64::MAX, "expires").unwrap(),
            Timestamp::from_unix_micros(i64::MAX)
        );
    }

    #[test]
    fn domains_keep_whether_they_had_a_dot() {
        assert_eq!(
            domain(".Example.COM", "domain"),
            Ok(("example.com".to_owned(), true))
        );
        assert_eq!(
            domain("example.com", "domain"),
            Ok(("example.com".to_owned(), false))
        );
        assert_eq!(domain("", "domain"), Err(Malformed::BadField("domain")));
        assert_eq!(domain("a b", "host"), Err(Malformed::BadField("host")));
    }
}

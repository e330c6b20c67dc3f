//! tough-cookie's serialized jar (`CookieJar.serializeSync()`, `JSON.stringify(jar)`), the
//! cookie store of Node's `got`, `request` and jsdom. Read only.
//!
//! ```json
//! { "version": "tough-cookie@5.0.0", "storeType": "MemoryCookieStore",
//!   "rejectPublicSuffixes": true, "enableLooseMode": false, "allowSpecialUseDomain": true,
//!   "prefixSecurity": "silent",
//!   "cookies": [ { "key": "sid", "value": "1", "expires": "2027-01-15T08:00:00.000Z",
//!                  "domain": "example.com", "path": "/", "secure": true, "httpOnly": true,
//!                  "hostOnly": false, "creation": "2026-01-15T08:00:00.000Z",
//!                  "lastAccessed": "2026-01-15T09:00:00.000Z", "sameSite": "lax" } ] }
//! ```
//!
//! Fields as tough-cookie writes them (`lib/cookie/cookie.ts`, `Cookie.toJSON`): a field
//! equal to its default is left out (`cookieDefaults`: `key` and `value` `""`, `expires`
//! `"Infinity"`, `secure` and `httpOnly` `false`, `hostOnly` `null`); times are ISO 8601
//! (`Date.toISOString`); `maxAge` is a number of seconds or `"Infinity"` / `"-Infinity"`, and
//! takes precedence over `expires`, counted from the last access (`Cookie.expiryTime`:
//! `relativeTo = now || this.lastAccessed`); `sameSite` is lower-case `strict`, `lax` or
//! `none` (`parse`). A bare array of serialized cookies is read too.
//!
//! **Kept**: name, value, domain and host-only, path, expiry, Secure, HttpOnly, SameSite,
//! creation and last-access times (so the jar orders and evicts as tough-cookie had them).
//!
//! **Lost**: `extensions` (attributes tough-cookie did not know, `Partitioned` and
//! `Priority` among them: ignored with a warning; tough-cookie has no partitions);
//! `pathIsDefault`; the jar-wide options (`rejectPublicSuffixes`, `prefixSecurity`, ...).

use super::common::{self, Fields, Parsed};
use super::{FormatError, Malformed, RecordWarning, Records};
use crate::cookie::{Cookie, SameSite};
use crate::timestamp::Timestamp;
use serde_json::Value;

/// Reads a serialized tough-cookie jar.
///
/// ```
/// use cookiejar::{persist::tough_cookie, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let file = br#"{"version": "tough-cookie@5.0.0", "storeType": "MemoryCookieStore",
///   "rejectPublicSuffixes": true, "cookies": [{"key": "sid", "value": "1",
///   "domain": "example.com", "path": "/", "hostOnly": true,
///   "creation": "2027-01-15T08:00:00.000Z", "lastAccessed": "2027-01-15T08:00:00.000Z"}]}"#;
/// let records = tough_cookie::read(file, now).unwrap();
/// let r = &records.records[0];
/// assert!(r.creation_known && r.cookie.host_only() && r.cookie.expires().is_none());
/// assert_eq!(r.cookie.creation().unix_seconds(), 1_800_000_000);
/// ```
pub fn read(bytes: &[u8], now: Timestamp) -> Result<Records, FormatError> {
    let values = match common::parse(bytes)? {
        Value::Array(a) => a,
        top => common::array_in(top, "cookies")?,
    };
    Ok(common::read_records(values, now, "key", |f| one(f, now)))
}

/// An ISO 8601 time field, absent or `null` as `None`.
fn time(f: Fields<'_>, key: &'static str) -> Result<Option<Timestamp>, Malformed> {
    f.opt_str(key)?
        .map(|s| common::parse_rfc3339(s).ok_or(Malformed::BadField(key)))
        .transpose()
}

fn one(f: Fields<'_>, now: Timestamp) -> Result<Parsed, Malformed> {
    // cookie.ts cookieDefaults: key and value "" are left out.
    let name = f.opt_str("key")?.unwrap_or("");
    let value = f.opt_str("value")?.unwrap_or("");
    // The jar always sets domain and path (cookieJar.ts setCookie); a cookie without either
    // was never stored.
    let (domain, _) = common::domain(f.str("domain")?, "domain")?;
    let path = f.str("path")?;
    let creation = time(f, "creation")?;
    let last_access = time(f, "lastAccessed")?;
    let times = creation.map(|c| (c, last_access.unwrap_or(c)));
    let expires = match f.get("maxAge") {
        // Cookie.expiryTime: Max-Age counts from the last access; <= 0 is already expired.
        None | Some(Value::Null) => match f.opt_str("expires")? {
            None | Some("Infinity") => None,
            Some(s) => Some(common::parse_rfc3339(s).ok_or(Malformed::BadField("expires"))?),
        },
        Some(Value::String(s)) if s == "Infinity" => Some(Timestamp::MAX),
        Some(Value::String(s)) if s == "-Infinity" => Some(Timestamp::MIN),
        Some(Value::Number(n)) => {
            let secs = n.as_f64().ok_or(Malformed::BadField("maxAge"))?;
            if secs <= 0.0 {
                Some(Timestamp::MIN)
            } else {
                // From the last access, else the creation, else (as tough-cookie) now.
                let delta = common::from_seconds(secs, "maxAge")?.unix_micros();
                Some(last_access.or(creation).unwrap_or(now).plus_micros(delta))
            }
        }
        Some(_) => return Err(Malformed::BadField("maxAge")),
    };
    let mut warnings = Vec::new();
    // cookie.ts parse: sameSite is "strict", "lax" or "none" (undefined otherwise).
    let same_site = match f
        .opt_str("sameSite")?
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => SameSite::Unspecified,
        Some("strict") => SameSite::Strict,
        Some("lax") => SameSite::Lax,
        Some("none") => SameSite::None,
        Some(_) => {
            warnings.push(RecordWarning::Ignored("sameSite"));
            SameSite::Unspecified
        }
    };
    match f.get("extensions") {
        None | Some(Value::Null) => {}
        Some(Value::Array(a)) if a.iter().all(Value::is_string) => {
            if !a.is_empty() {
                warnings.push(RecordWarning::Ignored("extensions"));
            }
        }
        Some(_) => return Err(Malformed::BadField("extensions")),
    }
    // cookieJar.ts matchingCookie: `if (c.hostOnly) exact else domainMatch`, so a missing
    // (null) hostOnly is a domain cookie.
    let host_only = f.flag("hostOnly")?;
    let builder = Cookie::builder(name, value, domain)
        .host_only(host_only)
        .path(path)
        .secure(f.flag("secure")?)
        .http_only(f.flag("httpOnly")?)
        .same_site(same_site);
    let mut parsed = Parsed::new(builder, expires);
    parsed.times = times;
    parsed.warnings = warnings;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::{Location, RecordError};

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);
    /// 2027-01-15T08:00:00Z, the NOW above.
    const T: &str = "2027-01-15T08:00:00.000Z";

    /// `JSON.stringify(jar.serializeSync())` from tough-cookie 5 after setting these cookies:
    /// `sid=abc; Domain=example.com; Secure; HttpOnly; SameSite=Lax; Expires=...`,
    /// `pref=x; Max-Age=3600` (host-only, default path), `a=; Priority=High`.
    fn sample() -> String {
        format!(
            r#"{{"version":"tough-cookie@5.0.0","storeType":"MemoryCookieStore",
            "rejectPublicSuffixes":true,"enableLooseMode":false,"allowSpecialUseDomain":true,
            "prefixSecurity":"silent","cookies":[
            {{"key":"sid","value":"abc","expires":"2027-06-01T00:00:00.000Z",
              "domain":"example.com","path":"/","secure":true,"httpOnly":true,"hostOnly":false,
              "creation":"{T}","lastAccessed":"2027-01-15T09:00:00.000Z","sameSite":"lax"}},
            {{"key":"pref","value":"x","maxAge":3600,"domain":"www.example.com","path":"/a",
              "hostOnly":true,"pathIsDefault":true,"creation":"{T}","lastAccessed":"{T}"}},
            {{"key":"a","extensions":["Priority=High"],"domain":"example.com","path":"/",
              "hostOnly":true,"creation":"{T}","lastAccessed":"{T}"}}
            ]}}"#
        )
    }

    #[test]
    fn reads_every_field() {
        let r = read(sample().as_bytes(), NOW).unwrap();
        assert!(r.refused.is_empty(), "{r:?}");
        let c: Vec<&Cookie> = r.records.iter().map(|r| &r.cookie).collect();
        assert_eq!((c[0].name(), c[0].value()), (&b"sid"[..], &b"abc"[..]));
        assert_eq!((c[0].domain(), c[0].host_only()), ("example.com", false));
        assert_eq!(
            c[0].expires().map(Timestamp::unix_seconds),
            Some(1_811_808_000)
        );
        assert!(c[0].secure() && c[0].http_only());
        assert_eq!(c[0].same_site(), SameSite::Lax);
        assert_eq!(c[0].creation(), NOW);
        assert_eq!(c[0].last_access(), NOW.plus_seconds(3600));
        // Max-Age counts from the last access.
        assert_eq!((c[1].domain(), c[1].host_only()), ("www.example.com", true));
        assert_eq!(c[1].path(), "/a");
        assert_eq!(c[1].expires(), Some(NOW.plus_seconds(3600)));
        assert_eq!(c[1].same_site(), SameSite::Unspecified);
        assert!(!c[1].secure() && !c[1].http_only());
        // A default left out: the empty value.
        assert_eq!(c[2].value(), b"");
        assert!(r.records.iter().all(|r| r.creation_known));
        assert_eq!(
            r.warnings,
            vec![(Location::Index(2), RecordWarning::Ignored("extensions"))]
        );
    }

    #[test]
    fn max_age_variants() {
        let rec = |max_age: &str| {
            format!(
                r#"[{{"key":"a","value":"1","domain":"a.example","path":"/","maxAge":{max_age},
                "creation":"{T}","lastAccessed":"{T}"}}]"#
            )
        };
        let expires = |m: &str| {
            read(rec(m).as_bytes(), NOW)
                .unwrap()
                .records
                .first()
                .and_then(|r| r.cookie.expires())
        };
        assert_eq!(expires("0"), Some(Timestamp::MIN));
        assert_eq!(expires("\"-Infinity\""), Some(Timestamp::MIN));
        assert_eq!(
            expires("\"Infinity\""),
            Some(NOW.plus_seconds(400 * 24 * 3600))
        );
        let r = read(rec("true").as_bytes(), NOW).unwrap();
        assert_eq!(
            r.refused[0].error,
            RecordError::Malformed(Malformed::BadField("maxAge"))
        );
    }

    #[test]
    fn bad_records_are_refused_with_their_index() {
        let file = br#"{"cookies":[
          {"key":"a","value":"1","path":"/"},
          {"key":"a","value":"1","domain":"a.example","path":"/","creation":"yesterday"},
          {"key":"a","value":"1","domain":"a.example","path":"/","expires":"2027-01-15"},
          {"key":"a","value":"1","domain":"a.example","path":"/","extensions":"x"},
          {"key":"a","value":"1","domain":"a.example","path":"/","hostOnly":1},
          null,
          {"domain":"a.example","path":"/"}
        ]}"#;
        let r = read(file, NOW).unwrap();
        let got: Vec<(Location, RecordError)> = r
            .refused
            .iter()
            .map(|x| (x.location, x.error.clone()))
            .collect();
        let m = |i, m| (Location::Index(i), RecordError::Malformed(m));
        assert_eq!(
            got,
            vec![
                m(0, Malformed::MissingField("domain")),
                m(1, Malformed::BadField("creation")),
                m(2, Malformed::BadField("expires")),
                m(3, Malformed::BadField("extensions")),
                m(4, Malformed::BadField("hostOnly")),
                m(5, Malformed::NotAnObject),
                (
                    Location::Index(6),
                    RecordError::NotCanonical(crate::NotCanonical::EmptyNameAndValue)
                ),
            ]
        );
        assert!(matches!(read(b"", NOW), Err(FormatError::Json(_))));
        assert!(matches!(
            read(br#"{"version":"tough-cookie@5.0.0"}"#, NOW),
            Err(FormatError::Json(_))
        ));
    }

    #[test]
    fn the_cap_counts_from_the_known_creation() {
        let file = format!(
            r#"[{{"key":"a","value":"1","domain":"a.example","path":"/",
            "expires":"2099-01-01T00:00:00.000Z","creation":"{T}","lastAccessed":"{T}"}}]"#
        );
        let r = read(file.as_bytes(), NOW.plus_seconds(99_999)).unwrap();
        assert_eq!(
            r.records[0].cookie.expires(),
            Some(NOW.plus_seconds(400 * 24 * 3600))
        );
        assert_eq!(
            r.warnings,
            vec![(Location::Index(0), RecordWarning::ExpiryCapped)]
        );
    }
}

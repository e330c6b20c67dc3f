//! Browser-extension exports: arrays of `chrome.cookies.Cookie` (the WebExtensions `cookies`
//! API), as "EditThisCookie", "Cookie-Editor" and similar extensions export them. Read only.
//!
//! ```json
//! [ { "domain": ".example.com", "hostOnly": false, "httpOnly": true, "name": "sid",
//!     "path": "/", "sameSite": "lax", "secure": true, "session": false, "storeId": "0",
//!     "value": "1", "expirationDate": 1800003600.5,
//!     "partitionKey": { "topLevelSite": "https://top.example", "hasCrossSiteAncestor": true } } ]
//! ```
//!
//! Fields as `chrome.cookies.Cookie` defines them (Chrome extension API, `cookies.json`;
//! `@types/chrome` `chrome.cookies.Cookie`): `expirationDate` float seconds, absent for a
//! session cookie; `hostOnly` says whether the cookie is host-only (it decides over the
//! domain's leading dot, with a [`RecordWarning::DotFlagMismatch`] when they disagree);
//! `sameSite` one of `no_restriction`, `lax`, `strict`, `unspecified` (`SameSiteStatus`).
//! The reader also takes `{"cookies": [...]}`.
//!
//! **Kept**: name, value, domain and host-only, path, expiry, Secure, HttpOnly, SameSite
//! (unspecified included), the partition key.
//!
//! **Lost**: creation and last-access times; `Priority` (the API has none; Medium);
//! `storeId` (incognito and container stores are not told apart); whether a partitioned cookie
//! carried `Partitioned` (taken: when it is Secure, as CHIPS requires; Firefox partitions
//! cookies without it).

use super::common::{self, Fields, Parsed};
use super::{FormatError, Malformed, RecordWarning, Records};
use crate::cookie::{Cookie, SameSite};
use crate::timestamp::Timestamp;
use serde_json::Value;

/// Reads an extension's cookie export.
///
/// ```
/// use cookiejar::{persist::extension, SameSite, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let file = br#"[{"domain": "www.example.com", "hostOnly": true, "httpOnly": false,
///   "name": "pref", "path": "/", "sameSite": "unspecified", "secure": false,
///   "session": true, "storeId": "0", "value": "dark"}]"#;
/// let records = extension::read(file, now).unwrap();
/// let c = &records.records[0].cookie;
/// assert!(c.host_only() && c.expires().is_none());
/// assert_eq!(c.same_site(), SameSite::Unspecified);
/// ```
pub fn read(bytes: &[u8], now: Timestamp) -> Result<Records, FormatError> {
    Ok(common::read_records(
        common::cookie_array(bytes)?,
        now,
        "name",
        one,
    ))
}

fn one(f: Fields<'_>) -> Result<Parsed, Malformed> {
    let name = f.str("name")?;
    let value = f.str("value")?;
    let (domain, dot) = common::domain(f.str("domain")?, "domain")?;
    let path = f.str("path")?;
    let mut warnings = Vec::new();
    // cookies.Cookie.hostOnly: "True if the cookie is a host-only cookie (i.e. a request's
    // host must exactly match the domain of the cookie)". It decides; the dot is a hint.
    let host_only = match f.opt_bool("hostOnly")? {
        Some(h) => {
            if h == dot {
                warnings.push(RecordWarning::DotFlagMismatch);
            }
            h
        }
        None => !dot,
    };
    // cookies.Cookie.expirationDate: "Not provided for session cookies"; session: "True if
    // the cookie is a session cookie".
    let expires = match f.opt_f64("expirationDate")? {
        _ if f.flag("session")? => None,
        None => None,
        Some(e) => Some(common::from_seconds(e, "expirationDate")?),
    };
    // cookies.SameSiteStatus: no_restriction (None), lax, strict, unspecified.
    let same_site = match f.opt_str("sameSite")? {
        None | Some("unspecified") => SameSite::Unspecified,
        Some("no_restriction") => SameSite::None,
        Some("lax") => SameSite::Lax,
        Some("strict") => SameSite::Strict,
        Some(_) => {
            warnings.push(RecordWarning::Ignored("sameSite"));
            SameSite::Unspecified
        }
    };
    // cookies.CookiePartitionKey { topLevelSite, hasCrossSiteAncestor } (Chrome 119+,
    // Firefox's has topLevelSite only).
    let partition = match f.get("partitionKey") {
        None | Some(Value::Null) => None,
        Some(Value::Object(o)) => match o.get("topLevelSite") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => return Err(Malformed::BadField("partitionKey")),
        },
        Some(_) => return Err(Malformed::BadField("partitionKey")),
    };
    let secure = f.flag("secure")?;
    // CHIPS: only a Secure cookie carries `Partitioned`; Firefox (Total Cookie Protection)
    // partitions others by itself.
    let attribute = partition.is_some() && secure;
    let builder = Cookie::builder(name, value, domain)
        .host_only(host_only)
        .path(path)
        .secure(secure)
        .http_only(f.flag("httpOnly")?)
        .same_site(same_site)
        .partition(partition, attribute);
    let mut parsed = Parsed::new(builder, expires);
    parsed.warnings = warnings;
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::{Location, RecordError};

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

    /// A Cookie-Editor / EditThisCookie export (Chrome), one record per interesting case.
    const SAMPLE: &str = r#"[
      {"domain": ".example.com", "expirationDate": 1800003600.5, "hostOnly": false,
       "httpOnly": true, "name": "sid", "path": "/", "sameSite": "lax", "secure": true,
       "session": false, "storeId": "0", "value": "abc", "id": 1},
      {"domain": "www.example.com", "hostOnly": true, "httpOnly": false, "name": "pref",
       "path": "/a", "sameSite": "unspecified", "secure": false, "session": true,
       "storeId": "0", "value": "x", "id": 2},
      {"domain": "widget.example", "expirationDate": 1800000100, "hostOnly": true,
       "httpOnly": false, "name": "chips", "path": "/", "sameSite": "no_restriction",
       "secure": true, "session": false, "storeId": "0", "value": "2",
       "partitionKey": {"topLevelSite": "https://top.example", "hasCrossSiteAncestor": true}},
      {"domain": ".strict.example", "hostOnly": true, "httpOnly": false, "name": "s",
       "path": "/", "sameSite": "strict", "secure": false, "session": true,
       "storeId": "1", "value": "3"}
    ]"#;

    #[test]
    fn reads_every_field() {
        let r = read(SAMPLE.as_bytes(), NOW).unwrap();
        assert!(r.refused.is_empty(), "{r:?}");
        let c: Vec<&Cookie> = r.records.iter().map(|r| &r.cookie).collect();
        assert_eq!((c[0].domain(), c[0].host_only()), ("example.com", false));
        assert_eq!(
            c[0].expires(),
            Some(Timestamp::from_unix_micros(1_800_003_600_500_000))
        );
        assert!(c[0].http_only() && c[0].secure());
        assert_eq!(c[0].same_site(), SameSite::Lax);
        assert_eq!((c[1].domain(), c[1].host_only()), ("www.example.com", true));
        assert_eq!((c[1].path(), c[1].expires()), ("/a", None));
        assert_eq!(c[1].same_site(), SameSite::Unspecified);
        assert_eq!(c[2].same_site(), SameSite::None);
        assert_eq!(c[2].partition_key(), Some("https://top.example"));
        assert!(c[2].partitioned_attribute());
        // hostOnly decides over the dot, with a word.
        assert_eq!((c[3].domain(), c[3].host_only()), ("strict.example", true));
        assert_eq!(c[3].same_site(), SameSite::Strict);
        assert_eq!(
            r.warnings,
            vec![(Location::Index(3), RecordWarning::DotFlagMismatch)]
        );
    }

    #[test]
    fn bad_records_are_refused_with_their_index() {
        let file = br#"{"cookies": [
          {"domain": "a.example", "name": "n", "path": "/", "value": "1", "hostOnly": "no"},
          {"domain": "a.example", "name": "n", "path": "/", "value": "1", "expirationDate": "soon"},
          {"domain": "a.example", "name": "n", "path": "/", "value": "1", "partitionKey": "https://t.example"},
          {"domain": "a.example", "name": "n", "value": "1"},
          "cookie",
          {"domain": "a.example", "name": "n", "path": "/", "value": "1", "sameSite": "Lax"}
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
                m(0, Malformed::BadField("hostOnly")),
                m(1, Malformed::BadField("expirationDate")),
                m(2, Malformed::BadField("partitionKey")),
                m(3, Malformed::MissingField("path")),
                m(4, Malformed::NotAnObject),
            ]
        );
        assert_eq!(
            r.warnings,
            vec![(Location::Index(5), RecordWarning::Ignored("sameSite"))]
        );
        assert!(matches!(read(b"cookies", NOW), Err(FormatError::Json(_))));
        assert!(matches!(read(b"{}", NOW), Err(FormatError::Json(_))));
    }

    #[test]
    fn a_far_expiry_is_capped() {
        let file = br#"[{"domain": "a.example", "name": "n", "path": "/", "value": "1",
            "expirationDate": 4102444800}]"#;
        let r = read(file, NOW).unwrap();
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

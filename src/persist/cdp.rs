//! Chrome DevTools Protocol cookies (`Network.getAllCookies`, `Storage.getCookies`,
//! Puppeteer's `page.cookies()` / `browser.cookies()`), and the same array to give back to
//! `Network.setCookies`.
//!
//! ```json
//! [ { "name": "sid", "value": "1", "domain": ".example.com", "path": "/",
//!     "expires": 1800003600.5, "size": 4, "httpOnly": true, "secure": true,
//!     "session": false, "sameSite": "Lax", "priority": "High", "sourceScheme": "Secure",
//!     "sourcePort": 443,
//!     "partitionKey": { "topLevelSite": "https://top.example", "hasCrossSiteAncestor": true } } ]
//! ```
//!
//! Fields as `Network.Cookie` defines them (devtools-protocol `browser_protocol.pdl`):
//! `expires` float seconds, `-1` with `session: true` for a session cookie; `sameSite` absent
//! for a cookie that did not set it; `partitionKey` a `CookiePartitionKey` object since
//! r1311068 (June 2024), a string before. The reader takes a bare array or the
//! `{"cookies": [...]}` result object.
//!
//! **Kept**: name, value, domain and host-only, path, expiry (to the microsecond), Secure,
//! HttpOnly, SameSite (unspecified included), Priority, the partition key.
//!
//! **Lost**: creation and last-access times (CDP has none); `sourceScheme` and `sourcePort`
//! (the jar does not scope cookies by them; written `"Unset"` and `-1`, which
//! the protocol documents as "emulate legacy cookie scope"); `hasCrossSiteAncestor` (not kept;
//! written `false` when the cookie's domain is within its top-level site, else `true`, the
//! usual cases); whether a partitioned cookie carried `Partitioned` (read back: when it is
//! Secure); `sameParty` (deprecated, ignored). A cookie with an opaque partition key
//! (`partitionKeyOpaque: true`) is refused: there is no key to put it under. Names and values
//! that are not UTF-8 are not written.

use super::common::{self, Fields, Parsed};
use super::{FormatError, Malformed, RecordWarning, Records, Written};
use crate::cookie::{Cookie, Priority, SameSite};
use crate::rules::host::domain_match;
use crate::timestamp::Timestamp;
use serde_json::{Map, Value};

/// Reads a CDP cookie array (bare, or as the `cookies` of a `getAllCookies` result).
///
/// ```
/// use cookiejar::{persist::cdp, Priority, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let file = br#"[{"name": "sid", "value": "1", "domain": "example.com", "path": "/",
///   "expires": -1, "size": 4, "httpOnly": false, "secure": true, "session": true,
///   "priority": "High", "sourceScheme": "Secure", "sourcePort": 443}]"#;
/// let records = cdp::read(file, now).unwrap();
/// let c = &records.records[0].cookie;
/// assert!(c.host_only() && c.expires().is_none());
/// assert_eq!(c.priority(), Priority::High);
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
    let session = f.opt_bool("session")?;
    // Network.Cookie.session: "True in case of session cookie"; Chromium reports such a
    // cookie with expires -1 (network_handler.cc BuildCookie).
    let expires = match session {
        Some(true) => None,
        _ => common::expires_seconds(&f)?,
    };
    let mut warnings = Vec::new();
    // Network.CookieSameSite: Strict, Lax, None; absent when the cookie did not set it.
    let same_site = common::same_site_titled(&f, &mut warnings)?;
    // Network.CookiePriority: Low, Medium, High.
    let priority = match f.opt_str("priority")? {
        None | Some("Medium") => Priority::Medium,
        Some("Low") => Priority::Low,
        Some("High") => Priority::High,
        Some(_) => {
            warnings.push(RecordWarning::Ignored("priority"));
            Priority::Medium
        }
    };
    // Network.Cookie.partitionKeyOpaque: "True if cookie partition key is opaque".
    if f.flag("partitionKeyOpaque")? {
        return Err(Malformed::BadField("partitionKeyOpaque"));
    }
    let partition = match f.get("partitionKey") {
        None | Some(Value::Null) => None,
        // Before r1311068: "The site of the top-level URL", a string.
        Some(Value::String(s)) => Some(s.clone()),
        // Since r1311068: CookiePartitionKey { topLevelSite, hasCrossSiteAncestor }.
        Some(Value::Object(o)) => match o.get("topLevelSite") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => return Err(Malformed::BadField("partitionKey")),
        },
        Some(_) => return Err(Malformed::BadField("partitionKey")),
    };
    let secure = f.flag("secure")?;
    // CHIPS: only a Secure cookie carries `Partitioned`.
    let attribute = partition.is_some() && secure;
    let builder = Cookie::builder(name, value, domain)
        .host_only(!dot)
        .path(path)
        .secure(secure)
        .http_only(f.flag("httpOnly")?)
        .same_site(same_site)
        .priority(priority)
        .partition(partition, attribute);
    let mut parsed = Parsed::new(builder, expires);
    parsed.warnings = warnings;
    Ok(parsed)
}

/// Writes `cookies` (those still live at `now`, oldest first) as a JSON array of
/// `Network.Cookie` objects, which `Network.setCookies` and Puppeteer's `setCookie` take back.
///
/// ```
/// use cookiejar::{persist::cdp, Cookie, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let c = Cookie::builder("sid", "1", "example.com").host_only(false).creation(now).build().unwrap();
/// let written = cdp::write([&c], now);
/// let v: serde_json::Value = serde_json::from_slice(&written.bytes).unwrap();
/// assert_eq!(v[0]["domain"], ".example.com");
/// assert_eq!((v[0]["session"].as_bool(), v[0]["size"].as_u64()), (Some(true), Some(4)));
/// assert_eq!(cdp::read(&written.bytes, now).unwrap().records[0].cookie.domain(), "example.com");
/// ```
pub fn write<'a>(cookies: impl IntoIterator<Item = &'a Cookie>, now: Timestamp) -> Written {
    let (values, refused) = common::write_each(cookies, now, |c, name, value| {
        let mut o = Map::new();
        o.insert("name".into(), name.into());
        o.insert("value".into(), value.into());
        o.insert("domain".into(), common::dotted_domain(c).into());
        o.insert("path".into(), c.path().into());
        let expires = c.expires().map_or(Value::from(-1), common::seconds_value);
        o.insert("expires".into(), expires);
        // Chromium network_handler.cc BuildCookie: size is the name's length plus the value's.
        o.insert("size".into(), (c.name().len() + c.value().len()).into());
        o.insert("httpOnly".into(), c.http_only().into());
        o.insert("secure".into(), c.secure().into());
        o.insert("session".into(), c.expires().is_none().into());
        // Chromium network_handler.cc BuildCookie sets sameSite only when the cookie has one.
        let same_site = match c.same_site() {
            SameSite::Strict => Some("Strict"),
            SameSite::Lax => Some("Lax"),
            SameSite::None => Some("None"),
            SameSite::Unspecified => None,
        };
        if let Some(s) = same_site {
            o.insert("sameSite".into(), s.into());
        }
        let priority = match c.priority() {
            Priority::Low => "Low",
            Priority::Medium => "Medium",
            Priority::High => "High",
        };
        o.insert("priority".into(), priority.into());
        // Network.CookieSourceScheme "Unset" and sourcePort -1: "allows protocol clients to
        // emulate legacy cookie scope"; the jar does not record either.
        o.insert("sourceScheme".into(), "Unset".into());
        o.insert("sourcePort".into(), (-1).into());
        if let Some(key) = c.partition_key() {
            let site = key.split_once("://").map_or(key, |(_, s)| s);
            let mut pk = Map::new();
            pk.insert("topLevelSite".into(), key.into());
            pk.insert(
                "hasCrossSiteAncestor".into(),
                (!domain_match(c.domain(), site)).into(),
            );
            o.insert("partitionKey".into(), Value::Object(pk));
        }
        Value::Object(o)
    });
    Written {
        bytes: common::pretty(&Value::Array(values)),
        refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::{Location, RecordError, WriteRefusal};
    use crate::reason::NotCanonical;

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

    /// `Network.getAllCookies` as Chrome returns it, new-style partition key on the last.
    const SAMPLE: &str = r#"{"cookies": [
      {"name": "sid", "value": "abc", "domain": ".example.com", "path": "/",
       "expires": 1800003600.5, "size": 6, "httpOnly": true, "secure": true,
       "session": false, "sameSite": "Lax", "priority": "High", "sameParty": false,
       "sourceScheme": "Secure", "sourcePort": 443},
      {"name": "pref", "value": "x", "domain": "www.example.com", "path": "/a",
       "expires": -1, "size": 5, "httpOnly": false, "secure": false, "session": true,
       "priority": "Low", "sourceScheme": "NonSecure", "sourcePort": 80},
      {"name": "chips", "value": "2", "domain": "widget.example", "path": "/",
       "expires": 1800000100, "size": 6, "httpOnly": false, "secure": true,
       "session": false, "sameSite": "None", "priority": "Medium",
       "sourceScheme": "Secure", "sourcePort": 443,
       "partitionKey": {"topLevelSite": "https://top.example", "hasCrossSiteAncestor": true}}
    ]}"#;

    fn cookies(r: &Records) -> Vec<&Cookie> {
        r.records.iter().map(|r| &r.cookie).collect()
    }

    #[test]
    fn reads_every_field() {
        let r = read(SAMPLE.as_bytes(), NOW).unwrap();
        assert!(r.refused.is_empty() && r.warnings.is_empty(), "{r:?}");
        let c = cookies(&r);
        assert_eq!((c[0].domain(), c[0].host_only()), ("example.com", false));
        assert_eq!(
            c[0].expires(),
            Some(Timestamp::from_unix_micros(1_800_003_600_500_000))
        );
        assert!(c[0].http_only() && c[0].secure());
        assert_eq!(
            (c[0].same_site(), c[0].priority()),
            (SameSite::Lax, Priority::High)
        );
        assert_eq!((c[1].domain(), c[1].host_only()), ("www.example.com", true));
        assert_eq!((c[1].path(), c[1].expires()), ("/a", None));
        assert_eq!(
            (c[1].same_site(), c[1].priority()),
            (SameSite::Unspecified, Priority::Low)
        );
        assert_eq!(c[2].partition_key(), Some("https://top.example"));
        assert!(c[2].partitioned_attribute());
        assert!(r.records.iter().all(|r| !r.creation_known));
    }

    #[test]
    fn reads_the_old_string_partition_key_and_a_bare_array() {
        let file = br#"[{"name": "a", "value": "1", "domain": "w.example", "path": "/",
            "expires": -1, "secure": true, "session": true, "partitionKey": "https://top.example"}]"#;
        let r = read(file, NOW).unwrap();
        assert_eq!(cookies(&r)[0].partition_key(), Some("https://top.example"));
    }

    #[test]
    fn session_wins_over_expires() {
        let file = br#"[{"name": "a", "value": "1", "domain": "w.example", "path": "/",
            "expires": 1800000500, "session": true}]"#;
        assert_eq!(cookies(&read(file, NOW).unwrap())[0].expires(), None);
    }

    #[test]
    fn bad_records_are_refused_with_their_index() {
        let file = br#"[
          {"name": "a", "value": "1", "domain": "w.example", "path": "/", "partitionKey": 3},
          {"name": "a", "value": "1", "domain": "w.example", "path": "/", "partitionKey": {}},
          {"name": "a", "value": "1", "domain": "w.example", "path": "/", "secure": true,
           "partitionKey": {"topLevelSite": "https://top.example"}, "partitionKeyOpaque": true},
          {"name": "a", "value": "1", "domain": "w.example", "path": "/", "priority": 2},
          {"name": "a", "value": "1", "path": "/"},
          [],
          {"name": "a", "value": "1", "domain": "w.example", "path": "/",
           "partitionKey": {"topLevelSite": "top.example"}, "secure": true},
          {"name": "a", "value": "1", "domain": "w.example", "path": "/", "priority": "Urgent"}
        ]"#;
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
                m(0, Malformed::BadField("partitionKey")),
                m(1, Malformed::BadField("partitionKey")),
                m(2, Malformed::BadField("partitionKeyOpaque")),
                m(3, Malformed::BadField("priority")),
                m(4, Malformed::MissingField("domain")),
                m(5, Malformed::NotAnObject),
                (
                    Location::Index(6),
                    RecordError::NotCanonical(NotCanonical::InvalidPartitionKey)
                ),
            ]
        );
        assert_eq!(
            r.warnings,
            vec![(Location::Index(7), RecordWarning::Ignored("priority"))]
        );
        for bad in [&b"{]"[..], b"{\"result\": []}", b"null"] {
            assert!(matches!(read(bad, NOW), Err(FormatError::Json(_))));
        }
    }

    #[test]
    fn writes_every_field_and_reads_it_back() {
        let r = read(SAMPLE.as_bytes(), NOW).unwrap();
        let original: Vec<Cookie> = r.records.into_iter().map(|r| r.cookie).collect();
        let w = write(&original, NOW);
        assert!(w.refused.is_empty());
        let v: Value = serde_json::from_slice(&w.bytes).unwrap();
        let by_name = |n: &str| {
            v.as_array()
                .and_then(|a| a.iter().find(|c| c["name"] == n))
                .cloned()
                .unwrap_or_default()
        };
        let sid = by_name("sid");
        assert_eq!(sid["domain"], ".example.com");
        assert_eq!(sid["expires"], 1_800_003_600.5);
        assert_eq!(
            (sid["size"].as_u64(), sid["session"].as_bool()),
            (Some(6), Some(false))
        );
        assert_eq!(
            (sid["sameSite"].as_str(), sid["priority"].as_str()),
            (Some("Lax"), Some("High"))
        );
        assert_eq!(
            (sid["sourceScheme"].as_str(), sid["sourcePort"].as_i64()),
            (Some("Unset"), Some(-1))
        );
        let pref = by_name("pref");
        assert_eq!(
            (pref["expires"].as_i64(), pref["session"].as_bool()),
            (Some(-1), Some(true))
        );
        assert!(pref.get("sameSite").is_none());
        let chips = by_name("chips");
        assert_eq!(chips["partitionKey"]["topLevelSite"], "https://top.example");
        assert_eq!(chips["partitionKey"]["hasCrossSiteAncestor"], true);
        let mut back: Vec<Cookie> = read(&w.bytes, NOW)
            .unwrap()
            .records
            .into_iter()
            .map(|r| r.cookie)
            .collect();
        let mut original = original;
        back.sort_by(|a, b| a.name().cmp(b.name()));
        original.sort_by(|a, b| a.name().cmp(b.name()));
        assert_eq!(back, original);
    }

    #[test]
    fn a_first_party_partitioned_cookie_has_no_cross_site_ancestor() {
        let c = Cookie::builder("a", "1", "www.top.example")
            .secure(true)
            .partition(Some("https://top.example".into()), true)
            .build()
            .unwrap();
        let binary = Cookie::builder(&b"\xfe"[..], "1", "www.top.example")
            .build()
            .unwrap();
        let w = write([&c, &binary], NOW);
        assert_eq!(w.refused, vec![(binary.id(), WriteRefusal::NotUtf8)]);
        let v: Value = serde_json::from_slice(&w.bytes).unwrap();
        assert_eq!(v[0]["partitionKey"]["hasCrossSiteAncestor"], false);
    }
}

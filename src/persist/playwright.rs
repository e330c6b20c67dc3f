//! Playwright's `storageState` file (`browserContext.storageState({ path })`, the
//! `storageState` option of `browser.newContext`).
//!
//! ```json
//! { "cookies": [ { "name": "sid", "value": "1", "domain": ".example.com", "path": "/",
//!                  "expires": 1800003600.5, "httpOnly": true, "secure": true,
//!                  "sameSite": "Lax", "partitionKey": "https://top.example" } ],
//!   "origins": [ { "origin": "https://example.com", "localStorage": [] } ] }
//! ```
//!
//! Fields as Playwright's protocol defines them (`packages/protocol/src/protocol.yml`,
//! `NetworkCookie` and `SetNetworkCookie`): `expires` is float seconds since the epoch, `-1`
//! for a session cookie; a domain cookie's `domain` has a leading dot (what the browser
//! reports), a host-only one's has none. The reader also takes a bare array of such cookies
//! (what `browserContext.cookies()` returns).
//!
//! **Kept**: name, value, domain and host-only, path, expiry (to the microsecond), Secure,
//! HttpOnly, SameSite Strict/Lax/None, the partition key.
//!
//! **Lost**: creation and last-access times (the importing jar gives new ones, in file order);
//! `Priority` (reads back Medium); a SameSite the cookie did not set (written `"Lax"`, which is
//! what Playwright reports for such a cookie in Chromium, `crBrowser.ts` `doGetCookies`:
//! `{ sameSite: 'Lax', ...c }`; it reads back as Lax, which Chromium's Lax-by-default enforces
//! alike, but not Firefox, which treats it as None); whether a partitioned cookie carried the
//! `Partitioned` attribute (read back: when it is Secure, as CHIPS requires); Chromium's
//! `_crHasCrossSiteAncestor` (ignored on read, not written). Names and values that are not
//! UTF-8 are not written. Note that Playwright itself, adding a cookie with a `domain`, makes
//! it a domain cookie in Chromium (`Storage.setCookies` with a domain), so a host-only cookie
//! restored through Playwright is sent to subdomains too; this jar keeps it host-only.

use super::common::{self, Fields, Parsed};
use super::{FormatError, Malformed, Records, Written};
use crate::cookie::{Cookie, SameSite};
use crate::timestamp::Timestamp;
use serde_json::{Map, Value};

/// Reads the cookies of a storageState file (or a bare array of Playwright cookies); the
/// `origins` are not cookies and are not read.
///
/// ```
/// use cookiejar::{persist::playwright, CookieJar, RequestContext, Timestamp, Url};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let file = br#"{"cookies": [{"name": "sid", "value": "1", "domain": ".example.com",
///   "path": "/", "expires": -1, "httpOnly": true, "secure": true, "sameSite": "Lax"}],
///   "origins": []}"#;
/// let records = playwright::read(file, now).unwrap();
/// assert!(records.refused.is_empty());
/// let mut jar = CookieJar::new();
/// jar.import(records, now);
/// let url = Url::parse("https://www.example.com/").unwrap();
/// let header = jar.cookie_header(&RequestContext::navigation(&url), now);
/// assert_eq!(header.as_deref(), Some("sid=1"));
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
    // Playwright network.ts rewriteCookies: "Cookie should have a url or a domain/path pair";
    // a stored state always has the pair.
    let (domain, dot) = common::domain(f.str("domain")?, "domain")?;
    let path = f.str("path")?;
    // protocol.yml NetworkCookie.expires; network.ts rewriteCookies: "only -1 or a positive
    // number", and 0 (falsy) is taken as no expiry.
    let expires = common::expires_seconds(&f)?;
    let mut warnings = Vec::new();
    // protocol.yml: sameSite is one of Strict, Lax, None.
    let same_site = common::same_site_titled(&f, &mut warnings)?;
    let secure = f.flag("secure")?;
    // protocol.yml: partitionKey is the top-level site as a string.
    let partition = f.opt_str("partitionKey")?.map(str::to_owned);
    // CHIPS: only a Secure cookie can carry `Partitioned`; one that is not was partitioned by
    // the browser itself (Firefox Total Cookie Protection).
    let attribute = partition.is_some() && secure;
    let builder = Cookie::builder(name, value, domain)
        .host_only(!dot)
        .path(path)
        .secure(secure)
        .http_only(f.flag("httpOnly")?)
        .same_site(same_site)
        .partition(partition, attribute);
    let mut parsed = Parsed::new(builder, expires);
    parsed.warnings = warnings;
    Ok(parsed)
}

/// Writes a storageState file holding `cookies` (those still live at `now`, oldest first).
/// With `existing` (the file being replaced), every top-level field but `cookies`
/// (`origins` and any other) is kept as it was; without, `origins` is empty. An `existing`
/// that is not a JSON object is an error, and nothing is written.
///
/// ```
/// use cookiejar::{persist::playwright, Cookie, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let c = Cookie::builder("sid", "1", "example.com").secure(true).creation(now).build().unwrap();
/// let old = br#"{"cookies": [], "origins": [{"origin": "https://example.com", "localStorage": []}]}"#;
/// let written = playwright::write([&c], now, Some(old)).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&written.bytes).unwrap();
/// assert_eq!(v["cookies"][0]["domain"], "example.com");
/// assert_eq!(v["cookies"][0]["expires"], -1);
/// assert_eq!(v["origins"][0]["origin"], "https://example.com");
/// ```
pub fn write<'a>(
    cookies: impl IntoIterator<Item = &'a Cookie>,
    now: Timestamp,
    existing: Option<&[u8]>,
) -> Result<Written, FormatError> {
    let mut top = match existing.map(common::parse).transpose()? {
        None => {
            let mut m = Map::new();
            m.insert("origins".into(), Value::Array(Vec::new()));
            m
        }
        Some(Value::Object(m)) => m,
        Some(_) => {
            return Err(FormatError::Json(
                "the existing file is not a storageState object".into(),
            ))
        }
    };
    let (values, refused) = common::write_each(cookies, now, |c, name, value| {
        let mut o = Map::new();
        o.insert("name".into(), name.into());
        o.insert("value".into(), value.into());
        o.insert("domain".into(), common::dotted_domain(c).into());
        o.insert("path".into(), c.path().into());
        // protocol.yml NetworkCookie.expires: -1 for a session cookie.
        let expires = c.expires().map_or(Value::from(-1), common::seconds_value);
        o.insert("expires".into(), expires);
        o.insert("httpOnly".into(), c.http_only().into());
        o.insert("secure".into(), c.secure().into());
        o.insert("sameSite".into(), same_site_name(c.same_site()).into());
        if let Some(key) = c.partition_key() {
            o.insert("partitionKey".into(), key.into());
        }
        Value::Object(o)
    });
    top.insert("cookies".into(), Value::Array(values));
    Ok(Written {
        bytes: common::pretty(&Value::Object(top)),
        refused,
    })
}

/// protocol.yml NetworkCookie.sameSite is required: Strict, Lax or None. An unspecified one is
/// what Playwright reports it as in Chromium (crBrowser.ts doGetCookies: `sameSite: 'Lax'`).
fn same_site_name(s: SameSite) -> &'static str {
    match s {
        SameSite::Strict => "Strict",
        SameSite::Lax | SameSite::Unspecified => "Lax",
        SameSite::None => "None",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::{Location, RecordError, RecordWarning, WriteRefusal};
    use crate::reason::{NotCanonical, Rejection};
    use crate::{CookieJar, Priority};

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

    /// The shape `browserContext.storageState()` writes (Chromium), with every field.
    const SAMPLE: &str = r#"{
      "cookies": [
        {"name": "sid", "value": "abc", "domain": ".example.com", "path": "/",
         "expires": 1800003600.25, "httpOnly": true, "secure": true, "sameSite": "Strict"},
        {"name": "host", "value": "1", "domain": "www.example.com", "path": "/app",
         "expires": -1, "httpOnly": false, "secure": false, "sameSite": "Lax"},
        {"name": "chips", "value": "2", "domain": "widget.example", "path": "/",
         "expires": 1800000100, "httpOnly": false, "secure": true, "sameSite": "None",
         "partitionKey": "https://top.example", "_crHasCrossSiteAncestor": true}
      ],
      "origins": [{"origin": "https://example.com",
                   "localStorage": [{"name": "k", "value": "v"}]}]
    }"#;

    #[test]
    fn reads_every_field() {
        let r = read(SAMPLE.as_bytes(), NOW).unwrap();
        assert!(r.refused.is_empty() && r.warnings.is_empty(), "{r:?}");
        let c: Vec<&Cookie> = r.records.iter().map(|r| &r.cookie).collect();
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].name(), c[0].value()), (&b"sid"[..], &b"abc"[..]));
        assert_eq!((c[0].domain(), c[0].host_only()), ("example.com", false));
        assert_eq!(
            c[0].expires(),
            Some(Timestamp::from_unix_micros(1_800_003_600_250_000))
        );
        assert!(c[0].http_only() && c[0].secure());
        assert_eq!(c[0].same_site(), SameSite::Strict);
        assert_eq!((c[1].domain(), c[1].host_only()), ("www.example.com", true));
        assert_eq!((c[1].path(), c[1].expires()), ("/app", None));
        assert!(!c[1].http_only() && !c[1].secure());
        assert_eq!(c[1].same_site(), SameSite::Lax);
        assert_eq!(c[2].same_site(), SameSite::None);
        assert_eq!(c[2].partition_key(), Some("https://top.example"));
        assert!(c[2].partitioned_attribute());
        assert_eq!(c[2].priority(), Priority::Medium);
        for (i, rec) in r.records.iter().enumerate() {
            assert_eq!(rec.location, Location::Index(i));
            assert!(!rec.creation_known);
            assert_eq!(
                (rec.cookie.creation(), rec.cookie.last_access()),
                (NOW, NOW)
            );
        }
    }

    #[test]
    fn bad_records_are_refused_with_their_index() {
        let file = br#"{"cookies": [
            1,
            {"value": "1", "domain": "a.example", "path": "/"},
            {"name": "n", "value": 5, "domain": "a.example", "path": "/"},
            {"name": "n", "value": "1", "domain": "a.example", "path": "/", "expires": -5},
            {"name": "n", "value": "1", "domain": "a.example", "path": "/", "secure": "yes"},
            {"name": "n", "value": "1", "domain": "a.example"},
            {"name": "n", "value": "1", "domain": "a.example", "path": "/", "sameSite": "None"},
            {"name": "ok", "value": "1", "domain": "a.example", "path": "/", "sameSite": "lax"}
        ], "origins": []}"#;
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
                m(0, Malformed::NotAnObject),
                m(1, Malformed::MissingField("name")),
                m(2, Malformed::BadField("value")),
                m(3, Malformed::BadField("expires")),
                m(4, Malformed::BadField("secure")),
                m(5, Malformed::MissingField("path")),
                (
                    Location::Index(6),
                    RecordError::NotCanonical(NotCanonical::SameSiteNoneInsecure)
                ),
            ]
        );
        assert_eq!(r.refused[2].name.as_deref(), Some("n"));
        // A SameSite of another spelling is not Playwright's: ignored, with a word.
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.records[0].cookie.same_site(), SameSite::Unspecified);
        assert_eq!(
            r.warnings,
            vec![(Location::Index(7), RecordWarning::Ignored("sameSite"))]
        );
    }

    #[test]
    fn not_json_or_wrong_shape_is_a_format_error() {
        for bad in [
            &b"not json"[..],
            b"{\"origins\": []}",
            b"{\"cookies\": {}}",
            b"3",
        ] {
            assert!(
                matches!(read(bad, NOW), Err(FormatError::Json(_))),
                "{bad:?}"
            );
        }
        // A bare array, as browserContext.cookies() returns, is read.
        let r = read(
            br#"[{"name":"a","value":"1","domain":"a.example","path":"/"}]"#,
            NOW,
        )
        .unwrap();
        assert_eq!(r.records.len(), 1);
    }

    #[test]
    fn a_far_expiry_is_capped_with_a_warning() {
        let file = br#"{"cookies": [{"name": "a", "value": "1", "domain": "a.example",
            "path": "/", "expires": 253402300799}]}"#;
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

    #[test]
    fn a_public_suffix_domain_cookie_is_refused_by_the_jar() {
        let file = br#"{"cookies": [{"name": "a", "value": "1", "domain": ".com", "path": "/"},
            {"name": "b", "value": "1", "domain": ".example.com", "path": "/"}]}"#;
        let mut jar = CookieJar::new();
        let report = jar.import(read(file, NOW).unwrap(), NOW);
        assert_eq!(report.imported, 1);
        assert_eq!(report.refused.len(), 1);
        assert_eq!(report.refused[0].location, Location::Index(0));
        assert_eq!(
            report.refused[0].error,
            RecordError::Rejected(Rejection::PublicSuffixDomainCookie)
        );
    }

    #[test]
    fn writes_what_it_reads_and_keeps_the_origins() {
        let r = read(SAMPLE.as_bytes(), NOW).unwrap();
        let cookies: Vec<Cookie> = r.records.into_iter().map(|r| r.cookie).collect();
        let w = write(&cookies, NOW, Some(SAMPLE.as_bytes())).unwrap();
        assert!(w.refused.is_empty());
        let v: Value = serde_json::from_slice(&w.bytes).unwrap();
        let old: Value = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(v["origins"], old["origins"]);
        // Equal creation times: oldest_first breaks the tie by domain.
        let names: Vec<&str> = (0..3)
            .filter_map(|i| v["cookies"][i]["name"].as_str())
            .collect();
        assert_eq!(names, ["sid", "chips", "host"]);
        let first = &v["cookies"][0];
        assert_eq!(first["domain"], ".example.com");
        assert_eq!(first["expires"], 1_800_003_600.25);
        assert_eq!(first["sameSite"], "Strict");
        assert_eq!(v["cookies"][2]["expires"], -1);
        assert_eq!(v["cookies"][2]["domain"], "www.example.com");
        assert_eq!(v["cookies"][1]["partitionKey"], "https://top.example");
        assert!(v["cookies"][2].get("partitionKey").is_none());
        let again = read(&w.bytes, NOW).unwrap();
        let mut back: Vec<Cookie> = again.records.into_iter().map(|r| r.cookie).collect();
        back.sort_by(|a, b| a.name().cmp(b.name()));
        let mut cookies = cookies;
        cookies.sort_by(|a, b| a.name().cmp(b.name()));
        assert_eq!(back, cookies);
    }

    #[test]
    fn writing_skips_expired_refuses_non_utf8_and_maps_unspecified_to_lax() {
        let live = Cookie::builder("a", "1", "a.example")
            .creation(NOW)
            .build()
            .unwrap();
        let gone = Cookie::builder("b", "1", "a.example")
            .expires(Some(NOW.plus_seconds(-1)))
            .creation(NOW.plus_seconds(-10))
            .build()
            .unwrap();
        let binary = Cookie::builder(&b"c"[..], &b"\xff"[..], "a.example")
            .build()
            .unwrap();
        let w = write([&live, &gone, &binary], NOW, None).unwrap();
        assert_eq!(w.refused, vec![(binary.id(), WriteRefusal::NotUtf8)]);
        let v: Value = serde_json::from_slice(&w.bytes).unwrap();
        assert_eq!(v["origins"], Value::Array(Vec::new()));
        assert_eq!(v["cookies"].as_array().map(Vec::len), Some(1));
        assert_eq!(v["cookies"][0]["sameSite"], "Lax");
        assert!(matches!(
            write([&live], NOW, Some(b"[]")),
            Err(FormatError::Json(_))
        ));
        assert!(matches!(
            write([&live], NOW, Some(b"{")),
            Err(FormatError::Json(_))
        ));
    }
}

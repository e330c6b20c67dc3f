//! The JSON files of the Rust `cookie_store` crate (and `reqwest_cookie_store`, which saves
//! through it). Read only.
//!
//! ```json
//! [ { "raw_cookie": "sid=1; HttpOnly; SameSite=Lax; Secure; Path=/; Expires=Tue, 03 Aug 2100 00:38:37 GMT",
//!     "path": ["/", true],
//!     "domain": { "Suffix": "example.com" },
//!     "expires": { "AtUtc": "2100-08-03T00:38:37Z" } } ]
//! ```
//!
//! Each record is a `cookie_store::Cookie` as its serde derive writes it (cookie_store 0.22
//! `src/cookie.rs`): `raw_cookie` the `Set-Cookie` string (`cookie::Cookie`'s `Display`),
//! `path` a `CookiePath(String, bool)` pair, `domain` a `CookieDomain` (`{"HostOnly": host}` or
//! `{"Suffix": domain}`), `expires` a `CookieExpiration` (`{"AtUtc": rfc3339}` or
//! `"SessionEnd"`). The crate has written three shapes, all read here:
//! - one record per line (`CookieStore::save_json`, `save_incl_expired_and_nonpersistent_json`,
//!   deprecated in 0.22 but the only form before it; places are lines, from 1);
//! - a pretty-printed array (`cookie_store::serde::json::save`, 0.22);
//! - a compact array (`serde_json::to_writer(&store)`, the `Serialize` impl of `CookieStore`).
//!
//! Name, value, Secure, HttpOnly and SameSite come from `raw_cookie` (read by this crate's own
//! `Set-Cookie` parser); domain, host-only, path and expiry from the structured fields, which
//! hold what cookie_store made of the line when it stored it (Max-Age already resolved).
//!
//! **Kept**: name, value, domain and host-only, path, expiry (to the second), Secure, HttpOnly,
//! SameSite.
//!
//! **Lost**: creation and last-access times (cookie_store has none; the importing jar gives
//! new ones in file order); `Partitioned` (cookie_store has no partitions: the cookie is read
//! unpartitioned, with a warning).

use super::common::{self, Fields, Parsed};
use super::{FormatError, Location, Malformed, RecordWarning, Records, Refused};
use crate::cookie::Cookie;
use crate::parse::{parse_set_cookie, ParseOptions};
use crate::timestamp::Timestamp;
use serde_json::Value;

/// Reads a cookie_store file in any of its shapes (an empty file is an empty store, which
/// `save_json` writes for a store with no persistent cookie).
///
/// ```
/// use cookiejar::{persist::cookie_store, Timestamp};
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let file = concat!(
///     r#"{"raw_cookie":"sid=1; Secure; Path=/","path":["/",false],"#,
///     r#""domain":{"HostOnly":"example.com"},"expires":{"AtUtc":"2027-02-01T00:00:00Z"}}"#,
///     "\n",
/// );
/// let records = cookie_store::read(file.as_bytes(), now).unwrap();
/// let c = &records.records[0].cookie;
/// assert!(c.host_only() && c.secure());
/// assert_eq!(c.expires().map(Timestamp::unix_seconds), Some(1_801_440_000));
/// ```
pub fn read(bytes: &[u8], now: Timestamp) -> Result<Records, FormatError> {
    match common::parse(bytes) {
        // serde::json::save and the Serialize impl: one array.
        Ok(Value::Array(a)) => Ok(common::read_records(a, now, "", one)),
        // save_json with a single cookie: one line, one object.
        Ok(v @ Value::Object(_)) => Ok(lines(vec![(1, Ok(v))], now)),
        Ok(_) => Err(FormatError::Json(
            "neither an array of cookies nor one cookie per line".into(),
        )),
        Err(e) => {
            // save_json: one record per line (cookie_store.rs `save`: writeln! per cookie).
            let text = std::str::from_utf8(bytes).map_err(|_| FormatError::NotUtf8)?;
            let rows: Vec<(usize, serde_json::Result<Value>)> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
                .map(|(i, l)| (i + 1, serde_json::from_str(l)))
                .collect();
            if rows.is_empty() {
                return Ok(Records::default());
            }
            if rows.iter().all(|(_, r)| r.is_err()) {
                return Err(e);
            }
            Ok(lines(rows, now))
        }
    }
}

/// One record per line: each read as an array of one, then placed on its line.
fn lines(rows: Vec<(usize, serde_json::Result<Value>)>, now: Timestamp) -> Records {
    let mut out = Records::default();
    for (line, row) in rows {
        let location = Location::Line(line);
        let Ok(v) = row else {
            out.refused.push(Refused {
                location,
                name: None,
                error: Malformed::NotAnObject.into(),
            });
            continue;
        };
        let one_record = common::read_records(vec![v], now, "", one);
        out.records
            .extend(one_record.records.into_iter().map(|mut r| {
                r.location = location;
                r
            }));
        out.refused
            .extend(one_record.refused.into_iter().map(|mut r| {
                r.location = location;
                r
            }));
        out.warnings
            .extend(one_record.warnings.into_iter().map(|(_, w)| (location, w)));
    }
    out
}

fn one(f: Fields<'_>) -> Result<Parsed, Malformed> {
    let raw = f.str("raw_cookie")?;
    let parsed = parse_set_cookie(raw.as_bytes(), &ParseOptions::default())
        .map_err(|_| Malformed::BadField("raw_cookie"))?;
    // cookie_path.rs: `pub struct CookiePath(String, bool)`, serialized as a pair.
    let path = match f.get("path") {
        Some(Value::Array(p)) => match p.as_slice() {
            [Value::String(s), Value::Bool(_)] => s.as_str(),
            _ => return Err(Malformed::BadField("path")),
        },
        None => return Err(Malformed::MissingField("path")),
        Some(_) => return Err(Malformed::BadField("path")),
    };
    // cookie_domain.rs: HostOnly(String) | Suffix(String) | NotPresent | Empty; a stored
    // cookie is always one of the first two (Cookie::try_from_raw_cookie).
    let (domain, host_only) = match f.get("domain") {
        Some(Value::Object(o)) => match (o.get("HostOnly"), o.get("Suffix")) {
            (Some(Value::String(h)), None) => (common::domain(h, "domain")?.0, true),
            (None, Some(Value::String(d))) => (common::domain(d, "domain")?.0, false),
            _ => return Err(Malformed::BadField("domain")),
        },
        None => return Err(Malformed::MissingField("domain")),
        Some(_) => return Err(Malformed::BadField("domain")),
    };
    // cookie_expiration.rs: AtUtc(OffsetDateTime) as RFC 3339 | SessionEnd.
    let expires = match f.get("expires") {
        Some(Value::String(s)) if s == "SessionEnd" => None,
        Some(Value::Object(o)) => match o.get("AtUtc") {
            Some(Value::String(t)) => {
                Some(common::parse_rfc3339(t).ok_or(Malformed::BadField("expires"))?)
            }
            _ => return Err(Malformed::BadField("expires")),
        },
        None => return Err(Malformed::MissingField("expires")),
        Some(_) => return Err(Malformed::BadField("expires")),
    };
    let mut warnings = Vec::new();
    if parsed.partitioned {
        warnings.push(RecordWarning::Ignored("Partitioned"));
    }
    let builder = Cookie::builder(parsed.name, parsed.value, domain)
        .host_only(host_only)
        .path(path)
        .secure(parsed.secure)
        .http_only(parsed.http_only)
        .same_site(parsed.same_site)
        .priority(parsed.priority);
    let mut p = Parsed::new(builder, expires);
    p.warnings = warnings;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persist::RecordError;
    use crate::{CookieJar, RequestContext, SameSite, Url};

    const NOW: Timestamp = Timestamp::from_unix_seconds(1_800_000_000);

    /// A real cookie_store store, filled through its own API.
    fn store() -> ::cookie_store::CookieStore {
        let mut s = ::cookie_store::CookieStore::new();
        let url = Url::parse("https://www.example.com/app/page").unwrap();
        for line in [
            "sid=abc; Domain=example.com; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=3600",
            "pref=dark; Expires=Wed, 01 Jan 2098 00:00:00 GMT",
            "tmp=1; Path=/app",
            "strict=1; SameSite=Strict; Max-Age=60",
        ] {
            s.parse(line, &url).unwrap();
        }
        s
    }

    fn read_back(bytes: &[u8]) -> Vec<Cookie> {
        let r = read(bytes, NOW).unwrap();
        assert!(r.refused.is_empty(), "{:?}", r.refused);
        let mut v: Vec<Cookie> = r.records.into_iter().map(|r| r.cookie).collect();
        v.sort_by(|a, b| a.name().cmp(b.name()));
        v
    }

    /// The cookie_store's own view of a cookie: name, value, domain, host-only, path, expiry
    /// (Unix seconds), secure, http-only.
    type View = (
        String,
        String,
        String,
        bool,
        String,
        Option<i64>,
        bool,
        bool,
    );

    fn theirs(s: &::cookie_store::CookieStore, persistent_only: bool) -> Vec<View> {
        let mut v: Vec<View> = s
            .iter_any()
            .filter(|c| !persistent_only || c.is_persistent())
            .map(|c| {
                let (domain, host_only) = match &c.domain {
                    ::cookie_store::CookieDomain::HostOnly(h) => (h.clone(), true),
                    ::cookie_store::CookieDomain::Suffix(d) => (d.clone(), false),
                    _ => (String::new(), false),
                };
                let expires = match &c.expires {
                    ::cookie_store::CookieExpiration::AtUtc(t) => Some(t.unix_timestamp()),
                    ::cookie_store::CookieExpiration::SessionEnd => None,
                };
                (
                    c.name().to_owned(),
                    c.value().to_owned(),
                    domain,
                    host_only,
                    String::from(&c.path[..]),
                    expires,
                    c.secure().unwrap_or(false),
                    c.http_only().unwrap_or(false),
                )
            })
            .collect();
        v.sort();
        v
    }

    fn ours(cs: &[Cookie]) -> Vec<View> {
        let mut v: Vec<View> = cs
            .iter()
            .map(|c| {
                (
                    c.name_str().into_owned(),
                    c.value_str().into_owned(),
                    c.domain().to_owned(),
                    c.host_only(),
                    c.path().to_owned(),
                    c.expires().map(Timestamp::unix_seconds),
                    c.secure(),
                    c.http_only(),
                )
            })
            .collect();
        v.sort();
        v
    }

    #[test]
    fn reads_what_cookie_store_writes_in_all_three_shapes() {
        let s = store();
        // 0.22 serde::json::save: a pretty array of the persistent cookies.
        let mut pretty = Vec::new();
        ::cookie_store::serde::json::save(&s, &mut pretty).unwrap();
        // The Serialize impl: a compact array of the persistent cookies.
        let compact = serde_json::to_vec(&s).unwrap();
        // The line-per-cookie form, every cookie (session ones too).
        let mut lines = Vec::new();
        #[allow(deprecated)]
        s.save_incl_expired_and_nonpersistent_json(&mut lines)
            .unwrap();
        assert!(pretty.starts_with(b"[\n") && compact.starts_with(b"[{"));
        assert_eq!(lines.iter().filter(|&&b| b == b'\n').count(), 4);

        // Max-Age was resolved against the real clock: the expiry cap needs a `now` near it.
        let now = Timestamp::now();
        let read_at_now = |b: &[u8]| {
            let r = read(b, now).unwrap();
            assert!(r.refused.is_empty(), "{:?}", r.refused);
            r.records.into_iter().map(|r| r.cookie).collect::<Vec<_>>()
        };
        let (p, c, l) = (
            read_at_now(&pretty),
            read_at_now(&compact),
            read_at_now(&lines),
        );
        // The far Expires (2098) is capped at 400 days: compare the rest as cookie_store has it.
        let uncapped = |v: Vec<View>| -> Vec<View> {
            v.into_iter()
                .map(|mut x| {
                    if x.0 == "pref" {
                        x.5 = None;
                    }
                    x
                })
                .collect()
        };
        assert_eq!(uncapped(ours(&p)), uncapped(theirs(&s, true)));
        assert_eq!(uncapped(ours(&c)), uncapped(theirs(&s, true)));
        assert_eq!(uncapped(ours(&l)), uncapped(theirs(&s, false)));
        assert_eq!(ours(&l).len(), 4);
        let sid = l.iter().find(|c| c.name() == b"sid").unwrap();
        assert_eq!(sid.same_site(), SameSite::Lax);
        let strict = l.iter().find(|c| c.name() == b"strict").unwrap();
        assert_eq!(strict.same_site(), SameSite::Strict);
        let tmp = l.iter().find(|c| c.name() == b"tmp").unwrap();
        assert_eq!((tmp.path(), tmp.host_only()), ("/app", true));

        // Imported, the jar sends what cookie_store would.
        let mut jar = CookieJar::new();
        let report = jar.import(read(&lines, now).unwrap(), now);
        assert_eq!(report.imported, 4);
        let url = Url::parse("https://www.example.com/app/x").unwrap();
        let header = jar
            .cookie_header(&RequestContext::navigation(&url), now)
            .unwrap_or_default();
        let mut got: Vec<&str> = header.split("; ").collect();
        got.sort_unstable();
        let mut want: Vec<String> = s
            .get_request_values(&url)
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        want.sort();
        assert_eq!(got, want);
    }

    #[test]
    fn the_shapes_from_its_own_tests() {
        // cookie_store 0.22 src/serde/json.rs tests.
        let file = r#"[
  {
    "raw_cookie": "2=two; SameSite=None; Secure; Path=/; Expires=Tue, 03 Aug 2100 00:38:37 GMT",
    "path": [
      "/",
      true
    ],
    "domain": {
      "HostOnly": "test.com"
    },
    "expires": {
      "AtUtc": "2100-08-03T00:38:37Z"
    }
  }
]
"#;
        let r = read(file.as_bytes(), NOW).unwrap();
        let c = &read_back(file.as_bytes())[0];
        assert_eq!((c.name(), c.value()), (&b"2"[..], &b"two"[..]));
        assert_eq!(c.same_site(), SameSite::None);
        assert!(c.secure() && c.host_only());
        assert_eq!(
            r.warnings,
            vec![(Location::Index(0), RecordWarning::ExpiryCapped)]
        );
        assert!(!r.records[0].creation_known);
    }

    #[test]
    fn bad_lines_and_records_are_refused_where_they_are() {
        let good = r#"{"raw_cookie":"a=1","path":["/",true],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"}"#;
        let file = [
            good,
            "not json",
            r#"{"raw_cookie":"a=1","path":"/","domain":{"HostOnly":"a.example"},"expires":"SessionEnd"}"#,
            "",
            r#"{"raw_cookie":"a=1","path":["/",true],"domain":"NotPresent","expires":"SessionEnd"}"#,
            r#"{"raw_cookie":"a=1","path":["/",true],"domain":{"Suffix":"a.example"},"expires":{"AtUtc":"soon"}}"#,
            r#"{"raw_cookie":"=","path":["/",true],"domain":{"Suffix":"a.example"},"expires":"SessionEnd"}"#,
            r#"{"raw_cookie":"p=1; Secure; Partitioned","path":["/",true],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"}"#,
            r#"{"path":["/",true],"domain":{"HostOnly":"a.example"},"expires":"SessionEnd"}"#,
        ]
        .join("\n");
        let r = read(file.as_bytes(), NOW).unwrap();
        let got: Vec<(Location, RecordError)> = r
            .refused
            .iter()
            .map(|x| (x.location, x.error.clone()))
            .collect();
        let m = |i, m| (Location::Line(i), RecordError::Malformed(m));
        assert_eq!(
            got,
            vec![
                m(2, Malformed::NotAnObject),
                m(3, Malformed::BadField("path")),
                m(5, Malformed::BadField("domain")),
                m(6, Malformed::BadField("expires")),
                m(7, Malformed::BadField("raw_cookie")),
                m(9, Malformed::MissingField("raw_cookie")),
            ]
        );
        let at: Vec<Location> = r.records.iter().map(|r| r.location).collect();
        assert_eq!(at, [Location::Line(1), Location::Line(8)]);
        assert_eq!(
            r.warnings,
            vec![(Location::Line(8), RecordWarning::Ignored("Partitioned"))]
        );
        assert_eq!(read(b"", NOW), Ok(Records::default()));
        assert_eq!(read(b"\n\n", NOW), Ok(Records::default()));
        assert!(matches!(
            read(b"nothing\nhere", NOW),
            Err(FormatError::Json(_))
        ));
        assert!(matches!(read(b"42", NOW), Err(FormatError::Json(_))));
        assert_eq!(read(b"\xff\xfe", NOW), Err(FormatError::NotUtf8));
    }
}

//! The jar's own file format: JSON, versioned, lossless.
//!
//! ```json
//! {
//!   "format": "cookiejar",
//!   "version": 1,
//!   "creation_clock": 1800000000000001,
//!   "last_global_purge": null,
//!   "earliest_access": 1800000000000000,
//!   "cookies": [
//!     { "name": "a", "value": "1", "domain": "example.com", "host_only": true, "path": "/",
//!       "expires": null, "secure": true, "http_only": false, "same_site": "Unspecified",
//!       "priority": "Medium", "partition_key": null, "partitioned_attribute": false,
//!       "creation": 1800000000000000, "last_access": 1800000000000000 }
//!   ]
//! }
//! ```
//!
//! Times are microseconds since the Unix epoch. A name or value that is not UTF-8 is an array
//! of its bytes. Cookies are written oldest first ([`super::oldest_first`]), so equal jars
//! write equal bytes and save → load → save is byte-identical. Every field of every cookie and
//! the jar-wide state (the creation clock, the last global purge) are kept: a jar restored from
//! the file sends the same headers in the same order and evicts in the same order.
//!
//! ```
//! use cookiejar::{persist::json, CookieJar, Policy, RequestContext, Timestamp, Url};
//! let now = Timestamp::from_unix_seconds(1_800_000_000);
//! let url = Url::parse("https://example.com/").unwrap();
//! let ctx = RequestContext::navigation(&url);
//! let mut jar = CookieJar::new();
//! jar.set_cookie("sid=1; Secure; HttpOnly", &ctx, now).unwrap();
//!
//! let bytes = json::to_vec(&jar.snapshot());
//! let (snapshot, refused) = json::from_slice(&bytes).unwrap();
//! assert!(refused.is_empty());
//! let (copy, _) = CookieJar::restore(Policy::standard(), snapshot, now);
//! assert_eq!(copy.cookie_header(&ctx, now), jar.cookie_header(&ctx, now));
//! assert_eq!(json::to_vec(&copy.snapshot()), bytes);
//! ```

use super::{oldest_first, FormatError, Location, Malformed, Record, Records, Refused};
use crate::cookie::Cookie;
use crate::snapshot::JarSnapshot;
use crate::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `"format"` of the jar's own files.
pub const FORMAT: &str = "cookiejar";
/// The `"version"` this build writes, and the only one it reads.
pub const VERSION: u64 = 1;

#[derive(Serialize)]
struct Envelope<'a> {
    format: &'static str,
    version: u64,
    creation_clock: Timestamp,
    last_global_purge: Option<(Timestamp, usize)>,
    earliest_access: Option<Timestamp>,
    cookies: Vec<&'a Cookie>,
}

/// The jar's own file for `snapshot`: pretty-printed JSON ending in a newline.
pub fn to_vec(snapshot: &JarSnapshot) -> Vec<u8> {
    let envelope = Envelope {
        format: FORMAT,
        version: VERSION,
        creation_clock: snapshot.creation_clock,
        last_global_purge: snapshot.last_global_purge,
        earliest_access: snapshot.earliest_access,
        cookies: oldest_first(&snapshot.cookies),
    };
    finish(serde_json::to_vec_pretty(&envelope))
}

/// `cookies` as a bare JSON array of the jar's cookie records, oldest first (what
/// `cookiejar list --json` prints; [`read`] takes it back).
pub fn cookies_to_vec<'a>(cookies: impl IntoIterator<Item = &'a Cookie>) -> Vec<u8> {
    finish(serde_json::to_vec_pretty(&oldest_first(cookies)))
}

fn finish(r: serde_json::Result<Vec<u8>>) -> Vec<u8> {
    // Serializing plain records into memory cannot fail: no map has non-string keys.
    let mut v = r.unwrap_or_default();
    v.push(b'\n');
    v
}

/// Reads the jar's own file: the snapshot to restore, and the cookies it holds that the
/// canonical gate refused (each with its index in `"cookies"`). A file that is not JSON, of
/// another `"format"` or of a `"version"` other than [`VERSION`] is an error, and nothing of it
/// is read.
pub fn from_slice(bytes: &[u8]) -> Result<(JarSnapshot, Vec<Refused>), FormatError> {
    let mut top: serde_json::Map<String, Value> = parse(bytes)?;
    check_header(&top)?;
    let creation_clock = match top.remove("creation_clock") {
        Some(v) => Timestamp::deserialize(v).map_err(json_error)?,
        None => return Err(FormatError::Json("no \"creation_clock\"".into())),
    };
    let last_global_purge = match top.remove("last_global_purge") {
        Some(v) => Option::<(Timestamp, usize)>::deserialize(v).map_err(json_error)?,
        None => None,
    };
    let earliest_access = match top.remove("earliest_access") {
        Some(v) => Option::<Timestamp>::deserialize(v).map_err(json_error)?,
        None => None,
    };
    let cookies = match top.remove("cookies") {
        Some(Value::Array(a)) => a,
        _ => return Err(FormatError::Json("\"cookies\" is not an array".into())),
    };
    let records = records(cookies);
    let snapshot = JarSnapshot {
        creation_clock,
        last_global_purge,
        earliest_access,
        cookies: records.records.into_iter().map(|r| r.cookie).collect(),
    };
    Ok((snapshot, records.refused))
}

/// Reads cookies to import: the jar's own file, or a bare array of its cookie records (as
/// [`cookies_to_vec`] writes). Each record keeps its creation and last-access times.
pub fn read(bytes: &[u8]) -> Result<Records, FormatError> {
    match parse::<Value>(bytes)? {
        Value::Array(a) => Ok(records(a)),
        Value::Object(mut top) => {
            check_header(&top)?;
            match top.remove("cookies") {
                Some(Value::Array(a)) => Ok(records(a)),
                _ => Err(FormatError::Json("\"cookies\" is not an array".into())),
            }
        }
        _ => Err(FormatError::Json(
            "neither a cookiejar file nor an array of cookies".into(),
        )),
    }
}

fn parse<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, FormatError> {
    serde_json::from_slice(bytes).map_err(json_error)
}

fn json_error(e: serde_json::Error) -> FormatError {
    FormatError::Json(e.to_string())
}

fn check_header(top: &serde_json::Map<String, Value>) -> Result<(), FormatError> {
    match top.get("format") {
        Some(Value::String(f)) if f == FORMAT => {}
        Some(Value::String(f)) => return Err(FormatError::UnknownFormat(f.clone())),
        _ => return Err(FormatError::Json("no \"format\" string".into())),
    }
    match top.get("version").and_then(Value::as_u64) {
        Some(VERSION) => Ok(()),
        Some(v) => Err(FormatError::UnsupportedVersion(v)),
        None => Err(FormatError::Json("no \"version\" number".into())),
    }
}

fn records(values: Vec<Value>) -> Records {
    let mut out = Records::default();
    for (i, v) in values.into_iter().enumerate() {
        let location = Location::Index(i);
        if !v.is_object() {
            out.refused.push(Refused {
                location,
                name: None,
                error: Malformed::NotAnObject.into(),
            });
            continue;
        }
        let name = v.get("name").and_then(Value::as_str).map(str::to_owned);
        // From a borrow: the record is still there to name the field at fault.
        let error = match crate::snapshot::gated(&v) {
            Ok(Ok(cookie)) => {
                out.records.push(Record {
                    location,
                    cookie,
                    creation_known: true,
                });
                continue;
            }
            Ok(Err(n)) => n.into(),
            Err(e) => Malformed::BadField(field_of(&v, &e.to_string())).into(),
        };
        out.refused.push(Refused {
            location,
            name,
            error,
        });
    }
    out
}

/// The field a record that did not deserialize got wrong: the one serde's message names (a
/// missing or unknown field), else the first whose JSON type is not the record's.
fn field_of(record: &Value, msg: &str) -> &'static str {
    fn bytes(v: &Value) -> bool {
        v.is_string()
            || v.as_array()
                .is_some_and(|a| a.iter().all(|b| b.as_u64().is_some_and(|b| b <= 255)))
    }
    fn time(v: &Value) -> bool {
        v.is_i64()
    }
    type Check = fn(&Value) -> bool;
    const FIELDS: [(&str, Check); 14] = [
        ("name", bytes),
        ("value", bytes),
        ("domain", Value::is_string),
        ("host_only", Value::is_boolean),
        ("path", Value::is_string),
        ("expires", |v| v.is_null() || v.is_i64()),
        ("secure", Value::is_boolean),
        ("http_only", Value::is_boolean),
        ("same_site", Value::is_string),
        ("priority", Value::is_string),
        ("partition_key", |v| v.is_null() || v.is_string()),
        ("partitioned_attribute", Value::is_boolean),
        ("creation", time),
        ("last_access", time),
    ];
    if let Some((f, _)) = FIELDS.iter().find(|(f, _)| msg.contains(&format!("`{f}`"))) {
        return f;
    }
    FIELDS
        .iter()
        .find(|(f, ok)| record.get(f).is_some_and(|v| !ok(v)))
        .map_or("cookie", |(f, _)| f)
}

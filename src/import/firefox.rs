//! Firefox's cookie database (`cookies.sqlite`, table `moz_cookies`, schema versions 12 to
//! 17 and later), as Firefox, Firefox ESR and their forks (LibreWolf, Tor Browser) write it.
//!
//! Fields (Firefox `netwerk/cookie/CookiePersistentStorage.cpp`): `expiry` in seconds since
//! the Unix epoch, in milliseconds from schema 16; `creationTime` and `lastAccessed` in
//! microseconds; a `host` with a leading dot is a domain cookie; `sameSite` 0 None, 1 Lax,
//! 2 Strict, 256 unset; `originAttributes` the container (`userContextId`) and the partition
//! (`partitionKey=(scheme,site)`), and `isPartitionedAttributeSet` whether the cookie carried
//! `Partitioned` (CHIPS) or was partitioned by Total Cookie Protection.
//!
//! Firefox writes no session cookie to the database (they live in memory and in the session
//! store), so every cookie read is persistent. Only the cookies of one container are read:
//! [`Options::container`], by default the default container (no `userContextId`). Rows of
//! private browsing or first-party isolation are refused (`originAttributes`).
//!
//! ```
//! use cookiejar::import::firefox;
//! let o = firefox::Options::default().container(2);
//! assert_eq!(o.container, 2);
//! ```

use super::{columns, domain_of, locate, select_sql, snapshot, Field, ImportError};
use crate::cookie::{Cookie, SameSite};
use crate::persist::{
    cap_expiry, Location, Malformed, Record, RecordError, RecordWarning, Records, Refused,
};
use crate::timestamp::Timestamp;
use std::path::Path;

/// The oldest schema version (`PRAGMA user_version`) this build reads.
pub const OLDEST_VERSION: i64 = 12;
/// The newest schema version this build has been tested on. Newer versions are read too (the
/// columns are found by name, and expiries in milliseconds), until one drops a column.
pub const TESTED_VERSION: i64 = 17;

/// How to read a Firefox database.
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The container (Firefox `userContextId`) whose cookies are read: 0 (the default) the
    /// default container, 1 "Personal", 2 "Work", and so on as the profile's
    /// `containers.json` numbers them.
    pub container: u32,
}

impl Options {
    /// Sets [`Options::container`].
    #[must_use]
    pub fn container(mut self, user_context_id: u32) -> Self {
        self.container = user_context_id;
        self
    }
}

const REQUIRED: &[&str] = &[
    "name",
    "value",
    "host",
    "path",
    "expiry",
    "lastaccessed",
    "creationtime",
    "issecure",
    "ishttponly",
];
const OPTIONAL: &[&str] = &["originattributes", "samesite", "ispartitionedattributeset"];

/// Reads the cookies of the Firefox profile at `path`: a profile directory, or the
/// `cookies.sqlite` file itself. The files are copied and only read.
///
/// Every row of the chosen container becomes a [`Record`] at [`Location::Index`] of its `id`,
/// or a [`Refused`] with the reason; records come oldest first.
pub fn read(path: impl AsRef<Path>, options: &Options) -> Result<Records, ImportError> {
    let db = locate(path.as_ref(), &["cookies.sqlite"])?;
    let snap = snapshot(&db)?;
    read_connection(&snap.conn, options)
}

fn read_connection(conn: &rusqlite::Connection, options: &Options) -> Result<Records, ImportError> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let have = columns(conn, "moz_cookies")?;
    if have.is_empty() {
        return Err(ImportError::NotACookieDatabase(
            "no moz_cookies table".into(),
        ));
    }
    if version < OLDEST_VERSION {
        return Err(ImportError::UnsupportedVersion {
            found: version,
            oldest: OLDEST_VERSION,
            newest: TESTED_VERSION,
        });
    }
    let sql = select_sql("moz_cookies", &have, REQUIRED, OPTIONAL, "creationTime")?;
    // Firefox CookiePersistentStorage.cpp, schema 16: "expiry" became milliseconds.
    let expiry_ms = version >= 16;
    let mut out = Records::default();
    let mut st = conn.prepare(&sql)?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let mut fields = Vec::with_capacity(REQUIRED.len() + OPTIONAL.len() + 1);
        for i in 0..=REQUIRED.len() + OPTIONAL.len() {
            fields.push(Field::of(r.get_ref(i)?));
        }
        let rowid = fields.first().and_then(Field::int).unwrap_or(0);
        let location = Location::Index(usize::try_from(rowid).unwrap_or(0));
        let name = fields
            .get(1)
            .and_then(Field::bytes)
            .map(|b| String::from_utf8_lossy(b).into_owned());
        match row(&fields, expiry_ms, options.container) {
            Ok(None) => {}
            Ok(Some((cookie, warnings))) => {
                out.warnings
                    .extend(warnings.into_iter().map(|w| (location, w)));
                out.records.push(Record {
                    location,
                    cookie,
                    creation_known: true,
                });
            }
            Err(error) => out.refused.push(Refused {
                location,
                name,
                error,
            }),
        }
    }
    Ok(out)
}

/// What `originAttributes` says about a cookie.
#[derive(Debug, Default, PartialEq, Eq)]
struct Origin {
    container: u32,
    partition: Option<String>,
}

/// Firefox `OriginAttributes::PopulateFromSuffix`: `^key=value&key=value`, values
/// percent-encoded. `partitionKey` is `(scheme,host)`, `(scheme,host,port)`, and from Firefox
/// 127 maybe a trailing `,f` (a foreign ancestor); the jar's partition key is `scheme://host`.
fn origin_of(attrs: &str) -> Result<Origin, Malformed> {
    let bad = Malformed::BadField("originAttributes");
    let mut origin = Origin::default();
    let Some(rest) = attrs.strip_prefix('^') else {
        return if attrs.is_empty() {
            Ok(origin)
        } else {
            Err(bad)
        };
    };
    for pair in rest.split('&') {
        let (key, value) = pair.split_once('=').ok_or(bad.clone())?;
        let value = percent_decode(value).ok_or(bad.clone())?;
        match key {
            "userContextId" => origin.container = value.parse().map_err(|_| bad.clone())?,
            "partitionKey" => {
                let inner = value
                    .strip_prefix('(')
                    .and_then(|v| v.strip_suffix(')'))
                    .ok_or(bad.clone())?;
                let mut parts = inner.split(',');
                let scheme = parts.next().filter(|s| !s.is_empty()).ok_or(bad.clone())?;
                let host = parts.next().filter(|s| !s.is_empty()).ok_or(bad.clone())?;
                origin.partition = Some(format!("{scheme}://{host}"));
            }
            // Private browsing and first-party isolation keep cookies apart in ways the jar
            // has no field for: importing them as ordinary cookies would join what Firefox
            // keeps separate.
            "privateBrowsingId" | "firstPartyDomain" if value.is_empty() || value == "0" => {}
            // Firefox OriginAttributes: geckoViewSessionContextId (Android) does not change
            // where cookies are sent.
            "geckoViewSessionContextId" => {}
            _ => return Err(bad),
        }
    }
    Ok(origin)
}

/// `%XX` decoding of an originAttributes value (Firefox `URLParams`); `None` on a bad escape or
/// a result that is not UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(if c == b'+' { b' ' } else { c });
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// One row (`fields`: rowid, then [`REQUIRED`], then [`OPTIONAL`]) to a cookie, or `None` when
/// it belongs to another container.
fn row(
    fields: &[Field],
    expiry_ms: bool,
    container: u32,
) -> Result<Option<(Cookie, Vec<RecordWarning>)>, RecordError> {
    let get = |i: usize| fields.get(i + 1).unwrap_or(&Field::Null);
    let int = |i: usize, name: &'static str| get(i).int().ok_or(Malformed::BadField(name));
    let text = |i: usize, name: &'static str| get(i).text().ok_or(Malformed::BadField(name));
    let origin = origin_of(
        get(9)
            .text()
            .ok_or(Malformed::BadField("originAttributes"))?,
    )?;
    if origin.container != container {
        return Ok(None);
    }
    let name = get(0).bytes().ok_or(Malformed::BadField("name"))?;
    let value = get(1).bytes().ok_or(Malformed::BadField("value"))?;
    let host = text(2, "host")?;
    let path = text(3, "path")?;
    let expiry = int(4, "expiry")?;
    let last_access = Timestamp::from_unix_micros(int(5, "lastAccessed")?);
    let creation = Timestamp::from_unix_micros(int(6, "creationTime")?);
    let secure = int(7, "isSecure")? != 0;
    let http_only = int(8, "isHttpOnly")? != 0;
    let mut warnings = Vec::new();
    // Firefox nsICookie: SAMESITE_NONE 0, SAMESITE_LAX 1, SAMESITE_STRICT 2, SAMESITE_UNSET
    // 256. Firefox before SAMESITE_UNSET stored an absent attribute as 0; a real None needs
    // Secure (Firefox network.cookie.sameSite.noneRequiresSecure), so an insecure 0 is unset.
    let same_site = match get(10) {
        Field::Null => SameSite::Unspecified,
        f => match f.int().ok_or(Malformed::BadField("sameSite"))? {
            0 if secure => SameSite::None,
            0 | 256 => SameSite::Unspecified,
            1 => SameSite::Lax,
            2 => SameSite::Strict,
            _ => {
                warnings.push(RecordWarning::Ignored("sameSite"));
                SameSite::Unspecified
            }
        },
    };
    let partitioned_attribute = match get(11) {
        Field::Null => false,
        f => {
            f.int()
                .ok_or(Malformed::BadField("isPartitionedAttributeSet"))?
                != 0
        }
    };
    let expires = if expiry_ms {
        Timestamp::from_unix_micros(expiry.saturating_mul(1000))
    } else {
        Timestamp::from_unix_seconds(expiry.clamp(i64::MIN / 1_000_000, i64::MAX / 1_000_000))
    };
    let expires = cap_expiry(Some(expires), creation.max(last_access), &mut warnings);
    let (domain, host_only) = domain_of(host);
    let cookie = Cookie::builder(name.to_vec(), value.to_vec(), domain)
        .host_only(host_only)
        .path(path)
        .expires(expires)
        .secure(secure)
        .http_only(http_only)
        .same_site(same_site)
        .partition(origin.partition, partitioned_attribute)
        .creation(creation)
        .last_access(last_access)
        .build()?;
    Ok(Some((cookie, warnings)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_attributes() {
        assert_eq!(origin_of(""), Ok(Origin::default()));
        assert_eq!(
            origin_of("^partitionKey=%28https%2Cexample.com%29"),
            Ok(Origin {
                container: 0,
                partition: Some("https://example.com".into())
            })
        );
        assert_eq!(
            origin_of("^partitionKey=%28http%2Clocalhost%2C8080%29&userContextId=2")
                .map(|o| (o.container, o.partition)),
            Ok((2, Some("http://localhost".into())))
        );
        for bad in [
            "x",
            "^privateBrowsingId=1",
            "^firstPartyDomain=example.com",
            "^partitionKey=%28%29",
            "^partitionKey=%2",
            "^userContextId=-1",
            "^nope",
        ] {
            assert!(origin_of(bad).is_err(), "{bad}");
        }
    }
}

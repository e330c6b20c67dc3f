//! Chromium's cookie database (`Cookies`, table `cookies`, `meta` versions 18 to 24), as
//! Chromium, Google Chrome, Brave, Edge and other Chromium browsers write it on Linux.
//!
//! Fields (Chromium `net/extras/sqlite/sqlite_persistent_cookie_store.cc`): times in
//! microseconds since 1601-01-01 UTC; `expires_utc` 0 (or `is_persistent` 0) is a session
//! cookie; a `host_key` with a leading dot is a domain cookie; `samesite` -1 unspecified,
//! 0 None, 1 Lax, 2 Strict; `priority` 0 Low, 1 Medium, 2 High; `top_frame_site_key` the
//! partition (CHIPS: only cookies with the `Partitioned` attribute are partitioned on disk).
//! `source_scheme`, `source_port`, `source_type` and `has_cross_site_ancestor` have no field in
//! the jar and are not read.
//!
//! Values are in `value`, or encrypted in `encrypted_value`: `v10` (the fixed "peanuts" key,
//! with `--password-store=basic` or no keyring) is decrypted always, `v11` with the keyring's
//! password given in [`Options::key_password`]. From version 24 the plaintext starts with
//! SHA-256 of `host_key`, which is checked and stripped. A row that does not decrypt is refused
//! with [`RecordError::Undecryptable`]. Windows (DPAPI, app-bound `v20`) and macOS (the key in
//! the Keychain) profiles are not supported: their rows are refused with the reason.
//!
//! ```
//! use cookiejar::import::chromium;
//! let dir = std::env::temp_dir().join(format!("cookiejar-doc-chromium-{}", std::process::id()));
//! assert!(matches!(
//!     chromium::read(&dir, &chromium::Options::default()),
//!     Err(cookiejar::import::ImportError::NotFound(_))
//! ));
//! ```

use super::decrypt::Keys;
pub use super::decrypt::{encrypt_value, DecryptError};
use super::{columns, domain_of, locate, select_sql, snapshot, Field, ImportError};
use crate::cookie::{Cookie, Priority, SameSite};
use crate::persist::{cap_expiry, Location, Malformed, Record, RecordError, Records, Refused};
use crate::timestamp::Timestamp;
use std::path::Path;

/// The oldest `meta` version this build reads.
pub const OLDEST_VERSION: i64 = 18;
/// The newest `meta` version this build reads.
pub const NEWEST_VERSION: i64 = 24;

/// Where the database is inside a profile directory, tried in order: the profile (`Default`)
/// itself, its `Network` directory (Chromium 96+ on Windows moved it there), and the user data
/// directory above the profile.
const INSIDE: &[&str] = &[
    "Cookies",
    "Network/Cookies",
    "Default/Cookies",
    "Default/Network/Cookies",
];

/// Microseconds from 1601-01-01 to 1970-01-01 (Chromium `base::Time::kTimeTToMicrosecondsOffset`).
const WINDOWS_EPOCH_OFFSET_US: i64 = 11_644_473_600_000_000;

/// How to read a Chromium database.
///
/// ```
/// let o = cookiejar::import::chromium::Options::default().key_password("from the keyring");
/// assert_eq!(o.key_password.as_deref(), Some(&b"from the keyring"[..]));
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The password `v11` values are encrypted with: the "Chromium Safe Storage" (or "Chrome
    /// Safe Storage") secret of the user's keyring (`secret-tool lookup application chromium`
    /// on GNOME). Without it, `v11` rows are refused with [`DecryptError::NoPassword`].
    pub key_password: Option<Vec<u8>>,
}

impl Options {
    /// Sets [`Options::key_password`].
    #[must_use]
    pub fn key_password(mut self, password: impl Into<Vec<u8>>) -> Self {
        self.key_password = Some(password.into());
        self
    }
}

/// The columns read, in this order (`top_frame_site_key` and `is_persistent` where present).
const REQUIRED: &[&str] = &[
    "creation_utc",
    "host_key",
    "name",
    "value",
    "encrypted_value",
    "path",
    "expires_utc",
    "is_secure",
    "is_httponly",
    "last_access_utc",
    "priority",
    "samesite",
];
const OPTIONAL: &[&str] = &["top_frame_site_key", "is_persistent"];

/// Reads the cookies of the Chromium profile at `path`: a profile directory (`Default`), a
/// user data directory, or the `Cookies` file itself. The files are copied and only read.
///
/// Every row becomes a [`Record`] at [`Location::Index`] of its rowid, or a [`Refused`] with
/// the reason; records come oldest first.
pub fn read(path: impl AsRef<Path>, options: &Options) -> Result<Records, ImportError> {
    let db = locate(path.as_ref(), INSIDE)?;
    let snap = snapshot(&db)?;
    read_connection(&snap.conn, options)
}

fn read_connection(conn: &rusqlite::Connection, options: &Options) -> Result<Records, ImportError> {
    let meta = columns(conn, "meta")?;
    if meta.is_empty() {
        return Err(ImportError::NotACookieDatabase("no meta table".into()));
    }
    let version: Option<Field> = conn
        .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
            Ok(Field::of(r.get_ref(0)?))
        })
        .ok();
    // Chromium writes the version as text ('24') into a LONGVARCHAR column.
    let version = match version {
        Some(Field::Int(v)) => v,
        Some(Field::Bytes(b)) => std::str::from_utf8(&b)
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .ok_or_else(|| {
                ImportError::NotACookieDatabase("meta.version is not a number".into())
            })?,
        _ => return Err(ImportError::NotACookieDatabase("no meta.version".into())),
    };
    if !(OLDEST_VERSION..=NEWEST_VERSION).contains(&version) {
        return Err(ImportError::UnsupportedVersion {
            found: version,
            oldest: OLDEST_VERSION,
            newest: NEWEST_VERSION,
        });
    }
    let have = columns(conn, "cookies")?;
    if have.is_empty() {
        return Err(ImportError::NotACookieDatabase("no cookies table".into()));
    }
    let sql = select_sql("cookies", &have, REQUIRED, OPTIONAL, "creation_utc")?;
    let keys = Keys::new(options.key_password.as_deref());
    // Chromium sqlite_persistent_cookie_store.cc: version 24 binds each value to its host.
    let hashed = version >= 24;
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
            .get(3)
            .and_then(Field::bytes)
            .map(|b| String::from_utf8_lossy(b).into_owned());
        match row(&fields, &keys, hashed) {
            Ok((cookie, warnings)) => {
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

/// A Chromium time (µs since 1601) as a [`Timestamp`].
fn time_of(us: i64) -> Option<Timestamp> {
    us.checked_sub(WINDOWS_EPOCH_OFFSET_US)
        .map(Timestamp::from_unix_micros)
}

/// One row (`fields`: rowid, then [`REQUIRED`], then [`OPTIONAL`]) to a cookie.
fn row(
    fields: &[Field],
    keys: &Keys,
    hashed: bool,
) -> Result<(Cookie, Vec<crate::persist::RecordWarning>), RecordError> {
    let get = |i: usize| fields.get(i + 1).unwrap_or(&Field::Null);
    let int = |i: usize, name: &'static str| get(i).int().ok_or(Malformed::BadField(name));
    let text = |i: usize, name: &'static str| get(i).text().ok_or(Malformed::BadField(name));
    let creation = time_of(int(0, "creation_utc")?).ok_or(Malformed::BadField("creation_utc"))?;
    let host_key = text(1, "host_key")?;
    let name = get(2).bytes().ok_or(Malformed::BadField("name"))?;
    let plain = get(3).bytes().ok_or(Malformed::BadField("value"))?;
    let encrypted = get(4)
        .bytes()
        .ok_or(Malformed::BadField("encrypted_value"))?;
    let path = text(5, "path")?;
    let expires_utc = int(6, "expires_utc")?;
    let secure = int(7, "is_secure")? != 0;
    let http_only = int(8, "is_httponly")? != 0;
    let last_access =
        time_of(int(9, "last_access_utc")?).ok_or(Malformed::BadField("last_access_utc"))?;
    // Chromium sqlite_persistent_cookie_store.cc: DBCookiePriority LOW 0, MEDIUM 1, HIGH 2.
    let priority = match int(10, "priority")? {
        0 => Priority::Low,
        1 => Priority::Medium,
        2 => Priority::High,
        _ => return Err(Malformed::BadField("priority").into()),
    };
    // Chromium sqlite_persistent_cookie_store.cc: DBCookieSameSite UNSPECIFIED -1,
    // NO_RESTRICTION 0, LAX_MODE 1, STRICT_MODE 2.
    let same_site = match int(11, "samesite")? {
        -1 => SameSite::Unspecified,
        0 => SameSite::None,
        1 => SameSite::Lax,
        2 => SameSite::Strict,
        _ => return Err(Malformed::BadField("samesite").into()),
    };
    let partition = match get(12) {
        Field::Null => None,
        f => {
            let key = f.text().ok_or(Malformed::BadField("top_frame_site_key"))?;
            (!key.is_empty()).then(|| key.to_owned())
        }
    };
    let persistent = match get(13) {
        Field::Null => true,
        f => f.int().ok_or(Malformed::BadField("is_persistent"))? != 0,
    };
    // Chromium: a non-empty encrypted_value holds the value; else `value` does.
    let value = if encrypted.is_empty() {
        plain.to_vec()
    } else {
        keys.decrypt(encrypted, hashed.then_some(host_key.as_bytes()))
            .map_err(RecordError::Undecryptable)?
    };
    // Chromium: expires_utc 0 (with is_persistent 0) is a session cookie.
    let expires = if expires_utc == 0 || !persistent {
        None
    } else {
        Some(time_of(expires_utc).ok_or(Malformed::BadField("expires_utc"))?)
    };
    let mut warnings = Vec::new();
    let expires = cap_expiry(expires, creation.max(last_access), &mut warnings);
    let (domain, host_only) = domain_of(host_key);
    // Chromium persists a partitioned cookie only when it carried `Partitioned` (CHIPS;
    // nonced partitions are never written).
    let partitioned_attribute = partition.is_some();
    let cookie = Cookie::builder(name.to_vec(), value, domain)
        .host_only(host_only)
        .path(path)
        .expires(expires)
        .secure(secure)
        .http_only(http_only)
        .same_site(same_site)
        .priority(priority)
        .partition(partition, partitioned_attribute)
        .creation(creation)
        .last_access(last_access)
        .build()?;
    Ok((cookie, warnings))
}

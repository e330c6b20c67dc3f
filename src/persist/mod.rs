//! Saving, loading, importing and exporting cookies: the jar's own JSON (feature `json`),
//! Netscape `cookies.txt` (feature `netscape`), and the cookie arrays of Playwright, CDP /
//! Puppeteer, browser extensions, tough-cookie and cookie_store (feature `json`).
//!
//! Every reader returns [`Records`]: the cookies it could read, each already through the
//! canonical gate ([`crate::Cookie::builder`]), with where in the file it came from, and the
//! records it refused, each with its place and a typed reason. A jar takes `Records` with
//! [`crate::CookieJar::import`] (or [`crate::SharedJar::import`]), which runs the bucket rules
//! on each (public-suffix domains, limits, eviction) and reports what it refused in turn.
//!
//! [`write_atomic`] saves a file so that a crash or a full disk leaves the old one intact.

use crate::cookie::Cookie;
use crate::reason::{NotCanonical, Rejection};
use crate::store::bucket::SetOutcome;
use crate::timestamp::Timestamp;
use std::fmt;
use std::io::{self, Write};
use std::path::Path;

#[cfg(feature = "json")]
pub mod json;

#[cfg(feature = "json")]
mod common;

#[cfg(feature = "netscape")]
pub mod netscape;

#[cfg(feature = "json")]
pub mod playwright;

#[cfg(feature = "json")]
pub mod cdp;

#[cfg(feature = "json")]
pub mod extension;

#[cfg(feature = "json")]
pub mod tough_cookie;

#[cfg(feature = "json")]
pub mod cookie_store;

#[cfg(feature = "sqlite")]
pub mod sqlite;

#[cfg(feature = "redis")]
pub mod redis;

/// Where in a file a record came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Location {
    /// A line of a text file, counted from 1.
    Line(usize),
    /// A record of a JSON array, counted from 0.
    Index(usize),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Index(n) => write!(f, "record {n}"),
        }
    }
}

/// What is wrong with one record of a file, before it is a cookie at all.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Malformed {
    /// A line with a number of TAB-separated fields no reader knows (the count is given).
    FieldCount(usize),
    /// A required field is missing (its name is given).
    MissingField(&'static str),
    /// A field does not hold what the format says it holds (the field's name is given).
    BadField(&'static str),
    /// The record is not a JSON object.
    NotAnObject,
    /// A line longer than the reader takes (the limit in bytes is given).
    LineTooLong(usize),
    /// A `Set-Cookie:` line that does not parse or is not stored (the reason is given).
    SetCookie(Rejection),
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformed::FieldCount(n) => write!(f, "{n} fields, not 6 or 7"),
            Malformed::MissingField(name) => write!(f, "no {name:?} field"),
            Malformed::BadField(name) => write!(f, "the {name:?} field is not valid"),
            Malformed::NotAnObject => f.write_str("not a JSON object"),
            Malformed::LineTooLong(n) => write!(f, "a line over {n} bytes"),
            Malformed::SetCookie(r) => write!(f, "Set-Cookie line: {r}"),
        }
    }
}

/// Why a record was not imported.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordError {
    /// The record could not be read as a cookie of its format.
    Malformed(Malformed),
    /// The record reads, but is not a cookie a browser could hold (the canonical gate).
    NotCanonical(NotCanonical),
    /// The cookie is valid, but the jar would not take it (a public-suffix domain, a full
    /// partition).
    Rejected(Rejection),
    /// A browser database's encrypted value could not be decrypted (feature `browser-import`).
    #[cfg(feature = "browser-import")]
    Undecryptable(crate::import::DecryptError),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::Malformed(m) => m.fmt(f),
            RecordError::NotCanonical(n) => n.fmt(f),
            RecordError::Rejected(r) => r.fmt(f),
            #[cfg(feature = "browser-import")]
            RecordError::Undecryptable(d) => d.fmt(f),
        }
    }
}

impl From<Malformed> for RecordError {
    fn from(m: Malformed) -> Self {
        RecordError::Malformed(m)
    }
}

impl From<NotCanonical> for RecordError {
    fn from(n: NotCanonical) -> Self {
        RecordError::NotCanonical(n)
    }
}

impl From<Rejection> for RecordError {
    fn from(r: Rejection) -> Self {
        RecordError::Rejected(r)
    }
}

/// A record that was not imported: where it was, its name when one could be read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// Where in the file.
    pub location: Location,
    /// The cookie's name, when the record got that far (lossy UTF-8).
    pub name: Option<String>,
    /// Why.
    pub error: RecordError,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{}: {n}: {}", self.location, self.error),
            None => write!(f, "{}: {}", self.location, self.error),
        }
    }
}

/// Something a reader accepted but that deserves a word.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordWarning {
    /// cookies.txt: a leading dot on the domain with the include-subdomains flag FALSE, or
    /// none with TRUE; the flag decides.
    DotFlagMismatch,
    /// The expiry lay more than 400 days after creation; it was capped (6265bis 5.5).
    ExpiryCapped,
    /// A field the jar has no use for, or a value of it the jar does not know, was ignored
    /// (for instance a SameSite value other than the format's own).
    Ignored(&'static str),
}

impl fmt::Display for RecordWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordWarning::DotFlagMismatch => f.write_str(
                "the domain's leading dot and the include-subdomains flag disagree; the flag decides",
            ),
            RecordWarning::ExpiryCapped => f.write_str("expiry capped at 400 days"),
            RecordWarning::Ignored(field) => write!(f, "{field:?} ignored"),
        }
    }
}

/// A cookie a reader produced, with its place in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Where in the file.
    pub location: Location,
    /// The cookie (through the canonical gate).
    pub cookie: Cookie,
    /// Whether the file gave the cookie's creation time. When it did not, the reader used the
    /// time of the read, and the importing jar gives the record a unique creation time after
    /// every one it has handed out, in file order.
    pub creation_known: bool,
}

/// What a reader made of a file: the cookies it read and the records it refused.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    /// The cookies, in file order.
    pub records: Vec<Record>,
    /// The records that were not cookies.
    pub refused: Vec<Refused>,
    /// Warnings about records that were read.
    pub warnings: Vec<(Location, RecordWarning)>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportReport {
    /// Cookies stored.
    pub imported: usize,
    /// Cookies that were already expired: each deleted a stored cookie of its identity, as an
    /// expired `Set-Cookie` does, and none was stored.
    pub expired: usize,
    /// Records not imported, by the reader or by the jar, in file order.
    pub refused: Vec<Refused>,
    /// The reader's warnings.
    pub warnings: Vec<(Location, RecordWarning)>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} imported, {} refused",
            self.imported,
            self.refused.len()
        )
    }
}

/// A file a reader cannot read at all (as opposed to single records it refuses).
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormatError {
    /// Not valid JSON, or JSON of another shape (serde_json's message, with line and column).
    Json(String),
    /// A `"format"` other than this format's (what the file says is given).
    UnknownFormat(String),
    /// A `"version"` this build does not read (what the file says is given).
    UnsupportedVersion(u64),
    /// The file is larger than the reader takes (the limit in bytes is given).
    TooLarge(usize),
    /// The file is not text (UTF-8) where the format requires it.
    NotUtf8,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Json(m) => write!(f, "not a valid file of this format: {m}"),
            FormatError::UnknownFormat(s) => write!(f, "format {s:?} is not this format"),
            FormatError::UnsupportedVersion(v) => {
                write!(f, "version {v} is not one this build reads")
            }
            FormatError::TooLarge(n) => write!(f, "larger than {n} bytes"),
            FormatError::NotUtf8 => f.write_str("not UTF-8 text"),
        }
    }
}

impl std::error::Error for FormatError {}

/// `expires`, capped at 400 days after `set_at` (6265bis 5.5 cookie-age-limit, as the
/// canonical gate counts it), with [`RecordWarning::ExpiryCapped`] when it was.
#[cfg_attr(not(any(feature = "json", feature = "netscape")), allow(dead_code))]
pub(crate) fn cap_expiry(
    expires: Option<Timestamp>,
    set_at: Timestamp,
    warnings: &mut Vec<RecordWarning>,
) -> Option<Timestamp> {
    let cap = set_at.plus_seconds(crate::cookie::AGE_LIMIT_SECONDS);
    match expires {
        Some(e) if e > cap => {
            warnings.push(RecordWarning::ExpiryCapped);
            Some(cap)
        }
        other => other,
    }
}

/// Why a writer left a cookie out of its file.
#[non_exhaustive]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WriteRefusal {
    /// The name or value holds a byte the format cannot carry (cookies.txt: TAB, CR, LF; the
    /// byte is given).
    ForbiddenByte(u8),
    /// The name or value is not UTF-8 and the format holds only strings.
    NotUtf8,
    /// The format has no way to say something the cookie needs (the field is given), and
    /// writing the cookie without it would send it where it must not go.
    Unrepresentable(&'static str),
}

impl fmt::Display for WriteRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteRefusal::ForbiddenByte(b) => {
                write!(
                    f,
                    "the name or value holds byte 0x{b:02x}, which the format cannot carry"
                )
            }
            WriteRefusal::NotUtf8 => f.write_str("the name or value is not UTF-8"),
            WriteRefusal::Unrepresentable(what) => write!(f, "the format cannot say {what}"),
        }
    }
}

/// What a writer produced: the file, and the cookies it left out with why.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Written {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The cookies not written.
    pub refused: Vec<(crate::CookieId, WriteRefusal)>,
}

/// The cookies in the order writers use: oldest creation first (ties broken by domain, path,
/// name, host-only flag, partition), so a reader that numbers records keeps the jar's order, and equal jars
/// write equal files.
pub fn oldest_first<'a>(cookies: impl IntoIterator<Item = &'a Cookie>) -> Vec<&'a Cookie> {
    let mut v: Vec<&Cookie> = cookies.into_iter().collect();
    v.sort_by(|a, b| {
        (
            a.creation(),
            a.domain(),
            a.path(),
            a.name(),
            a.partition_key(),
        )
            .cmp(&(
                b.creation(),
                b.domain(),
                b.path(),
                b.name(),
                b.partition_key(),
            ))
    });
    v
}

/// Writes `bytes` to `path` so that the old file survives anything short of success: into a
/// temporary file in the same directory, flushed to disk (`fsync`), then renamed over `path`,
/// and the directory synced where the platform allows. On any error the old file is untouched
/// and the temporary file removed.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("cookiejar-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("jar.json");
/// cookiejar::persist::write_atomic(&path, b"{}").unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> io::Result<()> {
    let path = path.as_ref();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(format!(".tmp-{}", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        // Cookies are credentials: a new file is readable by its owner only.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut f = options.open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // The rename itself is durable once the directory is synced (POSIX); platforms that
        // cannot open a directory skip it.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Feeds each record to `insert` (with whether its file gave its creation time) and reports
/// what happened, refusals in file order.
pub(crate) fn import_records(
    records: Records,
    now: Timestamp,
    mut insert: impl FnMut(Cookie, bool) -> Result<SetOutcome, Rejection>,
) -> ImportReport {
    let Records {
        records,
        refused,
        warnings,
    } = records;
    let mut report = ImportReport {
        warnings,
        refused,
        ..ImportReport::default()
    };
    for Record {
        location,
        cookie,
        creation_known,
    } in records
    {
        let name = String::from_utf8_lossy(cookie.name()).into_owned();
        let expired = cookie.is_expired(now);
        match insert(cookie, creation_known) {
            Ok(_) if expired => report.expired += 1,
            Ok(_) => report.imported += 1,
            Err(e) => report.refused.push(Refused {
                location,
                name: Some(name),
                error: RecordError::Rejected(e),
            }),
        }
    }
    report.refused.sort_by_key(|r| r.location);
    report
}

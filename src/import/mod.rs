//! Importing the cookies of a real browser profile (feature `browser-import`): Firefox's
//! `cookies.sqlite` ([`firefox`]) and Chromium's `Cookies` ([`chromium`], with the Linux `v10`
//! and `v11` value encryption).
//!
//! Both readers return [`Records`](crate::persist::Records), as every reader of
//! [`crate::persist`] does: each row that became a cookie went through the canonical gate
//! ([`crate::Cookie::builder`]) and carries its rowid as [`Location::Index`]; each row that did
//! not is a [`Refused`](crate::persist::Refused) with a typed reason (a value that cannot be
//! decrypted is [`RecordError::Undecryptable`]). [`crate::CookieJar::import`] and
//! [`crate::SharedJar::import`] take them as they are.
//!
//! The browser may be running: the database and its `-wal` file are copied into a private
//! temporary directory and read there, so the reader sees a consistent snapshot (the WAL's
//! committed frames included), takes no lock the browser would notice, and never writes the
//! profile's files.
//!
//! ```no_run
//! use cookiejar::import::{chromium, firefox};
//! use cookiejar::{CookieJar, Timestamp};
//!
//! let mut jar = CookieJar::new();
//! let ff = firefox::read("/home/me/.mozilla/firefox/abcd.default-release", &firefox::Options::default())?;
//! let report = jar.import(ff, Timestamp::now());
//! println!("{report}");
//! let cr = chromium::read("/home/me/.config/chromium/Default", &chromium::Options::default())?;
//! jar.import(cr, Timestamp::now());
//! # Ok::<(), cookiejar::import::ImportError>(())
//! ```

pub mod chromium;
mod decrypt;
pub mod firefox;

pub use decrypt::DecryptError;

#[cfg(doc)]
use crate::persist::{Location, RecordError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Why a profile's database could not be read at all (as opposed to single rows, which are
/// refused one by one).
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum ImportError {
    /// No cookie database at the path (nor in it, for a profile directory); the paths tried
    /// are given.
    NotFound(Vec<PathBuf>),
    /// The file is not an SQLite database (`SQLITE_NOTADB`).
    NotADatabase,
    /// The database is damaged (`SQLITE_CORRUPT`).
    Corrupt,
    /// An SQLite database, but not this browser's cookie database (what is missing is given).
    NotACookieDatabase(String),
    /// A schema version this build does not read.
    UnsupportedVersion {
        /// The database's version (Firefox: `PRAGMA user_version`; Chromium: `meta.version`).
        found: i64,
        /// The oldest version this build reads.
        oldest: i64,
        /// The newest version this build reads.
        newest: i64,
    },
    /// Reading or copying the files failed.
    Io(Arc<io::Error>),
    /// Any other SQLite error.
    Sqlite(Arc<rusqlite::Error>),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::NotFound(tried) => {
                f.write_str("no cookie database at ")?;
                for (i, p) in tried.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{}", p.display())?;
                }
                Ok(())
            }
            ImportError::NotADatabase => f.write_str("not an SQLite database"),
            ImportError::Corrupt => f.write_str("the database is corrupt"),
            ImportError::NotACookieDatabase(what) => {
                write!(f, "not a browser cookie database: {what}")
            }
            ImportError::UnsupportedVersion {
                found,
                oldest,
                newest,
            } => write!(
                f,
                "schema version {found}; this build reads versions {oldest} to {newest}"
            ),
            ImportError::Io(e) => e.fmt(f),
            ImportError::Sqlite(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ImportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ImportError::Io(e) => Some(&**e),
            ImportError::Sqlite(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<io::Error> for ImportError {
    fn from(e: io::Error) -> Self {
        ImportError::Io(Arc::new(e))
    }
}

impl From<rusqlite::Error> for ImportError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => ImportError::NotADatabase,
            Some(ErrorCode::DatabaseCorrupt) => ImportError::Corrupt,
            _ => ImportError::Sqlite(Arc::new(e)),
        }
    }
}

/// The database at `path`: `path` itself when it is a file, else the first of `inside` (paths
/// relative to the profile directory `path`) that is a file.
pub(crate) fn locate(path: &Path, inside: &[&str]) -> Result<PathBuf, ImportError> {
    if path.is_file() {
        return Ok(path.to_path_buf());
    }
    let mut tried = Vec::new();
    if path.is_dir() {
        for rel in inside {
            let p = path.join(rel);
            if p.is_file() {
                return Ok(p);
            }
            tried.push(p);
        }
    } else {
        tried.push(path.to_path_buf());
    }
    Err(ImportError::NotFound(tried))
}

/// A private copy of a database and its WAL, removed on drop.
pub(crate) struct Snapshot {
    dir: PathBuf,
    /// The open copy.
    pub(crate) conn: Connection,
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// How often the copy is retried when the files changed while they were being copied.
const COPY_TRIES: usize = 5;

fn stamp(p: &Path) -> Option<(u64, Option<std::time::SystemTime>)> {
    let m = std::fs::metadata(p).ok()?;
    Some((m.len(), m.modified().ok()))
}

/// Copies `db` (and its `-wal` or `-journal` when there is one) into a fresh private directory
/// and opens the copy. The browser's files are only read. A copy during which any of them
/// changed (a write or a checkpoint of the running browser) is made again; SQLite's WAL
/// checksums drop any torn trailing frame of the copy, and a hot journal rolls the copy back,
/// so what is read is a state the browser committed.
pub(crate) fn snapshot(db: &Path) -> Result<Snapshot, ImportError> {
    static N: AtomicUsize = AtomicUsize::new(0);
    let mut name = std::ffi::OsString::from("cookiejar-import-");
    name.push(format!(
        "{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        crate::Timestamp::now().unix_micros()
    ));
    let dir = std::env::temp_dir().join(name);
    let mut builder = std::fs::DirBuilder::new();
    // Cookies are credentials: the copy is readable by its owner only.
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;
    let copy = dir.join("db");
    let result = (|| {
        let beside = |suffix: &str| {
            let mut os = db.as_os_str().to_owned();
            os.push(suffix);
            PathBuf::from(os)
        };
        // The WAL (Firefox), or a rollback journal (a database in DELETE or TRUNCATE mode
        // mid-transaction: SQLite rolls the copy back to the last commit when it opens it).
        let (wal, journal) = (beside("-wal"), beside("-journal"));
        let (copy_wal, copy_journal) = (dir.join("db-wal"), dir.join("db-journal"));
        for _ in 0..COPY_TRIES {
            let before = (stamp(db), stamp(&wal), stamp(&journal));
            std::fs::copy(db, &copy)?;
            for (from, to) in [(&wal, &copy_wal), (&journal, &copy_journal)] {
                let _ = std::fs::remove_file(to);
                if from.is_file() {
                    std::fs::copy(from, to)?;
                }
            }
            if (stamp(db), stamp(&wal), stamp(&journal)) == before {
                break;
            }
        }
        // Read-write on the private copy: SQLite replays the WAL into it (it needs the -shm
        // file it creates beside it); the browser's files are never opened by SQLite.
        let conn = Connection::open_with_flags(
            &copy,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(1))?;
        // A file that is not a database fails here rather than at the first query.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
            r.get::<_, i64>(0)
        })?;
        Ok(conn)
    })();
    match result {
        Ok(conn) => Ok(Snapshot { dir, conn }),
        Err(e) => {
            let _ = std::fs::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// The column names of `table`, lower-cased; empty when there is no such table.
pub(crate) fn columns(conn: &Connection, table: &str) -> Result<Vec<String>, ImportError> {
    let mut st = conn.prepare("SELECT name FROM pragma_table_info(?1)")?;
    let names = st.query_map([table], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for n in names {
        out.push(n?.to_ascii_lowercase());
    }
    Ok(out)
}

/// The query both readers run: `rowid`, then every `required` column (an error naming the
/// first one `have` lacks), then every `optional` one or `NULL` where `have` lacks it, from
/// `table` ordered by `order` then `rowid`.
pub(crate) fn select_sql(
    table: &str,
    have: &[String],
    required: &[&str],
    optional: &[&str],
    order: &str,
) -> Result<String, ImportError> {
    let present = |c: &&str| have.iter().any(|h| h == c);
    if let Some(missing) = required.iter().find(|c| !present(c)) {
        return Err(ImportError::NotACookieDatabase(format!(
            "no {missing} column in {table}"
        )));
    }
    let optional: Vec<&str> = optional
        .iter()
        .map(|c| if present(c) { *c } else { "NULL" })
        .collect();
    Ok(format!(
        "SELECT rowid, {}, {} FROM {table} ORDER BY {order}, rowid",
        required.join(", "),
        optional.join(", ")
    ))
}

/// One value of a row, owned, as the readers take it apart.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Field {
    Null,
    Int(i64),
    Bytes(Vec<u8>),
    Real,
}

impl Field {
    pub(crate) fn of(v: ValueRef<'_>) -> Self {
        match v {
            ValueRef::Null => Field::Null,
            ValueRef::Integer(i) => Field::Int(i),
            ValueRef::Real(_) => Field::Real,
            ValueRef::Text(t) | ValueRef::Blob(t) => Field::Bytes(t.to_vec()),
        }
    }
    /// An integer (SQLite's type affinity leaves numbers as integers; anything else is bad).
    pub(crate) fn int(&self) -> Option<i64> {
        match self {
            Field::Int(i) => Some(*i),
            _ => None,
        }
    }
    /// Text or a blob, as bytes; NULL as empty.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        match self {
            Field::Bytes(b) => Some(b),
            Field::Null => Some(&[]),
            _ => None,
        }
    }
    /// Text (UTF-8); NULL as empty.
    pub(crate) fn text(&self) -> Option<&str> {
        std::str::from_utf8(self.bytes()?).ok()
    }
}

/// A host as the browser stores it (`.example.com` for a domain cookie) to the jar's domain
/// and host-only flag: the leading dot marks a domain cookie (Firefox `nsCookie::IsDomain`,
/// Chromium `CanonicalCookie::IsDomainCookie`); an IPv6 address gets its brackets (the URL
/// host form the canonical gate expects).
pub(crate) fn domain_of(host: &str) -> (String, bool) {
    let (domain, host_only) = match host.strip_prefix('.') {
        Some(d) => (d, false),
        None => (host, true),
    };
    if domain.contains(':') && !domain.starts_with('[') {
        (format!("[{domain}]"), host_only)
    } else {
        (domain.to_owned(), host_only)
    }
}

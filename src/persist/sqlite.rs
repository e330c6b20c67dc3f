//! A persistent jar: [`SqliteJar`], the engine's rules over an in-memory [`SharedJar`], with
//! an SQLite database as the durable copy (feature `sqlite`).
//!
//! Every change the engine makes (a set, an overwrite, an eviction, a removal, a refreshed last
//! access) reaches a write-behind queue through the engine's change record
//! ([`crate::ChangeSink`]). The queue keeps the latest operation per cookie identity, as
//! Chromium's `SQLitePersistentCookieStore` does, and a background thread commits it in one
//! transaction when it holds [`SqliteOptions::max_batch`] operations, when its oldest operation
//! is [`SqliteOptions::max_age`] old, on [`SqliteJar::flush`], and on [`SqliteJar::close`] or
//! drop. Lookups are answered from memory and become writes only when the engine refreshes a
//! last access (at most once a minute per cookie, Chromium `kLastAccessThreshold`).
//!
//! The whole jar is loaded at [`SqliteJar::open`], every row through the canonical gate
//! ([`crate::Cookie::builder`]) and the bucket rules; a row that fails is reported with its
//! rowid, skipped, and left in the database.
//!
//! ## Schema (version 1)
//!
//! ```sql
//! CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value);
//! CREATE TABLE cookies (
//!   name BLOB NOT NULL, value BLOB NOT NULL, domain TEXT NOT NULL,
//!   host_only INTEGER NOT NULL, path TEXT NOT NULL,
//!   expires INTEGER,                      -- µs since the Unix epoch; NULL: a session cookie
//!   secure INTEGER NOT NULL, http_only INTEGER NOT NULL,
//!   same_site INTEGER NOT NULL,           -- -1 unspecified, 0 None, 1 Lax, 2 Strict
//!   priority INTEGER NOT NULL,            -- 0 Low, 1 Medium, 2 High
//!   partition_key TEXT NOT NULL DEFAULT '',   -- '': not partitioned
//!   partitioned_attribute INTEGER NOT NULL,
//!   creation INTEGER NOT NULL, last_access INTEGER NOT NULL,   -- µs
//!   UNIQUE (name, domain, host_only, path, partition_key));
//! ```
//!
//! `meta` holds `version` (1), the jar-wide state (`creation_clock`, `last_global_purge_at`,
//! `last_global_purge_left`, `earliest_access`) and the application's own keys
//! ([`SqliteJar::set_meta`], stored as `user.KEY`), each written in the transaction of the
//! changes it goes with. A database of a newer version is refused and not touched.
//!
//! One jar per database: the connection holds SQLite's exclusive lock for its lifetime, so a
//! second [`SqliteJar::open`] of the same file, in this process or another, fails with
//! [`SqliteError::InUse`] instead of silently diverging.

use crate::cookie::{Cookie, CookieId, Priority, SameSite};
use crate::policy::Policy;
use crate::reason::{NotCanonical, Rejection};
use crate::rules::context::RequestContext;
use crate::rules::retrieve::Explanation;
use crate::shared::SharedJar;
use crate::snapshot::JarSnapshot;
use crate::store::bucket::{SetOutcome, Stored};
use crate::store::change::{Change, ChangeSink};
use crate::timestamp::Timestamp;
use rusqlite::types::ValueRef;
use rusqlite::{params, Connection, ErrorCode, OpenFlags, OptionalExtension, TransactionBehavior};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The schema version this build writes, and the newest it opens.
pub const VERSION: i64 = 1;

/// One step of the schema per version: `MIGRATIONS[v]` takes a database from version `v` to
/// `v + 1` (version 0 is an empty database). Version 2 is one more function here.
const MIGRATIONS: &[fn(&rusqlite::Transaction<'_>) -> rusqlite::Result<()>] = &[create_v1];

fn create_v1(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value);
         CREATE TABLE cookies (
           name BLOB NOT NULL,
           value BLOB NOT NULL,
           domain TEXT NOT NULL,
           host_only INTEGER NOT NULL,
           path TEXT NOT NULL,
           expires INTEGER,
           secure INTEGER NOT NULL,
           http_only INTEGER NOT NULL,
           same_site INTEGER NOT NULL,
           priority INTEGER NOT NULL,
           partition_key TEXT NOT NULL DEFAULT '',
           partitioned_attribute INTEGER NOT NULL,
           creation INTEGER NOT NULL,
           last_access INTEGER NOT NULL,
           UNIQUE (name, domain, host_only, path, partition_key)
         );",
    )
}

/// How a [`SqliteJar`] writes behind: when it commits, and how it opens.
///
/// ```
/// use cookiejar::persist::sqlite::SqliteOptions;
/// use std::time::Duration;
/// let o = SqliteOptions::default().max_batch(64).max_age(Duration::from_secs(5));
/// assert_eq!((o.max_batch, o.max_age), (64, Duration::from_secs(5)));
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqliteOptions {
    /// Commit once this many operations are queued (default 512; Chromium
    /// `SQLitePersistentCookieStore`: `kCommitAfterBatchSize = 512`). Counts calls, not
    /// coalesced entries, as Chromium's `num_pending_` does, so repeated updates of one cookie
    /// still make progress.
    pub max_batch: usize,
    /// Commit once the oldest queued operation is this old, even if the jar is idle (default
    /// 30 s; Chromium `kCommitInterval = base::Seconds(30)`).
    pub max_age: Duration,
    /// Create the database when the file does not exist (default `true`); with `false`,
    /// [`SqliteJar::open`] of a missing file is [`SqliteError::NotFound`].
    pub create: bool,
    /// The time the load runs at (what the bucket rules use while loading); `None` (the
    /// default): the system clock when [`SqliteJar::open`] is called.
    pub now: Option<Timestamp>,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            // Chromium sqlite_persistent_cookie_store.cc: kCommitAfterBatchSize = 512.
            max_batch: 512,
            // Chromium sqlite_persistent_cookie_store.cc: kCommitInterval = 30 s.
            max_age: Duration::from_secs(30),
            create: true,
            now: None,
        }
    }
}

impl SqliteOptions {
    /// Sets [`SqliteOptions::max_batch`] (at least 1).
    #[must_use]
    pub fn max_batch(mut self, n: usize) -> Self {
        self.max_batch = n.max(1);
        self
    }
    /// Sets [`SqliteOptions::max_age`].
    #[must_use]
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = age;
        self
    }
    /// Sets [`SqliteOptions::create`].
    #[must_use]
    pub fn create(mut self, create: bool) -> Self {
        self.create = create;
        self
    }
    /// Sets [`SqliteOptions::now`].
    #[must_use]
    pub fn now(mut self, now: Timestamp) -> Self {
        self.now = Some(now);
        self
    }
}

/// Why a database could not be opened or written.
#[non_exhaustive]
#[derive(Clone, Debug)]
pub enum SqliteError {
    /// The file does not exist and [`SqliteOptions::create`] is off.
    NotFound(PathBuf),
    /// The file is not an SQLite database (`SQLITE_NOTADB`). It was not changed.
    NotADatabase,
    /// The database is damaged (`SQLITE_CORRUPT`). It was not changed.
    Corrupt,
    /// Another jar (in this process or another) holds the database (`SQLITE_BUSY`).
    InUse,
    /// The database was written by a newer build (its version is given). It was not changed.
    NewerVersion {
        /// The database's schema version.
        found: i64,
        /// The newest this build opens ([`VERSION`]).
        supported: i64,
    },
    /// An SQLite database, but not one of this library's (other tables, or a `meta` table
    /// without a readable version; what is wrong is given). It was not changed.
    NotACookieJar(String),
    /// [`SqliteJar::flush`] was called inside [`SqliteJar::atomically`], whose changes cannot
    /// be committed before it returns.
    FlushInAtomically,
    /// The background writer is gone (it panicked); nothing more is written.
    WriterGone,
    /// Creating the file failed.
    Io(Arc<std::io::Error>),
    /// Any other SQLite error.
    Sqlite(Arc<rusqlite::Error>),
}

impl fmt::Display for SqliteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SqliteError::NotFound(p) => write!(f, "{}: no such database", p.display()),
            SqliteError::NotADatabase => f.write_str("not an SQLite database"),
            SqliteError::Corrupt => f.write_str("the database is corrupt"),
            SqliteError::InUse => {
                f.write_str("the database is in use by another jar (one jar per database)")
            }
            SqliteError::NewerVersion { found, supported } => write!(
                f,
                "the database has schema version {found}; this build reads up to {supported}"
            ),
            SqliteError::NotACookieJar(why) => write!(f, "not a cookiejar database: {why}"),
            SqliteError::FlushInAtomically => f.write_str("flush inside atomically"),
            SqliteError::WriterGone => f.write_str("the database writer has stopped"),
            SqliteError::Io(e) => e.fmt(f),
            SqliteError::Sqlite(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for SqliteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SqliteError::Io(e) => Some(&**e),
            SqliteError::Sqlite(e) => Some(&**e),
            _ => None,
        }
    }
}

impl From<rusqlite::Error> for SqliteError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => SqliteError::NotADatabase,
            Some(ErrorCode::DatabaseCorrupt) => SqliteError::Corrupt,
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => SqliteError::InUse,
            _ => SqliteError::Sqlite(Arc::new(e)),
        }
    }
}

/// What is wrong with one row of the `cookies` table.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowError {
    /// A column holds a value of the wrong type or out of range (the column is given).
    BadField(&'static str),
    /// The fields do not make a cookie a browser could hold (the canonical gate).
    NotCanonical(NotCanonical),
    /// A valid cookie the jar does not take (a domain the suffix list calls public).
    Rejected(Rejection),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowError::BadField(c) => write!(f, "column {c:?} is not valid"),
            RowError::NotCanonical(n) => n.fmt(f),
            RowError::Rejected(r) => r.fmt(f),
        }
    }
}

/// What [`SqliteJar::open`] found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opened {
    /// Rows loaded into the jar.
    pub loaded: usize,
    /// Rows not loaded, each with its rowid and why. They stay in the database.
    pub refused: Vec<(i64, RowError)>,
    /// The database was new (the schema was created).
    pub created: bool,
    /// The schema version the database had when it was migrated, if it was.
    pub migrated_from: Option<i64>,
}

/// A cookie row, as the table holds it.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    name: Vec<u8>,
    value: Vec<u8>,
    domain: String,
    host_only: bool,
    path: String,
    expires: Option<i64>,
    secure: bool,
    http_only: bool,
    same_site: i64,
    priority: i64,
    partition_key: String,
    partitioned_attribute: bool,
    creation: i64,
    last_access: i64,
}

/// Chromium `CookieSameSiteToDBCookieSameSite`: -1 unspecified, 0 no restriction, 1 lax,
/// 2 strict.
fn same_site_code(s: SameSite) -> i64 {
    match s {
        SameSite::Unspecified => -1,
        SameSite::None => 0,
        SameSite::Lax => 1,
        SameSite::Strict => 2,
    }
}

fn same_site_of(code: i64) -> Option<SameSite> {
    match code {
        -1 => Some(SameSite::Unspecified),
        0 => Some(SameSite::None),
        1 => Some(SameSite::Lax),
        2 => Some(SameSite::Strict),
        _ => None,
    }
}

/// Chromium `CookiePriorityToDBCookiePriority`: 0 low, 1 medium, 2 high.
fn priority_code(p: Priority) -> i64 {
    match p {
        Priority::Low => 0,
        Priority::Medium => 1,
        Priority::High => 2,
    }
}

fn priority_of(code: i64) -> Option<Priority> {
    match code {
        0 => Some(Priority::Low),
        1 => Some(Priority::Medium),
        2 => Some(Priority::High),
        _ => None,
    }
}

impl Row {
    fn of(c: &Cookie) -> Row {
        Row {
            name: c.name().to_vec(),
            value: c.value().to_vec(),
            domain: c.domain().to_owned(),
            host_only: c.host_only(),
            path: c.path().to_owned(),
            expires: c.expires().map(Timestamp::unix_micros),
            secure: c.secure(),
            http_only: c.http_only(),
            same_site: same_site_code(c.same_site()),
            priority: priority_code(c.priority()),
            partition_key: c.partition_key().unwrap_or("").to_owned(),
            partitioned_attribute: c.partitioned_attribute(),
            creation: c.creation().unix_micros(),
            last_access: c.last_access().unix_micros(),
        }
    }

    /// Reads a row of `SELECT rowid, COLUMNS` (rows from disk are input: nothing panics).
    fn read(r: &rusqlite::Row<'_>) -> Result<Row, RowError> {
        let get = |i: usize, col: &'static str| r.get_ref(i).map_err(|_| RowError::BadField(col));
        let bytes = |i, col| match get(i, col)? {
            ValueRef::Blob(b) | ValueRef::Text(b) => Ok(b.to_vec()),
            _ => Err(RowError::BadField(col)),
        };
        let text = |i, col| match get(i, col)? {
            ValueRef::Text(b) => String::from_utf8(b.to_vec()).map_err(|_| RowError::BadField(col)),
            _ => Err(RowError::BadField(col)),
        };
        let int = |i, col| match get(i, col)? {
            ValueRef::Integer(v) => Ok(v),
            _ => Err(RowError::BadField(col)),
        };
        let flag = |i, col| match int(i, col)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(RowError::BadField(col)),
        };
        Ok(Row {
            name: bytes(1, "name")?,
            value: bytes(2, "value")?,
            domain: text(3, "domain")?,
            host_only: flag(4, "host_only")?,
            path: text(5, "path")?,
            expires: match get(6, "expires")? {
                ValueRef::Null => None,
                ValueRef::Integer(v) => Some(v),
                _ => return Err(RowError::BadField("expires")),
            },
            secure: flag(7, "secure")?,
            http_only: flag(8, "http_only")?,
            same_site: int(9, "same_site")?,
            priority: int(10, "priority")?,
            partition_key: text(11, "partition_key")?,
            partitioned_attribute: flag(12, "partitioned_attribute")?,
            creation: int(13, "creation")?,
            last_access: int(14, "last_access")?,
        })
    }

    /// The cookie, through the canonical gate.
    fn cookie(self) -> Result<Cookie, RowError> {
        let same_site = same_site_of(self.same_site).ok_or(RowError::BadField("same_site"))?;
        let priority = priority_of(self.priority).ok_or(RowError::BadField("priority"))?;
        // '' is "not partitioned": a partition key is `scheme://site`, never empty.
        let key = (!self.partition_key.is_empty()).then_some(self.partition_key);
        Cookie::builder(self.name, self.value, self.domain)
            .host_only(self.host_only)
            .path(self.path)
            .expires(self.expires.map(Timestamp::from_unix_micros))
            .secure(self.secure)
            .http_only(self.http_only)
            .same_site(same_site)
            .priority(priority)
            .partition(key, self.partitioned_attribute)
            .creation(Timestamp::from_unix_micros(self.creation))
            .last_access(Timestamp::from_unix_micros(self.last_access))
            .build()
            .map_err(RowError::NotCanonical)
    }
}

const COLUMNS: &str = "name, value, domain, host_only, path, expires, secure, http_only, \
                       same_site, priority, partition_key, partitioned_attribute, creation, \
                       last_access";

const IDENTITY: &str = "name = ?1 AND domain = ?2 AND host_only = ?3 AND path = ?4 AND \
                        partition_key = ?5";

/// The latest operation queued for one cookie identity.
#[derive(Clone, Debug, PartialEq)]
enum Op {
    /// Write the row (insert, or replace the row of the identity).
    Upsert(Box<Row>),
    /// Delete the row of the identity.
    Delete,
    /// Set the row's last access.
    Touch(i64),
}

/// `next` after `prev` for the same identity, as one operation (Chromium
/// `SQLitePersistentCookieStore::Backend::BatchOperation`: a delete cancels every earlier
/// operation of the key; an access update after an access update replaces it). An access
/// update after a queued write updates the write; after a queued delete it is moot.
fn coalesce(prev: Option<Op>, next: Op) -> Op {
    match (prev, next) {
        (Some(Op::Upsert(mut row)), Op::Touch(t)) => {
            row.last_access = t;
            Op::Upsert(row)
        }
        (Some(Op::Delete), Op::Touch(_)) => Op::Delete,
        (_, next) => next,
    }
}

/// The jar-wide state written to `meta` with each commit.
type JarState = (Timestamp, Option<(Timestamp, usize)>, Option<Timestamp>);

#[derive(Default)]
struct Queue {
    pending: HashMap<CookieId, Op>,
    /// Application keys to write (`user.KEY`).
    meta: BTreeMap<String, String>,
    /// Operations recorded since the last cut (Chromium `num_pending_`: calls, not entries).
    recorded: usize,
    /// When the oldest queued operation was recorded.
    oldest: Option<Instant>,
    /// Flush tickets handed out, and the latest one whose commit has finished.
    flush_asked: u64,
    flush_done: u64,
    /// The result of the commit that finished `flush_done`.
    last_result: Option<SqliteError>,
    shutdown: bool,
    /// The writer thread is running.
    alive: bool,
    /// Commits made (for tests and the curious).
    commits: u64,
}

impl Queue {
    fn push(&mut self, id: CookieId, op: Op) {
        let prev = self.pending.remove(&id);
        self.pending.insert(id, coalesce(prev, op));
        self.recorded += 1;
        if self.oldest.is_none() {
            self.oldest = Some(Instant::now());
        }
    }
}

struct Shared {
    jar: SharedJar,
    /// Held (shared) by every jar operation for its whole length, and taken (exclusively) by
    /// the writer only to cut a batch: a batch always ends between operations, never inside
    /// one (a set and the evictions it caused are committed together).
    gate: RwLock<()>,
    queue: Mutex<Queue>,
    /// Wakes the writer.
    wake: Condvar,
    /// Wakes flushers.
    done: Condvar,
    options: SqliteOptions,
    /// The application keys, as committed or queued.
    user_meta: Mutex<BTreeMap<String, String>>,
    id: usize,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every critical section leaves its data consistent, so a poisoned lock is still usable.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// The jars whose gate this thread holds through [`SqliteJar::atomically`].
    static HELD: RefCell<Vec<usize>> = const { RefCell::new(Vec::new()) };
}

/// A jar operation in progress: the gate, unless this thread already holds it.
struct Entered<'a> {
    _guard: Option<RwLockReadGuard<'a, ()>>,
}

impl Shared {
    fn held_here(&self) -> bool {
        HELD.with(|h| h.borrow().contains(&self.id))
    }

    fn enter(&self) -> Entered<'_> {
        let guard = if self.held_here() {
            None
        } else {
            Some(self.gate.read().unwrap_or_else(PoisonError::into_inner))
        };
        Entered { _guard: guard }
    }

    fn feed(&self) -> Feed<'_> {
        Feed { shared: self }
    }
}

/// The sink the jar's operations report to: the write-behind queue.
struct Feed<'a> {
    shared: &'a Shared,
}

impl ChangeSink for Feed<'_> {
    fn record(&mut self, change: Change<'_>) {
        let (id, op) = match change {
            Change::Added(c) | Change::Replaced { new: c, .. } => {
                (c.id(), Op::Upsert(Box::new(Row::of(c))))
            }
            Change::Removed { cookie, .. } => (cookie.id(), Op::Delete),
            Change::Accessed(c) => (c.id(), Op::Touch(c.last_access().unix_micros())),
        };
        let mut q = lock(&self.shared.queue);
        q.push(id, op);
        // Chromium BatchOperation: the first operation starts the timer; the batch-size-th
        // commits at once.
        if q.recorded == 1 || q.recorded == self.shared.options.max_batch {
            self.shared.wake.notify_one();
        }
    }
}

/// While loading: only the removals the bucket rules make (the rows loaded are on disk
/// already).
struct Removals<'a>(Feed<'a>);

impl ChangeSink for Removals<'_> {
    fn record(&mut self, change: Change<'_>) {
        if let Change::Removed { .. } = change {
            self.0.record(change);
        }
    }
}

/// Both sinks.
struct Tee<'a, 'b, S>(Feed<'a>, &'b mut S);

impl<S: ChangeSink> ChangeSink for Tee<'_, '_, S> {
    fn record(&mut self, change: Change<'_>) {
        self.0.record(change);
        self.1.record(change);
    }
}

/// A cookie jar kept in an SQLite database: the in-memory [`SharedJar`] answers (from many
/// threads, through `&self`), and a background thread writes its changes behind, in batches
/// (see the [module docs](self)).
///
/// Answers exactly as a [`SharedJar`] with the same policy does, with the same
/// [`Rejection`]s.
///
/// ```
/// use cookiejar::persist::sqlite::{SqliteJar, SqliteOptions};
/// use cookiejar::{Policy, RequestContext, Timestamp, Url};
/// # let dir = std::env::temp_dir().join(format!("cookiejar-sqlite-doc-{}", std::process::id()));
/// # std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("cookies.sqlite");
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let url = Url::parse("https://example.com/").unwrap();
/// let ctx = RequestContext::navigation(&url);
///
/// let (jar, _) = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default()).unwrap();
/// jar.set_cookie("sid=1; Max-Age=3600", &ctx, now).unwrap();
/// jar.close().unwrap(); // commits what is queued
///
/// let (jar, opened) = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default()).unwrap();
/// assert_eq!((opened.loaded, opened.refused.len()), (1, 0));
/// assert_eq!(jar.cookie_header(&ctx, now).as_deref(), Some("sid=1"));
/// # drop(jar);
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub struct SqliteJar {
    shared: Arc<Shared>,
    writer: Option<JoinHandle<()>>,
    path: PathBuf,
}

impl fmt::Debug for SqliteJar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteJar")
            .field("path", &self.path)
            .field("jar", &self.shared.jar)
            .field("options", &self.shared.options)
            .finish()
    }
}

impl SqliteJar {
    /// Opens (or, with [`SqliteOptions::create`], creates) the database at `path` and loads
    /// every cookie in it into memory, each row through the canonical gate and the bucket
    /// rules; what it could not load is in [`Opened::refused`] and stays in the database.
    ///
    /// The database is refused, and left exactly as it was, when it is not an SQLite database
    /// ([`SqliteError::NotADatabase`]), damaged ([`SqliteError::Corrupt`]), another
    /// program's ([`SqliteError::NotACookieJar`]), of a newer schema
    /// ([`SqliteError::NewerVersion`]), or held by another jar ([`SqliteError::InUse`]). A new
    /// file is readable by its owner only.
    ///
    /// ```
    /// use cookiejar::persist::sqlite::{SqliteError, SqliteJar, SqliteOptions};
    /// use cookiejar::Policy;
    /// # let dir = std::env::temp_dir().join(format!("cookiejar-sqlite-open-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// let path = dir.join("jar.db");
    /// let (jar, opened) = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default())?;
    /// assert!(opened.created);
    /// // One jar per database.
    /// let second = SqliteJar::open(&path, Policy::standard(), SqliteOptions::default());
    /// assert!(matches!(second, Err(SqliteError::InUse)));
    /// jar.close()?;
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// # Ok::<(), SqliteError>(())
    /// ```
    pub fn open(
        path: impl AsRef<Path>,
        policy: Policy,
        options: SqliteOptions,
    ) -> Result<(SqliteJar, Opened), SqliteError> {
        let path = path.as_ref().to_path_buf();
        let max_batch = options.max_batch;
        let options = options.max_batch(max_batch);
        let now = options.now.unwrap_or_else(Timestamp::now);
        create_file(&path, options.create)?;
        let mut conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A second jar is refused at once, not after a wait.
        conn.busy_timeout(Duration::ZERO)?;
        // Held for the connection's lifetime once taken: no other connection reads or writes
        // behind this jar's back (sqlite.org/pragma.html#pragma_locking_mode).
        conn.query_row("PRAGMA locking_mode = EXCLUSIVE", [], |_| Ok(()))?;
        let (rows, meta, opened) = load_rows(&mut conn)?;
        // After the checks, so a refused database is never written to
        // (sqlite.org/wal.html: the switch is recorded in the file header).
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(SqliteError::NotACookieJar(format!(
                "journal mode {mode}, not WAL"
            )));
        }
        // The journal-mode switch takes the exclusive lock; a write transaction makes sure
        // it is held from here on, in any journal mode.
        conn.execute_batch("BEGIN IMMEDIATE; COMMIT;")?;

        let user_meta = meta
            .iter()
            .filter_map(|(k, v)| Some((k.strip_prefix("user.")?.to_owned(), v.clone()?)))
            .collect();
        let shared = Arc::new(Shared {
            jar: SharedJar::with_policy(policy),
            gate: RwLock::new(()),
            queue: Mutex::new(Queue {
                alive: true,
                ..Queue::default()
            }),
            wake: Condvar::new(),
            done: Condvar::new(),
            options,
            user_meta: Mutex::new(user_meta),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        });
        let opened = load_into(&shared, rows, &meta, now, opened);
        let writer = {
            let shared = Arc::clone(&shared);
            std::thread::Builder::new()
                .name("cookiejar-sqlite".into())
                .spawn(move || writer(conn, &shared))
                .map_err(|e| SqliteError::Io(Arc::new(e)))?
        };
        Ok((
            SqliteJar {
                shared,
                writer: Some(writer),
                path,
            },
            opened,
        ))
    }

    /// The database's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        self.shared.jar.policy()
    }

    /// How many cookies are stored (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.shared.jar.len()
    }

    /// True when no cookie is stored.
    pub fn is_empty(&self) -> bool {
        self.shared.jar.is_empty()
    }

    fn run<R>(&self, f: impl FnOnce(&SharedJar, &mut Feed<'_>) -> R) -> R {
        let _entered = self.shared.enter();
        f(&self.shared.jar, &mut self.shared.feed())
    }

    /// Applies one `Set-Cookie` value; see [`SharedJar::set_cookie`].
    pub fn set_cookie(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.run(|jar, feed| jar.set_cookie_with(line, ctx, now, feed))
            .map(|s| s.outcome)
    }

    /// [`SqliteJar::set_cookie`], reporting each change to `sink` too.
    pub fn set_cookie_with<S: ChangeSink>(
        &self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<Stored, Rejection> {
        self.run(|jar, feed| {
            jar.set_cookie_with(
                line,
                ctx,
                now,
                &mut Tee(
                    Feed {
                        shared: feed.shared,
                    },
                    sink,
                ),
            )
        })
    }

    /// Stores an imported cookie; see [`crate::CookieJar::insert`].
    pub fn insert(
        &self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        self.run(|jar, feed| jar.insert_with(cookie, now, feed))
    }

    /// [`SqliteJar::insert`], reporting each change to `sink` too.
    pub fn insert_with<S: ChangeSink>(
        &self,
        cookie: Cookie,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> Result<SetOutcome, Rejection> {
        self.run(|jar, feed| {
            jar.insert_with(
                cookie,
                now,
                &mut Tee(
                    Feed {
                        shared: feed.shared,
                    },
                    sink,
                ),
            )
        })
    }

    /// [`SqliteJar::import`], reporting each change to `sink` too.
    pub fn import_with<S: ChangeSink>(
        &self,
        records: super::Records,
        now: impl Into<Timestamp>,
        sink: &mut S,
    ) -> super::ImportReport {
        self.run(|jar, feed| {
            jar.import_with(
                records,
                now,
                &mut Tee(
                    Feed {
                        shared: feed.shared,
                    },
                    sink,
                ),
            )
        })
    }

    /// [`SqliteJar::remove`], reporting the change to `sink` too.
    pub fn remove_with<S: ChangeSink>(&self, id: &CookieId, sink: &mut S) -> Option<Cookie> {
        self.run(|jar, feed| {
            jar.remove_with(
                id,
                &mut Tee(
                    Feed {
                        shared: feed.shared,
                    },
                    sink,
                ),
            )
        })
    }

    /// Stores what a reader of [`crate::persist`] read; see [`crate::CookieJar::import`].
    pub fn import(
        &self,
        records: super::Records,
        now: impl Into<Timestamp>,
    ) -> super::ImportReport {
        self.run(|jar, feed| jar.import_with(records, now, feed))
    }

    /// The stored cookie of identity `id`, if any.
    pub fn get(&self, id: &CookieId) -> Option<Cookie> {
        self.shared.jar.get(id)
    }

    /// Removes the cookie of identity `id` and returns it.
    pub fn remove(&self, id: &CookieId) -> Option<Cookie> {
        self.run(|jar, feed| jar.remove_with(id, feed))
    }

    /// The cookies not expired at `now` of the site of `host`; see
    /// [`crate::CookieJar::site_cookies`].
    pub fn site_cookies(&self, host: &str, now: impl Into<Timestamp>) -> Vec<Cookie> {
        self.shared.jar.site_cookies(host, now)
    }

    /// A copy of every stored cookie (expired ones not yet swept included).
    pub fn cookies(&self) -> Vec<Cookie> {
        self.shared.jar.cookies()
    }

    /// A copy of every cookie not expired at `now`.
    pub fn unexpired(&self, now: impl Into<Timestamp>) -> Vec<Cookie> {
        self.shared.jar.unexpired(now)
    }

    /// Every cookie and the jar-wide state (see [`JarSnapshot`]).
    pub fn snapshot(&self) -> JarSnapshot {
        self.shared.jar.snapshot()
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out`; see
    /// [`SharedJar::write_cookie_header`]. A refreshed last access is queued for the database.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> usize {
        self.run(|jar, feed| jar.write_cookie_header_with(ctx, now, out, feed))
    }

    /// The `Cookie` header bytes for `ctx` at `now`.
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        (self.write_cookie_header(ctx, now, &mut out) > 0).then_some(out)
    }

    /// The `Cookie` header for `ctx` at `now`; see [`crate::CookieJar::cookie_header`].
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<String> {
        self.cookie_header_bytes(ctx, now)
            .map(crate::rules::retrieve::header_string)
    }

    /// Every cookie of the request's site and whether it is sent; see
    /// [`crate::CookieJar::explain`]. Changes nothing.
    pub fn explain(&self, ctx: &RequestContext<'_>, now: impl Into<Timestamp>) -> Vec<Explanation> {
        self.shared.jar.explain(ctx, now)
    }

    /// Removes every cookie.
    pub fn clear(&self) {
        self.run(|jar, feed| jar.clear_with(feed));
    }

    /// The browser restarts: session cookies are dropped.
    pub fn end_session(&self) {
        self.run(|jar, feed| jar.end_session_with(feed));
    }

    /// Removes every cookie expired at `now`.
    pub fn remove_expired(&self, now: impl Into<Timestamp>) {
        self.run(|jar, feed| jar.remove_expired_with(now, feed));
    }

    /// Stores an application value under `key` in the database's `meta` table (as
    /// `user.KEY`), in the same transaction as the changes queued before it.
    pub fn set_meta(&self, key: &str, value: &str) {
        let _entered = self.shared.enter();
        lock(&self.shared.user_meta).insert(key.to_owned(), value.to_owned());
        let mut q = lock(&self.shared.queue);
        q.meta.insert(key.to_owned(), value.to_owned());
        if q.oldest.is_none() {
            q.oldest = Some(Instant::now());
            self.shared.wake.notify_one();
        }
    }

    /// The application value stored under `key` ([`SqliteJar::set_meta`]), committed or
    /// queued.
    pub fn meta(&self, key: &str) -> Option<String> {
        lock(&self.shared.user_meta).get(key).cloned()
    }

    /// Runs `f` so that every change it makes through this jar (on this thread) is committed
    /// in one transaction: a crash keeps all of them or none. Other threads' operations wait
    /// for a commit to be cut only while `f` runs; [`SqliteJar::flush`] inside `f` is an error.
    ///
    /// ```
    /// # use cookiejar::persist::sqlite::{SqliteJar, SqliteOptions};
    /// # use cookiejar::{Policy, RequestContext, Timestamp, Url};
    /// # let dir = std::env::temp_dir().join(format!("cookiejar-sqlite-atom-{}", std::process::id()));
    /// # std::fs::create_dir_all(&dir).unwrap();
    /// # let (jar, _) = SqliteJar::open(dir.join("j.db"), Policy::standard(), SqliteOptions::default()).unwrap();
    /// # let now = Timestamp::from_unix_seconds(1_800_000_000);
    /// let url = Url::parse("https://example.com/").unwrap();
    /// jar.atomically(|| {
    ///     jar.set_cookie("a=1", &RequestContext::navigation(&url), now).unwrap();
    ///     jar.set_meta("last-response", "42");
    /// });
    /// # drop(jar);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn atomically<R>(&self, f: impl FnOnce() -> R) -> R {
        if self.shared.held_here() {
            return f();
        }
        let guard = self
            .shared
            .gate
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        let id = self.shared.id;
        HELD.with(|h| h.borrow_mut().push(id));
        // Pops the mark even if `f` panics.
        struct Unmark(usize);
        impl Drop for Unmark {
            fn drop(&mut self) {
                HELD.with(|h| h.borrow_mut().retain(|&x| x != self.0));
            }
        }
        let unmark = Unmark(id);
        let r = f();
        drop(unmark);
        drop(guard);
        r
    }

    /// Commits everything queued now, waits for the commit, and returns its error. A failed
    /// commit keeps its operations queued for the next one.
    pub fn flush(&self) -> Result<(), SqliteError> {
        if self.shared.held_here() {
            return Err(SqliteError::FlushInAtomically);
        }
        let shared = &*self.shared;
        let mut q = lock(&shared.queue);
        q.flush_asked += 1;
        let ticket = q.flush_asked;
        shared.wake.notify_one();
        while q.flush_done < ticket {
            if !q.alive {
                return Err(SqliteError::WriterGone);
            }
            q = shared.done.wait(q).unwrap_or_else(PoisonError::into_inner);
        }
        match &q.last_result {
            Some(e) => Err(e.clone()),
            None => Ok(()),
        }
    }

    /// How many cookie operations wait for the next commit, after coalescing (one per
    /// identity).
    pub fn queued(&self) -> usize {
        lock(&self.shared.queue).pending.len()
    }

    /// How many commits the writer has made since the jar was opened.
    pub fn commits(&self) -> u64 {
        lock(&self.shared.queue).commits
    }

    /// Commits what is queued, stops the writer and closes the database; returns the last
    /// commit's error. Dropping the jar does the same and ignores the error.
    pub fn close(mut self) -> Result<(), SqliteError> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<(), SqliteError> {
        let Some(writer) = self.writer.take() else {
            return Ok(());
        };
        let r = self.flush();
        lock(&self.shared.queue).shutdown = true;
        self.shared.wake.notify_one();
        let joined = writer.join();
        r?;
        joined.map_err(|_| SqliteError::WriterGone)
    }
}

impl Drop for SqliteJar {
    fn drop(&mut self) {
        // Best effort: a drop has nowhere to report an error.
        let _ = self.shutdown();
    }
}

/// Creates an empty file (an empty file is an empty SQLite database) readable by its owner
/// only: cookies are credentials. An existing file is never touched here.
fn create_file(path: &Path, create: bool) -> Result<(), SqliteError> {
    if path.exists() {
        return Ok(());
    }
    if !create {
        return Err(SqliteError::NotFound(path.to_path_buf()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        // Another process created it meanwhile: open that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(SqliteError::Io(Arc::new(e))),
    }
}

type Meta = BTreeMap<String, Option<String>>;

/// Checks the schema, migrates it, and reads every row, in one write transaction (the lock is
/// taken before anything is read; nothing is written unless the schema is created or
/// migrated).
#[allow(clippy::type_complexity)]
fn load_rows(
    conn: &mut Connection,
) -> Result<(Vec<(i64, Result<Row, RowError>)>, Meta, Opened), SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let tables: Vec<String> = {
        let mut st = tx.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")?;
        let names = st.query_map([], |r| r.get::<_, String>(0))?;
        names.collect::<Result<_, _>>()?
    };
    let mut opened = Opened::default();
    let version = if tables.is_empty() {
        0
    } else if !tables.iter().any(|t| t == "meta") {
        return Err(SqliteError::NotACookieJar(format!(
            "tables {} and no meta table",
            tables.join(", ")
        )));
    } else {
        let version = tx
            .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                Ok(match r.get_ref(0)? {
                    ValueRef::Integer(v) => Some(v),
                    _ => None,
                })
            })
            .optional()?
            .flatten();
        match version {
            Some(v) if v > VERSION => {
                return Err(SqliteError::NewerVersion {
                    found: v,
                    supported: VERSION,
                })
            }
            Some(v) if v >= 1 => v,
            _ => {
                return Err(SqliteError::NotACookieJar(
                    "no readable version in the meta table".into(),
                ))
            }
        }
    };
    if version < VERSION {
        // `version` is 0..VERSION here, so the slice is in range.
        let from = usize::try_from(version).unwrap_or(0);
        for step in MIGRATIONS.iter().skip(from) {
            step(&tx)?;
        }
        tx.execute(
            "INSERT INTO meta (key, value) VALUES ('version', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [VERSION],
        )?;
        if version == 0 {
            opened.created = true;
        } else {
            opened.migrated_from = Some(version);
        }
    }
    let meta: Meta = {
        let mut st = tx.prepare("SELECT key, value FROM meta")?;
        let rows = st.query_map([], |r| {
            let value = match r.get_ref(1)? {
                ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Integer(i) => Some(i.to_string()),
                _ => None,
            };
            Ok((r.get::<_, String>(0)?, value))
        })?;
        rows.collect::<Result<_, _>>()?
    };
    let rows = {
        // Oldest first, as the writers of `persist` order cookies: the load applies the bucket
        // rules in the order the cookies were made.
        let sql = format!("SELECT rowid, {COLUMNS} FROM cookies ORDER BY creation, rowid");
        let mut st = tx.prepare(&sql)?;
        let rows = st.query_map([], |r| Ok((r.get::<_, i64>(0)?, Row::read(r))))?;
        rows.collect::<Result<Vec<_>, _>>()?
    };
    tx.commit()?;
    Ok((rows, meta, opened))
}

fn meta_int(meta: &Meta, key: &str) -> Option<i64> {
    meta.get(key)?.as_deref()?.parse().ok()
}

/// Loads the rows into the jar: each through the gate, then the bucket rules.
fn load_into(
    shared: &Shared,
    rows: Vec<(i64, Result<Row, RowError>)>,
    meta: &Meta,
    now: Timestamp,
    mut opened: Opened,
) -> Opened {
    let mut rowids = Vec::with_capacity(rows.len());
    let mut cookies = Vec::with_capacity(rows.len());
    for (rowid, row) in rows {
        match row.and_then(Row::cookie) {
            Ok(c) => {
                rowids.push(rowid);
                cookies.push(c);
            }
            Err(e) => opened.refused.push((rowid, e)),
        }
    }
    let last_global_purge = match (
        meta_int(meta, "last_global_purge_at"),
        meta_int(meta, "last_global_purge_left"),
    ) {
        (Some(at), Some(left)) => usize::try_from(left)
            .ok()
            .map(|left| (Timestamp::from_unix_micros(at), left)),
        _ => None,
    };
    let snapshot = JarSnapshot {
        // A database whose writer never committed has no clock yet: the jar keeps its own
        // (`Timestamp::MIN`, nothing handed out), as a fresh jar would, rather than 0.
        creation_clock: meta_int(meta, "creation_clock")
            .map_or(Timestamp::MIN, Timestamp::from_unix_micros),
        last_global_purge,
        earliest_access: meta_int(meta, "earliest_access").map(Timestamp::from_unix_micros),
        cookies,
    };
    let total = snapshot.cookies.len();
    // What the bucket rules remove while loading (a jar over a smaller limit) is deleted from
    // the database by the next commit, so it cannot come back.
    let skipped = shared
        .jar
        .load_snapshot_with(snapshot, now, &mut Removals(shared.feed()));
    opened.loaded = total - skipped.len();
    for (index, why) in skipped {
        if let Some(&rowid) = rowids.get(index) {
            opened.refused.push((rowid, RowError::Rejected(why)));
        }
    }
    opened.refused.sort_by_key(|(rowid, _)| *rowid);
    opened
}

/// What one commit writes.
struct Batch {
    pending: HashMap<CookieId, Op>,
    meta: BTreeMap<String, String>,
    state: JarState,
}

/// The background writer: owns the connection, commits when a trigger fires.
fn writer(mut conn: Connection, shared: &Shared) {
    /// Marks the writer gone (even on a panic), so flushers stop waiting.
    struct Alive<'a>(&'a Shared);
    impl Drop for Alive<'_> {
        fn drop(&mut self) {
            lock(&self.0.queue).alive = false;
            self.0.done.notify_all();
        }
    }
    let _alive = Alive(shared);
    let options = &shared.options;
    loop {
        // Wait for a trigger.
        {
            let mut q = lock(&shared.queue);
            loop {
                if q.flush_asked > q.flush_done || q.recorded >= options.max_batch {
                    break;
                }
                if q.shutdown {
                    return;
                }
                match q.oldest {
                    Some(t) if t.elapsed() >= options.max_age => break,
                    Some(t) => {
                        let left = options.max_age.saturating_sub(t.elapsed());
                        q = shared
                            .wake
                            .wait_timeout(q, left)
                            .unwrap_or_else(PoisonError::into_inner)
                            .0;
                    }
                    None => q = shared.wake.wait(q).unwrap_or_else(PoisonError::into_inner),
                }
            }
        }
        // Cut the batch between operations.
        let (batch, served) = {
            let _gate = shared.gate.write().unwrap_or_else(PoisonError::into_inner);
            let mut q = lock(&shared.queue);
            let batch = Batch {
                pending: std::mem::take(&mut q.pending),
                meta: std::mem::take(&mut q.meta),
                state: shared.jar.jar_state(),
            };
            q.recorded = 0;
            q.oldest = None;
            (batch, q.flush_asked)
        };
        let empty = batch.pending.is_empty() && batch.meta.is_empty();
        let result = if empty {
            Ok(())
        } else {
            commit(&mut conn, &batch)
        };
        let mut q = lock(&shared.queue);
        match result {
            Ok(()) => {
                if !empty {
                    q.commits += 1;
                }
                q.last_result = None;
            }
            Err(e) => {
                // Keep the batch, under anything queued since, for the next commit; retry
                // after max_age, not in a hot loop.
                for (id, op) in batch.pending {
                    let newer = q.pending.remove(&id);
                    let merged = match newer {
                        Some(n) => coalesce(Some(op), n),
                        None => op,
                    };
                    q.pending.insert(id, merged);
                }
                for (k, v) in batch.meta {
                    q.meta.entry(k).or_insert(v);
                }
                q.oldest = Some(Instant::now());
                q.last_result = Some(e);
            }
        }
        q.flush_done = q.flush_done.max(served);
        shared.done.notify_all();
    }
}

fn bind_identity(id: &CookieId) -> (&[u8], &str, bool, &str, &str) {
    (
        &id.name,
        &id.domain,
        id.host_only,
        &id.path,
        id.partition_key.as_deref().unwrap_or(""),
    )
}

/// One transaction: every queued operation, the jar-wide state and the application keys.
fn commit(conn: &mut Connection, batch: &Batch) -> Result<(), SqliteError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    {
        let mut upsert = tx.prepare_cached(&format!(
            "INSERT INTO cookies ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, \
             ?11, ?12, ?13, ?14)
             ON CONFLICT (name, domain, host_only, path, partition_key) DO UPDATE SET
               value = excluded.value, expires = excluded.expires, secure = excluded.secure,
               http_only = excluded.http_only, same_site = excluded.same_site,
               priority = excluded.priority,
               partitioned_attribute = excluded.partitioned_attribute,
               creation = excluded.creation, last_access = excluded.last_access"
        ))?;
        let mut delete = tx.prepare_cached(&format!("DELETE FROM cookies WHERE {IDENTITY}"))?;
        let mut touch = tx.prepare_cached(&format!(
            "UPDATE cookies SET last_access = ?6 WHERE {IDENTITY}"
        ))?;
        for (id, op) in &batch.pending {
            match op {
                Op::Upsert(r) => {
                    upsert.execute(params![
                        r.name,
                        r.value,
                        r.domain,
                        r.host_only,
                        r.path,
                        r.expires,
                        r.secure,
                        r.http_only,
                        r.same_site,
                        r.priority,
                        r.partition_key,
                        r.partitioned_attribute,
                        r.creation,
                        r.last_access
                    ])?;
                }
                Op::Delete => {
                    let (n, d, h, p, k) = bind_identity(id);
                    delete.execute(params![n, d, h, p, k])?;
                }
                Op::Touch(t) => {
                    let (n, d, h, p, k) = bind_identity(id);
                    touch.execute(params![n, d, h, p, k, t])?;
                }
            }
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )?;
        let (clock, purge, earliest) = batch.state;
        put.execute(params!["creation_clock", clock.unix_micros()])?;
        put.execute(params![
            "last_global_purge_at",
            purge.map(|(t, _)| t.unix_micros())
        ])?;
        put.execute(params![
            "last_global_purge_left",
            purge.and_then(|(_, n)| i64::try_from(n).ok())
        ])?;
        put.execute(params![
            "earliest_access",
            earliest.map(Timestamp::unix_micros)
        ])?;
        for (k, v) in &batch.meta {
            put.execute(params![format!("user.{k}"), v])?;
        }
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Row {
        Row::of(
            &Cookie::builder("a", "1", "example.com")
                .creation(Timestamp::from_unix_seconds(1))
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn coalescing_follows_chromium() {
        let up = || Op::Upsert(Box::new(row()));
        // A delete cancels what came before.
        assert_eq!(coalesce(Some(up()), Op::Delete), Op::Delete);
        // An access update after an access update replaces it.
        assert_eq!(coalesce(Some(Op::Touch(1)), Op::Touch(2)), Op::Touch(2));
        // An access update folds into a queued write.
        let Op::Upsert(r) = coalesce(Some(up()), Op::Touch(9)) else {
            panic!()
        };
        assert_eq!(r.last_access, 9);
        assert_eq!(coalesce(Some(Op::Delete), Op::Touch(3)), Op::Delete);
        assert_eq!(coalesce(Some(Op::Delete), up()), up());
    }

    #[test]
    fn codes_round_trip() {
        for s in [
            SameSite::Unspecified,
            SameSite::None,
            SameSite::Lax,
            SameSite::Strict,
        ] {
            assert_eq!(same_site_of(same_site_code(s)), Some(s));
        }
        for p in [Priority::Low, Priority::Medium, Priority::High] {
            assert_eq!(priority_of(priority_code(p)), Some(p));
        }
        assert_eq!(same_site_of(7), None);
    }
}

//! The jar file of `--jar`: which format its extension names, loading it, and saving it
//! atomically (or, for an SQLite jar, flushing its write-behind queue).

use cookiejar::persist::redis::{RedisJar, RedisOptions, SetError};
use cookiejar::persist::sqlite::{SqliteError, SqliteJar, SqliteOptions};
use cookiejar::persist::{self, json, netscape, ImportReport, Records};
use cookiejar::{
    Change, ChangeSink, Cookie, CookieId, CookieJar, Explanation, JarSnapshot, Policy, Rejection,
    RequestContext, Stored, Timestamp,
};
use std::path::{Path, PathBuf};

/// The formats a jar file can have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JarFormat {
    /// `.json`: the jar's own file ([`json`]), lossless.
    Json,
    /// `.txt`, `.cookies`: Netscape cookies.txt ([`netscape`]), as curl reads and writes it.
    Netscape,
    /// `.sqlite`, `.sqlite3`, `.db`: an SQLite database ([`cookiejar::persist::sqlite`]),
    /// lossless, written behind and flushed before the command exits.
    Sqlite,
    /// `redis://HOST:PORT/DB[?ns=NAME]`: a jar shared through Redis
    /// ([`cookiejar::persist::redis`]); every change is written when it is made.
    Redis,
}

/// A loaded jar: in memory (a JSON or cookies.txt file, rewritten by [`JarFile::save`]) or
/// an SQLite jar (its changes committed by [`JarFile::save`]).
// One jar per command: the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Jar {
    Mem(CookieJar),
    Sql(SqliteJar),
    Redis(RedisJar),
}

/// A Redis error as the command reports it.
fn redis_failed(e: impl std::fmt::Display) -> String {
    format!("redis: {e}")
}

impl Jar {
    pub fn set_cookie_with<S: ChangeSink>(
        &mut self,
        line: &str,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        sink: &mut S,
    ) -> Result<Result<Stored, Rejection>, String> {
        match self {
            Jar::Mem(j) => Ok(j.set_cookie_with(line, ctx, now, sink)),
            Jar::Sql(j) => Ok(j.set_cookie_with(line, ctx, now, sink)),
            Jar::Redis(j) => match j.set_cookie_with(line, ctx, now, sink) {
                Ok((stored, _)) => Ok(Ok(stored)),
                Err(SetError::Rejected(r)) => Ok(Err(r)),
                Err(e) => Err(redis_failed(e)),
            },
        }
    }

    pub fn remove_with<S: ChangeSink>(
        &mut self,
        id: &CookieId,
        sink: &mut S,
    ) -> Result<Option<Cookie>, String> {
        match self {
            Jar::Mem(j) => Ok(j.remove_with(id, sink)),
            Jar::Sql(j) => Ok(j.remove_with(id, sink)),
            Jar::Redis(j) => {
                let removed = j.remove(id).map_err(redis_failed)?;
                if let Some(c) = &removed {
                    sink.record(Change::Removed {
                        cookie: c,
                        cause: cookiejar::RemovalCause::Explicit,
                    });
                }
                Ok(removed)
            }
        }
    }

    pub fn import_with<S: ChangeSink>(
        &mut self,
        records: Records,
        now: Timestamp,
        sink: &mut S,
    ) -> Result<ImportReport, String> {
        match self {
            Jar::Mem(j) => Ok(j.import_with(records, now, sink)),
            Jar::Sql(j) => Ok(j.import_with(records, now, sink)),
            // Written as it goes: nothing for a save to do.
            Jar::Redis(j) => j.import(records, now).map_err(redis_failed),
        }
    }

    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
    ) -> Result<Option<String>, String> {
        match self {
            Jar::Mem(j) => Ok(j.cookie_header(ctx, now)),
            Jar::Sql(j) => Ok(j.cookie_header(ctx, now)),
            Jar::Redis(j) => j.cookie_header(ctx, now).map_err(redis_failed),
        }
    }

    pub fn explain(
        &self,
        ctx: &RequestContext<'_>,
        now: Timestamp,
    ) -> Result<Vec<Explanation>, String> {
        match self {
            Jar::Mem(j) => Ok(j.explain(ctx, now)),
            Jar::Sql(j) => Ok(j.explain(ctx, now)),
            Jar::Redis(j) => j.explain(ctx, now).map_err(redis_failed),
        }
    }

    pub fn unexpired(&self, now: Timestamp) -> Result<Vec<Cookie>, String> {
        match self {
            Jar::Mem(j) => Ok(j.unexpired(now).cloned().collect()),
            Jar::Sql(j) => Ok(j.unexpired(now)),
            Jar::Redis(j) => j.unexpired(now).map_err(redis_failed),
        }
    }

    pub fn snapshot(&self, now: Timestamp) -> Result<JarSnapshot, String> {
        match self {
            Jar::Mem(j) => Ok(j.snapshot()),
            Jar::Sql(j) => Ok(j.snapshot()),
            // Each site keeps its own creation clock; the snapshot's is the latest creation.
            Jar::Redis(j) => {
                let cookies = j.unexpired(now).map_err(redis_failed)?;
                Ok(JarSnapshot {
                    creation_clock: cookies
                        .iter()
                        .map(Cookie::creation)
                        .max()
                        .unwrap_or(Timestamp::UNIX_EPOCH),
                    last_global_purge: None,
                    earliest_access: cookies.iter().map(Cookie::last_access).min(),
                    cookies,
                })
            }
        }
    }
}

/// A jar file and its format.
#[derive(Clone, Debug)]
pub struct JarFile {
    pub path: PathBuf,
    pub format: JarFormat,
}

impl JarFile {
    /// The jar file at `path`, its format from its extension (ASCII case ignored).
    pub fn new(path: PathBuf) -> Result<Self, String> {
        if path.to_str().is_some_and(|p| p.starts_with("redis://")) {
            return Ok(JarFile {
                path,
                format: JarFormat::Redis,
            });
        }
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("json") => JarFormat::Json,
            Some("txt" | "cookies") => JarFormat::Netscape,
            Some("sqlite" | "sqlite3" | "db") => JarFormat::Sqlite,
            _ => {
                return Err(format!(
                    "{}: a jar file's name ends in .json (the jar's own format), .txt or \
                     .cookies (Netscape cookies.txt), or .sqlite, .sqlite3 or .db (SQLite)",
                    path.display()
                ))
            }
        };
        Ok(JarFile { path, format })
    }

    fn name(&self) -> String {
        self.path.display().to_string()
    }

    /// The jar the file holds; an empty jar when the file does not exist. A file that cannot
    /// be read, or that is not a file of its format, is an error. Records the jar cannot take
    /// are left out with a warning on stderr (the next save drops them; an SQLite jar keeps
    /// them in the database). `create`: an SQLite database that does not exist is created
    /// (for the commands that change the jar); without it, a missing one is an empty jar and
    /// no file is made.
    pub fn load(&self, policy: Policy, now: Timestamp, create: bool) -> Result<Jar, String> {
        if self.format == JarFormat::Sqlite {
            return self.open_sqlite(policy, now, create);
        }
        if self.format == JarFormat::Redis {
            return self.open_redis(policy);
        }
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Jar::Mem(CookieJar::with_policy(policy)))
            }
            Err(e) => return Err(format!("{}: {e}", self.name())),
        };
        let left_out = |what: &dyn std::fmt::Display| {
            warn(&format!(
                "{}: {what}: left out (a save of the jar drops it)",
                self.name()
            ));
        };
        match self.format {
            JarFormat::Json => {
                let (snapshot, refused) =
                    json::from_slice(&bytes).map_err(|e| format!("{}: {e}", self.name()))?;
                for r in &refused {
                    left_out(r);
                }
                let (jar, skipped) = CookieJar::restore(policy, snapshot, now);
                for (index, why) in &skipped {
                    left_out(&format!("cookie {index}: {why}"));
                }
                Ok(Jar::Mem(jar))
            }
            JarFormat::Netscape | JarFormat::Sqlite | JarFormat::Redis => {
                let mut jar = CookieJar::with_policy(policy);
                let report = jar.import(netscape::read(&bytes, now), now);
                for r in &report.refused {
                    left_out(r);
                }
                Ok(Jar::Mem(jar))
            }
        }
    }

    /// `redis://HOST:PORT/DB[?ns=NAME]`: the namespace from `ns` (default `cookiejar`), the
    /// rest as the Redis client takes it.
    fn open_redis(&self, policy: Policy) -> Result<Jar, String> {
        let url = self.name();
        let (base, query) = url.split_once('?').unwrap_or((&url, ""));
        let mut options = RedisOptions::default().policy(policy);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("ns", ns)) => options = options.namespace(ns),
                _ => return Err(format!("{url}: {pair:?}: the only option is ns=NAME")),
            }
        }
        RedisJar::open(base, options)
            .map(Jar::Redis)
            .map_err(|e| format!("{url}: {e}"))
    }

    fn open_sqlite(&self, policy: Policy, now: Timestamp, create: bool) -> Result<Jar, String> {
        let options = SqliteOptions::default().create(create).now(now);
        match SqliteJar::open(&self.path, policy.clone(), options) {
            Ok((jar, opened)) => {
                for (rowid, why) in &opened.refused {
                    warn(&format!(
                        "{}: row {rowid}: {why}: not loaded (it stays in the database)",
                        self.name()
                    ));
                }
                Ok(Jar::Sql(jar))
            }
            Err(SqliteError::NotFound(_)) => Ok(Jar::Mem(CookieJar::with_policy(policy))),
            Err(e) => Err(format!("{}: {e}", self.name())),
        }
    }

    /// Saves `jar` over the file, atomically ([`persist::write_atomic`]): a failure leaves
    /// the old file as it was. Warns on stderr about each cookie the format cannot hold. An
    /// SQLite jar commits what is queued instead.
    pub fn save(&self, jar: &Jar, now: Timestamp) -> Result<(), String> {
        let jar = match jar {
            Jar::Sql(j) => return j.flush().map_err(|e| format!("{}: {e}", self.name())),
            // Every change is already in Redis.
            Jar::Redis(_) => return Ok(()),
            Jar::Mem(j) => j,
        };
        let bytes = match self.format {
            JarFormat::Json => json::to_vec(&jar.snapshot()),
            JarFormat::Netscape | JarFormat::Sqlite | JarFormat::Redis => {
                let written = netscape::write(jar.unexpired(now), now);
                warn_left_out(&written.refused, &format!("{}: ", self.name()));
                written.bytes
            }
        };
        write(&self.path, &bytes)
    }
}

/// [`persist::write_atomic`], with the path in the message of an error.
pub fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    persist::write_atomic(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// One line on stderr.
pub fn warn(msg: &str) {
    eprintln!("cookiejar: warning: {msg}");
}

/// Where a cookie of identity `id` lives: `(domain .example.com, path /)`, a leading dot for
/// a domain cookie.
pub fn place(id: &CookieId) -> String {
    let mut s = format!(
        "(domain {}{}, path {}",
        if id.host_only { "" } else { "." },
        id.domain,
        id.path
    );
    if let Some(k) = &id.partition_key {
        s.push_str(", partition ");
        s.push_str(k);
    }
    s.push(')');
    s
}

/// A cookie's identity as the output shows it: `NAME (domain .example.com, path /)`.
pub fn describe(id: &CookieId) -> String {
    format!("{} {}", String::from_utf8_lossy(&id.name), place(id))
}

/// One warning line per cookie a writer left out, each starting with `prefix`.
pub fn warn_left_out(refused: &[(CookieId, persist::WriteRefusal)], prefix: &str) {
    for (id, why) in refused {
        warn(&format!("{prefix}{} left out: {why}", describe(id)));
    }
}

/// Whether a jar operation changed what a save would write. A lookup's refreshed last access
/// does not count: reads never rewrite the file.
#[derive(Debug, Default)]
pub struct Dirty(pub bool);

impl ChangeSink for Dirty {
    fn record(&mut self, change: Change<'_>) {
        if !matches!(change, Change::Accessed(_)) {
            self.0 = true;
        }
    }
}

/// The cookies of `jar` not expired at `now`, oldest first (the order of every writer).
pub fn unexpired_oldest_first(jar: &Jar, now: Timestamp) -> Result<Vec<Cookie>, String> {
    Ok(persist::oldest_first(&jar.unexpired(now)?)
        .into_iter()
        .cloned()
        .collect())
}

//! The jar file of `--jar`: which format its extension names, loading it, and saving it
//! atomically (or, for an SQLite jar, flushing its write-behind queue).

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
}

/// A loaded jar: in memory (a JSON or cookies.txt file, rewritten by [`JarFile::save`]) or
/// an SQLite jar (its changes committed by [`JarFile::save`]).
// One jar per command: the size of the enum does not matter.
#[allow(clippy::large_enum_variant)]
pub enum Jar {
    Mem(CookieJar),
    Sql(SqliteJar),
}

impl Jar {
    pub fn set_cookie_with<S: ChangeSink>(
        &mut self,
        line: &str,
        ctx: &RequestContext<'_>,
        now: Timestamp,
        sink: &mut S,
    ) -> Result<Stored, Rejection> {
        match self {
            Jar::Mem(j) => j.set_cookie_with(line, ctx, now, sink),
            Jar::Sql(j) => j.set_cookie_with(line, ctx, now, sink),
        }
    }

    pub fn remove_with<S: ChangeSink>(&mut self, id: &CookieId, sink: &mut S) -> Option<Cookie> {
        match self {
            Jar::Mem(j) => j.remove_with(id, sink),
            Jar::Sql(j) => j.remove_with(id, sink),
        }
    }

    pub fn import_with<S: ChangeSink>(
        &mut self,
        records: Records,
        now: Timestamp,
        sink: &mut S,
    ) -> ImportReport {
        match self {
            Jar::Mem(j) => j.import_with(records, now, sink),
            Jar::Sql(j) => j.import_with(records, now, sink),
        }
    }

    pub fn cookie_header(&self, ctx: &RequestContext<'_>, now: Timestamp) -> Option<String> {
        match self {
            Jar::Mem(j) => j.cookie_header(ctx, now),
            Jar::Sql(j) => j.cookie_header(ctx, now),
        }
    }

    pub fn explain(&self, ctx: &RequestContext<'_>, now: Timestamp) -> Vec<Explanation> {
        match self {
            Jar::Mem(j) => j.explain(ctx, now),
            Jar::Sql(j) => j.explain(ctx, now),
        }
    }

    pub fn unexpired(&self, now: Timestamp) -> Vec<Cookie> {
        match self {
            Jar::Mem(j) => j.unexpired(now).cloned().collect(),
            Jar::Sql(j) => j.unexpired(now),
        }
    }

    pub fn snapshot(&self) -> JarSnapshot {
        match self {
            Jar::Mem(j) => j.snapshot(),
            Jar::Sql(j) => j.snapshot(),
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
            JarFormat::Netscape | JarFormat::Sqlite => {
                let mut jar = CookieJar::with_policy(policy);
                let report = jar.import(netscape::read(&bytes, now), now);
                for r in &report.refused {
                    left_out(r);
                }
                Ok(Jar::Mem(jar))
            }
        }
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
            Jar::Mem(j) => j,
        };
        let bytes = match self.format {
            JarFormat::Json => json::to_vec(&jar.snapshot()),
            JarFormat::Netscape | JarFormat::Sqlite => {
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
pub fn unexpired_oldest_first(jar: &Jar, now: Timestamp) -> Vec<Cookie> {
    persist::oldest_first(&jar.unexpired(now))
        .into_iter()
        .cloned()
        .collect()
}

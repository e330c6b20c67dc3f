//! `cookiejar`: a browser-accurate cookie jar on the command line. Keeps a jar in a file, sets
//! and sends cookies as a browser would, explains why a cookie is or is not sent, imports and
//! exports the cookie files of other tools, and replays scenario files (the format of
//! `wpt-tests/SCENARIOS.md`).
//!
//! ```text
//! cookiejar [--jar PATH] [--profile standard|chromium|firefox] [--now UNIX_SECONDS|RFC3339] COMMAND
//!   set URL LINE... [--from-page URL] [--script]   store each Set-Cookie LINE as URL's response
//!   get URL [--from-page URL] [--script]           print the Cookie header URL is sent
//!   list [--json]                                  every unexpired cookie, oldest first
//!   remove NAME --domain DOMAIN [--path PATH] [--host-only] [--partition KEY]
//!   explain URL [--from-page URL] [--script]       every cookie of URL's site: sent, or why not
//!   import --from FORMAT FILE                      add FILE's cookies to the jar
//!   import --from firefox|chromium PATH [--key-password P] [--container N]
//!                                                  add a browser profile's cookies
//!   export --to FORMAT [-o FILE]                   write the jar's cookies in FORMAT
//!   replay [--json] FILE...                        replay scenario files
//!   explain FILE CASE_ID STEP                      explain one step of a scenario
//! ```
//!
//! The global options may come before or after the command. `--jar` defaults to
//! `$COOKIEJAR_JAR`; its extension names its format: `.json` the jar's own JSON, `.txt` or
//! `.cookies` Netscape cookies.txt, `.sqlite`, `.sqlite3` or `.db` an SQLite database
//! (`cookiejar::persist::sqlite`). A jar file that does not exist yet is an empty jar. `set`,
//! `remove` and `import` need a jar; `get`, `list`, `explain` and `export` without one read an
//! empty jar. The file is rewritten, atomically, only when a command changed the jar. An SQLite
//! jar is created by the first `set`, `remove` or `import` (never by a read), and every command
//! commits its changes before it exits, the last-access times that lookups refresh included.
//! `--jar redis://HOST:PORT/DB[?ns=NAME]` is a jar shared through Redis
//! (`cookiejar::persist::redis`, namespace `NAME`, default `cookiejar`): every change is
//! written when it is made, and a server that cannot be reached is an error (exit 2).
//!
//! Exit status: 0 ok; 1 a `set` line rejected, an `import` record refused, a `remove` that
//! found no cookie, a scenario case failed; 2 a usage error, or a file that cannot be read or
//! written (the jar file is then left as it was).
#![forbid(unsafe_code)]

mod jarfile;
mod time;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};
use cookiejar::import::{chromium, firefox};
use cookiejar::persist::{self, cdp, cookie_store, extension, json, netscape, playwright};
use cookiejar::persist::{tough_cookie, FormatError, Records};
use cookiejar::{
    CookieId, CookieJar, JarSnapshot, Policy, Profile, RequestContext, SameSite, SetOutcome,
    Timestamp, Url,
};
use jarfile::{place, warn, warn_left_out, Dirty, Jar, JarFile};
use std::fmt::Write as _;
use std::io::{Read, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wpt_tests::scenario::{explain_step, jar_for, run_file, Report, ScenarioFile};

const AFTER_HELP: &str = "\
The jar file (--jar, else $COOKIEJAR_JAR) holds the jar between commands. Its extension names \
its format: .json the jar's own JSON (lossless), .txt or .cookies Netscape cookies.txt (as curl \
-b/-c read and write it). A file that does not exist yet is an empty jar; one that cannot be read \
(not a file of its format, a version this build does not read) is an error. A cookie in it the \
jar cannot take is left out with a warning, and the next save drops it; so is a cookie \
cookies.txt cannot hold (a partitioned one, a name or value with a TAB), saving a .txt jar. set, \
remove and import \
need a jar file; get, list, explain and export without one use an empty jar. The file is \
rewritten (atomically) only when a command changed the jar, and never by get, list, explain or \
export. A .sqlite, .sqlite3 or .db jar is an SQLite database: set, remove and import create it, \
get, list, explain and export never do; each command commits its changes before it exits (for a \
read, only the last-access times it refreshed, as a browser does). A database another cookiejar \
holds open is refused (exit 2). --jar redis://HOST:PORT/DB[?ns=NAME] is a jar shared through Redis (namespace NAME, default cookiejar): each change is written as it is made; a server that cannot be reached is exit 2.

Scenario files (replay, explain FILE CASE_ID STEP) are in the format of wpt-tests/SCENARIOS.md; \
they bring their own time and ignore --jar and --now.

Exit status: 0 ok; 1 a set line was rejected, an import record refused, remove found no cookie, \
or a scenario case failed; 2 a usage error, or a file that cannot be read or written (the jar \
file is then left as it was).";

/// A browser-accurate cookie jar: set and send cookies as a browser would, explain why a
/// cookie is or is not sent, import and export other tools' cookie files, and replay cookie
/// scenario files.
#[derive(Debug, Parser)]
#[command(
    name = "cookiejar",
    version,
    arg_required_else_help = true,
    // Global options go before or after the command.
    override_usage = "cookiejar <COMMAND> [OPTIONS]",
    after_help = AFTER_HELP
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Global {
    /// The jar file: .json (the jar's own format), .txt or .cookies (Netscape cookies.txt),
    /// .sqlite/.sqlite3/.db (SQLite), or redis://HOST:PORT/DB[?ns=NAME] (a shared Redis jar)
    #[arg(long, global = true, value_name = "PATH", env = "COOKIEJAR_JAR")]
    jar: Option<PathBuf>,
    /// The behaviour profile: standard, chromium or firefox [default: standard; for scenario
    /// files the case's, else the file's, else standard]
    #[arg(long, global = true, value_name = "PROFILE", value_parser = parse_profile)]
    profile: Option<Profile>,
    /// The time of the command: Unix seconds (1796083200) or an RFC 3339 date-time
    /// (2026-12-01T00:00:00Z, offsets allowed) [default: the system clock]
    #[arg(
        long,
        global = true,
        value_name = "TIME",
        value_parser = time::parse_now,
        allow_negative_numbers = true
    )]
    now: Option<Timestamp>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Store each Set-Cookie LINE as the response to a top-level navigation to URL.
    ///
    /// Prints one line per LINE: `stored NAME`, `deleted NAME` (an expired cookie, which
    /// deletes the stored one of its identity, if any) or `rejected NAME: REASON`. Exits 1
    /// when any line was rejected. Needs a jar file.
    Set(SetArgs),
    /// Print the Cookie header a top-level navigation to URL sends (nothing when none).
    ///
    /// Never writes the jar file (last-access times are not saved).
    Get(GetArgs),
    /// List every cookie not expired, oldest first.
    ///
    /// A table of name, value, domain (a leading dot for a domain cookie), path, expires
    /// (RFC 3339 in UTC, or `session`) and flags (secure, httponly, samesite=..., partition=...).
    List(ListArgs),
    /// Remove the cookie of one identity.
    ///
    /// Prints `removed NAME`, or `no cookie NAME` and exits 1 when the jar holds none of that
    /// identity. Needs a jar file.
    Remove(RemoveArgs),
    /// Explain what a request for URL sends, or one step of a scenario file.
    ///
    /// With a URL: every cookie of URL's site, sent or why not, then the header. With FILE
    /// CASE_ID STEP: replay the case up to STEP, then explain that step; for a read (`get`,
    /// `script_get`) every candidate cookie of the request's site and whether it is sent or why
    /// not, then the header; for a write (`set`, `script_set`) the outcome of each line, or why
    /// it was rejected.
    #[command(
        override_usage = "cookiejar explain [OPTIONS] <FILE> <CASE_ID> <STEP>\n       \
                                cookiejar explain [OPTIONS] <URL>"
    )]
    Explain(ExplainArgs),
    /// Add the cookies of FILE (`-`: standard input), or of a Firefox or Chromium profile, to
    /// the jar.
    ///
    /// A browser's database is read from a private copy, so the browser may be running; rows
    /// are refused as `record ROWID: NAME: REASON` (a value that does not decrypt says why).
    ///
    /// Prints `N imported, M refused`, then one line per refused record (`line 4: REASON`,
    /// `record 2: NAME: REASON`), then `K already expired` when some were (they are not stored,
    /// and each deletes the stored cookie of its identity). The reader's warnings go to stderr.
    /// Exits 1 when any record was refused. Needs a jar file.
    Import(ImportArgs),
    /// Write the jar's unexpired cookies in another format, to stdout or FILE.
    ///
    /// `json` is the jar's own file (usable as a --jar). A cookie the format cannot hold is
    /// left out with a warning on stderr. With `playwright` and -o naming an existing file,
    /// that file's `origins` are kept.
    Export(ExportArgs),
    /// Replay every case of each FILE; print each failing case and a summary line.
    ///
    /// Prints one `FAIL CASE_ID step N: expected ... got ...` line per failing case (N counted
    /// from 0), then `P passed, F failed`. Exits 1 when any case failed.
    Replay(ReplayArgs),
}

#[derive(Debug, Args)]
struct RequestArgs {
    /// The request is a subresource (fetch, <img>, iframe) of the top-level page at this URL,
    /// so SameSite applies [default: a top-level navigation the user started]
    #[arg(long, value_name = "URL", conflicts_with = "script")]
    from_page: Option<Url>,
    /// Use document.cookie of a script on the page at URL: HttpOnly cookies are neither set
    /// nor read
    #[arg(long)]
    script: bool,
}

impl RequestArgs {
    fn context<'a>(&'a self, url: &'a Url) -> RequestContext<'a> {
        match (&self.from_page, self.script) {
            (_, true) => RequestContext::script(url),
            (Some(page), false) => RequestContext::subresource(url, page),
            (None, false) => RequestContext::navigation(url),
        }
    }
}

#[derive(Debug, Args)]
struct SetArgs {
    /// The URL the response came from.
    #[arg(value_name = "URL")]
    url: Url,
    /// Set-Cookie header values (without `Set-Cookie:`).
    #[arg(value_name = "LINE", required = true)]
    lines: Vec<String>,
    #[command(flatten)]
    request: RequestArgs,
}

#[derive(Debug, Args)]
struct GetArgs {
    /// The URL of the request.
    #[arg(value_name = "URL")]
    url: Url,
    #[command(flatten)]
    request: RequestArgs,
}

#[derive(Debug, Args)]
struct ListArgs {
    /// Print a JSON array of the jar's cookie records (the jar's own format) instead.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct RemoveArgs {
    /// The cookie's name.
    #[arg(value_name = "NAME")]
    name: String,
    /// The cookie's domain (a leading dot is ignored).
    #[arg(long, value_name = "DOMAIN", required = true)]
    domain: String,
    /// The cookie's path.
    #[arg(long, value_name = "PATH", default_value = "/")]
    path: String,
    /// The cookie is host-only (set without a Domain attribute) [default: a domain cookie]
    #[arg(long)]
    host_only: bool,
    /// The cookie is partitioned (CHIPS) under this key (`https://top-level.example`).
    #[arg(long, value_name = "KEY")]
    partition: Option<String>,
}

#[derive(Debug, Args)]
struct ExplainArgs {
    /// A URL, or a scenario file (then CASE_ID and STEP follow).
    #[arg(value_name = "URL | FILE")]
    target: String,
    /// The case's `id`.
    #[arg(value_name = "CASE_ID", requires = "step")]
    case_id: Option<String>,
    /// The step's index in the case, counted from 0 (the first step is 0), as in `replay`'s
    /// FAIL lines and the `step` of its --json output.
    // Parsed by `explain`, so that an error names `<STEP>` as a required argument would.
    #[arg(value_name = "STEP")]
    step: Option<String>,
    #[command(flatten)]
    request: RequestArgs,
}

/// The formats `import` reads.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ImportFormat {
    /// The jar's own file, or a JSON array of its cookie records (`list --json`).
    Json,
    /// Netscape cookies.txt (curl, wget, yt-dlp).
    Netscape,
    /// A Playwright storageState file.
    Playwright,
    /// A CDP / Puppeteer cookie array (`Network.getAllCookies`).
    Cdp,
    /// A browser extension's cookie array (`chrome.cookies.getAll`).
    Extension,
    /// tough-cookie's serialized jar.
    ToughCookie,
    /// The Rust cookie_store crate's JSON.
    CookieStore,
    /// A Firefox profile directory, or its cookies.sqlite (read from a copy: the browser may
    /// be running).
    Firefox,
    /// A Chromium profile directory (or user data directory), or its Cookies file; Linux
    /// v10 values, and v11 with --key-password.
    Chromium,
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// The format of FILE.
    #[arg(long, value_name = "FORMAT")]
    from: ImportFormat,
    /// The file (`-`: standard input); for firefox and chromium, the profile directory or
    /// the database file.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// chromium: the keyring's password for v11 values ("Chromium Safe Storage", e.g.
    /// `secret-tool lookup application chromium`); without it, v11 rows are refused.
    #[arg(
        long,
        value_name = "PASSWORD",
        env = "COOKIEJAR_KEY_PASSWORD",
        hide_env_values = true
    )]
    key_password: Option<String>,
    /// firefox: the container (userContextId) to read [default: 0, the default container].
    #[arg(long, value_name = "ID")]
    container: Option<u32>,
}

/// The formats `export` writes.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormat {
    /// The jar's own file.
    Json,
    /// Netscape cookies.txt (curl -b).
    Netscape,
    /// A Playwright storageState file.
    Playwright,
    /// A CDP / Puppeteer cookie array (`Network.setCookies`).
    Cdp,
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// The format to write.
    #[arg(long, value_name = "FORMAT")]
    to: ExportFormat,
    /// Write to FILE (atomically) instead of stdout.
    #[arg(short, long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Debug, Args)]
struct ReplayArgs {
    /// Print what every step of every case produced, as JSON, before the summary line.
    #[arg(long)]
    json: bool,
    /// Scenario files.
    #[arg(value_name = "FILE", required = true)]
    files: Vec<PathBuf>,
}

/// The library's own names for its profiles, and its message for any other.
fn parse_profile(s: &str) -> Result<Profile, cookiejar::UnknownProfile> {
    s.parse()
}

/// Why a command did not finish.
enum Failure {
    /// A command line that does not make sense (clap prints it; exit 2).
    Usage(Box<clap::Error>),
    /// A file that cannot be read or written (exit 2).
    File(String),
}

impl From<String> for Failure {
    fn from(s: String) -> Self {
        Failure::File(s)
    }
}

fn usage(kind: ErrorKind, msg: impl std::fmt::Display) -> Failure {
    Failure::Usage(Box::new(Cli::command().error(kind, msg)))
}

/// What a command prints on stdout (only once its file is saved) and whether it fully
/// succeeded (exit 0) or not (exit 1).
struct Done {
    out: Vec<u8>,
    ok: bool,
}

impl Done {
    fn text(out: String, ok: bool) -> Self {
        Done {
            out: out.into_bytes(),
            ok,
        }
    }
}

/// One line of output.
fn say(out: &mut String, line: impl std::fmt::Display) {
    let _ = writeln!(out, "{line}");
}

/// The options every jar command reads, resolved.
struct Env {
    jar_file: Option<JarFile>,
    policy: Policy,
    now: Timestamp,
}

impl Env {
    fn new(g: &Global) -> Result<Self, Failure> {
        let jar_file = match &g.jar {
            Some(p) if !p.as_os_str().is_empty() => Some(
                JarFile::new(p.clone())
                    .map_err(|e| usage(ErrorKind::ValueValidation, format!("--jar: {e}")))?,
            ),
            _ => None,
        };
        Ok(Env {
            jar_file,
            policy: Policy::for_profile(g.profile.unwrap_or(Profile::Standard)),
            now: g.now.unwrap_or_else(Timestamp::now),
        })
    }

    /// The jar, for a command that reads it: an empty one without a jar file, or when the
    /// file does not exist (no file is created).
    fn read(&self) -> Result<Jar, Failure> {
        match &self.jar_file {
            Some(f) => Ok(f.load(self.policy.clone(), self.now, false)?),
            None => Ok(Jar::Mem(CookieJar::with_policy(self.policy.clone()))),
        }
    }

    /// After a command that read the jar: an SQLite jar commits the last-access times its
    /// lookups refreshed (as a browser's store does), before the command exits.
    fn done_reading(&self, jar: &Jar) -> Result<(), Failure> {
        match (jar, &self.jar_file) {
            (Jar::Sql(_), Some(f)) => Ok(f.save(jar, self.now)?),
            _ => Ok(()),
        }
    }

    /// The jar file and its jar, for a command that changes it.
    fn write(&self, command: &str) -> Result<(&JarFile, Jar), Failure> {
        let f = self.jar_file.as_ref().ok_or_else(|| {
            usage(
                ErrorKind::MissingRequiredArgument,
                format!("{command} needs a jar file: give --jar PATH or set COOKIEJAR_JAR"),
            )
        })?;
        Ok((f, f.load(self.policy.clone(), self.now, true)?))
    }
}

/// The cookie name of a Set-Cookie line, as the parser finds it (6265bis 5.6 steps 2-3: up
/// to the first `;`, before the first `=`, trimmed; no `=` is a nameless cookie).
fn line_name(line: &str) -> &str {
    let pair = line.split(';').next().unwrap_or("");
    match pair.split_once('=') {
        Some((name, _)) => name.trim_matches([' ', '\t']),
        None => "",
    }
}

fn set(env: &Env, args: &SetArgs) -> Result<Done, Failure> {
    let (file, mut jar) = env.write("set")?;
    let ctx = args.request.context(&args.url);
    let mut dirty = Dirty::default();
    let (mut out, mut ok) = (String::new(), true);
    for line in &args.lines {
        let name = line_name(line);
        match jar.set_cookie_with(line, &ctx, env.now, &mut dirty)? {
            Ok(stored) => {
                let verb = match stored.outcome {
                    SetOutcome::Deleted | SetOutcome::Expired => "deleted",
                    _ => "stored",
                };
                say(&mut out, format_args!("{verb} {name}"));
                for w in stored.warnings.iter() {
                    warn(&format!("{name}: {w}"));
                }
            }
            Err(why) => {
                ok = false;
                say(&mut out, format_args!("rejected {name}: {why}"));
            }
        }
    }
    // An SQLite jar commits what is queued, whatever changed.
    if dirty.0 || matches!(jar, Jar::Sql(_)) {
        file.save(&jar, env.now)?;
    }
    Ok(Done::text(out, ok))
}

fn get(env: &Env, args: &GetArgs) -> Result<Done, Failure> {
    let jar = env.read()?;
    let mut out = String::new();
    if let Some(h) = jar.cookie_header(&args.request.context(&args.url), env.now)? {
        say(&mut out, h);
    }
    env.done_reading(&jar)?;
    Ok(Done::text(out, true))
}

fn list(env: &Env, args: &ListArgs) -> Result<Done, Failure> {
    let jar = env.read()?;
    let cookies = jarfile::unexpired_oldest_first(&jar, env.now)?;
    env.done_reading(&jar)?;
    if args.json {
        return Ok(Done {
            out: json::cookies_to_vec(&cookies),
            ok: true,
        });
    }
    let rows: Vec<[String; 6]> = cookies
        .iter()
        .map(|c| {
            let mut flags = Vec::new();
            if c.secure() {
                flags.push("secure".to_owned());
            }
            if c.http_only() {
                flags.push("httponly".to_owned());
            }
            if c.same_site() != SameSite::Unspecified {
                flags.push(format!("samesite={:?}", c.same_site()));
            }
            if let Some(k) = c.partition_key() {
                flags.push(format!("partition={k}"));
            }
            [
                c.name_str().into_owned(),
                c.value_str().into_owned(),
                format!("{}{}", if c.host_only() { "" } else { "." }, c.domain()),
                c.path().to_owned(),
                c.expires()
                    .map_or_else(|| "session".to_owned(), time::format_rfc3339),
                if flags.is_empty() {
                    "-".to_owned()
                } else {
                    flags.join(",")
                },
            ]
        })
        .collect();
    let mut out = String::new();
    if !rows.is_empty() {
        let header = ["NAME", "VALUE", "DOMAIN", "PATH", "EXPIRES", "FLAGS"].map(str::to_owned);
        let mut widths = [0; 6];
        for row in std::iter::once(&header).chain(&rows) {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(cell.chars().count());
            }
        }
        for row in std::iter::once(&header).chain(&rows) {
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
                if i + 1 == row.len() {
                    line.push_str(cell);
                } else {
                    let _ = write!(line, "{cell:w$}  ");
                }
            }
            say(&mut out, line);
        }
    }
    Ok(Done::text(out, true))
}

fn remove(env: &Env, args: &RemoveArgs) -> Result<Done, Failure> {
    let domain = args.domain.strip_prefix('.').unwrap_or(&args.domain);
    if args.host_only && domain.len() != args.domain.len() {
        return Err(usage(
            ErrorKind::ArgumentConflict,
            "--host-only with a --domain that starts with a dot, which names a domain cookie",
        ));
    }
    let (file, mut jar) = env.write("remove")?;
    // Stored domains are canonical: lower case, no leading dot (6265bis 5.6.3).
    let mut id = CookieId::new(
        args.name.as_bytes(),
        domain.to_ascii_lowercase(),
        args.path.as_str(),
    );
    if !args.host_only {
        id = id.domain_cookie();
    }
    if let Some(k) = &args.partition {
        id = id.partitioned(k.as_str());
    }
    let mut dirty = Dirty::default();
    let found = jar.remove_with(&id, &mut dirty)?.is_some();
    if dirty.0 || matches!(jar, Jar::Sql(_)) {
        file.save(&jar, env.now)?;
    }
    let verb = if found { "removed" } else { "no cookie" };
    Ok(Done::text(format!("{verb} {}\n", args.name), found))
}

fn explain_url(env: &Env, args: &ExplainArgs) -> Result<Done, Failure> {
    let url = Url::parse(&args.target).map_err(|e| {
        usage(
            ErrorKind::ValueValidation,
            format!(
                "invalid value '{}' for '<URL>': {e} (a scenario file takes CASE_ID and STEP too)",
                args.target
            ),
        )
    })?;
    let jar = env.read()?;
    let ctx = args.request.context(&url);
    let mut out = String::new();
    for e in jar.explain(&ctx, env.now)? {
        let c = &e.cookie;
        let verdict = match &e.verdict {
            Ok(()) => "sent".to_owned(),
            Err(why) => format!("not sent ({why})"),
        };
        say(
            &mut out,
            format_args!(
                "{}={} {}: {verdict}",
                c.name_str(),
                c.value_str(),
                place(&c.id())
            ),
        );
    }
    let header = jar.cookie_header(&ctx, env.now)?.unwrap_or_default();
    env.done_reading(&jar)?;
    let label = if args.request.script {
        "document.cookie"
    } else {
        "Cookie"
    };
    say(&mut out, format_args!("{label}: {header}"));
    Ok(Done::text(out, true))
}

fn read_input(path: &Path) -> Result<Vec<u8>, Failure> {
    let mut bytes = Vec::new();
    let r = if path.as_os_str() == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::read(path).map(|b| bytes = b)
    };
    r.map_err(|e| Failure::File(format!("{}: {e}", path.display())))?;
    Ok(bytes)
}

fn import(env: &Env, args: &ImportArgs) -> Result<Done, Failure> {
    let browser = matches!(args.from, ImportFormat::Firefox | ImportFormat::Chromium);
    if args.key_password.is_some() && !matches!(args.from, ImportFormat::Chromium) {
        return Err(Failure::File(
            "--key-password is for --from chromium".into(),
        ));
    }
    if args.container.is_some() && !matches!(args.from, ImportFormat::Firefox) {
        return Err(Failure::File("--container is for --from firefox".into()));
    }
    if browser && args.file.as_os_str() == "-" {
        return Err(Failure::File(
            "a browser database is read from a path, not standard input".into(),
        ));
    }
    let (file, mut jar) = env.write("import")?;
    let now = env.now;
    let fail = |e: &dyn std::fmt::Display| Failure::File(format!("{}: {e}", args.file.display()));
    let bytes = if browser {
        Vec::new()
    } else {
        read_input(&args.file)?
    };
    let read: Result<Records, FormatError> = match args.from {
        ImportFormat::Firefox => {
            let o = firefox::Options::default().container(args.container.unwrap_or(0));
            Ok(firefox::read(&args.file, &o).map_err(|e| fail(&e))?)
        }
        ImportFormat::Chromium => {
            let mut o = chromium::Options::default();
            if let Some(p) = &args.key_password {
                o = o.key_password(p.as_bytes());
            }
            Ok(chromium::read(&args.file, &o).map_err(|e| fail(&e))?)
        }
        ImportFormat::Json => json::read(&bytes),
        ImportFormat::Netscape => Ok(netscape::read(&bytes, now)),
        ImportFormat::Playwright => playwright::read(&bytes, now),
        ImportFormat::Cdp => cdp::read(&bytes, now),
        ImportFormat::Extension => extension::read(&bytes, now),
        ImportFormat::ToughCookie => tough_cookie::read(&bytes, now),
        ImportFormat::CookieStore => cookie_store::read(&bytes, now),
    };
    let records = read.map_err(|e| fail(&e))?;
    let mut dirty = Dirty::default();
    let report = jar.import_with(records, now, &mut dirty)?;
    if dirty.0 || matches!(jar, Jar::Sql(_)) {
        file.save(&jar, now)?;
    }
    for (at, w) in &report.warnings {
        warn(&format!("{}: {at}: {w}", args.file.display()));
    }
    let mut out = String::new();
    say(&mut out, &report);
    for r in &report.refused {
        say(&mut out, r);
    }
    if report.expired > 0 {
        say(&mut out, format_args!("{} already expired", report.expired));
    }
    Ok(Done::text(out, report.refused.is_empty()))
}

fn export(env: &Env, args: &ExportArgs) -> Result<Done, Failure> {
    let jar = env.read()?;
    let now = env.now;
    let cookies = jarfile::unexpired_oldest_first(&jar, now)?;
    env.done_reading(&jar)?;
    let cookies = &cookies;
    let written = match args.to {
        ExportFormat::Json => {
            let snapshot = jar.snapshot(now)?;
            persist::Written {
                bytes: json::to_vec(&JarSnapshot {
                    cookies: cookies.clone(),
                    ..snapshot
                }),
                refused: Vec::new(),
            }
        }
        ExportFormat::Netscape => netscape::write(cookies, now),
        ExportFormat::Cdp => cdp::write(cookies, now),
        ExportFormat::Playwright => {
            // An existing storageState keeps its `origins` (localStorage): only the cookies
            // are the jar's.
            let existing = match &args.output {
                Some(p) => match std::fs::read(p) {
                    Ok(b) => Some(b),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                    Err(e) => return Err(Failure::File(format!("{}: {e}", p.display()))),
                },
                None => None,
            };
            playwright::write(cookies, now, existing.as_deref()).map_err(|e| {
                let p = args.output.as_deref().unwrap_or(Path::new("-"));
                Failure::File(format!("{}: {e}", p.display()))
            })?
        }
    };
    warn_left_out(&written.refused, "");
    match &args.output {
        Some(p) => {
            jarfile::write(p, &written.bytes)?;
            Ok(Done::text(String::new(), true))
        }
        None => Ok(Done {
            out: written.bytes,
            ok: true,
        }),
    }
}

fn show(s: &str) -> String {
    format!("{s:?}")
}

fn read_scenarios(path: &Path) -> Result<ScenarioFile, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    ScenarioFile::from_json(&bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn replay(profile: Option<Profile>, args: &ReplayArgs) -> Result<Done, Failure> {
    let (mut passed, mut failed) = (0, 0);
    let mut reports: Vec<(String, Report)> = Vec::new();
    for path in &args.files {
        let report = run_file(&read_scenarios(path)?, profile);
        passed += report.passed();
        failed += report.failed();
        reports.push((path.display().to_string(), report));
    }
    let mut out = String::new();
    if args.json {
        let json: Vec<_> = reports
            .iter()
            .map(|(f, r)| serde_json::json!({ "file": f, "cases": r.cases }))
            .collect();
        let s = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
        say(&mut out, s);
    } else {
        for (_, report) in &reports {
            for c in report.cases.iter().filter(|c| !c.passed) {
                if let Some(s) = c.first_failure() {
                    say(
                        &mut out,
                        format_args!(
                            "FAIL {} step {}: expected {} got {}",
                            c.id,
                            s.step,
                            show(s.expect.as_deref().unwrap_or("")),
                            show(s.got.as_deref().unwrap_or(""))
                        ),
                    );
                }
            }
        }
    }
    say(&mut out, format_args!("{passed} passed, {failed} failed"));
    Ok(Done::text(out, failed == 0))
}

fn explain_scenario(
    profile: Option<Profile>,
    file: &Path,
    case_id: &str,
    step: usize,
) -> Result<Done, Failure> {
    let scenarios = read_scenarios(file)?;
    let case = scenarios
        .cases
        .iter()
        .find(|c| c.id == case_id)
        .ok_or_else(|| format!("{}: no case {case_id:?}", file.display()))?;
    let mut jar = jar_for(case, scenarios.profile, profile);
    let mut out = String::new();
    for line in explain_step(case, &mut jar, step).map_err(|e| e.to_string())? {
        say(&mut out, line);
    }
    Ok(Done::text(out, true))
}

fn explain(cli: &Cli, args: &ExplainArgs) -> Result<Done, Failure> {
    match (&args.case_id, &args.step) {
        (Some(case_id), Some(step)) => {
            let step = step.parse::<usize>().map_err(|e| {
                usage(
                    ErrorKind::ValueValidation,
                    format!("invalid value '{step}' for '<STEP>': {e}"),
                )
            })?;
            if args.request.script || args.request.from_page.is_some() {
                return Err(usage(
                    ErrorKind::ArgumentConflict,
                    "--from-page and --script are for explain URL; a scenario step says its own \
                     request",
                ));
            }
            explain_scenario(cli.global.profile, Path::new(&args.target), case_id, step)
        }
        _ => explain_url(&Env::new(&cli.global)?, args),
    }
}

fn run(cli: &Cli) -> Result<Done, Failure> {
    let env = || Env::new(&cli.global);
    match &cli.command {
        Command::Set(args) => set(&env()?, args),
        Command::Get(args) => get(&env()?, args),
        Command::List(args) => list(&env()?, args),
        Command::Remove(args) => remove(&env()?, args),
        Command::Explain(args) => explain(cli, args),
        Command::Import(args) => import(&env()?, args),
        Command::Export(args) => export(&env()?, args),
        Command::Replay(args) => replay(cli.global.profile, args),
    }
}

fn main() -> ExitCode {
    // clap prints its own usage errors (exit 2), help and version (exit 0).
    let cli = Cli::parse();
    match run(&cli) {
        Ok(done) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`cookiejar list | head -1`) is not an error of the command.
            match stdout.write_all(&done.out).and_then(|()| stdout.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    eprintln!("cookiejar: stdout: {e}");
                    ExitCode::from(2)
                }
                _ if done.ok => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            }
        }
        Err(Failure::Usage(e)) => e.exit(),
        Err(Failure::File(e)) => {
            eprintln!("cookiejar: {e}");
            ExitCode::from(2)
        }
    }
}

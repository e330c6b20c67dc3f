//! The scenario format and its runner: short stories of what a browser sees (responses that
//! set cookies, scripts, time passing, requests whose `Cookie` header is checked), read from JSON
//! and replayed through a [`CookieJar`].
//!
//! The format is specified in `wpt-tests/SCENARIOS.md` (in this repository, beside this crate's
//! `Cargo.toml`). The reader is strict: a file must say `"format": "cookie scenarios v1"`, and a
//! key that the format does not define, in the file, a case or a step, is an error that names
//! the case and step, so that a typo (`"expcet"`) or a file of a later version is never replayed
//! as something it is not.
//!
//! ```
//! use wpt_tests::scenario::{ScenarioFile, run_file};
//! let json = r#"{"format": "cookie scenarios v1", "cases": [{"id": "t1", "steps": [
//!     {"set": "https://a.example/", "headers": ["x=1"]},
//!     {"get": "https://a.example/", "expect": "x=1"}]}]}"#;
//! let file = ScenarioFile::from_json(json.as_bytes()).unwrap();
//! let report = run_file(&file, None);
//! assert_eq!((report.passed(), report.failed()), (1, 0));
//! ```

use cookiejar::{CookieJar, Explanation, Policy, Profile, RequestContext, Timestamp, Url};
use serde_json::{Map, Value};
use std::fmt;

/// The format this reader reads, as a file's `format` names it.
///
/// A file may add a parenthesized remark after it (`"cookie scenarios v1 (see SCENARIOS.md)"`);
/// any other value, a later version included, is [`ScenarioError::UnknownFormat`].
pub const FORMAT: &str = "cookie scenarios v1";

/// The clock at a case's first step when it names none.
pub const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

/// The keys a file object may carry.
pub const FILE_KEYS: &[&str] = &[
    "format",
    "origin",
    "profile",
    "cases",
    "chromium_version",
    "firefox_version",
    "firefox_prefs",
];

/// The keys a case may carry.
pub const CASE_KEYS: &[&str] = &[
    "id",
    "now",
    "profile",
    "steps",
    "source",
    "name",
    "category",
    "note",
    "oracle_skip",
    "chromium_store",
    "firefox_store",
];

/// The keys of a `set` step.
pub const SET_KEYS: &[&str] = &[
    "set",
    "headers",
    "from",
    "navigation",
    "method",
    "chromium_request",
    "firefox_request",
];

/// The keys of a `get` step.
pub const GET_KEYS: &[&str] = &[
    "get",
    "expect",
    "from",
    "navigation",
    "method",
    "chromium",
    "chromium_request",
    "firefox_request",
];

/// The keys of a `redirect` step.
pub const REDIRECT_KEYS: &[&str] = &["redirect", "status", "expect", "headers"];

/// The keys of a `script_set` step.
pub const SCRIPT_SET_KEYS: &[&str] = &["script_set", "value"];

/// The keys of a `script_get` step.
pub const SCRIPT_GET_KEYS: &[&str] = &["script_get", "expect", "chromium"];

/// The keys of a `wait` step.
pub const WAIT_KEYS: &[&str] = &["wait"];

/// The keys of an `end_session` step.
pub const END_SESSION_KEYS: &[&str] = &["end_session"];

/// A case, as an error names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseRef {
    /// Its position in the file (0-based), before its id is known.
    Index(usize),
    /// Its id.
    Id(String),
}

/// Where in a file a problem is: the file itself, a case, or a step of a case.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// The case, if the problem is inside one.
    pub case: Option<CaseRef>,
    /// The step's index in its case (0-based), if the problem is inside one.
    pub step: Option<usize>,
}

impl Location {
    /// The file itself (its top-level object).
    pub const FILE: Location = Location {
        case: None,
        step: None,
    };

    fn case(case: CaseRef) -> Self {
        Location {
            case: Some(case),
            step: None,
        }
    }

    fn step(&self, step: usize) -> Self {
        Location {
            case: self.case.clone(),
            step: Some(step),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.case {
            None => f.write_str("file")?,
            Some(CaseRef::Index(i)) => write!(f, "case {i}")?,
            Some(CaseRef::Id(id)) => write!(f, "case {id:?}")?,
        }
        if let Some(step) = self.step {
            write!(f, " step {step}")?;
        }
        Ok(())
    }
}

/// Why a scenario file could not be read, or a step not explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// Not JSON.
    Json(String),
    /// A file object without a `format` key.
    MissingFormat,
    /// A `format` this reader does not read (another version, or not this format at all).
    UnknownFormat(String),
    /// A key the format does not define for this place.
    UnknownKey {
        /// Where.
        at: Location,
        /// What holds the key: `file`, `case`, or the step's kind (`get`, `set`, ...).
        within: &'static str,
        /// The key.
        key: String,
        /// The keys defined there.
        known: &'static [&'static str],
    },
    /// JSON, but not the scenario format: where, and what is wrong.
    Invalid {
        /// Where.
        at: Location,
        /// What is wrong.
        what: String,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Json(e) => write!(f, "not JSON: {e}"),
            ScenarioError::MissingFormat => {
                write!(f, "file: no \"format\" (expected {FORMAT:?})")
            }
            ScenarioError::UnknownFormat(found) => {
                write!(
                    f,
                    "file: unknown \"format\" {found:?} (expected {FORMAT:?})"
                )
            }
            ScenarioError::UnknownKey {
                at,
                within,
                key,
                known,
            } => {
                let place = match *within {
                    "file" | "case" => (*within).to_owned(),
                    kind => format!("{kind} step"),
                };
                write!(
                    f,
                    "{at}: unknown key {key:?} in a {place} (known: {})",
                    known.join(", ")
                )
            }
            ScenarioError::Invalid { at, what } => write!(f, "{at}: {what}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

/// A request context as a step describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepContext {
    /// The top-level page that made the request; `None`: a user-typed navigation.
    pub from: Option<Url>,
    /// Top-level navigation rather than subresource.
    pub navigation: bool,
    /// The HTTP method.
    pub method: String,
}

impl StepContext {
    /// The [`RequestContext`] of a request for `url` in this context.
    pub fn request<'a>(&'a self, url: &'a Url) -> RequestContext<'a> {
        let ctx = match (&self.from, self.navigation) {
            (None, _) => RequestContext::navigation(url),
            (Some(from), true) => RequestContext::navigation_from(url, from),
            (Some(from), false) => RequestContext::subresource(url, from),
        };
        ctx.with_method(&self.method)
    }
}

/// The request a `set`, `get` or `redirect` step stands for: its URL, its context (for a hop:
/// the action's, with the hop's method) and the redirect chain before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRequest {
    /// The request URL.
    pub url: Url,
    /// The context.
    pub ctx: StepContext,
    /// The URLs of the action's earlier hops, first request first.
    pub chain: Vec<Url>,
}

impl StepRequest {
    /// The [`RequestContext`] of the request, its redirect chain included.
    pub fn request(&self) -> RequestContext<'_> {
        self.ctx.request(&self.url).with_redirect_chain(&self.chain)
    }
}

/// Follows a case's actions step by step, so that each `redirect` step continues the request
/// before it: feed it every step in order.
#[derive(Debug, Default)]
pub struct Requests {
    current: Option<StepRequest>,
}

impl Requests {
    /// The request `step` makes (`None` for steps that make none: scripts, waits, restarts).
    pub fn next(&mut self, step: &Step) -> Option<&StepRequest> {
        self.current = match step {
            Step::Set { url, ctx, .. } | Step::Get { url, ctx, .. } => Some(StepRequest {
                url: url.clone(),
                ctx: ctx.clone(),
                chain: Vec::new(),
            }),
            Step::Redirect { url, status, .. } => self.current.take().map(|before| {
                let mut chain = before.chain;
                let method = redirect_method(*status, &before.ctx.method).to_owned();
                chain.push(before.url);
                StepRequest {
                    url: url.clone(),
                    ctx: StepContext {
                        method,
                        ..before.ctx
                    },
                    chain,
                }
            }),
            _ => None,
        };
        self.current.as_ref()
    }
}

/// The method of the request that follows a redirect (Fetch "HTTP-redirect fetch" step 12): a
/// 301 or 302 turns POST into GET, a 303 turns anything but GET and HEAD into GET; 307 and 308
/// keep the method.
pub fn redirect_method(status: u16, method: &str) -> &str {
    let post = method.eq_ignore_ascii_case("POST");
    let get_or_head = method.eq_ignore_ascii_case("GET") || method.eq_ignore_ascii_case("HEAD");
    match status {
        301 | 302 if post => "GET",
        303 if !get_or_head => "GET",
        _ => method,
    }
}

/// What a real browser did at a step, where the file recorded it: information, never checked by
/// the runner.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Recorded {
    /// `chromium` (on `get` and `script_get`): Chromium's answer, where the file's `expect` is
    /// another truth (WPT's).
    pub chromium: Option<String>,
    /// `chromium_request` (on `set` and `get`): the host and path Chromium really requested,
    /// where they differ from the URL as written.
    pub chromium_request: Option<String>,
    /// `firefox_request` (on `set` and `get`): the same for Firefox.
    pub firefox_request: Option<String>,
}

/// One step of a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// A response for `url` carrying these `Set-Cookie` values.
    Set {
        /// The request URL.
        url: Url,
        /// The header values, applied in order.
        headers: Vec<String>,
        /// The request context.
        ctx: StepContext,
        /// What a browser recorded.
        recorded: Recorded,
    },
    /// A request for `url`; `expect` is its exact `Cookie` header (`""`: none).
    Get {
        /// The request URL.
        url: Url,
        /// The expected header, if checked.
        expect: Option<String>,
        /// The request context.
        ctx: StepContext,
        /// What a browser recorded.
        recorded: Recorded,
    },
    /// The previous request (`set`, `get` or `redirect` step) was redirected to `url` with
    /// `status`: a hop of the same action, whose context carries the redirect chain so far.
    /// `expect` checks the hop's `Cookie` header; `headers` are its response's `Set-Cookie`
    /// values, applied after the header is built.
    Redirect {
        /// The URL the previous request was redirected to.
        url: Url,
        /// The redirect status: 301, 302, 303, 307 or 308.
        status: u16,
        /// The expected header of the hop, if checked.
        expect: Option<String>,
        /// The hop's response's `Set-Cookie` values.
        headers: Vec<String>,
    },
    /// `document.cookie = value` on a top-level page.
    ScriptSet {
        /// The page.
        page: Url,
        /// The string written.
        value: String,
    },
    /// `document.cookie` read on a top-level page.
    ScriptGet {
        /// The page.
        page: Url,
        /// The expected string, if checked.
        expect: Option<String>,
        /// What a browser recorded.
        recorded: Recorded,
    },
    /// The clock moves forward (microseconds).
    Wait(i64),
    /// The browser restarts.
    EndSession,
}

impl Step {
    /// The step's kind, as its key in the file: `set`, `get`, `script_set`, `script_get`,
    /// `wait` or `end_session`.
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Set { .. } => "set",
            Step::Get { .. } => "get",
            Step::Redirect { .. } => "redirect",
            Step::ScriptSet { .. } => "script_set",
            Step::ScriptGet { .. } => "script_get",
            Step::Wait(_) => "wait",
            Step::EndSession => "end_session",
        }
    }
}

/// What a case says about itself: information, never checked by the runner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CaseInfo {
    /// `source`: the file or document the case was taken from.
    pub source: Option<String>,
    /// `name`: a human description.
    pub name: Option<String>,
    /// `category`: a group of cases (`syntax`, `path`, ...).
    pub category: Option<String>,
    /// `note`: a remark.
    pub note: Option<String>,
    /// `oracle_skip`: why the browser oracle that recorded the file skipped this case.
    pub oracle_skip: Option<String>,
    /// `chromium_store`: Chromium's cookie store after the last step, as it reported it.
    pub chromium_store: Option<Vec<Value>>,
    /// `firefox_store`: Firefox's cookie store after the last step, as it reported it.
    pub firefox_store: Option<Vec<Value>>,
}

/// One case: an empty jar, a clock and steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    /// Unique, stable id.
    pub id: String,
    /// The clock at the first step.
    pub now: Timestamp,
    /// A profile for this case alone.
    pub profile: Option<Profile>,
    /// The steps.
    pub steps: Vec<Step>,
    /// What the case says about itself.
    pub info: CaseInfo,
}

/// What a file says about itself: information, never checked by the runner.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FileInfo {
    /// `chromium_version`: the Chromium that recorded the file.
    pub chromium_version: Option<String>,
    /// `firefox_version`: the Firefox that recorded the file.
    pub firefox_version: Option<String>,
    /// `firefox_prefs`: the Firefox preferences it ran with.
    pub firefox_prefs: Option<Map<String, Value>>,
}

/// A scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioFile {
    /// Where the cases come from, and their license.
    pub origin: Option<String>,
    /// The file's profile.
    pub profile: Option<Profile>,
    /// The cases.
    pub cases: Vec<Case>,
    /// What the file says about itself.
    pub info: FileInfo,
}

fn invalid(at: &Location, what: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        at: at.clone(),
        what: what.into(),
    }
}

/// Every key of `o` must be one of `known`.
fn check_keys(
    o: &Map<String, Value>,
    known: &'static [&'static str],
    within: &'static str,
    at: &Location,
) -> Result<(), ScenarioError> {
    match o.keys().find(|k| !known.contains(&k.as_str())) {
        None => Ok(()),
        Some(key) => Err(ScenarioError::UnknownKey {
            at: at.clone(),
            within,
            key: key.clone(),
            known,
        }),
    }
}

/// `cookie scenarios v1`, optionally followed by ` (a remark)`.
fn check_format(v: Option<&Value>) -> Result<(), ScenarioError> {
    let s = match v {
        None => return Err(ScenarioError::MissingFormat),
        Some(Value::String(s)) => s.as_str(),
        Some(other) => return Err(ScenarioError::UnknownFormat(other.to_string())),
    };
    let remark_ok = |rest: &str| rest.is_empty() || (rest.starts_with(" (") && rest.ends_with(')'));
    match s.strip_prefix(FORMAT) {
        Some(rest) if remark_ok(rest) => Ok(()),
        _ => Err(ScenarioError::UnknownFormat(s.to_owned())),
    }
}

/// An RFC 3339 time, to the microsecond.
fn parse_time(s: &str) -> Option<Timestamp> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    Some(Timestamp::from_unix_seconds(t.unix_timestamp()).plus_micros(i64::from(t.microsecond())))
}

fn parse_profile(v: Option<&Value>, at: &Location) -> Result<Option<Profile>, ScenarioError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .parse()
            .map(Some)
            .map_err(|e: cookiejar::UnknownProfile| invalid(at, e.to_string())),
        Some(_) => Err(invalid(at, "\"profile\" must be a string")),
    }
}

fn get_str<'v>(
    o: &'v Map<String, Value>,
    key: &str,
    at: &Location,
) -> Result<&'v str, ScenarioError> {
    o.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(at, format!("\"{key}\" must be a string")))
}

/// An optional string: absent or `null` is `None`; anything but a string is an error.
fn opt_str(
    o: &Map<String, Value>,
    key: &str,
    at: &Location,
) -> Result<Option<String>, ScenarioError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(at, format!("\"{key}\" must be a string"))),
    }
}

/// An optional list (a recorded store): absent or `null` is `None`.
fn opt_list(
    o: &Map<String, Value>,
    key: &str,
    at: &Location,
) -> Result<Option<Vec<Value>>, ScenarioError> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a.clone())),
        Some(_) => Err(invalid(at, format!("\"{key}\" must be a list"))),
    }
}

fn get_url(o: &Map<String, Value>, key: &str, at: &Location) -> Result<Url, ScenarioError> {
    let s = get_str(o, key, at)?;
    Url::parse(s).map_err(|e| invalid(at, format!("\"{key}\": bad URL {s:?}: {e}")))
}

fn step_context(o: &Map<String, Value>, at: &Location) -> Result<StepContext, ScenarioError> {
    let from = match o.get("from") {
        None | Some(Value::Null) => None,
        Some(_) => Some(get_url(o, "from", at)?),
    };
    let navigation = match o.get("navigation") {
        None | Some(Value::Null) => from.is_none(),
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(invalid(at, "\"navigation\" must be true or false")),
    };
    let method = opt_str(o, "method", at)?.unwrap_or_else(|| "GET".to_owned());
    Ok(StepContext {
        from,
        navigation,
        method,
    })
}

fn recorded(o: &Map<String, Value>, at: &Location) -> Result<Recorded, ScenarioError> {
    Ok(Recorded {
        chromium: opt_str(o, "chromium", at)?,
        chromium_request: opt_str(o, "chromium_request", at)?,
        firefox_request: opt_str(o, "firefox_request", at)?,
    })
}

/// The step kinds, each with the keys it may carry.
const KINDS: &[(&str, &[&str])] = &[
    ("set", SET_KEYS),
    ("get", GET_KEYS),
    ("redirect", REDIRECT_KEYS),
    ("script_set", SCRIPT_SET_KEYS),
    ("script_get", SCRIPT_GET_KEYS),
    ("wait", WAIT_KEYS),
    ("end_session", END_SESSION_KEYS),
];

fn parse_step(v: &Value, at: &Location) -> Result<Step, ScenarioError> {
    let o = v
        .as_object()
        .ok_or_else(|| invalid(at, "a step must be an object"))?;
    // The first kind key present names the step; any other kind key is then unknown to it.
    let Some(&(kind, keys)) = KINDS.iter().find(|(k, _)| o.contains_key(*k)) else {
        return Err(invalid(
            at,
            "unknown step (set, get, redirect, script_set, script_get, wait, end_session)",
        ));
    };
    check_keys(o, keys, kind, at)?;
    let headers = |required: bool| -> Result<Vec<String>, ScenarioError> {
        match o.get("headers") {
            None if !required => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .map(|h| h.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid(at, "\"headers\" must hold strings")),
            _ => Err(invalid(at, format!("\"{kind}\" needs a \"headers\" list"))),
        }
    };
    match kind {
        "redirect" => {
            let status = o
                .get("status")
                .and_then(Value::as_u64)
                .filter(|s| matches!(s, 301 | 302 | 303 | 307 | 308))
                .ok_or_else(|| {
                    invalid(
                        at,
                        "\"status\" must be a redirect: 301, 302, 303, 307 or 308",
                    )
                })?;
            Ok(Step::Redirect {
                url: get_url(o, "redirect", at)?,
                // One of five small numbers, by the filter above.
                status: u16::try_from(status).unwrap_or(302),
                expect: opt_str(o, "expect", at)?,
                headers: headers(false)?,
            })
        }
        "set" => {
            let headers = headers(true)?;
            Ok(Step::Set {
                url: get_url(o, "set", at)?,
                headers,
                ctx: step_context(o, at)?,
                recorded: recorded(o, at)?,
            })
        }
        "get" => Ok(Step::Get {
            url: get_url(o, "get", at)?,
            expect: opt_str(o, "expect", at)?,
            ctx: step_context(o, at)?,
            recorded: recorded(o, at)?,
        }),
        "script_set" => Ok(Step::ScriptSet {
            page: get_url(o, "script_set", at)?,
            value: get_str(o, "value", at)?.to_owned(),
        }),
        "script_get" => Ok(Step::ScriptGet {
            page: get_url(o, "script_get", at)?,
            expect: opt_str(o, "expect", at)?,
            recorded: recorded(o, at)?,
        }),
        "wait" => {
            let secs = o
                .get("wait")
                .and_then(Value::as_f64)
                .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
                .ok_or_else(|| invalid(at, "\"wait\" must be a number of seconds, 0 or more"))?;
            // In range by the filter above, so the conversion is exact enough and cannot
            // overflow.
            #[allow(clippy::cast_possible_truncation)]
            Ok(Step::Wait((secs * 1e6).round() as i64))
        }
        _ => match o.get("end_session") {
            Some(Value::Bool(true)) => Ok(Step::EndSession),
            _ => Err(invalid(at, "\"end_session\" must be true")),
        },
    }
}

fn parse_case(v: &Value, index: usize) -> Result<Case, ScenarioError> {
    let at0 = Location::case(CaseRef::Index(index));
    let o = v
        .as_object()
        .ok_or_else(|| invalid(&at0, "a case must be an object"))?;
    let id = get_str(o, "id", &at0)?.to_owned();
    let at = Location::case(CaseRef::Id(id.clone()));
    check_keys(o, CASE_KEYS, "case", &at)?;
    let now = opt_str(o, "now", &at)?;
    let now = now.as_deref().unwrap_or(DEFAULT_NOW);
    let now =
        parse_time(now).ok_or_else(|| invalid(&at, format!("\"now\" is not RFC 3339: {now:?}")))?;
    let profile = parse_profile(o.get("profile"), &at)?;
    let steps = o
        .get("steps")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(&at, "\"steps\" must be a list"))?
        .iter()
        .enumerate()
        .map(|(i, s)| parse_step(s, &at.step(i)))
        .collect::<Result<Vec<_>, _>>()?;
    for (i, pair) in steps.windows(2).enumerate() {
        if let [before, Step::Redirect { .. }] = pair {
            if !matches!(
                before,
                Step::Set { .. } | Step::Get { .. } | Step::Redirect { .. }
            ) {
                return Err(invalid(
                    &at.step(i + 1),
                    "a \"redirect\" continues the request of the step before it (set, get or redirect)",
                ));
            }
        }
    }
    if let Some(Step::Redirect { .. }) = steps.first() {
        return Err(invalid(
            &at.step(0),
            "a \"redirect\" continues the request of the step before it (set, get or redirect)",
        ));
    }
    let info = CaseInfo {
        source: opt_str(o, "source", &at)?,
        name: opt_str(o, "name", &at)?,
        category: opt_str(o, "category", &at)?,
        note: opt_str(o, "note", &at)?,
        oracle_skip: opt_str(o, "oracle_skip", &at)?,
        chromium_store: opt_list(o, "chromium_store", &at)?,
        firefox_store: opt_list(o, "firefox_store", &at)?,
    };
    Ok(Case {
        id,
        now,
        profile,
        steps,
        info,
    })
}

impl ScenarioFile {
    /// Reads a scenario file: an object with `format` and `cases`, or a bare list of cases
    /// (which has no place for a `format` and is read as this version).
    ///
    /// Strict: a file object without `format` or with another one, a key the format does not
    /// define (in the file, a case or a step), or a value of the wrong type is an error that
    /// names the case and step.
    pub fn from_json(bytes: &[u8]) -> Result<Self, ScenarioError> {
        let v: Value =
            serde_json::from_slice(bytes).map_err(|e| ScenarioError::Json(e.to_string()))?;
        let at = Location::FILE;
        let (origin, profile, info, cases) = match &v {
            Value::Array(cases) => (None, None, FileInfo::default(), cases),
            Value::Object(o) => {
                check_format(o.get("format"))?;
                check_keys(o, FILE_KEYS, "file", &at)?;
                let cases = o
                    .get("cases")
                    .and_then(Value::as_array)
                    .ok_or_else(|| invalid(&at, "\"cases\" must be a list"))?;
                let firefox_prefs = match o.get("firefox_prefs") {
                    None | Some(Value::Null) => None,
                    Some(Value::Object(p)) => Some(p.clone()),
                    Some(_) => return Err(invalid(&at, "\"firefox_prefs\" must be an object")),
                };
                let info = FileInfo {
                    chromium_version: opt_str(o, "chromium_version", &at)?,
                    firefox_version: opt_str(o, "firefox_version", &at)?,
                    firefox_prefs,
                };
                (
                    opt_str(o, "origin", &at)?,
                    parse_profile(o.get("profile"), &at)?,
                    info,
                    cases,
                )
            }
            _ => return Err(invalid(&at, "a scenario file is an object or a list")),
        };
        let cases = cases
            .iter()
            .enumerate()
            .map(|(i, c)| parse_case(c, i))
            .collect::<Result<_, _>>()?;
        Ok(ScenarioFile {
            origin,
            profile,
            cases,
            info,
        })
    }
}

/// What one step produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StepResult {
    /// The step's index in the case.
    pub step: usize,
    /// `set`, `get`, `script_set`, `script_get`, `wait` or `end_session`.
    pub kind: &'static str,
    /// For reads: the header produced (`""` when none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub got: Option<String>,
    /// For reads: what was expected, if anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expect: Option<String>,
    /// For writes: the outcome of each line (`Inserted`, or the rejection reason).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub outcomes: Vec<String>,
}

impl StepResult {
    /// True unless the step had an expectation it did not meet.
    pub fn ok(&self) -> bool {
        match (&self.expect, &self.got) {
            (Some(e), Some(g)) => e == g,
            _ => true,
        }
    }
}

/// What one case produced.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Every step met its expectation.
    pub passed: bool,
    /// Per step.
    pub steps: Vec<StepResult>,
}

impl CaseResult {
    /// The first failing step.
    pub fn first_failure(&self) -> Option<&StepResult> {
        self.steps.iter().find(|s| !s.ok())
    }
}

/// The results of a file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Report {
    /// Per case, in file order.
    pub cases: Vec<CaseResult>,
}

impl Report {
    /// Cases that passed.
    pub fn passed(&self) -> usize {
        self.cases.iter().filter(|c| c.passed).count()
    }
    /// Cases that failed.
    pub fn failed(&self) -> usize {
        self.cases.len() - self.passed()
    }
}

/// A jar with the policy a case runs under: the override, else the case's, else the file's.
pub fn jar_for(
    case: &Case,
    file_profile: Option<Profile>,
    override_profile: Option<Profile>,
) -> CookieJar {
    let profile = override_profile
        .or(case.profile)
        .or(file_profile)
        .unwrap_or(Profile::Standard);
    CookieJar::with_policy(Policy::for_profile(profile))
}

/// Replays one case in a fresh jar.
pub fn run_case(case: &Case, jar: &mut CookieJar) -> CaseResult {
    let mut now = case.now;
    let mut steps = Vec::with_capacity(case.steps.len());
    let mut requests = Requests::default();
    for (i, step) in case.steps.iter().enumerate() {
        let request = requests.next(step);
        let mut r = StepResult {
            step: i,
            kind: "",
            got: None,
            expect: None,
            outcomes: Vec::new(),
        };
        match step {
            Step::Set { headers, .. } => {
                r.kind = "set";
                // A set step always makes its request.
                let Some(rc) = request.map(StepRequest::request) else {
                    steps.push(r);
                    continue;
                };
                for h in headers {
                    r.outcomes
                        .push(match jar.set_cookie(h.as_bytes(), &rc, now) {
                            Ok(o) => format!("{o:?}"),
                            Err(e) => format!("rejected: {e}"),
                        });
                }
            }
            Step::Get { expect, .. } | Step::Redirect { expect, .. } => {
                r.kind = step.kind();
                r.expect.clone_from(expect);
                // A redirect with no request before it (only a case built in code can hold
                // one: the reader refuses it) makes no request and fails its expectation.
                let Some(rc) = request.map(StepRequest::request) else {
                    r.got = Some("(no request to redirect)".to_owned());
                    steps.push(r);
                    continue;
                };
                r.got = Some(jar.cookie_header(&rc, now).unwrap_or_default());
                if let Step::Redirect { headers, .. } = step {
                    for h in headers {
                        r.outcomes
                            .push(match jar.set_cookie(h.as_bytes(), &rc, now) {
                                Ok(o) => format!("{o:?}"),
                                Err(e) => format!("rejected: {e}"),
                            });
                    }
                }
            }
            Step::ScriptSet { page, value } => {
                r.kind = "script_set";
                r.outcomes.push(
                    match jar.set_cookie(value.as_bytes(), &RequestContext::script(page), now) {
                        Ok(o) => format!("{o:?}"),
                        Err(e) => format!("rejected: {e}"),
                    },
                );
            }
            Step::ScriptGet { page, expect, .. } => {
                r.kind = "script_get";
                r.got = Some(
                    jar.cookie_header(&RequestContext::script(page), now)
                        .unwrap_or_default(),
                );
                r.expect.clone_from(expect);
            }
            Step::Wait(us) => {
                r.kind = "wait";
                now = now.plus_micros(*us);
            }
            Step::EndSession => {
                r.kind = "end_session";
                jar.end_session();
            }
        }
        steps.push(r);
    }
    CaseResult {
        id: case.id.clone(),
        passed: steps.iter().all(StepResult::ok),
        steps,
    }
}

/// Replays every case of a file, each in a fresh jar.
pub fn run_file(file: &ScenarioFile, override_profile: Option<Profile>) -> Report {
    let cases = file
        .cases
        .iter()
        .map(|case| run_case(case, &mut jar_for(case, file.profile, override_profile)))
        .collect();
    Report { cases }
}

/// Replays `case` up to step `step` (exclusive), then explains that step: for a read, every
/// candidate cookie of the request's site and whether it is sent (or why not); for a write,
/// the outcome or rejection reason of each line. Returns one line per item.
pub fn explain_step(
    case: &Case,
    jar: &mut CookieJar,
    step: usize,
) -> Result<Vec<String>, ScenarioError> {
    let target = case.steps.get(step).ok_or_else(|| {
        invalid(
            &Location::case(CaseRef::Id(case.id.clone())),
            format!(
                "has no step {step} (steps are numbered from 0; it has {})",
                case.steps.len()
            ),
        )
    })?;
    let prefix = Case {
        steps: case.steps.iter().take(step).cloned().collect(),
        ..case.clone()
    };
    run_case(&prefix, jar);
    let now = prefix.steps.iter().fold(case.now, |t, s| match s {
        Step::Wait(us) => t.plus_micros(*us),
        _ => t,
    });
    let describe = |e: &Explanation| {
        let c = &e.cookie;
        let verdict = match e.verdict {
            Ok(()) => "included".to_owned(),
            Err(x) => format!("excluded: {x}"),
        };
        format!(
            "{}={}  domain={}{} path={}{}{} samesite={:?}  -> {verdict}",
            c.name_str(),
            c.value_str(),
            if c.host_only() { "" } else { "." },
            c.domain(),
            c.path(),
            if c.secure() { " Secure" } else { "" },
            if c.http_only() { " HttpOnly" } else { "" },
            c.same_site(),
        )
    };
    // The target's request, its redirect chain built from the steps before it.
    let mut requests = Requests::default();
    let mut request = None;
    for s in case.steps.iter().take(step + 1) {
        request = requests.next(s).cloned();
    }
    let mut lines = Vec::new();
    let set_lines = |lines: &mut Vec<String>,
                     jar: &mut CookieJar,
                     rc: &RequestContext<'_>,
                     headers: &[String]| {
        for h in headers {
            let r = jar.set_cookie(h.as_bytes(), rc, now);
            lines.push(format!(
                "{h:?} -> {}",
                r.map_or_else(|e| format!("rejected: {e}"), |o| format!("{o:?}"))
            ));
        }
    };
    match (target, &request) {
        (Step::Get { .. } | Step::Redirect { .. }, Some(request)) => {
            let rc = request.request();
            if !request.chain.is_empty() {
                let chain: Vec<&str> = request.chain.iter().map(Url::as_str).collect();
                lines.push(format!(
                    "{} {} after {}",
                    request.ctx.method,
                    request.url,
                    chain.join(" -> ")
                ));
            }
            lines.extend(jar.explain(&rc, now).iter().map(describe));
            lines.push(format!(
                "Cookie: {}",
                jar.cookie_header(&rc, now).unwrap_or_default()
            ));
            if let Step::Redirect { headers, .. } = target {
                set_lines(&mut lines, jar, &rc, headers);
            }
        }
        (Step::ScriptGet { page, .. }, _) => {
            let rc = RequestContext::script(page);
            lines.extend(jar.explain(&rc, now).iter().map(describe));
            lines.push(format!(
                "document.cookie: {}",
                jar.cookie_header(&rc, now).unwrap_or_default()
            ));
        }
        (Step::Set { headers, .. }, Some(request)) => {
            set_lines(&mut lines, jar, &request.request(), headers);
        }
        (Step::ScriptSet { page, value }, _) => {
            let r = jar.set_cookie(value.as_bytes(), &RequestContext::script(page), now);
            lines.push(format!(
                "{value:?} -> {}",
                r.map_or_else(|e| format!("rejected: {e}"), |o| format!("{o:?}"))
            ));
        }
        _ => lines.push("(nothing to explain)".to_owned()),
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Result<ScenarioFile, ScenarioError> {
        ScenarioFile::from_json(json.as_bytes())
    }

    /// A file of version 1 holding `cases` (a JSON list, as text).
    fn v1(cases: &str) -> String {
        format!(r#"{{"format": "cookie scenarios v1", "cases": {cases}}}"#)
    }

    fn at(id: &str, step: Option<usize>) -> Location {
        Location {
            case: Some(CaseRef::Id(id.to_owned())),
            step,
        }
    }

    #[test]
    fn a_redirect_continues_the_request_before_it() {
        let f = read(&v1(r#"[{"id": "r", "steps": [
            {"get": "https://a.example/login", "from": "https://b.example/", "navigation": true, "method": "POST"},
            {"redirect": "https://a.example/next", "status": 303},
            {"redirect": "https://c.example/x", "status": 307, "headers": ["k=v"], "expect": ""}
        ]}]"#))
        .unwrap();
        let mut requests = Requests::default();
        let steps = &f.cases[0].steps;
        let r0 = requests.next(&steps[0]).cloned().unwrap();
        assert!(r0.chain.is_empty());
        assert_eq!(r0.ctx.method, "POST");
        let r1 = requests.next(&steps[1]).cloned().unwrap();
        assert_eq!(r1.ctx.method, "GET", "303 turns POST into GET");
        assert_eq!(
            r1.ctx.from.as_ref().map(Url::as_str),
            Some("https://b.example/")
        );
        assert!(r1.ctx.navigation);
        assert_eq!(
            r1.chain,
            vec![Url::parse("https://a.example/login").unwrap()]
        );
        let r2 = requests.next(&steps[2]).cloned().unwrap();
        assert_eq!(r2.ctx.method, "GET", "307 keeps the method");
        assert_eq!(r2.chain.len(), 2);
        assert_eq!(r2.url.as_str(), "https://c.example/x");
        assert!(
            matches!(&steps[2], Step::Redirect { headers, expect: Some(e), status: 307, .. }
            if headers == &["k=v".to_owned()] && e.is_empty())
        );
    }

    #[test]
    fn redirect_methods_follow_fetch() {
        assert_eq!(redirect_method(301, "POST"), "GET");
        assert_eq!(redirect_method(302, "post"), "GET");
        assert_eq!(redirect_method(302, "PUT"), "PUT");
        assert_eq!(redirect_method(303, "PUT"), "GET");
        assert_eq!(redirect_method(303, "HEAD"), "HEAD");
        assert_eq!(redirect_method(307, "POST"), "POST");
        assert_eq!(redirect_method(308, "DELETE"), "DELETE");
    }

    #[test]
    fn a_redirect_without_a_request_before_it_is_refused() {
        for (steps, bad) in [
            (r#"[{"redirect": "https://a.example/", "status": 302}]"#, 0),
            (
                r#"[{"get": "https://a.example/"}, {"wait": 1}, {"redirect": "https://a.example/", "status": 302}]"#,
                2,
            ),
            (
                r#"[{"script_set": "https://a.example/", "value": "a=b"}, {"redirect": "https://a.example/", "status": 302}]"#,
                1,
            ),
        ] {
            let e = read(&v1(&format!(r#"[{{"id": "r", "steps": {steps}}}]"#))).unwrap_err();
            match e {
                ScenarioError::Invalid { at: l, what } => {
                    assert_eq!(l, at("r", Some(bad)));
                    assert!(what.contains("continues the request"), "{what}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_redirect_needs_a_redirect_status_and_no_context_of_its_own() {
        for status in ["200", "304", "\"302\"", "null"] {
            let json = format!(
                r#"[{{"id": "r", "steps": [{{"get": "https://a.example/"}}, {{"redirect": "https://a.example/b", "status": {status}}}]}}]"#
            );
            assert!(read(&v1(&json)).is_err(), "status {status}");
        }
        let json = r#"[{"id": "r", "steps": [{"get": "https://a.example/"}, {"redirect": "https://a.example/b", "status": 302, "from": "https://x.example/"}]}]"#;
        assert!(matches!(
            read(&v1(json)),
            Err(ScenarioError::UnknownKey { .. })
        ));
    }

    #[test]
    fn a_file_object_without_format_is_an_error() {
        let e = read(r#"{"cases": []}"#).unwrap_err();
        assert_eq!(e, ScenarioError::MissingFormat);
        assert!(e.to_string().contains("no \"format\""), "{e}");
    }

    #[test]
    fn another_format_or_version_is_an_error() {
        for (format, shown) in [
            (r#""cookie scenarios v2""#, "cookie scenarios v2"),
            (r#""cookie scenarios v10""#, "cookie scenarios v10"),
            (r#""cookie scenarios v1.1""#, "cookie scenarios v1.1"),
            (r#""cookie scenarios""#, "cookie scenarios"),
            (r#""Cookie Scenarios v1""#, "Cookie Scenarios v1"),
            (
                r#""cookie scenarios v1 (unclosed""#,
                "cookie scenarios v1 (unclosed",
            ),
            ("1", "1"),
            ("null", "null"),
        ] {
            let e = read(&format!(r#"{{"format": {format}, "cases": []}}"#)).unwrap_err();
            assert_eq!(
                e,
                ScenarioError::UnknownFormat(shown.to_owned()),
                "{format}"
            );
            assert!(e.to_string().contains("unknown \"format\""), "{e}");
        }
    }

    #[test]
    fn version_one_reads_with_or_without_a_remark_and_a_bare_list_reads() {
        for format in [
            "cookie scenarios v1",
            "cookie scenarios v1 (see SCENARIOS.md)",
        ] {
            let f = read(&format!(r#"{{"format": "{format}", "cases": []}}"#)).unwrap();
            assert!(f.cases.is_empty());
        }
        let f = read(r#"[{"id": "a", "steps": []}]"#).unwrap();
        assert_eq!(f.cases.len(), 1);
    }

    #[test]
    fn an_unknown_key_in_a_step_names_the_case_and_step() {
        let e = read(&v1(r#"[{"id": "c/1", "steps": [
            {"set": "https://a.example/", "headers": ["a=1"]},
            {"get": "https://a.example/", "expcet": "a=1"}]}]"#))
        .unwrap_err();
        assert_eq!(
            e,
            ScenarioError::UnknownKey {
                at: at("c/1", Some(1)),
                within: "get",
                key: "expcet".to_owned(),
                known: GET_KEYS,
            }
        );
        let shown = e.to_string();
        assert!(
            shown.starts_with(r#"case "c/1" step 1: unknown key "expcet" in a get step"#),
            "{shown}"
        );
    }

    #[test]
    fn a_key_of_another_step_kind_is_unknown() {
        // Two kinds in one step: the second is not a key of the first.
        let e = read(&v1(r#"[{"id": "c", "steps": [
            {"set": "https://a.example/", "headers": [], "get": "https://a.example/"}]}]"#))
        .unwrap_err();
        assert!(
            matches!(&e, ScenarioError::UnknownKey { within: "set", key, .. } if key == "get"),
            "{e:?}"
        );
        // `chromium` (a recorded answer) belongs to reads, not to writes.
        let e = read(&v1(r#"[{"id": "c", "steps": [
            {"script_set": "https://a.example/", "value": "a=1", "chromium": "a=1"}]}]"#))
        .unwrap_err();
        assert!(
            matches!(&e, ScenarioError::UnknownKey { at: l, within: "script_set", key, .. }
                if key == "chromium" && *l == at("c", Some(0))),
            "{e:?}"
        );
        let e = read(&v1(
            r#"[{"id": "c", "steps": [{"wait": 1, "expect": ""}]}]"#,
        ))
        .unwrap_err();
        assert!(
            matches!(&e, ScenarioError::UnknownKey { within: "wait", .. }),
            "{e:?}"
        );
    }

    #[test]
    fn an_unknown_key_in_a_case_names_the_case() {
        let e = read(&v1(
            r#"[{"id": "ok", "steps": []}, {"id": "c/2", "stpes": [], "steps": []}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            e,
            ScenarioError::UnknownKey {
                at: at("c/2", None),
                within: "case",
                key: "stpes".to_owned(),
                known: CASE_KEYS,
            }
        );
        assert!(
            e.to_string()
                .starts_with(r#"case "c/2": unknown key "stpes" in a case"#),
            "{e}"
        );
        // Without an id, the case is named by its index.
        let e = read(&v1(r#"[{"id": "ok", "steps": []}, {"steps": []}]"#)).unwrap_err();
        assert_eq!(e.to_string(), "case 1: \"id\" must be a string");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_an_error() {
        let e = read(r#"{"format": "cookie scenarios v1", "cases": [], "profiel": "firefox"}"#)
            .unwrap_err();
        assert!(
            matches!(&e, ScenarioError::UnknownKey { at, within: "file", key, .. }
                if key == "profiel" && *at == Location::FILE),
            "{e:?}"
        );
        assert!(
            e.to_string().starts_with("file: unknown key \"profiel\""),
            "{e}"
        );
    }

    #[test]
    fn a_wrong_type_names_the_case_and_step() {
        let e = read(&v1(r#"[{"id": "c", "steps": [{"end_session": false}]}]"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "case \"c\" step 0: \"end_session\" must be true"
        );
        let e = read(&v1(
            r#"[{"id": "c", "steps": [{"get": "https://a.example/", "chromium": 1}]}]"#,
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "case \"c\" step 0: \"chromium\" must be a string"
        );
        let e = read(&v1(r#"[{"id": "c", "chromium_store": {}, "steps": []}]"#)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "case \"c\": \"chromium_store\" must be a list"
        );
        let e = read(&v1(r#"[{"id": "c", "note": 3, "steps": []}]"#)).unwrap_err();
        assert_eq!(e.to_string(), "case \"c\": \"note\" must be a string");
    }

    #[test]
    fn the_recorded_keys_are_read() {
        let f = read(
            r#"{"format": "cookie scenarios v1", "origin": "o", "profile": "chromium",
                "chromium_version": "Chrome/156", "firefox_version": "Firefox 153",
                "firefox_prefs": {"p": 1}, "cases": [
              {"id": "c", "source": "s.html", "name": "n", "category": "path", "note": "x",
               "oracle_skip": "why", "chromium_store": [{"name": "a"}], "firefox_store": [],
               "now": "2026-11-22T22:40:00.25Z", "steps": [
                 {"set": "https://a.example/", "headers": ["a=1"], "chromium_request": "a.example /",
                  "firefox_request": "a.example /"},
                 {"get": "https://a.example/", "expect": "a=1", "chromium": "a=1"},
                 {"script_get": "https://a.example/", "chromium": "a=1"}]}]}"#,
        )
        .unwrap();
        assert_eq!(f.info.chromium_version.as_deref(), Some("Chrome/156"));
        assert_eq!(f.info.firefox_version.as_deref(), Some("Firefox 153"));
        assert!(f.info.firefox_prefs.is_some());
        let c = &f.cases[0];
        assert_eq!(c.info.category.as_deref(), Some("path"));
        assert_eq!(c.info.oracle_skip.as_deref(), Some("why"));
        assert_eq!(c.info.chromium_store.as_ref().map(Vec::len), Some(1));
        assert_eq!(c.info.firefox_store.as_ref().map(Vec::len), Some(0));
        assert_eq!(
            c.now,
            Timestamp::from_unix_seconds(1_795_387_200).plus_micros(250_000)
        );
        match &c.steps[..] {
            [Step::Set { recorded: s, .. }, Step::Get { recorded: g, .. }, Step::ScriptGet { recorded: sg, .. }] =>
            {
                assert_eq!(s.chromium_request.as_deref(), Some("a.example /"));
                assert_eq!(s.firefox_request.as_deref(), Some("a.example /"));
                assert_eq!(g.chromium.as_deref(), Some("a=1"));
                assert_eq!(sg.chromium.as_deref(), Some("a=1"));
            }
            other => panic!("{other:?}"),
        }
        // Recorded answers are information: the runner checks `expect` only.
        assert_eq!(run_file(&f, None).failed(), 0);
    }

    #[test]
    fn explaining_a_step_past_the_end_says_how_steps_are_numbered() {
        let f = read(&v1(r#"[{"id": "c", "steps": [{"wait": 1}]}]"#)).unwrap();
        let case = &f.cases[0];
        let mut jar = jar_for(case, None, None);
        let e = explain_step(case, &mut jar, 1).unwrap_err();
        assert!(
            e.to_string()
                .contains("has no step 1 (steps are numbered from 0"),
            "{e}"
        );
    }
}

//! The replay format of the project's `SCENARIOS.md`: short stories of what a browser sees
//! (responses that set cookies, scripts, time passing, requests whose `Cookie` header is
//! checked), and a runner that replays them through a [`CookieJar`].
//!
//! ```
//! use cookiejar::scenario::{ScenarioFile, run_file};
//! let json = r#"{"format": "cookie scenarios v1", "cases": [{"id": "t1", "steps": [
//!     {"set": "https://a.example/", "headers": ["x=1"]},
//!     {"get": "https://a.example/", "expect": "x=1"}]}]}"#;
//! let file = ScenarioFile::from_json(json.as_bytes()).unwrap();
//! let report = run_file(&file, None);
//! assert_eq!((report.passed(), report.failed()), (1, 0));
//! ```

use crate::cookie::Timestamp;
use crate::jar::CookieJar;
use crate::policy::{Policy, Profile};
use crate::rules::context::RequestContext;
use serde_json::Value;
use std::fmt;
use url::Url;

/// The clock at a case's first step when it names none.
pub const DEFAULT_NOW: &str = "2026-01-01T00:00:00Z";

/// Why a scenario file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScenarioError {
    /// Not JSON.
    Json(String),
    /// JSON, but not the scenario format: where, and what is wrong.
    Format {
        /// Where: a case id or index and a step index.
        at: String,
        /// What is wrong.
        what: String,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Json(e) => write!(f, "not JSON: {e}"),
            ScenarioError::Format { at, what } => write!(f, "{at}: {what}"),
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
    },
    /// A request for `url`; `expect` is its exact `Cookie` header (`""`: none).
    Get {
        /// The request URL.
        url: Url,
        /// The expected header, if checked.
        expect: Option<String>,
        /// The request context.
        ctx: StepContext,
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
    },
    /// The clock moves forward (microseconds).
    Wait(i64),
    /// The browser restarts.
    EndSession,
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
}

fn format_err(at: impl Into<String>, what: impl Into<String>) -> ScenarioError {
    ScenarioError::Format {
        at: at.into(),
        what: what.into(),
    }
}

fn parse_time(s: &str) -> Option<Timestamp> {
    let t = time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1000)
        .ok()
        .map(Timestamp::from_unix_micros)
}

fn parse_profile(v: Option<&Value>, at: &str) -> Result<Option<Profile>, ScenarioError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => s
            .parse()
            .map(Some)
            .map_err(|e: crate::UnknownProfile| format_err(at, e.to_string())),
        Some(_) => Err(format_err(at, "\"profile\" must be a string")),
    }
}

fn get_str<'v>(
    o: &'v serde_json::Map<String, Value>,
    key: &str,
    at: &str,
) -> Result<&'v str, ScenarioError> {
    o.get(key)
        .and_then(Value::as_str)
        .ok_or_else(|| format_err(at, format!("\"{key}\" must be a string")))
}

fn get_url(o: &serde_json::Map<String, Value>, key: &str, at: &str) -> Result<Url, ScenarioError> {
    let s = get_str(o, key, at)?;
    Url::parse(s).map_err(|e| format_err(at, format!("\"{key}\": bad URL {s:?}: {e}")))
}

fn opt_expect(
    o: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<Option<String>, ScenarioError> {
    match o.get("expect") {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format_err(at, "\"expect\" must be a string")),
    }
}

fn step_context(
    o: &serde_json::Map<String, Value>,
    at: &str,
) -> Result<StepContext, ScenarioError> {
    let from = match o.get("from") {
        None | Some(Value::Null) => None,
        Some(_) => Some(get_url(o, "from", at)?),
    };
    let navigation = match o.get("navigation") {
        None | Some(Value::Null) => from.is_none(),
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(format_err(at, "\"navigation\" must be true or false")),
    };
    let method = match o.get("method") {
        None | Some(Value::Null) => "GET".to_owned(),
        Some(_) => get_str(o, "method", at)?.to_owned(),
    };
    Ok(StepContext {
        from,
        navigation,
        method,
    })
}

fn parse_step(v: &Value, at: &str) -> Result<Step, ScenarioError> {
    let o = v
        .as_object()
        .ok_or_else(|| format_err(at, "a step must be an object"))?;
    if o.contains_key("set") {
        let headers = o
            .get("headers")
            .and_then(Value::as_array)
            .ok_or_else(|| format_err(at, "\"set\" needs a \"headers\" list"))?
            .iter()
            .map(|h| h.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format_err(at, "\"headers\" must hold strings"))?;
        Ok(Step::Set {
            url: get_url(o, "set", at)?,
            headers,
            ctx: step_context(o, at)?,
        })
    } else if o.contains_key("get") {
        Ok(Step::Get {
            url: get_url(o, "get", at)?,
            expect: opt_expect(o, at)?,
            ctx: step_context(o, at)?,
        })
    } else if o.contains_key("script_set") {
        Ok(Step::ScriptSet {
            page: get_url(o, "script_set", at)?,
            value: get_str(o, "value", at)?.to_owned(),
        })
    } else if o.contains_key("script_get") {
        Ok(Step::ScriptGet {
            page: get_url(o, "script_get", at)?,
            expect: opt_expect(o, at)?,
        })
    } else if let Some(w) = o.get("wait") {
        let secs = w
            .as_f64()
            .filter(|s| s.is_finite() && *s >= 0.0 && *s < 1e12)
            .ok_or_else(|| format_err(at, "\"wait\" must be a number of seconds, 0 or more"))?;
        // In range by the filter above, so the conversion is exact enough and cannot overflow.
        #[allow(clippy::cast_possible_truncation)]
        Ok(Step::Wait((secs * 1e6).round() as i64))
    } else if o.contains_key("end_session") {
        Ok(Step::EndSession)
    } else {
        Err(format_err(
            at,
            "unknown step (set, get, script_set, script_get, wait, end_session)",
        ))
    }
}

fn parse_case(v: &Value, index: usize) -> Result<Case, ScenarioError> {
    let at0 = format!("case {index}");
    let o = v
        .as_object()
        .ok_or_else(|| format_err(&at0, "a case must be an object"))?;
    let id = get_str(o, "id", &at0)?.to_owned();
    let at = format!("case {id:?}");
    let now = match o.get("now") {
        None | Some(Value::Null) => DEFAULT_NOW,
        Some(_) => get_str(o, "now", &at)?,
    };
    let now = parse_time(now)
        .ok_or_else(|| format_err(&at, format!("\"now\" is not RFC 3339: {now:?}")))?;
    let profile = parse_profile(o.get("profile"), &at)?;
    let steps = o
        .get("steps")
        .and_then(Value::as_array)
        .ok_or_else(|| format_err(&at, "\"steps\" must be a list"))?
        .iter()
        .enumerate()
        .map(|(i, s)| parse_step(s, &format!("{at} step {i}")))
        .collect::<Result<_, _>>()?;
    Ok(Case {
        id,
        now,
        profile,
        steps,
    })
}

impl ScenarioFile {
    /// Reads a scenario file (an object with `cases`, or a bare list of cases).
    pub fn from_json(bytes: &[u8]) -> Result<Self, ScenarioError> {
        let v: Value =
            serde_json::from_slice(bytes).map_err(|e| ScenarioError::Json(e.to_string()))?;
        let (origin, profile, cases) = match &v {
            Value::Array(cases) => (None, None, cases),
            Value::Object(o) => {
                let cases = o
                    .get("cases")
                    .and_then(Value::as_array)
                    .ok_or_else(|| format_err("file", "\"cases\" must be a list"))?;
                let origin = o.get("origin").and_then(Value::as_str).map(str::to_owned);
                (origin, parse_profile(o.get("profile"), "file")?, cases)
            }
            _ => return Err(format_err("file", "a scenario file is an object or a list")),
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
    for (i, step) in case.steps.iter().enumerate() {
        let mut r = StepResult {
            step: i,
            kind: "",
            got: None,
            expect: None,
            outcomes: Vec::new(),
        };
        match step {
            Step::Set { url, headers, ctx } => {
                r.kind = "set";
                let rc = ctx.request(url);
                for h in headers {
                    r.outcomes
                        .push(match jar.set_cookie(h.as_bytes(), &rc, now) {
                            Ok(o) => format!("{o:?}"),
                            Err(e) => format!("rejected: {e}"),
                        });
                }
            }
            Step::Get { url, expect, ctx } => {
                r.kind = "get";
                r.got = Some(
                    jar.cookie_header(&ctx.request(url), now)
                        .unwrap_or_default(),
                );
                r.expect.clone_from(expect);
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
            Step::ScriptGet { page, expect } => {
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
    let target = case
        .steps
        .get(step)
        .ok_or_else(|| format_err(format!("case {:?}", case.id), format!("has no step {step}")))?;
    let prefix = Case {
        steps: case.steps.iter().take(step).cloned().collect(),
        ..case.clone()
    };
    run_case(&prefix, jar);
    let now = prefix.steps.iter().fold(case.now, |t, s| match s {
        Step::Wait(us) => t.plus_micros(*us),
        _ => t,
    });
    let describe = |e: &crate::Explanation| {
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
    let mut lines = Vec::new();
    match target {
        Step::Get { url, ctx, .. } => {
            let rc = ctx.request(url);
            lines.extend(jar.explain(&rc, now).iter().map(describe));
            lines.push(format!(
                "Cookie: {}",
                jar.cookie_header(&rc, now).unwrap_or_default()
            ));
        }
        Step::ScriptGet { page, .. } => {
            let rc = RequestContext::script(page);
            lines.extend(jar.explain(&rc, now).iter().map(describe));
            lines.push(format!(
                "document.cookie: {}",
                jar.cookie_header(&rc, now).unwrap_or_default()
            ));
        }
        Step::Set { url, headers, ctx } => {
            let rc = ctx.request(url);
            for h in headers {
                let r = jar.set_cookie(h.as_bytes(), &rc, now);
                lines.push(format!(
                    "{h:?} -> {}",
                    r.map_or_else(|e| format!("rejected: {e}"), |o| format!("{o:?}"))
                ));
            }
        }
        Step::ScriptSet { page, value } => {
            let r = jar.set_cookie(value.as_bytes(), &RequestContext::script(page), now);
            lines.push(format!(
                "{value:?} -> {}",
                r.map_or_else(|e| format!("rejected: {e}"), |o| format!("{o:?}"))
            ));
        }
        Step::Wait(_) | Step::EndSession => lines.push("(nothing to explain)".to_owned()),
    }
    Ok(lines)
}

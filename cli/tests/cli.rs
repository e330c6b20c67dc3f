//! The `cookiejar` binary, run for real on small scenario files (`wpt-tests/SCENARIOS.md`).

use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A scenario file in the temp directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cookiejar-cli-test-{}-{}.json",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&path, contents).expect("write temp scenario");
        TempFile(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .args(args)
        .output()
        .expect("run the cookiejar binary")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("")
}

/// A file that cannot be read or used: exit code 2, a `cookiejar:` message on stderr that
/// mentions `needle`, and no panic.
fn assert_file_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "stderr: {err}\nstdout: {}",
        stdout(o)
    );
    assert!(err.starts_with("cookiejar: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A command line that does not parse: exit code 2, clap's `error:` message on stderr that
/// mentions `needle` and points to `--help`, nothing on stdout, and no panic.
fn assert_usage_error(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(2),
        "stderr: {err}\nstdout: {}",
        stdout(o)
    );
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(err.contains("--help"), "{err}");
    assert!(stdout(o).is_empty(), "{}", stdout(o));
    assert!(!err.contains("panicked"), "{err}");
}

const PASSING: &str = r#"{
  "format": "cookie scenarios v1",
  "origin": "tests/cli.rs",
  "cases": [
    {"id": "cli/basic", "now": "2027-01-15T08:00:00Z", "steps": [
      {"set": "https://a.example/", "headers": ["x=1", "y=2; Path=/deep"]},
      {"get": "https://a.example/deep/er", "expect": "y=2; x=1"},
      {"get": "http://b.example/", "expect": ""}
    ]},
    {"id": "cli/script-and-session", "steps": [
      {"set": "https://a.example/", "headers": ["h=1; HttpOnly", "p=1; Max-Age=60"]},
      {"script_set": "https://a.example/", "value": "s=1"},
      {"script_get": "https://a.example/", "expect": "p=1; s=1"},
      {"end_session": true},
      {"get": "https://a.example/", "expect": "p=1"},
      {"wait": 61},
      {"get": "https://a.example/", "expect": ""}
    ]},
    {"id": "cli/cross-site", "steps": [
      {"set": "https://a.example/", "headers": ["lax=1; SameSite=Lax", "none=1; SameSite=None; Secure"]},
      {"get": "https://a.example/", "from": "https://other.example/", "expect": "none=1"},
      {"get": "https://a.example/", "from": "https://other.example/", "navigation": true, "expect": "lax=1; none=1"}
    ]}
  ]
}"#;

#[test]
fn a_passing_file_exits_zero_and_reports_the_count() {
    let f = TempFile::new(PASSING);
    let o = run(&["replay", f.path()]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(last_line(&out), "3 passed, 0 failed");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn a_failing_case_prints_a_fail_line_with_its_id_and_exits_non_zero() {
    let f = TempFile::new(
        r#"{"format": "cookie scenarios v1", "cases": [
            {"id": "cli/ok", "steps": [{"set": "https://a.example/", "headers": ["a=1"]},
                                       {"get": "https://a.example/", "expect": "a=1"}]},
            {"id": "cli/wrong", "steps": [{"set": "https://a.example/", "headers": ["a=1"]},
                                          {"get": "https://a.example/", "expect": "a=2"}]}
        ]}"#,
    );
    let o = run(&["replay", f.path()]);
    assert!(!o.status.success());
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    let fail: Vec<&str> = out.lines().filter(|l| l.starts_with("FAIL")).collect();
    assert_eq!(fail.len(), 1, "{out}");
    assert!(fail[0].starts_with("FAIL cli/wrong step 1"), "{}", fail[0]);
    assert!(
        fail[0].contains("\"a=2\"") && fail[0].contains("\"a=1\""),
        "{}",
        fail[0]
    );
    assert_eq!(last_line(&out), "1 passed, 1 failed");
}

#[test]
fn json_output_parses_and_reports_every_step() {
    let f = TempFile::new(PASSING);
    let o = run(&["replay", "--json", f.path()]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    // The JSON document, then the summary line.
    let (json, summary) = out.trim_end().rsplit_once('\n').expect("two parts");
    assert_eq!(summary, "3 passed, 0 failed");
    let v: serde_json::Value = serde_json::from_str(json).expect("--json prints JSON");
    let files = v.as_array().expect("a list of files");
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["file"], f.path());
    let cases = files[0]["cases"].as_array().expect("cases");
    assert_eq!(cases.len(), 3);
    assert_eq!(cases[0]["id"], "cli/basic");
    assert_eq!(cases[0]["passed"], true);
    let steps = cases[0]["steps"].as_array().expect("steps");
    assert_eq!(steps[0]["kind"], "set");
    assert_eq!(steps[1]["kind"], "get");
    assert_eq!(steps[1]["got"], "y=2; x=1");
}

#[test]
fn json_output_records_rejections() {
    let f = TempFile::new(
        r#"[{"id": "cli/rej", "steps": [{"set": "http://a.example/", "headers": ["a=1; Secure", "b=1"]}]}]"#,
    );
    let o = run(&["replay", "--json", f.path()]);
    assert!(o.status.success());
    let out = stdout(&o);
    let (json, _) = out.trim_end().rsplit_once('\n').expect("two parts");
    let v: serde_json::Value = serde_json::from_str(json).expect("JSON");
    let outcomes = &v[0]["cases"][0]["steps"][0]["outcomes"];
    assert_eq!(outcomes[1], "Inserted");
    assert!(
        outcomes[0]
            .as_str()
            .expect("string")
            .starts_with("rejected"),
        "{outcomes}"
    );
}

#[test]
fn bad_json_is_a_clear_error() {
    let f = TempFile::new(r#"{"cases": [ {"id": "x", "steps": [ }"#);
    let o = run(&["replay", f.path()]);
    assert_file_error(&o, "not JSON");
    assert!(stderr(&o).contains(f.path()), "names the file");
}

#[test]
fn missing_steps_is_a_clear_error() {
    let f =
        TempFile::new(r#"{"format": "cookie scenarios v1", "cases": [{"id": "cli/no-steps"}]}"#);
    let o = run(&["replay", f.path()]);
    assert_file_error(&o, "\"steps\"");
    assert!(
        stderr(&o).contains("cli/no-steps"),
        "names the case: {}",
        stderr(&o)
    );
}

#[test]
fn missing_cases_and_unknown_steps_are_clear_errors() {
    let f = TempFile::new(r#"{"format": "cookie scenarios v1"}"#);
    assert_file_error(&run(&["replay", f.path()]), "\"cases\"");
    let g = TempFile::new(r#"[{"id": "c", "steps": [{"teleport": "https://a.example/"}]}]"#);
    assert_file_error(&run(&["replay", g.path()]), "unknown step");
    let h = TempFile::new(r#"[{"id": "c", "steps": [{"wait": -1}]}]"#);
    assert_file_error(&run(&["replay", h.path()]), "wait");
    let i = TempFile::new(r#"[{"id": "c", "now": "yesterday", "steps": []}]"#);
    assert_file_error(&run(&["replay", i.path()]), "RFC 3339");
}

#[test]
fn a_bad_url_is_a_clear_error() {
    let f = TempFile::new(
        r#"[{"id": "cli/bad-url", "steps": [{"set": "not a url", "headers": ["a=1"]}]}]"#,
    );
    let o = run(&["replay", f.path()]);
    assert_file_error(&o, "bad URL");
    assert!(stderr(&o).contains("not a url"));
}

#[test]
fn a_url_that_carries_no_cookies_is_replayed_not_refused() {
    // data: parses as a URL; the jar refuses the cookie (UnsupportedUrl) and the run goes on.
    let f = TempFile::new(
        r#"[{"id": "cli/data-url", "steps": [
            {"set": "data:text/plain,hi", "headers": ["a=1"]},
            {"get": "data:text/plain,hi", "expect": ""}]}]"#,
    );
    let o = run(&["replay", f.path()]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert_eq!(last_line(&stdout(&o)), "1 passed, 0 failed");
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let o = run(&["replay", "/nonexistent/cookiejar/scenario.json"]);
    assert_file_error(&o, "/nonexistent/cookiejar/scenario.json");
}

#[test]
fn usage_errors_exit_two() {
    assert_usage_error(&run(&["replay"]), "<FILE>...");
    assert_usage_error(
        &run(&["replay", "--bogus", "x.json"]),
        "unexpected argument '--bogus'",
    );
    assert_usage_error(
        &run(&["replay", "--profile"]),
        "a value is required for '--profile",
    );
    assert_usage_error(&run(&["explain", "x.json", "case"]), "<STEP>");
}

#[test]
fn an_unknown_command_is_a_clear_error() {
    let o = run(&["frobnicate"]);
    assert_usage_error(&o, "unrecognized subcommand 'frobnicate'");
}

#[test]
fn an_unknown_profile_is_a_clear_error() {
    let f = TempFile::new(PASSING);
    for args in [
        &["replay", "--profile", "opera", f.path()][..],
        &["replay", "--profile=opera", f.path()][..],
        &["explain", "--profile", "opera", f.path(), "cli/basic", "0"][..],
    ] {
        let o = run(args);
        assert_usage_error(&o, "invalid value 'opera' for '--profile <PROFILE>'");
        // The message lists the profiles there are.
        assert!(
            stderr(&o).contains("unknown profile \"opera\" (standard, chromium, firefox)"),
            "{}",
            stderr(&o)
        );
    }
}

#[test]
fn help_lists_the_commands() {
    for flag in ["--help", "-h"] {
        let o = run(&[flag]);
        assert!(o.status.success(), "{}", stderr(&o));
        let out = stdout(&o);
        assert!(out.contains("Usage: cookiejar <COMMAND>"), "{out}");
        assert!(out.contains("replay") && out.contains("explain"), "{out}");
        assert!(out.contains("SCENARIOS.md"), "{out}");
    }
    // No command at all: the help, as an error.
    let o = run(&[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Usage: cookiejar <COMMAND>"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_replay_and_replay_help_describe_replay() {
    for args in [&["help", "replay"][..], &["replay", "--help"][..]] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains("Usage: cookiejar replay [OPTIONS] <FILE>..."),
            "{out}"
        );
        assert!(out.contains("--profile <PROFILE>"), "{out}");
        assert!(out.contains("standard, chromium or firefox"), "{out}");
        assert!(out.contains("--json"), "{out}");
    }
}

#[test]
fn explain_help_says_how_steps_are_numbered() {
    for args in [
        &["help", "explain"][..],
        &["explain", "--help"][..],
        &["explain", "-h"][..],
    ] {
        let o = run(args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(
            out.contains("Usage: cookiejar explain [OPTIONS] <FILE> <CASE_ID> <STEP>"),
            "{out}"
        );
        assert!(out.contains("counted from 0"), "{out}");
    }
}

#[test]
fn version_prints_the_version() {
    for flag in ["--version", "-V"] {
        let o = run(&[flag]);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            format!("cookiejar {}", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn a_file_the_strict_reader_refuses_names_the_case_and_step() {
    let f = TempFile::new(
        r#"{"format": "cookie scenarios v1", "cases": [{"id": "cli/typo", "steps": [
            {"get": "https://a.example/", "expcet": ""}]}]}"#,
    );
    let o = run(&["replay", f.path()]);
    assert_file_error(&o, "case \"cli/typo\" step 0: unknown key \"expcet\"");
    let g = TempFile::new(r#"{"cases": []}"#);
    assert_file_error(&run(&["replay", g.path()]), "no \"format\"");
    let h = TempFile::new(r#"{"format": "cookie scenarios v2", "cases": []}"#);
    assert_file_error(&run(&["replay", h.path()]), "unknown \"format\"");
}

/// Passes under Firefox (no Lax-by-default; overwrite keeps the creation time), fails under
/// Chromium and the standard profile. The cross-site request is a top-level POST navigation
/// five minutes later: a cross-site *subresource* would see no unpartitioned cookie in Firefox
/// (Total Cookie Protection), and a younger cookie would still go in Chromium (its 2-minute
/// Lax-allowing-unsafe rule).
const FIREFOX_ONLY: &str = r#"{"format": "cookie scenarios v1", "profile": "chromium", "cases": [
  {"id": "cli/profile", "steps": [
    {"set": "https://a.example/", "headers": ["u=1", "v=1", "u=2"]},
    {"get": "https://a.example/", "expect": "u=2; v=1"},
    {"wait": 300},
    {"get": "https://a.example/", "from": "https://other.example/", "navigation": true, "method": "POST", "expect": "u=2; v=1"}
  ]}
]}"#;

#[test]
fn profile_override_switches_the_behaviour() {
    let f = TempFile::new(FIREFOX_ONLY);
    let o = run(&["replay", f.path()]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "the file's chromium profile fails it"
    );
    assert!(stdout(&o).contains("FAIL cli/profile"));

    let o = run(&["replay", "--profile", "firefox", f.path()]);
    assert!(o.status.success(), "{}", stdout(&o));
    assert_eq!(last_line(&stdout(&o)), "1 passed, 0 failed");

    let o = run(&["replay", "--profile=firefox", f.path()]);
    assert!(o.status.success());

    let o = run(&["replay", "--profile", "standard", f.path()]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn case_profile_beats_file_profile_and_override_beats_both() {
    let f = TempFile::new(
        r#"{"format": "cookie scenarios v1", "profile": "chromium", "cases": [
          {"id": "cli/case-profile", "profile": "firefox", "steps": [
            {"set": "https://a.example/", "headers": ["u=1"]},
            {"wait": 300},
            {"get": "https://a.example/", "from": "https://other.example/", "navigation": true,
             "method": "POST", "expect": "u=1"}]}]}"#,
    );
    assert!(run(&["replay", f.path()]).status.success());
    assert_eq!(
        run(&["replay", "--profile", "chromium", f.path()])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn several_files_are_summed() {
    let a = TempFile::new(PASSING);
    let b = TempFile::new(FIREFOX_ONLY);
    let o = run(&["replay", a.path(), b.path()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(last_line(&stdout(&o)), "3 passed, 1 failed");
}

const EXPLAIN: &str = r#"{"format": "cookie scenarios v1", "cases": [{"id": "x", "steps": [
  {"set": "https://shop.example/", "headers": ["s=1; Secure", "l=2; SameSite=Lax", "n=3; SameSite=None; Secure", "x=4; Secure; SameSite=None; Domain=com"]},
  {"get": "https://shop.example/cart", "from": "https://other.example/", "expect": "n=3"},
  {"get": "http://shop.example/", "expect": "l=2"}
]}]}"#;

#[test]
fn explain_gives_every_candidate_and_its_reason() {
    let f = TempFile::new(EXPLAIN);
    let o = run(&["explain", f.path(), "x", "1"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line for {name} in {out}"))
            .to_owned()
    };
    // A cross-site subresource: only SameSite=None goes.
    assert!(line("s=1").ends_with("excluded: no SameSite (treated as Lax), cross-site request"));
    assert!(line("l=2").ends_with("excluded: SameSite=Lax, cross-site request"));
    assert!(line("n=3").ends_with("-> included"));
    assert_eq!(last_line(&out), "Cookie: n=3");
    // An http request: the Secure cookies are excluded for that reason.
    let o = run(&["explain", f.path(), "x", "2"]);
    let out = stdout(&o);
    assert!(
        out.lines()
            .any(|l| l.starts_with("s=1")
                && l.ends_with("excluded: Secure cookie, insecure request")),
        "{out}"
    );
    assert_eq!(last_line(&out), "Cookie: l=2");
}

#[test]
fn explain_of_a_set_step_gives_each_lines_outcome() {
    let f = TempFile::new(EXPLAIN);
    let o = run(&["explain", f.path(), "x", "0"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("\"s=1; Secure\" -> Inserted"), "{out}");
    assert!(
        out.contains("-> rejected: the Domain attribute is a public suffix"),
        "{out}"
    );
}

#[test]
fn explain_of_a_missing_case_or_step_is_a_clear_error() {
    let f = TempFile::new(EXPLAIN);
    assert_file_error(&run(&["explain", f.path(), "nope", "0"]), "no case");
    assert_file_error(&run(&["explain", f.path(), "x", "9"]), "no step 9");
    assert_usage_error(
        &run(&["explain", f.path(), "x", "one"]),
        "invalid value 'one' for '<STEP>'",
    );
}

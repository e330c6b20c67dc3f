//! The `cookiejar` binary, run for real: on small scenario files (`wpt-tests/SCENARIOS.md`),
//! and on jar files in a fresh temp directory per test.

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
        // The jar commands read it; no test may depend on the caller's.
        .env_remove("COOKIEJAR_JAR")
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

// ---- The jar commands ----

/// A fresh directory in the temp directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cookiejar-cli-dir-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
    /// `name` in the directory, as a string.
    fn file(&self, name: &str) -> String {
        self.0
            .join(name)
            .to_str()
            .expect("utf-8 temp path")
            .to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// 2026-12-01T00:00:00Z.
const NOW: &str = "1796083200";

/// `cookiejar --jar JAR --now NOW ARGS...`
fn jar(jar: &str, args: &[&str]) -> Output {
    let mut all = vec!["--jar", jar, "--now", NOW];
    all.extend_from_slice(args);
    run(&all)
}

/// Asserts success and returns stdout.
fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

/// What `get URL` prints, without the newline.
fn get(jar_path: &str, url: &str) -> String {
    ok(jar(jar_path, &["get", url])).trim_end().to_owned()
}

#[test]
fn set_get_list_remove_round_trip_with_a_json_jar() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    let o = jar(
        &j,
        &[
            "set",
            "https://www.example.com/",
            "sid=1; Secure; HttpOnly",
            "lang=en; Domain=example.com; Max-Age=3600",
            "gone=1; Max-Age=0",
        ],
    );
    assert_eq!(ok(o), "stored sid\nstored lang\ndeleted gone\n");
    // The file is the jar's own JSON.
    let file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&j).expect("the jar file")).expect("json");
    assert_eq!(file["format"], "cookiejar");
    assert_eq!(file["cookies"].as_array().map(Vec::len), Some(2));

    assert_eq!(get(&j, "https://www.example.com/"), "sid=1; lang=en");
    assert_eq!(get(&j, "https://api.example.com/"), "lang=en");
    assert_eq!(get(&j, "http://www.example.com/"), "lang=en");

    let list = ok(jar(&j, &["list"]));
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 3, "{list}");
    for col in ["NAME", "VALUE", "DOMAIN", "PATH", "EXPIRES", "FLAGS"] {
        assert!(lines[0].contains(col), "{list}");
    }
    // Oldest first; a leading dot for a domain cookie; a session cookie says so.
    let cells = |l: &str| l.split_whitespace().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        cells(lines[1]),
        [
            "sid",
            "1",
            "www.example.com",
            "/",
            "session",
            "secure,httponly"
        ]
    );
    assert_eq!(
        cells(lines[2]),
        [
            "lang",
            "en",
            ".example.com",
            "/",
            "2026-12-01T01:00:00Z",
            "-"
        ]
    );

    // A domain cookie is removed as one; the host-only identity is another cookie.
    let o = jar(
        &j,
        &["remove", "lang", "--domain", "example.com", "--host-only"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o), "no cookie lang\n");
    assert_eq!(
        ok(jar(&j, &["remove", "lang", "--domain", ".example.com"])),
        "removed lang\n"
    );
    assert_eq!(
        ok(jar(
            &j,
            &[
                "remove",
                "sid",
                "--domain",
                "www.example.com",
                "--host-only"
            ]
        )),
        "removed sid\n"
    );
    assert_eq!(get(&j, "https://www.example.com/"), "");
    assert_eq!(ok(jar(&j, &["list"])), "");
}

#[test]
fn list_json_is_the_jars_own_records_of_unexpired_cookies() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &[
            "set",
            "https://a.example/",
            "short=1; Max-Age=10",
            "long=2; Max-Age=1000; SameSite=Strict",
        ],
    ));
    let later = run(&["--jar", &j, "--now", "1796083300", "list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&ok(later)).expect("a JSON array");
    let names: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["long"], "the expired cookie is not listed");
    assert_eq!(v[0]["same_site"], "Strict");
    let table = ok(run(&["--jar", &j, "--now", "1796083300", "list"]));
    assert!(table.contains("samesite=Strict"), "{table}");
    assert!(!table.contains("short"), "{table}");
}

#[test]
fn global_options_go_before_or_after_the_command() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(run(&[
        "set",
        "https://a.example/",
        "x=1; Max-Age=60",
        "--jar",
        &j,
        "--now",
        NOW,
        "--profile",
        "chromium",
    ]));
    for args in [
        &["--jar", &j, "--now", NOW, "get", "https://a.example/"][..],
        &["get", "https://a.example/", "--jar", &j, "--now", NOW][..],
        &["--jar", &j, "get", "--now", NOW, "https://a.example/"][..],
        &[
            "--profile=firefox",
            "get",
            "https://a.example/",
            "--jar",
            &j,
            "--now",
            NOW,
        ][..],
    ] {
        assert_eq!(ok(run(args)), "x=1\n", "{args:?}");
    }
}

#[test]
fn the_jar_defaults_to_cookiejar_jar() {
    let d = TempDir::new();
    let j = d.file("env.json");
    let with_env = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cookiejar"))
            .args(args)
            .env("COOKIEJAR_JAR", &j)
            .output()
            .expect("run the cookiejar binary")
    };
    assert_eq!(
        ok(with_env(&["set", "https://a.example/", "e=1"])),
        "stored e\n"
    );
    assert!(std::path::Path::new(&j).exists());
    assert_eq!(ok(with_env(&["get", "https://a.example/"])), "e=1\n");
    // --jar beats the environment.
    let other = d.file("other.json");
    assert_eq!(
        ok(with_env(&["get", "https://a.example/", "--jar", &other])),
        ""
    );
}

#[test]
fn a_jar_file_that_does_not_exist_is_an_empty_jar() {
    let d = TempDir::new();
    let j = d.file("new.json");
    let o = jar(&j, &["get", "https://a.example/"]);
    assert_eq!(ok(o), "");
    assert_eq!(ok(jar(&j, &["list"])), "");
    assert_eq!(ok(jar(&j, &["list", "--json"])).trim(), "[]");
    assert!(
        !std::path::Path::new(&j).exists(),
        "reading does not create it"
    );
    // Without any jar, the read-only commands read an empty one.
    assert_eq!(ok(run(&["get", "https://a.example/"])), "");
    assert_eq!(
        ok(run(&["explain", "https://a.example/"])).trim(),
        "Cookie:"
    );
    // Writing creates it.
    ok(jar(&j, &["set", "https://a.example/", "n=1"]));
    assert_eq!(get(&j, "https://a.example/"), "n=1");
}

#[test]
fn set_remove_and_import_without_a_jar_are_usage_errors() {
    let d = TempDir::new();
    let f = d.file("in.json");
    std::fs::write(&f, "[]").expect("write");
    for args in [
        &["set", "https://a.example/", "a=1"][..],
        &["remove", "a", "--domain", "a.example"][..],
        &["import", "--from", "json", &f][..],
    ] {
        assert_usage_error(&run(args), "give --jar PATH or set COOKIEJAR_JAR");
    }
}

#[test]
fn an_unknown_jar_extension_is_a_usage_error() {
    let d = TempDir::new();
    assert_usage_error(
        &run(&["--jar", &d.file("jar.dat"), "get", "https://a.example/"]),
        ".sqlite",
    );
}

fn mtime(path: &str) -> std::time::SystemTime {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime")
}

#[test]
fn commands_that_change_nothing_leave_the_jar_file_alone() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &["set", "https://a.example/", "a=1; Max-Age=600", "b=2"],
    ));
    // An mtime far in the past: any rewrite would give the file a new one.
    let past = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(&j)
        .and_then(|f| f.set_modified(past))
        .expect("set mtime");
    let before = std::fs::read(&j).expect("read");
    let out = d.file("out.json");
    for args in [
        &["get", "https://a.example/"][..],
        &["get", "https://a.example/", "--script"][..],
        &["list"][..],
        &["list", "--json"][..],
        &["explain", "https://a.example/"][..],
        &["export", "--to", "json"][..],
        &["export", "--to", "json", "-o", &out][..],
        // Nothing to remove, nothing to delete, nothing stored.
        &["remove", "zz", "--domain", "a.example"][..],
        &["set", "https://a.example/", "zz=1; Max-Age=0"][..],
        &["set", "https://a.example/", "zz=1; Domain=other.example"][..],
    ] {
        let _ = jar(&j, args);
        assert_eq!(mtime(&j), past, "{args:?} rewrote the jar file");
    }
    // A later time is no change either: expired cookies are not swept into the file by reads.
    let _ = run(&[
        "--jar",
        &j,
        "--now",
        "1896083200",
        "get",
        "https://a.example/",
    ]);
    assert_eq!(mtime(&j), past);
    assert_eq!(std::fs::read(&j).expect("read"), before);
    // A real change does write.
    ok(jar(&j, &["set", "https://a.example/", "c=3"]));
    assert_ne!(mtime(&j), past);
}

#[test]
fn a_rejected_line_exits_one_and_says_why() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    let o = jar(
        &j,
        &[
            "set",
            "https://www.example.co.uk/",
            "ok=1",
            "bad=1; Domain=co.uk",
            "insecure=1; SameSite=None",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "stored ok\n\
         rejected bad: the Domain attribute is a public suffix\n\
         rejected insecure: SameSite=None needs Secure\n"
    );
    // The line that was stored is kept.
    assert_eq!(get(&j, "https://www.example.co.uk/"), "ok=1");
}

#[test]
fn from_page_makes_the_request_a_subresource_so_samesite_applies() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &[
            "set",
            "https://shop.example/",
            "strict=1; SameSite=Strict",
            "lax=2; SameSite=Lax",
            "none=3; SameSite=None; Secure",
        ],
    ));
    assert_eq!(get(&j, "https://shop.example/"), "strict=1; lax=2; none=3");
    let cross = ok(jar(
        &j,
        &[
            "get",
            "https://shop.example/",
            "--from-page",
            "https://other.example/",
        ],
    ));
    assert_eq!(cross, "none=3\n");
    let same = ok(jar(
        &j,
        &[
            "get",
            "https://shop.example/img",
            "--from-page",
            "https://www.shop.example/",
        ],
    ));
    assert_eq!(same, "strict=1; lax=2; none=3\n");
    // explain says why the Strict cookie stays home.
    let why = ok(jar(
        &j,
        &[
            "explain",
            "https://shop.example/",
            "--from-page",
            "https://other.example/",
        ],
    ));
    let line = why
        .lines()
        .find(|l| l.starts_with("strict=1"))
        .unwrap_or_else(|| panic!("{why}"));
    assert!(line.contains("not sent (SameSite=Strict"), "{why}");
    assert!(why.ends_with("Cookie: none=3\n"), "{why}");
    // A cross-site response may not set a SameSite=Strict cookie (6265bis 5.7 step 19).
    let o = jar(
        &j,
        &[
            "set",
            "https://shop.example/",
            "s2=1; SameSite=Strict",
            "--from-page",
            "https://other.example/",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "rejected s2: a SameSite cookie set from a cross-site context\n"
    );
    // --from-page takes a URL.
    assert_usage_error(
        &jar(&j, &["get", "https://shop.example/", "--from-page", "nope"]),
        "invalid value 'nope' for '--from-page <URL>'",
    );
}

#[test]
fn script_neither_sets_nor_reads_httponly_cookies() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &["set", "https://a.example/", "h=1; HttpOnly", "p=2"],
    ));
    assert_eq!(
        ok(jar(&j, &["get", "https://a.example/", "--script"])),
        "p=2\n"
    );
    let o = jar(
        &j,
        &[
            "set",
            "https://a.example/",
            "--script",
            "h2=1; HttpOnly",
            "s=3",
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stdout(&o),
        "rejected h2: a script may not set an HttpOnly cookie\nstored s\n"
    );
    // A script may not overwrite the HttpOnly cookie either.
    let o = jar(&j, &["set", "https://a.example/", "--script", "h=evil"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).starts_with("rejected h: "), "{}", stdout(&o));
    assert_eq!(get(&j, "https://a.example/"), "h=1; p=2; s=3");
    let why = ok(jar(&j, &["explain", "https://a.example/", "--script"]));
    assert!(why.ends_with("document.cookie: p=2; s=3\n"), "{why}");
    assert!(
        why.lines()
            .any(|l| l.starts_with("h=1") && l.contains("not sent")),
        "{why}"
    );
    // Both at once make no sense.
    assert_usage_error(
        &jar(
            &j,
            &[
                "get",
                "https://a.example/",
                "--script",
                "--from-page",
                "https://a.example/",
            ],
        ),
        "cannot be used with",
    );
}

#[test]
fn now_takes_unix_seconds_or_rfc3339_and_expired_cookies_are_not_sent() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    let at = |now: &str, args: &[&str]| {
        let mut all = vec!["--jar", &j, "--now", now];
        all.extend_from_slice(args);
        run(&all)
    };
    ok(at(
        "2026-12-01T00:00:00Z",
        &["set", "https://a.example/", "m=1; Max-Age=60", "s=2"],
    ));
    let get_at = |now: &str| ok(at(now, &["get", "https://a.example/"]));
    assert_eq!(get_at("1796083259"), "m=1; s=2\n");
    assert_eq!(get_at("2026-12-01T00:00:59Z"), "m=1; s=2\n");
    assert_eq!(get_at("2026-12-01T01:00:59+01:00"), "m=1; s=2\n");
    assert_eq!(get_at("2026-11-30T19:00:59.999-05:00"), "m=1; s=2\n");
    assert_eq!(get_at("1796083260"), "s=2\n");
    assert_eq!(get_at("2026-12-01T00:01:00Z"), "s=2\n");
    // An Expires date in the past deletes.
    assert_eq!(
        ok(at(
            "2026-12-01T00:00:00Z",
            &[
                "set",
                "https://a.example/",
                "s=2; Expires=Mon, 30 Nov 2026 00:00:00 GMT"
            ]
        )),
        "deleted s\n"
    );
    for bad in ["yesterday", "2026-12-01", "2026-02-30T00:00:00Z", "1.5", ""] {
        assert_usage_error(&at(bad, &["get", "https://a.example/"]), "invalid value");
    }
}

#[test]
fn a_corrupt_jar_file_is_an_error_and_left_alone() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(&j, &["set", "https://a.example/", "a=1", "b=2"]));
    let good = std::fs::read(&j).expect("read");
    for broken in [
        &good[..good.len() / 2],
        &b"not json at all"[..],
        &b""[..],
        &br#"{"format": "cookiejar", "version": 1}"#[..],
        &br#"{"format": "playwright", "version": 1, "cookies": []}"#[..],
    ] {
        std::fs::write(&j, broken).expect("write");
        for args in [
            &["set", "https://a.example/", "c=3"][..],
            &["get", "https://a.example/"][..],
            &["import", "--from", "json", &j][..],
        ] {
            let o = jar(&j, args);
            assert_file_error(&o, &j);
            assert!(stdout(&o).is_empty(), "{}", stdout(&o));
            assert_eq!(std::fs::read(&j).expect("read"), broken, "{args:?}");
        }
    }
}

#[test]
fn an_unknown_jar_version_is_a_clear_error() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    let future = r#"{"format": "cookiejar", "version": 2, "creation_clock": 0, "cookies": []}"#;
    std::fs::write(&j, future).expect("write");
    let o = jar(&j, &["set", "https://a.example/", "a=1"]);
    assert_file_error(&o, "version 2 is not one this build reads");
    assert_eq!(std::fs::read_to_string(&j).expect("read"), future);
}

#[test]
fn explain_url_gives_every_cookie_of_the_site_and_why() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &[
            "set",
            "https://www.example.com/app/",
            "sec=1; Secure; Path=/",
            "plain=2; Path=/",
            "deep=3; Path=/app",
            "wide=4; Domain=example.com; Path=/",
        ],
    ));
    ok(jar(&j, &["set", "https://other.example/", "far=5"]));
    let out = ok(jar(&j, &["explain", "http://www.example.com/"]));
    let line = |name: &str| {
        out.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no line for {name} in {out}"))
    };
    assert!(line("sec=1").contains("not sent (Secure cookie, insecure request)"));
    assert!(line("deep=3 (domain www.example.com, path /app)").contains("not sent (path"));
    assert_eq!(
        line("plain=2"),
        "plain=2 (domain www.example.com, path /): sent"
    );
    assert_eq!(line("wide=4"), "wide=4 (domain .example.com, path /): sent");
    assert!(!out.contains("far=5"), "another site's cookie: {out}");
    assert_eq!(last_line(&out), "Cookie: plain=2; wide=4");
    // Two positionals are neither form.
    assert_usage_error(&run(&["explain", "https://a.example/", "x"]), "<STEP>");
    // A URL that does not parse is named as one.
    assert_usage_error(&jar(&j, &["explain", "no-such-file.json"]), "'<URL>'");
    // The scenario form does not take the request options.
    let f = TempFile::new(EXPLAIN);
    assert_usage_error(
        &run(&["explain", f.path(), "x", "1", "--script"]),
        "--from-page and --script are for explain URL",
    );
}

/// A cookie record of the jar's own format, as `list --json` prints it, with `domain`
/// changed.
fn record_with_domain(template: &serde_json::Value, name: &str, domain: &str) -> serde_json::Value {
    let mut r = template.clone();
    r["name"] = name.into();
    r["domain"] = domain.into();
    r["host_only"] = false.into();
    r
}

#[test]
fn import_reports_each_refused_record_and_exits_one() {
    let d = TempDir::new();
    let src = d.file("src.json");
    ok(jar(
        &src,
        &[
            "set",
            "https://www.example.co.uk/",
            "good=1; Domain=example.co.uk; Max-Age=600",
        ],
    ));
    let listed: serde_json::Value =
        serde_json::from_str(&ok(jar(&src, &["list", "--json"]))).expect("json");
    let template = &listed[0];
    let records = serde_json::json!([
        template,
        record_with_domain(template, "bad", "co.uk"),
        record_with_domain(template, "also", "shop.example.co.uk"),
    ]);
    let file = d.file("cookies.json");
    std::fs::write(&file, records.to_string()).expect("write");

    let j = d.file("jar.json");
    let o = jar(&j, &["import", "--from", "json", &file]);
    assert_eq!(o.status.code(), Some(1), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert_eq!(lines[0], "2 imported, 1 refused");
    assert!(lines[1].starts_with("record 1: bad: "), "{out}");
    assert!(lines[1].contains("public suffix"), "{out}");
    assert_eq!(get(&j, "https://shop.example.co.uk/"), "good=1; also=1");

    // Importing the cookies again, after they expired: none stored, and said so.
    let later = run(&[
        "--jar",
        &j,
        "--now",
        "1796090000",
        "import",
        "--from",
        "json",
        &file,
    ]);
    assert_eq!(later.status.code(), Some(1));
    let out = stdout(&later);
    assert_eq!(
        out.lines().next(),
        Some("0 imported, 1 refused"),
        "the first line keeps its shape: {out}"
    );
    assert_eq!(last_line(&out), "2 already expired");
    // Each deleted the stored cookie of its identity, as an expired Set-Cookie does.
    assert_eq!(get(&j, "https://shop.example.co.uk/"), "");
    // A file that is not of its format is an error, and changes nothing.
    ok(jar(&j, &["set", "https://shop.example.co.uk/", "kept=1"]));
    let before = std::fs::read(&j).expect("read");
    std::fs::write(&file, "{").expect("write");
    assert_file_error(&jar(&j, &["import", "--from", "json", &file]), &file);
    assert_eq!(std::fs::read(&j).expect("read"), before);
    assert_file_error(
        &jar(&j, &["import", "--from", "json", &d.file("missing.json")]),
        "missing.json",
    );
}

#[test]
fn import_reads_standard_input_for_a_dash() {
    let d = TempDir::new();
    let src = d.file("src.json");
    ok(jar(
        &src,
        &["set", "https://a.example/", "i=1; Max-Age=600"],
    ));
    let exported = ok(jar(&src, &["export", "--to", "json"]));
    let j = d.file("jar.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .args(["--jar", &j, "--now", NOW, "import", "--from", "json", "-"])
        .env_remove("COOKIEJAR_JAR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(exported.as_bytes())
        .expect("write stdin");
    let o = child.wait_with_output().expect("wait");
    assert_eq!(ok(o), "1 imported, 0 refused\n");
    assert_eq!(get(&j, "https://a.example/"), "i=1");
}

#[test]
fn export_json_then_import_into_a_fresh_jar_sends_the_same() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &[
            "set",
            "https://www.example.com/a/b",
            "host=1",
            "dom=2; Domain=example.com; Path=/; Max-Age=3600",
            "sec=3; Secure; HttpOnly; Path=/",
            "lax=4; SameSite=Lax; Path=/a",
        ],
    ));
    ok(jar(
        &j,
        &["set", "https://other.example/", "o=5; Max-Age=60"],
    ));
    let urls = [
        "https://www.example.com/a/b/c",
        "https://www.example.com/",
        "http://www.example.com/a/",
        "https://sub.example.com/a/",
        "https://other.example/x",
        "https://unrelated.example/",
    ];
    let exported = d.file("export.json");
    assert_eq!(
        ok(jar(&j, &["export", "--to", "json", "-o", &exported])),
        ""
    );
    // To stdout: the same bytes.
    assert_eq!(
        ok(jar(&j, &["export", "--to", "json"])).into_bytes(),
        std::fs::read(&exported).expect("read")
    );
    let fresh = d.file("fresh.json");
    assert_eq!(
        ok(jar(&fresh, &["import", "--from", "json", &exported])),
        "5 imported, 0 refused\n"
    );
    for url in urls {
        assert_eq!(get(&fresh, url), get(&j, url), "{url}");
    }
    assert_eq!(
        get(&fresh, "https://www.example.com/a/b/c"),
        "host=1; lax=4; dom=2; sec=3"
    );
    // The export is itself a jar file.
    for url in urls {
        assert_eq!(get(&exported, url), get(&j, url), "{url}");
    }
}

#[test]
fn a_cookie_the_jar_cannot_take_is_left_out_of_a_loaded_jar_with_a_warning() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(
        &j,
        &[
            "set",
            "https://www.example.com/",
            "a=1",
            "b=2; Domain=example.com",
        ],
    ));
    // A hand edit: the domain cookie now lies on a public suffix.
    let text = std::fs::read_to_string(&j).expect("read");
    std::fs::write(&j, text.replace("\"example.com\"", "\"com\"")).expect("write");
    let o = jar(&j, &["get", "https://www.example.com/"]);
    assert_eq!(ok(o.clone()), "a=1\n");
    let err = stderr(&o);
    assert!(err.starts_with("cookiejar: warning: "), "{err}");
    assert!(err.contains("left out"), "{err}");
}

#[test]
fn now_may_be_before_1970() {
    let o = run(&["--now", "-86400", "list"]);
    assert_eq!(ok(o), "");
}

/// Hostile import files: garbage, truncated JSON of every JSON format, a 5 MB line and a
/// million lines of cookies.txt. Each gives a clear error (exit 2) or a skip report (exit 1),
/// never a panic, and the jar file stays as it was.
#[test]
fn bad_import_files_never_panic_and_never_change_the_jar_file() {
    let d = TempDir::new();
    let j = d.file("jar.json");
    ok(jar(&j, &["set", "https://a.example/", "a=1"]));
    let before = std::fs::read(&j).expect("read");
    let f = d.file("bad");
    let garbage: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let playwright = br#"{"cookies": [{"name": "a", "value": "1", "domain": ".a.exa"#.to_vec();
    let mut long_line = b"a.example\tFALSE\t/\tFALSE\t0\tx\t".to_vec();
    long_line.extend(std::iter::repeat_n(b'v', 5 << 20));
    long_line.push(b'\n');
    let million: Vec<u8> = "not a cookie line\n".repeat(1_000_000).into_bytes();
    let cases: Vec<(&str, Vec<u8>, i32)> = vec![
        ("json", garbage.clone(), 2),
        ("playwright", garbage.clone(), 2),
        ("cdp", garbage.clone(), 2),
        ("extension", garbage.clone(), 2),
        ("tough-cookie", garbage.clone(), 2),
        ("cookie-store", garbage.clone(), 2),
        ("netscape", garbage, 1),
        ("json", before[..before.len() / 2].to_vec(), 2),
        ("playwright", playwright.clone(), 2),
        ("cdp", b"[{\"name\": \"a\", ".to_vec(), 2),
        ("extension", b"[{".to_vec(), 2),
        ("tough-cookie", b"{\"cookies\": [".to_vec(), 2),
        ("netscape", long_line, 1),
        ("netscape", million, 1),
    ];
    for (format, bytes, code) in cases {
        std::fs::write(&f, &bytes).expect("write");
        let o = jar(&j, &["import", "--from", format, &f]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{format}: {err}");
        assert_eq!(
            o.status.code(),
            Some(code),
            "{format}: {err}\n{}",
            stdout(&o)
        );
        if code == 1 {
            assert!(
                stdout(&o).starts_with("0 imported, "),
                "{format}: {}",
                stdout(&o)
            );
        }
        assert_eq!(
            std::fs::read(&j).expect("read"),
            before,
            "{format} changed the jar"
        );
    }
}

#[test]
fn sqlite_jar_round_trip_and_reads_create_nothing() {
    let d = TempDir::new();
    for name in ["jar.sqlite", "jar.db", "jar.sqlite3"] {
        let j = d.file(name);
        // A read of a database that does not exist is an empty jar, and makes no file.
        assert_eq!(ok(jar(&j, &["get", "https://a.example/"])), "");
        assert_eq!(ok(jar(&j, &["list"])), "");
        assert!(!std::path::Path::new(&j).exists(), "{name}");
        // The first change creates it; each command commits before it exits.
        assert_eq!(
            ok(jar(
                &j,
                &["set", "https://a.example/", "a=1; Max-Age=3600", "b=2"]
            )),
            "stored a\nstored b\n"
        );
        assert!(std::path::Path::new(&j).exists());
        assert_eq!(get(&j, "https://a.example/"), "a=1; b=2");
        assert!(ok(jar(&j, &["list"])).contains("a.example"));
        assert_eq!(
            ok(jar(
                &j,
                &["remove", "b", "--domain", "a.example", "--host-only"]
            )),
            "removed b\n"
        );
        assert_eq!(get(&j, "https://a.example/"), "a=1");
        // Export and import through another format keep the cookie.
        let out = d.file(&format!("{name}.json"));
        ok(jar(&j, &["export", "--to", "json", "-o", &out]));
        let k = d.file(&format!("copy-{name}"));
        ok(jar(&k, &["import", "--from", "json", &out]));
        assert_eq!(get(&k, "https://a.example/"), "a=1");
    }
}

#[test]
fn sqlite_jar_that_is_not_a_database_is_an_error_and_untouched() {
    let d = TempDir::new();
    let j = d.file("jar.sqlite");
    std::fs::write(
        &j,
        b"this is not a database, it is a text file of some length....",
    )
    .unwrap();
    let before = std::fs::read(&j).unwrap();
    for args in [
        &["get", "https://a.example/"][..],
        &["set", "https://a.example/", "a=1"][..],
    ] {
        assert_file_error(&jar(&j, args), "not an SQLite database");
    }
    assert_eq!(std::fs::read(&j).unwrap(), before);
}

#[test]
fn explain_names_the_redirect_chain() {
    // A typed navigation that a cross-site host bounced back: the hop's chain is printed, and
    // the Strict cookie's reason names it (chromium ignores the chain and sends it).
    let f = TempFile::new(
        r#"{"format": "cookie scenarios v1", "cases": [{"id": "b", "steps": [
            {"set": "https://www.site.example/", "headers": ["s=1; SameSite=Strict; Secure", "n=1; SameSite=None; Secure"]},
            {"get": "https://tracker.example/bounce"},
            {"redirect": "https://www.site.example/", "status": 302}
        ]}]}"#,
    );
    let o = run(&["explain", f.path(), "b", "2"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("GET https://www.site.example/ after https://tracker.example/bounce"),
        "{out}"
    );
    assert!(
        out.contains("s=1  domain=www.site.example path=/ Secure samesite=Strict  -> excluded: SameSite=Strict, a cross-site hop in the redirect chain"),
        "{out}"
    );
    assert!(out.contains("Cookie: n=1"), "{out}");
    let o = run(&["--profile", "chromium", "explain", f.path(), "b", "2"]);
    assert!(o.status.success(), "stderr: {}", stderr(&o));
    assert!(stdout(&o).contains("Cookie: s=1; n=1"), "{}", stdout(&o));
}

//! The `cookiejar` binary against the files of other tools: real curl on loopback reading and
//! writing the Netscape cookies.txt the jar exports, imports and keeps as a `.txt` jar, and a
//! Playwright storageState whose `origins` an export keeps.
//!
//! curl is run with `--resolve` so that names like `www.example.com` reach a one-connection
//! HTTP server on 127.0.0.1 that this test thread runs: it records the `Cookie` header curl
//! sends and answers with the `Set-Cookie` headers it is given.
//!
//! Header order: browsers sort by path length, then creation, oldest first (6265bis 5.8.3
//! step 2); curl by path length, then domain length, name length and creation, newest first
//! (lib/cookie.c `cookie_sort`). The cookies here give each cookie a URL receives its own path
//! length, so both orders are the same and headers compare exactly;
//! `same_path_cookies_are_the_same_set` compares a tie as a set.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A fresh directory in the temp directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "cookiejar-formats-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
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

/// `cookiejar ARGS...` with the system clock (curl reads expiries against it too).
fn cookiejar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .args(args)
        .env_remove("COOKIEJAR_JAR")
        .output()
        .expect("run the cookiejar binary")
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "status {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8 stdout")
}

/// What `cookiejar --jar JAR get URL` prints, without the newline.
fn jar_get(jar: &str, url: &str) -> String {
    ok(cookiejar(&["--jar", jar, "get", url]))
        .trim_end()
        .to_owned()
}

/// A loopback HTTP server on an ephemeral port.
struct Server {
    listener: TcpListener,
    port: u16,
}

impl Server {
    fn new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking accept");
        let port = listener.local_addr().expect("local addr").port();
        Server { listener, port }
    }

    /// `http://HOST:PORT/PATH`
    fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// Runs curl on `url` (reaching this server) with `args`, serves its one request with
    /// `set_cookie` as `Set-Cookie` headers, and returns the `Cookie` header it sent ("" for
    /// none).
    fn curl(&self, url: &str, args: &[&str], set_cookie: &[&str]) -> String {
        let host = url
            .trim_start_matches("http://")
            .split(':')
            .next()
            .expect("a host");
        let resolve = format!("{host}:{}:127.0.0.1", self.port);
        let mut child = Command::new("curl")
            .args(["--silent", "--show-error", "--output", "/dev/null"])
            .args(["--max-time", "20", "--noproxy", "*", "--resolve", &resolve])
            .args(args)
            .arg(url)
            .spawn()
            .expect("these tests run the real curl: install it");
        let deadline = Instant::now() + Duration::from_secs(20);
        let stream = loop {
            match self.listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if let Ok(Some(status)) = child.try_wait() {
                        panic!("curl exited ({status}) without a request");
                    }
                    assert!(Instant::now() < deadline, "curl never connected");
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        stream.set_nonblocking(false).expect("blocking stream");
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .expect("read timeout");
        let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
        let mut cookie = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).expect("read request") == 0 {
                break;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("cookie") {
                    cookie.push(value.trim().to_owned());
                }
            }
        }
        let mut response =
            String::from("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n");
        for h in set_cookie {
            response.push_str(&format!("Set-Cookie: {h}\r\n"));
        }
        response.push_str("\r\n");
        let mut stream = stream;
        stream.write_all(response.as_bytes()).expect("respond");
        drop(stream);
        let status = child.wait().expect("wait for curl");
        assert!(status.success(), "curl failed: {status}");
        assert!(
            cookie.len() <= 1,
            "curl sends one Cookie header: {cookie:?}"
        );
        cookie.pop().unwrap_or_default()
    }
}

/// Cookies on www.example.com and example.com, each URL below receiving cookies of distinct
/// path lengths only.
const LINES: &[&str] = &[
    "root=1; Path=/",
    "dom=2; Domain=example.com; Path=/d",
    "app=3; Path=/app; HttpOnly",
    "deep=4; Path=/app/x; Max-Age=86400",
    "sec=5; Secure; Path=/s",
    "subdom=6; Domain=example.com; Path=/app/x/y",
];

const PATHS: &[(&str, &str)] = &[
    ("www.example.com", "/"),
    ("www.example.com", "/app/x/y/z"),
    ("www.example.com", "/app/"),
    ("www.example.com", "/d/e"),
    ("www.example.com", "/s"),
    ("sub.example.com", "/app/x/y"),
    ("sub.example.com", "/d"),
    ("example.com", "/app/x/y"),
    ("other.example", "/"),
];

#[test]
fn curl_sends_what_get_prints_from_an_exported_cookies_txt() {
    let d = TempDir::new();
    let server = Server::new();
    let jar = d.file("jar.json");
    let o = ok(cookiejar(
        &[
            &["--jar", &jar, "set", "https://www.example.com/"][..],
            LINES,
        ]
        .concat(),
    ));
    assert!(!o.contains("rejected"), "{o}");
    let txt = d.file("cookies.txt");
    assert_eq!(
        ok(cookiejar(&[
            "--jar", &jar, "export", "--to", "netscape", "-o", &txt
        ])),
        ""
    );
    let mut sent_any = 0;
    for (host, path) in PATHS {
        let url = server.url(host, path);
        let ours = jar_get(&jar, &url);
        assert_eq!(server.curl(&url, &["-b", &txt], &[]), ours, "{url}");
        sent_any += usize::from(!ours.is_empty());
    }
    assert!(sent_any >= 6, "the URLs exercise the cookies");
    // To stdout: the same file.
    assert_eq!(
        ok(cookiejar(&["--jar", &jar, "export", "--to", "netscape"])).into_bytes(),
        std::fs::read(&txt).expect("read")
    );
}

#[test]
fn what_curl_stores_imports_and_is_sent_as_curl_sends_it() {
    let d = TempDir::new();
    let server = Server::new();
    let txt = d.file("curl.txt");
    let first = server.url("www.example.com", "/app/login");
    // curl -c stores the response's cookies in a fresh cookies.txt.
    assert_eq!(server.curl(&first, &["-c", &txt], LINES), "");
    let jar = d.file("jar.json");
    let o = ok(cookiejar(&[
        "--jar", &jar, "import", "--from", "netscape", &txt,
    ]));
    // curl stores all but the Secure one, which an http response may not set (curl
    // lib/cookie.c `Curl_cookie_add`: "secure" on a non-secure connection is a bad cookie).
    assert_eq!(o, "5 imported, 0 refused\n");
    assert!(!std::fs::read_to_string(&txt)
        .expect("read")
        .contains("\tsec\t"));
    for (host, path) in PATHS {
        let url = server.url(host, path);
        assert_eq!(
            jar_get(&jar, &url),
            server.curl(&url, &["-b", &txt], &[]),
            "{url}"
        );
    }
}

#[test]
fn a_txt_jar_is_read_by_curl() {
    let d = TempDir::new();
    let server = Server::new();
    let txt = d.file("jar.txt");
    let o = ok(cookiejar(
        &[
            &["--jar", &txt, "set", "https://www.example.com/"][..],
            LINES,
        ]
        .concat(),
    ));
    assert_eq!(o.lines().count(), LINES.len(), "{o}");
    let file = std::fs::read_to_string(&txt).expect("the .txt jar");
    assert!(file.contains("#HttpOnly_www.example.com"), "{file}");
    for (host, path) in PATHS {
        let url = server.url(host, path);
        assert_eq!(
            server.curl(&url, &["-b", &txt], &[]),
            jar_get(&txt, &url),
            "{url}"
        );
    }
    // The jar reads its own file back: a second set keeps the first ones.
    ok(cookiejar(&[
        "--jar",
        &txt,
        "set",
        "https://www.example.com/",
        "late=7; Path=/late",
    ]));
    let url = server.url("www.example.com", "/late/app/x/y");
    assert_eq!(jar_get(&txt, &url), "late=7; root=1");
    assert_eq!(server.curl(&url, &["-b", &txt], &[]), "late=7; root=1");
    // A .cookies jar is cookies.txt too.
    let cookies = d.file("jar.cookies");
    ok(cookiejar(&[
        "--jar",
        &cookies,
        "set",
        "https://a.example/",
        "c=1",
    ]));
    assert!(std::fs::read_to_string(&cookies)
        .expect("read")
        .contains("a.example\tFALSE\t/\tFALSE\t0\tc\t1"));
}

#[test]
fn same_path_cookies_are_the_same_set() {
    let d = TempDir::new();
    let server = Server::new();
    let jar = d.file("jar.json");
    ok(cookiejar(&[
        "--jar",
        &jar,
        "set",
        "https://www.example.com/",
        "a=1",
        "longer=2",
        "b=3; Domain=example.com",
    ]));
    let txt = d.file("cookies.txt");
    ok(cookiejar(&[
        "--jar", &jar, "export", "--to", "netscape", "-o", &txt,
    ]));
    let url = server.url("www.example.com", "/");
    let sorted = |h: &str| {
        let mut v: Vec<String> = h.split("; ").map(str::to_owned).collect();
        v.sort();
        v
    };
    let ours = jar_get(&jar, &url);
    assert_eq!(ours, "a=1; longer=2; b=3", "creation order");
    assert_eq!(
        sorted(&server.curl(&url, &["-b", &txt], &[])),
        sorted(&ours)
    );
}

#[test]
fn a_cookie_cookies_txt_cannot_hold_is_left_out_with_a_warning() {
    let d = TempDir::new();
    let jar = d.file("jar.json");
    // A partitioned cookie (CHIPS): cookies.txt has no partition field, and without it curl
    // would send the cookie to every top-level site.
    ok(cookiejar(&[
        "--jar",
        &jar,
        "set",
        "https://widget.example/",
        "--from-page",
        "https://news.example/",
        "p=1; Secure; SameSite=None; Partitioned; Path=/",
        "plain=2; Secure; SameSite=None",
    ]));
    let o = cookiejar(&["--jar", &jar, "export", "--to", "netscape"]);
    let out = ok(o.clone());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(out.contains("\tplain\t2"), "{out}");
    assert!(!out.contains("\tp\t1"), "{out}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("cookiejar: warning: p (domain widget.example, path /, partition "),
        "{err}"
    );
    assert!(err.contains("left out"), "{err}");
}

#[test]
fn playwright_export_over_an_existing_file_keeps_its_origins() {
    let d = TempDir::new();
    let jar = d.file("jar.json");
    ok(cookiejar(&[
        "--jar",
        &jar,
        "set",
        "https://www.example.com/",
        "sid=1; Secure; HttpOnly; SameSite=Lax",
        "lang=en; Domain=example.com; Max-Age=3600",
    ]));
    let state = d.file("state.json");
    let origins = serde_json::json!([{
        "origin": "https://www.example.com",
        "localStorage": [{"name": "theme", "value": "dark"}]
    }]);
    std::fs::write(
        &state,
        serde_json::json!({"cookies": [], "origins": origins}).to_string(),
    )
    .expect("write");
    assert_eq!(
        ok(cookiejar(&[
            "--jar",
            &jar,
            "export",
            "--to",
            "playwright",
            "-o",
            &state
        ])),
        ""
    );
    let written: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&state).expect("read")).expect("json");
    assert_eq!(written["origins"], origins);
    let mut names: Vec<&str> = written["cookies"]
        .as_array()
        .expect("cookies")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["lang", "sid"]);
    // And it imports back into a fresh jar that sends the same.
    let fresh = d.file("fresh.json");
    let o = ok(cookiejar(&[
        "--jar",
        &fresh,
        "import",
        "--from",
        "playwright",
        &state,
    ]));
    assert_eq!(o, "2 imported, 0 refused\n");
    for url in ["https://www.example.com/", "https://api.example.com/"] {
        assert_eq!(jar_get(&fresh, url), jar_get(&jar, url), "{url}");
    }
    // To stdout there is no file to keep: an empty `origins`.
    let out: serde_json::Value = serde_json::from_str(&ok(cookiejar(&[
        "--jar",
        &jar,
        "export",
        "--to",
        "playwright",
    ])))
    .expect("json");
    assert_eq!(out["origins"], serde_json::json!([]));
}

#[test]
fn cdp_export_imports_back() {
    let d = TempDir::new();
    let jar = d.file("jar.json");
    ok(cookiejar(&[
        "--jar",
        &jar,
        "set",
        "https://www.example.com/a/",
        "x=1; Max-Age=600",
        "y=2; Domain=example.com; Path=/",
    ]));
    let cdp = d.file("cdp.json");
    ok(cookiejar(&[
        "--jar", &jar, "export", "--to", "cdp", "-o", &cdp,
    ]));
    let fresh = d.file("fresh.json");
    assert_eq!(
        ok(cookiejar(&[
            "--jar", &fresh, "import", "--from", "cdp", &cdp
        ])),
        "2 imported, 0 refused\n"
    );
    for url in ["https://www.example.com/a/b", "https://sub.example.com/"] {
        assert_eq!(jar_get(&fresh, url), jar_get(&jar, url), "{url}");
    }
}

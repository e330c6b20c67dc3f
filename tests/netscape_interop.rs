//! cookies.txt against the real tools, on loopback, no mocks: a small HTTP server on
//! `127.0.0.1:0` (std only) records the `Cookie` header each request carries and answers with
//! the `Set-Cookie` headers it is given; real `curl` reads and writes the files (host names
//! other than 127.0.0.1 reach the server through `--resolve`); Python's stdlib
//! `http.cookiejar.MozillaCookieJar` loads what we write.
//!
//! Header order. curl sorts the `Cookie` header by path length (longest first), then domain
//! length, then name length, then its creation counter (newest first), which for a file is the
//! line number (curl `lib/cookie.c` `cookie_sort`). The jar sorts by path length, then creation
//! time, oldest first (6265bis 5.8.3 step 2). So the two agree on the path-length order and may
//! differ within one path length: [`assert_same_header`] compares the path-length order exactly
//! and, within each path length, the cookies as sets. Where every cookie sent has its own path
//! length the headers are compared as strings.
//!
//! A case is skipped, with a message, only when `curl` or `python3` is not installed.

use cookiejar::persist::{netscape, RecordWarning};
use cookiejar::{Cookie, CookieJar, RequestContext, Timestamp, Url};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Names curl resolves to the loopback server.
const HOSTS: &[&str] = &[
    "www.example.com",
    "a.example.com",
    "example.com",
    "x.example.org",
];

/// One request the server saw.
#[derive(Clone, Debug)]
struct Seen {
    path: String,
    cookie: Option<String>,
}

struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
    set_cookies: Arc<Mutex<Vec<String>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let port = listener.local_addr().expect("local address").port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let set_cookies = Arc::new(Mutex::new(Vec::new()));
        let (s, c) = (Arc::clone(&seen), Arc::clone(&set_cookies));
        // The thread ends with the test process.
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &s, &c);
            }
        });
        Server {
            port,
            seen,
            set_cookies,
        }
    }

    /// The `Set-Cookie` header values every later response carries.
    fn answer_with(&self, lines: &[&str]) {
        *self.set_cookies.lock().unwrap() = lines.iter().map(|s| s.to_string()).collect();
    }

    fn last(&self) -> Seen {
        self.seen
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("a request")
    }
}

/// One HTTP/1.1 exchange: read the head, record it, answer 200 with the `Set-Cookie` lines.
fn serve(mut stream: TcpStream, seen: &Mutex<Vec<Seen>>, set_cookies: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .unwrap_or("")
        .to_owned();
    let cookies: Vec<&str> = lines
        .filter_map(|l| l.split_once(':'))
        .filter(|(k, _)| k.eq_ignore_ascii_case("cookie"))
        .map(|(_, v)| v.trim())
        .collect();
    let cookie = (!cookies.is_empty()).then(|| cookies.join("; "));
    seen.lock().unwrap().push(Seen { path, cookie });
    let mut reply = String::from("HTTP/1.1 200 OK\r\n");
    for line in set_cookies.lock().unwrap().iter() {
        reply.push_str(&format!("Set-Cookie: {line}\r\n"));
    }
    reply.push_str("Content-Length: 0\r\nConnection: close\r\n\r\n");
    let _ = stream.write_all(reply.as_bytes());
}

fn have(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        println!("SKIPPED: `{tool}` is not installed");
    }
    found
}

fn scratch(case: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cookiejar-netscape-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Runs real curl against the server for `url` (http://HOST/PATH, the port added) with the
/// extra arguments (`-b FILE`, `-c FILE`), and returns the `Cookie` header the server got.
fn curl(server: &Server, args: &[&str], host_and_path: &str) -> Option<String> {
    let url = url(server, host_and_path);
    let mut cmd = Command::new("curl");
    // -q: no ~/.curlrc; no proxy from the environment.
    cmd.args(["-q", "-s", "-S", "-o", "/dev/null", "--noproxy", "*"]);
    for host in HOSTS {
        cmd.arg("--resolve")
            .arg(format!("{host}:{}:127.0.0.1", server.port));
    }
    let out = cmd.args(args).arg(&url).output().expect("run curl");
    assert!(
        out.status.success(),
        "curl {args:?} {url}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = server.last();
    assert_eq!(
        seen.path,
        Url::parse(&url).unwrap().path(),
        "the server saw this request"
    );
    seen.cookie
}

fn url(server: &Server, host_and_path: &str) -> String {
    let (host, path) = host_and_path.split_once('/').unwrap_or((host_and_path, ""));
    format!("http://{host}:{}/{path}", server.port)
}

fn jar_header(
    jar: &CookieJar,
    server: &Server,
    host_and_path: &str,
    now: Timestamp,
) -> Option<String> {
    let url = Url::parse(&url(server, host_and_path)).unwrap();
    jar.cookie_header(&RequestContext::navigation(&url), now)
}

/// `name=value` pairs of a header, each with the length of its cookie's path in `jar` (names
/// are unique within each test's jar).
fn keyed(header: Option<&str>, jar: &CookieJar) -> Vec<(usize, String)> {
    let paths: HashMap<String, usize> = jar
        .iter()
        .map(|c| (c.name_str().into_owned(), c.path().len()))
        .collect();
    header
        .map(|h| {
            h.split("; ")
                .map(|pair| {
                    let name = pair.split('=').next().unwrap_or("");
                    let len = *paths
                        .get(name)
                        .unwrap_or_else(|| panic!("{name:?} is not in the jar"));
                    (len, pair.to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The same cookies, in the same path-length order; within one path length, as sets (see the
/// module documentation for why).
fn assert_same_header(curl: Option<&str>, ours: Option<&str>, jar: &CookieJar, what: &str) {
    let (c, o) = (keyed(curl, jar), keyed(ours, jar));
    let lengths = |v: &[(usize, String)]| v.iter().map(|(l, _)| *l).collect::<Vec<_>>();
    assert_eq!(
        lengths(&c),
        lengths(&o),
        "{what}: path-length order differs: curl {curl:?}, jar {ours:?}"
    );
    let sorted = |mut v: Vec<(usize, String)>| {
        v.sort();
        v
    };
    assert_eq!(
        sorted(c),
        sorted(o),
        "{what}: cookies differ: curl {curl:?}, jar {ours:?}"
    );
}

fn day_after(now: Timestamp) -> Option<Timestamp> {
    Some(now.plus_seconds(24 * 3600))
}

/// Case 1: a jar's cookies, written by `netscape::write` and sent by real `curl -b FILE`, give
/// the header the jar gives for the same URL.
#[test]
fn curl_sends_what_the_jar_sends_from_our_file() {
    if !have("curl") {
        return;
    }
    let server = Server::start();
    let now = Timestamp::now();
    let mut n = 0;
    let mut next = |b: cookiejar::CookieBuilder| {
        n += 1;
        b.creation(now.plus_micros(-1000 + n))
            .build()
            .expect("canonical")
    };
    let cookies = vec![
        next(Cookie::builder("host", "1", "www.example.com")),
        next(Cookie::builder("dom", "2", "example.com").host_only(false)),
        next(
            Cookie::builder("pa", "3", "www.example.com")
                .path("/a")
                .expires(day_after(now)),
        ),
        next(Cookie::builder("pab", "4", "www.example.com").path("/a/b")),
        next(
            Cookie::builder("sec", "5", "example.com")
                .host_only(false)
                .secure(true),
        ),
        next(Cookie::builder("ahost", "6", "a.example.com").expires(day_after(now))),
        next(Cookie::builder("ho", "7", "www.example.com").http_only(true)),
        next(Cookie::builder("apex", "8", "example.com")),
        next(Cookie::builder("ip", "9", "127.0.0.1").path("/ip")),
        next(Cookie::builder("ipsec", "10", "127.0.0.1").secure(true)),
        next(Cookie::builder("o0", "a", "x.example.org")),
        next(
            Cookie::builder("o1", "b", "x.example.org")
                .path("/x")
                .expires(day_after(now)),
        ),
        next(
            Cookie::builder("o2", "c", "x.example.org")
                .path("/x/y")
                .http_only(true),
        ),
        next(
            Cookie::builder("odom", "d", "example.org")
                .host_only(false)
                .path("/q"),
        ),
    ];
    let mut jar = CookieJar::new();
    for c in &cookies {
        jar.insert(c.clone(), now).expect("insert");
    }
    let written = netscape::write(jar.iter(), now);
    assert!(written.refused.is_empty());
    let dir = scratch("send");
    let file = dir.join("cookies.txt");
    std::fs::write(&file, &written.bytes).unwrap();
    let file = file.to_str().unwrap();

    for target in [
        "www.example.com/",
        "www.example.com/a",
        "www.example.com/a/b/c",
        "www.example.com/ab",
        "a.example.com/a/b",
        "example.com/",
        "127.0.0.1/ip/x",
        "x.example.org/q",
        "x.example.org/nothing-here",
    ] {
        let sent = curl(&server, &["-b", file], target);
        let ours = jar_header(&jar, &server, target, now);
        println!("{target}: curl {sent:?}, jar {ours:?}");
        assert!(sent.is_some(), "{target}: every target here gets cookies");
        assert_same_header(sent.as_deref(), ours.as_deref(), &jar, target);
    }
    // Each cookie sent has its own path length: the whole header, order included.
    let sent = curl(&server, &["-b", file], "x.example.org/x/y/z");
    assert_eq!(sent.as_deref(), Some("o2=c; o1=b; o0=a"));
    assert_eq!(jar_header(&jar, &server, "x.example.org/x/y/z", now), sent);
    // Secure cookies over plain http: neither sends them to a non-loopback host.
    let sent = curl(&server, &["-b", file], "www.example.com/").unwrap_or_default();
    assert!(!sent.contains("sec=5"), "{sent}");
    // ... but both treat 127.0.0.1 as a secure context (curl lib/http.c: localhost, 127.0.0.1
    // and ::1; the jar: Chromium's potentially trustworthy loopback, Policy::trust_loopback).
    let sent = curl(&server, &["-b", file], "127.0.0.1/");
    assert_eq!(sent.as_deref(), Some("ipsec=10"));
    assert_eq!(jar_header(&jar, &server, "127.0.0.1/", now), sent);
    let _ = std::fs::remove_dir_all(dir);
}

/// Case 2: cookies a server sets on real `curl -c FILE`, read with `netscape::read` and
/// imported, give a jar whose header is what `curl -b FILE` sends next.
#[test]
fn jar_sends_what_curl_sends_from_curls_file() {
    if !have("curl") {
        return;
    }
    let server = Server::start();
    let dir = scratch("receive");
    let file = dir.join("cookies.txt");
    let file = file.to_str().unwrap();
    server.answer_with(&[
        "sess=1",
        "dom=2; Domain=example.com; Path=/",
        "deep=3; Path=/set/x/y; Max-Age=3600",
        "ho=4; HttpOnly; Path=/",
        "far=5; Path=/; Expires=Wed, 01 Jan 2031 00:00:00 GMT",
        "sec=6; Secure; Path=/",
        "gone=7; Path=/; Max-Age=0",
    ]);
    assert_eq!(curl(&server, &["-c", file], "www.example.com/set/x"), None);
    server.answer_with(&["ahost=8; Path=/"]);
    // -b too: curl -c alone starts from an empty jar and would overwrite the file.
    assert_eq!(
        curl(&server, &["-b", file, "-c", file], "a.example.com/").as_deref(),
        Some("dom=2")
    );
    server.answer_with(&[]);

    let bytes = std::fs::read(file).expect("curl wrote the file");
    assert!(
        bytes.starts_with(netscape::HEADER.as_bytes()),
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let now = Timestamp::now();
    let records = netscape::read(&bytes, now);
    assert!(records.refused.is_empty(), "{:?}", records.refused);
    // curl keeps far=5's 2031 expiry; the reader caps it at 400 days.
    assert_eq!(
        records.warnings.iter().map(|(_, w)| *w).collect::<Vec<_>>(),
        [RecordWarning::ExpiryCapped]
    );
    let mut jar = CookieJar::new();
    let report = jar.import(records, now);
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    // curl refused the Secure cookie from http and dropped the expired one.
    let mut names: Vec<String> = jar.iter().map(|c| c.name_str().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["ahost", "deep", "dom", "far", "ho", "sess"]);
    let ho = jar.iter().find(|c| c.name() == b"ho").unwrap();
    assert!(ho.http_only() && ho.host_only());
    assert!(!jar.iter().find(|c| c.name() == b"dom").unwrap().host_only());

    for target in [
        "www.example.com/set/x/y/z",
        "www.example.com/set/q",
        "www.example.com/",
        "a.example.com/",
        "example.com/set/x/y",
    ] {
        let sent = curl(&server, &["-b", file], target);
        let ours = jar_header(&jar, &server, target, now);
        println!("{target}: curl {sent:?}, jar {ours:?}");
        assert!(sent.is_some(), "{target}: every target here gets cookies");
        assert_same_header(sent.as_deref(), ours.as_deref(), &jar, target);
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Case 3: Python's `http.cookiejar.MozillaCookieJar` loads our file without error and reports
/// the cookies we wrote.
#[test]
fn python_mozilla_cookie_jar_loads_our_file() {
    if !have("python3") {
        return;
    }
    let now = Timestamp::now();
    let expires = Timestamp::from_unix_seconds(now.unix_seconds() + 3600);
    let cookies = [
        Cookie::builder("dom", "1", "example.com")
            .host_only(false)
            .expires(Some(expires)),
        Cookie::builder("host", "two words", "www.example.com")
            .path("/p")
            .secure(true),
        Cookie::builder("ho", "", "www.example.com")
            .http_only(true)
            .expires(Some(expires)),
        Cookie::builder("__Host-x", "y", "www.example.com")
            .secure(true)
            .http_only(true),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, b)| b.creation(now.plus_micros(i as i64)).build().unwrap())
    .collect::<Vec<_>>();
    let written = netscape::write(&cookies, now);
    assert!(written.refused.is_empty());
    let dir = scratch("python");
    let file = dir.join("cookies.txt");
    std::fs::write(&file, &written.bytes).unwrap();

    // Python reads expiry 0 as expired (curl's session cookie), so the session cookies are
    // there only with ignore_expires; a plain load must still succeed and keep the others.
    let script = r#"
import sys, http.cookiejar as cj
for ignore in (False, True):
    jar = cj.MozillaCookieJar()
    jar.load(sys.argv[1], ignore_discard=ignore, ignore_expires=ignore)
    for c in jar:
        print("\t".join([str(ignore), c.name, c.value or "", c.domain, c.path, str(c.secure),
                         str(c.expires), str(c.has_nonstandard_attr(cj.HTTPONLY_ATTR)),
                         str(c.domain_specified)]))
"#;
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&file)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut got: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    got.sort();
    let mut want = Vec::new();
    for ignore in [false, true] {
        for c in &cookies {
            if !ignore && c.expires().is_none() {
                continue;
            }
            let domain = if c.host_only() {
                c.domain().to_owned()
            } else {
                format!(".{}", c.domain())
            };
            let cap = |b: bool| if b { "True" } else { "False" };
            want.push(
                [
                    cap(ignore).to_owned(),
                    c.name_str().into_owned(),
                    c.value_str().into_owned(),
                    domain,
                    c.path().to_owned(),
                    cap(c.secure()).to_owned(),
                    c.expires().map_or(0, |e| e.unix_seconds()).to_string(),
                    cap(c.http_only()).to_owned(),
                    cap(!c.host_only()).to_owned(),
                ]
                .join("\t"),
            );
        }
    }
    want.sort();
    assert_eq!(got, want);
    let _ = std::fs::remove_dir_all(dir);
}

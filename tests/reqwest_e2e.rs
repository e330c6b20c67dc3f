//! A real reqwest client with `SharedJar` as its cookie provider, against a small HTTP/1.1
//! server on loopback: cookies set on one response come back on the next, a deletion takes,
//! raw non-ASCII bytes survive both ways, and a redirect across two host names (both mapped
//! to 127.0.0.1 with reqwest's `resolve`) stores each hop's cookies under its own host.
//!
//! Needs the `reqwest` feature: `cargo test --all-features --test reqwest_e2e`.

use cookiejar::{RequestContext, SharedJar, Timestamp};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// The most connections the server answers, and how long it waits for them in all.
const MAX_CONNECTIONS: usize = 64;
const SERVER_LIFETIME: Duration = Duration::from_secs(30);

struct Request {
    path: String,
    host: String,
    cookie: Vec<u8>,
}

/// Reads one request head (bounded in size and time). The requests carry no body.
fn read_request(stream: &TcpStream) -> Option<Request> {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let mut reader = BufReader::new(stream.take(64 * 1024));
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).ok()?;
    let request_line = String::from_utf8_lossy(&line).into_owned();
    let path = request_line.split(' ').nth(1)?.to_owned();
    let (mut host, mut cookie) = (String::new(), Vec::new());
    for _ in 0..100 {
        line.clear();
        if reader.read_until(b'\n', &mut line).ok()? == 0 {
            break;
        }
        let l = line.strip_suffix(b"\r\n").unwrap_or(&line);
        if l.is_empty() {
            break;
        }
        let colon = l.iter().position(|&b| b == b':')?;
        let (name, value) = l.split_at(colon);
        let value = value[1..].trim_ascii();
        if name.eq_ignore_ascii_case(b"host") {
            host = String::from_utf8_lossy(value).into_owned();
        } else if name.eq_ignore_ascii_case(b"cookie") {
            cookie = value.to_vec();
        }
    }
    Some(Request { path, host, cookie })
}

/// The server's routes: (status, extra headers, set-cookie values), the body being the
/// request's `Cookie` header as received.
fn respond(req: &Request, port: u16) -> (u16, Vec<Vec<u8>>, Vec<&'static [u8]>) {
    match req.path.as_str() {
        "/set" => (
            200,
            vec![],
            vec![
                b"sid=s3cr3t; Path=/; HttpOnly",
                b"theme=dark; Path=/; Max-Age=3600",
                // Raw UTF-8 in the value ("caf\u{e9}"): must be stored and sent as these bytes.
                b"utf=caf\xc3\xa9; Path=/",
                b"gone=soon; Path=/",
                // Secure from plain http on a name that is not loopback: refused, as Chromium.
                b"sec=1; Secure; Path=/",
            ],
        ),
        "/delete" => (200, vec![], vec![b"gone=; Path=/; Max-Age=0"]),
        "/redirect" => (
            302,
            vec![format!("Location: http://two.test:{port}/land").into_bytes()],
            vec![b"hop=1; Path=/"],
        ),
        "/land" => (200, vec![], vec![b"landed=1; Path=/"]),
        _ => (200, vec![], vec![]),
    }
}

fn serve(listener: TcpListener, stop: &AtomicBool) {
    let port = listener.local_addr().map_or(0, |a| a.port());
    listener.set_nonblocking(true).unwrap();
    let deadline = Instant::now() + SERVER_LIFETIME;
    let mut served = 0;
    while served < MAX_CONNECTIONS && Instant::now() < deadline && !stop.load(Ordering::Relaxed) {
        let stream = match listener.accept() {
            Ok((s, _)) => s,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
                continue;
            }
            Err(_) => break,
        };
        served += 1;
        stream.set_nonblocking(false).unwrap();
        let Some(req) = read_request(&stream) else {
            continue;
        };
        let (status, headers, cookies) = respond(&req, port);
        let mut out = format!(
            "HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\nX-Host: {}\r\n",
            if status == 302 { "Found" } else { "OK" },
            req.cookie.len(),
            req.host
        )
        .into_bytes();
        for h in headers {
            out.extend_from_slice(&h);
            out.extend_from_slice(b"\r\n");
        }
        for c in cookies {
            out.extend_from_slice(b"Set-Cookie: ");
            out.extend_from_slice(c);
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(&req.cookie);
        let mut stream = stream;
        let _ = stream.write_all(&out);
        let _ = stream.flush();
    }
}

/// The `Cookie` header the server received for `path` on `host` (the response body).
async fn cookie_sent(client: &reqwest::Client, host: &str, port: u16, path: &str) -> Vec<u8> {
    let res = client
        .get(format!("http://{host}:{port}{path}"))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success(), "{host}{path}: {}", res.status());
    res.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn reqwest_client_with_shared_jar() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let port = addr.port();
    let stop = Arc::new(AtomicBool::new(false));
    let server = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || serve(listener, &stop))
    };

    let jar = Arc::new(SharedJar::new());
    let client = reqwest::Client::builder()
        .cookie_provider(Arc::clone(&jar))
        .resolve("one.test", addr)
        .resolve("two.test", addr)
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    // First response sets cookies; nothing was sent yet.
    assert_eq!(cookie_sent(&client, "one.test", port, "/set").await, b"");
    // The next request carries them, in header order (equal paths: creation order), with
    // the raw UTF-8 bytes intact, and without the Secure cookie refused over http.
    let sent = cookie_sent(&client, "one.test", port, "/check").await;
    assert_eq!(
        sent,
        b"sid=s3cr3t; theme=dark; utf=caf\xc3\xa9; gone=soon",
        "{}",
        String::from_utf8_lossy(&sent)
    );

    // A deletion (Max-Age=0) takes.
    cookie_sent(&client, "one.test", port, "/delete").await;
    let sent = cookie_sent(&client, "one.test", port, "/check").await;
    assert_eq!(sent, b"sid=s3cr3t; theme=dark; utf=caf\xc3\xa9");

    // A redirect from one.test to two.test: the 302's cookie is stored for one.test and sent
    // on the first hop only; two.test gets none of one.test's cookies.
    let res = client
        .get(format!("http://one.test:{port}/redirect"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.url().host_str(), Some("two.test"));
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"");
    assert_eq!(
        cookie_sent(&client, "two.test", port, "/check").await,
        b"landed=1"
    );
    assert_eq!(
        cookie_sent(&client, "one.test", port, "/check").await,
        b"sid=s3cr3t; theme=dark; utf=caf\xc3\xa9; hop=1"
    );

    // The jar itself agrees, read directly.
    let one = Url::parse(&format!("http://one.test:{port}/")).unwrap();
    assert_eq!(
        jar.cookie_header_bytes(&RequestContext::navigation(&one), Timestamp::now())
            .as_deref(),
        Some(&b"sid=s3cr3t; theme=dark; utf=caf\xc3\xa9; hop=1"[..])
    );
    assert_eq!(jar.len(), 5);

    // Stop the server and make sure it did not panic.
    stop.store(true, Ordering::Relaxed);
    server.join().unwrap();
}

//! The Flask app of `tests/flask_app/app.py`, started on a free loopback port for one test run
//! and stopped when dropped (it also exits by itself when its standard input closes, so a test
//! that dies takes it along). Missing python3 or Flask is a test failure that says how to
//! install them (`.ci/test-deps`), never a skip.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// A running Flask app.
pub struct FlaskApp {
    child: Child,
    /// Held open: the app exits when it closes.
    _stdin: Option<ChildStdin>,
    port: u16,
}

impl FlaskApp {
    /// Starts the app and waits (up to 30 s) for the port it prints.
    pub fn start() -> FlaskApp {
        let app = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/flask_app/app.py");
        let mut child = Command::new("python3")
            .arg(&app)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start python3 {}: {e} (install it with .ci/test-deps)",
                    app.display()
                )
            });
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take().expect("piped stderr");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let port = rx
            .recv_timeout(Duration::from_secs(30))
            .ok()
            .and_then(|l| l.strip_prefix("PORT ")?.trim().parse::<u16>().ok());
        let Some(port) = port else {
            let _ = child.kill();
            let _ = child.wait();
            let mut err = String::new();
            let _ = BufReader::new(stderr).read_to_string(&mut err);
            panic!("the Flask app did not start (is Flask installed? run .ci/test-deps):\n{err}");
        };
        // Keep draining stderr (the request log) so the app never blocks on a full pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut BufReader::new(stderr), &mut std::io::sink());
        });
        let stdin = child.stdin.take();
        FlaskApp {
            child,
            _stdin: stdin,
            port,
        }
    }

    /// The loopback port it serves on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Every request the app received since the last call, one line each:
    /// `METHOD host/path [Cookie header]`. Read with a bare socket, so no client's jar is
    /// involved.
    pub fn take_log(&self) -> Vec<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to Flask");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "GET /__log HTTP/1.0\r\nHost: 127.0.0.1:{}\r\n\r\n",
            self.port
        )
        .expect("write");
        let mut reply = Vec::new();
        stream.read_to_end(&mut reply).expect("read the log");
        let text = String::from_utf8_lossy(&reply);
        let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        body.lines().map(str::to_owned).collect()
    }
}

impl Drop for FlaskApp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

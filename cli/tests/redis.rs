//! `cookiejar --jar redis://...` against a real `redis-server` on loopback (started here in a
//! temporary directory): two runs of the binary share the jar, and a server that cannot be
//! reached is exit 2 with a message, not a panic.

#[path = "../../tests/common/redis_server.rs"]
mod redis_server;

use redis_server::RedisServer;
use std::process::{Command, Output};

fn run(jar: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .arg("--jar")
        .arg(jar)
        .args(["--now", "1800000000"])
        .args(args)
        .env_remove("COOKIEJAR_JAR")
        .output()
        .expect("run the cookiejar binary")
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn two_commands_share_a_redis_jar() {
    let server = RedisServer::start("cli");
    let jar = format!("{}?ns=cli-test", server.url());
    let o = run(
        &jar,
        &[
            "set",
            "https://www.example.com/",
            "sid=1; Domain=example.com",
            "x=1; Domain=com",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "one line is rejected");
    assert!(text(&o).contains("stored sid"), "{}", text(&o));
    assert!(text(&o).contains("rejected x"), "{}", text(&o));
    let o = run(&jar, &["get", "https://api.example.com/"]);
    assert!(o.status.success());
    assert_eq!(text(&o).trim(), "sid=1");
    // Another namespace is another jar.
    let o = run(
        &format!("{}?ns=other", server.url()),
        &["get", "https://api.example.com/"],
    );
    assert_eq!(text(&o).trim(), "");
    let o = run(&jar, &["list"]);
    assert!(text(&o).contains("sid"), "{}", text(&o));
    let o = run(&jar, &["remove", "sid", "--domain", "example.com"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&jar, &["get", "https://api.example.com/"]);
    assert_eq!(text(&o).trim(), "");
    let o = run(
        &format!("{}?bogus=1", server.url()),
        &["get", "https://example.com/"],
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unreachable_server_is_exit_2() {
    let mut server = RedisServer::start("cli-down");
    let url = server.url();
    server.kill();
    let o = run(&url, &["get", "https://example.com/"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("unreachable"), "{err}");
}

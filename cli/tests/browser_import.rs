//! `cookiejar import --from firefox|chromium` on the cookie databases real Firefox ESR and
//! Chromium wrote (`tests/fixtures/browser/`, made by `scripts/browser-fixtures/make.py`):
//! what the command prints, and that `cookiejar get` then sends what the browser sent.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/browser")
        .join(name)
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "cookiejar-cli-browser-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn cookiejar(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cookiejar"))
        .args(args)
        .env_remove("COOKIEJAR_JAR")
        .env_remove("COOKIEJAR_KEY_PASSWORD")
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// (port, the visit's end in Unix seconds, the Cookie header of each request that had one)
fn visit(browser: &str) -> (u64, String, Vec<(String, String)>) {
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(&format!("{browser}.json"))).unwrap(),
    )
    .unwrap();
    let port = v["port"].as_u64().unwrap();
    let now = (v["finished_us"].as_i64().unwrap() / 1_000_000 + 1).to_string();
    let reqs = v["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let url = format!(
                "http://{}:{port}{}",
                r["host"].as_str()?,
                r["path"].as_str()?
            );
            Some((url, r["cookie"].as_str()?.to_owned()))
        })
        .collect();
    (port, now, reqs)
}

fn sends_what_the_browser_sent(jar: &str, browser: &str, missing: &[&str]) {
    let (_, now, reqs) = visit(browser);
    assert_eq!(reqs.len(), 3);
    for (url, header) in reqs {
        let want: Vec<&str> = header
            .split("; ")
            .filter(|kv| !missing.iter().any(|m| kv.starts_with(&format!("{m}="))))
            .collect();
        let o = cookiejar(&["--jar", jar, "--now", &now, "get", &url]);
        assert!(o.status.success(), "{o:?}");
        assert_eq!(out(&o).trim_end(), want.join("; "), "{url}");
    }
}

#[test]
fn chromium_database_imports_and_sends_what_chromium_sent() {
    let dir = TempDir::new();
    let jar = dir.path("jar.json");
    let (_, now, _) = visit("chromium");
    let db = fixture("chromium-Cookies");
    let o = cookiejar(&[
        "--jar",
        &jar,
        "--now",
        &now,
        "import",
        "--from",
        "chromium",
        db.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(out(&o), "14 imported, 0 refused\n");
    sends_what_the_browser_sent(&jar, "chromium", &[]);
}

#[test]
fn firefox_profile_directory_imports_and_sends_what_firefox_sent() {
    let dir = TempDir::new();
    std::fs::create_dir_all(dir.0.join("profile")).unwrap();
    std::fs::copy(
        fixture("firefox-cookies.sqlite"),
        dir.0.join("profile/cookies.sqlite"),
    )
    .unwrap();
    let jar = dir.path("jar.json");
    let (_, now, _) = visit("firefox");
    let o = cookiejar(&[
        "--jar",
        &jar,
        "--now",
        &now,
        "import",
        "--from",
        "firefox",
        &dir.path("profile"),
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(out(&o), "12 imported, 0 refused\n");
    // Firefox does not write session cookies to its database.
    sends_what_the_browser_sent(&jar, "firefox", &["host", "dom"]);
    // Another container of the profile holds none of them.
    let other = dir.path("other.json");
    let o = cookiejar(&[
        "--jar",
        &other,
        "--now",
        &now,
        "import",
        "--from",
        "firefox",
        "--container",
        "1",
        &dir.path("profile"),
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(out(&o), "0 imported, 0 refused\n");
}

#[test]
fn v11_needs_the_key_password() {
    let dir = TempDir::new();
    let db = dir.path("Cookies");
    std::fs::copy(fixture("chromium-Cookies"), &db).unwrap();
    // Re-encrypt every value as v11 under a keyring password.
    let plain = cookiejar::import::chromium::read(
        fixture("chromium-Cookies"),
        &cookiejar::import::chromium::Options::default(),
    )
    .unwrap();
    let conn = rusqlite::Connection::open(&db).unwrap();
    for r in &plain.records {
        let cookiejar::persist::Location::Index(rowid) = r.location else {
            panic!()
        };
        let host: String = conn
            .query_row(
                "SELECT host_key FROM cookies WHERE rowid = ?1",
                [rowid as i64],
                |x| x.get(0),
            )
            .unwrap();
        let ev = cookiejar::import::chromium::encrypt_value(
            r.cookie.value(),
            Some(b"hunter2"),
            Some(host.as_bytes()),
        );
        conn.execute(
            "UPDATE cookies SET encrypted_value = ?1 WHERE rowid = ?2",
            rusqlite::params![ev, rowid as i64],
        )
        .unwrap();
    }
    drop(conn);
    let (_, now, _) = visit("chromium");
    let jar = dir.path("jar.json");
    let o = cookiejar(&[
        "--jar", &jar, "--now", &now, "import", "--from", "chromium", &db,
    ]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let text = out(&o);
    assert!(text.starts_with("0 imported, 14 refused\n"), "{text}");
    assert_eq!(text.matches("give the key password").count(), 14, "{text}");
    let o = cookiejar(&[
        "--jar",
        &jar,
        "--now",
        &now,
        "import",
        "--from",
        "chromium",
        "--key-password",
        "hunter2",
        &db,
    ]);
    assert!(o.status.success(), "{o:?}");
    assert_eq!(out(&o), "14 imported, 0 refused\n");
    sends_what_the_browser_sent(&jar, "chromium", &[]);
}

#[test]
fn browser_import_errors_are_clear() {
    let dir = TempDir::new();
    let jar = dir.path("jar.json");
    let db = fixture("chromium-Cookies");
    let o = cookiejar(&[
        "--jar",
        &jar,
        "import",
        "--from",
        "firefox",
        "--key-password",
        "x",
        db.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--key-password is for --from chromium"));
    let o = cookiejar(&[
        "--jar",
        &jar,
        "import",
        "--from",
        "firefox",
        db.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("not a browser cookie database"),
        "{o:?}"
    );
    let o = cookiejar(&[
        "--jar",
        &jar,
        "import",
        "--from",
        "chromium",
        &dir.path("none"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no cookie database at"),
        "{o:?}"
    );
    assert!(!Path::new(&jar).exists(), "a failed import creates no jar");
}

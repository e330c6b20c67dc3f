//! Three HTTP clients with the jar (reqwest's [`Client`](cookiejar::client::reqwest::Client),
//! ureq's [`Agent`](cookiejar::client::ureq::Agent), hyper-util's client under tower-http's
//! `FollowRedirect` and [`CookieLayer`](cookiejar::client::tower::CookieLayer)), each driving the
//! real Flask app of `tests/flask_app/app.py` (started on a loopback port per client) through the
//! same exchange: a preference set and read back, a cookie scoped to a path, a `max_age` that
//! expires while the test waits, `delete_cookie`, a login that sets the signed session and a
//! page that reads it (a POST redirected by a 302, so it becomes a GET), a redirect from one host
//! name to another (both mapped to 127.0.0.1: a cookie for one must not reach the other), a
//! cross-site POST navigation and a cross-site GET navigation (Lax and Strict cookies), 303 and
//! 307 form redirects, and a logout that deletes the session.
//!
//! Each client gets the same answers, the Flask app sees the same `Cookie` header on every
//! request (redirect hops included) from each, and those headers are the ones the scenario
//! replay of the same exchange (`tests/flask_app/exchange.json`) produces and expects.
//!
//! Needs python3 with Flask (`.ci/test-deps` installs it): without it the test fails, saying so.
//! `cargo test -p cookiejar --features reqwest,ureq,tower,sqlite --test clients`

#[path = "common/flask.rs"]
mod flask;

use cookiejar::client::tower::{ChainPolicy, CookieLayer};
use cookiejar::client::{ClientContext, ClientError, RedirectError};
use cookiejar::persist::sqlite::{SqliteJar, SqliteOptions};
use cookiejar::{CookieJar, Policy, SharedJar, Url};
use flask::FlaskApp;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tower::{ServiceBuilder, ServiceExt};
use tower_http::follow_redirect::policy::{clone_body_fn, PolicyExt};
use tower_http::follow_redirect::FollowRedirectLayer;

/// The two host names of the exchange, cross-site to each other (`.test` is a reserved TLD,
/// RFC 6761, and not a public suffix, so each name is its own site).
const A: &str = "site-a.test";
const B: &str = "site-b.test";

/// One request of the exchange, as a browser would make it.
struct Req<'a> {
    method: &'a str,
    url: String,
    form: Option<&'a str>,
    context: ClientContext,
}

/// A client under test: sends one request (following redirects) and returns the final status
/// and body.
trait Browser {
    fn try_send(&self, req: &Req<'_>) -> Result<(u16, Vec<u8>), Failure>;

    fn send(&self, req: &Req<'_>) -> (u16, Vec<u8>) {
        self.try_send(req)
            .unwrap_or_else(|e| panic!("{}: {e:?}", req.url))
    }
}

/// Why a client gave no response.
#[derive(Debug, PartialEq)]
enum Failure {
    Redirect(RedirectError),
    Other(String),
}

fn failure<E: std::fmt::Display>(e: ClientError<E>) -> Failure {
    match e {
        ClientError::Redirect(r) => Failure::Redirect(r),
        other => Failure::Other(other.to_string()),
    }
}

// ---- reqwest: cookiejar::client::reqwest::Client over Arc<SharedJar> ----

struct Reqwest {
    rt: tokio::runtime::Runtime,
    client: cookiejar::client::reqwest::Client<Arc<SharedJar>>,
}

impl Reqwest {
    fn new(port: u16, jar: Arc<SharedJar>) -> Self {
        let lo = SocketAddr::from(([127, 0, 0, 1], port));
        let inner = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .resolve(A, lo)
            .resolve(B, lo)
            .build()
            .unwrap();
        Reqwest {
            rt: runtime(),
            client: cookiejar::client::reqwest::Client::with_client(inner, jar),
        }
    }
}

impl Browser for Reqwest {
    fn try_send(&self, req: &Req<'_>) -> Result<(u16, Vec<u8>), Failure> {
        self.rt.block_on(async {
            let method = reqwest::Method::from_bytes(req.method.as_bytes()).unwrap();
            let mut builder = self.client.inner().request(method, &req.url);
            if let Some(form) = req.form {
                builder = builder
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form.to_owned());
            }
            let res = self
                .client
                .execute_in(builder.build().unwrap(), &req.context)
                .await
                .map_err(failure)?;
            let status = res.status().as_u16();
            Ok((status, res.bytes().await.unwrap().to_vec()))
        })
    }
}

// ---- ureq: cookiejar::client::ureq::Agent over Arc<Mutex<CookieJar>> ----

/// Every host name is 127.0.0.1 (at the URI's port).
#[derive(Debug)]
struct Loopback;

impl ureq::unversioned::resolver::Resolver for Loopback {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ureq::unversioned::resolver::ResolvedSocketAddrs, ureq::Error> {
        let mut addrs = self.empty();
        addrs.push(SocketAddr::from((
            [127, 0, 0, 1],
            uri.port_u16().unwrap_or(80),
        )));
        Ok(addrs)
    }
}

struct Ureq {
    agent: cookiejar::client::ureq::Agent<Arc<Mutex<CookieJar>>>,
}

impl Ureq {
    fn new(jar: Arc<Mutex<CookieJar>>) -> Self {
        let agent = ureq::Agent::with_parts(
            ureq::Agent::config_builder().build(),
            ureq::unversioned::transport::DefaultConnector::new(),
            Loopback,
        );
        Ureq {
            agent: cookiejar::client::ureq::Agent::with_agent(agent, jar),
        }
    }
}

impl Browser for Ureq {
    fn try_send(&self, req: &Req<'_>) -> Result<(u16, Vec<u8>), Failure> {
        let mut builder = http::Request::builder().method(req.method).uri(&req.url);
        if req.form.is_some() {
            builder = builder.header("content-type", "application/x-www-form-urlencoded");
        }
        let body = req.form.unwrap_or("").as_bytes().to_vec();
        let mut res = self
            .agent
            .run_in(builder.body(body).unwrap(), &req.context)
            .map_err(failure)?;
        let status = res.status().as_u16();
        Ok((status, res.body_mut().read_to_vec().unwrap()))
    }
}

// ---- hyper-util + tower: FollowRedirect(ChainPolicy) > CookieLayer > Client, over SqliteJar ----

type HyperStack = tower_http::follow_redirect::FollowRedirect<
    cookiejar::client::tower::CookieService<
        hyper_util::client::legacy::Client<
            hyper_util::client::legacy::connect::HttpConnector<LoopbackDns>,
            Full<Bytes>,
        >,
        Arc<SqliteJar>,
    >,
    ChainPolicy<
        tower_http::follow_redirect::policy::And<
            tower_http::follow_redirect::policy::Standard,
            tower_http::follow_redirect::policy::CloneBodyFn<
                fn(&Full<Bytes>) -> Option<Full<Bytes>>,
            >,
        >,
    >,
>;

/// hyper-util's resolver: every name is 127.0.0.1 (the connector sets the URI's port).
#[derive(Clone)]
struct LoopbackDns;

impl tower::Service<hyper_util::client::legacy::connect::dns::Name> for LoopbackDns {
    type Response = std::iter::Once<SocketAddr>;
    type Error = std::io::Error;
    type Future = std::future::Ready<Result<Self::Response, Self::Error>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, _: hyper_util::client::legacy::connect::dns::Name) -> Self::Future {
        std::future::ready(Ok(std::iter::once(SocketAddr::from(([127, 0, 0, 1], 0)))))
    }
}

struct Hyper {
    rt: tokio::runtime::Runtime,
    client: HyperStack,
}

impl Hyper {
    fn new(jar: Arc<SqliteJar>) -> Self {
        let rt = runtime();
        let connector =
            hyper_util::client::legacy::connect::HttpConnector::new_with_resolver(LoopbackDns);
        let client = {
            let _guard = rt.enter();
            hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
                .build(connector)
        };
        // 307 and 308 resend the body: tower-http needs to be told a `Full` can be cloned.
        let policy = ChainPolicy::new(
            tower_http::follow_redirect::policy::Standard::default()
                .and::<_, Full<Bytes>, hyper_util::client::legacy::Error>(clone_body_fn(
                clone_full as fn(&Full<Bytes>) -> Option<Full<Bytes>>,
            )),
        );
        let client = ServiceBuilder::new()
            .layer(FollowRedirectLayer::with_policy(policy))
            .layer(CookieLayer::new(jar))
            .service(client);
        Hyper { rt, client }
    }
}

impl Browser for Hyper {
    fn try_send(&self, req: &Req<'_>) -> Result<(u16, Vec<u8>), Failure> {
        self.rt.block_on(async {
            let mut builder = http::Request::builder()
                .method(req.method)
                .uri(&req.url)
                .extension(req.context.clone());
            if req.form.is_some() {
                builder = builder.header("content-type", "application/x-www-form-urlencoded");
            }
            let body = Full::new(Bytes::from(req.form.unwrap_or("").to_owned()));
            let res = self
                .client
                .clone()
                .oneshot(builder.body(body).unwrap())
                .await
                .map_err(|e| Failure::Other(e.to_string()))?;
            let status = res.status().as_u16();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            Ok((status, body.to_vec()))
        })
    }
}

fn clone_full(body: &Full<Bytes>) -> Option<Full<Bytes>> {
    Some(body.clone())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

// ---- the exchange ----

/// How long the test waits for `max_age=1` to run out.
const EXPIRY_WAIT: Duration = Duration::from_millis(2200);

/// Runs the exchange; each answer is `STATUS BODY` (the body lossy, the session's signed
/// value replaced by `SESSION`, since it holds a timestamp).
fn exchange(browser: &dyn Browser, port: u16) -> Vec<String> {
    let a = |path: &str| format!("http://{A}:{port}{path}");
    let page_b = Url::parse(&format!("http://{B}:{port}/")).unwrap();
    let top = ClientContext::TopLevel;
    let from_b = ClientContext::NavigationFrom(page_b.clone());
    let sub_of_b = ClientContext::Subresource(page_b);
    let get = |url: String, context: &ClientContext| Req {
        method: "GET",
        url,
        form: None,
        context: context.clone(),
    };
    let post = |url: String, form: &'static str, context: &ClientContext| Req {
        method: "POST",
        url,
        form: Some(form),
        context: context.clone(),
    };
    let mut answers = Vec::new();
    let mut run = |req: Req<'_>| {
        let (status, body) = browser.send(&req);
        answers.push(normalize(&format!(
            "{status} {}",
            String::from_utf8_lossy(&body)
        )));
    };
    run(get(a("/pref/set?theme=dark"), &top));
    run(get(a("/pref"), &top));
    run(get(a("/scoped/set"), &top));
    run(get(a("/scoped/read"), &top));
    run(get(a("/echo"), &top));
    run(get(a("/short/set"), &top));
    run(get(a("/echo"), &top));
    std::thread::sleep(EXPIRY_WAIT);
    run(get(a("/echo"), &top));
    run(get(a("/pref/clear"), &top));
    run(get(a("/pref"), &top));
    run(post(a("/login"), "user=alice", &top));
    run(get(a("/profile"), &top));
    run(get(a("/hop/a"), &top));
    run(get(format!("http://{B}:{port}/echo"), &top));
    run(get(a("/echo"), &top));
    run(get(a("/samesite/set"), &top));
    run(get(a("/echo"), &top));
    run(post(a("/echo"), "x=1", &from_b));
    run(get(a("/echo"), &from_b));
    run(get(a("/echo"), &sub_of_b));
    // A typed navigation to site-b.test that redirects back: the hop to site-a.test has a
    // cross-site chain, so it is a cross-site navigation (standard profile).
    let bounce = |code: u16| format!("http://{B}:{port}/bounce?code={code}&to={}", a("/echo"));
    run(get(bounce(302), &top));
    run(post(bounce(307), "x=1", &top));
    run(post(a("/form/r303"), "x=1", &top));
    run(post(a("/form/r307"), "x=1", &top));
    run(get(a("/logout"), &top));
    run(get(a("/echo"), &top));
    answers
}

/// The signed session value (it holds a timestamp) becomes `SESSION`.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("session=") {
        let (head, tail) = rest.split_at(i + "session=".len());
        out.push_str(head);
        let end = tail.find([';', ']', ' ']).unwrap_or(tail.len());
        if end > 0 {
            out.push_str("SESSION");
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// What a browser answers to the exchange (the standard profile): checked for one client, the
/// others must match it exactly.
fn check_answers(who: &str, got: &[String]) {
    let want = [
        "200 saved",
        "200 theme=dark lang=en",
        "200 scoped",
        // The path-scoped cookie goes to its path, first (longer path first, 6265bis 5.8.3).
        "200 scoped=1; theme=dark; lang=en",
        "200 theme=dark; lang=en",
        "200 short",
        "200 theme=dark; lang=en; short=1",
        // max_age=1 ran out while the test waited.
        "200 theme=dark; lang=en",
        "200 cleared",
        // delete_cookie took.
        "200 theme=none lang=en",
        // The POST's 302 became a GET of /profile, which got the session set on the 302.
        "200 hello alice",
        "200 hello alice",
        // site-b.test got nothing of site-a.test's (a_only was set on the hop that left).
        "200 ",
        "200 b_only=1",
        "200 lang=en; session=SESSION; a_only=1",
        "200 samesite",
        // HttpOnly is sent over HTTP; Secure over plain http on a non-loopback name was refused.
        "200 lang=en; session=SESSION; a_only=1; lax=1; strict=1; hidden=1",
        // A cross-site POST navigation: neither Lax nor Strict, nor the cookies without
        // SameSite, which are Lax by default (the standard profile has no Lax-allowing-unsafe
        // window; the chromium profile's would send those under two minutes old).
        "200 ",
        // A cross-site GET navigation: Lax goes, Strict stays home.
        "200 lang=en; session=SESSION; a_only=1; lax=1; hidden=1",
        // A cross-site subresource: neither, nor anything lax by default.
        "200 ",
        // The boomerang: Lax goes on the cross-site GET hop, Strict stays home.
        "200 lang=en; session=SESSION; a_only=1; lax=1; hidden=1",
        // The same with a POST kept by a 307: a cross-site POST hop sends neither.
        "200 ",
        // 303: the POST became a GET without its body.
        "200 GET x=-",
        // 307: the POST and its body were sent again.
        "200 POST x=1",
        // Logout deleted the session on the redirect's first hop.
        "200 hello nobody",
        "200 lang=en; a_only=1; lax=1; strict=1; hidden=1",
    ];
    let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    assert_eq!(got, want, "{who}: answers");
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "cookiejar-clients-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The cookie headers the scenario replay of the exchange produces, as log lines
/// (`METHOD host/path [cookie]`), after checking that the replay meets every expectation.
fn replayed_log() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/flask_app/exchange.json");
    let bytes = std::fs::read(&path).unwrap();
    let file = wpt_tests::scenario::ScenarioFile::from_json(&bytes)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let [case] = &file.cases[..] else {
        panic!("exchange.json holds one case");
    };
    let mut jar = wpt_tests::scenario::jar_for(case, file.profile, None);
    let result = wpt_tests::scenario::run_case(case, &mut jar);
    assert!(
        result.passed,
        "the replay of exchange.json: {:?}",
        result.first_failure()
    );
    let mut log = Vec::new();
    let mut requests = wpt_tests::scenario::Requests::default();
    for (step, r) in case.steps.iter().zip(&result.steps) {
        let request = requests.next(step);
        if let (
            wpt_tests::scenario::Step::Get { .. } | wpt_tests::scenario::Step::Redirect { .. },
            Some(req),
        ) = (step, request)
        {
            log.push(format!(
                "{} {}{} [{}]",
                req.ctx.method,
                req.url.host_str().unwrap_or_default(),
                req.url.path(),
                r.got.as_deref().unwrap_or_default()
            ));
        }
    }
    log
}

#[test]
fn three_clients_one_flask_app_same_answers_as_the_replay() {
    let runs: Vec<(&str, Vec<String>, Vec<String>)> = std::thread::scope(|s| {
        let reqwest = s.spawn(|| {
            let app = FlaskApp::start();
            let browser = Reqwest::new(app.port(), Arc::new(SharedJar::new()));
            let answers = exchange(&browser, app.port());
            ("reqwest", answers, app.take_log())
        });
        let ureq = s.spawn(|| {
            let app = FlaskApp::start();
            let browser = Ureq::new(Arc::new(Mutex::new(CookieJar::new())));
            let answers = exchange(&browser, app.port());
            ("ureq", answers, app.take_log())
        });
        let hyper = s.spawn(|| {
            let app = FlaskApp::start();
            let dir = TempDir::new("hyper");
            let db = dir.0.join("jar.db");
            let (jar, _) =
                SqliteJar::open(&db, Policy::standard(), SqliteOptions::default()).unwrap();
            let jar = Arc::new(jar);
            let browser = Hyper::new(Arc::clone(&jar));
            let answers = exchange(&browser, app.port());
            drop(browser);
            // The persistent jar kept what the exchange left: reopened, it sends it again.
            let jar = Arc::into_inner(jar).expect("the client is gone");
            jar.close().unwrap();
            let (jar, opened) =
                SqliteJar::open(&db, Policy::standard(), SqliteOptions::default()).unwrap();
            assert!(!opened.created);
            let url = Url::parse(&format!("http://{A}:{}/", app.port())).unwrap();
            let header = jar.cookie_header(
                &cookiejar::RequestContext::navigation(&url),
                cookiejar::Timestamp::now(),
            );
            assert_eq!(
                header.as_deref(),
                Some("lang=en; a_only=1; lax=1; strict=1; hidden=1"),
                "the SQLite jar after reopening"
            );
            ("hyper+tower", answers, app.take_log())
        });
        [reqwest, ureq, hyper]
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect()
    });

    let (_, first_answers, first_log) = &runs[0];
    check_answers(runs[0].0, first_answers);
    let first_log: Vec<String> = first_log.iter().map(|l| normalize(l)).collect();
    for (who, answers, log) in &runs[1..] {
        assert_eq!(answers, first_answers, "{who} answers as {}", runs[0].0);
        let log: Vec<String> = log.iter().map(|l| normalize(l)).collect();
        assert_eq!(
            log, first_log,
            "{who}: what the Flask app received, hop by hop"
        );
    }
    assert_eq!(
        replayed_log(),
        first_log,
        "the scenario replay of the exchange against what the Flask app received"
    );
}

/// A value with a byte that is not UTF-8 (0xE9) is stored and sent back as that byte by each
/// client.
#[test]
fn non_utf8_cookie_bytes_survive_every_client() {
    let app = FlaskApp::start();
    let port = app.port();
    let set = Req {
        method: "GET",
        url: format!("http://{A}:{port}/raw/set"),
        form: None,
        context: ClientContext::TopLevel,
    };
    let echo = Req {
        url: format!("http://{A}:{port}/raw/echo"),
        ..Req { ..set_clone(&set) }
    };
    let dir = TempDir::new("raw");
    let browsers = three_browsers(port, &Policy::standard(), dir.0.join("jar.db"));
    for (who, browser) in &browsers {
        assert_eq!(browser.send(&set).0, 200, "{who}");
        assert_eq!(browser.send(&echo), (200, b"raw=caf\xe9".to_vec()), "{who}");
    }
}

/// The three clients, each over its own fresh jar under `policy`: reqwest over a `SharedJar`,
/// ureq over a `Mutex<CookieJar>`, hyper-util with the tower layer over an SQLite jar at `db`.
fn three_browsers(
    port: u16,
    policy: &Policy,
    db: PathBuf,
) -> [(&'static str, Box<dyn Browser>); 3] {
    let (sqlite, _) = SqliteJar::open(db, policy.clone(), SqliteOptions::default()).unwrap();
    [
        (
            "reqwest",
            Box::new(Reqwest::new(
                port,
                Arc::new(SharedJar::with_policy(policy.clone())),
            )),
        ),
        (
            "ureq",
            Box::new(Ureq::new(Arc::new(Mutex::new(CookieJar::with_policy(
                policy.clone(),
            ))))),
        ),
        ("hyper+tower", Box::new(Hyper::new(Arc::new(sqlite)))),
    ]
}

fn set_clone<'a>(r: &Req<'a>) -> Req<'a> {
    Req {
        method: r.method,
        url: r.url.clone(),
        form: r.form,
        context: r.context.clone(),
    }
}

/// The profile decides what a cross-site hop does, and each client hands the jar the chain that
/// lets it: a typed navigation to site-b.test that redirects back to site-a.test is cross-site
/// under `standard` and `firefox` (Strict stays home) and same-site under `chromium`, which
/// ignores the chain.
#[test]
fn boomerang_redirect_follows_the_profile() {
    let app = FlaskApp::start();
    let port = app.port();
    let dir = TempDir::new("profiles");
    let get = |url: String| Req {
        method: "GET",
        url,
        form: None,
        context: ClientContext::TopLevel,
    };
    for (name, policy, want) in [
        ("standard", Policy::standard(), "lax=1; hidden=1"),
        ("firefox", Policy::firefox(), "lax=1; hidden=1"),
        ("chromium", Policy::chromium(), "lax=1; strict=1; hidden=1"),
    ] {
        let browsers = three_browsers(port, &policy, dir.0.join(format!("{name}.db")));
        for (who, browser) in &browsers {
            assert_eq!(
                browser
                    .send(&get(format!("http://{A}:{port}/samesite/set")))
                    .0,
                200
            );
            let bounce = format!("http://{B}:{port}/bounce?to=http://{A}:{port}/echo");
            let (status, body) = browser.send(&get(bounce));
            assert_eq!(
                (status, String::from_utf8_lossy(&body).into_owned()),
                (200, want.to_owned()),
                "{who} under {name}: the hop back to site-a.test"
            );
        }
    }
}

/// A redirect loop stops after 20 hops (Fetch 4.4 step 5), and a `Location` that is not http(s)
/// stops the chain, with the jar holding every hop's cookies up to there. ureq's and reqwest's
/// wrappers return the typed error; tower-http's `FollowRedirect` hands back the last redirect
/// response instead.
#[test]
fn redirect_loops_and_bad_locations_stop() {
    let app = FlaskApp::start();
    let port = app.port();
    let get = |path: &str| Req {
        method: "GET",
        url: format!("http://{A}:{port}{path}"),
        form: None,
        context: ClientContext::TopLevel,
    };
    let dir = TempDir::new("limits");
    let browsers = three_browsers(port, &Policy::standard(), dir.0.join("jar.db"));
    for (who, browser) in &browsers {
        let looped = browser.try_send(&get("/loop?n=0"));
        let bad = browser.try_send(&get("/badloc"));
        if *who == "hyper+tower" {
            assert_eq!(looped.map(|r| r.0), Ok(302), "{who}");
            assert_eq!(bad.map(|r| r.0), Ok(302), "{who}");
        } else {
            assert_eq!(
                looped,
                Err(Failure::Redirect(RedirectError::TooManyRedirects {
                    limit: 20
                })),
                "{who}"
            );
            assert_eq!(
                bad,
                Err(Failure::Redirect(RedirectError::BadLocation {
                    location: "javascript:alert(1)".to_owned()
                })),
                "{who}"
            );
        }
        let log = app.take_log();
        // The first request and 20 redirects, each hop sending the counter its predecessor set;
        // then the bad redirect's one request.
        assert_eq!(log.len(), 22, "{who}: {log:#?}");
        for (i, line) in log.iter().take(21).enumerate() {
            let want = if i == 0 {
                String::new()
            } else {
                format!("n={}", i - 1)
            };
            assert_eq!(*line, format!("GET site-a.test/loop [{want}]"), "{who}");
        }
        // The bad redirect's cookie was stored before the chain stopped.
        assert_eq!(browser.send(&get("/echo")).1, b"n=20; bad=1", "{who}");
        app.take_log();
    }
}

//! `SharedJar` answers as `CookieJar` does: every scenario suite is replayed through both, step
//! by step (set outcomes, headers, `explain`, and the stored cookies at the end), with the
//! default 64 shards and with 2; then the jar-wide limit, and many threads at once.

use cookiejar::{CookieJar, Policy, RequestContext, SharedJar, Timestamp, Url};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use wpt_tests::scenario::{jar_for, Case, Requests, ScenarioFile, Step};

/// Scenario files: the repository's own, and the shared suites where this checkout has them.
fn scenario_files() -> Vec<PathBuf> {
    let suite = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The repository root is the folder above this crate's.
    let root = suite.parent().unwrap_or(suite);
    let mut dirs = vec![suite.join("vectors"), root.join("tests/scenarios")];
    if let Some(shared) = root.parent().map(|p| p.join("shared/scenarios")) {
        dirs.push(shared);
    }
    let mut files: Vec<PathBuf> = dirs
        .iter()
        .filter_map(|d| std::fs::read_dir(d).ok())
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// What a jar did at one step, as text to compare.
fn outcome<T: std::fmt::Debug, E: std::fmt::Display>(r: Result<T, E>) -> String {
    match r {
        Ok(o) => format!("{o:?}"),
        Err(e) => format!("rejected: {e}"),
    }
}

/// Replays `case` through both jars, asserting they agree after every step.
fn replay_both(case: &Case, plain: &mut CookieJar, shared: &SharedJar) {
    let mut now = case.now;
    let mut requests = Requests::default();
    for (i, step) in case.steps.iter().enumerate() {
        let at = format!("case {} step {i}", case.id);
        let request = requests.next(step).cloned();
        match step {
            Step::Set { headers, .. } => {
                let request = request.expect("a set step makes a request");
                let rc = request.request();
                for h in headers {
                    let a = outcome(plain.set_cookie(h.as_bytes(), &rc, now));
                    let b = outcome(shared.set_cookie(h.as_bytes(), &rc, now));
                    assert_eq!(a, b, "{at}: set {h:?}");
                }
            }
            Step::Get { .. } | Step::Redirect { .. } => {
                let request = request.expect("the reader refuses a redirect with no request");
                let rc = request.request();
                assert_eq!(
                    plain.cookie_header_bytes(&rc, now),
                    shared.cookie_header_bytes(&rc, now),
                    "{at}: get {}",
                    request.url
                );
                assert_eq!(plain.explain(&rc, now), shared.explain(&rc, now), "{at}");
                if let Step::Redirect { headers, .. } = step {
                    for h in headers {
                        let a = outcome(plain.set_cookie(h.as_bytes(), &rc, now));
                        let b = outcome(shared.set_cookie(h.as_bytes(), &rc, now));
                        assert_eq!(a, b, "{at}: set {h:?}");
                    }
                }
            }
            Step::ScriptSet { page, value } => {
                let rc = RequestContext::script(page);
                let a = outcome(plain.set_cookie(value.as_bytes(), &rc, now));
                let b = outcome(shared.set_cookie(value.as_bytes(), &rc, now));
                assert_eq!(a, b, "{at}: script set {value:?}");
            }
            Step::ScriptGet { page, .. } => {
                let rc = RequestContext::script(page);
                assert_eq!(
                    plain.cookie_header(&rc, now),
                    shared.cookie_header(&rc, now),
                    "{at}: script get {page}"
                );
            }
            Step::Wait(us) => now = now.plus_micros(*us),
            Step::EndSession => {
                plain.end_session();
                shared.end_session();
            }
        }
        assert_eq!(plain.len(), shared.len(), "{at}: len");
    }
    assert_eq!(
        sorted(plain.iter().cloned().collect()),
        sorted(shared.cookies()),
        "case {}",
        case.id
    );
}

fn sorted(mut v: Vec<cookiejar::Cookie>) -> Vec<cookiejar::Cookie> {
    v.sort_by(|a, b| {
        (a.domain(), a.path(), a.name(), a.creation()).cmp(&(
            b.domain(),
            b.path(),
            b.name(),
            b.creation(),
        ))
    });
    v
}

#[test]
fn scenario_suites_replay_identically() {
    let files = scenario_files();
    assert!(!files.is_empty(), "no scenario file found");
    let mut cases = 0;
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let file =
            ScenarioFile::from_json(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.cases {
            for shards in [64, 2] {
                let mut plain = jar_for(case, file.profile, None);
                let shared = SharedJar::with_policy_and_shards(plain.policy().clone(), shards);
                replay_both(case, &mut plain, &shared);
            }
            cases += 1;
        }
    }
    eprintln!(
        "replayed {cases} cases from {} files through CookieJar and SharedJar",
        files.len()
    );
    assert!(cases > 1000, "only {cases} cases");
}

fn now() -> Timestamp {
    Timestamp::from_unix_seconds(1_800_000_000)
}

/// Many sites, a small jar-wide limit: the purge crosses shards and must pick the same cookies.
#[test]
fn global_limit_matches_cookie_jar() {
    let mut policy = Policy::chromium();
    policy.max_cookies = 60;
    policy.purge_to = 45;
    policy.safe_from_global_purge_seconds = 10;
    let mut plain = CookieJar::with_policy(policy.clone());
    let shared = SharedJar::with_policy_and_shards(policy, 8);
    let mut t = now();
    let urls: Vec<Url> = (0..40)
        .map(|i| Url::parse(&format!("https://www.site{i}.example/a")).unwrap())
        .collect();
    for round in 0..5 {
        for (i, url) in urls.iter().enumerate() {
            let ctx = RequestContext::navigation(url);
            let line = format!(
                "c{round}=v{i}; Max-Age=86400{}",
                if i % 3 == 0 { "; Secure" } else { "" }
            );
            assert_eq!(
                outcome(plain.set_cookie(&line, &ctx, t)),
                outcome(shared.set_cookie(&line, &ctx, t)),
                "round {round} site {i}"
            );
            // Reading some sites refreshes their last access, which the purge spares.
            if i % 4 == 0 {
                assert_eq!(plain.cookie_header(&ctx, t), shared.cookie_header(&ctx, t));
            }
            t = t.plus_seconds(7);
            assert_eq!(plain.len(), shared.len(), "round {round} site {i}");
        }
    }
    for url in &urls {
        let ctx = RequestContext::navigation(url);
        assert_eq!(
            plain.cookie_header(&ctx, t),
            shared.cookie_header(&ctx, t),
            "{url}"
        );
    }
    assert_eq!(
        sorted(plain.iter().cloned().collect()),
        sorted(shared.cookies())
    );
}

/// Threads on their own sites and on one common site: nothing lost, counts exact.
#[test]
fn many_threads_one_jar() {
    let jar = Arc::new(SharedJar::new());
    let threads = 8;
    let per = 20; // 8 × 20 = 160 on the common site: below the per-site limit (180)
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let jar = Arc::clone(&jar);
            std::thread::spawn(move || {
                let own = Url::parse(&format!("https://t{t}.example/")).unwrap();
                let common = Url::parse("https://common.example/").unwrap();
                for i in 0..per {
                    let ctx = RequestContext::navigation(&own);
                    jar.set_cookie(format!("k{i}=v{i}"), &ctx, now()).unwrap();
                    jar.set_cookie(
                        format!("t{t}k{i}=v"),
                        &RequestContext::navigation(&common),
                        now(),
                    )
                    .unwrap();
                    let header = jar.cookie_header(&ctx, now()).unwrap();
                    assert_eq!(header.matches("; ").count(), i, "{header}");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(jar.len(), threads * per * 2);
    let common = Url::parse("https://common.example/").unwrap();
    let header = jar
        .cookie_header(&RequestContext::navigation(&common), now())
        .unwrap();
    assert_eq!(header.split("; ").count(), threads * per);
    assert_eq!(jar.cookies().len(), threads * per * 2);
    jar.clear();
    assert!(jar.is_empty());
}

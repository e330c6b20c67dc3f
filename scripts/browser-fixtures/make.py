#!/usr/bin/env python3
"""Regenerates tests/fixtures/browser/: each browser, headless with a fresh profile, visits the
loopback server of server.py, is closed cleanly, and the profile's cookie database is kept
(copied through SQLite's backup, then VACUUMed) with what the server saw (the Set-Cookie lines,
the Cookie headers the browser sent, the time window).

    apt-get install -y firefox-esr chromium     # Debian 12
    python3 scripts/browser-fixtures/make.py [firefox] [chromium]

Chromium runs with --password-store=basic, so its values are `v10` (the fixed "peanuts" key).
Python standard library only.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import server  # noqa: E402

OUT = os.path.normpath(os.path.join(HERE, "..", "..", "tests", "fixtures", "browser"))
HOSTS = ["top.localhost", "www.site.localhost", "site.localhost"]


def keep_db(src, dst):
    """A consistent, compact copy of src (with its WAL) at dst; src is only read."""
    if os.path.exists(dst):
        os.remove(dst)
    s = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    d = sqlite3.connect(dst)
    s.backup(d)
    s.close()
    d.execute("PRAGMA journal_mode=DELETE")
    d.execute("PRAGMA page_size=4096")
    d.execute("VACUUM")
    d.close()


def check_rows(db, table, want):
    """The kept database holds exactly the cookies `want` names, or the run fails."""
    c = sqlite3.connect(db)
    got = sorted(r[0] for r in c.execute(f"SELECT name FROM {table}"))
    c.close()
    if got != sorted(want):
        raise SystemExit(f"{db}: cookies {got}, expected {sorted(want)}")


def names(lines):
    return [line.split("=", 1)[0] for line in lines]


def version(cmd):
    out = subprocess.run([cmd, "--version"], capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1] if out.strip() else cmd


def wait_done(state, proc, what, secs=60):
    deadline = time.time() + secs
    while not state.done.wait(0.2):
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited ({proc.returncode}) before the visit was done")
        if time.time() > deadline:
            proc.kill()
            raise SystemExit(f"{what}: the visit did not finish in {secs}s")


def firefox():
    port = server.free_port()
    srv, state = server.start(port)
    profile = tempfile.mkdtemp(prefix="ff-profile-")
    prefs = {
        "network.dns.localDomains": ",".join(HOSTS),
        "dom.allow_scripts_to_close_windows": True,
        "browser.shell.checkDefaultBrowser": False,
        "browser.startup.homepage_override.mstone": "ignore",
        "browser.aboutwelcome.enabled": False,
        "datareporting.policy.dataSubmissionEnabled": False,
        "toolkit.telemetry.reportingpolicy.firstRun": False,
        "app.update.enabled": False,
        "network.proxy.type": 0,
        "browser.safebrowsing.malware.enabled": False,
        "browser.safebrowsing.phishing.enabled": False,
        "network.captive-portal-service.enabled": False,
        "network.connectivity-service.enabled": False,
        "browser.tabs.warnOnClose": False,
        "browser.sessionstore.resume_from_crash": False,
    }
    with open(os.path.join(profile, "user.js"), "w") as f:
        for k, v in prefs.items():
            f.write(f"user_pref({k!r}, {str(v).lower() if isinstance(v, bool) else repr(v)});\n"
                    .replace("'", '"'))
    url = f"http://top.localhost:{port}/start"
    proc = subprocess.Popen(
        ["firefox-esr", "--headless", "--no-remote", "--profile", profile, url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_done(state, proc, "firefox")
    try:
        proc.wait(30)  # window.close() on the last window quits Firefox
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait(30)
    srv.shutdown()
    db = os.path.join(profile, "cookies.sqlite")
    kept = os.path.join(OUT, "firefox-cookies.sqlite")
    keep_db(db, kept)
    # Firefox writes no session cookie (no Max-Age or Expires) to cookies.sqlite.
    persistent = [c for c in server.COOKIES if "Max-Age" in c] + [server.PARTITIONED]
    check_rows(kept, "moz_cookies", names(persistent))
    server.record(state, port, os.path.join(OUT, "firefox.json"), version("firefox-esr"))
    shutil.rmtree(profile, ignore_errors=True)


def chromium():
    port = server.free_port()
    srv, state = server.start(port)
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    # --remote-debugging-pipe: the browser reads DevTools commands on fd 3 and answers on fd 4.
    to_r, to_w = os.pipe()
    from_r, from_w = os.pipe()

    def fds():
        os.dup2(to_r, 3)
        os.dup2(from_w, 4)

    # "Continue where you left off": Chromium then writes session cookies to its database too
    # (CookieMonster persist_session_cookies), so the fixture has some with expires_utc 0.
    os.makedirs(os.path.join(profile, "Default"))
    with open(os.path.join(profile, "Default", "Preferences"), "w") as f:
        json.dump({"session": {"restore_on_startup": 1}}, f)
    url = f"http://top.localhost:{port}/start"
    args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--password-store=basic", f"--user-data-dir={profile}",
            "--host-resolver-rules=" + ", ".join(f"MAP {h} 127.0.0.1" for h in HOSTS),
            "--remote-debugging-pipe", url]
    proc = subprocess.Popen(args, preexec_fn=fds, pass_fds=(3, 4, to_r, from_w),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    os.close(to_r)
    os.close(from_w)
    wait_done(state, proc, "chromium")
    time.sleep(1.0)
    # Browser.close: a clean shutdown, which flushes the cookie store to disk.
    os.write(to_w, b'{"id":1,"method":"Browser.close"}\0')
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.terminate()
        proc.wait(30)
    os.close(to_w)
    os.close(from_r)
    srv.shutdown()
    db = os.path.join(profile, "Default", "Cookies")
    kept = os.path.join(OUT, "chromium-Cookies")
    keep_db(db, kept)
    check_rows(kept, "cookies", names(server.COOKIES + [server.PARTITIONED]))
    server.record(state, port, os.path.join(OUT, "chromium.json"), version("chromium"))
    shutil.rmtree(profile, ignore_errors=True)


def main():
    which = sys.argv[1:] or ["firefox", "chromium"]
    os.makedirs(OUT, exist_ok=True)
    for b in which:
        {"firefox": firefox, "chromium": chromium}[b]()
        print(f"{b}: done")


if __name__ == "__main__":
    main()

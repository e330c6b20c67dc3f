"""The Flask app the HTTP-client tests drive (tests/clients.rs).

The cookie tutorials this project grew from use Flask; this app uses the same calls:
`set_cookie` with `max_age`, `expires`, `path`, `httponly`, `secure` and `samesite`,
`delete_cookie`, and the signed `session` cookie. It answers on two host names (the tests map
site-a.test and site-b.test to 127.0.0.1) and keeps a log of every request it receives, the
`Cookie` header of each redirect hop included, which the tests read at `/__log`.

Run: `python3 app.py` serves on a free loopback port and prints `PORT <n>` on its first line;
it exits when its standard input closes (so a test that dies takes its server with it).
"""

import os
import sys
import threading
from datetime import datetime, timedelta, timezone

from flask import Flask, make_response, redirect, request, session

app = Flask(__name__)
# A fixed key, so the signed session cookie is checked the same way on every run.
app.secret_key = b"cookiejar test app: not a secret"

LOG = []
LOG_LOCK = threading.Lock()


def raw_cookie():
    """The request's Cookie header as the bytes received (WSGI hands it over as latin-1)."""
    return request.environ.get("HTTP_COOKIE", "").encode("latin-1")


@app.before_request
def log_request():
    if request.path == "/__log":
        return
    cookie = raw_cookie().decode("utf-8", "backslashreplace")
    with LOG_LOCK:
        LOG.append(f"{request.method} {request.host.split(':')[0]}{request.path} [{cookie}]")


@app.route("/__log")
def read_log():
    """Every request since the last read, one a line; reading clears it."""
    with LOG_LOCK:
        lines = list(LOG)
        LOG.clear()
    return "".join(line + "\n" for line in lines), 200, {"Content-Type": "text/plain"}


@app.route("/pref/set")
def pref_set():
    resp = make_response("saved")
    resp.set_cookie("theme", request.args.get("theme", "light"), max_age=3600)
    resp.set_cookie("lang", "en", expires=datetime.now(timezone.utc) + timedelta(days=1))
    return resp


@app.route("/pref")
def pref():
    return f"theme={request.cookies.get('theme', 'none')} lang={request.cookies.get('lang', 'none')}"


@app.route("/pref/clear")
def pref_clear():
    resp = make_response("cleared")
    resp.delete_cookie("theme")
    return resp


@app.route("/scoped/set")
def scoped_set():
    resp = make_response("scoped")
    resp.set_cookie("scoped", "1", path="/scoped")
    return resp


@app.route("/scoped/read")
def scoped_read():
    return raw_cookie()


@app.route("/echo", methods=["GET", "POST"])
def echo():
    return raw_cookie()


@app.route("/short/set")
def short_set():
    resp = make_response("short")
    resp.set_cookie("short", "1", max_age=1)
    return resp


@app.route("/login", methods=["POST"])
def login():
    session["user"] = request.form.get("user", "nobody")
    return redirect("/profile")


@app.route("/profile")
def profile():
    return f"hello {session.get('user', 'nobody')}"


@app.route("/logout")
def logout():
    session.clear()
    return redirect("/profile")


@app.route("/hop/a")
def hop_a():
    port = request.host.partition(":")[2]
    resp = redirect(f"http://site-b.test:{port}/hop/b")
    resp.set_cookie("a_only", "1")
    return resp


@app.route("/hop/b")
def hop_b():
    resp = make_response(raw_cookie())
    resp.set_cookie("b_only", "1")
    return resp


@app.route("/bounce", methods=["GET", "POST"])
def bounce():
    """Redirects to `to` with `code` (302 by default): a boomerang when `to` is the other site."""
    return redirect(request.args["to"], code=int(request.args.get("code", "302")))


@app.route("/loop")
def loop():
    """Redirects to itself for ever, counting in a cookie."""
    n = int(request.args.get("n", "0"))
    resp = redirect(f"/loop?n={n + 1}")
    resp.set_cookie("n", str(n))
    return resp


@app.route("/badloc")
def badloc():
    """A redirect to a scheme that is not http(s)."""
    resp = make_response("", 302)
    resp.headers["Location"] = "javascript:alert(1)"
    resp.set_cookie("bad", "1")
    return resp


@app.route("/samesite/set")
def samesite_set():
    resp = make_response("samesite")
    resp.set_cookie("lax", "1", samesite="Lax")
    resp.set_cookie("strict", "1", samesite="Strict")
    resp.set_cookie("hidden", "1", httponly=True)
    # Secure over plain http on a name that is not loopback: a browser refuses it.
    resp.set_cookie("sec", "1", secure=True)
    return resp


@app.route("/form/r303", methods=["POST"])
def form_r303():
    return redirect("/form/echo", code=303)


@app.route("/form/r307", methods=["POST"])
def form_r307():
    return redirect("/form/echo", code=307)


@app.route("/form/echo", methods=["GET", "POST"])
def form_echo():
    return f"{request.method} x={request.form.get('x', '-')}"


@app.route("/raw/set")
def raw_set():
    resp = make_response("raw")
    # "caf\xe9": the byte 0xE9 on the wire (WSGI writes headers as latin-1), not UTF-8.
    resp.headers.add("Set-Cookie", "raw=caf\xe9; Path=/")
    return resp


@app.route("/raw/echo")
def raw_echo():
    return raw_cookie(), 200, {"Content-Type": "application/octet-stream"}


def main():
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(f"PORT {server.port}", flush=True)

    def exit_when_stdin_closes():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main()

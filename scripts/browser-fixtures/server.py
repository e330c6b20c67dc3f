"""The loopback server the browser fixtures are made against (Python standard library only).

One browser visit, all top-level navigations with location.replace (so the tab's history stays
one entry long and the page may close itself):

  http://top.localhost:P/start       a page with a cross-site iframe, then on to /set
    iframe http://www.site.localhost:P/embed    sets the partitioned cookie (CHIPS)
  http://www.site.localhost:P/set    sets every other cookie (COOKIES below)
  http://www.site.localhost:P/check  records the Cookie header the browser sends
  http://site.localhost:P/check      records it again (only the Domain cookies reach it)
  http://www.site.localhost:P/done   records the end of the visit; the page closes the window

*.localhost is a secure context over plain http in both browsers, so Secure and __Host- cookies
are stored without TLS, and site.localhost is a registrable domain (the public suffix list's
default rule makes `localhost` the suffix), so Domain=site.localhost is allowed.

`serve(port, out_json)` runs until /done has been served and writes what it saw to out_json:
the Set-Cookie lines, the Cookie headers received, and the time window of the visit.
"""

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# name=value lines set by /set on www.site.localhost, in this order. The UTF-8 value is sent as
# raw bytes, as a server does.
COOKIES = [
    "host=1",
    "dom=2; Domain=site.localhost; Path=/",
    "persist=3; Max-Age=86400",
    "sec=4; Secure; Max-Age=86400",
    "ho=5; HttpOnly; Max-Age=86400",
    "ssnone=6; SameSite=None; Secure; Max-Age=86400",
    "sslax=7; SameSite=Lax; Max-Age=86400",
    "ssstrict=8; SameSite=Strict; Max-Age=86400",
    "uni=caf\u00e9 \u2603; Max-Age=86400",
    "__Host-h=9; Secure; Path=/; Max-Age=86400",
    "pathc=10; Path=/check; Max-Age=86400",
    "dompers=11; Domain=site.localhost; Max-Age=3600; Secure; HttpOnly; SameSite=Lax",
    "prio=12; Priority=High; Max-Age=7200",
]
# Set by /embed, in a frame of top.localhost: cross-site, so partitioned.
PARTITIONED = "__Host-part=13; Secure; Path=/; SameSite=None; Partitioned; Max-Age=86400"
# host and dom are session cookies: neither browser writes those to its database by default;
# Chromium does when the profile restores the last session (make.py sets that preference).


def _page(body):
    return ("<!doctype html><meta charset=utf-8><title>cookies</title>" + body).encode()


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.started_us = None
        self.finished_us = None
        self.requests = []  # (host, path, Cookie header or None)
        self.done = threading.Event()


def make_handler(state, port):
    site = f"http://www.site.localhost:{port}"
    bare = f"http://site.localhost:{port}"

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, body, set_cookies=()):
            head = [b"HTTP/1.1 200 OK", b"Content-Type: text/html; charset=utf-8",
                    b"Cache-Control: no-store", f"Content-Length: {len(body)}".encode()]
            for c in set_cookies:
                head.append(b"Set-Cookie: " + c.encode("utf-8"))
            self.wfile.write(b"\r\n".join(head) + b"\r\n\r\n" + body)

        def do_GET(self):
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
            path = self.path.split("?", 1)[0]
            cookie = self.headers.get("Cookie")
            if cookie is not None:
                # http.client decodes header bytes as Latin-1: back to the bytes, then UTF-8.
                cookie = cookie.encode("latin-1").decode("utf-8", "replace")
            now = int(time.time() * 1_000_000)
            with state.lock:
                if path != "/favicon.ico":
                    state.requests.append({"host": host, "path": path, "cookie": cookie})
                if path == "/start" and state.started_us is None:
                    state.started_us = now
            if path == "/start":
                self._send(_page(
                    f"<iframe id=f src='{site}/embed'></iframe>"
                    "<script>document.getElementById('f').onload = () =>"
                    f" setTimeout(() => location.replace('{site}/set'), 300);</script>"))
            elif path == "/embed":
                self._send(_page("embedded"), [PARTITIONED])
            elif path == "/set":
                self._send(_page(
                    f"<script>setTimeout(() => location.replace('{site}/check'), 300);</script>"),
                    COOKIES)
            elif path == "/check" and host == "www.site.localhost":
                self._send(_page(
                    f"<script>setTimeout(() => location.replace('{bare}/check'), 100);</script>"))
            elif path == "/check":
                self._send(_page(
                    f"<script>setTimeout(() => location.replace('{site}/done'), 100);</script>"))
            elif path == "/done":
                with state.lock:
                    state.finished_us = now
                # Firefox closes (and quits) with dom.allow_scripts_to_close_windows; Chromium
                # is closed over its DevTools pipe.
                self._send(_page("<script>setTimeout(() => window.close(), 500);</script>"))
                state.done.set()
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

    return Handler


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(port):
    state = State()
    server = ThreadingHTTPServer(("127.0.0.1", port), make_handler(state, port))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, state


def record(state, port, out_json, browser):
    with state.lock:
        data = {
            "browser": browser,
            "port": port,
            "set_cookie": COOKIES,
            "partitioned_set_cookie": PARTITIONED,
            "started_us": state.started_us,
            "finished_us": state.finished_us,
            "requests": state.requests,
        }
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
        f.write("\n")

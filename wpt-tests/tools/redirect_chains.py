#!/usr/bin/env python3
"""Writes wpt-tests/vectors/redirect-chains.json: redirect-chain cases in the scenario format.

Three sources, each case naming its own:
- web-platform-tests cookies/samesite/{fetch,img,iframe,form-get-blank,form-post-blank}.https.html,
  the redirect cases (3-Clause BSD, WPT-LICENSE.md): the page on ORIGIN sets the four SameSite
  cookies on the target origin, then requests redirectTo(HOP, TARGET), a 307 on HOP. The expected
  header is WPT's SameSiteStatus for the default profile (a cross-site hop makes the request
  cross-site, 6265bis 5.2), and the same chains for the firefox profile (Firefox
  CookieCommons::IsSameSiteForeign walks the redirect chain) and the chromium profile (Chromium
  ignores the chain: kCookieSameSiteConsidersRedirectChain is disabled by default).
- The boomerang navigation recorded in Chromium 156 and Firefox ESR 153: typed cross-site host,
  302 back to www.site.example; Chromium sends the Strict cookie, Firefox does not.
- The project's own chains: method changes (302/303/307/308), http<->https hops, cookies set on
  a hop's response, chains of three hops.

Run: python3 wpt-tests/tools/redirect_chains.py  (rewrites the JSON; deterministic).
"""
import json
import os

ORIGIN = "https://web-platform.test:8443"
SUB = "https://www.web-platform.test:8443"
CROSS = "https://www.not-web-platform.test:8443"
NAMES = {ORIGIN: "same-host", SUB: "subdomain", CROSS: "cross-site"}
COOKIES = ["samesite_strict", "samesite_lax", "samesite_none", "samesite_unspecified"]


def header(value, sent):
    return "; ".join(f"{c}={value}" for c in COOKIES if c in sent)


def sent_for(status, profile, kind, target):
    """The cookies a WPT SameSiteStatus sends (samesite_unspecified: Lax by default except in
    firefox, where it behaves as None)."""
    lax_by_default = profile != "firefox"
    if profile == "firefox" and kind in ("fetch", "img", "iframe") and target == CROSS:
        # Firefox Total Cookie Protection: a third-party request sees only its partition, and
        # these cookies were set first-party (Firefox's WPT metadata marks these FAIL).
        return set()
    if profile == "chromium" and status == "cross" and kind == "form-post":
        # Chromium kLaxAllowUnsafeMaxAge: a Lax-by-default cookie under 2 minutes old still goes
        # on a cross-site top-level POST.
        return {"samesite_none", "samesite_unspecified"}
    if status == "strict":
        return set(COOKIES)
    if status == "lax":
        return {"samesite_lax", "samesite_none", "samesite_unspecified"}
    # cross-site
    return {"samesite_none"} | (set() if lax_by_default else {"samesite_unspecified"})


def set_step(target, value, page):
    return {
        "set": f"{target}/cookies/resources/setSameSite.py?{value}",
        "from": page,
        "headers": [
            f"samesite_strict={value}; SameSite=Strict; path=/",
            f"samesite_lax={value}; SameSite=Lax; path=/",
            f"samesite_none={value}; SameSite=None; path=/; Secure",
            f"samesite_unspecified={value}; path=/",
        ],
    }


# (file, noun, navigation, method, status with the chain, status without it (chromium))
def wpt_status(kind, hop, target):
    """WPT's expectation, and what a browser that ignores the chain gives."""
    final_cross = target == CROSS
    hop_cross = (hop == CROSS) != (target == CROSS)  # cross-site to the target
    if kind in ("fetch", "img", "iframe"):
        chainless = "cross" if final_cross else "strict"
        with_chain = "cross" if (final_cross or hop_cross) else "strict"
    elif kind == "form-get":
        chainless = "lax" if final_cross else "strict"
        with_chain = "lax" if (final_cross or hop_cross) else "strict"
    else:  # form-post: a cross-site POST navigation sends neither Lax nor Strict
        chainless = "cross" if final_cross else "strict"
        with_chain = "cross" if (final_cross or hop_cross) else "strict"
    return with_chain, chainless


KINDS = {
    "fetch": ("fetches", False, "GET", "cookies/samesite/fetch.https.html"),
    "img": ("images", False, "GET", "cookies/samesite/img.https.html"),
    "iframe": ("fetches", False, "GET", "cookies/samesite/iframe.https.html"),
    "form-get": ("top-level form GETs", True, "GET", "cookies/samesite/form-get-blank.https.html"),
    "form-post": ("top-level form POSTs", True, "POST", "cookies/samesite/form-post-blank.https.html"),
}

PHRASE = {"strict": "are strictly same-site", "lax": "are laxly same-site", "cross": "are cross-site"}


def wpt_cases():
    cases = []
    for kind, (noun, nav, method, source) in KINDS.items():
        page = f"{ORIGIN}/{source}"
        n = 0
        for target in (ORIGIN, SUB, CROSS):
            for hop in (ORIGIN, SUB, CROSS):
                with_chain, chainless = wpt_status(kind, hop, target)
                for profile in ("standard", "firefox", "chromium"):
                    status = chainless if profile == "chromium" else with_chain
                    value = f"0.{n}"
                    first = {
                        "get": f"{hop}/cookies/resources/redirectWithCORSHeaders.py?status=307",
                        "from": page,
                    }
                    if nav:
                        first["navigation"] = True
                    if method != "GET":
                        first["method"] = method
                    title = (f"{NAMES[hop].capitalize()} redirecting to {NAMES[target]} {noun} "
                             f"{PHRASE[with_chain]}")
                    case = {
                        "id": f"redirect/wpt/{kind}/{NAMES[hop]}-to-{NAMES[target]}/{profile}",
                        "source": source,
                        "name": title if profile != "chromium" else
                        f"{title} (WPT); Chromium ignores the chain: {PHRASE[chainless]}",
                        "category": "redirect-chain",
                        "steps": [
                            set_step(target, value, f"{target}/cookies/samesite/resources/puppet.html"),
                            first,
                            {
                                "redirect": f"{target}/cookies/resources/list.py",
                                "status": 307,
                                "expect": header(value, sent_for(status, profile, kind, target)),
                            },
                        ],
                    }
                    if profile != "standard":
                        case["profile"] = profile
                    cases.append(case)
                    n += 1
    return cases


def boomerang():
    home = "https://www.site.example/"
    out = []
    for profile, expect in (
        ("chromium", "strict=1; lax=1; none=1"),
        ("firefox", "lax=1; none=1"),
        ("standard", "lax=1; none=1"),
    ):
        c = {
            "id": f"redirect/boomerang/typed/{profile}",
            "name": "A typed navigation to a cross-site host that answers 302 back to the site "
                    "(recorded: Chromium 156 sends the Strict cookie, Firefox ESR 153 does not; "
                    "standard follows 6265bis 5.2 and WPT)",
            "category": "redirect-chain",
            "steps": [
                {"set": home, "headers": ["strict=1; SameSite=Strict; Secure",
                                          "lax=1; SameSite=Lax; Secure",
                                          "none=1; SameSite=None; Secure"]},
                {"get": "https://tracker.example/bounce", "expect": ""},
                {"redirect": home, "status": 302, "expect": expect},
            ],
        }
        if profile != "standard":
            c["profile"] = profile
        out.append(c)
    return out


def own_cases():
    """Method changes, scheme hops, cookies set on a hop's response, longer chains."""
    site = "https://app.example"
    other = "https://other.example"
    cookies = ["strict=1; SameSite=Strict; Secure; Path=/",
               "lax=1; SameSite=Lax; Secure; Path=/",
               "none=1; SameSite=None; Secure; Path=/"]
    out = []

    def case(cid, name, steps, profiles=("standard", "firefox", "chromium"), expects=None):
        for p in profiles:
            st = json.loads(json.dumps(steps))
            if expects:
                for i, e in expects[p].items():
                    st[i]["expect"] = e
            c = {"id": f"redirect/own/{cid}/{p}", "name": name, "category": "redirect-chain",
                 "steps": st}
            if p != "standard":
                c["profile"] = p
            out.append(c)

    seed = {"set": f"{site}/", "headers": cookies}
    # A cross-site form POST answered 303: the hop is a GET (Fetch HTTP-redirect fetch step 12),
    # so Lax cookies go on it though not on the POST; the chain is same-site with the hop.
    for status, hop_expect in ((303, "lax=1; none=1"), (302, "lax=1; none=1"),
                               (307, "none=1"), (308, "none=1")):
        case(f"cross-site-post-{status}",
             f"A cross-site form POST to /login answered {status}: the next hop is "
             f"{'GET' if status in (302, 303) else 'still POST'}",
             [seed,
              {"get": f"{site}/login", "from": f"{other}/form", "navigation": True,
               "method": "POST", "expect": "none=1"},
              {"redirect": f"{site}/home", "status": status, "expect": hop_expect}])
    # Same-site chain of three hops: nothing changes.
    case("same-site-three-hops", "Three same-site hops of a typed navigation stay strictly same-site",
         [seed, {"get": f"{site}/a", "expect": "strict=1; lax=1; none=1"},
          {"redirect": f"{site}/b", "status": 302,
           "expect": "strict=1; lax=1; none=1"},
          {"redirect": f"{site}/c", "status": 302, "expect": "strict=1; lax=1; none=1"}])
    # A cross-site hop in the middle of a chain taints every later hop.
    case("cross-site-middle-hop",
         "A same-site navigation that bounces through a cross-site host and back",
         [seed, {"get": f"{site}/a", "expect": "strict=1; lax=1; none=1"},
          {"redirect": f"{other}/sso", "status": 302, "expect": ""},
          {"redirect": f"{site}/b", "status": 302},
          {"redirect": f"{site}/c", "status": 302}],
         expects={"standard": {3: "lax=1; none=1", 4: "lax=1; none=1"},
                  "firefox": {3: "lax=1; none=1", 4: "lax=1; none=1"},
                  "chromium": {3: "strict=1; lax=1; none=1", 4: "strict=1; lax=1; none=1"}})
    # A subresource fetch bouncing through a cross-site host: only SameSite=None.
    case("fetch-boomerang", "A same-site fetch redirected through a cross-site host and back",
         [seed, {"get": f"{other}/r", "from": f"{site}/page", "expect": ""},
          {"redirect": f"{site}/api", "status": 302}],
         expects={"standard": {2: "none=1"}, "firefox": {2: "none=1"},
                  "chromium": {2: "strict=1; lax=1; none=1"}})
    # A cookie set on a hop's response: a fetch's hop made cross-site cannot set Lax cookies; a
    # navigation's hop can.
    case("set-on-fetch-hop", "A fetch hop made cross-site by its chain sets a Lax cookie",
         [{"get": f"{other}/r", "from": f"{site}/page", "expect": ""},
          {"redirect": f"{site}/api", "status": 302, "expect": "",
           "headers": ["hop=1; SameSite=Lax; Secure; Path=/", "hopnone=1; SameSite=None; Secure; Path=/"]},
          {"get": f"{site}/", "expect": None}],
         expects={"standard": {2: "hopnone=1"}, "firefox": {2: "hopnone=1"},
                  "chromium": {2: "hop=1; hopnone=1"}})
    case("set-on-navigation-hop", "A navigation hop made cross-site by its chain sets a Lax cookie",
         [{"get": f"{other}/r", "expect": ""},
          {"redirect": f"{site}/", "status": 302, "expect": "",
           "headers": ["hop=1; SameSite=Lax; Secure; Path=/"]},
          {"get": f"{site}/", "expect": "hop=1"}])
    # https -> http hop: schemeful same-site makes it cross-site in standard; firefox compares
    # without schemes; chromium ignores the chain.
    case("https-to-http-hop",
         "A typed https navigation redirected to http on the same host",
         [{"set": "http://plain.example/", "headers": ["strict=1; SameSite=Strict", "lax=1; SameSite=Lax"]},
          {"get": "https://plain.example/", "expect": "strict=1; lax=1"},
          {"redirect": "http://plain.example/", "status": 301}],
         expects={"standard": {2: "lax=1"}, "firefox": {2: "strict=1; lax=1"},
                  "chromium": {2: "strict=1; lax=1"}})
    case("http-to-https-hop",
         "A typed http navigation upgraded to https by a 301 on the same host",
         [{"set": "https://secure.example/", "headers": ["strict=1; SameSite=Strict; Secure", "lax=1; SameSite=Lax; Secure"]},
          {"get": "http://secure.example/", "expect": ""},
          {"redirect": "https://secure.example/", "status": 301}],
         expects={"standard": {2: "lax=1"}, "firefox": {2: "strict=1; lax=1"},
                  "chromium": {2: "strict=1; lax=1"}})
    for c in out:
        for s in c["steps"]:
            if "expect" in s and s["expect"] is None:
                del s["expect"]
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, "..", "vectors", "redirect-chains.json")
    doc = {
        "format": "cookie scenarios v1",
        "origin": "redirect chains: web-platform-tests cookies/samesite/{fetch,img,iframe,"
                  "form-get-blank,form-post-blank}.https.html redirect cases (3-Clause BSD, "
                  "WPT-LICENSE.md) with WPT's expectation for standard and firefox and Chromium's "
                  "(chain ignored) for chromium; the boomerang navigation as recorded in Chromium "
                  "156 and Firefox ESR 153; and project cases (method changes, scheme hops, sets "
                  "on a hop). Written by wpt-tests/tools/redirect_chains.py",
        "cases": wpt_cases() + boomerang() + own_cases(),
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print(f"{path}: {len(doc['cases'])} cases")


if __name__ == "__main__":
    main()

//! The request context: who asks for cookies, from where, and the SameSite context computed
//! from it (Chromium `cookie_util.cc: ComputeSameSiteContext`, 6265bis 5.2).

use crate::policy::Policy;
use crate::rules::host::{is_loopback_host, request_host};
use crate::rules::psl::SuffixList;
use url::Url;

/// How cookies are read or written: by the network stack or by a script (`document.cookie`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// `Set-Cookie` / `Cookie` headers: HttpOnly cookies take part.
    Http,
    /// `document.cookie`: HttpOnly cookies can be neither seen nor written.
    Script,
}

/// The SameSite context of a request, weakest first (Chromium
/// `CookieOptions::SameSiteCookieContext::ContextType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SameSiteContext {
    /// A cross-site request: only `SameSite=None` cookies.
    CrossSite,
    /// A cross-site top-level navigation with an unsafe method (POST).
    LaxMethodUnsafe,
    /// A cross-site top-level navigation with a safe method: Lax cookies too.
    Lax,
    /// A same-site request: every cookie.
    Strict,
}

/// A request (or a script) that reads or writes cookies.
///
/// Borrows its URLs, so building one per request costs nothing.
///
/// ```
/// use cookiejar::RequestContext;
/// use url::Url;
/// let page = Url::parse("https://shop.example/cart").unwrap();
/// let img = Url::parse("https://cdn.example/logo.png").unwrap();
/// let nav = RequestContext::navigation(&page);            // typed in the address bar
/// let sub = RequestContext::subresource(&img, &page);     // an <img> on the page
/// let js = RequestContext::script(&page);                 // document.cookie on the page
/// # let _ = (nav, sub, js);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct RequestContext<'a> {
    pub(crate) url: &'a Url,
    /// The top-level page (site for cookies); `None` means the request is itself top-level.
    pub(crate) top_level: Option<&'a Url>,
    /// The page that started the request; `None`: the user (address bar, bookmark).
    pub(crate) initiator: Option<&'a Url>,
    pub(crate) navigation: bool,
    pub(crate) unsafe_method: bool,
    pub(crate) api: Api,
    /// The URLs of the earlier hops of the same action, first request first.
    pub(crate) redirect_chain: &'a [Url],
}

impl<'a> RequestContext<'a> {
    /// A top-level navigation the user started (address bar): same-site in every sense.
    pub fn navigation(url: &'a Url) -> Self {
        RequestContext {
            url,
            top_level: None,
            initiator: None,
            navigation: true,
            unsafe_method: false,
            api: Api::Http,
            redirect_chain: &[],
        }
    }

    /// A top-level navigation started by a page at `initiator` (a link, a form, `location =`).
    pub fn navigation_from(url: &'a Url, initiator: &'a Url) -> Self {
        RequestContext {
            initiator: Some(initiator),
            ..RequestContext::navigation(url)
        }
    }

    /// A subresource (`fetch`, `<img>`, an iframe) requested by the top-level page `top_level`.
    pub fn subresource(url: &'a Url, top_level: &'a Url) -> Self {
        RequestContext {
            url,
            top_level: Some(top_level),
            initiator: Some(top_level),
            navigation: false,
            unsafe_method: false,
            api: Api::Http,
            redirect_chain: &[],
        }
    }

    /// A script on the top-level page `page` using `document.cookie`.
    pub fn script(page: &'a Url) -> Self {
        RequestContext {
            url: page,
            top_level: Some(page),
            initiator: Some(page),
            navigation: false,
            unsafe_method: false,
            api: Api::Script,
            redirect_chain: &[],
        }
    }

    /// Sets the HTTP method (`GET`, `HEAD`, `OPTIONS` and `TRACE` are safe; anything else is
    /// not, which matters for cross-site navigations).
    #[must_use]
    pub fn with_method(mut self, method: &str) -> Self {
        // RFC 9110 9.2.1 safe methods, as Chromium's net::HttpUtil::IsMethodSafe.
        self.unsafe_method = !["GET", "HEAD", "OPTIONS", "TRACE"]
            .iter()
            .any(|m| m.eq_ignore_ascii_case(method));
        self
    }

    /// Sets the page that started the request.
    #[must_use]
    pub fn with_initiator(mut self, initiator: Option<&'a Url>) -> Self {
        self.initiator = initiator;
        self
    }

    /// Sets the redirect chain: the URLs of the earlier hops of the same action (a navigation
    /// or a fetch that was redirected to this URL), first request first, this URL not included.
    /// Empty, the default, when the request is not a redirect hop. Whoever follows the
    /// redirects builds it up, one URL per hop.
    ///
    /// Under the `standard` and `firefox` profiles a hop cross-site to this URL makes the
    /// request cross-site ([`Policy::redirect_chain_cross_site`]); `chromium` ignores the chain.
    ///
    /// ```
    /// use cookiejar::{CookieJar, RequestContext, Timestamp};
    /// use url::Url;
    /// let mut jar = CookieJar::new();
    /// let home = Url::parse("https://www.site.example/").unwrap();
    /// let now = Timestamp::from_unix_seconds(1_800_000_000);
    /// jar.set_cookie(b"s=1; SameSite=Strict", &RequestContext::navigation(&home), now).unwrap();
    /// // Typed https://tracker.example/, which answered 302 to https://www.site.example/.
    /// let chain = [Url::parse("https://tracker.example/").unwrap()];
    /// let hop = RequestContext::navigation(&home).with_redirect_chain(&chain);
    /// assert_eq!(jar.cookie_header(&hop, now), None); // the boomerang is cross-site
    /// ```
    #[must_use]
    pub fn with_redirect_chain(mut self, chain: &'a [Url]) -> Self {
        self.redirect_chain = chain;
        self
    }

    /// The redirect chain: the URLs of the earlier hops, first request first.
    pub fn redirect_chain(&self) -> &'a [Url] {
        self.redirect_chain
    }

    /// Whether this is a top-level navigation (rather than a subresource or a script).
    pub fn is_navigation(&self) -> bool {
        self.navigation
    }

    /// The request URL.
    pub fn url(&self) -> &'a Url {
        self.url
    }

    /// Whether this is the script API.
    pub fn api(&self) -> Api {
        self.api
    }

    /// The top-level page: the request itself for a top-level navigation.
    pub fn top_level(&self) -> &'a Url {
        self.top_level.unwrap_or(self.url)
    }

    /// Whether the request counts as secure: https or wss, or a loopback host when the policy
    /// trusts them (Chromium treats http://localhost as a secure context).
    pub fn is_secure(&self, policy: &Policy) -> bool {
        is_secure_url(self.url, policy)
    }

    /// The SameSite context of this request (Chromium `ComputeSameSiteContext`), its redirect
    /// chain included as the policy says.
    pub fn same_site_context(&self, policy: &Policy, psl: &dyn SuffixList) -> SameSiteContext {
        self.same_site_contexts(policy, psl).0
    }

    /// The SameSite context with the redirect chain applied, and the context the request would
    /// have without a chain (the two differ only when a cross-site hop downgraded it).
    pub(crate) fn same_site_contexts(
        &self,
        policy: &Policy,
        psl: &dyn SuffixList,
    ) -> (SameSiteContext, SameSiteContext) {
        let base = self.chainless_context(policy, psl);
        if self.redirect_chain.is_empty()
            || !policy.redirect_chain_cross_site
            || base == SameSiteContext::CrossSite
        {
            return (base, base);
        }
        // 6265bis 5.2: a request is same-site only if it "is not the result of a cross-site
        // redirect": every URL of its URL list must be same-site with its current URL. Firefox
        // CookieCommons::IsSameSiteForeign walks the load's redirect chain the same way.
        let schemeful = policy.schemeful_same_site;
        if self
            .redirect_chain
            .iter()
            .all(|hop| same_site(hop, self.url, schemeful, psl))
        {
            return (base, base);
        }
        // A cross-site request: a top-level navigation keeps Lax cookies on a safe method (6265bis
        // 5.8.3 step 1, Firefox's Lax rule for foreign top-level loads); anything else is
        // cross-site (WPT "Cross-site redirecting to same-host fetches are cross-site").
        let downgraded = match (self.navigation && self.api == Api::Http, self.unsafe_method) {
            (true, false) => SameSiteContext::Lax,
            (true, true) => SameSiteContext::LaxMethodUnsafe,
            (false, _) => SameSiteContext::CrossSite,
        };
        (base.min(downgraded), base)
    }

    /// The context from the URL, top level, initiator and method alone.
    fn chainless_context(&self, policy: &Policy, psl: &dyn SuffixList) -> SameSiteContext {
        // A user-typed top-level navigation (or a script on its own top-level page with itself
        // as initiator) is same-site in every sense: no site lookups needed.
        let own_top = self
            .top_level
            .is_none_or(|t| std::ptr::eq(t, self.url) || t == self.url);
        let own_initiator = self
            .initiator
            .is_none_or(|i| std::ptr::eq(i, self.url) || i == self.url);
        if own_top && own_initiator {
            return SameSiteContext::Strict;
        }
        let schemeful = policy.schemeful_same_site;
        // Site for cookies: the top-level page must be same-site with the URL, else cross-site.
        if !same_site(self.url, self.top_level(), schemeful, psl) {
            return SameSiteContext::CrossSite;
        }
        // Chromium: with no initiator, or a same-site one, the request is strictly same-site.
        match self.initiator {
            None => SameSiteContext::Strict,
            Some(i) if same_site(i, self.url, schemeful, psl) => SameSiteContext::Strict,
            // A cross-site initiator of a same-site-for-cookies request: a cross-site
            // navigation. Lax for safe methods, lax-method-unsafe otherwise.
            Some(_) if self.unsafe_method => SameSiteContext::LaxMethodUnsafe,
            Some(_) => SameSiteContext::Lax,
        }
    }
}

impl RequestContext<'_> {
    /// The SameSite context in which a response to this request may set cookies (Chromium
    /// `ComputeSameSiteContextForResponse` / `ForScriptSet`): a top-level navigation's response
    /// is at least lax whoever started it, and strict is normalized to lax, since setting only
    /// distinguishes cross-site from the rest.
    pub fn same_site_context_for_set(
        &self,
        policy: &Policy,
        psl: &dyn SuffixList,
    ) -> SameSiteContext {
        self.same_site_contexts_for_set(policy, psl).0
    }

    /// [`Self::same_site_context_for_set`] with and without the redirect chain.
    pub(crate) fn same_site_contexts_for_set(
        &self,
        policy: &Policy,
        psl: &dyn SuffixList,
    ) -> (SameSiteContext, SameSiteContext) {
        if self.navigation && self.api == Api::Http {
            return (SameSiteContext::Lax, SameSiteContext::Lax);
        }
        let (with_chain, without) = self.same_site_contexts(policy, psl);
        (
            with_chain.min(SameSiteContext::Lax),
            without.min(SameSiteContext::Lax),
        )
    }
}

/// https and wss are secure; so are loopback hosts under a trusting policy.
pub(crate) fn is_secure_url(url: &Url, policy: &Policy) -> bool {
    match url.scheme() {
        "https" | "wss" => true,
        _ => policy.trust_loopback && request_host(url).is_some_and(is_loopback_host),
    }
}

/// Schemeful (or not) same-site (6265bis 5.2, HTML "same site"): the same registrable domain
/// (or the same host where there is none), and with schemes the same once ws/wss fold into
/// http/https.
pub(crate) fn same_site(a: &Url, b: &Url, schemeful: bool, psl: &dyn SuffixList) -> bool {
    let scheme_class = |u: &Url| match u.scheme() {
        "https" | "wss" => "https",
        "http" | "ws" => "http",
        s => {
            if s.is_empty() {
                ""
            } else {
                "other"
            }
        }
    };
    if schemeful && scheme_class(a) != scheme_class(b) {
        return false;
    }
    match (a.host_str(), b.host_str()) {
        (Some(ha), Some(hb)) => {
            crate::rules::host::site_key(psl, ha) == crate::rules::host::site_key(psl, hb)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn contexts() {
        let p = Policy::standard();
        let l = psl::List;
        let a = u("https://a.example/");
        let a2 = u("https://www.a.example/x");
        let b = u("https://b.example/");
        let ha = u("http://a.example/");
        assert_eq!(
            RequestContext::navigation(&a).same_site_context(&p, &l),
            SameSiteContext::Strict
        );
        assert_eq!(
            RequestContext::subresource(&a2, &a).same_site_context(&p, &l),
            SameSiteContext::Strict
        );
        assert_eq!(
            RequestContext::subresource(&b, &a).same_site_context(&p, &l),
            SameSiteContext::CrossSite
        );
        assert_eq!(
            RequestContext::navigation_from(&b, &a).same_site_context(&p, &l),
            SameSiteContext::Lax
        );
        assert_eq!(
            RequestContext::navigation_from(&b, &a)
                .with_method("POST")
                .same_site_context(&p, &l),
            SameSiteContext::LaxMethodUnsafe
        );
        // Schemeful: http and https of one host are cross-site.
        assert_eq!(
            RequestContext::subresource(&a, &ha).same_site_context(&p, &l),
            SameSiteContext::CrossSite
        );
        let ff = Policy::firefox();
        assert_eq!(
            RequestContext::subresource(&a, &ha).same_site_context(&ff, &l),
            SameSiteContext::Strict
        );
    }

    #[test]
    fn secure_urls() {
        let p = Policy::standard();
        assert!(is_secure_url(&u("https://x.example/"), &p));
        assert!(is_secure_url(&u("wss://x.example/"), &p));
        assert!(!is_secure_url(&u("http://x.example/"), &p));
        assert!(is_secure_url(&u("http://localhost:8080/"), &p));
        assert!(is_secure_url(&u("http://127.0.0.1/"), &p));
        assert!(is_secure_url(&u("http://[::1]/"), &p));
        let mut strict = p.clone();
        strict.trust_loopback = false;
        assert!(!is_secure_url(&u("http://localhost/"), &strict));
    }
}

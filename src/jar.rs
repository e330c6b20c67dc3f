//! [`CookieJar`]: admission (6265bis 5.7, the storage model) and retrieval (6265bis 5.8).

use crate::rules::context::{is_secure_url, Api, RequestContext, SameSiteContext};
use crate::cookie::{Cookie, CookieParts, SameSite, Timestamp};
use crate::store::evict;
use crate::rules::host::{
    canonicalize_domain, domain_match, domain_match_bytes, is_ip, request_host, site_key,
};
use crate::syntax::parse::parse_set_cookie;
use crate::rules::path::{default_path, path_match_bytes};
use crate::policy::{EvictionStyle, Policy};
use crate::rules::psl::{default_list, is_public_suffix, Psl, SuffixList};
use crate::reason::{Exclusion, Rejection};
use crate::store::{Bucket, Store};
use std::sync::atomic::Ordering;
use std::sync::Arc;

/// What a successful `set_cookie` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetOutcome {
    /// A new cookie was stored.
    Inserted,
    /// A cookie with the same name, domain, host-only flag and path was replaced.
    Replaced,
    /// The cookie was already expired and deleted the matching stored cookie.
    Deleted,
    /// The cookie was already expired and there was nothing to delete.
    Expired,
}

/// One candidate cookie of a request and whether it was sent (see [`CookieJar::explain`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The cookie.
    pub cookie: Cookie,
    /// `Ok(())` when it is sent, else why not.
    pub verdict: Result<(), Exclusion>,
}

/// A browser-accurate cookie jar.
///
/// ```
/// use cookiejar::{CookieJar, RequestContext, Timestamp};
/// use url::Url;
/// let mut jar = CookieJar::new();
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let url = Url::parse("https://www.example.com/a/b").unwrap();
/// let ctx = RequestContext::navigation(&url);
/// jar.set_cookie("sid=1; Secure; HttpOnly; SameSite=Lax", &ctx, now).unwrap();
/// jar.set_cookie("lang=en; Domain=example.com; Path=/", &ctx, now).unwrap();
/// assert_eq!(jar.cookie_header(&ctx, now).as_deref(), Some("sid=1; lang=en"));
/// // A script sees no HttpOnly cookie.
/// assert_eq!(jar.cookie_header(&RequestContext::script(&url), now).as_deref(), Some("lang=en"));
/// // A public suffix cannot be a cookie's domain.
/// assert!(jar.set_cookie("x=1; Domain=com", &ctx, now).is_err());
/// ```
#[derive(Clone)]
pub struct CookieJar {
    policy: Policy,
    psl: Psl,
    store: Store,
    /// Creation times are unique and increasing (Chromium `CookieMonster::CurrentTime`
    /// semantics), so header order never depends on ties.
    last_creation: Timestamp,
}

impl Default for CookieJar {
    fn default() -> Self {
        CookieJar::new()
    }
}

impl std::fmt::Debug for CookieJar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CookieJar")
            .field("policy", &self.policy.profile)
            .field("cookies", &self.store.len)
            .field("sites", &self.store.buckets.len())
            .finish()
    }
}

/// The result of the admission checks, ready to store.
struct Admitted {
    site: String,
    cookie: Cookie,
    expired: bool,
}

impl CookieJar {
    /// An empty jar with [`Policy::standard`] and the compiled-in public suffix list.
    pub fn new() -> Self {
        CookieJar::with_policy(Policy::standard())
    }

    /// An empty jar with the given policy.
    pub fn with_policy(policy: Policy) -> Self {
        CookieJar {
            policy,
            psl: default_list(),
            store: Store::default(),
            last_creation: Timestamp::MIN,
        }
    }

    /// Replaces the public suffix list, e.g. with a runtime-loaded `publicsuffix::List`.
    ///
    /// ```
    /// # use cookiejar::CookieJar;
    /// let list: publicsuffix::List = "// ===BEGIN ICANN DOMAINS===\ncom\n".parse().unwrap();
    /// let jar = CookieJar::new().with_public_suffix_list(list);
    /// # let _ = jar;
    /// ```
    #[must_use]
    pub fn with_public_suffix_list<L: SuffixList + 'static>(mut self, list: L) -> Self {
        self.psl = Arc::new(list);
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// How many cookies are stored (expired ones not yet swept included).
    pub fn len(&self) -> usize {
        self.store.len
    }

    /// True when no cookie is stored.
    pub fn is_empty(&self) -> bool {
        self.store.len == 0
    }

    /// Every stored cookie, site by site, each site in header order.
    pub fn iter(&self) -> impl Iterator<Item = &Cookie> {
        self.store.buckets.values().flat_map(|b| b.cookies.iter())
    }

    /// Removes every cookie.
    pub fn clear(&mut self) {
        self.store = Store::default();
    }

    /// The browser restarts: session cookies (those without an expiry) are dropped.
    pub fn end_session(&mut self) {
        let mut removed = 0;
        self.store.buckets.retain(|_, b| {
            let before = b.cookies.len();
            b.cookies.retain(Cookie::persistent);
            removed += before - b.cookies.len();
            !b.cookies.is_empty()
        });
        self.store.len -= removed;
    }

    /// Removes every cookie expired at `now`.
    pub fn remove_expired(&mut self, now: impl Into<Timestamp>) {
        let now = now.into();
        let mut removed = 0;
        self.store.buckets.retain(|_, b| {
            removed += b.sweep_expired(now);
            !b.cookies.is_empty()
        });
        self.store.len -= removed;
    }

    fn next_creation(&mut self, now: Timestamp) -> Timestamp {
        // Chromium: creation times are strictly increasing, so each cookie has its own.
        let t = if now > self.last_creation {
            now
        } else {
            self.last_creation.plus_micros(1)
        };
        self.last_creation = t;
        t
    }

    /// Applies one `Set-Cookie` header value (or, with [`RequestContext::script`], one
    /// `document.cookie = ...` write) received for `ctx` at `now`.
    ///
    /// Runs the storage model of 6265bis 5.7 with the policy's browser rules; a refused cookie
    /// comes back as a typed [`Rejection`] and leaves the jar unchanged.
    pub fn set_cookie(
        &mut self,
        line: impl AsRef<[u8]>,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Result<SetOutcome, Rejection> {
        let now = now.into();
        let admitted = self.admit(line.as_ref(), ctx, now)?;
        self.store_admitted(admitted, ctx, now)
    }

    /// 6265bis 5.7 steps 1-21: everything that decides whether the cookie may be stored and what
    /// it is, before the store is consulted.
    fn admit(
        &mut self,
        line: &[u8],
        ctx: &RequestContext<'_>,
        now: Timestamp,
    ) -> Result<Admitted, Rejection> {
        let policy = &self.policy;
        let host = request_host(ctx.url).ok_or(Rejection::UnsupportedUrl)?;
        // 6265bis 5.7 step 1: parse.
        let parsed = parse_set_cookie(line, &policy.parse)?;
        let secure_url = is_secure_url(ctx.url, policy);

        // 6265bis 5.7 step 3: expiry. Max-Age wins over Expires; both capped at 400 days
        // (6265bis 5.5 "cookie-age-limit"; Chromium CanonicalCookie::ValidateAndAdjustExpiryDate).
        let cap = now.plus_seconds(policy.max_age_cap_seconds);
        let expires = if let Some(delta) = parsed.max_age {
            // 6265bis 5.6.2: delta-seconds <= 0 means the earliest representable time.
            Some(if delta <= 0 {
                Timestamp::MIN
            } else {
                now.plus_seconds(delta).min(cap)
            })
        } else {
            parsed
                .expires
                .map(|t| Timestamp::from_unix_seconds(t).min(cap))
        };
        let expired = expires.is_some_and(|e| e <= now);

        // 6265bis 5.7 steps 5-10: the domain.
        let mut host_only = true;
        let mut domain = host.to_owned();
        match parsed.domain {
            // Chromium GetCookieDomainWithString: an empty Domain makes a host-only cookie.
            None | Some(b"") => {}
            Some(raw) if is_ip(host) => {
                // Chromium GetCookieDomainWithString: on an IP host the attribute must be the
                // host itself (one leading dot allowed), and the cookie is host-only.
                let bare = raw.strip_prefix(b".").unwrap_or(raw);
                if !bare.eq_ignore_ascii_case(host.as_bytes()) {
                    return Err(Rejection::DomainMismatch);
                }
            }
            Some(raw) => {
                // Chromium GetCookieDomainWithString: a '%' in the attribute rejects the cookie
                // (the URL host parser would percent-decode it).
                if raw.contains(&b'%') {
                    return Err(Rejection::InvalidDomain);
                }
                // Firefox CookieService: a non-ASCII Domain attribute is refused.
                if policy.reject_non_ascii_domain && !raw.is_ascii() {
                    return Err(Rejection::InvalidDomain);
                }
                let canon = canonicalize_domain(raw).ok_or(Rejection::InvalidDomain)?;
                if is_public_suffix(self.psl.as_ref(), &canon) {
                    // 6265bis 5.7 step 9: a public suffix is allowed only as the host itself,
                    // and then the cookie is host-only.
                    if canon != host {
                        return Err(Rejection::PublicSuffixDomain);
                    }
                } else if !domain_match(host, &canon) {
                    // 6265bis 5.7 step 10.
                    return Err(Rejection::DomainMismatch);
                } else {
                    host_only = false;
                    domain = canon;
                }
            }
        }

        // 6265bis 5.7 step 11: the path attribute, or the default-path.
        let path = match parsed.path {
            Some(p) if p.first() == Some(&b'/') => String::from_utf8_lossy(p).into_owned(),
            _ => default_path(ctx.url.path()).to_owned(),
        };

        // 6265bis 5.7 step 14: Secure only from a secure URL.
        if parsed.secure && !secure_url {
            return Err(Rejection::SecureFromInsecureUrl);
        }
        // 6265bis 5.7 step 13: HttpOnly only through HTTP.
        if parsed.http_only && ctx.api == Api::Script {
            return Err(Rejection::HttpOnlyFromScript);
        }
        // 6265bis 5.7 step 15 (and Chromium): SameSite=None needs Secure.
        if parsed.same_site == SameSite::None
            && !parsed.secure
            && policy.samesite_none_requires_secure
        {
            return Err(Rejection::SameSiteNoneInsecure);
        }
        // 6265bis 5.7 step 15: a SameSite cookie cannot be set from a cross-site context.
        // Chromium CookieBase::IsSetPermittedInContext: Strict, Lax and unspecified-treated-as-
        // Lax all need at least a lax context for the response.
        let enforced = match parsed.same_site {
            SameSite::Unspecified if policy.lax_by_default => true,
            SameSite::Lax | SameSite::Strict => true,
            _ => false,
        };
        if enforced
            && ctx.same_site_context_for_set(policy, self.psl.as_ref()) < SameSiteContext::Lax
        {
            return Err(Rejection::SameSiteContext);
        }
        // CHIPS: Partitioned needs Secure.
        let partition_key = if parsed.partitioned {
            if !parsed.secure {
                return Err(Rejection::PartitionedInsecure);
            }
            Some(partition_key_of(self.psl.as_ref(), ctx.top_level()))
        } else if is_third_party(ctx, policy, self.psl.as_ref()) {
            // Firefox Total Cookie Protection (dFPI): a cookie set in a third-party context
            // goes into the jar of the top-level site, whatever its attributes.
            Some(partition_key_of(self.psl.as_ref(), ctx.top_level()))
        } else {
            None
        };

        // 6265bis 5.7 steps 17-19: prefixes, case-insensitive.
        check_prefixes(&parsed, &path, host_only, is_ip(host), ctx.api, policy)?;

        let site = site_key(self.psl.as_ref(), &domain).to_owned();
        let creation = self.next_creation(now);
        let cookie = Cookie::new(
            CookieParts {
                name: parsed.name,
                value: parsed.value,
                domain: &domain,
                path: &path,
                host_only,
                expires,
                secure: parsed.secure,
                http_only: parsed.http_only,
                same_site: parsed.same_site,
                priority: parsed.priority,
                partition_key: partition_key.map(String::into_boxed_str),
                partitioned_attribute: parsed.partitioned,
                creation,
            },
            now,
        );
        Ok(Admitted {
            site,
            cookie,
            expired,
        })
    }

    /// 6265bis 5.7 steps 16, 22-24: rules that depend on what is stored, then the store itself.
    fn store_admitted(
        &mut self,
        admitted: Admitted,
        ctx: &RequestContext<'_>,
        now: Timestamp,
    ) -> Result<SetOutcome, Rejection> {
        let Admitted {
            site,
            cookie,
            expired,
        } = admitted;
        let secure_url = is_secure_url(ctx.url, &self.policy);
        // One bucket lookup; the jar-wide bookkeeping follows from what the bucket reports.
        let bucket = self.store.bucket_mut(&site);
        let change = set_in_bucket(
            bucket,
            cookie,
            expired,
            secure_url,
            ctx.api,
            &self.policy,
            now,
        );
        self.store.len = (self.store.len + change.added).saturating_sub(change.removed);
        if change.added > 0 {
            self.store.earliest_access =
                Some(self.store.earliest_access.map_or(now, |e| e.min(now)));
            evict::global_gc(&mut self.store, &self.policy, now);
        }
        self.store.drop_if_empty(&site);
        change.result
    }

    /// Why `cookie` is not sent with the request, or `None` when it is (6265bis 5.8.3 step 1).
    fn exclusion(
        &self,
        cookie: &Cookie,
        req: &Request<'_>,
        lazy: &mut Lazy,
        ctx: &RequestContext<'_>,
    ) -> Option<Exclusion> {
        if cookie.is_expired(req.now) {
            return Some(Exclusion::Expired);
        }
        let domain_ok = if cookie.host_only {
            req.host.as_bytes() == cookie.domain_bytes()
        } else {
            domain_match_bytes(req.host.as_bytes(), cookie.domain_bytes())
        };
        if !domain_ok {
            return Some(Exclusion::DomainMismatch);
        }
        match &cookie.partition_key {
            Some(p) => {
                let mine = lazy
                    .partition
                    .get_or_insert_with(|| partition_key_of(self.psl.as_ref(), ctx.top_level()));
                if **p != **mine {
                    return Some(Exclusion::Partition);
                }
            }
            // Firefox Total Cookie Protection: a third-party request sees only its partition.
            None if req.third_party => return Some(Exclusion::Partition),
            None => {}
        }
        if !path_match_bytes(req.path.as_bytes(), cookie.path_bytes()) {
            return Some(Exclusion::PathMismatch);
        }
        if cookie.secure && !req.secure {
            return Some(Exclusion::NotSecure);
        }
        if cookie.http_only && ctx.api == Api::Script {
            return Some(Exclusion::HttpOnly);
        }
        // 6265bis 5.8.3 step 1 (SameSite), Chromium CanonicalCookie::IncludeForRequestURL.
        let policy = &self.policy;
        let needs = match cookie.same_site {
            SameSite::None => return None,
            SameSite::Unspecified if !policy.lax_by_default => return None,
            s => s,
        };
        let context = *lazy
            .same_site
            .get_or_insert_with(|| ctx.same_site_context(policy, self.psl.as_ref()));
        match needs {
            SameSite::Strict if context < SameSiteContext::Strict => {
                Some(Exclusion::SameSiteStrict)
            }
            SameSite::Lax if context < SameSiteContext::Lax => Some(Exclusion::SameSiteLax),
            SameSite::Unspecified if context < SameSiteContext::Lax => {
                // Chromium kLaxAllowUnsafeMaxAge: a young Lax-by-default cookie still goes on a
                // cross-site top-level navigation with an unsafe method.
                let young = policy.lax_allow_unsafe_max_age_seconds.is_some_and(|max| {
                    context == SameSiteContext::LaxMethodUnsafe
                        // Chromium CookieBase::IsRecentlyCreated: `now - creation <= max`.
                        && cookie.creation.plus_seconds(max) >= req.now
                });
                (!young).then_some(Exclusion::SameSiteUnspecifiedTreatedAsLax)
            }
            _ => None,
        }
    }

    fn request<'c>(&self, ctx: &RequestContext<'c>, now: Timestamp) -> Option<Request<'c>> {
        let host = request_host(ctx.url)?;
        let third_party = is_third_party(ctx, &self.policy, self.psl.as_ref());
        Some(Request {
            host,
            path: ctx.url.path(),
            secure: is_secure_url(ctx.url, &self.policy),
            now,
            third_party,
        })
    }

    /// The request's facts and its site's bucket: all a lookup reads.
    fn site_bucket<'c>(
        &self,
        ctx: &RequestContext<'c>,
        now: Timestamp,
    ) -> Option<(Request<'c>, &Bucket)> {
        let req = self.request(ctx, now)?;
        let bucket = self.store.bucket(site_key(self.psl.as_ref(), req.host))?;
        Some((req, bucket))
    }

    /// Writes the `Cookie` header for `ctx` at `now` into `out` (without clearing it) and
    /// returns how many cookies it holds. Allocation-free beyond `out`'s growth.
    pub fn write_cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
        out: &mut Vec<u8>,
    ) -> usize {
        let now = now.into();
        let Some((req, bucket)) = self.site_bucket(ctx, now) else {
            return 0;
        };
        let threshold = self.policy.last_access_threshold_seconds;
        let mut lazy = Lazy::default();
        let mut n = 0;
        for cookie in &bucket.cookies {
            if self.exclusion(cookie, &req, &mut lazy, ctx).is_some() {
                continue;
            }
            // 6265bis 5.8.3 step 4: "; "-joined; a nameless cookie is sent as its value alone.
            if n > 0 {
                out.extend_from_slice(b"; ");
            }
            let (name, value) = (cookie.name(), cookie.value());
            if !name.is_empty() {
                out.extend_from_slice(name);
                out.push(b'=');
            }
            out.extend_from_slice(value);
            n += 1;
            // 6265bis 5.8.3 step 3, throttled as Chromium kLastAccessThreshold.
            let last = cookie.last_access.load(Ordering::Relaxed);
            if now.0.saturating_sub(last) >= threshold.saturating_mul(1_000_000) {
                cookie.last_access.store(now.0, Ordering::Relaxed);
            }
        }
        n
    }

    /// The `Cookie` header bytes for `ctx` at `now`, or `None` when no cookie is sent.
    pub fn cookie_header_bytes(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        (self.write_cookie_header(ctx, now, &mut out) > 0).then_some(out)
    }

    /// The `Cookie` header for `ctx` at `now` (6265bis 5.8.3), or `None` when no cookie is
    /// sent. With [`RequestContext::script`] this is what `document.cookie` reads. Bytes that
    /// are not UTF-8 are replaced; use [`CookieJar::cookie_header_bytes`] to keep them.
    pub fn cookie_header(
        &self,
        ctx: &RequestContext<'_>,
        now: impl Into<Timestamp>,
    ) -> Option<String> {
        self.cookie_header_bytes(ctx, now)
            .map(|b| match String::from_utf8(b) {
                Ok(s) => s,
                Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            })
    }

    /// Every cookie stored for the request's site, in header order, each with whether it is
    /// sent and, if not, why.
    pub fn explain(&self, ctx: &RequestContext<'_>, now: impl Into<Timestamp>) -> Vec<Explanation> {
        let now = now.into();
        let Some((req, bucket)) = self.site_bucket(ctx, now) else {
            return Vec::new();
        };
        let mut lazy = Lazy::default();
        bucket
            .cookies
            .iter()
            .map(|c| Explanation {
                cookie: c.clone(),
                verdict: self.exclusion(c, &req, &mut lazy, ctx).map_or(Ok(()), Err),
            })
            .collect()
    }
}

/// What [`set_in_bucket`] did to its bucket.
struct BucketChange {
    result: Result<SetOutcome, Rejection>,
    /// Cookies inserted (0 or 1).
    added: usize,
    /// Cookies removed: swept, replaced or evicted.
    removed: usize,
}

/// 6265bis 5.7 steps 16, 22-24 within the cookie's bucket: leave-secure-cookies-alone, the old
/// cookie of the same identity, then the insert and the site's eviction.
fn set_in_bucket(
    bucket: &mut Bucket,
    mut cookie: Cookie,
    expired: bool,
    secure_url: bool,
    api: Api,
    policy: &Policy,
    now: Timestamp,
) -> BucketChange {
    let mut removed = 0;
    let done = |result, added, removed| BucketChange {
        result,
        added,
        removed,
    };
    if policy.eviction == EvictionStyle::Chromium {
        // Chromium drops a site's expired cookies whenever it touches the site; Firefox keeps
        // counting them until they are picked as the first eviction victims.
        removed += bucket.sweep_expired(now);
    }

    // 6265bis 5.7 step 16 ("leave secure cookies alone"): from an insecure URL, a cookie may not
    // shadow a Secure one of the same name whose domain matches either way and whose path the
    // new path path-matches. Chromium CookieMonster::MaybeDeleteEquivalentCookieAndUpdateStatus
    // with IsEquivalentForSecureCookieMatching.
    if !secure_url {
        let shadows = bucket.cookies.iter().any(|old| {
            old.secure
                && old.name() == cookie.name()
                && old.partition_key == cookie.partition_key
                && (domain_match_bytes(cookie.domain_bytes(), old.domain_bytes())
                    || domain_match_bytes(old.domain_bytes(), cookie.domain_bytes()))
                && path_match_bytes(cookie.path_bytes(), old.path_bytes())
        });
        if shadows {
            return done(Err(Rejection::OverwriteSecure), 0, removed);
        }
    }

    // 6265bis 5.7 step 22: an old cookie with the same identity.
    let old = bucket
        .cookies
        .iter()
        .position(|old| old.same_identity(&cookie));
    if let Some(old_cookie) = old.and_then(|i| bucket.cookies.get(i)) {
        // 6265bis 5.7 step 22.2: a script cannot overwrite an HttpOnly cookie.
        if old_cookie.http_only && api == Api::Script {
            return done(Err(Rejection::OverwriteHttpOnly), 0, removed);
        }
        // 6265bis 5.7 step 22.3: keep the old creation time. Chromium does so only when the
        // value is unchanged (CookieMonster::SetCanonicalCookie, creation_date_to_inherit).
        if !(policy.new_creation_on_value_change && old_cookie.value() != cookie.value()) {
            cookie.creation = old_cookie.creation;
        }
    }
    if let Some(i) = old {
        bucket.cookies.remove(i);
        removed += 1;
    }
    if expired {
        // 6265bis 5.7 step 23 (implied): an expired cookie only deletes.
        let outcome = if old.is_some() {
            SetOutcome::Deleted
        } else {
            SetOutcome::Expired
        };
        return done(Ok(outcome), 0, removed);
    }
    let partition = cookie.partition_key.clone();
    if policy.eviction == EvictionStyle::Firefox && old.is_none() && partition.is_none() {
        // Firefox CookieStorage::AddCookie: make room before inserting.
        match evict::firefox_make_room(bucket, cookie.secure, policy, now) {
            evict::FirefoxRoom::Made(n) => removed += n,
            evict::FirefoxRoom::Refused => return done(Err(Rejection::SiteFull), 0, removed),
        }
    }
    bucket.insert(cookie);
    // Chromium CookieMonster::SetCanonicalCookie then GarbageCollect: the new cookie takes part
    // in the eviction it triggers.
    removed += match &partition {
        Some(p) => evict::partition_gc(bucket, p, policy, now),
        None if policy.eviction == EvictionStyle::Chromium => {
            evict::chromium_site_gc(bucket, policy, now)
        }
        None => 0,
    };
    let outcome = if old.is_some() {
        SetOutcome::Replaced
    } else {
        SetOutcome::Inserted
    };
    done(Ok(outcome), 1, removed)
}

/// What a lookup computes only if a cookie needs it: the SameSite context and the partition.
#[derive(Default)]
struct Lazy {
    same_site: Option<SameSiteContext>,
    partition: Option<String>,
}

/// What a lookup needs of the request, computed once.
struct Request<'c> {
    host: &'c str,
    path: &'c str,
    secure: bool,
    now: Timestamp,
    /// Firefox Total Cookie Protection: a cross-site subresource sees only its partition.
    third_party: bool,
}

/// Firefox Total Cookie Protection: under a partitioning policy, an HTTP request whose top-level
/// page is another site is third-party (site compared as the policy's same-site says).
fn is_third_party(ctx: &RequestContext<'_>, policy: &Policy, psl: &dyn SuffixList) -> bool {
    policy.partition_third_party
        && ctx.api == Api::Http
        && ctx.top_level.is_some_and(|top| {
            !crate::rules::context::same_site(ctx.url, top, policy.schemeful_same_site, psl)
        })
}

/// CHIPS partition key: the top-level site, schemeful (`https://example.com`).
pub(crate) fn partition_key_of(psl: &dyn SuffixList, top_level: &url::Url) -> String {
    let host = top_level.host_str().unwrap_or("");
    format!("{}://{}", top_level.scheme(), site_key(psl, host))
}

/// 6265bis 5.7 steps 17-19 and the `__Http-` prefixes; case-insensitive as 6265bis -22 and
/// Chromium (`CanonicalCookie::GetCookiePrefix`).
fn check_prefixes(
    c: &crate::syntax::parse::ParsedCookie<'_>,
    path: &str,
    host_only: bool,
    ip_host: bool,
    api: Api,
    policy: &Policy,
) -> Result<(), Rejection> {
    let starts = |s: &[u8], p: &str| {
        s.len() >= p.len()
            && s.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    };
    // 6265bis 5.7 step 17: a nameless cookie may not look like a prefixed one.
    if c.name.is_empty() && (starts(c.value, "__Secure-") || starts(c.value, "__Host-")) {
        return Err(Rejection::NamelessWithPrefix);
    }
    if policy.http_prefixes
        && c.name.is_empty()
        && (starts(c.value, "__Http-") || starts(c.value, "__Host-Http-"))
    {
        return Err(Rejection::NamelessWithPrefix);
    }
    // 6265bis 5.7 step 18: __Secure- needs Secure (which already needed a secure URL).
    if starts(c.name, "__Secure-") && !c.secure {
        return Err(Rejection::SecurePrefix);
    }
    // Chromium IsCookiePrefixValid: no Domain attribute, except one naming the IP host itself
    // (admission already refused any other Domain on an IP host); and an explicit `Path=/`.
    let no_domain = c.domain.is_none_or(<[u8]>::is_empty) || ip_host;
    // Chromium and 6265bis -22 want the attribute itself; Firefox only the resulting path.
    let path_ok = if policy.host_prefix_needs_path_attribute {
        c.path == Some(b"/")
    } else {
        path == "/"
    };
    let host_ok = c.secure && host_only && no_domain && path_ok;
    let http_ok = c.secure && c.http_only && api == Api::Http;
    if policy.http_prefixes && starts(c.name, "__Host-Http-") {
        if !(host_ok && http_ok) {
            return Err(Rejection::HostHttpPrefix);
        }
    } else if starts(c.name, "__Host-") {
        // 6265bis 5.7 step 19: Secure, host-only, Path=/.
        if !host_ok {
            return Err(Rejection::HostPrefix);
        }
    } else if policy.http_prefixes && starts(c.name, "__Http-") && !http_ok {
        return Err(Rejection::HttpPrefix);
    }
    Ok(())
}

/// Hooks for [`crate::SharedJar`] (src/shared.rs), which keeps one `CookieJar` per shard and
/// runs the jar-wide rules (global limit, creation clock) across them.
impl CookieJar {
    pub(crate) fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    pub(crate) fn creation_clock_mut(&mut self) -> &mut Timestamp {
        &mut self.last_creation
    }

    pub(crate) fn set_psl(&mut self, psl: Psl) {
        self.psl = psl;
    }
}

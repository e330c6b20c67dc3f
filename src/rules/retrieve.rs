//! Retrieval (6265bis 5.8.3) as a pure selection over one bucket: which cookies go with a
//! request, in which order, and why each other one does not.

use crate::cookie::{Cookie, SameSite, Timestamp};
use crate::policy::Policy;
use crate::reason::Exclusion;
use crate::rules::admit::{partition_key_of, RequestFacts};
use crate::rules::context::{Api, RequestContext, SameSiteContext};
use crate::rules::path::path_match_bytes;
use crate::rules::psl::SuffixList;
use crate::store::bucket::Bucket;
use crate::store::change::{Change, ChangeSink};
use crate::store::Store;
use std::sync::atomic::Ordering;

/// One candidate cookie of a request and whether it was sent (see
/// [`crate::CookieJar::explain`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    /// The cookie.
    pub cookie: Cookie,
    /// `Ok(())` when it is sent, else why not.
    pub verdict: Result<(), Exclusion>,
}

impl Explanation {
    /// True when the cookie is sent.
    pub fn is_sent(&self) -> bool {
        self.verdict.is_ok()
    }
}

/// `name=value: sent`, or `name=value: not sent (reason)`.
impl std::fmt::Display for Explanation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}={}: ",
            self.cookie.name_str(),
            self.cookie.value_str()
        )?;
        match &self.verdict {
            Ok(()) => f.write_str("sent"),
            Err(e) => write!(f, "not sent ({e})"),
        }
    }
}

/// What a selection computes only if a cookie needs it: the SameSite context and the partition.
#[derive(Default)]
struct Lazy {
    /// The context with the redirect chain, and without it.
    same_site: Option<(SameSiteContext, SameSiteContext)>,
    partition: Option<String>,
}

/// The request side of a selection: the request's facts, computed once, and what the rules read.
pub(crate) struct Selection<'c> {
    facts: RequestFacts<'c>,
    policy: &'c Policy,
    psl: &'c dyn SuffixList,
    now: Timestamp,
}

impl<'c> Selection<'c> {
    /// The selection for `ctx` at `now`, or `None` when its URL carries no cookies.
    #[inline]
    pub(crate) fn new(
        ctx: &RequestContext<'c>,
        policy: &'c Policy,
        psl: &'c dyn SuffixList,
        now: Timestamp,
    ) -> Option<Self> {
        Some(Selection {
            facts: RequestFacts::new(ctx, policy, psl)?,
            policy,
            psl,
            now,
        })
    }

    /// The request's site key: the one bucket the selection reads.
    #[inline]
    pub(crate) fn site(&self) -> &'c str {
        self.facts.site
    }

    /// [`Selection::write_header`] over the request's bucket in `store`.
    pub(crate) fn header_from<S: ChangeSink>(
        &self,
        store: &Store,
        out: &mut Vec<u8>,
        sink: &mut S,
    ) -> usize {
        store
            .bucket(self.facts.site)
            .map_or(0, |b| self.write_header(b, out, sink))
    }

    /// [`Selection::explain`] over the request's bucket in `store`.
    pub(crate) fn explain_from(&self, store: &Store) -> Vec<Explanation> {
        store
            .bucket(self.facts.site)
            .map_or_else(Vec::new, |b| self.explain(b))
    }

    /// Why `cookie` is not sent with the request, or `None` when it is (6265bis 5.8.3 step 1).
    #[inline]
    fn exclusion(&self, cookie: &Cookie, lazy: &mut Lazy) -> Option<Exclusion> {
        let (facts, policy) = (&self.facts, self.policy);
        let ctx = &facts.ctx;
        if cookie.is_expired(self.now) {
            return Some(Exclusion::Expired);
        }
        let (domain, path) = cookie.domain_and_path_bytes();
        let host = facts.host.as_bytes();
        // 6265bis 5.8.3 step 1: host-only cookies need the host itself; domain cookies
        // domain-match (5.1.3: identical, or the host ends in "." + domain and is no IP).
        let domain_ok = crate::rules::host::ends_with(host, domain)
            && (host.len() == domain.len()
                || (!cookie.host_only
                    && !facts.host_is_ip
                    && host.get(host.len() - domain.len() - 1) == Some(&b'.')));
        if !domain_ok {
            return Some(Exclusion::DomainMismatch);
        }
        match &cookie.partition_key {
            Some(p) => {
                let mine = lazy
                    .partition
                    .get_or_insert_with(|| partition_key_of(self.psl, ctx.top_level()));
                if **p != **mine {
                    return Some(Exclusion::Partition);
                }
            }
            // Firefox Total Cookie Protection: a third-party request sees only its partition.
            None if facts.third_party => return Some(Exclusion::Partition),
            None => {}
        }
        if !path_match_bytes(facts.path.as_bytes(), path) {
            return Some(Exclusion::PathMismatch);
        }
        if cookie.secure && !facts.secure {
            return Some(Exclusion::NotSecure);
        }
        if cookie.http_only && ctx.api == Api::Script {
            return Some(Exclusion::HttpOnly);
        }
        // 6265bis 5.8.3 step 1 (SameSite), Chromium CanonicalCookie::IncludeForRequestURL.
        let needs = match cookie.same_site {
            SameSite::None => return None,
            SameSite::Unspecified if !policy.lax_by_default => return None,
            s => s,
        };
        let (context, chainless) = *lazy
            .same_site
            .get_or_insert_with(|| ctx.same_site_contexts(policy, self.psl));
        let excluded = self.same_site_exclusion(needs, cookie, context);
        if excluded.is_some()
            && context != chainless
            && self.same_site_exclusion(needs, cookie, chainless).is_none()
        {
            // Sent but for a cross-site hop of the redirect chain: say so.
            return Some(Exclusion::CrossSiteRedirect(needs));
        }
        excluded
    }

    /// The SameSite rule alone (6265bis 5.8.3 step 1) for a cookie that needs `needs` in
    /// `context`.
    #[inline]
    fn same_site_exclusion(
        &self,
        needs: SameSite,
        cookie: &Cookie,
        context: SameSiteContext,
    ) -> Option<Exclusion> {
        let policy = self.policy;
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
                        && cookie.creation.plus_seconds(max) >= self.now
                });
                (!young).then_some(Exclusion::SameSiteUnspecifiedTreatedAsLax)
            }
            _ => None,
        }
    }

    /// Writes the `Cookie` header of the bucket's sent cookies into `out` (6265bis 5.8.3 steps
    /// 2-4: the bucket is already in header order) and returns how many it holds; refreshes
    /// each sent cookie's last access, reporting it to `sink`.
    pub(crate) fn write_header<S: ChangeSink>(
        &self,
        bucket: &Bucket,
        out: &mut Vec<u8>,
        sink: &mut S,
    ) -> usize {
        let threshold = self.policy.last_access_threshold_seconds;
        let now = self.now;
        let mut lazy = Lazy::default();
        let mut n = 0;
        for cookie in &bucket.cookies {
            if self.exclusion(cookie, &mut lazy).is_some() {
                continue;
            }
            // 6265bis 5.8.3 step 4: "; "-joined; a nameless cookie is sent as its value alone.
            if n > 0 {
                out.extend_from_slice(b"; ");
            } else if out.capacity() == 0 {
                // A new buffer (the `String` lookups): one allocation for most headers, not
                // the four or five of growing from empty, and none when nothing is sent.
                out.reserve(HEADER_CAPACITY);
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
                sink.record(Change::Accessed(cookie));
            }
        }
        n
    }

    /// Every cookie of the bucket, in header order, with whether it is sent and, if not, why.
    pub(crate) fn explain(&self, bucket: &Bucket) -> Vec<Explanation> {
        let mut lazy = Lazy::default();
        bucket
            .cookies
            .iter()
            .map(|c| Explanation {
                cookie: c.clone(),
                verdict: self.exclusion(c, &mut lazy).map_or(Ok(()), Err),
            })
            .collect()
    }
}

/// The capacity an empty header buffer gets when the first cookie goes in: a typical header (a
/// handful of cookies) fits, so the `String`/`Vec` lookups allocate once.
const HEADER_CAPACITY: usize = 256;

/// A header's bytes as text: non-UTF-8 bytes are replaced (the `String` lookups).
pub(crate) fn header_string(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

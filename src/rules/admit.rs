//! Admission (6265bis 5.7, the storage model) as a pure function, like Chromium's
//! `CanonicalCookie::Create`: a parsed line, the request's facts, the policy, the suffix list and
//! the time in; a cookie ready for its bucket, or a typed [`Rejection`], out.

use crate::cookie::{Cookie, CookieParts, Prefix, SameSite, Timestamp};
use crate::policy::Policy;
use crate::reason::{Rejection, Warning, Warnings};
use crate::rules::context::{is_secure_url, same_site, Api, RequestContext, SameSiteContext};
use crate::rules::host::{
    canonical_domain, domain_match, is_ip, request_host, site_key, site_key_of,
};
use crate::rules::path::default_path;
use crate::rules::psl::{is_public_suffix, SuffixList};
use crate::syntax::parse::ParsedCookie;
use std::borrow::Cow;

/// What every rule needs of a request, computed once per call: the canonical host, its site
/// key, whether the URL is secure and whether the request is third-party (Firefox Total Cookie
/// Protection). The SameSite context is computed only when a cookie needs it.
#[derive(Clone, Copy)]
pub(crate) struct RequestFacts<'c> {
    pub(crate) ctx: RequestContext<'c>,
    pub(crate) host: &'c str,
    /// The URL's path (what path-match reads for every cookie).
    pub(crate) path: &'c str,
    pub(crate) site: &'c str,
    pub(crate) secure: bool,
    pub(crate) third_party: bool,
    /// The host is an IP address (no domain cookie matches it but its own).
    pub(crate) host_is_ip: bool,
}

impl<'c> RequestFacts<'c> {
    /// The facts of `ctx`, or `None` when its URL carries no cookies: no host, a scheme other
    /// than http(s) and ws(s), or a host ending in `..` (Chromium
    /// `cookie_util::GetCookieDomainWithString`: `if (url_host.ends_with("..")) return false`).
    #[inline]
    pub(crate) fn new(
        ctx: &RequestContext<'c>,
        policy: &Policy,
        psl: &dyn SuffixList,
    ) -> Option<Self> {
        let host = request_host(ctx.url).filter(|h| !h.ends_with(".."))?;
        let host_is_ip = is_ip(host);
        Some(RequestFacts {
            ctx: *ctx,
            host,
            path: ctx.url.path(),
            site: site_key_of(psl, host, host_is_ip),
            secure: is_secure_url(ctx.url, policy),
            third_party: is_third_party(ctx, policy, psl),
            host_is_ip,
        })
    }
}

/// A cookie that passed admission, with what its bucket needs to know.
pub(crate) struct Admitted {
    pub(crate) cookie: Cookie,
    pub(crate) expired: bool,
    pub(crate) warnings: Warnings,
}

/// 6265bis 5.7 steps 2-21: everything that decides whether the cookie may be stored and what it
/// is, before its bucket is consulted. The cookie's creation time is `now`; the jar makes it
/// unique before storing.
pub(crate) fn admit(
    parsed: &ParsedCookie<'_>,
    facts: &RequestFacts<'_>,
    policy: &Policy,
    psl: &dyn SuffixList,
    now: Timestamp,
) -> Result<Admitted, Rejection> {
    let (ctx, host) = (&facts.ctx, facts.host);
    // Chromium CookieInclusionStatus warnings the parser saw (6265bis 5.6.1, 5.6.7).
    let seen = parsed.warnings();
    let mut warnings = Warnings::default();
    if seen.attribute_value_too_long() {
        warnings = warnings.with(Warning::AttributeValueTooLong);
    }
    if seen.unrecognized_same_site() {
        warnings = warnings.with(Warning::UnknownSameSite);
    }

    // 6265bis 5.7 step 3: expiry. Max-Age wins over Expires; both capped at 400 days
    // (6265bis 5.5 "cookie-age-limit"; Chromium CanonicalCookie::ValidateAndAdjustExpiryDate).
    let cap = now.plus_seconds(policy.max_age_cap_seconds);
    let asked = if let Some(delta) = parsed.max_age {
        // 6265bis 5.6.2: delta-seconds <= 0 means the earliest representable time.
        Some(if delta <= 0 {
            Timestamp::MIN
        } else {
            now.plus_seconds(delta)
        })
    } else {
        parsed.expires.map(Timestamp::from_unix_seconds)
    };
    if asked.is_some_and(|e| e > cap) {
        warnings = warnings.with(Warning::ExpiryCapped);
    }
    let expires = asked.map(|e| e.min(cap));
    let expired = expires.is_some_and(|e| e <= now);

    // 6265bis 5.7 steps 5-10: the domain.
    let mut host_only = true;
    let mut domain = Cow::Borrowed(host);
    match parsed.domain {
        // Chromium GetCookieDomainWithString: an empty Domain makes a host-only cookie.
        None | Some(b"") => {}
        Some(raw) if is_ip(host) => {
            // Chromium GetCookieDomainWithString: on an IP host the attribute must be the host
            // itself (one leading dot allowed), and the cookie is host-only.
            let bare = raw.strip_prefix(b".").unwrap_or(raw);
            if !bare.eq_ignore_ascii_case(host.as_bytes()) {
                return Err(Rejection::DomainMismatch);
            }
        }
        Some(raw) => {
            // Chromium GetCookieDomainWithString: a '%' in the attribute rejects the cookie (the
            // URL host parser would percent-decode it).
            if raw.contains(&b'%') {
                return Err(Rejection::InvalidDomain);
            }
            // Firefox CookieService: a non-ASCII Domain attribute is refused.
            if policy.reject_non_ascii_domain && !raw.is_ascii() {
                return Err(Rejection::InvalidDomain);
            }
            let canon = canonical_domain(raw).ok_or(Rejection::InvalidDomain)?;
            if canon == facts.site && facts.site.len() < host.len() {
                // The attribute is the host's own registrable domain (the common case): it is
                // no public suffix, the host domain-matches it, and its site key is itself, so
                // the checks below would all pass; they need two PSL lookups.
                host_only = false;
                domain = canon;
            } else if is_public_suffix(psl, &canon) {
                // 6265bis 5.7 step 9: a public suffix is allowed only as the host itself, and
                // then the cookie is host-only.
                if canon != host {
                    return Err(Rejection::PublicSuffixDomain);
                }
            } else if !domain_match(host, &canon) {
                // 6265bis 5.7 step 10.
                return Err(Rejection::DomainMismatch);
            } else if site_key(psl, &canon) != facts.site {
                // Chromium GetCookieDomainWithString: the attribute must have the host's eTLD+1
                // (under a wildcard rule, `Domain=kawasaki.jp` from `a.b.kawasaki.jp`, whose
                // registrable domain is itself, is refused). So a cookie's bucket is its site.
                return Err(Rejection::DomainMismatch);
            } else {
                host_only = false;
                domain = canon;
            }
        }
    }

    // 6265bis 5.7 step 11: the path attribute, or the default-path.
    let path = match parsed.path {
        Some(p) if p.first() == Some(&b'/') => String::from_utf8_lossy(p),
        _ => Cow::Borrowed(default_path(facts.path)),
    };

    // 6265bis 5.7 step 14: Secure only from a secure URL.
    if parsed.secure && !facts.secure {
        return Err(Rejection::SecureFromInsecureUrl);
    }
    // 6265bis 5.7 step 13: HttpOnly only through HTTP.
    if parsed.http_only && ctx.api == Api::Script {
        return Err(Rejection::HttpOnlyFromScript);
    }
    // Chromium CanonicalCookie::Create and Firefox CookieCommons: SameSite=None needs Secure
    // (`Policy::samesite_none_requires_secure`, on in every profile).
    if parsed.same_site == SameSite::None && !parsed.secure && policy.samesite_none_requires_secure
    {
        return Err(Rejection::SameSiteNoneInsecure);
    }
    // 6265bis 5.7 step 15: a SameSite cookie cannot be set from a cross-site context. Chromium
    // CookieBase::IsSetPermittedInContext: Strict, Lax and unspecified-treated-as-Lax all need at
    // least a lax context for the response.
    let enforced = match parsed.same_site {
        SameSite::Unspecified if policy.lax_by_default => true,
        SameSite::Lax | SameSite::Strict => true,
        _ => false,
    };
    if enforced {
        let (context, chainless) = ctx.same_site_contexts_for_set(policy, psl);
        if context < SameSiteContext::Lax {
            return Err(if chainless < SameSiteContext::Lax {
                Rejection::SameSiteContext
            } else {
                Rejection::SameSiteCrossSiteRedirect
            });
        }
    }
    let partition_key = if parsed.partitioned {
        // CHIPS: Partitioned needs Secure, and a cookie alone may not exceed the partition's
        // byte budget (Chromium kPerPartitionDomainMaxCookieBytes).
        if !parsed.secure {
            return Err(Rejection::PartitionedInsecure);
        }
        if parsed.name.len() + parsed.value.len() > policy.max_bytes_per_partition {
            return Err(Rejection::PartitionTooLarge);
        }
        Some(partition_key_of(psl, ctx.top_level()))
    } else if facts.third_party {
        // Firefox Total Cookie Protection (dFPI): a cookie set in a third-party context goes
        // into the jar of the top-level site, whatever its attributes.
        Some(partition_key_of(psl, ctx.top_level()))
    } else {
        None
    };

    // 6265bis 5.7 steps 17-19: prefixes, case-insensitive.
    check_prefixes(parsed, &path, host_only, is_ip(host), ctx.api, policy)?;

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
            creation: now,
        },
        now,
    );
    Ok(Admitted {
        cookie,
        expired,
        warnings,
    })
}

/// Firefox Total Cookie Protection: under a partitioning policy, an HTTP request whose top-level
/// page is another site is third-party (site compared as the policy's same-site says).
#[inline]
fn is_third_party(ctx: &RequestContext<'_>, policy: &Policy, psl: &dyn SuffixList) -> bool {
    policy.partition_third_party
        && ctx.api == Api::Http
        && ctx
            .top_level
            .is_some_and(|top| !same_site(ctx.url, top, policy.schemeful_same_site, psl))
}

/// CHIPS partition key: the top-level site, schemeful (`https://example.com`). Chromium
/// `SchemefulSite` counts ws and wss as http and https.
pub(crate) fn partition_key_of(psl: &dyn SuffixList, top_level: &url::Url) -> String {
    let host = top_level.host_str().unwrap_or("");
    let scheme = match top_level.scheme() {
        "wss" => "https",
        "ws" => "http",
        s => s,
    };
    format!("{scheme}://{}", site_key(psl, host))
}

/// 6265bis 5.7 steps 17-19 and the `__Http-` prefixes; case-insensitive as 6265bis -22 and
/// Chromium (`CanonicalCookie::GetCookiePrefix`).
fn check_prefixes(
    c: &ParsedCookie<'_>,
    path: &str,
    host_only: bool,
    ip_host: bool,
    api: Api,
    policy: &Policy,
) -> Result<(), Rejection> {
    // 6265bis 5.7 step 17: a nameless cookie may not look like a prefixed one.
    if c.name.is_empty() && Prefix::of(c.value, policy.http_prefixes).is_some() {
        return Err(Rejection::NamelessWithPrefix);
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
    // 6265bis 5.7 step 18 (__Secure-: Secure, which already needed a secure URL), step 19
    // (__Host-: Secure, host-only, Path=/), and __Http- / __Host-Http-.
    match Prefix::of(c.name, policy.http_prefixes) {
        Some(p) if !p.allows(c.secure, host_ok, http_ok) => Err(match p {
            Prefix::Secure => Rejection::SecurePrefix,
            Prefix::Host => Rejection::HostPrefix,
            Prefix::Http => Rejection::HttpPrefix,
            Prefix::HostHttp => Rejection::HostHttpPrefix,
        }),
        _ => Ok(()),
    }
}

//! Behaviour profiles: every browser choice and every limit is a field, so a crawler can raise
//! limits and a test can switch one rule at a time.

use crate::syntax::parse::{DateParser, ParseOptions};

/// The named behaviour profiles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// WPT where WPT speaks, Chromium's choices where it is silent. The default.
    Standard,
    /// Chromium 156, also where it departs from WPT.
    Chromium,
    /// Firefox (release prefs: no Lax-by-default, scheme-less same-site).
    Firefox,
}

/// A profile name that is not `standard`, `chromium` or `firefox` (the name is given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProfile(pub String);

impl std::fmt::Display for UnknownProfile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown profile {:?} (standard, chromium, firefox)",
            self.0
        )
    }
}

impl std::error::Error for UnknownProfile {}

/// ```
/// use cookiejar::Profile;
/// assert_eq!("firefox".parse::<Profile>(), Ok(Profile::Firefox));
/// assert!("safari".parse::<Profile>().is_err());
/// ```
impl std::str::FromStr for Profile {
    type Err = UnknownProfile;
    fn from_str(s: &str) -> Result<Self, UnknownProfile> {
        match s {
            "standard" => Ok(Profile::Standard),
            "chromium" => Ok(Profile::Chromium),
            "firefox" => Ok(Profile::Firefox),
            _ => Err(UnknownProfile(s.to_owned())),
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Profile::Standard => "standard",
            Profile::Chromium => "chromium",
            Profile::Firefox => "firefox",
        })
    }
}

/// How the jar evicts when a site is over its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EvictionStyle {
    /// Chromium `CookieMonster::GarbageCollect`: after the insert, above the maximum purge to
    /// the purge target in six priority/secure rounds.
    Chromium,
    /// Firefox `CookieStorage`: before the insert, when the site is full, evict expired then
    /// non-secure least recently accessed cookies.
    Firefox,
}

/// Everything the jar decides by: limits and browser rules.
///
/// ```
/// use cookiejar::{CookieJar, Policy};
/// let mut policy = Policy::chromium();
/// policy.max_cookies_per_site = 10_000; // a crawler that wants more
/// let jar = CookieJar::with_policy(policy);
/// # let _ = jar;
/// ```
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Which profile this policy started from.
    pub profile: Profile,
    /// Parsing strictness (6265bis 5.6, Chromium's extras).
    pub parse: ParseOptions,
    /// 6265bis 5.5 / Chromium: every expiry is capped this many seconds after creation (400 days).
    pub max_age_cap_seconds: i64,
    /// Chromium `kDomainMaxCookies` (180): most cookies per site key.
    pub max_cookies_per_site: usize,
    /// Chromium `kDomainPurgeCookies` (30 below the max, so 150): what a site is cut to.
    pub purge_site_to: usize,
    /// Chromium `kDomainCookiesQuotaLow/Medium/High` (30/50/70): cookies of each priority
    /// protected from eviction.
    pub priority_quotas: [usize; 3],
    /// Chromium `kMaxCookies` (3300).
    pub max_cookies: usize,
    /// Chromium `kPurgeCookies` (300 below the max, so 3000).
    pub purge_to: usize,
    /// Chromium `kSafeFromGlobalPurgeDays` (30): cookies accessed this recently survive a global
    /// purge.
    pub safe_from_global_purge_seconds: i64,
    /// After a global purge, the next one waits this long unless the jar grew by another
    /// `max_cookies - purge_to` cookies (our hysteresis; Chromium has none: 0 in `chromium`).
    pub global_purge_min_interval_seconds: i64,
    /// Chromium `kLastAccessThreshold` (60 s): last-access is refreshed at most this often.
    pub last_access_threshold_seconds: i64,
    /// Eviction style.
    pub eviction: EvictionStyle,
    /// Chromium: an overwrite with an unchanged value keeps the creation time; a changed value
    /// gets a new one. 6265bis 5.7 step 22 (and Firefox) always keep it.
    pub new_creation_on_value_change: bool,
    /// Cookies without SameSite are treated as Lax (Chromium, 6265bis 5.6.7 "Default").
    pub lax_by_default: bool,
    /// Chromium `kLaxAllowUnsafeMaxAge` (120 s): a Lax-by-default cookie younger than this still
    /// goes on a cross-site top-level navigation with an unsafe method. `None` turns it off.
    pub lax_allow_unsafe_max_age_seconds: Option<i64>,
    /// Same-site compares schemes (http and https of one host are cross-site).
    pub schemeful_same_site: bool,
    /// A request whose redirect chain ([`crate::RequestContext::with_redirect_chain`]) holds a
    /// hop cross-site to it is cross-site (6265bis 5.2, WPT `cookies/samesite` "Cross-site
    /// redirecting to same-host ... are cross-site", Firefox `CookieCommons::IsSameSiteForeign`).
    /// Chromium ignores the chain (`CookieSameSiteConsidersRedirectChain` is off by default).
    pub redirect_chain_cross_site: bool,
    /// `http://localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]` count as secure (Chromium).
    pub trust_loopback: bool,
    /// `SameSite=None` without `Secure` is rejected.
    pub samesite_none_requires_secure: bool,
    /// CHIPS: most cookies per partition and site.
    pub max_cookies_per_partition: usize,
    /// CHIPS `kPerPartitionDomainMaxCookieBytes`: most name+value bytes per partition and site.
    pub max_bytes_per_partition: usize,
    /// Partitioned cookies count toward `max_cookies`. Chromium keeps them outside it
    /// (`partitioned_cookies_`); the standard profile counts them, so no sequence of top-level
    /// sites can grow the jar past its global limit.
    pub partitioned_count_toward_global_limit: bool,
    /// Firefox Total Cookie Protection: cookies set in a third-party context are partitioned
    /// by the top-level site, and a third-party request sees only that partition.
    pub partition_third_party: bool,
    /// `__Host-` needs an explicit `Path=/` attribute (6265bis -22 5.7, Chromium
    /// `IsCookiePrefixValid`); Firefox accepts a default path of `/`.
    pub host_prefix_needs_path_attribute: bool,
    /// A `Domain` attribute with non-ASCII characters rejects the cookie (Firefox); 6265bis and
    /// Chromium convert it to A-labels.
    pub reject_non_ascii_domain: bool,
    /// The `__Http-` and `__Host-Http-` prefixes are enforced.
    pub http_prefixes: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::standard()
    }
}

impl Policy {
    /// The default: WPT where it speaks, Chromium where WPT is silent.
    pub fn standard() -> Self {
        Policy {
            profile: Profile::Standard,
            parse: ParseOptions::default(),
            max_age_cap_seconds: 400 * 24 * 3600,
            max_cookies_per_site: 180,
            purge_site_to: 150,
            priority_quotas: [30, 50, 70],
            max_cookies: 3300,
            purge_to: 3000,
            safe_from_global_purge_seconds: 30 * 24 * 3600,
            global_purge_min_interval_seconds: 3600,
            last_access_threshold_seconds: 60,
            eviction: EvictionStyle::Chromium,
            new_creation_on_value_change: true,
            lax_by_default: true,
            lax_allow_unsafe_max_age_seconds: None,
            schemeful_same_site: true,
            redirect_chain_cross_site: true,
            trust_loopback: true,
            samesite_none_requires_secure: true,
            max_cookies_per_partition: 180,
            max_bytes_per_partition: 10_240,
            http_prefixes: true,
            partitioned_count_toward_global_limit: true,
            partition_third_party: false,
            host_prefix_needs_path_attribute: true,
            reject_non_ascii_domain: false,
        }
    }

    /// Chromium 156, bug for bug.
    pub fn chromium() -> Self {
        Policy {
            profile: Profile::Chromium,
            parse: ParseOptions {
                reject_inner_tab: true,
                reject_nameless_with_equals: true,
                max_age_allows_plus: true,
                invalid_attribute_overrides: true,
                dates: DateParser::Chromium,
                ..ParseOptions::default()
            },
            lax_allow_unsafe_max_age_seconds: Some(120),
            // Chromium: kCookieSameSiteConsidersRedirectChain is disabled by default.
            redirect_chain_cross_site: false,
            partitioned_count_toward_global_limit: false,
            global_purge_min_interval_seconds: 0,
            ..Policy::standard()
        }
    }

    /// Firefox release defaults.
    pub fn firefox() -> Self {
        Policy {
            profile: Profile::Firefox,
            parse: ParseOptions {
                no_nameless: true,
                dates: DateParser::Firefox,
                invalid_attribute_overrides: true, // Firefox CookieParser: last raw value wins
                max_age_minus_expires: true,
                ..ParseOptions::default()
            },
            eviction: EvictionStyle::Firefox,
            max_cookies: 3000,
            purge_to: 3000,
            new_creation_on_value_change: false,
            lax_by_default: false,
            lax_allow_unsafe_max_age_seconds: None,
            schemeful_same_site: false,
            partition_third_party: true,
            host_prefix_needs_path_attribute: false,
            reject_non_ascii_domain: true,
            ..Policy::standard()
        }
    }

    /// The policy of a named profile.
    pub fn for_profile(p: Profile) -> Self {
        match p {
            Profile::Standard => Policy::standard(),
            Profile::Chromium => Policy::chromium(),
            Profile::Firefox => Policy::firefox(),
        }
    }
}

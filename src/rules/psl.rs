//! Public suffix lookups.
//!
//! By default the jar uses the list compiled into the [`psl`] crate (ICANN and private sections).
//! Any [`psl_types::List`], such as a runtime-loaded `publicsuffix::List`, can replace it through
//! [`crate::CookieJar::with_public_suffix_list`].

use std::sync::Arc;

/// An object-safe view of a public suffix list: what the jar needs to ask of one.
///
/// Every [`psl_types::List`] that is `Send + Sync` implements it.
pub trait SuffixList: Send + Sync {
    /// The length in bytes of the public suffix of `host` (0 when the list knows none).
    ///
    /// Unknown top-level domains count as public suffixes (the `*` rule), as in Chromium.
    fn suffix_len(&self, host: &str) -> usize;
}

impl<L: psl_types::List + Send + Sync> SuffixList for L {
    fn suffix_len(&self, host: &str) -> usize {
        self.suffix(host.as_bytes())
            .map_or(0, |s| s.as_bytes().len())
    }
}

/// The shared handle the jar keeps.
pub(crate) type Psl = Arc<dyn SuffixList>;

/// The compiled-in list of the `psl` crate.
pub(crate) fn default_list() -> Psl {
    Arc::new(psl::List)
}

/// Whether `host` is itself a public suffix (`co.uk`, `github.io`, `test`).
pub(crate) fn is_public_suffix(list: &dyn SuffixList, host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    !host.is_empty() && list.suffix_len(host) >= host.len()
}

/// The registrable domain (eTLD+1) of `host`, or `None` when `host` is a public suffix itself.
pub(crate) fn registrable_domain<'h>(list: &dyn SuffixList, host: &'h str) -> Option<&'h str> {
    let n = list.suffix_len(host);
    if n == 0 || n + 2 > host.len() {
        return None;
    }
    let before = host.as_bytes().get(..host.len() - n - 1)?;
    // The label before the suffix is short: a plain loop, not a `memrchr` call.
    let start = before.iter().rposition(|&b| b == b'.').map_or(0, |i| i + 1);
    host.get(start..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes() {
        let l = psl::List;
        assert!(is_public_suffix(&l, "co.uk"));
        assert!(is_public_suffix(&l, "github.io"));
        assert!(is_public_suffix(&l, "com"));
        assert!(is_public_suffix(&l, "test"), "unknown TLDs are suffixes");
        assert!(!is_public_suffix(&l, "example.com"));
        assert_eq!(
            registrable_domain(&l, "a.b.example.co.uk"),
            Some("example.co.uk")
        );
        assert_eq!(
            registrable_domain(&l, "www.web-platform.test"),
            Some("web-platform.test")
        );
        assert_eq!(
            registrable_domain(&l, "foo.github.io"),
            Some("foo.github.io")
        );
        assert_eq!(registrable_domain(&l, "github.io"), None);
        assert_eq!(registrable_domain(&l, "localhost"), None);
    }
}

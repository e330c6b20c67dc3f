//! Cookie paths: the default-path and path-match algorithms of RFC 6265bis section 5.1.4.

/// The default-path of a request path (6265bis 5.1.4).
///
/// ```
/// use cookiejar::path::default_path;
/// assert_eq!(default_path("/a/b/c"), "/a/b");
/// assert_eq!(default_path("/a"), "/");
/// assert_eq!(default_path(""), "/");
/// ```
pub fn default_path(uri_path: &str) -> &str {
    // Step 2: empty or not starting with "/" -> "/".
    if !uri_path.starts_with('/') {
        return "/";
    }
    // Step 3: if uri-path contains no more than one "/" -> "/".
    // Step 4: otherwise everything up to, not including, the right-most "/".
    match uri_path.rfind('/') {
        Some(0) | None => "/",
        Some(i) => uri_path.get(..i).unwrap_or("/"),
    }
}

/// Whether `request_path` path-matches `cookie_path` (6265bis 5.1.4).
///
/// ```
/// use cookiejar::path::path_match;
/// assert!(path_match("/a/b", "/a"));
/// assert!(path_match("/a/", "/a/"));
/// assert!(!path_match("/ab", "/a"));
/// ```
pub fn path_match(request_path: &str, cookie_path: &str) -> bool {
    path_match_bytes(request_path.as_bytes(), cookie_path.as_bytes())
}

/// [`path_match`] over bytes, for the lookup's hot path.
pub(crate) fn path_match_bytes(r: &[u8], c: &[u8]) -> bool {
    // The most common cookie path, `/`, matches every path that starts with `/`.
    if c == b"/" {
        return r.first() == Some(&b'/');
    }
    if !crate::rules::host::starts_with(r, c) {
        return false;
    }
    // Identical, or the cookie-path ends in "/", or the first request byte after it is "/".
    r.len() == c.len() || c.last() == Some(&b'/') || r.get(c.len()) == Some(&b'/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_cases() {
        assert_eq!(default_path("/"), "/");
        assert_eq!(
            default_path("/cookies/resources/cookie.py"),
            "/cookies/resources"
        );
        assert_eq!(default_path("/a/"), "/a");
        assert_eq!(default_path("noslash"), "/");
        assert_eq!(default_path("//"), "/");
    }

    #[test]
    fn path_match_cases() {
        assert!(path_match("/", "/"));
        assert!(path_match("/a", "/"));
        assert!(path_match("/a", "/a"));
        assert!(path_match("/a/b/c", "/a/b"));
        assert!(!path_match("/a", "/a/"));
        assert!(!path_match("/abc", "/ab"));
        assert!(!path_match("/", "/a"));
        assert!(path_match("/a/b", "/a/"));
    }
}

//! Whole-jar storage behaviour (6265bis 5.7): overwrite, deletion, host-only and domain
//! cookies, the public suffix list, IP and IDN hosts, expiry, sessions, size limits, nameless
//! cookies and URLs that carry no cookies. Every rejection asserts its reason.

mod common;

use common::*;
use cookiejar::{ParseError, Rejection, SetOutcome, Timestamp};

// ---------------------------------------------------------------------------------------------
// Overwrite

#[test]
fn overwrite_with_same_value_keeps_creation_and_header_position() {
    // Chromium CookieMonster::SetCanonicalCookie: creation_date_to_inherit when the value is
    // unchanged, even if attributes change.
    for mut jar in [standard(), chromium(), firefox()] {
        set_ok(&mut jar, "https://ord.example/", "a=1");
        set_ok_at(&mut jar, "https://ord.example/", "b=2", at(1));
        let out = set_ok_at(
            &mut jar,
            "https://ord.example/",
            "a=1; Max-Age=3600",
            at(10),
        );
        assert_eq!(out, SetOutcome::Replaced);
        assert_eq!(get_at(&jar, "https://ord.example/", at(11)), "a=1; b=2");
        let a = only(&jar, "a");
        assert_eq!(a.creation(), now());
        assert_eq!(a.expires(), Some(at(10 + 3600)), "the new attributes apply");
        assert_eq!(jar.len(), 2);
    }
}

#[test]
fn overwrite_with_new_value_gets_new_creation_time() {
    // chromium/ordering/0300: a=1, b=2, a=3 → "b=2; a=3".
    for mut jar in [standard(), chromium()] {
        set_ok(&mut jar, "https://ord.example/", "a=1");
        set_ok_at(&mut jar, "https://ord.example/", "b=2", at(1));
        assert_eq!(
            set_ok_at(&mut jar, "https://ord.example/", "a=3", at(2)),
            SetOutcome::Replaced
        );
        assert_eq!(get_at(&jar, "https://ord.example/a/b", at(3)), "b=2; a=3");
        assert_eq!(only(&jar, "a").creation(), at(2));
    }
}

#[test]
fn overwrite_from_script_with_new_value_also_moves_to_the_end() {
    // chromium/ordering/0302.
    let mut jar = chromium();
    set_ok(&mut jar, "https://ord.example/", "a=1");
    set_ok(&mut jar, "https://ord.example/", "b=2");
    assert_eq!(
        script_set(&mut jar, "https://ord.example/", "a=3"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(script_get(&jar, "https://ord.example/a/b"), "b=2; a=3");
}

#[test]
fn firefox_overwrite_keeps_creation_time_even_when_the_value_changes() {
    // 6265bis 5.7 step 22.3; Firefox keeps the old creation time.
    let mut jar = firefox();
    set_ok(&mut jar, "https://ord.example/", "a=1");
    set_ok_at(&mut jar, "https://ord.example/", "b=2", at(1));
    set_ok_at(&mut jar, "https://ord.example/", "a=3", at(2));
    assert_eq!(get_at(&jar, "https://ord.example/", at(3)), "a=3; b=2");
    assert_eq!(only(&jar, "a").creation(), now());
}

#[test]
fn overwrite_replaces_flags() {
    let mut jar = standard();
    set_ok(&mut jar, "https://ow.example/", "a=1; Secure; HttpOnly");
    assert_eq!(get(&jar, "http://ow.example/"), "");
    set_ok(&mut jar, "https://ow.example/", "a=1");
    let a = only(&jar, "a");
    assert!(!a.secure() && !a.http_only());
    assert_eq!(get(&jar, "http://ow.example/"), "a=1");
    assert_eq!(script_get(&jar, "http://ow.example/"), "a=1");
}

#[test]
fn cookies_differing_only_in_name_case_are_distinct() {
    // chromium/syntax/0318: names are case-sensitive.
    let mut jar = standard();
    set_ok(&mut jar, "https://sx.example/", "a=1");
    assert_eq!(
        set(&mut jar, "https://sx.example/", "A=2"),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(get(&jar, "https://sx.example/"), "a=1; A=2");
}

// ---------------------------------------------------------------------------------------------
// Deletion

#[test]
fn max_age_zero_deletes() {
    let mut jar = standard();
    set_ok(&mut jar, "https://del.example/", "a=1; Max-Age=3600");
    assert_eq!(
        set(&mut jar, "https://del.example/", "a=; Max-Age=0"),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(get(&jar, "https://del.example/"), "");
    assert_eq!(jar.len(), 0);
}

#[test]
fn negative_max_age_deletes() {
    let mut jar = standard();
    set_ok(&mut jar, "https://del.example/", "a=1");
    assert_eq!(
        set(&mut jar, "https://del.example/", "a=1; Max-Age=-5"),
        Ok(SetOutcome::Deleted)
    );
    assert!(jar.is_empty());
}

#[test]
fn past_expires_deletes() {
    let mut jar = standard();
    set_ok(&mut jar, "https://del.example/", "a=1");
    assert_eq!(
        set(
            &mut jar,
            "https://del.example/",
            "a=gone; Expires=Fri, 15 Jan 2027 07:00:00 GMT"
        ),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(get(&jar, "https://del.example/"), "");
}

#[test]
fn deleting_a_missing_cookie_stores_nothing() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://del.example/", "a=1; Max-Age=0"),
        Ok(SetOutcome::Expired)
    );
    assert!(jar.is_empty());
}

#[test]
fn deletion_needs_the_same_path() {
    let mut jar = standard();
    set_ok(&mut jar, "https://del.example/", "a=1; Path=/app");
    assert_eq!(
        set(&mut jar, "https://del.example/", "a=; Path=/; Max-Age=0"),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(get(&jar, "https://del.example/app"), "a=1");
    // The default-path of /app/x is /app: that one deletes.
    assert_eq!(
        set(&mut jar, "https://del.example/app/x", "a=; Max-Age=0"),
        Ok(SetOutcome::Deleted)
    );
    assert_eq!(get(&jar, "https://del.example/app"), "");
}

#[test]
fn a_domain_deletion_does_not_delete_a_host_only_cookie() {
    // chromium/dates/0312.
    let mut jar = chromium();
    set_ok(&mut jar, "https://dt.example/", "a=0; Path=/; Max-Age=3600");
    assert_eq!(
        set(
            &mut jar,
            "https://dt.example/",
            "a=; Max-Age=0; Domain=dt.example"
        ),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(get(&jar, "https://dt.example/"), "a=0");
}

#[test]
fn a_host_only_deletion_does_not_delete_a_domain_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://dt.example/", "a=0; Domain=dt.example");
    assert_eq!(
        set(&mut jar, "https://dt.example/", "a=; Max-Age=0"),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(get(&jar, "https://www.dt.example/"), "a=0");
    assert_eq!(
        set(
            &mut jar,
            "https://www.dt.example/",
            "a=; Max-Age=0; Domain=.DT.example"
        ),
        Ok(SetOutcome::Deleted)
    );
    assert!(jar.is_empty());
}

#[test]
fn deletion_needs_the_same_domain() {
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://www.dt.example/",
        "a=0; Domain=dt.example",
    );
    assert_eq!(
        set(
            &mut jar,
            "https://www.dt.example/",
            "a=; Max-Age=0; Domain=www.dt.example"
        ),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(get(&jar, "https://www.dt.example/"), "a=0");
}

// ---------------------------------------------------------------------------------------------
// Ordering (6265bis 5.8.3 step 2)

#[test]
fn longest_path_first_then_earliest_creation() {
    let mut jar = standard();
    let url = "https://ord.example/x/y/z";
    set_ok_at(&mut jar, url, "root=1; Path=/", at(0));
    set_ok_at(&mut jar, url, "x2=1; Path=/x", at(1));
    set_ok_at(&mut jar, url, "xy=1; Path=/x/y", at(2));
    set_ok_at(&mut jar, url, "x1=1; Path=/x", at(3));
    set_ok_at(&mut jar, url, "root0=1; Path=/", at(4));
    assert_eq!(
        get_at(&jar, url, at(5)),
        "xy=1; x2=1; x1=1; root=1; root0=1"
    );
    assert_eq!(
        get_at(&jar, "https://ord.example/x", at(5)),
        "x2=1; x1=1; root=1; root0=1"
    );
}

#[test]
fn cookies_set_at_the_same_instant_keep_arrival_order() {
    let mut jar = standard();
    for n in ["c", "a", "b", "e", "d"] {
        set_ok(&mut jar, "https://ord.example/", &format!("{n}=1"));
    }
    assert_eq!(get(&jar, "https://ord.example/"), "c=1; a=1; b=1; e=1; d=1");
}

#[test]
fn host_and_domain_cookies_of_one_name_are_ordered_by_creation() {
    // chromium/ordering/0310.
    let mut jar = chromium();
    set_ok(&mut jar, "https://ord.example/", "a=1");
    set_ok(&mut jar, "https://ord.example/", "b=2");
    set_ok(&mut jar, "https://ord.example/", "a=3; Domain=ord.example");
    assert_eq!(get(&jar, "https://ord.example/a/b"), "a=1; b=2; a=3");
    assert_eq!(get(&jar, "https://www.ord.example/a/b"), "a=3");
}

// ---------------------------------------------------------------------------------------------
// Host-only and domain cookies

#[test]
fn host_only_cookies_are_not_sent_to_subdomains() {
    let mut jar = standard();
    set_ok(&mut jar, "https://example.com/", "h=1");
    set_ok(&mut jar, "https://example.com/", "d=1; Domain=example.com");
    assert_eq!(get(&jar, "https://example.com/"), "h=1; d=1");
    assert_eq!(get(&jar, "https://www.example.com/"), "d=1");
    assert_eq!(get(&jar, "https://a.b.example.com/"), "d=1");
    assert_eq!(get(&jar, "https://notexample.com/"), "");
    assert!(only(&jar, "h").host_only());
    assert!(!only(&jar, "d").host_only());
    assert_eq!(only(&jar, "d").domain(), "example.com");
}

#[test]
fn host_only_and_domain_cookie_of_the_same_name_coexist() {
    // chromium/domain/0002, syntax/0330.
    let mut jar = standard();
    set_ok(&mut jar, "https://example.com/", "a=host");
    assert_eq!(
        set(
            &mut jar,
            "https://example.com/",
            "a=dom; Domain=example.com"
        ),
        Ok(SetOutcome::Inserted)
    );
    assert_eq!(stored(&jar, "a").len(), 2);
    assert_eq!(get(&jar, "https://example.com/"), "a=host; a=dom");
    assert_eq!(get(&jar, "https://www.example.com/"), "a=dom");
}

#[test]
fn domain_attribute_is_canonicalized() {
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://www.Example.COM/",
        "a=1; Domain=.EXAMPLE.com",
    );
    let a = only(&jar, "a");
    assert_eq!(a.domain(), "example.com");
    assert!(!a.host_only());
    assert_eq!(get(&jar, "https://shop.example.com/"), "a=1");
}

#[test]
fn empty_domain_attribute_makes_a_host_only_cookie() {
    let mut jar = standard();
    set_ok(&mut jar, "https://www.example.com/", "a=1; Domain=");
    assert!(only(&jar, "a").host_only());
    assert_eq!(get(&jar, "https://shop.example.com/"), "");
}

#[test]
fn domain_must_domain_match_the_host() {
    let mut jar = standard();
    let url = "https://www.example.com/";
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=other.com"),
        Err(Rejection::DomainMismatch)
    );
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=sub.www.example.com"),
        Err(Rejection::DomainMismatch)
    );
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=ww.example.com"),
        Err(Rejection::DomainMismatch)
    );
    assert!(jar.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Public suffixes (6265bis 5.7 step 9)

#[test]
fn domain_that_is_a_public_suffix_is_rejected() {
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://www.example.co.uk/", "a=1; Domain=co.uk"),
        Err(Rejection::PublicSuffixDomain)
    );
    assert_eq!(
        set(&mut jar, "https://www.example.com/", "a=1; Domain=com"),
        Err(Rejection::PublicSuffixDomain)
    );
    assert_eq!(
        set(&mut jar, "https://www.example.com/", "a=1; Domain=.COM"),
        Err(Rejection::PublicSuffixDomain)
    );
    assert!(jar.is_empty());
}

#[test]
fn private_section_suffixes_are_public_suffixes_too() {
    // chromium/domain/0104-0170: github.io, blogspot.com, herokuapp.com.
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://foo.github.io/", "a=1; Domain=github.io"),
        Err(Rejection::PublicSuffixDomain)
    );
    // Two projects under github.io are two sites.
    set_ok(
        &mut jar,
        "https://foo.github.io/",
        "a=1; Domain=foo.github.io",
    );
    assert_eq!(get(&jar, "https://www.foo.github.io/"), "a=1");
    assert_eq!(get(&jar, "https://bar.github.io/"), "");
}

#[test]
fn a_host_that_is_a_public_suffix_may_name_itself_and_gets_a_host_only_cookie() {
    // chromium/domain/0104-0110 (co.uk), 6265bis 5.7 step 9.
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://github.io/", "a=1; Domain=github.io"),
        Ok(SetOutcome::Inserted)
    );
    let a = only(&jar, "a");
    assert!(a.host_only());
    assert_eq!(a.domain(), "github.io");
    assert_eq!(get(&jar, "https://github.io/"), "a=1");
    assert_eq!(get(&jar, "https://foo.github.io/"), "");

    set_ok(&mut jar, "https://co.uk/", "b=1; Domain=.CO.uk");
    assert!(only(&jar, "b").host_only());
    assert_eq!(get(&jar, "https://shop.co.uk/"), "");
}

#[test]
fn unknown_tlds_act_as_public_suffixes() {
    // chromium/domain/0230-0248: `intranet`, `localhost`.
    let mut jar = standard();
    assert_eq!(
        set(&mut jar, "https://a.intranet/", "a=1; Domain=intranet"),
        Err(Rejection::PublicSuffixDomain)
    );
    // The host itself may name itself: a host-only cookie.
    set_ok(&mut jar, "https://localhost/", "l=1; Domain=localhost");
    assert!(only(&jar, "l").host_only());
    assert_eq!(get(&jar, "https://www.localhost/"), "");
    // One label under an unknown TLD is a registrable domain.
    set_ok(
        &mut jar,
        "https://www.corp.unknowntld/",
        "c=1; Domain=corp.unknowntld",
    );
    assert!(!only(&jar, "c").host_only());
    assert_eq!(get(&jar, "https://api.corp.unknowntld/"), "c=1");
    assert_eq!(get(&jar, "https://other.unknowntld/"), "");
}

#[test]
fn a_runtime_public_suffix_list_replaces_the_builtin_one() {
    let list: publicsuffix::List = "// ===BEGIN ICANN DOMAINS===\ncom\nexample.com\n"
        .parse()
        .expect("list");
    let mut jar = standard().with_public_suffix_list(list);
    assert_eq!(
        set(
            &mut jar,
            "https://www.example.com/",
            "a=1; Domain=example.com"
        ),
        Err(Rejection::PublicSuffixDomain)
    );
    set_ok(
        &mut jar,
        "https://www.example.com/",
        "a=1; Domain=www.example.com",
    );
    assert_eq!(get(&jar, "https://x.www.example.com/"), "a=1");
}

// ---------------------------------------------------------------------------------------------
// IP hosts

#[test]
fn ip_host_domain_attribute_equal_to_the_ip_makes_a_host_only_cookie() {
    // chromium/domain/0196.
    let mut jar = chromium();
    set_ok(&mut jar, "https://127.0.0.1/", "a=1; Domain=127.0.0.1");
    assert!(only(&jar, "a").host_only());
    assert_eq!(get(&jar, "https://127.0.0.1/"), "a=1");
    assert_eq!(get(&jar, "https://127.0.0.2/"), "");
}

#[test]
fn ip_host_domain_with_a_leading_dot_replaces_the_host_cookie() {
    // chromium/domain/0198: host-only either way, so the same identity.
    let mut jar = chromium();
    set_ok(&mut jar, "https://127.0.0.1/", "a=host");
    assert_eq!(
        set(&mut jar, "https://127.0.0.1/", "a=dom; Domain=.127.0.0.1"),
        Ok(SetOutcome::Replaced)
    );
    assert_eq!(get(&jar, "https://127.0.0.1/"), "a=dom");
}

#[test]
fn ip_host_rejects_any_other_domain() {
    let mut jar = standard();
    let url = "https://10.1.2.3/";
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=1.2.3"),
        Err(Rejection::DomainMismatch)
    );
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=10.1.2.4"),
        Err(Rejection::DomainMismatch)
    );
    assert_eq!(
        set(&mut jar, url, "a=1; Domain=example.com"),
        Err(Rejection::DomainMismatch)
    );
    assert!(jar.is_empty());
}

#[test]
fn ipv6_hosts_need_the_bracketed_domain() {
    // chromium/domain/0218 (Domain=::1 refused), 0220 (Domain=[::1] accepted).
    let mut jar = chromium();
    assert!(script_set(&mut jar, "https://[::1]/", "a=1; Domain=::1").is_err());
    assert!(jar.is_empty());
    assert_eq!(
        script_set(&mut jar, "https://[::1]/", "a=1; Domain=[::1]"),
        Ok(SetOutcome::Inserted)
    );
    assert!(only(&jar, "a").host_only());
    assert_eq!(get(&jar, "https://[::1]/"), "a=1");
    assert_eq!(get(&jar, "https://[::2]/"), "");
}

// ---------------------------------------------------------------------------------------------
// IDNA

#[test]
fn unicode_domain_attribute_is_canonicalized_to_punycode() {
    // chromium/domain/0172.
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://www.bücher.example/",
        "a=1; Domain=BÜCHER.example",
    );
    let a = only(&jar, "a");
    assert_eq!(a.domain(), "xn--bcher-kva.example");
    assert!(!a.host_only());
    assert_eq!(get(&jar, "https://bücher.example/"), "a=1");
    assert_eq!(get(&jar, "https://other.xn--bcher-kva.example/"), "a=1");
}

#[test]
fn punycode_domain_attribute_matches_a_unicode_host() {
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://www.bücher.example/",
        "a=1; Domain=xn--bcher-kva.example",
    );
    assert_eq!(get(&jar, "https://shop.bücher.example/"), "a=1");
    // Host-only cookies of an IDN host are stored under the A-label.
    set_ok(&mut jar, "https://münchen.example/", "h=1");
    assert_eq!(only(&jar, "h").domain(), "xn--mnchen-3ya.example");
    assert_eq!(get(&jar, "https://xn--mnchen-3ya.example/"), "h=1");
}

// ---------------------------------------------------------------------------------------------
// Expiry

#[test]
fn max_age_beats_expires_whatever_the_order() {
    let mut jar = standard();
    let url = "https://exp.example/";
    set_ok(
        &mut jar,
        url,
        "a=1; Expires=Fri, 15 Jan 2027 07:00:00 GMT; Max-Age=100",
    );
    set_ok(
        &mut jar,
        url,
        "b=1; Max-Age=100; Expires=Mon, 25 Jan 2027 08:00:00 GMT",
    );
    assert_eq!(only(&jar, "a").expires(), Some(at(100)));
    assert_eq!(only(&jar, "b").expires(), Some(at(100)));
    // A future Expires does not save a Max-Age=0.
    assert_eq!(
        set(
            &mut jar,
            url,
            "c=1; Max-Age=0; Expires=Mon, 25 Jan 2027 08:00:00 GMT"
        ),
        Ok(SetOutcome::Expired)
    );
    assert_eq!(get(&jar, url), "a=1; b=1");
}

#[test]
fn expires_alone_sets_the_expiry() {
    let mut jar = standard();
    set_ok(
        &mut jar,
        "https://exp.example/",
        "a=1; Expires=Mon, 25 Jan 2027 08:00:00 GMT",
    );
    let a = only(&jar, "a");
    assert!(a.persistent());
    assert_eq!(a.expires(), Some(at(10 * DAY)));
}

#[test]
fn expiry_is_capped_at_400_days() {
    // 6265bis 5.5 cookie-age-limit; Chromium ValidateAndAdjustExpiryDate.
    let mut jar = standard();
    let url = "https://exp.example/";
    set_ok(&mut jar, url, &format!("a=1; Max-Age={}", 500 * DAY));
    set_ok(&mut jar, url, "b=1; Expires=Mon, 29 May 2028 08:00:00 GMT");
    set_ok(&mut jar, url, "c=1; Max-Age=99999999999999999999");
    set_ok(&mut jar, url, &format!("d=1; Max-Age={}", 400 * DAY - 1));
    let cap = at(400 * DAY);
    for name in ["a", "b", "c"] {
        let c = jar
            .iter()
            .find(|c| c.name() == name.as_bytes())
            .expect(name);
        assert_eq!(c.expires(), Some(cap), "{name}");
    }
    assert_eq!(only(&jar, "d").expires(), Some(at(400 * DAY - 1)));
    assert_eq!(get_at(&jar, url, at(400 * DAY - 2)), "a=1; b=1; c=1; d=1");
    assert_eq!(get_at(&jar, url, at(400 * DAY)), "");
}

#[test]
fn a_cookie_expires_exactly_at_its_expiry() {
    let mut jar = standard();
    set_ok(&mut jar, "https://exp.example/", "a=1; Max-Age=10");
    assert_eq!(get_at(&jar, "https://exp.example/", at(9)), "a=1");
    assert_eq!(get_at(&jar, "https://exp.example/", at(10)), "");
}

#[test]
fn remove_expired_sweeps_only_expired_cookies() {
    let mut jar = standard();
    set_ok(&mut jar, "https://exp.example/", "a=1; Max-Age=10");
    set_ok(&mut jar, "https://exp.example/", "b=1; Max-Age=100");
    set_ok(&mut jar, "https://other.example/", "c=1");
    assert_eq!(jar.len(), 3);
    jar.remove_expired(at(50));
    assert_eq!(jar.len(), 2);
    assert!(stored(&jar, "a").is_empty());
    assert_eq!(get_at(&jar, "https://exp.example/", at(50)), "b=1");
}

#[test]
fn end_session_drops_session_cookies_only() {
    let mut jar = standard();
    set_ok(&mut jar, "https://sess.example/", "s=1");
    set_ok(&mut jar, "https://sess.example/", "p=1; Max-Age=3600");
    set_ok(&mut jar, "https://other.example/", "s2=1; Secure; HttpOnly");
    assert!(!only(&jar, "s").persistent());
    jar.end_session();
    assert_eq!(jar.len(), 1);
    assert_eq!(get(&jar, "https://sess.example/"), "p=1");
    assert_eq!(get(&jar, "https://other.example/"), "");
}

#[test]
fn a_session_cookie_overwritten_by_a_persistent_one_survives_the_session() {
    let mut jar = standard();
    set_ok(&mut jar, "https://sess.example/", "a=1");
    set_ok(&mut jar, "https://sess.example/", "a=1; Max-Age=3600");
    jar.end_session();
    assert_eq!(get(&jar, "https://sess.example/"), "a=1");
}

#[test]
fn clear_empties_the_jar() {
    let mut jar = standard();
    set_ok(&mut jar, "https://a.example/", "a=1");
    set_ok(&mut jar, "https://b.example/", "b=1");
    jar.clear();
    assert!(jar.is_empty());
    assert_eq!(get(&jar, "https://a.example/"), "");
}

// ---------------------------------------------------------------------------------------------
// Size limits and nameless cookies

#[test]
fn name_plus_value_may_be_4096_bytes_not_more() {
    // 6265bis 5.6 step 5; chromium/syntax/0272, 0274.
    let mut jar = standard();
    let url = "https://size.example/";
    let ok = format!("n={}", "v".repeat(4095));
    assert_eq!(set(&mut jar, url, &ok), Ok(SetOutcome::Inserted));
    let too_long = format!("n={}", "v".repeat(4096));
    assert_eq!(
        set(&mut jar, url, &too_long),
        Err(Rejection::Parse(ParseError::NameValueTooLong(4097)))
    );
    // The rejected overwrite left the old cookie alone.
    assert_eq!(only(&jar, "n").value().len(), 4095);
    // Name bytes count too.
    let long_name = format!("{}=v", "n".repeat(4096));
    assert_eq!(
        set(&mut jar, url, &long_name),
        Err(Rejection::Parse(ParseError::NameValueTooLong(4097)))
    );
    // A nameless cookie may have a 4096-byte value.
    assert_eq!(
        set(&mut jar, url, &"w".repeat(4096)),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn size_is_counted_in_utf8_bytes() {
    // chromium/syntax/0290.
    let mut jar = standard();
    let v = "é".repeat(2048); // 4096 bytes
    assert_eq!(
        set(&mut jar, "https://size.example/", &format!("n={v}")),
        Err(Rejection::Parse(ParseError::NameValueTooLong(4097)))
    );
    assert_eq!(
        set(&mut jar, "https://size.example/", &format!("={v}")),
        Ok(SetOutcome::Inserted)
    );
}

#[test]
fn nameless_cookies_are_sent_as_their_value() {
    // chromium/syntax/0064, 0068, 0316; 6265bis 5.8.3 step 4.
    let mut jar = standard();
    set_ok(&mut jar, "https://sx.example/", "abc");
    assert_eq!(get(&jar, "https://sx.example/"), "abc");
    set_ok(&mut jar, "https://sx.example/", "=def");
    // `=def` is the same nameless cookie: it replaces `abc`.
    assert_eq!(get(&jar, "https://sx.example/"), "def");
    set_ok(&mut jar, "https://sx.example/", "def=");
    assert_eq!(get(&jar, "https://sx.example/"), "def; def=");
    assert_eq!(only(&jar, "").value(), b"def");
}

#[test]
fn empty_lines_and_control_characters_are_rejected_with_a_parse_reason() {
    let mut jar = standard();
    let url = "https://sx.example/";
    assert_eq!(
        set(&mut jar, url, "="),
        Err(Rejection::Parse(ParseError::EmptyNameAndValue))
    );
    assert_eq!(
        set(&mut jar, url, "a=b\u{1}c"),
        Err(Rejection::Parse(ParseError::ControlCharacter(1)))
    );
    assert!(jar.is_empty());
}

#[test]
fn bytes_are_stored_as_received() {
    let mut jar = standard();
    set_ok(&mut jar, "https://sx.example/", "a=%41\"b\" é");
    assert_eq!(get(&jar, "https://sx.example/"), "a=%41\"b\" é");
    let raw = jar
        .cookie_header_bytes(
            &cookiejar::RequestContext::navigation(&u("https://sx.example/")),
            now(),
        )
        .expect("header");
    assert_eq!(raw, "a=%41\"b\" é".as_bytes());
}

// ---------------------------------------------------------------------------------------------
// URLs that carry no cookies

#[test]
fn non_cookie_urls_are_rejected_without_panicking() {
    let mut jar = standard();
    for url in [
        "data:text/html,hello",
        "file:///tmp/x.html",
        "ftp://ftp.example/file",
        "mailto:someone@example.com",
        "about:blank",
        "blob:https://example.com/uuid",
        "javascript:alert(1)",
    ] {
        assert_eq!(
            set(&mut jar, url, "a=1"),
            Err(Rejection::UnsupportedUrl),
            "{url}"
        );
        assert_eq!(
            script_set(&mut jar, url, "a=1"),
            Err(Rejection::UnsupportedUrl),
            "{url}"
        );
        assert_eq!(get(&jar, url), "", "{url}");
        assert!(explain(&jar, url, Ctx::Nav, now()).is_empty(), "{url}");
    }
    assert!(jar.is_empty());
}

#[test]
fn websocket_urls_carry_cookies() {
    let mut jar = standard();
    set_ok(&mut jar, "wss://ws.example/chat", "a=1; Secure; Path=/");
    assert_eq!(get(&jar, "https://ws.example/"), "a=1");
    assert_eq!(get(&jar, "wss://ws.example/chat"), "a=1");
    assert_eq!(get(&jar, "ws://ws.example/chat"), "");
}

#[test]
fn timestamps_from_system_time_and_offset_date_time_agree() {
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_secs(T0 as u64);
    assert_eq!(Timestamp::from(t), now());
    let o = time::OffsetDateTime::from_unix_timestamp(T0).expect("time");
    assert_eq!(Timestamp::from(o), now());
}

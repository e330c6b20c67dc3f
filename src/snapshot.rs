//! [`JarSnapshot`]: everything a jar holds, as plain values, to save and restore it losslessly
//! (with the `serde` feature, `Serialize` and `Deserialize`; the file formats build on it).

use crate::cookie::Cookie;
use crate::reason::Rejection;
use crate::timestamp::Timestamp;

/// Every cookie of a jar (expired ones not yet swept included) with the jar-wide state that
/// decides what it does next: restored, a jar sends the same headers in the same order and
/// evicts in the same order as the one it was taken from.
///
/// ```
/// use cookiejar::{CookieJar, Policy, RequestContext, Timestamp, Url};
/// let mut jar = CookieJar::new();
/// let now = Timestamp::from_unix_seconds(1_800_000_000);
/// let url = Url::parse("https://example.com/a/b").unwrap();
/// let ctx = RequestContext::navigation(&url);
/// jar.set_cookie("a=1; Path=/", &ctx, now).unwrap();
/// jar.set_cookie("b=2", &ctx, now).unwrap();
/// let (copy, skipped) = CookieJar::restore(Policy::standard(), jar.snapshot(), now);
/// assert!(skipped.is_empty());
/// assert_eq!(copy.cookie_header(&ctx, now), jar.cookie_header(&ctx, now));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct JarSnapshot {
    /// The latest creation time the jar handed out (creation times are unique and increasing).
    pub creation_clock: Timestamp,
    /// When the last global purge ran and how many cookies it left.
    #[cfg_attr(feature = "serde", serde(default))]
    pub last_global_purge: Option<(Timestamp, usize)>,
    /// A lower bound on the earliest last access of any cookie (`None`: not known), which
    /// decides whether a global purge may find anything to remove (Chromium
    /// `earliest_access_time_`).
    #[cfg_attr(feature = "serde", serde(default))]
    pub earliest_access: Option<Timestamp>,
    /// The cookies, each with its creation and last-access times.
    pub cookies: Vec<Cookie>,
}

/// What a restore could not take: the index of the cookie in the snapshot and why.
pub type Skipped = Vec<(usize, Rejection)>;

#[cfg(feature = "serde")]
mod serde_cookie {
    //! `Cookie` as a record of plain fields; deserializing runs the canonical gate.
    use crate::cookie::{Cookie, Priority, SameSite};
    use crate::timestamp::Timestamp;
    use serde::de::{self, Deserializer, SeqAccess, Visitor};
    use serde::{Deserialize, Serialize, Serializer};

    /// Name or value bytes: a string when they are UTF-8, else an array of bytes, so a value
    /// that is not UTF-8 survives a round trip through JSON.
    struct Bytes(Vec<u8>);

    impl Serialize for Bytes {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match std::str::from_utf8(&self.0) {
                Ok(text) => s.serialize_str(text),
                Err(_) => s.serialize_bytes(&self.0),
            }
        }
    }

    impl<'de> Deserialize<'de> for Bytes {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Bytes;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("a string or an array of bytes")
                }
                fn visit_str<E: de::Error>(self, v: &str) -> Result<Bytes, E> {
                    Ok(Bytes(v.as_bytes().to_vec()))
                }
                fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
                    Ok(Bytes(v.to_vec()))
                }
                fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
                    let mut out = Vec::new();
                    while let Some(b) = seq.next_element::<u8>()? {
                        out.push(b);
                    }
                    Ok(Bytes(out))
                }
            }
            d.deserialize_any(V)
        }
    }

    #[derive(Serialize, Deserialize)]
    #[serde(rename = "Cookie", deny_unknown_fields)]
    struct Record {
        name: Bytes,
        value: Bytes,
        domain: String,
        host_only: bool,
        path: String,
        expires: Option<Timestamp>,
        secure: bool,
        http_only: bool,
        same_site: SameSite,
        priority: Priority,
        partition_key: Option<String>,
        partitioned_attribute: bool,
        creation: Timestamp,
        last_access: Timestamp,
    }

    impl Serialize for Cookie {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            Record {
                name: Bytes(self.name().to_vec()),
                value: Bytes(self.value().to_vec()),
                domain: self.domain().to_owned(),
                host_only: self.host_only(),
                path: self.path().to_owned(),
                expires: self.expires(),
                secure: self.secure(),
                http_only: self.http_only(),
                same_site: self.same_site(),
                priority: self.priority(),
                partition_key: self.partition_key().map(str::to_owned),
                partitioned_attribute: self.partitioned_attribute(),
                creation: self.creation(),
                last_access: self.last_access(),
            }
            .serialize(s)
        }
    }

    impl<'de> Deserialize<'de> for Cookie {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            gated(d)?.map_err(de::Error::custom)
        }
    }

    /// A cookie record: a shape error from the deserializer, else the canonical gate's answer.
    pub(crate) fn gated<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Result<Cookie, crate::reason::NotCanonical>, D::Error> {
        let r = Record::deserialize(d)?;
        Ok(Cookie::builder(r.name.0, r.value.0, r.domain)
            .host_only(r.host_only)
            .path(r.path)
            .expires(r.expires)
            .secure(r.secure)
            .http_only(r.http_only)
            .same_site(r.same_site)
            .priority(r.priority)
            .partition(r.partition_key, r.partitioned_attribute)
            .creation(r.creation)
            .last_access(r.last_access)
            .build())
    }
}

#[cfg(feature = "serde")]
pub(crate) use serde_cookie::gated;

/// Feeds each cookie of a snapshot to `insert`, collecting what it refuses.
pub(crate) fn load(
    cookies: Vec<Cookie>,
    mut insert: impl FnMut(Cookie) -> Result<crate::SetOutcome, Rejection>,
) -> Skipped {
    cookies
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| insert(c).err().map(|e| (i, e)))
        .collect()
}

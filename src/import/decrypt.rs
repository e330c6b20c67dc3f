//! Chromium's cookie value encryption on Linux (`components/os_crypt/sync/os_crypt_linux.cc`):
//! a 3-byte version prefix, then AES-128-CBC with an IV of 16 spaces and PKCS#7 padding, under
//! the key PBKDF2-HMAC-SHA1(password, "saltysalt", 1 iteration, 16 bytes). `v10` uses the
//! password "peanuts" (no keyring: `--password-store=basic`); `v11` the password the keyring
//! (GNOME libsecret, KWallet) holds for "Chromium Safe Storage".

use aes::cipher::{block_padding::Pkcs7, BlockDecryptMut, KeyIvInit};
use sha2::{Digest, Sha256};
use std::fmt;

type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// Why an encrypted Chromium value could not be read. The row is refused with this reason;
/// nothing is imported in its place.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecryptError {
    /// A `v11` value (keyring-encrypted) and no key password was given.
    NoPassword,
    /// A `v20` value: Chromium's app-bound encryption (Windows), which only the browser itself
    /// can undo. Not supported.
    AppBound,
    /// A value without a `v10`/`v11` prefix: a Windows DPAPI blob or an unknown scheme. Not
    /// supported.
    UnknownScheme,
    /// The ciphertext is not a whole number of 16-byte blocks.
    BadLength(usize),
    /// The padding is wrong after decryption: the wrong key (for `v11`, the wrong password;
    /// for `v10`, a profile from macOS, whose `v10` key is in the Keychain).
    BadPadding,
    /// Database version 24 and later: the plaintext does not start with SHA-256 of the
    /// cookie's `host_key` (the wrong key, or a row moved from another host).
    HostHashMismatch,
}

impl fmt::Display for DecryptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecryptError::NoPassword => f.write_str(
                "a v11 value (encrypted with the keyring's password): give the key password",
            ),
            DecryptError::AppBound => f.write_str(
                "a v20 value (Windows app-bound encryption): not supported, only the browser can decrypt it",
            ),
            DecryptError::UnknownScheme => f.write_str(
                "not a v10 or v11 value (Windows DPAPI or an unknown scheme): not supported",
            ),
            DecryptError::BadLength(n) => {
                write!(f, "{n} bytes of ciphertext, not a multiple of 16")
            }
            DecryptError::BadPadding => f.write_str(
                "does not decrypt: the wrong key (the wrong password, or a macOS profile)",
            ),
            DecryptError::HostHashMismatch => {
                f.write_str("the decrypted value does not start with SHA-256 of its host")
            }
        }
    }
}

impl std::error::Error for DecryptError {}

/// The AES key for `password` (Chromium os_crypt_linux.cc: kSalt "saltysalt", 1 iteration,
/// 16-byte key).
pub(crate) fn derive_key(password: &[u8]) -> [u8; 16] {
    let mut key = [0u8; 16];
    pbkdf2::pbkdf2_hmac::<sha1::Sha1>(password, b"saltysalt", 1, &mut key);
    key
}

/// The keys a reader decrypts with.
pub(crate) struct Keys {
    /// `v10` (Chromium os_crypt_linux.cc: the "peanuts" password).
    v10: [u8; 16],
    /// `v11`, when the user gave the keyring's password.
    v11: Option<[u8; 16]>,
}

impl Keys {
    pub(crate) fn new(v11_password: Option<&[u8]>) -> Self {
        Keys {
            v10: derive_key(b"peanuts"),
            v11: v11_password.map(derive_key),
        }
    }

    /// The plaintext of `encrypted`; with `host_hash` (database version 24 and later), checked
    /// against and stripped of its leading SHA-256 of `host_key` (Chromium
    /// sqlite_persistent_cookie_store.cc, database version 24).
    pub(crate) fn decrypt(
        &self,
        encrypted: &[u8],
        host_key: Option<&[u8]>,
    ) -> Result<Vec<u8>, DecryptError> {
        let key = if let Some(ct) = encrypted.strip_prefix(b"v10") {
            (self.v10, ct)
        } else if let Some(ct) = encrypted.strip_prefix(b"v11") {
            (self.v11.ok_or(DecryptError::NoPassword)?, ct)
        } else if encrypted.starts_with(b"v20") {
            return Err(DecryptError::AppBound);
        } else {
            return Err(DecryptError::UnknownScheme);
        };
        let (key, ct) = key;
        if ct.is_empty() || ct.len() % 16 != 0 {
            return Err(DecryptError::BadLength(ct.len()));
        }
        // Chromium os_crypt_linux.cc: the IV is 16 spaces.
        let iv = [b' '; 16];
        let mut plain = ct.to_vec();
        let len = Aes128CbcDec::new(&key.into(), &iv.into())
            .decrypt_padded_mut::<Pkcs7>(&mut plain)
            .map_err(|_| DecryptError::BadPadding)?
            .len();
        plain.truncate(len);
        if let Some(host) = host_key {
            // Chromium sqlite_persistent_cookie_store.cc (version 24): the value is prefixed
            // with crypto::hash::Sha256(host_key) to bind it to its domain.
            let digest = Sha256::digest(host);
            match plain.get(..32) {
                Some(prefix) if prefix == digest.as_slice() => {
                    plain.drain(..32);
                }
                _ => return Err(DecryptError::HostHashMismatch),
            }
        }
        Ok(plain)
    }
}

/// Encrypts `value` as Chromium on Linux does: `v11` under `password` when one is given, else
/// `v10` (the "peanuts" key), with the SHA-256 of `host_key` first when it is given (database
/// version 24 and later). For tests and tools that write Chromium databases.
///
/// ```
/// use cookiejar::import::chromium::encrypt_value;
/// let v = encrypt_value(b"1", None, Some(b".example.com"));
/// assert!(v.starts_with(b"v10"));
/// assert_eq!(v.len(), 3 + 48); // 32 bytes of hash and 1 of value, padded to 3 blocks
/// ```
pub fn encrypt_value(value: &[u8], password: Option<&[u8]>, host_key: Option<&[u8]>) -> Vec<u8> {
    use aes::cipher::BlockEncryptMut;
    type Enc = cbc::Encryptor<aes::Aes128>;
    let (prefix, key): (&[u8], [u8; 16]) = match password {
        Some(p) => (b"v11", derive_key(p)),
        None => (b"v10", derive_key(b"peanuts")),
    };
    let mut plain = Vec::with_capacity(value.len() + 32);
    if let Some(h) = host_key {
        plain.extend_from_slice(&Sha256::digest(h));
    }
    plain.extend_from_slice(value);
    let iv = [b' '; 16];
    let len = plain.len();
    // PKCS#7 adds 1 to 16 bytes.
    plain.resize(len - len % 16 + 16, 0);
    let ct_len = Enc::new(&key.into(), &iv.into())
        .encrypt_padded_mut::<Pkcs7>(&mut plain, len)
        .map_or(0, |ct| ct.len());
    plain.truncate(ct_len);
    let mut out = prefix.to_vec();
    out.extend_from_slice(&plain);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_both_versions_and_checks_the_host() {
        let keys = Keys::new(Some(b"secret"));
        for pw in [None, Some(&b"secret"[..])] {
            for host in [None, Some(&b".example.com"[..])] {
                let ct = encrypt_value(b"value", pw, host);
                assert_eq!(keys.decrypt(&ct, host).as_deref(), Ok(&b"value"[..]));
            }
        }
        let ct = encrypt_value(b"value", None, Some(b"a.example"));
        assert_eq!(
            keys.decrypt(&ct, Some(b"b.example")),
            Err(DecryptError::HostHashMismatch)
        );
        let ct = encrypt_value(b"value", Some(b"other"), None);
        assert!(matches!(
            keys.decrypt(&ct, None),
            Err(DecryptError::BadPadding)
        ));
        assert_eq!(
            Keys::new(None).decrypt(&ct, None),
            Err(DecryptError::NoPassword)
        );
        assert_eq!(keys.decrypt(b"v20xxxx", None), Err(DecryptError::AppBound));
        assert_eq!(
            keys.decrypt(b"\x01\x00\x00\x00", None),
            Err(DecryptError::UnknownScheme)
        );
        assert_eq!(
            keys.decrypt(b"v10abc", None),
            Err(DecryptError::BadLength(3))
        );
        assert_eq!(keys.decrypt(b"v10", None), Err(DecryptError::BadLength(0)));
    }
}

//! Signing a session's text, so that a client can read it but not change it.
//!
//! A transformer sits between the session's text and the wire. On the way out it may add to
//! the text; on the way in it checks and removes what it added, or answers `None`, which the
//! plugin treats as "no session":
//!
//! ```text
//! write:  text ──transform_write──► "text/3b9f…a0" ──URI-encode──► Set-Cookie
//! read:   Cookie ──URI-decode──► "text/3b9f…a0" ──transform_read──► Some(text) | None
//! ```
//!
//! [`SessionTransportTransformerMessageAuthentication`] appends `/` and the lowercase hex of
//! HMAC-SHA-256(key, text). Reading splits at the **last** `/` (the text itself may hold `/`),
//! computes the HMAC of the part before it again, and compares the two hex strings in
//! constant time. Anything else (no `/`, a changed byte, a cut signature, another key) gives
//! `None`: no session, no error, no 400, exactly as in Ktor.
//!
//! - **Why an HMAC and not `SHA-256(text)`**: anybody can compute a plain hash, so a client
//!   who changes `name=ana` into `name=admin` computes the new hash too. An HMAC needs the
//!   server's key, which the client does not have.
//! - **Why constant time**: `==` stops at the first differing byte, so a wrong signature that
//!   starts right takes a little longer to refuse. Measuring that, an attacker could find a
//!   valid signature byte by byte. [`constant_time_eq`] looks at every byte whatever they hold.
//! - **Why 32 bytes of key at least**: the signature is as strong as the key is hard to
//!   guess; HMAC-SHA-256 wants a key as long as its output (RFC 2104 §3). A shorter key is
//!   refused when the application is configured, not found out in production.
//!
//! What differs from Ktor: Ktor accepts any key length and any `Mac` algorithm name; this
//! crate has HMAC-SHA-256 only and refuses short keys.
//!
//! Ktor: `io.ktor.server.sessions.SessionTransportTransformer`,
//! `SessionTransportTransformerMessageAuthentication`

use std::error::Error as StdError;
use std::fmt;

use crate::crypto::{HmacSha256, constant_time_eq, hex};

/// A reversible change to a session's text on its way to and from the wire.
///
/// Ktor: `io.ktor.server.sessions.SessionTransportTransformer`
pub trait SessionTransportTransformer: Send + Sync + 'static {
    /// Undoes [`transform_write`](Self::transform_write), or answers `None` if `wire` was not
    /// written by it (or was changed since).
    ///
    /// Ktor: `SessionTransportTransformer.transformRead`
    fn transform_read(&self, wire: &str) -> Option<String>;

    /// The text to send in place of `text`.
    ///
    /// Ktor: `SessionTransportTransformer.transformWrite`
    fn transform_write(&self, text: &str) -> String;
}

/// The shortest key accepted, in bytes: the output length of SHA-256.
///
/// RFC 2104 §3 (a key shorter than the digest weakens the MAC).
///
/// Ktor: none; `SessionTransportTransformerMessageAuthentication` accepts a key of any length
pub const MIN_KEY_LENGTH: usize = 32;

/// A signing key shorter than [`MIN_KEY_LENGTH`].
///
/// Ktor: (none; Ktor accepts any key)
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyTooShort {
    /// The length of the key given.
    pub length: usize,
}

impl fmt::Display for KeyTooShort {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a session signing key needs at least {MIN_KEY_LENGTH} bytes, this one has {}: a \
             short key can be guessed, and whoever guesses it can forge any session. Make one \
             with mini_ktor::crypto::random_bytes::<32>() and keep it secret",
            self.length
        )
    }
}

impl StdError for KeyTooShort {}

/// Signs with HMAC-SHA-256: `text/hex(HMAC(key, text))`.
///
/// ```
/// use mini_ktor::sessions::{SessionTransportTransformer, SessionTransportTransformerMessageAuthentication};
///
/// let signer = SessionTransportTransformerMessageAuthentication::new([7u8; 32])?;
/// let wire = signer.transform_write("name=ana");
/// assert_eq!(wire.len(), "name=ana/".len() + 64);
/// assert_eq!(signer.transform_read(&wire).as_deref(), Some("name=ana"));
/// assert_eq!(signer.transform_read(&wire.replace("ana", "bob")), None);
/// assert!(SessionTransportTransformerMessageAuthentication::new(*b"too short").is_err());
/// # Ok::<(), mini_ktor::sessions::KeyTooShort>(())
/// ```
///
/// Ktor: `SessionTransportTransformerMessageAuthentication(key, "HmacSHA256")`
pub struct SessionTransportTransformerMessageAuthentication {
    /// HMAC with the key already loaded (its two padded blocks hashed), cloned for each
    /// signature instead of hashing them again for every cookie.
    mac: HmacSha256,
}

impl SessionTransportTransformerMessageAuthentication {
    /// A signer with `key`, which must have at least [`MIN_KEY_LENGTH`] bytes.
    ///
    /// Ktor: `SessionTransportTransformerMessageAuthentication(key)`
    pub fn new(key: impl Into<Vec<u8>>) -> Result<Self, KeyTooShort> {
        let key = key.into();
        if key.len() < MIN_KEY_LENGTH {
            return Err(KeyTooShort { length: key.len() });
        }
        let mac = HmacSha256::new(&key);
        Ok(SessionTransportTransformerMessageAuthentication { mac })
    }

    /// The signature of `text`, as 64 lowercase hex characters.
    fn signature(&self, text: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(text.as_bytes());
        hex::encode_lower(&mac.finalize())
    }
}

impl SessionTransportTransformer for SessionTransportTransformerMessageAuthentication {
    fn transform_read(&self, wire: &str) -> Option<String> {
        // No `/` at all: Ktor takes an empty signature, which never matches.
        let (text, signature) = wire.rsplit_once('/').unwrap_or((wire, ""));
        let expected = self.signature(text);
        constant_time_eq(signature.as_bytes(), expected.as_bytes()).then(|| text.to_string())
    }

    fn transform_write(&self, text: &str) -> String {
        format!("{text}/{}", self.signature(text))
    }
}

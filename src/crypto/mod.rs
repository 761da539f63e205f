//! The cryptography a web framework needs, and nothing more: two hashes, a MAC, two text
//! encodings, a safe comparison and a source of randomness.
//!
//! Every algorithm here is written out from its standard and checked against the standard's
//! own test vectors. None of it is hardened the way a cryptography library is (no CPU
//! acceleration, no wiping of keys, no audit); it is here to be read, like the rest of the
//! crate.
//!
//! # What each piece is for
//!
//! | module | what it does | used for | standard |
//! |---|---|---|---|
//! | [`sha1`](mod@sha1) | 20-byte digest | the WebSocket handshake (not there yet) | RFC 3174, FIPS 180-4 |
//! | [`sha256`](mod@sha256) | 32-byte digest | inside HMAC | FIPS 180-4 |
//! | [`hmac`] | keyed 32-byte tag | signing session cookies | RFC 2104, RFC 4231 |
//! | [`base64`] | bytes as text, 4 characters per 3 bytes | `Sec-WebSocket-Accept` (not there yet) | RFC 4648 |
//! | [`hex`] | bytes as text, 2 characters per byte | session ids, cookie signatures | — |
//! | [`constant_time`] | comparison that does not leak where inputs differ | checking signatures | — |
//! | [`random`] | bytes from the kernel's generator | session ids, keys | — |
//!
//! - **SHA-1** will answer the WebSocket handshake, which the crate does not have yet (nothing
//!   calls SHA-1 or base64 today): the server proves it understood the upgrade
//!   request by sending back `base64(SHA-1(client key ‖ fixed GUID))` (RFC 6455 §4.2.2).
//!   SHA-1 is broken for signatures, because collisions can now be computed: two different
//!   documents with one digest, so a signature on one is valid for the other. The handshake
//!   has no secret and signs nothing, so collisions buy an attacker nothing there.
//! - **SHA-256 and HMAC** sign session cookies. With `Sessions` and a signing transformer, a
//!   cookie carries `value/hex(HMAC-SHA-256(key, value))`; a client can read the value but
//!   cannot change it without the server's key.
//! - **Base64 and hex** put bytes where only text may go: headers and cookies. Base64 is
//!   shorter; hex is simpler and is what Ktor uses for ids and signatures.
//! - **Constant-time comparison** checks a received signature without revealing, through the
//!   time it takes, how many of its leading bytes were right.
//! - **OS randomness** makes session ids (64 hex characters from 32 random bytes) and keys
//!   that nobody can predict, unlike the output of an ordinary seeded generator.
//!
//! # Signing a session cookie, end to end
//!
//! ```
//! use mini_ktor::crypto::{constant_time_eq, generate_session_id, hex, hmac_sha256, random_bytes};
//!
//! let key: [u8; 32] = random_bytes()?;
//! let id = generate_session_id()?;
//!
//! // Write: value, '/', the tag in lowercase hex.
//! let cookie = format!("{id}/{}", hex::encode_lower(&hmac_sha256(&key, id.as_bytes())));
//!
//! // Read: split at the last '/', recompute, compare in constant time.
//! let (value, tag) = cookie.rsplit_once('/').unwrap();
//! let expected = hex::encode_lower(&hmac_sha256(&key, value.as_bytes()));
//! assert!(constant_time_eq(tag.as_bytes(), expected.as_bytes()));
//! # Ok::<(), std::io::Error>(())
//! ```
//!
//! Ktor counterparts: `io.ktor.util` (`sha1`, `hex`, `encodeBase64`, `generateNonce`), the
//! JDK's `MessageDigest`, `javax.crypto.Mac` and `SecureRandom`, and
//! `SessionTransportTransformerMessageAuthentication` in `io.ktor.server.sessions`.

pub mod base64;
mod blocks;
pub mod constant_time;
pub mod hex;
pub mod hmac;
pub mod random;
pub mod sha1;
pub mod sha256;

pub use constant_time::constant_time_eq;
pub use hmac::{HmacSha256, hmac_sha256};
pub use random::{fill_random, generate_session_id, random_bytes};
pub use sha1::{Sha1, sha1};
pub use sha256::{Sha256, sha256};

use std::fmt;

/// Why [`base64::decode`], [`base64::decode_url`] or [`hex::decode`] refused its input.
///
/// The decoders read untrusted text (cookies, headers), so every way a string can fail to be
/// a canonical encoding has its own variant, and the position of a bad character is kept for
/// error messages.
///
/// JDK: `java.lang.IllegalArgumentException`, thrown by `java.util.Base64.Decoder.decode`
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A byte that is not in the alphabet.
    InvalidByte {
        /// Its position in the input, in bytes.
        index: usize,
        /// The byte itself (for a non-ASCII character, its first UTF-8 byte).
        byte: u8,
    },
    /// No encoding has this many characters: odd for hex, not a multiple of 4 for padded
    /// base64, one more than a multiple of 4 for unpadded base64.
    InvalidLength {
        /// The length of the input, in bytes.
        length: usize,
    },
    /// `=` where base64 padding cannot be: in the middle, more than two, or at all in the
    /// unpadded URL-safe variant.
    InvalidPadding,
    /// The last base64 character has bits set beyond the end of the data, as in `Zh==`: a
    /// second spelling of `Zg==` (`f`), refused so that each byte string has one encoding.
    NonZeroTrailingBits,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidByte { index, byte } => write!(f, "invalid byte {byte:#04x} at index {index}"),
            Self::InvalidLength { length } => write!(f, "invalid length {length}"),
            Self::InvalidPadding => f.write_str("invalid padding"),
            Self::NonZeroTrailingBits => f.write_str("non-zero bits after the end of the data"),
        }
    }
}

impl std::error::Error for DecodeError {}

//! The cryptography a web framework needs: hashes, a MAC, text encodings, a safe comparison
//! and a source of randomness.

pub mod base64;
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

//! Hexadecimal: bytes as text, two characters per byte.
//!
//! # Concept
//!
//! Each byte is split into two 4-bit halves (*nibbles*), high one first, and each nibble is
//! written as one of `0–9 a–f`: `[0xde, 0xad]` → `"dead"`. It doubles the size, against base64's
//! third more, but every character stands for a fixed half-byte, so a reader can find byte
//! `i` at characters `2i` and `2i + 1`, and the result never needs escaping in a URL, a
//! header or a cookie.
//!
//! Ktor uses hex wherever it shows bytes as text: session ids are 64 hex characters
//! (32 random bytes, see [`generate_session_id`](super::generate_session_id)), and a signed
//! session cookie is `value/` followed by the 64 hex characters of its HMAC-SHA-256 tag.
//!
//! # Decisions
//!
//! - **Encode lower case only.** Ktor's `hex` writes lower case, and a signature compared as
//!   text must be spelled one way.
//! - **Decode both cases, refuse an odd length.** Upper-case hex is still unambiguous, so it
//!   is accepted; an odd number of characters cannot be whole bytes, so it is an error rather
//!   than a silently dropped last character (which is what Ktor's `hex(String)` does).
//! - **Branches, not constant time.** Decoding branches on the character classes. Nothing in
//!   the crate decodes hex today (signatures are compared as text, ids looked up as text); hex
//!   a server reads from a client is a MAC the client already holds or an id, never a key, so
//!   the decoder's timing would reveal nothing the client does not know.

use super::DecodeError;

/// The sixteen digits, indexed by nibble value.
const DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Encodes `bytes` as lowercase hex, two characters per byte.
///
/// ```
/// assert_eq!(mini_ktor::crypto::hex::encode_lower(&[0x00, 0x7f, 0xff]), "007fff");
/// ```
///
/// Ktor: `io.ktor.util.hex(ByteArray)`
pub fn encode_lower(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        text.push(DIGITS[usize::from(byte >> 4)] as char);
        text.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    text
}

/// Decodes hex in either case; refuses an odd length and any other character.
///
/// ```
/// use mini_ktor::crypto::{DecodeError, hex};
///
/// assert_eq!(hex::decode("C0ffee").unwrap(), [0xc0, 0xff, 0xee]);
/// assert_eq!(hex::decode("abc"), Err(DecodeError::InvalidLength { length: 3 }));
/// ```
///
/// Ktor: `io.ktor.util.hex(String)`
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let input = text.as_bytes();
    if !input.len().is_multiple_of(2) {
        return Err(DecodeError::InvalidLength { length: input.len() });
    }
    let nibble = |index: usize| match input[index] {
        byte @ b'0'..=b'9' => Ok(byte - b'0'),
        byte @ b'a'..=b'f' => Ok(byte - b'a' + 10),
        byte @ b'A'..=b'F' => Ok(byte - b'A' + 10),
        byte => Err(DecodeError::InvalidByte { index, byte }),
    };
    (0..input.len())
        .step_by(2)
        .map(|index| Ok((nibble(index)? << 4) | nibble(index + 1)?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value encodes to two lowercase digits and decodes back.
    #[test]
    fn round_trips_every_byte() {
        let bytes: Vec<u8> = (0..=255).collect();
        let text = encode_lower(&bytes);
        assert_eq!(&text[..8], "00010203");
        assert_eq!(&text[text.len() - 4..], "feff");
        assert_eq!(decode(&text), Ok(bytes));
    }

    /// Upper case and mixed case decode to the same bytes as lower case.
    #[test]
    fn accepts_upper_case() {
        assert_eq!(decode("DEADBEEF"), Ok(vec![0xde, 0xad, 0xbe, 0xef]));
        assert_eq!(decode("DeadBeef"), decode("deadbeef"));
    }

    /// An odd number of digits is an error, not a dropped last digit.
    #[test]
    fn rejects_odd_length() {
        assert_eq!(decode("a"), Err(DecodeError::InvalidLength { length: 1 }));
        assert_eq!(decode("abcde"), Err(DecodeError::InvalidLength { length: 5 }));
    }

    /// A non-hex character is refused with its position, including signs and spaces that a
    /// number parser might accept.
    #[test]
    fn rejects_bad_character() {
        assert_eq!(
            decode("0g"),
            Err(DecodeError::InvalidByte { index: 1, byte: b'g' })
        );
        assert_eq!(
            decode("+1"),
            Err(DecodeError::InvalidByte { index: 0, byte: b'+' })
        );
        assert_eq!(
            decode("00 1"),
            Err(DecodeError::InvalidByte { index: 2, byte: b' ' })
        );
    }

    /// The empty string is zero bytes, both ways.
    #[test]
    fn empty_is_empty() {
        assert_eq!(encode_lower(&[]), "");
        assert_eq!(decode(""), Ok(vec![]));
    }
}

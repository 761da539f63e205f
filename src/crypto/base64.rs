//! Base64: bytes as text for headers and cookies (RFC 4648 §4 and §5).
//!
//! # Concept
//!
//! Headers and cookies carry text, and a digest or a key is arbitrary bytes. Base64 writes
//! every 3 bytes (24 bits) as 4 characters of 6 bits each, taken from a 64-letter alphabet:
//!
//! ```text
//! bytes    'M'      'a'      'n'
//! bits     01001101 01100001 01101110
//! sextets  010011 010110 000101 101110
//! index    19     22     5      46
//! text     T      W      F      u
//! ```
//!
//! When the input length is not a multiple of 3, the last group has 1 or 2 bytes: it becomes
//! 2 or 3 characters, its unused low bits are zero, and `=` pads the text to a multiple of 4
//! (RFC 4648 §4, cases (2) and (3)): `f` → `Zg==`, `fo` → `Zm8=`.
//!
//! Two alphabets exist. The standard one ends in `+` and `/`; the WebSocket handshake uses it
//! (`Sec-WebSocket-Accept`, for when the crate has WebSockets). The "URL and filename safe" one (§5) ends in `-` and `_`, which
//! need no escaping in URLs and cookies, and usually drops the padding (JWTs, for example).
//!
//! # Decisions
//!
//! - **Strict decoding.** This is for untrusted input, so [`decode`] accepts exactly the
//!   strings [`encode`] produces and nothing else: no line breaks or spaces, no missing or extra
//!   padding, no `=` in the middle, and no non-zero unused bits. RFC 4648 requires rejecting
//!   characters outside the alphabet (§3.3) and allows rejecting non-zero unused bits (§3.5).
//!   With both refused, one byte string has exactly one spelling, so two encoded values are
//!   equal as text exactly when their bytes are. Older versions of Ktor's `decodeBase64Bytes`
//!   were lenient: a character outside the alphabet silently became arbitrary bits.
//! - **The URL-safe variant is unpadded in both directions**: [`decode_url`] refuses `=`.
//! - **Lookup tables are built at compile time** by a `const fn`, rather than written out as
//!   256 numbers nobody could check by eye.

use super::DecodeError;

/// The standard alphabet (RFC 4648 §4, Table 1): `A–Z`, `a–z`, `0–9`, `+`, `/`.
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The URL and filename safe alphabet (RFC 4648 §5, Table 2): 62 and 63 are `-` and `_`.
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks a byte that is not in the alphabet in a reverse table.
const INVALID: u8 = 0xff;

/// The reverse of `alphabet`: for each byte, its 6-bit value, or [`INVALID`].
const fn reverse(alphabet: &[u8; 64]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut value = 0;
    while value < 64 {
        table[alphabet[value] as usize] = value as u8;
        value += 1;
    }
    table
}

/// Character → value for the standard alphabet.
const STANDARD_REVERSE: [u8; 256] = reverse(STANDARD);

/// Character → value for the URL-safe alphabet.
const URL_SAFE_REVERSE: [u8; 256] = reverse(URL_SAFE);

/// Encodes `data` with the standard alphabet and `=` padding.
///
/// ```
/// assert_eq!(mini_ktor::crypto::base64::encode(b"foobar"), "Zm9vYmFy");
/// assert_eq!(mini_ktor::crypto::base64::encode(b"fo"), "Zm8=");
/// ```
///
/// Ktor: `io.ktor.util.encodeBase64`
pub fn encode(data: &[u8]) -> String {
    encode_with(data, STANDARD, true)
}

/// Decodes standard, padded base64, strictly: see the module docs for what is refused.
///
/// ```
/// use mini_ktor::crypto::{DecodeError, base64};
///
/// assert_eq!(base64::decode("Zm8=").unwrap(), b"fo");
/// assert_eq!(base64::decode("Zm8"), Err(DecodeError::InvalidLength { length: 3 }));
/// ```
///
/// Ktor: `io.ktor.util.decodeBase64Bytes`
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    decode_with(text, &STANDARD_REVERSE, true)
}

/// Encodes `data` with the URL-safe alphabet, without padding.
///
/// ```
/// assert_eq!(mini_ktor::crypto::base64::encode_url(&[0xfb, 0xff]), "-_8");
/// ```
///
/// JDK: `java.util.Base64.getUrlEncoder().withoutPadding()`
pub fn encode_url(data: &[u8]) -> String {
    encode_with(data, URL_SAFE, false)
}

/// Decodes unpadded URL-safe base64, as strictly as [`decode`]; `=` is refused.
///
/// JDK: `java.util.Base64.getUrlDecoder()`
pub fn decode_url(text: &str) -> Result<Vec<u8>, DecodeError> {
    decode_with(text, &URL_SAFE_REVERSE, false)
}

/// Encodes groups of 3 bytes as 4 characters; a last group of 1 or 2 bytes becomes 2 or 3
/// characters, plus `=` up to 4 when `pad` is set.
fn encode_with(data: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut text = String::with_capacity(data.len().div_ceil(3) * 4);
    let mut push_group = |group: [u8; 3], characters: usize| {
        // The 24 bits of the group, then 6 bits at a time from the most significant end.
        let bits = u32::from_be_bytes([0, group[0], group[1], group[2]]);
        for shift in [18, 12, 6, 0].into_iter().take(characters) {
            text.push(alphabet[((bits >> shift) & 0x3f) as usize] as char);
        }
    };
    let (groups, rest) = data.as_chunks::<3>();
    for group in groups {
        push_group(*group, 4);
    }
    if !rest.is_empty() {
        // The missing bytes count as zeros; only the characters that hold data are written.
        let mut last = [0u8; 3];
        last[..rest.len()].copy_from_slice(rest);
        push_group(last, rest.len() + 1);
        if pad {
            text.push_str(&"=="[rest.len() - 1..]);
        }
    }
    text
}

/// Decodes `text` with the reverse table `table`, expecting `=` padding when `padded`.
fn decode_with(text: &str, table: &[u8; 256], padded: bool) -> Result<Vec<u8>, DecodeError> {
    let input = text.as_bytes();
    // Padded text comes in whole groups of 4 that end in at most two `=`. Cut those off;
    // any `=` left in `data` is in the wrong place and is reported by `value_at` below.
    let data = if padded {
        if !input.len().is_multiple_of(4) {
            return Err(DecodeError::InvalidLength { length: input.len() });
        }
        let padding = input.iter().rev().take_while(|&&byte| byte == b'=').count();
        if padding > 2 {
            return Err(DecodeError::InvalidPadding);
        }
        &input[..input.len() - padding]
    } else {
        input
    };
    // A lone character in the last group holds 6 bits: not even one byte.
    if data.len() % 4 == 1 {
        return Err(DecodeError::InvalidLength { length: input.len() });
    }
    let value_at = |index: usize| match (data[index], table[data[index] as usize]) {
        (b'=', _) => Err(DecodeError::InvalidPadding),
        (byte, INVALID) => Err(DecodeError::InvalidByte { index, byte }),
        (_, value) => Ok(u32::from(value)),
    };

    let mut bytes = Vec::with_capacity(data.len() / 4 * 3 + 2);
    for start in (0..data.len()).step_by(4) {
        let characters = (data.len() - start).min(4);
        let mut bits = 0u32;
        for index in start..start + characters {
            bits = (bits << 6) | value_at(index)?;
        }
        // 4 characters give 24 bits = 3 bytes. A short last group of 2 or 3 characters gives
        // 12 or 18 bits: 1 or 2 bytes, and 4 or 2 unused low bits that must be zero.
        let unused = characters * 6 % 8;
        if bits & ((1 << unused) - 1) != 0 {
            return Err(DecodeError::NonZeroTrailingBits);
        }
        let count = characters * 6 / 8;
        bytes.extend_from_slice(&(bits >> unused).to_be_bytes()[4 - count..]);
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4648 §10: the seven "foobar" prefixes, both directions.
    const VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    /// Encoding each RFC 4648 §10 input gives its listed text.
    #[test]
    fn encodes_rfc4648_vectors() {
        for (plain, encoded) in VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded, "{plain:?}");
        }
    }

    /// Decoding each RFC 4648 §10 text gives its input back.
    #[test]
    fn decodes_rfc4648_vectors() {
        for (plain, encoded) in VECTORS {
            assert_eq!(decode(encoded).as_deref(), Ok(plain.as_bytes()), "{encoded:?}");
        }
    }

    /// A character outside the alphabet is refused with its position: a space, a URL-safe
    /// `-` in standard text, a non-ASCII byte.
    #[test]
    fn rejects_bad_character() {
        assert_eq!(
            decode("Zm9 "),
            Err(DecodeError::InvalidByte { index: 3, byte: b' ' })
        );
        assert_eq!(
            decode("Zm-v"),
            Err(DecodeError::InvalidByte { index: 2, byte: b'-' })
        );
        assert_eq!(
            decode("Zmé"),
            Err(DecodeError::InvalidByte { index: 2, byte: 0xc3 })
        );
    }

    /// `=` in the middle, three `=`, or `=` in unpadded URL-safe text is refused.
    #[test]
    fn rejects_bad_padding() {
        assert_eq!(decode("Zg=a"), Err(DecodeError::InvalidPadding));
        assert_eq!(decode("Zg==Zm8="), Err(DecodeError::InvalidPadding));
        assert_eq!(decode("Z==="), Err(DecodeError::InvalidPadding));
        assert_eq!(decode("===="), Err(DecodeError::InvalidPadding));
        assert_eq!(decode_url("Zg=="), Err(DecodeError::InvalidPadding));
    }

    /// Padded text that is not whole groups of 4, or unpadded text with a lone last
    /// character, is refused.
    #[test]
    fn rejects_wrong_length() {
        assert_eq!(decode("Zg"), Err(DecodeError::InvalidLength { length: 2 }));
        assert_eq!(decode("Zm9vY"), Err(DecodeError::InvalidLength { length: 5 }));
        assert_eq!(decode_url("Zm9vY"), Err(DecodeError::InvalidLength { length: 5 }));
    }

    /// `Zh==` and `Zm9=` would decode to `f` and `fo` if the unused bits were ignored; only
    /// the canonical `Zg==` and `Zm8=` are accepted.
    #[test]
    fn rejects_non_zero_trailing_bits() {
        assert_eq!(decode("Zh=="), Err(DecodeError::NonZeroTrailingBits));
        assert_eq!(decode("Zm9="), Err(DecodeError::NonZeroTrailingBits));
        assert_eq!(decode_url("Zh"), Err(DecodeError::NonZeroTrailingBits));
    }

    /// The URL-safe variant uses `-` and `_`, drops padding, and round-trips.
    #[test]
    fn url_safe_alphabet_without_padding() {
        let bytes = [0xfb, 0xef, 0xff, 0x66];
        assert_eq!(encode(&bytes), "++//Zg==");
        assert_eq!(encode_url(&bytes), "--__Zg");
        assert_eq!(decode_url("--__Zg").as_deref(), Ok(&bytes[..]));
        assert_eq!(
            decode_url("++//Zg"),
            Err(DecodeError::InvalidByte { index: 0, byte: b'+' })
        );
    }
}

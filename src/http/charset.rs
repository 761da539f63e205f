//! Text in a request body: bytes decoded in the charset the `Content-Type` names.
//!
//! # Concept
//!
//! A body is bytes; a handler that asks for text (`receive_text`, or a form through
//! `receive_parameters`) wants them decoded. RFC 9110 §8.3.2 puts the encoding in the content
//! type's `charset` parameter (`text/plain; charset=ISO-8859-1`), and without one this crate,
//! like Ktor, reads UTF-8:
//!
//! ```text
//! Content-Type: text/plain; charset=ISO-8859-1     body: 63 61 66 E9
//!   charset("text/plain; charset=ISO-8859-1") ──► "ISO-8859-1"
//!   decode(body, Some("ISO-8859-1"))           ──► "café"
//! ```
//!
//! Three charsets are known, the ones a form or a text body is sent in in practice: UTF-8,
//! ISO-8859-1 (each byte is the code point of the same number, so decoding cannot fail) and
//! US-ASCII. Names are compared without regard to case, with their registered aliases
//! (`utf8`, `latin1`, `ascii`, ...).
//!
//! # Alternatives not taken
//!
//! Ktor hands the name to the JVM, which knows dozens of charsets, and replaces bytes that are
//! not valid in the charset with U+FFFD. Here a charset outside the three is refused
//! ([`CharsetError::Unsupported`], which the receive pipeline answers `415 Unsupported Media
//! Type`) rather than decoded as if it were UTF-8, which would hand the handler wrong text
//! without a word; and invalid bytes are an error ([`CharsetError::Malformed`], a `400`), so a
//! handler never stores text that says something other than what the client sent. Tables for
//! the single-byte charsets of the 1990s would be data, not something to learn from.
//!
//! RFC 9110 §8.3.2 (the charset parameter), RFC 2046 §4.1.2 (charset names are compared without
//! regard to case).
//!
//! Ktor: `io.ktor.http.charset` (`ContentType.charset()`) and the decoding in `receiveText()`

/// Why a body could not be decoded.
///
/// Ktor: none; Ktor decodes with U+FFFD and fails only on a charset name the JVM does not know
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CharsetError {
    /// The bytes are not valid in the charset (`400 Bad Request`).
    Malformed,
    /// The charset is not one this crate decodes (`415 Unsupported Media Type`).
    Unsupported,
}

/// The charsets [`decode`] knows, by their names and registered aliases (IANA's character
/// sets registry), lowercase.
const UTF_8: &[&str] = &["utf-8", "utf8"];
const ISO_8859_1: &[&str] = &[
    "iso-8859-1",
    "iso_8859-1",
    "latin1",
    "l1",
    "iso-ir-100",
    "cp819",
    "ibm819",
];
const US_ASCII: &[&str] = &["us-ascii", "ascii", "iso646-us", "ansi_x3.4-1968", "us"];

/// Decodes `bytes` in `charset`, UTF-8 when there is none.
///
/// Ktor: `ByteReadChannel.readText(charset)` as `receiveText()` calls it, with
/// `request.contentCharset() ?: Charsets.UTF_8`
pub fn decode(bytes: Vec<u8>, charset: Option<&str>) -> Result<String, CharsetError> {
    let is = |names: &[&str]| charset.is_some_and(|name| names.iter().any(|n| name.eq_ignore_ascii_case(n)));
    if charset.is_none() || is(UTF_8) {
        String::from_utf8(bytes).map_err(|_| CharsetError::Malformed)
    } else if is(ISO_8859_1) {
        // Every byte is the code point of the same number: U+0000 to U+00FF.
        Ok(bytes.into_iter().map(char::from).collect())
    } else if is(US_ASCII) {
        // ASCII is the part of UTF-8 below 0x80: checked as that, it needs no conversion.
        match bytes.is_ascii() {
            true => String::from_utf8(bytes).map_err(|_| CharsetError::Malformed),
            false => Err(CharsetError::Malformed),
        }
    } else {
        Err(CharsetError::Unsupported)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body, its charset, and what it decodes to.
    type Case = (
        &'static [u8],
        Option<&'static str>,
        Result<&'static str, CharsetError>,
    );

    /// Each known charset, by a name and an alias in any case, and what falls outside them.
    #[test]
    fn decodes_the_known_charsets() {
        let cases: &[Case] = &[
            (b"caf\xC3\xA9", None, Ok("café")),
            (b"caf\xC3\xA9", Some("UTF-8"), Ok("café")),
            (b"caf\xC3\xA9", Some("utf8"), Ok("café")),
            (b"caf\xE9", None, Err(CharsetError::Malformed)),
            (b"caf\xE9", Some("utf-8"), Err(CharsetError::Malformed)),
            (b"caf\xE9", Some("ISO-8859-1"), Ok("café")),
            (b"caf\xE9", Some("Latin1"), Ok("café")),
            (
                b"\x00\x7F\x80\xFF",
                Some("iso-8859-1"),
                Ok("\u{0}\u{7F}\u{80}\u{FF}"),
            ),
            (b"cafe", Some("US-ASCII"), Ok("cafe")),
            (b"caf\xE9", Some("ascii"), Err(CharsetError::Malformed)),
            (b"h\0i\0", Some("UTF-16LE"), Err(CharsetError::Unsupported)),
            (b"", Some("koi8-r"), Err(CharsetError::Unsupported)),
            (b"", Some(""), Err(CharsetError::Unsupported)),
        ];
        for &(bytes, charset, expected) in cases {
            let decoded = decode(bytes.to_vec(), charset);
            assert_eq!(
                decoded.as_deref(),
                expected.as_deref(),
                "{bytes:?} in {charset:?}"
            );
        }
    }
}

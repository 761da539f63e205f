//! A complete request head viewed as text, so the parser can hand out `&str`
//! tokens after a single UTF-8 check.
//!
//! # Concept
//!
//! [`RequestHead`](super::RequestHead) gives the method, the target and every
//! field name as `&str`. The parser has already checked that those bytes are
//! ASCII, but safe Rust still wants `std::str::from_utf8` to look at bytes
//! before it calls them `str`. Each call has a fixed cost, and on a slice of
//! a few bytes it never reaches its word-at-a-time loop: checking `GET`
//! alone costs about as many instructions as checking a whole 50-byte head
//! that starts at an aligned address. So the head is checked once, when it
//! is complete, and every token is sliced out of the result (slicing a `str`
//! between ASCII bytes always falls on character boundaries).
//!
//! The catch is that the head's end is only known when the last line has
//! been read. So the parser's `field_lines` (`field_lines.rs`) fills each slot
//! with its value and an empty name, and [`name_fields`] goes over the lines
//! a second time to fill in the names. That pass reads almost nothing: the
//! lines follow one another, and each slot's value says, by its address and
//! length, where its line's colon and end are.
//!
//! Field values may hold obs-text (`%x80-FF`) that is not UTF-8; values stay
//! bytes, but then the head as a whole is not `str`. In that rare case each
//! token gets a check of its own.
//!
//! # Alternatives not taken
//!
//! httparse converts its checked tokens with `from_utf8_unchecked`, code the
//! compiler cannot check; this crate allows such code only in its system calls.
//! That also rules out the cheaper check for the usual head, all ASCII: the
//! parser's scans already know whether any value holds a byte of 0x80 or more,
//! but without `from_utf8` nothing turns the bytes into `str`. So the one call
//! stays, and its cost with it: about 70 instructions for a 50-byte head that
//! starts at an address divisible by eight, 160 to 185 for most others, as
//! `from_utf8` goes byte by byte up to the first such address and after its
//! last 16-byte step (callgrind, Rust 1.95). Checking
//! only the request line and the names would skip the values, but they are
//! not one slice, so that would take one call per line again. Finding each
//! colon by reading the name again would not need addresses, but reads every
//! name twice. Keeping the names' positions in a side array would need a
//! heap allocation or a fixed size with a fallback, since the number of
//! slots is the caller's choice.
//!
//! RFC 9112 §2.2: a recipient parses a message as octets of a superset of US-ASCII, so the
//! bytes are checked first and become text only then.
//!
//! Ktor: `io.ktor.http.cio.internals.CharArrayBuilder`, which turns the bytes of a head into
//! characters as they are read

use std::ops::Range;

use super::head::Header;
use super::limits::ParseError;
use super::syntax;

/// A complete head, to take `&str` tokens from.
pub(crate) enum Text<'b> {
    /// The usual case: the whole head is UTF-8.
    Str(&'b str),
    /// A field value holds obs-text that is not UTF-8.
    Bytes(&'b [u8]),
}

impl<'b> Text<'b> {
    /// Checks the complete `head` as UTF-8, once.
    pub(crate) fn new(head: &'b [u8]) -> Text<'b> {
        std::str::from_utf8(head).map_or(Text::Bytes(head), Text::Str)
    }

    /// The head as text, if it is UTF-8.
    pub(crate) fn as_str(&self) -> Option<&'b str> {
        match *self {
            Text::Str(text) => Some(text),
            Text::Bytes(_) => None,
        }
    }

    /// The head's bytes.
    fn bytes(&self) -> &'b [u8] {
        match *self {
            Text::Str(text) => text.as_bytes(),
            Text::Bytes(bytes) => bytes,
        }
    }

    /// The token at `range`, which the parser has checked to be ASCII. In a
    /// `Str`, that is slicing; in `Bytes`, a check of the token alone, which
    /// cannot fail but could only be skipped with unchecked code.
    #[inline(always)]
    pub(crate) fn token(&self, range: Range<usize>) -> Result<&'b str, ParseError> {
        let token = match *self {
            // `text.get(range)` makes the same two boundary checks, but in a
            // call that the optimizer leaves out of line.
            Text::Str(text) => match text.split_at_checked(range.end) {
                Some((before_end, _)) => before_end.split_at_checked(range.start).map(|(_, token)| token),
                None => None,
            },
            Text::Bytes(bytes) => bytes.get(range).and_then(|b| std::str::from_utf8(b).ok()),
        };
        match token {
            Some(token) => Ok(token),
            None => Err(ParseError::bad_request("non-ASCII byte in a token")),
        }
    }
}

/// Gives each header its name, for the field lines that start at `pos` in
/// `text`; the headers come from those lines, in order, and hold their
/// values, which are slices of the same buffer as `text`.
///
/// ```text
/// field-line   = field-name ":" OWS field-value OWS
/// ```
///
/// Nothing is checked again, and only the OWS around values is read: a line
/// starts where the previous one ended; its value's address, minus the
/// head's, says where the value starts; the colon is just before it, past
/// any OWS; and after the value, any OWS and CRLF end the line.
#[inline(always)]
pub(crate) fn name_fields<'b>(
    text: &Text<'b>,
    mut pos: usize,
    headers: &mut [Header<'b>],
) -> Result<(), ParseError> {
    let bytes = text.bytes();
    let ows_at = |at: usize| bytes.get(at).is_some_and(|&b| syntax::is_ows(b));
    // Wrapping arithmetic: a header that broke the rules above would give a
    // range that `token` refuses, not a panic.
    for header in headers {
        // Subtracting addresses as numbers is safe Rust: nothing is read
        // through them.
        let value_start = (header.value.as_ptr() as usize).wrapping_sub(bytes.as_ptr() as usize);
        // Back over the OWS before the value to the colon.
        let mut colon = value_start.wrapping_sub(1);
        while ows_at(colon) {
            colon = colon.wrapping_sub(1);
        }
        header.name = text.token(pos..colon)?;
        // On over the value and the OWS after it to the CRLF.
        pos = value_start.wrapping_add(header.value.len());
        while ows_at(pos) {
            pos += 1;
        }
        pos = pos.wrapping_add(2);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::head::EMPTY_HEADER;

    /// Field lines as the parser leaves them: values set (slices of `head`
    /// at the given ranges), names empty.
    fn unnamed<'b>(head: &'b [u8], values: &[Range<usize>]) -> Vec<Header<'b>> {
        let header = |range: &Range<usize>| Header {
            value: &head[range.clone()],
            ..EMPTY_HEADER
        };
        values.iter().map(header).collect()
    }

    /// Names are found past OWS on both sides of values, empty values
    /// included, in a head that is UTF-8 and in one that is not.
    #[test]
    fn names_found_in_both_kinds_of_head() {
        let utf8: &[u8] = b"A: x\r\nBb:\t y z \t\r\nC:\r\nDd:   \r\n\r\n";
        let latin1: &[u8] = b"A: \xff\r\nBb:\t y z \t\r\nC:\r\nDd:   \r\n\r\n";
        let values = [3..4, 11..14, 20..20, 28..28];
        for head in [utf8, latin1] {
            let text = Text::new(head);
            assert_eq!(matches!(text, Text::Str(_)), head == utf8);
            let mut headers = unnamed(head, &values);
            name_fields(&text, 0, &mut headers).unwrap();
            let names: Vec<&str> = headers.iter().map(|h| h.name).collect();
            assert_eq!(names, ["A", "Bb", "C", "Dd"]);
        }
    }

    /// Tokens are slices either way; a range that is not in the head is an
    /// error, not a panic.
    #[test]
    fn tokens() {
        for text in [Text::new(b"GET / X: \xff"), Text::new(b"GET / X: y")] {
            assert_eq!(text.token(0..3), Ok("GET"));
            assert!(text.token(4..40).is_err());
        }
    }
}

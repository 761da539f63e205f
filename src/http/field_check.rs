//! Checking field names and values on the way out, eight bytes at a time.
//!
//! # Concept
//!
//! The response writer refuses any field line that could break the head's
//! structure (see [`writer`](super::writer)): a name must be a token, a value
//! must hold no control character but HTAB.
//! [`is_valid_header_name`](super::is_valid_header_name) and
//! [`is_valid_header_value`] answer that one byte at a time, with a table
//! lookup and a branch per byte. The writer asks on every response, for every
//! line, so this module gives the same answers for less work:
//!
//! - **Values** are read as `u64` words (SWAR, "SIMD within a register"). A
//!   value is certainly valid when no byte is below 0x20 and none is 0x7F:
//!   everything else is SP, VCHAR or obs-text. Two classic bit tricks find
//!   such a byte in a whole word with a handful of integer operations. When
//!   a word trips them (a CTL, DEL, or an HTAB, which is allowed), the value
//!   is rechecked byte by byte with the table, so HTAB costs time, never a
//!   different answer.
//! - **Names** have no short SWAR test (a token excludes 17 scattered
//!   punctuation characters besides SP and the CTLs), so they keep the table,
//!   but combine its entries with `&` instead of branching on each byte: per
//!   byte, a load of the byte and an `and` with its entry, and one test per
//!   name at the end. Names are short.
//!
//! # Alternatives not taken
//!
//! httparse scans with SSE/AVX2 through unchecked intrinsics; this crate keeps
//! such code to its system calls, and for the 10-100 byte values of a response head a `u64`
//! already takes most of the gain. Skipping the checks for names and values
//! that "must be" fine (constants like `HttpHeaders::CONTENT_TYPE`) is not
//! possible either: [`Headers`](super::Headers) accepts anything through
//! `append`, and through `Headers::iter` a checked constant looks the same as
//! text built at run time. Ktor checks each name and value once, when it is
//! set (`HttpHeaders.checkHeaderName` / `checkHeaderValue`); the writer here
//! is the last line of defence, so it checks at write time.

use super::headers::is_valid_header_value;
use super::syntax::{self, TCHAR};

/// `0x01` in every byte of a word.
const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
/// `0x80` (each byte's high bit) in every byte of a word.
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// The high bit of each byte of `word` that is below 0x20 or is 0x7F, give
/// or take false alarms in bytes above a true one: non-zero exactly when
/// there is such a byte.
///
/// `(x - 0x20..) & !x & 0x80..` is non-zero exactly when some byte of `x`
/// is below 0x20: a byte below 0x20 wraps around and sets its high bit, while
/// its own high bit was clear. A borrow can also set a higher byte's high
/// bit, but only after a lower byte already answered yes, so the answer for
/// the whole word is exact. The same test with 0x01 against `x ^ 0x7F..`
/// finds a zero byte, i.e. a 0x7F byte of `x`. (Bit Twiddling Hacks,
/// "Determine if a word has a byte less than n".)
#[inline(always)]
fn ctl_or_del_bits(word: u64) -> u64 {
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let del = word ^ (ONES * 0x7f);
    let is_del = del.wrapping_sub(ONES) & !del;
    (below_space | is_del) & HIGHS
}

/// The same answer as [`is_valid_header_value`], eight bytes at a time.
#[inline]
pub(crate) fn value_is_writable(value: &str) -> bool {
    let bytes = value.as_bytes();
    let suspicious = match bytes.last_chunk::<8>() {
        Some(last) => {
            // Whole words from the front, then the last eight bytes, which may overlap the
            // previous word: reading them is one load, padding a short tail would be a copy.
            let (words, _) = bytes.as_chunks::<8>();
            let first = ctl_or_del_bits(u64::from_ne_bytes(*last));
            let bits = words
                .iter()
                .fold(first, |bits, w| bits | ctl_or_del_bits(u64::from_ne_bytes(*w)));
            bits != 0
        }
        // Too short for a word: a byte loop that is as short as the value.
        None => bytes.iter().any(|&b| b < 0x20 || b == 0x7f),
    };
    // Only a CTL, DEL or HTAB makes `suspicious` true; the exact rule sorts them out.
    !suspicious || is_valid_header_value(value)
}

/// The same answer as [`is_valid_header_name`](super::is_valid_header_name),
/// with one test per name instead of one branch per byte.
#[inline]
pub(crate) fn name_is_writable(name: &str) -> bool {
    let bytes = name.as_bytes();
    // Combine the bytes' token bits with `&`, eight at a time and with no branch between
    // them, so that a step compiles to two instructions per byte; the result is true only if
    // every byte is a tchar.
    let all_tchar = |ok: bool, chunk: &[u8; 8]| chunk.iter().fold(ok, |ok, &b| ok & syntax::is(b, TCHAR));
    match bytes.last_chunk::<8>() {
        Some(last) => {
            // As for values: whole words, and the last eight bytes, overlapping.
            let (words, _) = bytes.as_chunks::<8>();
            words.iter().fold(all_tchar(true, last), all_tchar)
        }
        None => !bytes.is_empty() && bytes.iter().all(|&b| syntax::is(b, TCHAR)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::headers::is_valid_header_name;

    /// Every byte value, at every position of values from 0 to 24 bytes long
    /// (so in a full word, in the overlapping last word, and in the short
    /// loop), gets the answer of the byte-by-byte rule.
    #[test]
    fn every_byte_at_every_position() {
        for len in 0..=24 {
            for at in 0..len {
                for b in 0..=255u8 {
                    // Bytes from 0x80 stand for the char of that number, two bytes of UTF-8.
                    let text: String = (0..len)
                        .map(|i| if i == at { char::from(b) } else { 'a' })
                        .collect();
                    assert_eq!(value_is_writable(&text), is_valid_header_value(&text), "{text:?}");
                    assert_eq!(name_is_writable(&text), is_valid_header_name(&text), "{text:?}");
                }
            }
        }
    }

    /// Known answers, including the cases that trip the word test without
    /// being invalid (HTAB) and a borrow across bytes.
    #[test]
    fn table() {
        let values = [
            ("", true),
            ("text/plain", true),
            ("tab\there and there\t", true),
            ("ünïcode välüe, long enough", true),
            ("\x1f\x20\x20\x20\x20\x20\x20\x20", false),
            ("\x20\x20\x20\x20\x20\x20\x20\x7f", false),
            ("\x00\x21\x21\x21\x21\x21\x21\x21\x21", false),
            ("a\r\nSet-Cookie: x=1", false),
            ("~~~~~~~~~~~~~~~~\x7f", false),
        ];
        for (value, valid) in values {
            assert_eq!(value_is_writable(value), valid, "{value:?}");
        }
        let names = [
            ("Content-Type", true),
            ("x", true),
            ("!#$%&'*+-.^_`|~09AZaz", true),
            ("", false),
            ("Bad Name", false),
            ("Colon:", false),
            ("Ünïcode", false),
        ];
        for (name, valid) in names {
            assert_eq!(name_is_writable(name), valid, "{name:?}");
        }
    }

    /// Random strings of random lengths, mostly valid with a few bad bytes
    /// sprinkled in, agree with the byte-by-byte rules (fixed seed).
    #[test]
    fn random_strings_agree() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            // xorshift64*: enough spread for test inputs, and reproducible.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let alphabet: Vec<char> = "aZ09-_ :;,\t\r\n\x00\x1f\x7f~ü€".chars().collect();
        for _ in 0..20_000 {
            let len = (next() % 40) as usize;
            let bad_odds = 1 + next() % 64;
            let text: String = (0..len)
                .map(|_| match next() % bad_odds {
                    0 => alphabet[(next() % alphabet.len() as u64) as usize],
                    _ => char::from(b'a' + (next() % 26) as u8),
                })
                .collect();
            assert_eq!(value_is_writable(&text), is_valid_header_value(&text), "{text:?}");
            assert_eq!(name_is_writable(&text), is_valid_header_name(&text), "{text:?}");
        }
    }
}

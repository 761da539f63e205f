//! Checking field names and values on the way out, a word at a time.
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
//! - **Values** are read as words (SWAR, "SIMD within a register"). A value
//!   is certainly valid when no byte is below 0x20 and none is 0x7F:
//!   everything else is SP, VCHAR or obs-text. Three tests sharing one mask
//!   find such a byte in a whole word with six integer operations (on x86-64,
//!   besides loading the constants). A value of up to 32 bytes, as most are,
//!   is two words, its first bytes and its last (`u64`s up to 16 bytes,
//!   `u128`s above), with no loop. When a word trips them (a CTL, DEL, or an
//!   HTAB, which is allowed), the value is rechecked byte by byte with the
//!   table, so HTAB costs time, never a different answer.
//! - **Names** have no short SWAR test (a token excludes 17 scattered
//!   punctuation characters besides SP and the CTLs), so they keep the table,
//!   but combine its entries with `&` instead of branching on each byte: per
//!   byte, a load of the byte and an `and` with its entry, and one test per
//!   name at the end. Names are short.
//!
//! # Alternatives not taken
//!
//! httparse scans with SSE/AVX2 through unchecked intrinsics; this crate keeps
//! such code to its system calls, and for the 10-100 byte values of a response head plain
//! integer words already take most of the gain. Skipping the checks for names and values
//! that "must be" fine (constants like `HttpHeaders::CONTENT_TYPE`) is not
//! possible in general: [`Headers`](super::Headers) accepts anything through
//! `append`, and through `Headers::iter` a checked constant looks the same as
//! text built at run time (a `&'static str` proves nothing: `"a\r\nb"` is
//! one). The writer does recognize the one name on almost every response,
//! `Content-Type` spelled exactly so, by comparing it, which is cheaper than
//! checking it. Ktor checks each name and value once, when it is
//! set (`HttpHeaders.checkHeaderName` / `checkHeaderValue`); the writer here
//! is the last line of defence, so it checks at write time.
//!
//! RFC 9110 §5.1 (a field name is a token) and §5.5 (field values: VCHAR, SP, HTAB, obs-text).
//!
//! Ktor: `HttpHeaders.checkHeaderName` and `checkHeaderValue`

use super::headers::is_valid_header_value;
use super::scan::value_suspects as ctl_or_del_bits;
use super::syntax::{self, TCHAR};

/// `0x01` and `0x80` in every byte of a sixteen-byte word: the `u128` forms of `scan.rs`'s
/// `ONES` and `HIGHS`.
const ONES_16: u128 = u128::from_ne_bytes([0x01; 16]);
const HIGHS_16: u128 = u128::from_ne_bytes([0x80; 16]);

// Values are checked with `scan.rs`'s `value_suspects`, here called
// `ctl_or_del_bits`: the high bit of each byte of a word that is below 0x20
// or is 0x7F, give or take false alarms, and non-zero whenever there is
// such a byte.
//
// Three tests share one mask. `x - 0x20..` sets the high bit of a byte below
// 0x20, which wraps around; `x + 0x01..` sets the high bit of a 0x7F byte,
// which becomes 0x80; `& !x` then drops every byte whose high bit was set to
// begin with (obs-text, valid). A borrow or a carry that crosses into the
// next byte can only raise a false alarm there, never hide a true one: a
// byte below 0x20 still wraps with one more taken from it, 0x7F still
// reaches the high bit with one more added. A borrow only leaves a byte that
// wrapped (the alarm is already on), and a carry only leaves a 0xFF byte,
// which UTF-8 never contains. (Bit Twiddling Hacks, "Determine if a word has
// a byte less than n", for the first test; testing 0x7F as `x ^ 0x7F..`
// having a zero byte, the textbook way, costs two operations more.)

/// [`ctl_or_del_bits`] for sixteen bytes at once. The compiler does `u128`
/// arithmetic as two `u64` halves, passing a carry or a borrow from one to
/// the other, which is just one more crossing between bytes: the reasoning
/// above holds unchanged.
#[inline(always)]
fn ctl_or_del_bits_16(word: u128) -> u128 {
    (word.wrapping_sub(ONES_16 * 0x20) | word.wrapping_add(ONES_16)) & !word & HIGHS_16
}

/// The same answer as [`is_valid_header_value`], eight or sixteen bytes at a
/// time.
#[inline]
pub(crate) fn value_is_writable(value: &str) -> bool {
    let bytes = value.as_bytes();
    // Up to 32 bytes, most values of a response head (`text/plain; charset=UTF-8` has 25), in
    // two words: the first bytes and the last, overlapping when the value is shorter than two
    // words. Reading the same byte twice is one load; padding a short tail would be a copy.
    let suspicious = match (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
        (Some(first), Some(last)) if bytes.len() <= 32 => {
            ctl_or_del_bits_16(u128::from_ne_bytes(*first)) | ctl_or_del_bits_16(u128::from_ne_bytes(*last))
                != 0
        }
        // Longer: a loop, kept out of line so that its constants stay out of the caller.
        (Some(_), Some(_)) => long_value_is_suspicious(bytes),
        _ => match (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) {
            (Some(first), Some(last)) => ctl_or_del_bits(word(first)) | ctl_or_del_bits(word(last)) != 0,
            // Too short for a word: a byte loop that is as short as the value.
            _ => bytes.iter().any(|&b| b < 0x20 || b == 0x7f),
        },
    };
    // Only a CTL, DEL or HTAB makes `suspicious` true; the exact rule sorts them out.
    !suspicious || is_valid_header_value(value)
}

/// Whether a value of more than 32 bytes has a CTL or DEL: whole words from the front, then
/// the last eight bytes, which may overlap the previous word.
#[inline(never)]
fn long_value_is_suspicious(bytes: &[u8]) -> bool {
    let (words, _) = bytes.as_chunks::<8>();
    let last = bytes
        .last_chunk::<8>()
        .map_or(0, |last| ctl_or_del_bits(word(last)));
    words.iter().fold(last, |bits, w| bits | ctl_or_del_bits(word(w))) != 0
}

/// Eight bytes as one word.
#[inline(always)]
fn word(bytes: &[u8; 8]) -> u64 {
    u64::from_ne_bytes(*bytes)
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

    /// Every byte value, at every position of values from 0 to 40 bytes long
    /// (so in the short loop, in two eight-byte words, in two sixteen-byte
    /// words, overlapping or not, and in the long loop), gets the answer of
    /// the byte-by-byte rule.
    #[test]
    fn every_byte_at_every_position() {
        for len in 0..=40 {
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
            // A borrow or a carry crossing into the next byte: only false alarms, sorted out
            // by the exact rule, never a missed byte.
            ("\x1f\x20\x20\x20\x20\x20\x20\x20\x20", false),
            ("\x20\x1f\x7e\x7e\x7e\x7e\x7e\x7e", false),
            ("~\x7f~~~~~~", false),
            ("\x00\x7f\x00\x7f\x00\x7f\x00\x7f", false),
            ("\t\x7e\x20\x7e\x20\x7e\x20\x7e", true),
            ("\u{ff}\u{7f}\u{ff}~~~~~~~~", false),
            ("ÿ~ÿ~ÿ~ÿ~ÿ~ÿ~ÿ~ÿ~", true),
            // Short values: one or two words, overlapping when under 16 bytes.
            ("12345678", true),
            ("1234567\r", false),
            ("\n23456789", false),
            ("123456789012345\x7f", false),
            ("12345678901234567\x01", false),
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

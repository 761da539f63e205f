//! Word-at-a-time scans for the runs of a request head: the request-target,
//! field values, tokens (methods and field names), and host names.
//!
//! # Concept
//!
//! Nearly every byte of a head sits in one of these runs, and the parser only
//! needs to know where each run ends. Asking the byte table of
//! [`syntax`] once per byte costs a load, a test and a branch
//! per byte. Here eight bytes are read as one `u64` and a few arithmetic
//! operations mark every byte that *may* end the run (a "suspect"). A clean
//! word is skipped whole; in a word with suspects, the first one is looked up
//! in the table, which has the final say.
//!
//! # The bit trick (SWAR: SIMD within a register)
//!
//! Treat the word as eight byte lanes. For targets and values, the test
//! rests on two facts about a lane holding `b < 0x80`:
//!
//! - `b - 0x20` has its high bit set exactly when `b < 0x20` (it wraps);
//!   for targets, which have no SP either, `b - 0x21` when `b < 0x21`;
//! - `b + 0x01` has its high bit set exactly when `b == 0x7F`.
//!
//! Subtracting `0x2020…20` (`0x2121…21` for targets) or adding `0x0101…01`
//! does this in all eight lanes at once, and `& 0x8080…80` keeps one flag bit per lane. Lanes
//! with `b >= 0x80` are handled by their own high bit: kept as suspects for
//! the target (no obs-text there), masked out for values (obs-text is kept).
//!
//! Lanes are not fully independent: a lane that wraps borrows from the next
//! one, and `0xFF + 1` carries into the next one. That can flag a good byte
//! (a false alarm) but never clears the flag of a bad one: `b - 0x20 - 1`
//! still wraps when `b < 0x20`, `0x7F + 1 + 1` still has its high bit, and
//! lanes at `0x80` and above keep their own. So every byte before the first
//! flag is good. Looking that first suspect up in the table, and going on
//! past it when it is good (HTAB in a value, or a false alarm), gives
//! exactly the answer of the byte-by-byte loop.
//!
//! Tokens take a different test, one that lets only letters and `-`
//! through; `token_suspects` explains it.
//!
//! # Alternatives not taken
//!
//! httparse scans with SSE4.2 and AVX2 through `std::arch`, which needs
//! unchecked code and run-time CPU detection; `std::simd` is nightly-only.
//! This crate keeps unchecked code to its system calls and builds on stable. A
//! `u64` covers most of the gain anyway: names, targets and values are a few
//! to a few tens of bytes long, so a 32-byte vector would spend most calls
//! on set-up and on the tail, while eight bytes a step already cut the work
//! per byte several times over. `memchr`-style search for CR alone would not do: every other
//! CTL must stop the value too.
//!
//! RFC 9112 §3.2 (the request-target) and RFC 9110 §5.5 (field values): the byte classes the
//! runs are made of.
//!
//! Ktor: none; its `parseHeaderName` and `parseHeaderValue` look at one character at a time

use super::syntax::{self, FIELD, TARGET, TCHAR};

/// `0x01` in every lane (the same in either byte order). Also used by `url.rs`'s
/// word-at-a-time search; `field_check.rs` calls [`value_suspects`] and has sixteen-byte forms
/// of these two of its own.
pub(super) const ONES: u64 = u64::from_le_bytes([0x01; 8]);
/// The high bit of every lane.
pub(super) const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// The length of the run of request-target bytes (`%x21-7E`) at the start of
/// `bytes`, or `None` when every byte is one. Same answers as
/// `syntax::run(bytes, TARGET)`.
#[inline]
pub(crate) fn target_run(bytes: &[u8]) -> Option<usize> {
    run(bytes, TARGET, target_suspects)
}

/// The length of the run of field-value bytes (HTAB, SP, VCHAR, obs-text) at
/// the start of `bytes`, or `None` when every byte is one. Same answers as
/// `syntax::run(bytes, FIELD)`.
#[inline]
pub(crate) fn value_run(bytes: &[u8]) -> Option<usize> {
    run(bytes, FIELD, value_suspects)
}

/// The length of the run of tchars at the start of `bytes`, or `None` when
/// every byte is one. Same answers as `syntax::run(bytes, TCHAR)`.
#[inline]
pub(crate) fn token_run(bytes: &[u8]) -> Option<usize> {
    run(bytes, TCHAR, token_suspects)
}

/// Flags the lanes of `word` that may not be target bytes: below `0x21`
/// (CTLs and SP), `0x7F` (DEL), and `0x80` and above. Every lane that
/// borrows or carries is flagged itself, so here the first flag is never a
/// false alarm.
#[inline(always)]
fn target_suspects(word: u64) -> u64 {
    let below_0x21 = word.wrapping_sub(0x21 * ONES);
    let del = word.wrapping_add(ONES);
    (below_0x21 | del | word) & HIGHS
}

/// Flags the lanes of `word` that may not be field-value bytes: below `0x20`
/// (CTLs, including the good HTAB) and `0x7F`. Lanes at `0x80` and above are
/// obs-text, allowed, so `& !word` drops them; HTAB, and a lane after a
/// borrowing HTAB or a carrying `0xFF`, are false alarms for the table.
///
/// The writer checks header values with the same test (`field_check.rs`).
#[inline(always)]
pub(super) fn value_suspects(word: u64) -> u64 {
    let below_0x20 = word.wrapping_sub(0x20 * ONES);
    let del = word.wrapping_add(ONES);
    (below_0x20 | del) & !word & HIGHS
}

/// Flags the lanes of `word` that are neither an ASCII letter nor `-`.
///
/// tchar is letters, digits and fifteen scattered symbols, too many ranges
/// to test in a word. But field names are almost only letters and dashes
/// (`Accept-Encoding`), so those are what this lets through; a digit or
/// another symbol is a false alarm for the table. Unlike the two above, this
/// test is exact per lane: clearing the high bits first keeps every sum
/// below `0x100` in each lane, so nothing carries, and the lanes that had
/// a high bit (not ASCII, never tchar) are flagged from `word` itself.
#[inline(always)]
fn token_suspects(word: u64) -> u64 {
    let ascii = word & !HIGHS;
    // `| 0x20` lowercases letters; only `A-Z` and `a-z` land in `a..=z`.
    let lower = ascii | (0x20 * ONES);
    let from_a = lower + (0x80 - u64::from(b'a')) * ONES; // high bit: lane >= 'a'
    let past_z = lower + (0x80 - u64::from(b'z') - 1) * ONES; // high bit: lane > 'z'
    let letter = from_a & !past_z;
    // A lane equal to '-' is zero after the xor, and only a zero lane stays
    // below 0x80 when 0x7F is added.
    let dash = !((ascii ^ (u64::from(b'-') * ONES)) + 0x7F * ONES);
    (word | !(letter | dash)) & HIGHS
}

/// The length of the run of ASCII letters, digits, `.` and `-` at the start of `bytes`, all
/// of it when every byte is one: the bytes host names and IPv4 addresses are made of, so
/// that `Host` values are checked a word at a time (`target.rs`).
#[inline]
pub(crate) fn host_name_run(bytes: &[u8]) -> usize {
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'.' || b == b'-';
    exact_run(bytes, host_name_suspects, is_name)
}

/// The length of the run of ASCII digits at the start of `bytes` (a port), all of it when
/// every byte is one.
#[inline]
pub(crate) fn digit_run(bytes: &[u8]) -> usize {
    exact_run(bytes, digit_suspects, |b| b.is_ascii_digit())
}

/// The run at the start of `bytes` of the bytes `suspects` does not flag, for a test that
/// is exact (no false alarms, so no table is needed) and bytes that are all there (no
/// "not arrived yet", so the answer is a length, all of `bytes` at most).
///
/// Unlike [`run`], the last few bytes need no loop of their own: the eight bytes that end
/// `bytes` are read as one more word, overlapping bytes already found good, whose lanes are
/// then clean. Only a slice shorter than a word goes byte by byte, with `is_good`.
#[inline(always)]
fn exact_run(bytes: &[u8], suspects: impl Fn(u64) -> u64, is_good: impl Fn(u8) -> bool) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut pos = 0;
    for word in &mut words {
        let word: &[u8; 8] = word.try_into().unwrap_or(&[0; 8]);
        let flags = suspects(u64::from_le_bytes(*word));
        if flags != 0 {
            // Little-endian: the lowest flag belongs to the earliest byte.
            return pos + (flags.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    if words.remainder().is_empty() {
        return pos;
    }
    let Some(last) = bytes.last_chunk::<8>() else {
        return bytes.iter().position(|&b| !is_good(b)).unwrap_or(bytes.len());
    };
    match suspects(u64::from_le_bytes(*last)) {
        0 => bytes.len(),
        flags => bytes.len() - 8 + (flags.trailing_zeros() / 8) as usize,
    }
}

/// Flags the lanes of `word` that are not an ASCII letter, a digit, `.` or `-`.
///
/// Letters are found as in `token_suspects`. Digits, `.` and `-` are nearly one range,
/// `0x2D..=0x39` (`-./0123456789`), tested like the letters; only `/` (0x2F) in it is not
/// wanted, and is found like the dash in `token_suspects`. As there, no lane carries into
/// the next, so every flag is exact.
#[inline(always)]
fn host_name_suspects(word: u64) -> u64 {
    let ascii = word & !HIGHS;
    let lower = ascii | (0x20 * ONES);
    let from_a = lower + (0x80 - u64::from(b'a')) * ONES;
    let past_z = lower + (0x80 - u64::from(b'z') - 1) * ONES;
    let letter = from_a & !past_z;
    let from_dash = ascii + (0x80 - u64::from(b'-')) * ONES;
    let past_9 = ascii + (0x80 - u64::from(b'9') - 1) * ONES;
    let in_range = from_dash & !past_9;
    let slash = !((ascii ^ (u64::from(b'/') * ONES)) + 0x7F * ONES);
    (word | slash | !(letter | in_range)) & HIGHS
}

/// Flags the lanes of `word` that are not an ASCII digit, exactly (the range test of
/// `host_name_suspects`, for `0-9` alone).
#[inline(always)]
fn digit_suspects(word: u64) -> u64 {
    let ascii = word & !HIGHS;
    let from_0 = ascii + (0x80 - u64::from(b'0')) * ONES;
    let past_9 = ascii + (0x80 - u64::from(b'9') - 1) * ONES;
    (word | !(from_0 & !past_9)) & HIGHS
}

/// The scan all three runs share: whole words while they are clean, the table for
/// each suspect, and the table alone for the last few bytes.
///
/// The words are taken with `chunks_exact`, whose loop is a pointer compared with an end:
/// indexing `bytes[pos..]` and then asking for eight bytes makes two length checks per word.
/// A suspect that the table finds good (HTAB in a value, or a false alarm) only drops its own
/// flag: the flags after it still cover every bad byte, since a borrow or a carry can add
/// flags but never clear one (see the module docs).
#[inline(always)]
fn run(bytes: &[u8], class: u8, suspects: impl Fn(u64) -> u64) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut pos = 0;
    for word in &mut words {
        let word: &[u8; 8] = word.try_into().unwrap_or(&[0; 8]);
        let mut flags = suspects(u64::from_le_bytes(*word));
        while flags != 0 {
            // Little-endian: the lowest flag belongs to the earliest byte.
            let lane = (flags.trailing_zeros() / 8) as usize;
            if !syntax::is(word[lane], class) {
                return Some(pos + lane);
            }
            // Each lane has one flag bit at most, the lowest set bit here.
            flags &= flags - 1;
        }
        pos += 8;
    }
    syntax::run(words.remainder(), class).map(|len| pos + len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::split_mix::next;

    /// A byte that belongs to all three classes, to fill the test windows.
    const FILL: u8 = b'a';

    /// The plain loop the scans must agree with.
    fn by_table(bytes: &[u8], class: u8) -> Option<usize> {
        bytes.iter().position(|&b| !syntax::is(b, class))
    }

    /// Runs the three scans on `bytes` and compares them with the table.
    fn agree(bytes: &[u8]) {
        assert_eq!(target_run(bytes), by_table(bytes, TARGET), "target {bytes:?}");
        assert_eq!(value_run(bytes), by_table(bytes, FIELD), "value {bytes:?}");
        assert_eq!(token_run(bytes), by_table(bytes, TCHAR), "token {bytes:?}");
    }

    /// Every byte value at every position of a 16-byte window (two words),
    /// then followed by a stop byte, so both the tail and the word path end
    /// on it.
    #[test]
    fn every_byte_at_every_position() {
        for b in 0..=255u8 {
            for at in 0..16 {
                let mut window = [FILL; 17];
                window[at] = b;
                agree(&window[..16]);
                window[16] = b'\r';
                agree(&window);
            }
        }
    }

    /// Every pair of byte values, the second right after the first, where a
    /// borrow or carry from the first could hide or invent the second.
    #[test]
    fn every_pair_of_neighbours() {
        for first in 0..=255u8 {
            for second in 0..=255u8 {
                let mut window = [FILL; 16];
                window[6] = first;
                window[7] = second;
                window[8] = second;
                agree(&window);
            }
        }
    }

    /// Every byte value at every position of `filler` runs of every length up to 17, so
    /// that it falls in a whole word, in the overlapping last word, or in a short run: `run`
    /// must agree with the plain loop `by_bytes`.
    fn every_byte_everywhere(run: fn(&[u8]) -> usize, by_bytes: fn(&[u8]) -> usize, filler: u8) {
        for len in 0..=17 {
            for at in 0..len {
                for b in 0..=255u8 {
                    let mut value = vec![filler; len];
                    value[at] = b;
                    assert_eq!(run(&value), by_bytes(&value), "{value:?}");
                }
            }
        }
    }

    /// The plain loop `host_name_run` must agree with.
    fn host_name_by_bytes(bytes: &[u8]) -> usize {
        let is_name = |b: &u8| b.is_ascii_alphanumeric() || *b == b'.' || *b == b'-';
        bytes.iter().position(|b| !is_name(b)).unwrap_or(bytes.len())
    }

    #[test]
    fn host_names_every_byte_everywhere() {
        every_byte_everywhere(host_name_run, host_name_by_bytes, b'7');
        assert_eq!(host_name_run(b""), 0);
    }

    /// The plain loop `digit_run` must agree with.
    fn digits_by_bytes(bytes: &[u8]) -> usize {
        bytes
            .iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(bytes.len())
    }

    #[test]
    fn digits_every_byte_everywhere() {
        every_byte_everywhere(digit_run, digits_by_bytes, b'5');
    }

    /// Random lengths and contents, mostly bytes from a name-like, a
    /// target-like or a host-like alphabet with rare stops of every kind, so long runs
    /// cross many word boundaries.
    #[test]
    fn random_runs_match_the_table() {
        let mut state = 0x5ca1_ab1e;
        let alphabets: [&[u8]; 4] = [
            b"Accept-Encoding-X",
            b"/docs/a_1.html?q=%20&b=~",
            b"127.0.0.1-Example.COM",
            b"8080:1234567890",
        ];
        let rare = b"\t\r\n\x00\x1f\x7f\x80\xff :\"9";
        for case in 0..20_000 {
            let alphabet = alphabets[case % alphabets.len()];
            let len = (next(&mut state) % 80) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next(&mut state) % 32 {
                    0 => rare[(next(&mut state) % rare.len() as u64) as usize],
                    1 => next(&mut state) as u8,
                    r => alphabet[r as usize % alphabet.len()],
                })
                .collect();
            for start in [0, 1, len / 2] {
                agree(&bytes[start.min(len)..]);
                let rest = &bytes[start.min(len)..];
                assert_eq!(host_name_run(rest), host_name_by_bytes(rest), "{rest:?}");
                assert_eq!(digit_run(rest), digits_by_bytes(rest), "{rest:?}");
            }
        }
    }
}

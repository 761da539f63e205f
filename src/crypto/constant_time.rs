//! Comparing secrets without telling the attacker how much they got right.
//!
//! # The timing attack on MAC comparison
//!
//! A server checks a signed cookie `value/tag` by recomputing the tag of `value` and comparing.
//! With `==` on slices the comparison stops at the first byte that differs, so it takes a
//! little longer the more leading bytes of the guess are right. An attacker sends forged cookies
//! for the value they want, varying only the first character of the tag, and keeps the one
//! that answers slowest; then the second character, and so on. Each step tries 16 hex digits,
//! so the 64-character tag falls after about 64 × 16 guesses instead of 2^256. The difference
//! per byte is nanoseconds and the network adds far more noise, but noise averages out over
//! many requests: such attacks have been shown across local networks and against real
//! products.
//!
//! The cure is to make the time independent of *where* the inputs differ: look at every byte,
//! and only decide at the end.
//!
//! ```text
//! diff = 0
//! for each i:  diff = diff OR (a[i] XOR b[i])      // stays 0 only if every byte pair is equal
//! equal = (diff == 0)
//! ```
//!
//! # The length may leak
//!
//! [`constant_time_eq`] returns early when the lengths differ. That tells the attacker only
//! that their guess has the wrong length, and the length is no secret: an HMAC-SHA-256 tag in
//! hex is always 64 characters, as anyone who read Ktor's source (or one cookie) knows. What
//! must not leak is how many leading bytes matched, and for equal lengths nothing does.
//!
//! # The optimiser
//!
//! A compiler is free to notice that once `diff` has all bits set it can never change again
//! and to leave the loop early, which would bring back a data-dependent running time. Passing
//! the accumulator through [`std::hint::black_box`] in every step hides its value from the
//! optimiser, so it must run every step. The standard library documents `black_box` as a
//! best-effort hint, not a guarantee; dedicated crates (`subtle`, ring) use the same kind of
//! barrier, or assembly, and inspect the generated code. For a teaching server this is enough.
//!
//! Ktor compares session signatures with the JDK's `MessageDigest.isEqual`, which has been
//! constant-time in the same sense since 2009, after exactly this attack was reported.

use std::hint::black_box;

/// Whether `a` and `b` are equal, taking the same time for any two inputs of the same length,
/// wherever they differ. Use it for MACs, tokens and anything else an attacker may guess.
///
/// ```
/// use mini_ktor::crypto::constant_time_eq;
///
/// assert!(constant_time_eq(b"5bdcc146", b"5bdcc146"));
/// assert!(!constant_time_eq(b"5bdcc146", b"5bdcc147"));
/// ```
///
/// JDK: `java.security.MessageDigest.isEqual`
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    // Public information only: the lengths.
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        // Every step ORs in the differing bits of one pair; `black_box` keeps the compiler
        // from reasoning about `diff`, so it cannot stop once `diff` is non-zero.
        diff = black_box(diff | (x ^ y));
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    /// Equal inputs compare equal.
    #[test]
    fn equal() {
        assert!(constant_time_eq(b"a signature", b"a signature"));
    }

    /// A difference in the first byte is found.
    #[test]
    fn differs_at_first_byte() {
        assert!(!constant_time_eq(b"xbcdef", b"abcdef"));
    }

    /// A difference in the last byte is found, and a single flipped bit is enough.
    #[test]
    fn differs_at_last_byte() {
        assert!(!constant_time_eq(b"abcdef", b"abcdeg"));
        assert!(!constant_time_eq(&[0, 0, 0, 0x80], &[0, 0, 0, 0]));
    }

    /// A prefix is not equal to the longer input, in either order.
    #[test]
    fn different_lengths() {
        assert!(!constant_time_eq(b"abc", b"abcd"));
        assert!(!constant_time_eq(b"abcd", b"abc"));
        assert!(!constant_time_eq(b"", b"a"));
    }

    /// Two empty inputs are equal.
    #[test]
    fn empty() {
        assert!(constant_time_eq(b"", b""));
    }
}

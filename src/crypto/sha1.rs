//! SHA-1, needed only for the WebSocket handshake (RFC 3174, FIPS 180-4 §6.1).
//!
//! # Concept
//!
//! SHA-1 is SHA-256's older sibling: the same Merkle–Damgård shape, the same 64-byte blocks
//! and the same padding (see [`sha256`](mod@super::sha256) for both), but a 160-bit state of
//! five words, 80 simpler rounds, and a 20-byte digest.
//!
//! # Why a broken hash is still fine here
//!
//! SHA-1 is broken for **collisions**: in 2017 two different PDF files with the same SHA-1
//! were published ("SHAttered"), and by 2020 an attacker could choose both prefixes
//! ("SHA-1 is a Shambles"). Anything where a signature over one document must not be valid
//! for another (certificates, signed commits, session cookies) must not use it.
//!
//! The WebSocket handshake (RFC 6455 §4.2.2) uses it for something else. The server answers a
//! client's random `Sec-WebSocket-Key` with
//!
//! ```text
//! Sec-WebSocket-Accept = base64( SHA-1( key ‖ "258EAFA5-E914-47DA-95CA-C5AB0DC85B11" ) )
//! ```
//!
//! which only proves that the server read the request *as a WebSocket handshake*, so that a
//! plain HTTP server or a cache cannot be mistaken for a WebSocket endpoint. There is no secret
//! and nothing is signed: anybody can compute the answer, so finding collisions gains an
//! attacker nothing. The RFC fixes the algorithm, so a server has no choice anyway.
//!
//! # The algorithm (RFC 3174 §5–§6, FIPS 180-4 §6.1.2)
//!
//! ```text
//! schedule:  Wt = ROTL1(Wt-3 ⊕ Wt-8 ⊕ Wt-14 ⊕ Wt-16)            16 ≤ t ≤ 79
//! round t:   T = ROTL5(a) + ft(b,c,d) + e + Kt + Wt
//!            e = d;  d = c;  c = ROTL30(b);  b = a;  a = T
//!
//!   t        ft(x,y,z)                          Kt
//!   0–19     Ch     (x ∧ y) ∨ (¬x ∧ z)           5a827999  = ⌊2^30 · √2⌋
//!   20–39    Parity  x ⊕ y ⊕ z                   6ed9eba1  = ⌊2^30 · √3⌋
//!   40–59    Maj    (x ∧ y) ∨ (x ∧ z) ∨ (y ∧ z)  8f1bbcdc  = ⌊2^30 · √5⌋
//!   60–79    Parity  x ⊕ y ⊕ z                   ca62c1d6  = ⌊2^30 · √10⌋
//! ```
//!
//! The one-bit rotation in the schedule is the whole difference between SHA-1 and the
//! withdrawn SHA-0 of 1993; the NSA added it without explanation, and it made collisions
//! much harder to find (though, as above, not hard enough).
//!
//! # Decisions
//!
//! The buffering and the padding are shared with `Sha256`: both hashes are the same framing
//! (`Blocks`, in `blocks.rs`) around a different compression function, so this file holds
//! only what is SHA-1's own: the constants, the message schedule and the rounds. Speed is
//! irrelevant: a handshake hashes 60 bytes once.

use super::blocks::{BLOCK, Blocks};

/// The round constants, one per group of 20 rounds (RFC 3174 §5).
const K: [u32; 4] = [0x5a827999, 0x6ed9eba1, 0x8f1bbcdc, 0xca62c1d6];

/// The initial state `H0…H4` (RFC 3174 §6.1). Nothing up the sleeve here either: the bytes
/// `01 23 45 67 89 ab cd ef fe dc ba 98 76 54 32 10` as little-endian words (taken over from
/// MD4 and MD5), then `f0 e1 d2 c3`.
const H0: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/// A SHA-1 computation in progress: [`update`](Self::update) any number of times, then
/// [`finalize`](Self::finalize).
///
/// Do not use it to sign or to check integrity against an attacker; see the module docs.
///
/// JDK: `java.security.MessageDigest` (`SHA-1`)
#[derive(Clone, Debug)]
pub struct Sha1 {
    /// The blocks, their padding and the state (`blocks.rs`); this hash adds its compression
    /// function and initial state.
    blocks: Blocks<5>,
}

impl Default for Sha1 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha1 {
    /// A computation over the empty message so far.
    ///
    /// JDK: `java.security.MessageDigest.getInstance("SHA-1")`
    pub fn new() -> Self {
        Self {
            blocks: Blocks::new(H0, compress),
        }
    }

    /// Appends `data` to the message.
    ///
    /// JDK: `java.security.MessageDigest.update`
    pub fn update(&mut self, data: &[u8]) {
        self.blocks.update(data);
    }

    /// Pads the message (`0x80`, zeros, the 64-bit big-endian bit length, exactly as for
    /// SHA-256) and returns the 20-byte digest.
    ///
    /// JDK: `java.security.MessageDigest.digest`
    pub fn finalize(self) -> [u8; 20] {
        let mut digest = [0u8; 20];
        self.blocks.finalize_into(&mut digest);
        digest
    }
}

/// The SHA-1 digest of `data`, in one call.
///
/// ```
/// let digest = mini_ktor::crypto::sha1(b"abc");
/// assert_eq!(digest[..4], [0xa9, 0x99, 0x3e, 0x36]);
/// ```
///
/// Ktor: `io.ktor.util.sha1`
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(data);
    hasher.finalize()
}

/// Mixes one 64-byte block into the state (RFC 3174 §6.1, method 1).
fn compress(state: &mut [u32; 5], block: &[u8; BLOCK]) {
    // a. and b.: the sixteen big-endian words of the block, stretched to eighty.
    let mut w = [0u32; 80];
    for (word, bytes) in w.iter_mut().zip(block.as_chunks::<4>().0) {
        *word = u32::from_be_bytes(*bytes);
    }
    for t in 16..80 {
        w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
    }

    // c. and d.: eighty rounds over the five working variables.
    let [mut a, mut b, mut c, mut d, mut e] = *state;
    for (t, &w) in w.iter().enumerate() {
        let (f, k) = match t {
            0..20 => ((b & c) | (!b & d), K[0]),
            20..40 => (b ^ c ^ d, K[1]),
            40..60 => ((b & c) | (b & d) | (c & d), K[2]),
            _ => (b ^ c ^ d, K[3]),
        };
        let temp = a
            .rotate_left(5)
            .wrapping_add(f)
            .wrapping_add(e)
            .wrapping_add(k)
            .wrapping_add(w);
        e = d;
        d = c;
        c = b.rotate_left(30);
        b = a;
        a = temp;
    }

    // e.: add the result into the state.
    for (word, value) in state.iter_mut().zip([a, b, c, d, e]) {
        *word = word.wrapping_add(value);
    }
}

#[cfg(test)]
mod tests {
    use super::K;

    /// Each `K` is ⌊2^30 · √n⌋ for n = 2, 3, 5, 10, computed as the integer square root of
    /// n · 2^60.
    #[test]
    fn round_constants_are_square_roots() {
        for (n, k) in [2u64, 3, 5, 10].into_iter().zip(K) {
            assert_eq!((n << 60).isqrt() as u32, k, "square root of {n}");
        }
    }
}

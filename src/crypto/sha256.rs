//! SHA-256, the hash behind session-cookie signatures (FIPS 180-4).
//!
//! # Concept
//!
//! A hash function turns a message of any length into a fixed-size digest, here 32 bytes, such
//! that nobody can feasibly find two messages with the same digest, nor a message for a given
//! digest.
//! SHA-256 is a *Merkle–Damgård* construction: it keeps a 256-bit state (eight 32-bit words),
//! cuts the message into 64-byte blocks, and mixes each block into the state with a
//! *compression function*. The final state is the digest.
//!
//! ```text
//!  H(0) ──compress(block 1)──▶ H(1) ──compress(block 2)──▶ … ──compress(block N)──▶ H(N) = digest
//! ```
//!
//! # The three steps of FIPS 180-4
//!
//! 1. **Padding** (§5.1.1). The message is extended so that its length is a multiple of
//!    512 bits, in a way that encodes its original length, so that two messages never pad to
//!    the same blocks:
//!
//!    ```text
//!    message ‖ 1 ‖ 0…0 (k zero bits) ‖ ℓ as a 64-bit big-endian integer
//!    where ℓ is the message length in bits
//!    and   k is the smallest k ≥ 0 with ℓ + 1 + k ≡ 448 (mod 512)
//!    ```
//!
//!    With whole bytes, "1 then zeros" starts with the byte `0x80`. A message of 55 bytes
//!    still fits its padding in one block (55 + 1 + 8 = 64); one of 56 bytes needs a second
//!    block that holds only padding. The tests hash 55, 56, 63, 64 and 65 bytes for that reason.
//!
//! 2. **Message schedule** (§6.2.2 step 1). The block's sixteen big-endian words `W0…W15`
//!    are stretched to 64 words so that every message bit influences many rounds:
//!
//!    ```text
//!    Wt = σ1(Wt-2) + Wt-7 + σ0(Wt-15) + Wt-16      for 16 ≤ t ≤ 63   (additions mod 2^32)
//!    σ0(x) = ROTR7(x) ⊕ ROTR18(x) ⊕ SHR3(x)        σ1(x) = ROTR17(x) ⊕ ROTR19(x) ⊕ SHR10(x)
//!    ```
//!
//! 3. **Compression** (§6.2.2 steps 2 to 4). Eight working variables `a…h` start as the
//!    state; 64 rounds each mix in one schedule word `Wt` and one constant `Kt`; at the end the
//!    variables are added back into the state (this feed-forward makes the function one-way):
//!
//!    ```text
//!    T1 = h + Σ1(e) + Ch(e,f,g) + Kt + Wt        Ch(x,y,z)  = (x ∧ y) ⊕ (¬x ∧ z)
//!    T2 = Σ0(a) + Maj(a,b,c)                     Maj(x,y,z) = (x ∧ y) ⊕ (x ∧ z) ⊕ (y ∧ z)
//!    h = g; g = f; f = e; e = d + T1;            Σ0(x) = ROTR2(x) ⊕ ROTR13(x) ⊕ ROTR22(x)
//!    d = c; c = b; b = a; a = T1 + T2            Σ1(x) = ROTR6(x) ⊕ ROTR11(x) ⊕ ROTR25(x)
//!    ```
//!
//!    `Ch` ("choose") picks, bit by bit, `y` where `x` is 1 and `z` where it is 0; `Maj`
//!    ("majority") gives the bit that at least two inputs share.
//!
//! # Where the constants come from
//!
//! The initial state `H(0)` is the first 32 bits of the fractional parts of the square roots
//! of the first eight primes (§5.3.3), and the 64 round constants `K` the first 32 bits of the
//! fractional parts of the cube roots of the first 64 primes, 2 to 311 (§4.2.2). Such
//! "nothing-up-my-sleeve" numbers show the designers did not pick them to hide a weakness; a
//! unit test below recomputes both tables from the primes.
//!
//! # Decisions
//!
//! - **Streaming with a 64-byte buffer.** [`Sha256::update`] compresses whole blocks straight
//!   from the caller's slice and keeps only a partial block, so hashing a large body never
//!   copies it. One-shot [`sha256`] is a thin wrapper.
//! - **Plain code, no SIMD.** Production crates (`sha2`, ring) use the CPU's SHA extensions and
//!   reach several GB/s; this version favours a one-to-one match with the standard's
//!   pseudo-code. Signing a cookie hashes about a hundred bytes, so speed hardly matters here.
//! - **Whole bytes only.** FIPS 180-4 also defines messages of any bit length; HTTP has
//!   none, so the length is counted in bytes and multiplied by 8 at the end.

use super::blocks::{BLOCK, Blocks};

/// The round constants `K0…K63` (FIPS 180-4 §4.2.2): the first 32 bits of the fractional
/// parts of the cube roots of the first 64 primes. Eight to a row and without digit
/// separators, as the standard prints them, so the two can be compared line by line.
const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

/// The initial hash value `H(0)` (FIPS 180-4 §5.3.3): the first 32 bits of the fractional
/// parts of the square roots of the first eight primes.
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// A SHA-256 computation in progress: feed it bytes with [`update`](Self::update), any
/// number of times and in pieces of any size, then take the digest with
/// [`finalize`](Self::finalize).
///
/// ```
/// use mini_ktor::crypto::{Sha256, sha256};
///
/// let mut hasher = Sha256::new();
/// hasher.update(b"ab");
/// hasher.update(b"c");
/// assert_eq!(hasher.finalize(), sha256(b"abc"));
/// ```
///
/// JDK: `java.security.MessageDigest` (`SHA-256`)
#[derive(Clone, Debug)]
pub struct Sha256 {
    /// The blocks, their padding and the state (`blocks.rs`); this hash adds its compression
    /// function and initial state.
    blocks: Blocks<8>,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    /// A computation over the empty message so far.
    ///
    /// JDK: `java.security.MessageDigest.getInstance("SHA-256")`
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

    /// Pads the message, compresses the last block or two, and returns the 32-byte digest.
    ///
    /// JDK: `java.security.MessageDigest.digest`
    pub fn finalize(self) -> [u8; 32] {
        let mut digest = [0u8; 32];
        self.blocks.finalize_into(&mut digest);
        digest
    }
}

/// The SHA-256 digest of `data`, in one call.
///
/// ```
/// let digest = mini_ktor::crypto::sha256(b"abc");
/// assert_eq!(digest[..4], [0xba, 0x78, 0x16, 0xbf]);
/// ```
///
/// JDK: `java.security.MessageDigest.getInstance("SHA-256").digest(data)`
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(data);
    hasher.finalize()
}

/// Mixes one 64-byte block into the state: FIPS 180-4 §6.2.2, steps 1 to 4.
fn compress(state: &mut [u32; 8], block: &[u8; BLOCK]) {
    // Step 1: the message schedule. W0…W15 are the block's words, read big-endian as everywhere
    // in FIPS 180-4; the other 48 are derived from earlier ones.
    let mut w = [0u32; 64];
    for (word, bytes) in w.iter_mut().zip(block.as_chunks::<4>().0) {
        *word = u32::from_be_bytes(*bytes);
    }
    for t in 16..64 {
        w[t] = small_sigma1(w[t - 2])
            .wrapping_add(w[t - 7])
            .wrapping_add(small_sigma0(w[t - 15]))
            .wrapping_add(w[t - 16]);
    }

    // Step 2: the working variables start as the current state.
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;

    // Step 3: 64 rounds. All additions are modulo 2^32, hence `wrapping_add`.
    for (&k, &w) in K.iter().zip(&w) {
        let t1 = h
            .wrapping_add(big_sigma1(e))
            .wrapping_add(ch(e, f, g))
            .wrapping_add(k)
            .wrapping_add(w);
        let t2 = big_sigma0(a).wrapping_add(maj(a, b, c));
        h = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
    }

    // Step 4: add the result to the previous state (the Davies–Meyer feed-forward).
    for (word, value) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *word = word.wrapping_add(value);
    }
}

/// `Ch(x, y, z)`: for each bit, `y` where `x` is 1 and `z` where `x` is 0 (§4.1.2, 4.2).
fn ch(x: u32, y: u32, z: u32) -> u32 {
    (x & y) ^ (!x & z)
}

/// `Maj(x, y, z)`: for each bit, the value at least two of the three inputs have (§4.1.2, 4.3).
fn maj(x: u32, y: u32, z: u32) -> u32 {
    (x & y) ^ (x & z) ^ (y & z)
}

/// `Σ0(x)`, used on `a` in every round (§4.1.2, 4.4).
fn big_sigma0(x: u32) -> u32 {
    x.rotate_right(2) ^ x.rotate_right(13) ^ x.rotate_right(22)
}

/// `Σ1(x)`, used on `e` in every round (§4.1.2, 4.5).
fn big_sigma1(x: u32) -> u32 {
    x.rotate_right(6) ^ x.rotate_right(11) ^ x.rotate_right(25)
}

/// `σ0(x)`, used in the message schedule (§4.1.2, 4.6). The last term is a shift, not a
/// rotation: it throws bits away, so the schedule cannot be run backwards.
fn small_sigma0(x: u32) -> u32 {
    x.rotate_right(7) ^ x.rotate_right(18) ^ (x >> 3)
}

/// `σ1(x)`, used in the message schedule (§4.1.2, 4.7).
fn small_sigma1(x: u32) -> u32 {
    x.rotate_right(17) ^ x.rotate_right(19) ^ (x >> 10)
}

#[cfg(test)]
mod tests {
    use super::{H0, K};

    /// The first `n` primes, by trial division.
    fn primes(n: usize) -> Vec<u128> {
        (2u128..)
            .filter(|&p| (2..p).all(|d| p % d != 0))
            .take(n)
            .collect()
    }

    /// The largest `r` with `r³ ≤ n`, by binary search.
    fn integer_cube_root(n: u128) -> u128 {
        // n < 2^105 here, so the root is below 2^35; 2^40 cubed still fits in a u128.
        let (mut low, mut high) = (0u128, 1u128 << 40);
        while low + 1 < high {
            let middle = (low + high) / 2;
            if middle * middle * middle <= n {
                low = middle
            } else {
                high = middle
            }
        }
        low
    }

    /// `K` holds the first 32 fractional bits of ∛p for the first 64 primes: multiplying
    /// ∛p by 2^32 is taking the integer cube root of p·2^96, then only the low 32 bits are kept.
    #[test]
    fn round_constants_are_cube_roots_of_primes() {
        for (p, k) in primes(64).into_iter().zip(K) {
            assert_eq!(integer_cube_root(p << 96) as u32, k, "cube root of {p}");
        }
    }

    /// `H0` holds the first 32 fractional bits of √p for the first eight primes.
    #[test]
    fn initial_state_is_square_roots_of_primes() {
        for (p, h) in primes(8).into_iter().zip(H0) {
            assert_eq!((p << 64).isqrt() as u32, h, "square root of {p}");
        }
    }
}

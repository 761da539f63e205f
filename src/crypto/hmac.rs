//! HMAC-SHA-256, the signature on session cookies (RFC 2104, test vectors in RFC 4231).
//!
//! # Concept
//!
//! A *message authentication code* (MAC) is a short tag computed from a secret key and a
//! message. The server sends `value/tag` in a cookie; when the cookie comes back it recomputes
//! the tag of `value` and compares. A client without the key cannot produce the right tag
//! for a changed value, so it cannot forge a session. (It can still *read* the value: a MAC
//! signs, it does not encrypt.)
//!
//! # Why not simply `SHA-256(key ‖ message)`?
//!
//! Because of **length extension**. A SHA-256 digest is the hash's whole internal state after
//! the last block (see [`sha256`](mod@super::sha256)). An attacker who sees
//! `tag = SHA-256(key ‖ "user=alice")` can load `tag` as the state and go on hashing: without
//! knowing the key, only its length, they get a valid tag for
//! `key ‖ "user=alice" ‖ padding ‖ "&admin=true"`. (`message ‖ key` has other problems: a
//! collision in the message would carry over to the tag.) HMAC avoids both by hashing twice
//! with two keys derived from the secret: the attacker can extend the inner hash, but its
//! result is then hashed again under a key they do not know.
//!
//! # The construction (RFC 2104 §2)
//!
//! With `B` = 64, the block size of SHA-256 in bytes:
//!
//! ```text
//! K0   = key, zero-padded to B bytes          (a key longer than B is first replaced by H(key))
//! ipad = the byte 0x36 repeated B times
//! opad = the byte 0x5c repeated B times
//!
//! HMAC(key, text) = H( (K0 ⊕ opad) ‖ H( (K0 ⊕ ipad) ‖ text ) )
//! ```
//!
//! The pads turn one secret into two different keys, one per hash; their values only need to
//! differ (`0x36 ^ 0x5c = 0x6a` flips four of the eight bits of every byte). Each padded key
//! fills exactly one block, so the key is mixed into the state before any attacker-chosen
//! byte.
//!
//! # Decisions
//!
//! - **Keys longer than a block are hashed; short keys are padded with zeros**, as the RFC
//!   says. The RFC (§3) also advises keys of at least 32 bytes (the digest size) for
//!   HMAC-SHA-256: a session key should be [`random_bytes::<32>()`](super::random_bytes) or
//!   longer, never a password.
//! - **Both padded keys are hashed in [`HmacSha256::new`]**, so a cloned `HmacSha256` carries a
//!   key already "loaded": signing many cookies with one key can clone a prepared value
//!   instead of hashing the two key blocks each time.
//! - **The key is not wiped from memory afterwards.** Production libraries overwrite key
//!   material on drop; without volatile writes (unchecked code) Rust cannot promise the write
//!   survives optimisation, so this crate does not pretend to.
//! - **Comparing tags is someone else's job**: use
//!   [`constant_time_eq`](super::constant_time_eq), never `==`.

use super::blocks::BLOCK;
use super::sha256::Sha256;

/// The inner pad byte (RFC 2104 §2).
const IPAD: u8 = 0x36;

/// The outer pad byte (RFC 2104 §2).
const OPAD: u8 = 0x5c;

/// An HMAC-SHA-256 computation in progress: [`new`](Self::new) with the key,
/// [`update`](Self::update) with the message in any number of pieces, then
/// [`finalize`](Self::finalize).
///
/// ```
/// use mini_ktor::crypto::{HmacSha256, hmac_sha256};
///
/// let mut mac = HmacSha256::new(b"key");
/// mac.update(b"The quick brown fox ");
/// mac.update(b"jumps over the lazy dog");
/// assert_eq!(mac.finalize(), hmac_sha256(b"key", b"The quick brown fox jumps over the lazy dog"));
/// ```
///
/// JDK: `javax.crypto.Mac` (`HmacSHA256`)
#[derive(Clone)]
pub struct HmacSha256 {
    /// `H((K0 ⊕ ipad) ‖ …)`: fed the inner key block in `new`, then the message.
    inner: Sha256,
    /// `H((K0 ⊕ opad) ‖ …)`: fed the outer key block in `new`; gets the inner digest in
    /// `finalize`.
    outer: Sha256,
}

/// Shows no state: both hashers hold values derived from the key.
impl std::fmt::Debug for HmacSha256 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HmacSha256").finish_non_exhaustive()
    }
}

impl HmacSha256 {
    /// Prepares a MAC under `key`, which may have any length (RFC 2104 §2, steps 1, 2 and 5).
    ///
    /// JDK: `javax.crypto.Mac.getInstance("HmacSHA256")` then `Mac.init(SecretKeySpec(key, …))`
    pub fn new(key: &[u8]) -> Self {
        // Step 1: K0 is the key, or its digest when longer than a block, padded with zeros.
        let mut k0 = [0u8; BLOCK];
        if key.len() > BLOCK {
            k0[..32].copy_from_slice(&super::sha256(key));
        } else {
            k0[..key.len()].copy_from_slice(key);
        }
        // Steps 2 and 5: the two derived keys, each exactly one block long.
        let inner_key = k0.map(|byte| byte ^ IPAD);
        let outer_key = k0.map(|byte| byte ^ OPAD);

        let mut inner = Sha256::new();
        inner.update(&inner_key);
        let mut outer = Sha256::new();
        outer.update(&outer_key);
        Self { inner, outer }
    }

    /// Appends `data` to the message (step 3: it follows `K0 ⊕ ipad` in the inner hash).
    ///
    /// JDK: `javax.crypto.Mac.update`
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// Returns the 32-byte tag (steps 4, 6 and 7: finish the inner hash, feed it to the outer
    /// hash, finish that).
    ///
    /// JDK: `javax.crypto.Mac.doFinal`
    pub fn finalize(self) -> [u8; 32] {
        let inner_digest = self.inner.finalize();
        let mut outer = self.outer;
        outer.update(&inner_digest);
        outer.finalize()
    }
}

/// The HMAC-SHA-256 tag of `message` under `key`, in one call.
///
/// ```
/// use mini_ktor::crypto::{hex, hmac_sha256};
///
/// // RFC 4231, test case 2.
/// let tag = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
/// assert_eq!(hex::encode_lower(&tag), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
/// ```
///
/// JDK: `javax.crypto.Mac` (`HmacSHA256`) `.doFinal(message)`
pub fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new(key);
    mac.update(message);
    mac.finalize()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key of exactly one block is used as it is, not hashed: the result differs from the
    /// result under the hashed key.
    #[test]
    fn key_of_block_size_is_not_hashed() {
        let key = [0x42u8; BLOCK];
        let hashed = crate::crypto::sha256(&key);
        assert_ne!(hmac_sha256(&key, b"m"), hmac_sha256(&hashed, b"m"));
    }

    /// A key one byte longer than a block is replaced by its digest: both give the same tag.
    #[test]
    fn key_longer_than_block_is_hashed_first() {
        let key = [0x42u8; BLOCK + 1];
        let hashed = crate::crypto::sha256(&key);
        assert_eq!(hmac_sha256(&key, b"m"), hmac_sha256(&hashed, b"m"));
    }

    /// `Debug` does not print state derived from the key.
    #[test]
    fn debug_hides_the_key() {
        assert_eq!(format!("{:?}", HmacSha256::new(b"secret")), "HmacSha256 { .. }");
    }
}

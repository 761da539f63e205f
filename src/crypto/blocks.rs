//! The framing SHA-1 and SHA-256 share: a message cut into 64-byte blocks, then padded.
//!
//! Both hashes are Merkle–Damgård constructions (FIPS 180-4 §5): a fixed-size *state* is
//! mixed with one 512-bit block after another by a *compression function*, the only part in
//! which they differ. Everything around it is the same, and lives here:
//!
//! - **buffering**: bytes arrive in pieces of any size (`update`); whole blocks are compressed
//!   straight from the input, and a partial block waits in a 64-byte buffer for the next piece;
//! - **padding** (FIPS 180-4 §5.1.1): the byte `0x80`, zeros up to 56 bytes into a block, then
//!   the message length in bits as a 64-bit big-endian number, so the padded message ends on a
//!   block boundary and two messages of different lengths never pad to the same blocks;
//! - **the digest**: the final state, word by word, big-endian.
//!
//! Ktor: (no counterpart: the JDK's `MessageDigest` does this inside)

/// The block size in bytes: 512 bits.
pub(crate) const BLOCK: usize = 64;

/// A compression function over a state of `W` 32-bit words.
pub(crate) type Compress<const W: usize> = fn(&mut [u32; W], &[u8; BLOCK]);

/// The state of a hash of `W`-word state, and the part of the message not compressed yet.
#[derive(Clone, Debug)]
pub(crate) struct Blocks<const W: usize> {
    /// The chaining value: the initial state, changed by every compressed block, and the
    /// digest in the end.
    state: [u32; W],
    /// A block that is not complete yet; only `buffer[..buffered]` is meaningful.
    buffer: [u8; BLOCK],
    /// How many bytes of `buffer` are filled, always below 64 between calls.
    buffered: usize,
    /// Message bytes seen so far, for the length field of the padding. It wraps after 2^64
    /// bytes; FIPS 180-4 allows only messages below 2^64 *bits* anyway.
    length: u64,
    /// The hash's compression function.
    compress: Compress<W>,
}

impl<const W: usize> Blocks<W> {
    /// An empty message, starting from the state `initial`.
    pub(crate) const fn new(initial: [u32; W], compress: Compress<W>) -> Self {
        Blocks {
            state: initial,
            buffer: [0; BLOCK],
            buffered: 0,
            length: 0,
            compress,
        }
    }

    /// Appends `data` to the message, compressing every block it completes.
    pub(crate) fn update(&mut self, mut data: &[u8]) {
        self.length = self.length.wrapping_add(data.len() as u64);
        // First top up a partial block left by an earlier call.
        if self.buffered > 0 {
            let take = data.len().min(BLOCK - self.buffered);
            self.buffer[self.buffered..self.buffered + take].copy_from_slice(&data[..take]);
            self.buffered += take;
            data = &data[take..];
            if self.buffered < BLOCK {
                return;
            }
            (self.compress)(&mut self.state, &self.buffer);
            self.buffered = 0;
        }
        // Then whole blocks straight from `data`, and keep what is left for later.
        let (blocks, rest) = data.as_chunks::<BLOCK>();
        for block in blocks {
            (self.compress)(&mut self.state, block);
        }
        self.buffer[..rest.len()].copy_from_slice(rest);
        self.buffered = rest.len();
    }

    /// Pads the message, compresses the last block or two, and writes the final state into
    /// `digest`, which holds `4 * W` bytes.
    pub(crate) fn finalize_into(mut self, digest: &mut [u8]) {
        // The length in bits must be read before the padding itself is counted.
        let bit_length = self.length.wrapping_mul(8);
        // 0x80, then zeros up to 56 bytes into a block (448 bits), leaving 8 bytes for the
        // length. From r = length mod 64 we need (r + 1 + zeros) mod 64 = 56, so
        // zeros = (55 - r) mod 64.
        let zeros = (BLOCK + 55 - (self.length % BLOCK as u64) as usize) % BLOCK;
        let mut padding = [0u8; 1 + BLOCK];
        padding[0] = 0x80;
        self.update(&padding[..1 + zeros]);
        self.update(&bit_length.to_be_bytes());
        debug_assert_eq!(self.buffered, 0, "padding must end on a block boundary");
        debug_assert_eq!(digest.len(), 4 * W);
        for (bytes, word) in digest.as_chunks_mut::<4>().0.iter_mut().zip(self.state) {
            *bytes = word.to_be_bytes();
        }
    }
}

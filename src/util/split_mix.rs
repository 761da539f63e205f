//! SplitMix64: a tiny, well-mixed 64-bit generator for reproducible random test input (never
//! for anything secret: `crypto::random` is for that). Shared by the unit tests that compare a
//! fast scan with a plain loop on random bytes, so each starts from a fixed seed and a failure
//! can be replayed.
//!
//! Ktor: none (its tests use `kotlin.random.Random` with a seed).

/// The next number from `state`, which it advances.
pub(crate) fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

//! Randomized tests of the decoders that read untrusted text (base64 and hex): they never
//! panic, and whatever they accept is canonical. A fixed seed keeps any failure reproducible.

use mini_ktor::crypto::{base64, hex};

/// SplitMix64: a tiny, well-mixed 64-bit generator, enough for test input (never for keys).
struct Rng(u64);

impl Rng {
    /// The next 64 random bits.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be zero.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// `length` random bytes.
    fn bytes(&mut self, length: usize) -> Vec<u8> {
        (0..length).map(|_| self.next() as u8).collect()
    }
}

/// How many strings each test tries.
const ROUNDS: usize = 10_000;

/// Characters that are valid in some encodings, on boundaries, or not ASCII at all.
const CHARACTERS: &[char] = &[
    'A', 'Z', 'g', 'h', 'z', '0', '9', 'a', 'f', 'F', 'G', '+', '/', '-', '_', '=', ' ', '\n', '\0', 'é', '€',
];

/// A random string: half the time a valid encoding of random bytes with one to three edits,
/// otherwise characters drawn from [`CHARACTERS`]. The first kind reaches the success paths,
/// the second the error paths.
fn random_text(rng: &mut Rng, encode: fn(&[u8]) -> String) -> String {
    if rng.below(2) == 0 {
        let length = rng.below(24);
        let mut characters: Vec<char> = encode(&rng.bytes(length)).chars().collect();
        for _ in 0..rng.below(4) {
            let at = rng.below(characters.len() + 1);
            let character = CHARACTERS[rng.below(CHARACTERS.len())];
            match rng.below(3) {
                0 if at < characters.len() => characters[at] = character,
                1 if at < characters.len() => {
                    characters.remove(at);
                }
                _ => characters.insert(at, character),
            }
        }
        characters.into_iter().collect()
    } else {
        (0..rng.below(20))
            .map(|_| CHARACTERS[rng.below(CHARACTERS.len())])
            .collect()
    }
}

/// Runs `decode` on [`ROUNDS`] random strings; every accepted string must be exactly what
/// `encode` makes of its bytes (after `normalize`), and that must decode to the same bytes.
/// Returns how many strings were accepted.
fn check_decoder(
    seed: u64,
    encode: fn(&[u8]) -> String,
    decode: fn(&str) -> Result<Vec<u8>, mini_ktor::crypto::DecodeError>,
    normalize: fn(&str) -> String,
) -> usize {
    let mut rng = Rng(seed);
    let mut accepted = 0;
    for _ in 0..ROUNDS {
        let text = random_text(&mut rng, encode);
        if let Ok(bytes) = decode(&text) {
            accepted += 1;
            let canonical = encode(&bytes);
            assert_eq!(canonical, normalize(&text), "{text:?} is not canonical");
            assert_eq!(decode(&canonical), Ok(bytes), "{canonical:?} does not round-trip");
        }
    }
    accepted
}

/// Standard base64: no panic, and only the exact output of `encode` is accepted.
#[test]
fn base64_decode_random_strings() {
    let accepted = check_decoder(1, base64::encode, base64::decode, str::to_owned);
    assert!(
        accepted > ROUNDS / 10,
        "only {accepted} accepted: the generator misses the success path"
    );
}

/// URL-safe base64: no panic, and only the exact output of `encode_url` is accepted.
#[test]
fn base64_url_decode_random_strings() {
    let accepted = check_decoder(2, base64::encode_url, base64::decode_url, str::to_owned);
    assert!(
        accepted > ROUNDS / 10,
        "only {accepted} accepted: the generator misses the success path"
    );
}

/// Hex: no panic, and an accepted string is `encode_lower` of its bytes up to letter case.
#[test]
fn hex_decode_random_strings() {
    let accepted = check_decoder(3, hex::encode_lower, hex::decode, str::to_ascii_lowercase);
    assert!(
        accepted > ROUNDS / 10,
        "only {accepted} accepted: the generator misses the success path"
    );
}

/// Random bytes of every length up to 100 survive encode then decode in all three encodings.
#[test]
fn random_bytes_round_trip() {
    let mut rng = Rng(4);
    for _ in 0..ROUNDS {
        let length = rng.below(101);
        let bytes = rng.bytes(length);
        assert_eq!(base64::decode(&base64::encode(&bytes)).as_ref(), Ok(&bytes));
        assert_eq!(
            base64::decode_url(&base64::encode_url(&bytes)).as_ref(),
            Ok(&bytes)
        );
        assert_eq!(hex::decode(&hex::encode_lower(&bytes)).as_ref(), Ok(&bytes));
    }
}

//! SHA-256 against the examples of FIPS 180-4 and NIST, the padding boundaries, and split
//! feeding.

use mini_ktor::crypto::{Sha256, hex, sha256};

/// The digest of `data` in lowercase hex.
fn sha256_hex(data: &[u8]) -> String {
    hex::encode_lower(&sha256(data))
}

/// FIPS 180-4 example "abc": one block.
#[test]
fn fips_one_block_abc() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

/// FIPS 180-4 example of 448 bits: the padding no longer fits, so it takes two blocks.
#[test]
fn fips_448_bit_message() {
    assert_eq!(
        sha256_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
    );
}

/// NIST example of 896 bits ("abcdefghbcdefghi…nopqrstu"): two full blocks of message.
#[test]
fn nist_896_bit_message() {
    let message = b"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno\
                    ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    assert_eq!(message.len() * 8, 896);
    assert_eq!(
        sha256_hex(message),
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
    );
}

/// The empty message is one block of padding only.
#[test]
fn empty_message() {
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

/// NIST long message: one million times 'a', fed in pieces of 1000 bytes.
#[test]
fn one_million_a() {
    let mut hasher = Sha256::new();
    for _ in 0..1000 {
        hasher.update(&[b'a'; 1000]);
    }
    assert_eq!(
        hex::encode_lower(&hasher.finalize()),
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"
    );
}

/// One test per message length around the padding limits; expected values from Python's
/// `hashlib.sha256(b'a' * n)`.
macro_rules! padding_boundary {
    ($($name:ident: $doc:literal, $length:literal => $digest:literal;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(sha256_hex(&[b'a'; $length]), $digest);
        }
    )*};
}

padding_boundary! {
    padding_boundary_55_bytes: "55 bytes: 0x80 and the length still fit in the same block.",
        55 => "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318";
    padding_boundary_56_bytes: "56 bytes: the length no longer fits; a second block holds it.",
        56 => "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a";
    padding_boundary_63_bytes: "63 bytes: 0x80 is the last byte of the first block.",
        63 => "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34";
    padding_boundary_64_bytes: "64 bytes: exactly one block of message, one block of padding.",
        64 => "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb";
    padding_boundary_65_bytes: "65 bytes: one byte spills into the second block.",
        65 => "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0";
}

/// Feeding a message in pieces of odd sizes gives the one-shot digest.
#[test]
fn split_feeding_equals_one_shot() {
    let message: Vec<u8> = (0..1000u32).map(|i| (i * 7 + i / 13) as u8).collect();
    let expected = sha256(&message);
    for piece in [1, 3, 7, 13, 55, 63, 64, 65, 127, 129, 999] {
        let mut hasher = Sha256::new();
        for chunk in message.chunks(piece) {
            hasher.update(chunk);
        }
        assert_eq!(hasher.finalize(), expected, "pieces of {piece}");
    }
}

/// Cutting a 200-byte message in two at every position, and adding empty updates, gives the
/// one-shot digest.
#[test]
fn every_two_piece_split_equals_one_shot() {
    let message: Vec<u8> = (0..200u8).collect();
    let expected = sha256(&message);
    for at in 0..=message.len() {
        let mut hasher = Sha256::new();
        hasher.update(&message[..at]);
        hasher.update(&[]);
        hasher.update(&message[at..]);
        assert_eq!(hasher.finalize(), expected, "split at {at}");
    }
}

/// A clone taken mid-stream continues independently of the original.
#[test]
fn clone_continues_independently() {
    let mut hasher = Sha256::new();
    hasher.update(b"ab");
    let mut other = hasher.clone();
    hasher.update(b"c");
    other.update(b"d");
    assert_eq!(hasher.finalize(), sha256(b"abc"));
    assert_eq!(other.finalize(), sha256(b"abd"));
}

//! HMAC-SHA-256 against the seven test cases of RFC 4231 §4.

use mini_ktor::crypto::{HmacSha256, hex, hmac_sha256};

/// The tag of `message` under `key` in lowercase hex.
fn tag_hex(key: &[u8], message: &[u8]) -> String {
    hex::encode_lower(&hmac_sha256(key, message))
}

/// The 131-byte key of cases 6 and 7: longer than the 64-byte block, so it is hashed first.
const LONG_KEY: [u8; 131] = [0xaa; 131];

/// Case 1: a 20-byte key of 0x0b and "Hi There".
#[test]
fn rfc4231_case_1() {
    assert_eq!(
        tag_hex(&[0x0b; 20], b"Hi There"),
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
    );
}

/// Case 2: a key shorter than the digest, "Jefe".
#[test]
fn rfc4231_case_2() {
    assert_eq!(
        tag_hex(b"Jefe", b"what do ya want for nothing?"),
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    );
}

/// Case 3: key and data made of repeated bytes, 20-byte key of 0xaa, 50 bytes of 0xdd.
#[test]
fn rfc4231_case_3() {
    assert_eq!(
        tag_hex(&[0xaa; 20], &[0xdd; 50]),
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
    );
}

/// Case 4: the 25-byte key 0x01 0x02 … 0x19 and 50 bytes of 0xcd.
#[test]
fn rfc4231_case_4() {
    let key: Vec<u8> = (0x01..=0x19).collect();
    assert_eq!(
        tag_hex(&key, &[0xcd; 50]),
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
    );
}

/// Case 5: truncation; the RFC gives only the first 128 bits of the tag.
#[test]
fn rfc4231_case_5_truncated_to_128_bits() {
    let tag = hmac_sha256(&[0x0c; 20], b"Test With Truncation");
    assert_eq!(hex::encode_lower(&tag[..16]), "a3b6167473100ee06e0c796c2955552b");
}

/// Case 6: a 131-byte key, larger than the block size, with a short message.
#[test]
fn rfc4231_case_6_key_larger_than_block() {
    assert_eq!(
        tag_hex(
            &LONG_KEY,
            b"Test Using Larger Than Block-Size Key - Hash Key First"
        ),
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
    );
}

/// Case 7: a 131-byte key and a message longer than the block size.
#[test]
fn rfc4231_case_7_key_and_data_larger_than_block() {
    let message = b"This is a test using a larger than block-size key and a larger than \
                    block-size data. The key needs to be hashed before being used by the HMAC \
                    algorithm.";
    assert_eq!(
        tag_hex(&LONG_KEY, message),
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
    );
}

/// Streaming `HmacSha256` in pieces gives the one-shot tag of case 7.
#[test]
fn streaming_equals_one_shot() {
    let message = b"This is a test using a larger than block-size key and a larger than \
                    block-size data. The key needs to be hashed before being used by the HMAC \
                    algorithm.";
    for piece in [1, 5, 64, 100] {
        let mut mac = HmacSha256::new(&LONG_KEY);
        for chunk in message.chunks(piece) {
            mac.update(chunk);
        }
        assert_eq!(
            mac.finalize(),
            hmac_sha256(&LONG_KEY, message),
            "pieces of {piece}"
        );
    }
}

/// A prepared `HmacSha256` can be cloned to sign several messages under one key.
#[test]
fn cloned_mac_signs_independently() {
    let prepared = HmacSha256::new(b"Jefe");
    let mut first = prepared.clone();
    first.update(b"what do ya want for nothing?");
    let mut second = prepared;
    second.update(b"Hi There");
    assert_eq!(
        first.finalize(),
        hmac_sha256(b"Jefe", b"what do ya want for nothing?")
    );
    assert_eq!(second.finalize(), hmac_sha256(b"Jefe", b"Hi There"));
}

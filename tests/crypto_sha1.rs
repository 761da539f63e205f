//! SHA-1 against RFC 3174 §7.3, the empty message, and the WebSocket handshake example of
//! RFC 6455 §1.3.

use mini_ktor::crypto::{Sha1, base64, hex, sha1};

/// The digest of `data` in lowercase hex.
fn sha1_hex(data: &[u8]) -> String {
    hex::encode_lower(&sha1(data))
}

/// RFC 3174 TEST1: "abc".
#[test]
fn rfc3174_test1_abc() {
    assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
}

/// RFC 3174 TEST2: the 448-bit "abcdbcdecdef…nopq", whose padding takes a second block.
#[test]
fn rfc3174_test2_448_bits() {
    assert_eq!(
        sha1_hex(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
    );
}

/// RFC 3174 TEST3: one million times 'a', fed one byte at a time as the RFC's driver does.
#[test]
fn rfc3174_test3_one_million_a() {
    let mut hasher = Sha1::new();
    for _ in 0..1_000_000 {
        hasher.update(b"a");
    }
    assert_eq!(
        hex::encode_lower(&hasher.finalize()),
        "34aa973cd4c4daa4f61eeb2bdbad27316534016f"
    );
}

/// RFC 3174 TEST4: "01234567" 80 times (the RFC's 64-byte string, ten times).
#[test]
fn rfc3174_test4_01234567_80_times() {
    let mut hasher = Sha1::new();
    for _ in 0..10 {
        hasher.update(b"0123456701234567012345670123456701234567012345670123456701234567");
    }
    let expected = "dea356a2cddd90c7a7ecedc5ebb563934f460452";
    assert_eq!(hex::encode_lower(&hasher.finalize()), expected);
    assert_eq!(sha1_hex("01234567".repeat(80).as_bytes()), expected);
}

/// The empty message.
#[test]
fn empty_message() {
    assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
}

/// RFC 6455 §1.3: the key `dGhlIHNhbXBsZSBub25jZQ==` and the fixed GUID give the accept
/// value `s3pPLMBiTxaQ9kYGzzhZRbK+xOo=`.
#[test]
fn websocket_accept_key_rfc6455() {
    let key = "dGhlIHNhbXBsZSBub25jZQ==";
    let guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    let accept = base64::encode(&sha1(format!("{key}{guid}").as_bytes()));
    assert_eq!(accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

/// Feeding a message in pieces of odd sizes gives the one-shot digest.
#[test]
fn split_feeding_equals_one_shot() {
    let message: Vec<u8> = (0..500u32).map(|i| (i * 31 + 5) as u8).collect();
    let expected = sha1(&message);
    for piece in [1, 3, 7, 55, 56, 63, 64, 65, 130] {
        let mut hasher = Sha1::new();
        for chunk in message.chunks(piece) {
            hasher.update(chunk);
        }
        assert_eq!(hasher.finalize(), expected, "pieces of {piece}");
    }
}

//! Tests for the chunked decoder and encoder: table cases, limits, the
//! every-prefix property and split feeding.

use mini_ktor::http::{ChunkedDecoder, ChunkedStatus, Limits, encode_chunk, encode_last_chunk};

/// Decodes `input` in one call with the default limits.
fn decode_all(input: &[u8]) -> Result<(Vec<u8>, ChunkedStatus), u16> {
    decode_with(ChunkedDecoder::from_limits(&Limits::default()), input)
}

/// Decodes `input` in one call with `decoder`.
fn decode_with(mut decoder: ChunkedDecoder, input: &[u8]) -> Result<(Vec<u8>, ChunkedStatus), u16> {
    let mut out = Vec::new();
    match decoder.decode(input, &mut out) {
        Ok(status) => Ok((out, status)),
        Err(error) => Err(error.status.value),
    }
}

/// Each row: name, doc, input, decoded body, and how many trailing input
/// bytes must be left unconsumed.
macro_rules! decodes {
    ($($name:ident: $doc:literal, $input:expr => $body:expr, $left:expr;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            let (input, expected): (&[u8], &[u8]) = ($input, $body);
            let (body, status) = decode_all(input).expect("valid chunked body");
            assert_eq!(body, expected);
            assert_eq!(status, ChunkedStatus::Complete { consumed: input.len() - $left });
        }
    )*};
}

/// Each row: name, doc, decoder, input, and the status code of the error.
macro_rules! refuses {
    ($($name:ident: $doc:literal, $decoder:expr, $input:expr => $status:literal;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(decode_with($decoder, $input).map(|(_, s)| s), Err($status));
        }
    )*};
}

decodes! {
    one_chunk: "A single chunk and the last-chunk.",
        b"5\r\nhello\r\n0\r\n\r\n" => b"hello", 0;
    several_chunks: "Chunks are concatenated in order.",
        b"3\r\nabc\r\n2\r\nde\r\n1\r\nf\r\n0\r\n\r\n" => b"abcdef", 0;
    uppercase_hex: "HEXDIG accepts both cases.",
        b"A\r\n0123456789\r\na\r\n0123456789\r\n0\r\n\r\n" => b"01234567890123456789", 0;
    leading_zeros: "Sizes and the last-chunk may have leading zeros.",
        b"0005\r\nhello\r\n000\r\n\r\n" => b"hello", 0;
    empty_body: "Just the last-chunk is an empty body.",
        b"0\r\n\r\n" => b"", 0;
    extensions_skipped: "chunk-ext on data and last chunks is skipped.",
        b"5;name=value\r\nhello\r\n0;last\r\n\r\n" => b"hello", 0;
    quoted_extension: "A quoted extension value with spaces is skipped.",
        b"5;a=\"b c\";d\r\nhello\r\n0\r\n\r\n" => b"hello", 0;
    blank_before_extension: "BWS is allowed between the size and `;`.",
        b"5 \t;x\r\nhello\r\n0\r\n\r\n" => b"hello", 0;
    trailers_discarded: "Trailer fields are read and dropped.",
        b"2\r\nhi\r\n0\r\nX-Sum: abc\r\nEmpty:\r\n\r\n" => b"hi", 0;
    data_with_crlf: "CRLF inside chunk-data is just data.",
        b"4\r\n\r\n\r\n\r\n0\r\n\r\n" => b"\r\n\r\n", 0;
    next_request_left: "Bytes after the body are not consumed.",
        b"1\r\nx\r\n0\r\n\r\nGET / HTTP/1.1\r\n" => b"x", 16;
}

/// The default decoder.
fn default() -> ChunkedDecoder {
    ChunkedDecoder::from_limits(&Limits::default())
}

refuses! {
    missing_size: "A size line needs at least one digit.", default(), b"\r\n" => 400;
    non_hex_size: "The size is hex digits only.", default(), b"g\r\n" => 400;
    hex_prefix: "`0x` is not part of the grammar.", default(), b"0x5\r\nhello\r\n" => 400;
    signed_size: "A sign is not a digit.", default(), b"+5\r\nhello\r\n" => 400;
    size_overflow: "A size beyond u64 is refused, not wrapped.",
        default(), b"10000000000000000\r\n" => 400;
    blank_without_extension: "Whitespace after the size must lead to `;`.",
        default(), b"5 \r\nhello\r\n" => 400;
    bare_lf_after_size: "The size line must end in CRLF.", default(), b"5\nhello\r\n" => 400;
    bare_cr_after_size: "A CR must be followed by LF.", default(), b"5\rhello\r\n" => 400;
    data_too_long: "Data longer than its size is refused.",
        default(), b"5\r\nhello!\r\n0\r\n\r\n" => 400;
    data_cr_without_lf: "Chunk data must be followed by CRLF.",
        default(), b"5\r\nhello\rX" => 400;
    data_lf_only: "A bare LF after chunk data is refused.",
        default(), b"5\r\nhello\n0\r\n\r\n" => 400;
    ctl_in_extension: "Control bytes in an extension are refused.",
        default(), b"5;a\x01\r\nhello\r\n" => 400;
    trailer_obs_fold: "A folded trailer line is refused.",
        default(), b"0\r\nA: b\r\n c\r\n\r\n" => 400;
    trailer_without_colon: "A trailer line needs a colon.", default(), b"0\r\nAb\r\n\r\n" => 400;
    trailer_space_before_colon: "No whitespace between trailer name and colon.",
        default(), b"0\r\nA : b\r\n\r\n" => 400;
    trailer_nul: "NUL in a trailer value is refused.", default(), b"0\r\nA: \0\r\n\r\n" => 400;
    final_line_bare_lf: "The final empty line must be CRLF.", default(), b"0\r\n\n" => 400;
    size_line_too_long: "A size line over max_chunk_line is refused.",
        ChunkedDecoder::new(8, 1024), b"5;abcdefg\r\nhello\r\n" => 400;
    chunk_over_max_body: "A chunk larger than max_body is refused before its data.",
        ChunkedDecoder::new(128, 4), b"5\r\n" => 413;
    total_over_max_body: "Chunks adding up to more than max_body are refused.",
        ChunkedDecoder::new(128, 5), b"3\r\nabc\r\n3\r\n" => 413;
    huge_chunk: "The largest u64 size is refused by the body limit.",
        default(), b"ffffffffffffffff\r\n" => 413;
    trailer_too_large: "Trailers over max_head are refused with 431.",
        ChunkedDecoder::from_limits(&Limits { max_head: 8, ..Limits::default() }),
        b"0\r\nX-Long: 12345\r\n\r\n" => 431;
    too_many_trailers: "More trailer lines than max_headers are refused with 431.",
        ChunkedDecoder::from_limits(&Limits { max_headers: 2, ..Limits::default() }),
        b"0\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n" => 431;
    too_many_trailers_by_default: "The default limit is 100 trailer lines, as for a head.",
        default(), &[b"0\r\n".as_slice(), &b"A: 1\r\n".repeat(101), b"\r\n"].concat() => 431;
}

/// Exactly `max_headers` trailer lines are accepted.
#[test]
fn trailers_at_line_limit() {
    let decoder = ChunkedDecoder::from_limits(&Limits {
        max_headers: 2,
        ..Limits::default()
    });
    let result = decode_with(decoder, b"1\r\na\r\n0\r\nA: 1\r\nB: 2\r\n\r\n");
    assert_eq!(result.map(|(b, _)| b), Ok(b"a".to_vec()));
    let by_default = [b"0\r\n".as_slice(), &b"A: 1\r\n".repeat(100), b"\r\n"].concat();
    assert!(decode_all(&by_default).is_ok());
}

/// A size line exactly at max_chunk_line is accepted.
#[test]
fn size_line_at_limit() {
    let decoder = ChunkedDecoder::new(8, 1024);
    let result = decode_with(decoder, b"5;abcdef\r\nhello\r\n0\r\n\r\n");
    assert_eq!(result.map(|(b, _)| b), Ok(b"hello".to_vec()));
}

/// A body of exactly max_body bytes is accepted.
#[test]
fn body_at_limit() {
    let result = decode_with(ChunkedDecoder::new(128, 5), b"2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n");
    assert_eq!(result.map(|(b, _)| b), Ok(b"abcde".to_vec()));
}

/// After an error the decoder keeps refusing; after the end it takes nothing.
#[test]
fn sticky_error_and_done() {
    let mut out = Vec::new();
    let mut broken = default();
    assert!(broken.decode(b"z", &mut out).is_err());
    assert!(broken.decode(b"0\r\n\r\n", &mut out).is_err());
    let mut done = default();
    assert_eq!(
        done.decode(b"0\r\n\r\n", &mut out),
        Ok(ChunkedStatus::Complete { consumed: 5 })
    );
    assert!(done.is_complete());
    assert_eq!(
        done.decode(b"more", &mut out),
        Ok(ChunkedStatus::Complete { consumed: 0 })
    );
}

/// Valid bodies used by the prefix and split tests.
const BODIES: &[&[u8]] = &[
    b"5\r\nhello\r\n0\r\n\r\n",
    b"3;x=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n",
    b"0\r\n\r\n",
    b"1 ;a=\"q\"\r\n\n\r\n00\r\nA:\r\nB: c d\r\n\r\n",
];

/// Every strict prefix is Partial and consumed whole; the full body completes.
#[test]
fn every_prefix_is_partial() {
    for body in BODIES {
        for end in 0..body.len() {
            let result = decode_all(&body[..end]).map(|(_, s)| s);
            assert_eq!(
                result,
                Ok(ChunkedStatus::Partial { consumed: end }),
                "{body:?} at {end}"
            );
        }
        let result = decode_all(body).map(|(_, s)| s);
        assert_eq!(result, Ok(ChunkedStatus::Complete { consumed: body.len() }));
    }
}

/// Feeding in two pieces at every split point, or byte by byte, gives the
/// same output as one call.
#[test]
fn split_feeding_equals_one_shot() {
    for body in BODIES {
        let (expected, _) = decode_all(body).unwrap();
        for split in 0..body.len() {
            let mut decoder = default();
            let mut out = Vec::new();
            let first = decoder.decode(&body[..split], &mut out).unwrap();
            assert!(matches!(first, ChunkedStatus::Partial { consumed } if consumed == split));
            let second = decoder.decode(&body[split..], &mut out).unwrap();
            let rest = body.len() - split;
            assert_eq!(second, ChunkedStatus::Complete { consumed: rest });
            assert_eq!(out, expected);
        }
        let mut decoder = default();
        let mut out = Vec::new();
        for byte in body.chunks(1) {
            decoder.decode(byte, &mut out).unwrap();
        }
        assert!(decoder.is_complete());
        assert_eq!(out, expected);
    }
}

/// The encoder writes hex sizes, skips empty data and ends with `0\r\n\r\n`.
#[test]
fn encoder_output() {
    let mut out = Vec::new();
    encode_chunk(&mut out, b"hello");
    encode_chunk(&mut out, b"");
    encode_chunk(&mut out, &[b'x'; 255]);
    encode_last_chunk(&mut out);
    let mut expected = b"5\r\nhello\r\nff\r\n".to_vec();
    expected.extend_from_slice(&[b'x'; 255]);
    expected.extend_from_slice(b"\r\n0\r\n\r\n");
    assert_eq!(out, expected);
}

/// Encoding then decoding returns the original data.
#[test]
fn encode_decode_round_trip() {
    let data: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let mut wire = Vec::new();
    for piece in data.chunks(777) {
        encode_chunk(&mut wire, piece);
    }
    encode_last_chunk(&mut wire);
    let limits = Limits {
        max_body: 5000,
        ..Limits::default()
    };
    let (body, status) = decode_with(ChunkedDecoder::from_limits(&limits), &wire).unwrap();
    assert_eq!(body, data);
    assert_eq!(status, ChunkedStatus::Complete { consumed: wire.len() });
}

/// The default decoder, as the engine builds it with
/// `from_limits`, holds size lines to the README's 128 bytes: 128 pass, 129 are a 400.
#[test]
fn size_line_limit_by_default() {
    let line = |length: usize| {
        [
            b"5;".as_slice(),
            &b"a".repeat(length - 2),
            b"\r\nhello\r\n0\r\n\r\n",
        ]
        .concat()
    };
    assert_eq!(
        decode_all(&line(128)).map(|(body, _)| body),
        Ok(b"hello".to_vec())
    );
    assert_eq!(decode_all(&line(129)).map(|(_, status)| status), Err(400));
}

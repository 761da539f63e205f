//! Tests of the `FieldsSeen` bits a parsed head carries: they agree with a search by name,
//! and a head whose headers were pointed elsewhere does not trust them.

use super::*;
use crate::http::head::Field;

/// Parses `head`, which must be complete, and hands the result to `check`.
fn with_head(head: &str, check: impl FnOnce(RequestHead)) {
    let mut slots = [EMPTY_HEADER; 16];
    match parse_request(head.as_bytes(), &mut slots, &Limits::default()) {
        Ok(Status::Complete((parsed, _))) => check(parsed),
        other => panic!("{head:?} did not parse: {other:?}"),
    }
}

/// The fields `framing.rs` asks about, with the name it searches for.
const ASKED: [(Field, &str); 4] = [
    (Field::ContentLength, "content-length"),
    (Field::TransferEncoding, "transfer-encoding"),
    (Field::Expect, "expect"),
    (Field::Connection, "connection"),
];

/// A head may have a field exactly when a search by name finds it: the bits are never
/// missing a field (which would change an answer), and never set without one (which would
/// only cost a search).
#[test]
fn bits_match_a_search() {
    for fields in [
        "",
        "Content-Length: 5\r\n",
        "content-length: 5\r\nTRANSFER-ENCODING: chunked\r\n",
        "Expect: 100-continue\r\nConnection: close\r\n",
        "Content-Lengths: 5\r\nExpects: x\r\nConnectio: y\r\nTransfer-Encodin: z\r\n",
        "X-Content-Length: 5\r\nContent_Length: 5\r\nA: b\r\n",
        "connection:\r\ncOnNeCtIoN: keep-alive\r\n",
    ] {
        let head = format!("POST / HTTP/1.1\r\nHost: h\r\n{fields}\r\n");
        with_head(&head, |parsed| {
            for (field, name) in ASKED {
                let found = parsed.header(name).is_some();
                assert_eq!(parsed.may_have(field), found, "{field:?} in {fields:?}");
            }
        });
    }
}

/// A head whose `headers` was pointed elsewhere does not trust bits about the old ones.
#[test]
fn replaced_headers_are_searched() {
    let other = [Header {
        name: "Content-Length",
        value: b"3",
    }];
    let mut slots = [EMPTY_HEADER; 4];
    let input = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    let Ok(Status::Complete((mut parsed, _))) = parse_request(input, &mut slots, &Limits::default()) else {
        panic!("the head did not parse");
    };
    assert!(!parsed.may_have(Field::ContentLength));
    parsed.headers = &other;
    for (field, _) in ASKED {
        assert!(parsed.may_have(field), "{field:?}");
    }
    let framing = crate::http::request_body_framing(&parsed, &Limits::default());
    assert_eq!(framing, Ok(crate::http::BodyFraming::ContentLength(3)));
}

/// A prefix of the parser's headers starts at the same address and keeps its bits, which
/// still hold (it has no field the whole had not); any other part of them is searched.
#[test]
fn parts_of_the_headers() {
    let mut slots = [EMPTY_HEADER; 4];
    let input = b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\nA: b\r\n\r\n";
    let Ok(Status::Complete((parsed, _))) = parse_request(input, &mut slots, &Limits::default()) else {
        panic!("the head did not parse");
    };
    let prefix = RequestHead {
        headers: &parsed.headers[..1],
        ..parsed
    };
    assert!(!prefix.may_have(Field::ContentLength));
    assert!(prefix.may_have(Field::Connection));
    assert!(crate::http::keep_alive(&prefix));
    let tail = RequestHead {
        headers: &parsed.headers[1..],
        ..parsed
    };
    for (field, _) in ASKED {
        assert!(tail.may_have(field), "{field:?}");
    }
    assert!(!crate::http::keep_alive(&tail));
}

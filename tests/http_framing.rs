//! Table tests for body framing, keep-alive and `Expect: 100-continue`.

use mini_ktor::http::{
    BodyFraming, EMPTY_HEADER, Limits, RequestHead, Status, expects_continue, keep_alive, parse_request,
    request_body_framing,
};

/// Parses `version` plus `fields` (CRLF-separated field lines) as a POST
/// head and hands it to `check`.
fn with_head<R>(version: &str, fields: &str, check: impl FnOnce(&RequestHead) -> R) -> R {
    let host = if version == "1.1" { "Host: h\r\n" } else { "" };
    let input = format!("POST / HTTP/{version}\r\n{host}{fields}\r\n");
    let mut slots = [EMPTY_HEADER; 16];
    match parse_request(input.as_bytes(), &mut slots, &Limits::default()) {
        Ok(Status::Complete((head, _))) => check(&head),
        other => panic!("test head did not parse: {other:?}"),
    }
}

/// The framing of a head, with errors reduced to their status code.
fn framing(version: &str, fields: &str, max_body: u64) -> Result<BodyFraming, u16> {
    let limits = Limits {
        max_body,
        ..Limits::default()
    };
    with_head(version, fields, |head| {
        request_body_framing(head, &limits).map_err(|e| e.status.value)
    })
}

/// Each row: name, doc, version, field lines, and the expected result.
macro_rules! framing {
    ($($name:ident: $doc:literal, $version:literal, $fields:literal => $expected:expr;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(framing($version, $fields, 1000), $expected);
        }
    )*};
}

use BodyFraming::{Chunked, ContentLength};

framing! {
    no_framing_headers: "A request without framing headers has no body.", "1.1", "" => Ok(BodyFraming::None);
    content_length: "Content-Length gives the body size.", "1.1", "Content-Length: 5\r\n" => Ok(ContentLength(5));
    content_length_zero: "A zero length is reported as such.", "1.1", "Content-Length: 0\r\n" => Ok(ContentLength(0));
    content_length_http10: "HTTP/1.0 may use Content-Length.", "1.0", "Content-Length: 3\r\n" => Ok(ContentLength(3));
    content_length_repeated_equal: "Equal values on two lines are accepted.",
        "1.1", "Content-Length: 7\r\nContent-Length: 7\r\n" => Ok(ContentLength(7));
    content_length_list_equal: "An equal comma list is accepted.", "1.1", "Content-Length: 7, 7\r\n" => Ok(ContentLength(7));
    content_length_at_limit: "A body of exactly max_body is fine.", "1.1", "Content-Length: 1000\r\n" => Ok(ContentLength(1000));
    content_length_lines_differ: "Different values on two lines are refused.",
        "1.1", "Content-Length: 7\r\nContent-Length: 8\r\n" => Err(400);
    content_length_list_differs: "A comma list of different values is refused.", "1.1", "Content-Length: 7, 8\r\n" => Err(400);
    content_length_trailing_comma: "An empty list element is refused.", "1.1", "Content-Length: 7,\r\n" => Err(400);
    content_length_plus: "A sign is not a digit.", "1.1", "Content-Length: +5\r\n" => Err(400);
    content_length_negative: "A negative length is refused.", "1.1", "Content-Length: -1\r\n" => Err(400);
    content_length_hex: "Hex is not decimal.", "1.1", "Content-Length: 0x10\r\n" => Err(400);
    content_length_inner_space: "Digits with a space between are refused.", "1.1", "Content-Length: 1 2\r\n" => Err(400);
    content_length_empty: "An empty value is refused.", "1.1", "Content-Length:\r\n" => Err(400);
    content_length_overflow: "A value beyond u64 is refused.", "1.1", "Content-Length: 18446744073709551616\r\n" => Err(400);
    content_length_too_large: "A body over max_body gets 413.", "1.1", "Content-Length: 1001\r\n" => Err(413);
    content_length_u64_max: "The largest u64 gets 413, not 400.", "1.1", "Content-Length: 18446744073709551615\r\n" => Err(413);
    chunked: "Transfer-Encoding: chunked frames the body.", "1.1", "Transfer-Encoding: chunked\r\n" => Ok(Chunked);
    chunked_any_case: "Coding names are case-insensitive.", "1.1", "Transfer-Encoding: ChUnKeD\r\n" => Ok(Chunked);
    chunked_not_last: "chunked must be the final coding (400).", "1.1", "Transfer-Encoding: chunked, gzip\r\n" => Err(400);
    no_chunked: "A coding list without chunked cannot be framed (400).", "1.1", "Transfer-Encoding: gzip\r\n" => Err(400);
    chunked_twice: "chunked applied twice is refused.", "1.1", "Transfer-Encoding: chunked, chunked\r\n" => Err(400);
    chunked_with_parameter: "chunked defines no parameters (RFC 9112 §7.1): 400.", "1.1", "Transfer-Encoding: chunked;foo=bar\r\n" => Err(400);
    chunked_with_empty_parameter: "A bare semicolon after chunked is refused too.", "1.1", "Transfer-Encoding: gzip, chunked ;\r\n" => Err(400);
    other_coding_with_parameter: "Parameters on another coding leave it unsupported (501).", "1.1", "Transfer-Encoding: gzip;q=1, chunked\r\n" => Err(501);
    unknown_coding_before_chunked: "An unsupported coding before chunked gets 501.",
        "1.1", "Transfer-Encoding: gzip, chunked\r\n" => Err(501);
    codings_across_lines: "Codings on several lines form one list.",
        "1.1", "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n" => Err(501);
    identity_coding: "identity is no longer a transfer coding (501).", "1.1", "Transfer-Encoding: identity, chunked\r\n" => Err(501);
    empty_transfer_encoding: "An empty Transfer-Encoding has no final chunked.", "1.1", "Transfer-Encoding:\r\n" => Err(400);
    both_headers: "Transfer-Encoding with Content-Length is refused.",
        "1.1", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n" => Err(400);
    transfer_encoding_http10: "Transfer-Encoding in HTTP/1.0 is faulty framing.", "1.0", "Transfer-Encoding: chunked\r\n" => Err(400);
}

/// Each row: name, doc, version, field lines, and whether to keep the connection.
macro_rules! keep_alive {
    ($($name:ident: $doc:literal, $version:literal, $fields:literal => $keep:literal;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(with_head($version, $fields, keep_alive), $keep);
        }
    )*};
}

keep_alive! {
    http11_default: "HTTP/1.1 keeps the connection by default.", "1.1", "" => true;
    http10_default: "HTTP/1.0 closes by default.", "1.0", "" => false;
    http11_close: "close ends an HTTP/1.1 connection.", "1.1", "Connection: close\r\n" => false;
    http10_keep_alive: "keep-alive keeps an HTTP/1.0 connection.", "1.0", "Connection: keep-alive\r\n" => true;
    options_any_case: "Options are case-insensitive.", "1.0", "Connection: Keep-Alive\r\n" => true;
    close_in_list: "close is found inside a list.", "1.1", "Connection: upgrade, CLOSE\r\n" => false;
    close_wins: "close wins over keep-alive.", "1.0", "Connection: keep-alive\r\nConnection: close\r\n" => false;
    similar_token_ignored: "closed is not close.", "1.1", "Connection: closed\r\n" => true;
}

/// Each row: name, doc, version, field lines, and the expected result.
macro_rules! expect {
    ($($name:ident: $doc:literal, $version:literal, $fields:literal => $expected:expr;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            let result = with_head($version, $fields, |h| expects_continue(h).map_err(|e| e.status.value));
            assert_eq!(result, $expected);
        }
    )*};
}

expect! {
    no_expect: "Without Expect nothing is awaited.", "1.1", "" => Ok(false);
    continue_expected: "100-continue is recognised.", "1.1", "Expect: 100-continue\r\n" => Ok(true);
    continue_any_case: "The expectation is case-insensitive.", "1.1", "Expect: 100-Continue\r\n" => Ok(true);
    continue_ignored_in_http10: "HTTP/1.0 clients get no 100 (RFC 9110 10.1.1).", "1.0", "Expect: 100-continue\r\n" => Ok(false);
    unknown_expectation: "Any other expectation gets 417.", "1.1", "Expect: teapot\r\n" => Err(417);
    unknown_in_list: "One unknown member is enough for 417.", "1.1", "Expect: 100-continue, x\r\n" => Err(417);
    empty_expect: "An empty Expect expects nothing.", "1.1", "Expect:\r\n" => Ok(false);
}

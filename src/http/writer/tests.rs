//! Tests of `writer.rs`, kept apart so that the module reads as one concept.

use super::{DATE_FROM_END, DATE_LINE, DIGIT_PAIRS, OK_AND_DATE_LINES, ResponseFraming};
use super::{push_content_length, push_decimal, push_end, write_response_head, write_response_head_undated};
use crate::http::headers::{Headers, is_valid_header_name, is_valid_header_value};
use crate::http::status::HttpStatusCode;
use crate::http::syntax;

/// Decimal formatting at the edges of u64.
#[test]
fn decimal_digits() {
    for n in [0, 7, 10, 12_345, u64::MAX] {
        let mut out = Vec::new();
        push_decimal(&mut out, n);
        assert_eq!(out, n.to_string().as_bytes());
    }
}

/// The writer as it was before it was made fast, kept as the definition
/// of the output: every byte the fast writer produces must be the same.
/// Plain code on purpose: a straight loop, byte-by-byte checks, numbers
/// through `to_string`.
fn reference_head(
    out: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    body: ResponseFraming,
    close: bool,
    date: [u8; 29],
) {
    let status = match status.value {
        100..=599 => status,
        _ => HttpStatusCode::INTERNAL_SERVER_ERROR,
    };
    out.extend_from_slice(b"HTTP/1.1 ");
    out.extend_from_slice(status.value.to_string().as_bytes());
    out.push(b' ');
    if is_valid_header_value(status.description) {
        out.extend_from_slice(status.description.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    let handler_date = headers
        .iter()
        .any(|(name, value)| name.eq_ignore_ascii_case("date") && is_valid_header_value(value));
    if !handler_date {
        out.extend_from_slice(b"Date: ");
        out.extend_from_slice(&date);
        out.extend_from_slice(b"\r\n");
    }
    let mut said_close = false;
    for (name, value) in headers.iter() {
        let owned =
            name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("transfer-encoding");
        if owned || !is_valid_header_name(name) || !is_valid_header_value(value) {
            continue;
        }
        if name.eq_ignore_ascii_case("connection") {
            said_close |= syntax::list(value.as_bytes()).any(|o| o.eq_ignore_ascii_case(b"close"));
        }
        out.extend_from_slice(format!("{name}: {value}\r\n").as_bytes());
    }
    match body {
        ResponseFraming::Length(length) => {
            out.extend_from_slice(format!("Content-Length: {length}\r\n").as_bytes())
        }
        ResponseFraming::Chunked => out.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
        ResponseFraming::NoBody => {}
    }
    if close && !said_close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// A fixed date for comparisons, different from any handler's.
const DATE: [u8; 29] = *b"Tue, 29 Feb 2000 12:34:56 GMT";

/// xorshift64*: reproducible, and spread enough for test inputs.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Text of up to `max` chars, mostly from `common`, sometimes from `rare`.
    fn text(&mut self, max: usize, common: &str, rare: &str) -> &'static str {
        let common: Vec<char> = common.chars().collect();
        let rare: Vec<char> = rare.chars().collect();
        let len = self.below(max + 1);
        let odds = 1 + self.below(40);
        let text: String = (0..len)
            .map(|_| match self.below(odds) {
                0 => self.pick(&rare),
                _ => self.pick(&common),
            })
            .collect();
        text.leak()
    }
}

/// Letters and digits, and the characters a header may hold but a name may not.
const TCHARS: &str = "abcXYZ019-_.!#$%&'*+^`|~";
const BAD_FOR_NAMES: &str = " :;,/()<>@[]{}\"\t\r\n\x00\x1f\x7fü€";
const VALUE_CHARS: &str = "abc XYZ 019-_.,;=/:\"()";
const BAD_FOR_VALUES: &str = "\t\r\n\x00\x08\x1f\x7fü€";

/// A status: listed, unknown, out of range, or with a custom phrase.
fn random_status(random: &mut Random) -> HttpStatusCode {
    let listed = [100, 101, 200, 201, 204, 301, 304, 400, 404, 413, 431, 500, 505];
    match random.below(5) {
        0 | 1 => HttpStatusCode::from_value(random.pick(&listed)),
        2 => HttpStatusCode::from_value(random.below(1_100) as u16),
        3 => HttpStatusCode::new(random.next() as u16, "Custom"),
        _ => {
            let phrases = [
                "",
                "OK",
                "Ok",
                "OK ",
                "Not Found",
                "Created",
                "Unknown Status Code",
            ];
            let phrase = match random.below(3) {
                0 => random.text(40, VALUE_CHARS, BAD_FOR_VALUES),
                _ => random.pick(&phrases),
            };
            let value = match random.below(2) {
                0 => random.pick(&listed),
                _ => random.below(1_100) as u16,
            };
            HttpStatusCode::new(value, phrase)
        }
    }
}

/// Up to 8 header lines with names that the writer treats specially,
/// ordinary ones, invalid ones, and values of every kind.
fn random_headers(random: &mut Random) -> Headers {
    let special = [
        "Date",
        "date",
        "DATE",
        "Content-Length",
        "content-length",
        "Transfer-Encoding",
        "transfer-encoding",
        "Connection",
        "CONNECTION",
        "Set-Cookie",
        "Content-Type",
        "content-type",
        "CONTENT-TYPE",
        "Content-Typf",
        "Content-Type ",
        "Datf",
        "Connectioo",
        "Content-Lengths",
    ];
    let connection_values = [
        "close",
        "Close",
        "keep-alive, close",
        " close ",
        "closed",
        "upgrade",
        "x,,CLOSE",
        "\tclose",
        "clo\rse",
    ];
    let mut headers = Headers::new();
    for _ in 0..random.below(9) {
        let name = match random.below(3) {
            0 => random.pick(&special),
            _ => random.text(20, TCHARS, BAD_FOR_NAMES),
        };
        let value = match random.below(6) {
            0 if name.eq_ignore_ascii_case("date") => "Sun, 06 Nov 1994 08:49:37 GMT",
            1 if name.eq_ignore_ascii_case("connection") => random.pick(&connection_values),
            _ => random.text(48, VALUE_CHARS, BAD_FOR_VALUES),
        };
        headers.append(name, value);
    }
    headers
}

/// A framing choice, with lengths of every number of digits.
fn random_framing(random: &mut Random) -> ResponseFraming {
    match random.below(4) {
        0 => ResponseFraming::Chunked,
        1 => ResponseFraming::NoBody,
        _ => {
            let digits = random.below(21) as u32;
            let length = match digits {
                0 => 0,
                20 => u64::MAX - random.below(3) as u64,
                _ => random.next() % 10u64.pow(digits),
            };
            ResponseFraming::Length(length)
        }
    }
}

/// The fast writer and the reference agree on random responses: every
/// status kind, header sets with special, invalid and repeated names,
/// lengths of every size, with and without `close`, appended after
/// whatever the buffer held (fixed seed, so failures reproduce).
#[test]
fn matches_the_reference_on_random_responses() {
    let mut random = Random(0x5eed_c0ff_ee42_0f0f);
    for round in 0..20_000 {
        let status = random_status(&mut random);
        let headers = random_headers(&mut random);
        let framing = random_framing(&mut random);
        let close = random.below(2) == 0;
        let prefix = random.text(3, "xyz", "w");
        let mut fast = prefix.as_bytes().to_vec();
        write_with_fixed_date(&mut fast, status, &headers, framing, close);
        let mut slow = prefix.as_bytes().to_vec();
        reference_head(&mut slow, status, &headers, framing, close, DATE);
        assert_eq!(
            String::from_utf8_lossy(&fast),
            String::from_utf8_lossy(&slow),
            "round {round}: {status:?} {headers:?} {framing:?} close={close}"
        );
        assert_eq!(fast, slow, "round {round}");
    }
}

/// The public function, with the real clock, writes what the reference
/// writes with the date it read.
#[test]
fn public_function_matches_the_reference() {
    let mut headers = Headers::new();
    headers.append("Content-Type", "text/plain");
    for (status, framing, close) in [
        (HttpStatusCode::OK, ResponseFraming::Length(13), false),
        (HttpStatusCode::NOT_FOUND, ResponseFraming::Length(0), true),
        (HttpStatusCode::new(299, "Fine"), ResponseFraming::Chunked, false),
    ] {
        let mut fast = Vec::new();
        write_response_head(&mut fast, status, &headers, framing, close);
        let at = fast.windows(6).position(|w| w == b"Date: ").expect("a Date line") + 6;
        let date: [u8; 29] = fast[at..at + 29].try_into().expect("29 bytes");
        let mut slow = Vec::new();
        reference_head(&mut slow, status, &headers, framing, close, date);
        assert_eq!(fast, slow);
    }
}

/// [`write_response_head_undated`] with [`DATE`] put in its placeholder.
fn write_with_fixed_date(
    out: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    framing: ResponseFraming,
    close: bool,
) {
    if let Some(at) = write_response_head_undated(out, status, headers, framing, close) {
        out[at..at + 29].copy_from_slice(&DATE);
    }
}

/// The automatic Date's place is given only when the automatic Date is
/// written: not when a handler's Date is, but when the handler's Date is
/// invalid (and so dropped); it is where the placeholder's date lies.
#[test]
fn automatic_date_place_only_without_a_handler_date() {
    let mut headers = Headers::new();
    headers.append("date", "Sun, 06 Nov 1994 08:49:37 GMT");
    let mut out = Vec::new();
    let place = write_response_head_undated(
        &mut out,
        HttpStatusCode::OK,
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    assert_eq!(place, None);
    let mut headers = Headers::new();
    headers.append("Date", "now\r\n");
    let mut out = b"previous".to_vec();
    let place = write_response_head_undated(
        &mut out,
        HttpStatusCode::OK,
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    let at = place.expect("the automatic Date");
    assert_eq!(&out[at - 6..at + 29], b"Date: Thu, 01 Jan 1970 00:00:00 GMT");
}

/// Digit pairs, and Content-Length lines around every change in the
/// number of digits.
#[test]
fn content_length_lines() {
    for (n, pair) in DIGIT_PAIRS.iter().enumerate() {
        assert_eq!(pair, format!("{n:02}").as_bytes());
    }
    let mut lengths = vec![0, u64::MAX, u64::MAX - 1];
    for digits in 1..20 {
        let power = 10u64.pow(digits);
        lengths.extend([power - 1, power, power + 1]);
    }
    for n in lengths {
        let mut out = b"before".to_vec();
        push_content_length(&mut out, n);
        assert_eq!(out, format!("beforeContent-Length: {n}\r\n").as_bytes());
        let mut out = Vec::new();
        push_decimal(&mut out, n);
        assert_eq!(out, n.to_string().as_bytes());
    }
}

/// The fixed pieces are what they stand for: `200 OK`'s line and the `Date`
/// placeholder together, and the date's place at the same distance from the
/// end of both.
#[test]
fn fixed_pieces_match_their_parts() {
    let ok_line = crate::http::status::status_line(HttpStatusCode::OK).expect("200 is listed");
    assert_eq!(
        OK_AND_DATE_LINES[..],
        [ok_line.as_bytes(), &DATE_LINE[..]].concat()
    );
    for line in [&OK_AND_DATE_LINES[..], &DATE_LINE[..]] {
        let at = line.len() - DATE_FROM_END;
        assert_eq!(&line[at - 6..at], b"Date: ");
        assert_eq!(&line[at + 29..], b"\r\n");
    }
}

/// A handler's Date takes the automatic one's place wherever it is among
/// the headers, and the lines around it come out whole and in order.
#[test]
fn handler_date_replaces_the_placeholder() {
    for (status, date_at) in [
        (HttpStatusCode::OK, 0),
        (HttpStatusCode::NOT_FOUND, 1),
        (HttpStatusCode::OK, 2),
    ] {
        let mut headers = Headers::new();
        let names = ["X-First", "X-Second"];
        for (i, name) in names.iter().enumerate() {
            if i == date_at {
                headers.append("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
            }
            headers.append(*name, "v");
        }
        if date_at == names.len() {
            headers.append("Date", "Sun, 06 Nov 1994 08:49:37 GMT");
        }
        let mut out = b"previous response".to_vec();
        let place =
            write_response_head_undated(&mut out, status, &headers, ResponseFraming::Length(5), false);
        assert_eq!(place, None, "the handler's Date is used");
        let mut expected = b"previous response".to_vec();
        reference_head(
            &mut expected,
            status,
            &headers,
            ResponseFraming::Length(5),
            false,
            DATE,
        );
        assert_eq!(String::from_utf8_lossy(&out), String::from_utf8_lossy(&expected));
        assert_eq!(out.windows(5).filter(|w| w == b"Date:").count(), 1);
    }
}

/// The end of the head, for every framing, with and without the close
/// line: the fused fixed pieces below 100 and the general path agree with
/// the plain spelling.
#[test]
fn head_ends() {
    let mut lengths: Vec<u64> = (0..=120).collect();
    lengths.extend([999, 1000, u64::MAX]);
    let mut framings: Vec<ResponseFraming> = lengths.into_iter().map(ResponseFraming::Length).collect();
    framings.extend([ResponseFraming::Chunked, ResponseFraming::NoBody]);
    for framing in framings {
        for close_line in [false, true] {
            let mut out = b"x".to_vec();
            push_end(&mut out, framing, close_line);
            let framing_line = match framing {
                ResponseFraming::Length(n) => format!("Content-Length: {n}\r\n"),
                ResponseFraming::Chunked => "Transfer-Encoding: chunked\r\n".to_string(),
                ResponseFraming::NoBody => String::new(),
            };
            let close = if close_line { "Connection: close\r\n" } else { "" };
            assert_eq!(
                out,
                format!("x{framing_line}{close}\r\n").as_bytes(),
                "{framing:?} {close_line}"
            );
        }
    }
}

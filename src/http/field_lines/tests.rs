//! Tests of the field lines: the five names `field_named` knows, and the `Host` values
//! `host_value` checks while finding their end, against the general way. The grammar as a
//! whole is tested in `tests/http_parser.rs` and `tests/http_fuzz.rs`.

use super::*;
use crate::http::syntax::{self, TCHAR};
use crate::http::{EMPTY_HEADER, Limits, Status, parse_request};
use crate::util::split_mix::next;

/// The five names, and the field each one is.
const KNOWN: [(&str, Field); 5] = [
    ("host", Field::Host),
    ("expect", Field::Expect),
    ("connection", Field::Connection),
    ("content-length", Field::ContentLength),
    ("transfer-encoding", Field::TransferEncoding),
];

/// The plain reading: compare with each name, ignoring case, byte by byte.
fn named_plainly(name: &[u8]) -> Option<Field> {
    KNOWN
        .iter()
        .find(|(known, _)| name.eq_ignore_ascii_case(known.as_bytes()))
        .map(|&(_, field)| field)
}

/// Every byte a token may hold.
fn tchars() -> impl Iterator<Item = u8> {
    (0..=255u8).filter(|&b| syntax::is(b, TCHAR))
}

/// Each known name with every tchar at every position, so each word of the comparison
/// (and the overlap of the last one) meets every byte that could fool `| 0x20`.
#[test]
fn one_byte_changed_anywhere() {
    for (name, _) in KNOWN {
        for at in 0..name.len() {
            for b in tchars() {
                let mut changed = name.as_bytes().to_vec();
                changed[at] = b;
                assert_eq!(
                    field_named(&changed),
                    named_plainly(&changed),
                    "{:?}",
                    String::from_utf8_lossy(&changed)
                );
            }
        }
    }
}

/// Random tokens of every length up to 20, mostly made of the letters of the known names in
/// random case, so that many are near misses.
#[test]
fn random_tokens() {
    let letters = b"HOSTEXPCNIRLGAFDhostexpcnirlgafd-";
    let others: Vec<u8> = tchars().collect();
    let mut state = 0x0ddba11;
    for case in 0..200_000 {
        let len = case % 21;
        let name: Vec<u8> = (0..len)
            .map(|_| match next(&mut state) % 16 {
                0 => others[(next(&mut state) % others.len() as u64) as usize],
                r => letters[(r as usize * 7 + next(&mut state) as usize) % letters.len()],
            })
            .collect();
        assert_eq!(field_named(&name), named_plainly(&name), "{name:?}");
    }
    // And the names themselves, in random case.
    for _ in 0..1000 {
        for (name, field) in KNOWN {
            let cased: Vec<u8> = name
                .bytes()
                .map(|b| {
                    if next(&mut state) & 1 == 0 {
                        b.to_ascii_uppercase()
                    } else {
                        b
                    }
                })
                .collect();
            assert_eq!(field_named(&cased), Some(field), "{cased:?}");
        }
    }
}

/// What a head with one `Host` line holding `value` must give: 400 when the line holds a
/// byte no field value may hold or the value is not a valid Host, and otherwise the value
/// without its OWS. This is the general way, so the Host fast path must agree with it.
fn expected_host(value: &[u8]) -> Result<Vec<u8>, u16> {
    if value.iter().any(|&b| !syntax::is(b, syntax::FIELD)) {
        return Err(400);
    }
    let trimmed = syntax::trim_ows(value);
    if trimmed.is_empty() || crate::http::is_valid_host(trimmed) {
        Ok(trimmed.to_vec())
    } else {
        Err(400)
    }
}

/// Parses a head with a `Host` line holding `value`, written three ways: first and spelled
/// `Host:` (the first-line shortcut), first and spelled `host:`, and after another line (both
/// the general loop); all three must give the same, the Host value or the status.
fn parsed_host(value: &[u8]) -> Result<Vec<u8>, u16> {
    let ways: [(&[u8], usize); 3] = [(b"Host: ", 0), (b"host: ", 0), (b"A: b\r\nHost: ", 1)];
    let results: Vec<Result<Vec<u8>, u16>> = ways
        .iter()
        .map(|&(before, line)| {
            let mut input = b"GET / HTTP/1.1\r\n".to_vec();
            input.extend_from_slice(before);
            input.extend_from_slice(value);
            input.extend_from_slice(b"\r\n\r\n");
            let mut slots = [EMPTY_HEADER; 2];
            match parse_request(&input, &mut slots, &Limits::default()) {
                Ok(Status::Complete((head, _))) => Ok(head.headers[line].value.to_vec()),
                Ok(Status::Partial) => panic!("{value:?}: a complete head is partial"),
                Err(error) => Err(error.status.value),
            }
        })
        .collect();
    assert!(results.iter().all(|r| *r == results[0]), "{value:?}: {results:?}");
    results[0].clone()
}

/// Host values the fast path takes, and the ones it must leave to the general way.
#[test]
fn host_values_either_way() {
    for value in [
        "127.0.0.1:18099",
        "localhost:8080",
        "www.Example.com",
        "a",
        "a:1",
        "a:",
        ":80",
        "a:b",
        "a.b-c:007 ",
        "example.com\t",
        "ex ample.com",
        "a_b.example",
        "a%41b:80",
        "[::1]:443",
        "[::1",
        "",
        "  ",
        "a:80:90",
        "h\u{e9}te",
        "xn--bcher-kva.example:65535",
    ] {
        assert_eq!(
            parsed_host(value.as_bytes()),
            expected_host(value.as_bytes()),
            "{value:?}"
        );
    }
}

/// Random Host values, mostly plain host bytes with rare others of every kind, agree with
/// the general way; so does every prefix of a head with a plain Host, which is `Partial`.
#[test]
fn random_host_values() {
    let plain = b"0123456789.-abcXYZ:";
    let rare = b" \t\r\n\x00\x7f\x80\xff%_[]@/,";
    let mut state = 0x4057;
    for _ in 0..50_000 {
        let len = (next(&mut state) % 24) as usize;
        let value: Vec<u8> = (0..len)
            .map(|_| match next(&mut state) % 24 {
                0 => rare[(next(&mut state) % rare.len() as u64) as usize],
                r => plain[r as usize % plain.len()],
            })
            .collect();
        // A CR or LF in the value would end the line early: another head entirely.
        if value.contains(&b'\r') || value.contains(&b'\n') {
            continue;
        }
        assert_eq!(parsed_host(&value), expected_host(&value), "{value:?}");
    }
    let input = b"GET / HTTP/1.1\r\nHost: 127.0.0.1:18099\r\n\r\n";
    for end in 0..input.len() {
        let mut slots = [EMPTY_HEADER; 2];
        let result = parse_request(&input[..end], &mut slots, &Limits::default());
        assert!(matches!(result, Ok(Status::Partial)), "{end}: {result:?}");
    }
}

/// With no slots at all, a first `Host:` line is one field too many (431), as any other
/// line is; a second `Host` after a first is refused (400) either way it is spelled.
#[test]
fn first_host_line_and_the_rules_around_it() {
    let input = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
    let result = parse_request(input, &mut [], &Limits::default());
    assert_eq!(result.map_err(|e| e.status.value), Err(431));
    for second in ["Host: b", "HOST: b", "host:b"] {
        let input = format!("GET / HTTP/1.1\r\nHost: a\r\n{second}\r\n\r\n");
        let mut slots = [EMPTY_HEADER; 4];
        let result = parse_request(input.as_bytes(), &mut slots, &Limits::default());
        assert_eq!(result.map_err(|e| e.status.value), Err(400), "{second:?}");
    }
}

/// What follows a plain Host value decides: CRLF ends it, anything else goes the general
/// way, whose answers the plain value must not change.
#[test]
fn after_a_plain_host() {
    for (after, expected) in [
        (&b"\r\n\r\n"[..], Ok(true)),
        (b"\r", Ok(false)),
        (b"", Ok(false)),
        (b"\rX\r\n\r\n", Err(400)),
        (b"\n\r\n", Err(400)),
        (b" \r\n\r\n", Ok(true)),
        (b"\x00\r\n\r\n", Err(400)),
    ] {
        let mut input = b"GET / HTTP/1.1\r\nHost: a.example:80".to_vec();
        input.extend_from_slice(after);
        let mut slots = [EMPTY_HEADER; 2];
        let result = match parse_request(&input, &mut slots, &Limits::default()) {
            Ok(Status::Complete((head, _))) => {
                assert_eq!(head.headers[0].value, b"a.example:80");
                Ok(true)
            }
            Ok(Status::Partial) => Ok(false),
            Err(error) => Err(error.status.value),
        };
        assert_eq!(result, expected, "{after:?}");
    }
}

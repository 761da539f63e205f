//! Table-driven tests for `parse_request`: accepted heads, one rejection per
//! rule with its exact status, the limits, and the every-prefix property.

use mini_ktor::http::{EMPTY_HEADER, HttpVersion, Limits, Status, parse_request};

/// An owned copy of a parsed head, so tests can compare it freely.
#[derive(Debug, PartialEq)]
struct Parsed {
    method: String,
    target: String,
    version: HttpVersion,
    headers: Vec<(String, Vec<u8>)>,
    consumed: usize,
}

/// Parses `input`; `Ok(None)` means `Partial`, `Err` carries the status code.
fn parse(input: &[u8], limits: &Limits) -> Result<Option<Parsed>, u16> {
    let mut slots = [EMPTY_HEADER; 128];
    match parse_request(input, &mut slots, limits) {
        Ok(Status::Complete((head, consumed))) => Ok(Some(Parsed {
            method: head.method.to_owned(),
            target: head.target.to_owned(),
            version: head.version,
            headers: head
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect(),
            consumed,
        })),
        Ok(Status::Partial) => Ok(None),
        Err(error) => Err(error.status.value),
    }
}

/// Parses a head that must be complete under the default limits.
fn complete(input: &[u8]) -> Parsed {
    match parse(input, &Limits::default()) {
        Ok(Some(parsed)) => parsed,
        other => panic!(
            "expected Complete for {:?}, got {other:?}",
            String::from_utf8_lossy(input)
        ),
    }
}

/// Parses a head that must be refused; returns the status code.
fn refused(input: &[u8], limits: &Limits) -> u16 {
    match parse(input, limits) {
        Err(status) => status,
        other => panic!(
            "expected an error for {:?}, got {other:?}",
            String::from_utf8_lossy(input)
        ),
    }
}

/// Each row: a test name, its one-line doc, the input, and checks on `p`.
macro_rules! accept {
    ($($name:ident: $doc:literal, $input:expr => |$p:ident| $check:block)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            let input: &[u8] = $input;
            let $p = complete(input);
            $check
        }
    )*};
}

/// Each row: a test name, its one-line doc, the input, and the status.
macro_rules! reject {
    ($($name:ident: $doc:literal, $input:expr => $status:literal;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(refused($input, &Limits::default()), $status);
        }
    )*};
}

accept! {
    origin_form: "A plain GET with a Host is parsed into its parts.",
        b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n" => |p| {
        assert_eq!((p.method.as_str(), p.target.as_str()), ("GET", "/index.html"));
        assert_eq!(p.version, HttpVersion::Http11);
        assert_eq!(p.headers, [("Host".to_owned(), b"example.com".to_vec())]);
        assert_eq!(p.consumed, 47);
    }
    origin_form_with_query: "The query stays part of the raw target.",
        b"GET /search?q=a%20b&x HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!(p.target, "/search?q=a%20b&x");
    }
    absolute_form: "An http URI is accepted as target.",
        b"GET http://example.com:8080/a?b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n" => |p| {
        assert_eq!(p.target, "http://example.com:8080/a?b");
    }
    asterisk_form: "OPTIONS * asks about the server as a whole.",
        b"OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!((p.method.as_str(), p.target.as_str()), ("OPTIONS", "*"));
    }
    http10_without_host: "HTTP/1.0 predates Host, so it may be missing.",
        b"GET / HTTP/1.0\r\n\r\n" => |p| {
        assert_eq!(p.version, HttpVersion::Http10);
        assert!(p.headers.is_empty());
    }
    duplicates_kept_in_order: "Repeated fields are all kept, in arrival order.",
        b"GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nX: 1\r\naccept: b\r\n\r\n" => |p| {
        let accepts: Vec<&[u8]> = p.headers.iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("accept")).map(|(_, v)| v.as_slice()).collect();
        assert_eq!(accepts, [&b"a"[..], b"b"]);
        assert_eq!(p.headers[3].0, "accept");
    }
    ows_trimmed: "Spaces and tabs around a value are trimmed, inner ones kept.",
        b"GET / HTTP/1.1\r\nHost:h\r\nX: \t a \t b \t\r\n\r\n" => |p| {
        assert_eq!(p.headers[0].1, b"h");
        assert_eq!(p.headers[1].1, b"a \t b");
    }
    obs_text_kept: "Bytes 0x80 to 0xFF in a value are kept as they are.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: caf\xe9 \xff\r\n\r\n" => |p| {
        assert_eq!(p.headers[1].1, b"caf\xe9 \xff");
    }
    empty_value: "A field may have an empty value, with or without spaces.",
        b"GET / HTTP/1.1\r\nHost: h\r\nA:\r\nB:   \r\n\r\n" => |p| {
        assert_eq!(p.headers[1], ("A".to_owned(), vec![]));
        assert_eq!(p.headers[2], ("B".to_owned(), vec![]));
    }
    leading_empty_lines_skipped: "Stray CRLFs before the request line are skipped and counted.",
        b"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!(p.method, "GET");
        assert_eq!(p.consumed, 31);
    }
    body_not_consumed: "`consumed` stops at the end of the head; the body is left alone.",
        b"POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" => |p| {
        assert_eq!(p.consumed, 48);
    }
    empty_host_origin_form: "An empty Host is fine when the target has no authority.",
        b"GET / HTTP/1.1\r\nHost:\r\n\r\n" => |p| {
        assert_eq!(p.headers[0].1, b"");
    }
    empty_host_absolute_form: "With an absolute-form target, Host is ignored (RFC 9112 §3.2.2), empty or not.",
        b"GET http://a/ HTTP/1.1\r\nHost:\r\n\r\n" => |p| {
        assert_eq!(p.target, "http://a/");
    }
    host_ipv6_with_port: "An IPv6 literal with a port is a valid Host.",
        b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n" => |p| {
        assert_eq!(p.headers[0].1, b"[::1]:8080");
    }
    extension_method: "Any token is a method; the parser does not judge it.",
        b"M-SEARCH / HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!(p.method, "M-SEARCH");
    }
    lowercase_method_kept: "Methods are case-sensitive, so `get` is kept as sent.",
        b"get / HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!(p.method, "get");
    }
    raw_visible_punctuation_in_target: "Visible ASCII such as `|` and `{` passes the target check.",
        b"GET /a|b{c}?x=[1] HTTP/1.1\r\nHost: h\r\n\r\n" => |p| {
        assert_eq!(p.target, "/a|b{c}?x=[1]");
    }
}

reject! {
    bare_lf_after_request_line: "A request line ended by LF alone is refused.",
        b"GET / HTTP/1.1\nHost: h\r\n\r\n" => 400;
    bare_lf_after_field: "A field line ended by LF alone is refused.",
        b"GET / HTTP/1.1\r\nHost: h\n\r\n" => 400;
    bare_lf_final_line: "The empty line ending the head must be CRLF too.",
        b"GET / HTTP/1.1\r\nHost: h\r\n\n" => 400;
    bare_lf_leading_line: "A leading empty line must be CRLF.",
        b"\nGET / HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    bare_cr_in_request_line: "A CR not followed by LF is refused.",
        b"GET / HTTP/1.1\rHost: h\r\n\r\n" => 400;
    bare_cr_in_value: "A CR inside a value is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n" => 400;
    two_spaces_after_method: "Exactly one SP separates method and target.",
        b"GET  / HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    two_spaces_before_version: "Exactly one SP separates target and version.",
        b"GET /  HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    tab_separator: "HTAB is not a request-line separator.",
        b"GET\t/ HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    leading_space: "A request line cannot start with whitespace.",
        b" GET / HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    invalid_method_byte: "A method must be a token.",
        b"GE(T / HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    missing_version: "A request line without a version (HTTP/0.9 style) is refused.",
        b"GET /\r\nHost: h\r\n\r\n" => 400;
    lowercase_version: "HTTP-name is case-sensitive.",
        b"GET / http/1.1\r\nHost: h\r\n\r\n" => 400;
    version_two_digit_minor: "The minor version is a single digit.",
        b"GET / HTTP/1.10\r\nHost: h\r\n\r\n" => 400;
    text_after_version: "Nothing may follow the version on the request line.",
        b"GET / HTTP/1.1 \r\nHost: h\r\n\r\n" => 400;
    version_without_dot: "A version without its dot is malformed.",
        b"GET / HTTP/11\r\nHost: h\r\n\r\n" => 400;
    version_2_0: "A well-formed but unsupported version gets 505.",
        b"GET / HTTP/2.0\r\nHost: h\r\n\r\n" => 505;
    version_0_9: "HTTP/0.9 written as a version also gets 505.",
        b"GET / HTTP/0.9\r\n\r\n" => 505;
    version_1_2: "An unknown minor version gets 505.",
        b"GET / HTTP/1.2\r\nHost: h\r\n\r\n" => 505;
    ctl_in_target: "Control bytes are not allowed in the target.",
        b"GET /a\x01b HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    obs_text_in_target: "Non-ASCII bytes are not allowed in the target.",
        b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    asterisk_without_options: "The asterisk form is only for OPTIONS.",
        b"GET * HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    connect_not_implemented: "CONNECT (authority-form) is refused with 501.",
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n" => 501;
    authority_form_without_connect: "authority-form is only for CONNECT.",
        b"GET example.com:80 HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    absolute_form_other_scheme: "Only http and https absolute URIs are served.",
        b"GET ftp://example.com/ HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    absolute_form_userinfo: "userinfo in an absolute target is refused.",
        b"GET http://u:p@example.com/ HTTP/1.1\r\nHost: example.com\r\n\r\n" => 400;
    relative_target: "A relative path is none of the four forms.",
        b"GET a/b HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    obs_fold: "A continuation line (obs-fold) is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\r\n  b\r\n\r\n" => 400;
    whitespace_line_after_request_line: "Whitespace right after the request line is refused.",
        b"GET / HTTP/1.1\r\n Host: h\r\n\r\n" => 400;
    space_before_colon: "Whitespace between name and colon is refused (RFC 9112 5.1).",
        b"GET / HTTP/1.1\r\nHost : h\r\n\r\n" => 400;
    empty_field_name: "A field line needs a name.",
        b"GET / HTTP/1.1\r\nHost: h\r\n: x\r\n\r\n" => 400;
    invalid_name_byte: "A field name must be a token.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX(y): z\r\n\r\n" => 400;
    field_line_without_colon: "A field line without a colon is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n" => 400;
    nul_in_value: "NUL in a value is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\0b\r\n\r\n" => 400;
    del_in_value: "DEL in a value is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x7fb\r\n\r\n" => 400;
    vertical_tab_in_value: "CTLs other than HTAB in a value are refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: a\x0bb\r\n\r\n" => 400;
    missing_host: "An HTTP/1.1 request needs a Host.",
        b"GET / HTTP/1.1\r\nAccept: */*\r\n\r\n" => 400;
    two_hosts: "Two Host lines are refused.",
        b"GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n" => 400;
    two_hosts_http10: "Two Host lines are refused in HTTP/1.0 as well.",
        b"GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n" => 400;
    host_with_path: "A Host value cannot contain a path.",
        b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n" => 400;
    host_with_userinfo: "A Host value cannot contain userinfo.",
        b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n" => 400;
    host_with_empty_port: "A Host ending in a colon is refused.",
        b"GET / HTTP/1.1\r\nHost: a:\r\n\r\n" => 400;
    host_with_bad_port: "A port is digits only.",
        b"GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n" => 400;
}

/// A request line of the form `GET /aaa…a` with `n` bytes of target.
fn long_target(n: usize) -> Vec<u8> {
    let mut input = b"GET /".to_vec();
    input.resize(4 + n, b'a');
    input
}

/// A target exactly at `max_target` is fine.
#[test]
fn target_at_limit_accepted() {
    let limits = Limits {
        max_target: 16,
        ..Limits::default()
    };
    let mut input = long_target(16);
    input.extend_from_slice(b" HTTP/1.1\r\nHost: h\r\n\r\n");
    assert!(matches!(parse(&input, &limits), Ok(Some(_))));
}

/// One byte over `max_target` gives 414 before the line ends.
#[test]
fn target_too_long_detected_incrementally() {
    let limits = Limits {
        max_target: 16,
        ..Limits::default()
    };
    assert_eq!(parse(&long_target(16), &limits).ok(), Some(None));
    assert_eq!(refused(&long_target(17), &limits), 414);
}

/// A head over `max_head` gives 431 even though its end never arrived.
#[test]
fn head_too_large_detected_incrementally() {
    let limits = Limits {
        max_head: 64,
        ..Limits::default()
    };
    let mut input = b"GET / HTTP/1.1\r\nHost: h\r\nX: ".to_vec();
    input.resize(64, b'a');
    assert_eq!(parse(&input, &limits).ok(), Some(None));
    input.push(b'a');
    assert_eq!(refused(&input, &limits), 431);
}

/// The default limit on the head, 64 KiB (README): a head still incomplete at 65,536 bytes
/// may yet end, one byte more is 431.
#[test]
fn head_limit_by_default_is_64_kib() {
    let limits = Limits::default();
    assert_eq!(limits.max_head, 64 * 1024);
    let mut input = b"GET / HTTP/1.1\r\nHost: h\r\nX: ".to_vec();
    input.resize(64 * 1024, b'a');
    assert_eq!(parse(&input, &limits).ok(), Some(None));
    input.push(b'a');
    assert_eq!(refused(&input, &limits), 431);
}

/// A complete head of exactly `max_head` bytes is accepted.
#[test]
fn head_at_limit_accepted() {
    let input = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n";
    let limits = Limits {
        max_head: input.len(),
        ..Limits::default()
    };
    assert!(matches!(parse(input, &limits), Ok(Some(_))));
}

/// More field lines than `max_headers` gives 431.
#[test]
fn too_many_headers_by_limit() {
    let limits = Limits {
        max_headers: 3,
        ..Limits::default()
    };
    let ok = b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
    assert!(matches!(parse(ok, &limits), Ok(Some(_))));
    let over = b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\n";
    assert_eq!(refused(over, &limits), 431);
}

/// Fewer slots than `max_headers` lower the limit.
#[test]
fn too_many_headers_by_slots() {
    let mut slots = [EMPTY_HEADER; 2];
    let input = b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n";
    let error = parse_request(input, &mut slots, &Limits::default()).unwrap_err();
    assert_eq!(error.status.value, 431);
}

/// Heads used by the prefix tests; each is complete and valid.
const VALID: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    b"\r\nGET /a?b=c HTTP/1.1\r\nHost: example.com:80\r\nX:  v \t\r\nEmpty:\r\n\r\n",
    b"OPTIONS * HTTP/1.1\r\nHost: [::1]\r\n\r\n",
    b"POST http://a.example/x HTTP/1.1\r\nHost: a.example\r\nContent-Length: 0\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
];

/// Every strict prefix of a valid head is `Partial`; the whole is `Complete`.
#[test]
fn every_prefix_is_partial() {
    for input in VALID {
        for end in 0..input.len() {
            let result = parse(&input[..end], &Limits::default());
            assert!(
                matches!(result, Ok(None)),
                "prefix {end} of {input:?}: {result:?}"
            );
        }
        assert_eq!(complete(input).consumed, input.len());
    }
}

/// Appending one byte at a time, as slow reads would, completes exactly once
/// at the end of the head and leaves the body alone.
#[test]
fn byte_by_byte_reads() {
    for head in VALID {
        let mut stream = head.to_vec();
        stream.extend_from_slice(b"BODY");
        let mut buffer = Vec::new();
        let mut done_at = None;
        for &byte in &stream {
            buffer.push(byte);
            if let Ok(Some(parsed)) = parse(&buffer, &Limits::default()) {
                done_at = Some((buffer.len(), parsed.consumed));
                break;
            }
        }
        assert_eq!(done_at, Some((head.len(), head.len())));
    }
}

accept! {
    host_name_in_any_case: "Host is recognised whatever the case of its name.",
        b"GET / HTTP/1.1\r\nhOsT: h\r\n\r\n" => |p| {
        assert_eq!(p.headers, [("hOsT".to_owned(), b"h".to_vec())]);
    }
    names_after_a_value_that_is_not_utf8: "A Latin-1 value leaves the names around it intact.",
        b"GET / HTTP/1.1\r\nX: caf\xe9\r\nHost: h\r\nY-Z: \xff \r\n\r\n" => |p| {
        let names: Vec<&str> = p.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["X", "Host", "Y-Z"]);
        assert_eq!(p.headers[0].1, b"caf\xe9");
        assert_eq!(p.headers[2].1, b"\xff");
    }
    utf8_value_kept: "A UTF-8 value is kept as its bytes.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: caf\xc3\xa9\r\n\r\n" => |p| {
        assert_eq!(p.headers[1], ("X".to_owned(), "café".as_bytes().to_vec()));
    }
    names_with_every_tchar: "Digits and every tchar symbol are name bytes, across word boundaries.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX-B3-TraceId: 1\r\n!#$%&'*+.^_`|~09azAZ-: v\r\n\r\n" => |p| {
        assert_eq!(p.headers[1].0, "X-B3-TraceId");
        assert_eq!(p.headers[2], ("!#$%&'*+.^_`|~09azAZ-".to_owned(), b"v".to_vec()));
    }
    long_names_and_values: "Runs longer than a word, with OWS and empty values around them.",
        b"GET /a/b/c/d/e/f/g/h?i=j&k=l HTTP/1.1\r\nUpgrade-Insecure-Requests:\t 1 \t\r\nHost:   h  \r\nEmpty:    \r\nAccept-Language: en-US,en;q=0.5\r\n\r\n" => |p| {
        assert_eq!(p.target, "/a/b/c/d/e/f/g/h?i=j&k=l");
        let expected: [(&str, &[u8]); 4] = [
            ("Upgrade-Insecure-Requests", b"1"),
            ("Host", b"h"),
            ("Empty", b""),
            ("Accept-Language", b"en-US,en;q=0.5"),
        ];
        let got: Vec<(&str, &[u8])> = p.headers.iter().map(|(n, v)| (n.as_str(), v.as_slice())).collect();
        assert_eq!(got, expected);
    }
    other_methods: "Methods other than GET, of any length, are read up to their SP.",
        b"PROPFIND /x HTTP/1.0\r\n\r\n" => |p| {
        assert_eq!(p.method, "PROPFIND");
    }
}

reject! {
    host_like_name_is_not_host: "A name that only starts like Host does not count as one.",
        b"GET / HTTP/1.1\r\nHosts: h\r\nHos: h\r\n\r\n" => 400;
    three_hosts: "A third Host line is refused like a second.",
        b"GET / HTTP/1.0\r\nHost: a\r\nX: 1\r\nHOST: a\r\nhost: a\r\n\r\n" => 400;
    ctl_after_a_long_value: "A CTL after a word of value bytes is still found.",
        b"GET / HTTP/1.1\r\nHost: h\r\nX: abcdefghijklmnop\x01q\r\n\r\n" => 400;
    del_in_a_long_target: "DEL after a word of target bytes is still found.",
        b"GET /abcdefghijklmnop\x7fq HTTP/1.1\r\nHost: h\r\n\r\n" => 400;
    space_before_colon_after_a_long_name: "Whitespace before the colon of a long name is refused.",
        b"GET / HTTP/1.1\r\nHost: h\r\nAccept-Encoding-Extra : x\r\n\r\n" => 400;
}

/// A head that is UTF-8 as a whole hands out its values as text by slicing; one with a value
/// that is not UTF-8 has no text, and a header of another buffer is never read as one of its own.
#[test]
fn values_as_text_come_from_the_checked_head() {
    let limits = Limits::default();
    let input = b"GET / HTTP/1.1\r\nHost: a.example\r\nX-Name: J\xc3\xbcrgen \r\n\r\n";
    let mut slots = [EMPTY_HEADER; 8];
    let Ok(Status::Complete((head, _))) = parse_request(input, &mut slots, &limits) else {
        panic!("a valid head");
    };
    let texts: Vec<_> = head.headers.iter().map(|h| head.value_text(h)).collect();
    assert_eq!(texts, [Some("a.example"), Some("Jürgen")]);
    let other = mini_ktor::http::Header {
        name: "Host",
        value: b"a.example",
    };
    assert_eq!(head.value_text(&other), None, "same bytes, another buffer");

    let latin1 = b"GET / HTTP/1.1\r\nHost: a.example\r\nX-Name: J\xfcrgen\r\n\r\n";
    let mut slots = [EMPTY_HEADER; 8];
    let Ok(Status::Complete((head, _))) = parse_request(latin1, &mut slots, &limits) else {
        panic!("obs-text is allowed in values");
    };
    assert_eq!(head.text, None);
    assert_eq!(head.value_text(&head.headers[0]), None);
    assert_eq!(head.headers[1].value, b"J\xfcrgen");
}

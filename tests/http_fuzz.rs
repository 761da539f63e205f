//! Randomized corruption tests: valid messages are mutated many times with
//! a seeded generator, and the parsers must never panic, must always stop,
//! and must keep their invariants. Fixed seeds keep any failure reproducible.

use mini_ktor::http::{
    BodyFraming, ChunkedDecoder, ChunkedStatus, EMPTY_HEADER, Header, HttpVersion, Limits, RequestHead,
    Status, expects_continue, keep_alive, parse_request, request_body_framing,
};

/// SplitMix64: a tiny, well-mixed 64-bit generator, enough for test input.
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
}

/// Bytes that sit on grammar boundaries, more likely to find bugs than noise.
const INTERESTING: &[u8] = b"\r\n \t:;,=0aF\x00\x7f\x80\xff%/?*\"";

/// Applies one to four random edits: bit flips, insertions, deletions,
/// duplicated runs, truncation, and replacement by an interesting byte.
fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let len = bytes.len();
        let at = rng.below(len + 1);
        match rng.below(6) {
            0 if at < len => bytes[at] ^= 1 << rng.below(8),
            1 => {
                let byte = if rng.below(2) == 0 {
                    INTERESTING[rng.below(INTERESTING.len())]
                } else {
                    rng.next() as u8
                };
                bytes.insert(at, byte);
            }
            2 if at < len => {
                bytes.remove(at);
            }
            3 if at < len => {
                let end = (at + 1 + rng.below(16)).min(len);
                let run = bytes[at..end].to_vec();
                bytes.splice(at..at, run);
            }
            4 => bytes.truncate(at),
            5 if at < len => bytes[at] = INTERESTING[rng.below(INTERESTING.len())],
            _ => {}
        }
    }
    bytes
}

/// Valid request heads to start from (some with a body after them); the last
/// four carry the fields that framing, keep-alive and `Expect` are read from.
const REQUESTS: &[&[u8]] = &[
    b"GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    b"\r\nPOST /submit?a=1 HTTP/1.1\r\nHost: h:8080\r\nContent-Length: 3\r\nX:  v \r\n\r\nabc",
    b"OPTIONS * HTTP/1.1\r\nHost: [::1]\r\nAccept: */*\r\nAccept: text/html\r\n\r\n",
    b"GET http://a.example/p HTTP/1.1\r\nHost: a.example\r\nX-Bin: \x80\xff\r\nEmpty:\r\n\r\n",
    b"PUT /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /up HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\nExpect: 100-continue\r\n\
      Content-Length: 4, 4\r\n\r\nbody",
    b"PATCH /p HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
    b"PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: Chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
    b"DELETE /d HTTP/1.0\r\nConnection: Keep-Alive\r\nExpect: 100-continue\r\n\
      Content-Length: 2000000\r\n\r\n",
];

/// An owned copy of a head, for comparing two parses.
type Snapshot = (String, String, Vec<(String, Vec<u8>)>);

/// Parses `input`; `Ok(Some((snapshot, consumed)))` when complete. A complete
/// head is also asked what the engine asks of it (see [`ask_what_the_engine_asks`]).
fn parse(input: &[u8], limits: &Limits) -> Result<Option<(Snapshot, usize)>, u16> {
    let mut slots: [Header<'_>; 8] = [EMPTY_HEADER; 8];
    match parse_request(input, &mut slots, limits) {
        Ok(Status::Complete((head, consumed))) => {
            ask_what_the_engine_asks(&head, limits);
            let headers = head
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect();
            Ok(Some((
                (head.method.to_owned(), head.target.to_owned(), headers),
                consumed,
            )))
        }
        Ok(Status::Partial) => Ok(None),
        Err(error) => Err(error.status.value),
    }
}

/// The elements of every `name` field line, as `syntax::list` reads a `#rule` list: split at
/// commas, SP and HTAB trimmed, empty elements skipped.
fn list_elements<'b>(head: &RequestHead<'_, 'b>, name: &str) -> Vec<&'b [u8]> {
    let trim = |mut element: &'b [u8]| {
        while let [b' ' | b'\t', rest @ ..] = element {
            element = rest;
        }
        while let [rest @ .., b' ' | b'\t'] = element {
            element = rest;
        }
        element
    };
    let lines = head.headers.iter().filter(|h| h.name.eq_ignore_ascii_case(name));
    let elements = lines.flat_map(|h| h.value.split(|&b| b == b',').map(trim));
    elements.filter(|element| !element.is_empty()).collect()
}

/// Asks a complete head what the engine asks of every request: where its body ends
/// (`request_body_framing`), whether the connection stays open (`keep_alive`) and whether
/// the client waits for `100 Continue` (`expects_continue`). None may panic; an error carries
/// a status documented for it; and each answer is what a plain search of the field lines gives,
/// which also checks the parser's note of the fields it saw, used to skip searches.
fn ask_what_the_engine_asks(head: &RequestHead, limits: &Limits) {
    let has = |name: &str| head.headers.iter().any(|h| h.name.eq_ignore_ascii_case(name));
    let (has_te, has_cl) = (has("transfer-encoding"), has("content-length"));
    match request_body_framing(head, limits) {
        Ok(BodyFraming::None) => assert!(!has_te && !has_cl, "no body despite framing fields"),
        Ok(BodyFraming::ContentLength(length)) => {
            assert!(has_cl && !has_te, "a length without Content-Length alone");
            assert!(length <= limits.max_body, "{length} over the limit");
        }
        Ok(BodyFraming::Chunked) => {
            assert!(has_te && !has_cl, "chunked without Transfer-Encoding alone");
            assert_eq!(head.version, HttpVersion::Http11, "chunked in HTTP/1.0");
        }
        Err(error) => {
            assert!(
                has_te || has_cl,
                "a framing error without framing fields: {error}"
            );
            assert!([400, 413, 501].contains(&error.status.value), "{error}");
        }
    }

    let options = list_elements(head, "connection");
    let plain_keep_alive = if options.iter().any(|o| o.eq_ignore_ascii_case(b"close")) {
        false
    } else if options.iter().any(|o| o.eq_ignore_ascii_case(b"keep-alive")) {
        true
    } else {
        head.version == HttpVersion::Http11
    };
    let text = |elements: &[&[u8]]| -> Vec<String> {
        let text = |element: &&[u8]| String::from_utf8_lossy(element).into_owned();
        elements.iter().map(text).collect()
    };
    assert_eq!(
        keep_alive(head),
        plain_keep_alive,
        "Connection: {:?}",
        text(&options)
    );

    let expectations = list_elements(head, "expect");
    let unknown = |e: &&[u8]| !e.eq_ignore_ascii_case(b"100-continue");
    let plain_expects = if expectations.iter().any(unknown) {
        Err(417)
    } else {
        Ok(!expectations.is_empty() && head.version == HttpVersion::Http11)
    };
    let expects = expects_continue(head).map_err(|error| error.status.value);
    assert_eq!(expects, plain_expects, "Expect: {:?}", text(&expectations));
}

/// 10,000 corrupted heads: no panic; a complete head lies within the buffer,
/// parses identically on its own, and every shorter prefix of it is Partial;
/// a Partial buffer's prefixes are Partial too; the framing, keep-alive and
/// `Expect` answers of every complete head are sound.
#[test]
fn corrupted_requests() {
    let mut rng = Rng(0x5eed_0001);
    let tight = Limits {
        max_target: 16,
        max_head: 80,
        max_headers: 4,
        ..Limits::default()
    };
    for case in 0..10_000 {
        let input = mutate(&mut rng, REQUESTS[case % REQUESTS.len()]);
        let limits = if case % 3 == 0 {
            tight.clone()
        } else {
            Limits::default()
        };
        let prefix = rng.below(input.len() + 1);
        match parse(&input, &limits) {
            Ok(Some((head, consumed))) => {
                assert!(consumed <= input.len(), "case {case}");
                assert_eq!(
                    parse(&input[..consumed], &limits),
                    Ok(Some((head, consumed))),
                    "case {case}"
                );
                let short = prefix.min(consumed.saturating_sub(1));
                assert_eq!(
                    parse(&input[..short], &limits),
                    Ok(None),
                    "case {case} at {short}"
                );
            }
            Ok(None) => assert_eq!(parse(&input[..prefix], &limits), Ok(None), "case {case}"),
            Err(status) => assert!(
                [400, 414, 431, 501, 505].contains(&status),
                "case {case}: {status}"
            ),
        }
    }
}

/// A complete head read the plain way, as a check on the parser's own
/// slicing: skip leading CRLFs, split the request line at its two spaces,
/// then split each field line at its first colon and trim SP and HTAB off
/// the value. Only right for heads the parser accepted.
fn read_plainly(head: &[u8]) -> Snapshot {
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    let mut rest = head;
    while let Some(after) = rest.strip_prefix(b"\r\n") {
        rest = after;
    }
    // In an accepted head, every LF ends a CRLF.
    let mut lines = rest
        .split(|&b| b == b'\n')
        .map(|line| line.strip_suffix(b"\r").unwrap_or(line));
    let mut parts = lines.next().unwrap_or_default().split(|&b| b == b' ');
    let method = text(parts.next().unwrap_or_default());
    let target = text(parts.next().unwrap_or_default());
    let headers = lines
        .take_while(|line| !line.is_empty())
        .map(|line| {
            let colon = line.iter().position(|&b| b == b':').unwrap_or(line.len());
            let mut value = line.get(colon + 1..).unwrap_or_default();
            while let [b' ' | b'\t', rest @ ..] = value {
                value = rest;
            }
            while let [rest @ .., b' ' | b'\t'] = value {
                value = rest;
            }
            (text(&line[..colon]), value.to_vec())
        })
        .collect();
    (method, target, headers)
}

/// 10,000 corrupted heads: whenever one is accepted, its method, target,
/// names and values are what a plain reading of its lines gives.
#[test]
fn accepted_heads_read_like_their_lines() {
    let mut rng = Rng(0x5eed_0003);
    let mut accepted = 0;
    for case in 0..10_000 {
        let input = mutate(&mut rng, REQUESTS[case % REQUESTS.len()]);
        if let Ok(Some((head, consumed))) = parse(&input, &Limits::default()) {
            accepted += 1;
            assert_eq!(head, read_plainly(&input[..consumed]), "case {case}: {input:?}");
        }
    }
    assert!(accepted > 1_000, "only {accepted} accepted");
}

/// Valid chunked bodies to start from.
const BODIES: &[&[u8]] = &[
    b"5\r\nhello\r\n0\r\n\r\n",
    b"3;ext=\"q v\"\r\nabc\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nTrailer: x\r\n\r\n",
    b"0000\r\n\r\n",
    b"1 ;a\r\n\r\r\n2\r\n\r\n\r\n0;z\r\nA: b\r\nC:\r\n\r\nNEXT",
];

/// One decoding result: output, consumed bytes and completion, or an error.
type Outcome = Result<(Vec<u8>, usize, bool), (u16, &'static str)>;

/// Decodes `input` in one call.
fn one_shot(input: &[u8], limits: &Limits) -> Outcome {
    let mut out = Vec::new();
    match ChunkedDecoder::from_limits(limits).decode(input, &mut out) {
        Ok(ChunkedStatus::Complete { consumed }) => Ok((out, consumed, true)),
        Ok(ChunkedStatus::Partial { consumed }) => Ok((out, consumed, false)),
        Err(error) => Err((error.status.value, error.reason)),
    }
}

/// Decodes `input` in random pieces of 0 to 8 bytes.
fn in_pieces(rng: &mut Rng, input: &[u8], limits: &Limits) -> Outcome {
    let mut decoder = ChunkedDecoder::from_limits(limits);
    let (mut out, mut offset) = (Vec::new(), 0);
    while offset < input.len() {
        let end = (offset + rng.below(9)).min(input.len());
        match decoder.decode(&input[offset..end], &mut out) {
            Ok(ChunkedStatus::Complete { consumed }) => return Ok((out, offset + consumed, true)),
            Ok(ChunkedStatus::Partial { consumed }) => assert_eq!(consumed, end - offset),
            Err(error) => return Err((error.status.value, error.reason)),
        }
        offset = end;
    }
    Ok((out, offset, decoder.is_complete()))
}

/// 10,000 corrupted chunked bodies fed in random pieces: no panic, the same
/// outcome as a single call, and `consumed` within the input.
#[test]
fn corrupted_chunked_bodies() {
    let mut rng = Rng(0x5eed_0002);
    let limits = Limits {
        max_chunk_line: 32,
        max_body: 4096,
        max_head: 64,
        ..Limits::default()
    };
    for case in 0..10_000 {
        let input = mutate(&mut rng, BODIES[case % BODIES.len()]);
        let whole = one_shot(&input, &limits);
        if let Ok((_, consumed, _)) = &whole {
            assert!(*consumed <= input.len(), "case {case}");
        }
        assert_eq!(
            in_pieces(&mut rng, &input, &limits),
            whole,
            "case {case}: {input:?}"
        );
    }
}

//! How fast the request-head parser and the chunked decoder are, in ns per call and MB/s.
//!
//! ```sh
//! cargo bench --bench http_parser
//! ```
//!
//! Times on a shared machine wander; instruction counts do not. To count them, run fewer
//! iterations under callgrind and divide by the number of calls it reports:
//!
//! ```sh
//! cargo bench --bench http_parser --no-run     # prints the path of the binary
//! valgrind --tool=callgrind BINARY --iterations=10000
//! callgrind_annotate --inclusive=yes callgrind.out.* | grep parse_request
//! ```
//!
//! A std-only measurement (no criterion): each case runs a warm-up, then a fixed number of
//! iterations timed with `Instant`, and `black_box` keeps the compiler from skipping the work.
//! MB/s counts input bytes (the head for the parser, the decoded body for the decoder) in units
//! of 10^6 bytes per second. Each parse starts from fresh `[EMPTY_HEADER; 100]` slots, as the
//! engine's connection loop starts each head from fresh slots (128 of them), so the parser
//! figures include filling those 3.2 KB.

use std::hint::black_box;
use std::time::Instant;

use mini_ktor::http::{
    ChunkedDecoder, ChunkedStatus, EMPTY_HEADER, Limits, RequestHead, Status, expects_continue, keep_alive,
    parse_request, request_body_framing,
};

/// What wrk sends for the TechEmpower plaintext test: a request line and `Host`.
const WRK_PLAINTEXT: &[u8] = b"GET /plaintext HTTP/1.1\r\nHost: localhost:8080\r\n\r\n";

/// A page load as a desktop browser sends it: ten header lines.
const BROWSER_GET: &[u8] = b"GET /docs/routing.html?lang=en HTTP/1.1\r\n\
Host: www.example.com\r\n\
User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: en-US,en;q=0.5\r\n\
Accept-Encoding: gzip, deflate, br, zstd\r\n\
Referer: https://www.example.com/docs/\r\n\
Connection: keep-alive\r\n\
Cookie: session=4f2a9c1e7b3d8a6f; theme=dark; consent=1\r\n\
Upgrade-Insecure-Requests: 1\r\n\
Priority: u=0, i\r\n\
\r\n";

/// The head of a JSON POST from an API client; the body would follow.
const POST_HEAD: &[u8] = b"POST /api/v1/orders HTTP/1.1\r\n\
Host: api.example.com\r\n\
User-Agent: okhttp/4.12.0\r\n\
Accept: application/json\r\n\
Content-Type: application/json; charset=utf-8\r\n\
Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl\r\n\
Content-Length: 348\r\n\
\r\n";

/// One row of the table.
struct Row {
    name: &'static str,
    bytes: usize,
    ns: f64,
}

impl Row {
    fn print(&self) {
        let mb_per_s = self.bytes as f64 / self.ns * 1e3; // bytes/ns = 10^9 B/s = 10^3 MB/s
        println!(
            "{:<34} {:>8} {:>12.1} {:>10.0}",
            self.name, self.bytes, self.ns, mb_per_s
        );
    }
}

/// Nanoseconds per call of `call`, timed after a tenth as many calls that warm up the caches
/// and the branch predictor.
fn ns_per_call(iterations: u32, mut call: impl FnMut()) -> f64 {
    for _ in 0..iterations / 10 {
        call();
    }
    let start = Instant::now();
    for _ in 0..iterations {
        call();
    }
    start.elapsed().as_nanos() as f64 / iterations as f64
}

/// Nanoseconds per `parse_request` of `head`, which must be one complete head, followed by
/// `then`, which asks the parsed head what the engine would ask of it.
fn ns_per_parse(head: &[u8], iterations: u32, then: impl Fn(&RequestHead, &Limits) -> usize) -> f64 {
    let limits = Limits::default();
    ns_per_call(iterations, || {
        let mut slots = [EMPTY_HEADER; 100];
        let answer = match parse_request(black_box(head), &mut slots, &limits) {
            Ok(Status::Complete((parsed, consumed))) => consumed + then(&parsed, &limits),
            other => panic!("benchmark input is not a complete head: {other:?}"),
        };
        black_box(answer);
    })
}

/// The three questions the engine asks of every head: how the body is framed, whether the
/// client expects `100 Continue`, and whether the connection stays open.
fn framing_questions(parsed: &RequestHead, limits: &Limits) -> usize {
    let framing = request_body_framing(parsed, limits).is_ok();
    let expects = expects_continue(parsed).is_ok_and(|expects| expects);
    let keep = keep_alive(parsed);
    usize::from(framing) + usize::from(expects) + usize::from(keep)
}

/// A chunked body of `total` bytes in chunks of `chunk` bytes, and the body itself.
fn chunked_body(total: usize, chunk: usize) -> (Vec<u8>, Vec<u8>) {
    let body: Vec<u8> = (0..total).map(|i| b'a' + (i % 26) as u8).collect();
    let mut encoded = Vec::with_capacity(total + total / chunk * 10 + 5);
    for piece in body.chunks(chunk) {
        encoded.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        encoded.extend_from_slice(piece);
        encoded.extend_from_slice(b"\r\n");
    }
    encoded.extend_from_slice(b"0\r\n\r\n");
    (encoded, body)
}

/// Nanoseconds to decode `encoded` in one call, into a reused output buffer.
fn ns_per_decode(encoded: &[u8], body: &[u8], iterations: u32) -> f64 {
    let limits = Limits::default();
    let mut out = Vec::with_capacity(body.len());
    let decode = |out: &mut Vec<u8>| {
        out.clear();
        let mut decoder = ChunkedDecoder::from_limits(&limits);
        let status = decoder
            .decode(black_box(encoded), out)
            .expect("valid chunked body");
        assert_eq!(
            status,
            ChunkedStatus::Complete {
                consumed: encoded.len()
            }
        );
    };
    decode(&mut out);
    assert_eq!(out, body, "decoded body differs");
    ns_per_call(iterations, || {
        decode(&mut out);
        black_box(&out);
    })
}

fn main() {
    // `--iterations=N` runs N parses per case (and N / 50 decodes) instead of a million, for
    // counting instructions under callgrind (see the module docs).
    let parses = std::env::args()
        .find_map(|arg| arg.strip_prefix("--iterations=")?.parse().ok())
        .unwrap_or(1_000_000);
    println!(
        "{:<34} {:>8} {:>12} {:>10}",
        "case", "bytes", "ns per call", "MB/s"
    );
    for (name, head) in [
        ("parse_request, wrk plaintext GET", WRK_PLAINTEXT),
        ("parse_request, browser GET", BROWSER_GET),
        ("parse_request, POST head", POST_HEAD),
    ] {
        let ns = ns_per_parse(head, parses, |parsed, _| parsed.headers.len());
        let bytes = head.len();
        Row { name, bytes, ns }.print();
    }
    for (name, head) in [
        ("+ framing, wrk plaintext GET", WRK_PLAINTEXT),
        ("+ framing, browser GET", BROWSER_GET),
        ("+ framing, POST head", POST_HEAD),
    ] {
        let ns = ns_per_parse(head, parses, framing_questions);
        let bytes = head.len();
        Row { name, bytes, ns }.print();
    }

    let (encoded, body) = chunked_body(64 * 1024, 1024);
    let ns = ns_per_decode(&encoded, &body, (parses / 50).max(1));
    let bytes = body.len();
    let name = "ChunkedDecoder, 64 KiB in 1 KiB";
    Row { name, bytes, ns }.print();
}

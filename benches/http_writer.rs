//! How fast a response head is written, in ns per call and MB/s.
//!
//! ```sh
//! cargo bench --bench http_writer
//! ```
//!
//! A std-only measurement (no criterion), in the style of `benches/http_parser.rs`: each case
//! runs a warm-up, then a fixed number of iterations timed with `Instant`, and `black_box` keeps
//! the compiler from skipping the work. Every call appends to one reused `Vec`, cleared before
//! each call, as the engine reuses one output buffer per connection; so no call allocates. MB/s
//! counts the bytes of head written, in units of 10^6 bytes per second. The automatic `Date` is
//! part of every case, as it is of every real response: it costs a clock read per call and a
//! reformat once per second. The clock read alone (`SystemTime::now`, a vDSO call) took 30 to
//! 50 ns on the machine this was written on, more than half of the 404's time; callgrind, which
//! does not run the vDSO, counts it as a few dozen instructions.
//!
//! For instruction counts, run one case for a short while under callgrind, counting only the
//! writer (the number is an iteration count, the word picks the case by name):
//!
//! ```sh
//! valgrind --tool=callgrind --toggle-collect='mini_ktor::http::writer::write_response_head' \
//!     target/release/deps/http_writer-<hash> 10000 plaintext
//! ```
//!
//! and divide the instructions collected by the calls (the iterations, a tenth of them again
//! for the warm-up, and one).

use std::hint::black_box;
use std::time::Instant;

use mini_ktor::http::{Headers, HttpStatusCode, ResponseFraming, write_response_head};

/// One response to write.
struct Case {
    name: &'static str,
    status: HttpStatusCode,
    headers: Headers,
    framing: ResponseFraming,
    close: bool,
}

/// The TechEmpower plaintext answer: `200 OK`, `Content-Type: text/plain`, 13 bytes of body.
fn plaintext() -> Case {
    let mut headers = Headers::new();
    headers.append("Content-Type", "text/plain");
    Case {
        name: "200 plaintext, 1 header",
        status: HttpStatusCode::OK,
        headers,
        framing: ResponseFraming::Length(13),
        close: false,
    }
}

/// `respond_text`'s answer: its default `Content-Type` is 25 bytes, past the writer's two-word
/// check of short values.
fn text_with_charset() -> Case {
    let mut headers = Headers::new();
    headers.append("Content-Type", "text/plain; charset=UTF-8");
    Case {
        name: "200 text with charset, 1 header",
        status: HttpStatusCode::OK,
        headers,
        framing: ResponseFraming::Length(12),
        close: false,
    }
}

/// What the engine answers a call nobody handled: `404 Not Found`, no headers, no body.
fn not_found() -> Case {
    Case {
        name: "404, no headers",
        status: HttpStatusCode::NOT_FOUND,
        headers: Headers::new(),
        framing: ResponseFraming::Length(0),
        close: false,
    }
}

/// An API answer after a login: six headers, among them a `Set-Cookie` with attributes.
fn api_with_cookie() -> Case {
    let mut headers = Headers::new();
    headers.append("Content-Type", "application/json; charset=utf-8");
    headers.append("Cache-Control", "no-store");
    headers.append("Vary", "Accept-Encoding");
    headers.append("X-Request-Id", "6f1c2a9e-3b7d-4e58-a0c4-9d2e8f713b65");
    headers.append(
        "Set-Cookie",
        "SESSION=4f2a9c1e7b3d8a6f0e5d4c3b2a1f0e9d; Max-Age=3600; Path=/; HttpOnly; SameSite=Lax",
    );
    headers.append("Server", "mini-ktor");
    Case {
        name: "201 API, 6 headers incl. Set-Cookie",
        status: HttpStatusCode::CREATED,
        headers,
        framing: ResponseFraming::Length(348),
        close: false,
    }
}

/// Nanoseconds per `write_response_head` of `case`, and the bytes one call writes.
fn ns_per_write(case: &Case, iterations: u32) -> (f64, usize) {
    let mut out = Vec::with_capacity(1024);
    let write = |out: &mut Vec<u8>| {
        out.clear();
        write_response_head(
            out,
            black_box(case.status),
            black_box(&case.headers),
            black_box(case.framing),
            black_box(case.close),
        );
        black_box(&*out);
    };
    write(&mut out);
    let bytes = out.len();
    // Warm up caches, the branch predictor and the thread's date cache.
    for _ in 0..iterations / 10 {
        write(&mut out);
    }
    let start = Instant::now();
    for _ in 0..iterations {
        write(&mut out);
    }
    (start.elapsed().as_nanos() as f64 / iterations as f64, bytes)
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments are an iteration count and words that
    // pick the cases whose names contain them, so a profiler (e.g. callgrind) can run one case
    // for a short while.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let iterations = args.iter().find_map(|a| a.parse().ok()).unwrap_or(2_000_000);
    let filters: Vec<&String> = args.iter().filter(|a| a.parse::<u32>().is_err()).collect();
    println!(
        "{:<38} {:>8} {:>12} {:>10}",
        "case", "bytes", "ns per call", "MB/s"
    );
    for case in [plaintext(), text_with_charset(), not_found(), api_with_cookie()] {
        if !filters.is_empty() && !filters.iter().any(|f| case.name.contains(f.as_str())) {
            continue;
        }
        let (ns, bytes) = ns_per_write(&case, iterations);
        let mb_per_s = bytes as f64 / ns * 1e3; // bytes/ns = 10^9 B/s = 10^3 MB/s
        println!("{:<38} {:>8} {:>12.1} {:>10.0}", case.name, bytes, ns, mb_per_s);
    }
}

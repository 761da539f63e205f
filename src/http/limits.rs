//! The limits of request parsing, and the error that reports a refusal.
//!
//! # Concept
//!
//! A server reads bytes chosen by strangers. Without limits, one client can
//! make it buffer an endless header, an endless URI or an endless body, and
//! run it out of memory. [`Limits`] bounds each of these; the parsers check
//! them while reading, not after, so the memory a connection can pin is
//! bounded too.
//!
//! When input breaks a rule or a limit, the parsers return a [`ParseError`]:
//! the status code the server should answer with and a short reason. The
//! engine writes that status with `Connection: close` and closes, because
//! after a framing error it cannot know where the next request would start.
//!
//! | Status | Meaning here |
//! |---|---|
//! | 400 Bad Request | malformed syntax, ambiguous framing, bad Host |
//! | 413 Content Too Large | body over `max_body` |
//! | 414 URI Too Long | target over `max_target` |
//! | 408 Request Timeout | (made by the engine) a request that did not arrive in time |
//! | 417 Expectation Failed | an `Expect` other than `100-continue` |
//! | 431 Request Header Fields Too Large | head over `max_head` or `max_headers` |
//! | 501 Not Implemented | CONNECT, unknown transfer coding |
//! | 505 HTTP Version Not Supported | a version other than 1.0 and 1.1 |
//!
//! # Ktor counterpart
//!
//! Ktor CIO throws `io.ktor.http.cio.ParserException` and answers every
//! parse failure with a canned 400. Its only size limit is 8192 characters
//! per line (and 128 bytes per chunk-size line). Distinct status codes cost
//! nothing here and tell the client what to fix.
//!
//! RFC 9112 §3 (a target longer than the server wishes to parse MUST get 414), and the
//! statuses: RFC 9110 §15.5.14 (413), §15.5.15 (414), RFC 6585 §5 (431).

use super::status::HttpStatusCode;
use std::fmt;

/// Size limits that keep one client from exhausting the server's memory.
///
/// Ktor: none as one object; CIO hard-codes 8192 characters per line in
/// `HttpParser.kt` and 128 bytes per chunk-size line.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Longest request-target, in bytes (default 8 KiB); longer gives 414.
    ///
    /// Ktor: none of its own; CIO's `HTTP_LINE_LIMIT` (8192 characters, in
    /// `HttpParser.kt`) bounds the whole request line, target included.
    pub max_target: usize,
    /// Longest head, request line to final empty line included (default
    /// 64 KiB); longer gives 431. Also bounds a chunked body's trailer.
    ///
    /// Ktor: none; CIO bounds each line (`HTTP_LINE_LIMIT`), not the head.
    pub max_head: usize,
    /// Most field lines in a head (default 100); more gives 431. The number
    /// of slots passed to [`parse_request`](super::parse_request) lowers it
    /// further. Also bounds a chunked body's trailer.
    ///
    /// Ktor: none; CIO has no setting for the number of header lines.
    pub max_headers: usize,
    /// Largest body, after chunked decoding (default 1 MiB); larger gives 413.
    ///
    /// Ktor: `RequestBodyLimitConfig.bodyLimit`, of the `RequestBodyLimit`
    /// plugin (CIO itself sets none).
    pub max_body: u64,
    /// Longest chunk-size line, extensions included (default 128); longer
    /// gives 400.
    ///
    /// Ktor: CIO's `MAX_CHUNK_SIZE_LENGTH` (128, fixed, in
    /// `ChunkedTransferEncoding.kt`).
    pub max_chunk_line: usize,
}

/// 8 KiB target, 64 KiB head, 100 fields, 1 MiB body, 128-byte size lines:
/// generous for browsers and API clients, small enough that a thousand idle
/// connections cannot pin much memory.
///
/// Ktor: none; CIO's fixed 8192-character line limit plays this role.
impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_target: 8 * 1024,
            max_head: 64 * 1024,
            max_headers: 100,
            max_body: 1024 * 1024,
            max_chunk_line: 128,
        }
    }
}

/// Why a request was refused, and the status code to answer with.
///
/// Ktor: `io.ktor.http.cio.ParserException`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The status to send: 400, 413, 414, 417, 431, 501 or 505 from the parsers, or 408 from
    /// the engine when a request's head or body does not arrive within its time limit.
    ///
    /// Ktor: none; a `ParserException` has no status, and CIO answers every one with 400.
    pub status: HttpStatusCode,
    /// A short, fixed explanation, safe to show to the client.
    ///
    /// Ktor: `ParserException.message`.
    pub reason: &'static str,
}

impl ParseError {
    /// An error with the given status and reason.
    ///
    /// Ktor: `ParserException(message)`.
    pub const fn new(status: HttpStatusCode, reason: &'static str) -> ParseError {
        ParseError { status, reason }
    }

    /// A 400 Bad Request error, the answer to most malformed input.
    ///
    /// Ktor: `ParserException(message)`, which CIO answers with 400.
    pub const fn bad_request(reason: &'static str) -> ParseError {
        ParseError::new(HttpStatusCode::BAD_REQUEST, reason)
    }

    /// A 501 Not Implemented error.
    pub(crate) const fn not_implemented(reason: &'static str) -> ParseError {
        ParseError::new(HttpStatusCode::NOT_IMPLEMENTED, reason)
    }
}

/// Writes `"400 Bad Request: bare LF as line terminator"`.
///
/// Ktor: `ParserException.message`.
impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.reason)
    }
}

/// A `ParseError` is an ordinary error, so `?` can turn it into a boxed one.
///
/// Ktor: `ParserException`, an ordinary Kotlin exception.
impl std::error::Error for ParseError {}

//! The request-head parser: bytes in, a borrowed [`RequestHead`] out.
//!
//! # Concept
//!
//! Every request starts with a *head*: a request line, zero or more field
//! lines, and an empty line (RFC 9112 §2.1). A body may follow.
//!
//! ```text
//! HTTP-message   = start-line CRLF
//!                  *( field-line CRLF )
//!                  CRLF
//!                  [ message-body ]
//! ```
//!
//! [`parse_request`] looks at the bytes received so far and gives one of
//! three answers:
//!
//! - `Ok(Complete((head, consumed)))`: the head is the first `consumed` bytes;
//!   a body, if the framing headers announce one, starts right after.
//! - `Ok(Partial)`: nothing is wrong yet but the head is not all there. Read
//!   more bytes, append them, and call again with the whole buffer.
//! - `Err(ParseError)`: the head is malformed or too large; the error carries
//!   the status code to answer with before closing the connection.
//!
//! It is a pure function: no I/O, no allocation, no state kept between calls.
//! Method, target and header values borrow from the caller's buffer, and the
//! header slots are the caller's too, typically `[EMPTY_HEADER; 100]` on the
//! stack.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.HttpParser` (`parseRequest`) suspends on a
//! `ByteReadChannel`, reads one line at a time into a `CharArrayBuilder` and
//! records headers as offsets in an `HttpHeadersMap`. The shape here is
//! httparse's instead: a function over a byte slice that re-scans from the
//! start on every call. Re-scanning sounds wasteful, but heads are small,
//! usually arrive in a single read, and a parser without state has nothing to
//! get out of sync. `max_head` bounds the work per call.
//!
//! # Data flow
//!
//! ```text
//! socket ──read──▶ buffer ──parse_request──▶ Partial ─────────▶ read more, call again
//!                                      ├───▶ Complete(head, n) ─▶ framing; body at buffer[n..]
//!                                      └───▶ Err(e) ────────────▶ answer e.status, close
//! ```
//!
//! Inside, the head is read in order: empty lines skipped, the request line (`request_line.rs`),
//! the target's form (`target.rs`), the field lines (`field_lines.rs`), then `Host`
//! (`target.rs`). All of that can still be `Partial`; once the head is complete, it becomes
//! text (`head_text.rs`) and the `RequestHead` is built here.
//!
//! # Cost
//!
//! Every request of the server goes through here, so the work per byte is
//! kept low without giving up any of the strictness below:
//!
//! - The runs that make up most of a head (method, target, field names and
//!   values) are scanned eight bytes at a time (`scan.rs`).
//! - `Host` is noticed while its field line is read, not by comparing every
//!   name again afterwards; so are the names `framing.rs` looks for
//!   (`Content-Length`, `Transfer-Encoding`, `Expect`, `Connection`), which
//!   the head records (see `FieldsSeen` in `head.rs`) so that those
//!   functions skip their search when the field is absent.
//! - A plain `Host` value (a name or an IPv4 address, maybe a port) is
//!   checked while its end is found, in one walk, instead of being scanned as
//!   a value and then walked again by the Host check (`field_lines.rs`).
//! - The common cases are settled by comparing words: `GET ` and
//!   `HTTP/1.1` (`request_line.rs`), the five names above.
//! - Method, target and names must be `&str`, and each UTF-8 check has a
//!   fixed cost. So the first pass fills the slots with values only, and
//!   once the head is complete it is checked as UTF-8 in one call and each
//!   name is sliced out of it (see `head_text.rs`).
//!
//! # Decisions
//!
//! - **A bare LF is an error (400).** RFC 9112 §2.2 lets a recipient accept a
//!   lone LF as a line terminator, and Ktor CIO does. But when two HTTP
//!   processors on a path disagree about where a line ends, an attacker can
//!   hide a second request inside the first (request smuggling). Real clients
//!   send CRLF, so accepting only CRLF costs nothing. A bare CR (CR not
//!   followed by LF) is an error too, one of the two options §2.2 gives.
//! - **Empty lines before the request line are skipped**, as §2.2 recommends,
//!   because some clients send a stray CRLF after a body. They count towards
//!   `max_head`, so they cannot go on forever.
//! - **obs-fold and whitespace before the colon are errors (400)**: §5.2 lets
//!   a server reject folded lines, and §5.1 requires rejecting the latter
//!   (`field_lines.rs`).
//! - **Limits are checked as soon as the bytes seen prove them broken**: a
//!   target longer than `max_target` gives 414 before its end arrives; more
//!   field lines than slots, or a head longer than `max_head`, gives 431. A
//!   client that trickles an endless head gets an error, not `Partial`
//!   forever. Ktor CIO only limits each line, to 8192 characters.
//! - The request-target form, CONNECT and `Host` rules live in
//!   [`target`](super::target), which explains them.

use super::field_lines::{Fields, field_lines};
use super::head::FieldsSeen;
pub use super::head::{EMPTY_HEADER, Header, RequestHead, Status};
use super::head_text::{Text, name_fields};
pub use super::limits::{Limits, ParseError};
use super::request_line::{RequestLine, request_line};
use super::status::HttpStatusCode;
use super::target::{check_host, check_target};

/// Why a step of the parse stopped early: not enough bytes, or bad ones.
/// Internal helpers return `Result<T, Stop>` so `?` handles both.
pub(super) enum Stop {
    Incomplete,
    Invalid(ParseError),
}

impl From<ParseError> for Stop {
    fn from(error: ParseError) -> Stop {
        Stop::Invalid(error)
    }
}

pub(super) type Step<T> = Result<T, Stop>;

/// Shorthand for a 400 error inside a `Step`.
///
/// `#[cold]` tells the compiler that the branches leading here are rarely
/// taken, so it lays out and allocates registers for the path of a valid head
/// first; nothing else changes.
#[cold]
pub(super) fn bad<T>(reason: &'static str) -> Step<T> {
    Err(Stop::Invalid(ParseError::bad_request(reason)))
}

/// Parses a request head from the start of `buf` (see the module docs).
///
/// ```text
/// HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
/// ```
///
/// `consumed` counts every byte of the head, skipped leading empty lines and
/// the final empty line included. At most `min(limits.max_headers,
/// headers.len())` field lines fit; the head's `headers` is the filled prefix
/// of `headers`. Never panics, whatever the input.
///
/// Ktor: `io.ktor.http.cio.parseRequest`.
pub fn parse_request<'h, 'b>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
    limits: &Limits,
) -> Result<Status<(RequestHead<'h, 'b>, usize)>, ParseError> {
    // A valid head fits in `max_head` bytes, so only that window is parsed;
    // whatever lies beyond it cannot belong to a valid head.
    let window = &buf[..buf.len().min(limits.max_head)];
    let (line, fields) = match read_lines(window, headers, limits) {
        Ok(lines) => lines,
        Err(Stop::Invalid(error)) => return Err(error),
        // The window ran out, and the buffer holds more than the window:
        // the head is certainly too large.
        Err(Stop::Incomplete) if buf.len() > limits.max_head => {
            let status = HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
            return Err(ParseError::new(status, "request head too large"));
        }
        Err(Stop::Incomplete) => return Ok(Status::Partial),
    };
    // The head is complete and valid: now it can become text. (Built here
    // rather than in `read_lines`, the head is written once, straight into
    // the result, instead of into a `Step` first and then copied.)
    let text = Text::new(&window[..fields.end]);
    let headers = &mut headers[..fields.count];
    name_fields(&text, line.end, headers)?;
    let head = RequestHead {
        method: text.token(line.method)?,
        target: text.token(line.target)?,
        version: line.version,
        seen: FieldsSeen::new(fields.seen, headers),
        headers,
        text: text.as_str(),
    };
    Ok(Status::Complete((head, fields.end)))
}

/// Reads the lines of a head, all that can still be `Partial`: the request
/// line, the field lines into `headers`' slots, and the final empty line.
fn read_lines<'b>(
    buf: &'b [u8],
    headers: &mut [Header<'b>],
    limits: &Limits,
) -> Step<(RequestLine, Fields<'b>)> {
    let start = skip_empty_lines(buf)?;
    let line = request_line(buf, start, limits.max_target)?;
    // Checked before the field lines arrive, so a refused target is refused early.
    check_target(&buf[line.method.clone()], &buf[line.target.clone()])?;
    let slots = headers.len().min(limits.max_headers);
    let fields = field_lines(buf, line.end, &mut headers[..slots])?;
    check_host(line.version, &fields.hosts)?;
    Ok((line, fields))
}

/// RFC 9112 §2.2: "a server that is expecting to receive and parse a
/// request-line SHOULD ignore at least one empty line (CRLF) received prior
/// to the request-line." Returns where the request line starts.
#[inline(always)]
fn skip_empty_lines(buf: &[u8]) -> Step<usize> {
    let mut pos = 0;
    while let Some(b'\r' | b'\n') = buf.get(pos) {
        pos = buf.len() - after_crlf(&buf[pos..], "")?.len();
    }
    Ok(pos)
}

/// Expects CRLF at the start of `rest`; returns what follows it. `other` is
/// the error reason when the first byte is neither CR nor LF.
#[inline]
pub(super) fn after_crlf<'b>(rest: &'b [u8], other: &'static str) -> Step<&'b [u8]> {
    match rest {
        [b'\r', b'\n', after @ ..] => Ok(after),
        [] | [b'\r'] => Err(Stop::Incomplete),
        [b'\r', _, ..] => bad("bare CR not followed by LF"),
        [b'\n', ..] => bad("bare LF as line terminator"),
        [_, ..] => bad(other),
    }
}

#[cfg(test)]
mod tests;

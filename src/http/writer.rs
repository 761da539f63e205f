//! Serializing a response head (RFC 9112 §4, §6; RFC 9110 §6.6.1).
//!
//! # Concept
//!
//! The mirror image of the parser: a status line, field lines, an empty line.
//!
//! ```text
//! status-line = HTTP-version SP status-code SP [ reason-phrase ]
//! status-code = 3DIGIT
//! reason-phrase  = 1*( HTAB / SP / VCHAR / obs-text )
//! ```
//!
//! [`write_response_head`] appends all of it to a `Vec<u8>` that the engine
//! then writes to the socket, body after it. The field lines come out in this
//! order:
//!
//! ```text
//! HTTP/1.1 200 OK                   status line: always HTTP/1.1
//! Date: Sun, 06 Nov 1994 ...        automatic, unless the handler set one
//! X-Handler-Header: ...             the handler's headers, in order
//! Content-Length: 5                 framing, owned by the writer
//! Connection: close                 when the connection will close
//! (empty line)
//! ```
//!
//! # Decisions
//!
//! - **The version is always HTTP/1.1**, even to HTTP/1.0 clients: RFC 9110
//!   §6.2 says a server sends its highest conformant minor version. (The
//!   engine must then avoid chunked for 1.0 clients; it sends `NoBody` with
//!   `close = true` and ends the body by closing, RFC 9112 §6.3 rule 8. To
//!   keep a 1.0 connection open it adds `Connection: keep-alive` itself.)
//! - **Framing headers belong to the writer.** `Content-Length` and
//!   `Transfer-Encoding` set by a handler are skipped: the engine knows how
//!   it will actually send the body, and a second, disagreeing value would
//!   be the response-splitting mirror of request smuggling. The response
//!   API refuses them when a handler sets them (`ApplicationResponse::header`,
//!   stricter than Ktor, which throws `UnsafeHeaderException` for
//!   `Transfer-Encoding` and `Upgrade` only); skipping them here also covers
//!   callers of this public module that bring headers of their own.
//! - **A handler's `Date` replaces the automatic one**, in the handler's
//!   position. That also makes the output reproducible in tests.
//! - **Invalid lines are dropped.** A name that is not a token, or a value
//!   with CR, LF or another CTL, is never written: that is header injection.
//!   The response API should refuse them when they are set; this is the last
//!   line of defence, not the main one. An invalid reason phrase is replaced
//!   by an empty one (allowed: it is optional), and a code outside 100-599
//!   (RFC 9110 §15) by 500.
//! - **Numbers are formatted by hand into a stack buffer.** `write!` through
//!   `std::io::Write` would work too, but it goes through `fmt::Arguments` and
//!   dynamic dispatch for a job that is a few divisions by ten; in a release
//!   build the stack buffer took about half the time of `write!` for
//!   six-digit numbers. Digits come two at a time from a 100-entry table (one
//!   division by 100 instead of two by 10), and numbers below 100, most
//!   `Content-Length`s of small answers, skip the buffer altogether.
//!
//! # Making it cheap
//!
//! Every response goes through here, so the output is produced with as few
//! instructions as the rules allow, without changing a byte of it:
//!
//! - **One pass over the headers.** The `Date` line is written first as a
//!   placeholder, since it comes before the handler's headers and only they
//!   can tell whether a handler's `Date` replaces it; after them it is taken
//!   out again, rarely (the bytes behind it move back), or filled in: by
//!   [`write_response_head`] at once, by the engine when the response is
//!   written, together with the others of the same write. Sizing
//!   the head in a first pass, to reserve the buffer once, was dropped: the
//!   engine reuses one output buffer per connection, which is almost always
//!   large enough already, and every `extend_from_slice` checks the capacity
//!   anyway, so the pass cost a walk over the headers for nothing.
//! - **A name is compared with `date`, `connection`, `content-length` or
//!   `transfer-encoding` only when its length is theirs**: `Content-Type` is
//!   never compared with any of them.
//! - **`Content-Type` as spelled by its constant is a known token**: it is
//!   not checked again, and `Content-Type: ` is written as one fixed piece.
//!   It is on almost every response with a body. Other names are checked
//!   (a `&'static str` is no proof of validity: `"Bad\r\nName"` is one too).
//! - **Listed statuses have their line spelled out** by the status table
//!   ([`HttpStatusCode`]'s list), and a reason phrase that is the table's own
//!   needs no check. A custom reason phrase takes the general path: three
//!   digits, then the checked phrase. `200 OK` goes out together with the
//!   `Date` placeholder, as one 54-byte constant.
//! - **Checks run over words**, not bytes (`field_check`): the same verdicts
//!   as [`is_valid_header_name`](super::is_valid_header_name) and
//!   [`is_valid_header_value`](super::is_valid_header_value), which remain
//!   the definition.
//! - **Fixed pieces are fixed-size arrays**, which the compiler copies with a
//!   few moves instead of a call to `memcpy`: the status and `Date` lines, a
//!   `Content-Length` below 100 together with the empty line that ends the
//!   head, `Connection: close` with it too. Each variable-length piece (a
//!   name, a value) costs a `memcpy` call; the fixed ones around it do not.
//!
//! hyper's encoder also writes `HTTP/1.1 200 OK\r\n` in one piece (and
//! reserves the buffer once, from an estimate per header). It writes each
//! header without checking it, though, because
//! `http`'s `HeaderName` and `HeaderValue` refuse bad bytes when they are
//! built. [`Headers`] checks nothing on insert, so this writer must check
//! every line it writes; making the checks cheap is what is left.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.RequestResponseBuilder` (`responseLine`, `headerLine`,
//! `emptyLine`) used by `io.ktor.server.cio.CIOApplicationResponse`.

use super::date::put_http_date_now;
use super::field_check::{name_is_writable, value_is_writable};
use super::headers::{Headers, HttpHeaders};
use super::status::{self, HttpStatusCode};
use super::syntax;

/// The automatic `Date` line, with a placeholder where the date goes: the
/// epoch, so that a placeholder left unfilled by mistake is plainly wrong.
const DATE_LINE: [u8; 37] = *b"Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
/// `200 OK`'s status line and the `Date` placeholder together: the start of
/// most responses, written as one fixed-size copy.
const OK_AND_DATE_LINES: [u8; 54] = *b"HTTP/1.1 200 OK\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
/// The date's 29 bytes start this far before the end of either of the above.
const DATE_FROM_END: usize = 29 + 2;

/// How the response body is delimited, which decides the framing header.
///
/// Ktor: the choice between `Content-Length` and chunked in
/// `io.ktor.server.cio.CIOApplicationResponse`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResponseFraming {
    /// `Content-Length: n`; exactly `n` body bytes follow (none for HEAD,
    /// which still announces the length a GET would have).
    Length(u64),
    /// `Transfer-Encoding: chunked`; the body is written with
    /// [`encode_chunk`](super::encode_chunk) and ends with
    /// [`encode_last_chunk`](super::encode_last_chunk). HTTP/1.1 clients only.
    Chunked,
    /// No framing header: for 1xx, 204 and 304, which never have a body
    /// (RFC 9110 §8.6 forbids Content-Length on 1xx and 204), or for a body
    /// delimited by closing the connection.
    NoBody,
}

/// Appends `HTTP/1.1 {code} {reason}\r\n`, the `Date` field, the given
/// headers in order, the framing field, `Connection: close` when `close` is
/// true, and the empty line. See the module docs for what is skipped.
///
/// Ktor: `RequestResponseBuilder.responseLine` / `headerLine` / `emptyLine`.
pub fn write_response_head(
    out: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    body: ResponseFraming,
    close: bool,
) {
    if let Some(at) = write_response_head_undated(out, status, headers, body, close) {
        let date = out[at..].first_chunk_mut().expect("the Date line is there");
        put_http_date_now(date);
    }
}

/// [`write_response_head`] without reading the clock: the automatic `Date`
/// line is left with a placeholder, and its 29 bytes start at the position
/// returned (`None` when a handler's `Date` took its place). The engine
/// fills the dates of all the responses it writes together with one clock
/// read (`engine/output.rs`); tests fill in a fixed date.
///
/// Ktor: `RequestResponseBuilder.responseLine` / `headerLine` / `emptyLine`.
#[inline]
pub(crate) fn write_response_head_undated(
    out: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    body: ResponseFraming,
    close: bool,
) -> Option<usize> {
    // The Date line goes right after the status line, before we know whether a handler's
    // Date replaces it: a placeholder now, taken out after the headers or left for the caller
    // to fill in.
    if status.value == 200 && status.description == "OK" {
        out.extend_from_slice(&OK_AND_DATE_LINES);
    } else {
        let status = match status.value {
            100..=599 => status,
            _ => HttpStatusCode::INTERNAL_SERVER_ERROR,
        };
        push_status_line(out, status);
        out.extend_from_slice(&DATE_LINE);
    }
    let date_at = out.len() - DATE_FROM_END;
    // Whether a handler's Date was written (it then replaces the automatic one), and whether
    // a handler already said `Connection: close` (it is then not repeated below).
    let mut handler_date = false;
    let mut said_close = false;
    for (name, value) in headers.iter() {
        // The name on almost every response with a body, spelled as its constant: a known
        // token, so it is not checked, and it goes out with its `: ` as one fixed-size copy.
        // Asked first, before the length dispatch below, as the most frequent answer.
        if name == HttpHeaders::CONTENT_TYPE {
            if value_is_writable(value) {
                push_line(out, b"Content-Type: ", value);
            }
            continue;
        }
        // Other names are compared with those the writer treats specially only when they are
        // as long as one of them: `Set-Cookie` is never compared with `Content-Length`.
        match name.len() {
            4 if name.eq_ignore_ascii_case("date") => {
                if value_is_writable(value) {
                    handler_date = true;
                    push_field(out, name, value);
                }
            }
            10 if name.eq_ignore_ascii_case("connection") => {
                if value_is_writable(value) {
                    said_close |= syntax::lists_close(value.as_bytes());
                    push_field(out, name, value);
                }
            }
            14 if name.eq_ignore_ascii_case("content-length") => {}
            17 if name.eq_ignore_ascii_case("transfer-encoding") => {}
            _ => {
                if name_is_writable(name) && value_is_writable(value) {
                    push_field(out, name, value);
                }
            }
        }
    }
    let automatic_date = if handler_date {
        // Rare: the bytes after the placeholder move back by its length.
        out.drain(date_at - 6..date_at + DATE_FROM_END);
        None
    } else {
        Some(date_at)
    };
    push_end(out, body, close && !said_close);
    automatic_date
}

/// Appends the framing line, `Connection: close` when `close_line` is true,
/// and the empty line that ends the head.
#[inline]
fn push_end(out: &mut Vec<u8>, body: ResponseFraming, close_line: bool) {
    match body {
        // The end of most heads of small responses, with the digits patched in: one fixed-size
        // copy instead of a line and then the empty line.
        ResponseFraming::Length(length @ 0..10) if !close_line => {
            let mut end = *b"Content-Length: 0\r\n\r\n";
            end[16] = b'0' + length as u8;
            return out.extend_from_slice(&end);
        }
        ResponseFraming::Length(length @ 10..100) if !close_line => {
            let mut end = *b"Content-Length: 00\r\n\r\n";
            end[16..18].copy_from_slice(&DIGIT_PAIRS[length as usize]);
            return out.extend_from_slice(&end);
        }
        ResponseFraming::Length(length) => push_content_length(out, length),
        ResponseFraming::Chunked => out.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
        ResponseFraming::NoBody => {}
    }
    match close_line {
        true => out.extend_from_slice(b"Connection: close\r\n\r\n"),
        false => out.extend_from_slice(b"\r\n"),
    }
}

/// Appends the status line of `status`, whose value is within 100-599.
#[inline]
fn push_status_line(out: &mut Vec<u8>, status: HttpStatusCode) {
    // A listed status with its own reason phrase comes whole from the status table; its
    // phrase is valid by construction (the status tests check every one).
    if let Some(line) = status::status_line(status) {
        out.extend_from_slice(line.as_bytes());
        return;
    }
    let code = status.value;
    let mut start = *b"HTTP/1.1 000 ";
    start[9] = b'0' + (code / 100) as u8;
    start[10] = b'0' + (code / 10 % 10) as u8;
    start[11] = b'0' + (code % 10) as u8;
    out.extend_from_slice(&start);
    if value_is_writable(status.description) {
        out.extend_from_slice(status.description.as_bytes());
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends `name: value\r\n`.
#[inline]
fn push_field(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    push_value(out, value);
}

/// Appends `{name_colon}value\r\n`, for a fixed `name: ` spelled out in the
/// code: inlined, it is copied with a few moves instead of a call to `memcpy`.
#[inline(always)]
fn push_line<const N: usize>(out: &mut Vec<u8>, name_colon: &[u8; N], value: &str) {
    out.extend_from_slice(name_colon);
    push_value(out, value);
}

/// Appends `value\r\n`.
#[inline(always)]
fn push_value(out: &mut Vec<u8>, value: &str) {
    out.extend_from_slice(value.as_bytes());
    out.extend_from_slice(b"\r\n");
}

/// Appends `Content-Length: {length}\r\n`. Lengths below 100 patch their
/// digits into a fixed line, which is then copied as one piece.
#[inline]
fn push_content_length(out: &mut Vec<u8>, length: u64) {
    if length < 10 {
        let mut line = *b"Content-Length: 0\r\n";
        line[16] = b'0' + length as u8;
        out.extend_from_slice(&line);
    } else if length < 100 {
        let mut line = *b"Content-Length: 00\r\n";
        line[16..18].copy_from_slice(&DIGIT_PAIRS[length as usize]);
        out.extend_from_slice(&line);
    } else {
        out.extend_from_slice(b"Content-Length: ");
        push_decimal(out, length);
        out.extend_from_slice(b"\r\n");
    }
}

/// `b"00"` to `b"99"`: the two digits of every number below 100.
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    pairs
};

/// Appends `n` in decimal: a u64 has at most 20 digits, produced right to
/// left two at a time into a stack buffer, then copied in one call. (Its
/// caller writes numbers below 100 without it.)
#[inline]
fn push_decimal(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    let mut rest = n;
    while rest >= 100 {
        start -= 2;
        digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[(rest % 100) as usize]);
        rest /= 100;
    }
    if rest >= 10 {
        start -= 2;
        digits[start..start + 2].copy_from_slice(&DIGIT_PAIRS[rest as usize]);
    } else {
        start -= 1;
        digits[start] = b'0' + rest as u8;
    }
    out.extend_from_slice(&digits[start..]);
}

#[cfg(test)]
mod tests;

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
//!   be the response-splitting mirror of request smuggling. Ktor goes
//!   further: setting them on a response throws `UnsafeHeaderException`.
//! - **A handler's `Date` replaces the automatic one**, in the handler's
//!   position. That also makes the output reproducible in tests.
//! - **Invalid lines are dropped.** A name that is not a token, or a value
//!   with CR, LF or another CTL, is never written: that is header injection.
//!   The response API should refuse them when they are set; this is the last
//!   line of defence, not the main one. An invalid reason phrase is replaced
//!   by an empty one (allowed: it is optional), and a code outside 100-999 by
//!   500.
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
//! - **One pass to size, one to write.** The first pass over the headers adds
//!   up their lengths, so the buffer grows at most once, and notes whether a
//!   handler's `Date` will be written. A name is compared with `date`,
//!   `connection`, `content-length` or `transfer-encoding` only when its
//!   length is theirs: `Content-Type` is never compared with any of them.
//! - **Listed statuses have their line spelled out** by the status table
//!   ([`HttpStatusCode`]'s list), so `HTTP/1.1 200 OK\r\n` is one copy, and
//!   a reason phrase that is the table's own needs no check. A custom reason
//!   phrase takes the general path: three digits, then the checked phrase.
//! - **Checks run over words**, not bytes (`field_check`): the same verdicts
//!   as [`is_valid_header_name`](super::is_valid_header_name) and
//!   [`is_valid_header_value`](super::is_valid_header_value), which remain
//!   the definition.
//! - **Fixed pieces are fixed-size arrays** (the `Date` line is built as one
//!   37-byte array), which the compiler copies with a few moves instead of a
//!   call to `memcpy`.
//!
//! hyper's encoder makes two of the same moves: `HTTP/1.1 200 OK\r\n` is
//! written in one piece, and the buffer is reserved once, from an estimate
//! per header. It writes each header without checking it, though, because
//! `http`'s `HeaderName` and `HeaderValue` refuse bad bytes when they are
//! built. [`Headers`] checks nothing on insert, so this writer must check
//! every line it writes; making the checks cheap is what is left.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.RequestResponseBuilder` (`responseLine`, `headerLine`,
//! `emptyLine`) used by `io.ktor.server.cio.CIOApplicationResponse`.

use super::date::http_date_now;
use super::field_check::{name_is_writable, value_is_writable};
use super::headers::Headers;
use super::status::{self, HttpStatusCode};
use super::syntax;

/// The automatic `Date` line, with a placeholder where the date goes.
const DATE_LINE: [u8; 37] = *b"Date: Thu, 01 Jan 1970 00:00:00 GMT\r\n";
/// The longest framing line: `Content-Length: ` with 20 digits and CRLF.
const FRAMING_MAX: usize = 16 + 20 + 2;
/// The `Connection: close` line.
const CLOSE_LINE: &[u8; 19] = b"Connection: close\r\n";

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
    write_head(out, status, headers, body, close, http_date_now);
}

/// [`write_response_head`] with the clock as a parameter, so that tests can
/// hold the date still; `date` is only called when the automatic `Date` is
/// written.
#[inline]
fn write_head(
    out: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    body: ResponseFraming,
    close: bool,
    date: impl FnOnce() -> [u8; 29],
) {
    let status = match status.value {
        100..=999 => status,
        _ => HttpStatusCode::INTERNAL_SERVER_ERROR,
    };
    // First pass: an upper bound of the head's size, and whether a handler's
    // Date will actually be written (only then does it replace the automatic one).
    let mut size = 15 + status.description.len() + DATE_LINE.len() + FRAMING_MAX + CLOSE_LINE.len() + 2;
    let mut handler_date = false;
    for (name, value) in headers.iter() {
        size += name.len() + value.len() + 4;
        handler_date |= name.len() == 4 && name.eq_ignore_ascii_case("date") && value_is_writable(value);
    }
    out.reserve(size);

    push_status_line(out, status);
    if !handler_date {
        let mut line = DATE_LINE;
        line[6..35].copy_from_slice(&date());
        out.extend_from_slice(&line);
    }
    // Whether a handler already said `Connection: close`; then it is not
    // repeated below.
    let mut said_close = false;
    for (name, value) in headers.iter() {
        // Only names as long as `connection`, `content-length` or `transfer-encoding` are
        // compared with them.
        let is_connection = match name.len() {
            10 => name.eq_ignore_ascii_case("connection"),
            14 if name.eq_ignore_ascii_case("content-length") => continue,
            17 if name.eq_ignore_ascii_case("transfer-encoding") => continue,
            _ => false,
        };
        if !name_is_writable(name) || !value_is_writable(value) {
            continue;
        }
        if is_connection {
            said_close |= syntax::list(value.as_bytes()).any(|o| o.eq_ignore_ascii_case(b"close"));
        }
        push_field(out, name.as_bytes(), value.as_bytes());
    }

    match body {
        ResponseFraming::Length(length) => push_content_length(out, length),
        ResponseFraming::Chunked => out.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
        ResponseFraming::NoBody => {}
    }
    if close && !said_close {
        out.extend_from_slice(CLOSE_LINE);
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends the status line of `status`, whose value is within 100-999.
#[inline]
fn push_status_line(out: &mut Vec<u8>, status: HttpStatusCode) {
    if let Some(line) = status::status_line(status.value) {
        // `HTTP/1.1 NNN ` is 13 bytes and CRLF 2: the rest is the table's reason phrase,
        // valid by construction (the status tests check every one).
        let line = line.as_bytes();
        if line.len() == 15 + status.description.len()
            && line[13..line.len() - 2] == *status.description.as_bytes()
        {
            out.extend_from_slice(line);
            return;
        }
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
fn push_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
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

/// Appends `n` in decimal. Below 100 the digits go straight out; above, a
/// u64 has at most 20 digits, produced right to left two at a time into a
/// stack buffer, then copied in one call.
#[inline]
fn push_decimal(out: &mut Vec<u8>, n: u64) {
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    if n < 100 {
        out.extend_from_slice(&DIGIT_PAIRS[n as usize]);
        return;
    }
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

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
//!   six-digit numbers.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.RequestResponseBuilder` (`responseLine`, `headerLine`,
//! `emptyLine`) used by `io.ktor.server.cio.CIOApplicationResponse`.

use super::date::http_date_now;
use super::field_check::{name_is_writable, value_is_writable};
use super::headers::Headers;
use super::status::HttpStatusCode;
use super::syntax;

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
    let status = match status.value {
        100..=999 => status,
        _ => HttpStatusCode::INTERNAL_SERVER_ERROR,
    };
    out.extend_from_slice(b"HTTP/1.1 ");
    push_decimal(out, u64::from(status.value));
    out.push(b' ');
    if value_is_writable(status.description) {
        out.extend_from_slice(status.description.as_bytes());
    }
    out.extend_from_slice(b"\r\n");

    // A handler's Date is used only if it will actually be written.
    let handler_date = headers
        .iter()
        .any(|(name, value)| name.eq_ignore_ascii_case("date") && value_is_writable(value));
    if !handler_date {
        push_field(out, b"Date", &http_date_now());
    }
    // Whether a handler already said `Connection: close`; then it is not
    // repeated below.
    let mut said_close = false;
    for (name, value) in headers.iter() {
        let owned =
            name.eq_ignore_ascii_case("content-length") || name.eq_ignore_ascii_case("transfer-encoding");
        if owned || !name_is_writable(name) || !value_is_writable(value) {
            continue;
        }
        if name.eq_ignore_ascii_case("connection") {
            said_close |= syntax::list(value.as_bytes()).any(|o| o.eq_ignore_ascii_case(b"close"));
        }
        push_field(out, name.as_bytes(), value.as_bytes());
    }

    match body {
        ResponseFraming::Length(length) => {
            out.extend_from_slice(b"Content-Length: ");
            push_decimal(out, length);
            out.extend_from_slice(b"\r\n");
        }
        ResponseFraming::Chunked => out.extend_from_slice(b"Transfer-Encoding: chunked\r\n"),
        ResponseFraming::NoBody => {}
    }
    if close && !said_close {
        out.extend_from_slice(b"Connection: close\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

/// Appends `name: value\r\n`.
fn push_field(out: &mut Vec<u8>, name: &[u8], value: &[u8]) {
    out.extend_from_slice(name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

/// Appends `n` in decimal. A u64 has at most 20 digits; they are produced
/// right to left into a stack buffer, then copied in one call.
fn push_decimal(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
}

#[cfg(test)]
mod tests {
    use super::push_decimal;

    /// Decimal formatting at the edges of u64.
    #[test]
    fn decimal_digits() {
        for n in [0, 7, 10, 12_345, u64::MAX] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}

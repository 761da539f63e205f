//! The request line: method, request-target and HTTP-version (RFC 9112 §3).
//!
//! The first step of [`parse_request`](super::parse_request), split from `parser.rs` because it
//! is a grammar of its own: three parts separated by exactly one SP, then CRLF. It finds where
//! the method and the target lie (the parser slices them as text once the whole head has been
//! checked as UTF-8, see `head_text.rs`) and decodes the version. The target's length is
//! bounded here (414), its form is checked by `target.rs`.
//!
//! ```text
//! GET /search?q=ktor HTTP/1.1\r\n
//! └┬┘ └──────┬─────┘ └──┬───┘
//! method   target     version
//! ```
//!
//! Ktor: the request-line part of `io.ktor.http.cio.parseRequest`

use std::ops::Range;

use super::limits::ParseError;
use super::parser::{Step, Stop, after_crlf, bad};
use super::scan;
use super::status::HttpStatusCode;
use super::version::HttpVersion;

/// Where the parts of a request line are, in the buffer.
pub(super) struct RequestLine {
    pub(super) method: Range<usize>,
    pub(super) target: Range<usize>,
    pub(super) version: HttpVersion,
    /// The position after the CRLF.
    pub(super) end: usize,
}

/// Parses the request line starting at `pos`.
///
/// ```text
/// request-line   = method SP request-target SP HTTP-version
/// method         = token
/// ```
///
/// Exactly one SP separates the parts, as the grammar says. §3 lets a
/// recipient split on any run of whitespace instead; like the choice of CRLF
/// over bare LF, refusing that leniency keeps every processor on a path
/// reading the line the same way.
#[inline]
pub(super) fn request_line(buf: &[u8], pos: usize, max_target: usize) -> Step<RequestLine> {
    let rest = &buf[pos..];
    let method_len = if rest.starts_with(b"GET ") {
        // Most requests start so; one four-byte comparison settles the method and its SP.
        3
    } else {
        let len = scan::token_run(rest).ok_or(Stop::Incomplete)?;
        // `token_run` stopped at a byte that is not a tchar, so `rest[len]` exists.
        if len == 0 || rest[len] != b' ' {
            return bad("invalid method, or method not followed by one SP");
        }
        len
    };
    let method_end = pos + method_len;
    let target_start = method_end + 1;
    let target_len = target(&buf[target_start..], max_target)?;
    let target_end = target_start + target_len;
    let (version, end) = version(buf, target_end + 1)?;
    Ok(RequestLine {
        method: pos..method_end,
        target: target_start..target_end,
        version,
        end,
    })
}

/// Measures the request-target at the start of `rest`, including the check
/// of the SP after it.
///
/// Only the character set is checked here (visible ASCII: no CTL, SP or
/// obs-text); which *form* the target has is decided by `check_target`. The
/// full RFC 3986 character rules are not enforced: browsers send characters
/// such as `|` or `{` raw, and httparse and Ktor accept them too.
fn target(rest: &[u8], max_target: usize) -> Step<usize> {
    // A run of more than `max_target` target bytes is too long, whether or
    // not its end has arrived. (The run may go on past `max_target`; the
    // parser's window, `max_head`, bounds it.)
    let len = match scan::target_run(rest) {
        Some(len) if len <= max_target => len,
        None if rest.len() <= max_target => return Err(Stop::Incomplete),
        _ => {
            let status = HttpStatusCode::URI_TOO_LONG;
            return Err(ParseError::new(status, "request-target too long").into());
        }
    };
    match rest[len] {
        b' ' if len > 0 => Ok(len),
        b' ' => bad("empty request-target, or more than one SP"),
        b'\r' | b'\n' => bad("request line has no HTTP-version"),
        _ => bad("invalid byte in request-target"),
    }
}

/// Parses the version at `pos` and the CRLF ending the request line.
///
/// ```text
/// HTTP-version  = HTTP-name "/" DIGIT "." DIGIT
/// HTTP-name     = %s"HTTP"
/// ```
///
/// A well-formed version other than 1.0 or 1.1 gives 505; `%s` means the
/// name is case-sensitive, so `http/1.1` is malformed (400).
fn version(buf: &[u8], pos: usize) -> Step<(HttpVersion, usize)> {
    // HTTP/1.1 or HTTP/1.0 and CRLF are nearly every request; one comparison
    // of eight bytes (and one of two) settles them.
    const HTTP_1_1: u64 = u64::from_le_bytes(*b"HTTP/1.1");
    const HTTP_1_0: u64 = u64::from_le_bytes(*b"HTTP/1.0");
    let rest = buf.get(pos..).unwrap_or_default();
    if let Some((word, [b'\r', b'\n', ..])) = rest.split_first_chunk::<8>() {
        match u64::from_le_bytes(*word) {
            HTTP_1_1 => return Ok((HttpVersion::Http11, pos + 10)),
            HTTP_1_0 => return Ok((HttpVersion::Http10, pos + 10)),
            _ => {}
        }
    }
    const SHAPE: &[u8; 8] = b"HTTP/#.#";
    // Compare the bytes that have arrived, so garbage fails before it ends.
    for (&got, &want) in rest.iter().zip(SHAPE) {
        let fits = if want == b'#' {
            got.is_ascii_digit()
        } else {
            got == want
        };
        if !fits {
            return bad("malformed HTTP-version");
        }
    }
    if rest.len() < SHAPE.len() {
        return Err(Stop::Incomplete);
    }
    let after = after_crlf(
        &rest[SHAPE.len()..],
        "request line goes on after the HTTP-version",
    )?;
    let end = buf.len() - after.len();
    let version = match (rest[5], rest[7]) {
        (b'1', b'1') => HttpVersion::Http11,
        (b'1', b'0') => HttpVersion::Http10,
        _ => {
            let status = HttpStatusCode::VERSION_NOT_SUPPORTED;
            return Err(ParseError::new(status, "only HTTP/1.0 and HTTP/1.1 are supported").into());
        }
    };
    Ok((version, end))
}

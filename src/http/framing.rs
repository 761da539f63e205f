//! Where a request body ends, whether the connection stays open, and
//! whether the client waits for `100 Continue` (RFC 9112 §6, §9.3; RFC 9110
//! §7.6.1, §10.1.1).
//!
//! # Concept
//!
//! HTTP/1.1 sends requests back to back on one connection, so the server must
//! know exactly where each body ends; the next request starts at the very next
//! byte. Two headers can say so (RFC 9112 §6.3):
//!
//! - `Transfer-Encoding: chunked`: the body is a series of size-prefixed
//!   chunks, decoded by [`ChunkedDecoder`](super::ChunkedDecoder);
//! - `Content-Length: N`: the body is the next N bytes.
//!
//! A request with neither has no body (§6.3 rule 7). If the two headers
//! disagree, or one is malformed, the sender and any proxy in between may
//! each see a different end of the body, which is exactly how request
//! smuggling works. So every doubtful case is refused, never guessed.
//!
//! # Cost
//!
//! The engine asks all three questions of every request, and each answer
//! comes from searching the headers by name. Most requests carry none of
//! these fields, so the parser notes which of them it saw while reading the
//! names (`RequestHead::may_have`), and a search for an absent field is
//! skipped. A field that is present is searched for just as if nothing had
//! been noted, so the answer is the same.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.HttpBody.kt` (`expectHttpBody`, `parseHttpBody`) and
//! `ConnectionOptions`. Ktor is more lenient: it accepts `identity` as a
//! transfer coding, lets Transfer-Encoding silently win over Content-Length,
//! and reads a body until EOF when `Connection: close` is set and no length is
//! given. None of these is allowed for requests by RFC 9112.
//!
//! # Decisions
//!
//! - **Status codes for Transfer-Encoding.** `chunked` not last (including
//!   `chunked` missing) is 400, because §6.3 rule 4 says the server "MUST
//!   respond with the 400 (Bad Request) status code". `chunked` twice is 400
//!   (§6.1: a sender MUST NOT apply it more than once), and so is `chunked`
//!   with a parameter (`chunked;x=1`: §7.1 defines none, and says their
//!   presence SHOULD be treated as an error). A well-placed
//!   `chunked` behind a coding this server cannot undo (`gzip, chunked`) is
//!   501, following §6.1: "A server that receives a request message with a
//!   transfer coding it does not understand SHOULD respond with 501".
//! - `Content-Length: 0` is returned as `ContentLength(0)`, not `None`: the
//!   header was there, and an engine may want to tell the two apart.

use super::head::Field;
use super::parser::{Limits, ParseError, RequestHead};
use super::status::HttpStatusCode;
use super::syntax;
use super::version::HttpVersion;

/// How the body of a request is delimited.
///
/// Ktor: the decision made by `io.ktor.http.cio.expectHttpBody`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyFraming {
    /// No body: the next request starts right after the head.
    None,
    /// Exactly this many bytes follow the head.
    ContentLength(u64),
    /// A chunked body follows; decode it with a `ChunkedDecoder`.
    Chunked,
}

/// Decides how the body of `head` is framed, following RFC 9112 §6.3.
///
/// ```text
/// Transfer-Encoding = #transfer-coding          ; RFC 9112 §6.1
/// Content-Length    = 1*DIGIT                   ; RFC 9110 §8.6
/// ```
///
/// Errors: both headers (400, §6.3 rule 3: "ought to be handled as an error"),
/// Transfer-Encoding on HTTP/1.0 (400, §6.1: MUST treat the framing as
/// faulty), codings as described in the module docs (400 / 501), a malformed
/// or conflicting Content-Length (400, §6.3 rule 5), a body over
/// `limits.max_body` (413).
///
/// Ktor: `io.ktor.http.cio.expectHttpBody` / `parseHttpBody`.
#[inline]
pub fn request_body_framing(head: &RequestHead, limits: &Limits) -> Result<BodyFraming, ParseError> {
    // `may_have` is false when the parser saw no such name: nearly every GET skips both
    // searches, and this much is small enough to inline into the caller. When either may be
    // there, the searches decide, so the answer is the same either way.
    if !head.may_have(Field::TransferEncoding) && !head.may_have(Field::ContentLength) {
        return Ok(BodyFraming::None);
    }
    searched_framing(head, limits)
}

/// [`request_body_framing`] by searching the headers.
#[inline(never)]
fn searched_framing(head: &RequestHead, limits: &Limits) -> Result<BodyFraming, ParseError> {
    let has_te = head.header("transfer-encoding").is_some();
    let has_cl = head.header("content-length").is_some();
    match (has_te, has_cl) {
        (true, true) => Err(ParseError::bad_request(
            "both Transfer-Encoding and Content-Length",
        )),
        (true, false) if head.version == HttpVersion::Http10 => Err(ParseError::bad_request(
            "Transfer-Encoding in an HTTP/1.0 request",
        )),
        (true, false) => transfer_coding(head),
        (false, true) => content_length(head, limits.max_body),
        (false, false) => Ok(BodyFraming::None),
    }
}

/// Checks the Transfer-Encoding list, all lines together: it must end in
/// exactly one `chunked`, with no other coding before it.
fn transfer_coding(head: &RequestHead) -> Result<BodyFraming, ParseError> {
    let (mut chunked, mut others, mut last_is_chunked) = (0, 0, false);
    for line in head.header_values("transfer-encoding") {
        for coding in syntax::list(line) {
            // transfer-coding = token *( OWS ";" OWS transfer-parameter )
            let mut parts = coding.split(|&b| b == b';');
            let name = syntax::trim_ows(parts.next().unwrap_or_default());
            last_is_chunked = name.eq_ignore_ascii_case(b"chunked");
            if last_is_chunked && parts.next().is_some() {
                return Err(ParseError::bad_request("chunked takes no parameters"));
            }
            if last_is_chunked {
                chunked += 1;
            } else {
                others += 1;
            }
        }
    }
    if !last_is_chunked {
        Err(ParseError::bad_request(
            "chunked is not the final transfer coding",
        ))
    } else if chunked > 1 {
        Err(ParseError::bad_request("chunked applied more than once"))
    } else if others > 0 {
        let status = HttpStatusCode::NOT_IMPLEMENTED;
        Err(ParseError::new(status, "unsupported transfer coding"))
    } else {
        Ok(BodyFraming::Chunked)
    }
}

/// Reads every Content-Length value, across lines and comma lists. RFC 9110
/// §8.6 lets a recipient accept the same number repeated ("42, 42"), which
/// some proxies produce when merging lines; anything else is refused.
fn content_length(head: &RequestHead, max_body: u64) -> Result<BodyFraming, ParseError> {
    let mut length = None;
    for line in head.header_values("content-length") {
        // Split by hand, not with `syntax::list`, which skips empty elements: here an empty
        // line, or one with an empty element (`5,`), is an error of `parse_decimal`'s.
        for item in line.split(|&b| b == b',').map(syntax::trim_ows) {
            let value = parse_decimal(item)?;
            if length.is_some_and(|seen| seen != value) {
                return Err(ParseError::bad_request("conflicting Content-Length values"));
            }
            length = Some(value);
        }
    }
    match length {
        Some(n) if n > max_body => Err(ParseError::new(
            HttpStatusCode::PAYLOAD_TOO_LARGE,
            "request body larger than allowed",
        )),
        Some(n) => Ok(BodyFraming::ContentLength(n)),
        // Not reached: `request_body_framing` calls this only when the field is present, and
        // every line yields at least one element.
        None => Err(ParseError::bad_request("no Content-Length")),
    }
}

/// `1*DIGIT` as a u64. Signs, spaces, hex and empty strings are refused, and
/// so is overflow: a wrapped length would frame the body wrongly.
fn parse_decimal(digits: &[u8]) -> Result<u64, ParseError> {
    if digits.is_empty() {
        return Err(ParseError::bad_request("empty Content-Length element"));
    }
    digits.iter().try_fold(0u64, |n, &b| {
        let digit = match b {
            b'0'..=b'9' => u64::from(b - b'0'),
            _ => return Err(ParseError::bad_request("Content-Length is not 1*DIGIT")),
        };
        n.checked_mul(10)
            .and_then(|n| n.checked_add(digit))
            .ok_or(ParseError::bad_request("Content-Length overflows"))
    })
}

/// Whether the connection may carry another request after this one.
///
/// ```text
/// Connection        = #connection-option        ; RFC 9110 §7.6.1
/// connection-option = token
/// ```
///
/// RFC 9112 §9.3: a `close` option ends the connection; otherwise HTTP/1.1
/// keeps it open, and HTTP/1.0 keeps it only with `keep-alive`. Options are
/// case-insensitive and may be spread over several lines. If both `close`
/// and `keep-alive` appear, `close` wins: closing is always safe.
///
/// Ktor: `isLastHttpRequest` in the CIO server pipeline.
#[inline]
pub fn keep_alive(head: &RequestHead) -> bool {
    let keep = head.version == HttpVersion::Http11;
    match head.may_have(Field::Connection) {
        true => searched_keep_alive(head, keep),
        false => keep,
    }
}

/// [`keep_alive`] by searching the `Connection` lines; `keep` is the answer without one.
#[inline(never)]
fn searched_keep_alive(head: &RequestHead, mut keep: bool) -> bool {
    for line in head.header_values("connection") {
        for option in syntax::list(line) {
            if option.eq_ignore_ascii_case(b"close") {
                return false;
            }
            if option.eq_ignore_ascii_case(b"keep-alive") {
                keep = true;
            }
        }
    }
    keep
}

/// Whether the client waits for `100 Continue` before sending its body.
///
/// ```text
/// Expect      = #expectation                    ; RFC 9110 §10.1.1
/// expectation = token [ "=" ( token / quoted-string ) parameters ]
/// ```
///
/// `100-continue` (any case) is the only expectation defined. Anything else
/// gets 417, as §10.1.1 allows. In an HTTP/1.0 request `100-continue` is
/// ignored ("MUST ignore that expectation"): 1.0 clients do not know 1xx
/// responses. Whether to actually send 100 is the engine's call: only when
/// the request has a body and the handler starts reading it, as Ktor does.
///
/// Ktor: the `Expect` check that the engine installs in front of the
/// receive pipeline's `Before` phase.
#[inline]
pub fn expects_continue(head: &RequestHead) -> Result<bool, ParseError> {
    match head.may_have(Field::Expect) {
        true => searched_expects_continue(head),
        false => Ok(false),
    }
}

/// [`expects_continue`] by searching the `Expect` lines.
#[inline(never)]
fn searched_expects_continue(head: &RequestHead) -> Result<bool, ParseError> {
    let mut expects = false;
    for line in head.header_values("expect") {
        for expectation in syntax::list(line) {
            if !expectation.eq_ignore_ascii_case(b"100-continue") {
                let status = HttpStatusCode::EXPECTATION_FAILED;
                return Err(ParseError::new(status, "unsupported expectation"));
            }
            expects = true;
        }
    }
    Ok(expects && head.version == HttpVersion::Http11)
}

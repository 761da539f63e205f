//! Reading a request head out of the connection's buffer into owned parts.
//!
//! The parser (`http::parser`) borrows from the buffer; a call must outlive the buffer's next
//! read, so the connection copies what a handler may look at into a [`Head`]: the method, the
//! target, the headers (names of common headers borrowed from constants, values as text), and
//! what framing, keep-alive and `Expect` decided.
//!
//! Ktor: the `Request` that CIO's `parseRequest` builds

use std::borrow::Cow;

use crate::http::{
    self, BodyFraming, EMPTY_HEADER, Header, Headers, HttpHeaders, HttpMethod, HttpStatusCode, HttpVersion,
    Limits, ParseError, Status,
};

/// The parts of a parsed request head that outlive the input buffer.
pub(crate) struct Head {
    pub(crate) method: HttpMethod,
    pub(crate) target: String,
    pub(crate) version: HttpVersion,
    pub(crate) headers: Headers,
    pub(crate) framing: BodyFraming,
    pub(crate) keep_alive: bool,
    pub(crate) expects_continue: bool,
}

/// Header slots for a first parse: enough for nearly every request (browsers send 10 to 20
/// headers), and small enough that preparing them costs little.
const FEW_HEADERS: usize = 32;
/// Header slots for a request with more headers than that; the parser fills at most
/// `limits.max_headers` of them.
const MANY_HEADERS: usize = 256;

/// Parses one request head from `buffer`: `Ok(None)` when more bytes are needed.
///
/// A plain function, not `async`: the header slots live on the stack only while parsing and
/// never become part of the connection's future. Preparing slots costs a few bytes each, so a
/// first attempt uses a short array and only a request with more headers is parsed again with
/// the long one (the parser answers 431 when it runs out of slots).
pub(crate) fn parse_head(buffer: &[u8], limits: &Limits) -> Result<Option<(Head, usize)>, ParseError> {
    let mut few = [EMPTY_HEADER; FEW_HEADERS];
    let first = parse_with(buffer, &mut few[..limits.max_headers.min(FEW_HEADERS)], limits);
    match first {
        Err(error)
            if error.status == HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
                && limits.max_headers > FEW_HEADERS =>
        {
            let mut many = [EMPTY_HEADER; MANY_HEADERS];
            parse_with(buffer, &mut many[..limits.max_headers.min(MANY_HEADERS)], limits)
        }
        other => other,
    }
}

/// Parses with the given header slots and copies out what outlives the buffer.
fn parse_with<'b>(
    buffer: &'b [u8],
    slots: &mut [Header<'b>],
    limits: &Limits,
) -> Result<Option<(Head, usize)>, ParseError> {
    let (head, consumed) = match http::parse_request(buffer, slots, limits)? {
        Status::Complete(parsed) => parsed,
        Status::Partial => return Ok(None),
    };
    let framing = http::request_body_framing(&head, limits)?;
    let expects_continue = http::expects_continue(&head)?;
    let mut headers = Headers::new();
    for header in head.headers {
        // Header values are bytes (obs-text is allowed); handlers get text.
        headers.append(header_name(header.name), header_value(header.value));
    }
    let owned = Head {
        method: HttpMethod::parse(head.method),
        target: head.target.to_string(),
        version: head.version,
        keep_alive: http::keep_alive(&head),
        headers,
        framing,
        expects_continue,
    };
    Ok(Some((owned, consumed)))
}

/// The names most requests carry, in the spelling clients send them: a header named exactly
/// one of these is stored without copying its name.
const COMMON_NAMES: [&str; 12] = [
    HttpHeaders::HOST,
    HttpHeaders::USER_AGENT,
    HttpHeaders::ACCEPT,
    HttpHeaders::ACCEPT_ENCODING,
    HttpHeaders::ACCEPT_LANGUAGE,
    HttpHeaders::CONNECTION,
    HttpHeaders::CONTENT_LENGTH,
    HttpHeaders::CONTENT_TYPE,
    HttpHeaders::COOKIE,
    HttpHeaders::TRANSFER_ENCODING,
    HttpHeaders::EXPECT,
    HttpHeaders::UPGRADE,
];

/// A header name as handlers will see it: exactly as received, borrowed from a constant when it
/// is a common one (saving an allocation per header of nearly every request).
fn header_name(name: &str) -> Cow<'static, str> {
    match COMMON_NAMES.iter().find(|common| **common == name) {
        Some(common) => Cow::Borrowed(common),
        None => Cow::Owned(name.to_string()),
    }
}

/// A header value as text. Values are bytes on the wire (obs-text, 0x80-0xFF, is allowed);
/// nearly all are ASCII, and anything that is not UTF-8 is decoded lossily.
fn header_value(value: &[u8]) -> Cow<'static, str> {
    match std::str::from_utf8(value) {
        Ok(text) => Cow::Owned(text.to_string()),
        Err(_) => Cow::Owned(String::from_utf8_lossy(value).into_owned()),
    }
}

//! Reading a request head out of the connection's buffer into the call that will answer it.
//!
//! The parser (`http::parser`) borrows from the buffer; a call must outlive the buffer's next
//! read, so the connection copies what a handler may look at (the target and the headers,
//! values as text) into the request of the call kept in its [`CallStorage`], whose capacity
//! the previous request left, so copying them allocates nothing in the usual case. The rest
//! goes into a [`Head`]: the method, the version, and what framing, keep-alive and `Expect`
//! decided.
//!
//! Ktor: the `Request` that CIO's `parseRequest` builds

use std::sync::Arc;

use super::storage::CallStorage;
use crate::application::{Application, ApplicationCall};
use crate::http::{
    self, BodyFraming, EMPTY_HEADER, Header, HttpMethod, HttpStatusCode, HttpVersion, Limits, ParseError,
    Status,
};

/// A parsed request head, out of the input buffer.
pub(crate) struct Head {
    /// The call to answer it, its request's target and headers in place.
    pub(crate) call: Box<ApplicationCall>,
    pub(crate) method: HttpMethod,
    pub(crate) version: HttpVersion,
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
pub(crate) fn parse_head(
    buffer: &[u8],
    limits: &Limits,
    storage: &mut CallStorage,
    application: &Arc<Application>,
) -> Result<Option<(Head, usize)>, ParseError> {
    let mut few = [EMPTY_HEADER; FEW_HEADERS];
    let first = parse_with(
        buffer,
        &mut few[..limits.max_headers.min(FEW_HEADERS)],
        limits,
        storage,
        application,
    );
    match first {
        Err(error)
            if error.status == HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
                && limits.max_headers > FEW_HEADERS =>
        {
            let mut many = [EMPTY_HEADER; MANY_HEADERS];
            parse_with(
                buffer,
                &mut many[..limits.max_headers.min(MANY_HEADERS)],
                limits,
                storage,
                application,
            )
        }
        other => other,
    }
}

/// Parses with the given header slots and copies out what outlives the buffer, into the call
/// taken from `storage`.
fn parse_with<'b>(
    buffer: &'b [u8],
    slots: &mut [Header<'b>],
    limits: &Limits,
    storage: &mut CallStorage,
    application: &Arc<Application>,
) -> Result<Option<(Head, usize)>, ParseError> {
    let (head, consumed) = match http::parse_request(buffer, slots, limits)? {
        Status::Complete(parsed) => parsed,
        Status::Partial => return Ok(None),
    };
    let framing = http::request_body_framing(&head, limits)?;
    let expects_continue = http::expects_continue(&head)?;
    let mut call = storage.take_call(application);
    let (target, headers) = call.request_mut().head_storage();
    for header in head.headers {
        // Header values are bytes (obs-text is allowed); handlers get text. Nearly every head
        // is UTF-8 as a whole, already checked by the parser; a value that is not UTF-8 is
        // decoded lossily.
        match head.value_text(header) {
            Some(value) => headers.append_copied(header.name, value),
            None => headers.append_copied(header.name, &String::from_utf8_lossy(header.value)),
        }
    }
    target.push_str(head.target);
    let owned = Head {
        call,
        method: HttpMethod::parse(head.method),
        version: head.version,
        keep_alive: http::keep_alive(&head),
        framing,
        expects_continue,
    };
    Ok(Some((owned, consumed)))
}

//! The response side of a call: status, headers, and the content once it is committed.
//!
//! A handler sets the status and headers, then *responds* with a body. Responding commits the
//! response: from then on the call counts as handled (the later interceptors and the fallback
//! look at that), and a second respond is an error, `Response has already been sent`.
//!
//! The engine writes the committed response after the pipeline has run: known bytes with
//! `Content-Length`, a streamed body (`respond_bytes_writer`) chunked as it is produced. Ktor
//! writes from inside the send pipeline's `Engine` phase instead; here that phase only commits
//! (`send_pipeline.rs`), and the bytes go out when the call is done.
//!
//! Ktor: `io.ktor.server.response.ApplicationResponse`

use std::borrow::Cow;

use super::stream::StreamBody;
use super::{HttpError, ResponseAlreadySent};
use crate::Result;
use crate::http::{self, ContentType, Headers, HttpHeaders, HttpStatusCode};

/// The body of a committed response.
///
/// Ktor: `io.ktor.http.content.OutgoingContent`
pub enum OutgoingContent {
    /// No body at all: `Content-Length: 0`. Ktor: `OutgoingContent.NoContent`
    NoContent,
    /// A body whose bytes are all known; borrowed when they are `'static`, so a constant answer
    /// costs no allocation. Ktor: `OutgoingContent.ByteArrayContent`
    Bytes(Cow<'static, [u8]>),
    /// A body produced while it is being sent, of unknown length: sent chunked.
    /// Ktor: `OutgoingContent.WriteChannelContent`
    Stream(Box<dyn StreamBody>),
}

impl OutgoingContent {
    /// The body's bytes when they are known: empty for `NoContent`, `None` for a stream.
    ///
    /// Ktor: `OutgoingContent.ByteArrayContent.bytes()`
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            OutgoingContent::NoContent => Some(&[]),
            OutgoingContent::Bytes(bytes) => Some(bytes),
            OutgoingContent::Stream(_) => None,
        }
    }
}

impl std::fmt::Debug for OutgoingContent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutgoingContent::NoContent => f.write_str("NoContent"),
            OutgoingContent::Bytes(bytes) => write!(f, "Bytes({} bytes)", bytes.len()),
            OutgoingContent::Stream(_) => f.write_str("Stream"),
        }
    }
}

/// What the server will answer: status, headers and content.
///
/// Ktor: `io.ktor.server.response.ApplicationResponse`
#[derive(Debug, Default)]
pub struct ApplicationResponse {
    /// `None` until a handler sets it; sent as `200 OK` if it never does.
    status: Option<HttpStatusCode>,
    headers: Headers,
    /// `Some` once committed: the call is then handled.
    content: Option<OutgoingContent>,
}

impl ApplicationResponse {
    /// The status set so far, if any.
    ///
    /// Ktor: `ApplicationResponse.status()`
    pub fn status(&self) -> Option<HttpStatusCode> {
        self.status
    }

    /// Sets the status the response will have. Once the response is committed (a `respond`
    /// went through), its status is the one sent and this does nothing: in Ktor the response
    /// is on its way to the client by then, and what a log line or a plugin read of it must
    /// stay what the client gets.
    ///
    /// Ktor: `ApplicationResponse.status(value)`
    pub fn set_status(&mut self, status: HttpStatusCode) {
        if !self.is_committed() {
            self.status = Some(status);
        }
    }

    /// The headers set so far.
    ///
    /// Ktor: `ApplicationResponse.headers`
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// Appends a header. Names must be tokens and values may not contain CR, LF or other
    /// control characters: a handler that copies user input into a header cannot inject a
    /// second header or a second response. The framing headers (`Content-Length`,
    /// `Transfer-Encoding`) and `Upgrade` belong to the engine and are refused, and so is any
    /// header once the response is committed (its headers went out with it, in Ktor).
    ///
    /// Ktor: `ApplicationResponse.headers.append(name, value)`, which throws
    /// `UnsafeHeaderException` for `Transfer-Encoding` and `Upgrade`, and an
    /// `IllegalStateException` once the headers are sent
    pub fn header(
        &mut self,
        name: impl Into<Cow<'static, str>>,
        value: impl Into<Cow<'static, str>>,
    ) -> Result<(), HttpError> {
        let (name, value) = (name.into(), value.into());
        let internal = |message: String| HttpError::new(HttpStatusCode::INTERNAL_SERVER_ERROR, message);
        if self.is_committed() {
            return Err(internal(format!(
                "header {name} comes after the response was committed"
            )));
        }
        if !http::is_valid_header_name(&name) {
            return Err(internal(format!("invalid response header name {name:?}")));
        }
        if !http::is_valid_header_value(&value) {
            return Err(internal(format!("invalid value for response header {name}")));
        }
        if is_engine_owned(&name) {
            return Err(internal(format!("header {name} is controlled by the engine")));
        }
        self.headers.append(name, value);
        Ok(())
    }

    /// Sets `Content-Type` unless the handler already set one. No check is needed: a
    /// [`ContentType`] cannot hold a control character.
    pub(crate) fn default_content_type(&mut self, content_type: ContentType) {
        if !self.headers.contains(HttpHeaders::CONTENT_TYPE) {
            // Two arms that do the same, for the compiler: with a `&'static str` value, the
            // usual case, `append` is known to store two constants and shrinks to a push
            // compiled in here, where with a `Cow` it stays a call that tests both parts
            // (about 20 instructions more per response).
            match content_type.into_value() {
                Cow::Borrowed(value) => self.headers.append(HttpHeaders::CONTENT_TYPE, value),
                Cow::Owned(value) => self.headers.append(HttpHeaders::CONTENT_TYPE, value),
            }
        }
    }

    /// Whether a respond already committed this response.
    ///
    /// Ktor: `ApplicationResponse.isCommitted`
    pub fn is_committed(&self) -> bool {
        self.content.is_some()
    }

    /// The committed content, if any.
    ///
    /// Ktor: none; Ktor's `Engine` phase writes the content at once and keeps none
    pub fn content(&self) -> Option<&OutgoingContent> {
        self.content.as_ref()
    }

    /// The status that will go on the wire: the one set, else `200 OK`.
    pub(crate) fn effective_status(&self) -> HttpStatusCode {
        self.status.unwrap_or(HttpStatusCode::OK)
    }

    /// Commits the response with `content`, setting `Content-Type` when given and the handler
    /// set none. Fails if it was committed before.
    ///
    /// Ktor: `BaseApplicationResponse.commitHeaders` + `respondOutgoingContent`
    #[inline] // for `ApplicationCall::commit_if_plain`, which says why
    pub(crate) fn commit(
        &mut self,
        content_type: Option<ContentType>,
        content: OutgoingContent,
    ) -> Result<()> {
        if self.content.is_some() {
            return Err(ResponseAlreadySent.into());
        }
        // Stored before the type is set, not after: `default_content_type` is a call, and the
        // content kept across it would take three more saved registers in the frame of every
        // `respond_*` future this is inlined into (13 instructions per response, measured).
        self.content = Some(content);
        if let Some(content_type) = content_type {
            self.default_content_type(content_type);
        }
        Ok(())
    }

    /// Empties this response for the next call on the connection, keeping its headers'
    /// storage (see `ApplicationCall::recycle`).
    pub(crate) fn recycle(&mut self) {
        self.status = None;
        self.headers.clear();
        self.content = None;
    }

    /// Takes the committed status and content out, for the engine to write with the headers.
    ///
    /// Some statuses a handler may set cannot go out as they are. A 1xx is interim (RFC 9110
    /// §15.2): sent as the answer, it would leave the client waiting for the real one, or
    /// taking the next pipelined response for it. A code outside 100-599 is no status at all
    /// (§15: "All valid status codes are within the range of 100 to 599"). Either becomes a
    /// bare `500`, logged, as hyper makes a 1xx. A `205 Reset Content` must have no content
    /// (§15.3.6): the content is dropped, and the engine says `Content-Length: 0`. Ktor writes
    /// all of them as they are.
    pub(crate) fn take_content(&mut self) -> (HttpStatusCode, OutgoingContent) {
        let content = self.take_sendable_content();
        (self.effective_status(), content)
    }

    /// [`take_content`](Self::take_content) without the status, which
    /// [`effective_status`](Self::effective_status) gives afterwards (a 1xx is then `500`).
    /// The engine's connection loop uses the two: the status, 24 bytes, is then built
    /// straight where the writer wants it, where out of `take_content`'s pair it would be
    /// copied twice on the way (12 instructions per request, measured).
    pub(crate) fn take_sendable_content(&mut self) -> OutgoingContent {
        let status = self.effective_status();
        // `200`, by far the most common status, is settled by the first comparison.
        if status.value != 200 && (status.value < 200 || status.value == 205 || status.value > 599) {
            self.unsendable(status);
            return OutgoingContent::NoContent;
        }
        self.content.take().unwrap_or(OutgoingContent::NoContent)
    }

    /// Makes a response with a 1xx, a 205 or a code outside 100-599 sendable (see
    /// `take_content`): drops its content, and turns all but the 205 into a bare `500`. Out
    /// of line: a handler's mistake or a rare status, kept off the path of every other
    /// response.
    #[cold]
    #[inline(never)]
    fn unsendable(&mut self, status: HttpStatusCode) {
        self.content = None; // dropped: neither answer has content
        if status.value == 205 {
            return;
        }
        let what = match status.value {
            100..=199 => "an interim status",
            _ => "not a status code (100 to 599)",
        };
        eprintln!(
            "mini-ktor: a call was answered {} {}, {what}; sent 500 instead",
            status.value, status.description
        );
        self.headers.clear();
        self.status = Some(HttpStatusCode::INTERNAL_SERVER_ERROR);
    }

    /// The headers, for the engine to complete (`Connection`) before writing them.
    pub(crate) fn headers_mut(&mut self) -> &mut Headers {
        &mut self.headers
    }
}

/// Whether the engine writes the header `name` itself, so that a handler or a plugin may not:
/// the framing headers, which must say how the body is actually sent, and `Upgrade`, which
/// would promise a protocol switch the engine does not make.
pub(crate) fn is_engine_owned(name: &str) -> bool {
    let owned = [
        HttpHeaders::CONTENT_LENGTH,
        HttpHeaders::TRANSFER_ENCODING,
        HttpHeaders::UPGRADE,
    ];
    owned.iter().any(|owned| name.eq_ignore_ascii_case(owned))
}

/// Text bodies: a `&'static str` stays borrowed, a `String` is moved, never copied.
pub(crate) fn text_bytes(text: Cow<'static, str>) -> Cow<'static, [u8]> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
        Cow::Owned(text) => Cow::Owned(text.into_bytes()),
    }
}

//! The request side of a call: what the client asked for, and its body.
//!
//! The engine parses the request head from the connection's buffer (see `http::parser`), then
//! copies what a handler may look at into an `ApplicationRequest` that the call owns. Owning the
//! data keeps lifetimes out of every handler's signature; the price is a few small copies per
//! request, which the engine keeps cheap by reusing its buffers.
//!
//! The body is usually read by the engine before the pipeline runs, and handed over once:
//! `receive_bytes`, `receive_text` and `receive_parameters` take it, and a second receive is an
//! error, as in Ktor. A client that sent `Expect: 100-continue` gets its body read only when a
//! handler asks for it (see `body.rs`).
//!
//! Ktor: `io.ktor.server.request.ApplicationRequest`

use std::cell::OnceCell;
use std::net::SocketAddr;
use std::ops::Range;
use std::rc::Rc;

use super::body::{DeferredBody, RequestBody};
use super::{HttpError, RequestAlreadyConsumed};
use crate::Result;
use crate::http::url::TargetParts;
use crate::http::{self, Headers, HttpMethod, HttpVersion, Parameters};

/// What the client sent: method, target, headers and body.
///
/// Ktor: `io.ktor.server.request.ApplicationRequest`
pub struct ApplicationRequest {
    method: HttpMethod,
    /// The request target exactly as received, e.g. `/search?q=ktor%20rust`.
    uri: String,
    /// Where the path is in `uri`: handlers usually see it as is.
    path_range: Range<usize>,
    /// The path, percent-decoded, only when decoding changed it (`/a%20b` → `/a b`); a path
    /// without escapes is served from `uri` without a copy.
    decoded_path: Option<String>,
    /// Where the query is in `uri` (after the `?`, before any `#`); empty when there is none.
    query_range: Range<usize>,
    /// Query parameters, decoded on first use: most handlers never look at them.
    query_parameters: OnceCell<Parameters>,
    version: HttpVersion,
    headers: Headers,
    /// Read already, still on the connection (`Expect: 100-continue`), or taken.
    body: RequestBody,
    local: SocketAddr,
    remote: SocketAddr,
}

impl ApplicationRequest {
    /// Builds a request from its parts; fails with 400 when the path is not valid
    /// percent-encoded UTF-8.
    pub fn new(
        method: HttpMethod,
        uri: String,
        version: HttpVersion,
        headers: Headers,
        body: Vec<u8>,
        local: SocketAddr,
        remote: SocketAddr,
    ) -> Result<ApplicationRequest, HttpError> {
        let parts = TargetParts::of(&uri);
        // A path with no escapes is served from `uri`. An absolute-form target without a path
        // (`http://host`) has the path `/`, kept as if decoded.
        let decoded_path = if parts.escaped {
            let decoded = http::decode_path(&uri[parts.path.clone()]);
            Some(
                decoded
                    .map_err(|error| HttpError::bad_request(error.reason))?
                    .into_owned(),
            )
        } else if parts.path.is_empty() {
            Some("/".to_string())
        } else {
            None
        };
        let (path_range, query_range) = (parts.path, parts.query);
        Ok(ApplicationRequest {
            method,
            path_range,
            decoded_path,
            query_range,
            uri,
            query_parameters: OnceCell::new(),
            version,
            headers,
            body: RequestBody::Ready(body),
            local,
            remote,
        })
    }

    /// The request method.
    ///
    /// Ktor: `ApplicationRequest.httpMethod`
    pub fn method(&self) -> &HttpMethod {
        &self.method
    }

    /// Replaces the method the application sees (routing, handlers). The engine still frames
    /// the response for the method the client sent: a `HEAD` request routed as `GET` gets no
    /// body. AutoHeadResponse does exactly that.
    ///
    /// Ktor: `call.mutableOriginConnectionPoint.method = ...`
    pub fn set_method(&mut self, method: HttpMethod) {
        self.method = method;
    }

    /// The request target as received, path and query, still percent-encoded.
    ///
    /// Ktor: `ApplicationRequest.uri`
    pub fn uri(&self) -> &str {
        &self.uri
    }

    /// The decoded path, without the query.
    ///
    /// Ktor: `ApplicationRequest.path()`
    pub fn path(&self) -> &str {
        match &self.decoded_path {
            Some(decoded) => decoded,
            None => &self.uri[self.path_range.clone()],
        }
    }

    /// Whether [`path`](Self::path) is the path exactly as received (decoding changed nothing).
    pub(crate) fn path_is_raw(&self) -> bool {
        self.decoded_path.is_none()
    }

    /// The raw query string, without the `?`; empty when there is none.
    ///
    /// Ktor: `ApplicationRequest.queryString()`
    pub fn query_string(&self) -> &str {
        &self.uri[self.query_range.clone()]
    }

    /// The decoded query parameters, in order, several values per name allowed.
    ///
    /// Ktor: `ApplicationRequest.queryParameters`
    pub fn query_parameters(&self) -> &Parameters {
        self.query_parameters
            .get_or_init(|| http::parse_query(self.query_string()))
    }

    /// `HTTP/1.0` or `HTTP/1.1`.
    ///
    /// Ktor: `ApplicationRequest.httpVersion`
    pub fn version(&self) -> HttpVersion {
        self.version
    }

    /// The request headers: ordered, case-insensitive, several values per name allowed.
    ///
    /// Ktor: `ApplicationRequest.headers`
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The first value of header `name`, if any.
    ///
    /// Ktor: `ApplicationRequest.header(name)`
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The server's address on this connection.
    ///
    /// Ktor: `ApplicationRequest.local`
    pub fn local_address(&self) -> SocketAddr {
        self.local
    }

    /// The client's address.
    ///
    /// Ktor: `ApplicationRequest.origin.remoteAddress`
    pub fn remote_address(&self) -> SocketAddr {
        self.remote
    }

    /// Takes the storage of the target and the headers, for the engine to reuse once the call
    /// is over (see `engine/storage.rs`), and drops what else the request holds (its body, its
    /// decoded path and query): the request is left empty until the call is renewed.
    pub(crate) fn recycle(&mut self) -> (String, Headers) {
        self.path_range = 0..0;
        self.decoded_path = None;
        self.query_range = 0..0;
        self.query_parameters = OnceCell::new();
        self.body = RequestBody::Taken;
        (std::mem::take(&mut self.uri), std::mem::take(&mut self.headers))
    }

    /// Leaves the body on the connection, for the engine to read when a handler asks.
    pub(crate) fn defer_body(&mut self, body: Rc<DeferredBody>) {
        self.body = RequestBody::Deferred(body);
    }

    /// Takes the body, waiting for the engine to read it if it was deferred; the second time,
    /// an error.
    pub(crate) async fn take_body(&mut self) -> Result<Vec<u8>> {
        match std::mem::replace(&mut self.body, RequestBody::Taken) {
            RequestBody::Ready(body) => Ok(body),
            RequestBody::Deferred(deferred) => deferred.receive().await,
            RequestBody::Taken => Err(RequestAlreadyConsumed.into()),
        }
    }
}

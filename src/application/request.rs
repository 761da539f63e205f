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
    /// Builds a request from its parts; fails with 400 when the path holds a broken escape (`%zz`,
    /// or a `%` without two hex digits). Escapes that decode to bytes that are not UTF-8 become
    /// U+FFFD (see `http/url.rs`).
    ///
    /// Ktor: an engine's request class, e.g. `CIOApplicationRequest` or `TestApplicationRequest`
    pub fn new(
        method: HttpMethod,
        uri: String,
        version: HttpVersion,
        headers: Headers,
        body: Vec<u8>,
        local: SocketAddr,
        remote: SocketAddr,
    ) -> Result<ApplicationRequest, HttpError> {
        let mut request = ApplicationRequest::empty();
        (request.uri, request.headers) = (uri, headers);
        request.set_addresses(local, remote);
        request.set_request_line(method, version);
        request.start()?;
        request.set_body(body);
        Ok(request)
    }

    /// A request with nothing in it yet: the engine sets its addresses
    /// ([`set_addresses`](Self::set_addresses)), copies a head into its
    /// [`head_storage`](Self::head_storage) and
    /// [`set_request_line`](Self::set_request_line), then [`start`](Self::start)s it. Its body is
    /// empty, as a request without one has; the engine sets any other with
    /// [`set_body`](Self::set_body).
    pub(crate) fn empty() -> ApplicationRequest {
        let nowhere = SocketAddr::from(([0, 0, 0, 0], 0));
        ApplicationRequest {
            method: HttpMethod::Get,
            uri: String::new(),
            path_range: 0..0,
            decoded_path: None,
            query_range: 0..0,
            query_parameters: OnceCell::new(),
            version: HttpVersion::Http11,
            headers: Headers::new(),
            body: RequestBody::Ready(Vec::new()),
            local: nowhere,
            remote: nowhere,
        }
    }

    /// Where the engine copies the next request's target and headers: empty, with the
    /// capacity the previous request left (see `engine/storage.rs`).
    pub(crate) fn head_storage(&mut self) -> (&mut String, &mut Headers) {
        (&mut self.uri, &mut self.headers)
    }

    /// Sets the method and the version, as the request line has them.
    pub(crate) fn set_request_line(&mut self, method: HttpMethod, version: HttpVersion) {
        (self.method, self.version) = (method, version);
    }

    /// Completes a request whose target, headers, method and version are in place: finds the
    /// path and the query in the target and decodes the path, failing with 400 on a broken
    /// escape (`%zz`); decoded bytes that are not UTF-8 become U+FFFD. The body is not touched:
    /// empty unless [`set_body`](Self::set_body) gave one.
    ///
    /// The addresses are not set here but by [`set_addresses`](Self::set_addresses): they
    /// stay the same for every request on a connection, and a recycled request keeps them.
    ///
    /// `#[inline]`: the engine calls it once per request, from one place
    /// (`engine/connection.rs`), and inlined there it costs no call and no frame of its own. It
    /// takes no arguments, so that is all it saves; how many instructions per request that is
    /// has not been measured.
    #[inline]
    pub(crate) fn start(&mut self) -> Result<(), HttpError> {
        let parts = TargetParts::of(&self.uri);
        // A path with no escapes is served from `uri`. An absolute-form target without a path
        // (`http://host`) has the path `/`, kept as if decoded.
        self.decoded_path = if parts.escaped {
            let decoded = http::decode_path(&self.uri[parts.path.clone()]);
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
        (self.path_range, self.query_range) = (parts.path, parts.query);
        Ok(())
    }

    /// Sets the addresses of the connection's two ends; the engine sets them when a call
    /// starts to serve a connection, not for every request (see `engine/storage.rs`).
    pub(crate) fn set_addresses(&mut self, local: SocketAddr, remote: SocketAddr) {
        (self.local, self.remote) = (local, remote);
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

    /// The path without the query, percent-decoded: `/a%20b?x=1` gives `/a b`.
    ///
    /// Ktor's `path()` returns the path as received, still encoded: that is
    /// [`raw_path`](Self::raw_path) here. Decoded, `%2F` and `/` look the same, so code that
    /// must tell `/a%2Fb` from `/a/b` (as routing does, which splits the raw path first)
    /// reads the raw path. So does code that writes the path where a line break would do
    /// harm, a log above all: `%0A` decodes to one.
    ///
    /// Ktor: `ApplicationRequest.path()`, which does not decode
    pub fn path(&self) -> &str {
        match &self.decoded_path {
            Some(decoded) => decoded,
            None => &self.uri[self.path_range.clone()],
        }
    }

    /// The path without the query, as received: still percent-encoded, so it holds no byte the
    /// request line could not (no space, no control character).
    ///
    /// Ktor: `ApplicationRequest.path()`
    pub fn raw_path(&self) -> &str {
        match &self.uri[self.path_range.clone()] {
            "" => "/", // an absolute-form target without a path, `http://host`
            path => path,
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

    /// Empties the request once its call is over, keeping the capacity of its target and
    /// headers, and its addresses, for the next request on the connection (see
    /// `engine/storage.rs`) and dropping its body and its decoded query. `#[inline]`: a
    /// handful of stores and tests, cheaper than the function call around them (see
    /// `ApplicationCall::recycle`, its one caller).
    ///
    /// The path and query ranges and the decoded path are left as they are: `start` sets all
    /// three for the next request before anything reads them, and resetting them here as well
    /// would cost 5 instructions per request. (A decoded path, rare, is therefore dropped by the
    /// next `start`, not here.)
    #[inline]
    pub(crate) fn recycle(&mut self) {
        self.uri.clear();
        self.headers.clear();
        // Tested first, like the body below: most handlers never decode the query.
        if self.query_parameters.get().is_some() {
            self.query_parameters = OnceCell::new();
        }
        // Emptied rather than marked taken: the next request's body is then in place for the
        // requests that have none, nearly all, and `start` need not set it (setting it there
        // as well would cost a second drop of the old value, 20 instructions per request). A
        // body still empty, as nearly all are, is left as it is: dropping one to assign
        // another tests which of three kinds it is, about 10 instructions per request more
        // than testing its capacity.
        if !matches!(&self.body, RequestBody::Ready(body) if body.capacity() == 0) {
            self.body = RequestBody::Ready(Vec::new());
        }
    }

    /// Gives the request the body the engine read.
    pub(crate) fn set_body(&mut self, body: Vec<u8>) {
        self.body = RequestBody::Ready(body);
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

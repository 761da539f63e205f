//! `RoutingResolveContext`: the parts of a request that selectors look at, and the request path
//! cut into segments.
//!
//! Selectors read the method, the headers, the query parameters and, above all, the path. The
//! path is cut into *segments* once per request, before the tree is searched:
//!
//! ```text
//! raw path            segments               has_trailing_slash
//! /                   []                     true
//! /users/42           [users, 42]            false
//! /users/42/          [users, 42, ""]        true    (a final empty segment)
//! //users///42        [users, 42]            false   (empty pieces in the middle vanish)
//! /files/a%2Fb/c      [files, a/b, c]        false   (cut first, then decoded)
//! ```
//!
//! Two details matter:
//!
//! - **Cut, then decode.** The path is split on the `/` the client actually sent, then each
//!   segment is percent-decoded. Decoding first would turn `%2F` into a separator and make
//!   `/files/a%2Fb` three segments. So the context starts from the *raw* path of the request
//!   target, not from `ApplicationRequest::path`, which is decoded whole.
//! - **The trailing slash is a segment.** `/users/42/` ends with an empty segment, which only a
//!   trailing-slash selector consumes: that is what makes `/users/42` and `/users/42/` different
//!   routes. With `IgnoreTrailingSlash` the slashes around the path are trimmed first, so both
//!   give `[users, 42]` (see `trailing_slash.rs`).
//!
//! Ktor's `SegmentedPath` is a lazy view that decodes a segment only when a selector reads it;
//! the segments here are decoded up front, one small `String` each, which keeps every selector a
//! plain slice lookup.
//!
//! Ktor: `io.ktor.server.routing.RoutingResolveContext` and `SegmentedPath`

use crate::application::{ApplicationCall, HttpError};
use crate::http::{self, Headers, HttpMethod, Parameters};

/// What resolution needs from one request: its method, headers, query parameters and path
/// segments, and whether trailing slashes are ignored.
///
/// Ktor: `io.ktor.server.routing.RoutingResolveContext`
pub struct RoutingResolveContext<'c> {
    method: &'c HttpMethod,
    headers: &'c Headers,
    query: &'c Parameters,
    segments: Vec<String>,
    has_trailing_slash: bool,
    ignore_trailing_slash: bool,
}

impl<'c> RoutingResolveContext<'c> {
    /// The context for `call`'s request. A segment with a broken escape (`%zz`, or a `%`
    /// without two hex digits) is a `400 Bad Request`, as in Ktor; escapes that decode to bytes
    /// that are not UTF-8 become U+FFFD, as Ktor's decoding does too.
    ///
    /// Ktor: `RoutingResolveContext(routing, call, tracers)`
    pub fn new(call: &'c ApplicationCall) -> Result<RoutingResolveContext<'c>, HttpError> {
        let request = call.request();
        let (raw_path, _query) = http::split_target(request.uri());
        RoutingResolveContext::from_parts(
            request.method(),
            raw_path,
            request.headers(),
            request.query_parameters(),
            call.ignore_trailing_slash,
        )
    }

    /// The context for a request given by its parts; `raw_path` is still percent-encoded.
    pub(crate) fn from_parts(
        method: &'c HttpMethod,
        raw_path: &str,
        headers: &'c Headers,
        query: &'c Parameters,
        ignore_trailing_slash: bool,
    ) -> Result<RoutingResolveContext<'c>, HttpError> {
        Ok(RoutingResolveContext {
            method,
            headers,
            query,
            segments: segments(raw_path, ignore_trailing_slash)?,
            has_trailing_slash: raw_path.ends_with('/'),
            ignore_trailing_slash,
        })
    }

    /// The decoded path segments, with a final `""` when the path ends with `/` (see the module
    /// docs).
    ///
    /// Ktor: `RoutingResolveContext.segments`
    pub fn segments(&self) -> &[String] {
        &self.segments
    }

    /// The request method.
    ///
    /// Ktor: `call.request.httpMethod`, as `HttpMethodRouteSelector` reads it
    pub fn method(&self) -> &HttpMethod {
        self.method
    }

    /// The request headers.
    ///
    /// Ktor: `call.request.headers`, as `HttpHeaderRouteSelector` reads them
    pub fn headers(&self) -> &Headers {
        self.headers
    }

    /// The decoded query parameters, which the query selectors read.
    ///
    /// Ktor: `call.parameters`, which before routing are exactly these
    pub fn query_parameters(&self) -> &Parameters {
        self.query
    }

    /// Whether the raw path ends with `/`.
    ///
    /// Ktor: `RoutingResolveContext.hasTrailingSlash`
    pub fn has_trailing_slash(&self) -> bool {
        self.has_trailing_slash
    }

    /// Whether `IgnoreTrailingSlash` is on for this call.
    ///
    /// Ktor: `ApplicationCall.ignoreTrailingSlash`
    pub fn ignores_trailing_slash(&self) -> bool {
        self.ignore_trailing_slash
    }
}

/// Cuts a raw path into decoded segments, as the table in the module docs shows.
///
/// Ktor: `SegmentedPath.parse(path, ignoreTrailingSlash)`
fn segments(raw_path: &str, ignore_trailing_slash: bool) -> Result<Vec<String>, HttpError> {
    if raw_path.is_empty() || raw_path == "/" {
        return Ok(Vec::new());
    }
    let path = if ignore_trailing_slash && raw_path.ends_with('/') {
        raw_path.trim_matches('/')
    } else {
        raw_path
    };
    let mut segments = Vec::new();
    for piece in path.split('/').filter(|piece| !piece.is_empty()) {
        let decoded = http::decode_path(piece).map_err(|error| HttpError::bad_request(error.reason))?;
        segments.push(decoded.into_owned());
    }
    if path.ends_with('/') {
        segments.push(String::new());
    }
    Ok(segments)
}

#[cfg(test)]
mod tests {
    use super::segments;

    /// The table of the module docs.
    #[test]
    fn segments_of_paths() {
        let cut = |path: &str, ignore: bool| segments(path, ignore).unwrap();
        assert_eq!(cut("/", false), Vec::<String>::new());
        assert_eq!(cut("/users/42", false), ["users", "42"]);
        assert_eq!(cut("/users/42/", false), ["users", "42", ""]);
        assert_eq!(cut("//users///42", false), ["users", "42"]);
        assert_eq!(cut("/files/a%2Fb/c", false), ["files", "a/b", "c"]);
        assert_eq!(cut("/users/42/", true), ["users", "42"]);
        assert_eq!(cut("/a//", true), ["a"]);
        assert_eq!(cut("/a//", false), ["a", ""]);
    }

    /// A broken escape in a segment is a 400.
    #[test]
    fn broken_escape_is_bad_request() {
        let error = segments("/a%zz", false).unwrap_err();
        assert_eq!(error.status.value, 400);
    }
}

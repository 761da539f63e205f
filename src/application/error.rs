//! Errors that carry an HTTP status, and the two misuse errors of the call API.
//!
//! A handler returns `Result<()>`. When an error escapes the whole pipeline, the engine answers
//! for it (`engine/respond_failure` in Ktor's `handleFailure`): an [`HttpError`] becomes a
//! response with its own status and message, anything else a `500 Internal Server Error`.
//!
//! Ktor has one exception class per status (`BadRequestException`, `NotFoundException`,
//! `PayloadTooLargeException`, ...) and a table mapping them to codes. One struct that carries
//! its status does the same work with one type, and it is just as easy to match on.
//!
//! Ktor: `defaultExceptionStatusCode` and the exceptions it maps (`BadRequestException`, ...)

use std::error::Error as StdError;
use std::fmt;

use crate::http::HttpStatusCode;

/// An error that should reach the client as a particular status, with its message as the body.
///
/// ```
/// use mini_ktor::prelude::*;
///
/// fn parse_id(text: &str) -> Result<u64> {
///     text.parse().map_err(|_| HttpError::bad_request(format!("not an id: {text}")).into())
/// }
/// let error = parse_id("seven").unwrap_err();
/// let http = error.downcast_ref::<HttpError>().unwrap();
/// assert_eq!(http.status, HttpStatusCode::BAD_REQUEST);
/// ```
///
/// Ktor: `io.ktor.server.plugins.BadRequestException`, `NotFoundException` and their siblings
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpError {
    /// The status to answer with.
    pub status: HttpStatusCode,
    /// Sent as a `text/plain` body; may be empty.
    pub message: String,
}

impl HttpError {
    /// An error answered with `status` and `message`.
    ///
    /// Ktor: none; Ktor has one exception class per status, mapped by `defaultExceptionStatusCode`
    pub fn new(status: HttpStatusCode, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            message: message.into(),
        }
    }

    /// `400 Bad Request`: the client sent something this handler cannot use.
    ///
    /// Ktor: `BadRequestException`
    pub fn bad_request(message: impl Into<String>) -> HttpError {
        HttpError::new(HttpStatusCode::BAD_REQUEST, message)
    }

    /// `404 Not Found`.
    ///
    /// Ktor: `NotFoundException`
    pub fn not_found(message: impl Into<String>) -> HttpError {
        HttpError::new(HttpStatusCode::NOT_FOUND, message)
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl StdError for HttpError {}

/// A second `respond` on a call whose response is already committed.
///
/// Ktor: `io.ktor.server.response.ResponseAlreadySentException`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseAlreadySent;

impl fmt::Display for ResponseAlreadySent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Response has already been sent")
    }
}

impl StdError for ResponseAlreadySent {}

/// A second `receive_*` on a call whose body was already taken.
///
/// Ktor: `io.ktor.server.request.RequestAlreadyConsumedException`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestAlreadyConsumed;

impl fmt::Display for RequestAlreadyConsumed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Request body has already been consumed (received)")
    }
}

impl StdError for RequestAlreadyConsumed {}

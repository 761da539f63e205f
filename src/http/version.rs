//! Protocol versions (RFC 9112 §2.3).
//!
//! # Concept
//!
//! The last word of a request line names the protocol version the client
//! speaks. It matters for two decisions: the connection default (HTTP/1.1
//! keeps the connection open unless told otherwise, HTTP/1.0 closes it) and
//! which features may be used (HTTP/1.0 has no chunked transfer coding and no
//! mandatory `Host`).
//!
//! ```text
//! HTTP-version  = HTTP-name "/" DIGIT "." DIGIT
//! HTTP-name     = %s"HTTP"
//! ```
//!
//! Only the two versions this server speaks are represented. Any other
//! well-formed version is refused by the parser with 505 before a value of
//! this type would be needed, so there is no `Other` variant to handle.
//!
//! That includes `HTTP/1.2` and above, although RFC 9110 §2.5 says a
//! recipient SHOULD process a higher minor version of a major version it
//! implements as the highest minor version it knows: no such version exists,
//! no client sends one, and a request that claims one is more likely a probe
//! than a future client. Answering 505 says plainly what this server speaks
//! (§15.6.6) rather than guessing.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.HttpProtocolVersion`, a data class with `name`, `major`,
//! `minor` and predefined values such as `HTTP_1_1`. Its extra generality
//! serves the HTTP/2 and HTTP/3 engines, which this crate does not have.

use std::fmt;

/// The HTTP version of a request.
///
/// Ktor: `io.ktor.http.HttpProtocolVersion`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum HttpVersion {
    /// `HTTP/1.0` (RFC 1945). Ktor: `HttpProtocolVersion.HTTP_1_0`.
    Http10,
    /// `HTTP/1.1` (RFC 9112). Ktor: `HttpProtocolVersion.HTTP_1_1`.
    Http11,
}

impl HttpVersion {
    /// The version as it appears on the wire: `"HTTP/1.0"` or `"HTTP/1.1"`.
    ///
    /// Ktor: `HttpProtocolVersion.toString`.
    pub fn as_str(self) -> &'static str {
        match self {
            HttpVersion::Http10 => "HTTP/1.0",
            HttpVersion::Http11 => "HTTP/1.1",
        }
    }
}

/// Writes `HTTP/1.0` or `HTTP/1.1`.
///
/// Ktor: `HttpProtocolVersion.toString`.
impl fmt::Display for HttpVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::HttpVersion;

    /// Both versions print their wire form.
    #[test]
    fn wire_form() {
        assert_eq!(HttpVersion::Http10.as_str(), "HTTP/1.0");
        assert_eq!(HttpVersion::Http11.to_string(), "HTTP/1.1");
    }
}

//! Request methods (RFC 9110 §9).
//!
//! # Concept
//!
//! The method is the first word of the request line and says what the client
//! wants done with the target resource: read it (`GET`), replace it (`PUT`),
//! process a body (`POST`), and so on. On the wire it is just a token
//! (RFC 9110 §9.1), so any `tchar` word is a syntactically valid method; what
//! a server does with a method it does not know is a routing question (405 or
//! 501), not a parsing one.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.HttpMethod` is a data class around a `String`, with
//! predefined values such as `HttpMethod.Get` and a `parse` function that
//! returns the predefined value for a known name and a new instance otherwise.
//! Here the standard methods are enum variants, so a `match` is exhaustive and
//! comparing two methods compares a discriminant instead of two strings.
//! Anything else is kept, not rejected, as [`HttpMethod::Other`].
//!
//! # Data flow
//!
//! The request parser hands out the method as a borrowed `&str`; the engine
//! calls [`HttpMethod::parse`] once per request. The nine standard names cost
//! no allocation; only an unknown method allocates its `Box<str>`.

use std::fmt;

/// An HTTP request method.
///
/// The variants are the eight methods of RFC 9110 §9.3 plus `PATCH`
/// (RFC 5789). Build values with [`HttpMethod::parse`]: `Other("GET".into())`
/// is a different value from `Get`, so never construct `Other` with a
/// standard name.
///
/// Ktor: `io.ktor.http.HttpMethod`.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum HttpMethod {
    /// `GET`: transfer a current representation of the target (§9.3.1).
    /// Ktor: `HttpMethod.Get`.
    Get,
    /// `HEAD`: like GET, but the response carries no content (§9.3.2).
    /// Ktor: `HttpMethod.Head`.
    Head,
    /// `POST`: let the target process the enclosed content (§9.3.3).
    /// Ktor: `HttpMethod.Post`.
    Post,
    /// `PUT`: replace the target's state with the content (§9.3.4).
    /// Ktor: `HttpMethod.Put`.
    Put,
    /// `DELETE`: remove the association with the target (§9.3.5).
    /// Ktor: `HttpMethod.Delete`.
    Delete,
    /// `CONNECT`: open a tunnel (§9.3.6). The parser refuses it with 501.
    /// Ktor: no predefined value (`HttpMethod("CONNECT")`).
    Connect,
    /// `OPTIONS`: ask about communication options (§9.3.7).
    /// Ktor: `HttpMethod.Options`.
    Options,
    /// `TRACE`: loop the request back (§9.3.8).
    /// Ktor: no predefined value (`HttpMethod("TRACE")`).
    Trace,
    /// `PATCH`: apply a partial modification (RFC 5789).
    /// Ktor: `HttpMethod.Patch`.
    Patch,
    /// Any other token, for example `PROPFIND` from WebDAV.
    /// Ktor: `HttpMethod(value)` built by `HttpMethod.parse`.
    Other(Box<str>),
}

impl HttpMethod {
    /// Maps a method token to a method, case-sensitively.
    ///
    /// RFC 9110 §9.1: "The method token is case-sensitive", so `get` is not
    /// `GET` but an unknown method, and a router will not match it against
    /// `GET` routes. Some servers upper-case the token first; that would make
    /// two different requests look the same, which is what the RFC rules out.
    ///
    /// The token is not validated here: the request parser only hands out
    /// well-formed tokens.
    ///
    /// Ktor: `HttpMethod.parse`.
    pub fn parse(token: &str) -> HttpMethod {
        match token {
            "GET" => HttpMethod::Get,
            "HEAD" => HttpMethod::Head,
            "POST" => HttpMethod::Post,
            "PUT" => HttpMethod::Put,
            "DELETE" => HttpMethod::Delete,
            "CONNECT" => HttpMethod::Connect,
            "OPTIONS" => HttpMethod::Options,
            "TRACE" => HttpMethod::Trace,
            "PATCH" => HttpMethod::Patch,
            other => HttpMethod::Other(other.into()),
        }
    }

    /// The method token as it appears on the wire, e.g. `"GET"`.
    ///
    /// Ktor: `HttpMethod.value`.
    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Head => "HEAD",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Connect => "CONNECT",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Other(token) => token,
        }
    }
}

/// Writes the method token, e.g. `GET`.
///
/// Ktor: `HttpMethod.toString` (which prints `HttpMethod(value=GET)`; the bare
/// token is more useful in logs and status pages).
impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::HttpMethod;

    /// Every standard name survives a parse / as_str round trip.
    #[test]
    fn standard_names_round_trip() {
        for name in [
            "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH",
        ] {
            let method = HttpMethod::parse(name);
            assert!(!matches!(method, HttpMethod::Other(_)), "{name}");
            assert_eq!(method.as_str(), name);
            assert_eq!(method.to_string(), name);
        }
    }

    /// Lower-case `get` is a different, unknown method (RFC 9110 §9.1).
    #[test]
    fn parsing_is_case_sensitive() {
        assert_eq!(HttpMethod::parse("get"), HttpMethod::Other("get".into()));
        assert_ne!(HttpMethod::parse("get"), HttpMethod::Get);
    }

    /// Extension methods are kept verbatim.
    #[test]
    fn unknown_methods_are_kept() {
        let method = HttpMethod::parse("PROPFIND");
        assert_eq!(method.as_str(), "PROPFIND");
    }
}

//! Response status codes (RFC 9110 §15).
//!
//! # Concept
//!
//! A status code is the three-digit result of a request. The first digit is
//! its class: 1xx informational, 2xx success, 3xx redirection, 4xx client
//! error, 5xx server error. The reason phrase after it on the status line is
//! for humans only; RFC 9112 §4 says a client SHOULD ignore it.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.HttpStatusCode` is a data class of `value` and `description`
//! with one companion value per well-known code (`HttpStatusCode.NotFound`).
//! This file keeps the same two fields and the same list, written in Rust's
//! constant case (`HttpStatusCode::NOT_FOUND`).
//!
//! Two differences are deliberate:
//!
//! - Reason phrases follow RFC 9110, which renamed a few codes since Ktor
//!   chose its descriptions: 413 is "Content Too Large" (Ktor: "Payload Too
//!   Large"), 414 "URI Too Long" (Ktor: "Request-URI Too Long"), 416 "Range
//!   Not Satisfiable" (Ktor: "Requested Range Not Satisfiable") and 422
//!   "Unprocessable Content" (Ktor: "Unprocessable Entity"). The constant
//!   names stay Ktor's.
//! - Equality is derived, so it compares the description too. Ktor compares
//!   only `value`. Deriving keeps the constants usable as `match` patterns,
//!   and since [`HttpStatusCode::from_value`] takes descriptions from the same
//!   table, `from_value(404) == NOT_FOUND` still holds; compare `.value` when a
//!   custom description might be involved.
//!
//! # Data flow
//!
//! Handlers pick a constant; the response writer prints `value` and
//! `description` on the status line; the parser's errors carry one so the
//! engine knows what to answer.

use std::fmt;

/// A status code and its reason phrase.
///
/// Ktor: `io.ktor.http.HttpStatusCode`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct HttpStatusCode {
    /// The numeric code, e.g. 404. Ktor: `HttpStatusCode.value`.
    pub value: u16,
    /// The reason phrase, e.g. "Not Found". Ktor: `HttpStatusCode.description`.
    pub description: &'static str,
}

/// Declares the well-known codes once: each line becomes an associated
/// constant with generated docs, and a `match` arm of [`reason_phrase`].
/// One table feeding both means the two can never disagree.
/// The same table also spells out each code's whole [`status_line`].
macro_rules! status_codes {
    ($($value:literal $name:ident $ktor:ident $section:literal $reason:literal;)*) => {
        impl HttpStatusCode {
            $(
                #[doc = concat!("`", stringify!($value), " ", $reason, "` (", $section, ").")]
                #[doc = ""]
                #[doc = concat!("Ktor: `HttpStatusCode.", stringify!($ktor), "`.")]
                pub const $name: HttpStatusCode = HttpStatusCode::new($value, $reason);
            )*
        }

        /// The reason phrase of a code listed above, if it is one.
        fn reason_phrase(value: u16) -> Option<&'static str> {
            match value {
                $($value => Some($reason),)*
                _ => None,
            }
        }

        /// The whole status line of `status` if it is listed above with its
        /// own reason phrase, e.g. `"HTTP/1.1 404 Not Found\r\n"`: what the
        /// response writer sends for it, spelled out at compile time. Each arm
        /// compares the description with a literal of known length, which
        /// compiles to a length test and a load or two, not a call to `memcmp`.
        pub(crate) fn status_line(status: HttpStatusCode) -> Option<&'static str> {
            match status.value {
                $($value if status.description == $reason => {
                    Some(concat!("HTTP/1.1 ", stringify!($value), " ", $reason, "\r\n"))
                })*
                _ => None,
            }
        }
    };
}

status_codes! {
    100 CONTINUE Continue "RFC 9110 §15.2.1" "Continue";
    101 SWITCHING_PROTOCOLS SwitchingProtocols "RFC 9110 §15.2.2" "Switching Protocols";
    200 OK OK "RFC 9110 §15.3.1" "OK";
    201 CREATED Created "RFC 9110 §15.3.2" "Created";
    202 ACCEPTED Accepted "RFC 9110 §15.3.3" "Accepted";
    203 NON_AUTHORITATIVE_INFORMATION NonAuthoritativeInformation "RFC 9110 §15.3.4"
        "Non-Authoritative Information";
    204 NO_CONTENT NoContent "RFC 9110 §15.3.5" "No Content";
    205 RESET_CONTENT ResetContent "RFC 9110 §15.3.6" "Reset Content";
    206 PARTIAL_CONTENT PartialContent "RFC 9110 §15.3.7" "Partial Content";
    300 MULTIPLE_CHOICES MultipleChoices "RFC 9110 §15.4.1" "Multiple Choices";
    301 MOVED_PERMANENTLY MovedPermanently "RFC 9110 §15.4.2" "Moved Permanently";
    302 FOUND Found "RFC 9110 §15.4.3" "Found";
    303 SEE_OTHER SeeOther "RFC 9110 §15.4.4" "See Other";
    304 NOT_MODIFIED NotModified "RFC 9110 §15.4.5" "Not Modified";
    307 TEMPORARY_REDIRECT TemporaryRedirect "RFC 9110 §15.4.8" "Temporary Redirect";
    308 PERMANENT_REDIRECT PermanentRedirect "RFC 9110 §15.4.9" "Permanent Redirect";
    400 BAD_REQUEST BadRequest "RFC 9110 §15.5.1" "Bad Request";
    401 UNAUTHORIZED Unauthorized "RFC 9110 §15.5.2" "Unauthorized";
    402 PAYMENT_REQUIRED PaymentRequired "RFC 9110 §15.5.3" "Payment Required";
    403 FORBIDDEN Forbidden "RFC 9110 §15.5.4" "Forbidden";
    404 NOT_FOUND NotFound "RFC 9110 §15.5.5" "Not Found";
    405 METHOD_NOT_ALLOWED MethodNotAllowed "RFC 9110 §15.5.6" "Method Not Allowed";
    406 NOT_ACCEPTABLE NotAcceptable "RFC 9110 §15.5.7" "Not Acceptable";
    407 PROXY_AUTHENTICATION_REQUIRED ProxyAuthenticationRequired "RFC 9110 §15.5.8"
        "Proxy Authentication Required";
    408 REQUEST_TIMEOUT RequestTimeout "RFC 9110 §15.5.9" "Request Timeout";
    409 CONFLICT Conflict "RFC 9110 §15.5.10" "Conflict";
    410 GONE Gone "RFC 9110 §15.5.11" "Gone";
    411 LENGTH_REQUIRED LengthRequired "RFC 9110 §15.5.12" "Length Required";
    412 PRECONDITION_FAILED PreconditionFailed "RFC 9110 §15.5.13" "Precondition Failed";
    413 PAYLOAD_TOO_LARGE PayloadTooLarge "RFC 9110 §15.5.14" "Content Too Large";
    414 URI_TOO_LONG RequestURITooLong "RFC 9110 §15.5.15" "URI Too Long";
    415 UNSUPPORTED_MEDIA_TYPE UnsupportedMediaType "RFC 9110 §15.5.16"
        "Unsupported Media Type";
    416 REQUESTED_RANGE_NOT_SATISFIABLE RequestedRangeNotSatisfiable "RFC 9110 §15.5.17"
        "Range Not Satisfiable";
    417 EXPECTATION_FAILED ExpectationFailed "RFC 9110 §15.5.18" "Expectation Failed";
    422 UNPROCESSABLE_ENTITY UnprocessableEntity "RFC 9110 §15.5.21" "Unprocessable Content";
    426 UPGRADE_REQUIRED UpgradeRequired "RFC 9110 §15.5.22" "Upgrade Required";
    429 TOO_MANY_REQUESTS TooManyRequests "RFC 6585 §4" "Too Many Requests";
    431 REQUEST_HEADER_FIELDS_TOO_LARGE RequestHeaderFieldTooLarge "RFC 6585 §5"
        "Request Header Fields Too Large";
    500 INTERNAL_SERVER_ERROR InternalServerError "RFC 9110 §15.6.1" "Internal Server Error";
    501 NOT_IMPLEMENTED NotImplemented "RFC 9110 §15.6.2" "Not Implemented";
    502 BAD_GATEWAY BadGateway "RFC 9110 §15.6.3" "Bad Gateway";
    503 SERVICE_UNAVAILABLE ServiceUnavailable "RFC 9110 §15.6.4" "Service Unavailable";
    504 GATEWAY_TIMEOUT GatewayTimeout "RFC 9110 §15.6.5" "Gateway Timeout";
    505 VERSION_NOT_SUPPORTED VersionNotSupported "RFC 9110 §15.6.6" "HTTP Version Not Supported";
}

impl HttpStatusCode {
    /// A status code with a description of your choice.
    ///
    /// Ktor: the `HttpStatusCode(value, description)` constructor.
    pub const fn new(value: u16, description: &'static str) -> HttpStatusCode {
        HttpStatusCode { value, description }
    }

    /// The well-known code for `value`, or `value` with the description
    /// "Unknown Status Code" (Ktor's wording) when the code is not listed.
    ///
    /// Ktor: `HttpStatusCode.fromValue`.
    pub fn from_value(value: u16) -> HttpStatusCode {
        HttpStatusCode::new(value, reason_phrase(value).unwrap_or("Unknown Status Code"))
    }

    /// Whether the code is in the 2xx class.
    ///
    /// Ktor: `HttpStatusCode.isSuccess()`.
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.value)
    }

    /// Whether a response with this status never has a body: 1xx, `204 No Content` and
    /// `304 Not Modified` (RFC 9110 §6.4.1), whatever content a handler gave it.
    ///
    /// Ktor: none; its engines decide it where they write the response
    #[inline]
    pub fn forbids_body(self) -> bool {
        // `200`, by far the most common status, is settled by its first comparison.
        self.value != 200 && matches!(self.value, 100..=199 | 204 | 304)
    }
}

/// Writes `"404 Not Found"`: the code, a space, the description.
///
/// Ktor: `HttpStatusCode.toString`, which is `"$value $description"`.
impl fmt::Display for HttpStatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.value, self.description)
    }
}

#[cfg(test)]
mod tests {
    use super::HttpStatusCode;

    /// 1xx, 204 and 304 never have a body; every other status may, 200 above all.
    #[test]
    fn which_statuses_forbid_a_body() {
        for value in [100, 101, 103, 199, 204, 304] {
            assert!(HttpStatusCode::from_value(value).forbids_body(), "{value}");
        }
        for value in [200, 201, 205, 206, 301, 404, 500, 999] {
            assert!(!HttpStatusCode::from_value(value).forbids_body(), "{value}");
        }
    }

    /// Display matches Ktor's `toString`.
    #[test]
    fn display_is_value_then_description() {
        assert_eq!(HttpStatusCode::NOT_FOUND.to_string(), "404 Not Found");
        assert_eq!(
            HttpStatusCode::VERSION_NOT_SUPPORTED.to_string(),
            "505 HTTP Version Not Supported"
        );
    }

    /// `from_value` finds listed codes and labels the rest as unknown.
    #[test]
    fn from_value_known_and_unknown() {
        assert_eq!(HttpStatusCode::from_value(414), HttpStatusCode::URI_TOO_LONG);
        let odd = HttpStatusCode::from_value(599);
        assert_eq!((odd.value, odd.description), (599, "Unknown Status Code"));
    }

    /// The constants work as match patterns.
    #[test]
    fn constants_are_patterns() {
        let is_not_found = matches!(HttpStatusCode::from_value(404), HttpStatusCode::NOT_FOUND);
        assert!(is_not_found);
        assert!(HttpStatusCode::NO_CONTENT.is_success());
        assert!(!HttpStatusCode::FOUND.is_success());
    }

    /// Every listed code has a status line made of `HTTP/1.1`, its value and
    /// its description, which is a valid phrase; unlisted codes have none.
    #[test]
    fn status_lines_match_the_constants() {
        for value in 0..=1000u16 {
            let status = HttpStatusCode::from_value(value);
            match super::status_line(status) {
                Some(line) => {
                    assert_eq!(line, format!("HTTP/1.1 {status}\r\n"));
                    // The writer sends these phrases without checking them again.
                    assert!(crate::http::is_valid_header_value(status.description), "{value}");
                }
                None => assert_eq!(status.description, "Unknown Status Code", "{value}"),
            }
            // Any other phrase, even a near miss, gets no line from the table.
            for phrase in ["", "ok", "OK ", "Not Found", "Custom"] {
                if phrase != status.description {
                    assert_eq!(super::status_line(HttpStatusCode::new(value, phrase)), None);
                }
            }
        }
        assert_eq!(
            super::status_line(HttpStatusCode::OK),
            Some("HTTP/1.1 200 OK\r\n")
        );
    }
}

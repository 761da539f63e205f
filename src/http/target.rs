//! Request-target forms and the `Host` field (RFC 9112 §3.2, §3.3).
//!
//! # Concept
//!
//! The request-target on the request line and the `Host` field together tell
//! the server which resource is meant. RFC 9112 §3.2 allows four shapes of
//! target:
//!
//! ```text
//! request-target = origin-form / absolute-form / authority-form / asterisk-form
//! origin-form    = absolute-path [ "?" query ]      ; GET /where?q=now
//! absolute-form  = absolute-URI                      ; GET http://example.com/
//! authority-form = uri-host ":" port                 ; CONNECT example.com:443
//! asterisk-form  = "*"                               ; OPTIONS *
//! ```
//!
//! and RFC 9110 §7.2 gives `Host` the authority grammar of RFC 3986 §3.2.2:
//!
//! ```text
//! Host        = uri-host [ ":" port ]
//! uri-host    = IP-literal / IPv4address / reg-name
//! IP-literal  = "[" ( IPv6address / IPvFuture ) "]"
//! reg-name    = *( unreserved / pct-encoded / sub-delims )
//! port        = *DIGIT
//! ```
//!
//! # Decisions
//!
//! - **CONNECT is refused with 501.** authority-form exists only for CONNECT,
//!   which turns the connection into a blind tunnel: that is a proxy's job,
//!   not an application server's. RFC 9110 §15.6.2 names 501 for "does not
//!   support the functionality required", and Ktor CIO has no tunnel either.
//! - **absolute-form must be an `http` or `https` URI with a valid host** and
//!   no userinfo (RFC 9110 §4.2.4: a recipient SHOULD treat userinfo as an
//!   error). Other schemes are not resources this server can serve.
//! - **An empty `Host` is allowed when the target has no authority**
//!   (origin-form, asterisk-form). RFC 9112 §3.2 tells clients to send an
//!   empty Host when the target URI has no authority; with an absolute-form
//!   target the authority is right there, so an empty Host contradicts it
//!   and gets 400. The value of a present Host is not compared with the
//!   absolute-form authority: §3.2.2 says the server MUST ignore Host then.
//! - **The port, when its colon is present, needs at least one digit.** The
//!   grammar allows `example.com:`; Ktor CIO rejects it and no client sends
//!   it, so an empty port is treated as a typo rather than as "default".
//! - **IP-literals are checked loosely**: hex digits, colons and dots inside
//!   brackets. IPvFuture and zone identifiers are refused; nothing routes on
//!   them, and a full IPv6 validator would double this file.
//!
//! # Ktor counterpart
//!
//! Ktor CIO checks only that Host does not end with `:` and contains none of
//! `/ ? # @` (`HttpParser.kt`), and does not validate the target form.

use super::parser::ParseError;
use super::syntax::{self, REG_NAME};
use super::version::HttpVersion;

/// Which of the request-target forms a target is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TargetForm {
    /// `/path?query`.
    Origin,
    /// `http://host/path?query`.
    Absolute,
    /// `*`, for server-wide OPTIONS.
    Asterisk,
}

/// Classifies a syntactically clean target (visible ASCII only) and checks
/// that its form is allowed with `method`.
pub(crate) fn check_target(method: &str, target: &str) -> Result<TargetForm, ParseError> {
    if method == "CONNECT" {
        return Err(ParseError::not_implemented("CONNECT is not supported"));
    }
    if target.starts_with('/') {
        return Ok(TargetForm::Origin);
    }
    if target == "*" {
        return match method {
            "OPTIONS" => Ok(TargetForm::Asterisk),
            _ => Err(ParseError::bad_request("asterisk-form target without OPTIONS")),
        };
    }
    match absolute_authority(target) {
        Some(authority) if is_valid_host(authority.as_bytes()) => Ok(TargetForm::Absolute),
        Some(_) => Err(ParseError::bad_request(
            "invalid authority in absolute-form target",
        )),
        None => Err(ParseError::bad_request("request-target has no valid form")),
    }
}

/// For `http://authority/...` or `https://authority/...` (scheme in any case,
/// RFC 3986 §3.1), the authority; `None` for anything else.
fn absolute_authority(target: &str) -> Option<&str> {
    let (scheme, rest) = target.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    // path-abempty starts with "/", query with "?"; the authority ends there.
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Applies the RFC 9112 §3.2 rules to the `Host` lines of a complete head.
pub(crate) fn check_host<'a>(
    version: HttpVersion,
    form: TargetForm,
    mut hosts: impl Iterator<Item = &'a [u8]>,
) -> Result<(), ParseError> {
    let first = hosts.next();
    if hosts.next().is_some() {
        return Err(ParseError::bad_request("more than one Host field"));
    }
    match first {
        // HTTP/1.0 predates Host; RFC 9112 §3.2 only requires it of HTTP/1.1.
        None if version == HttpVersion::Http10 => Ok(()),
        None => Err(ParseError::bad_request("HTTP/1.1 request without Host")),
        Some([]) if form == TargetForm::Absolute => {
            Err(ParseError::bad_request("empty Host with an absolute-form target"))
        }
        Some([]) => Ok(()),
        Some(value) if is_valid_host(value) => Ok(()),
        Some(_) => Err(ParseError::bad_request("invalid Host value")),
    }
}

/// Whether `value` is a valid non-empty `uri-host [ ":" port ]`: a reg-name
/// (which covers IPv4 addresses) or a bracketed IPv6 literal, optionally
/// followed by a colon and one or more digits. See the module docs for the
/// decisions on empty ports and IP-literals.
///
/// Ktor: the Host check in `io.ktor.http.cio.HttpParser` (`parseRequest`).
pub fn is_valid_host(value: &[u8]) -> bool {
    let (host, port) = if let Some(inner) = value.strip_prefix(b"[") {
        // IP-literal: everything up to the closing bracket.
        let Some(close) = inner.iter().position(|&b| b == b']') else {
            return false;
        };
        let literal = &inner[..close];
        let valid = !literal.is_empty()
            && literal.contains(&b':')
            && literal
                .iter()
                .all(|&b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        if !valid {
            return false;
        }
        // The literal is the host; only what follows the bracket is left.
        (literal, &inner[close + 1..])
    } else {
        // reg-name cannot contain ':', so the first colon starts the port.
        let colon = value.iter().position(|&b| b == b':').unwrap_or(value.len());
        let (host, port) = value.split_at(colon);
        if !is_reg_name(host) {
            return false;
        }
        (host, port)
    };
    if host.is_empty() {
        return false;
    }
    match port {
        [] => true,
        [b':', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// reg-name = *( unreserved / pct-encoded / sub-delims )
fn is_reg_name(mut bytes: &[u8]) -> bool {
    while let [b, rest @ ..] = bytes {
        bytes = match (b, rest) {
            (b'%', [h, l, rest @ ..]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => rest,
            (b'%', _) => return false,
            (b, rest) if syntax::is(*b, REG_NAME) => rest,
            _ => return false,
        };
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Host values: names, IPv4, IPv6 literals, ports, and rejections.
    #[test]
    fn host_values() {
        for good in [
            "example.com",
            "example.com:8080",
            "127.0.0.1:80",
            "[::1]",
            "[2001:db8::7]:443",
            "xn--bcher-kva.example",
            "a%2Db",
        ] {
            assert!(is_valid_host(good.as_bytes()), "{good}");
        }
        for bad in [
            "",
            ":80",
            "example.com:",
            "example.com:8x",
            "user@host",
            "host/path",
            "a b",
            "[::1",
            "[]",
            "[v1.x]",
            "[::1]x",
            "%zz",
            "h?q",
        ] {
            assert!(!is_valid_host(bad.as_bytes()), "{bad}");
        }
    }

    /// Absolute-form accepts only http(s) with an authority.
    #[test]
    fn absolute_form() {
        assert_eq!(
            check_target("GET", "http://a.example/x"),
            Ok(TargetForm::Absolute)
        );
        assert_eq!(
            check_target("GET", "HTTPS://a.example?q"),
            Ok(TargetForm::Absolute)
        );
        assert!(check_target("GET", "ftp://a.example/").is_err());
        assert!(check_target("GET", "http://u@a.example/").is_err());
        assert!(check_target("GET", "http:///x").is_err());
    }
}

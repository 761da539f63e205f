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
//! - **An empty `Host` is allowed.** RFC 9112 §3.2 tells clients to send an
//!   empty Host when the target URI has no authority (origin-form,
//!   asterisk-form), and an empty reg-name is a valid `uri-host`. With an
//!   absolute-form target, §3.2.2 says the server MUST ignore Host, so a Host
//!   that differs from the target's authority, or is empty, is not refused;
//!   only one that is no valid `uri-host [ ":" port ]` at all is (§3.2).
//! - **The port, when its colon is present, needs at least one digit.** The
//!   grammar allows `example.com:`; Ktor CIO rejects it and no client sends
//!   it, so an empty port is treated as a typo rather than as "default".
//! - **IP-literals are IPv6 addresses**, read by std's `Ipv6Addr` parser,
//!   whose text forms (RFC 4291 §2.2) are RFC 3986's `IPv6address`; so `[:]`
//!   is refused as surely as `[::1` is. IPvFuture and zone identifiers are
//!   refused: no client sends them, and nothing routes on them.
//!
//! # Data flow
//!
//! The parser (`parser.rs`) calls `check_target` as soon as the request
//! line is read, so that a refused target is refused before the field lines
//! arrive, and `check_host` once they have all been read, with the `Host`
//! values `field_lines.rs` noticed on the way and the target's form.
//!
//! # Ktor counterpart
//!
//! Ktor CIO checks only that Host does not end with `:` and contains none of
//! `/ ? # @` (`HttpParser.kt`), and does not validate the target form.

use std::net::Ipv6Addr;

use super::parser::ParseError;
use super::scan;
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
///
/// Both are taken as bytes (`&str` or `&[u8]`): the parser calls this before
/// the head is complete, when its bytes have not been turned into `str` yet
/// (see `head_text.rs` for why that happens once, at the end).
#[inline]
pub(crate) fn check_target(
    method: &(impl AsRef<[u8]> + ?Sized),
    target: &(impl AsRef<[u8]> + ?Sized),
) -> Result<TargetForm, ParseError> {
    let (method, target) = (method.as_ref(), target.as_ref());
    if method == b"CONNECT" {
        return Err(ParseError::not_implemented("CONNECT is not supported"));
    }
    if target.first() == Some(&b'/') {
        return Ok(TargetForm::Origin);
    }
    if target == b"*" {
        return match method {
            b"OPTIONS" => Ok(TargetForm::Asterisk),
            _ => Err(ParseError::bad_request("asterisk-form target without OPTIONS")),
        };
    }
    match absolute_authority(target) {
        Some(authority) if is_valid_host(authority) => Ok(TargetForm::Absolute),
        Some(_) => Err(ParseError::bad_request(
            "invalid authority in absolute-form target",
        )),
        None => Err(ParseError::bad_request("request-target has no valid form")),
    }
}

/// For `http://authority/...` or `https://authority/...` (scheme in any case,
/// RFC 3986 §3.1), the authority; `None` for anything else.
fn absolute_authority(target: &[u8]) -> Option<&[u8]> {
    let separator = target.windows(3).position(|w| w == b"://")?;
    let (scheme, rest) = (&target[..separator], &target[separator + 3..]);
    if !scheme.eq_ignore_ascii_case(b"http") && !scheme.eq_ignore_ascii_case(b"https") {
        return None;
    }
    // path-abempty starts with "/", query with "?"; the authority ends there.
    let end = rest.iter().position(|&b| b == b'/' || b == b'?');
    Some(&rest[..end.unwrap_or(rest.len())])
}

/// The `Host` lines of a head, as the parser found them.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct HostLines<'b> {
    /// The value of the first, if any.
    pub(crate) first: Option<&'b [u8]>,
    /// Whether the parser already found `first` valid while reading it (see
    /// [`plain_host_len`]), so it need not be checked again.
    pub(crate) first_valid: bool,
    /// Whether there is more than one: such a request is refused.
    pub(crate) more: bool,
}

/// Applies the RFC 9112 §3.2 rules to the `Host` lines of a complete head.
#[inline]
pub(crate) fn check_host(version: HttpVersion, hosts: &HostLines) -> Result<(), ParseError> {
    if hosts.more {
        return Err(ParseError::bad_request("more than one Host field"));
    }
    match hosts.first {
        // HTTP/1.0 predates Host; RFC 9112 §3.2 only requires it of HTTP/1.1.
        None if version == HttpVersion::Http10 => Ok(()),
        None => Err(ParseError::bad_request("HTTP/1.1 request without Host")),
        Some(_) if hosts.first_valid => Ok(()),
        // Empty: what a client sends for a target without an authority; with an absolute-form
        // target, whose authority is right there, Host is ignored anyway (RFC 9112 §3.2.2).
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
/// Nearly every Host is a name or an IPv4 address, maybe with a port, which
/// `plain_host_len` measures a word at a time; when that covers the whole
/// value, the answer is yes. Anything else (an IP-literal, `%`-escapes, `_`
/// or sub-delims, or an invalid value) is read byte by byte below with the
/// full rules, so the fast path can only say yes sooner, never change an
/// answer.
///
/// The byte-by-byte reading takes one pass too: the reg-name runs up to the
/// first byte that cannot continue it, and whatever follows must be the port.
/// A reg-name cannot contain `:`, so that is the same as splitting at the
/// first colon and checking both sides, with one walk instead of three.
///
/// Ktor: the Host check in `io.ktor.http.cio.HttpParser` (`parseRequest`).
pub fn is_valid_host(value: &[u8]) -> bool {
    let plain = plain_host_len(value);
    if plain > 0 && plain == value.len() {
        return true;
    }
    match value {
        [b'[', inner @ ..] => ip_literal_port(inner).is_some_and(is_port),
        _ => {
            let host_len = reg_name_len(value);
            host_len > 0 && is_port(&value[host_len..])
        }
    }
}

/// The length of the `host [ ":" port ]` at the start of `bytes` when the
/// host is plain: letters, digits, dots and dashes, a name or an IPv4
/// address; 0 when `bytes` does not start with such a host.
///
/// Whenever this is not 0, the first that many bytes are a valid Host value:
/// a non-empty run of reg-name bytes, and if a colon follows, at least one
/// digit after it (otherwise the colon is left out). Both runs go a word at a
/// time (`scan.rs`). The parser calls this on a `Host` line's value and the
/// rest of the head after it, and when CRLF follows, it has checked the
/// value and found its end in one walk, where the plain way scans the value
/// for its end and then walks it again here.
#[inline(always)]
pub(crate) fn plain_host_len(bytes: &[u8]) -> usize {
    let host = scan::host_name_run(bytes);
    match bytes.get(host + 1..) {
        Some(port) if host > 0 && bytes[host] == b':' => match scan::digit_run(port) {
            0 => host,
            digits => host + 1 + digits,
        },
        _ => host,
    }
}

/// Whether what follows the host is a valid port part: nothing, or a colon
/// and at least one digit.
fn is_port(rest: &[u8]) -> bool {
    match rest {
        [] => true,
        [b':', digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
        _ => false,
    }
}

/// For the bytes after a `[`: what follows the closing bracket, if the
/// IP-literal before it is an IPv6 address. Rare, so kept out of the common
/// path.
#[inline(never)]
fn ip_literal_port(inner: &[u8]) -> Option<&[u8]> {
    let close = inner.iter().position(|&b| b == b']')?;
    let literal = std::str::from_utf8(&inner[..close]).ok()?;
    literal.parse::<Ipv6Addr>().ok()?;
    Some(&inner[close + 1..])
}

/// The length of the reg-name at the start of `bytes`:
///
/// ```text
/// reg-name    = *( unreserved / pct-encoded / sub-delims )
/// pct-encoded = "%" HEXDIG HEXDIG
/// ```
///
/// A `%` without two hex digits after it ends the reg-name, like any other
/// byte outside it; the caller then finds no valid port there.
fn reg_name_len(bytes: &[u8]) -> usize {
    let mut len = 0;
    loop {
        // Runs without `%` are the rule; a tight loop takes them whole.
        let rest = &bytes[len..];
        len += rest
            .iter()
            .position(|&b| !syntax::is(b, REG_NAME))
            .unwrap_or(rest.len());
        match bytes[len..] {
            [b'%', h, l, ..] if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => len += 3,
            _ => return len,
        }
    }
}

#[cfg(test)]
mod tests;

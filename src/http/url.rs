//! From a request-target to a decoded path and query parameters (RFC 3986,
//! WHATWG URL `application/x-www-form-urlencoded`).
//!
//! # Concept
//!
//! The parser hands out the target exactly as sent: `/caf%C3%A9?q=a+b`.
//! Routing wants the path `/café` and the parameter `q = "a b"`. Three steps
//! get there:
//!
//! 1. [`split_target`] cuts the target into path and query (dropping the
//!    scheme and authority of an absolute-form target).
//! 2. [`decode_path`] undoes percent-encoding in the path (RFC 3986 §2.1).
//! 3. [`parse_query`] splits the query into pairs and decodes each part with
//!    the form rules, where `+` also means space.
//!
//! ```text
//! origin-form    = absolute-path [ "?" query ]
//! pct-encoded    = "%" HEXDIG HEXDIG
//! unreserved     = ALPHA / DIGIT / "-" / "." / "_" / "~"
//! ```
//!
//! # Decisions
//!
//! - **A broken escape is an error in a path, not in a query.** In a path,
//!   `%zz` or a lone `%` is 400: such a target is not a URI at all
//!   (RFC 3986 §2.1), the router could not match it reliably, and a file
//!   server must never guess at a path. A query is decoded like browsers
//!   decode forms (the WHATWG URL standard): a broken escape stays literal.
//!   One odd parameter then does not fail the whole request, and the handler
//!   that reads it decides.
//! - **Escapes that are not UTF-8 become U+FFFD**, in paths and queries
//!   alike. `/caf%E9` (Latin-1, as old clients send it) is a valid target,
//!   so it is answered, with the path `/caf\u{FFFD}`; this is what Ktor does
//!   (its `decodeURLPart` turns the bytes into a `String`, and the JVM
//!   replaces what does not decode). Refusing it with 400, the stricter
//!   choice, would refuse requests that the rest of the server can serve
//!   (an interceptor that only looks at the raw `uri`, say). The
//!   replacement character cannot form `/` or `..`, so a file server that
//!   receives it looks for a name it will not find, never outside its root.
//! - **`+` stays `+` in paths.** Only form encoding gives `+` the meaning of
//!   a space; in a path it is an ordinary sub-delim.
//! - **`%2F` decodes to `/`.** Decoding the whole path merges encoded and
//!   literal slashes, so a router that must tell them apart should split
//!   the raw path into segments first and decode each segment.
//! - **Decoding borrows when it can**: a path without `%` comes back as
//!   `Cow::Borrowed`, so the common case allocates nothing.
//!
//! - **A query splits as a browser splits a form** (WHATWG's
//!   `application/x-www-form-urlencoded` parser), which differs from Ktor's
//!   `parseQueryString` at the edges: `?flag` is `flag` with the value `""`
//!   (Ktor: a name with no values, so `get` finds none); `?=v` keeps the
//!   empty name (Ktor drops the pair); `+` is a space in names as in values
//!   (Ktor: in values only); and spaces around names and values are kept
//!   (Ktor trims them). Ktor also stops after 1,000 pairs; here the request
//!   target's and the body's size limits bound the count. The browser's rules
//!   are the ones the other side of a form follows, and they are one rule for
//!   names and values alike.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.decodeURLPart`, `decodeURLQueryComponent`,
//! `parseQueryString` and `encodeURLParameter` (`io.ktor.http.Codecs.kt`,
//! `Query.kt`). Ktor throws `URLDecodeException` on a broken escape in a
//! query too; its `encodeURLParameter` leaves the same unreserved set alone.

use super::limits::ParseError;
use super::parameters::Parameters;
use super::scan::{HIGHS, ONES};
use super::syntax::{self, UNRESERVED};
use std::borrow::Cow;
use std::ops::Range;

/// Splits a request-target into its path and its query (without the `?`).
/// For an absolute-form target the scheme and authority are skipped first;
/// an empty path is returned as `/` (RFC 9112 §3.2.1). A fragment, which
/// clients should never send, is dropped.
///
/// Ktor: `ApplicationRequest.path()` and `queryString()`.
pub fn split_target(target: &str) -> (&str, &str) {
    let parts = TargetParts::of(target);
    let path = &target[parts.path];
    (if path.is_empty() { "/" } else { path }, &target[parts.query])
}

/// Where the path and the query lie in a request-target, as [`split_target`]
/// cuts it, and whether the path has an escape to decode. The engine builds
/// every request from this, so the target is gone over once: a loop that
/// stopped at `?` and a second search for `%` would each pay their own setup.
pub(crate) struct TargetParts {
    /// The path, possibly empty (an absolute-form target without one).
    pub(crate) path: Range<usize>,
    /// The query, without `?` and any fragment; `0..0` when there is none.
    pub(crate) query: Range<usize>,
    /// Whether the path holds a `%`, so that [`decode_path`] has work to do.
    pub(crate) escaped: bool,
}

impl TargetParts {
    /// The parts of `target`.
    ///
    /// `#[inline(always)]`: called once per request, and small once the rare absolute form is
    /// out of line, so the call's own cost (saving registers, returning the parts through
    /// memory) is saved. A plain `#[inline]` left it a call from the connection loop, where
    /// `ApplicationRequest::start` is inlined: 23 instructions more per request.
    #[inline(always)]
    pub(crate) fn of(target: &str) -> TargetParts {
        let bytes = target.as_bytes();
        // Nearly every target is origin-form (`/path?query`): only the others have a scheme.
        let start = if target.starts_with('/') {
            0
        } else {
            path_start(target)
        };
        // The path ends at the first `?` or `#`; a `%` before it only marks it as escaped.
        let mut escaped = false;
        let mut from = start;
        let end = loop {
            match first_stop(&bytes[from..]) {
                Some(at) if bytes[from + at] == b'%' => {
                    escaped = true;
                    from += at + 1;
                }
                Some(at) => break from + at,
                None => break bytes.len(),
            }
        };
        let query = if bytes.get(end) == Some(&b'?') {
            let fragment = target[end + 1..].find('#');
            end + 1..fragment.map_or(target.len(), |length| end + 1 + length)
        } else {
            0..0
        };
        TargetParts {
            path: start..end,
            query,
            escaped,
        }
    }
}

/// Where the path of a target that does not start with `/` starts: after the
/// scheme and authority of an absolute-form target (`http://host/path`), else
/// at the start (`*`).
#[cold]
fn path_start(target: &str) -> usize {
    match target.find("://") {
        Some(scheme_end) => {
            let authority = scheme_end + 3;
            let length = target[authority..].find(['/', '?', '#']);
            authority + length.unwrap_or(target.len() - authority)
        }
        None => 0,
    }
}

/// Where the first `?`, `#` or `%` of `bytes` is, if there is one.
///
/// Eight bytes are tested at once (SWAR, as in `scan.rs`): `word ^ repeat(b)`
/// has a zero lane exactly where `word` has `b`, and `(x - 0x01…01) & !x &
/// 0x80…80` flags every zero lane of `x`, and perhaps lanes above one (a
/// borrow), never below one: so the lowest flag of the three tests is the
/// first stop. Once fewer than eight bytes are left, the last word is read so
/// that it ends where `bytes` end: it overlaps bytes already found clean,
/// which cannot be flagged, and no byte loop is needed for the tail. Only
/// input shorter than a word goes byte by byte. For `/plaintext` that is two
/// words, less than half of what a byte loop costs.
fn first_stop(bytes: &[u8]) -> Option<usize> {
    let zero_lanes = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let flags = |word: u64| {
        zero_lanes(word ^ (u64::from(b'?') * ONES))
            | zero_lanes(word ^ (u64::from(b'#') * ONES))
            | zero_lanes(word ^ (u64::from(b'%') * ONES))
    };
    if bytes.len() < 8 {
        return bytes.iter().position(|byte| matches!(byte, b'?' | b'#' | b'%'));
    }
    let mut at = 0;
    loop {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("eight bytes"));
        let found = flags(word);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        if at + 8 == bytes.len() {
            return None;
        }
        at = (at + 8).min(bytes.len() - 8);
    }
}

/// Percent-decodes a path. `%` must be followed by two hex digits, otherwise
/// the result is a 400 error; decoded bytes that are not UTF-8 become U+FFFD.
///
/// Ktor: `io.ktor.http.decodeURLPart`.
pub fn decode_path(path: &str) -> Result<Cow<'_, str>, ParseError> {
    if !path.contains('%') {
        return Ok(Cow::Borrowed(path));
    }
    let mut bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    while let [first, rest @ ..] = bytes {
        bytes = match (first, rest) {
            (b'%', [high, low, rest @ ..]) => match escaped(*high, *low) {
                Some(byte) => {
                    out.push(byte);
                    rest
                }
                None => {
                    return Err(ParseError::bad_request("malformed percent-encoding in path"));
                }
            },
            (b'%', _) => {
                return Err(ParseError::bad_request("malformed percent-encoding in path"));
            }
            (&byte, rest) => {
                out.push(byte);
                rest
            }
        };
    }
    Ok(Cow::Owned(utf8_or_replaced(out)))
}

/// Parses a query string (or an `application/x-www-form-urlencoded` body)
/// into parameters. Pairs are separated by `&`; empty pairs are skipped; a
/// pair without `=` is a name with an empty value; only the first `=`
/// separates, so `a=b=c` gives `a` = `b=c`. (How this differs from Ktor's
/// parser: the module docs.)
///
/// Ktor: `io.ktor.http.parseQueryString`.
pub fn parse_query(query: &str) -> Parameters {
    let mut parameters = Parameters::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        parameters.append(decode_query_component(name), decode_query_component(value));
    }
    parameters
}

/// Decodes one name or value of a query: `+` becomes a space, valid `%XX`
/// escapes become their byte, broken escapes are kept literally, and bytes
/// that are not UTF-8 become U+FFFD (see the module docs).
///
/// Ktor: `io.ktor.http.decodeURLQueryComponent(plusIsSpace = true)`.
pub fn decode_query_component(component: &str) -> String {
    if !component.contains(['+', '%']) {
        return component.to_owned();
    }
    let mut bytes = component.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    while let [first, rest @ ..] = bytes {
        bytes = match (first, rest) {
            (b'+', rest) => {
                out.push(b' ');
                rest
            }
            (b'%', [high, low, after @ ..]) if escaped(*high, *low).is_some() => {
                out.extend(escaped(*high, *low));
                after
            }
            (&byte, rest) => {
                out.push(byte);
                rest
            }
        };
    }
    utf8_or_replaced(out)
}

/// Decoded bytes as text: moved when they are UTF-8, else copied with every
/// invalid sequence replaced by U+FFFD.
fn utf8_or_replaced(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    }
}

/// Percent-encodes every byte of `text` except the unreserved characters
/// (`A-Z a-z 0-9 - . _ ~`), with upper-case hex as RFC 3986 §2.1 recommends.
/// Safe for any part of a URI, and for form values.
///
/// Ktor: `io.ktor.http.encodeURLParameter`.
pub fn encode_uri_component(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &byte in text.as_bytes() {
        if syntax::is(byte, UNRESERVED) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
    out
}

/// The byte that `%` followed by `high` and `low` stands for, if both are hex.
fn escaped(high: u8, low: u8) -> Option<u8> {
    Some(syntax::hex_value(high)? << 4 | syntax::hex_value(low)?)
}

#[cfg(test)]
mod tests {
    use super::{TargetParts, first_stop};

    /// `first_stop` finds what a byte loop finds, wherever the first stop is, whatever the
    /// bytes around it (all kinds of lanes, so borrows between lanes too), for every length up
    /// to five words, so words read whole, overlapping the end, and inputs shorter than a word.
    #[test]
    fn first_stop_finds_the_first_stop() {
        let stops = [b'?', b'#', b'%'];
        for length in 0..40 {
            for at in 0..=length {
                for stop in [b'?', b'#', b'%', 0x80, 0x00] {
                    for filler in [b'a', 0x00, 0x01, 0x24, 0x25 ^ 0x80, 0xff] {
                        let mut path = vec![filler; length];
                        if at < length {
                            path[at] = stop;
                        }
                        let expected = path.iter().position(|byte| stops.contains(byte));
                        assert_eq!(first_stop(&path), expected, "{path:?}");
                        // A second stop after the first changes nothing.
                        if at + 3 < length {
                            path[at + 3] = b'#';
                            let expected = path.iter().position(|byte| stops.contains(byte));
                            assert_eq!(first_stop(&path), expected, "{path:?}");
                        }
                    }
                }
            }
        }
    }

    /// Each target's path, query and escape flag, as `TargetParts` finds them in one pass.
    #[test]
    fn target_parts_table() {
        let cases = [
            ("/plaintext", "/plaintext", "", false),
            ("/a%20b?q=%41", "/a%20b", "q=%41", true),
            ("/a?q=1#frag", "/a", "q=1", false),
            ("/a#frag?not-a-query", "/a", "", false),
            ("/a?", "/a", "", false),
            ("/?%zz", "/", "%zz", false),
            ("http://example.com/x%2Fy?z", "/x%2Fy", "z", true),
            ("http://example.com", "", "", false),
            ("http://example.com?q", "", "q", false),
            ("*", "*", "", false),
            ("/abcdefgh/ijklmnop%41", "/abcdefgh/ijklmnop%41", "", true),
            ("/abcdefg%41bcdefgh", "/abcdefg%41bcdefgh", "", true),
            ("/abcdefghijklmno?q", "/abcdefghijklmno", "q", false),
            ("/abcdefghijklmnop#f", "/abcdefghijklmnop", "", false),
        ];
        for (target, path, query, escaped) in cases {
            let parts = TargetParts::of(target);
            assert_eq!(&target[parts.path], path, "{target}: path");
            assert_eq!(&target[parts.query], query, "{target}: query");
            assert_eq!(parts.escaped, escaped, "{target}: escaped");
        }
    }
}

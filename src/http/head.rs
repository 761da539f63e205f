//! The data model of a parsed request head, borrowed from the input.
//!
//! # Concept
//!
//! [`parse_request`](super::parse_request) does not copy anything: the
//! method, the target and every header name and value it returns are slices
//! of the buffer the bytes were read into. That is why these types carry
//! lifetimes: `'b` is the buffer, `'h` the caller's array of header slots.
//! The engine copies out what outlives the buffer (usually into an owned
//! [`Headers`](super::Headers)) and can then reuse the buffer for the next
//! read.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.Request` holds `CharSequence` views into a
//! `CharArrayBuilder`, and `HttpHeadersMap` stores header offsets into it;
//! the same zero-copy idea, with the builder in place of the read buffer.
//! `Status`, `Header` and `EMPTY_HEADER` follow httparse, whose API shape
//! this parser shares.
//!
//! RFC 9112 §2.1 (the message format) and §5 (field lines); RFC 9110 §5.3 (repeated fields
//! keep their order).

use super::version::HttpVersion;

/// The outcome of an incremental parse: done, or more input needed.
///
/// Ktor: none; CIO suspends on the channel where this returns `Partial`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status<T> {
    /// The item is complete.
    Complete(T),
    /// The input ended before the item did; nothing is wrong so far.
    Partial,
}

impl<T> Status<T> {
    /// Whether this is `Complete`.
    ///
    /// Ktor: none (httparse: `Status::is_complete`).
    pub fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(_))
    }

    /// Whether this is `Partial`.
    ///
    /// Ktor: none (httparse: `Status::is_partial`).
    pub fn is_partial(&self) -> bool {
        matches!(self, Status::Partial)
    }
}

/// One field line, borrowed from the input buffer.
///
/// The value is bytes, not `str`: RFC 9110 §5.5 still allows obs-text
/// (`%x80-FF`) in values, which need not be UTF-8. Leading and trailing
/// whitespace are already trimmed.
///
/// Ktor: an entry of `io.ktor.http.cio.HttpHeadersMap`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'b> {
    /// The field name as sent (a token; compare it case-insensitively).
    ///
    /// Ktor: `HttpHeadersMap.nameAt`.
    pub name: &'b str,
    /// The field value without surrounding whitespace.
    ///
    /// Ktor: `HttpHeadersMap.valueAt`.
    pub value: &'b [u8],
}

/// An empty header slot, for building the slot array: `[EMPTY_HEADER; 100]`.
///
/// Ktor: none (httparse: `EMPTY_HEADER`).
pub const EMPTY_HEADER: Header<'static> = Header { name: "", value: b"" };

/// A parsed request head. `'b` is the input buffer, `'h` the header slots.
///
/// Only [`parse_request`](super::parse_request) makes one: besides the public fields, a head
/// carries what the parser noticed about its field names (see `FieldsSeen`).
///
/// Ktor: `io.ktor.http.cio.Request`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestHead<'h, 'b> {
    /// The method token, e.g. `"GET"`; see [`HttpMethod::parse`](super::HttpMethod::parse).
    ///
    /// Ktor: `Request.method` (an `HttpMethod` there, parsed at once).
    pub method: &'b str,
    /// The request-target exactly as sent, e.g. `"/a%20b?q=1"`.
    ///
    /// Ktor: `Request.uri`.
    pub target: &'b str,
    /// `HTTP/1.0` or `HTTP/1.1`.
    ///
    /// Ktor: `Request.version` (the text there).
    pub version: HttpVersion,
    /// The field lines in the order received, duplicates included.
    ///
    /// Ktor: `Request.headers`, an `HttpHeadersMap`.
    pub headers: &'h [Header<'b>],
    /// The whole head as text, when it is UTF-8, as nearly every head is (a value with
    /// obs-text need not be): the parser checked it once, so values can be had as text by
    /// slicing it instead of checking each again; see [`value_text`](Self::value_text).
    ///
    /// Ktor: none public; a `Request` keeps its characters in a private `CharArrayBuilder`.
    pub text: Option<&'b str>,
    /// Which of the fields `framing.rs` looks for the parser saw, in `headers`.
    pub(crate) seen: FieldsSeen,
}

impl<'h, 'b> RequestHead<'h, 'b> {
    /// Whether [`headers`](Self::headers) may hold a field called `field`: `false` only when
    /// the parser, reading these very headers, saw no such name. A head whose `headers` was
    /// pointed elsewhere since (the field is public) answers `true`, and the caller searches.
    #[inline]
    pub(crate) fn may_have(&self, field: Field) -> bool {
        self.seen.may_have(field, self.headers)
    }

    /// `header`'s value as text, taken from [`text`](Self::text); `None` when the head is not
    /// UTF-8 or `header` is not one of this head's.
    ///
    /// Ktor: none (its parser decodes every value into a `CharSequence`).
    pub fn value_text(&self, header: &Header<'b>) -> Option<&'b str> {
        let text = self.text?;
        // Where the value lies in the head, from the two addresses (only compared, never read
        // through); the address check below rules out a header of another buffer.
        let start = (header.value.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        let value = text.get(start..start.checked_add(header.value.len())?)?;
        (value.as_ptr() == header.value.as_ptr()).then_some(value)
    }

    /// The value of the first field named `name` (case-insensitive).
    ///
    /// Ktor: `Request.headers[name]`.
    pub fn header(&self, name: &str) -> Option<&'b [u8]> {
        self.header_values(name).next()
    }

    /// The values of every field named `name`, in order.
    ///
    /// Ktor: `HttpHeadersMap.getAll`.
    pub fn header_values<'n>(&self, name: &'n str) -> impl Iterator<Item = &'b [u8]> + use<'h, 'b, 'n> {
        let headers: &'h [Header<'b>] = self.headers;
        headers
            .iter()
            .filter(move |h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value)
    }
}

/// The fields that decide a request's framing and its connection's fate, plus `Host`: the
/// names the parser recognises while it reads each field line (see `field_lines.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Field {
    Host = 1,
    ContentLength = 2,
    TransferEncoding = 4,
    Expect = 8,
    Connection = 16,
}

/// Which [`Field`]s a head's field lines name, as bits, and where the slice of headers they
/// describe starts.
///
/// # Why
///
/// `request_body_framing`, `expects_continue` and `keep_alive` each search the headers for
/// their field, comparing every name case-insensitively: three more passes over the names
/// after the parser's own, for fields that most requests do not have. The parser already
/// looks at each name (it must find `Host`), so it notes these as well, a length check and a
/// word comparison per name, and each search is skipped when its field is absent. When it is
/// present, the search runs just as it would without the bits, so the answers cannot differ.
///
/// # Why the address
///
/// `RequestHead::headers` is a public field: code holding a head may point it at other
/// headers, and bits about the old ones would then hide a `Content-Length` in the new ones,
/// which is how a body gets framed wrongly. So the bits remember the address of the slice
/// they describe, and a head whose slice starts elsewhere searches as if nothing were
/// noticed. The address alone is enough: safe code cannot make a slice longer, so a slice
/// that starts at the same address, while the parser's slots are still borrowed, is the
/// parser's slice or a prefix of it, and a prefix holds no field that the whole did not.
/// The simpler alternative, bits that trust the caller, would be right only as long as
/// every caller is careful.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldsSeen {
    bits: u8,
    /// `headers.as_ptr()` as a number: compared, never read through.
    at: usize,
}

impl FieldsSeen {
    /// `bits` (a union of [`Field`]s) seen in `headers`.
    pub(crate) fn new(bits: u8, headers: &[Header<'_>]) -> FieldsSeen {
        let at = headers.as_ptr() as usize;
        FieldsSeen { bits, at }
    }

    /// See [`RequestHead::may_have`].
    #[inline]
    fn may_have(&self, field: Field, headers: &[Header<'_>]) -> bool {
        self.bits & field as u8 != 0 || self.at != headers.as_ptr() as usize
    }
}

/// What was seen is a summary of `headers`, not a part of the head's value: two heads with
/// equal fields are equal, wherever their slots are.
impl PartialEq for FieldsSeen {
    fn eq(&self, _: &FieldsSeen) -> bool {
        true
    }
}

impl Eq for FieldsSeen {}

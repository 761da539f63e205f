//! Header fields as an owned, ordered, case-insensitive multimap.
//!
//! # Concept
//!
//! A header section is a list of `name: value` lines (RFC 9110 §5). Three
//! properties shape the container:
//!
//! - Names are case-insensitive (§5.1): `content-type` and `Content-Type`
//!   are the same field.
//! - A name may repeat (§5.2), e.g. one `Set-Cookie` line per cookie, and
//!   the order of lines with the same name is significant (§5.3).
//! - There are few of them (a dozen is typical), so a `Vec` scanned from the
//!   front beats a hash map: no hashing, no per-entry allocation for buckets,
//!   cache-friendly, and insertion order comes for free. Lookups are O(n),
//!   which for n ≈ 10 is a handful of short string compares.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.Headers` (read-only) and `io.ktor.http.HeadersBuilder`
//! (mutable), both backed by a case-insensitive `LinkedHashMap<String,
//! List<String>>`. One type serves both roles here. Ktor groups values under
//! the first spelling of a name; this type keeps every line as written, which
//! is what the response writer needs to reproduce them in order.
//!
//! # Data flow
//!
//! Request headers are parsed as borrowed [`Header`](super::Header)s; the
//! engine copies the ones a handler can see into a [`Headers`]. Handlers fill
//! another [`Headers`] for the response, which the writer serializes after
//! checking each line with [`is_valid_header_name`] and
//! [`is_valid_header_value`].

use std::borrow::Cow;

use super::head::RequestHead;
pub use super::header_names::HttpHeaders;
use super::syntax::{self, FIELD, TCHAR};

/// An ordered multimap of header fields with case-insensitive names.
///
/// A name or value given as a `&'static str` (`HttpHeaders::CONTENT_TYPE`, `"text/plain"`) is
/// kept as that reference; any other text is copied into one string that the map owns, and the
/// line records where it lies. So however many lines a request has, its headers live in two
/// allocations (the lines, the text), and [`clear`](Self::clear) keeps both for the next
/// request: a connection reusing one map allocates nothing per request. (A `Vec<(String,
/// String)>` would cost two allocations per line, every time.)
///
/// Ktor: `io.ktor.http.Headers` / `io.ktor.http.HeadersBuilder`.
#[derive(Clone, Default)]
pub struct Headers {
    /// Every field line in insertion order, names as given.
    entries: Vec<(Text, Text)>,
    /// The names and values that are not `'static`, back to back. Text of a line that was
    /// replaced or removed stays until `clear`: a map lives for one request or response.
    text: String,
    /// Which name lengths (modulo 64) some line has: bit `n % 64` is set once a name of `n`
    /// bytes was added, so that a lookup can skip a walk (see `position`).
    lengths: u64,
}

/// Where a name or value is: a constant, or a range of the map's `text`.
#[derive(Clone, Copy, Debug)]
enum Text {
    Static(&'static str),
    Stored(usize, usize),
}

impl Headers {
    /// An empty header map. Does not allocate until the first insert.
    ///
    /// Ktor: `HeadersBuilder()`.
    pub fn new() -> Headers {
        Headers::default()
    }

    /// Adds a field line after all existing ones, keeping earlier lines with
    /// the same name. Neither part is validated here; see
    /// [`is_valid_header_name`] and [`is_valid_header_value`].
    ///
    /// Ktor: `HeadersBuilder.append`.
    pub fn append(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<Cow<'static, str>>) {
        let name = name.into();
        self.lengths |= length_bit(&name);
        let line = (self.store(name), self.store(value.into()));
        self.entries.push(line);
    }

    /// Adds a field line like [`append`](Self::append), copying both parts from borrowed text
    /// (a request head still in the connection's buffer, say).
    ///
    /// Ktor: `HeadersBuilder.append`.
    pub fn append_copied(&mut self, name: &str, value: &str) {
        self.lengths |= length_bit(name);
        let line = (self.copy(name), self.copy(value));
        self.entries.push(line);
    }

    /// Adds every field line of a parsed request `head`, names and values as text, and returns
    /// `true`; or adds nothing and returns `false` when the head is not UTF-8 (a value with
    /// obs-text), whose values need decoding one by one.
    ///
    /// The field lines lie back to back in the head, so their text is copied in one piece, from
    /// the first name to the last value, and each line records where its name and value lie in
    /// the copy: the same distance from the first name as in the head, found by subtracting
    /// addresses (compared as numbers, never read through).
    /// [`append_copied`](Self::append_copied) for each line would cost two copies per line,
    /// each a call to `memcpy` for a few bytes; a browser sends fifteen lines or so. Checking every position
    /// on the way in as well would cost more than the copies saved: a position that is not in
    /// the copy, which only a head put together by hand can give, reads as empty text instead
    /// (see `resolve`).
    pub(crate) fn append_fields(&mut self, head: &RequestHead<'_, '_>) -> bool {
        let Some(text) = head.text else {
            return false;
        };
        let (Some(first), Some(last)) = (head.headers.first(), head.headers.last()) else {
            return true; // no field lines
        };
        let address = |part: &[u8]| part.as_ptr() as usize;
        let from = address(first.name.as_bytes()).wrapping_sub(address(text.as_bytes()));
        let to = (address(last.value) + last.value.len()).wrapping_sub(address(text.as_bytes()));
        let Some(fields) = text.get(from..to) else {
            return false;
        };
        let base = self.text.len();
        self.text.push_str(fields);
        let stored = |part: &[u8]| {
            let start = address(part)
                .wrapping_sub(address(fields.as_bytes()))
                .wrapping_add(base);
            Text::Stored(start, start.wrapping_add(part.len()))
        };
        // `extend` from a slice's iterator, whose length is known, makes room once and then
        // writes the lines without the capacity check each `push` makes.
        let mut lengths = self.lengths;
        self.entries.extend(head.headers.iter().map(|header| {
            lengths |= length_bit(header.name);
            (stored(header.name.as_bytes()), stored(header.value))
        }));
        self.lengths = lengths;
        true
    }

    /// Replaces every line named `name` with a single line holding `value`.
    /// The new line takes the place of the first old one (or goes last if
    /// there was none), as Ktor's map keeps a key's position when it is set.
    ///
    /// Ktor: `HeadersBuilder.set`.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<Cow<'static, str>>) {
        let name = name.into();
        let value = self.store(value.into());
        match self.position(&name) {
            Some(first) => {
                self.entries[first].1 = value;
                let (entries, text) = (&mut self.entries, &self.text);
                let mut index = 0;
                entries.retain(|(n, _)| {
                    index += 1;
                    index - 1 <= first || !resolve(text, *n).eq_ignore_ascii_case(&name)
                });
            }
            None => {
                self.lengths |= length_bit(&name);
                let name = self.store(name);
                self.entries.push((name, value));
            }
        }
    }

    /// The value of the first line named `name`.
    ///
    /// Ktor: `Headers.get`.
    #[inline]
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name).map(|i| self.resolve(self.entries[i].1))
    }

    /// The values of every line named `name`, in order.
    ///
    /// Ktor: `Headers.getAll`.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> {
        // As in `position`: no line is as long as `name`, nothing to walk.
        let lines = match self.lengths & length_bit(name) {
            0 => &[][..],
            _ => &self.entries[..],
        };
        lines
            .iter()
            .filter(move |&&(n, _)| self.resolve(n).eq_ignore_ascii_case(name))
            .map(|&(_, v)| self.resolve(v))
    }

    /// Whether at least one line is named `name`.
    ///
    /// Ktor: `Headers.contains`.
    #[inline]
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Removes every line named `name`; returns whether there was one.
    ///
    /// Ktor: `HeadersBuilder.remove`.
    pub fn remove(&mut self, name: &str) -> bool {
        if self.lengths & length_bit(name) == 0 {
            return false;
        }
        let before = self.entries.len();
        let text = &self.text;
        self.entries
            .retain(|(n, _)| !resolve(text, *n).eq_ignore_ascii_case(name));
        self.entries.len() != before
    }

    /// Every line as `(name, value)`, in insertion order.
    ///
    /// Ktor: `Headers.entries()` (which groups by name instead).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|&(n, v)| (self.resolve(n), self.resolve(v)))
    }

    /// The number of lines (not of distinct names).
    ///
    /// Ktor: `Headers.entries().size` counts names; this counts lines.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no lines.
    ///
    /// Ktor: `Headers.isEmpty`.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes every line but keeps the allocated capacity, so a connection
    /// can reuse one map for request after request.
    ///
    /// Ktor: `HeadersBuilder.clear`.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.text.clear();
        self.lengths = 0;
    }

    /// The bytes allocated for the lines and the text, used or not.
    pub(crate) fn capacity_bytes(&self) -> usize {
        self.entries.capacity() * std::mem::size_of::<(Text, Text)>() + self.text.capacity()
    }

    /// Index of the first line named `name`.
    ///
    /// Most lookups are for a name the map does not have (`Connection` on a response, say),
    /// and a walk comparing every name would find that out line by line. The map remembers
    /// which name lengths it holds (`lengths`), so a name of a length no line has is
    /// answered at once; names of equal length are still compared. Removing a line leaves its
    /// bit set, which only costs a walk. A `HashMap` index would answer every lookup in one
    /// step, but costs an allocation and a hash per line, for maps of ten lines or so.
    #[inline]
    fn position(&self, name: &str) -> Option<usize> {
        if self.lengths & length_bit(name) == 0 {
            return None;
        }
        self.find(name)
    }

    /// The walk behind [`position`](Self::position), for a name of a length some line has. It
    /// carries no inline attribute: the compiler decides whether to inline it where `position`
    /// is inlined, or to call it.
    fn find(&self, name: &str) -> Option<usize> {
        self.entries
            .iter()
            .position(|&(n, _)| self.resolve(n).eq_ignore_ascii_case(name))
    }

    /// Keeps `part`: a constant as it is, anything else copied into `text`.
    fn store(&mut self, part: Cow<'static, str>) -> Text {
        match part {
            Cow::Borrowed(constant) => Text::Static(constant),
            Cow::Owned(owned) => self.copy(&owned),
        }
    }

    /// Copies `part` to the end of `text`.
    fn copy(&mut self, part: &str) -> Text {
        let start = self.text.len();
        self.text.push_str(part);
        Text::Stored(start, self.text.len())
    }

    fn resolve(&self, part: Text) -> &str {
        resolve(&self.text, part)
    }
}

/// The bit of `name`'s length in a map's `lengths`: lengths 64 bytes apart share one.
fn length_bit(name: &str) -> u64 {
    1 << (name.len() % 64)
}

/// The text `part` stands for, given the map's `text`.
///
/// A stored range not in `text` reads as empty: only [`Headers::append_fields`] given a head
/// put together by hand can record one, and it is better read as nothing than as a panic.
/// (Slicing with `[start..end]` would make the same checks, and panic instead.)
fn resolve(text: &str, part: Text) -> &str {
    match part {
        Text::Static(constant) => constant,
        Text::Stored(start, end) => text.get(start..end).unwrap_or_default(),
    }
}

/// Two maps are equal when they hold the same lines in the same order, however stored.
impl PartialEq for Headers {
    fn eq(&self, other: &Headers) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Headers {}

/// Shown as the list of lines: `[("Host", "example.com"), ...]`.
impl std::fmt::Debug for Headers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// Whether `name` is a valid field name: a non-empty token (RFC 9110 §5.1).
///
/// ```text
/// field-name = token
/// ```
///
/// A name with a space, colon, CR or LF could end the line early or start a
/// new one, so the writer refuses names that fail this test.
///
/// Ktor: `io.ktor.http.HttpHeaders.checkHeaderName`.
pub fn is_valid_header_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| syntax::is(b, TCHAR))
}

/// Whether `value` may be sent as a field value: no CR, LF, NUL or other
/// control character except HTAB (RFC 9110 §5.5).
///
/// ```text
/// field-value    = *field-content
/// field-content  = field-vchar [ 1*( SP / HTAB / field-vchar ) field-vchar ]
/// field-vchar    = VCHAR / obs-text
/// ```
///
/// This is the header-injection guard: a handler that copies user input into
/// a header cannot smuggle in `\r\nSet-Cookie: ...`. Non-ASCII text passes
/// (its UTF-8 bytes are obs-text), and so do leading or trailing blanks, which
/// a recipient trims anyway.
///
/// Ktor: `io.ktor.http.HttpHeaders.checkHeaderValue`.
pub fn is_valid_header_value(value: &str) -> bool {
    value.bytes().all(|b| syntax::is(b, FIELD))
}

#[cfg(test)]
mod tests;

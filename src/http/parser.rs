//! The request-head parser: bytes in, a borrowed [`RequestHead`] out.
//!
//! # Concept
//!
//! Every request starts with a *head*: a request line, zero or more field
//! lines, and an empty line (RFC 9112 §2.1). A body may follow.
//!
//! ```text
//! HTTP-message   = start-line CRLF
//!                  *( field-line CRLF )
//!                  CRLF
//!                  [ message-body ]
//! ```
//!
//! [`parse_request`] looks at the bytes received so far and gives one of
//! three answers:
//!
//! - `Ok(Complete((head, consumed)))`: the head is the first `consumed` bytes;
//!   a body, if the framing headers announce one, starts right after.
//! - `Ok(Partial)`: nothing is wrong yet but the head is not all there. Read
//!   more bytes, append them, and call again with the whole buffer.
//! - `Err(ParseError)`: the head is malformed or too large; the error carries
//!   the status code to answer with before closing the connection.
//!
//! It is a pure function: no I/O, no allocation, no state kept between calls.
//! Method, target and header values borrow from the caller's buffer, and the
//! header slots are the caller's too, typically `[EMPTY_HEADER; 100]` on the
//! stack.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.HttpParser` (`parseRequest`) suspends on a
//! `ByteReadChannel`, reads one line at a time into a `CharArrayBuilder` and
//! records headers as offsets in an `HttpHeadersMap`. The shape here is
//! httparse's instead: a function over a byte slice that re-scans from the
//! start on every call. Re-scanning sounds wasteful, but heads are small,
//! usually arrive in a single read, and a parser without state has nothing to
//! get out of sync. `max_head` bounds the work per call.
//!
//! # Data flow
//!
//! ```text
//! socket ──read──▶ buffer ──parse_request──▶ Partial ─────────▶ read more, call again
//!                                      ├───▶ Complete(head, n) ─▶ framing; body at buffer[n..]
//!                                      └───▶ Err(e) ────────────▶ answer e.status, close
//! ```
//!
//! Inside, the head is read in order: empty lines skipped, the request line (`request_line.rs`),
//! the target's form (`target.rs`), the field lines (here), then `Host` (`target.rs`).
//!
//! # Cost
//!
//! Every request of the server goes through here, so the work per byte is
//! kept low without giving up any of the strictness below:
//!
//! - The runs that make up most of a head (method, target, field names and
//!   values) are scanned eight bytes at a time (`scan.rs`).
//! - `Host` is noticed while its field line is read, not by comparing every
//!   name again afterwards; so are the names `framing.rs` looks for
//!   (`Content-Length`, `Transfer-Encoding`, `Expect`, `Connection`), which
//!   the head records (see `FieldsSeen` in `head.rs`) so that those
//!   functions skip their search when the field is absent.
//! - A plain `Host` value (a name or an IPv4 address, maybe a port) is
//!   checked while its end is found, in one walk (`host_value`), instead of
//!   being scanned as a value and then walked again by the Host check.
//! - Method, target and names must be `&str`, and each UTF-8 check has a
//!   fixed cost. So the first pass fills the slots with values only, and
//!   once the head is complete it is checked as UTF-8 in one call and each
//!   name is sliced out of it (see `head_text.rs`).
//!
//! # Decisions
//!
//! - **A bare LF is an error (400).** RFC 9112 §2.2 lets a recipient accept a
//!   lone LF as a line terminator, and Ktor CIO does. But when two HTTP
//!   processors on a path disagree about where a line ends, an attacker can
//!   hide a second request inside the first (request smuggling). Real clients
//!   send CRLF, so accepting only CRLF costs nothing. A bare CR (CR not
//!   followed by LF) is an error too, one of the two options §2.2 gives.
//! - **Empty lines before the request line are skipped**, as §2.2 recommends,
//!   because some clients send a stray CRLF after a body. They count towards
//!   `max_head`, so they cannot go on forever.
//! - **obs-fold and whitespace before the colon are errors (400)**: §5.2 lets
//!   a server reject folded lines, and §5.1 requires rejecting the latter.
//! - **Limits are checked as soon as the bytes seen prove them broken**: a
//!   target longer than `max_target` gives 414 before its end arrives; more
//!   field lines than slots, or a head longer than `max_head`, gives 431. A
//!   client that trickles an endless head gets an error, not `Partial`
//!   forever. Ktor CIO only limits each line, to 8192 characters.
//! - The request-target form, CONNECT and `Host` rules live in
//!   [`target`](super::target), which explains them.

pub use super::head::{EMPTY_HEADER, Header, RequestHead, Status};
use super::head::{Field, FieldsSeen};
use super::head_text::{Text, name_fields};
pub use super::limits::{Limits, ParseError};
use super::request_line::{RequestLine, request_line};
use super::scan;
use super::status::HttpStatusCode;
use super::target::{HostLines, check_host, check_target, plain_host_len};

/// Why a step of the parse stopped early: not enough bytes, or bad ones.
/// Internal helpers return `Result<T, Stop>` so `?` handles both.
pub(super) enum Stop {
    Incomplete,
    Invalid(ParseError),
}

impl From<ParseError> for Stop {
    fn from(error: ParseError) -> Stop {
        Stop::Invalid(error)
    }
}

pub(super) type Step<T> = Result<T, Stop>;

/// Shorthand for a 400 error inside a `Step`.
///
/// `#[cold]` tells the compiler that the branches leading here are rarely
/// taken, so it lays out and allocates registers for the path of a valid head
/// first; nothing else changes.
#[cold]
pub(super) fn bad<T>(reason: &'static str) -> Step<T> {
    Err(Stop::Invalid(ParseError::bad_request(reason)))
}

/// Parses a request head from the start of `buf` (see the module docs).
///
/// ```text
/// HTTP-message = start-line CRLF *( field-line CRLF ) CRLF [ message-body ]
/// ```
///
/// `consumed` counts every byte of the head, skipped leading empty lines and
/// the final empty line included. At most `min(limits.max_headers,
/// headers.len())` field lines fit; the head's `headers` is the filled prefix
/// of `headers`. Never panics, whatever the input.
///
/// Ktor: `io.ktor.http.cio.parseRequest`.
pub fn parse_request<'h, 'b>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
    limits: &Limits,
) -> Result<Status<(RequestHead<'h, 'b>, usize)>, ParseError> {
    // A valid head fits in `max_head` bytes, so only that window is parsed;
    // whatever lies beyond it cannot belong to a valid head.
    let window = &buf[..buf.len().min(limits.max_head)];
    let (line, fields) = match read_lines(window, headers, limits) {
        Ok(lines) => lines,
        Err(Stop::Invalid(error)) => return Err(error),
        // The window ran out, and the buffer holds more than the window:
        // the head is certainly too large.
        Err(Stop::Incomplete) if buf.len() > limits.max_head => {
            let status = HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
            return Err(ParseError::new(status, "request head too large"));
        }
        Err(Stop::Incomplete) => return Ok(Status::Partial),
    };
    // The head is complete and valid: now it can become text. (Built here
    // rather than in `read_lines`, the head is written once, straight into
    // the result, instead of into a `Step` first and then copied.)
    let text = Text::new(&window[..fields.end]);
    let headers = &mut headers[..fields.count];
    name_fields(&text, line.end, headers)?;
    let head = RequestHead {
        method: text.token(line.method)?,
        target: text.token(line.target)?,
        version: line.version,
        seen: FieldsSeen::new(fields.seen, headers),
        headers,
        text: text.as_str(),
    };
    Ok(Status::Complete((head, fields.end)))
}

/// Reads the lines of a head, all that can still be `Partial`: the request
/// line, the field lines into `headers`' slots, and the final empty line.
fn read_lines<'b>(
    buf: &'b [u8],
    headers: &mut [Header<'b>],
    limits: &Limits,
) -> Step<(RequestLine, Fields<'b>)> {
    let start = skip_empty_lines(buf)?;
    let line = request_line(buf, start, limits.max_target)?;
    // Checked before the field lines arrive, so a refused target is refused early.
    let form = check_target(&buf[line.method.clone()], &buf[line.target.clone()])?;
    let slots = headers.len().min(limits.max_headers);
    let fields = field_lines(buf, line.end, &mut headers[..slots])?;
    check_host(line.version, form, &fields.hosts)?;
    Ok((line, fields))
}

/// RFC 9112 §2.2: "a server that is expecting to receive and parse a
/// request-line SHOULD ignore at least one empty line (CRLF) received prior
/// to the request-line." Returns where the request line starts.
#[inline(always)]
fn skip_empty_lines(buf: &[u8]) -> Step<usize> {
    let mut pos = 0;
    while let Some(b'\r' | b'\n') = buf.get(pos) {
        pos = crlf(buf, pos, "")?;
    }
    Ok(pos)
}

/// What the field lines gave, besides the slots they filled.
struct Fields<'b> {
    /// How many slots were filled.
    count: usize,
    /// The position after the empty line: the end of the head.
    end: usize,
    /// The `Host` lines.
    hosts: HostLines<'b>,
    /// The other [`Field`]s among the names, as bits.
    seen: u8,
}

/// Parses field lines into `slots` up to and including the empty line that
/// ends the head. Each slot gets its value and an empty name, which
/// `name_fields` replaces once the head is complete.
///
/// The lines are walked as the shrinking slice `rest` rather than as
/// positions in `buf`: one pointer and one length to carry from line to line
/// instead of a position besides `buf`'s own two, which leaves the compiler
/// more registers for the scans.
fn field_lines<'b>(buf: &'b [u8], start: usize, slots: &mut [Header<'b>]) -> Step<Fields<'b>> {
    let mut rest = buf.get(start..).unwrap_or_default();
    let mut hosts = HostLines::default();
    let (mut count, mut seen) = (0, 0);
    loop {
        match rest {
            [b'\r' | b'\n', ..] => {
                let end = buf.len() - after_crlf(rest, "")?.len();
                return Ok(Fields {
                    count,
                    end,
                    hosts,
                    seen,
                });
            }
            // obs-fold = OWS CRLF RWS: a line that starts with whitespace
            // continues the previous one, which §5.2 lets a server reject.
            [b' ' | b'\t', ..] => {
                return bad("obs-fold or whitespace at the start of a field line");
            }
            [] => return Err(Stop::Incomplete),
            _ => {}
        }
        let Some(slot) = slots.get_mut(count) else {
            let status = HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
            return Err(ParseError::new(status, "too many header fields").into());
        };
        let (name, after_name) = field_name(rest)?;
        // Noticed here, while the name is at hand, rather than by comparing
        // every name again once the head is complete (see `FieldsSeen`).
        let (value, next) = match field_named(name) {
            Some(Field::Host) if hosts.first.is_none() => {
                let (value, next, valid) = host_value(after_name)?;
                (hosts.first, hosts.first_valid) = (Some(value), valid);
                (value, next)
            }
            Some(Field::Host) => {
                hosts.more = true;
                field_value(after_name)?
            }
            Some(field) => {
                seen |= field as u8;
                field_value(after_name)?
            }
            None => field_value(after_name)?,
        };
        *slot = Header { name: "", value };
        count += 1;
        rest = next;
    }
}

/// Which of the [`Field`]s the field name `name` (a token) is, in any case.
///
/// Called for every field line, so it is cheap when the answer is "none": one look at the
/// length, and a comparison only when the length is one of the five.
#[inline(always)]
fn field_named(name: &[u8]) -> Option<Field> {
    let field = match name.len() {
        4 if same_name(name, b"host") => Field::Host,
        6 if same_name(name, b"expect") => Field::Expect,
        10 if same_name(name, b"connection") => Field::Connection,
        14 if same_name(name, b"content-length") => Field::ContentLength,
        17 if same_name(name, b"transfer-encoding") => Field::TransferEncoding,
        _ => return None,
    };
    Some(field)
}

/// Whether the token `name` is `lower` (at least four lowercase letters and dashes), in any
/// case.
///
/// The bytes are compared a word at a time, after `| 0x20` in every byte of `name`, which
/// lowercases ASCII letters. It can also map other bytes onto a letter or a dash, but none
/// that a token may hold: the only bytes `| 0x20` sends to a lowercase letter are that
/// letter and its capital, and to `-` (0x2D) only `-` and CR (0x0D). So for a token the
/// comparison is exact. The words overlap when the length is not a multiple of their size
/// (`expect` is compared as `expe` and `pect`), which costs nothing and needs no loop for the
/// tail; `eq_ignore_ascii_case`, the plain alternative, lowercases and compares byte by byte.
#[inline(always)]
fn same_name<const N: usize>(name: &[u8], lower: &[u8; N]) -> bool {
    const LOWER_4: u32 = u32::from_le_bytes([0x20; 4]);
    const LOWER_8: u64 = u64::from_le_bytes([0x20; 8]);
    // `name` has N bytes (the caller matched on its length), so none of these `?`s fails.
    let four = |bytes: &[u8], at: usize| Some(u32::from_le_bytes(*bytes.get(at..)?.first_chunk()?));
    let eight = |bytes: &[u8], at: usize| Some(u64::from_le_bytes(*bytes.get(at..)?.first_chunk()?));
    let same = || {
        if N < 8 {
            // Two four-byte words: 0..4 and N-4..N.
            Some(
                four(name, 0)? | LOWER_4 == four(lower, 0)?
                    && four(name, N - 4)? | LOWER_4 == four(lower, N - 4)?,
            )
        } else {
            // Eight-byte words at 0, 8, ..., and one ending at N.
            let mut at = 0;
            while at + 8 < N {
                if eight(name, at)? | LOWER_8 != eight(lower, at)? {
                    return Some(false);
                }
                at += 8;
            }
            Some(eight(name, N - 8)? | LOWER_8 == eight(lower, N - 8)?)
        }
    };
    name.len() == N && same() == Some(true)
}

/// Parses the name of the field line at the start of `line`, and the colon
/// and OWS after it; returns the name and what follows them, where the value
/// starts.
///
/// ```text
/// field-line   = field-name ":" OWS field-value OWS
/// field-name   = token
/// ```
///
/// RFC 9112 §5.1: "No whitespace is allowed between the field name and
/// colon. ... A server MUST reject, with a response status code of 400".
fn field_name(line: &[u8]) -> Step<(&[u8], &[u8])> {
    // A run that ends (`Some`) ends before a byte that is there, so
    // `split_at` cannot panic.
    let name_len = scan::token_run(line).ok_or(Stop::Incomplete)?;
    let (name, after_name) = line.split_at(name_len);
    let mut value = match after_name {
        [b':', after @ ..] if name_len > 0 => after,
        [b':', ..] => return bad("empty field name"),
        [b' ' | b'\t', ..] => return bad("whitespace between field name and colon"),
        _ => return bad("invalid byte in field name"),
    };
    while let [b' ' | b'\t', after @ ..] = value {
        value = after;
    }
    Ok((name, value))
}

/// Parses the field value at the start of `rest` (OWS before it already
/// skipped), up to and including the CRLF that ends its line; returns the
/// value without the OWS after it, and what follows the CRLF.
///
/// ```text
/// field-value  = *field-content
/// ```
fn field_value(rest: &[u8]) -> Step<(&[u8], &[u8])> {
    // When only OWS has arrived, the run is empty and `value_run` says so.
    let value_len = scan::value_run(rest).ok_or(Stop::Incomplete)?;
    let (mut value, after_value) = rest.split_at(value_len);
    // The byte after the value must start CRLF; anything else is a CTL
    // (NUL, DEL, ...) or a bare LF, all refused.
    let next = after_crlf(after_value, "invalid byte in field value")?;
    // Leading OWS is already skipped; trailing OWS is trimmed here.
    while let [before @ .., b' ' | b'\t'] = value {
        value = before;
    }
    Ok((value, next))
}

/// [`field_value`] for the first `Host` line, which `check_host` must also
/// find valid; returns the value, what follows the line, and whether the
/// value is already known to be a valid Host.
///
/// Nearly every Host value is a name or an IPv4 address, maybe with a port,
/// followed by CRLF. [`plain_host_len`] measures such a host in one walk;
/// when CRLF follows it, that walk has found both the end of the value and
/// that it is a valid Host (its bytes are all field-value bytes too, and it
/// ends in no OWS), so the value is not scanned a second time, by
/// `value_run` here and again by `is_valid_host` in `check_host`. Anything
/// else goes the general way, with the same result.
#[inline(always)]
fn host_value(rest: &[u8]) -> Step<(&[u8], &[u8], bool)> {
    let plain = plain_host_len(rest);
    if plain > 0
        && let (value, [b'\r', b'\n', next @ ..]) = rest.split_at(plain)
    {
        return Ok((value, next, true));
    }
    let (value, next) = field_value(rest)?;
    Ok((value, next, false))
}

/// Expects CRLF at the start of `rest`; returns what follows it. `other` is
/// the error reason when the first byte is neither CR nor LF.
fn after_crlf<'b>(rest: &'b [u8], other: &'static str) -> Step<&'b [u8]> {
    match rest {
        [b'\r', b'\n', after @ ..] => Ok(after),
        [] | [b'\r'] => Err(Stop::Incomplete),
        [b'\r', _, ..] => bad("bare CR not followed by LF"),
        [b'\n', ..] => bad("bare LF as line terminator"),
        [_, ..] => bad(other),
    }
}

/// Expects CRLF at `pos`; returns the position after it. `other` is the
/// error reason when the byte there is neither CR nor LF.
pub(super) fn crlf(buf: &[u8], pos: usize, other: &'static str) -> Step<usize> {
    match (buf.get(pos), buf.get(pos + 1)) {
        (Some(b'\r'), Some(b'\n')) => Ok(pos + 2),
        (None, _) | (Some(b'\r'), None) => Err(Stop::Incomplete),
        (Some(b'\r'), Some(_)) => bad("bare CR not followed by LF"),
        (Some(b'\n'), _) => bad("bare LF as line terminator"),
        (Some(_), _) => bad(other),
    }
}

#[cfg(test)]
mod tests;

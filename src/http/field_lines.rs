//! The field lines of a request head, read into the caller's header slots (RFC 9112 §5).
//!
//! The second step of [`parse_request`](super::parse_request), after the request line
//! (`request_line.rs`): zero or more lines of `name: value`, then the empty line that ends the
//! head.
//!
//! ```text
//! Host: 127.0.0.1:8080\r\n
//! └┬─┘ └──────┬─────┘
//! name      value          one slot: value now, name once the head is text (head_text.rs)
//! \r\n                     the empty line: the head ends here
//! ```
//!
//! Each line's name is a token and its value a run of field-value bytes, both found a word
//! at a time (`scan.rs`). Slots get their values here and their names later, when the whole
//! head has been checked as UTF-8 once (see `head_text.rs` for why).
//!
//! # Noticed on the way
//!
//! While a name is at hand, [`field_named`] recognises the five the rest of the crate asks
//! about: `Host`, which `target.rs` checks once the lines are read, and `Content-Length`,
//! `Transfer-Encoding`, `Expect` and `Connection`, which `framing.rs` searches for on every
//! request. Noting them here costs a length check per line; it spares `framing.rs` three
//! searches through every name when, as for nearly every GET, the fields are absent (see
//! `FieldsSeen` in `head.rs`).
//!
//! `Host` is usually the first line, spelled just so; that line's name is settled by one
//! comparison instead of a scan. And when the first `Host` value is a plain name or IPv4
//! address, maybe with a port, followed by CRLF, as nearly every one is, the walk that checks
//! it also finds its end ([`host_value`]), where the plain way scans the value for its end
//! and then walks it again to check it.
//!
//! # Decisions
//!
//! - **obs-fold and whitespace before the colon are errors (400)**: §5.2 lets a server reject
//!   folded lines, and §5.1 requires rejecting the latter.
//! - **More field lines than slots give 431** as soon as the line that does not fit starts.
//!
//! Ktor: the header part of `io.ktor.http.cio.parseRequest` (`parseHeaders`).

use super::head::{Field, Header};
use super::limits::ParseError;
use super::parser::{Step, Stop, after_crlf, bad};
use super::scan;
use super::status::HttpStatusCode;
use super::target::{HostLines, plain_host_len};

/// What the field lines gave, besides the slots they filled.
pub(super) struct Fields<'b> {
    /// How many slots were filled.
    pub(super) count: usize,
    /// The position after the empty line: the end of the head.
    pub(super) end: usize,
    /// The `Host` lines.
    pub(super) hosts: HostLines<'b>,
    /// The other [`Field`]s among the names, as bits (see `FieldsSeen`).
    pub(super) seen: u8,
}

/// Parses field lines into `slots` up to and including the empty line that
/// ends the head. Each slot gets its value and an empty name, which
/// `name_fields` replaces once the head is complete.
///
/// The lines are walked as the shrinking slice `rest` rather than as
/// positions in `buf`: one pointer and one length to carry from line to line
/// instead of a position besides `buf`'s own two, which leaves the compiler
/// more registers for the scans.
#[inline]
pub(super) fn field_lines<'b>(buf: &'b [u8], start: usize, slots: &mut [Header<'b>]) -> Step<Fields<'b>> {
    let mut rest = buf.get(start..).unwrap_or_default();
    let mut hosts = HostLines::default();
    let (mut count, mut seen) = (0, 0);
    // Nearly every request's first field line is `Host`, spelled so by nearly
    // every client: one comparison of five bytes settles its name, and which
    // field it is, without a scan. (Here rather than in the loop, where one
    // more test per line costs the other lines more than it saves this one.)
    if let Some((b"Host:", after)) = rest.split_at_checked(5)
        && let Some(slot) = slots.first_mut()
    {
        let (value, next, valid) = host_value(skip_ows(after))?;
        (hosts.first, hosts.first_valid) = (Some(value), valid);
        *slot = Header { name: "", value };
        count = 1;
        rest = next;
        // And the head often ends right there: wrk's (4.1) does, `Host` alone; curl's goes on
        // with `User-Agent` and `Accept`.
        if let [b'\r', b'\n', after @ ..] = rest {
            let end = buf.len() - after.len();
            return Ok(Fields {
                count,
                end,
                hosts,
                seen,
            });
        }
    }
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
        let field = field_named(name);
        let (value, next) = match field {
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
    match after_name {
        [b':', after @ ..] if name_len > 0 => Ok((name, skip_ows(after))),
        [b':', ..] => bad("empty field name"),
        [b' ' | b'\t', ..] => bad("whitespace between field name and colon"),
        _ => bad("invalid byte in field name"),
    }
}

/// What follows the OWS at the start of `rest`.
#[inline(always)]
fn skip_ows(mut rest: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', after @ ..] = rest {
        rest = after;
    }
    rest
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

#[cfg(test)]
mod tests;

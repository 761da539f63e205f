//! The chunked transfer coding (RFC 9112 §7.1): an incremental decoder for
//! request bodies and an encoder for response bodies.
//!
//! # Concept
//!
//! When a sender does not know a body's length in advance, it sends the body
//! in pieces, each prefixed by its size in hex, and ends with a zero-size
//! piece. Optional trailer fields may follow the last piece:
//!
//! ```text
//! chunked-body   = *chunk
//!                  last-chunk
//!                  trailer-section
//!                  CRLF
//!
//! chunk          = chunk-size [ chunk-ext ] CRLF
//!                  chunk-data CRLF
//! chunk-size     = 1*HEXDIG
//! last-chunk     = 1*("0") [ chunk-ext ] CRLF
//! chunk-data     = 1*OCTET ; a sequence of chunk-size octets
//!
//! chunk-ext      = *( BWS ";" BWS chunk-ext-name
//!                     [ BWS "=" BWS chunk-ext-val ] )
//! trailer-section = *( field-line CRLF )
//! ```
//!
//! For example `5\r\nhello\r\n0\r\n\r\n` is the body `hello`.
//!
//! # Design
//!
//! The decoder is a state machine fed whatever bytes have arrived. Unlike the
//! head parser it keeps state between calls: a body can be large, and
//! re-scanning it from the start on every read would be quadratic. Each call
//! consumes all of its input (so the caller never keeps leftovers) unless the
//! body ends inside it; then `Complete { consumed }` says where the next
//! request starts. Chunk data is copied in bulk; only the framing around it is
//! read byte by byte.
//!
//! # Decisions
//!
//! - **Extensions are skipped, not parsed.** No extension means anything to
//!   this server. The bytes up to CR must be field-value bytes (no CTLs), and
//!   the line is length-limited; since CR cannot occur inside a valid
//!   quoted-string, skipping to the CR never ends the line too early.
//! - **Whitespace after the size is allowed only before `;`** (the BWS of
//!   chunk-ext). `5 \r\n` is refused: lenient size parsing is a classic
//!   smuggling vector, when a proxy reads the size differently.
//! - **Trailers are validated like header lines and discarded.** Nothing in
//!   this crate reads trailers yet. They are bounded as a head is, in bytes
//!   and in field lines (`max_head` and `max_headers` when built with
//!   [`ChunkedDecoder::from_limits`]), with 431: a byte limit alone would let
//!   through thousands of tiny lines that the head's line limit refuses.
//! - The body limit is enforced on announced sizes, so an oversized chunk is
//!   refused (413) before its data is read.
//!
//! # Ktor counterpart
//!
//! `io.ktor.http.cio.ChunkedTransferEncoding.kt`: `decodeChunked` reads from
//! one channel into another and `encodeChunked` does the reverse. Ktor also
//! limits the size line to 128 bytes and rejects hex overflow.

use super::parser::{Limits, ParseError};
use super::status::HttpStatusCode;
use super::syntax::{self, FIELD, TCHAR};

/// The result of one [`ChunkedDecoder::decode`] call.
///
/// Ktor: none; `decodeChunked` suspends until the body is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChunkedStatus {
    /// All input was used and the body is not over yet.
    Partial {
        /// Bytes of input used: always the whole input.
        consumed: usize,
    },
    /// The body, trailers and final CRLF are complete.
    Complete {
        /// Bytes of input used; the next request starts right after them.
        consumed: usize,
    },
}

/// Where the decoder is in the grammar; each state says what may come next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// The first byte of a size line: must be a hex digit.
    SizeStart,
    /// More hex digits, or what may end them.
    Size,
    /// Blanks after the size: only more blanks or `;` may follow.
    SizeBlank,
    /// Inside chunk-ext, skipped up to the CR.
    Extension,
    /// After the CR of a size line.
    SizeLf,
    /// Inside chunk-data; `size` bytes are left.
    Data,
    /// After chunk-data, expecting CR.
    DataCr,
    /// After chunk-data and CR, expecting LF.
    DataLf,
    /// At the start of a trailer line or of the final empty line.
    TrailerStart,
    /// Inside a trailer field name.
    TrailerName,
    /// Inside a trailer field value.
    TrailerValue,
    /// After the CR of a trailer line.
    TrailerLf,
    /// After the CR of the final empty line.
    EndLf,
    /// The whole chunked body has been read.
    Done,
}

/// An incremental decoder for one chunked request body.
///
/// Create one per body; after an error it keeps returning that error.
///
/// Ktor: `io.ktor.http.cio.decodeChunked`.
#[derive(Clone, Debug)]
pub struct ChunkedDecoder {
    state: State,
    /// While reading a size line: the size so far. In `Data`: bytes left.
    size: u64,
    /// Bytes of the current size line so far, CRLF excluded.
    line: usize,
    /// Sum of all chunk sizes so far, checked against `max_body`.
    total: u64,
    /// Bytes of the trailer section so far, final CRLF included.
    trailer: usize,
    /// Field lines of the trailer section so far.
    trailer_lines: usize,
    max_chunk_line: usize,
    max_body: u64,
    max_trailer: usize,
    max_trailer_lines: usize,
    /// Set by the first error; every later call returns it.
    error: Option<ParseError>,
}

impl ChunkedDecoder {
    /// A decoder refusing size lines longer than `max_chunk_line` (400) and
    /// bodies larger than `max_body` (413). Trailers may take up to the
    /// default `max_head` and `max_headers` of [`Limits`].
    ///
    /// Ktor: `decodeChunked(input, out)`.
    pub fn new(max_chunk_line: usize, max_body: u64) -> ChunkedDecoder {
        ChunkedDecoder {
            state: State::SizeStart,
            size: 0,
            line: 0,
            total: 0,
            trailer: 0,
            trailer_lines: 0,
            max_chunk_line,
            max_body,
            max_trailer: Limits::default().max_head,
            max_trailer_lines: Limits::default().max_headers,
            error: None,
        }
    }

    /// A decoder using `max_chunk_line`, `max_body` and, for trailers,
    /// `max_head` and `max_headers` from `limits`.
    ///
    /// Ktor: `decodeChunked(input, out)`.
    pub fn from_limits(limits: &Limits) -> ChunkedDecoder {
        ChunkedDecoder {
            max_trailer: limits.max_head,
            max_trailer_lines: limits.max_headers,
            ..ChunkedDecoder::new(limits.max_chunk_line, limits.max_body)
        }
    }

    /// Whether the whole body has been decoded.
    ///
    /// Ktor: none (the end of `decodeChunked`).
    pub fn is_complete(&self) -> bool {
        self.state == State::Done
    }

    /// Decodes from `input`, appending body bytes to `out`. Returns how many
    /// input bytes were consumed and whether the body (trailers and final
    /// CRLF included) is complete. Once complete, further calls consume
    /// nothing.
    ///
    /// Ktor: `decodeChunked`.
    pub fn decode(&mut self, input: &[u8], out: &mut Vec<u8>) -> Result<ChunkedStatus, ParseError> {
        if let Some(error) = &self.error {
            return Err(error.clone());
        }
        let mut pos = 0;
        while pos < input.len() && self.state != State::Done {
            if self.state == State::Data {
                // Copy as much chunk-data as has arrived, in one go.
                let available = input.len() - pos;
                let n = usize::try_from(self.size).map_or(available, |size| size.min(available));
                out.extend_from_slice(&input[pos..pos + n]);
                pos += n;
                self.size -= n as u64;
                if self.size == 0 {
                    self.state = State::DataCr;
                }
                continue;
            }
            if let Err(error) = self.step(input[pos]) {
                self.error = Some(error.clone());
                return Err(error);
            }
            pos += 1;
        }
        Ok(match self.state {
            State::Done => ChunkedStatus::Complete { consumed: pos },
            _ => ChunkedStatus::Partial { consumed: pos },
        })
    }

    /// Advances the state machine by one framing byte (never chunk-data).
    fn step(&mut self, b: u8) -> Result<(), ParseError> {
        use State::*;
        // Enforce the line limits first, so no state can grow without bound.
        if matches!(self.state, SizeStart | Size | SizeBlank | Extension) && b != b'\r' {
            self.line += 1;
            if self.line > self.max_chunk_line {
                return Err(bad("chunk-size line too long"));
            }
        }
        if matches!(
            self.state,
            TrailerStart | TrailerName | TrailerValue | TrailerLf | EndLf
        ) {
            self.trailer += 1;
            if self.trailer > self.max_trailer {
                let status = HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
                return Err(ParseError::new(status, "chunked trailer section too large"));
            }
        }
        // LF is only valid right after a CR; the same strictness as the head.
        if b == b'\n' && !matches!(self.state, SizeLf | DataLf | TrailerLf | EndLf) {
            return Err(bad("bare LF as line terminator"));
        }
        self.state = match self.state {
            SizeStart | Size => match (syntax::hex_value(b), b) {
                (Some(digit), _) => {
                    self.size = self
                        .size
                        .checked_mul(16)
                        .and_then(|size| size.checked_add(u64::from(digit)))
                        .ok_or(bad("chunk-size overflows"))?;
                    Size
                }
                (None, _) if self.state == SizeStart => return Err(bad("missing chunk-size")),
                (None, b';') => Extension,
                (None, b' ' | b'\t') => SizeBlank,
                (None, b'\r') => SizeLf,
                (None, _) => return Err(bad("invalid byte after chunk-size")),
            },
            SizeBlank => match b {
                b' ' | b'\t' => SizeBlank,
                b';' => Extension,
                _ => return Err(bad("whitespace after chunk-size without an extension")),
            },
            Extension => match b {
                b'\r' => SizeLf,
                _ if syntax::is(b, FIELD) => Extension,
                _ => return Err(bad("invalid byte in chunk extension")),
            },
            SizeLf if b == b'\n' => self.end_of_size_line()?,
            DataCr if b == b'\r' => DataLf,
            DataLf if b == b'\n' => {
                (self.size, self.line) = (0, 0);
                SizeStart
            }
            DataCr | DataLf => return Err(bad("chunk-data not followed by CRLF")),
            TrailerStart => match b {
                b'\r' => EndLf,
                b' ' | b'\t' => return Err(bad("obs-fold in chunked trailer")),
                _ if syntax::is(b, TCHAR) => self.start_trailer_line()?,
                _ => return Err(bad("invalid byte in trailer field name")),
            },
            TrailerName => match b {
                b':' => TrailerValue,
                _ if syntax::is(b, TCHAR) => TrailerName,
                _ => return Err(bad("invalid byte in trailer field name")),
            },
            TrailerValue => match b {
                b'\r' => TrailerLf,
                _ if syntax::is(b, FIELD) => TrailerValue,
                _ => return Err(bad("invalid byte in trailer field value")),
            },
            TrailerLf if b == b'\n' => TrailerStart,
            EndLf if b == b'\n' => Done,
            SizeLf | TrailerLf | EndLf => return Err(bad("bare CR not followed by LF")),
            // `decode` copies data itself and stops at `Done`.
            Data | Done => self.state,
        };
        Ok(())
    }

    /// At the first byte of a trailer field line: one more line, if the limit allows.
    fn start_trailer_line(&mut self) -> Result<State, ParseError> {
        self.trailer_lines += 1;
        if self.trailer_lines > self.max_trailer_lines {
            let status = HttpStatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE;
            return Err(ParseError::new(status, "too many chunked trailer fields"));
        }
        Ok(State::TrailerName)
    }

    /// After a size line: start the chunk-data, or the trailers when the
    /// size is zero (last-chunk).
    fn end_of_size_line(&mut self) -> Result<State, ParseError> {
        if self.size == 0 {
            return Ok(State::TrailerStart);
        }
        match self.total.checked_add(self.size) {
            Some(total) if total <= self.max_body => {
                self.total = total;
                Ok(State::Data)
            }
            _ => Err(ParseError::new(
                HttpStatusCode::PAYLOAD_TOO_LARGE,
                "chunked body larger than allowed",
            )),
        }
    }
}

/// Shorthand for a 400 error.
fn bad(reason: &'static str) -> ParseError {
    ParseError::bad_request(reason)
}

/// Appends `data` as one chunk: size in hex, CRLF, the data, CRLF. Empty
/// data is skipped, because an empty chunk is the last-chunk and would end
/// the body early.
///
/// Ktor: `io.ktor.http.cio.encodeChunked` (one `writeChunk`).
pub fn encode_chunk(out: &mut Vec<u8>, data: &[u8]) {
    if data.is_empty() {
        return;
    }
    // u64 hex fits in 16 digits; written right to left, then copied.
    let mut digits = [0u8; 16];
    let mut start = digits.len();
    let mut n = data.len() as u64;
    loop {
        start -= 1;
        digits[start] = b"0123456789abcdef"[(n & 0xf) as usize];
        n >>= 4;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[start..]);
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
}

/// Appends the last-chunk and an empty trailer section: `0\r\n\r\n`.
///
/// Ktor: the end of `io.ktor.http.cio.encodeChunked`.
pub fn encode_last_chunk(out: &mut Vec<u8>) {
    out.extend_from_slice(b"0\r\n\r\n");
}

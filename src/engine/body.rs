//! Bodies on the wire: reading a request's, writing a response's.
//!
//! A request body is framed by its head (RFC 9112 §6.3): `Content-Length` bytes, or chunks
//! until the last one, or nothing. [`read_body`] reads it whole, first from what is already
//! buffered, then from the socket, within the request's deadline; the chunked coding is removed
//! by the pure decoder of `http::chunked`.
//!
//! A response body is written by [`write_response`]. Known bytes get `Content-Length` and go
//! into the output buffer with the head, so that pipelined responses leave in one write. A
//! streamed body (`respond_bytes_writer`) is sent as it is produced: head first, then one chunk
//! per write, then the last, empty chunk; an HTTP/1.0 client gets the raw bytes and a close.
//!
//! Ktor: `io.ktor.http.cio.HttpBody` (`parseHttpBody`) and `CIOApplicationResponse`

use std::io;
use std::time::Instant;

use super::connection::flush;
use super::input::InputBuffer;
use super::output::OutputBuffer;
use super::transport::Transport;
use crate::BoxFuture;
use crate::application::{BodyWriter, ByteSink, OutgoingContent, StreamBody};
use crate::http::{
    self, BodyFraming, ChunkedDecoder, ChunkedStatus, Headers, HttpStatusCode, HttpVersion, Limits,
    ParseError, ResponseFraming,
};

/// What reading a request body came to.
pub(crate) enum BodyRead {
    Complete(Vec<u8>),
    /// The client closed the connection before the body was complete.
    Closed,
    /// The body's framing is broken (a bad chunk size, say), it is too large, or it did not
    /// arrive in time.
    Invalid(ParseError),
}

/// Reads the body `framing` announces, before `deadline`.
///
/// Responses to earlier pipelined requests may be waiting in `output`. They are written before
/// the first wait for the socket: the client may be waiting for them before it sends the rest
/// (or may close instead), and they must not be held back by a body that is slow to come.
pub(crate) async fn read_body<S: Transport>(
    stream: &mut S,
    input: &mut InputBuffer,
    output: &mut OutputBuffer,
    framing: BodyFraming,
    limits: &Limits,
    deadline: Instant,
) -> io::Result<BodyRead> {
    let outcome = match framing {
        BodyFraming::None => Ok(BodyRead::Complete(Vec::new())),
        BodyFraming::ContentLength(length) => read_length(stream, input, output, length, deadline).await,
        BodyFraming::Chunked => read_chunked(stream, input, output, limits, deadline).await,
    };
    match outcome {
        Err(error) if error.kind() == io::ErrorKind::TimedOut => Ok(BodyRead::Invalid(ParseError::new(
            HttpStatusCode::REQUEST_TIMEOUT,
            "the request body did not arrive in time",
        ))),
        other => other,
    }
}

/// A `Content-Length` body. `request_body_framing` already refused lengths over the limit.
async fn read_length<S: Transport>(
    stream: &mut S,
    input: &mut InputBuffer,
    output: &mut OutputBuffer,
    length: u64,
    deadline: Instant,
) -> io::Result<BodyRead> {
    let length = length as usize;
    let buffered = input.pending().len().min(length);
    let mut body = input.pending()[..buffered].to_vec();
    input.consume(buffered);
    // The rest goes straight from the socket into the body, not through the input buffer.
    let mut filled = body.len();
    if filled < length {
        flush(stream, output).await?;
    }
    while filled < length {
        if filled == body.len() {
            body.resize(filled + room_to_add(filled, length), 0);
        }
        match stream.read_before(&mut body[filled..], deadline).await? {
            0 => return Ok(BodyRead::Closed),
            count => filled += count,
        }
    }
    Ok(BodyRead::Complete(body))
}

/// The least room a body buffer gains at a time, and the most it has before any byte arrived.
const BODY_GROWTH: usize = 64 * 1024;

/// How many bytes a `Content-Length` body that holds `filled` of its `length` grows by before
/// the next read: as much as it has (doubling), at least [`BODY_GROWTH`], never past `length`.
///
/// Why not all of `length` at once, which saves the copies of growing: `Content-Length` is only
/// what the client claims. Reserved up front, it would let a 66-byte head that announces 1 MiB
/// make the server allocate, and zero, 1 MiB for as long as the request timeout, on every
/// connection a client opens. Grown this way, the memory a body holds stays within twice what
/// was sent, or 64 KiB; the price is about one extra copy of each byte of a large body.
fn room_to_add(filled: usize, length: usize) -> usize {
    filled.max(BODY_GROWTH).min(length - filled)
}

/// A chunked body, decoded as it arrives.
async fn read_chunked<S: Transport>(
    stream: &mut S,
    input: &mut InputBuffer,
    output: &mut OutputBuffer,
    limits: &Limits,
    deadline: Instant,
) -> io::Result<BodyRead> {
    let mut decoder = ChunkedDecoder::from_limits(limits);
    let mut body = Vec::new();
    loop {
        match decoder.decode(input.pending(), &mut body) {
            Ok(ChunkedStatus::Complete { consumed }) => {
                input.consume(consumed);
                return Ok(BodyRead::Complete(body));
            }
            Ok(ChunkedStatus::Partial { consumed }) => {
                input.consume(consumed);
                flush(stream, output).await?;
                if input.read_from(stream, deadline).await? == 0 {
                    return Ok(BodyRead::Closed);
                }
            }
            Err(error) => return Ok(BodyRead::Invalid(error)),
        }
    }
}

/// Writes a response: its head and known body into `output`, for the caller to flush, or, for
/// a streamed body, its head only. Returns what is left to send: nothing, with whether the
/// connection must close afterwards (`close`), or the streamed body, which the caller sends
/// with [`Streamed::send`]. The caller decides `close`, and must set it for a streamed body to
/// an HTTP/1.0 client, which the close ends (it also tells the client so in the `Connection`
/// header).
///
/// A plain function that hands back what is left, not an `async fn` nor a function returning
/// a future, although a streamed body must be awaited: everything else is written right here,
/// when it is called, and a future would have nothing to do but say so. Yet the caller would
/// build it, poll it and drop it, for every response: 70 instructions per pipelined request
/// (callgrind), against a `match` in the caller. An `async fn` would even move all its
/// arguments into its state first. Inlined, by attribute, into its two callers in
/// `connection.rs` (the request loop and `refuse`): as a function of its own, which the
/// compiler may make it without the attribute, the call with seven arguments and the
/// registers saved around it would cost more than its work.
#[inline(always)]
pub(crate) fn write_response(
    output: &mut OutputBuffer,
    status: HttpStatusCode,
    headers: &Headers,
    content: OutgoingContent,
    is_head: bool,
    version: HttpVersion,
    close: bool,
) -> Rest {
    // 1xx, 204 and 304 responses never have a body (nor Content-Length).
    let bodiless = status.forbids_body();
    match content {
        OutgoingContent::Stream(producer) => {
            let chunked = version == HttpVersion::Http11;
            debug_assert!(chunked || close, "an HTTP/1.0 body is ended by the close");
            let framing = match (bodiless, chunked) {
                (false, true) => ResponseFraming::Chunked,
                _ => ResponseFraming::NoBody,
            };
            output.push_head(status, headers, framing, close);
            match is_head || bodiless {
                true => Rest::Done { close },
                false => Rest::Stream(Streamed {
                    producer,
                    chunked,
                    close,
                }),
            }
        }
        known => {
            let body = known.bytes().unwrap_or_default();
            let framing = match bodiless {
                true => ResponseFraming::NoBody,
                false => ResponseFraming::Length(body.len() as u64),
            };
            output.push_head(status, headers, framing, close);
            if !is_head && !bodiless {
                output.extend_from_slice(body);
            }
            Rest::Done { close }
        }
    }
}

/// What is left of a response once [`write_response`] has written its head.
pub(crate) enum Rest {
    /// Nothing: the body, if any, is in the output buffer too. `close`: whether the connection
    /// must close after it.
    Done { close: bool },
    /// A streamed body to send.
    Stream(Streamed),
}

/// A streamed body whose head is in the output buffer, to send chunked or (HTTP/1.0) raw.
pub(crate) struct Streamed {
    producer: Box<dyn StreamBody>,
    chunked: bool,
    close: bool,
}

impl Streamed {
    /// Sends the body: what is in `output` first (its head with it), then one chunk per write,
    /// then the last chunk. Gives whether the connection must close afterwards: the response's
    /// `close`, or a failing producer.
    ///
    /// Callers box this future: the producer's state would otherwise be part of every
    /// connection's future, which an idle connection keeps allocated; only streamed responses
    /// pay for it.
    pub(crate) async fn send<S: Transport>(
        self,
        stream: &mut S,
        output: &mut OutputBuffer,
    ) -> io::Result<bool> {
        let Streamed {
            producer,
            chunked,
            close,
        } = self;
        flush(stream, output).await?;
        let mut sink = SocketSink {
            stream,
            chunked,
            scratch: Vec::new(),
            broken: false,
        };
        let mut writer = BodyWriter::new(&mut sink);
        if let Err(error) = producer.write_to(&mut writer).await {
            // The status is long gone; the only honest signal left is to end the connection
            // without the last chunk, so an HTTP/1.1 client sees an incomplete body. An
            // HTTP/1.0 body ends with the close itself, so there a cut looks like an end: only
            // a reset (an abortive close) could tell them apart, and it could also destroy what
            // was sent before it. Logged only when the producer failed on its own: a client
            // that went away is its own affair (Ktor logs a `ChannelIOException` at DEBUG level
            // only).
            if !sink.broken {
                eprintln!("mini-ktor: streamed response failed: {error}");
            }
            return Ok(true);
        }
        if chunked {
            http::encode_last_chunk(output.bytes_mut());
        }
        Ok(close)
    }
}

/// A streamed body's way to the socket: each write is one chunk (or raw bytes on HTTP/1.0).
struct SocketSink<'s, S> {
    stream: &'s mut S,
    chunked: bool,
    /// Reused for each chunk: size line, data, CRLF, written in one go.
    scratch: Vec<u8>,
    /// Whether a write to the socket failed: the client reset the connection, or stopped reading.
    broken: bool,
}

impl<S: Transport> ByteSink for SocketSink<'_, S> {
    fn send<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, io::Result<()>> {
        Box::pin(async move {
            let written = if self.chunked {
                self.scratch.clear();
                http::encode_chunk(&mut self.scratch, bytes);
                self.stream.write_all(&self.scratch).await
            } else {
                self.stream.write_all(bytes).await
            };
            self.broken |= written.is_err();
            written
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body's buffer grows with what arrived, not with what `Content-Length` announced.
    #[test]
    fn a_body_buffer_grows_with_what_arrived() {
        const MIB: usize = 1024 * 1024;
        let cases = [
            // (filled, length, room added)
            (0, MIB, 64 * 1024), // only announced: 64 KiB, not 1 MiB
            (0, 10, 10),         // a small body gets exactly its size
            (100, 1000, 900),    // the rest, when it is under 64 KiB
            (64 * 1024, MIB, 64 * 1024),
            (128 * 1024, MIB, 128 * 1024), // doubling
            (768 * 1024, MIB, 256 * 1024), // never past the length
        ];
        for (filled, length, room) in cases {
            assert_eq!(room_to_add(filled, length), room, "filled {filled} of {length}");
        }
    }
}

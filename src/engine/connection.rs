//! One connection, from its first byte to its close: parse, call, write, repeat.
//!
//! ```text
//!  socket ──read──► input buffer ──parse_request──► head ──read body──► ApplicationRequest
//!                                                                            │ respond_to
//!  socket ◄─write── output buffer ◄──write_response_head + body ◄── ApplicationResponse
//! ```
//!
//! The loop is generic over any byte stream with our [`AsyncRead`] and [`AsyncWrite`], so the
//! same protocol code serves a TCP socket and, in tests, an in-memory stream.
//!
//! Keep-alive and pipelining: after answering, the loop goes back to the input buffer. If the
//! client already sent the next request (pipelining), it is parsed and answered at once, and
//! the responses collect in the output buffer; they are written in one `write` when no complete
//! request is left to answer. A batch of pipelined requests therefore costs one read and one
//! write, which is what makes pipelined throughput high. Responses stay in request order because
//! requests are answered one after the other. Ktor's CIO engine lets the handler of one request
//! run concurrently with parsing the next (up to 3 queued); answering in turn is simpler and
//! gives the same order.
//!
//! Errors: a request that cannot be parsed or framed gets its status (400, 413, 414, 431, 501,
//! 505...) with `Connection: close`, and the connection ends. Nothing after a framing error is
//! read as a request, so a confused stream can never answer the wrong request.
//!
//! Ktor: `io.ktor.server.cio.backend.ServerPipeline` (`startServerConnectionPipeline`)

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use super::pipeline::respond_to;
use crate::application::{Application, ApplicationRequest, OutgoingContent};
use crate::http::{
    self, BodyFraming, ChunkedDecoder, ChunkedStatus, EMPTY_HEADER, Headers, HttpHeaders, HttpMethod,
    HttpStatusCode, HttpVersion, Limits, ParseError, ResponseFraming, Status,
};
use crate::runtime::{AsyncRead, AsyncWrite};

/// The addresses of a connection's two ends, given to every request on it.
#[derive(Clone, Copy, Debug)]
pub struct Peer {
    /// The server's end.
    pub local: SocketAddr,
    /// The client's end.
    pub remote: SocketAddr,
}

/// Header slots for one parse. The parser fills at most `limits.max_headers` of them.
const HEADER_SLOTS: usize = 128;

/// Serves requests from `stream` until the client closes, asks to close, or sends something
/// that cannot be answered. Returns when the connection should be closed.
///
/// Ktor: `startServerConnectionPipeline`
pub async fn serve<S: AsyncRead + AsyncWrite>(
    stream: &mut S,
    application: &Arc<Application>,
    peer: Peer,
    limits: &Limits,
) -> io::Result<()> {
    let mut input = InputBuffer::new();
    let mut output = Vec::new();
    loop {
        let head = match parse_head(input.pending(), limits) {
            Ok(Some((head, consumed))) => {
                input.consume(consumed);
                head
            }
            Ok(None) => {
                // Nothing complete is buffered: send what is waiting, then read more.
                flush(stream, &mut output).await?;
                if input.read_from(stream).await? == 0 {
                    return Ok(()); // the client closed (a half-sent request is dropped)
                }
                continue;
            }
            Err(error) => return answer_error(stream, &mut output, error).await,
        };

        if head.expects_continue && head.framing != BodyFraming::None {
            // The client waits for this before sending the body (RFC 9110 §10.1.1).
            output.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
            flush(stream, &mut output).await?;
        }
        let body = match read_body(stream, &mut input, head.framing, limits).await? {
            Body::Complete(body) => body,
            Body::Closed => return Ok(()),
            Body::Invalid(error) => return answer_error(stream, &mut output, error).await,
        };

        let is_head = head.method == HttpMethod::Head;
        let mut close = !head.keep_alive;
        let version = head.version;
        let request = ApplicationRequest::new(
            head.method,
            head.target,
            head.version,
            head.headers,
            body,
            peer.local,
            peer.remote,
        );
        let request = match request {
            Ok(request) => request,
            Err(error) => {
                let error = ParseError {
                    status: error.status,
                    reason: "invalid request target",
                };
                return answer_error(stream, &mut output, error).await;
            }
        };

        let mut response = respond_to(application, request).await;
        let (status, mut headers, content) = response.take();
        if headers
            .get(HttpHeaders::CONNECTION)
            .is_some_and(|value| value.eq_ignore_ascii_case("close"))
        {
            close = true;
            headers.remove(HttpHeaders::CONNECTION);
        } else if !close && version == HttpVersion::Http10 {
            // An HTTP/1.0 client assumes the connection closes unless told otherwise.
            headers.set(HttpHeaders::CONNECTION, "keep-alive");
        }
        write_response(&mut output, status, &headers, &content, is_head, close);

        if close {
            flush(stream, &mut output).await?;
            return Ok(());
        }
        if input.pending().is_empty() {
            flush(stream, &mut output).await?;
        }
    }
}

/// The parts of a parsed request head that outlive the input buffer.
struct Head {
    method: HttpMethod,
    target: String,
    version: HttpVersion,
    headers: Headers,
    framing: BodyFraming,
    keep_alive: bool,
    expects_continue: bool,
}

/// Parses one request head from `buffer`: `Ok(None)` when more bytes are needed.
///
/// A plain function, not `async`: the header slots live on the stack only while parsing and
/// never become part of the connection's future.
fn parse_head(buffer: &[u8], limits: &Limits) -> Result<Option<(Head, usize)>, ParseError> {
    let mut slots = [EMPTY_HEADER; HEADER_SLOTS];
    let slots = &mut slots[..limits.max_headers.min(HEADER_SLOTS)];
    let (head, consumed) = match http::parse_request(buffer, slots, limits)? {
        Status::Complete(parsed) => parsed,
        Status::Partial => return Ok(None),
    };
    let framing = http::request_body_framing(&head, limits)?;
    let expects_continue = http::expects_continue(&head)?;
    let mut headers = Headers::new();
    for header in head.headers {
        // Header values are bytes (obs-text is allowed); handlers get text.
        headers.append(header.name, String::from_utf8_lossy(header.value));
    }
    let owned = Head {
        method: HttpMethod::parse(head.method),
        target: head.target.to_string(),
        version: head.version,
        keep_alive: http::keep_alive(&head),
        headers,
        framing,
        expects_continue,
    };
    Ok(Some((owned, consumed)))
}

/// What reading a body came to.
enum Body {
    Complete(Vec<u8>),
    /// The client closed the connection before the body was complete.
    Closed,
    /// The body's framing is broken (a bad chunk size, say), or it is too large.
    Invalid(ParseError),
}

/// Reads the body the head announced: first from what is already buffered, then from the
/// stream.
async fn read_body<S: AsyncRead>(
    stream: &mut S,
    input: &mut InputBuffer,
    framing: BodyFraming,
    limits: &Limits,
) -> io::Result<Body> {
    match framing {
        BodyFraming::None => Ok(Body::Complete(Vec::new())),
        BodyFraming::ContentLength(length) => {
            // `request_body_framing` already refused lengths above `limits.max_body`.
            let length = length as usize;
            let buffered = input.pending().len().min(length);
            let mut body = Vec::with_capacity(length);
            body.extend_from_slice(&input.pending()[..buffered]);
            input.consume(buffered);
            // The rest goes straight from the socket into the body, not through the buffer.
            let mut filled = body.len();
            body.resize(length, 0);
            while filled < length {
                match stream.read(&mut body[filled..]).await? {
                    0 => return Ok(Body::Closed),
                    n => filled += n,
                }
            }
            Ok(Body::Complete(body))
        }
        BodyFraming::Chunked => {
            let mut decoder = ChunkedDecoder::new(limits.max_chunk_line, limits.max_body);
            let mut body = Vec::new();
            loop {
                match decoder.decode(input.pending(), &mut body) {
                    Ok(ChunkedStatus::Complete { consumed }) => {
                        input.consume(consumed);
                        return Ok(Body::Complete(body));
                    }
                    Ok(ChunkedStatus::Partial { consumed }) => {
                        input.consume(consumed);
                        if input.read_from(stream).await? == 0 {
                            return Ok(Body::Closed);
                        }
                    }
                    Err(error) => return Ok(Body::Invalid(error)),
                }
            }
        }
    }
}

/// Serializes a response into `output`: head, then body (none for HEAD).
fn write_response(
    output: &mut Vec<u8>,
    status: HttpStatusCode,
    headers: &Headers,
    content: &OutgoingContent,
    is_head: bool,
    close: bool,
) {
    let body = content.bytes();
    // RFC 9110 §8.6: no Content-Length on 1xx and 204; §15.4.5: a 304 has no body.
    let framing = match status.value {
        100..=199 | 204 | 304 => ResponseFraming::NoBody,
        _ => ResponseFraming::Length(body.len() as u64),
    };
    http::write_response_head(output, status, headers, framing, close);
    if !is_head && framing != ResponseFraming::NoBody {
        output.extend_from_slice(body);
    }
}

/// Answers a request that could not be parsed or framed, then ends the connection.
async fn answer_error<S: AsyncWrite>(
    stream: &mut S,
    output: &mut Vec<u8>,
    error: ParseError,
) -> io::Result<()> {
    let mut headers = Headers::new();
    headers.append(HttpHeaders::CONTENT_TYPE, "text/plain; charset=UTF-8");
    let content = OutgoingContent::Bytes(error.reason.as_bytes().into());
    write_response(output, error.status, &headers, &content, false, true);
    flush(stream, output).await
}

/// Writes out everything in `output`.
async fn flush<S: AsyncWrite>(stream: &mut S, output: &mut Vec<u8>) -> io::Result<()> {
    if !output.is_empty() {
        stream.write_all(output).await?;
        output.clear();
    }
    Ok(())
}

/// The bytes read from the connection and not yet parsed: `bytes[start..end]`.
///
/// A fixed, zero-initialised `Vec` with two cursors: reading appends at `end`, parsing consumes
/// from `start`, and when both meet the buffer is empty again without any copying. Only a
/// request split across reads and reaching the end of the buffer moves bytes to the front.
struct InputBuffer {
    bytes: Vec<u8>,
    start: usize,
    end: usize,
}

/// The first read's buffer size: a typical request head fits many times over.
const INITIAL_INPUT: usize = 4096;

impl InputBuffer {
    fn new() -> InputBuffer {
        // Allocated on the first read, so a connection that never sends costs nothing here.
        InputBuffer {
            bytes: Vec::new(),
            start: 0,
            end: 0,
        }
    }

    fn pending(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    fn consume(&mut self, count: usize) {
        self.start += count;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Reads once from `stream`, making room first; returns the byte count (0 at end of stream).
    async fn read_from<S: AsyncRead>(&mut self, stream: &mut S) -> io::Result<usize> {
        if self.end == self.bytes.len() {
            if self.start > 0 {
                self.bytes.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else {
                // Full of one unfinished request: grow. The parser's limits (431, 414) stop a
                // head from growing it without bound, the body limit (413) a chunked body.
                let size = (self.bytes.len() * 2).max(INITIAL_INPUT);
                self.bytes.resize(size, 0);
            }
        }
        let count = stream.read(&mut self.bytes[self.end..]).await?;
        self.end += count;
        Ok(count)
    }
}

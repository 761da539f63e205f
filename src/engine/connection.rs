//! One connection, from its first byte to its close: parse, call, write, repeat.
//!
//! ```text
//!  socket ──read──► InputBuffer ──parse_request──► head ──read body──► ApplicationRequest
//!                                                                           │ respond
//!  socket ◄─write── OutputBuffer ◄── response head + body (body.rs) ◄── ApplicationResponse
//! ```
//!
//! The loop is generic over a [`Transport`], so the same protocol code serves the `Cio`
//! engine's sockets, the `Blocking` engine's sockets and in-memory streams in tests.
//!
//! **Keep-alive and pipelining.** After answering, the loop goes back to the input buffer. If
//! the client already sent the next request (pipelining), it is parsed and answered at once,
//! and the responses collect in the output buffer; they are written together when no complete
//! request is left to answer, when they reach 64 KiB, or before the loop waits for the rest of
//! a request's body. A batch of pipelined requests therefore costs one read and one write.
//! Responses stay in request order because requests are answered one after the other.
//! Ktor's CIO lets the handler of one request run while the next is parsed (up to 3 queued);
//! answering in turn is simpler and gives the same order.
//!
//! **Time limits.** Waiting for a new request with nothing buffered is bounded by the idle
//! timeout (the connection then just closes); a request that has started to arrive must be
//! complete within the request timeout, or it gets `408 Request Timeout` (RFC 9110 §15.5.9).
//! The idle timeout also bounds each wait for room to write (the engines set it as the
//! socket's write timeout): a client that stops reading its response is closed, not served
//! for ever. A slow reader is not, since every write that gets through waits afresh.
//!
//! RFC 9112 §9.3 (persistence and pipelining), §9.6 (tear-down: the lingering close after
//! every last response, in `connection/close.rs`) and RFC 9110 §10.1.1 (`Expect`, in
//! `connection/expect.rs`) are the rules this loop follows.
//!
//! **Errors.** A request that cannot be parsed or framed gets its status (400, 408, 413, 414,
//! 417, 431, 501, 505) with `Connection: close`, then the connection ends (`refuse`, in
//! `connection/close.rs`). Nothing after a framing error is read as a request, so a confused
//! stream never answers the wrong request.
//!
//! Ktor: `io.ktor.server.cio.backend.ServerPipeline` (`startServerConnectionPipeline`)

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

mod close;
mod expect;

use super::body::{BodyRead, Rest, read_body, write_response};
use super::head::{Head, ParseContext, parse_head};
use super::input::InputBuffer;
use super::output::OutputBuffer;
use super::pipeline::respond;
use super::spare;
use super::storage::CallStorage;
use super::transport::{ConnectionConfig, ConnectionState, Transport, must_wait};
use crate::application::{Application, OutgoingContent};
use crate::http::{BodyFraming, HttpStatusCode, HttpVersion, ParseError};
use crate::runtime::after;
use close::connection_header;
use expect::Deferred;

/// The addresses of a connection's two ends, given to every request on it.
///
/// Ktor: `ServerIncomingConnection.localAddress` and `remoteAddress`
#[derive(Clone, Copy, Debug)]
pub struct Peer {
    /// The server's end.
    ///
    /// Ktor: `ServerIncomingConnection.localAddress`
    pub local: SocketAddr,
    /// The client's end.
    ///
    /// Ktor: `ServerIncomingConnection.remoteAddress`
    pub remote: SocketAddr,
}

/// Serves requests from `stream` until the client closes, asks to close, stays silent too
/// long, sends something that cannot be answered, or the server stops. Returns when the
/// connection should be closed.
///
/// Ktor: `startServerConnectionPipeline`
pub async fn serve<S: Transport>(
    stream: &mut S,
    application: &Arc<Application>,
    peer: Peer,
    config: &ConnectionConfig,
    state: &ConnectionState,
) -> io::Result<()> {
    let mut connection = Connection {
        stream,
        application,
        peer,
        config,
        state,
        input: InputBuffer::new(),
        output: OutputBuffer::default(),
        storage: CallStorage::default(),
        request_started: None,
    };
    let outcome = connection.run().await;
    spare::give_output(connection.output);
    outcome
}

/// A connection being served: its stream, its buffers, and what it serves.
struct Connection<'c, S> {
    stream: &'c mut S,
    application: &'c Arc<Application>,
    peer: Peer,
    config: &'c ConnectionConfig,
    state: &'c ConnectionState,
    input: InputBuffer,
    /// Responses not yet written: flushed when no complete request is left to answer.
    output: OutputBuffer,
    /// What each call's target and headers are built in, reused call after call.
    storage: CallStorage,
    /// When the request being read began to arrive, if its head had to be waited for: its
    /// request timeout runs from there, through the head and then the body.
    request_started: Option<Instant>,
}

/// What waiting for the next request came to.
enum Next {
    Head(Head),
    /// The client closed, stayed idle too long, or the server is stopping: close quietly.
    Close,
    /// Something that cannot be answered normally: answer this error and close.
    Refuse(ParseError),
}

impl<S: Transport> Connection<'_, S> {
    async fn run(&mut self) -> io::Result<()> {
        loop {
            // A head already buffered (the next of a pipelined batch) is parsed right here,
            // without the future of `next_head`, which only reading needs.
            let next = match self.buffered_head() {
                Some(next) => next,
                None => self.next_head().await?,
            };
            let mut head = match next {
                Next::Head(head) => head,
                Next::Close => return self.flush().await,
                Next::Refuse(error) => {
                    // Unparsed, but a request line that got as far as its method may be a HEAD,
                    // after the empty lines the parser skips (RFC 9112 §2.2).
                    let pending = self.input.pending();
                    let empty_lines = pending.iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
                    let is_head = pending[empty_lines..].starts_with(b"HEAD ");
                    return Box::pin(self.refuse(error, is_head)).await;
                }
            };
            let is_head = head.is_head;
            // An empty body is there already: a `100 Continue` for it would only cost a round trip.
            let empty = matches!(head.framing, BodyFraming::None | BodyFraming::ContentLength(0));
            let defer_body = head.expects_continue && !empty;
            let started = self.request_started.take();
            // The call's request has an empty body until it is given one here.
            if !defer_body && head.framing != BodyFraming::None {
                // One timeout for the whole request: the body gets what the head left of it. (A
                // head that came whole, unwaited for, arrived just now.)
                let started = started.unwrap_or_else(Instant::now);
                let deadline = after(started, self.config.request_timeout);
                let limits = &self.config.limits;
                // Boxed: reading a body has state of its own (a chunked decoder, say) that would
                // otherwise be part of every connection's future, idle or not.
                let (input, output) = (&mut self.input, &mut self.output);
                let body = read_body(self.stream, input, output, head.framing, limits, deadline);
                match Box::pin(body).await? {
                    BodyRead::Complete(body) => head.call.request_mut().set_body(body),
                    BodyRead::Closed => return Ok(()),
                    BodyRead::Invalid(error) => return Box::pin(self.refuse(error, is_head)).await,
                }
            }

            let Head {
                mut call,
                version,
                framing,
                keep_alive,
                ..
            } = head;
            if let Err(error) = call.request_mut().start() {
                let error = ParseError::new(error.status, "invalid request target");
                return Box::pin(self.refuse(error, is_head)).await;
            }
            let (mut call, deferred) = if defer_body {
                // Boxed, like every rare path here: its state (two futures side by side) would
                // otherwise enlarge every connection's future, idle or not.
                match Box::pin(self.respond_reading_body_on_demand(call, framing)).await {
                    (_, Deferred::Invalid(error)) => return Box::pin(self.refuse(error, is_head)).await,
                    (_, Deferred::Gone) => return Ok(()),
                    answered => answered,
                }
            } else {
                // Not boxed: the call is boxed already, and handlers' futures are boxed, so
                // what `respond` keeps here is small (its future is 152 bytes, by `size_of_val`),
                // a fair price in every connection's future for saving an allocation per request.
                (respond(self.application, call).await, Deferred::Read)
            };
            let response = call.response();
            let content = response.take_sendable_content();
            let status = response.effective_status();
            // A streamed body to an HTTP/1.0 client is ended by the close (no chunked there).
            let close_delimited =
                version == HttpVersion::Http10 && matches!(content, OutgoingContent::Stream(_));
            let close = !keep_alive
                || close_delimited
                || !matches!(deferred, Deferred::Read)
                || self.state.is_stopping();
            let close = connection_header(response.headers_mut(), version, close);
            let written = write_response(
                &mut self.output,
                status,
                response.headers(),
                content,
                is_head,
                version,
                close,
            );
            let close = match written {
                Rest::Done { close } => close,
                Rest::Stream(body) => Box::pin(body.send(self.stream, &mut self.output)).await?,
            };
            self.storage.keep(call);
            if close {
                self.flush().await?;
                return Box::pin(self.linger()).await; // boxed: rare, like `refuse`
            }
            if self.input.is_empty() || self.output.is_full() {
                self.flush().await?;
            }
        }
    }

    /// The next request head, if the input buffer holds all of it (or an error in it).
    fn buffered_head(&mut self) -> Option<Next> {
        if self.input.is_empty() {
            return None; // after the last request of a batch: nothing to parse, not even slots
        }
        let context = ParseContext {
            limits: &self.config.limits,
            application: self.application,
            peer: &self.peer,
        };
        match parse_head(self.input.pending(), &mut self.storage, &context) {
            Ok(Some((head, consumed))) => {
                self.input.consume(consumed);
                Some(Next::Head(head))
            }
            Ok(None) => None,
            Err(error) => Some(Next::Refuse(error)),
        }
    }

    /// Reads until the input buffer holds a whole request head (or an error), within the time
    /// limits. Called when [`buffered_head`](Self::buffered_head) found none.
    async fn next_head(&mut self) -> io::Result<Next> {
        loop {
            // Nothing complete is buffered: send what is waiting, then read more. (Tested here
            // as well as in `flush`, so that an empty buffer costs no future at all.)
            if !self.output.is_empty() {
                self.flush().await?;
            }
            let deadline = if self.input.is_empty() && self.request_started.is_none() {
                // Idle first, then the stop flag: a stop that begins meanwhile either finds this
                // connection idle (and shuts its read side) or is seen here (see
                // `ConnectionState` for why one of the two is certain).
                self.state.set_idle(true);
                if self.state.is_stopping() {
                    // A request may already be on its way: take what is there, wait for none.
                    self.state.set_idle(false);
                    Instant::now()
                } else {
                    let deadline = after(Instant::now(), self.config.idle_timeout);
                    // Idle, perhaps for long: hold no buffers while waiting for the next request
                    // (an idle keep-alive connection then costs little more than its task). They
                    // go to this worker's spares, for whichever connection wakes next.
                    self.input.release_if_empty();
                    spare::give_output(std::mem::take(&mut self.output));
                    spare::give_storage(std::mem::take(&mut self.storage));
                    if let Err(error) = self.stream.readable_before(deadline).await {
                        self.state.set_idle(false);
                        return match error.kind() {
                            io::ErrorKind::TimedOut => Ok(Next::Close),
                            _ => Err(error),
                        };
                    }
                    self.output = spare::take_output();
                    self.storage = spare::take_storage();
                    self.storage.adopt(self.application, &self.peer);
                    deadline
                }
            } else {
                // The request has started to arrive: its clock starts the first time it is
                // waited for.
                after(
                    *self.request_started.get_or_insert_with(Instant::now),
                    self.config.request_timeout,
                )
            };
            let read = self.input.read_from(self.stream, deadline).await;
            self.state.set_idle(false);
            match read {
                Ok(0) => return Ok(Next::Close), // the client closed (a half-sent request is dropped)
                // Bytes arrived; if they are not a whole head, the wait for the rest starts the
                // request's clock just above (no clock read for a head that came whole).
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::TimedOut => {
                    return Ok(match self.request_started {
                        None => Next::Close,
                        Some(_) => Next::Refuse(ParseError::new(
                            HttpStatusCode::REQUEST_TIMEOUT,
                            "the request did not arrive in time",
                        )),
                    });
                }
                Err(error) => return Err(error),
            }
            if let Some(next) = self.buffered_head() {
                return Ok(next);
            }
        }
    }

    async fn flush(&mut self) -> io::Result<()> {
        flush(self.stream, &mut self.output).await
    }
}

/// Writes out everything in `output`: in one try that does not wait, nearly always, and what
/// the socket did not take at once through `write_all`, which waits for room.
pub(crate) async fn flush<S: Transport>(stream: &mut S, output: &mut OutputBuffer) -> io::Result<()> {
    if output.is_empty() {
        return Ok(());
    }
    let bytes = output.stamp_dates();
    let written = match stream.try_write(bytes) {
        Err(error) if must_wait(&error) => 0,
        tried => tried?,
    };
    if let Some(rest) = bytes.get(written..).filter(|rest| !rest.is_empty()) {
        stream.write_all(rest).await?;
    }
    output.clear();
    Ok(())
}

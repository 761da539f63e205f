//! How a connection ends: the `Connection` header of its last response, the answer to a
//! request that cannot be served, and the lingering close after either.
//!
//! ```text
//! response ──── connection_header ─┬─ keep alive ──► back to the loop
//!                                  └─ close ─────┐   (asked by either side, HTTP/1.0, a stop)
//! bad request ── refuse: its status, written ────┤
//!                                                ▼
//!                 linger: shut the write side, read and drop until the client closes
//!                         (at most 1 s and 1 MiB), then close
//! ```
//!
//! Closing looks like the simplest thing a server does, and is where a correct response is
//! most easily lost: a socket closed with unread bytes in it makes the kernel send a reset,
//! and the client may then lose the response it had not read yet. So the server never closes
//! with the client still talking: it shuts its write side, which the client reads as the end
//! of the response, and waits for the client to close, reading what it still sends without
//! parsing any of it.
//!
//! RFC 9112 §9.6 (tear-down, the lingering close) and §9.3 (`Connection: close`, and HTTP/1.0's
//! keep-alive).
//!
//! Ktor: CIO's `ServerPipeline` closes a connection as soon as its last response is written;
//! it has no lingering close

use std::io;
use std::time::{Duration, Instant};

use super::Connection;
use crate::application::OutgoingContent;
use crate::engine::body::write_response;
use crate::engine::transport::Transport;
use crate::http::{Headers, HttpHeaders, HttpVersion, ParseError};

impl<S: Transport> Connection<'_, S> {
    /// Answers a request that cannot be served with `error`'s status, then closes gracefully
    /// ([`linger`](Self::linger)).
    ///
    /// The error's text is the body, except for a `HEAD` request, whose answer has none
    /// (RFC 9110 §9.3.2), error or not.
    pub(super) async fn refuse(&mut self, error: ParseError, is_head: bool) -> io::Result<()> {
        let mut headers = Headers::new();
        headers.append(HttpHeaders::CONTENT_TYPE, "text/plain; charset=UTF-8");
        let content = OutgoingContent::Bytes(error.reason.as_bytes().into());
        // Known bytes: all of it goes into the output buffer, nothing is left to stream.
        let _ = write_response(
            &mut self.output,
            error.status,
            &headers,
            content,
            is_head,
            HttpVersion::Http11,
            true,
        );
        self.flush().await?;
        self.linger().await
    }

    /// Closes after a last response, already written, without losing it (RFC 9112 §9.6).
    ///
    /// The client may still be sending: the rest of a too-large body, or requests pipelined
    /// behind one answered with `Connection: close`. Closing a socket with unread input makes
    /// the kernel send a reset, which can destroy the response before the client reads it. So
    /// the write side is shut first, which the client sees as the end of the response, then
    /// what it still sends is read and dropped until it closes, for at most 1 s and 1 MiB: a
    /// "lingering close", as nginx and Apache do. Nothing read here is ever parsed. (Ktor CIO
    /// closes at once.)
    pub(super) async fn linger(&mut self) -> io::Result<()> {
        self.state.set_closing(); // nothing is lost if a stop closes it now
        self.stream.shutdown_write()?;
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut discarded = 0;
        // On the heap: an array here would be part of every connection's future, errors or not.
        let mut sink = vec![0u8; 4096];
        while discarded < 1 << 20 {
            match self.stream.read_before(&mut sink, deadline).await {
                Ok(0) | Err(_) => break,
                Ok(count) => discarded += count,
            }
        }
        Ok(())
    }
}

/// Decides the response's `Connection` header: a handler's `Connection` listing `close`
/// (`close`, `Close, x`) closes the connection, RFC 9112 §9.6, and goes out as it is (the
/// writer then adds no second one). A handler's other `Connection` (`keep-alive`, say) is
/// replaced: by `close` when the connection closes anyway, rather than sent beside the
/// writer's `close` to contradict it, and by `keep-alive` to an HTTP/1.0 client kept alive,
/// which must be told so, since it assumes a close otherwise. Returns whether to close.
pub(super) fn connection_header(headers: &mut Headers, version: HttpVersion, close: bool) -> bool {
    // `contains` first: it answers the usual case, no `Connection` at all, with one test.
    // (`get_all` makes the same test, but behind an iterator's set-up, which measured about
    // ten instructions more per response.)
    let handler_said = headers.contains(HttpHeaders::CONNECTION);
    let asked_close = handler_said
        && headers
            .get_all(HttpHeaders::CONNECTION)
            .any(|value| crate::http::lists_close(value.as_bytes()));
    if asked_close {
        return true;
    }
    if close && handler_said {
        headers.set(HttpHeaders::CONNECTION, "close");
    } else if !close && version == HttpVersion::Http10 {
        headers.set(HttpHeaders::CONNECTION, "keep-alive");
    }
    close
}

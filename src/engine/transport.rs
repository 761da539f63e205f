//! What the connection loop needs from a socket, and what it shares with its engine.
//!
//! The protocol code (`connection.rs`) is written once and serves every engine. What it asks
//! of the byte stream under it is gathered in the [`Transport`] trait: to read and write
//! (`AsyncRead`, `AsyncWrite`); to read *with a deadline* (`read_before`), and to wait with one
//! until a read would find something (`readable_before`), because a server must not wait
//! forever for a silent client; and to end its sending side (`shutdown_write`), for a close
//! that loses no response. Each engine answers the deadline question its own way: the `Cio`
//! engine arms a timer in its reactor next to the socket's readiness; the `Blocking` engine
//! sets the socket's `SO_RCVTIMEO` and lets the kernel give up. Two more methods are optional:
//! a stream that can try a read or a write without waiting (`try_read`, `try_write`; `Cio`'s
//! can, while the defaults always answer `WouldBlock`) saves the connection loop a future per
//! read and per write: after a readiness wait the bytes are nearly always there, and a
//! response nearly always fits the send buffer.
//!
//! Between a connection and its engine sits a [`ConnectionState`]: the connection says when it
//! is idle (waiting for the next request with nothing buffered), the engine says when the
//! server is stopping. That is all a graceful stop needs: idle connections can be closed at
//! once, busy ones finish their request and close after answering it.
//!
//! Ktor: the `ServerIncomingConnection` (input, output, addresses) that CIO's `httpServer`
//! hands to `startServerConnectionPipeline`, plus its `connectionIdleTimeoutSeconds`

use std::io;
use std::net::Shutdown;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::http::Limits;
use crate::runtime::{AsyncRead, AsyncWrite, TcpStream};

/// A connection's byte stream, as the protocol code uses it.
///
/// Ktor: `io.ktor.server.cio.backend.ServerIncomingConnection`
#[allow(async_fn_in_trait)] // our futures stay on their worker thread: no `Send` bound wanted
pub trait Transport: AsyncRead + AsyncWrite {
    /// Reads like `read`, but fails with `ErrorKind::TimedOut` once `deadline` has passed.
    ///
    /// Ktor: `ByteReadChannel.readAvailable` inside `withTimeout`
    async fn read_before(&mut self, buf: &mut [u8], deadline: Instant) -> io::Result<usize>;

    /// Waits until a read would find something (or `deadline` passes, `TimedOut`), without
    /// reading. A stream that cannot tell may return at once.
    ///
    /// Ktor: `ByteReadChannel.awaitContent`
    async fn readable_before(&mut self, deadline: Instant) -> io::Result<()>;

    /// Ends the sending direction: the client reads end-of-stream after what was written.
    ///
    /// Ktor: closing the connection's `ByteWriteChannel`
    fn shutdown_write(&mut self) -> io::Result<()>;

    /// One read that never waits: `WouldBlock` when nothing has arrived. The connection loop
    /// tries it before `read_before`, so that a read whose bytes are there (nearly every one
    /// after a readiness wait) costs the system call alone, not a future with a timer beside
    /// it. A stream that cannot tell without blocking keeps this default, and every read goes
    /// through `read_before`.
    ///
    /// Ktor: `ByteReadChannel.readAvailable` when `availableForRead > 0`
    fn try_read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(io::ErrorKind::WouldBlock.into())
    }

    /// One write that never waits: `WouldBlock` when the send buffer is full. Tried before
    /// `write_all` for the same reason as [`try_read`](Transport::try_read); a response
    /// nearly always fits the socket's send buffer at once.
    ///
    /// Ktor: `ByteWriteChannel.writeAvailable`
    fn try_write(&mut self, _buf: &[u8]) -> io::Result<usize> {
        Err(io::ErrorKind::WouldBlock.into())
    }
}

/// Whether a [`Transport::try_read`] or [`Transport::try_write`] that failed with `error` only
/// found nothing to do yet, so that the waiting way (`read_before`, `write_all`) should take
/// over: `WouldBlock`, or `Interrupted` (a signal; the waiting way retries it).
pub(crate) fn must_wait(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

/// The `Cio` engine's sockets: reads with a deadline use the reactor's timers.
impl Transport for &TcpStream {
    async fn read_before(&mut self, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
        TcpStream::read_before(self, buf, deadline).await
    }

    async fn readable_before(&mut self, deadline: Instant) -> io::Result<()> {
        TcpStream::readable_before(self, deadline).await
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        self.shutdown(Shutdown::Write)
    }

    fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        TcpStream::try_read(self, buf)
    }

    fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        TcpStream::try_write(self, buf)
    }
}

/// How long a connection may take, and how large its requests may be.
///
/// Ktor: `CIOApplicationEngine.Configuration` (`connectionIdleTimeoutSeconds`)
#[derive(Clone, Debug)]
pub struct ConnectionConfig {
    /// Request size limits.
    ///
    /// Ktor: none; CIO's limits are constants of its parser (see [`Limits`])
    pub limits: Limits,
    /// How long a keep-alive connection may wait for its next request before it is closed.
    /// Default 45 s, as Ktor CIO's `connectionIdleTimeoutSeconds`. It also bounds each wait
    /// for room to write: a client that stops reading a response is closed after it.
    ///
    /// Ktor: `CIOApplicationEngine.Configuration.connectionIdleTimeoutSeconds`
    pub idle_timeout: Duration,
    /// How long a request may take to arrive once it has started, its head and its body
    /// together; after that the client gets `408 Request Timeout` and the connection closes.
    /// (The body of an `Expect: 100-continue` request gets its own, from the `100 Continue`.)
    /// Default 10 s.
    ///
    /// Ktor: none; `connectionIdleTimeoutSeconds` is CIO's only timeout setting
    pub request_timeout: Duration,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        ConnectionConfig {
            limits: Limits::default(),
            idle_timeout: Duration::from_secs(45),
            request_timeout: Duration::from_secs(10),
        }
    }
}

/// What a connection and its engine tell each other: "I am idle" and "we are stopping".
///
/// Atomics, because the two sides may be on different threads: `stop` sets `stopping` from
/// the thread that calls it, and on the `Blocking` engine each connection has a thread of its
/// own, which may be about to wait just as the stop begins. Each side stores its flag, then
/// loads the other's: the connection says it is idle, then asks whether the server is
/// stopping; `stop` says it is stopping, then looks for idle connections. Only sequentially
/// consistent ordering guarantees that at least one of them sees the other's store (with
/// release and acquire both could miss, and the connection would wait out the grace period).
/// The price is one locked instruction per store. A connection stores `true` before each wait
/// for a new request, and `false` after each read in `next_head`: one or two stores for a
/// request whose head had to be read, none for one already buffered behind another.
///
/// Ktor: the `ServerJob` cancellation and `CIOApplicationEngine`'s stop, which reach every
/// connection coroutine
#[derive(Debug, Default)]
pub struct ConnectionState {
    /// Set by the connection while it waits for a new request with nothing buffered.
    idle: AtomicBool,
    /// Set by the connection once its last response is written, for its lingering close.
    closing: AtomicBool,
    /// Set by the engine, for every connection at once, when a graceful stop begins.
    stopping: Arc<AtomicBool>,
}

impl ConnectionState {
    /// The state of a new connection of a server whose stop flag is `stopping`.
    ///
    /// Ktor: launching a connection coroutine under the server job
    pub fn new(stopping: Arc<AtomicBool>) -> ConnectionState {
        ConnectionState {
            idle: AtomicBool::new(false),
            closing: AtomicBool::new(false),
            stopping,
        }
    }

    /// Whether the connection is waiting for a request with nothing buffered: closing it now
    /// loses nothing.
    ///
    /// Ktor: none; cancelling the connection's coroutine ends it wherever it is
    pub fn is_idle(&self) -> bool {
        self.idle.load(Ordering::SeqCst)
    }

    /// Whether the server is stopping: answer what was asked, then close.
    ///
    /// Ktor: the server job's cancellation, seen by the connection coroutine
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// Whether a request may be under way on the connection: it is neither idle nor closing
    /// after its last response. What a stop cuts short when it closes the connection.
    ///
    /// Ktor: none; its stop cancels connection coroutines without telling them apart
    pub fn is_answering(&self) -> bool {
        !self.is_idle() && !self.closing.load(Ordering::Relaxed)
    }

    /// Says whether the connection is waiting for a new request with nothing buffered; see
    /// the type's docs for the ordering.
    pub(crate) fn set_idle(&self, idle: bool) {
        self.idle.store(idle, Ordering::SeqCst);
    }

    /// Says that the connection's last response is written and it is only waiting for the
    /// client to close. Only the count at the end of a stop reads it, after the grace period,
    /// so no ordering with the other flags is needed.
    pub(crate) fn set_closing(&self) {
        self.closing.store(true, Ordering::Relaxed);
    }
}

//! [`TcpListener`] and [`TcpStream`]: std's sockets, made non-blocking and registered with the
//! worker's reactor.
//!
//! # How a read works
//!
//! ```text
//!   loop {
//!       match socket.read(buf) {            // a plain, non-blocking system call
//!           Ok(n)           => return Ok(n),
//!           Err(WouldBlock) => wait until the reactor says "readable", then loop,
//!           Err(Interrupted)=> loop,          // a signal arrived; just try again
//!           Err(e)          => return Err(e),
//!       }
//!   }
//! ```
//!
//! Writing and accepting have the same shape. "Wait" means: store this task's waker in the
//! socket's registration and return `Pending`; the reactor wakes it on the next edge. Trying
//! the system call *first* is what makes edge-triggered epoll safe (see `reactor.rs`), and it
//! also makes the common case fast: when the bytes are already there, no waiting happens at
//! all. A read that drains the socket also records it (see `try_read`), so the next read waits
//! for the reactor's word instead of asking the kernel in vain: a request on a keep-alive
//! connection costs one `read` and one `write`.
//!
//! # Sockets stay on their worker
//!
//! Each socket owns a `Registration`, which holds an `Rc` of the reactor, so `TcpListener` and
//! `TcpStream` are `!Send`. The compiler thus refuses to move a registered socket to another
//! thread, where its wake-ups would arrive at the wrong reactor. To spread connections over the
//! workers of a [`Runtime`](crate::runtime::Runtime), accept with
//! [`TcpListener::accept_std`] (an unregistered `std::net::TcpStream`, which *is* `Send`), move
//! it into `Runtime::spawn_on`, and call [`TcpStream::from_std`] on the target worker.
//!
//! A `TcpStream` supports one reading task and one writing task at the same time (say, a
//! WebSocket reader and writer): `&TcpStream` implements both traits, so the stream can be
//! shared through an `Rc`. Two tasks reading at once would overwrite each other's waker.
//!
//! Ktor counterpart: ktor-network's `ServerSocket` (`aSocket(selector).tcp().bind()`) and
//! `Socket`, whose suspending reads register a `SelectInterest` with the `SelectorManager`.

use std::cell::{Cell, RefCell};
use std::future::{Future, poll_fn};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, ToSocketAddrs};
use std::os::fd::{AsFd, AsRawFd};
use std::pin::Pin;
use std::task::Poll;
use std::time::{Duration, Instant};

use super::io::{AsyncRead, AsyncWrite};
use super::registration::{Direction, Registration};
use super::sys;
use super::timer::ReusableTimer;

/// How many finished handshakes the kernel queues for `accept` (std's default is 128). A
/// burst larger than the queue sees its extra connections retried a second later, so a server
/// facing many clients at once wants room; see `sys/listen.rs`.
const BACKLOG: u32 = 1024;

/// Runs the non-blocking `syscall` until it succeeds, waiting on `registration` after each
/// `WouldBlock`. The heart of every socket operation; see the module docs.
async fn retry<T>(
    registration: &Registration,
    direction: Direction,
    mut syscall: impl FnMut() -> io::Result<T>,
) -> io::Result<T> {
    loop {
        match syscall() {
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => registration.ready(direction).await,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            result => return result,
        }
    }
}

/// A TCP socket accepting connections, registered with the current worker.
///
/// Ktor: `io.ktor.network.sockets.ServerSocket`
#[derive(Debug)]
pub struct TcpListener {
    // Field order matters: the registration must go (epoll_ctl DEL) before the socket closes.
    registration: Registration,
    listener: std::net::TcpListener,
}

impl TcpListener {
    /// Binds a listening socket (a plain, immediate system call) and registers it with the
    /// current worker. Panics outside a worker.
    ///
    /// An echo server, one task per connection:
    ///
    /// ```no_run
    /// use mini_ktor::runtime::{block_on, spawn, AsyncRead, AsyncWrite, TcpListener};
    ///
    /// fn main() -> std::io::Result<()> {
    ///     block_on(async {
    ///         let listener = TcpListener::bind("127.0.0.1:8080")?;
    ///         loop {
    ///             let (mut stream, _peer) = listener.accept().await?;
    ///             // Detached: the task runs on, and an error ends only this connection.
    ///             drop(spawn(async move {
    ///                 let mut buf = [0u8; 1024];
    ///                 while let Ok(n @ 1..) = stream.read(&mut buf).await {
    ///                     if stream.write_all(&buf[..n]).await.is_err() {
    ///                         break;
    ///                     }
    ///                 }
    ///             }));
    ///         }
    ///     })
    /// }
    /// ```
    ///
    /// Ktor: `aSocket(selector).tcp().bind(host, port)`
    pub fn bind(addr: impl ToSocketAddrs) -> io::Result<TcpListener> {
        TcpListener::from_std(std::net::TcpListener::bind(addr)?)
    }

    /// Takes over a std listener (which may have been bound on another thread): makes it
    /// non-blocking, lengthens its accept queue to 1024 connections (std asks for 128), and
    /// registers it with the current worker. Panics outside a worker.
    ///
    /// Ktor: (no counterpart; a `ServerSocket` is bound by its selector)
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        sys::listen::set_backlog(listener.as_fd(), BACKLOG)?;
        let registration = Registration::new(listener.as_raw_fd())?;
        Ok(TcpListener {
            registration,
            listener,
        })
    }

    /// The address the listener is bound to (useful after binding port 0).
    ///
    /// Ktor: `ServerSocket.localAddress`
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Waits for a connection and returns it registered with *this* worker.
    ///
    /// Ktor: `ServerSocket.accept`
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (stream, peer) = self.accept_std().await?;
        Ok((TcpStream::from_std(stream)?, peer))
    }

    /// Waits for a connection and returns it as a std socket registered nowhere, ready to be
    /// sent to another worker, which takes it over with [`TcpStream::from_std`].
    ///
    /// Ktor: `ServerSocket.accept` (CIO then hands the socket to its connection coroutine)
    pub async fn accept_std(&self) -> io::Result<(std::net::TcpStream, SocketAddr)> {
        retry(&self.registration, Direction::Read, || self.listener.accept()).await
    }
}

/// A TCP connection registered with the current worker.
///
/// Ktor: `io.ktor.network.sockets.Socket`
#[derive(Debug)]
pub struct TcpStream {
    // Field order matters: the registration must go (epoll_ctl DEL) before the socket closes.
    registration: Registration,
    stream: std::net::TcpStream,
    /// The timer of the reads with a deadline, kept from one to the next (see
    /// [`ReusableTimer`]): a keep-alive connection waits with a later deadline each time.
    read_timer: RefCell<ReusableTimer>,
    /// How long a write may wait for room, if limited ([`set_write_timeout`](Self::set_write_timeout)).
    write_timeout: Cell<Option<Duration>>,
    /// The timer of those waits: a timer of its own, so that one task may read with a deadline
    /// while another writes with one.
    write_timer: RefCell<ReusableTimer>,
}

impl TcpStream {
    /// Connects to `addr`.
    ///
    /// std offers no non-blocking connect, so this performs a *blocking* connect and then
    /// registers the socket: the worker stalls for one round trip. That is fine on loopback
    /// (tests, benchmarks), not for a client calling slow remote hosts; a full runtime starts
    /// the connect with a raw `socket`/`connect(EINPROGRESS)` and waits for writability.
    ///
    /// Ktor: `aSocket(selector).tcp().connect(host, port)`
    pub async fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
        TcpStream::from_std(std::net::TcpStream::connect(addr)?)
    }

    /// Takes over a connected std socket: makes it non-blocking and registers it with the
    /// current worker. This is how a connection accepted elsewhere joins its worker.
    /// Panics outside a worker.
    ///
    /// Ktor: (no counterpart; CIO sockets start on their selector)
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        let registration = Registration::new(stream.as_raw_fd())?;
        Ok(TcpStream {
            registration,
            stream,
            read_timer: RefCell::new(ReusableTimer::new()),
            write_timeout: Cell::new(None),
            write_timer: RefCell::new(ReusableTimer::new()),
        })
    }

    /// The remote address.
    ///
    /// Ktor: `Socket.remoteAddress`
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.stream.peer_addr()
    }

    /// The local address.
    ///
    /// Ktor: `Socket.localAddress`
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.stream.local_addr()
    }

    /// Enables or disables Nagle's algorithm (`true`: send small writes at once).
    ///
    /// Ktor: `SocketOptions.TCPClientSocketOptions.noDelay`
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.stream.set_nodelay(nodelay)
    }

    /// Limits how long a write may wait for room in the send buffer: a write that finds none
    /// for `timeout` fails with `ErrorKind::TimedOut`. `None` (the default) waits for as long
    /// as it takes. Each write waits afresh, so `write_all` to a peer that reads slowly goes
    /// on, and only one that stopped reading is given up on, as with std's `SO_SNDTIMEO`.
    ///
    /// std: `TcpStream::set_write_timeout` (Ktor: `SocketOptions.TCPClientSocketOptions.socketTimeout`)
    pub fn set_write_timeout(&self, timeout: Option<Duration>) {
        self.write_timeout.set(timeout);
    }

    /// Shuts down the read half, the write half, or both. After `Shutdown::Write` the peer
    /// reads end-of-stream, while this side can still read its answer.
    ///
    /// Ktor: `Socket.close` / `ByteWriteChannel.close` (half-close)
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.stream.shutdown(how)
    }

    /// Reads like [`AsyncRead::read`], but gives up at `deadline` with an error of kind
    /// `ErrorKind::TimedOut`. This is how a server bounds how long a client may stay silent.
    ///
    /// It costs nothing when the bytes are already there: the timer is armed only if the read
    /// has to wait. While waiting, the task listens for two events at once, the socket becoming
    /// readable and the deadline passing, by polling both in one `poll_fn`. The general
    /// [`timeout`](crate::runtime::timeout) would do the same job for any future, at the price
    /// of boxing it; a server reads with a deadline on every request, so the read gets its own.
    ///
    /// Ktor: `withTimeout(...) { channel.readAvailable(...) }`, as CIO's idle timeout
    pub async fn read_before(&self, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
        let attempt = || self.try_read(buf);
        self.ready_before(Direction::Read, &self.read_timer, deadline, attempt)
            .await
    }

    /// Waits, until `deadline` at most, for the socket to have bytes to read (or an end of
    /// stream), without reading them. A server waiting for a client's next request uses it to
    /// hold no read buffer meanwhile: the buffer is allocated when there is something to put in
    /// it. (The answer may be a false positive; the read that follows then simply waits.)
    ///
    /// Ktor: `ByteReadChannel.awaitContent()`
    pub async fn readable_before(&self, deadline: Instant) -> io::Result<()> {
        let check = || match self.registration.is_readable() {
            true => Ok(()),
            false => Err(io::ErrorKind::WouldBlock.into()),
        };
        self.ready_before(Direction::Read, &self.read_timer, deadline, check)
            .await
    }

    /// Runs `attempt` until it does not say `WouldBlock`, waiting for the socket to be ready in
    /// `direction` in between, and gives up with `TimedOut` at `deadline`, which `timer` keeps.
    async fn ready_before<T>(
        &self,
        direction: Direction,
        timer: &RefCell<ReusableTimer>,
        deadline: Instant,
        mut attempt: impl FnMut() -> io::Result<T>,
    ) -> io::Result<T> {
        loop {
            match attempt() {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    let mut ready = self.registration.ready(direction);
                    let expired = poll_fn(|cx| {
                        if Pin::new(&mut ready).poll(cx).is_ready() {
                            Poll::Ready(false)
                        } else if timer.borrow_mut().poll_until(deadline, cx).is_ready() {
                            Poll::Ready(true)
                        } else {
                            Poll::Pending
                        }
                    })
                    .await;
                    if expired {
                        return Err(io::ErrorKind::TimedOut.into());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
    }

    async fn read_shared(&self, buf: &mut [u8]) -> io::Result<usize> {
        retry(&self.registration, Direction::Read, || self.try_read(buf)).await
    }

    /// Reads what has arrived, without waiting: `ErrorKind::WouldBlock` when nothing has, and
    /// then without even a system call when the socket is known to be drained.
    ///
    /// A read that returns fewer bytes than asked for emptied the kernel's receive queue (a
    /// stream socket hands over all it has, up to the buffer's size), so the next read would
    /// only say `WouldBlock`. Remembering that, until the reactor reports the socket readable
    /// again, saves that system call: one per request on a keep-alive connection. Tokio clears
    /// its readiness bit the same way. End-of-stream (`Ok(0)`) keeps the flag, so reading after
    /// it returns `Ok(0)` again instead of waiting for an event that will never come. For the
    /// same reason a peer's hang-up, once reported, keeps the socket readable for good: its
    /// event may come before the short read that returns the peer's last bytes.
    ///
    /// The one exception is TCP urgent data (`MSG_OOB`): a read stops at the urgent mark with
    /// bytes still queued behind it, so the socket is wrongly marked drained until its next
    /// event. Tokio's readiness clearing makes the same trade. It is acceptable here because
    /// only the peer that sends urgent data can stall, and only its own connection, and the
    /// engine's request and idle timeouts still end such a wait.
    ///
    /// Tokio: `TcpStream::try_read` (Ktor: `ByteReadChannel.readAvailable`, which suspends instead)
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.registration.is_readable() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        let result = (&self.stream).read(buf);
        match &result {
            Ok(count) if *count > 0 && *count < buf.len() => self.registration.clear_readable(),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => self.registration.clear_readable(),
            _ => {}
        }
        result
    }

    /// Writes what the send buffer has room for, without waiting: `ErrorKind::WouldBlock`
    /// when it has none.
    ///
    /// Tokio: `TcpStream::try_write`
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        (&self.stream).write(buf)
    }

    async fn write_shared(&self, buf: &[u8]) -> io::Result<usize> {
        let attempt = || self.try_write(buf);
        match self.write_timeout.get() {
            None => retry(&self.registration, Direction::Write, attempt).await,
            Some(timeout) => {
                let deadline = super::timer::after(Instant::now(), timeout);
                self.ready_before(Direction::Write, &self.write_timer, deadline, attempt)
                    .await
            }
        }
    }
}

impl AsyncRead for TcpStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_shared(buf).await
    }
}

impl AsyncWrite for TcpStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_shared(buf).await
    }
}

/// Lets one task read while another writes, through a shared `&TcpStream` (as std does).
impl AsyncRead for &TcpStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.read_shared(buf).await
    }
}

/// Lets one task write while another reads, through a shared `&TcpStream` (as std does).
impl AsyncWrite for &TcpStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_shared(buf).await
    }
}

#[cfg(test)]
mod tests;

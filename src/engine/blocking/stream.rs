//! The `Blocking` engine's transport: a socket whose "async" reads and writes block their
//! thread until done, so that the protocol code written for `Cio`'s non-blocking sockets runs
//! unchanged on a thread of its own.
//!
//! ```text
//! connection::serve ── read_before(deadline) ──► SO_RCVTIMEO = what is left ──► read(2), blocking
//!                   ── write ──────────────────► write(2), blocking (SO_SNDTIMEO bounds it)
//! ```
//!
//! Time limits are the socket's own timeouts, set before each read: a blocked thread cannot
//! watch a timer. Both come back from the kernel as `EAGAIN`, which is reported as `TimedOut`,
//! as the `Cio` engine reports an expired timer. (Tokio's `spawn_blocking` runs blocking code
//! beside an event loop instead; here the whole connection is the blocking code.)
//!
//! Ktor: the servlet container's blocking `ServletInputStream` and `ServletOutputStream`

use std::io::{self, Read, Write};
use std::net::Shutdown;
use std::sync::Arc;
use std::time::Instant;

use crate::engine::transport::Transport;
use crate::runtime::{AsyncRead, AsyncWrite};

/// A blocking socket behind our async traits: each call blocks its thread until done.
///
/// Ktor: the servlet container's blocking `ServletInputStream` / `ServletOutputStream`
pub struct BlockingStream {
    pub(super) stream: Arc<std::net::TcpStream>,
}

impl AsyncRead for BlockingStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(None)?;
        (&*self.stream).read(buf)
    }
}

impl AsyncWrite for BlockingStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match (&*self.stream).write(buf) {
            // An expired SO_SNDTIMEO comes back as EAGAIN; say what it means, as Cio does.
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }
    }
}

impl BlockingStream {
    /// Reads what the kernel already holds, `WouldBlock` if nothing. The socket is non-blocking
    /// only for this one read, which happens only once time is up: at a stop, or in the last
    /// reads of a lingering close (`Connection::linger`). Both are rare and bounded, so the two
    /// extra system calls do not matter; every other read blocks.
    fn read_without_waiting(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_nonblocking(true)?;
        let read = (&*self.stream).read(buf);
        self.stream.set_nonblocking(false)?;
        read
    }
}

impl Transport for BlockingStream {
    async fn read_before(&mut self, buf: &mut [u8], deadline: Instant) -> io::Result<usize> {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let read = if remaining.is_zero() {
            // Out of time to wait, but not to take what has already arrived: a stopping server
            // reads with a deadline of now, and a request sent just before the stop must still
            // be answered. (The Cio engine's reads likewise try before they wait.)
            self.read_without_waiting(buf)
        } else {
            self.stream.set_read_timeout(Some(remaining))?;
            (&*self.stream).read(buf)
        };
        match read {
            // Nothing arrived in time: the kernel reports an expired SO_RCVTIMEO as EAGAIN, as
            // it does an empty non-blocking read.
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => Err(io::ErrorKind::TimedOut.into()),
            other => other,
        }
    }

    /// A blocking socket cannot wait without reading; the read that follows does the waiting.
    async fn readable_before(&mut self, _deadline: Instant) -> io::Result<()> {
        Ok(())
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        self.stream.shutdown(Shutdown::Write)
    }
}

#[cfg(test)]
mod tests {
    use std::net::{TcpListener, TcpStream};

    use std::io::Write;
    use std::time::Duration;

    use super::*;
    use crate::runtime;

    /// A read whose deadline has passed still returns bytes that have already arrived (a
    /// request sent just before a stop), and times out only when there are none.
    #[test]
    fn an_expired_read_takes_what_has_arrived() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut stream = BlockingStream {
            stream: Arc::new(server),
        };
        let mut buf = [0; 16];

        client.write_all(b"GET /").unwrap();
        // Wait (bounded, by the timeout above) until the bytes are in the server's socket.
        assert_eq!(stream.stream.peek(&mut buf).unwrap(), 5);
        let past = Instant::now();
        let read = runtime::block_on(stream.read_before(&mut buf, past));
        assert_eq!(read.unwrap(), 5);
        assert_eq!(&buf[..5], b"GET /");

        let read = runtime::block_on(stream.read_before(&mut buf, past));
        assert_eq!(read.unwrap_err().kind(), io::ErrorKind::TimedOut);
        // The socket blocks again afterwards: a read with time left waits for the next bytes.
        client.write_all(b"x").unwrap();
        let later = Instant::now() + Duration::from_secs(5);
        assert_eq!(runtime::block_on(stream.read_before(&mut buf, later)).unwrap(), 1);
    }
}

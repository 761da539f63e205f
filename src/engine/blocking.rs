//! The Blocking engine: one OS thread per connection, blocking reads and writes.
//!
//! This is how servlet containers (Tomcat, Jetty in its classic mode) served HTTP for two
//! decades, and the model Ktor's seed names beside CIO: "a Server Engine (Tomcat, Jetty, Netty
//! or CIO)". Each accepted socket gets a thread; the thread reads, calls the application,
//! writes, and blocks in between. Nothing is simpler to follow, and it is fast enough for a few
//! hundred clients; what it costs is a thread (and its stack) per *open* connection, idle or
//! not, which is the reason event loops such as `Cio` exist.
//!
//! The protocol code is the very same as `Cio`'s: the thread runs [`connection::serve`] on a
//! [`BlockingStream`], whose "async" reads and writes simply block, inside `block_on`. Time limits
//! use the socket's own receive timeout (`SO_RCVTIMEO`) instead of the reactor's timers, since a
//! blocked thread cannot watch a timer.
//!
//! Graceful stop works as in `Cio`, with a shared list instead of one per worker: idle
//! connections get their read side shut down (their blocked `read` returns end-of-stream), busy
//! ones answer with `Connection: close`.
//!
//! Ktor: the servlet-based engines, `io.ktor.server.tomcat.Tomcat` and `io.ktor.server.jetty.Jetty`

use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::acceptor::Acceptor;
use super::connection::{self, Peer};
use super::transport::{ConnectionConfig, ConnectionState, Transport};
use super::{ApplicationEngine, ApplicationEngineFactory, EngineConfig};
use crate::application::Application;
use crate::runtime::{self, AsyncRead, AsyncWrite};

/// The thread-per-connection engine factory: `embedded_server(Blocking, port, module)`.
///
/// Ktor: `io.ktor.server.tomcat.Tomcat` (a servlet container)
#[derive(Clone, Copy, Debug, Default)]
pub struct Blocking;

impl ApplicationEngineFactory for Blocking {
    type Engine = BlockingApplicationEngine;

    fn create(&self, config: EngineConfig) -> BlockingApplicationEngine {
        BlockingApplicationEngine {
            config,
            running: None,
        }
    }
}

/// A Blocking engine: an acceptor thread, and a thread per open connection. The `workers`
/// setting does not apply.
///
/// Ktor: `io.ktor.server.tomcat.TomcatApplicationEngine`
pub struct BlockingApplicationEngine {
    config: EngineConfig,
    running: Option<Running>,
}

struct Running {
    acceptor: Acceptor,
    connections: Arc<Connections>,
}

/// Every open connection: a handle on its socket (to close it from outside) and its state.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, (std::net::TcpStream, Arc<ConnectionState>)>>,
    /// Signalled when a connection ends, for `stop` waiting for the list to empty.
    ended: Condvar,
    stopping: Arc<AtomicBool>,
}

impl ApplicationEngine for BlockingApplicationEngine {
    fn start(&mut self, application: Arc<Application>) -> io::Result<SocketAddr> {
        let listener = std::net::TcpListener::bind((self.config.host.as_str(), self.config.port))?;
        let address = listener.local_addr()?;
        let connections = Arc::new(Connections::default());
        let (config, list) = (self.config.connection.clone(), Arc::clone(&connections));
        let mut next_id = 0;
        let acceptor = Acceptor::start(listener, move |stream, remote| {
            let id = next_id;
            next_id += 1;
            // Registered here, on the acceptor's thread, not by the connection's own thread once
            // it runs: `stop` waits for the acceptor to end, then for the list to empty, so a
            // connection accepted just before a stop must be on the list by then. (Registered
            // by its thread, it was missing whenever that thread had not started yet, and stop
            // returned while its request was still being answered.)
            let Some(state) = list.register(id, &stream) else {
                return; // out of file descriptors, most likely: the connection is closed as it is dropped
            };
            let (application, config, own_list) =
                (Arc::clone(&application), config.clone(), Arc::clone(&list));
            let spawned = thread::Builder::new()
                .name("mini-ktor-connection".to_string())
                .spawn(move || serve_thread(id, stream, remote, state, application, config, own_list));
            if let Err(error) = spawned {
                eprintln!("mini-ktor: cannot start a connection thread: {error}");
                list.unregister(id);
            }
        })?;
        self.running = Some(Running {
            acceptor,
            connections,
        });
        Ok(address)
    }

    fn wait(&mut self) {
        if let Some(running) = &mut self.running {
            running.acceptor.wait();
        }
    }

    /// Stops gracefully, as `Cio` does; connections still open after `grace` are shut down
    /// (their threads then end on their own) and counted on stderr.
    fn stop(&mut self, grace: Duration, _timeout: Duration) {
        let Some(mut running) = self.running.take() else {
            return;
        };
        running.acceptor.stop();
        let connections = &running.connections;
        connections.stopping.store(true, Ordering::SeqCst); // SeqCst: see `ConnectionState`
        let deadline = runtime::after(Instant::now(), grace);
        let mut open = connections
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for (stream, state) in open.values() {
            if state.is_idle() {
                let _ = stream.shutdown(Shutdown::Read);
            }
        }
        while !open.is_empty() {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                super::report_closed_at_stop(open.len(), grace);
                for (stream, _) in open.values() {
                    let _ = stream.shutdown(Shutdown::Both);
                }
                break;
            }
            open = match connections.ended.wait_timeout(open, remaining) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
    }
}

impl Connections {
    /// Puts a new connection on the list, with a handle on its socket for `stop` to shut it
    /// down. `None` if no handle can be made (no file descriptor left).
    fn register(&self, id: u64, stream: &std::net::TcpStream) -> Option<Arc<ConnectionState>> {
        let handle = match stream.try_clone() {
            Ok(handle) => handle,
            Err(error) => {
                eprintln!("mini-ktor: cannot serve a connection: {error}");
                return None;
            }
        };
        let state = Arc::new(ConnectionState::new(Arc::clone(&self.stopping)));
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        open.insert(id, (handle, Arc::clone(&state)));
        Some(state)
    }

    /// Takes an ended connection off the list, and tells a waiting `stop`.
    fn unregister(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        open.remove(&id);
        drop(open);
        self.ended.notify_all();
    }
}

/// A connection's thread: serves it, then takes it off the list of open connections.
fn serve_thread(
    id: u64,
    stream: std::net::TcpStream,
    remote: SocketAddr,
    state: Arc<ConnectionState>,
    application: Arc<Application>,
    config: ConnectionConfig,
    connections: Arc<Connections>,
) {
    let _ = stream.set_nodelay(true);
    // As on Cio: a write that finds no room for this long fails, and the connection ends.
    let _ = stream.set_write_timeout(Some(config.idle_timeout));
    let local = stream.local_addr().unwrap_or(remote);
    let mut stream = BlockingStream { stream };
    let peer = Peer { local, remote };
    // `block_on` gives the handler what it may use (timers, `spawn`); our reads never wait in it.
    // Its reactor needs two file descriptors of its own; without them the connection is closed
    // below, unserved, and the thread ends as any other does (no panic, nothing left open).
    let serve = connection::serve(&mut stream, &application, peer, &config, &state);
    // A panic here comes from application code the pipeline does not run, a streamed body's
    // producer: it ends this connection only, as a panicking task does on Cio, and the clean-up
    // below still runs (without it the handle kept for `stop` would hold the socket open).
    match catch_unwind(AssertUnwindSafe(|| runtime::try_block_on(serve))) {
        Ok(Ok(_served)) => {} // served, or ended by an I/O error: the client's affair
        Ok(Err(error)) => eprintln!("mini-ktor: cannot serve a connection: {error}"),
        Err(_) => eprintln!("mini-ktor: a connection's thread panicked; its connection is closed"),
    }
    let _ = stream.stream.shutdown(Shutdown::Both);
    connections.unregister(id);
}

/// A blocking socket behind our async traits: each call blocks its thread until done.
///
/// Ktor: the servlet container's blocking `ServletInputStream` / `ServletOutputStream`
pub struct BlockingStream {
    stream: std::net::TcpStream,
}

impl AsyncRead for BlockingStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.set_read_timeout(None)?;
        self.stream.read(buf)
    }
}

impl AsyncWrite for BlockingStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.stream.write(buf) {
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
        let read = self.stream.read(buf);
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
            self.stream.read(buf)
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

    use super::*;

    /// A read whose deadline has passed still returns bytes that have already arrived (a
    /// request sent just before a stop), and times out only when there are none.
    #[test]
    fn an_expired_read_takes_what_has_arrived() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server, _) = listener.accept().unwrap();
        server.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut stream = BlockingStream { stream: server };
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

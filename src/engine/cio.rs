//! The CIO engine: coroutine-style I/O on our own runtime, one event loop per core.
//!
//! ```text
//!                 ┌─ acceptor thread ─────────────┐      ┌─ worker 0 ─────────────────────┐
//! listening  ───► │ accept ─► hand the socket to  │ ───► │ epoll loop: connection tasks,  │
//! socket          │ the next worker, round-robin  │      │ each running connection::serve │
//!                 └───────────────────────────────┘ ───► ├─ worker 1 ... ─────────────────┤
//! ```
//!
//! The acceptor and the workers mirror Ktor CIO's two thread groups, the *connection group*
//! that accepts and the *worker group* that serves (Netty calls them boss and workers). An
//! accepted socket is handed over once, as a plain `std::net::TcpStream`, and then lives on its
//! worker until it closes: its task never moves, so its future need not be `Send`, and a
//! worker's event loop never synchronizes with another's while serving.
//!
//! Round-robin hand-off spreads connections evenly whatever the load. The alternative (every
//! worker accepting on the same listening socket and letting the kernel pick, with
//! `EPOLLEXCLUSIVE` or `SO_REUSEPORT`) saves the hand-off, but lets a burst of connections land
//! on whichever worker wakes first; since a connection is handed over once and then serves many
//! requests, the hand-off costs nothing that matters.
//!
//! Ktor: `io.ktor.server.cio.CIO` and `CIOApplicationEngine`

use std::io;
use std::net::{Shutdown, SocketAddr};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::acceptor::Acceptor;
use super::connection::{self, Peer};
use super::drain;
use super::transport::{ConnectionConfig, ConnectionState};
use super::{ApplicationEngine, ApplicationEngineFactory, EngineConfig};
use crate::application::Application;
use crate::runtime::{self, Runtime, TcpStream, timeout};

/// The CIO engine factory: `embedded_server(Cio, port, module)`.
///
/// Ktor: `io.ktor.server.cio.CIO`
#[derive(Clone, Copy, Debug, Default)]
pub struct Cio;

impl ApplicationEngineFactory for Cio {
    type Engine = CioApplicationEngine;

    fn create(&self, config: EngineConfig) -> CioApplicationEngine {
        CioApplicationEngine {
            config,
            running: None,
        }
    }
}

/// A CIO engine: an acceptor thread and a pool of workers.
///
/// Ktor: `io.ktor.server.cio.CIOApplicationEngine`
pub struct CioApplicationEngine {
    config: EngineConfig,
    running: Option<Running>,
}

/// What a started engine owns, and drops when it stops.
struct Running {
    acceptor: Acceptor,
    workers: Runtime,
    /// Seen by every connection: set when a graceful stop begins.
    stopping: Arc<AtomicBool>,
}

impl ApplicationEngine for CioApplicationEngine {
    fn start(&mut self, application: Arc<Application>) -> io::Result<SocketAddr> {
        let listener = std::net::TcpListener::bind((self.config.host.as_str(), self.config.port))?;
        let address = listener.local_addr()?;
        let workers = Runtime::new(self.config.workers)?;
        let stopping = Arc::new(AtomicBool::new(false));
        let (handle, config, flag) = (
            workers.handle(),
            Arc::new(self.config.connection.clone()),
            Arc::clone(&stopping),
        );
        let mut next_worker = 0;
        let acceptor = Acceptor::start(listener, move |stream, remote| {
            let application = Arc::clone(&application);
            let config = Arc::clone(&config);
            let state = ConnectionState::new(Arc::clone(&flag));
            // The receiver of the task's outcome is dropped: a connection reports nothing.
            let serve = move || serve_socket(stream, remote, application, config, state);
            drop(handle.spawn_on(next_worker, serve));
            next_worker = (next_worker + 1) % handle.workers();
        })?;
        self.running = Some(Running {
            acceptor,
            workers,
            stopping,
        });
        Ok(address)
    }

    fn wait(&mut self) {
        if let Some(running) = &mut self.running {
            running.acceptor.wait();
        }
    }

    /// Stops gracefully: no new connections; idle ones close at once; busy ones answer their
    /// current request with `Connection: close` and close. Whatever is still open after `grace`
    /// is closed when the workers shut down, and the count is reported on stderr. Shutting the
    /// workers down is immediate, so `timeout` adds nothing to `grace` here.
    fn stop(&mut self, grace: Duration, _timeout: Duration) {
        let Some(mut running) = self.running.take() else {
            return;
        };
        running.acceptor.stop();
        running.stopping.store(true, Ordering::SeqCst); // SeqCst: see `ConnectionState`
        let left = drain_workers(&running.workers, runtime::after(Instant::now(), grace));
        super::report_closed_at_stop(left, grace);
        running.workers.shutdown();
    }
}

/// Asks every worker to close its idle connections and waits, until `deadline`, for all its
/// connections to end. Returns how many were still open at the deadline.
fn drain_workers(workers: &Runtime, deadline: Instant) -> usize {
    let drains: Vec<_> = (0..workers.workers())
        .map(|index| workers.spawn_on(index, || async { drain::drain().await }))
        .collect();
    runtime::block_on(async {
        let mut left = 0;
        for (index, drained) in drains.into_iter().enumerate() {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if timeout(remaining, drained).await.is_err() {
                let count = workers.spawn_on(index, || async { drain::open_connections() });
                left += count.await.ok().and_then(Result::ok).unwrap_or(0);
            }
        }
        left
    })
}

/// Runs on a worker: registers the socket with that worker's reactor and serves it.
async fn serve_socket(
    stream: std::net::TcpStream,
    remote: SocketAddr,
    application: Arc<Application>,
    config: Arc<ConnectionConfig>,
    state: ConnectionState,
) {
    let Some((stream, local)) = register(stream, remote, &config) else {
        return;
    };
    // Shared with this worker's connection list, so that a graceful stop can close it if idle.
    let state = Rc::new(state);
    let _registered = drain::register(&stream, &state);
    let peer = Peer { local, remote };
    let _ = connection::serve(&mut &*stream, &application, peer, &config, &state).await;
    let _ = stream.shutdown(Shutdown::Both);
}

/// The socket, registered with this worker's reactor and set up for serving, and its local
/// address. Not part of `serve_socket`'s body: the future of an `async fn` keeps room for its
/// locals, and a `TcpStream` held there, even one moved out before the first wait, would
/// enlarge every connection's task by its size.
fn register(
    stream: std::net::TcpStream,
    remote: SocketAddr,
    config: &ConnectionConfig,
) -> Option<(Rc<TcpStream>, SocketAddr)> {
    let stream = TcpStream::from_std(stream).ok()?;
    // Responses go out in one write each (or one per pipelined batch); Nagle's algorithm would
    // only delay them.
    let _ = stream.set_nodelay(true);
    // A client that stops reading must not hold its connection for ever: a write that finds no
    // room in the send buffer for this long ends it.
    stream.set_write_timeout(Some(config.idle_timeout));
    let local = stream.local_addr().unwrap_or(remote);
    Some((Rc::new(stream), local))
}

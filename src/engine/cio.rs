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
    /// ends when the workers shut down: each drops its tasks, which cancels a handler at the
    /// `await` it is waiting in and closes its connection, and the requests cut short are
    /// counted on stderr. Only a handler that blocks its worker's thread without an `await`
    /// can hold the shutdown up; `stop` waits for that until `timeout`, then returns and
    /// leaves the worker to end when the handler does.
    fn stop(&mut self, grace: Duration, timeout: Duration) {
        let Some(mut running) = self.running.take() else {
            return;
        };
        let started = Instant::now();
        running.acceptor.stop();
        running.stopping.store(true, Ordering::SeqCst); // SeqCst: see `ConnectionState`
        let cut_short = drain_workers(&running.workers, runtime::after(started, grace));
        super::report_cut_short_at_stop(cut_short, grace);
        // Joined on a thread of its own, so that the wait for it can be bounded: std has no
        // join with a time limit.
        let (done, shut_down) = std::sync::mpsc::channel();
        let workers = running.workers;
        let joiner = std::thread::Builder::new().name("mini-ktor-stop".to_string());
        let spawned = joiner.spawn(move || {
            workers.shutdown();
            let _ = done.send(());
        });
        if spawned.is_err() {
            return; // no thread to spare: the closure, dropped, shut the workers down here
        }
        let deadline = super::cancel_deadline(started, grace, timeout);
        if shut_down
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .is_err()
        {
            super::report_still_running_at_stop(timeout);
        }
    }
}

/// Asks every worker to close its idle connections and waits, until `deadline`, for all its
/// connections to end. Returns how many of those still open at the deadline may have had a
/// request under way.
fn drain_workers(workers: &Runtime, deadline: Instant) -> usize {
    let drains: Vec<_> = (0..workers.workers())
        .map(|index| workers.spawn_on(index, || async { drain::drain().await }))
        .collect();
    runtime::block_on(async {
        let mut left = 0;
        for (index, drained) in drains.into_iter().enumerate() {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if timeout(remaining, drained).await.is_err() {
                let count = workers.spawn_on(index, || async { drain::answering_connections() });
                // A worker that cannot count within a moment is held by a handler that blocks
                // its thread without an `await`: that handler's request, at least, is under way.
                left += match timeout(Duration::from_millis(100), count).await {
                    Ok(counted) => counted.ok().and_then(Result::ok).unwrap_or(0),
                    Err(_) => 1,
                };
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

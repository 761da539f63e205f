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
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use super::connection::{self, Peer};
use super::{ApplicationEngine, ApplicationEngineFactory, EngineConfig};
use crate::application::Application;
use crate::http::Limits;
use crate::runtime::{self, Runtime, RuntimeHandle, TcpListener, TcpStream, oneshot, race, sleep};

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
    /// Tells the acceptor to stop accepting.
    stop: oneshot::Sender<()>,
    /// `None` once joined, by `wait` or `stop`.
    acceptor: Option<thread::JoinHandle<()>>,
    workers: Runtime,
}

impl ApplicationEngine for CioApplicationEngine {
    fn start(&mut self, application: Arc<Application>) -> io::Result<SocketAddr> {
        let listener = std::net::TcpListener::bind((self.config.host.as_str(), self.config.port))?;
        let address = listener.local_addr()?;
        let workers = Runtime::new(self.config.workers)?;
        let (stop, stopped) = oneshot::channel();
        let acceptor = {
            let workers = workers.handle();
            let limits = self.config.limits.clone();
            thread::Builder::new()
                .name("mini-ktor-acceptor".to_string())
                .spawn(move || {
                    runtime::block_on(accept_loop(listener, workers, application, limits, stopped))
                })?
        };
        self.running = Some(Running {
            stop,
            acceptor: Some(acceptor),
            workers,
        });
        Ok(address)
    }

    fn wait(&mut self) {
        // The acceptor runs until `stop`; nothing else ends it but a fatal listener error.
        if let Some(acceptor) = self.running.as_mut().and_then(|running| running.acceptor.take()) {
            let _ = acceptor.join();
        }
    }

    fn stop(&mut self, _grace: Duration, _timeout: Duration) {
        let Some(running) = self.running.take() else {
            return;
        };
        let _ = running.stop.send(());
        if let Some(acceptor) = running.acceptor {
            let _ = acceptor.join();
        }
        // Stop the workers, which drops every open connection.
        running.workers.shutdown();
    }
}

/// Accepts connections until told to stop, handing each to the next worker.
///
/// Ktor: `httpServer`'s accept loop
async fn accept_loop(
    listener: std::net::TcpListener,
    workers: RuntimeHandle,
    application: Arc<Application>,
    limits: Limits,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => return eprintln!("mini-ktor: cannot watch the listening socket: {error}"),
    };
    let mut next_worker = 0;
    loop {
        let accepted = race(async { Some(listener.accept_std().await) }, async {
            let _ = (&mut stopped).await;
            None
        })
        .await;
        let Some(accepted) = accepted else {
            return; // stop requested (or the engine was dropped)
        };
        match accepted {
            Ok((stream, remote)) => {
                let application = Arc::clone(&application);
                let limits = limits.clone();
                // The receiver of the task's outcome is dropped: a connection reports nothing.
                drop(workers.spawn_on(next_worker, move || {
                    serve_socket(stream, remote, application, limits)
                }));
                next_worker = (next_worker + 1) % workers.workers();
            }
            Err(error) => {
                // Out of file descriptors, say. Ktor logs and goes on; pausing first keeps an
                // error that repeats at once from spinning the loop.
                eprintln!("mini-ktor: accept failed: {error}");
                sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Runs on a worker: registers the socket with that worker's reactor and serves it.
async fn serve_socket(
    stream: std::net::TcpStream,
    remote: SocketAddr,
    application: Arc<Application>,
    limits: Limits,
) {
    let Ok(mut stream) = TcpStream::from_std(stream) else {
        return;
    };
    // Responses go out in one write each (or one per pipelined batch); Nagle's algorithm would
    // only delay them.
    let _ = stream.set_nodelay(true);
    let local = stream.local_addr().unwrap_or(remote);
    let _ = connection::serve(&mut stream, &application, Peer { local, remote }, &limits).await;
    let _ = stream.shutdown(Shutdown::Both);
}

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
//! [`BlockingStream`] (`blocking/stream.rs`), whose "async" reads and writes simply block,
//! inside `block_on`. Time limits use the socket's own receive timeout (`SO_RCVTIMEO`) instead
//! of the reactor's timers, since a blocked thread cannot watch a timer.
//!
//! A connection's thread is started before the connection is accepted (see
//! [`ThreadPerConnection`]), so a server out of threads or file descriptors leaves new clients
//! in the listen backlog rather than accepting them and hanging up. A connection holds three
//! descriptors: its socket, which the thread shares with the list `stop` works through, and its
//! runtime's epoll instance and eventfd.
//!
//! Graceful stop works as in `Cio`, with a shared list instead of one per worker: idle
//! connections get their read side shut down (their blocked `read` returns end-of-stream), busy
//! ones answer with `Connection: close`, and those still open when the grace period ends are
//! shut down and their handlers cancelled (`serve`).
//!
//! Ktor: the servlet-based engines, `io.ktor.server.tomcat.Tomcat` and `io.ktor.server.jetty.Jetty`

use std::collections::HashMap;
use std::io;
use std::net::{Shutdown, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

mod stream;

pub use stream::BlockingStream;

use super::acceptor::{Acceptor, Handoff};
use super::connection::{self, Peer};
use super::transport::{ConnectionConfig, ConnectionState};
use super::{ApplicationEngine, ApplicationEngineFactory, EngineConfig};
use crate::application::Application;
use crate::runtime::{self, oneshot};

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

/// An open connection, as `stop` sees it.
struct OpenConnection {
    /// Its socket, shared with its thread, to shut it down from outside.
    stream: Arc<std::net::TcpStream>,
    state: Arc<ConnectionState>,
    /// Cancels what its thread runs, when sent or dropped (see `serve`); taken by `stop`.
    cancel: Option<oneshot::Sender<()>>,
}

/// Every open connection, by the id it was registered with.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, OpenConnection>>,
    /// Signalled when a connection ends, for `stop` waiting for the list to empty.
    ended: Condvar,
    stopping: Arc<AtomicBool>,
}

impl ApplicationEngine for BlockingApplicationEngine {
    fn start(&mut self, application: Arc<Application>) -> io::Result<SocketAddr> {
        let listener = std::net::TcpListener::bind((self.config.host.as_str(), self.config.port))?;
        let address = listener.local_addr()?;
        let connections = Arc::new(Connections::default());
        let handoff = ThreadPerConnection {
            application,
            config: self.config.connection.clone(),
            connections: Arc::clone(&connections),
            next_id: 0,
            waiting: None,
        };
        let acceptor = Acceptor::start(listener, handoff)?;
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

    /// Stops gracefully, as `Cio` does. Connections still open after `grace` are shut down
    /// and their threads' futures cancelled, which ends a handler at the `await` it waits in;
    /// the requests cut short are counted on stderr. `stop` then waits for the threads to
    /// let go of their connections, until `timeout` (`cancel_deadline` in `engine/mod.rs`): only a
    /// handler blocking its thread without an `await` can outlast that, and is reported.
    fn stop(&mut self, grace: Duration, timeout: Duration) {
        let Some(mut running) = self.running.take() else {
            return;
        };
        let started = Instant::now();
        running.acceptor.stop();
        let connections = &running.connections;
        connections.stopping.store(true, Ordering::SeqCst); // SeqCst: see `ConnectionState`
        let mut open = connections
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for connection in open.values() {
            if connection.state.is_idle() {
                let _ = connection.stream.shutdown(Shutdown::Read);
            }
        }
        open = connections.wait_until_empty(open, runtime::after(started, grace));
        if open.is_empty() {
            return;
        }
        let cut_short = open.values().filter(|connection| connection.state.is_answering());
        super::report_cut_short_at_stop(cut_short.count(), grace);
        for connection in open.values_mut() {
            let _ = connection.stream.shutdown(Shutdown::Both);
            if let Some(cancel) = connection.cancel.take() {
                let _ = cancel.send(());
            }
        }
        let open = connections.wait_until_empty(open, super::cancel_deadline(started, grace, timeout));
        if !open.is_empty() {
            super::report_still_running_at_stop(timeout);
        }
    }
}

/// The acceptor's handoff for this engine: a thread per connection, started *before* the
/// connection is accepted.
///
/// A thread, and the runtime it runs handlers in (an epoll instance and an eventfd), are what
/// a busy server runs out of. Started after the accept, a thread that could not be had would
/// mean a connection accepted and then closed unanswered; started before, it means a client left
/// waiting in the listen backlog until the acceptor's next try succeeds, as when `accept`
/// itself fails. The price is one idle thread, the next connection's, waiting at all times.
/// (A servlet container keeps a pool of such threads; one is the smallest pool that works.)
struct ThreadPerConnection {
    application: Arc<Application>,
    config: ConnectionConfig,
    connections: Arc<Connections>,
    next_id: u64,
    /// Hands the next connection to the thread waiting for it, once `prepare` has started one.
    waiting: Option<oneshot::Sender<Accepted>>,
}

/// A connection, on its way to its thread.
struct Accepted {
    id: u64,
    stream: Arc<std::net::TcpStream>,
    remote: SocketAddr,
    state: Arc<ConnectionState>,
    /// Completes when `stop` cancels the connection.
    cancelled: oneshot::Receiver<()>,
}

impl Handoff for ThreadPerConnection {
    fn prepare(&mut self) -> io::Result<()> {
        if self.waiting.is_none() {
            self.waiting = Some(start_thread(&self.application, &self.config, &self.connections)?);
        }
        Ok(())
    }

    fn accepted(&mut self, stream: std::net::TcpStream, remote: SocketAddr) {
        let id = self.next_id;
        self.next_id += 1;
        let stream = Arc::new(stream);
        // Registered here, on the acceptor's thread, not by the connection's own thread once it
        // runs: `stop` waits for the acceptor to end, then for the list to empty, so a
        // connection accepted just before a stop must be on the list by then. (Registered by
        // its thread instead, it would be missing until that thread took it, and `stop` could
        // return while its request was still being answered.)
        let (state, cancelled) = self.connections.register(id, &stream);
        let accepted = Accepted {
            id,
            stream,
            remote,
            state,
            cancelled,
        };
        // `prepare` ran before this accept, so a thread is waiting; only a bug could have
        // ended it since.
        let handed = match self.waiting.take() {
            Some(thread) => thread.send(accepted),
            None => Err(accepted),
        };
        if let Err(unserved) = handed {
            eprintln!("mini-ktor: no thread took a connection; it is closed unanswered");
            self.connections.unregister(unserved.id);
        }
    }
}

/// Starts a thread that will serve the next connection, and returns once its runtime is made
/// (or could not be): what comes back hands the connection to it.
///
/// Waiting for the thread blocks the acceptor's thread for as long as a thread takes to
/// start, which it would spend starting one after the accept anyway.
fn start_thread(
    application: &Arc<Application>,
    config: &ConnectionConfig,
    connections: &Arc<Connections>,
) -> io::Result<oneshot::Sender<Accepted>> {
    let (hand, take) = oneshot::channel::<Accepted>();
    let (application, config, connections) =
        (Arc::clone(application), config.clone(), Arc::clone(connections));
    // The handler runs inside the thread's `block_on`, which gives it what it may use (timers,
    // `spawn`); our reads never wait in it. A panic there (from application code the pipeline
    // does not run, a streamed body's producer) ends this connection only, as a panicking task
    // does on Cio: the connection's `Registered` closes it as the panic unwinds the thread.
    let main = move || async move {
        // An error here: the engine stopped before a connection came.
        if let Ok(accepted) = take.await {
            serve(accepted, &application, &config, connections).await;
        }
    };
    match runtime::start_thread("mini-ktor-connection".to_string(), main) {
        Ok(_detached) => Ok(hand),
        Err(error) => Err(io::Error::new(
            error.kind(),
            format!("cannot start a thread with a runtime: {error}"),
        )),
    }
}

/// Serves a connection on its thread, inside the thread's runtime.
async fn serve(
    accepted: Accepted,
    application: &Arc<Application>,
    config: &ConnectionConfig,
    connections: Arc<Connections>,
) {
    let Accepted {
        id,
        stream,
        remote,
        state,
        cancelled,
    } = accepted;
    let _registered = Registered {
        id,
        stream: Arc::clone(&stream),
        connections,
    };
    let _ = stream.set_nodelay(true);
    // As on Cio: a write that finds no room for this long fails, and the connection ends.
    let _ = stream.set_write_timeout(Some(config.idle_timeout));
    let local = stream.local_addr().unwrap_or(remote);
    let mut stream = BlockingStream { stream };
    let peer = Peer { local, remote };
    let served = connection::serve(&mut stream, application, peer, config, &state);
    // Cancelled by `stop` once its grace period is over: the race drops `served`, and with it
    // the handler's future wherever it waits, as `Cio`'s shutdown drops a task. (A thread
    // cannot be stopped from outside; a future can, at its next `await`.)
    let cancel = async {
        let _ = cancelled.await;
        Ok(())
    };
    // Served, cancelled, or ended by an I/O error, the client's affair: nothing to report.
    let _ = runtime::race(served, cancel).await;
}

/// A connection on the list of open ones, for as long as it lives: dropped when it ends, or
/// when a panic unwinds its thread, it closes the socket and takes the connection off the list.
struct Registered {
    id: u64,
    stream: Arc<std::net::TcpStream>,
    connections: Arc<Connections>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
        self.connections.unregister(self.id);
    }
}

impl Connections {
    /// Puts a new connection on the list, with its socket, for `stop` to shut it down, and
    /// returns its state and what tells its thread that `stop` cancelled it.
    fn register(
        &self,
        id: u64,
        stream: &Arc<std::net::TcpStream>,
    ) -> (Arc<ConnectionState>, oneshot::Receiver<()>) {
        let state = Arc::new(ConnectionState::new(Arc::clone(&self.stopping)));
        let (cancel, cancelled) = oneshot::channel();
        let connection = OpenConnection {
            stream: Arc::clone(stream),
            state: Arc::clone(&state),
            cancel: Some(cancel),
        };
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        open.insert(id, connection);
        (state, cancelled)
    }

    /// Waits, holding `open`'s lock between wake-ups, until the list is empty or `deadline`
    /// has passed.
    fn wait_until_empty<'a>(
        &self,
        mut open: MutexGuard<'a, HashMap<u64, OpenConnection>>,
        deadline: Instant,
    ) -> MutexGuard<'a, HashMap<u64, OpenConnection>> {
        while !open.is_empty() {
            let remaining = deadline.saturating_duration_since(Instant::now());
            if remaining.is_zero() {
                break;
            }
            open = match self.ended.wait_timeout(open, remaining) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        open
    }

    /// Takes an ended connection off the list, and tells a waiting `stop`.
    fn unregister(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        open.remove(&id);
        drop(open);
        self.ended.notify_all();
    }
}

//! The acceptor: one thread that accepts connections and hands each one to whoever serves it.
//!
//! Both engines accept the same way and differ only in what they do with a new socket: the
//! `Cio` engine hands it to a worker's event loop, the `Blocking` engine gives it a thread of
//! its own. The acceptor runs a small `block_on` loop that waits for two things at once, a new
//! connection and the order to stop, so stopping never needs a trick such as connecting to
//! ourselves to wake a blocked `accept`.
//!
//! Before each accept, the engine may get ready for the connection to come ([`Handoff::prepare`]):
//! the `Blocking` engine starts its thread then. A connection is accepted only once what serves
//! it exists, so a server short of threads or file descriptors leaves clients waiting in the
//! listen backlog, as a failing `accept` does, instead of accepting them only to hang up.
//!
//! Ktor: `io.ktor.server.cio.backend.httpServer` (its accept loop), which Ktor CIO runs on its
//! "connection group" of threads

use std::io;
use std::net::SocketAddr;
use std::thread;
use std::time::Duration;

use crate::runtime::{self, TcpListener, oneshot, race, sleep};

/// What an engine does with the connections its acceptor accepts.
pub(crate) trait Handoff: Send + 'static {
    /// Gets ready for the next connection, before it is accepted. An error is handled as a
    /// failed `accept` is: the clients wait in the backlog, and the acceptor tries again later.
    fn prepare(&mut self) -> io::Result<()> {
        Ok(())
    }

    /// Takes a new connection: a plain blocking-mode std socket and the client's address.
    fn accepted(&mut self, stream: std::net::TcpStream, remote: SocketAddr);
}

/// A closure is a handoff that needs no preparing (the `Cio` engine's).
impl<F: FnMut(std::net::TcpStream, SocketAddr) + Send + 'static> Handoff for F {
    fn accepted(&mut self, stream: std::net::TcpStream, remote: SocketAddr) {
        self(stream, remote)
    }
}

/// A running accept loop.
pub(crate) struct Acceptor {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Acceptor {
    /// Starts accepting on `listener` in a new thread, handing every new connection to
    /// `handoff`. Fails if the thread, or the runtime it accepts in, cannot be made.
    pub(crate) fn start(listener: std::net::TcpListener, handoff: impl Handoff) -> io::Result<Acceptor> {
        let (stop, stopped) = oneshot::channel::<()>();
        let main = move || accept_loop(listener, handoff, stopped);
        let thread = runtime::start_thread("mini-ktor-acceptor".to_string(), main)?;
        Ok(Acceptor {
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Blocks until the accept loop ends (it runs until [`stop`](Self::stop)).
    pub(crate) fn wait(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Stops accepting: when this returns, no new connection will be handed out. The listening
    /// socket is closed, so new clients are refused.
    pub(crate) fn stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.wait();
    }
}

/// Accepts until a stop is requested, in the acceptor thread's `block_on`.
async fn accept_loop(
    listener: std::net::TcpListener,
    mut handoff: impl Handoff,
    mut stopped: oneshot::Receiver<()>,
) {
    let listener = match TcpListener::from_std(listener) {
        Ok(listener) => listener,
        Err(error) => return eprintln!("mini-ktor: cannot watch the listening socket: {error}"),
    };
    // Accepts that have failed in a row (see below).
    let mut failures = 0u64;
    loop {
        let next = match handoff.prepare() {
            Ok(()) => {
                let accept = async { Some(listener.accept_std().await) };
                race(accept, stop_requested(&mut stopped)).await
            }
            Err(error) => Some(Err(error)),
        };
        match next {
            None => return,
            Some(Ok((stream, remote))) => {
                if failures > 0 {
                    eprintln!("mini-ktor: accepting again, after {failures} failed tries");
                    failures = 0;
                }
                handoff.accepted(stream, remote)
            }
            Some(Err(error)) => {
                // Out of file descriptors, say, for the socket or for what serves it: the
                // client waits in the listen backlog until one is free. Ktor logs every
                // failure and goes on; an error that lasts would then log twenty lines a
                // second here, so only the first of a run is logged, and the run's length when
                // it ends. The pause keeps an error that repeats at once from spinning, and
                // still listens for a stop.
                if failures == 0 {
                    eprintln!("mini-ktor: cannot accept connections: {error}");
                }
                failures += 1;
                let pause = async {
                    sleep(Duration::from_millis(50)).await;
                    Some(())
                };
                if race(pause, stop_requested(&mut stopped)).await.is_none() {
                    return;
                }
            }
        }
    }
}

/// Resolves to `None` once a stop is requested, or the engine that could request one is gone.
async fn stop_requested<T>(stopped: &mut oneshot::Receiver<()>) -> Option<T> {
    let _ = stopped.await;
    None
}

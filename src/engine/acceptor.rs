//! The acceptor: one thread that accepts connections and hands each one to whoever serves it.
//!
//! Both engines accept the same way and differ only in what they do with a new socket: the
//! `Cio` engine hands it to a worker's event loop, the `Blocking` engine gives it a thread of
//! its own. The acceptor runs a small `block_on` loop that waits for two things at once, a new
//! connection and the order to stop, so stopping never needs a trick such as connecting to
//! ourselves to wake a blocked `accept`.
//!
//! Ktor: `io.ktor.server.cio.backend.httpServer` (its accept loop), which Ktor CIO runs on its
//! "connection group" of threads

use std::io;
use std::net::SocketAddr;
use std::thread;
use std::time::Duration;

use crate::runtime::{self, TcpListener, oneshot, race, sleep};

/// A running accept loop.
pub(crate) struct Acceptor {
    stop: Option<oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Acceptor {
    /// Starts accepting on `listener` in a new thread, calling `accepted` with every new
    /// connection (a plain blocking-mode std socket and the client's address).
    pub(crate) fn start(
        listener: std::net::TcpListener,
        mut accepted: impl FnMut(std::net::TcpStream, SocketAddr) + Send + 'static,
    ) -> io::Result<Acceptor> {
        let (stop, mut stopped) = oneshot::channel::<()>();
        let thread = thread::Builder::new()
            .name("mini-ktor-acceptor".to_string())
            .spawn(move || {
                runtime::block_on(async move {
                    let listener = match TcpListener::from_std(listener) {
                        Ok(listener) => listener,
                        Err(error) => {
                            return eprintln!("mini-ktor: cannot watch the listening socket: {error}");
                        }
                    };
                    // Accepts that have failed in a row (see below).
                    let mut failures = 0u64;
                    loop {
                        let next = race(async { Some(listener.accept_std().await) }, async {
                            let _ = (&mut stopped).await;
                            None // stop requested, or the engine was dropped
                        });
                        match next.await {
                            None => return,
                            Some(Ok((stream, remote))) => {
                                if failures > 0 {
                                    eprintln!("mini-ktor: accepting again, after {failures} failed tries");
                                    failures = 0;
                                }
                                accepted(stream, remote)
                            }
                            Some(Err(error)) => {
                                // Out of file descriptors, say: the client waits in the listen
                                // backlog until a descriptor is free. Ktor logs every failure
                                // and goes on; an error that lasts would then log twenty lines
                                // a second here, so only the first of a run is logged, and the
                                // run's length when it ends. The pause keeps an error that
                                // repeats at once from spinning.
                                if failures == 0 {
                                    eprintln!("mini-ktor: accept failed: {error}");
                                }
                                failures += 1;
                                sleep(Duration::from_millis(50)).await;
                            }
                        }
                    }
                })
            })?;
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

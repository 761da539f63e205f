//! Graceful stop for the `Cio` engine: each worker's list of open connections.
//!
//! Stopping a server gracefully means: accept nothing new, let every request already being
//! served finish, close everything else. Connections are of two kinds at that moment:
//!
//! - **idle**: waiting for a next request with nothing buffered. Closing them loses nothing, so
//!   their read side is shut down, which makes their pending read return end-of-stream and their
//!   loop end as if the client had closed;
//! - **busy**: reading, handling or answering a request. They see the stop flag in their
//!   [`ConnectionState`], answer with `Connection: close`, and end.
//!
//! Each worker keeps its own list in a thread-local, because a connection never leaves its
//! worker: registering and unregistering touch no lock. The engine asks every worker to
//! [`drain`] and waits, up to the grace period, for all of them to report an empty list.
//!
//! Ktor CIO does the same with coroutine jobs: on stop it cancels the accept jobs and then joins
//! the connection jobs, cancelling whatever is left when the grace period is over.
//!
//! Ktor: `CIOApplicationEngine.stop` and the server job of `io.ktor.server.cio.backend.httpServer`

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::poll_fn;
use std::net::Shutdown;
use std::rc::Rc;
use std::task::{Poll, Waker};

use super::transport::ConnectionState;
use crate::runtime::TcpStream;

/// The open connections of the current worker.
#[derive(Default)]
struct Connections {
    open: HashMap<u64, (Rc<TcpStream>, Rc<ConnectionState>)>,
    next_id: u64,
    /// The `drain` waiting for the list to empty, if any.
    drained: Option<Waker>,
}

thread_local! {
    static CONNECTIONS: RefCell<Connections> = RefCell::default();
}

/// A connection's entry in its worker's list; dropping it removes the entry.
pub(crate) struct Registered {
    id: u64,
}

/// Adds a connection to the current worker's list, for the time the returned guard lives.
pub(crate) fn register(stream: &Rc<TcpStream>, state: &Rc<ConnectionState>) -> Registered {
    CONNECTIONS.with_borrow_mut(|connections| {
        let id = connections.next_id;
        connections.next_id += 1;
        connections.open.insert(id, (Rc::clone(stream), Rc::clone(state)));
        Registered { id }
    })
}

impl Drop for Registered {
    fn drop(&mut self) {
        CONNECTIONS.with_borrow_mut(|connections| {
            connections.open.remove(&self.id);
            if connections.open.is_empty()
                && let Some(drain) = connections.drained.take()
            {
                drain.wake();
            }
        });
    }
}

/// Runs on a worker once the stop flag is set: closes the idle connections and waits until
/// every connection of this worker has ended.
pub(crate) async fn drain() {
    CONNECTIONS.with_borrow(|connections| {
        for (stream, state) in connections.open.values() {
            if state.is_idle() {
                let _ = stream.shutdown(Shutdown::Read);
            }
        }
    });
    poll_fn(|cx| {
        CONNECTIONS.with_borrow_mut(|connections| {
            if connections.open.is_empty() {
                Poll::Ready(())
            } else {
                connections.drained = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    })
    .await
}

/// How many of the current worker's open connections may have a request under way (see
/// [`ConnectionState::is_answering`]).
pub(crate) fn answering_connections() -> usize {
    CONNECTIONS.with_borrow(|connections| {
        connections
            .open
            .values()
            .filter(|(_, state)| state.is_answering())
            .count()
    })
}

//! The call one request leaves for the next on the same connection.
//!
//! Every request needs a call (boxed: some 600 bytes), a string for its target and a header
//! map, and every response a header map. Allocating them afresh and freeing them after each
//! request would cost several allocations per request, and building a call and copying it into
//! its box a few hundred instructions more: together a large share of a small request's cost.
//! A connection instead keeps its last call in a [`CallStorage`]. The head of the next request
//! is copied straight into that call's request (`head.rs`), whose target and headers still have
//! the capacity the previous request gave them; once the response is written the call is
//! recycled (emptied, its capacity kept) and goes back into the storage:
//!
//! ```text
//!            parse_head: copy the head in           respond, write
//! CallStorage ─────────────────────────────► call ───────────────► keep: recycle the call
//!      ▲                                                                   │
//!      └───────────────────────────────────────────────────────────────────┘
//! ```
//!
//! While the connection is idle its storage waits on the worker's shelf of spares
//! (`spare.rs`), like its buffers, and the connection that takes it next
//! [`adopt`](CallStorage::adopt)s it: its call gets that connection's addresses. Ktor gets the
//! same effect from the JVM's allocator, whose short-lived objects are almost free; hyper
//! reuses its header map per connection likewise.
//!
//! Ktor: none; `CIOApplicationCall` is allocated afresh for every request

use std::sync::Arc;

use super::connection::Peer;
use crate::application::{Application, ApplicationCall, ApplicationRequest};

/// The call kept from one request for the next.
#[derive(Default)]
pub(crate) struct CallStorage {
    /// The last call, recycled; `None` before the first request.
    call: Option<Box<ApplicationCall>>,
    /// The largest tier of header slots a head parsed into this storage has needed, on
    /// whichever connection: where the next parse starts (`head.rs`).
    pub(crate) slot_tier: usize,
}

/// Storage larger than this (after an unusually large request or response) is freed rather
/// than kept.
const LARGEST: usize = 16 * 1024;

impl CallStorage {
    /// The call for the next request of `application` on the connection between `peer`'s
    /// addresses: the kept one, or a new one.
    pub(crate) fn take_call(&mut self, application: &Arc<Application>, peer: &Peer) -> Box<ApplicationCall> {
        match self.call.take() {
            Some(call) => call,
            None => {
                let mut request = ApplicationRequest::empty();
                request.set_addresses(peer.local, peer.remote);
                Box::new(ApplicationCall::new(Arc::clone(application), request))
            }
        }
    }

    /// Fits storage taken from the worker's spares (`spare.rs`) to the connection taking it, so
    /// that [`take_call`](Self::take_call) need not check anything per request: a kept call of
    /// another application is dropped (a process may serve two; tests do), and the kept call
    /// gets this connection's addresses. A call keeps its addresses from request to request
    /// while it stays on one connection, so setting them here, and in `take_call` for a new
    /// call, is enough; setting them for every request instead, the simpler way, would cost
    /// about 16 instructions per request.
    pub(crate) fn adopt(&mut self, application: &Arc<Application>, peer: &Peer) {
        if let Some(call) = &mut self.call {
            if Arc::ptr_eq(call.application(), application) {
                call.request_mut().set_addresses(peer.local, peer.remote);
            } else {
                self.call = None;
            }
        }
    }

    /// Takes back a call whose response is written, emptied for the next request.
    pub(crate) fn keep(&mut self, mut call: Box<ApplicationCall>) {
        call.recycle();
        self.call = Some(call);
    }

    /// Whether this storage is worth keeping while idle: it holds a call, and not an unusual
    /// amount of storage.
    pub(crate) fn worth_keeping(&mut self) -> bool {
        self.call.as_mut().is_some_and(|call| {
            let (target, headers) = call.request_mut().head_storage();
            let bytes = target.capacity() + headers.capacity_bytes();
            bytes + call.response().headers().capacity_bytes() <= LARGEST
        })
    }
}

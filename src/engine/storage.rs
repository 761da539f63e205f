//! The storage one call leaves for the next on the same connection.
//!
//! Every request needs a string for its target, a header map and a call (boxed: some 600
//! bytes), and every response a header map. Allocating them afresh and freeing them after each
//! call would cost several allocations per request, and copying a new call into its box another
//! few hundred instructions: together a large share of a small request's cost. A connection
//! instead keeps one [`CallStorage`]: the head of each request is copied into its target and
//! headers (`head.rs`), the request built from them renews the call kept from the previous
//! request, and once the response is written the call is recycled, giving the request's
//! storage back, cleared but with its capacity:
//!
//! ```text
//! CallStorage ──parse_head──► ApplicationRequest { uri, headers }
//!   │  ▲                                 │ new_call (renews the kept call)
//!   │  │                                 ▼
//!   │  └──── keep (recycles) ◄──── ApplicationCall { request, response { headers } }
//!   └─ call: the last call, answered and emptied
//! ```
//!
//! While the connection is idle its storage waits on the worker's shelf of spares
//! (`spare.rs`), like its buffers. Ktor gets the same effect from the JVM's allocator, whose
//! short-lived objects are almost free; hyper reuses its header map per connection likewise.

use std::sync::Arc;

use crate::application::{Application, ApplicationCall, ApplicationRequest};
use crate::http::Headers;

/// Storage for a call, its request's target and headers, reused from call to call.
#[derive(Default)]
pub(crate) struct CallStorage {
    /// The next request's target.
    pub(crate) target: String,
    /// The next request's headers.
    pub(crate) request_headers: Headers,
    /// The last call, recycled: it becomes the next request's call.
    call: Option<Box<ApplicationCall>>,
}

/// Storage larger than this (after an unusually large request or response) is freed rather
/// than kept.
const LARGEST: usize = 16 * 1024;

impl CallStorage {
    /// A call for `request`: the kept call renewed, or a new one.
    pub(crate) fn new_call(
        &mut self,
        application: &Arc<Application>,
        request: ApplicationRequest,
    ) -> Box<ApplicationCall> {
        match self.call.take() {
            // Spare storage is shared by a worker's connections; in a process serving two
            // applications (tests do) a kept call may belong to the other one.
            Some(mut call) if Arc::ptr_eq(call.application(), application) => {
                call.renew(request);
                call
            }
            _ => Box::new(ApplicationCall::new(Arc::clone(application), request)),
        }
    }

    /// Takes back a call whose response is written, for the next request.
    pub(crate) fn keep(&mut self, mut call: Box<ApplicationCall>) {
        let (mut target, mut headers) = call.recycle();
        target.clear();
        headers.clear();
        self.target = target;
        self.request_headers = headers;
        self.call = Some(call);
    }

    /// Whether this storage is worth keeping while idle: it holds some capacity, and not an
    /// unusual amount.
    pub(crate) fn worth_keeping(&mut self) -> bool {
        let call = self.call.as_mut();
        let bytes = self.target.capacity()
            + self.request_headers.capacity_bytes()
            + call.map_or(0, |call| call.response().headers().capacity_bytes());
        bytes > 0 && bytes <= LARGEST
    }
}

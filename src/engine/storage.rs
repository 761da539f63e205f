//! The storage one call leaves for the next on the same connection.
//!
//! Every request needs a string for its target and a header map, and every response a header
//! map. Allocating them afresh and freeing them after each call would cost several allocations
//! per request, a large share of a small request's cost. A connection instead keeps one
//! [`CallStorage`]: the head of each request is copied into it (`head.rs`), the call borrows it
//! as its request and response, and once the response is written it comes back,
//! cleared but with its capacity, for the next request:
//!
//! ```text
//! CallStorage ──parse_head──► ApplicationRequest { uri, headers } ──┐
//!      ▲         new_call ──► ApplicationResponse { headers }       ├─ the call
//!      └──────── keep_request / keep_response_headers ◄─────────────┘
//! ```
//!
//! While the connection is idle its storage waits on the worker's shelf of spares
//! (`spare.rs`), like its buffers. Ktor gets the same effect from the JVM's allocator, whose
//! short-lived objects are almost free; hyper reuses its header map per connection likewise.

use std::sync::Arc;

use crate::application::{Application, ApplicationCall, ApplicationRequest};
use crate::http::Headers;

/// Storage for a call's request target and headers, and its response headers, reused from call
/// to call.
#[derive(Default)]
pub(crate) struct CallStorage {
    /// The next request's target.
    pub(crate) target: String,
    /// The next request's headers.
    pub(crate) request_headers: Headers,
    /// The next response's headers.
    pub(crate) response_headers: Headers,
}

/// Storage larger than this (after an unusually large request or response) is freed rather
/// than kept.
const LARGEST: usize = 16 * 1024;

impl CallStorage {
    /// A call for `request`, its response's headers to be built in this storage.
    pub(crate) fn new_call(
        &mut self,
        application: &Arc<Application>,
        request: ApplicationRequest,
    ) -> Box<ApplicationCall> {
        let mut call = Box::new(ApplicationCall::new(Arc::clone(application), request));
        call.response()
            .reuse_headers(std::mem::take(&mut self.response_headers));
        call
    }

    /// Takes back what a finished call's request was built in.
    pub(crate) fn keep_request(&mut self, call: &mut ApplicationCall) {
        let (mut target, mut headers) = call.request_mut().take_storage();
        target.clear();
        headers.clear();
        self.target = target;
        self.request_headers = headers;
    }

    /// Takes back a written response's headers.
    pub(crate) fn keep_response_headers(&mut self, mut headers: Headers) {
        headers.clear();
        self.response_headers = headers;
    }

    /// Whether this storage is worth keeping while idle: it holds some capacity, and not an
    /// unusual amount.
    pub(crate) fn worth_keeping(&self) -> bool {
        let bytes = self.target.capacity()
            + self.request_headers.capacity_bytes()
            + self.response_headers.capacity_bytes();
        bytes > 0 && bytes <= LARGEST
    }
}

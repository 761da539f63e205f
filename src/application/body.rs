//! Request bodies: read before the call, or read by the engine when the handler asks.
//!
//! Most request bodies are read by the engine before the pipeline runs: their length is known
//! and they are small, so the handler finds them waiting. One case cannot work that way. A
//! client that sends `Expect: 100-continue` holds its body back until the server answers
//! `100 Continue`, so that a server about to refuse the request (401, 413...) spares it the
//! upload (RFC 9110 §10.1.1). The server should say `100 Continue` only if the handler really
//! wants the body, and it only knows that when the handler calls `receive_*`.
//!
//! So such a body is *deferred*: the engine runs the call and a "body pump" side by side on
//! the connection's task, and the two meet in a [`DeferredBody`]:
//!
//! ```text
//! handler: receive_text() ──► DeferredBody: Idle → Requested ──wakes──► pump: send 100 Continue,
//!          (waits)                                                      read the body
//! handler: gets the body ◄──wakes── DeferredBody: Done(body) ◄───────── pump: done
//! ```
//!
//! Both sides live on the same worker thread, so a `RefCell` and two wakers are all the
//! synchronisation needed. Ktor's CIO does the same with a byte channel between the connection's
//! reader and the call, and a receive-pipeline phase that writes `100 Continue` on first read.
//!
//! Ktor: `io.ktor.server.cio.CIOApplicationRequest.receiveChannel` and the
//! `ExpectedHeaderPhase` that `io.ktor.server.cio.CIOApplicationEngine.addHandlerForExpectedHeader`
//! inserts

use std::cell::RefCell;
use std::future::poll_fn;
use std::rc::Rc;
use std::task::{Poll, Waker};

use crate::{Error, Result};

/// Where a request's body is.
pub(crate) enum RequestBody {
    /// Read already, waiting for the handler.
    Ready(Vec<u8>),
    /// Still on the connection; the engine reads it when asked.
    Deferred(Rc<DeferredBody>),
    /// Taken by a `receive_*`.
    Taken,
}

/// The meeting point of a handler that wants a deferred body and the engine that reads it.
///
/// Ktor: none; CIO feeds the call a byte channel from the connection reader instead
pub struct DeferredBody {
    state: RefCell<State>,
}

enum State {
    /// Nobody asked for the body; the pump waits (its waker is kept here).
    Idle { pump: Option<Waker> },
    /// The handler asked and waits for the body.
    Requested { handler: Option<Waker> },
    /// The pump finished: the body, or why it could not be read.
    Done(Option<Result<Vec<u8>>>),
}

impl DeferredBody {
    /// A body nobody has asked for yet.
    ///
    /// Ktor: none; CIO opens the request's body channel when it parses the head
    pub fn new() -> DeferredBody {
        DeferredBody {
            state: RefCell::new(State::Idle { pump: None }),
        }
    }

    /// Handler side: asks for the body and waits until the pump delivers it.
    pub(crate) async fn receive(&self) -> Result<Vec<u8>> {
        poll_fn(|cx| {
            let mut state = self.state.borrow_mut();
            match &mut *state {
                State::Idle { pump } => {
                    if let Some(pump) = pump.take() {
                        pump.wake();
                    }
                    *state = State::Requested {
                        handler: Some(cx.waker().clone()),
                    };
                    Poll::Pending
                }
                State::Requested { handler } => {
                    *handler = Some(cx.waker().clone());
                    Poll::Pending
                }
                State::Done(result) => Poll::Ready(
                    result
                        .take()
                        .unwrap_or_else(|| Err(Error::from("request body already delivered"))),
                ),
            }
        })
        .await
    }

    /// Engine side: waits until the handler asks for the body.
    ///
    /// Ktor: none; CIO's `ExpectedHeaderPhase` notices the first read instead
    pub async fn requested(&self) {
        poll_fn(|cx| match &mut *self.state.borrow_mut() {
            State::Idle { pump } => {
                *pump = Some(cx.waker().clone());
                Poll::Pending
            }
            _ => Poll::Ready(()),
        })
        .await
    }

    /// Whether the handler asked for the body.
    ///
    /// Ktor: none; CIO's `ExpectedHeaderPhase` notices the first read instead
    pub fn was_requested(&self) -> bool {
        !matches!(*self.state.borrow(), State::Idle { .. })
    }

    /// Engine side: hands over the body (or the reason it could not be read) and wakes the
    /// handler.
    ///
    /// Ktor: none; CIO's connection reader copies the body into the call's channel
    pub fn complete(&self, result: Result<Vec<u8>>) {
        let previous = self.state.replace(State::Done(Some(result)));
        if let State::Requested {
            handler: Some(handler),
        } = previous
        {
            handler.wake();
        }
    }
}

impl Default for DeferredBody {
    fn default() -> Self {
        Self::new()
    }
}

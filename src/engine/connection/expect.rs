//! `Expect: 100-continue`: the body is asked for only when the handler reads it.
//!
//! A client that sends `Expect: 100-continue` holds its body back until the server says
//! `100 Continue` (RFC 9110 §10.1.1), so that a server that would refuse the request anyway
//! (401, 413, a 404) does not make it upload the body for nothing. The connection loop
//! therefore runs the call *before* the body is read, with a "body pump" beside it on the same
//! task:
//!
//! ```text
//! respond(call) ───────── handler: call.receive_text() ── waits ─────── gets the body ── answers
//!                                         │ requested                        ▲ complete
//! pump ── waits for the request ──────────┴─► "100 Continue", flush ─► read_body ─┘
//! ```
//!
//! If the handler never asks, no `100 Continue` is sent, and the connection closes after the
//! answer: the client may still send the body, and nothing tells where it would end
//! ([`Deferred::Unread`]). A body that cannot be read (broken framing, too large, too late) is
//! answered with its error, as it would be without `Expect`, whatever the handler made of the
//! failed read ([`Deferred::Invalid`]); a client that closes before its body is complete gets
//! no answer, also as without `Expect` ([`Deferred::Gone`]).
//!
//! Ktor: CIO's `ExpectedHeaderPhase`, a receive-pipeline phase before `Before` that writes
//! `100 Continue` when the call first receives

use std::future::poll_fn;
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::Instant;

use super::{Connection, flush};
use crate::application::{ApplicationCall, DeferredBody, HttpError};
use crate::engine::body::{BodyRead, read_body};
use crate::engine::pipeline::respond;
use crate::engine::transport::Transport;
use crate::http::{BodyFraming, HttpStatusCode, ParseError};
use crate::runtime::after;

/// Whether the body of an `Expect: 100-continue` request was read.
pub(super) enum Deferred {
    Read,
    /// The handler never asked: the client may still send it, so the connection must close.
    Unread,
    /// The handler asked for it but answered before it was all read: the stream is out of
    /// step, so the connection must close after the answer.
    Broken,
    /// The client closed, or its connection failed, before the body was complete: the
    /// connection closes without an answer, as it does when this happens without `Expect`.
    Gone,
    /// Its framing is broken, it is too large or it came too late: the request is answered with
    /// this error, whatever the handler made of it, as it would be without `Expect`.
    Invalid(ParseError),
}

impl<S: Transport> Connection<'_, S> {
    /// Runs the call while a "body pump" waits beside it: when the handler asks for the body,
    /// the pump sends `100 Continue`, reads the body and hands it over (see
    /// `application/body.rs`). Both futures are polled in turn on this connection's task.
    pub(super) async fn respond_reading_body_on_demand(
        &mut self,
        mut call: Box<ApplicationCall>,
        framing: BodyFraming,
    ) -> (Box<ApplicationCall>, Deferred) {
        let deferred = Rc::new(DeferredBody::new());
        call.request_mut().defer_body(Rc::clone(&deferred));
        let Connection {
            stream,
            application,
            config,
            input,
            output,
            ..
        } = self;
        let stream = &mut **stream;
        let mut call = pin!(respond(application, call));
        let mut pump = pin!(async {
            deferred.requested().await;
            output.extend_from_slice(b"HTTP/1.1 100 Continue\r\n\r\n");
            if flush(stream, output).await.is_err() {
                deferred.complete(Err(client_gone()));
                return Deferred::Gone;
            }
            // The client holds the body back until it sees the `100 Continue`, so the body's
            // clock starts now, not when the head arrived.
            let deadline = after(Instant::now(), config.request_timeout);
            let (result, outcome) =
                match read_body(stream, input, output, framing, &config.limits, deadline).await {
                    Ok(BodyRead::Complete(body)) => (Ok(body), Deferred::Read),
                    Ok(BodyRead::Closed) | Err(_) => (Err(client_gone()), Deferred::Gone),
                    Ok(BodyRead::Invalid(error)) => (
                        Err(HttpError::new(error.status, error.reason).into()),
                        Deferred::Invalid(error),
                    ),
                };
            deferred.complete(result);
            outcome
        });
        let mut pumped = None;
        let answered = poll_fn(|cx| {
            if pumped.is_none()
                && let Poll::Ready(outcome) = pump.as_mut().poll(cx)
            {
                pumped = Some(outcome);
            }
            call.as_mut().poll(cx)
        })
        .await;
        let outcome = pumped.unwrap_or(if deferred.was_requested() {
            Deferred::Broken
        } else {
            Deferred::Unread
        });
        (answered, outcome)
    }
}

/// What the handler's read of the body fails with when the client is gone: a client's fault,
/// so a 400 in the engine's log, not a 500 (no one reads the answer).
fn client_gone() -> crate::Error {
    HttpError::new(
        HttpStatusCode::BAD_REQUEST,
        "the client closed before sending the body",
    )
    .into()
}

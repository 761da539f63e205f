//! The engine's side of a call: run the application, and answer for whatever went wrong.
//!
//! Every engine hands each parsed request to the application through here: the connection
//! loop of `Cio` and `Blocking` calls `respond` with the call it keeps from request to request
//! (`storage.rs`), and the in-memory test engine calls [`respond_to`], which builds a fresh
//! [`ApplicationCall`] and returns its response. Either runs the application's call pipeline,
//! and is the safety net under every handler:
//!
//! - an error that escaped the whole pipeline becomes a response: an [`HttpError`] with its
//!   own status and its message as the body, anything else a `500 Internal Server Error` with
//!   no body, as Ktor's `handleFailure` answers every failure. The error's own text goes to the
//!   log only: it is written for the server's operator, and may say more about the server
//!   (a file, a database, a panic's location) than a client should learn. An `HttpError`'s
//!   message is written for the client, which Ktor's exceptions are not, so it is sent;
//! - a *panic* in a handler or interceptor is caught at the same place and becomes a 500 too.
//!   Only this call is affected: the worker thread and its other connections carry on.
//!
//! Ktor: `io.ktor.server.engine.EnginePipeline` and `defaultEnginePipeline` / `handleFailure`

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::task::{Context, Poll};

use crate::Error;
use crate::application::{
    Application, ApplicationCall, ApplicationRequest, ApplicationResponse, HttpError, OutgoingContent,
    TraceSink,
};
use crate::http::{ContentType, HttpStatusCode};

/// Runs `request` through `application` and returns the response to send, whatever happens.
///
/// Ktor: `EnginePipeline`'s `call` phase, `application.execute(call)`
pub async fn respond_to(application: &Arc<Application>, request: ApplicationRequest) -> ApplicationResponse {
    let call = Box::new(ApplicationCall::new(Arc::clone(application), request));
    let (_request, response) = respond(application, call).await.into_parts();
    response
}

/// Runs `call` through `application`, whatever happens, and gives it back answered.
///
/// The call comes and goes in a box, the one each connection keeps from request to request
/// (`engine/storage.rs`): a call is several hundred bytes, and a box moves as one pointer,
/// so this future stays small enough to live in the connection's own future.
pub(crate) async fn respond(
    application: &Arc<Application>,
    mut call: Box<ApplicationCall>,
) -> Box<ApplicationCall> {
    let sink = application.trace_sink();
    if sink.is_some() {
        call.start_trace();
    }
    let outcome = CatchUnwind(pin!(application.execute(&mut call))).await;
    // Only a traced call has a trace to report; checking here, not in `report_trace`, saves
    // every other call a function call.
    if let Some(sink) = sink {
        report_trace(sink, &call);
    }
    let failure = match outcome {
        Ok(Ok(())) => return call,
        Ok(Err(error)) => error,
        Err(panic) => Error::from(format!("handler panicked: {}", panic_message(&*panic))),
    };
    respond_failure(&mut call, failure);
    call
}

/// Hands the call's pipeline trace to the application's trace `sink`.
fn report_trace(sink: &TraceSink, call: &ApplicationCall) {
    if let Some(trace) = call.trace() {
        let request = call.request();
        sink(&trace.render(&format!("{} {}", request.method(), request.uri())));
    }
}

/// Answers a call whose pipeline failed, unless a response was already committed (then the
/// client gets that one, and the error is only logged): an [`HttpError`] with its status and
/// message, any other error with a bare `500`.
///
/// Ktor: `handleFailure` and `defaultExceptionStatusCode`
#[cold] // a failure is the rare way out of `respond`: kept out of its code
fn respond_failure(call: &mut ApplicationCall, error: Error) {
    let status = failure_status(&error);
    log_failure(call, status, &error);
    if call.is_handled() {
        return;
    }
    let content = match error.downcast_ref::<HttpError>() {
        Some(http) if !http.message.is_empty() => {
            OutgoingContent::Bytes(http.message.clone().into_bytes().into())
        }
        _ => OutgoingContent::NoContent,
    };
    let response = call.response();
    response.set_status(status);
    // The only way this commit can fail is an earlier commit, ruled out just above.
    let _ = response.commit(Some(ContentType::TEXT_PLAIN_UTF8), content);
}

/// The status a failed call is answered with: an [`HttpError`]'s own status, otherwise
/// `500 Internal Server Error`. The plugins that answer or log failures before the engine does
/// (StatusPages, CallLogging) ask it too.
///
/// Ktor: `defaultExceptionStatusCode(cause) ?: HttpStatusCode.InternalServerError`
pub(crate) fn failure_status(error: &Error) -> HttpStatusCode {
    match error.downcast_ref::<HttpError>() {
        Some(http) => http.status,
        None => HttpStatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Logs a failed call on stderr in the shape of Ktor's line for an unhandled exception,
/// `500 Internal Server Error: GET - /path`, followed by `. Exception ` and the error, where
/// Ktor prints the exception's stack trace. The path is the raw one, as in Ktor: decoded, a
/// client's `%0A` would start a line of its own.
///
/// Only failures answered with a server error (5xx) are logged. A 4xx failure is the client's
/// doing (a malformed body, one too large, one that never came), which Ktor logs at its DEBUG
/// level only; this crate has no levels, and logging those here would let any client write
/// lines into the server's log at will, one per request.
///
/// Ktor: the `logError` of `defaultEnginePipeline`'s failure handling
pub(crate) fn log_failure(call: &ApplicationCall, status: HttpStatusCode, error: &Error) {
    if status.value < 500 {
        return;
    }
    let request = call.request();
    eprintln!(
        "{status}: {} - {}. Exception {error}",
        request.method(),
        request.raw_path()
    );
}

/// Text of a panic payload: `panic!` gives a `&str` or a `String`.
fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text
    } else {
        "a non-text panic payload"
    }
}

/// Polls a future, turning a panic during any poll into an `Err` carrying the panic payload.
///
/// It wraps a `Pin<&mut F>`, which is `Unpin`, so the future can stay pinned on the caller's
/// stack (`pin!`) and no box or pin projection is needed. `AssertUnwindSafe` is sound enough
/// here: after a panic the call is only read to build the error response, never resumed.
struct CatchUnwind<'f, F>(Pin<&'f mut F>);

impl<F: Future> Future for CatchUnwind<'_, F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match catch_unwind(AssertUnwindSafe(|| self.0.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

//! StatusPages: answer errors by their type, and statuses with pages of your own.
//!
//! Two kinds of handler, registered in the configuration:
//!
//! - [`exception::<E>(handler)`](StatusPagesConfig::exception): when a call fails with an error
//!   of type `E`, `handler(call, &e)` answers it instead of the engine's 500;
//! - [`status(code, handler)`](StatusPagesConfig::status): when a response with status `code`
//!   is about to be sent (the fallback's 404, routing's 405, a handler's own 404...),
//!   `handler(call, code)` answers in its place.
//!
//! Handlers answer the way route handlers do, with `call.respond_text(...)` and friends. The
//! status stays what it was unless the handler sets another.
//!
//! # Exceptions: the `CallFailed` hook
//!
//! `CallFailed` wraps everything after it in the call pipeline, so any error a handler or a
//! plugin returns comes through it. The error is a [`crate::Error`], a boxed `dyn Error`; `E`'s
//! handler applies when `error.downcast_ref::<E>()` finds an `E` in it. Handlers are tried in
//! the order they were registered, and the first whose type matches answers. Ktor's rule is
//! different in form:
//! handlers are kept by exception class, and the one registered for the *nearest superclass* of
//! the exception wins. Rust errors have no superclasses (a downcast matches the exact type
//! only), so at most one registered type can match; order only matters if a type is registered
//! twice, where the first registration wins (in Ktor the second replaces the first).
//!
//! An error no `exception` handler takes goes on to the engine, which answers 500 (or the
//! status of an [`HttpError`](crate::application::HttpError)). With one difference: in Ktor,
//! the engine's answer goes through `call.respond` and so reaches the `status` handlers, which
//! lets `status(500, ...)` be the error page for every unexpected error. Here the engine
//! commits its answer outside the send pipeline, so StatusPages gives that answer itself,
//! through `respond`, whenever a `status` handler is registered for the status the engine
//! would use (and logs the error as the engine would). The body is then the status handler's,
//! where the engine's would be empty (or an `HttpError`'s message).
//!
//! # Statuses: the `ResponseBodyReadyForSend` hook
//!
//! The send pipeline's `After` phase, where the content is rendered and the status known but
//! nothing is committed yet. If the response's status has a handler, the handler runs and
//! responds again: a second, *nested* run of the send pipeline, which commits the handler's
//! content. The first run must then stop before its own `Engine` phase would commit the
//! original content (a second commit is the error "Response has already been sent"), so the
//! hook calls [`finish`](crate::pipeline::PipelineContext::finish) on it. Ktor's `Engine` phase
//! instead skips a call that is already handled; the result is the same.
//!
//! ```text
//! fallback: respond(404) ─► Transform ─► Render ─► After: status page ─► (finished)
//!                                                    │ marker set; call.respond_text("Sorry")
//!                                                    └─► Transform ─► Render ─► After: marker → skip
//!                                                                                 ─► Engine: commit
//! ```
//!
//! A call attribute, `StatusPagesTriggered`, marks a call StatusPages has already answered. The
//! nested run checks it and lets its content through, so a handler that answers 404 with a 404
//! does not call itself forever; and an error raised by an exception handler goes to the
//! engine rather than back to StatusPages. A status handler that fails takes the marker off
//! again, as in Ktor, so its error can still meet an `exception` handler. Like Ktor,
//! StatusPages does nothing for a response with no status set: a plain `respond_text` (sent as
//! 200) has no `status` page.
//!
//! The nested response keeps the headers the first one set. One of them is awkward here: the
//! response's `Content-Type` is an ordinary header (Ktor keeps it in the content), so a status
//! page cannot change the type of a response whose handler already set one. The fallback's
//! responses have none.
//!
//! # Not here
//!
//! Ktor's `unhandled { call -> }`, for calls nothing answered, runs in a phase inserted just
//! before `Fallback`. A plugin can insert such a phase here too (`CallFailed` does, before
//! `Setup`); `unhandled` is simply not written yet (README, "Not there yet").
//!
//! Ktor: `io.ktor.server.plugins.statuspages.StatusPages`

use std::error::Error as StdError;
use std::sync::Arc;

use crate::application::{
    Application, ApplicationCall, CallFailed, Plugin, PluginInstance, ResponseBodyReadyForSend,
    ResponseMessage, create_application_plugin,
};
use crate::http::HttpStatusCode;
use crate::pipeline::PipelineContext;
use crate::util::AttributeKey;
use crate::{BoxFuture, Error, Result};

/// Put on a call once StatusPages answers it, so that it does not answer twice.
///
/// Ktor: the `StatusPagesTriggered` attribute key
const TRIGGERED: AttributeKey<()> = AttributeKey::new("StatusPagesTriggered");

/// Answers errors by type and statuses by code with handlers of the application's own.
///
/// ```
/// use mini_ktor::plugins::StatusPages;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.install(&StatusPages, |config| {
///         config.exception::<std::num::ParseIntError>(async |call, error| {
///             call.response().set_status(HttpStatusCode::BAD_REQUEST);
///             call.respond_text(format!("not a number: {error}")).await
///         });
///     });
///     app.routing(|route| {
///         route.get("/double", async |call| {
///             let n: i64 = call.request().query_parameters().get("n").unwrap_or("").parse()?;
///             call.respond_text((2 * n).to_string()).await
///         });
///     });
/// });
/// assert_eq!(client.get("/double?n=21").text(), "42");
/// assert_eq!(client.get("/double?n=x").status(), HttpStatusCode::BAD_REQUEST);
/// ```
///
/// Ktor: `io.ktor.server.plugins.statuspages.StatusPages`
pub struct StatusPages;

/// The configuration of [`StatusPages`]: its exception and status handlers.
///
/// Ktor: `io.ktor.server.plugins.statuspages.StatusPagesConfig`
#[derive(Default)]
pub struct StatusPagesConfig {
    /// In registration order; the first that matches answers.
    exceptions: Vec<ExceptionHandler>,
    /// In registration order; the first for the status answers.
    statuses: Vec<(HttpStatusCode, StatusHandler)>,
}

/// An exception handler with its type erased, so handlers for different types share a `Vec`.
struct ExceptionHandler {
    /// Whether the error is of the handler's type.
    matches: fn(&Error) -> bool,
    /// Runs the handler; the future borrows the call and the error.
    answer: ExceptionAnswer,
}

/// An exception handler, boxed: it takes the whole error and downcasts it itself.
type ExceptionAnswer =
    Box<dyn for<'a> Fn(&'a mut ApplicationCall, &'a Error) -> BoxFuture<'a, Result<()>> + Send + Sync>;

/// A status handler, boxed.
type StatusHandler =
    Box<dyn for<'a> Fn(&'a mut ApplicationCall, HttpStatusCode) -> BoxFuture<'a, Result<()>> + Send + Sync>;

impl StatusPagesConfig {
    /// Answers calls that fail with an error of type `E` with `handler(call, &error)`.
    ///
    /// Ktor: `StatusPagesConfig.exception<T> { call, cause -> }`
    pub fn exception<E: StdError + 'static>(
        &mut self,
        handler: impl AsyncFn(&mut ApplicationCall, &E) -> Result<()> + Send + Sync + 'static,
    ) {
        // Each answer is a new future that must own its way to the handler: an `Arc` clone.
        let handler = Arc::new(handler);
        self.exceptions.push(ExceptionHandler {
            matches: |error| error.is::<E>(),
            answer: Box::new(move |call, error| {
                let handler = Arc::clone(&handler);
                Box::pin(async move {
                    match error.downcast_ref::<E>() {
                        Some(cause) => handler(call, cause).await,
                        None => Ok(()), // `matches` said yes; not reached
                    }
                })
            }),
        });
    }

    /// Answers responses with status `status` with `handler(call, status)` instead.
    ///
    /// Statuses are compared by code only, as in Ktor. A second handler for the same code is
    /// never used (in Ktor it replaces the first).
    ///
    /// Ktor: `StatusPagesConfig.status(code) { call, status -> }`
    pub fn status(
        &mut self,
        status: HttpStatusCode,
        handler: impl AsyncFn(&mut ApplicationCall, HttpStatusCode) -> Result<()> + Send + Sync + 'static,
    ) {
        let handler = Arc::new(handler);
        self.statuses.push((
            status,
            Box::new(move |call, status| {
                let handler = Arc::clone(&handler);
                Box::pin(async move { handler(call, status).await })
            }),
        ));
    }

    /// The handler for `status`, if one is registered.
    fn status_handler(&self, status: HttpStatusCode) -> Option<&StatusHandler> {
        let registered = self.statuses.iter().find(|(code, _)| code.value == status.value);
        registered.map(|(_, handler)| handler)
    }
}

/// `CallFailed`: answers `error` with the first matching exception handler, or with the status
/// page of the status the engine would send.
async fn answer_error(call: &mut ApplicationCall, error: &Error, config: &StatusPagesConfig) -> Result<()> {
    if call.attributes().contains(&TRIGGERED) {
        return Ok(()); // a StatusPages handler failed: the engine answers
    }
    if let Some(handler) = config.exceptions.iter().find(|handler| (handler.matches)(error)) {
        call.attributes_mut().put(&TRIGGERED, ());
        return (handler.answer)(call, error).await;
    }
    let status = super::failure_status(error);
    if call.is_handled() || config.status_handler(status).is_none() {
        return Ok(()); // left to the engine: the hook passes the error on
    }
    // What the engine would log before answering; this answer replaces the engine's.
    super::log_failure(call, status, error);
    call.respond_status(status).await
}

/// `ResponseBodyReadyForSend`: replaces a response whose status has a handler with the
/// handler's, and stops this run of the send pipeline if the handler responded.
async fn answer_status(
    ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>,
    config: &StatusPagesConfig,
) -> Result<()> {
    let call = ctx.call();
    if call.attributes().contains(&TRIGGERED) {
        return Ok(()); // the nested response of a handler: let it through
    }
    let Some(status) = call.response().status() else {
        return Ok(()); // nothing set: a 200 by default, never a status page
    };
    let Some(handler) = config.status_handler(status) else {
        return Ok(());
    };
    call.attributes_mut().put(&TRIGGERED, ());
    if let Err(error) = handler(call, status).await {
        // As in Ktor: the marker goes, so that CallFailed may still answer the error.
        call.attributes_mut().take(&TRIGGERED);
        return Err(error);
    }
    if call.is_handled() {
        ctx.finish(); // the handler's response is committed; this one is dropped
    }
    Ok(())
}

impl Plugin for StatusPages {
    type Config = StatusPagesConfig;
    type Instance = PluginInstance<StatusPagesConfig>;

    fn name(&self) -> &'static str {
        "StatusPages"
    }

    fn create_config(&self) -> StatusPagesConfig {
        StatusPagesConfig::default()
    }

    fn install(&self, application: &mut Application, config: StatusPagesConfig) -> Self::Instance {
        let plugin = create_application_plugin(self.name(), StatusPagesConfig::default, |plugin| {
            plugin.on(CallFailed, answer_error);
            plugin.on(ResponseBodyReadyForSend, answer_status);
        });
        plugin.install(application, config)
    }
}

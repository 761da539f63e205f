//! The routing root at work: what the routing interceptor does with each call.
//!
//! `app.routing(...)` installs one interceptor in the application's `CALL` phase. For every call
//! it runs [`Route::execute_call`] on the root of the tree:
//!
//! ```text
//! CALL phase ──► resolve (resolve.rs)
//!                 ├─ Success ──► path parameters onto the call
//!                 │              ──► the route's merged pipeline (pipeline.rs): its interceptors, then its handlers
//!                 │              ──► unhandled but a status was set? answer with that status
//!                 └─ Failure ──► record { status, allow } on the call ──► FALLBACK answers with it
//! ```
//!
//! A failure is only *recorded*: the application pipeline goes on to `FALLBACK`, whose built-in
//! interceptor answers every call nobody answered (`respond_unhandled` in `application/mod.rs`):
//! with the status a handler set, else the one routing recorded, else 404. With a 405 it also
//! sends the `Allow` header this crate adds to Ktor's behaviour.
//!
//! Ktor's `RoutingRoot` is both the root node and the plugin object; it also raises the
//! `RoutingCallStarted` and `RoutingCallFinished` events, which this crate does not have, and
//! merges route-scoped receive and send pipelines into the call's, which route-scoped plugins
//! do here from their `Plugins`-phase interceptors (`application/plugin_builder.rs`). The root
//! here is a plain [`Route`] whose selector is `Root`, kept by the application.
//!
//! Ktor: `io.ktor.server.routing.RoutingRoot` (`interceptor`, `executeResult`)

use super::fast_path::ConstantIndex;
use super::pipeline::Endpoint;
use super::{Route, RoutingResolveContext, RoutingResolveResult};
use crate::Result;
use crate::application::{Application, ApplicationCall};
use crate::http::{HttpMethod, HttpStatusCode, Parameters};

/// Why routing found no route for a call: what the fallback answers with.
///
/// Ktor: the call attribute `RoutingFailureStatusCode`
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RoutingFailure {
    /// 404, 405 or 400 (see `resolve.rs`).
    pub(crate) status: HttpStatusCode,
    /// With a 405, the methods the path does answer, for the `Allow` header.
    pub(crate) allow: Vec<HttpMethod>,
}

impl RoutingFailure {
    /// The `Allow` header's value, when there is one to send: `GET, POST`.
    pub(crate) fn allow_header(&self) -> Option<String> {
        if self.status != HttpStatusCode::METHOD_NOT_ALLOWED || self.allow.is_empty() {
            return None;
        }
        let methods: Vec<&str> = self.allow.iter().map(HttpMethod::as_str).collect();
        Some(methods.join(", "))
    }
}

impl Route {
    /// Routes `call` through the tree below this node (the root): resolves it, then runs the
    /// chosen route's pipeline, or records the failure for the fallback. An undecodable path is
    /// a 400 error.
    ///
    /// Ktor: `RoutingRoot.interceptor`
    pub(crate) async fn execute_call(&self, call: &mut ApplicationCall) -> Result<()> {
        let Some(Endpoint { handlers, pipeline }) = self.route_for(call)? else {
            return Ok(());
        };
        // The endpoint runs here, not in an `async fn` of its own: that second future, with
        // the endpoint moved into its state, would cost 17 instructions per request (callgrind,
        // pipelined `hello`).
        //
        // A pipeline holding nothing but the route's handlers does what calling them in turn
        // does, which saves a boxed future and the `proceed` loop per call. The other two ways
        // are boxed so that their larger state is not part of every call's future.
        match call.trace() {
            None if pipeline.interceptor_count() == handlers.len() => {
                // Each handler unless the call is already answered, an error ending the run, as
                // their interceptors in the merged pipeline do.
                for handler in handlers {
                    if !call.is_handled() {
                        handler.handle(call).await?;
                    }
                }
            }
            None => Box::pin(pipeline.execute(call, ())).await?,
            Some(trace) => Box::pin(pipeline.execute_traced(call, (), &trace, "route")).await?,
        };
        // A handler that set a status without responding gets it sent here, as in Ktor.
        if !call.is_handled()
            && let Some(status) = call.response().status()
        {
            Box::pin(call.respond_status(status)).await?; // boxed: a rare path, see `answer_unhandled`
        }
        Ok(())
    }

    /// Resolves `call` (fast path first), puts the path parameters on it and returns what the
    /// chosen route runs; or records the failure and returns `None`. Not `async`: resolution
    /// never waits, and its state (the search's context and result) then stays out of the
    /// call's future.
    ///
    /// `#[inline]` into `execute_call`, its one caller: a call, with the frame it sets up and
    /// the answer returned through memory, would cost 15 instructions per request (callgrind,
    /// pipelined `hello`).
    #[inline]
    fn route_for(&self, call: &mut ApplicationCall) -> Result<Option<Endpoint<'_>>> {
        let index = self.constant_index.get_or_init(|| ConstantIndex::build(self));
        if let Some(endpoint) = index.as_ref().and_then(|index| index.lookup(call)) {
            // A constant route captures nothing; the call's parameters stay as they are unless
            // an earlier routing left some.
            if !call.path_parameters().is_empty() {
                call.set_path_parameters(Parameters::new());
            }
            return Ok(Some(endpoint));
        }
        self.search(call)
    }

    /// [`route_for`](Self::route_for) when the fast path does not know the answer: the search
    /// of `resolve.rs`. Out of line, so that its large state (the context, the lineage, the
    /// parameters) does not make every call through the fast path set up a large frame.
    #[inline(never)]
    fn search(&self, call: &mut ApplicationCall) -> Result<Option<Endpoint<'_>>> {
        let context = RoutingResolveContext::new(call)?;
        match self.resolve(&context) {
            RoutingResolveResult::Success {
                lineage, parameters, ..
            } => {
                call.set_path_parameters(parameters);
                let route = lineage[lineage.len() - 1];
                Ok(Some(route.endpoint(move || lineage)))
            }
            RoutingResolveResult::Failure { status, allow, .. } => {
                call.routing_failure = Some(RoutingFailure { status, allow });
                Ok(None)
            }
        }
    }
}

impl Application {
    /// The root of the route tree, once a module called `routing`.
    ///
    /// ```
    /// use mini_ktor::prelude::*;
    ///
    /// let app = Application::from_module(|app| {
    ///     app.routing(|route| {
    ///         route.get("/a", async |call| call.respond_text("a").await);
    ///     });
    /// });
    /// print!("{}", app.routing_root().unwrap()); // the tree, one node per line
    /// ```
    ///
    /// Ktor: `Application.routingRoot`
    pub fn routing_root(&self) -> Option<&Route> {
        self.routing.as_ref()
    }
}

//! The pipeline of a chosen route: the interceptors of every route on its path, root first, and
//! its handlers last.
//!
//! Every node of the tree owns a pipeline with the five phases of the application's call
//! pipeline, where `route.intercept(phase, ...)` puts that node's own interceptors. When a call
//! resolves to a node, what runs is a pipeline *merged* from the nodes on the way to it, root
//! first, with the node's handlers appended to `CALL`:
//!
//! ```text
//! node          Monitoring     Plugins       Call
//! /             [log]          []            []
//! /admin        []             [guard]       []
//! /admin/stats  [timing]       []            []       handlers: [stats]
//!
//! merged for /admin/stats:
//!               [log, timing]  [guard]       [stats]      runs: log, timing, guard, stats
//! ```
//!
//! So within a phase an ancestor's interceptors run before a descendant's, and across phases
//! the phase order wins: a descendant's `MONITORING` interceptor wraps an ancestor's `PLUGINS`
//! one. A node's interceptors apply to the node and everything below it, and to nothing else.
//! Each handler first checks `call.is_handled()`: an interceptor that answered (a guard saying
//! 401) stops the handler without calling `finish`.
//!
//! This route pipeline does not replace the application's: it runs *inside* the application's
//! `CALL` phase, where the routing interceptor sits (`root.rs`). Application interceptors in
//! `MONITORING` therefore wrap the whole route pipeline.
//!
//! # Caching
//!
//! Merging is work, so each node keeps its merged pipeline in a `OnceLock`, filled by the first
//! call that resolves to it (for a constant route, when the fast path's index is built, which
//! keeps a copy: `fast_path.rs`). The merge needs the nodes above, which a node does not link to; the
//! resolver hands them over, and since the tree is frozen inside the shared application the
//! path from the root to a node never changes, so the first merge is right for every later call.
//! `OnceLock` (not `OnceCell`) because worker threads share the application: two first calls
//! may race, and one merge wins.
//!
//! Ktor caches the same way (`RoutingNode.buildPipeline`), but its tree can change while it
//! serves, so adding an interceptor clears the cache of the node and of every node below, and
//! adding a handler clears the node's. The same invalidation happens here when the tree is
//! built (`Route::intercept`, `Route::handle`), though once the application is shared nothing
//! can change it any more.
//!
//! Route-scoped *plugins* (Ktor's `install` on a route, `createRouteScopedPlugin`) build on these
//! pipelines: each installation keeps its own pipeline on its node (`Route::plugins`), and a
//! merged pipeline takes only the nearest installation's interceptors (below), so a plugin
//! installed again lower in the tree replaces the one above for that subtree, as in Ktor.
//! Within one node, in one phase, the node's own interceptors come before its plugins', in
//! the order the plugins were installed, whichever was declared first; Ktor keeps one list per
//! node, in declaration order. Keeping each installation's pipeline apart is what lets the
//! nearest one win by a comparison of names when the pipelines are merged.
//!
//! Ktor: `RoutingNode.buildPipeline` (and `RoutingNode` being an `ApplicationCallPipeline`)

use std::sync::Arc;

use super::Route;
use crate::application::{ApplicationCall, ApplicationCallPipeline};
use crate::pipeline::{Named, Pipeline, PipelineContext};
use crate::{BoxFuture, Result};

/// A route handler: an async function over the call.
///
/// Any `async` closure `async |call| { ... }` is one. It is shared by every worker thread, so it
/// is `Send + Sync`; the future it returns stays on one worker and need not be `Send`.
///
/// Ktor: `RoutingHandler` (a `suspend RoutingContext.() -> Unit`)
pub trait RouteHandler: Send + Sync {
    /// Handles `call`.
    ///
    /// Ktor: running the `RoutingHandler`, one `Call`-phase interceptor of the route's pipeline
    fn handle<'a>(&'a self, call: &'a mut ApplicationCall) -> BoxFuture<'a, Result<()>>;
}

impl<F> RouteHandler for F
where
    F: AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync,
{
    fn handle<'a>(&'a self, call: &'a mut ApplicationCall) -> BoxFuture<'a, Result<()>> {
        Box::pin(self(call))
    }
}

impl Route {
    /// The pipeline a call resolved to this node runs. `lineage` gives the path of nodes from
    /// the root down to this one, both included, as resolution found it; it is asked for only
    /// the first time, when the merged pipeline is built.
    ///
    /// Ktor: `RoutingNode.buildPipeline()`
    pub(crate) fn call_pipeline<'r>(
        &'r self,
        lineage: impl FnOnce() -> Vec<&'r Route>,
    ) -> &'r Pipeline<(), ApplicationCall> {
        self.merged.get_or_init(|| {
            let lineage = lineage();
            debug_assert!(lineage.last().is_some_and(|last| std::ptr::eq(*last, self)));
            // Merging into an empty pipeline copies the root's phases and shares its lists;
            // every later merge appends, phase by phase.
            let mut merged = Pipeline::new(&[]);
            for (depth, route) in lineage.iter().enumerate() {
                merged.merge(&route.pipeline);
                // A route-scoped plugin joins from its nearest installation only: the one no
                // route further down this path installs again.
                for (name, plugin) in &route.plugins {
                    let overridden = lineage[depth + 1..]
                        .iter()
                        .any(|below| below.plugins.iter().any(|(other, _)| other == name));
                    if !overridden {
                        merged.merge(plugin);
                    }
                }
            }
            for handler in &self.handlers {
                let handler = Arc::clone(handler);
                let handle = async move |ctx: &mut PipelineContext<'_, (), ApplicationCall>| {
                    let call = ctx.call();
                    if call.is_handled() {
                        return Ok(());
                    }
                    handler.handle(call).await
                };
                // Named for the pipeline trace, which would otherwise show this closure's type.
                let named = Arc::new(Named::new("route handler", handle));
                merged.intercept_shared(ApplicationCallPipeline::CALL, named);
            }
            merged
        })
    }

    /// What a call chosen for this node runs: its handlers in its merged pipeline (see
    /// [`call_pipeline`](Self::call_pipeline) for `lineage`).
    pub(crate) fn endpoint<'r>(&'r self, lineage: impl FnOnce() -> Vec<&'r Route>) -> Endpoint<'r> {
        Endpoint {
            handlers: &self.handlers,
            pipeline: self.call_pipeline(lineage),
        }
    }
}

/// What runs for a call routed to a node: the node's handlers, and its merged pipeline, which
/// ends with them (`Route::execute_call` runs them). Borrowed from the node, or from the fast
/// path's index, which keeps a copy of both for each constant route so that a lookup need not
/// walk down the tree to the node.
pub(crate) struct Endpoint<'r> {
    pub(crate) handlers: &'r [Arc<dyn RouteHandler>],
    pub(crate) pipeline: &'r Pipeline<(), ApplicationCall>,
}

//! `Route`: what a module declares with `get`, `post` and friends, and the lookup at call time.
//!
//! Routes are kept in declaration order, so when two routes answer the same request the first
//! declared wins, as in Ktor. The lookup is a linear scan: a module declares a handful of routes,
//! and comparing a method and a short path is a few nanoseconds each.
//!
//! Ktor: `io.ktor.server.routing.Route` / `RoutingNode`

use std::sync::Arc;

use crate::application::ApplicationCall;
use crate::http::{HttpMethod, HttpStatusCode};
use crate::{BoxFuture, Result};

/// A route handler: an async function over the call.
///
/// Any `async` closure `async |call| { ... }` is one. It is shared by every worker thread, so it
/// is `Send + Sync`; the future it returns stays on one worker and need not be `Send`.
///
/// Ktor: `RoutingHandler` (a `suspend RoutingContext.() -> Unit`)
pub trait RouteHandler: Send + Sync {
    /// Handles `call`.
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

/// One declared route: a method, an exact path, and its handler.
struct Endpoint {
    method: HttpMethod,
    path: String,
    handler: Arc<dyn RouteHandler>,
}

/// The routes of an application, declared in `routing` blocks.
///
/// ```
/// use mini_ktor::prelude::*;
///
/// let app = Application::from_module(|app| {
///     app.routing(|route| {
///         route.get("/", async |call| call.respond_text("Hello World!").await);
///         route.post("/echo", async |call| {
///             let body = call.receive_text().await?;
///             call.respond_text(body).await
///         });
///     });
/// });
/// # let _ = app;
/// ```
///
/// Ktor: `io.ktor.server.routing.Route`
pub struct Route {
    endpoints: Vec<Endpoint>,
}

impl Route {
    /// An empty route table.
    pub(crate) fn new() -> Route {
        Route {
            endpoints: Vec::new(),
        }
    }

    /// Answers `GET path` with `handler`.
    ///
    /// Ktor: `Route.get(path) { }`
    pub fn get(
        &mut self,
        path: &str,
        handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
    ) {
        self.method(HttpMethod::Get, path, handler);
    }

    /// Answers `POST path` with `handler`.
    ///
    /// Ktor: `Route.post(path) { }`
    pub fn post(
        &mut self,
        path: &str,
        handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
    ) {
        self.method(HttpMethod::Post, path, handler);
    }

    /// Answers requests with `method` for `path` with `handler`.
    ///
    /// Ktor: `Route.route(path, method) { handle { } }`
    pub fn method(
        &mut self,
        method: HttpMethod,
        path: &str,
        handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
    ) {
        self.endpoints.push(Endpoint {
            method,
            path: normalize(path),
            handler: Arc::new(handler),
        });
    }

    /// Runs the handler of the first route matching the call. When none matches, records the
    /// status for the fallback: `405 Method Not Allowed` if some route has this exact path with
    /// another method, else `404 Not Found`.
    ///
    /// Ktor: the `RoutingRoot` interceptor
    pub(crate) async fn handle(&self, call: &mut ApplicationCall) -> Result<()> {
        let request = call.request();
        let mut path_matched = false;
        let mut chosen = None;
        for endpoint in &self.endpoints {
            if endpoint.path == request.path() {
                path_matched = true;
                if endpoint.method == *request.method() {
                    chosen = Some(&endpoint.handler);
                    break;
                }
            }
        }
        match chosen {
            // Ktor's handlers start with "if the call is handled, return": an interceptor that
            // already answered (an authentication challenge, say) wins over the handler.
            Some(handler) if !call.is_handled() => handler.handle(call).await,
            Some(_) => Ok(()),
            None => {
                call.routing_failure = Some(if path_matched {
                    HttpStatusCode::METHOD_NOT_ALLOWED
                } else {
                    HttpStatusCode::NOT_FOUND
                });
                Ok(())
            }
        }
    }
}

/// A declared path in the form requests are compared in: with a leading `/`. `""` and `"/"`
/// are both the root.
fn normalize(path: &str) -> String {
    if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    }
}

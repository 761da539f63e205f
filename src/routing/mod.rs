//! Routing: from a request's method and path to the handler that answers it.
//!
//! `app.routing(|route| ...)` installs one interceptor in the application's `CALL` phase. For
//! each call it looks for the route whose method and path match the request, and runs that
//! route's handler with the call:
//!
//! ```text
//! CALL phase ──► Route::handle(call) ──► match (method, path) ──► handler(&mut call)
//!                      │ no path matched:    record 404 ─┐
//!                      │ path, not method:   record 405 ─┴─► FALLBACK answers with it
//! ```
//!
//! This is routing's first form: a path is matched exactly, segment for segment, and a handler
//! is registered per method. Ktor resolves a *tree* of selectors (constants, `{parameters}`,
//! wildcards, tailcards, headers...) and scores candidates by quality; that tree replaces the
//! list below without changing how a module declares its routes.
//!
//! Ktor: `io.ktor.server.routing` (`RoutingRoot`, `RoutingNode`)

mod route;

pub use route::{Route, RouteHandler};

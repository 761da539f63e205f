//! How a route names itself: in one line for the trace (`render`), and as an indented tree.
//!
//! The trace names each node by its *path*, then the *conditions* above it in brackets:
//!
//! ```text
//! get("/users/{id}")                          /users/{id} [(method:GET)]
//! header("a", "x") { get("") }                / [(header:a = x), (method:GET)]
//! route("/route") { header("p", "80") {       /route/port [(header:p = 80), (method:GET)]
//!     get("/port") } }
//! ```
//!
//! The path joins the path selectors with `/` (a trailing slash adds a final `/`; the root alone
//! is `/`); the conditions are the other selectors, in order from the root. Both are computed
//! once, when `create_child` makes the node, from the parent's (`route.rs`).
//!
//! `Display` draws the subtree, one node per line, two spaces per level: the selector, then
//! `+N interceptors` for a node with its own interceptors and `-> handler` for one with a
//! handler. Ktor has no such printout (its `toString` is the node's path); this is the tree the
//! trace walks, drawn, and `app.routing_root()` prints it:
//!
//! ```text
//! /
//!   users
//!     me
//!       (method:GET) -> handler
//!     {id}
//!       (method:GET) -> handler
//!     (method:POST) -> handler
//!   admin +1 interceptor
//!     stats
//!       (method:GET) -> handler
//! ```
//!
//! Ktor: `RoutingNode.toString`, `Route.path` and the route text of `RoutingResolveResult`

use std::fmt;

use super::Route;

impl Route {
    /// How the trace names this node: its path (`/` for the root), then the conditions above it
    /// in brackets: `/users/{id} [(method:GET)]`.
    ///
    /// Ktor: the route's text in `RoutingResolveResult.toString`
    pub fn render(&self) -> String {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        if self.conditions.is_empty() {
            path.to_string()
        } else {
            format!("{path} [{}]", self.conditions)
        }
    }

    fn write_tree(&self, f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
        let indent = "  ".repeat(depth);
        if depth == 0 {
            write!(f, "{}", self.render())?;
        } else {
            write!(f, "{indent}{}", self.selector)?;
        }
        match self.pipeline.interceptor_count() {
            0 => {}
            1 => write!(f, " +1 interceptor")?,
            count => write!(f, " +{count} interceptors")?,
        }
        match self.handlers.len() {
            0 => {}
            1 => write!(f, " -> handler")?,
            count => write!(f, " -> {count} handlers")?,
        }
        writeln!(f)?;
        for child in &self.children {
            child.write_tree(f, depth + 1)?;
        }
        Ok(())
    }
}

/// The node as the trace names it, e.g. `Route(/users/{id} [(method:GET)])`.
impl fmt::Debug for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Route({})", self.render())
    }
}

/// The subtree, one node per line, indented two spaces per level (see the module docs). The
/// first line is the node itself, as [`render`](Route::render) names it.
impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_tree(f, 0)
    }
}

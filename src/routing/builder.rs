//! The routing DSL: `route`, `get`, `post`, ..., `header`, `param`: the words a module declares
//! its routes with.
//!
//! Every builder does the same two things: walk down from the current node, creating (or
//! reusing) one child per selector, then either hand the node it arrived at to a nested block
//! or add a handler to it. The verbs are shortcuts for a path, then a method, then a handler:
//!
//! ```text
//! route.get("/users/{id}", h)  ==  route.route("/users/{id}", |r| r.method_route(GET).handle(h))
//!                              ==  root ─users─► ─{id}─► ─(method:GET)─► handle(h)
//! ```
//!
//! | Ktor | here |
//! |---|---|
//! | `route("/a") { ... }` | `route.route("/a", \|r\| { ... })` |
//! | `get("/a") { ... }` (also `post`, `put`, `delete`, `patch`, `head`, `options`) | `route.get("/a", async \|call\| ...)` |
//! | `get { ... }` (on the current node) | `route.get("", async \|call\| ...)` |
//! | `route("/a", HttpMethod.Get) { handle { ... } }` | `route.method(HttpMethod::Get, "/a", async \|call\| ...)` |
//! | `method(HttpMethod.Get) { ... }` | `route.method_route(HttpMethod::Get)` then build on it |
//! | `header("a", "x") { ... }` | `route.header("a", "x", \|r\| { ... })` |
//! | `param("n", "v") { ... }` | `route.param_value("n", "v", \|r\| { ... })` |
//! | `param("n") { ... }` | `route.param("n", \|r\| { ... })` |
//! | `optionalParam("n") { ... }` | `route.optional_param("n", \|r\| { ... })` |
//! | `handle { ... }` | `route.handle(async \|call\| ...)` |
//!
//! One trap, Ktor's too: inside `route("/users", ...)`, `get("/", ...)` declares `/users/`, with
//! a trailing slash, because every path ending in `/` does (`trailing_slash.rs`). The node itself
//! is `get("", ...)`.
//!
//! Ktor's builders take a trailing lambda with the new node as receiver; a Rust closure
//! receives it as `&mut Route`. Each builder also returns the node it arrived at, as Ktor's do.
//! Rust has no overloading, so Ktor's two `param`s become `param_value` (a fixed value) and
//! `param` (any value).
//!
//! Ktor: `io.ktor.server.routing.RoutingBuilder.kt`

use super::{Route, RouteSelector, path};
use crate::Result;
use crate::application::ApplicationCall;
use crate::http::HttpMethod;

/// Generates the verb shortcuts, which differ only in their method.
macro_rules! verbs {
    ($($verb:ident $method:ident $ktor:literal;)*) => {
        impl Route {
            $(
                #[doc = concat!("Answers `", stringify!($method), " path` with `handler`; `\"\"` is this node.")]
                #[doc = ""]
                #[doc = concat!("Ktor: `Route.", $ktor, "(path) { }`")]
                #[track_caller]
                pub fn $verb(
                    &mut self,
                    path: &str,
                    handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
                ) -> &mut Route {
                    self.method(HttpMethod::$method, path, handler)
                }
            )*
        }
    };
}

verbs! {
    get Get "get";
    post Post "post";
    put Put "put";
    delete Delete "delete";
    patch Patch "patch";
    head Head "head";
    options Options "options";
}

impl Route {
    /// The node `path` leads to from this one, created as needed, after `build` ran on it.
    ///
    /// # Panics
    ///
    /// If `path` is malformed (see `path.rs`).
    ///
    /// Ktor: `Route.route(path) { }`
    #[track_caller]
    pub fn route(&mut self, path: &str, build: impl FnOnce(&mut Route)) -> &mut Route {
        let route = self.create_route_from_path(path);
        build(route);
        route
    }

    /// Answers requests with `method` for `path` with `handler`.
    ///
    /// # Panics
    ///
    /// If `path` is malformed (see `path.rs`).
    ///
    /// Ktor: `Route.route(path, method) { handle { } }`
    #[track_caller]
    pub fn method(
        &mut self,
        method: HttpMethod,
        path: &str,
        handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
    ) -> &mut Route {
        let route = self.create_route_from_path(path).method_route(method);
        route.handle(handler);
        route
    }

    /// The child matching requests with `method`, to build on.
    ///
    /// Ktor: `Route.method(method) { }`
    pub fn method_route(&mut self, method: HttpMethod) -> &mut Route {
        self.create_child(RouteSelector::Method(method))
    }

    /// The child matching requests whose header `name` contains `value`, after `build` ran on
    /// it. A request without it fails with 400.
    ///
    /// Ktor: `Route.header(name, value) { }`
    pub fn header(&mut self, name: &str, value: &str, build: impl FnOnce(&mut Route)) -> &mut Route {
        let selector = RouteSelector::Header {
            name: name.to_string(),
            value: value.to_string(),
        };
        Self::build_child(self.create_child(selector), build)
    }

    /// The child matching requests whose query parameter `name` has the value `value`, after
    /// `build` ran on it. A request without it fails with 400.
    ///
    /// Ktor: `Route.param(name, value) { }`
    pub fn param_value(&mut self, name: &str, value: &str, build: impl FnOnce(&mut Route)) -> &mut Route {
        let selector = RouteSelector::QueryValue {
            name: name.to_string(),
            value: value.to_string(),
        };
        Self::build_child(self.create_child(selector), build)
    }

    /// The child matching requests with a query parameter `name`, whose values become route
    /// parameters, after `build` ran on it. A request without it fails with 400.
    ///
    /// Ktor: `Route.param(name) { }`
    pub fn param(&mut self, name: &str, build: impl FnOnce(&mut Route)) -> &mut Route {
        let selector = RouteSelector::QueryParameter {
            name: name.to_string(),
        };
        Self::build_child(self.create_child(selector), build)
    }

    /// The child matching requests with or without a query parameter `name` (with it, better),
    /// after `build` ran on it.
    ///
    /// Ktor: `Route.optionalParam(name) { }`
    pub fn optional_param(&mut self, name: &str, build: impl FnOnce(&mut Route)) -> &mut Route {
        let selector = RouteSelector::OptionalQueryParameter {
            name: name.to_string(),
        };
        Self::build_child(self.create_child(selector), build)
    }

    /// Walks down `path` from this node, one child per selector.
    ///
    /// Ktor: `Route.createRouteFromPath(path)`
    #[track_caller]
    pub fn create_route_from_path(&mut self, path: &str) -> &mut Route {
        let mut route = self;
        for selector in path::parse_path(path) {
            route = route.create_child(selector);
        }
        route
    }

    fn build_child(child: &mut Route, build: impl FnOnce(&mut Route)) -> &mut Route {
        build(child);
        child
    }
}

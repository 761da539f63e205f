//! Routing: from a request to the route that answers it, the way Ktor finds it.
//!
//! # The concept
//!
//! Routes form a **tree**. Each node hangs below its parent by a *selector*, one condition on
//! the request: a path segment (`users`, `{id}`, `*`, `{...}`), a trailing slash, the method, a
//! header, a query parameter. Declaring `get("/users/{id}")` walks down the tree creating (or
//! reusing) the nodes `users`, `{id}` and `(method:GET)`, and puts the handler on the last one.
//!
//! To route a call, the path is cut into segments and the tree is searched depth-first, in
//! declaration order. Each selector says whether it matches, how many segments it consumes, and
//! with which **quality**: a constant (1.0) is more specific than a parameter (0.8), than a
//! wildcard (0.5), than a tailcard (0.1). Among the routes that match the whole request, the one
//! whose qualities from the root down are higher first wins; on a tie, the one declared first.
//! When none matches, the answer is 404, or 405 when only the method was wrong, or 400 when a
//! required header or query parameter was.
//!
//! # Data flow
//!
//! ```text
//! modules: app.routing(|route| route.get(...))   builder.rs, path.rs ──► the tree (route.rs)
//!                                                                         frozen in the Application
//! each call, in the application's CALL phase:
//!   ApplicationCall ──► RoutingResolveContext (context.rs): method, headers, query, segments
//!                   ──► Route::resolve (resolve.rs): each node's selector evaluated (evaluation.rs)
//!                        ├─ Success: lineage + path parameters ──► the merged route pipeline (pipeline.rs)
//!                        │            its interceptors, root first; then the handlers
//!                        └─ Failure: { status, allow } on the call ──► FALLBACK answers it (root.rs)
//!                   ──► with a tracer: the text of the search (trace.rs)
//! ```
//!
//! # Ktor's counterpart, and where this differs
//!
//! Ktor's routing lives in `io.ktor.server.routing`: `RoutingRoot`, `RoutingNode`,
//! `RouteSelector`, `RoutingResolveContext`, `RoutingResolveTrace`. The names, the selectors,
//! their qualities and `toString`s, the search with its pruning and tie rule, the failure
//! statuses, the trailing-slash rules and the trace format are Ktor's, case by case.
//!
//! What is done differently, and why it is enough here:
//!
//! - **Selectors are a closed enum**, not an open class hierarchy: every kind is on one page
//!   and `match` checks each is handled. Ktor's `accept`, `contentType`, `host`, `localPort`,
//!   regex and transparent (plugin) selectors are not here yet.
//! - **Nodes do not point to their parents.** An owned tree needs neither reference counting nor
//!   interior mutability; the search carries the ancestors it walked through.
//! - **The tree is frozen** once the application is shared, so each route's merged pipeline is
//!   built once, on first use (`pipeline.rs`); Ktor rebuilds after changes at any time.
//! - **A fast path for constant routes** (`fast_path.rs`), a narrower form of Ktor's
//!   `RoutingPathTree`: a route made of constant segments is found by one lookup, when the
//!   tree has nothing that could tie with it; everything else, and every traced call, takes
//!   the search, which is the part worth reading.
//! - **A 405 says what is allowed**: an `Allow` header lists the methods the path answers, which
//!   RFC 9110 requires and Ktor omits.
//! - **Route-scoped plugins** (`Route::install`) join a call's route pipeline from their
//!   nearest installation only, decided when the merged pipeline is built (`pipeline.rs`);
//!   Ktor wraps each plugin interceptor in a guard that checks the same thing at run time.
//!
//! | file | concept | Ktor |
//! |---|---|---|
//! | `route.rs` | [`Route`]: a node, `create_child`, `handle`, `intercept`, `trace` | `RoutingNode` |
//! | `display.rs` | how a node names itself (`render`) and the printed tree | `RoutingNode.toString`, `Route.path` |
//! | `builder.rs` | the DSL: `route`, `get`/`post`/..., `method`, `header`, `param`... | `RoutingBuilder.kt` |
//! | `path.rs` | a declared path cut into selectors | `RoutingPath`, `PathSegmentSelectorBuilder` |
//! | `selector.rs` | [`RouteSelector`]: the kinds and how they print | `RouteSelector` and subclasses |
//! | `evaluation.rs` | [`RouteSelectorEvaluation`]: match, quality, segments, status; conditions | `RouteSelectorEvaluation` |
//! | `segment.rs` | the path-segment selectors: constant, parameter, wildcard, tailcard | `PathSegment*RouteSelector` |
//! | `fast_path.rs` | constant routes by one lookup | `RoutingPathTree` |
//! | `path_table.rs` | the perfect hash table `fast_path.rs` looks paths up in | none |
//! | `trailing_slash.rs` | `/a` vs `/a/`, and what `IgnoreTrailingSlash` changes | `TrailingSlashRouteSelector`, `IgnoreTrailingSlash` |
//! | `context.rs` | [`RoutingResolveContext`]: the request, its path cut into segments | `RoutingResolveContext`, `SegmentedPath` |
//! | `resolve.rs` | the search: pruning, comparison, ties, the failure status | `RoutingResolveContext.resolve` |
//! | `result.rs` | [`RoutingResolveResult`]: the chosen route or the failure | `RoutingResolveResult` |
//! | `trace.rs` | the trace text | `RoutingResolveTrace` |
//! | `pipeline.rs` | a route's merged pipeline; [`RouteHandler`] | `RoutingNode.buildPipeline` |
//! | `root.rs` | the `CALL` interceptor: resolve, run, or record the failure | `RoutingRoot` |
//! | `parameters.rs` | [`CallParameters`]: query and path parameters, `get_as` | `RoutingCall.parameters`, `getOrFail` |
//!
//! Ktor: `io.ktor.server.routing`

mod builder;
mod context;
mod display;
mod evaluation;
mod fast_path;
mod parameters;
mod path;
mod path_table;
mod pipeline;
mod resolve;
mod result;
mod root;
mod route;
mod segment;
mod selector;
mod trace;
mod trailing_slash;

#[cfg(test)]
mod tests;

pub use context::RoutingResolveContext;
pub use evaluation::RouteSelectorEvaluation;
pub use parameters::CallParameters;
pub use pipeline::RouteHandler;
pub use result::RoutingResolveResult;
pub use route::Route;
pub use selector::RouteSelector;

pub(crate) use root::RoutingFailure;

//! The fast path: a route made of constant segments is found by one table lookup.
//!
//! The search of `resolve.rs` visits the tree node by node, which is what makes Ktor's rules
//! (qualities, pruning, ties) hold, and what a trace shows. But most requests ask for a route
//! whose path is all constants (`/users/me`, `/plaintext`), and for those the answer is known in
//! advance: every constant selector has the highest quality, 1.0, so a route made only of
//! constant segments and a method beats any other candidate for the same path (a parameter,
//! wildcard or missing optional part scores less at the first position where they differ).
//! Ktor's `RoutingPathTree` rests on the same idea and goes further: its tree of segments also
//! follows plain parameters, wildcards, tailcards and transparent selectors (`authenticate`,
//! say), and leaves to the search what it marks ambiguous. This index is the narrower version:
//! constant routes only, found with one lookup of the whole path.
//!
//! The shortcut is taken only where that argument holds:
//!
//! - the tree has no selector that could tie with a constant at 1.0 (a header, a query
//!   parameter, a trailing-slash selector with more than method routes below it, a method
//!   with routes below it) — otherwise the index is not built at all;
//! - one route only answers the path and method: two (`get("")` and `get("/")`, both the
//!   root's) are ranked by the search, so their path and method are left out of the index;
//! - the request's path needs no decoding (no `%`), and trailing slashes are not being
//!   ignored; a path with an empty segment (`//`, a trailing `/`) is never a key, so it misses;
//! - no tracer is registered (a trace must show the search).
//!
//! Anything else — a miss, a 404 or a 405 — goes through the search, which decides it as if
//! there were no index.
//!
//! # Data flow
//!
//! ```text
//! first call:  tree ──collect──► (path, [(method, child indices)])
//!                   ──each route's endpoint──► (path, [(method, endpoint)]) ──► PathTable (seed, pilots, slots)
//! each call:   path ──hash(seed)──► bucket ──its pilot──► one slot ──same path?──► method ──► endpoint
//! ```
//!
//! The paths are kept in a perfect hash table (`path_table.rs`): built once, when the tree is
//! frozen, it finds a path with one slot read and one compare. What it finds for a method is
//! the route's endpoint (its handlers and merged pipeline, see `pipeline.rs`), copied into the
//! index when it is built, so a lookup need not walk down the tree to the route's node: that
//! walk, a bounds-checked step per segment, and the check of the node's merged-pipeline cache
//! would cost about 40 instructions per call. Copying costs a few `Arc`s per route, once.
//!
//! Ktor: `io.ktor.server.routing.RoutingPathTree`, narrowed to constant routes

use std::collections::BTreeMap;
use std::sync::Arc;

use super::path_table::PathTable;
use super::pipeline::Endpoint;
use super::{Route, RouteHandler, RouteSelector};
use crate::application::ApplicationCall;
use crate::http::HttpMethod;
use crate::pipeline::Pipeline;

/// For each method a constant path answers, the child indices from the root to the method's
/// node: what `collect` finds.
type Found = Vec<(HttpMethod, Vec<usize>)>;

/// For each method a constant path answers, what its route runs.
type Methods = Vec<(HttpMethod, OwnedEndpoint)>;

/// A route's [`Endpoint`], copied into the index: its handlers and its merged pipeline, which
/// share what they hold with the route's own (`Arc`s).
struct OwnedEndpoint {
    handlers: Vec<Arc<dyn RouteHandler>>,
    pipeline: Pipeline<(), ApplicationCall>,
}

/// Constant paths (`/a/b`, `/` for the root) to the routes answering them.
///
/// Built on the first call, once the tree is frozen, it copies what each route runs; every
/// `routing` block drops an index built before it ([`Route::forget_constant_index`]).
pub(crate) struct ConstantIndex {
    routes: PathTable<Methods>,
}

impl ConstantIndex {
    /// The index of the tree below `root`, or `None` if the tree has a selector that could tie
    /// with a constant route (then every call takes the search).
    pub(crate) fn build(root: &Route) -> Option<ConstantIndex> {
        if !root.tracers.is_empty() || !qualifies(root) {
            return None;
        }
        // Sorted, so that the same tree always gives the same table.
        let mut found = BTreeMap::new();
        collect(root, String::new(), &mut Vec::new(), &mut found);
        let endpoint = |indices: &[usize]| {
            let lineage = lineage(root, indices);
            let Endpoint { handlers, pipeline } = lineage[lineage.len() - 1].endpoint(|| lineage);
            OwnedEndpoint {
                handlers: handlers.to_vec(),
                pipeline: pipeline.clone(),
            }
        };
        let routes = found.into_iter().map(|(path, methods): (String, Found)| {
            // A method found twice for one path (`get("")` and `get("/")` both answer `GET /`)
            // is left to the search, which ranks the two by quality and order; the index
            // would only know the first it met.
            let once = |method: &HttpMethod| methods.iter().filter(|(m, _)| m == method).count() == 1;
            let methods = methods
                .iter()
                .filter(|(method, _)| once(method))
                .map(|(method, indices)| (method.clone(), endpoint(indices)))
                .collect();
            (path, methods)
        });
        Some(ConstantIndex {
            routes: PathTable::build(routes.collect()),
        })
    }

    /// What the route answering `call` runs, if the fast path applies and knows it. Inlined
    /// into `route_for`, its one caller: the call, and the answer passed through memory, would
    /// cost 24 instructions.
    #[inline]
    pub(crate) fn lookup(&self, call: &ApplicationCall) -> Option<Endpoint<'_>> {
        let request = call.request();
        // Only a path that decoding left as it was: an escape (`%2F` above all) could make the
        // segments differ from what the text shows.
        if !request.path_is_raw() || call.ignore_trailing_slash {
            return None;
        }
        // A path with an empty segment (`//`, or a trailing `/`) needs no check of its own: no
        // key has one (`collect` joins non-empty segments with `/`), so it misses and takes the
        // search, which decides what an empty segment means.
        let method = request.method();
        let methods = self.routes.get(request.path())?;
        let (_, endpoint) = methods.iter().find(|(m, _)| m == method)?;
        Some(Endpoint {
            handlers: &endpoint.handlers,
            pipeline: &endpoint.pipeline,
        })
    }
}

/// Records the method routes right below `node`, whose path is `path`, then descends through
/// constant children; `indices` leads from the root to `node`.
fn collect(node: &Route, path: String, indices: &mut Vec<usize>, routes: &mut BTreeMap<String, Found>) {
    for (position, child) in node.children.iter().enumerate() {
        indices.push(position);
        match &child.selector {
            RouteSelector::Method(method) if child.has_handler() => {
                let key = if path.is_empty() { "/" } else { &path }.to_string();
                routes
                    .entry(key)
                    .or_default()
                    .push((method.clone(), indices.clone()));
            }
            // A declared segment holding a `/` (`a%2Fb`) is one segment, which a path key
            // cannot tell from two: such routes are left to the search. So are empty ones
            // (only a selector built by hand can be empty), so that no key has `//`.
            RouteSelector::Constant(segment) if !segment.is_empty() && !segment.contains('/') => {
                collect(child, format!("{path}/{segment}"), indices, routes);
            }
            // The root's own routes, `get("/")`, hang below a `<slash>`: the path `/`.
            RouteSelector::TrailingSlash if path.is_empty() => collect(child, path.clone(), indices, routes),
            _ => {}
        }
        indices.pop();
    }
}

/// The nodes from `root` down the child `indices`, both ends included: what the search would
/// have given as the route's lineage. Needed only to build a route's merged pipeline, once.
fn lineage<'r>(root: &'r Route, indices: &[usize]) -> Vec<&'r Route> {
    let mut lineage = Vec::with_capacity(indices.len() + 1);
    let mut node = root;
    lineage.push(node);
    for &position in indices {
        node = &node.children[position];
        lineage.push(node);
    }
    lineage
}

/// Whether `node` is a method selector with nothing below it.
fn is_method_leaf(node: &Route) -> bool {
    matches!(node.selector, RouteSelector::Method(_)) && node.children.is_empty()
}

/// Whether every node below `node` has a selector that scores below a constant when it
/// differs from one (so no route can tie with a constant route).
fn qualifies(node: &Route) -> bool {
    node.children.iter().all(|child| {
        let below_constant = match child.selector {
            // A method with routes below it (`method_route(GET).route("/b", ...)`) answers
            // paths the index does not follow: one of them may tie with a constant route
            // and come first.
            RouteSelector::Method(_) => child.children.is_empty(),
            RouteSelector::Constant(_)
            | RouteSelector::Parameter { .. }
            | RouteSelector::OptionalParameter { .. }
            | RouteSelector::Wildcard
            | RouteSelector::Tailcard { .. } => true,
            // `get("/")` and `get("/a/")` end in a `<slash>`, which is transparent in the middle
            // of a path: harmless when only method routes hang below it.
            RouteSelector::TrailingSlash => child.children.iter().all(is_method_leaf),
            _ => false,
        };
        below_constant && qualifies(child)
    })
}

#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::Arc;

    use super::*;
    use crate::application::{Application, ApplicationCallPipeline, ApplicationRequest};
    use crate::http::{Headers, HttpVersion};
    use crate::routing::{RoutingResolveContext, RoutingResolveResult};

    /// A tree mixing constants, parameters, optional parts, wildcards and tailcards.
    fn application() -> Arc<Application> {
        Application::from_module(|app| {
            app.routing(|route| {
                route.get("/", async |call| call.respond_text("root").await);
                route.get("/users/me", async |call| call.respond_text("me").await);
                route.get("/users/{id}", async |call| call.respond_text("id").await);
                route.post("/users", async |call| call.respond_text("new").await);
                route.get("/users/{id}/{tab?}", async |call| call.respond_text("tab").await);
                route.get("/files/{path...}", async |call| call.respond_text("file").await);
                route.get("/files/readme", async |call| call.respond_text("readme").await);
                route.get("/*/health", async |call| call.respond_text("health").await);
                route.get("/a/b/c", async |call| call.respond_text("abc").await);
                route.route("/a", |a| {
                    a.get("/{x}/c", async |call| call.respond_text("x").await);
                });
            });
        })
    }

    fn call(application: &Arc<Application>, method: HttpMethod, target: &str) -> ApplicationCall {
        let address: SocketAddr = "127.0.0.1:80".parse().unwrap();
        let request = ApplicationRequest::new(
            method,
            target.to_string(),
            HttpVersion::Http11,
            Headers::new(),
            Vec::new(),
            address,
            address,
        )
        .unwrap();
        ApplicationCall::new(Arc::clone(application), request)
    }

    /// Wherever the fast path answers, it answers what the search answers (the same route's
    /// handlers and pipeline); it answers for plain constant routes and stays out of everything
    /// else.
    #[test]
    fn fast_path_agrees_with_the_search() {
        let application = application();
        let root = application.routing_root().unwrap();
        let index = ConstantIndex::build(root).expect("this tree qualifies");
        let requests = [
            (HttpMethod::Get, "/", true),
            (HttpMethod::Get, "/users/me", true),
            (HttpMethod::Get, "/users/7", false),
            (HttpMethod::Post, "/users", true),
            (HttpMethod::Delete, "/users", false),
            (HttpMethod::Get, "/users/me/", false),
            (HttpMethod::Get, "/users//me", false),
            (HttpMethod::Get, "/files/readme", true),
            (HttpMethod::Get, "/files/other", false),
            (HttpMethod::Get, "/x/health", false),
            (HttpMethod::Get, "/a/b/c", true),
            (HttpMethod::Get, "/a/z/c", false),
            (HttpMethod::Get, "/us%65rs/me", false),
            (HttpMethod::Get, "/nowhere", false),
        ];
        for (method, target, fast) in requests {
            let call = call(&application, method, target);
            let found = index.lookup(&call);
            assert_eq!(found.is_some(), fast, "{target}");
            let Some(found) = found else { continue };
            let context = RoutingResolveContext::new(&call).unwrap();
            let RoutingResolveResult::Success { lineage, .. } = root.resolve(&context) else {
                panic!("the search finds no route for {target}");
            };
            // Every route of this tree has a handler of its own: the same handlers, the same route.
            let route = lineage[lineage.len() - 1];
            let same = found.handlers.len() == route.handlers.len()
                && found
                    .handlers
                    .iter()
                    .zip(&route.handlers)
                    .all(|(a, b)| Arc::ptr_eq(a, b))
                && found.pipeline.interceptor_count()
                    == route.call_pipeline(|| lineage.clone()).interceptor_count();
            assert!(same, "{target}: the fast path and the search disagree");
        }
    }

    /// A `routing` block run after a call was routed (the index then built) is seen by the
    /// next call: the index, which copies what each route runs, is built again.
    #[test]
    fn a_later_routing_block_is_seen() {
        let mut application = Arc::new(Application::new());
        let app = Arc::get_mut(&mut application).unwrap();
        app.routing(|route| {
            route.get("/a", async |call| call.respond_text("a").await);
        });
        let answer = |application: &Arc<Application>| {
            let mut call = call(application, HttpMethod::Get, "/a");
            crate::runtime::block_on(application.execute(&mut call)).unwrap();
            call.response().headers().get("X-Later").map(str::to_string)
        };
        assert_eq!(answer(&application), None);
        let app = Arc::get_mut(&mut application).unwrap();
        app.routing(|route| {
            route.route("/a", |a| {
                a.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
                    ctx.call().response().header("X-Later", "yes")?;
                    Ok(())
                });
            });
        });
        assert_eq!(answer(&application).as_deref(), Some("yes"));
    }

    /// A tree with a header or query condition anywhere gets no index: those could tie.
    #[test]
    fn conditions_disable_the_fast_path() {
        let application = Application::from_module(|app| {
            app.routing(|route| {
                route.get("/a", async |call| call.respond_text("a").await);
                route.header("X-Mode", "beta", |beta| {
                    beta.get("/a", async |call| call.respond_text("beta").await);
                });
            });
        });
        assert!(ConstantIndex::build(application.routing_root().unwrap()).is_none());
    }
}

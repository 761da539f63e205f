//! `Route`: one node of the route tree: its selector, its children, its handlers and its own
//! interceptors.
//!
//! Each `routing` block, `route`, `get` and friends walks down from the node it is called on,
//! creating a child per selector or reusing an equal one (`create_child`), so every declaration
//! of `/users` lands on the same node and the tree has one node per distinct path:
//!
//! ```text
//! get("/users/me")      /
//! get("/users/{id}")    └─ users
//! post("/users")           ├─ me ─── (method:GET)    handler
//!                          ├─ {id} ─ (method:GET)    handler
//!                          └─ (method:POST)          handler
//! ```
//!
//! A node's children are kept in declaration order, which matters: resolution searches them
//! in that order and, when two routes match equally well, keeps the first (see `resolve.rs`).
//!
//! A node also carries what it needs to print itself the way Ktor does (its path and the
//! conditions above it, for `render` in `display.rs`), computed once when the node is created.
//! Ktor computes them on demand by walking up `parent` links; a node here has no parent link,
//! because an owned tree of `Vec<Route>` needs neither reference counting nor interior
//! mutability, and the only walk that needs the ancestors, resolution, goes *down* from the root
//! and can carry them.
//!
//! The tree is built by the modules, then frozen inside the shared `Application`: from then on
//! resolution only reads it.
//!
//! Ktor: `io.ktor.server.routing.RoutingNode` (and the `Route` interface it implements)

use std::sync::{Arc, OnceLock};

use super::fast_path::ConstantIndex;
use super::{RouteHandler, RouteSelector};
use crate::Result;
use crate::application::{
    ApplicationCall, ApplicationCallPipeline, DuplicatePlugin, Plugin, PluginInstance, RouteScopedPlugin,
};
use crate::pipeline::{Pipeline, PipelineContext, PipelinePhase};

/// A function that receives each resolution's trace as text.
pub(crate) type Tracer = Arc<dyn Fn(&str) + Send + Sync>;

/// A node of the route tree, and the builder that `routing` blocks receive.
///
/// ```
/// use mini_ktor::prelude::*;
///
/// let app = Application::from_module(|app| {
///     app.routing(|route| {
///         route.route("/users", |users| {
///             users.get("/me", async |call| call.respond_text("you").await);
///             users.get("/{id}", async |call| {
///                 let id = call.parameters().get_as::<u64>("id")?;
///                 call.respond_text(format!("user {id}")).await
///             });
///         });
///     });
/// });
/// let tree = app.routing_root().unwrap().to_string();
/// let expected = "/\n  users\n    me\n      (method:GET) -> handler\n    {id}\n      (method:GET) -> handler\n";
/// assert_eq!(tree, expected);
/// ```
///
/// Ktor: `io.ktor.server.routing.RoutingNode`
pub struct Route {
    /// The condition on the edge from the parent; `Root` for the routing root.
    pub(super) selector: RouteSelector,
    /// Ktor's `Route.path` of this node (`/users/{id}`), without the conditions. Set at
    /// creation from the parent's.
    pub(super) path: String,
    /// The non-path selectors from the root down to this node (`(header:a = x), (method:GET)`),
    /// joined with `, `. Set at creation from the parent's.
    pub(super) conditions: String,
    /// In declaration order; resolution visits them in this order.
    pub(super) children: Vec<Route>,
    /// What runs when this node is the chosen route, in order, each unless the call is handled.
    pub(super) handlers: Vec<Arc<dyn RouteHandler>>,
    /// This node's own interceptors (`intercept`), in the five phases of the call pipeline.
    pub(super) pipeline: Pipeline<(), ApplicationCall>,
    /// The pipeline a call chosen for this node runs: the pipelines from the root down to here,
    /// merged, plus the handlers. Filled on first use (see `pipeline.rs`); emptied when an
    /// interceptor or handler is added above or here.
    pub(super) merged: OnceLock<Pipeline<(), ApplicationCall>>,
    /// Trace receivers; only the root's are used.
    pub(super) tracers: Vec<Tracer>,
    /// The route-scoped plugins installed here, in installation order: each one's name and
    /// the call pipeline its handlers went into. Kept apart from `pipeline` so that only the
    /// nearest installation of a plugin joins a call's merged pipeline.
    pub(super) plugins: Vec<(&'static str, Pipeline<(), ApplicationCall>)>,
    /// The root's index of constant routes (see `fast_path.rs`), built on the first call;
    /// `None` inside when the tree does not qualify. Unused below the root. Emptied by every
    /// `routing` block, since it copies what each route runs.
    pub(super) constant_index: OnceLock<Option<ConstantIndex>>,
}

impl Route {
    /// The root of an empty route tree.
    ///
    /// Ktor: `RoutingRoot(application)`
    pub(crate) fn root() -> Route {
        Route::new(RouteSelector::Root, String::new(), String::new())
    }

    fn new(selector: RouteSelector, path: String, conditions: String) -> Route {
        Route {
            selector,
            path,
            conditions,
            children: Vec::new(),
            handlers: Vec::new(),
            pipeline: Pipeline::new(&ApplicationCallPipeline::new().phases()),
            merged: OnceLock::new(),
            tracers: Vec::new(),
            plugins: Vec::new(),
            constant_index: OnceLock::new(),
        }
    }

    /// The child reached through `selector`: an existing child with an equal selector, or a new
    /// one appended after the others.
    ///
    /// Ktor: `RoutingNode.createChild(selector)`
    pub fn create_child(&mut self, selector: RouteSelector) -> &mut Route {
        let index = match self.children.iter().position(|child| child.selector == selector) {
            Some(index) => index,
            None => {
                let child = self.child(selector);
                self.children.push(child);
                self.children.len() - 1
            }
        };
        &mut self.children[index]
    }

    /// A new node below this one: its path and conditions extend this node's.
    fn child(&self, selector: RouteSelector) -> Route {
        let mut path = self.path.clone();
        let mut conditions = self.conditions.clone();
        match selector.path_component() {
            // Ktor's `Route.path`: join with `/` unless one side already has it.
            Some(piece) if !piece.is_empty() => {
                if !path.ends_with('/') && !piece.starts_with('/') {
                    path.push('/');
                }
                path.push_str(&piece);
            }
            Some(_) => {}
            None => {
                if !conditions.is_empty() {
                    conditions.push_str(", ");
                }
                conditions.push_str(&selector.to_string());
            }
        }
        Route::new(selector, path, conditions)
    }

    /// Adds `handler` to this node: when a call resolves to this node, its handlers run in the
    /// order they were added, each only if the call is not handled yet.
    ///
    /// Ktor: `Route.handle { }`
    pub fn handle(
        &mut self,
        handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static,
    ) {
        self.handlers.push(Arc::new(handler));
        // Only this node's pipeline holds its handlers.
        self.merged.take();
    }

    /// Adds an interceptor to this node's `phase`. It runs for every call resolved to this node
    /// or to a node below it, after the interceptors of the nodes above in the same phase (see
    /// `pipeline.rs`).
    ///
    /// # Panics
    ///
    /// If `phase` is not one of [`ApplicationCallPipeline`]'s phases.
    ///
    /// Ktor: `Route.intercept(phase) { }` (deprecated there in favour of route-scoped plugins,
    /// [`install`](Self::install) here)
    #[track_caller]
    pub fn intercept(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, (), ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.pipeline.intercept(phase, interceptor);
        // Every merged pipeline below includes this node's interceptors.
        self.forget_merged_pipelines();
    }

    /// Installs a route-scoped plugin on this route: its handlers apply to the calls routed into
    /// this subtree. When a plugin is installed on several routes of one path, the installation
    /// nearest the chosen route wins (its configuration, its handlers); the others stay out of
    /// that call.
    ///
    /// ```
    /// use mini_ktor::application::create_route_scoped_plugin;
    /// use mini_ktor::prelude::*;
    /// use mini_ktor::testing::test_application;
    ///
    /// #[derive(Default)]
    /// struct Tag(&'static str);
    /// let tag = || create_route_scoped_plugin("Tag", Tag::default, |plugin| {
    ///     plugin.on_call(async |call, tag| {
    ///         call.response().header("X-Tag", tag.0)?;
    ///         Ok(())
    ///     });
    /// });
    /// let client = test_application(move |app| {
    ///     app.routing(|root| {
    ///         root.route("/api", |api| {
    ///             api.install(&tag(), |config| config.0 = "api");
    ///             api.get("/a", async |call| call.respond_text("a").await);
    ///             api.route("/admin", |admin| {
    ///                 admin.install(&tag(), |config| config.0 = "admin");
    ///                 admin.get("/b", async |call| call.respond_text("b").await);
    ///             });
    ///         });
    ///         root.get("/c", async |call| call.respond_text("c").await);
    ///     });
    /// });
    /// assert_eq!(client.get("/api/a").header("X-Tag"), Some("api"));
    /// assert_eq!(client.get("/api/admin/b").header("X-Tag"), Some("admin")); // nearest wins
    /// assert_eq!(client.get("/c").header("X-Tag"), None); // outside the subtree
    /// ```
    ///
    /// # Panics
    ///
    /// If the plugin is already installed on this route: the message names it. (One installed
    /// on the application as well is refused when the `routing` block ends, see
    /// [`Application::routing`](crate::application::Application::routing).)
    ///
    /// Ktor: `Route.install(plugin) { }` for a `RouteScopedPlugin`
    pub fn install<C: Send + Sync + 'static>(
        &mut self,
        plugin: &RouteScopedPlugin<C>,
        configure: impl FnOnce(&mut C),
    ) -> Arc<PluginInstance<C>> {
        let name = plugin.name();
        if self.plugins.iter().any(|(installed, _)| *installed == name) {
            panic!("{}", DuplicatePlugin { name });
        }
        let mut pipeline = Pipeline::new(&ApplicationCallPipeline::new().phases());
        let instance = Arc::new(plugin.install_on(&mut pipeline, configure));
        self.plugins.push((name, pipeline));
        self.forget_merged_pipelines();
        instance
    }

    /// Registers `tracer`, which receives the text of every resolution's trace (see
    /// `trace.rs`). Resolving with a tracer costs a few allocations per visited node; without
    /// one, nothing.
    ///
    /// # Panics
    ///
    /// If this is not the routing root: a trace covers the whole tree.
    ///
    /// Ktor: `Routing.trace { }`
    #[track_caller]
    pub fn trace(&mut self, tracer: impl Fn(&str) + Send + Sync + 'static) {
        assert!(
            self.selector == RouteSelector::Root,
            "trace can only be registered on the routing root"
        );
        self.tracers.push(Arc::new(tracer));
    }

    /// The selector on the edge from this node's parent.
    ///
    /// Ktor: `RoutingNode.selector`
    pub fn selector(&self) -> &RouteSelector {
        &self.selector
    }

    /// The children, in declaration order.
    ///
    /// Ktor: `RoutingNode.children`
    pub fn children(&self) -> &[Route] {
        &self.children
    }

    /// Whether a handler was added to this node.
    ///
    /// Ktor: `RoutingNode.hasHandler()`
    pub fn has_handler(&self) -> bool {
        !self.handlers.is_empty()
    }

    /// The path this node matches, without its conditions: `/users/{id}` for the `GET` node
    /// below `{id}`; `""` for the root.
    ///
    /// Ktor: `Route.path`
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The name of a route-scoped plugin installed on this node or below for which `wanted` is
    /// true, if there is one.
    pub(crate) fn find_installed(&self, wanted: &impl Fn(&str) -> bool) -> Option<&'static str> {
        let here = self
            .plugins
            .iter()
            .map(|(name, _)| *name)
            .find(|name| wanted(name));
        here.or_else(|| {
            self.children
                .iter()
                .find_map(|child| child.find_installed(wanted))
        })
    }

    /// Drops the root's index of constant routes, which holds copies of the routes' handlers
    /// and merged pipelines: called whenever a `routing` block may have changed the tree, so
    /// that the next call builds a new one.
    pub(crate) fn forget_constant_index(&mut self) {
        self.constant_index.take();
    }

    /// Empties the merged-pipeline cache of this node and every node below.
    fn forget_merged_pipelines(&mut self) {
        self.merged.take();
        self.constant_index.take();
        for child in &mut self.children {
            child.forget_merged_pipelines();
        }
    }
}

//! The application: the pipeline every call runs through, and what the modules put in it.
//!
//! A Ktor application is built by *modules*, plain functions over the application
//! (`fun Application.module()` in Kotlin, `fn module(app: &mut Application)` here). Modules
//! install interceptors and plugins and declare routes; `embedded_server` runs them once, at
//! start-up, then freezes the result behind an `Arc` that every worker thread shares. From then
//! on the application is read-only: serving a call only reads the pipeline.
//!
//! ```text
//! modules ──► Application { call pipeline, routing } ──Arc──► engine workers
//!                                                              │ one ApplicationCall per request
//!                                                              ▼
//!                                            Application::execute(&mut call)
//! ```
//!
//! Ktor's `Application` *is* an `ApplicationCallPipeline` (it inherits from it) and is also a
//! coroutine scope with an event monitor and a plugin registry. Rust has no inheritance, so the
//! application owns its pipeline and forwards `intercept` to it, and keeps the plugin registry
//! (`plugin.rs`), the attributes and the event monitor (`events.rs`) as fields.
//!
//! Ktor: `io.ktor.server.application.Application`

mod body;
mod call;
mod call_pipeline;
mod error;
mod events;
mod hooks;
mod plugin;
mod plugin_builder;
mod receive_pipeline;
mod request;
mod response;
mod send_pipeline;
mod stream;

pub use body::DeferredBody;
pub use call::ApplicationCall;
pub use call_pipeline::ApplicationCallPipeline;
pub use error::{HttpError, RequestAlreadyConsumed, ResponseAlreadySent};
pub use events::{
    ApplicationStarted, ApplicationStarting, ApplicationStopPreparing, ApplicationStopped,
    ApplicationStopping, Event, Events, ServerReady,
};
pub use hooks::{CallFailed, CallSetup, Hook, ResponseBodyReadyForSend, ResponseSent};
pub use plugin::{DuplicatePlugin, Plugin};
pub use plugin_builder::{
    ApplicationPlugin, PluginBuilder, PluginInstance, PluginTarget, RouteScopedPlugin,
    create_application_plugin, create_route_scoped_plugin,
};
pub use receive_pipeline::{ApplicationReceivePipeline, ReceiveSubject};
pub use request::ApplicationRequest;
pub(crate) use response::is_engine_owned;
pub use response::{ApplicationResponse, OutgoingContent};
pub use send_pipeline::{ApplicationSendPipeline, ResponseMessage};
pub use stream::{BodyWriter, ByteSink, StreamBody};

use std::sync::Arc;

use crate::Result;
use crate::http::{HttpHeaders, HttpStatusCode};
use crate::pipeline::{PipelineContext, PipelinePhase};
use crate::routing::Route;
use crate::util::Attributes;

/// A configured application: its call pipeline and its routes.
///
/// ```
/// use mini_ktor::prelude::*;
///
/// fn module(app: &mut Application) {
///     app.intercept(ApplicationCallPipeline::MONITORING, async |ctx| {
///         ctx.proceed().await?; // everything else runs here
///         let request = ctx.call().request();
///         println!("{} {}", request.method(), request.path());
///         Ok(())
///     });
///     app.routing(|route| {
///         route.get("/", async |call| call.respond_text("Hello World!").await);
///     });
/// }
/// let app = Application::from_module(module);
/// assert_eq!(app.pipeline().phases().len(), 5);
/// ```
///
/// Ktor: `io.ktor.server.application.Application`
pub struct Application {
    pipeline: ApplicationCallPipeline,
    /// The root of the route tree, created by the first `routing` block; read by the routing
    /// interceptor and by `routing_root` (in `routing/root.rs`).
    pub(crate) routing: Option<Route>,
    /// Data that plugins and modules attach to the application.
    attributes: Attributes,
    /// What `receive` runs; every call starts with this one, copied only if it intercepts.
    receive_pipeline: ApplicationReceivePipeline,
    /// What `respond` runs; every call starts with this one, copied only if it intercepts.
    send_pipeline: ApplicationSendPipeline,
    /// The installed plugins, by name.
    plugins: plugin::PluginRegistry,
    /// Lifecycle events and their subscribers.
    monitor: Events,
    /// Where each call's pipeline trace goes, when tracing is on.
    trace_sink: Option<TraceSink>,
}

/// Receives each call's pipeline trace, as text.
///
/// Ktor: none; Ktor has no pipeline trace
pub type TraceSink = Arc<dyn Fn(&str) + Send + Sync>;

impl Application {
    /// An empty application: the five phases, and the fallback that answers what nothing else
    /// did.
    ///
    /// Ktor: the `Application` an engine creates, plus the `Fallback` interceptor of
    /// `BaseApplicationEngine.installDefaultInterceptors`
    pub fn new() -> Application {
        let mut pipeline = ApplicationCallPipeline::new();
        // Ktor's engine installs this interceptor before any module runs, so it is the first
        // in Fallback; doing it here gives the same order.
        pipeline.intercept(ApplicationCallPipeline::FALLBACK, respond_unhandled);
        Application {
            pipeline,
            routing: None,
            attributes: Attributes::new(),
            receive_pipeline: ApplicationReceivePipeline::new(),
            send_pipeline: ApplicationSendPipeline::new(),
            plugins: plugin::PluginRegistry::default(),
            monitor: Events::default(),
            // Tracing can be switched on from outside, with no change to the code.
            trace_sink: std::env::var_os("MINI_KTOR_TRACE")
                .filter(|value| value == "1")
                .map(|_| Arc::new(|trace: &str| eprint!("{trace}")) as TraceSink),
        }
    }

    /// Builds an application by running `module` on a new one, and freezes it for sharing.
    ///
    /// Ktor: loading the modules of an `EmbeddedServer`
    pub fn from_module(module: impl FnOnce(&mut Application)) -> Arc<Application> {
        let mut application = Application::new();
        application.monitor.raise(ApplicationStarting, &application);
        module(&mut application);
        application.monitor.raise(ApplicationStarted, &application);
        Arc::new(application)
    }

    /// Records every call's pipeline trace (see [`PipelineTrace`](crate::pipeline::PipelineTrace))
    /// and hands it to `sink` when the call is answered. Setting `MINI_KTOR_TRACE=1` in the
    /// environment does the same with stderr as the sink.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use mini_ktor::prelude::*;
    /// use mini_ktor::testing::test_application;
    ///
    /// let traces = Arc::new(Mutex::new(String::new()));
    /// let sink = Arc::clone(&traces);
    /// let client = test_application(move |app| {
    ///     app.trace_pipelines(move |trace| sink.lock().unwrap().push_str(trace));
    ///     app.routing(|route| {
    ///         route.get("/", async |call| call.respond_text("hi").await);
    ///     });
    /// });
    /// client.get("/");
    /// let trace = traces.lock().unwrap();
    /// assert!(trace.starts_with("GET /\n"));
    /// assert!(trace.contains("application/Call  mini_ktor::application::route_call  proceeded"));
    /// ```
    ///
    /// Ktor: none; Ktor has no pipeline trace (the nearest is routing's `trace { }`)
    pub fn trace_pipelines(&mut self, sink: impl Fn(&str) + Send + Sync + 'static) {
        self.trace_sink = Some(Arc::new(sink));
    }

    /// Where traces go, if tracing is on.
    pub(crate) fn trace_sink(&self) -> Option<&TraceSink> {
        self.trace_sink.as_ref()
    }

    /// The lifecycle events and their subscribers.
    ///
    /// Ktor: `Application.monitor`
    pub fn monitor(&self) -> &Events {
        &self.monitor
    }

    /// The lifecycle events, to subscribe while the modules run.
    ///
    /// Ktor: `Application.monitor.subscribe(...)`
    pub fn monitor_mut(&mut self) -> &mut Events {
        &mut self.monitor
    }

    /// Adds an interceptor to one of the call pipeline's phases, e.g.
    /// [`ApplicationCallPipeline::MONITORING`].
    ///
    /// # Panics
    ///
    /// If `phase` is not a phase of the call pipeline.
    ///
    /// Ktor: `Application.intercept(phase) { }`
    pub fn intercept(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, (), ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.pipeline.intercept(phase, interceptor);
    }

    /// Adds an interceptor that the pipeline trace shows as `name` (see
    /// [`ApplicationCallPipeline::intercept_named`]).
    ///
    /// Ktor: `Application.intercept(phase) { }`; the name exists only for the trace
    pub fn intercept_named(
        &mut self,
        phase: &'static PipelinePhase,
        name: &'static str,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, (), ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.pipeline.intercept_named(phase, name, interceptor);
    }

    /// Declares routes. The first call installs routing (an interceptor in the `CALL` phase);
    /// later calls add to the same route tree, as several `routing { }` blocks do in Ktor.
    ///
    /// # Panics
    ///
    /// If a route-scoped plugin installed on the application is installed on a route too.
    ///
    /// Ktor: `Application.routing { }`
    pub fn routing(&mut self, build: impl FnOnce(&mut Route)) {
        if self.routing.is_none() {
            self.pipeline.intercept(ApplicationCallPipeline::CALL, route_call);
        }
        let root = self.routing.get_or_insert_with(Route::root);
        build(root);
        // An index built by an earlier call holds what the routes ran then.
        root.forget_constant_index();
        // A plugin installed on the application and again on a route would run twice for the
        // calls routed there; Ktor refuses that too (`DuplicatePluginException`).
        let on_the_application = |name: &str| self.plugins.contains(name);
        if let Some(name) = root.find_installed(&on_the_application) {
            panic!(
                "the plugin `{name}` is installed on the application and on a route: install it \
                 on the routing root instead, and it covers every route once"
            );
        }
    }

    /// The application's attributes: typed data shared by every call (read-only once the
    /// application is built and shared).
    ///
    /// Ktor: `Application.attributes`
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// The application's attributes, to put values while the modules run.
    ///
    /// Ktor: `Application.attributes`
    pub fn attributes_mut(&mut self) -> &mut Attributes {
        &mut self.attributes
    }

    /// The receive pipeline every call starts with.
    ///
    /// Ktor: `Application.receivePipeline`
    pub fn receive_pipeline(&self) -> &ApplicationReceivePipeline {
        &self.receive_pipeline
    }

    /// The receive pipeline, to intercept while the modules run.
    ///
    /// Ktor: `Application.receivePipeline`
    pub fn receive_pipeline_mut(&mut self) -> &mut ApplicationReceivePipeline {
        &mut self.receive_pipeline
    }

    /// The send pipeline every call starts with.
    ///
    /// Ktor: `Application.sendPipeline`
    pub fn send_pipeline(&self) -> &ApplicationSendPipeline {
        &self.send_pipeline
    }

    /// The send pipeline, to intercept while the modules run.
    ///
    /// Ktor: `Application.sendPipeline`
    pub fn send_pipeline_mut(&mut self) -> &mut ApplicationSendPipeline {
        &mut self.send_pipeline
    }

    /// The application's call pipeline.
    ///
    /// Ktor: the `Application` itself, which is an `ApplicationCallPipeline`
    pub fn pipeline(&self) -> &ApplicationCallPipeline {
        &self.pipeline
    }

    /// Runs `call` through the call pipeline. Errors that no interceptor handled are returned;
    /// the engine turns them into a response.
    ///
    /// Ktor: `Application.execute(call)`
    pub async fn execute(&self, call: &mut ApplicationCall) -> Result<()> {
        // The built-in interceptors are the fallback and, once `routing` was called, the routing
        // interceptor before it. When nothing else is installed, running them through the
        // pipeline would only add a boxed future per interceptor and the `proceed` loop, so
        // they are called directly, in the same order and with the same error handling (a
        // failed routing skips the fallback, as `?` out of `proceed` does). A traced call
        // always takes the pipeline, so the trace shows every step.
        let built_in = 1 + usize::from(self.routing.is_some());
        if self.pipeline.interceptor_count() == built_in && call.trace().is_none() {
            if let Some(root) = &self.routing {
                root.execute_call(call).await?;
            }
            // Asked here as well as inside: an answered call, nearly every one, then skips
            // setting up the fallback's future just to hear "nothing to do".
            if call.is_handled() {
                return Ok(());
            }
            return answer_unhandled(call).await;
        }
        // Boxed, to keep the pipeline's state out of the direct way's.
        Box::pin(self.pipeline.execute(call)).await
    }
}

impl Default for Application {
    fn default() -> Self {
        Self::new()
    }
}

/// The routing interceptor, in `CALL`: hands the call to the route tree, which resolves it and
/// runs the chosen route's pipeline (`routing/root.rs`).
///
/// The route tree lives in the application, and the interceptor reaches it through the call,
/// because the interceptor is stored inside that same application and cannot hold a reference
/// to its owner. Ktor's `RoutingRoot` interceptor is a closure over the root for the same job.
async fn route_call(ctx: &mut PipelineContext<'_, (), ApplicationCall>) -> Result<()> {
    let application = Arc::clone(ctx.call().application());
    match &application.routing {
        Some(root) => root.execute_call(ctx.call()).await,
        None => Ok(()),
    }
}

/// The fallback interceptor: a call nobody answered gets the status a handler set, or the one
/// routing recorded (405 when only the method was wrong, 400 for a missing header or query
/// parameter), or `404 Not Found`, with no body. A routing 405 also gets an `Allow` header
/// listing the methods the path answers (RFC 9110 §15.5.6; Ktor sends none).
///
/// Ktor: the `Fallback` interceptor of `BaseApplicationEngine.installDefaultInterceptors`
async fn respond_unhandled(ctx: &mut PipelineContext<'_, (), ApplicationCall>) -> Result<()> {
    answer_unhandled(ctx.call()).await
}

/// What the fallback interceptor does (see [`respond_unhandled`]).
async fn answer_unhandled(call: &mut ApplicationCall) -> Result<()> {
    if call.is_handled() {
        return Ok(());
    }
    let status = match (call.response().status(), call.routing_failure.take()) {
        (Some(status), _) => status,
        (None, None) => HttpStatusCode::NOT_FOUND,
        (None, Some(failure)) => {
            if let Some(allow) = failure.allow_header() {
                call.response().header(HttpHeaders::ALLOW, allow)?;
            }
            failure.status
        }
    };
    // Boxed: this future is part of every call's state, and the send pipeline's would make it
    // several times larger for the one path that needs it.
    Box::pin(call.respond_status(status)).await
}

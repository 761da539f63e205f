//! The builder form of plugins: `create_application_plugin(name, config, |plugin| { ... })`.
//!
//! Writing a plugin as a type with an `install` method means knowing the phases. Ktor 2 added a
//! friendlier form: a plugin is a name, a configuration and a *body* that registers handlers
//! with a builder, each handler named for when it runs rather than for a phase:
//!
//! | builder call | runs in | Ktor |
//! |---|---|---|
//! | `on_call` | call pipeline, `Plugins` | `onCall` |
//! | `on_call_receive` | receive pipeline, `Transform` | `onCallReceive` |
//! | `on_call_respond` | send pipeline, `Transform` | `onCallRespond` |
//! | `on(CallSetup, ..)` | call pipeline, `Setup` | `on(CallSetup)` |
//! | `on(CallFailed, ..)` | a phase before `Setup`, around everything else | `on(CallFailed)` |
//! | `on(ResponseBodyReadyForSend, ..)` | send pipeline, `After` | `on(ResponseBodyReadyForSend)` |
//! | `on(ResponseSent, ..)` | send pipeline, `Engine`, once the response is committed | `on(ResponseSent)` |
//!
//! Each handler receives the plugin's configuration (Ktor's `pluginConfig`), shared by every
//! call through an `Arc`. A hook is a small type implementing [`Hook`] (see `hooks.rs`): it
//! knows which phase to intercept and how to call its handler, exactly as Ktor's
//! `Hook.install` does.
//!
//! Ktor: `io.ktor.server.application.createApplicationPlugin` and `PluginBuilder`

use std::sync::Arc;

use super::hooks::Hook;
use super::plugin::Plugin;
use super::{
    Application, ApplicationCall, ApplicationCallPipeline, ApplicationReceivePipeline,
    ApplicationSendPipeline, ReceiveSubject, ResponseMessage,
};
use crate::Result;
use crate::pipeline::{Interceptor, Named, Pipeline, PipelineContext, PipelinePhase};

/// Creates a plugin named `name` whose configuration starts as `create_config()` and whose
/// `body` registers its handlers when it is installed.
///
/// ```
/// use mini_ktor::application::create_application_plugin;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// #[derive(Default)]
/// struct PoweredByConfig {
///     name: String,
/// }
///
/// fn powered_by() -> mini_ktor::application::ApplicationPlugin<PoweredByConfig> {
///     create_application_plugin("PoweredBy", PoweredByConfig::default, |plugin| {
///         plugin.on_call(async |call, config| {
///             call.response().header("X-Powered-By", config.name.clone())?;
///             Ok(())
///         });
///     })
/// }
///
/// let client = test_application(|app| {
///     app.install(&powered_by(), |config| config.name = "mini-ktor".to_string());
///     app.routing(|route| {
///         route.get("/", async |call| call.respond_text("hi").await);
///     });
/// });
/// assert_eq!(client.get("/").header("X-Powered-By"), Some("mini-ktor"));
/// ```
///
/// Ktor: `createApplicationPlugin(name, createConfiguration) { }`
pub fn create_application_plugin<C: Send + Sync + 'static>(
    name: &'static str,
    create_config: fn() -> C,
    body: impl Fn(&mut PluginBuilder<'_, C>) + Send + Sync + 'static,
) -> ApplicationPlugin<C> {
    ApplicationPlugin {
        name,
        create_config,
        body: Arc::new(body),
    }
}

/// A plugin made by [`create_application_plugin`].
///
/// Ktor: `io.ktor.server.application.ApplicationPlugin` (as returned by `createApplicationPlugin`)
pub struct ApplicationPlugin<C> {
    name: &'static str,
    create_config: fn() -> C,
    body: PluginBody<C>,
}

/// A plugin body: a function over the builder, shared by every installation.
type PluginBody<C> = Arc<dyn Fn(&mut PluginBuilder<'_, C>) + Send + Sync>;

/// Creates a plugin that can be installed on the application *and* on routes, as
/// [`create_application_plugin`] does for the application only. Installed on a route
/// ([`Route::install`](crate::routing::Route::install)), its handlers apply to that route's
/// subtree; installed on several routes of one path, the nearest installation wins.
///
/// Ktor: `createRouteScopedPlugin(name, createConfiguration) { }`
pub fn create_route_scoped_plugin<C: Send + Sync + 'static>(
    name: &'static str,
    create_config: fn() -> C,
    body: impl Fn(&mut PluginBuilder<'_, C>) + Send + Sync + 'static,
) -> RouteScopedPlugin<C> {
    RouteScopedPlugin {
        plugin: create_application_plugin(name, create_config, body),
    }
}

/// A plugin made by [`create_route_scoped_plugin`]: installable on the application and on
/// routes.
///
/// Ktor: `io.ktor.server.application.RouteScopedPlugin`
pub struct RouteScopedPlugin<C> {
    plugin: ApplicationPlugin<C>,
}

impl<C: Send + Sync + 'static> RouteScopedPlugin<C> {
    /// Runs the plugin's body against a route installation's pipeline; returns the instance.
    pub(crate) fn install_on(
        &self,
        pipeline: &mut Pipeline<(), ApplicationCall>,
        configure: impl FnOnce(&mut C),
    ) -> PluginInstance<C> {
        let mut config = (self.plugin.create_config)();
        configure(&mut config);
        self.plugin.run_body(PluginTarget::Route(pipeline), config)
    }
}

impl<C: Send + Sync + 'static> Plugin for RouteScopedPlugin<C> {
    type Config = C;
    type Instance = PluginInstance<C>;

    fn name(&self) -> &'static str {
        self.plugin.name
    }

    fn create_config(&self) -> C {
        (self.plugin.create_config)()
    }

    fn install(&self, application: &mut Application, config: C) -> PluginInstance<C> {
        self.plugin.install(application, config)
    }
}

/// What an installed builder plugin leaves in the registry: its configuration.
///
/// Ktor: `io.ktor.server.application.PluginInstance`
pub struct PluginInstance<C> {
    config: Arc<C>,
}

impl<C> PluginInstance<C> {
    /// The configuration the plugin was installed with.
    ///
    /// Ktor: `PluginBuilder.pluginConfig`
    pub fn config(&self) -> &C {
        &self.config
    }
}

impl<C: Send + Sync + 'static> Plugin for ApplicationPlugin<C> {
    type Config = C;
    type Instance = PluginInstance<C>;

    fn name(&self) -> &'static str {
        self.name
    }

    fn create_config(&self) -> C {
        (self.create_config)()
    }

    fn install(&self, application: &mut Application, config: C) -> PluginInstance<C> {
        self.run_body(PluginTarget::Application(application), config)
    }
}

impl<C: Send + Sync + 'static> ApplicationPlugin<C> {
    /// Runs the plugin's body with a builder on `target`: the application's pipelines, or one
    /// route installation's. Both ways of installing come down to this.
    fn run_body(&self, target: PluginTarget<'_>, config: C) -> PluginInstance<C> {
        let config = Arc::new(config);
        let mut builder = PluginBuilder {
            target,
            config: Arc::clone(&config),
            name: self.name,
        };
        (self.body)(&mut builder);
        PluginInstance { config }
    }
}

/// Where a plugin's handlers go: the application's pipelines, or one route installation's.
///
/// On a route there is only a call pipeline (run for the calls routed into its subtree). A
/// route plugin's receive and send handlers are therefore added to *that call's* copy of the
/// receive or send pipeline, from an interceptor in the route pipeline's first phase, `Setup`;
/// other calls never see them. `Setup` rather than `Plugins`, where the plugin's `on_call`
/// runs: the handlers must be in place before any interceptor of the route can respond (a
/// guard's 401, say, from another plugin installed before this one), as in Ktor, which merges
/// a route's send and receive pipelines into the call before its route interceptors run.
///
/// Ktor: `PluginBuilder`'s pipeline: the application's `ApplicationCallPipeline`, or for a
/// route-scoped plugin the `RoutingNode` it is installed on
pub enum PluginTarget<'a> {
    /// Installed on the application.
    Application(&'a mut Application),
    /// Installed on a route: this installation's own call pipeline.
    Route(&'a mut Pipeline<(), ApplicationCall>),
}

impl PluginTarget<'_> {
    /// Adds a call-pipeline interceptor, named `name` in traces.
    ///
    /// Ktor: `pipeline.intercept(phase) { ... }`, as `onCall` does in `Plugins`
    pub fn intercept_call(
        &mut self,
        phase: &'static PipelinePhase,
        name: &'static str,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, (), ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        match self {
            PluginTarget::Application(application) => application.intercept_named(phase, name, interceptor),
            PluginTarget::Route(pipeline) => {
                pipeline.intercept_shared(phase, Arc::new(Named::new(name, interceptor)))
            }
        }
    }

    /// Inserts a call-pipeline phase before `reference`.
    ///
    /// Ktor: `pipeline.insertPhaseBefore(reference, phase)`
    pub fn insert_call_phase_before(
        &mut self,
        reference: &'static PipelinePhase,
        phase: &'static PipelinePhase,
    ) {
        match self {
            PluginTarget::Application(application) => {
                application.pipeline.insert_phase_before(reference, phase)
            }
            PluginTarget::Route(pipeline) => pipeline.insert_phase_before(reference, phase),
        }
    }

    /// Adds a send-pipeline interceptor (for a route: to each routed call's own copy).
    ///
    /// Ktor: `pipeline.sendPipeline.intercept(phase) { ... }`
    pub fn intercept_send(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: Arc<dyn Interceptor<ResponseMessage, ApplicationCall>>,
    ) {
        match self {
            PluginTarget::Application(application) => application
                .send_pipeline_mut()
                .intercept_shared(phase, interceptor),
            PluginTarget::Route(_) => {
                let name = interceptor.name();
                self.intercept_call(ApplicationCallPipeline::SETUP, name, async move |ctx| {
                    let own = ctx.call().send_pipeline_mut();
                    own.intercept_shared(phase, Arc::clone(&interceptor));
                    Ok(())
                });
            }
        }
    }

    /// Adds a receive-pipeline interceptor (for a route: to each routed call's own copy).
    ///
    /// Ktor: `pipeline.receivePipeline.intercept(phase) { ... }`
    pub fn intercept_receive(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: Arc<dyn Interceptor<ReceiveSubject, ApplicationCall>>,
    ) {
        match self {
            PluginTarget::Application(application) => application
                .receive_pipeline_mut()
                .intercept_shared(phase, interceptor),
            PluginTarget::Route(_) => {
                let name = interceptor.name();
                self.intercept_call(ApplicationCallPipeline::SETUP, name, async move |ctx| {
                    let own = ctx.call().receive_pipeline_mut();
                    own.intercept_shared(phase, Arc::clone(&interceptor));
                    Ok(())
                });
            }
        }
    }
}

/// What a plugin's body registers its handlers with.
///
/// Ktor: `io.ktor.server.application.PluginBuilder`
pub struct PluginBuilder<'a, C> {
    target: PluginTarget<'a>,
    config: Arc<C>,
    /// The plugin's name, for its interceptors' names in traces.
    name: &'static str,
}

impl<C: Send + Sync + 'static> PluginBuilder<'_, C> {
    /// The configuration the plugin is being installed with.
    ///
    /// Ktor: `PluginBuilder.pluginConfig`
    pub fn config(&self) -> &C {
        &self.config
    }

    /// The application the plugin is being installed into, when it is installed on the
    /// application (`None` on a route).
    ///
    /// Ktor: `PluginBuilder.application`
    pub fn application(&mut self) -> Option<&mut Application> {
        match &mut self.target {
            PluginTarget::Application(application) => Some(application),
            PluginTarget::Route(_) => None,
        }
    }

    /// Runs `handler` for every call (or every call routed into the route's subtree), in the
    /// call pipeline's `Plugins` phase. There is no `proceed`: to stop the call, respond (later
    /// handlers check `is_handled`).
    ///
    /// Ktor: `PluginBuilder.onCall { call -> }`
    pub fn on_call(
        &mut self,
        handler: impl AsyncFn(&mut ApplicationCall, &C) -> Result<()> + Send + Sync + 'static,
    ) {
        let config = Arc::clone(&self.config);
        let name = self.label("on_call");
        self.target
            .intercept_call(ApplicationCallPipeline::PLUGINS, name, async move |ctx| {
                handler(ctx.call(), &config).await
            });
    }

    /// Runs `handler` when a call receives its body, in the receive pipeline's `Transform`
    /// phase; it may replace the subject with what the body should become
    /// (`ctx.call().receive_type()` says what was asked for).
    ///
    /// Ktor: `PluginBuilder.onCallReceive { call, body -> }`
    pub fn on_call_receive(
        &mut self,
        handler: impl AsyncFn(&mut PipelineContext<'_, ReceiveSubject, ApplicationCall>, &C) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        let config = Arc::clone(&self.config);
        let name = self.label("on_call_receive");
        let interceptor = Named::new(
            name,
            async move |ctx: &mut PipelineContext<'_, ReceiveSubject, ApplicationCall>| {
                handler(ctx, &config).await
            },
        );
        self.target
            .intercept_receive(ApplicationReceivePipeline::TRANSFORM, Arc::new(interceptor));
    }

    /// Runs `handler` when a call responds, in the send pipeline's `Transform` phase; it may
    /// replace the subject (for instance, serialise a value).
    ///
    /// Ktor: `PluginBuilder.onCallRespond { call, body -> }`
    pub fn on_call_respond(
        &mut self,
        handler: impl AsyncFn(&mut PipelineContext<'_, ResponseMessage, ApplicationCall>, &C) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        let config = Arc::clone(&self.config);
        let name = self.label("on_call_respond");
        let interceptor = Named::new(
            name,
            async move |ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>| {
                handler(ctx, &config).await
            },
        );
        self.target
            .intercept_send(ApplicationSendPipeline::TRANSFORM, Arc::new(interceptor));
    }

    /// Registers `handler` for `hook`.
    ///
    /// Ktor: `PluginBuilder.on(hook, handler)`
    pub fn on<H: Hook<C, F>, F>(&mut self, hook: H, handler: F) {
        let hook_name = std::any::type_name::<H>().rsplit("::").next().unwrap_or("hook");
        let name = self.label(hook_name);
        hook.install(&mut self.target, Arc::clone(&self.config), name, handler);
    }

    /// `"Plugin: what"`, the name its interceptors have in a pipeline trace. Made once per
    /// installation and kept for the program's life (hence leaked: a few bytes per plugin).
    fn label(&self, what: &str) -> &'static str {
        Box::leak(format!("{}: {what}", self.name).into_boxed_str())
    }
}

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
//! call through an `Arc`. A hook is a small type implementing [`Hook`]: it knows which phase to
//! intercept and how to call its handler, exactly as Ktor's `Hook.install` does.
//!
//! Ktor: `io.ktor.server.application.createApplicationPlugin` and `PluginBuilder`

use std::sync::Arc;

use super::plugin::Plugin;
use super::{
    Application, ApplicationCall, ApplicationCallPipeline, ApplicationReceivePipeline,
    ApplicationSendPipeline, ReceiveSubject, ResponseMessage,
};
use crate::pipeline::{PipelineContext, PipelinePhase};
use crate::{Error, Result};

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
    #[allow(clippy::type_complexity)] // the body: a function over the builder, shared
    body: Arc<dyn Fn(&mut PluginBuilder<'_, C>) + Send + Sync>,
}

/// What an installed builder plugin leaves in the registry: its configuration.
///
/// Ktor: `io.ktor.server.application.PluginInstance`
pub struct PluginInstance<C> {
    config: Arc<C>,
}

impl<C> PluginInstance<C> {
    /// The configuration the plugin was installed with.
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
        let config = Arc::new(config);
        let mut builder = PluginBuilder {
            application,
            config: Arc::clone(&config),
            name: self.name,
        };
        (self.body)(&mut builder);
        PluginInstance { config }
    }
}

/// What a plugin's body registers its handlers with.
///
/// Ktor: `io.ktor.server.application.PluginBuilder`
pub struct PluginBuilder<'a, C> {
    application: &'a mut Application,
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

    /// The application the plugin is being installed into.
    ///
    /// Ktor: `PluginBuilder.application`
    pub fn application(&mut self) -> &mut Application {
        self.application
    }

    /// Runs `handler` for every call, in the call pipeline's `Plugins` phase. There is no
    /// `proceed`: to stop the call, respond (later handlers check `is_handled`).
    ///
    /// Ktor: `PluginBuilder.onCall { call -> }`
    pub fn on_call(
        &mut self,
        handler: impl AsyncFn(&mut ApplicationCall, &C) -> Result<()> + Send + Sync + 'static,
    ) {
        let config = Arc::clone(&self.config);
        let name = self.label("on_call");
        self.application
            .intercept_named(ApplicationCallPipeline::PLUGINS, name, async move |ctx| {
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
        self.application.receive_pipeline_mut().intercept_named(
            ApplicationReceivePipeline::TRANSFORM,
            name,
            async move |ctx| handler(ctx, &config).await,
        );
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
        self.application.send_pipeline_mut().intercept_named(
            ApplicationSendPipeline::TRANSFORM,
            name,
            async move |ctx| handler(ctx, &config).await,
        );
    }

    /// Registers `handler` for `hook`.
    ///
    /// Ktor: `PluginBuilder.on(hook, handler)`
    pub fn on<H: Hook<C, F>, F>(&mut self, hook: H, handler: F) {
        let hook_name = std::any::type_name::<H>().rsplit("::").next().unwrap_or("hook");
        let name = self.label(hook_name);
        hook.install(self.application, Arc::clone(&self.config), name, handler);
    }

    /// `"Plugin: what"`, the name its interceptors have in a pipeline trace. Made once per
    /// installation and kept for the program's life (hence leaked: a few bytes per plugin).
    fn label(&self, what: &str) -> &'static str {
        Box::leak(format!("{}: {what}", self.name).into_boxed_str())
    }
}

/// A point in a call's life that a plugin can attach a handler to.
///
/// Ktor: `io.ktor.server.application.Hook`
pub trait Hook<C, F> {
    /// Intercepts what the hook needs so that `handler` runs at its point; the interceptors
    /// are named `name` in pipeline traces.
    fn install(self, application: &mut Application, config: Arc<C>, name: &'static str, handler: F);
}

/// When a call starts, in the call pipeline's `Setup` phase: `handler(call, config)`.
///
/// Ktor: `io.ktor.server.application.hooks.CallSetup`
pub struct CallSetup;

impl<C, F> Hook<C, F> for CallSetup
where
    C: Send + Sync + 'static,
    F: AsyncFn(&mut ApplicationCall, &C) -> Result<()> + Send + Sync + 'static,
{
    fn install(self, application: &mut Application, config: Arc<C>, name: &'static str, handler: F) {
        application.intercept_named(ApplicationCallPipeline::SETUP, name, async move |ctx| {
            handler(ctx.call(), &config).await
        });
    }
}

/// When a call's pipeline fails: `handler(call, error, config)`, from a phase inserted before
/// `Setup` that wraps everything after it. If the handler responds, the error is considered
/// handled; otherwise it goes on to the engine (a 500).
///
/// Ktor: `io.ktor.server.application.hooks.CallFailed`
pub struct CallFailed;

static BEFORE_SETUP: PipelinePhase = PipelinePhase::new("BeforeSetup");

impl<C, F> Hook<C, F> for CallFailed
where
    C: Send + Sync + 'static,
    F: AsyncFn(&mut ApplicationCall, &Error, &C) -> Result<()> + Send + Sync + 'static,
{
    fn install(self, application: &mut Application, config: Arc<C>, name: &'static str, handler: F) {
        application
            .pipeline
            .insert_phase_before(ApplicationCallPipeline::SETUP, &BEFORE_SETUP);
        application.intercept_named(&BEFORE_SETUP, name, async move |ctx| {
            let Err(error) = ctx.proceed().await else {
                return Ok(());
            };
            handler(ctx.call(), &error, &config).await?;
            if ctx.call().is_handled() {
                Ok(())
            } else {
                Err(error)
            }
        });
    }
}

/// When the response's content is ready, in the send pipeline's `After` phase:
/// `handler(ctx, config)`, where `ctx.subject()` is the [`OutgoingContent`](super::OutgoingContent)
/// and may be replaced.
///
/// Ktor: `io.ktor.server.application.hooks.ResponseBodyReadyForSend`
pub struct ResponseBodyReadyForSend;

impl<C, F> Hook<C, F> for ResponseBodyReadyForSend
where
    C: Send + Sync + 'static,
    F: AsyncFn(&mut PipelineContext<'_, ResponseMessage, ApplicationCall>, &C) -> Result<()>
        + Send
        + Sync
        + 'static,
{
    fn install(self, application: &mut Application, config: Arc<C>, name: &'static str, handler: F) {
        application.send_pipeline_mut().intercept_named(
            ApplicationSendPipeline::AFTER,
            name,
            async move |ctx| handler(ctx, &config).await,
        );
    }
}

/// Once the response is committed, in the send pipeline's `Engine` phase:
/// `handler(call, config)`.
///
/// Ktor: `io.ktor.server.application.hooks.ResponseSent`
pub struct ResponseSent;

impl<C, F> Hook<C, F> for ResponseSent
where
    C: Send + Sync + 'static,
    F: AsyncFn(&mut ApplicationCall, &C) -> Result<()> + Send + Sync + 'static,
{
    fn install(self, application: &mut Application, config: Arc<C>, name: &'static str, handler: F) {
        application.send_pipeline_mut().intercept_named(
            ApplicationSendPipeline::ENGINE,
            name,
            async move |ctx| {
                ctx.proceed().await?;
                handler(ctx.call(), &config).await
            },
        );
    }
}

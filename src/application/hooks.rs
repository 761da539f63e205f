//! Hooks: the points in a call's life a plugin can attach a handler to.
//!
//! A hook knows which phase to intercept and how to call its handler, so that a plugin says
//! *when* its code runs (`plugin.on(CallSetup, ...)`) rather than where:
//!
//! | hook | intercepts | handler |
//! |---|---|---|
//! | [`CallSetup`] | call pipeline, `Setup` | `(call, config)` |
//! | [`CallFailed`] | a phase inserted before `Setup`, around the rest | `(call, error, config)` |
//! | [`ResponseBodyReadyForSend`] | send pipeline, `After` | `(ctx, config)`, the content as subject |
//! | [`ResponseSent`] | send pipeline, `Engine`, after the commit | `(call, config)` |
//!
//! Each hook installs into a [`PluginTarget`]: the application's pipelines, or a route
//! installation's (see `plugin_builder.rs`).
//!
//! Ktor: `io.ktor.server.application.Hook` and `io.ktor.server.application.hooks`

use std::sync::Arc;

use super::plugin_builder::PluginTarget;
use super::{ApplicationCall, ApplicationCallPipeline, ApplicationSendPipeline, ResponseMessage};
use crate::pipeline::{Named, PipelineContext, PipelinePhase};
use crate::{Error, Result};

/// A point in a call's life that a plugin can attach a handler to.
///
/// Ktor: `io.ktor.server.application.Hook`
pub trait Hook<C, F> {
    /// Intercepts what the hook needs in `target` so that `handler` runs at its point; the
    /// interceptors are named `name` in pipeline traces.
    ///
    /// Ktor: `Hook.install(pipeline, handler)`
    fn install(self, target: &mut PluginTarget<'_>, config: Arc<C>, name: &'static str, handler: F);
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
    fn install(self, target: &mut PluginTarget<'_>, config: Arc<C>, name: &'static str, handler: F) {
        target.intercept_call(ApplicationCallPipeline::SETUP, name, async move |ctx| {
            handler(ctx.call(), &config).await
        });
    }
}

/// When a call's pipeline fails: `handler(call, error, config)`, from a phase inserted before
/// `Setup` that wraps everything after it. If the handler responds, the error is considered
/// handled; otherwise it goes on to the engine (a 500).
///
/// An error raised after the call was already answered (a handler that responded, then
/// failed) goes on to the engine too, which logs it, whatever the handler did. Ktor's hook
/// keeps such an error once the call is handled, so a plugin that only observes failures
/// (CallLogging here) would silence it; passing it on costs nothing and keeps it visible.
///
/// Ktor: `io.ktor.server.application.hooks.CallFailed`
pub struct CallFailed;

static BEFORE_SETUP: PipelinePhase = PipelinePhase::new("BeforeSetup");

impl<C, F> Hook<C, F> for CallFailed
where
    C: Send + Sync + 'static,
    F: AsyncFn(&mut ApplicationCall, &Error, &C) -> Result<()> + Send + Sync + 'static,
{
    fn install(self, target: &mut PluginTarget<'_>, config: Arc<C>, name: &'static str, handler: F) {
        target.insert_call_phase_before(ApplicationCallPipeline::SETUP, &BEFORE_SETUP);
        target.intercept_call(&BEFORE_SETUP, name, async move |ctx| {
            let Err(error) = ctx.proceed().await else {
                return Ok(());
            };
            let answered_before = ctx.call().is_handled();
            handler(ctx.call(), &error, &config).await?;
            if ctx.call().is_handled() && !answered_before {
                Ok(()) // the handler answered it
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
    fn install(self, target: &mut PluginTarget<'_>, config: Arc<C>, name: &'static str, handler: F) {
        let interceptor = Named::new(
            name,
            async move |ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>| {
                handler(ctx, &config).await
            },
        );
        target.intercept_send(ApplicationSendPipeline::AFTER, Arc::new(interceptor));
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
    fn install(self, target: &mut PluginTarget<'_>, config: Arc<C>, name: &'static str, handler: F) {
        let interceptor = Named::new(
            name,
            async move |ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>| {
                ctx.proceed().await?;
                handler(ctx.call(), &config).await
            },
        );
        target.intercept_send(ApplicationSendPipeline::ENGINE, Arc::new(interceptor));
    }
}

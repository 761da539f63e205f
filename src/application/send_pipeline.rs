//! The send pipeline: what `respond` runs, from any value to bytes the engine can write.
//!
//! ```text
//! call.respond(value)
//!   Before ─► Transform ─► Render ─► (check) ─► ContentEncoding ─► TransferEncoding ─► After ─► Engine
//!   earliest   convert     to an              compress            manual framing      last     commit the
//!   (sessions) objects     OutgoingContent                                            look     response
//! ```
//!
//! The subject starts as whatever the handler passed to `respond` (a `Box<dyn Any>`: text, bytes,
//! a status, a streamed body, or a type of the application's own) and must be an
//! [`OutgoingContent`] once `Render` is over. The default interceptors, installed when the
//! pipeline is created:
//!
//! - in `Render`, [`render_default`] turns `String`, `&'static str`, `Vec<u8>` and
//!   [`HttpStatusCode`] into content; a plugin that renders its own types (JSON, templates)
//!   intercepts `Render` or `Transform` before it;
//! - in a phase inserted after `Render` (Ktor's `BodyTransformationCheckPostRender`), a subject
//!   that is still not content becomes `406 Not Acceptable`: the server could not produce a
//!   representation of what the handler answered;
//! - in `Engine`, the content is committed to the call's response, which the engine then
//!   writes. A second commit is the error "Response has already been sent", where Ktor's
//!   `Engine` interceptor silently skips a call that is already answered: a response given
//!   from inside another one (a status page) therefore has to `finish` the outer run, as
//!   StatusPages does, or the outer `respond` returns that error (the client gets the inner
//!   response either way). Saying so beats dropping a response without a word.
//!
//! Ktor writes to the socket from inside `Engine`. Here the engine writes after the pipeline,
//! so `Engine` only commits; a `ResponseSent`-style hook that runs after `proceed` in `Engine`
//! still sees the response complete.
//!
//! Ktor: `io.ktor.server.response.ApplicationSendPipeline`

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use super::response::OutgoingContent;
use super::{ApplicationCall, ResponseAlreadySent};
use crate::Result;
use crate::http::{ContentType, HttpStatusCode};
use crate::pipeline::{Interceptor, Named, Pipeline, PipelineContext, PipelinePhase};

/// What travels through the send pipeline: the value given to `respond`, then its rendering.
///
/// Ktor: the subject of `ApplicationSendPipeline`, typed `Any`
pub type ResponseMessage = Box<dyn Any>;

static BEFORE: PipelinePhase = PipelinePhase::new("Before");
static TRANSFORM: PipelinePhase = PipelinePhase::new("Transform");
static RENDER: PipelinePhase = PipelinePhase::new("Render");
static CHECK: PipelinePhase = PipelinePhase::new("BodyTransformationCheckPostRender");
static CONTENT_ENCODING: PipelinePhase = PipelinePhase::new("ContentEncoding");
static TRANSFER_ENCODING: PipelinePhase = PipelinePhase::new("TransferEncoding");
static AFTER: PipelinePhase = PipelinePhase::new("After");
static ENGINE: PipelinePhase = PipelinePhase::new("Engine");

/// The pipeline `respond` runs: seven phases from the handler's value to committed content.
///
/// Cloning is cheap (interceptor lists are shared until one side changes), which is how every
/// call gets a copy of its own only when something intercepts it.
///
/// Ktor: `io.ktor.server.response.ApplicationSendPipeline`
#[derive(Clone)]
pub struct ApplicationSendPipeline {
    pipeline: Pipeline<ResponseMessage, ApplicationCall>,
    /// Whether only the default interceptors are installed. Then running the pipeline on
    /// content that is already rendered would only commit it, and `respond` skips the run
    /// (see [`ApplicationSendPipeline::commits_content_as_is`]).
    defaults_only: bool,
}

impl ApplicationSendPipeline {
    /// The earliest phase: Sessions write their cookie here.
    ///
    /// Ktor: `ApplicationSendPipeline.Before`
    pub const BEFORE: &'static PipelinePhase = &BEFORE;
    /// Converting objects, e.g. serialising them; `on_call_respond` plugins run here.
    ///
    /// Ktor: `ApplicationSendPipeline.Transform`
    pub const TRANSFORM: &'static PipelinePhase = &TRANSFORM;
    /// Turning the subject into [`OutgoingContent`]; after it nothing else is accepted.
    ///
    /// Ktor: `ApplicationSendPipeline.Render`
    pub const RENDER: &'static PipelinePhase = &RENDER;
    /// Content encoding, such as compression.
    ///
    /// Ktor: `ApplicationSendPipeline.ContentEncoding`
    pub const CONTENT_ENCODING: &'static PipelinePhase = &CONTENT_ENCODING;
    /// Manual transfer encoding.
    ///
    /// Ktor: `ApplicationSendPipeline.TransferEncoding`
    pub const TRANSFER_ENCODING: &'static PipelinePhase = &TRANSFER_ENCODING;
    /// The last application phase: a last look at (or replacement of) the content.
    ///
    /// Ktor: `ApplicationSendPipeline.After`
    pub const AFTER: &'static PipelinePhase = &AFTER;
    /// The engine's phase: the content is committed here.
    ///
    /// Ktor: `ApplicationSendPipeline.Engine`
    pub const ENGINE: &'static PipelinePhase = &ENGINE;

    /// The seven phases, the post-render check, and the default render and commit
    /// interceptors.
    ///
    /// Ktor: `ApplicationSendPipeline()` plus the defaults `BaseApplicationEngine` installs
    pub fn new() -> Self {
        let mut pipeline = Pipeline::new(&[
            Self::BEFORE,
            Self::TRANSFORM,
            Self::RENDER,
            Self::CONTENT_ENCODING,
            Self::TRANSFER_ENCODING,
            Self::AFTER,
            Self::ENGINE,
        ]);
        pipeline.insert_phase_after(Self::RENDER, &CHECK);
        pipeline.intercept(Self::RENDER, render_default);
        pipeline.intercept(&CHECK, refuse_unrendered);
        pipeline.intercept(Self::ENGINE, commit);
        ApplicationSendPipeline {
            pipeline,
            defaults_only: true,
        }
    }

    /// Adds an interceptor to one of the phases.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `ApplicationSendPipeline.intercept(phase) { }`
    pub fn intercept(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, ResponseMessage, ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.defaults_only = false;
        self.pipeline.intercept(phase, interceptor);
    }

    /// Adds an interceptor that is already shared (see [`Pipeline::intercept_shared`]).
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `Pipeline.intercept(phase, block)`
    pub fn intercept_shared(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: Arc<dyn Interceptor<ResponseMessage, ApplicationCall>>,
    ) {
        self.defaults_only = false;
        self.pipeline.intercept_shared(phase, interceptor);
    }

    /// Adds an interceptor that the pipeline trace shows as `name`.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `ApplicationSendPipeline.intercept(phase) { }`; the name exists only for the trace
    pub fn intercept_named(
        &mut self,
        phase: &'static PipelinePhase,
        name: &'static str,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, ResponseMessage, ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.defaults_only = false;
        self.pipeline
            .intercept_shared(phase, Arc::new(Named::new(name, interceptor)));
    }

    /// Whether running this pipeline on already rendered [`OutgoingContent`] would do nothing
    /// but commit it: no interceptor was added to the defaults. `respond` then commits directly,
    /// saving the run's boxed futures; the result is the same. (A traced call always runs the
    /// pipeline, so that the trace shows it.)
    pub(crate) fn commits_content_as_is(&self) -> bool {
        self.defaults_only
    }

    /// The phases, in order.
    ///
    /// Ktor: `Pipeline.items`
    pub fn phases(&self) -> Vec<&'static PipelinePhase> {
        self.pipeline.phases()
    }

    /// Runs `message` through the phases for `call`.
    ///
    /// Ktor: `ApplicationSendPipeline.execute(call, message)`, as `call.respond` runs it
    pub async fn execute(&self, call: &mut ApplicationCall, message: ResponseMessage) -> Result<()> {
        match call.trace() {
            None => self.pipeline.execute(call, message).await.map(drop),
            Some(trace) => self
                .pipeline
                .execute_traced(call, message, &trace, "send")
                .await
                .map(drop),
        }
    }
}

impl Default for ApplicationSendPipeline {
    fn default() -> Self {
        Self::new()
    }
}

/// The default rendering (in `Render`): the handler's plain values become content.
///
/// | subject | content | `Content-Type` (unless the handler set one) |
/// |---|---|---|
/// | `String`, `&'static str` | its bytes | `text/plain; charset=UTF-8` |
/// | `Vec<u8>` | the bytes | `application/octet-stream` |
/// | [`HttpStatusCode`] | no body; the status is set | none |
/// | [`OutgoingContent`] | itself | none |
///
/// Ktor: `io.ktor.server.http.content.transformDefaultContent`
async fn render_default(ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>) -> Result<()> {
    let subject = ctx.subject();
    let (content, content_type) = if subject.is::<OutgoingContent>() {
        return Ok(());
    } else if let Some(text) = subject.downcast_ref::<&'static str>() {
        (
            OutgoingContent::Bytes(Cow::Borrowed(text.as_bytes())),
            Some(ContentType::TEXT_PLAIN_UTF8),
        )
    } else if subject.is::<String>() {
        let text = ctx.take_subject::<String>();
        (
            OutgoingContent::Bytes(Cow::Owned(text.into_bytes())),
            Some(ContentType::TEXT_PLAIN_UTF8),
        )
    } else if subject.is::<Vec<u8>>() {
        let bytes = ctx.take_subject::<Vec<u8>>();
        (
            OutgoingContent::Bytes(Cow::Owned(bytes)),
            Some(ContentType::APPLICATION_OCTET_STREAM),
        )
    } else if let Some(&status) = subject.downcast_ref::<HttpStatusCode>() {
        ctx.call().response().set_status(status);
        (OutgoingContent::NoContent, None)
    } else {
        return Ok(()); // not ours: the check after Render decides
    };
    if let Some(content_type) = content_type {
        ctx.call().response().default_content_type(content_type);
    }
    ctx.set_subject(Box::new(content));
    Ok(())
}

/// After `Render`: a subject nobody could render is answered `406 Not Acceptable`.
///
/// Ktor: the `BodyTransformationCheckPostRender` interceptor
async fn refuse_unrendered(ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>) -> Result<()> {
    if !ctx.subject().is::<OutgoingContent>() {
        ctx.call().response().set_status(HttpStatusCode::NOT_ACCEPTABLE);
        ctx.set_subject(Box::new(OutgoingContent::NoContent));
    }
    Ok(())
}

/// In `Engine`: commits the content to the response, for the engine to write; an error if the
/// call is already answered (Ktor skips it instead, see the module docs).
///
/// Ktor: the `Engine`-phase interceptor of `BaseApplicationResponse` (`respondOutgoingContent`)
async fn commit(ctx: &mut PipelineContext<'_, ResponseMessage, ApplicationCall>) -> Result<()> {
    let content = std::mem::replace(ctx.subject_mut(), Box::new(()));
    let content = match content.downcast::<OutgoingContent>() {
        Ok(content) => *content,
        // An interceptor after the check replaced the content with something else.
        Err(_) => return Err("the send pipeline's subject is not OutgoingContent after Render".into()),
    };
    if ctx.call().is_handled() {
        return Err(ResponseAlreadySent.into());
    }
    ctx.call().response().commit(None, content)
}

//! The receive pipeline: what `receive::<T>()` runs, from the body's bytes to a `T`.
//!
//! ```text
//! call.receive::<T>()   body bytes ─► Before ─► Transform ─► After ─► a T, or 415
//! ```
//!
//! The subject starts as the request body, a `Vec<u8>` (the engine has read it, sending
//! `100 Continue` first when the client asked for it), and should be a `T` when the pipeline
//! ends. The requested type is on the call ([`ApplicationCall::receive_type`]), so a plugin
//! knows what to produce: a JSON plugin, say, intercepts `Transform` and turns the bytes into the
//! requested struct. The default interceptor, in `Transform`, knows three types:
//!
//! | requested | produced | when it cannot |
//! |---|---|---|
//! | `Vec<u8>` | the bytes, unchanged | – |
//! | `String` | the bytes as UTF-8 | `400 Bad Request` |
//! | [`Parameters`] | an `application/x-www-form-urlencoded` body, decoded | `415 Unsupported Media Type` for another content type |
//!
//! When the subject is still not a `T` at the end, the call fails with `415 Unsupported Media
//! Type`, as Ktor's `CannotTransformContentToTypeException` does.
//!
//! Ktor: `io.ktor.server.request.ApplicationReceivePipeline`

use std::any::{Any, TypeId};
use std::sync::Arc;

use super::{ApplicationCall, HttpError};
use crate::Result;
use crate::http::{self, ContentType, HttpHeaders, HttpStatusCode, Parameters};
use crate::pipeline::{Interceptor, Named, Pipeline, PipelineContext, PipelinePhase};

/// What travels through the receive pipeline: the body's bytes, then what they became.
///
/// Ktor: the subject of `ApplicationReceivePipeline`, typed `Any`
pub type ReceiveSubject = Box<dyn Any>;

static BEFORE: PipelinePhase = PipelinePhase::new("Before");
static TRANSFORM: PipelinePhase = PipelinePhase::new("Transform");
static AFTER: PipelinePhase = PipelinePhase::new("After");

/// The pipeline `receive` runs: three phases from the body's bytes to the requested type.
///
/// Ktor: `io.ktor.server.request.ApplicationReceivePipeline`
#[derive(Clone)]
pub struct ApplicationReceivePipeline {
    pipeline: Pipeline<ReceiveSubject, ApplicationCall>,
}

impl ApplicationReceivePipeline {
    /// The earliest phase, with the raw bytes.
    ///
    /// Ktor: `ApplicationReceivePipeline.Before`
    pub const BEFORE: &'static PipelinePhase = &BEFORE;
    /// Converting the bytes to the requested type; `on_call_receive` plugins run here.
    ///
    /// Ktor: `ApplicationReceivePipeline.Transform`
    pub const TRANSFORM: &'static PipelinePhase = &TRANSFORM;
    /// The last phase: a last look at what was produced.
    ///
    /// Ktor: `ApplicationReceivePipeline.After`
    pub const AFTER: &'static PipelinePhase = &AFTER;

    /// The three phases and the default transformation.
    ///
    /// Ktor: `ApplicationReceivePipeline()` plus the engine's `installDefaultTransformations`
    pub fn new() -> Self {
        let mut pipeline = Pipeline::new(&[Self::BEFORE, Self::TRANSFORM, Self::AFTER]);
        pipeline.intercept(Self::TRANSFORM, transform_default);
        ApplicationReceivePipeline { pipeline }
    }

    /// Adds an interceptor to one of the phases.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `ApplicationReceivePipeline.intercept(phase) { }`
    pub fn intercept(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, ReceiveSubject, ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
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
        interceptor: Arc<dyn Interceptor<ReceiveSubject, ApplicationCall>>,
    ) {
        self.pipeline.intercept_shared(phase, interceptor);
    }

    /// Adds an interceptor that the pipeline trace shows as `name`.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `ApplicationReceivePipeline.intercept(phase) { }`; the name exists only for the trace
    pub fn intercept_named(
        &mut self,
        phase: &'static PipelinePhase,
        name: &'static str,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, ReceiveSubject, ApplicationCall>) -> Result<()>
        + Send
        + Sync
        + 'static,
    ) {
        self.pipeline
            .intercept_shared(phase, Arc::new(Named::new(name, interceptor)));
    }

    /// The phases, in order.
    ///
    /// Ktor: `Pipeline.items`
    pub fn phases(&self) -> Vec<&'static PipelinePhase> {
        self.pipeline.phases()
    }

    /// Runs the body through the phases for `call` and returns what it became.
    ///
    /// Ktor: `ApplicationReceivePipeline.execute(call, body)`, as `call.receive` runs it
    pub async fn execute(&self, call: &mut ApplicationCall, body: ReceiveSubject) -> Result<ReceiveSubject> {
        match call.trace() {
            None => self.pipeline.execute(call, body).await,
            Some(trace) => self.pipeline.execute_traced(call, body, &trace, "receive").await,
        }
    }
}

impl Default for ApplicationReceivePipeline {
    fn default() -> Self {
        Self::new()
    }
}

/// The default transformation (in `Transform`) of raw bytes into `String` or [`Parameters`].
///
/// Ktor: `io.ktor.server.engine.installDefaultTransformations`
async fn transform_default(ctx: &mut PipelineContext<'_, ReceiveSubject, ApplicationCall>) -> Result<()> {
    let wanted = ctx.call().receive_type();
    if !ctx.subject().is::<Vec<u8>>() || wanted == Some(TypeId::of::<Vec<u8>>()) {
        return Ok(()); // already transformed, or the bytes are what was asked for
    }
    if wanted == Some(TypeId::of::<String>()) {
        let text = String::from_utf8(ctx.take_subject::<Vec<u8>>())
            .map_err(|_| HttpError::bad_request("request body is not valid UTF-8"))?;
        ctx.set_subject(Box::new(text));
    } else if wanted == Some(TypeId::of::<Parameters>()) {
        let content_type = ctx
            .call()
            .request()
            .header(HttpHeaders::CONTENT_TYPE)
            .unwrap_or_default();
        let media_type = ContentType::new(content_type.to_string());
        if !media_type
            .media_type()
            .eq_ignore_ascii_case(ContentType::FORM_URL_ENCODED.as_str())
        {
            let message = format!("expected a form body, got Content-Type {content_type:?}");
            return Err(HttpError::new(HttpStatusCode::UNSUPPORTED_MEDIA_TYPE, message).into());
        }
        let text = String::from_utf8(ctx.take_subject::<Vec<u8>>())
            .map_err(|_| HttpError::bad_request("form body is not valid UTF-8"))?;
        ctx.set_subject(Box::new(http::parse_query(&text)));
    }
    Ok(())
}

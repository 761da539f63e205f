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
//! | `String` | the bytes decoded in the `Content-Type`'s charset, UTF-8 without one | `400 Bad Request` for bytes not in it, `415 Unsupported Media Type` for a charset other than UTF-8, ISO-8859-1 and US-ASCII |
//! | [`Parameters`] | an `application/x-www-form-urlencoded` body, decoded the same way, then its escapes as UTF-8 | `415 Unsupported Media Type` for another content type, and as for `String` |
//!
//! When the subject is still not a `T` at the end, the call fails with `415 Unsupported Media
//! Type`, as Ktor's `CannotTransformContentToTypeException` does.
//!
//! Ktor: `io.ktor.server.request.ApplicationReceivePipeline`

use std::any::{Any, TypeId};
use std::sync::Arc;

use super::{ApplicationCall, HttpError};
use crate::Result;
use crate::http::charset::{self, CharsetError};
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
    let wants_text = wanted == Some(TypeId::of::<String>());
    if !wants_text && wanted != Some(TypeId::of::<Parameters>()) {
        return Ok(()); // a type for another interceptor, or for none (then 415, below)
    }
    let content_type = ctx.call().request().header(HttpHeaders::CONTENT_TYPE);
    let content_type = ContentType::new(content_type.unwrap_or_default().to_string());
    if wants_text {
        let text = decode(ctx.take_subject::<Vec<u8>>(), &content_type, "request body")?;
        ctx.set_subject(Box::new(text));
        return Ok(());
    }
    if !content_type
        .media_type()
        .eq_ignore_ascii_case(ContentType::FORM_URL_ENCODED.as_str())
    {
        let message = format!(
            "expected a form body, got Content-Type {:?}",
            content_type.as_str()
        );
        return Err(HttpError::new(HttpStatusCode::UNSUPPORTED_MEDIA_TYPE, message).into());
    }
    // The charset decodes the body; the escapes in it decode as UTF-8 whatever it is, as
    // Ktor's `parseQueryString` decodes them.
    let text = decode(ctx.take_subject::<Vec<u8>>(), &content_type, "form body")?;
    ctx.set_subject(Box::new(http::parse_query(&text)));
    Ok(())
}

/// The body's text in the charset of `content_type`, or the error to answer: `400` for bytes
/// that are not in it, `415` for a charset this crate does not decode.
///
/// Ktor: the `readText(charset = call.request.contentCharset() ?: Charsets.UTF_8)` of
/// `installDefaultTransformations`
fn decode(body: Vec<u8>, content_type: &ContentType, what: &str) -> Result<String> {
    let charset = content_type.charset();
    charset::decode(body, charset).map_err(|error| {
        let name = charset.unwrap_or("UTF-8");
        match error {
            CharsetError::Malformed => HttpError::bad_request(format!("{what} is not valid {name}")),
            CharsetError::Unsupported => HttpError::new(
                HttpStatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!("{what} is in charset {name:?}; UTF-8, ISO-8859-1 and US-ASCII are supported"),
            ),
        }
        .into()
    })
}

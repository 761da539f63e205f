//! The application call pipeline: the five phases every call goes through.
//!
//! ```text
//! Setup ─► Monitoring ─► Plugins ─► Call ─► Fallback
//! ```
//!
//! | phase | what belongs there (Ktor's own description, paraphrased) |
//! |---|---|
//! | `SETUP` | preparing the call and its attributes |
//! | `MONITORING` | tracing: logging, metrics, error handling around everything else |
//! | `PLUGINS` | most plugins (sessions, authentication, ...) |
//! | `CALL` | processing the call: the routing interceptor and so the handlers run here |
//! | `FALLBACK` | calls that nothing answered: the built-in 404 responder |
//!
//! The subject is `()` (nothing is transformed along the way: the response goes out through
//! `respond`), and the context is the [`ApplicationCall`]. Ktor 3.5.2 added a sixth phase,
//! `Validators`, between Plugins and Call for route-scoped guards; it arrives here with the
//! plugins that need it.
//!
//! Ktor: `io.ktor.server.application.ApplicationCallPipeline`

use std::sync::Arc;

use super::ApplicationCall;
use crate::Result;
use crate::pipeline::{Named, Pipeline, PipelineContext, PipelinePhase};

static SETUP: PipelinePhase = PipelinePhase::new("Setup");
static MONITORING: PipelinePhase = PipelinePhase::new("Monitoring");
static PLUGINS: PipelinePhase = PipelinePhase::new("Plugins");
static CALL: PipelinePhase = PipelinePhase::new("Call");
static FALLBACK: PipelinePhase = PipelinePhase::new("Fallback");

/// The pipeline a call runs through, with its five phases; an
/// [`Application`](super::Application) owns one.
///
/// Ktor: `io.ktor.server.application.ApplicationCallPipeline`
pub struct ApplicationCallPipeline {
    pipeline: Pipeline<(), ApplicationCall>,
}

impl ApplicationCallPipeline {
    /// Phase for preparing the call and its attributes.
    ///
    /// Ktor: `ApplicationCallPipeline.Setup`
    pub const SETUP: &'static PipelinePhase = &SETUP;
    /// Phase for tracing calls: logging, metrics, error handling.
    ///
    /// Ktor: `ApplicationCallPipeline.Monitoring`
    pub const MONITORING: &'static PipelinePhase = &MONITORING;
    /// Phase for plugins; most plugins intercept this one.
    ///
    /// Ktor: `ApplicationCallPipeline.Plugins`
    pub const PLUGINS: &'static PipelinePhase = &PLUGINS;
    /// Phase for processing the call and sending the response: routing runs here.
    ///
    /// Ktor: `ApplicationCallPipeline.Call`
    pub const CALL: &'static PipelinePhase = &CALL;
    /// Phase for calls nothing answered.
    ///
    /// Ktor: `ApplicationCallPipeline.Fallback`
    pub const FALLBACK: &'static PipelinePhase = &FALLBACK;

    /// A pipeline with the five phases and no interceptors.
    ///
    /// Ktor: `ApplicationCallPipeline()`
    pub fn new() -> Self {
        ApplicationCallPipeline {
            pipeline: Pipeline::new(&[
                Self::SETUP,
                Self::MONITORING,
                Self::PLUGINS,
                Self::CALL,
                Self::FALLBACK,
            ]),
        }
    }

    /// Adds an interceptor to `phase`; see [`Pipeline::intercept`].
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `ApplicationCallPipeline.intercept(phase) { }`
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

    /// Inserts `phase` right before `reference` (see [`Pipeline::insert_phase_before`]).
    ///
    /// # Panics
    ///
    /// If `reference` is not one of this pipeline's phases.
    ///
    /// Ktor: `Pipeline.insertPhaseBefore(reference, phase)`
    pub fn insert_phase_before(&mut self, reference: &'static PipelinePhase, phase: &'static PipelinePhase) {
        self.pipeline.insert_phase_before(reference, phase);
    }

    /// Adds an interceptor that the pipeline trace shows as `name`.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    ///
    /// Ktor: `Pipeline.intercept(phase, block)`; the name exists only for the trace
    pub fn intercept_named(
        &mut self,
        phase: &'static PipelinePhase,
        name: &'static str,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, (), ApplicationCall>) -> Result<()>
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

    /// How many interceptors are registered, over all phases.
    pub(crate) fn interceptor_count(&self) -> usize {
        self.pipeline.interceptor_count()
    }

    /// Runs the call through every phase.
    ///
    /// Ktor: `Pipeline.execute(call, Unit)`
    pub async fn execute(&self, call: &mut ApplicationCall) -> Result<()> {
        self.execute_named(call, "application").await
    }

    /// Runs the call through every phase, traced as `pipeline` (a route's pipeline, say).
    ///
    /// Ktor: `Pipeline.execute(call, Unit)`; the name exists only for the trace
    pub async fn execute_named(&self, call: &mut ApplicationCall, pipeline: &'static str) -> Result<()> {
        match call.trace() {
            None => self.pipeline.execute(call, ()).await,
            Some(trace) => self.pipeline.execute_traced(call, (), &trace, pipeline).await,
        }
    }
}

impl Default for ApplicationCallPipeline {
    fn default() -> Self {
        Self::new()
    }
}

/// The call a pipeline runs for, reached from inside an interceptor: `ctx.call()`.
impl<S> PipelineContext<'_, S, ApplicationCall> {
    /// The call this run is for.
    ///
    /// Ktor: `PipelineContext<*, PipelineCall>.call`
    pub fn call(&mut self) -> &mut ApplicationCall {
        self.context()
    }
}

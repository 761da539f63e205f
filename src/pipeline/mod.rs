//! Pipelines: the mechanism behind everything Ktor does with a call.
//!
//! Ktor's documentation calls pipelines "everywhere" and "what makes Ktor asynchronous". A
//! [`Pipeline<S, C>`] is an ordered list of [phases](PipelinePhase), each holding a list of
//! *interceptors*: async functions that receive a [`PipelineContext`] and may run code before
//! and after the rest of the pipeline (see `context.rs` for the onion).
//!
//! Data flow of one run, `pipeline.execute(&mut call, subject)`:
//!
//! 1. the interceptors of all phases, flattened in phase order, were computed when the
//!    pipeline was configured (`flat`);
//! 2. a `PipelineContext` borrows that list, the context and the subject, and `proceed`s from
//!    the first interceptor;
//! 3. when the last `proceed` returns, the final subject is handed back to the caller.
//!
//! The server builds three kinds of pipeline on this one type: the application's call pipeline
//! (subject `()`, context the call), and later the receive and send pipelines.
//!
//! What Ktor does differently: it recomputes the flattened list lazily and shares interceptor
//! lists between pipelines copy-on-write, because pipelines are merged per route and per call.
//! Here the flattened list is rebuilt eagerly on every `intercept`, which happens only while the
//! application is being configured; at request time a run only borrows it.
//!
//! Ktor: `io.ktor.util.pipeline.Pipeline`

mod context;
mod phase;

pub use context::PipelineContext;
pub use phase::PipelinePhase;

use std::sync::Arc;

use crate::{BoxFuture, Result};

/// An interceptor: an async function over a [`PipelineContext`].
///
/// Any `async` closure of the right shape is one, so `intercept` takes closures directly:
/// `pipeline.intercept(&PHASE, async |ctx| { ...; ctx.proceed().await })`. The closure is
/// shared by every worker thread (`Send + Sync`), but the future it returns stays on the worker
/// that runs the call, so it need not be `Send`.
///
/// Ktor: `PipelineInterceptor<TSubject, TContext>` (a `suspend PipelineContext.(TSubject) -> Unit`)
pub trait Interceptor<S, C>: Send + Sync {
    /// Runs the interceptor for one pipeline run.
    fn intercept<'a>(&'a self, context: &'a mut PipelineContext<'_, S, C>) -> BoxFuture<'a, Result<()>>;
}

impl<S, C, F> Interceptor<S, C> for F
where
    F: AsyncFn(&mut PipelineContext<'_, S, C>) -> Result<()> + Send + Sync,
{
    fn intercept<'a>(&'a self, context: &'a mut PipelineContext<'_, S, C>) -> BoxFuture<'a, Result<()>> {
        // One allocation per interceptor per run: the price of storing closures of different
        // types in one list. Ktor pays a similar price in coroutine frames.
        Box::pin(self(context))
    }
}

/// A phase together with the interceptors registered in it, in registration order.
struct PhaseContent<S, C> {
    phase: &'static PipelinePhase,
    interceptors: Vec<Arc<dyn Interceptor<S, C>>>,
}

/// Ordered phases of interceptors over a subject `S`, run for a context `C`.
///
/// ```
/// use mini_ktor::pipeline::{Pipeline, PipelinePhase};
///
/// static OUTER: PipelinePhase = PipelinePhase::new("Outer");
/// static INNER: PipelinePhase = PipelinePhase::new("Inner");
///
/// let mut pipeline: Pipeline<String, Vec<&str>> = Pipeline::new(&[&OUTER, &INNER]);
/// // Registered first, but its phase comes second.
/// pipeline.intercept(&INNER, async |ctx| {
///     ctx.context().push("inner");
///     ctx.set_subject(ctx.subject().to_uppercase());
///     Ok(())
/// });
/// pipeline.intercept(&OUTER, async |ctx| {
///     ctx.context().push("outer: before");
///     ctx.proceed().await?;
///     ctx.context().push("outer: after");
///     Ok(())
/// });
///
/// let mut log = Vec::new();
/// let subject = mini_ktor::runtime::block_on(pipeline.execute(&mut log, "hi".to_string())).unwrap();
/// assert_eq!(subject, "HI");
/// assert_eq!(log, ["outer: before", "inner", "outer: after"]);
/// ```
///
/// Ktor: `io.ktor.util.pipeline.Pipeline<TSubject, TContext>`
pub struct Pipeline<S, C> {
    /// Phases in execution order, each with its interceptors.
    phases: Vec<PhaseContent<S, C>>,
    /// Every interceptor of every phase, flattened in phase order: what a run walks through.
    /// Rebuilt by `intercept` and `add_phase`, borrowed by `execute`.
    flat: Vec<Arc<dyn Interceptor<S, C>>>,
}

impl<S, C> Pipeline<S, C> {
    /// Creates a pipeline with the given phases, in that order.
    ///
    /// Ktor: `Pipeline(vararg phases)`
    pub fn new(phases: &[&'static PipelinePhase]) -> Self {
        let mut pipeline = Pipeline {
            phases: Vec::new(),
            flat: Vec::new(),
        };
        for phase in phases {
            pipeline.add_phase(phase);
        }
        pipeline
    }

    /// Appends a phase at the end; does nothing if it is already present.
    ///
    /// Ktor: `Pipeline.addPhase(phase)`
    pub fn add_phase(&mut self, phase: &'static PipelinePhase) {
        if !self.has_phase(phase) {
            self.phases.push(PhaseContent {
                phase,
                interceptors: Vec::new(),
            });
        }
    }

    /// Whether `phase` (by identity) belongs to this pipeline.
    ///
    /// Ktor: `Pipeline.hasPhase(phase)`
    pub fn has_phase(&self, phase: &PipelinePhase) -> bool {
        self.phases.iter().any(|content| content.phase.is(phase))
    }

    /// The phases, in execution order.
    ///
    /// Ktor: `Pipeline.items`
    pub fn phases(&self) -> Vec<&'static PipelinePhase> {
        self.phases.iter().map(|content| content.phase).collect()
    }

    /// Whether no interceptor is registered in any phase.
    ///
    /// Ktor: `Pipeline.isEmpty`
    pub fn is_empty(&self) -> bool {
        self.flat.is_empty()
    }

    /// Adds `interceptor` at the end of `phase`'s interceptors.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases: that is a mistake in the application's
    /// configuration, found the first time it starts, as Ktor's `InvalidPhaseException` is.
    ///
    /// Ktor: `Pipeline.intercept(phase, block)`
    pub fn intercept(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: impl AsyncFn(&mut PipelineContext<'_, S, C>) -> Result<()> + Send + Sync + 'static,
    ) where
        S: 'static,
        C: 'static,
    {
        self.intercept_shared(phase, Arc::new(interceptor));
    }

    /// [`intercept`](Self::intercept) for an interceptor that is already shared, for instance one
    /// a plugin keeps a handle to.
    ///
    /// # Panics
    ///
    /// If `phase` is not one of this pipeline's phases.
    pub fn intercept_shared(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: Arc<dyn Interceptor<S, C>>,
    ) {
        let Some(content) = self.phases.iter_mut().find(|content| content.phase.is(phase)) else {
            panic!("Phase {phase} was not registered for this pipeline");
        };
        content.interceptors.push(interceptor);
        self.flat = self
            .phases
            .iter()
            .flat_map(|content| content.interceptors.iter().cloned())
            .collect();
    }

    /// Runs every interceptor, phase by phase, for `context`, starting with `subject`, and
    /// returns the final subject. An error that no interceptor handled is returned as is.
    ///
    /// Ktor: `Pipeline.execute(context, subject)`
    pub async fn execute(&self, context: &mut C, subject: S) -> Result<S> {
        let mut run = PipelineContext::new(&self.flat, context, subject);
        run.proceed().await?;
        Ok(run.into_subject())
    }
}

#[cfg(test)]
mod tests;

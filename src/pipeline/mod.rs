//! Pipelines: the mechanism behind everything Ktor does with a call.
//!
//! Ktor's documentation calls pipelines "everywhere" and "what makes Ktor asynchronous". A
//! [`Pipeline<S, C>`] is an ordered list of [phases](PipelinePhase), each holding a list of
//! *interceptors*: async functions that receive a [`PipelineContext`] and may run code before
//! and after the rest of the pipeline (see `context.rs` for the onion).
//!
//! The server builds three kinds of pipeline on this one type: the application's call pipeline
//! (subject `()`, context the call), and later the receive and send pipelines.
//!
//! # Phases and their order
//!
//! Interceptors run phase by phase, so the order of the phases is the order of everything. A
//! phase joins a pipeline in one of three ways, and the pipeline remembers which
//! ([`PhaseRelation`]), because [merging](#merging-how-a-route-inherits-interceptors) replays it:
//!
//! ```text
//! step                                  phases afterwards
//! Pipeline::new(&[SETUP, CALL])         Setup Call
//! insert_phase_after(SETUP, AUTH)       Setup Auth Call
//! insert_phase_after(SETUP, SESSIONS)   Setup Auth Sessions Call                  (1)
//! insert_phase_before(CALL, CHECK)      Setup Auth Sessions Check Call
//! add_phase(FALLBACK)                   Setup Auth Sessions Check Call Fallback
//!
//! phase      Setup  Auth          Sessions      Check         Call  Fallback
//! relation   Last   After(Setup)  After(Setup)  Before(Call)  Last  Last
//! ```
//!
//! (1) is the rule that surprises: `insert_phase_after(r, p)` puts `p` after `r` *and after
//! every phase already placed `After(r)`*, so phases inserted after the same reference keep the
//! order in which they were inserted. `insert_phase_before(r, p)` has no such scan: `p` goes
//! immediately before `r`, which also keeps insertion order (`Check` above sits between
//! `Sessions` and `Call`; a second phase inserted before `Call` would come after `Check`).
//! Inserting a phase that is already there does nothing; naming a reference that is not there is
//! an [`InvalidPhase`] error. `order.rs` has the details.
//!
//! # Running a pipeline
//!
//! One run, `pipeline.execute(&mut call, subject)`:
//!
//! 1. the interceptors of all phases, flattened in phase order, were computed when the
//!    pipeline was configured (`flat`);
//! 2. a `PipelineContext` borrows that list, the context and the subject, and `proceed`s from
//!    the first interceptor;
//! 3. when the last `proceed` returns, the final subject is handed back to the caller.
//!
//! # Merging: how a route inherits interceptors
//!
//! [`merge`](Pipeline::merge) adds another pipeline's phases and interceptors to this one: each
//! missing phase is placed by its recorded relation, then each phase's interceptors are appended
//! *after* the ones already here. Ktor builds the pipeline of a resolved route this way: it
//! starts from an empty pipeline and merges every route on the path, **root first**, so within
//! a phase an ancestor's interceptors run before a descendant's:
//!
//! ```text
//! route          Monitoring      Plugins     Call
//! /              [log]           []          []
//! /api           []              [auth]      []
//! /api/users     [timing]        []          [handler]
//!
//! an empty pipeline, after merge(/), merge(/api), merge(/api/users):
//!                [log, timing]   [auth]      [handler]    runs: log, timing, auth, handler
//! ```
//!
//! (Ktor appends the route's handlers to the `Call` phase after the merge rather than keeping
//! them in the route's own pipeline; they end up last in `Call` all the same.)
//!
//! The first merge into the empty pipeline takes a fast path: it copies the phases and *shares*
//! the interceptor lists instead of copying them. [`Pipeline::merge`] has the example as code;
//! `merge.rs` has the rounds that place phases whose reference arrives later.
//!
//! # Sharing interceptor lists (copy-on-write)
//!
//! Pipelines are copied a lot: per route, as above, and per call for the receive and send
//! pipelines (so that an interceptor one call adds stays with that call). Copying every
//! interceptor list each time would be wasteful, so Ktor shares them: each `PhaseContent` has a
//! `shared` flag, set whenever its list is handed to another pipeline or to the flattened cache,
//! and adding to a shared list copies it first. The pipeline also caches the flattened list and
//! shares it with pipelines merged from it.
//!
//! Here each phase holds an `Arc<Vec<_>>` and adds with [`Arc::make_mut`], which copies the
//! vector only when another `Arc` points at it. The reference count *is* the shared flag, and a
//! more exact one: it drops back to "private" by itself when the other holder goes away, where
//! Ktor's flag stays set. So [`Clone`] costs one `Arc` per phase and copies no list, and
//! intercepting one copy never shows up in the other.
//!
//! The flattened list is an `Arc<[_]>` too, shared by clones. It is rebuilt eagerly by every
//! `intercept` and `merge`, not lazily as in Ktor: that happens while the application is being
//! configured, and rebuilding there keeps `execute` a plain borrow, with no cache to fill behind
//! a `&self` at request time.
//!
//! | file | concept |
//! |---|---|
//! | `phase.rs` | [`PipelinePhase`], [`PhaseRelation`], [`InvalidPhase`] |
//! | `mod.rs` | [`Pipeline`]: its phases, `intercept`, `execute`, sharing |
//! | `interceptor.rs` | [`Interceptor`] (any matching `async` closure is one), [`Named`] |
//! | `order.rs` | `add_phase`, `insert_phase_before`, `insert_phase_after` |
//! | `merge.rs` | `merge`, `merge_phases`, `reset_from` |
//! | `context.rs` | [`PipelineContext`]: `proceed`, `proceed_with`, `finish` |
//! | `trace.rs` | [`PipelineTrace`], [`TraceEntry`], [`Outcome`]: what a traced call went through |
//!
//! Ktor: `io.ktor.util.pipeline.Pipeline`

mod context;
mod interceptor;
mod merge;
mod order;
mod phase;
mod trace;

pub use context::PipelineContext;
pub(crate) use context::Tracing;
pub use interceptor::{Interceptor, Named};
pub use phase::{InvalidPhase, PhaseRelation, PipelinePhase};
pub use trace::{Outcome, PipelineTrace, TraceEntry};

use std::sync::Arc;

use crate::Result;

/// A list of interceptors as a pipeline holds it: shared, copied on write.
type Interceptors<S, C> = Arc<Vec<Arc<dyn Interceptor<S, C>>>>;

/// One slot of a pipeline: a phase, how it was placed, and its interceptors.
///
/// Ktor keeps a bare `PipelinePhase` in the slot until the first `intercept` upgrades it to a
/// `PhaseContent`; a bare phase counts as `Last`. Here every slot is a `PhaseContent` from the
/// start, with `Last` for the phases given to `new` or `add_phase`: the same information without
/// the two shapes.
struct PhaseContent<S, C> {
    phase: &'static PipelinePhase,
    /// Set once, when the phase joins the pipeline; read by `insert_phase_after`'s scan and by
    /// `merge_phases` (on the pipeline merged *from*).
    relation: PhaseRelation,
    /// Registration order. Shared with clones and merged pipelines until one of them adds to
    /// it; `Arc::make_mut` then gives the adder its own copy.
    interceptors: Interceptors<S, C>,
}

impl<S, C> PhaseContent<S, C> {
    fn new(phase: &'static PipelinePhase, relation: PhaseRelation) -> Self {
        PhaseContent {
            phase,
            relation,
            interceptors: Arc::new(Vec::new()),
        }
    }
}

// Written out because `#[derive(Clone)]` would demand `S: Clone` and `C: Clone`, which cloning
// a few `Arc`s does not need.
impl<S, C> Clone for PhaseContent<S, C> {
    fn clone(&self) -> Self {
        PhaseContent {
            phase: self.phase,
            relation: self.relation,
            interceptors: Arc::clone(&self.interceptors),
        }
    }
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
/// Cloning is cheap and gives an independent pipeline: the interceptor lists are shared until
/// either side adds to one (see the module docs on copy-on-write).
///
/// Ktor: `io.ktor.util.pipeline.Pipeline<TSubject, TContext>`
pub struct Pipeline<S, C> {
    /// Phases in execution order, each with its relation and interceptors. Changed only while
    /// the pipeline is configured (`add_phase`, `insert_*`, `intercept`, `merge`).
    phases: Vec<PhaseContent<S, C>>,
    /// Every interceptor of every phase, flattened in phase order: what a run walks through.
    /// Rebuilt by `intercept` and `merge` (inserting a phase adds no interceptor, so it leaves
    /// this alone), borrowed by `execute`, shared by clones.
    flat: Arc<[Arc<dyn Interceptor<S, C>>]>,
}

impl<S, C> Clone for Pipeline<S, C> {
    /// Copies the phase slots and shares every interceptor list and the flattened list.
    ///
    /// Ktor: a fresh pipeline's `resetFrom(from)`, which is how Ktor copies one
    fn clone(&self) -> Self {
        Pipeline {
            phases: self.phases.clone(),
            flat: Arc::clone(&self.flat),
        }
    }
}

impl<S, C> Pipeline<S, C> {
    /// Creates a pipeline with the given phases, in that order (each with relation `Last`).
    ///
    /// Ktor: `Pipeline(vararg phases)`
    pub fn new(phases: &[&'static PipelinePhase]) -> Self {
        let mut pipeline = Pipeline {
            phases: Vec::new(),
            flat: Arc::new([]),
        };
        for phase in phases {
            pipeline.add_phase(phase);
        }
        pipeline
    }

    /// Whether `phase` (by identity) belongs to this pipeline.
    ///
    /// Ktor: `Pipeline.hasPhase(phase)`
    pub fn has_phase(&self, phase: &PipelinePhase) -> bool {
        self.index_of(phase).is_some()
    }

    /// The phases, in execution order.
    ///
    /// Ktor: `Pipeline.items`
    pub fn phases(&self) -> Vec<&'static PipelinePhase> {
        self.phases.iter().map(|content| content.phase).collect()
    }

    /// How `phase` was placed in this pipeline, or `None` if it is not here.
    ///
    /// Ktor: `PhaseContent.relation` (internal in Ktor)
    pub fn relation_of(&self, phase: &PipelinePhase) -> Option<PhaseRelation> {
        self.index_of(phase).map(|index| self.phases[index].relation)
    }

    /// Whether no interceptor is registered in any phase, however many phases there are.
    ///
    /// Ktor: `Pipeline.isEmpty`
    pub fn is_empty(&self) -> bool {
        self.flat.is_empty()
    }

    /// How many interceptors are registered, over all phases.
    ///
    /// Ktor: `Pipeline.interceptorsQuantity` (private there)
    pub fn interceptor_count(&self) -> usize {
        self.flat.len()
    }

    /// The interceptors of `phase`, in registration order; empty for a phase that is not here.
    ///
    /// Ktor hands out the list itself and marks it shared. A borrowed slice needs no mark: the
    /// borrow checker keeps the pipeline from changing while the slice is alive.
    ///
    /// Ktor: `Pipeline.interceptorsForPhase(phase)`
    pub fn interceptors_for_phase(&self, phase: &PipelinePhase) -> &[Arc<dyn Interceptor<S, C>>] {
        match self.index_of(phase) {
            Some(index) => &self.phases[index].interceptors,
            None => &[],
        }
    }

    /// Adds `interceptor` at the end of `phase`'s interceptors.
    ///
    /// # Panics
    ///
    /// With an [`InvalidPhase`] message if `phase` is not one of this pipeline's phases: that is
    /// a mistake in the application's configuration, found the first time it starts, as Ktor's
    /// `InvalidPhaseException` is. The panic points at the caller's line.
    ///
    /// Ktor: `Pipeline.intercept(phase, block)`
    #[track_caller]
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
    ///
    /// Ktor: `Pipeline.intercept(phase, block)`
    #[track_caller]
    pub fn intercept_shared(
        &mut self,
        phase: &'static PipelinePhase,
        interceptor: Arc<dyn Interceptor<S, C>>,
    ) {
        let Some(index) = self.index_of(phase) else {
            panic!("{}", InvalidPhase::new(phase));
        };
        // Copies the list first if a clone or a merged pipeline still shares it.
        Arc::make_mut(&mut self.phases[index].interceptors).push(interceptor);
        self.rebuild_flat();
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

    /// [`execute`](Self::execute), recording every interceptor into `trace` under the name
    /// `pipeline` (see [`PipelineTrace`]).
    ///
    /// Ktor: none; Ktor has no pipeline trace (this is `Pipeline.execute` plus the recording)
    pub async fn execute_traced(
        &self,
        context: &mut C,
        subject: S,
        trace: &PipelineTrace,
        pipeline: &'static str,
    ) -> Result<S> {
        // The phase of each flattened interceptor, computed only for traced runs.
        let phases: Vec<&'static PipelinePhase> = self
            .phases
            .iter()
            .flat_map(|content| std::iter::repeat_n(content.phase, content.interceptors.len()))
            .collect();
        let tracing = Tracing {
            trace,
            pipeline,
            phases: &phases,
        };
        let mut run = PipelineContext::new(&self.flat, context, subject).traced(&tracing);
        run.proceed().await?;
        Ok(run.into_subject())
    }

    /// Where `phase` sits in `phases`, compared by identity.
    fn index_of(&self, phase: &PipelinePhase) -> Option<usize> {
        self.phases.iter().position(|content| content.phase.is(phase))
    }

    /// Recomputes `flat` from the phases. A new `Arc`, so a clone keeps the old list.
    fn rebuild_flat(&mut self) {
        self.flat = self
            .phases
            .iter()
            .flat_map(|content| content.interceptors.iter().cloned())
            .collect();
    }
}

#[cfg(test)]
mod tests;

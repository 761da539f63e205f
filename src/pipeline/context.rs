//! The execution context of one pipeline run: `proceed`, `proceed_with` and `finish`.
//!
//! Ktor's interceptors form an onion. Each interceptor may call `proceed()`, which runs *all the
//! remaining* interceptors and then returns, so the code after `proceed()` runs on the way out:
//!
//! ```text
//! execute ─► logging: before ─► proceed ─► routing: before ─► proceed ─► handler
//!                                                                            │
//!            logging: after ◄──────────── routing: after  ◄──────────────────┘
//! ```
//!
//! The whole mechanism is one index into the flattened list of interceptors and a `finished`
//! flag. [`PipelineContext::proceed`] is a loop that takes the interceptor at `index`, moves the
//! index past it and awaits it; when that interceptor itself calls `proceed`, the same loop runs
//! one level deeper and drains the rest. When the inner loop returns, the index is at the end,
//! so the outer loop has nothing left to do: every interceptor runs exactly once. Three rules of
//! Ktor's `Pipeline.execute` (in ktorio/ktor, `io.ktor.util.pipeline.DebugPipelineContext` is
//! its plain-loop executor) fall out of that loop by themselves:
//!
//! - an interceptor that returns without calling `proceed` or `finish` does not stop anything:
//!   the loop that called it simply moves on to the next one;
//! - `finish` sets the flag, so no further interceptor starts, yet every interceptor suspended in
//!   `proceed` still gets control back and runs its "after" code;
//! - an error returned by an interceptor leaves the loop through `?`, so it comes out of the
//!   innermost pending `proceed` of an earlier interceptor, which may handle it or pass it on.
//!   An error passed on all the way ends the run. An error *handled* unwinds only the calls in
//!   between: when the handler returns, the loop that called it carries on with the
//!   interceptors after the one that failed, exactly as Ktor's loop does. That is why Ktor's
//!   error handlers respond, and why the interceptors after them check whether the call is
//!   already handled.
//!
//! Ktor runs this with a hand-written state machine (`SuspendFunctionGun`) that avoids one
//! coroutine frame per interceptor; its debug executor is the plain loop used here. Because the
//! loop recurses through boxed futures (each interceptor's future is a `Box<dyn Future>`), Rust's
//! rule against directly recursive `async fn`s does not bite: the box breaks the cycle.
//!
//! Ktor: `io.ktor.util.pipeline.PipelineContext`

use std::sync::Arc;

use std::time::Instant;

use super::{Interceptor, PipelinePhase, PipelineTrace};
use crate::Result;

/// One run of a [`Pipeline`](super::Pipeline): the call (`context`), the value travelling
/// through the interceptors (`subject`), and the cursor that `proceed` advances.
///
/// Interceptors receive `&mut PipelineContext` and use it to reach the context, read or replace
/// the subject, and control the flow with [`proceed`](Self::proceed),
/// [`proceed_with`](Self::proceed_with) and [`finish`](Self::finish).
///
/// Ktor: `io.ktor.util.pipeline.PipelineContext`
pub struct PipelineContext<'p, S, C> {
    /// The flattened interceptors of every phase, in phase order. Borrowed from the pipeline,
    /// which outlives the run.
    interceptors: &'p [Arc<dyn Interceptor<S, C>>],
    /// What the pipeline runs for: the `ApplicationCall` for every server pipeline. The same for
    /// all interceptors of one run.
    context: &'p mut C,
    /// The value being transformed: `()` for the call pipeline; the response message for the
    /// send pipeline. Returned by `execute` when the run ends.
    subject: S,
    /// The next interceptor to start. Only ever moves forward, so each one runs once.
    index: usize,
    /// Set by `finish`: no interceptor starts after it.
    finished: bool,
    /// Where to record the run, when it is traced.
    tracing: Option<&'p Tracing<'p>>,
}

/// What a traced run records into, and under which names.
pub(crate) struct Tracing<'t> {
    pub(crate) trace: &'t PipelineTrace,
    pub(crate) pipeline: &'static str,
    /// The phase of each flattened interceptor, by index.
    pub(crate) phases: &'t [&'static PipelinePhase],
}

impl<'p, S, C> PipelineContext<'p, S, C> {
    /// Starts a run at the first interceptor. Used by [`Pipeline::execute`](super::Pipeline::execute).
    pub(crate) fn new(
        interceptors: &'p [Arc<dyn Interceptor<S, C>>],
        context: &'p mut C,
        subject: S,
    ) -> Self {
        PipelineContext {
            interceptors,
            context,
            subject,
            index: 0,
            finished: false,
            tracing: None,
        }
    }

    /// This run, recording into `tracing`.
    pub(crate) fn traced(mut self, tracing: &'p Tracing<'p>) -> Self {
        self.tracing = Some(tracing);
        self
    }

    /// Runs every remaining interceptor to completion, then returns.
    ///
    /// Code placed after `proceed().await` therefore runs once all later interceptors (and the
    /// handler) are done. An error from any of them comes back from this call. Calling it a
    /// second time in the same interceptor returns at once: nothing is left to run.
    ///
    /// Ktor: `PipelineContext.proceed()`
    pub async fn proceed(&mut self) -> Result<()> {
        // Copy the slice reference out, so that borrowing an interceptor from it does not
        // borrow `self`, which the interceptor needs mutably.
        let interceptors = self.interceptors;
        while !self.finished {
            let Some(interceptor) = interceptors.get(self.index) else {
                break;
            };
            self.index += 1;
            match self.tracing {
                None => interceptor.intercept(self).await?,
                Some(tracing) => {
                    let phase = tracing.phases[self.index - 1];
                    let entry = tracing.trace.enter(tracing.pipeline, phase, interceptor.name());
                    let (was_finished, started) = (self.finished, Instant::now());
                    let outcome = interceptor.intercept(self).await;
                    let finished = self.finished && !was_finished;
                    tracing
                        .trace
                        .leave(entry, outcome.is_err(), finished, started.elapsed());
                    outcome?;
                }
            }
        }
        Ok(())
    }

    /// Replaces the subject, then [`proceed`](Self::proceed)s with it.
    ///
    /// Ktor: `PipelineContext.proceedWith(subject)`
    pub async fn proceed_with(&mut self, subject: S) -> Result<()> {
        self.subject = subject;
        self.proceed().await
    }

    /// Stops the run: no further interceptor starts. Interceptors waiting in `proceed` still
    /// resume and run their remaining code.
    ///
    /// Ktor: `PipelineContext.finish()`
    pub fn finish(&mut self) {
        self.finished = true;
    }

    /// Whether [`finish`](Self::finish) was called during this run.
    ///
    /// Ktor: none; Ktor keeps it private (its executors' `finish()` moves their index)
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// The object this pipeline runs for (for the server's pipelines, the call).
    ///
    /// Ktor: `PipelineContext.context`
    pub fn context(&mut self) -> &mut C {
        self.context
    }

    /// The current subject.
    ///
    /// Ktor: `PipelineContext.subject`
    pub fn subject(&self) -> &S {
        &self.subject
    }

    /// The current subject, to change in place (or to take out with `std::mem::replace`).
    ///
    /// Ktor: `PipelineContext.subject` (a `var`)
    pub fn subject_mut(&mut self) -> &mut S {
        &mut self.subject
    }

    /// Replaces the subject without proceeding; later interceptors see the new value.
    ///
    /// Ktor: `PipelineContext.subject = value`
    pub fn set_subject(&mut self, subject: S) {
        self.subject = subject;
    }

    /// Ends the run and hands back the final subject.
    pub(crate) fn into_subject(self) -> S {
        self.subject
    }
}

impl<C> PipelineContext<'_, Box<dyn std::any::Any>, C> {
    /// Takes a type-erased subject out as the `T` the caller has checked it is, leaving `()` in
    /// its place. The receive and send pipelines, whose subjects are `Box<dyn Any>`, use it
    /// when they turn one form of the subject into another.
    pub(crate) fn take_subject<T: std::any::Any>(&mut self) -> T {
        let subject = std::mem::replace(&mut self.subject, Box::new(()));
        *subject.downcast::<T>().expect("the subject's type was checked")
    }
}

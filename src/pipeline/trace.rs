//! The pipeline trace: every interceptor a call went through, as a tree. Ktor has no such thing.
//!
//! Pipelines are invisible by design: a handler never sees the interceptors that wrap it. That
//! is exactly what makes them hard to learn and to debug ("why did my route not run?"). With
//! tracing on, every run of every pipeline of a call (the application's, a route's, each
//! `respond`'s send pipeline, each `receive`'s receive pipeline) records, for each interceptor
//! it starts: the pipeline, the phase, the interceptor's name (its Rust type name: the function,
//! or the closure and where it was written), how it ended and how long it took:
//!
//! ```text
//! GET /hello
//!   application/Monitoring  my_app::module::{{closure}}  proceeded  91µs
//!     application/Call  mini_ktor::application::route_call  proceeded  60µs
//!       route/Call  route handler  proceeded  44µs
//!         send/Render  mini_ktor::application::send_pipeline::render_default  returned  2µs
//!         send/BodyTransformationCheckPostRender  mini_ktor::application::send_pipeline::refuse_unrendered  returned  0µs
//!         send/Engine  mini_ktor::application::send_pipeline::commit  returned  1µs
//!     application/Fallback  mini_ktor::application::respond_unhandled  returned  1µs
//! ```
//!
//! (An application with one interceptor of its own, in `Monitoring`: the route's pipeline runs
//! inside routing's interceptor, the send pipeline inside the handler's `respond`, and the
//! built-in `Fallback` interceptor inside the `Monitoring` one, after `Call`.)
//!
//! Nesting *is* the onion: an interceptor's children ran inside its `proceed` (or inside a
//! `respond` it made). How each one ended:
//!
//! - `proceeded`: others ran inside it (it called `proceed`, or responded);
//! - `finished`: it called `finish`, and nothing ran after it;
//! - `returned`: it returned without either, and the run went on (Ktor's implicit proceed);
//! - `failed`: it returned an error.
//!
//! The trace is recorded only when asked for (see `Application::trace_pipelines`): a run without
//! it calls each interceptor directly, as a pipeline with no trace at all would, after one
//! `Option` check per interceptor (see `PipelineContext::proceed`).
//!
//! Ktor: none; Ktor has no pipeline trace (the nearest is routing's `trace { }`)

use std::cell::RefCell;
use std::fmt::Write;
use std::time::Duration;

use super::PipelinePhase;

/// How an interceptor's part of a run ended.
///
/// Ktor: none; Ktor has no pipeline trace
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Other interceptors ran inside it.
    Proceeded,
    /// It called `finish`.
    Finished,
    /// It returned without proceeding or finishing.
    Returned,
    /// It returned an error.
    Failed,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Proceeded => "proceeded",
            Outcome::Finished => "finished",
            Outcome::Returned => "returned",
            Outcome::Failed => "failed",
        }
    }
}

/// One interceptor's part in a call.
///
/// Ktor: none; Ktor has no pipeline trace
#[derive(Clone, Debug)]
pub struct TraceEntry {
    /// How deep in the onion: 0 for the outermost interceptors.
    pub depth: usize,
    /// Which pipeline: `application`, `route`, `send`, `receive`.
    pub pipeline: &'static str,
    /// The phase it was registered in.
    pub phase: &'static str,
    /// The interceptor's Rust type name.
    pub interceptor: &'static str,
    /// How it ended (`Returned` until it does).
    pub outcome: Outcome,
    /// Time between its start and its end, children included.
    pub elapsed: Duration,
}

/// The trace of one call: entries in the order interceptors started.
///
/// Ktor: none; Ktor has no pipeline trace (the nearest is routing's `RoutingResolveTrace`)
#[derive(Debug, Default)]
pub struct PipelineTrace {
    entries: RefCell<Vec<TraceEntry>>,
    /// The depth of the next interceptor to start.
    depth: std::cell::Cell<usize>,
}

impl PipelineTrace {
    /// An empty trace.
    ///
    /// Ktor: none; Ktor has no pipeline trace
    pub fn new() -> PipelineTrace {
        PipelineTrace::default()
    }

    /// Records that an interceptor starts; returns its entry's index for [`leave`](Self::leave).
    pub(crate) fn enter(
        &self,
        pipeline: &'static str,
        phase: &PipelinePhase,
        interceptor: &'static str,
    ) -> usize {
        let mut entries = self.entries.borrow_mut();
        entries.push(TraceEntry {
            depth: self.depth.get(),
            pipeline,
            phase: phase.name(),
            interceptor,
            outcome: Outcome::Returned,
            elapsed: Duration::ZERO,
        });
        self.depth.set(self.depth.get() + 1);
        entries.len() - 1
    }

    /// Records that the interceptor of entry `index` ended. Whether others ran inside it is
    /// read from the entries recorded since.
    pub(crate) fn leave(&self, index: usize, failed: bool, finished: bool, elapsed: Duration) {
        self.depth.set(self.depth.get().saturating_sub(1));
        let mut entries = self.entries.borrow_mut();
        let had_children = entries.len() > index + 1;
        let entry = &mut entries[index];
        entry.elapsed = elapsed;
        entry.outcome = match (failed, finished, had_children) {
            (true, _, _) => Outcome::Failed,
            (_, _, true) => Outcome::Proceeded,
            (_, true, _) => Outcome::Finished,
            _ => Outcome::Returned,
        };
    }

    /// The entries so far.
    ///
    /// Ktor: none; Ktor has no pipeline trace
    pub fn entries(&self) -> Vec<TraceEntry> {
        self.entries.borrow().clone()
    }

    /// The trace as an indented tree under `title`, one line per interceptor.
    ///
    /// Ktor: none; Ktor has no pipeline trace (compare `RoutingResolveTrace.buildText()`)
    pub fn render(&self, title: &str) -> String {
        let mut text = format!("{title}\n");
        for entry in self.entries.borrow().iter() {
            let indent = "  ".repeat(entry.depth + 1);
            let _ = writeln!(
                text,
                "{indent}{}/{}  {}  {}  {}µs",
                entry.pipeline,
                entry.phase,
                entry.interceptor,
                entry.outcome.as_str(),
                entry.elapsed.as_micros()
            );
        }
        text
    }
}

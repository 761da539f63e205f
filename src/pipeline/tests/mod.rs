//! The pipeline's rules, one named test each: those of Ktor's `io.ktor.util.pipeline.Pipeline`
//! (ktorio/ktor, `ktor-utils/common/src/io/ktor/util/pipeline/`).
//!
//! | file | rules | code under test |
//! |---|---|---|
//! | `execution.rs` | running: `proceed`, `finish`, errors, the subject | `context.rs` |
//! | `phases.rs` | the phase order: `add_phase`, `insert_phase_*`, `intercept` | `order.rs`, `mod.rs` |
//! | `merge.rs` | `merge`, `merge_phases`, `reset_from` | `merge.rs` |
//! | `sharing.rs` | clones and merged pipelines share lists, copy on write | `mod.rs` |
//!
//! The scenarios follow Ktor's own tests (`PipelineTest`, `PipelinePhasesTest`,
//! `PipelineContractsTest`); the tables are ours.

mod execution;
mod merge;
mod phases;
mod sharing;

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use super::*;

static A: PipelinePhase = PipelinePhase::new("A");
static B: PipelinePhase = PipelinePhase::new("B");
static C: PipelinePhase = PipelinePhase::new("C");
static D: PipelinePhase = PipelinePhase::new("D");
static E: PipelinePhase = PipelinePhase::new("E");
/// A phase no test pipeline has.
static MISSING: PipelinePhase = PipelinePhase::new("Missing");

/// What a test run records: one entry per interceptor step.
type Log = Vec<String>;

/// The pipeline type of every test: the subject is a string, the context a log.
type TestPipeline = Pipeline<String, Log>;

/// These interceptors never wait for I/O, so one poll with a no-op waker completes them; no
/// runtime is needed to test the pipeline's rules.
fn run<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("a synchronous pipeline run should complete in one poll"),
    }
}

/// Phases `A B C`, no interceptors.
fn pipeline() -> TestPipeline {
    Pipeline::new(&[&A, &B, &C])
}

/// Appends `entry` to the run's log; returns `Ok` so a one-line interceptor can end with it.
fn push(ctx: &mut PipelineContext<'_, String, Log>, entry: &str) -> Result<()> {
    ctx.context().push(entry.to_string());
    Ok(())
}

/// Adds to `phase` an interceptor that only logs `entry`.
fn log_in(pipeline: &mut TestPipeline, phase: &'static PipelinePhase, entry: &'static str) {
    pipeline.intercept(phase, async move |ctx| push(ctx, entry));
}

/// Runs `pipeline` once and returns what its interceptors logged.
fn log_of(pipeline: &TestPipeline) -> Log {
    let mut log = Log::new();
    run(pipeline.execute(&mut log, String::new())).unwrap();
    log
}

/// The phase names in order, separated by spaces: `"A B C"`.
fn names(pipeline: &TestPipeline) -> String {
    let names: Vec<_> = pipeline.phases().iter().map(|phase| phase.name()).collect();
    names.join(" ")
}

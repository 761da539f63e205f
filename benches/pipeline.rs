//! The per-call cost of an interceptor that only proceeds, in nanoseconds.
//!
//! ```sh
//! cargo bench --bench pipeline
//! ```
//!
//! A std-only measurement (no criterion): a pipeline with N empty interceptors is executed many
//! times with a no-op waker (nothing in it ever waits), and the time per run is compared for
//! N = 0 and N = 16, so the fixed cost of a run cancels out.

use std::future::Future;
use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use mini_ktor::pipeline::{Pipeline, PipelinePhase};

static PHASE: PipelinePhase = PipelinePhase::new("Bench");

/// Polls a future that never waits.
fn run_ready<T>(future: impl Future<Output = T>) -> T {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => unreachable!("nothing in the benchmark waits"),
    }
}

/// Nanoseconds per `execute` of a pipeline with `interceptors` empty interceptors.
fn ns_per_run(interceptors: usize, runs: u32) -> f64 {
    let mut pipeline: Pipeline<u64, u64> = Pipeline::new(&[&PHASE]);
    for _ in 0..interceptors {
        pipeline.intercept(&PHASE, async |ctx| ctx.proceed().await);
    }
    let mut context = 0u64;
    // Warm up caches and the allocator.
    for _ in 0..runs / 10 {
        black_box(run_ready(pipeline.execute(&mut context, 1)).unwrap());
    }
    let start = Instant::now();
    for _ in 0..runs {
        black_box(run_ready(pipeline.execute(black_box(&mut context), 1)).unwrap());
    }
    start.elapsed().as_nanos() as f64 / runs as f64
}

fn main() {
    let runs = 200_000;
    let base = ns_per_run(0, runs);
    let sixteen = ns_per_run(16, runs);
    println!("pipeline run, no interceptors:       {base:8.1} ns");
    println!("pipeline run, 16 empty interceptors: {sixteen:8.1} ns");
    println!(
        "per empty interceptor:               {:8.1} ns",
        (sixteen - base) / 16.0
    );
}

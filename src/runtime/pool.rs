//! [`Runtime`]: several workers, one per core, each a thread running its own `block_on`.
//!
//! # Shape
//!
//! ```text
//!   Runtime ── Sender<Message> ──► worker 0 thread: block_on(job loop) + its tasks + reactor
//!           ── Sender<Message> ──► worker 1 thread: block_on(job loop) + its tasks + reactor
//!           ...
//! ```
//!
//! A worker is built from the single-thread pieces and nothing else: its thread calls
//! `block_on` with a main future that receives boxed jobs from an `mpsc` channel and runs each
//! one. A job usually spawns a task on that worker. Sending a job from another thread goes
//! through the channel's waker, which takes the cross-thread path: the worker's inbox and its
//! doorbell, which interrupts the worker's `epoll_wait`.
//!
//! [`RuntimeHandle::spawn_on`] wraps this for the common case: it ships a `Send` closure to a
//! worker, the closure builds a future *there* (which need not be `Send`: it never moves
//! again), and the outcome comes back through a `oneshot`. This is how an accept loop hands
//! each connection to a worker: the `std::net::TcpStream` moves (it is `Send`), the future
//! serving it does not.
//!
//! Shutting down sends every worker a `Stop` message, then joins the threads. A stopping worker
//! runs the jobs queued before its `Stop`, then leaves `block_on`, which drops its remaining
//! tasks (their `spawn_on` receivers report a cancelled `JoinError`).
//!
//! # Ktor counterpart and what was not chosen
//!
//! Ktor's CIO engine runs connections on a worker group of `workerGroupSize` threads (by
//! default about half the cores plus one) and the calls on a call group. Here one group does
//! both: a request is served start to finish on the worker that owns its connection. Tokio's
//! multi-threaded runtime lets idle threads steal queued tasks from busy ones; that balances
//! uneven load better but requires every task to be `Send`.

use std::cell::Cell;
use std::future::Future;
use std::io;
use std::num::NonZero;
use std::sync::Arc;
use std::thread;

use super::executor::{spawn_supervised, try_block_on};
use super::join::JoinError;
use super::{mpsc, oneshot};

/// What a worker's job loop receives.
enum Message {
    /// Run this closure on the worker (it usually spawns a task).
    Run(Box<dyn FnOnce() + Send>),
    /// Leave the job loop, which ends `block_on` and the thread.
    Stop,
}

thread_local! {
    /// This thread's worker index, set once when a `Runtime` worker thread starts.
    static WORKER_INDEX: Cell<Option<usize>> = const { Cell::new(None) };
}

/// The index of the [`Runtime`] worker running this code, or `None` on any other thread (for
/// example inside a plain [`block_on`](crate::runtime::block_on)).
///
/// Kotlin: (no counterpart; closest is the dispatcher in `coroutineContext`)
pub fn current_worker() -> Option<usize> {
    WORKER_INDEX.get()
}

/// The number of CPUs this process may use (std's estimate), or 1 if unknown. The usual
/// number of workers.
///
/// Kotlin: `Runtime.getRuntime().availableProcessors()`
pub fn available_parallelism() -> usize {
    thread::available_parallelism().map_or(1, NonZero::get)
}

/// A group of worker threads, each with its own executor and reactor.
///
/// Dropping it (or calling [`shutdown`](Runtime::shutdown)) stops and joins every worker.
///
/// ```
/// use mini_ktor::runtime::{block_on, current_worker, Runtime};
///
/// let runtime = Runtime::new(2).unwrap();
/// let answer = runtime.spawn_on(1, || async { current_worker() });
/// assert_eq!(block_on(answer).unwrap().unwrap(), Some(1));
/// runtime.shutdown();
/// ```
///
/// Ktor: the worker group of `io.ktor.server.cio.CIOApplicationEngine` (`workerGroupSize`)
#[derive(Debug)]
pub struct Runtime {
    /// The job channels, one per worker, shared with every `RuntimeHandle`.
    handle: RuntimeHandle,
    /// The worker threads, joined on drop.
    threads: Vec<thread::JoinHandle<()>>,
}

/// A cheap, cloneable, `Send + Sync` handle that can start work on a [`Runtime`]'s workers,
/// for instance from an accept loop running on one of them.
///
/// It does not keep the workers alive: after the runtime shuts down, `spawn_on` still returns
/// a receiver, which reports a `RecvError` because the job was never run.
///
/// Kotlin: `kotlinx.coroutines.CoroutineScope` (something you can `launch` into)
#[derive(Clone)]
pub struct RuntimeHandle {
    workers: Arc<[mpsc::Sender<Message>]>,
}

impl std::fmt::Debug for RuntimeHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuntimeHandle")
            .field("workers", &self.workers.len())
            .finish()
    }
}

impl Runtime {
    /// Starts `workers` threads named `mini-ktor-worker-{i}` and waits until each has its
    /// epoll instance. Fails if `workers` is 0 or a thread or epoll instance cannot be created.
    ///
    /// Ktor: `CIOApplicationEngine.Configuration.workerGroupSize`
    pub fn new(workers: usize) -> io::Result<Runtime> {
        if workers == 0 {
            let message = "a Runtime needs at least one worker";
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        let mut senders = Vec::with_capacity(workers);
        let mut threads = Vec::with_capacity(workers);
        let mut outcome = Ok(());
        for index in 0..workers {
            let (jobs_tx, jobs_rx) = mpsc::channel();
            match start_thread(format!("mini-ktor-worker-{index}"), move || {
                worker_main(index, jobs_rx)
            }) {
                Ok(thread) => {
                    senders.push(jobs_tx);
                    threads.push(thread);
                }
                Err(error) => {
                    outcome = Err(error);
                    break;
                }
            }
        }
        let runtime = Runtime {
            handle: RuntimeHandle {
                workers: senders.into(),
            },
            threads,
        };
        // On error, dropping `runtime` stops the workers that did start.
        outcome.map(|()| runtime)
    }

    /// The number of workers.
    ///
    /// Ktor: `workerGroupSize`
    pub fn workers(&self) -> usize {
        self.handle.workers()
    }

    /// A handle for starting work on this runtime from anywhere, including its own workers.
    ///
    /// Kotlin: `kotlinx.coroutines.CoroutineScope`
    pub fn handle(&self) -> RuntimeHandle {
        self.handle.clone()
    }

    /// Runs `make()` on worker `index` and spawns the future it returns there.
    /// See [`RuntimeHandle::spawn_on`].
    ///
    /// Kotlin: `kotlinx.coroutines.async` (on a chosen dispatcher)
    pub fn spawn_on<F, Fut>(&self, index: usize, make: F) -> oneshot::Receiver<Result<Fut::Output, JoinError>>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        self.handle.spawn_on(index, make)
    }

    /// Stops every worker (each drops its remaining tasks) and joins the threads. Dropping
    /// the runtime does the same.
    ///
    /// Ktor: `ApplicationEngine.stop`
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        for worker in self.handle.workers.iter() {
            let _ = worker.send(Message::Stop); // fails only if the worker already ended
        }
        let me = thread::current().id();
        for thread in self.threads.drain(..) {
            // A runtime dropped by one of its own tasks must not wait for its own thread.
            if thread.thread().id() != me {
                let _ = thread.join(); // a worker that panicked has nothing left to clean
            }
        }
    }
}

impl RuntimeHandle {
    /// The number of workers.
    ///
    /// Ktor: `workerGroupSize`
    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// Runs `make()` on worker `index` and spawns the future it returns there.
    ///
    /// `make` must be `Send` (it travels to the worker); the future it builds need not be. The
    /// receiver yields `Ok(output)`, or `Err(JoinError)` if `make` or the future panicked (the
    /// worker survives), or if the runtime stopped before the task finished. It yields
    /// `Err(RecvError)` if the job never ran (the runtime had already stopped).
    ///
    /// # Panics
    ///
    /// If `index >= self.workers()`.
    ///
    /// Kotlin: `kotlinx.coroutines.async` (on a chosen dispatcher)
    pub fn spawn_on<F, Fut>(&self, index: usize, make: F) -> oneshot::Receiver<Result<Fut::Output, JoinError>>
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future + 'static,
        Fut::Output: Send + 'static,
    {
        let Some(worker) = self.workers.get(index) else {
            panic!(
                "spawn_on: no worker {index}, this runtime has {}",
                self.workers.len()
            );
        };
        let (tx, rx) = oneshot::channel();
        let job = Box::new(move || {
            // `make` runs inside the task, so a panic in it is contained like any other.
            let report = move |outcome| {
                let _ = tx.send(outcome); // nobody listening is fine
            };
            spawn_supervised(async move { make().await }, report);
        });
        // If the worker is gone, the job (and `tx` with it) is dropped: `rx` reports it.
        let _ = worker.send(Message::Run(job));
        rx
    }
}

/// The body of worker thread `index`: a `block_on` running the job loop.
fn worker_main(index: usize, mut jobs: mpsc::Receiver<Message>) -> impl Future<Output = ()> {
    WORKER_INDEX.set(Some(index));
    async move {
        while let Some(Message::Run(job)) = jobs.recv().await {
            job();
        }
    }
}

/// Starts a thread named `name` that runs the future `main()` returns in a `block_on` of its
/// own, and returns once that thread's runtime exists: its epoll instance and eventfd are the
/// file descriptors a thread can lack, and the caller learns of it here, as an error, rather
/// than from a thread that panics later on its own. `main` is called on the new thread, so
/// the future need not be `Send`.
///
/// Every thread with a runtime of its own starts this way: a [`Runtime`]'s workers, the
/// engines' acceptor, and the `Blocking` engine's connection threads.
///
/// Kotlin: `newSingleThreadContext(name)`, then `runBlocking` on it
pub(crate) fn start_thread<F, Fut>(name: String, main: F) -> io::Result<thread::JoinHandle<()>>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (report, ready) = std::sync::mpsc::sync_channel::<io::Result<()>>(1);
    let thread = thread::Builder::new().name(name).spawn(move || {
        let report_ready = report.clone();
        let made = try_block_on(async move {
            let _ = report_ready.send(Ok(()));
            main().await
        });
        if let Err(error) = made {
            let _ = report.send(Err(error));
        }
    })?;
    match ready.recv() {
        Ok(Ok(())) => Ok(thread),
        Ok(Err(error)) => Err(error),
        Err(_) => Err(io::Error::other("a new thread ended before its runtime was made")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::watchdog;
    use crate::runtime::{block_on, sleep};
    use std::time::Duration;

    /// Each job runs on the worker it was sent to, in a thread with the documented name.
    #[test]
    fn spawn_on_runs_on_the_chosen_worker() {
        watchdog(|| {
            let runtime = Runtime::new(2).unwrap();
            assert_eq!(runtime.workers(), 2);
            assert_eq!(current_worker(), None);
            for index in [0, 1, 1, 0] {
                let where_ = runtime.spawn_on(index, || async {
                    let name = thread::current().name().map(str::to_owned);
                    (current_worker(), name)
                });
                let (worker, name) = block_on(where_).unwrap().unwrap();
                assert_eq!(worker, Some(index));
                assert_eq!(name.unwrap(), format!("mini-ktor-worker-{index}"));
            }
            runtime.shutdown();
        });
    }

    /// A job that panics (in its future or in the closure building it) reports a `JoinError`,
    /// and the worker goes on serving later jobs.
    #[test]
    fn a_panicking_job_does_not_kill_its_worker() {
        watchdog(|| {
            let runtime = Runtime::new(1).unwrap();
            let in_future = runtime.spawn_on(0, || async { panic!("job failed") });
            let error = block_on(in_future).unwrap().unwrap_err();
            assert_eq!(error.panic_message(), Some("job failed"));
            let in_make = runtime.spawn_on(0, || -> std::future::Ready<()> { panic!("make failed") });
            let error = block_on(in_make).unwrap().unwrap_err();
            assert_eq!(error.panic_message(), Some("make failed"));
            let later = runtime.spawn_on(0, || async { 7 });
            assert_eq!(block_on(later), Ok(Ok(7)));
        });
    }

    /// Shutdown cancels unfinished tasks (their receivers say so), and jobs sent through a
    /// handle afterwards report that they never ran.
    #[test]
    fn shutdown_cancels_tasks_and_refuses_new_jobs() {
        watchdog(|| {
            let runtime = Runtime::new(2).unwrap();
            let handle = runtime.handle();
            let forever = handle.spawn_on(1, || sleep(Duration::from_secs(3600)));
            // Make sure the sleeping task exists before stopping.
            block_on(runtime.spawn_on(1, || async {})).unwrap().unwrap();
            runtime.shutdown();
            assert!(block_on(forever).unwrap().unwrap_err().is_cancelled());
            assert!(block_on(handle.spawn_on(0, || async {})).is_err());
        });
    }

    /// The types meant to cross threads do (checked at compile time).
    #[test]
    fn cross_thread_types_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Runtime>();
        send_sync::<RuntimeHandle>();
        send_sync::<JoinError>();
        send_sync::<mpsc::Sender<String>>();
        send_sync::<mpsc::Receiver<String>>();
        send_sync::<oneshot::Sender<String>>();
        send_sync::<oneshot::Receiver<String>>();
    }

    /// Zero workers is an error, not a runtime that never runs anything.
    #[test]
    fn zero_workers_is_an_error() {
        let error = Runtime::new(0).unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::InvalidInput);
        assert!(available_parallelism() >= 1);
    }
}

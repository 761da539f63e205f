//! The end of a task: its result, its panic, and the [`JoinHandle`] that waits for them.
//!
//! # How a result travels
//!
//! `spawn` does not hand the user's future to the executor as is. It wraps it in
//! [`supervised`], an `async fn` that:
//!
//! 1. polls the user's future inside `std::panic::catch_unwind`, so a panic stops at the task
//!    boundary instead of unwinding through the executor and killing the worker thread;
//! 2. passes the outcome, `Ok(output)` or `Err(JoinError)` with the panic message, to a
//!    `report` callback. For `spawn`, `report` fills the slot a [`JoinHandle`] waits on; for
//!    `Runtime::spawn_on`, it sends the outcome over a oneshot channel to another thread.
//!
//! If the task is dropped before it finishes (its worker shut down), a guard reports
//! `Err(JoinError)` marked as cancelled, so whoever waits is not left hanging.
//!
//! Catching inside the task, not in the run loop, is what lets the error reach the handle: the
//! wrapper still knows the output type `T`, while the executor only sees `dyn Future<Output=()>`.
//!
//! # Ktor counterpart and what was not chosen
//!
//! Ktor launches each connection in a coroutine under a `SupervisorJob`, so that one failing
//! connection does not cancel its siblings; `supervised` is that idea for one task. A
//! `JoinHandle` is kotlinx.coroutines' `Deferred`: `await` gives the value or rethrows.
//!
//! The handle shares its slot with the task through `Rc<RefCell<..>>`, not `Arc<Mutex<..>>`:
//! both ends live on the same worker, so no lock is needed, and the `Rc` makes the handle
//! `!Send`, which the compiler enforces. Tokio's `JoinHandle` is `Send` because its tasks may
//! move between threads; ours never do.

use std::any::Any;
use std::cell::RefCell;
use std::error::Error;
use std::fmt;
use std::future::{Future, poll_fn};
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use super::task::store_waker;

/// Why a task ended without an output: it panicked, or it was dropped first.
///
/// It is `Send + Sync` (the panic message is copied into a `String`), so it can cross threads,
/// as it does in `Runtime::spawn_on`.
///
/// Kotlin: the exception rethrown by `kotlinx.coroutines.Deferred.await`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JoinError {
    /// `Some(message)` if the task panicked, `None` if it was cancelled.
    panic: Option<String>,
}

impl JoinError {
    /// The error of a task that panicked with `payload` (what `catch_unwind` returns).
    fn panicked(payload: Box<dyn Any + Send>) -> JoinError {
        // `panic!("literal")` carries a `&'static str`; `panic!("{x}")` a `String`.
        let message = match payload.downcast::<String>() {
            Ok(message) => *message,
            Err(payload) => match payload.downcast::<&'static str>() {
                Ok(message) => (*message).to_owned(),
                Err(_) => "(the panic payload is not a string)".to_owned(),
            },
        };
        JoinError { panic: Some(message) }
    }

    /// The error of a task dropped before it finished (its worker stopped).
    fn cancelled() -> JoinError {
        JoinError { panic: None }
    }

    /// Whether the task panicked.
    ///
    /// Kotlin: (an exception other than `CancellationException`)
    pub fn is_panic(&self) -> bool {
        self.panic.is_some()
    }

    /// Whether the task was dropped before finishing, e.g. because its worker shut down.
    ///
    /// Kotlin: `kotlinx.coroutines.CancellationException`
    pub fn is_cancelled(&self) -> bool {
        self.panic.is_none()
    }

    /// The panic message, if the task panicked.
    ///
    /// Kotlin: `Throwable.message`
    pub fn panic_message(&self) -> Option<&str> {
        self.panic.as_deref()
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.panic {
            Some(message) => write!(f, "task panicked: {message}"),
            None => f.write_str("task was cancelled before it finished"),
        }
    }
}

impl Error for JoinError {}

/// Waits for a spawned task and yields `Ok(output)` or `Err(JoinError)`.
///
/// Dropping the handle *detaches* the task: it keeps running, and its output is dropped when it
/// finishes. The handle is `!Send`; await it on the worker that spawned the task.
///
/// Kotlin: `kotlinx.coroutines.Deferred`
#[must_use = "dropping a JoinHandle detaches the task; `.await` it to get the output"]
pub struct JoinHandle<T> {
    slot: Rc<RefCell<Slot<T>>>,
}

/// Shared by a `JoinHandle` and its task's `report` callback.
struct Slot<T> {
    /// Filled exactly once, by the task's end; taken by the handle's poll.
    outcome: Option<Result<T, JoinError>>,
    /// The task awaiting the handle, woken when `outcome` is filled.
    waiter: Option<Waker>,
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let finished = self.slot.borrow().outcome.is_some();
        f.debug_struct("JoinHandle").field("finished", &finished).finish()
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut slot = self.slot.borrow_mut();
        if let Some(outcome) = slot.outcome.take() {
            return Poll::Ready(outcome);
        }
        store_waker(&mut slot.waiter, cx.waker());
        Poll::Pending
    }
}

/// A new handle and the callback that completes it.
pub(crate) fn handle<T>() -> (JoinHandle<T>, impl FnOnce(Result<T, JoinError>)) {
    let slot = Rc::new(RefCell::new(Slot {
        outcome: None,
        waiter: None,
    }));
    let report = {
        let slot = Rc::clone(&slot);
        move |outcome| {
            let waiter = {
                let mut slot = slot.borrow_mut();
                slot.outcome = Some(outcome);
                slot.waiter.take()
            };
            if let Some(waiter) = waiter {
                waiter.wake();
            }
        }
    };
    (JoinHandle { slot }, report)
}

/// Runs `future` to completion with panics contained, then calls `report` with the outcome.
/// If this future is dropped unfinished, `report` gets a cancelled `JoinError`.
pub(crate) async fn supervised<F, R>(future: F, report: R)
where
    F: Future,
    R: FnOnce(Result<F::Output, JoinError>),
{
    let mut report = ReportOnDrop {
        report: Some(report),
        _output: PhantomData,
    };
    let mut future = pin!(future);
    let outcome = poll_fn(|cx| {
        // `AssertUnwindSafe`: after a panic the future is never polled again, only dropped, so
        // no one can observe it half-updated.
        match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(payload) => Poll::Ready(Err(JoinError::panicked(payload))),
        }
    })
    .await;
    if let Some(report) = report.report.take() {
        report(outcome);
    }
}

/// Calls `report` with a cancelled error if dropped before `supervised` used it.
struct ReportOnDrop<T, R: FnOnce(Result<T, JoinError>)> {
    report: Option<R>,
    /// `T` only appears in `R`'s signature; this marker names it for the compiler.
    _output: PhantomData<fn(T)>,
}

impl<T, R: FnOnce(Result<T, JoinError>)> Drop for ReportOnDrop<T, R> {
    fn drop(&mut self) {
        if let Some(report) = self.report.take() {
            report(Err(JoinError::cancelled()));
        }
    }
}

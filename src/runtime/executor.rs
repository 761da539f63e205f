//! The executor of one worker: [`block_on`], [`spawn`] and the run loop.
//!
//! # The run loop
//!
//! `block_on(main)` turns the calling thread into a worker: it creates an executor and a
//! reactor, installs both as "current" for this thread, and loops:
//!
//! ```text
//!   loop {
//!       poll up to BATCH queued tasks          (the main future is one of them)
//!       reactor.turn(timeout)                  (epoll_wait: 0 if tasks are still queued,
//!                                               else until the next timer, else forever)
//!       move tasks woken by other threads      (the inbox) into the local queue
//!   }
//! ```
//!
//! until the main future completes. An idle worker therefore sleeps in `epoll_wait` and uses no
//! CPU; a wake from another thread rings its doorbell to get it out. The batch bound makes a
//! busy worker still look at its sockets regularly, so a few chatty tasks cannot starve I/O.
//!
//! # Tasks
//!
//! A task is a `Pin<Box<dyn Future<Output = ()>>>` in a slab slot. Nothing requires `Send`:
//! a task is created, polled and dropped on one thread, so it may hold `Rc`s and `RefCell`s.
//! The ready queue holds `Arc<TaskWaker>`s (see `task.rs`). Polling one:
//!
//! 1. look up its slot and check the slot still holds *this* waker (`Arc::ptr_eq`): a task
//!    that finished frees its slot, a new task may get the same index, and an old waker woken
//!    late must not poll the newcomer;
//! 2. take the future out of the slot, so the slab is not borrowed while it runs (a task can
//!    then spawn tasks);
//! 3. clear `scheduled`, poll, and put the future back, or free the slot if it finished.
//!
//! The main future is not in the slab. It gets a waker of its own with the reserved index
//! [`MAIN`], and is polled only when that waker was woken, like any task.
//!
//! # Ktor counterpart and what was not chosen
//!
//! `block_on` is `kotlinx.coroutines.runBlocking` and `spawn` is `launch`/`async` on a
//! single-threaded dispatcher. Tokio's default runtime instead shares tasks between threads
//! and lets idle threads steal them: better balance for uneven work, at the price of `Send`
//! futures and cross-thread synchronisation on every wake. A server whose connections are
//! spread evenly over workers gets most of the balance without that price.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::io;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::Ordering::SeqCst;
use std::task::{Context, Poll, Waker};
use std::time::Duration;

use super::join::{self, JoinHandle};
use super::reactor::{self, Reactor};
use super::slab::Slab;
use super::task::{Inbox, Task, TaskWaker};

/// The index reserved for the main future of `block_on`. The slab never reaches it.
const MAIN: usize = usize::MAX;

/// How many queued tasks run before the reactor gets a turn.
const BATCH: usize = 128;

/// The task queues of one worker. Created by `block_on`, dropped when it returns.
struct Executor {
    /// Where other threads queue wakes for us; `Arc` because their wakers point at it.
    inbox: Arc<Inbox>,
    /// This worker's reactor; the run loop calls `turn` on it when tasks are done.
    reactor: Rc<Reactor>,
    /// Tasks woken on this thread, run in FIFO order. Pushed by wakers, popped by `run`.
    local: RefCell<VecDeque<Arc<TaskWaker>>>,
    /// Every live task, by index. A slot lives from `spawn` until the task finishes.
    tasks: RefCell<Slab<Task>>,
    /// An empty vector swapped with the inbox's queue, so draining it does not allocate.
    spare: RefCell<Vec<Arc<TaskWaker>>>,
}

thread_local! {
    /// The executor running on this thread, set for the length of `block_on`.
    static CURRENT: RefCell<Option<Rc<Executor>>> = const { RefCell::new(None) };
}

/// Runs `future` to completion on the current thread, which becomes a worker meanwhile.
///
/// Tasks spawned while it runs make progress alongside `future`. When `future` completes,
/// `block_on` returns at once: tasks still running are **dropped** (cancelled), and their
/// `JoinHandle`s report a cancelled [`JoinError`](crate::runtime::JoinError).
///
/// # Panics
///
/// If called inside a worker (use `.await` or [`spawn`] there), if the OS refuses an epoll
/// instance or an eventfd, or if `future` itself panics (the panic goes on to the caller).
///
/// ```
/// use mini_ktor::runtime::{block_on, spawn};
///
/// let answer = block_on(async {
///     let task = spawn(async { 6 * 7 });
///     task.await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
///
/// Kotlin: `kotlinx.coroutines.runBlocking`
pub fn block_on<F: Future>(future: F) -> F::Output {
    try_block_on(future).unwrap_or_else(|error| panic!("could not start a worker: {error}"))
}

/// [`block_on`] that reports a failure to create the epoll instance or eventfd as an error.
pub(crate) fn try_block_on<F: Future>(future: F) -> io::Result<F::Output> {
    if CURRENT.with_borrow(Option::is_some) {
        panic!("block_on called inside a mini-ktor worker; `.await` the future or `spawn` it");
    }
    let inbox = Arc::new(Inbox::new()?);
    let reactor = Rc::new(Reactor::new(inbox.doorbell_fd())?);
    let _reactor_guard = reactor::enter(Rc::clone(&reactor));
    let executor = Rc::new(Executor {
        inbox,
        reactor,
        local: RefCell::new(VecDeque::new()),
        tasks: RefCell::new(Slab::default()),
        spare: RefCell::new(Vec::new()),
    });
    let _executor_guard = enter(Rc::clone(&executor));
    // Locals drop in reverse order: `main` first, then the tasks (guard), then the reactor,
    // so everything that deregisters a socket still finds the reactor.
    let main = pin!(future);
    Ok(executor.run(main))
}

/// Starts `future` as a new task on the current worker and returns a handle to its output.
///
/// The task starts at the next turn of the run loop, not inside `spawn`. A panic inside it is
/// caught: the handle yields `Err(JoinError)` and the worker goes on with other tasks.
///
/// # Panics
///
/// If called outside a worker (outside `block_on` or a `Runtime` worker).
///
/// Kotlin: `kotlinx.coroutines.async` (or `launch`, if the handle is dropped)
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let (handle, report) = join::handle();
    spawn_supervised(future, report);
    handle
}

/// Spawns `future` with panics contained and its outcome passed to `report`.
pub(crate) fn spawn_supervised<F, R>(future: F, report: R)
where
    F: Future + 'static,
    R: FnOnce(Result<F::Output, join::JoinError>) + 'static,
{
    let task = Box::pin(join::supervised(future, report));
    CURRENT.with_borrow(|current| {
        let executor = current.as_ref().expect(
            "spawn called outside a mini-ktor worker: call it inside `block_on` or a task \
             running on a `Runtime` worker",
        );
        executor.add_task(task);
    });
}

/// Queues `task` on this thread's executor if it is the task's home; otherwise gives it back
/// so the caller can use the inbox. Called by `TaskWaker` on every wake.
pub(crate) fn schedule_local(task: Arc<TaskWaker>) -> Result<(), Arc<TaskWaker>> {
    // `try_with`: during thread exit the thread-local may already be gone; then we are not
    // the home worker of anything.
    let home = CURRENT.try_with(|current| match &*current.borrow() {
        Some(executor) if task.is_home(&executor.inbox) => Some(Rc::clone(executor)),
        _ => None,
    });
    match home {
        Ok(Some(executor)) => {
            executor.local.borrow_mut().push_back(task);
            Ok(())
        }
        _ => Err(task),
    }
}

impl Executor {
    /// Stores a new task and queues it.
    fn add_task(&self, future: Pin<Box<dyn Future<Output = ()>>>) {
        // The waker must know the task's index, so it is built inside `insert_with`, which
        // passes the index it picked. One clone goes in the slot, the other into the queue.
        let mut queued = None;
        self.tasks.borrow_mut().insert_with(|index| {
            let waker = Arc::new(TaskWaker::new(index, &self.inbox));
            queued = Some(Arc::clone(&waker));
            Task {
                future: Some(future),
                waker,
            }
        });
        self.local.borrow_mut().extend(queued); // always `Some`: `insert_with` ran
    }

    /// The run loop (see the module docs). Returns the main future's output.
    fn run<F: Future>(&self, mut main: Pin<&mut F>) -> F::Output {
        // The main future's waker: built once, queued once so the first poll happens.
        let main_task = Arc::new(TaskWaker::new(MAIN, &self.inbox));
        let main_waker = Waker::from(Arc::clone(&main_task));
        self.local.borrow_mut().push_back(Arc::clone(&main_task));
        loop {
            // 1. Run what is ready, but at most BATCH polls before looking at the sockets.
            //    (The `borrow_mut` ends with the statement, before the task runs.)
            for _ in 0..BATCH {
                let Some(next) = self.local.borrow_mut().pop_front() else {
                    break;
                };
                if next.index != MAIN {
                    self.run_task(next);
                } else if Arc::ptr_eq(&next, &main_task) {
                    next.scheduled.store(false, SeqCst);
                    let mut cx = Context::from_waker(&main_waker);
                    if let Poll::Ready(output) = main.as_mut().poll(&mut cx) {
                        return output;
                    }
                }
            }
            // 2. Let the reactor wait. Work still queued? Only peek (timeout 0). Nothing to
            //    do? Sleep until a socket, a timer (the reactor adds that bound) or the
            //    doorbell: this is where an idle worker spends its time, using no CPU.
            let timeout = if self.local.borrow().is_empty() {
                None
            } else {
                Some(Duration::ZERO)
            };
            if let Err(error) = self.reactor.turn(timeout) {
                // Only a bug (a bad fd or buffer) can make epoll_wait fail; EINTR is retried.
                panic!("epoll_wait failed: {error}");
            }
            // 3. Adopt the tasks other threads woke (a no-op unless the doorbell was rung).
            let mut spare = self.spare.borrow_mut();
            self.inbox.take(&mut spare);
            self.local.borrow_mut().extend(spare.drain(..));
        }
    }

    /// Polls one queued task once (see the module docs for the three steps).
    fn run_task(&self, waker: Arc<TaskWaker>) {
        let index = waker.index;
        // Step 1 and 2: is the slot still this task's? Then take its future out.
        let future = match self.tasks.borrow_mut().get_mut(index) {
            Some(task) if Arc::ptr_eq(&task.waker, &waker) => task.future.take(),
            _ => None, // a stale wake: that task is gone
        };
        let Some(mut future) = future else { return };
        // Step 3: from here on, a wake queues the task again, even one during this poll.
        waker.scheduled.store(false, SeqCst);
        // `Waker::from` consumes our `Arc`: no allocation, no extra reference count.
        let waker = Waker::from(waker);
        match future.as_mut().poll(&mut Context::from_waker(&waker)) {
            Poll::Pending => {
                if let Some(task) = self.tasks.borrow_mut().get_mut(index) {
                    task.future = Some(future);
                }
            }
            Poll::Ready(()) => {
                // Free the slot, then drop it once the slab is no longer borrowed.
                let slot = self.tasks.borrow_mut().remove(index);
                drop(slot);
            }
        }
    }

    /// Drops every remaining task (while this executor and its reactor are still current,
    /// so their destructors may deregister sockets and wake other tasks).
    fn drop_tasks(&self) {
        loop {
            // Take the whole slab out: dropping a task may spawn or wake, which borrows it.
            let tasks = std::mem::take(&mut *self.tasks.borrow_mut());
            if tasks.len() == 0 {
                break;
            }
            drop(tasks);
        }
        let queued = std::mem::take(&mut *self.local.borrow_mut());
        drop(queued);
    }
}

/// Makes `executor` current until the guard drops (`try_block_on` checked that none was).
fn enter(executor: Rc<Executor>) -> EnterGuard {
    CURRENT.with_borrow_mut(|current| *current = Some(executor));
    EnterGuard(())
}

/// Drops the remaining tasks and clears the current executor, also when unwinding.
struct EnterGuard(());

impl Drop for EnterGuard {
    fn drop(&mut self) {
        if let Some(executor) = CURRENT.with_borrow(Option::clone) {
            executor.drop_tasks();
        }
        let executor = CURRENT.with_borrow_mut(Option::take);
        drop(executor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::watchdog;
    use crate::runtime::{JoinError, yield_now};
    use std::cell::Cell;
    use std::future::{pending, poll_fn};
    use std::panic::{AssertUnwindSafe, catch_unwind};

    /// Awaiting a `JoinHandle` gives the task's output; tasks may spawn tasks.
    #[test]
    fn join_handle_returns_the_output() {
        let sum = watchdog(|| {
            block_on(async {
                let outer = spawn(async {
                    let inner = spawn(async { 40 });
                    inner.await.unwrap() + 2
                });
                outer.await.unwrap()
            })
        });
        assert_eq!(sum, 42);
    }

    /// A task whose handle was dropped still runs to completion.
    #[test]
    fn detached_task_still_runs() {
        let ran = watchdog(|| {
            block_on(async {
                let ran = Rc::new(Cell::new(false));
                let flag = Rc::clone(&ran);
                drop(spawn(async move {
                    yield_now().await;
                    flag.set(true);
                }));
                while !ran.get() {
                    yield_now().await;
                }
                ran.get()
            })
        });
        assert!(ran);
    }

    /// A panicking task yields `Err(JoinError)` carrying the message, and the other tasks of
    /// the same worker keep running.
    #[test]
    fn panic_is_contained_in_its_task() {
        watchdog(|| {
            block_on(async {
                let survivor = spawn(async {
                    for _ in 0..10 {
                        yield_now().await;
                    }
                    "still here"
                });
                let boom = spawn(async {
                    yield_now().await;
                    panic!("boom {}", 7);
                });
                let error: JoinError = boom.await.unwrap_err();
                assert!(error.is_panic() && !error.is_cancelled());
                assert_eq!(error.panic_message(), Some("boom 7"));
                assert_eq!(error.to_string(), "task panicked: boom 7");
                let literal = spawn(async { panic!("static message") }).await.unwrap_err();
                assert_eq!(literal.panic_message(), Some("static message"));
                assert_eq!(survivor.await, Ok("still here"));
            })
        });
    }

    /// When `block_on` returns, unfinished tasks are dropped (their destructors run).
    #[test]
    fn unfinished_tasks_are_dropped_when_block_on_returns() {
        struct SetOnDrop(Rc<Cell<bool>>);
        impl Drop for SetOnDrop {
            fn drop(&mut self) {
                self.0.set(true);
            }
        }
        let dropped = Rc::new(Cell::new(false));
        let guard = SetOnDrop(Rc::clone(&dropped));
        block_on(async move {
            drop(spawn(async move {
                let _guard = guard;
                pending::<()>().await;
            }));
            yield_now().await; // let the task start
        });
        assert!(dropped.get());
    }

    /// A late wake of a finished task does not poll the task that reused its slot.
    #[test]
    fn stale_wake_is_ignored() {
        let polls = watchdog(|| {
            block_on(async {
                let old_waker = spawn(poll_fn(|cx| Poll::Ready(cx.waker().clone())))
                    .await
                    .unwrap();
                // The slot is free again; the next task gets the same index.
                let polls = Rc::new(Cell::new(0));
                let counter = Rc::clone(&polls);
                let newcomer = spawn(poll_fn(move |_| {
                    counter.set(counter.get() + 1);
                    Poll::<()>::Pending // never asks to be woken
                }));
                yield_now().await;
                old_waker.wake();
                yield_now().await;
                yield_now().await;
                drop(newcomer);
                polls.get()
            })
        });
        assert_eq!(polls, 1);
    }

    /// `block_on` inside a worker and `spawn` outside one fail with clear messages.
    #[test]
    fn misuse_panics_with_a_clear_message() {
        fn message(payload: Box<dyn std::any::Any + Send>) -> String {
            let text = payload.downcast_ref::<&str>().map(|s| s.to_string());
            text.or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default()
        }
        let nested = catch_unwind(|| block_on(async { block_on(async {}) })).unwrap_err();
        assert!(message(nested).contains("inside a mini-ktor worker"));
        let outside = catch_unwind(AssertUnwindSafe(|| drop(spawn(async {})))).unwrap_err();
        assert!(message(outside).contains("outside a mini-ktor worker"));
        // The thread is usable again after both panics.
        assert_eq!(block_on(async { 1 }), 1);
    }
}

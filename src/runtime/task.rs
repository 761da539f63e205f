//! Tasks and their wakers: how "wake this task" finds its way back to the right queue.
//!
//! # The pieces
//!
//! - [`Task`]: what the executor stores per spawned future, in a slab slot.
//! - [`TaskWaker`]: the data behind the task's `std::task::Waker`. It knows the task's slot
//!   index, whether the task is already queued, and the task's home worker's [`Inbox`].
//! - [`Inbox`]: the part of a worker that *other* threads may touch: a locked queue of woken
//!   tasks and the doorbell (an eventfd) that interrupts the worker's `epoll_wait`.
//!
//! # The two ways to wake a task
//!
//! ```text
//!   wake() on the task's own worker thread:  local queue (a VecDeque, no lock)
//!   wake() on any other thread:              inbox.queue (Mutex<Vec>) + ring the doorbell
//! ```
//!
//! Most wakes come from the reactor or a channel on the same worker, so the fast path takes no
//! lock and makes no system call. A wake from another thread (a message sent to this worker,
//! a job from the `Runtime`) pushes under a mutex and rings the doorbell, but only if nobody
//! rang it since the worker last looked (`notified`), so a burst of wakes costs one `write`.
//!
//! `scheduled` makes waking idempotent: a task woken ten times before it runs is queued once.
//! The executor clears it just before polling, so a wake *during* the poll queues it again.
//!
//! # Building the waker
//!
//! `std::task::Wake` turns `Arc<TaskWaker>` into a `Waker` (`Waker::from(arc)`), with no
//! allocation and no hand-written function table. Underneath, a `Waker` is a data pointer plus
//! a `RawWakerVTable` of four functions (clone, wake, wake_by_ref, drop); runtimes such as
//! `async-task` write that table by hand to pack the task, its state and its future into one
//! allocation. The `Wake` trait writes it for us, for the price of one extra `Arc` per task.
//!
//! Kotlin counterpart: resuming a suspended coroutine calls `Continuation.resumeWith`, which
//! hands the continuation to its `CoroutineDispatcher.dispatch`: the same "queue me on my
//! home thread" step.

use std::future::Future;
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering::SeqCst};
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::task::{Wake, Waker};

use super::executor;
use super::sys::EventFd;

/// A spawned future as the executor stores it (one slab slot per live task).
pub(crate) struct Task {
    /// The future. `None` only while the executor is polling it: taking it out of the slab
    /// means the slab is not borrowed during the poll, so the task may spawn other tasks.
    pub(crate) future: Option<Pin<Box<dyn Future<Output = ()>>>>,
    /// The task's waker data, kept to recognise stale wakes (see `Executor::run_task`).
    pub(crate) waker: Arc<TaskWaker>,
}

/// The data behind a task's `Waker`. Shared (`Arc`) by the slab and every clone of the waker.
///
/// Kotlin: `kotlin.coroutines.Continuation` (what gets resumed)
pub(crate) struct TaskWaker {
    /// The task's slot in its executor's slab. Fixed for the task's life; the slot may be
    /// reused by another task after this one finishes.
    pub(crate) index: usize,
    /// True from the moment the task is queued until the executor starts polling it.
    pub(crate) scheduled: AtomicBool,
    /// The home worker's inbox. `Weak`: a waker kept somewhere after its worker stopped must
    /// not keep the worker's eventfd open, and queued wakers must not form an `Arc` cycle.
    home: Weak<Inbox>,
}

impl TaskWaker {
    /// Waker data for slot `index` of the worker owning `home`. Starts as `scheduled`, because
    /// a new task is queued right away.
    pub(crate) fn new(index: usize, home: &Arc<Inbox>) -> TaskWaker {
        TaskWaker {
            index,
            scheduled: AtomicBool::new(true),
            home: Arc::downgrade(home),
        }
    }

    /// Whether `inbox` belongs to this task's home worker.
    pub(crate) fn is_home(&self, inbox: &Arc<Inbox>) -> bool {
        std::ptr::eq(self.home.as_ptr(), Arc::as_ptr(inbox))
    }

    /// Queues the task on its home worker: locally if we are on that worker's thread,
    /// through the inbox otherwise. If the worker is gone, the wake is dropped.
    fn schedule(self: Arc<Self>) {
        if let Err(task) = executor::schedule_local(self)
            && let Some(inbox) = task.home.upgrade()
        {
            inbox.push(task);
        }
    }
}

impl Wake for TaskWaker {
    fn wake(self: Arc<Self>) {
        if !self.scheduled.swap(true, SeqCst) {
            self.schedule();
        }
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Check first, so a redundant wake does not even touch the reference count.
        if !self.scheduled.swap(true, SeqCst) {
            Arc::clone(self).schedule();
        }
    }
}

/// Stores `waker` in `slot` as the one to wake, unless the waker already there wakes the same
/// task.
///
/// The usual case is the same task waiting again, and then nothing is done: cloning a waker
/// costs an atomic increment of its `Arc` (and dropping the old one a decrement), for a result
/// that would wake the very same task.
///
/// futures: `AtomicWaker::register` (which does the same check)
pub(crate) fn store_waker(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(stored) if stored.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}

/// The cross-thread entrance of one worker. See the module docs.
///
/// Atomic orderings are all `SeqCst`: the simplest correct choice, and its cost is nothing
/// next to the mutex and the system calls around it.
pub(crate) struct Inbox {
    /// Tasks woken by other threads, waiting for the worker to move them to its local queue.
    queue: Mutex<Vec<Arc<TaskWaker>>>,
    /// Set by the first remote waker after the worker last drained; cleared by the worker.
    /// While it is set, other wakers skip the doorbell: it has been rung already.
    notified: AtomicBool,
    /// Registered with the worker's epoll (token `DOORBELL`); ringing it ends `epoll_wait`.
    doorbell: EventFd,
}

impl Inbox {
    /// An empty inbox with a fresh eventfd.
    pub(crate) fn new() -> io::Result<Inbox> {
        Ok(Inbox {
            queue: Mutex::new(Vec::new()),
            notified: AtomicBool::new(false),
            doorbell: EventFd::new()?,
        })
    }

    /// The doorbell's descriptor, for the reactor to register.
    pub(crate) fn doorbell_fd(&self) -> RawFd {
        self.doorbell.as_raw_fd()
    }

    /// Called from another thread: queue `task` and make sure the worker wakes up.
    fn push(&self, task: Arc<TaskWaker>) {
        // No user code runs under this lock, so it cannot be poisoned; recover anyway.
        self.queue
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(task);
        if !self.notified.swap(true, SeqCst) {
            self.doorbell.notify();
        }
    }

    /// Called by the worker: if anything was pushed, swap the queue with `spare` (an empty
    /// vector whose capacity is reused, so draining does not allocate).
    ///
    /// The order matters. Drain the eventfd, *then* clear `notified`, *then* take the queue:
    /// a push that misses this take sees `notified == false` and rings again, so the next
    /// `epoll_wait` returns at once. Clearing before draining could eat that second ring and
    /// leave `notified` stuck at `true` with a task in the queue: a lost wake-up.
    pub(crate) fn take(&self, spare: &mut Vec<Arc<TaskWaker>>) {
        if !self.notified.load(SeqCst) {
            return;
        }
        self.doorbell.drain();
        self.notified.store(false, SeqCst);
        let mut queue = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
        std::mem::swap(&mut *queue, spare);
    }
}

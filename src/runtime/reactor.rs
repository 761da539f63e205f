//! The reactor: turns "this socket is ready" from the kernel into "wake that waker".
//!
//! # What it does
//!
//! A future that reads a socket cannot block the thread when no bytes are there. Instead it
//! asks the reactor to remember its [`Waker`] and returns `Poll::Pending`. The reactor owns the
//! worker's epoll instance and a table of registrations:
//!
//! ```text
//!   token (usize) ──► Source { reader: Option<Waker>, writer: Option<Waker> }
//! ```
//!
//! When the executor has nothing left to run it calls [`Reactor::turn`], which sleeps in
//! `epoll_wait`. For each event the kernel reports, the token leads to the `Source`, and the
//! stored reader and/or writer waker is woken. That is all: the reactor does not know what a
//! task is, and the executor does not know what a file descriptor is. They meet only at a
//! `Waker` (stored here, implemented by the executor) and a `usize` token.
//!
//! Timers live here too ([`Timers`], from `timer.rs`): the nearest deadline becomes the
//! `epoll_wait` timeout, and timers that expired are woken after each turn.
//!
//! # Why edge-triggered registration cannot lose a wake-up
//!
//! Sockets are registered once, edge-triggered, for reading and writing. The kernel then
//! reports a change only once. That is safe because of how the I/O futures (`net.rs`) and this
//! thread are organised:
//!
//! 1. an I/O future always tries the system call first, and stores its waker here only after
//!    the kernel answered `WouldBlock` (no data / no buffer space);
//! 2. the reactor runs on the same thread as the tasks, and only between polls, never during one.
//!
//! So between the `WouldBlock` and storing the waker, no `epoll_wait` can consume the edge: the
//! next new byte produces an edge that the next turn reports, and by then the waker is stored.
//! Edges that arrive while the task is busy (it has not seen `WouldBlock` yet) are harmless:
//! the task will read those bytes anyway, and a stale report only causes one spurious poll.
//!
//! The one shortcut on top of this, the "drained" flag that lets a read skip a system call
//! after a short read (`Source::readable`, see `net.rs`), must not swallow a hang-up: the
//! peer's FIN is reported once, often together with its last bytes, and the short read that
//! returns them gives no sign that the next read would see end-of-stream. So a hang-up keeps
//! the socket readable for good (`Source::read_closed`).
//!
//! Wakers stay in their slot after a wake (`wake_by_ref`). When the same task waits again,
//! [`Waker::will_wake`] sees that the stored one is already right and nothing is cloned. The
//! price: a waker left behind by a task that stopped waiting may cause a spurious poll.
//!
//! # Ktor counterpart and what was not chosen
//!
//! This is ktor-network's `SelectorManager`: a Java NIO `Selector` loop that resumes the
//! coroutine suspended on a socket's `SelectInterest` (READ, WRITE, ACCEPT, CONNECT). Its
//! `ActorSelectorManager` runs one selector loop for all sockets and resumes each coroutine on
//! that coroutine's dispatcher, usually another thread. We run one reactor *per worker*, in
//! the worker's own thread, so a socket's wake-up never crosses threads.
//!
//! Tokio stores readiness bits per socket and tags tokens with a generation counter; smol's
//! `async-io` runs one global reactor behind a mutex. That machinery serves runtimes where any
//! thread may poll any task, which a thread-per-core design avoids.

use std::cell::RefCell;
use std::io;
use std::os::fd::RawFd;
use std::rc::Rc;
use std::task::Waker;
use std::time::{Duration, Instant};

use super::registration::Direction;
use super::slab::Slab;
use super::sys::{Epoll, Events, Interest};
use super::task::store_waker;
use super::timer::Timers;

/// The token reserved for the worker's doorbell (its `EventFd`). The slab never hands it out.
/// Its only job is to end `epoll_wait`; the executor then checks its own queue.
pub(crate) const DOORBELL: usize = usize::MAX;

/// How many events one `epoll_wait` may return. More simply wait for the next turn.
const EVENTS_PER_TURN: usize = 256;

/// The wakers waiting on one registered file descriptor.
///
/// Each slot is set by `set_waker` (called by a `Readiness` future after `WouldBlock`), woken
/// and kept by [`Reactor::turn`], and dropped with the `Registration` (see `registration.rs`).
struct Source {
    /// The task waiting to read (or accept).
    reader: Option<Waker>,
    /// The task waiting to write.
    writer: Option<Waker>,
    /// Whether a read may find bytes: set by every readable event, cleared by a reader that
    /// found the socket drained. It starts `true`: a new socket is worth one try.
    readable: bool,
    /// Whether the peer hung up (or the connection failed). It never goes back: the hang-up is
    /// reported once, possibly before a read that returns the last bytes and looks like it
    /// drained the socket, and the read after that must still reach the kernel to see the
    /// end-of-stream. (Tokio keeps its "read closed" bit the same way.)
    read_closed: bool,
}

impl Default for Source {
    fn default() -> Self {
        Source {
            reader: None,
            writer: None,
            readable: true,
            read_closed: false,
        }
    }
}

/// One worker's reactor. Created by `block_on`, reached through [`current`].
///
/// The reactor is shared (`Rc`) by the run loop, the sockets and the timers of one thread, so
/// what changes behind that shared reference is in `RefCell`s: the events buffer, the sources
/// and the timers. No borrow is held across a poll, so they never clash. `epoll` needs none:
/// its methods take `&self`, since the kernel keeps the state they change.
///
/// Ktor: `io.ktor.network.selector.SelectorManager`
pub(crate) struct Reactor {
    /// The kernel side. Closing it (when the reactor drops) forgets every registration.
    epoll: Epoll,
    /// Buffer for `epoll_wait`, allocated once and reused by every turn.
    events: RefCell<Events>,
    /// Token → waiting wakers. A token lives from `Registration::new` to its drop.
    sources: RefCell<Slab<Source>>,
    /// Sleeping futures, by deadline. See `timer.rs`.
    pub(crate) timers: RefCell<Timers>,
}

impl Reactor {
    /// Creates a reactor whose epoll also watches `doorbell` (under [`DOORBELL`]).
    pub(crate) fn new(doorbell: RawFd) -> io::Result<Reactor> {
        let epoll = Epoll::new()?;
        epoll.add(doorbell, DOORBELL, Interest::READ)?;
        Ok(Reactor {
            epoll,
            events: RefCell::new(Events::with_capacity(EVENTS_PER_TURN)),
            sources: RefCell::new(Slab::default()),
            timers: RefCell::new(Timers::default()),
        })
    }

    /// Sleeps in `epoll_wait` for at most `timeout` (`None`: until something happens), then
    /// wakes the wakers of every ready socket and every expired timer.
    ///
    /// The nearest timer shortens the timeout, so `turn(None)` still returns in time for it.
    pub(crate) fn turn(&self, timeout: Option<Duration>) -> io::Result<()> {
        let timeout = match self.timers.borrow().next_deadline() {
            None => timeout,
            Some(deadline) => {
                let until = deadline.saturating_duration_since(Instant::now());
                Some(timeout.map_or(until, |limit| limit.min(until)))
            }
        };
        let mut events = self.events.borrow_mut();
        self.epoll.wait(&mut events, timeout)?;
        // Waking while `sources` is borrowed is fine: an executor waker only queues its task
        // (see `task.rs`); it never calls back into the reactor.
        let mut sources = self.sources.borrow_mut();
        for event in events.iter() {
            if event.token == DOORBELL {
                continue; // Interrupting the wait was its whole job.
            }
            let Some(source) = sources.get_mut(event.token) else {
                continue;
            };
            // `wake_by_ref` keeps the waker in its slot; see "Wakers stay" in the module docs.
            if event.readable {
                source.readable = true;
                source.read_closed |= event.read_closed;
                if let Some(reader) = &source.reader {
                    reader.wake_by_ref();
                }
            }
            if event.writable
                && let Some(writer) = &source.writer
            {
                writer.wake_by_ref();
            }
        }
        drop(sources);
        drop(events);
        self.wake_expired_timers();
        Ok(())
    }

    /// Wakes every timer whose deadline has passed, earliest first.
    fn wake_expired_timers(&self) {
        if self.timers.borrow().next_deadline().is_none() {
            return; // No clock read when no timer is armed.
        }
        let now = Instant::now();
        // One timer at a time, so the `RefCell` is not borrowed while a waker runs. (In a
        // `while let` condition the borrow would last through the loop body, hence `let`.)
        loop {
            let expired = self.timers.borrow_mut().pop_expired(now);
            let Some(waker) = expired else { break };
            waker.wake();
        }
    }

    /// Adds `fd` to epoll (read + write, edge-triggered) and returns its token.
    pub(crate) fn register(&self, fd: RawFd) -> io::Result<usize> {
        let token = self.sources.borrow_mut().insert_with(|_| Source::default());
        if let Err(error) = self.epoll.add(fd, token, Interest::BOTH) {
            self.sources.borrow_mut().remove(token);
            return Err(error);
        }
        Ok(token)
    }

    /// Removes `fd` from epoll and frees its token. Must run before `fd` is closed.
    pub(crate) fn deregister(&self, token: usize, fd: RawFd) {
        // An error here would mean the fd is already closed, and then the kernel already
        // dropped it from the interest list: nothing left to undo.
        let _ = self.epoll.delete(fd);
        let source = self.sources.borrow_mut().remove(token);
        drop(source); // the wakers, after the borrow ended
    }

    /// Whether a read on `token` may find bytes (see [`Source::readable`] and
    /// [`Source::read_closed`]).
    pub(crate) fn is_readable(&self, token: usize) -> bool {
        self.sources
            .borrow()
            .get(token)
            .is_none_or(|source| source.readable || source.read_closed)
    }

    /// Records that a read on `token` found the socket drained: until the next readable event,
    /// reading would only return `WouldBlock`.
    pub(crate) fn clear_readable(&self, token: usize) {
        if let Some(source) = self.sources.borrow_mut().get_mut(token) {
            source.readable = false;
        }
    }

    /// Remembers `waker` as the one to wake when `token` becomes ready in `direction`.
    pub(crate) fn set_waker(&self, token: usize, direction: Direction, waker: &Waker) {
        let mut sources = self.sources.borrow_mut();
        let Some(source) = sources.get_mut(token) else {
            return;
        };
        let slot = match direction {
            Direction::Read => &mut source.reader,
            Direction::Write => &mut source.writer,
        };
        // The usual case: the same task waits again. No clone, no refcount traffic.
        store_waker(slot, waker);
    }

    /// Number of live registrations (for tests).
    #[cfg(test)]
    pub(crate) fn registrations(&self) -> usize {
        self.sources.borrow().len()
    }
}

thread_local! {
    /// The reactor of the worker running on this thread, set for the length of `block_on`.
    static CURRENT: RefCell<Option<Rc<Reactor>>> = const { RefCell::new(None) };
}

/// The current worker's reactor. Panics with a clear message outside a worker.
pub(crate) fn current() -> Rc<Reactor> {
    CURRENT.with_borrow(|current| current.clone()).expect(
        "no mini-ktor worker on this thread: sockets and timers must be created inside \
         `block_on` or a task running on a `Runtime` worker",
    )
}

/// Panics (in debug builds) unless `reactor` is this thread's current one. A socket or timer
/// keeps the reactor it was registered with; awaited under another one (made in one `block_on`,
/// used in the next), it would wait for events that reactor, no longer turned, never delivers.
/// Saying so beats a silent hang; release builds skip the check, which every wait would pay.
#[track_caller]
pub(crate) fn debug_assert_current(reactor: &Rc<Reactor>) {
    debug_assert!(
        CURRENT.with_borrow(|current| current.as_ref().is_some_and(|c| Rc::ptr_eq(c, reactor))),
        "a socket or timer awaited outside the worker it was created on (in another \
         `block_on`): it would never be woken"
    );
}

/// Makes `reactor` the current one until the returned guard is dropped.
pub(crate) fn enter(reactor: Rc<Reactor>) -> EnterGuard {
    CURRENT.with_borrow_mut(|current| *current = Some(reactor));
    EnterGuard(())
}

/// Clears the current reactor when dropped (also when `block_on` unwinds from a panic).
pub(crate) struct EnterGuard(());

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let reactor = CURRENT.with_borrow_mut(Option::take);
        drop(reactor);
    }
}

//! Timers: [`sleep`], [`sleep_until`] and [`timeout`].
//!
//! # How a sleep works
//!
//! Each worker's reactor keeps its timers in one sorted map:
//!
//! ```text
//!   BTreeMap<(deadline: Instant, id: u64), Waker>
//! ```
//!
//! 1. `sleep(d)` only computes a deadline; nothing is registered until the future is polled.
//! 2. The first poll inserts `(deadline, id) → waker`. The `id` is a counter that keeps two
//!    sleeps with the same deadline apart. Later polls only replace the waker if it changed.
//! 3. Before blocking, the reactor asks for the smallest key: that deadline becomes the
//!    `epoll_wait` timeout. After the wait, it pops every entry whose deadline has passed and
//!    wakes it. The woken task polls the `Sleep` again, which sees the deadline has passed.
//! 4. A `Sleep` dropped early (say, the loser of a `timeout`) removes its entry, so no entry
//!    outlives its `Sleep`. The map holds the sleeps that someone still awaits, plus those a
//!    [`ReusableTimer`] leaves armed on purpose after a wait ends (see its docs).
//!
//! A sorted map gives "nearest deadline" in O(log n) and fires timers in deadline order.
//!
//! # Ktor counterpart and what was not chosen
//!
//! kotlinx.coroutines' `delay` and `withTimeout` play this role (on the JVM, backed by a
//! scheduled executor or the event loop's own delayed-task queue). Tokio uses a hierarchical
//! timing wheel: O(1) insert and removal, millisecond resolution, built for millions of
//! timers. A `BTreeMap` is a few lines, exact, and fast enough for the one or two timers a
//! connection holds (its read timer, and its write timer once writes have a timeout).

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use super::reactor::{self, Reactor};

/// The timer table of one reactor. See the module docs.
#[derive(Default)]
pub(crate) struct Timers {
    /// Armed timers, ordered by deadline then by id.
    map: BTreeMap<(Instant, u64), Waker>,
    /// The id the next timer gets. Never reused (a `u64` does not run out).
    next_id: u64,
}

impl Timers {
    /// Arms a timer and returns its id.
    fn insert(&mut self, deadline: Instant, waker: Waker) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.map.insert((deadline, id), waker);
        id
    }

    /// Makes sure timer `(deadline, id)` will wake `waker`, re-arming it if it already fired.
    fn update(&mut self, deadline: Instant, id: u64, waker: &Waker) {
        match self.map.get_mut(&(deadline, id)) {
            Some(stored) if stored.will_wake(waker) => {}
            Some(stored) => *stored = waker.clone(),
            None => {
                self.map.insert((deadline, id), waker.clone());
            }
        }
    }

    /// Disarms a timer (a no-op if it already fired).
    fn remove(&mut self, deadline: Instant, id: u64) -> Option<Waker> {
        self.map.remove(&(deadline, id))
    }

    /// The nearest deadline, if any timer is armed.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.map.first_key_value().map(|((deadline, _), _)| *deadline)
    }

    /// Removes and returns the waker of the earliest timer if its deadline is `<= now`.
    pub(crate) fn pop_expired(&mut self, now: Instant) -> Option<Waker> {
        match self.next_deadline() {
            Some(deadline) if deadline <= now => self.map.pop_first().map(|(_, waker)| waker),
            _ => None,
        }
    }
}

/// Waits until `duration` has passed. Must be awaited inside a worker.
///
/// Kotlin: `kotlinx.coroutines.delay`
pub fn sleep(duration: Duration) -> Sleep {
    sleep_until(after(Instant::now(), duration))
}

/// The instant `duration` after `start`; for a duration too long to add (`Duration::MAX`, a
/// common way to say "no limit"), an instant a century away instead of a panic.
///
/// std: `Instant::checked_add`, with the far future as the answer to overflow
pub fn after(start: Instant, duration: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);
    start.checked_add(duration).unwrap_or_else(|| start + CENTURY)
}

/// Waits until `deadline`. Must be awaited inside a worker.
///
/// Kotlin: `kotlinx.coroutines.delay` (with an absolute time)
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep {
        deadline,
        armed: None,
    }
}

/// The future returned by [`sleep`] and [`sleep_until`].
///
/// It holds an `Rc` of its worker's reactor once polled, so it is `!Send`: it is armed in one
/// worker's timer table and must be dropped there too.
///
/// Kotlin: `kotlinx.coroutines.delay`
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Sleep {
    deadline: Instant,
    /// `None` until the first poll; then the reactor holding the timer and the timer's id.
    armed: Option<(Rc<Reactor>, u64)>,
}

impl Sleep {
    /// The instant this sleep completes.
    ///
    /// Kotlin: (no direct counterpart; `delay` takes a duration)
    pub fn deadline(&self) -> Instant {
        self.deadline
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let armed = self.armed.is_some();
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("armed", &armed)
            .finish()
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // The clock decides, not the fact of being woken: a wake may come from elsewhere
        // (the other side of a `race`), and the reactor only wakes us once it is time.
        if Instant::now() >= self.deadline {
            self.disarm();
            return Poll::Ready(());
        }
        let deadline = self.deadline;
        match &self.armed {
            // Polled again before the deadline: the task may have a new waker (say, the
            // sleep was moved into another task), so make sure the timer holds the current one.
            Some((reactor, id)) => {
                reactor::debug_assert_current(reactor);
                let mut timers = reactor.timers.borrow_mut();
                timers.update(deadline, *id, cx.waker());
            }
            // First poll: arm the timer on this worker's reactor and remember where it is.
            None => {
                let reactor = reactor::current();
                let waker = cx.waker().clone();
                let id = reactor.timers.borrow_mut().insert(deadline, waker);
                self.armed = Some((reactor, id));
            }
        }
        Poll::Pending
    }
}

impl Sleep {
    /// Removes this sleep's timer, if armed (the waker is dropped after the borrow ends).
    fn disarm(&mut self) {
        if let Some((reactor, id)) = self.armed.take() {
            let waker = reactor.timers.borrow_mut().remove(self.deadline, id);
            drop(waker);
        }
    }
}

impl Drop for Sleep {
    fn drop(&mut self) {
        self.disarm();
    }
}

/// A deadline that a task waits for again and again, each time a little later: a connection's
/// idle timeout, pushed back by every request.
///
/// A fresh [`Sleep`] per wait would insert its deadline into the timer map and remove it again
/// each time, for a deadline that almost never fires. This one keeps its timer armed and only
/// ever moves it *later* lazily: while the armed deadline is no later than the one waited for,
/// it stays; if it fires early, the wait sees that its own deadline is not reached and arms
/// the timer again for it. A wait therefore costs a clock read instead of two map updates,
/// and the price is one early wake-up per timeout period. Netty's `IdleStateHandler` checks
/// its idle timeout the same way. Ktor's CIO engine gets cheap idle timeouts differently: its
/// `WeakTimeoutQueue` keeps one list of registrations with a fixed period, which is checked
/// (and expired ones cancelled) only when new work arrives, with no timer at all; here the
/// runtime's one timer map is already there, so keeping one entry per `ReusableTimer` is
/// simpler (a `TcpStream` has two: one for reads, one for writes with a timeout).
///
/// Ktor: `io.ktor.server.cio.internal.WeakTimeoutQueue` (for the same purpose)
#[derive(Debug, Default)]
pub struct ReusableTimer {
    sleep: Option<Sleep>,
    /// The waker the armed timer will wake: while the same task waits again, the timer map
    /// need not even be looked at.
    waker: Option<Waker>,
}

impl ReusableTimer {
    /// An unarmed timer.
    ///
    /// Ktor: `WeakTimeoutQueue(timeoutMillis)`
    pub fn new() -> ReusableTimer {
        ReusableTimer::default()
    }

    /// Polls for `deadline`: `Ready` once it has passed, else `Pending`, with `cx`'s task woken
    /// at the latest when it passes (perhaps earlier, see above).
    ///
    /// Ktor: `WeakTimeoutQueue.withTimeout { }`
    pub fn poll_until(&mut self, deadline: Instant, cx: &mut Context<'_>) -> Poll<()> {
        let now = Instant::now();
        if now >= deadline {
            self.sleep = None;
            return Poll::Ready(());
        }
        // Armed no later than needed, and not fired yet.
        let in_time = self
            .sleep
            .as_ref()
            .is_some_and(|sleep| sleep.deadline() <= deadline && now < sleep.deadline());
        let same_task = self
            .waker
            .as_ref()
            .is_some_and(|waker| waker.will_wake(cx.waker()));
        if in_time && same_task {
            return Poll::Pending; // all set: it will wake this very task
        }
        if !in_time {
            // Not armed, armed too late, or fired early: arm for `deadline` itself.
            self.sleep = Some(sleep_until(deadline));
        }
        let sleep = self.sleep.as_mut().expect("armed just above");
        if Pin::new(sleep).poll(cx).is_ready() {
            // Its deadline passed a moment ago, after the check above: look again at once.
            cx.waker().wake_by_ref();
        }
        self.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Runs `future`, giving up after `duration`.
///
/// The output is `Ok` with the future's output, or `Err(Elapsed)` if time ran out first; the
/// future is then dropped (cancelled) when the `Timeout` is.
///
/// Kotlin: `kotlinx.coroutines.withTimeout`
pub fn timeout<F: Future>(duration: Duration, future: F) -> Timeout<F> {
    Timeout {
        future: Box::pin(future),
        sleep: sleep(duration),
    }
}

/// The future returned by [`timeout`].
///
/// The inner future is boxed. A `Timeout` is polled through `Pin<&mut Timeout>`, and reaching
/// a pinned field from it ("pin projection") takes either the `pin-project` crate or code the
/// compiler cannot check. A box is pinned on its own, so one allocation buys plain safe code.
/// `Sleep` needs no box: it has no self-references, so it is `Unpin`.
///
/// Kotlin: `kotlinx.coroutines.withTimeout`
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Timeout<F> {
    future: Pin<Box<F>>,
    sleep: Sleep,
}

impl<F: Future> Future for Timeout<F> {
    type Output = Result<F::Output, Elapsed>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // The work first: a future that is ready at the deadline still wins.
        if let Poll::Ready(output) = self.future.as_mut().poll(cx) {
            return Poll::Ready(Ok(output));
        }
        match Pin::new(&mut self.sleep).poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed(()))),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// The error of a [`timeout`] whose time ran out.
///
/// Kotlin: `kotlinx.coroutines.TimeoutCancellationException`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed(());

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl Error for Elapsed {}

#[cfg(test)]
mod tests;

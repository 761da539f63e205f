//! Two small future helpers: [`race`] two futures, and [`yield_now`] to let others run.
//!
//! Both show the shape of every future in this runtime: `poll` either returns `Ready`, or
//! arranges for the current waker to be woken later and returns `Pending`.
//!
//! - `race(a, b)` polls `a`, then `b`, each time it is polled, and completes with whichever is
//!   ready first. Whoever wakes the task (`a`'s socket, `b`'s timer) gets both polled again;
//!   the loser is dropped when the `Race` is. Polling `a` first gives it priority when both
//!   are ready, which makes results reproducible.
//! - `yield_now()` returns `Pending` once after waking its own task, which goes to the back of
//!   the queue: every task queued before it runs first.
//!
//! Kotlin counterparts: `kotlinx.coroutines.selects.select` (first clause to complete wins)
//! and `kotlinx.coroutines.yield`. The `futures` crate offers `select`, `join` and many more;
//! the engines need only `race` (in the acceptor, and in the Blocking engine to cancel a
//! connection at stop) and `timeout` (in `timer.rs`, used by the CIO engine's graceful stop);
//! `yield_now` serves applications and the runtime's own tests.

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

/// Runs `a` and `b` concurrently and returns the output of the first to finish (`a` wins a
/// tie). The other one is dropped, which cancels it.
///
/// ```
/// use mini_ktor::runtime::{block_on, race, sleep};
/// use std::time::Duration;
///
/// let winner = block_on(race(
///     async { sleep(Duration::from_secs(10)).await; "slow" },
///     async { "fast" },
/// ));
/// assert_eq!(winner, "fast");
/// ```
///
/// Kotlin: `kotlinx.coroutines.selects.select`
pub fn race<A, B>(a: A, b: B) -> Race<A, B>
where
    A: Future,
    B: Future<Output = A::Output>,
{
    Race {
        a: Box::pin(a),
        b: Box::pin(b),
    }
}

/// The future returned by [`race`].
///
/// Both futures are boxed for the reason explained on
/// [`Timeout`](crate::runtime::Timeout): reaching a pinned field needs pin projection, which
/// std alone cannot do for us; a box is pinned by itself.
///
/// Kotlin: `kotlinx.coroutines.selects.select`
#[must_use = "futures do nothing unless you `.await` them"]
pub struct Race<A, B> {
    a: Pin<Box<A>>,
    b: Pin<Box<B>>,
}

impl<A, B> Future for Race<A, B>
where
    A: Future,
    B: Future<Output = A::Output>,
{
    type Output = A::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<A::Output> {
        if let Poll::Ready(output) = self.a.as_mut().poll(cx) {
            return Poll::Ready(output);
        }
        self.b.as_mut().poll(cx)
    }
}

/// Gives the other queued tasks of this worker a chance to run, then continues.
///
/// Useful in a long computation that never awaits anything else: without it, the task would
/// keep its worker to itself until it finished.
///
/// Kotlin: `kotlinx.coroutines.yield`
pub async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        // Queue ourselves again (at the back), then step aside.
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::watchdog;
    use crate::runtime::{block_on, sleep, spawn};
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    /// The first future to finish wins, whichever side it is on; `a` wins a tie.
    #[test]
    fn race_returns_the_first_to_finish() {
        watchdog(|| {
            block_on(async {
                let slow = async {
                    sleep(Duration::from_secs(10)).await;
                    "slow"
                };
                let start = Instant::now();
                assert_eq!(race(slow, async { "fast" }).await, "fast");
                assert!(start.elapsed() < Duration::from_secs(5));
                let late = async {
                    sleep(Duration::from_millis(30)).await;
                    "late"
                };
                let later = async {
                    sleep(Duration::from_millis(300)).await;
                    "later"
                };
                assert_eq!(race(later, late).await, "late");
                assert_eq!(race(async { 1 }, async { 2 }).await, 1);
            })
        });
    }

    /// A task that yields lets a task spawned before the yield run first.
    #[test]
    fn yield_now_lets_another_task_run() {
        watchdog(|| {
            block_on(async {
                let ran = Rc::new(Cell::new(false));
                let other = Rc::clone(&ran);
                let handle = spawn(async move { other.set(true) });
                assert!(!ran.get(), "spawn does not run the task right away");
                yield_now().await;
                assert!(ran.get(), "the spawned task ran while we yielded");
                handle.await.unwrap();
            })
        });
    }
}

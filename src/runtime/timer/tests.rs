//! Tests of `timer.rs`, kept apart so that the module reads as one concept.

use super::*;
use crate::runtime::test_support::watchdog;
use crate::runtime::{block_on, spawn};
use std::cell::RefCell;
use std::future::{pending, poll_fn};

/// A 50 ms sleep takes at least 50 ms and, on an idle machine, far less than a second.
#[test]
fn sleep_waits_about_the_duration() {
    let elapsed = watchdog(|| {
        block_on(async {
            let start = Instant::now();
            sleep(Duration::from_millis(50)).await;
            start.elapsed()
        })
    });
    assert!(elapsed >= Duration::from_millis(50), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");
}

/// A duration too long to add to now means a deadline far away, not a panic: `sleep` and
/// `timeout` accept `Duration::MAX`, and such a sleep simply never wins a race.
#[test]
fn a_duration_too_long_to_add_is_far_away() {
    let now = Instant::now();
    assert_eq!(after(now, Duration::from_secs(3)), now + Duration::from_secs(3));
    assert!(after(now, Duration::MAX) > now + Duration::from_secs(50 * 365 * 24 * 3600));
    let outcome = watchdog(|| {
        block_on(async {
            timeout(Duration::MAX, sleep(Duration::from_millis(10))).await?;
            timeout(Duration::from_millis(10), sleep(Duration::MAX)).await
        })
    });
    assert!(outcome.is_err(), "the endless sleep lost to the short timeout");
}

/// A sleep armed inside one `block_on` and awaited inside the next would wait on a reactor
/// that nobody turns any more: in a debug build that is a panic, not a hang.
#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "awaited outside the worker it was created on")]
fn a_sleep_from_another_block_on_is_refused() {
    watchdog(|| {
        let mut long = Box::pin(sleep(Duration::from_secs(60)));
        block_on(poll_fn(|cx| {
            assert!(long.as_mut().poll(cx).is_pending(), "armed on the first reactor");
            Poll::Ready(())
        }));
        block_on(long);
    });
}

/// Sleeps started in scrambled order complete in deadline order.
#[test]
fn sleeps_fire_in_deadline_order() {
    let order = watchdog(|| {
        block_on(async {
            let order = Rc::new(RefCell::new(Vec::new()));
            let mut handles = Vec::new();
            for ms in [40u64, 10, 30, 0, 20] {
                let order = Rc::clone(&order);
                handles.push(spawn(async move {
                    sleep(Duration::from_millis(ms)).await;
                    order.borrow_mut().push(ms);
                }));
            }
            for handle in handles {
                handle.await.unwrap();
            }
            order.take()
        })
    });
    assert_eq!(order, [0, 10, 20, 30, 40]);
}

/// A future that never completes times out with `Elapsed`; a ready one returns `Ok`.
#[test]
fn timeout_fires_only_when_needed() {
    watchdog(|| {
        block_on(async {
            let slow = timeout(Duration::from_millis(20), pending::<()>()).await;
            assert_eq!(slow, Err(Elapsed(())));
            assert_eq!(slow.unwrap_err().to_string(), "deadline has elapsed");
            let fast = timeout(Duration::from_secs(5), async { 7 }).await;
            assert_eq!(fast, Ok(7));
        })
    });
}

/// A reusable timer keeps its armed deadline while later ones are waited for, fires early
/// only to arm itself again, and answers `Ready` only once the deadline waited for passed.
#[test]
fn reusable_timer_moves_its_deadline_lazily() {
    watchdog(|| {
        block_on(async {
            let reactor = reactor::current();
            let armed = || reactor.timers.borrow().next_deadline();
            let mut timer = ReusableTimer::new();
            let first = Instant::now() + Duration::from_millis(30);
            let pending = poll_fn(|cx| Poll::Ready(timer.poll_until(first, cx))).await;
            assert!(pending.is_pending());
            assert_eq!(armed(), Some(first));
            // A later deadline: the earlier entry stays, nothing is inserted or removed.
            let second = first + Duration::from_millis(30);
            let pending = poll_fn(|cx| Poll::Ready(timer.poll_until(second, cx))).await;
            assert!(pending.is_pending());
            assert_eq!(armed(), Some(first));
            // Waiting for `second` wakes at `first`, re-arms for `second`, then completes.
            poll_fn(|cx| timer.poll_until(second, cx)).await;
            assert!(Instant::now() >= second);
            // An earlier deadline than the armed one replaces it.
            let third = Instant::now() + Duration::from_secs(60);
            let _ = poll_fn(|cx| Poll::Ready(timer.poll_until(third, cx))).await;
            let fourth = Instant::now() + Duration::from_millis(5);
            let _ = poll_fn(|cx| Poll::Ready(timer.poll_until(fourth, cx))).await;
            assert_eq!(armed(), Some(fourth));
            drop(timer);
            assert_eq!(armed(), None, "a dropped timer leaves no entry");
        })
    });
}

/// A dropped sleep disarms its timer, so the table does not keep dead entries.
#[test]
fn dropped_sleep_disarms() {
    watchdog(|| {
        block_on(async {
            let reactor = reactor::current();
            let outcome = timeout(Duration::from_millis(10), sleep(Duration::from_secs(60))).await;
            assert!(outcome.is_err());
            assert_eq!(reactor.timers.borrow().next_deadline(), None);
        })
    });
}

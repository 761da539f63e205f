//! A channel for exactly one value, from any thread to a waiting task.
//!
//! The [`Sender`] is consumed by [`Sender::send`], so at most one value can ever be sent. The
//! [`Receiver`] is itself a future: awaiting it gives the value, or [`RecvError`] if the sender
//! was dropped without sending (the work it stood for was abandoned).
//!
//! The shared state is one `Arc<Mutex<..>>` holding the value slot, the receiver's waker, and a
//! flag per side saying it is gone. As in `mpsc.rs`, wakers run after the lock is released.
//!
//! `Runtime::spawn_on` uses it to return a task's outcome to whoever spawned it: the task
//! runs on one worker, the receiver may be awaited on another, or in a `block_on` on the main
//! thread.
//!
//! Kotlin counterpart: a `CompletableDeferred` (`complete(value)` once, `await()` elsewhere).
//! Tokio's oneshot packs the state into one atomic word to avoid the lock; a value sent once per
//! spawned job does not need that.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use super::task::store_waker;

/// Creates a oneshot channel and returns its two ends.
///
/// ```
/// use mini_ktor::runtime::{block_on, oneshot};
///
/// let (tx, rx) = oneshot::channel();
/// std::thread::spawn(move || tx.send(42).unwrap());
/// assert_eq!(block_on(rx), Ok(42));
/// ```
///
/// Kotlin: `kotlinx.coroutines.CompletableDeferred()`
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(Shared {
        value: None,
        waker: None,
        sender_gone: false,
        receiver_gone: false,
    }));
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

/// The state both ends share.
struct Shared<T> {
    /// Filled by `send`, taken by the receiver's poll.
    value: Option<T>,
    /// The waiting receiver's waker, taken by `send` or by the sender's drop.
    waker: Option<Waker>,
    /// Set when the `Sender` is dropped, after sending or not.
    sender_gone: bool,
    /// Set when the `Receiver` is dropped; `send` then hands the value back.
    receiver_gone: bool,
}

/// Locks `shared`; see `mpsc::lock` for why poisoning is ignored.
fn lock<T>(shared: &Mutex<Shared<T>>) -> MutexGuard<'_, Shared<T>> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The sending end; `Send` when `T: Send`.
///
/// Kotlin: `CompletableDeferred.complete`
pub struct Sender<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Sender<T> {
    /// Sends `value` and wakes the receiver. Returns the value back if the receiver is gone.
    ///
    /// Kotlin: `CompletableDeferred.complete`
    pub fn send(self, value: T) -> Result<(), T> {
        let waker = {
            let mut shared = lock(&self.shared);
            if shared.receiver_gone {
                return Err(value);
            }
            shared.value = Some(value);
            shared.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(()) // `self` drops here; `Drop` finds no waker left and only sets `sender_gone`.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut shared = lock(&self.shared);
            shared.sender_gone = true;
            shared.waker.take()
        };
        // Dropped without sending: the receiver must wake up to report `RecvError`.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("oneshot::Sender { .. }")
    }
}

/// The receiving end: a future of `Result<T, RecvError>`.
///
/// Kotlin: `CompletableDeferred.await`
pub struct Receiver<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut shared = lock(&self.shared);
        if let Some(value) = shared.value.take() {
            return Poll::Ready(Ok(value));
        }
        if shared.sender_gone {
            return Poll::Ready(Err(RecvError(())));
        }
        store_waker(&mut shared.waker, cx.waker());
        Poll::Pending
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let value = {
            let mut shared = lock(&self.shared);
            shared.receiver_gone = true;
            shared.value.take()
        };
        drop(value); // a value that arrived but was never read, dropped outside the lock
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("oneshot::Receiver { .. }")
    }
}

/// The sender was dropped without sending a value.
///
/// Kotlin: `kotlinx.coroutines.CancellationException` (the deferred was cancelled)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecvError(());

impl fmt::Display for RecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the oneshot sender was dropped without sending")
    }
}

impl Error for RecvError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::{thread_cpu_time, watchdog};
    use crate::runtime::{block_on, timeout};
    use std::time::{Duration, Instant};

    /// A task waiting on a oneshot is woken by a send from a plain thread 100 ms later, and
    /// the worker sleeps meanwhile (it uses almost no CPU: it is blocked in `epoll_wait`).
    #[test]
    fn wake_from_another_thread() {
        let (value, waited, cpu) = watchdog(|| {
            block_on(async {
                let (tx, rx) = channel();
                let sender = std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(100));
                    tx.send("across threads").unwrap();
                });
                let (start, cpu_before) = (Instant::now(), thread_cpu_time());
                // The timeout turns a lost wake-up into a failure instead of a hang.
                let value = timeout(Duration::from_secs(5), rx).await;
                let cpu = thread_cpu_time() - cpu_before;
                sender.join().unwrap();
                (value, start.elapsed(), cpu)
            })
        });
        assert_eq!(value, Ok(Ok("across threads")));
        assert!(waited >= Duration::from_millis(100), "{waited:?}");
        assert!(
            cpu < Duration::from_millis(20),
            "the waiting worker used {cpu:?} of CPU"
        );
    }

    /// Dropping the sender without sending gives `RecvError`, even across threads.
    #[test]
    fn dropped_sender_is_an_error() {
        let result = watchdog(|| {
            let (tx, rx) = channel::<u32>();
            std::thread::spawn(move || drop(tx));
            block_on(rx)
        });
        assert_eq!(result, Err(RecvError(())));
        assert!(!result.unwrap_err().to_string().is_empty());
    }

    /// Sending to a dropped receiver hands the value back.
    #[test]
    fn send_to_a_dropped_receiver_fails() {
        let (tx, rx) = channel();
        drop(rx);
        assert_eq!(tx.send(5), Err(5));
    }
}

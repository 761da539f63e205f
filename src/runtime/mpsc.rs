//! An asynchronous, unbounded, multi-producer single-consumer channel.
//!
//! # How it works
//!
//! Every [`Sender`] and the [`Receiver`] share one `Arc<Mutex<Shared<T>>>`: a `VecDeque` of
//! messages plus what the two ends need to know about each other.
//!
//! - `send` locks, pushes the message, takes the receiver's waker (if it is waiting), unlocks,
//!   and wakes it. It never waits, so it works from plain threads as well as from tasks. When
//!   the receiver lives on another worker, the wake takes the cross-thread path (the worker's
//!   inbox and doorbell, see `task.rs`).
//! - `recv` locks and pops. On an empty queue it stores its waker and returns `Pending`. When
//!   the last `Sender` is dropped it is woken one last time and returns `None` once the queue
//!   is empty.
//!
//! Wakers are called *after* the lock is released: a waker is outside code and must never run
//! while we hold a lock it might want.
//!
//! # Ktor counterpart and what was not chosen
//!
//! This is kotlinx.coroutines' `Channel(Channel.UNLIMITED)`. The lock is held for a few
//! instructions (a push or a pop), and the channel carries jobs and messages, not every byte of
//! every request, so a plain `Mutex` does the job. Lock-free queues (Tokio's block-linked list, crossbeam) pay off
//! when many threads hammer one channel; they cost many lines of atomic reasoning.
//!
//! "Unbounded" means a fast producer can outrun the consumer and grow memory without limit.
//! Use it for control messages; a byte stream that needs back-pressure wants a bounded channel.

use std::collections::VecDeque;
use std::error::Error;
use std::fmt;
use std::future::poll_fn;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Poll, Waker};

use super::task::store_waker;

/// Creates a channel and returns its two ends.
///
/// ```
/// use mini_ktor::runtime::{block_on, mpsc};
///
/// let (tx, mut rx) = mpsc::channel();
/// std::thread::spawn(move || tx.send("hello from a thread").unwrap());
/// assert_eq!(block_on(rx.recv()), Some("hello from a thread"));
/// ```
///
/// Kotlin: `kotlinx.coroutines.channels.Channel(Channel.UNLIMITED)`
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(Shared {
        queue: VecDeque::new(),
        receiver_waker: None,
        senders: 1,
        receiver_alive: true,
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
    /// Sent, not yet received. Emptied (and dropped) when the receiver is dropped.
    queue: VecDeque<T>,
    /// Set by a `recv` that found the queue empty; taken by the next `send` or last sender drop.
    receiver_waker: Option<Waker>,
    /// Live `Sender`s: +1 per clone, -1 per drop. At 0, `recv` returns `None` once empty.
    senders: usize,
    /// Cleared when the `Receiver` is dropped; `send` then fails.
    receiver_alive: bool,
}

/// Locks `shared`. No user code runs under this lock, so poisoning is impossible in practice;
/// if it ever happened, the data (a queue) would still be consistent, so we carry on.
fn lock<T>(shared: &Mutex<Shared<T>>) -> MutexGuard<'_, Shared<T>> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The sending end. Clone it for more producers; `Send + Sync` when `T: Send`.
///
/// Kotlin: `kotlinx.coroutines.channels.SendChannel`
pub struct Sender<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Sender<T> {
    /// Queues `value` for the receiver and wakes it. Never waits. Fails, giving the value back,
    /// if the receiver was dropped.
    ///
    /// Kotlin: `SendChannel.trySend` (never suspends on an unlimited channel)
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        let waker = {
            let mut shared = lock(&self.shared);
            if !shared.receiver_alive {
                return Err(SendError(value));
            }
            shared.queue.push_back(value);
            shared.receiver_waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(())
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        lock(&self.shared).senders += 1;
        Sender {
            shared: Arc::clone(&self.shared),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut shared = lock(&self.shared);
            shared.senders -= 1;
            if shared.senders > 0 {
                return;
            }
            shared.receiver_waker.take()
        };
        // The last sender is gone: a waiting receiver must wake up to return `None`.
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Sender { .. }")
    }
}

/// The receiving end. There is exactly one.
///
/// Kotlin: `kotlinx.coroutines.channels.ReceiveChannel`
pub struct Receiver<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

impl<T> Receiver<T> {
    /// Waits for the next message. Returns `None` when every `Sender` is gone and the queue
    /// is empty (messages sent before the last drop are still delivered).
    ///
    /// Kotlin: `ReceiveChannel.receiveCatching`
    pub async fn recv(&mut self) -> Option<T> {
        poll_fn(|cx| {
            let mut shared = lock(&self.shared);
            if let Some(value) = shared.queue.pop_front() {
                return Poll::Ready(Some(value));
            }
            if shared.senders == 0 {
                return Poll::Ready(None);
            }
            store_waker(&mut shared.receiver_waker, cx.waker());
            Poll::Pending
        })
        .await
    }

    /// Takes the next message if one is queued, without waiting.
    ///
    /// Kotlin: `ReceiveChannel.tryReceive`
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut shared = lock(&self.shared);
        match shared.queue.pop_front() {
            Some(value) => Ok(value),
            None if shared.senders == 0 => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let queued = {
            let mut shared = lock(&self.shared);
            shared.receiver_alive = false;
            std::mem::take(&mut shared.queue)
        };
        drop(queued); // the messages' destructors run outside the lock
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Receiver { .. }")
    }
}

/// The error of [`Sender::send`] when the receiver is gone; holds the unsent value.
///
/// Kotlin: `kotlinx.coroutines.channels.ClosedSendChannelException`
#[derive(PartialEq, Eq)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SendError { .. }")
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("sending on a channel whose receiver is gone")
    }
}

impl<T> Error for SendError<T> {}

/// Why [`Receiver::try_recv`] returned no message.
///
/// Kotlin: `kotlinx.coroutines.channels.ChannelResult` (failed or closed)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryRecvError {
    /// Nothing queued right now; senders remain.
    Empty,
    /// Nothing queued and every sender is gone: nothing will ever come.
    Disconnected,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryRecvError::Empty => f.write_str("channel is empty"),
            TryRecvError::Disconnected => f.write_str("channel is empty and every sender is gone"),
        }
    }
}

impl Error for TryRecvError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::test_support::watchdog;
    use crate::runtime::{block_on, spawn};

    /// Four producer threads send 1,000 messages each; the receiver gets all 4,000, in order
    /// per producer, then `None` once every sender is gone.
    #[test]
    fn many_producer_threads() {
        let received = watchdog(|| {
            block_on(async {
                let (tx, mut rx) = channel();
                let threads: Vec<_> = (0..4u32)
                    .map(|producer| {
                        let tx = tx.clone();
                        std::thread::spawn(move || {
                            for i in 0..1_000u32 {
                                tx.send((producer, i)).unwrap();
                            }
                        })
                    })
                    .collect();
                drop(tx);
                let mut received = Vec::new();
                while let Some(message) = rx.recv().await {
                    received.push(message);
                }
                threads.into_iter().for_each(|t| t.join().unwrap());
                received
            })
        });
        assert_eq!(received.len(), 4_000);
        for producer in 0..4 {
            let own: Vec<u32> = received.iter().filter(|m| m.0 == producer).map(|m| m.1).collect();
            assert_eq!(own, (0..1_000).collect::<Vec<_>>());
        }
    }

    /// `try_recv` tells empty from disconnected; `send` fails once the receiver is dropped.
    #[test]
    fn try_recv_and_send_errors() {
        let (tx, mut rx) = channel::<u8>();
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
        tx.send(1).unwrap();
        assert_eq!(rx.try_recv(), Ok(1));
        drop(rx);
        assert_eq!(tx.send(2), Err(SendError(2)));
        let (tx, mut rx) = channel::<u8>();
        drop(tx);
        assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    }

    /// A receiver task on the same worker is woken by a send from another task.
    #[test]
    fn same_worker_send_wakes_the_receiver() {
        watchdog(|| {
            block_on(async {
                let (tx, mut rx) = channel();
                let consumer = spawn(async move { rx.recv().await });
                drop(spawn(async move { tx.send("ping").unwrap() }));
                assert_eq!(consumer.await.unwrap(), Some("ping"));
            })
        });
    }
}

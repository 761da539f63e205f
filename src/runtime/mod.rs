//! The async runtime: workers, tasks, an epoll reactor, timers, TCP and channels, on std alone.
//!
//! Ktor runs on kotlinx.coroutines and ktor-network; Rust's standard library has `Future`,
//! `Waker` and non-blocking sockets, but nothing that runs futures or waits for sockets. This
//! module is that missing piece, small enough to read in one sitting.
//!
//! # How the pieces fit
//!
//! A **worker** is one OS thread running [`block_on`]. It owns two things that never meet
//! directly:
//!
//! ```text
//!              ┌──────────────────────── one worker thread ───────────────────────┐
//!              │                                                                  │
//!   spawn() ──►│  executor (executor.rs)            reactor (reactor.rs)          │
//!              │    slab of tasks                     epoll (sys/epoll.rs)        │
//!              │    local ready queue ◄── wake ──     token → reader/writer Waker │
//!              │    poll a batch, then ───────────►   turn(): epoll_wait, wake    │
//!              │                                      timers (timer.rs)           │
//!              └────────▲─────────────────────────────────────────────────────────┘
//!                       │ inbox + doorbell (task.rs, sys/eventfd.rs)
//!         wake() from another thread (mpsc/oneshot send, Runtime::spawn_on)
//! ```
//!
//! 1. The executor polls ready tasks. A task that must wait for a socket hands its `Waker`
//!    to the reactor under the socket's token (`net.rs`, `registration.rs`) and returns
//!    `Pending`.
//! 2. With nothing left to poll, the executor calls `reactor.turn()`, which sleeps in
//!    `epoll_wait` until a socket is ready, a timer is due, or the doorbell rings.
//! 3. The reactor wakes the stored wakers; waking queues the task on the executor; repeat.
//!
//! The executor knows nothing about file descriptors and the reactor nothing about tasks: they
//! meet only at a [`std::task::Waker`] and a `usize` token.
//!
//! A [`Runtime`] starts one worker per core and lets other threads start work on them with
//! [`Runtime::spawn_on`]. A connection stays on the worker that accepted it (or was handed it)
//! for life, so futures never need to be `Send`: they can use `Rc` and `RefCell` freely.
//!
//! # Files
//!
//! - `sys/`: the only code calling into C (epoll, eventfd, listen), behind safe wrappers.
//! - `slab.rs`: the index table used for tasks and registrations.
//! - `task.rs`, `executor.rs`, `join.rs`: tasks and wakers, the run loop, task results.
//! - `reactor.rs`, `registration.rs`, `timer.rs`: readiness and deadlines.
//! - `io.rs`, `net.rs`: async byte streams and TCP.
//! - `mpsc.rs`, `oneshot.rs`, `future.rs`: channels and small future helpers.
//! - `pool.rs`: the multi-worker [`Runtime`].
//!
//! Ktor counterparts: kotlinx.coroutines (`runBlocking`, `launch`, `delay`, `Channel`) and
//! ktor-network (`SelectorManager`, `ServerSocket`, `Socket`).

mod executor;
mod future;
mod io;
mod join;
pub mod mpsc;
mod net;
pub mod oneshot;
mod pool;
mod reactor;
mod registration;
mod slab;
mod sys;
mod task;
mod timer;

#[cfg(test)]
mod test_support;

pub use executor::{block_on, spawn};
pub use future::{Race, race, yield_now};
pub use io::{AsyncRead, AsyncWrite};
pub use join::{JoinError, JoinHandle};
pub use net::{TcpListener, TcpStream};
pub(crate) use pool::start_thread;
pub use pool::{Runtime, RuntimeHandle, available_parallelism, current_worker};
pub use timer::{Elapsed, ReusableTimer, Sleep, Timeout, after, sleep, sleep_until, timeout};

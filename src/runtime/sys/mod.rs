//! The seam between the runtime and the Linux kernel: the only module of the crate that may
//! call foreign functions.
//!
//! Everything above this module speaks safe Rust. Everything in it is a thin wrapper over one
//! system call, with a `// SAFETY:` comment saying why the call cannot break memory safety:
//!
//! - [`epoll`]: an `Epoll` instance (`epoll_create1`, `epoll_ctl`, `epoll_wait`). It answers one
//!   question for the reactor: "which of my sockets became readable or writable?"
//! - [`eventfd`]: an `EventFd`, a kernel counter used as a doorbell. Another thread writes to
//!   it, the worker's `epoll_wait` sees it become readable and returns.
//! - [`listen`]: `set_backlog`, a longer accept queue than std's for listening sockets.
//!
//! The functions are declared by hand in `extern "C"` blocks. There is no `libc` crate here:
//! the standard library already links the C library, so the symbols are there, and declaring
//! the five we need shows exactly what crosses the boundary. Constants come from the
//! Linux headers (`<sys/epoll.h>`, `<sys/eventfd.h>`).
//!
//! Not chosen: `std::os::unix::net::UnixStream::pair()` would also work as a doorbell without
//! any foreign call, at the price of two file descriptors and a socket buffer per worker. The
//! eventfd is one descriptor holding a single 8-byte counter; it is what Tokio (through mio)
//! and smol (through polling) use on Linux.
//!
//! Ktor counterpart: the JVM's `java.nio.channels.Selector` (epoll under the hood on Linux),
//! which `io.ktor.network.selector.ActorSelectorManager` drives.

// The crate root denies `unsafe_code`; this module, and only this module, lifts that ban.
// `deny` (not `forbid`) at the root is what makes this local `allow` possible.
#![allow(unsafe_code)]
// Every block that calls into C must say why it is sound.
#![deny(clippy::undocumented_unsafe_blocks)]

#[cfg(not(target_os = "linux"))]
compile_error!("mini-ktor's runtime is built on epoll and eventfd, which only Linux provides");

pub(crate) mod epoll;
pub(crate) mod eventfd;
pub(crate) mod listen;

pub(crate) use epoll::{Epoll, Events, Interest};
pub(crate) use eventfd::EventFd;

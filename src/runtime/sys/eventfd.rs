//! `EventFd`: a doorbell that any thread can ring to wake a worker blocked in `epoll_wait`.
//!
//! An eventfd is a kernel object holding one 64-bit counter. `write(8 bytes)` adds to it and
//! makes the descriptor readable; `read(8 bytes)` returns the sum and resets it to zero. The
//! worker registers its eventfd with its own epoll instance. When another thread queues work
//! for that worker, it writes `1`, the worker's `epoll_wait` returns, and the worker reads the
//! counter back to zero ("drains" it) before looking at the work.
//!
//! Only creating the descriptor needs a foreign call. Reading and writing go through
//! `std::fs::File`, which is just an owned descriptor with `read`/`write`, and `&File`
//! implements both, so the doorbell can be shared by reference between threads (`File` is
//! `Sync`).
//!
//! Not chosen: `std::thread::park`/`unpark`, the classic way to wake a sleeping executor. A
//! parked thread is not inside `epoll_wait`, so it could not also wait for sockets; the worker
//! must sleep in exactly one place, and that place is the kernel's epoll.
//!
//! Counterpart: mio's `Waker` (an eventfd on Linux) and the `polling` crate's notifier.
//!
//! Ktor: none of its own; `io.ktor.network.selector.ActorSelectorManager` wakes the coroutine
//! blocked in `select` with `java.nio.channels.Selector.wakeup()`, which the JDK's epoll
//! selector implements the same way: a descriptor its epoll watches (an eventfd or a pipe,
//! depending on the JDK), written to wake it.

use std::ffi::{c_int, c_uint};
use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

// Values from <sys/eventfd.h>: same as O_CLOEXEC and O_NONBLOCK.
const EFD_CLOEXEC: c_int = 0o2_000_000;
const EFD_NONBLOCK: c_int = 0o4_000;

unsafe extern "C" {
    fn eventfd(initval: c_uint, flags: c_int) -> c_int;
}

/// A non-blocking eventfd used as a cross-thread doorbell.
#[derive(Debug)]
pub(crate) struct EventFd {
    file: File,
}

impl EventFd {
    /// Creates an eventfd with the counter at zero (not readable yet).
    pub(crate) fn new() -> io::Result<EventFd> {
        // SAFETY: `eventfd` takes two integers and returns a new descriptor or -1.
        let fd = unsafe { eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just returned by the kernel, is open, and nothing else owns it.
        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(EventFd {
            file: File::from(owned),
        })
    }

    /// Rings the bell: adds 1 to the counter, which makes the descriptor readable.
    ///
    /// Errors are ignored on purpose. The only possible one on a valid eventfd is
    /// `WouldBlock` when the counter is near `u64::MAX`, and then it is readable already.
    pub(crate) fn notify(&self) {
        let _ = (&self.file).write(&1u64.to_ne_bytes());
    }

    /// Resets the counter to zero, so the next `notify` produces a fresh edge.
    ///
    /// `WouldBlock` (the counter was already zero) is fine and ignored.
    pub(crate) fn drain(&self) {
        let mut buf = [0u8; 8];
        let _ = (&self.file).read(&mut buf);
    }
}

impl AsRawFd for EventFd {
    fn as_raw_fd(&self) -> RawFd {
        self.file.as_raw_fd()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The counter sums notifications and a drain resets it (a second drain finds nothing).
    #[test]
    fn notify_then_drain() {
        let bell = EventFd::new().unwrap();
        bell.notify();
        bell.notify();
        let mut buf = [0u8; 8];
        assert_eq!((&bell.file).read(&mut buf).unwrap(), 8);
        assert_eq!(u64::from_ne_bytes(buf), 2);
        let err = (&bell.file).read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        bell.drain(); // harmless on an empty counter
    }
}

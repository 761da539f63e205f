//! A safe wrapper around Linux `epoll`: register file descriptors under a `usize` token, then
//! sleep until some of them are ready.
//!
//! # How epoll is used here
//!
//! The kernel keeps an "interest list" per epoll instance. `epoll_ctl(ADD)` puts a file
//! descriptor on it together with 64 bits of user data; we store the reactor's token there.
//! `epoll_wait` blocks until at least one descriptor is ready (or the timeout passes) and
//! copies `(events, data)` pairs into a buffer we provide. So the kernel hands back our own
//! token, and the reactor uses it as an index into its table of wakers.
//!
//! Every registration is **edge-triggered** (`EPOLLET`): the kernel reports a descriptor when
//! its state *changes* (new bytes arrived, send buffer space was freed), not on every call while
//! it stays ready. That lets us register a socket once, for reading and writing together, and
//! never touch `epoll_ctl` again until it closes. The reactor explains why no edge is lost.
//!
//! Not chosen: level-triggered or one-shot mode (`EPOLLONESHOT`, what the `polling` crate
//! defaults to). One-shot needs an `epoll_ctl(MOD)` system call to re-arm after every event;
//! level-triggered keeps reporting a readable socket until someone reads it, which would make an
//! idle-but-unread socket spin the worker.
//!
//! Counterpart: mio's `Poll`, and Java NIO's `Selector` (epoll on Linux), which Ktor's
//! `SelectorManager` uses.

use std::ffi::c_int;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

// Values from <sys/epoll.h> (identical on x86_64 and aarch64).
const EPOLL_CLOEXEC: c_int = 0o2_000_000;
const EPOLL_CTL_ADD: c_int = 1;
const EPOLL_CTL_DEL: c_int = 2;
#[allow(dead_code, reason = "only `Epoll::modify` uses it")]
const EPOLL_CTL_MOD: c_int = 3;
const EPOLLIN: u32 = 0x001;
const EPOLLOUT: u32 = 0x004;
const EPOLLERR: u32 = 0x008;
const EPOLLHUP: u32 = 0x010;
const EPOLLRDHUP: u32 = 0x2000;
const EPOLLET: u32 = 1 << 31;

/// The C `struct epoll_event`: an event mask and 64 bits of user data.
///
/// The gotcha: on x86_64 (and only there) the kernel declares this struct
/// `__attribute__((packed))`, so it is 12 bytes with `data` at offset 4. Every other target
/// gives it the normal C layout, which depends on how `u64` is aligned there: 16 bytes with
/// `data` at offset 8 where it is 8-aligned (aarch64), 12 bytes with `data` at offset 4 where it
/// is 4-aligned (i686). `repr(C)` follows the target's C rules, so it matches both. A struct
/// with the wrong layout would make the kernel write tokens where we do not read them. And
/// because a packed field may sit at an unaligned address, Rust forbids taking a reference to
/// it: always copy a field out (`let data = event.data;`) instead of writing `&event.data`.
#[cfg_attr(target_arch = "x86_64", repr(C, packed))]
#[cfg_attr(not(target_arch = "x86_64"), repr(C))]
#[derive(Clone, Copy)]
struct EpollEvent {
    events: u32,
    data: u64,
}

unsafe extern "C" {
    fn epoll_create1(flags: c_int) -> c_int;
    fn epoll_ctl(epfd: c_int, op: c_int, fd: c_int, event: *mut EpollEvent) -> c_int;
    fn epoll_wait(epfd: c_int, events: *mut EpollEvent, maxevents: c_int, timeout: c_int) -> c_int;
}

/// Which readiness a registration asks for. Always edge-triggered; see the module docs.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Interest {
    /// Report when the descriptor becomes readable (or the peer hangs up).
    pub(crate) read: bool,
    /// Report when the descriptor becomes writable.
    pub(crate) write: bool,
}

impl Interest {
    /// Readable only (the doorbell).
    pub(crate) const READ: Interest = Interest {
        read: true,
        write: false,
    };
    /// Readable and writable (sockets).
    pub(crate) const BOTH: Interest = Interest {
        read: true,
        write: true,
    };

    fn to_mask(self) -> u32 {
        let mut mask = EPOLLET;
        if self.read {
            // RDHUP: the peer shut down its writing half; a reader must wake and see EOF.
            mask |= EPOLLIN | EPOLLRDHUP;
        }
        if self.write {
            mask |= EPOLLOUT;
        }
        mask
    }
}

/// One readiness report, translated from the kernel's bit mask.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Event {
    /// The token given to [`Epoll::add`].
    pub(crate) token: usize,
    /// A read would make progress (data, EOF, or an error to report).
    pub(crate) readable: bool,
    /// A write would make progress (buffer space, or an error to report).
    pub(crate) writable: bool,
    /// The peer shut down its writing half, or the connection failed: from now on a read never
    /// waits (it returns end-of-stream or the error), and no further edge will say so.
    pub(crate) read_closed: bool,
}

/// A reusable buffer that `epoll_wait` fills. Allocated once per reactor.
pub(crate) struct Events {
    raw: Box<[EpollEvent]>,
    /// How many entries of `raw` the last wait filled.
    len: usize,
}

impl Events {
    /// A buffer for up to `capacity` events per wait (more stay queued in the kernel).
    pub(crate) fn with_capacity(capacity: usize) -> Events {
        let empty = EpollEvent { events: 0, data: 0 };
        Events {
            raw: vec![empty; capacity.max(1)].into_boxed_slice(),
            len: 0,
        }
    }

    /// The events of the last wait.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Event> + '_ {
        self.raw[..self.len].iter().map(|raw| {
            // Copy both fields out of the (possibly packed) struct before using them.
            let (mask, data) = (raw.events, raw.data);
            // Errors and hang-ups wake both sides: the next read or write reports them.
            let failed = mask & (EPOLLERR | EPOLLHUP) != 0;
            Event {
                token: data as usize,
                readable: failed || mask & (EPOLLIN | EPOLLRDHUP) != 0,
                writable: failed || mask & EPOLLOUT != 0,
                read_closed: failed || mask & EPOLLRDHUP != 0,
            }
        })
    }
}

/// An epoll instance. Closing it (drop) releases every registration at once.
pub(crate) struct Epoll {
    fd: OwnedFd,
}

impl Epoll {
    /// Creates a new epoll instance (close-on-exec, so child processes do not inherit it).
    pub(crate) fn new() -> io::Result<Epoll> {
        // SAFETY: `epoll_create1` takes a plain integer and returns a new descriptor or -1.
        let fd = unsafe { epoll_create1(EPOLL_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` was just returned by the kernel, is open, and nothing else owns it.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(Epoll { fd })
    }

    /// Starts watching `fd`; its events will carry `token`.
    ///
    /// A raw number is enough: the kernel checks it, and a stale or wrong one is an error
    /// (`EBADF`, `ENOENT`), never memory corruption. The caller must `delete` it before
    /// closing `fd`, because the number may be reused by the next socket.
    pub(crate) fn add(&self, fd: RawFd, token: usize, interest: Interest) -> io::Result<()> {
        self.ctl(EPOLL_CTL_ADD, fd, token, interest)
    }

    /// Changes the token or interest of a registered `fd`.
    ///
    /// The reactor never calls it: a socket is registered once, for both directions, and
    /// edge-triggered registrations need no re-arming. It completes the wrapper (and is tested)
    /// for readers who try level-triggered or one-shot mode.
    #[allow(dead_code, reason = "the edge-triggered reactor never changes a registration")]
    pub(crate) fn modify(&self, fd: RawFd, token: usize, interest: Interest) -> io::Result<()> {
        self.ctl(EPOLL_CTL_MOD, fd, token, interest)
    }

    /// Stops watching `fd`.
    pub(crate) fn delete(&self, fd: RawFd) -> io::Result<()> {
        // The kernel ignores the event argument of DEL, and since Linux 2.6.9 it may be NULL.
        // Passing one anyway keeps a single `ctl` path and works on older kernels too.
        self.ctl(EPOLL_CTL_DEL, fd, 0, Interest::READ)
    }

    fn ctl(&self, op: c_int, fd: RawFd, token: usize, interest: Interest) -> io::Result<()> {
        use std::os::fd::AsRawFd;
        let mut event = EpollEvent {
            events: interest.to_mask(),
            data: token as u64,
        };
        // SAFETY: `event` is a valid, initialised struct with the kernel's layout that lives
        // across the call; the kernel only reads it. Bad descriptors are reported as errors.
        let rc = unsafe { epoll_ctl(self.fd.as_raw_fd(), op, fd, &mut event) };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    /// Blocks until an event arrives or `timeout` passes (`None` waits forever), then fills
    /// `events`. Returns the number of events (0 on timeout).
    ///
    /// The kernel counts the timeout in whole milliseconds, so it is rounded **up**: a timer
    /// 0.3 ms away must sleep 1 ms, not spin on a 0 ms timeout until it expires. A signal
    /// interrupting the wait (`EINTR`) is not an error for us; we wait again for what remains.
    pub(crate) fn wait(&self, events: &mut Events, timeout: Option<Duration>) -> io::Result<usize> {
        use std::os::fd::AsRawFd;
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            let millis = match deadline {
                None => -1,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    left.as_nanos().div_ceil(1_000_000).min(c_int::MAX as u128) as c_int
                }
            };
            let capacity = events.raw.len().min(c_int::MAX as usize) as c_int;
            // SAFETY: the pointer and `capacity` describe a live, writable buffer of
            // `EpollEvent`s that we borrow mutably for the duration of the call; the kernel
            // writes at most `capacity` entries into it.
            let n = unsafe { epoll_wait(self.fd.as_raw_fd(), events.raw.as_mut_ptr(), capacity, millis) };
            if n >= 0 {
                events.len = n as usize;
                return Ok(events.len);
            }
            let error = io::Error::last_os_error();
            if error.kind() != io::ErrorKind::Interrupted {
                events.len = 0;
                return Err(error);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::sys::EventFd;
    use std::os::fd::AsRawFd;
    use std::sync::Arc;

    /// A wait with a sub-millisecond timeout sleeps about a millisecond instead of returning
    /// at once (the timeout is rounded up, not down).
    #[test]
    fn sub_millisecond_timeout_is_rounded_up() {
        let epoll = Epoll::new().unwrap();
        let mut events = Events::with_capacity(8);
        let start = Instant::now();
        let n = epoll.wait(&mut events, Some(Duration::from_micros(300))).unwrap();
        assert_eq!(n, 0);
        assert!(start.elapsed() >= Duration::from_micros(300));
    }

    /// Ringing an eventfd from another thread ends a wait that had no timeout, and the event
    /// carries the token it was registered with.
    #[test]
    fn eventfd_wakes_a_blocked_wait() {
        let epoll = Epoll::new().unwrap();
        let bell = Arc::new(EventFd::new().unwrap());
        epoll.add(bell.as_raw_fd(), 7, Interest::READ).unwrap();
        let ringer = Arc::clone(&bell);
        let thread = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(30));
            ringer.notify();
        });
        let mut events = Events::with_capacity(8);
        // A bound instead of `None`, so a broken doorbell fails the test instead of hanging it.
        let n = epoll.wait(&mut events, Some(Duration::from_secs(10))).unwrap();
        thread.join().unwrap();
        assert_eq!(n, 1);
        let event = events.iter().next().unwrap();
        assert_eq!(event.token, 7);
        assert!(event.readable);
        bell.drain();
        // Edge-triggered and drained: nothing more to report.
        assert_eq!(epoll.wait(&mut events, Some(Duration::ZERO)).unwrap(), 0);
        epoll.delete(bell.as_raw_fd()).unwrap();
    }

    /// `modify` replaces the token of a registration; `delete` of an unknown fd is an error.
    #[test]
    fn modify_and_delete() {
        let epoll = Epoll::new().unwrap();
        let bell = EventFd::new().unwrap();
        epoll.add(bell.as_raw_fd(), 1, Interest::READ).unwrap();
        epoll.modify(bell.as_raw_fd(), 2, Interest::BOTH).unwrap();
        let mut events = Events::with_capacity(8);
        // An eventfd is always writable: the new interest reports at once, with the new token.
        assert_eq!(epoll.wait(&mut events, Some(Duration::ZERO)).unwrap(), 1);
        assert_eq!(events.iter().next().unwrap().token, 2);
        epoll.delete(bell.as_raw_fd()).unwrap();
        assert!(epoll.delete(bell.as_raw_fd()).is_err());
    }
}

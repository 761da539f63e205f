//! `Registration`: one file descriptor known to the reactor, and the future that waits on it.
//!
//! A socket type (`net.rs`) owns a `Registration` next to its std socket. The registration is
//! the socket's token in the reactor's table; it adds the descriptor to epoll when created and
//! removes it when dropped. In between, [`Registration::ready`] is the one way to wait:
//!
//! ```text
//!   match socket.read(buf) {                      // try first
//!       Err(WouldBlock) => registration.ready(Direction::Read).await,   // then wait
//!       ...
//!   }
//! ```
//!
//! `ready` returns a [`Readiness`] future. Its first poll stores the task's waker in the
//! socket's reader (or writer) slot and returns `Pending`; its second poll, after a wake,
//! returns `Ready`, and the caller tries the system call again. It never checks whether the
//! socket really is ready: the system call is the only reliable judge, and retrying it is
//! cheap. This is the "readiness" model of epoll (and of Tokio and mio): the kernel says
//! *when to try*, not *what happened*.
//!
//! Not chosen: the "completion" model of io_uring (and of Windows IOCP), where the kernel
//! performs the read itself and reports the result. It saves system calls but needs buffers
//! owned by the kernel while the operation runs, which does not fit `&mut [u8]` borrowed for
//! one `read` call.
//!
//! Ktor counterpart: `io.ktor.network.selector.Selectable` (a channel registered with the
//! selector) and `SelectorManager.select(selectable, interest)`, which suspends until ready.

use std::future::Future;
use std::io;
use std::os::fd::RawFd;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};

use super::reactor::{self, Reactor};

/// Which side of a socket a future waits for.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Direction {
    /// Waiting for bytes to read (or an incoming connection, or EOF).
    Read,
    /// Waiting for room in the send buffer. (A non-blocking connect would wait here too, but
    /// `TcpStream::connect` connects blocking, before the socket is registered.)
    Write,
}

/// A file descriptor registered with the current worker's reactor; deregisters on drop.
///
/// Holding an `Rc` makes it `!Send`: a registered socket cannot leave its worker, which is the
/// whole thread-per-core contract, checked by the compiler. The owner must drop it *before*
/// closing the descriptor (declare it as an earlier struct field: fields drop in order).
pub(crate) struct Registration {
    /// The reactor holding our slot; an `Rc`, which is what makes the socket `!Send`.
    reactor: Rc<Reactor>,
    /// Our key in the reactor's table, and the user data epoll hands back with each event.
    token: usize,
    /// The descriptor, kept only to remove it from epoll on drop.
    fd: RawFd,
}

impl Registration {
    /// Registers `fd` with the current worker's reactor. Panics outside a worker.
    pub(crate) fn new(fd: RawFd) -> io::Result<Registration> {
        let reactor = reactor::current();
        let token = reactor.register(fd)?;
        Ok(Registration { reactor, token, fd })
    }

    /// Whether a read may find bytes: false once a read found the socket drained, true again
    /// after the next readable event.
    pub(crate) fn is_readable(&self) -> bool {
        self.reactor.is_readable(self.token)
    }

    /// Records that a read found the socket drained.
    pub(crate) fn clear_readable(&self) {
        self.reactor.clear_readable(self.token);
    }

    /// A future that stores the task's waker for `direction` and completes when woken.
    /// Call it only after the system call returned `WouldBlock` (see the module docs).
    pub(crate) fn ready(&self, direction: Direction) -> Readiness<'_> {
        Readiness {
            registration: self,
            direction,
            waited: false,
        }
    }
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registration")
            .field("token", &self.token)
            .field("fd", &self.fd)
            .finish()
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.reactor.deregister(self.token, self.fd);
    }
}

/// Returned by [`Registration::ready`]: `Pending` once (after storing the waker), then `Ready`.
///
/// Being woken does not prove the socket is ready (wakes may be spurious), so the caller simply
/// retries its system call and, on `WouldBlock`, waits again.
pub(crate) struct Readiness<'a> {
    registration: &'a Registration,
    direction: Direction,
    /// Whether the first poll (the one that stored the waker) happened.
    waited: bool,
}

impl Future for Readiness<'_> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.waited {
            return Poll::Ready(());
        }
        self.waited = true;
        let Registration { reactor, token, .. } = self.registration;
        reactor::debug_assert_current(reactor);
        reactor.set_waker(*token, self.direction, cx.waker());
        Poll::Pending
    }
}

//! `set_backlog`: a longer accept queue than the 128 connections std asks for.
//!
//! `std::net::TcpListener::bind` calls `listen(fd, 128)`. The backlog is how many connections
//! the kernel keeps ready for `accept`. When a burst of clients (a benchmark tool opening a
//! thousand connections, say) outruns the accept loop, connections beyond it see their `SYN`
//! dropped and retry after a full second. Linux lets a program call `listen` again on a
//! listening socket to change the backlog, which std has no method for, so we do it here. The
//! kernel caps the value at `/proc/sys/net/core/somaxconn` (4096 on current kernels).
//!
//! Tokio's `TcpListener::bind` uses 1024, and so do we.
//!
//! Ktor: `SocketOptions.AcceptorOptions.backlogSize` (`io.ktor.network.sockets`), 511 unless
//! set, which ktor-network's JVM `bind` passes to the server socket; the CIO engine's
//! `httpServer` binds without setting it. The JVM sets the backlog at bind time, so Ktor needs
//! no second `listen`.

use std::ffi::c_int;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

unsafe extern "C" {
    fn listen(sockfd: c_int, backlog: c_int) -> c_int;
}

/// Sets the accept-queue length of the listening socket `fd`.
pub(crate) fn set_backlog(fd: BorrowedFd<'_>, backlog: u32) -> io::Result<()> {
    let backlog = backlog.min(c_int::MAX as u32) as c_int;
    // SAFETY: `listen` takes two integers; `fd` is borrowed, so it is open for this call.
    let rc = unsafe { listen(fd.as_raw_fd(), backlog) };
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(())
    }
}

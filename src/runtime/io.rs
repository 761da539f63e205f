//! [`AsyncRead`] and [`AsyncWrite`]: the byte-stream traits the HTTP engine is written against.
//!
//! std has `Read` and `Write`, but their methods block. These are the same two ideas as
//! `async fn`s: `read` fills part of a buffer and returns how many bytes it wrote (`0` means
//! end of stream); `write` sends part of a buffer and returns how many bytes it took.
//!
//! The engine's connection loop is generic over `engine::Transport`, which builds on these
//! traits, so the same code serves a real [`TcpStream`](crate::runtime::TcpStream) and the
//! in-memory `MemoryStream` of the engine's tests (`tests/engine_memory.rs`). The impls for
//! `&[u8]` (reads from a byte slice) and `Vec<u8>` (collects what is written) serve this
//! module's own tests and simple uses.
//!
//! # Why `async fn` in a trait, and not `poll_read`
//!
//! Tokio and the `futures` crate define `fn poll_read(self: Pin<&mut Self>, cx, buf) ->
//! Poll<io::Result<usize>>`. That shape can be stored as a trait object and is what combinators
//! build on, but every implementation must deal with `Pin`, `Context` and `Poll` by hand. With
//! `async fn` in traits (stable since Rust 1.75), an implementation reads like blocking code,
//! and a learner can follow `read` straight down to the system call.
//!
//! rustc warns (`async_fn_in_trait`) that callers cannot require the returned futures to be
//! `Send`. Here that is intended: a connection and its futures stay on one worker for life, and
//! nothing ever needs to send them to another thread.
//!
//! Ktor counterpart: `io.ktor.utils.io.ByteReadChannel` / `ByteWriteChannel`, the suspending
//! byte channels that CIO reads requests from and writes responses to.

use std::io;

/// An asynchronous source of bytes.
///
/// Ktor: `io.ktor.utils.io.ByteReadChannel`
#[allow(async_fn_in_trait)] // the futures stay on their worker; see the module docs
pub trait AsyncRead {
    /// Reads some bytes into `buf` and returns how many; `Ok(0)` means end of stream (or an
    /// empty `buf`). Waits (without blocking the thread) until at least one byte is there.
    ///
    /// Ktor: `ByteReadChannel.readAvailable`
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;

    /// Reads exactly `buf.len()` bytes, or fails with `UnexpectedEof` if the stream ends first.
    ///
    /// Ktor: `ByteReadChannel.readFully`
    async fn read_exact(&mut self, mut buf: &mut [u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.read(buf).await {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => buf = &mut buf[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// An asynchronous sink of bytes.
///
/// Ktor: `io.ktor.utils.io.ByteWriteChannel`
#[allow(async_fn_in_trait)] // the futures stay on their worker; see the module docs
pub trait AsyncWrite {
    /// Writes some of `buf` and returns how many bytes were taken. Waits (without blocking the
    /// thread) until at least one byte can be taken.
    ///
    /// Ktor: `ByteWriteChannel.writeAvailable`
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize>;

    /// Writes all of `buf`, calling [`write`](AsyncWrite::write) until it is taken. A write
    /// that takes nothing fails with `WriteZero` (the sink is closed), instead of looping.
    ///
    /// Ktor: `ByteWriteChannel.writeFully`
    async fn write_all(&mut self, mut buf: &[u8]) -> io::Result<()> {
        while !buf.is_empty() {
            match self.write(buf).await {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => buf = &buf[n..],
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
}

/// Reading from a byte slice consumes it from the front, like std's `impl Read for &[u8]`.
impl AsyncRead for &[u8] {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = buf.len().min(self.len());
        let (head, tail) = self.split_at(n);
        buf[..n].copy_from_slice(head);
        *self = tail;
        Ok(n)
    }
}

/// Writing to a vector appends to it and never waits.
impl AsyncWrite for Vec<u8> {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.extend_from_slice(buf);
        Ok(buf.len())
    }
}

/// A mutable reference reads like what it points to, so `&mut stream` can be lent out.
impl<R: AsyncRead> AsyncRead for &mut R {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        (**self).read(buf).await
    }
}

/// A mutable reference writes like what it points to.
impl<W: AsyncWrite> AsyncWrite for &mut W {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        (**self).write(buf).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::block_on;

    /// A slice is read in pieces until it is empty, then reads return 0 (end of stream).
    #[test]
    fn slice_reads_to_the_end() {
        block_on(async {
            let mut input: &[u8] = b"hello world";
            let mut buf = [0u8; 5];
            assert_eq!(input.read(&mut buf).await.unwrap(), 5);
            assert_eq!(&buf, b"hello");
            let mut rest = [0u8; 6];
            // Through the `&mut R` impl, as generic code taking `impl AsyncRead` would.
            <&mut &[u8] as AsyncRead>::read_exact(&mut &mut input, &mut rest)
                .await
                .unwrap();
            assert_eq!(&rest, b" world");
            assert_eq!(input.read(&mut buf).await.unwrap(), 0);
            let err = input.read_exact(&mut buf).await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        });
    }

    /// `write_all` into a vector appends every byte; a sink that takes nothing is an error.
    #[test]
    fn write_all_appends_and_detects_a_closed_sink() {
        struct Closed;
        impl AsyncWrite for Closed {
            async fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Ok(0)
            }
        }
        block_on(async {
            let mut out = Vec::new();
            out.write_all(b"abc").await.unwrap();
            <&mut Vec<u8> as AsyncWrite>::write_all(&mut &mut out, b"def")
                .await
                .unwrap();
            assert_eq!(out, b"abcdef");
            let err = Closed.write_all(b"x").await.unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::WriteZero);
        });
    }
}

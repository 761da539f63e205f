//! Streamed responses: a body written piece by piece, its length unknown in advance.
//!
//! Most handlers answer with bytes they already have, and the engine frames them with
//! `Content-Length`. A handler that produces its answer gradually (a large export, a log tail,
//! server-sent events) instead hands the engine a *producer*:
//!
//! ```text
//! handler: call.respond_bytes_writer(type, async |writer| { writer.write(..).await?; ... })
//!                  │ stores the producer; the call is now handled
//!                  ▼
//! engine:  writes the head with `Transfer-Encoding: chunked` (RFC 9112 §7.1), then runs the
//!          producer with a BodyWriter whose every write becomes one chunk on the socket,
//!          and ends with the last, empty chunk
//! ```
//!
//! The producer runs after the pipeline, when the engine writes the response, as Ktor's
//! `WriteChannelContent.writeTo` does. An HTTP/1.0 client knows nothing of chunks, so for it the
//! engine writes the bytes as they come and ends the body by closing the connection
//! (RFC 9112 §6.3, rule 8).
//!
//! The writer reaches the socket through [`ByteSink`], a small trait that returns a boxed
//! future, so that one `BodyWriter` type serves any engine (a TCP socket, a blocking socket, a
//! test's `Vec`). Our `AsyncWrite` uses `async fn`, which cannot be called through `dyn`; the
//! box per write is the price, paid only by streamed responses.
//!
//! Ktor: `io.ktor.http.content.OutgoingContent.WriteChannelContent` and `respondBytesWriter`

use std::io;

use crate::{BoxFuture, Result};

/// Where a [`BodyWriter`] sends its bytes: the engine's side of a streamed response.
///
/// Ktor: none; Ktor's engine gives `WriteChannelContent` its `ByteWriteChannel` directly
pub trait ByteSink {
    /// Sends `bytes` as the next piece of the body (one chunk, when the body is chunked).
    ///
    /// Ktor: `ByteWriteChannel.writeFully(bytes)` + `flush()`
    fn send<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, io::Result<()>>;
}

/// Collecting a streamed body in memory, as the test engine does.
impl ByteSink for Vec<u8> {
    fn send<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, io::Result<()>> {
        self.extend_from_slice(bytes);
        Box::pin(std::future::ready(Ok(())))
    }
}

/// What a streaming handler writes its body to.
///
/// ```
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.routing(|route| {
///         route.get("/count", async |call| {
///             call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
///                 for n in 1..=3 {
///                     writer.write(format!("{n}\n").as_bytes()).await?;
///                 }
///                 Ok(())
///             })
///             .await
///         });
///     });
/// });
/// assert_eq!(client.get("/count").text(), "1\n2\n3\n");
/// ```
///
/// Ktor: `io.ktor.utils.io.ByteWriteChannel`
pub struct BodyWriter<'s> {
    sink: &'s mut dyn ByteSink,
    written: u64,
}

impl<'s> BodyWriter<'s> {
    /// A writer sending to `sink`.
    ///
    /// Ktor: none; the engine creates the channel it passes to `WriteChannelContent.writeTo`
    pub fn new(sink: &'s mut dyn ByteSink) -> BodyWriter<'s> {
        BodyWriter { sink, written: 0 }
    }

    /// Sends `bytes` to the client. Empty writes are skipped: on a chunked body an empty chunk
    /// would mean "the end".
    ///
    /// Ktor: `ByteWriteChannel.writeFully(bytes)` + `flush()`
    pub async fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        self.written += bytes.len() as u64;
        self.sink.send(bytes).await
    }

    /// How many body bytes were written so far.
    ///
    /// Ktor: `ByteWriteChannel.totalBytesWritten`
    pub fn written(&self) -> u64 {
        self.written
    }
}

/// A producer of a streamed body: any `async` closure over a [`BodyWriter`].
///
/// It runs once, on the worker that serves the call, so it need be neither `Send` nor `Sync`.
///
/// Ktor: the `body` lambda of `respondBytesWriter`
pub trait StreamBody {
    /// Writes the whole body to `writer`.
    ///
    /// Ktor: `OutgoingContent.WriteChannelContent.writeTo(channel)`
    fn write_to<'a>(self: Box<Self>, writer: &'a mut BodyWriter<'_>) -> BoxFuture<'a, Result<()>>;
}

impl<F> StreamBody for F
where
    F: AsyncFnOnce(&mut BodyWriter<'_>) -> Result<()> + 'static,
{
    fn write_to<'a>(self: Box<Self>, writer: &'a mut BodyWriter<'_>) -> BoxFuture<'a, Result<()>> {
        Box::pin((*self)(writer))
    }
}

//! The bytes read from a connection and not yet parsed.
//!
//! One zero-initialised `Vec` with two cursors: reading appends at `end`, parsing consumes from
//! `start`, and when both meet the buffer is empty again without any copying. Only a request
//! that is split across reads *and* reaches the end of the buffer moves bytes to the front.
//!
//! The buffer is taken on the first read (a spare one of this worker's, see `spare.rs`, or a new
//! one) and grows only for a request that does not fit; the parser's limits (414, 431) and the
//! body limit (413) bound that growth. While the connection is idle it goes back to the spares.
//! Ktor reads into pooled byte buffers managed by its channels; one plain `Vec` per connection
//! at a time is simpler and, read into directly by the system call, copies nothing more.
//!
//! Ktor: the connection's `ByteReadChannel`, filled from `io.ktor.utils.io.pool.ByteBufferPool`

use std::io;
use std::time::Instant;

use super::spare;
use super::transport::{Transport, must_wait};

/// The size of the first read's buffer: a typical request head fits many times over.
const INITIAL_SIZE: usize = 4096;

/// Buffered input of one connection: `bytes[start..end]` is unparsed.
pub(crate) struct InputBuffer {
    bytes: Vec<u8>,
    start: usize,
    end: usize,
}

impl InputBuffer {
    pub(crate) fn new() -> InputBuffer {
        InputBuffer {
            bytes: Vec::new(),
            start: 0,
            end: 0,
        }
    }

    /// The bytes read and not yet consumed.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.bytes[self.start..self.end]
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Marks `count` pending bytes as used.
    pub(crate) fn consume(&mut self, count: usize) {
        self.start += count;
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Gives the buffer back to this worker's spares if it holds nothing: an idle connection
    /// then holds no buffer memory. The next read takes one again.
    pub(crate) fn release_if_empty(&mut self) {
        if self.is_empty() {
            spare::give_input(std::mem::take(&mut self.bytes));
        }
    }

    /// Reads once from `stream`, making room first; returns the byte count (0 at end of
    /// stream). Fails with `TimedOut` at `deadline`.
    pub(crate) async fn read_from<S: Transport>(
        &mut self,
        stream: &mut S,
        deadline: Instant,
    ) -> io::Result<usize> {
        if self.bytes.is_empty() {
            self.bytes = spare::take_input(INITIAL_SIZE);
        } else if self.end == self.bytes.len() {
            if self.start > 0 {
                self.bytes.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            } else {
                let size = (self.bytes.len() * 2).max(INITIAL_SIZE);
                self.bytes.resize(size, 0);
            }
        }
        let room = &mut self.bytes[self.end..];
        // Try first: after a readiness wait the bytes are nearly always there, and then the
        // read needs neither `read_before`'s future nor its timer.
        let count = match stream.try_read(room) {
            Err(error) if must_wait(&error) => stream.read_before(room, deadline).await?,
            tried => tried?,
        };
        self.end += count;
        Ok(count)
    }
}

/// A closing connection's buffer goes to the spares too.
impl Drop for InputBuffer {
    fn drop(&mut self) {
        self.release_if_empty();
    }
}

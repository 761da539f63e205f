//! Spare buffers: what a connection hands back when it goes idle, and takes again when it wakes.
//!
//! An idle keep-alive connection should cost almost nothing, so while it waits for its next
//! request it holds no input or output buffer, nor the storage its calls are built in
//! (`storage.rs`; see `connection.rs`). Freeing them and allocating fresh ones at every
//! wake-up would cost an allocation, a free and, for the input buffer, zeroing 4 KiB, for
//! every batch of requests: under pipelined load, about a tenth of the time per request. So a
//! connection going idle puts its buffers *here*, on a short per-thread shelf, and the next
//! connection on that worker that wakes takes them back (the call storage likewise):
//!
//! ```text
//! connection A goes idle ──give──►  [ spare buffers of this worker ]  ──take──► connection B wakes
//! ```
//!
//! The shelf is thread-local: each `Cio` worker runs its connections on one thread, so no lock
//! is needed and a buffer stays in that core's cache. It keeps at most [`SHELF`] buffers of
//! each kind, and none larger than [`LARGEST`]; what does not fit is freed at once, so a
//! burst of large requests or many idle connections leaves nothing behind. (The `Blocking`
//! engine's threads each have a shelf too; it empties when the thread ends.)
//!
//! Tokio-based servers such as hyper free and allocate a read buffer per connection and rely on
//! the allocator's own per-thread caches for the same effect; glibc's malloc caches small
//! blocks per thread too, but not 4 KiB zeroed ones, and its bookkeeping still costs more than
//! a `Vec::pop`. Ktor's CIO takes its buffers from a shared `ObjectPool<ByteBuffer>`.

use std::cell::RefCell;

use super::output::OutputBuffer;
use super::storage::CallStorage;

/// How many spare buffers of each kind a worker keeps.
const SHELF: usize = 32;
/// The largest buffer worth keeping; a larger one (grown by an unusually big request or
/// response) is freed rather than kept.
const LARGEST: usize = 64 * 1024;

/// The spare buffers of one thread.
#[derive(Default)]
struct Shelf {
    /// Input buffers, kept at their full length: their bytes are initialised, so a reused one
    /// need not be zeroed again before the next read into it.
    input: Vec<Vec<u8>>,
    /// Output buffers, kept empty with their capacity.
    output: Vec<OutputBuffer>,
    /// Call storage (`storage.rs`), kept cleared with its capacity.
    storage: Vec<CallStorage>,
}

thread_local! {
    static SHELF_OF_THIS_THREAD: RefCell<Shelf> = RefCell::new(Shelf::default());
}

/// An input buffer of at least `size` initialised bytes: a spare one if this thread has one,
/// else a new zeroed one.
pub(crate) fn take_input(size: usize) -> Vec<u8> {
    match unshelve(|shelf| &mut shelf.input) {
        Some(buffer) if buffer.len() >= size => buffer,
        _ => vec![0; size],
    }
}

/// An empty output buffer: a spare one (with its capacity) if this thread has one.
pub(crate) fn take_output() -> OutputBuffer {
    unshelve(|shelf| &mut shelf.output).unwrap_or_default()
}

/// Keeps `buffer` for the next input buffer this thread needs, if there is room.
pub(crate) fn give_input(buffer: Vec<u8>) {
    if worth_keeping(buffer.capacity()) {
        shelve(buffer, |shelf| &mut shelf.input);
    }
}

/// Keeps `buffer`, emptied, for the next output buffer this thread needs, if there is room.
pub(crate) fn give_output(mut buffer: OutputBuffer) {
    buffer.clear();
    if worth_keeping(buffer.capacity_bytes()) {
        shelve(buffer, |shelf| &mut shelf.output);
    }
}

/// Call storage for a connection that wakes: a spare one if this thread has one.
pub(crate) fn take_storage() -> CallStorage {
    unshelve(|shelf| &mut shelf.storage).unwrap_or_default()
}

/// Keeps an idle connection's call storage for the next connection that wakes, if it is worth
/// keeping and there is room.
pub(crate) fn give_storage(mut storage: CallStorage) {
    if storage.worth_keeping() {
        shelve(storage, |shelf| &mut shelf.storage);
    }
}

/// Whether a buffer of `capacity` bytes is worth a place on the shelf: one that holds nothing
/// costs nothing to make again, and a very large one is not held on to.
fn worth_keeping(capacity: usize) -> bool {
    capacity != 0 && capacity <= LARGEST
}

/// Takes the item of this `kind` last put on this thread's shelf, if there is one.
fn unshelve<T>(kind: impl FnOnce(&mut Shelf) -> &mut Vec<T>) -> Option<T> {
    SHELF_OF_THIS_THREAD.with(|shelf| kind(&mut shelf.borrow_mut()).pop())
}

/// Puts `item` on this thread's shelf, if there is room for it.
fn shelve<T>(item: T, kind: impl FnOnce(&mut Shelf) -> &mut Vec<T>) {
    // `try_with`: a connection dropped while its thread is ending finds no shelf; the item is
    // then simply freed.
    let _ = SHELF_OF_THIS_THREAD.try_with(|shelf| {
        let mut shelf = shelf.borrow_mut();
        let spares = kind(&mut shelf);
        if spares.len() < SHELF {
            spares.push(item);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_input_buffer_comes_back_without_being_zeroed_again() {
        let mut buffer = take_input(4096);
        buffer[0] = 42;
        let address = buffer.as_ptr();
        give_input(buffer);
        let again = take_input(4096);
        assert_eq!(again.as_ptr(), address, "the same allocation");
        assert_eq!(
            again[0], 42,
            "its bytes are kept: they are only ever overwritten by reads"
        );
    }

    #[test]
    fn a_too_small_spare_is_not_handed_out_for_a_larger_need() {
        give_input(vec![0; 16]);
        assert_eq!(take_input(4096).len(), 4096);
    }

    #[test]
    fn output_buffers_come_back_empty_with_their_capacity() {
        let mut buffer = take_output();
        buffer.extend_from_slice(&[1; 1000]);
        give_output(buffer);
        let again = take_output();
        assert!(again.is_empty());
        assert!(again.capacity_bytes() >= 1000);
    }

    fn output_of_capacity(bytes: usize) -> OutputBuffer {
        let mut output = OutputBuffer::default();
        output.bytes_mut().reserve_exact(bytes);
        output
    }

    #[test]
    fn the_shelf_is_bounded() {
        for _ in 0..SHELF + 10 {
            give_output(output_of_capacity(64));
        }
        let kept = SHELF_OF_THIS_THREAD.with(|shelf| shelf.borrow().output.len());
        assert_eq!(kept, SHELF);
        give_output(output_of_capacity(LARGEST + 1));
        let kept = SHELF_OF_THIS_THREAD.with(|shelf| shelf.borrow().output.len());
        assert_eq!(kept, SHELF, "a buffer over the size limit is freed, not kept");
    }
}

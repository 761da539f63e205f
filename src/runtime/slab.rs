//! `Slab`: a vector whose indices stay valid, used as "token → thing" tables.
//!
//! The executor stores tasks in one and the reactor stores socket registrations in another.
//! Both need the same three things: insert a value and get back a small integer key, find the
//! value by key in O(1), and remove it so the slot can be reused. Keys are plain `usize`s, which
//! is exactly what fits in epoll's user data or in a waker.
//!
//! Layout: `entries[key]` is `Some(value)` for a live key and `None` for a free slot, and
//! `free` lists the free slots so an insert reuses one before growing the vector. Reuse is what
//! keeps memory flat when connections come and go, and it is also why a key alone is not an
//! identity: after `remove(3)`, the next insert may get key 3 again. The executor guards
//! against that with its own check (see `Executor::run_task` in `executor.rs`).
//!
//! Not chosen: a `HashMap<usize, T>` with a counter would never reuse keys but costs a hash per
//! lookup; the `slab` crate (used by Tokio and smol) is this same idea with more features.
//!
//! Ktor: none; on the JVM a task or a socket is an object found by reference, so there is no
//! key to look up. kotlinx.coroutines queues continuations themselves, and ktor-network's
//! `SelectorManagerSupport` registers each channel with its `Selectable` as the
//! `SelectionKey`'s attachment and reads it back from the key the selector returns (the table
//! from descriptor to key is inside the JDK's selector).

/// A vector of optional values with a free list. See the module docs.
pub(crate) struct Slab<T> {
    /// `Some` for occupied slots, `None` for free ones.
    entries: Vec<Option<T>>,
    /// Indices of the `None` slots in `entries`, reused last-in first-out.
    free: Vec<usize>,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            entries: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T> Slab<T> {
    /// Inserts the value built by `make(key)` and returns its key. The value gets to know its
    /// own key, which a task's waker needs.
    pub(crate) fn insert_with(&mut self, make: impl FnOnce(usize) -> T) -> usize {
        match self.free.pop() {
            Some(key) => {
                self.entries[key] = Some(make(key));
                key
            }
            None => {
                let key = self.entries.len();
                self.entries.push(Some(make(key)));
                key
            }
        }
    }

    /// The value under `key`, if that slot is occupied.
    pub(crate) fn get(&self, key: usize) -> Option<&T> {
        self.entries.get(key)?.as_ref()
    }

    /// The value under `key`, mutably, if that slot is occupied.
    pub(crate) fn get_mut(&mut self, key: usize) -> Option<&mut T> {
        self.entries.get_mut(key)?.as_mut()
    }

    /// Takes the value out and frees the slot. Removing a free slot returns `None`.
    pub(crate) fn remove(&mut self, key: usize) -> Option<T> {
        let value = self.entries.get_mut(key)?.take()?;
        self.free.push(key);
        Some(value)
    }

    /// Number of occupied slots.
    pub(crate) fn len(&self) -> usize {
        self.entries.len() - self.free.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys are stable while occupied and a removed key is reused by the next insert.
    #[test]
    fn insert_get_remove_reuse() {
        let mut slab = Slab::default();
        let a = slab.insert_with(|key| key * 10);
        let b = slab.insert_with(|key| key * 10);
        assert_eq!((a, b), (0, 1));
        assert_eq!(slab.get(b), Some(&10));
        assert_eq!(slab.remove(a), Some(0));
        assert_eq!(slab.remove(a), None);
        assert_eq!(slab.get(a), None);
        assert_eq!(slab.len(), 1);
        let c = slab.insert_with(|key| key + 100);
        assert_eq!(c, a);
        *slab.get_mut(c).unwrap() += 1;
        assert_eq!(slab.get(c), Some(&101));
        assert_eq!(slab.get(99), None);
    }
}

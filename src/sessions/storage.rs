//! Server-side session storage: where the data of an id-tracked session lives.
//!
//! With `cookie::<T>(name).storage(s)`, only a random id travels to the client; the session's
//! text stays here, under that id. A storage is three operations, small enough to back with
//! anything (a map, files, a database, a cache server):
//!
//! ```text
//! write(id, text, expires)   keep `text` under `id` until `expires` (None: no deadline)
//! read(id)                   the text, or None when the id is unknown or its deadline passed
//! invalidate(id)             forget `id` (logout, or a cleared session)
//! ```
//!
//! The deadline is the cookie's `Max-Age` turned into a time: a client keeps its cookie for
//! seven days by default, and the server should not keep the data longer, nor accept an old id
//! a client kept past that (a stolen cookie replayed next month, say). An expired entry is
//! never returned, and is deleted when it is found.
//!
//! What differs from Ktor: Ktor's `SessionStorage` is `suspend` and has no deadline; its
//! `read` throws `NoSuchElementException` for an unknown id. Here the operations are plain
//! functions (a handler's thread waits for them), `read` answers `Ok(None)`, and `write`
//! takes the deadline so that data does not outlive its cookie.
//!
//! Ktor: `io.ktor.server.sessions.SessionStorage`, `SessionStorageMemory`

use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// Where id-tracked sessions keep their data. Implementations must be safe to share between
/// the server's threads.
///
/// Ktor: `io.ktor.server.sessions.SessionStorage`
pub trait SessionStorage: Send + Sync + 'static {
    /// Keeps `value` under `id`, replacing what was there, until `expires` (`None`: forever).
    ///
    /// Ktor: `SessionStorage.write(id, value)`
    fn write(&self, id: &str, value: &str, expires: Option<SystemTime>) -> io::Result<()>;

    /// The value kept under `id`; `None` when there is none or it has expired (an expired one
    /// should be deleted).
    ///
    /// Ktor: `SessionStorage.read(id)`
    fn read(&self, id: &str) -> io::Result<Option<String>>;

    /// Forgets `id`; forgetting an unknown id is not an error.
    ///
    /// Ktor: `SessionStorage.invalidate(id)`
    fn invalidate(&self, id: &str) -> io::Result<()>;
}

/// A shared storage is a storage: the application can keep an `Arc` to look inside.
impl<S: SessionStorage + ?Sized> SessionStorage for Arc<S> {
    fn write(&self, id: &str, value: &str, expires: Option<SystemTime>) -> io::Result<()> {
        (**self).write(id, value, expires)
    }
    fn read(&self, id: &str) -> io::Result<Option<String>> {
        (**self).read(id)
    }
    fn invalidate(&self, id: &str) -> io::Result<()> {
        (**self).invalidate(id)
    }
}

/// Whether a deadline has passed.
pub(crate) fn is_expired(expires: Option<SystemTime>) -> bool {
    expires.is_some_and(|deadline| deadline <= SystemTime::now())
}

/// Sessions in a map in memory: lost when the process stops, and not shared between
/// processes. Good for development and tests, as Ktor's docs say of theirs.
///
/// One `Mutex` guards the map. Each operation holds it for a map lookup or insert only, so
/// contention stays low; `write` also sweeps out expired entries now and then, so expired ids
/// that are never read again do not pile up. Entries without a deadline (a header transport,
/// or a cookie without `max_age_seconds`) stay until they are invalidated or the process
/// ends: every client that gets a session adds one, so the map grows with the clients, as
/// Ktor's in-memory storage does.
///
/// ```
/// use mini_ktor::sessions::{MemoryStorage, SessionStorage};
/// use std::time::{Duration, SystemTime};
///
/// let storage = MemoryStorage::new();
/// storage.write("id1", "name=ana", None)?;
/// assert_eq!(storage.read("id1")?.as_deref(), Some("name=ana"));
/// storage.write("id2", "old", Some(SystemTime::now() - Duration::from_secs(1)))?;
/// assert_eq!(storage.read("id2")?, None); // expired: not returned, and deleted
/// assert_eq!(storage.len(), 1);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// Ktor: `io.ktor.server.sessions.SessionStorageMemory`
#[derive(Default)]
pub struct MemoryStorage {
    entries: Mutex<Entries>,
}

/// The map and the count of writes since the last sweep.
#[derive(Default)]
struct Entries {
    map: HashMap<String, (String, Option<SystemTime>)>,
    writes_since_sweep: usize,
}

impl Entries {
    /// Deletes every expired entry.
    fn sweep(&mut self) {
        self.map.retain(|_, (_, expires)| !is_expired(*expires));
    }
}

/// Sweep expired entries once every this many writes: often enough that expired entries do
/// not outnumber live ones for long, rarely enough that the O(n) sweep costs little per write.
const SWEEP_EVERY: usize = 64;

impl MemoryStorage {
    /// An empty storage.
    ///
    /// Ktor: `SessionStorageMemory()`
    pub fn new() -> MemoryStorage {
        MemoryStorage::default()
    }

    /// How many entries are kept, expired ones not yet swept included.
    ///
    /// Ktor: none; `SessionStorageMemory` keeps its map private
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Whether the storage keeps nothing.
    ///
    /// Ktor: none, as for `len`
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Deletes every expired entry now.
    ///
    /// Ktor: none; its session storages have no such method
    pub fn purge_expired(&self) {
        self.lock().sweep();
    }

    /// The map. A thread that panicked while holding the lock cannot have left an entry half
    /// written (each change is one insert or remove), so a poisoned lock is safe to use.
    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl SessionStorage for MemoryStorage {
    fn write(&self, id: &str, value: &str, expires: Option<SystemTime>) -> io::Result<()> {
        let mut entries = self.lock();
        entries.writes_since_sweep += 1;
        if entries.writes_since_sweep >= SWEEP_EVERY {
            entries.writes_since_sweep = 0;
            entries.sweep();
        }
        entries.map.insert(id.to_string(), (value.to_string(), expires));
        Ok(())
    }

    fn read(&self, id: &str) -> io::Result<Option<String>> {
        let mut entries = self.lock();
        match entries.map.get(id) {
            Some((_, expires)) if is_expired(*expires) => {
                entries.map.remove(id);
                Ok(None)
            }
            Some((value, _)) => Ok(Some(value.clone())),
            None => Ok(None),
        }
    }

    fn invalidate(&self, id: &str) -> io::Result<()> {
        self.lock().map.remove(id);
        Ok(())
    }
}

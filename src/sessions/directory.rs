//! Sessions kept as files: one file per id, so they survive a restart.
//!
//! ```text
//! <dir>/3f/3fa9…e1.session      first line: the deadline in Unix seconds, or `-` for none
//!                               the rest:   the session's text
//! ```
//!
//! The id comes from a cookie, that is from the client, and becomes part of a path. An id such
//! as `../../etc/passwd` must never reach the file system, so every id is checked first
//! ([`is_valid_id`]): ASCII letters, digits, `-` and `_` only, 1 to 128 of them. With no `/`,
//! `\`, `.` or NUL possible, no id can name a file outside the directory. Reading with an
//! invalid id answers "no session"; writing with one is an error.
//!
//! Files are spread over subdirectories named by the id's first two characters, so that no
//! one directory holds millions of entries.
//!
//! What differs from Ktor: Ktor's `directorySessionStorage` splits the whole id into
//! two-character directories and refuses a list of dangerous characters; here one level of
//! subdirectories is enough, and the check is a list of *allowed* characters, which cannot
//! forget a dangerous one. Ktor also puts an in-memory cache in front (`cached = true`); here
//! every read goes to the file, which is simpler and always current.
//!
//! Ktor: `io.ktor.server.sessions.directorySessionStorage`, `DirectoryStorage`

use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::storage::{SessionStorage, is_expired};

/// Session data in files under a directory.
///
/// ```
/// use mini_ktor::sessions::{DirectoryStorage, SessionStorage};
///
/// let dir = std::env::temp_dir().join(format!("doc-sessions-{}", std::process::id()));
/// let storage = DirectoryStorage::new(&dir)?;
/// storage.write("abc123", "name=ana", None)?;
/// assert_eq!(storage.read("abc123")?.as_deref(), Some("name=ana"));
/// assert_eq!(storage.read("../abc123")?, None); // not a valid id: never a path
/// assert!(storage.write("../escape", "x", None).is_err());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// Ktor: `io.ktor.server.sessions.directorySessionStorage(rootDir, cached = false)`
pub struct DirectoryStorage {
    root: PathBuf,
}

/// Whether `id` is safe to use in a file name: 1 to 128 ASCII letters, digits, `-` or `_`.
/// Ids made by the plugin (64 lowercase hex digits) always are.
///
/// Ktor: the id check of `directorySessionStorage`, which refuses `..`, `/`, `\`, `!`, `?`, `<`,
/// `>` and NUL; this one lists what it accepts instead
pub fn is_valid_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl DirectoryStorage {
    /// A storage under `root`, created if it does not exist.
    ///
    /// Ktor: `directorySessionStorage(rootDir)`
    pub fn new(root: impl AsRef<Path>) -> io::Result<DirectoryStorage> {
        let root = root.as_ref().to_path_buf();
        fs::create_dir_all(&root)?;
        Ok(DirectoryStorage { root })
    }

    /// The file of `id`, which must be valid.
    fn file(&self, id: &str) -> PathBuf {
        let fan_out = &id[..id.len().min(2)];
        self.root.join(fan_out).join(format!("{id}.session"))
    }

    /// Deletes every expired or damaged session file; returns how many it deleted.
    ///
    /// It may run while the server serves, on another thread: a file that another request
    /// deletes or replaces meanwhile is passed over, and a write's temporary file, which is
    /// not a `.session` file, is left to its writer.
    ///
    /// Ktor: none; its storages have no such method
    pub fn purge_expired(&self) -> io::Result<usize> {
        let mut deleted = 0;
        for subdirectory in fs::read_dir(&self.root)? {
            let subdirectory = subdirectory?.path();
            if !subdirectory.is_dir() {
                continue;
            }
            for file in fs::read_dir(&subdirectory)? {
                let file = file?.path();
                if file.extension().is_none_or(|extension| extension != "session") {
                    continue;
                }
                let expired = match read_file(&file)? {
                    None => continue, // gone meanwhile
                    Some(text) => is_expired(split_file(&text).0),
                };
                if expired && remove_if_present(&file)? {
                    deleted += 1;
                }
            }
        }
        Ok(deleted)
    }
}

/// The text of a session file, `None` when there is none. A file that is not UTF-8 was not
/// written by this storage: it reads as empty, so as expired (see [`split_file`]).
fn read_file(file: &Path) -> io::Result<Option<String>> {
    match fs::read_to_string(file) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(None),
        Err(error) if error.kind() == ErrorKind::InvalidData => Ok(Some(String::new())),
        Err(error) => Err(error),
    }
}

/// A file's deadline and text. A file without a valid first line (a damaged one) counts as
/// already expired, and so does a deadline too far away to be a time.
fn split_file(text: &str) -> (Option<SystemTime>, &str) {
    let (first, value) = text.split_once('\n').unwrap_or(("0", ""));
    let deadline = match first {
        "-" => None,
        seconds => {
            let seconds = seconds.parse().map(Duration::from_secs).unwrap_or_default();
            Some(UNIX_EPOCH.checked_add(seconds).unwrap_or(UNIX_EPOCH))
        }
    };
    (deadline, value)
}

/// Removes `file`, and says whether it did: one that is already gone is fine (another thread
/// got there first).
fn remove_if_present(file: &Path) -> io::Result<bool> {
    match fs::remove_file(file) {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == ErrorKind::NotFound => Ok(false),
        Err(error) => Err(error),
    }
}

impl SessionStorage for DirectoryStorage {
    fn write(&self, id: &str, value: &str, expires: Option<SystemTime>) -> io::Result<()> {
        if !is_valid_id(id) {
            let message = format!("session id {id:?} is not letters, digits, '-' and '_'");
            return Err(io::Error::new(ErrorKind::InvalidInput, message));
        }
        let file = self.file(id);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent)?;
        }
        let deadline = match expires {
            None => "-".to_string(),
            Some(time) => {
                let seconds = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
                seconds.to_string()
            }
        };
        // Write a neighbour, then rename over the file: a reader sees the old text or the new,
        // never half of one. The neighbour's name is this thread's own, in this process, so no
        // other writer shares it.
        let writer = format!("partial-{}-{:?}", std::process::id(), std::thread::current().id());
        let partial = file.with_extension(writer);
        fs::write(&partial, format!("{deadline}\n{value}"))?;
        fs::rename(&partial, &file)
    }

    fn read(&self, id: &str) -> io::Result<Option<String>> {
        if !is_valid_id(id) {
            return Ok(None);
        }
        let file = self.file(id);
        let Some(text) = read_file(&file)? else {
            return Ok(None);
        };
        let (deadline, value) = split_file(&text);
        if is_expired(deadline) {
            remove_if_present(&file)?;
            return Ok(None);
        }
        Ok(Some(value.to_string()))
    }

    fn invalidate(&self, id: &str) -> io::Result<()> {
        if !is_valid_id(id) {
            return Ok(());
        }
        remove_if_present(&self.file(id))?;
        Ok(())
    }
}

//! Unpredictable bytes from the operating system, for session ids and keys.
//!
//! # Why the operating system, and not a seeded generator
//!
//! A session id is a password that the server hands out: whoever presents it *is* that user.
//! It must therefore be impossible to guess, even for someone who has seen many other ids. An
//! ordinary pseudo-random generator (a linear congruential generator, xorshift, the
//! splitmix64 the tests use) fails that in two ways: its seed (often the clock or a process
//! id) can be guessed or searched, and its output is a simple function of its state, so a few
//! observed ids reveal the state and with it every later id. A *cryptographically secure*
//! generator is built so that neither works, and the one every program can rely on is the
//! kernel's: it gathers unpredictable events (interrupt timings, hardware generators) from boot
//! on and keeps reseeding itself. Ktor uses the JDK's `SecureRandom`, which on Linux reads from
//! the same source.
//!
//! # Why `/dev/urandom` through `std::fs::File`
//!
//! Linux offers the generator two ways: the `getrandom(2)` system call and the file
//! `/dev/urandom`. The system call is nicer (it cannot run out of file descriptors and works
//! without `/dev`, in a chroot for example), but stable Rust's standard library does not expose
//! it (`std::random` is still behind a feature flag), and declaring it ourselves needs
//! an `extern "C"` binding, which this crate keeps in exactly one place, `runtime::sys`. Reading a
//! file needs nothing but `std::fs`, so that is what is done here.
//!
//! Both read the same generator. The one difference: `getrandom` waits until the generator has
//! been seeded once after boot, while `/dev/urandom` never waits, so on old kernels, very early
//! in boot, it could return bytes from a generator not yet seeded. A web server starts long
//! after that point, and current kernels seed themselves almost at once.
//!
//! # One file, opened once
//!
//! The file is opened on first use and kept in a `OnceLock<File>` for the life of the process,
//! so producing an id costs one `read` call instead of `open`, `read` and `close`. No `Mutex` is
//! needed: `&File` implements `Read`, and the kernel hands each `read`, from whatever thread,
//! its own fresh bytes. If opening fails, the error is returned and the next call tries
//! again.

use std::fs::File;
use std::io::{self, Read};
use std::sync::OnceLock;

/// The kernel's generator, opened on first use.
fn urandom() -> io::Result<&'static File> {
    static URANDOM: OnceLock<File> = OnceLock::new();
    if let Some(file) = URANDOM.get() {
        return Ok(file);
    }
    let file = File::open("/dev/urandom")?;
    // Two threads may both get here; one file is kept and the other is closed on drop.
    Ok(URANDOM.get_or_init(|| file))
}

/// Fills `buffer` with random bytes from the operating system.
///
/// Fails only if `/dev/urandom` cannot be opened or read, for example in a container without
/// `/dev`; never with bytes of lower quality.
///
/// JDK: `java.security.SecureRandom.nextBytes`
pub fn fill_random(buffer: &mut [u8]) -> io::Result<()> {
    let mut file = urandom()?;
    // `read_exact` repeats short reads and retries after a signal interrupts one.
    file.read_exact(buffer)
}

/// `N` random bytes from the operating system, for keys and nonces.
///
/// ```
/// let key: [u8; 32] = mini_ktor::crypto::random_bytes()?;
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// Ktor: `io.ktor.util.generateNonce(size)`
pub fn random_bytes<const N: usize>() -> io::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    fill_random(&mut bytes)?;
    Ok(bytes)
}

/// A new session id: 32 random bytes as 64 lowercase hex characters, as Ktor makes them.
///
/// 256 bits are far beyond guessing: with a billion sessions alive, an attacker trying a
/// billion ids per second would need more than 10^50 years on average to hit one.
///
/// ```
/// let id = mini_ktor::crypto::generate_session_id()?;
/// assert_eq!(id.len(), 64);
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// Ktor: `io.ktor.server.sessions.generateSessionId` (two `io.ktor.util.generateNonce` strings)
pub fn generate_session_id() -> io::Result<String> {
    let bytes: [u8; 32] = random_bytes()?;
    Ok(super::hex::encode_lower(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A session id is 64 characters, all lowercase hex digits.
    #[test]
    fn session_id_is_64_lowercase_hex_characters() {
        let id = generate_session_id().expect("/dev/urandom");
        assert_eq!(id.len(), 64, "{id}");
        assert!(
            id.bytes().all(|byte| matches!(byte, b'0'..=b'9' | b'a'..=b'f')),
            "{id}"
        );
    }

    /// Two session ids differ (a collision would have probability 2^-256).
    #[test]
    fn two_session_ids_differ() {
        let first = generate_session_id().expect("/dev/urandom");
        let second = generate_session_id().expect("/dev/urandom");
        assert_ne!(first, second);
    }

    /// 32 random bytes are not all zero (probability 2^-256), so the buffer was really filled.
    #[test]
    fn random_bytes_are_not_all_zero() {
        let bytes: [u8; 32] = random_bytes().expect("/dev/urandom");
        assert_ne!(bytes, [0; 32]);
    }

    /// Filling an empty buffer succeeds and a large one is filled to the end.
    #[test]
    fn fill_random_fills_whole_buffer() {
        fill_random(&mut []).expect("empty buffer");
        let mut buffer = vec![0u8; 1 << 16];
        fill_random(&mut buffer).expect("/dev/urandom");
        assert_ne!(buffer[buffer.len() - 32..], [0; 32]);
    }
}

//! Helpers for the runtime's unit tests: a watchdog so no test can hang, and a CPU clock.

use std::sync::mpsc;
use std::time::Duration;

/// How long any single runtime test may take before it is declared hung.
const LIMIT: Duration = Duration::from_secs(20);

/// Runs `test` on its own thread and returns its result, failing (instead of hanging) if it
/// takes longer than the limit. A panic inside `test` is passed on to the caller.
pub(crate) fn watchdog<T: Send + 'static>(test: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::spawn(move || {
        let _ = tx.send(test());
    });
    match rx.recv_timeout(LIMIT) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // The test panicked: rethrow its panic here, with its message.
            std::panic::resume_unwind(thread.join().unwrap_err())
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("test still running after {LIMIT:?}"),
    }
}

/// CPU time used so far by the calling thread, from `/proc/thread-self/schedstat` (first
/// field: nanoseconds on a CPU), or from `/proc/thread-self/stat` (utime + stime, in ticks
/// of 10 ms) on kernels without schedstat.
pub(crate) fn thread_cpu_time() -> Duration {
    if let Ok(text) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(Ok(nanos)) = text.split_whitespace().next().map(str::parse::<u64>)
    {
        return Duration::from_nanos(nanos);
    }
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    // Fields after the command name, which is in parentheses and may contain spaces. The first
    // one is field 3 (the state), so field n is at index n - 3: utime (14) and stime (15).
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis((field(11) + field(12)) * 10)
}

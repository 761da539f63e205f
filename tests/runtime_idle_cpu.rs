//! An idle server uses no CPU: its workers sleep in `epoll_wait` until something happens.
//!
//! This file holds a single test so that it runs in its own process: the CPU time measured is
//! that of this server and its idle clients only, not of other tests running in parallel.

use std::io;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use mini_ktor::runtime::{AsyncRead, Runtime, TcpListener, TcpStream, block_on, oneshot};

/// Idle client connections held open during the measurement.
const CONNECTIONS: usize = 100;
/// The whole test must finish within this time, or it fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(30);

/// CPU time used so far by every thread of this process.
///
/// Preferred: the first field of `/proc/self/task/*/schedstat`, nanoseconds spent on a CPU.
/// Fallback: utime + stime from `/proc/self/stat`, counted in ticks of 10 ms. Returns the
/// time and the resolution of the clock that measured it.
fn process_cpu_time() -> (Duration, Duration) {
    let mut total = 0u64;
    let mut complete = true;
    for entry in std::fs::read_dir("/proc/self/task")
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path().join("schedstat")).unwrap_or_default();
        match text.split_whitespace().next().map(str::parse::<u64>) {
            Some(Ok(nanos)) => total += nanos,
            _ => complete = false, // no schedstat here (or the thread just exited)
        }
    }
    if complete && total > 0 {
        return (Duration::from_nanos(total), Duration::from_nanos(1));
    }
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // After the command name "(...)", field n of the line is at index n - 3.
    let fields: Vec<&str> = stat.rsplit_once(')').unwrap().1.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    (Duration::from_millis(ticks * 10), Duration::from_millis(10))
}

/// Starts a two-worker server with 100 idle connections; returns the CPU time the process
/// used over one second of idleness, and the clock's resolution.
fn measure() -> (Duration, Duration) {
    let runtime = Runtime::new(2).unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let (addr_tx, addr_rx) = oneshot::channel();
    let handle = runtime.handle();
    let counter = Arc::clone(&accepted);
    let _accept_loop = runtime.spawn_on(0, move || async move {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let _ = addr_tx.send(listener.local_addr()?);
        for next in (0..handle.workers()).cycle() {
            let (socket, _peer) = listener.accept_std().await?;
            let counter = Arc::clone(&counter);
            // Each connection waits for a request that never comes.
            drop(handle.spawn_on(next, move || async move {
                let mut stream = TcpStream::from_std(socket)?;
                counter.fetch_add(1, Ordering::SeqCst);
                let mut buf = [0u8; 1024];
                while stream.read(&mut buf).await? > 0 {}
                Ok::<(), io::Error>(())
            }));
        }
        Ok::<(), io::Error>(())
    });
    let addr = block_on(addr_rx).unwrap();

    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    let start = Instant::now();
    while accepted.load(Ordering::SeqCst) < CONNECTIONS {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "connections were not all accepted"
        );
        thread::sleep(Duration::from_millis(10));
    }
    // Let every connection task reach its pending read.
    thread::sleep(Duration::from_millis(100));

    let (before, resolution) = process_cpu_time();
    thread::sleep(Duration::from_secs(1));
    let (after, _) = process_cpu_time();

    drop(clients);
    runtime.shutdown();
    (after - before, resolution)
}

/// Two workers, a listener and 100 open but silent connections use less than 1 % of a core
/// (10 ms of CPU time per second): nothing polls while nothing happens.
#[test]
fn idle_server_uses_less_than_one_percent_of_a_core() {
    let (tx, rx) = mpsc::channel();
    let test = thread::spawn(move || tx.send(measure()).unwrap());
    let (used, resolution) = match rx.recv_timeout(LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => std::panic::resume_unwind(test.join().unwrap_err()),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("idle test still running after {LIMIT:?}"),
    };
    // With the 10 ms fallback clock, one tick can be crossed by a few microseconds of work.
    let budget = Duration::from_millis(10).max(resolution * 2);
    assert!(
        used < budget,
        "an idle second cost {used:?} of CPU (budget {budget:?})"
    );
}

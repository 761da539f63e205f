//! An idle server uses no CPU: its workers sleep in `epoll_wait` until something happens.
//!
//! This file holds a single test so that it runs in its own process: the CPU time measured is
//! that of this server and its idle clients only, not of other tests running in parallel.

#[path = "../examples/hello.rs"]
#[allow(dead_code)]
mod hello;

use std::io::{Read, Write};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use mini_ktor::prelude::*;

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

/// Starts the hello example's server on two workers, opens 100 keep-alive connections that
/// each make one request and then fall silent; returns the CPU time the whole process used over
/// one second of that idleness, and the clock's resolution.
fn measure() -> (Duration, Duration) {
    let mut server = embedded_server(Cio, 0, hello::module).workers(2);
    server.start(false).unwrap();
    let address = server.local_address().unwrap();

    let clients: Vec<_> = (0..CONNECTIONS)
        .map(|_| {
            let mut client = std::net::TcpStream::connect(address).unwrap();
            client.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let mut response = Vec::new();
            while !response.ends_with(b"Hello World!") {
                let mut chunk = [0u8; 512];
                let n = client.read(&mut chunk).unwrap();
                assert!(n > 0, "server closed a keep-alive connection");
                response.extend_from_slice(&chunk[..n]);
            }
            client
        })
        .collect();
    // Let every connection task settle in its pending read.
    thread::sleep(Duration::from_millis(100));

    let (before, resolution) = process_cpu_time();
    thread::sleep(Duration::from_secs(1));
    let (after, _) = process_cpu_time();

    drop(clients);
    server.stop(Duration::from_secs(1), Duration::from_secs(1));
    (after - before, resolution)
}

/// The Cio engine (acceptor and two workers) holding 100 open but silent keep-alive connections
/// uses less than 1 % of a core (10 ms of CPU time per second): nothing polls while nothing
/// happens.
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

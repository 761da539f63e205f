//! The `Blocking` engine when the process runs out of file descriptors.
//!
//! Each `Blocking` connection's thread runs its handler inside a runtime of its own, whose
//! reactor needs two descriptors (an epoll instance and an eventfd) besides the socket and the
//! handle the engine keeps for `stop`. When they cannot be had, the connection must be closed
//! and forgotten: no panic, no client left waiting, no descriptor left open.
//!
//! Lowering the descriptor limit needs `setrlimit`, which std does not offer, so the test runs
//! itself again in a child process under `sh -c 'ulimit -n 64; ...'`, with an environment
//! variable telling the child to play the scenario.

use std::fs::{self, File};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use mini_ktor::prelude::*;

/// Set in the child process: run the scenario instead of starting a child.
const CHILD: &str = "MINI_KTOR_FD_EXHAUSTION_CHILD";

/// The descriptors this process has open.
fn open_descriptors() -> usize {
    fs::read_dir("/proc/self/fd").expect("/proc/self/fd").count()
}

#[test]
fn blocking_without_descriptors_closes_the_connection_cleanly() {
    if std::env::var_os(CHILD).is_some() {
        return scenario();
    }
    let test = std::env::current_exe().unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 64 && exec "$0" --exact "$1" --nocapture"#)
        .arg(test)
        .arg("blocking_without_descriptors_closes_the_connection_cleanly")
        .env(CHILD, "1")
        .output()
        .expect("the test runs itself under sh");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the scenario did not run:\n{stdout}");
    assert!(!stderr.contains("panicked"), "a thread panicked:\n{stderr}");
    assert!(
        stderr.contains("cannot serve a connection"),
        "the failure is logged:\n{stderr}"
    );
}

/// Sends one request on a new connection and reads until the server closes it: the answer,
/// or nothing. The read must end (end of stream, or a reset), never time out.
fn exchange(address: SocketAddr) -> Vec<u8> {
    let mut client = TcpStream::connect(address).expect("connects");
    client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = Vec::new();
    if let Err(error) = client.read_to_end(&mut answer) {
        let timed_out = matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut);
        assert!(!timed_out, "the client was left waiting");
    }
    answer
}

/// In the child, under a limit of 64 descriptors: a connection arrives when only three are
/// left for the server, enough to accept it and keep its handle but not for its runtime.
fn scenario() {
    let mut server = embedded_server(Blocking, 0, |app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("ok").await);
        });
    });
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    // One request served first, so that everything the server keeps is open already.
    let answer = String::from_utf8(exchange(address)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    let before = settled(usize::MAX);

    // Use up every descriptor, then give back four: one for the client's socket, three for
    // the server (the accepted socket, its handle, and one of the runtime's two).
    let mut held = Vec::new();
    loop {
        match File::open("/dev/null") {
            Ok(file) => held.push(file),
            Err(error) => {
                assert_eq!(error.raw_os_error(), Some(24), "EMFILE expected: {error}");
                break;
            }
        }
    }
    held.truncate(held.len() - 4);
    let answer = exchange(address);
    assert!(
        answer.is_empty(),
        "unserved, so unanswered: {:?}",
        String::from_utf8_lossy(&answer)
    );
    drop(held);

    // Everything the connection took is given back once its thread ends.
    assert_eq!(settled(before), before, "a descriptor was left open");
    server.stop(Duration::ZERO, Duration::from_secs(1));
}

/// The number of open descriptors once it reaches `target` or stops changing (a connection's
/// thread closes its own after the client has seen the end of the stream).
fn settled(target: usize) -> usize {
    let started = Instant::now();
    let mut last = open_descriptors();
    while last != target && started.elapsed() < Duration::from_secs(5) {
        thread::sleep(Duration::from_millis(50));
        let now = open_descriptors();
        if now == last && target == usize::MAX {
            return now;
        }
        last = now;
    }
    last
}

//! The engines when the process runs out of file descriptors.
//!
//! Whatever runs out, a client is never accepted only to be hung up on: it waits in the listen
//! backlog until descriptors are free again, and the failure is logged once, not every time
//! the acceptor tries again. Two ways to run out: the acceptor's `accept` itself fails
//! (EMFILE), or the `Blocking` engine cannot start the thread for the next connection, whose
//! runtime needs two descriptors (an epoll instance and an eventfd). That thread is started
//! before the accept, so the connection it will serve is not accepted until it can be served.
//!
//! Lowering the descriptor limit needs `setrlimit`, which std does not offer, so each test
//! runs itself again in a child process under `sh -c 'ulimit -n 64; ...'`, with an environment
//! variable telling the child to play the scenario.

use std::fs::{self, File};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use mini_ktor::engine::EmbeddedServer;
use mini_ktor::prelude::*;

/// Set in the child process: run the scenario instead of starting a child.
const CHILD: &str = "MINI_KTOR_FD_EXHAUSTION_CHILD";

/// The descriptors this process has open.
fn open_descriptors() -> usize {
    fs::read_dir("/proc/self/fd").expect("/proc/self/fd").count()
}

/// Runs the test named `test` again in a child process limited to 64 descriptors, checks that
/// its scenario ran and passed without a panic, and returns what the child wrote to stderr.
/// In that child (the test's second run), plays `scenario` instead and returns `None`.
fn in_child(test: &str, scenario: fn()) -> Option<String> {
    if std::env::var_os(CHILD).is_some() {
        scenario();
        return None;
    }
    let output = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 64 && exec "$0" --exact "$1" --nocapture"#)
        .arg(std::env::current_exe().unwrap())
        .arg(test)
        .env(CHILD, "1")
        .output()
        .expect("the test runs itself under sh");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the scenario did not run:\n{stdout}");
    assert!(!stderr.contains("panicked"), "a thread panicked:\n{stderr}");
    Some(stderr)
}

#[test]
fn blocking_without_descriptors_for_a_thread_leaves_clients_in_the_backlog() {
    let Some(stderr) = in_child(
        "blocking_without_descriptors_for_a_thread_leaves_clients_in_the_backlog",
        blocking_scenario,
    ) else {
        return; // in the child, which played the scenario
    };
    assert_logged_once(&stderr, "cannot start a thread with a runtime");
}

#[test]
fn blocking_stops_while_it_cannot_start_a_thread() {
    let Some(stderr) = in_child("blocking_stops_while_it_cannot_start_a_thread", stop_scenario) else {
        return; // in the child, which played the scenario
    };
    assert!(
        stderr.contains("cannot start a thread with a runtime"),
        "{stderr}"
    );
}

#[test]
fn a_failing_accept_is_logged_once_and_the_client_served_later() {
    let Some(stderr) = in_child(
        "a_failing_accept_is_logged_once_and_the_client_served_later",
        accept_scenario,
    ) else {
        return; // in the child, which played the scenario
    };
    assert_logged_once(&stderr, "cannot accept connections");
}

/// A run of failures (each with `reason` in its message) is logged once when it starts, and
/// once with its length when it ends.
fn assert_logged_once(stderr: &str, reason: &str) {
    assert_eq!(
        stderr.matches("cannot accept connections").count(),
        1,
        "one line for the whole run of failures:\n{stderr}"
    );
    assert!(stderr.contains(reason), "the cause is logged:\n{stderr}");
    let tries = stderr
        .split("accepting again, after ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse::<u32>().ok());
    assert!(
        tries.is_some_and(|tries| tries >= 2),
        "the end of the run is logged with its length:\n{stderr}"
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

/// In the child, under a limit of 64 descriptors: a client connects when only two descriptors
/// are left, its own socket's and the accepted socket's. The thread waiting for it serves it;
/// the next thread cannot get its runtime, so the next client waits in the backlog until
/// descriptors are given back, and is served then.
fn blocking_scenario() {
    let (mut server, address) = start_blocking();
    // One request served first, so that everything the server keeps is open already (the
    // thread for the next connection among it).
    let answer = String::from_utf8(exchange(address)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    let before = settled(usize::MAX);

    let (held, first) = served_with_no_descriptor_to_spare(address);
    // Long enough for the acceptor to fail to start the next thread a few times (it tries
    // every 50 ms) while the first connection holds the last descriptors.
    thread::sleep(Duration::from_millis(300));
    drop(first);
    drop(held);
    let answer = String::from_utf8(exchange(address)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");

    // Everything the connections took is given back once their threads end.
    assert_eq!(settled(before), before, "a descriptor was left open");
    server.stop(Duration::ZERO, Duration::from_secs(1));
}

/// A `Blocking` server whose one route answers `ok`, and its address.
fn start_blocking() -> (EmbeddedServer<Blocking>, SocketAddr) {
    let mut server = embedded_server(Blocking, 0, |app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("ok").await);
        });
    });
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    (server, address)
}

/// Uses up every descriptor but two, the client's socket and the accepted one, and has a
/// request answered on a new keep-alive connection: by the thread that was waiting for it.
/// Returns what holds the descriptors, and the connection, still open.
fn served_with_no_descriptor_to_spare(address: SocketAddr) -> (Vec<File>, TcpStream) {
    let mut held = every_descriptor();
    held.truncate(held.len() - 2);
    let mut client = TcpStream::connect(address).expect("connects");
    client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut answer = [0; 17];
    client
        .read_exact(&mut answer)
        .expect("accepted and answered without a descriptor to spare");
    assert_eq!(&answer, b"HTTP/1.1 200 OK\r\n");
    (held, client)
}

/// In the child, under a limit of 64 descriptors: the acceptor is failing to start the next
/// connection's thread, over and over, when the server is stopped. The stop must still reach
/// it (its pauses between tries listen for it), and `stop` return.
fn stop_scenario() {
    let (mut server, address) = start_blocking();
    // As above: the thread for the next connection is waiting once a first one was served.
    exchange(address);
    settled(usize::MAX);
    let (held, _client) = served_with_no_descriptor_to_spare(address);
    thread::sleep(Duration::from_millis(200)); // the acceptor fails a few times meanwhile

    // A watchdog: a stop that never returns ends the child, and fails the test, after 10 s.
    let (done, stopped) = std::sync::mpsc::channel::<()>();
    thread::spawn(move || {
        if stopped.recv_timeout(Duration::from_secs(10)).is_err() {
            eprintln!("stop did not return while the acceptor was failing");
            std::process::exit(1);
        }
    });
    server.stop(Duration::ZERO, Duration::from_secs(1));
    let _ = done.send(());
    drop(held);
}

/// In the child, under a limit of 64 descriptors: a client connects when the only descriptor
/// left is the one its own socket takes, so the `Cio` acceptor's `accept` fails until some are
/// given back; then the client is served.
fn accept_scenario() {
    let mut server = embedded_server(Cio, 0, |app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("ok").await);
        });
    })
    .workers(1);
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    let answer = String::from_utf8(exchange(address)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    // The server closes its end of that connection once it has seen the client's close; a
    // descriptor freed that way later on would let the next accept succeed at once.
    settled(usize::MAX);

    let mut held = every_descriptor();
    held.pop();
    let mut client = TcpStream::connect(address).expect("connects, into the backlog");
    client.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    // Long enough for the acceptor to fail a few times (it tries every 50 ms).
    thread::sleep(Duration::from_millis(300));
    drop(held);
    let mut answer = String::new();
    client
        .read_to_string(&mut answer)
        .expect("answered once descriptors are free");
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    server.stop(Duration::ZERO, Duration::from_secs(1));
}

/// Opens `/dev/null` until the process has no descriptor left, and returns the files.
fn every_descriptor() -> Vec<File> {
    let mut held = Vec::new();
    loop {
        match File::open("/dev/null") {
            Ok(file) => held.push(file),
            Err(error) => {
                assert_eq!(error.raw_os_error(), Some(24), "EMFILE expected: {error}");
                return held;
            }
        }
    }
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

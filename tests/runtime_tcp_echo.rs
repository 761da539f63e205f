//! A two-worker `Runtime` echoes 1,000 concurrent TCP connections.
//!
//! The server is wired the way the CIO engine is: one accept loop (on worker 0) takes each
//! connection as a plain `std::net::TcpStream` (`accept_std`), and hands it round-robin to a
//! worker with `spawn_on`, where `TcpStream::from_std` registers it with that worker's reactor
//! and an echo task serves it. The clients are blocking std sockets on a few threads: all
//! connections are opened first, then every client sends a line and reads it back.

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::Duration;

use mini_ktor::runtime::{
    AsyncRead, AsyncWrite, Runtime, TcpListener, TcpStream, block_on, current_worker, oneshot,
};

/// Client connections in total.
const CONNECTIONS: usize = 1_000;
/// Threads sharing the client connections.
const CLIENT_THREADS: usize = 4;
/// The whole test must finish within this time, or it fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(30);

/// Connections served per worker, counted by the echo tasks.
type Served = Arc<[AtomicUsize; 2]>;

/// Echoes everything it reads until the client closes its side.
async fn echo(socket: std::net::TcpStream, served: Served) -> io::Result<()> {
    let mut stream = TcpStream::from_std(socket)?;
    served[current_worker().expect("runs on a Runtime worker")].fetch_add(1, Ordering::SeqCst);
    let mut buf = [0u8; 1024];
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        stream.write_all(&buf[..n]).await?;
    }
}

/// The soft limit on open file descriptors, from `/proc/self/limits` (1024 if unreadable).
fn open_files_limit() -> usize {
    let limits = std::fs::read_to_string("/proc/self/limits").unwrap_or_default();
    let line = limits.lines().find(|line| line.starts_with("Max open files"));
    let soft = line.and_then(|line| line.split_whitespace().nth(3)?.parse().ok());
    soft.unwrap_or(1024)
}

/// Opens `count` connections, waits at the barrier until every client thread has opened its
/// share, then sends one line per connection and checks each echo. Returns how many matched.
fn clients(addr: SocketAddr, first: usize, count: usize, barrier: &Barrier) -> usize {
    let mut streams = Vec::with_capacity(count);
    for _ in 0..count {
        let stream = std::net::TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        streams.push(stream);
    }
    barrier.wait(); // every connection of this wave is open now
    let line = |i: usize| format!("hello from client {i}\n");
    for (i, stream) in streams.iter_mut().enumerate() {
        stream.write_all(line(first + i).as_bytes()).expect("send");
    }
    let mut matched = 0;
    for (i, stream) in streams.iter_mut().enumerate() {
        let expected = line(first + i);
        let mut echoed = vec![0u8; expected.len()];
        stream.read_exact(&mut echoed).expect("echo");
        matched += usize::from(echoed == expected.as_bytes());
    }
    matched
}

fn run() -> (usize, [usize; 2]) {
    let runtime = Runtime::new(2).unwrap();
    let served: Served = Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]);
    // The listener is bound on worker 0, which reports its address once it is accepting.
    let (addr_tx, addr_rx) = oneshot::channel();
    let handle = runtime.handle();
    let counters = Arc::clone(&served);
    let accept_loop = runtime.spawn_on(0, move || async move {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let _ = addr_tx.send(listener.local_addr()?);
        for next in (0..handle.workers()).cycle() {
            let (socket, _peer) = listener.accept_std().await?;
            let served = Arc::clone(&counters);
            drop(handle.spawn_on(next, move || echo(socket, served)));
        }
        Ok::<(), io::Error>(())
    });
    let addr = block_on(addr_rx).expect("the accept loop started");

    // Each connection costs two descriptors in this process (client and server side). Stay
    // well under the limit; with the usual limits all 1,000 are open at once (one wave).
    let per_wave = CONNECTIONS
        .min(open_files_limit().saturating_sub(200) / 2)
        .max(CLIENT_THREADS);
    let mut matched = 0;
    let mut first = 0;
    while first < CONNECTIONS {
        let wave = per_wave.min(CONNECTIONS - first);
        let barrier = Arc::new(Barrier::new(CLIENT_THREADS));
        let threads: Vec<_> = (0..CLIENT_THREADS)
            .map(|t| {
                let (start, end) = (
                    first + wave * t / CLIENT_THREADS,
                    first + wave * (t + 1) / CLIENT_THREADS,
                );
                let barrier = Arc::clone(&barrier);
                thread::spawn(move || clients(addr, start, end - start, &barrier))
            })
            .collect();
        matched += threads.into_iter().map(|t| t.join().unwrap()).sum::<usize>();
        first += wave;
    }

    runtime.shutdown();
    // The accept loop never finishes on its own: shutdown cancelled it.
    let accept_outcome = block_on(accept_loop).unwrap();
    assert!(accept_outcome.unwrap_err().is_cancelled());
    (
        matched,
        [served[0].load(Ordering::SeqCst), served[1].load(Ordering::SeqCst)],
    )
}

/// All 1,000 concurrent connections get their own line back, and both workers served some.
#[test]
fn echo_1000_concurrent_connections_on_two_workers() {
    let (tx, rx) = mpsc::channel();
    let test = thread::spawn(move || tx.send(run()).unwrap());
    let (matched, served) = match rx.recv_timeout(LIMIT) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Disconnected) => std::panic::resume_unwind(test.join().unwrap_err()),
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("echo test still running after {LIMIT:?}"),
    };
    assert_eq!(matched, CONNECTIONS);
    assert_eq!(served[0] + served[1], CONNECTIONS);
    assert!(
        served[0] > 0 && served[1] > 0,
        "both workers serve connections: {served:?}"
    );
}

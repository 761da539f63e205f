//! Tests of `net.rs`, kept apart so that the module reads as one concept.

use super::*;
use crate::runtime::test_support::watchdog;
use crate::runtime::{block_on, reactor, spawn};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// 2 MiB of recognisable bytes.
fn payload() -> Vec<u8> {
    (0..2 * 1024 * 1024).map(|i| (i % 251) as u8).collect()
}

/// Both ends of a fresh loopback connection, registered with the current worker: the client's
/// and the server's.
async fn connected_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
    let (server, _) = listener.accept().await.unwrap();
    (client, server)
}

/// Sends `payload()` on `stream` from one task while this one reads everything the peer
/// sends, through a shared `&TcpStream`. Returns what was read.
async fn exchange(stream: Rc<TcpStream>) -> io::Result<Vec<u8>> {
    let writer = {
        let stream = Rc::clone(&stream);
        spawn(async move {
            let mut sink: &TcpStream = &stream;
            sink.write_all(&payload()).await?;
            stream.shutdown(Shutdown::Write)
        })
    };
    let mut source: &TcpStream = &stream;
    let (mut received, mut buf) = (Vec::new(), vec![0u8; 64 * 1024]);
    loop {
        match source.read(&mut buf).await? {
            0 => break,
            n => received.extend_from_slice(&buf[..n]),
        }
    }
    writer.await.expect("writer task panicked")?;
    Ok(received)
}

/// Both ends of a loopback connection send 2 MiB at once. Neither side can finish unless
/// reading and writing progress together, so this exercises waiting for writability,
/// end-of-stream after a half-close, and one reader plus one writer sharing a stream.
#[test]
fn full_duplex_transfer() {
    watchdog(|| {
        block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let addr = listener.local_addr().unwrap();
            // The kernel completes the handshake from the backlog; accept picks it up.
            let client = TcpStream::connect(addr).await.unwrap();
            let (server, peer) = listener.accept().await.unwrap();
            assert_eq!(peer, client.local_addr().unwrap());
            assert_eq!(server.peer_addr().unwrap(), peer);
            server.set_nodelay(true).unwrap();
            let client = spawn(exchange(Rc::new(client)));
            let server = spawn(exchange(Rc::new(server)));
            assert!(client.await.unwrap().unwrap() == payload());
            assert!(server.await.unwrap().unwrap() == payload());
        })
    });
}

/// A socket accepted with `accept_std` joins the worker through `from_std`; dropping the
/// sockets removes every registration from the reactor.
#[test]
fn accept_std_then_from_std_and_deregistration() {
    watchdog(|| {
        block_on(async {
            let reactor = reactor::current();
            let listener =
                TcpListener::from_std(std::net::TcpListener::bind("127.0.0.1:0").unwrap()).unwrap();
            let mut client = TcpStream::connect(listener.local_addr().unwrap()).await.unwrap();
            let (std_stream, _) = listener.accept_std().await.unwrap();
            assert_eq!(reactor.registrations(), 2, "the std stream is not registered");
            let mut server = TcpStream::from_std(std_stream).unwrap();
            client.write_all(b"ping").await.unwrap();
            let mut buf = [0u8; 4];
            server.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"ping");
            drop((client, server, listener));
            assert_eq!(reactor.registrations(), 0);
        })
    });
}

/// A short read marks the socket drained (the next read waits for the reactor instead of
/// calling the kernel), a readable event clears that, and end-of-stream can be read twice.
#[test]
fn drained_socket_waits_for_the_reactor() {
    watchdog(|| {
        block_on(async {
            let (mut client, mut server) = connected_pair().await;
            client.write_all(b"one").await.unwrap();
            let mut buf = [0u8; 64];
            assert_eq!(server.read(&mut buf).await.unwrap(), 3);
            assert!(
                !server.registration.is_readable(),
                "a short read drains the socket"
            );
            client.write_all(b"two").await.unwrap();
            assert_eq!(
                server.read(&mut buf).await.unwrap(),
                3,
                "the event brings it back"
            );
            assert_eq!(&buf[..3], b"two");
            drop(client);
            assert_eq!(server.read(&mut buf).await.unwrap(), 0);
            assert_eq!(server.read(&mut buf).await.unwrap(), 0, "end-of-stream, again");
        })
    });
}

/// The peer's last bytes and its FIN arrive together, and the reactor reports them before the
/// read: the read returns the bytes (a short read) and consumes the FIN. No further event will
/// come, so the next read must still ask the kernel, which answers end-of-stream. (A drained
/// flag that ignored the hang-up would wait here forever.)
#[test]
fn end_of_stream_after_a_short_read_is_seen() {
    watchdog(|| {
        block_on(async {
            let (mut client, server) = connected_pair().await;
            client.write_all(b"last").await.unwrap();
            client.shutdown(Shutdown::Write).unwrap();
            // Loopback delivers during the send calls; this turn consumes the edge they made.
            reactor::current().turn(Some(Duration::ZERO)).unwrap();
            let mut buf = [0u8; 64];
            let deadline = Instant::now() + Duration::from_secs(5);
            assert_eq!(server.read_before(&mut buf, deadline).await.unwrap(), 4);
            let end = server.read_before(&mut buf, deadline).await;
            assert_eq!(end.unwrap(), 0, "end-of-stream after the short read");
        })
    });
}

/// `try_read` and `try_write` never wait: `WouldBlock` when nothing has arrived (and, once the
/// socket is known drained, without asking the kernel), the bytes when they have.
#[test]
fn try_read_and_try_write_never_wait() {
    watchdog(|| {
        block_on(async {
            let (client, server) = connected_pair().await;
            let mut buf = [0u8; 16];
            let nothing = server.try_read(&mut buf).unwrap_err();
            assert_eq!(nothing.kind(), io::ErrorKind::WouldBlock);
            assert!(
                !server.registration.is_readable(),
                "a WouldBlock marks it drained"
            );
            assert_eq!(client.try_write(b"hello").unwrap(), 5);
            let mut server_side = &server;
            assert_eq!(
                server_side.read(&mut buf).await.unwrap(),
                5,
                "the event brings it back"
            );
            assert_eq!(&buf[..5], b"hello");
        })
    });
}

/// With a write timeout, a write to a peer that reads nothing gives up with `TimedOut` once the
/// send buffer is full, and one to a peer that reads, however slowly, goes through; without
/// one, writes wait (the reading side here is what ends them).
#[test]
fn a_write_timeout_gives_up_on_a_peer_that_does_not_read() {
    watchdog(|| {
        block_on(async {
            let (client, server) = connected_pair().await;
            server.set_write_timeout(Some(Duration::from_millis(100)));
            let chunk = vec![7u8; 64 * 1024];
            let mut sink = &server;
            let mut sent = 0;
            let error = loop {
                match sink.write(&chunk).await {
                    Ok(count) => sent += count,
                    Err(error) => break error,
                }
                assert!(sent < 1 << 30, "the buffers never filled");
            };
            assert_eq!(error.kind(), io::ErrorKind::TimedOut);

            // A reader that takes a little at a time: every write waits far less than the
            // timeout, 2 s so that a busy machine's pauses cannot reach it.
            server.set_write_timeout(Some(Duration::from_secs(2)));
            let reader = spawn(async move {
                let mut buf = vec![0u8; 256 * 1024];
                let mut source = &client;
                let mut received = 0;
                while received < sent + payload().len() {
                    crate::runtime::sleep(Duration::from_millis(2)).await;
                    received += source.read(&mut buf).await?;
                }
                io::Result::Ok(received)
            });
            sink.write_all(&payload())
                .await
                .expect("a reading peer is written to");
            assert_eq!(reader.await.unwrap().unwrap(), sent + payload().len());
        })
    });
}

/// A socket made inside one `block_on` and awaited inside the next would wait for a reactor
/// that nobody turns any more: in a debug build that is a panic naming the mistake, not a hang.
#[test]
#[cfg(debug_assertions)]
#[should_panic(expected = "awaited outside the worker it was created on")]
fn a_socket_from_another_block_on_is_refused() {
    watchdog(|| {
        let listener = block_on(async { TcpListener::bind("127.0.0.1:0").unwrap() });
        // Nobody connects, so accepting has to wait, under the second block_on's reactor.
        block_on(async move { listener.accept().await.map(|_| ()) })
    })
    .unwrap();
}

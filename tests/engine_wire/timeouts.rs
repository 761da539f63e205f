// The idle timeout, the request timeout (408) and the write timeout.
// Included once per engine by `tests/engine_wire.rs`.

/// A keep-alive connection that stays silent past the idle timeout is closed, quietly.
#[test]
fn idle_connection_is_closed_after_the_idle_timeout() {
    let (_server, address) = start_with(hello::module, |server| server.idle_timeout(Duration::from_millis(200)));
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
    let started = Instant::now();
    assert!(read_to_close(&mut stream).is_empty(), "nothing is sent on an idle close");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// A request still incomplete after the request timeout gets `408` and a close.
#[test]
fn slow_request_gets_408() {
    let (_server, address) = start_with(hello::module, |server| server.request_timeout(Duration::from_millis(200)));
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap(); // the head never ends
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
}

/// A body that stops arriving also gets `408`.
#[test]
fn slow_body_gets_408() {
    let (_server, address) = start_with(echo::module, |server| server.request_timeout(Duration::from_millis(200)));
    let mut stream = connect(address);
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{all}");
}

/// The request timeout covers the head and the body together: a body that starts to arrive
/// just before the head's time is up gets only what is left of it, not a timeout of its own.
#[test]
fn request_timeout_spans_head_and_body() {
    let timeout = Duration::from_millis(1000);
    let (_server, address) = start_with(echo::module, move |server| server.request_timeout(timeout));
    let mut stream = connect(address);
    let started = Instant::now();
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\n").unwrap();
    thread::sleep(Duration::from_millis(600));
    stream.write_all(b"Content-Length: 10\r\n\r\nhalf").unwrap(); // the body never ends
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    let elapsed = started.elapsed();
    assert!(all.starts_with("HTTP/1.1 408 Request Timeout\r\n"), "{all}");
    // 408 at about 1 s from the first byte; a fresh timeout for the body would give it at 1.6 s.
    assert!(elapsed >= Duration::from_millis(900), "too early: {elapsed:?}");
    assert!(elapsed < Duration::from_millis(1500), "the body got a timeout of its own: {elapsed:?}");
}

/// A client that stops reading a response is given up on: each wait for room to write is
/// bounded by the idle timeout, so the connection closes before the body is all sent, instead
/// of waiting for the client for ever.
#[test]
fn a_client_that_stops_reading_is_closed() {
    // Far more than the two socket buffers between server and client can hold.
    const SIZE: usize = 32 << 20;
    let module = |app: &mut Application| {
        app.routing(|route| {
            route.get("/big", async |call| {
                call.respond_bytes(vec![b'x'; SIZE], ContentType::APPLICATION_OCTET_STREAM).await
            });
        });
    };
    let (_server, address) = start_with(module, |server| server.idle_timeout(Duration::from_millis(200)));
    let mut stream = connect(address);
    stream.write_all(b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    thread::sleep(Duration::from_millis(1500)); // reading nothing, while the server waits
    let received = read_to_close(&mut stream);
    assert!(received.starts_with(b"HTTP/1.1 200 OK\r\n"));
    assert!(received.len() < SIZE, "all {} bytes were sent: the server waited", received.len());
}

/// `Duration::MAX` turns a time limit off: requests are served as usual, a head that comes in
/// two parts and a body included, with nothing overflowing.
#[test]
fn unlimited_timeouts_are_accepted() {
    let (_server, address) = start_with(echo::module, |server| {
        server.idle_timeout(Duration::MAX).request_timeout(Duration::MAX)
    });
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    stream.write_all(b"POST /a HTTP/1.1\r\nHost: x\r\n").unwrap();
    thread::sleep(Duration::from_millis(20)); // the server waits for the rest of the head
    stream.write_all(b"Content-Length: 2\r\n\r\nhi").unwrap();
    assert!(read_response(&mut stream, &mut buffered).body.ends_with(b"\n\nhi"));
    stream.write_all(b"GET /b HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert!(read_response(&mut stream, &mut buffered).body.starts_with(b"GET /b\n"));
}

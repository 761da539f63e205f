// The wire cases, included once per engine by `tests/engine_wire.rs`.

/// Two requests over one keep-alive connection get two complete responses, in order.
#[test]
fn two_requests_on_one_keep_alive_connection() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    let mut buffered = Vec::new();

    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let first = read_response(&mut stream, &mut buffered);
    assert_eq!(first.status_line, "HTTP/1.1 200 OK");
    assert_eq!(first.body, b"Hello World!");
    assert_eq!(first.header("content-type"), Some("text/plain; charset=UTF-8"));
    assert_eq!(first.header("content-length"), Some("12"));
    assert!(first.header("date").is_some_and(|date| date.ends_with(" GMT")));
    assert_eq!(first.header("connection"), None);

    stream
        .write_all(b"GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let second = read_response(&mut stream, &mut buffered);
    assert_eq!(second.status_line, "HTTP/1.1 200 OK");
    assert_eq!(second.body, b"Hello, World!");
    assert_eq!(second.header("content-type"), Some("text/plain"));
    assert!(buffered.is_empty());
}

/// Pipelined requests sent in one write are all answered, in order.
#[test]
fn pipelined_requests_are_answered_in_order() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    let request = |path: &str| format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
    let batch = [
        request("/"),
        request("/plaintext"),
        request("/nowhere"),
        request("/"),
    ]
    .concat();
    stream.write_all(batch.as_bytes()).unwrap();
    let mut buffered = Vec::new();
    let bodies: Vec<_> = (0..4)
        .map(|_| read_response(&mut stream, &mut buffered))
        .collect();
    assert_eq!(bodies[0].body, b"Hello World!");
    assert_eq!(bodies[1].body, b"Hello, World!");
    assert_eq!(bodies[2].status_line, "HTTP/1.1 404 Not Found");
    assert_eq!(bodies[3].body, b"Hello World!");
}

/// `Connection: close` is honoured: the response says so and the server closes.
#[test]
fn connection_close_is_honoured() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert!(all.ends_with("\r\n\r\nHello World!"), "{all}");
}

/// A handler's own `Connection: close` closes the connection after its response, which says
/// so once; a request pipelined behind it is not answered.
#[test]
fn handler_connection_close_closes() {
    let (_server, address) = start(|app: &mut Application| {
        app.routing(|route| {
            route.get("/bye", async |call| {
                call.response().header("Connection", "close")?;
                call.respond_text("bye").await
            });
        });
    });
    let mut stream = connect(address);
    let request = "GET /bye HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(request.repeat(2).as_bytes()).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert_eq!(all.matches("onnection: close\r\n").count(), 1, "{all}");
    assert!(all.ends_with("\r\n\r\nbye"), "one response only: {all}");
}

/// A response far larger than the socket's send buffer, to a client that waits before reading:
/// the first write takes only part of it, the rest waits for room, and the bytes arrive whole
/// and in order, followed by the answer to the request pipelined behind it.
#[test]
fn a_response_larger_than_the_send_buffer_arrives_whole() {
    const SIZE: usize = 4 << 20;
    let body: Vec<u8> = (0..SIZE).map(|i| (i % 251) as u8).collect();
    let expected = body.clone();
    let (_server, address) = start(move |app: &mut Application| {
        app.routing(move |route| {
            route.get("/big", async move |call| {
                let body = body.clone();
                call.respond_bytes(body, ContentType::APPLICATION_OCTET_STREAM).await
            });
        });
        hello::module(app);
    });
    let mut stream = connect(address);
    let requests = "GET /big HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(requests.as_bytes()).unwrap();
    // Let the server fill the send buffer and start waiting for room.
    thread::sleep(Duration::from_millis(100));
    let mut buffered = Vec::new();
    let big = read_response(&mut stream, &mut buffered);
    assert_eq!(big.status_line, "HTTP/1.1 200 OK");
    assert_eq!(big.header("content-length"), Some(SIZE.to_string().as_str()));
    assert!(big.body == expected, "the body arrived altered");
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
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

/// HTTP/1.0 closes by default after one response.
#[test]
fn http_1_0_closes_by_default() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.ends_with("Hello World!"), "{all}");
}

/// A request with a Content-Length body is read whole, and the next one still parses.
#[test]
fn content_length_body_keeps_the_stream_in_step() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\nHost: x\r\n\r\n",
        )
        .unwrap();
    let mut buffered = Vec::new();
    let first = read_response(&mut stream, &mut buffered);
    assert_eq!(first.status_line, "HTTP/1.1 405 Method Not Allowed");
    let second = read_response(&mut stream, &mut buffered);
    assert_eq!(second.body, b"Hello World!");
}

/// Responses to pipelined requests go out before the server waits for the rest of a later
/// request's body: the client can read the first answer while the body is still on its way.
#[test]
fn a_pipelined_response_is_not_held_back_by_a_slow_body() {
    // A request timeout far longer than the client's read limit (10 s in `connect`): the first
    // response must come because it is ready, not because the second request timed out.
    let (_server, address) = start_with(echo::module, |server| server.request_timeout(Duration::from_secs(60)));
    let mut stream = connect(address);
    stream
        .write_all(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\nPOST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhalf")
        .unwrap();
    let mut buffered = Vec::new();
    let first = read_response(&mut stream, &mut buffered);
    assert_eq!(first.body, b"GET /first\nhost: x\n\n", "{first:?}");
    stream.write_all(b"-done!").unwrap(); // the last 6 of its 10 bytes
    let second = read_response(&mut stream, &mut buffered);
    assert!(second.body.ends_with(b"\n\nhalf-done!"), "{second:?}");
}

/// A client that closes in the middle of a body still gets the responses to the requests
/// before it; only the incomplete request goes unanswered.
#[test]
fn a_close_during_a_body_still_delivers_the_earlier_responses() {
    let (_server, address) = start(echo::module);
    let mut stream = connect(address);
    stream
        .write_all(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\nPOST /second HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert_eq!(all.matches("HTTP/1.1 ").count(), 1, "{all}");
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.ends_with("\r\n\r\nGET /first\nhost: x\n\n"), "{all}");
}

/// After `100 Continue`, a body whose framing is broken gets its error and a close, as it
/// would without `Expect`, even when the handler shrugs off the failed read and answers.
#[test]
fn a_broken_body_after_100_continue_gets_its_error() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.post("/", async |call| {
                let _ = call.receive_text().await; // the error is ignored
                call.respond_text("ok").await
            });
        });
    });
    let mut stream = connect(address);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
        .unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_head(&mut stream, &mut buffered).status_line, "HTTP/1.1 100 Continue");
    stream.write_all(b"zz\r\nhello\r\n0\r\n\r\n").unwrap();
    let mut all = buffered;
    all.extend(read_to_close(&mut stream));
    let all = String::from_utf8(all).unwrap();
    assert!(all.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert_eq!(all.matches("HTTP/1.1 ").count(), 1, "nothing but the error: {all}");
}

/// A malformed request gets a 400 with `Connection: close`, and nothing after it is answered.
#[test]
fn malformed_request_gets_400_and_close() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost : x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert_eq!(
        all.matches("HTTP/1.1").count(),
        1,
        "only the error is answered: {all}"
    );
}

/// A client that half-closes after its request still gets the response.
#[test]
fn half_closed_client_gets_its_response() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.ends_with("Hello, World!"), "{all}");
}

/// A client that sends its last request on a kept-alive connection and half-closes right
/// after gets the response and then the server's close, not a wait for the idle timeout: the
/// server sees the end of the stream even when its one report came with the request's bytes.
#[test]
fn last_request_then_half_close_is_answered_and_closed() {
    let (_server, address) = start(hello::module);
    for _ in 0..20 {
        let mut stream = connect(address);
        let mut buffered = Vec::new();
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
        // The server now waits for a next request; it comes with the end of the stream.
        stream
            .write_all(b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        stream.shutdown(Shutdown::Write).unwrap();
        let rest = String::from_utf8(read_to_close(&mut stream)).unwrap();
        assert!(rest.ends_with("Hello, World!"), "{rest}");
    }
}

/// Stopping the server closes the listener: new connections are refused.
#[test]
fn stop_stops_accepting() {
    let (mut server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
    server.stop(Duration::from_secs(1), Duration::from_secs(1));
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_err());
}

/// A chunked request body arrives decoded, and the request after it is still parsed.
#[test]
fn chunked_request_body_is_decoded() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.post("/echo", async |call| {
                let body = call.receive_text().await?;
                call.respond_text(format!("[{body}]")).await
            });
        });
    });
    let mut stream = connect(address);
    stream
        .write_all(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n\
              5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: t\r\n\r\n\
              POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
        )
        .unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"[hello, world]");
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"[abc]");
}

/// A request with both Content-Length and Transfer-Encoding is refused: the framing is never
/// guessed (RFC 9112 §6.3).
#[test]
fn conflicting_framing_is_refused() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        )
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{all}");
    assert_eq!(all.matches("HTTP/1.1").count(), 1, "{all}");
}

/// A path with a broken escape is not a URI: 400, and the pipelined request behind it is not
/// answered. One whose escapes are merely not UTF-8 is served.
#[test]
fn broken_escape_in_path_is_refused() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(b"GET /a%zz HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 400 Bad Request\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert_eq!(all.matches("HTTP/1.1").count(), 1, "{all}");

    let mut stream = connect(address);
    stream.write_all(b"GET /caf%E9 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 404 Not Found\r\n"), "routed, and found nothing: {all}");
}

/// HTTP/1.0 with `Connection: keep-alive` stays open, and the response says so.
#[test]
fn http_1_0_keep_alive_is_honoured() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    for _ in 0..2 {
        stream.write_all(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap();
        let response = read_response(&mut stream, &mut buffered);
        assert_eq!(response.body, b"Hello World!");
        assert_eq!(response.header("connection"), Some("keep-alive"));
    }
}

/// `Expect: 100-continue`: `100 Continue` comes only once the handler reads the body, and the
/// final response follows the body.
#[test]
fn expect_continue_is_answered_when_the_handler_reads_the_body() {
    let (_server, address) = start(echo::module);
    let mut stream = connect(address);
    stream
        .write_all(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        .unwrap();
    let mut buffered = Vec::new();
    let interim = read_head(&mut stream, &mut buffered);
    assert_eq!(interim.status_line, "HTTP/1.1 100 Continue");
    stream.write_all(b"hello").unwrap();
    let response = read_response(&mut stream, &mut buffered);
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert!(response.body.ends_with(b"\n\nhello"), "{:?}", String::from_utf8_lossy(&response.body));
}

/// A handler that never reads the body sends no `100 Continue`: the final response comes at
/// once, and the connection closes, since the body may still follow.
#[test]
fn expect_continue_is_not_answered_when_the_body_is_ignored() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"), "{all}");
    assert!(!all.contains("100 Continue"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
}

/// Any expectation other than `100-continue` is a 417.
#[test]
fn unknown_expectation_is_417() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nExpect: teapot\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 417 Expectation Failed\r\n"), "{all}");
}

/// HEAD gets the headers GET would get, `Content-Length` included, and no body.
#[test]
fn head_gets_get_headers_and_no_body() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.method(HttpMethod::Head, "/", async |call| call.respond_text("Hello World!").await);
        });
    });
    let mut stream = connect(address);
    stream.write_all(b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.contains("\r\nContent-Length: 12\r\n"), "{all}");
    assert!(all.ends_with("\r\n\r\n"), "no body after the head: {all}");
}

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

/// A body over the limit gets `413` before it is read, and the client can read the answer even
/// while it is still sending (the server lingers instead of resetting the connection).
#[test]
fn oversized_body_gets_413_and_close() {
    let limits = Limits { max_body: 1024, ..Limits::default() };
    let (_server, address) = start_with(echo::module, move |server| server.limits(limits));
    let mut stream = connect(address);
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n").unwrap();
    let _ = stream.write_all(&[b'x'; 100_000]); // the server may stop reading at any point
    let mut buffered = Vec::new();
    let response = read_head(&mut stream, &mut buffered);
    assert_eq!(response.status_line, "HTTP/1.1 413 Content Too Large");
    assert_eq!(response.header("connection"), Some("close"));
}

/// A chunked body growing over the limit gets `413` too.
#[test]
fn oversized_chunked_body_gets_413() {
    let limits = Limits { max_body: 8, ..Limits::default() };
    let (_server, address) = start_with(echo::module, move |server| server.limits(limits));
    let mut stream = connect(address);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 413 Content Too Large\r\n"), "{all}");
}

/// A request target over the limit gets `414`; a header section over it gets `431`.
#[test]
fn oversized_target_and_headers_get_414_and_431() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    let target = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
    stream.write_all(target.as_bytes()).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{all}");

    let mut stream = connect(address);
    let headers: String = (0..101).map(|i| format!("X-{i}: v\r\n")).collect();
    stream.write_all(format!("GET / HTTP/1.1\r\nHost: x\r\n{headers}\r\n").as_bytes()).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"), "{all}");
}

/// An unsupported HTTP version gets `505`.
#[test]
fn unsupported_version_gets_505() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 505 HTTP Version Not Supported\r\n"), "{all}");
}

/// A streamed response is sent chunked, and the connection stays usable after it.
#[test]
fn streamed_response_is_chunked() {
    let (_server, address) = start(counting_module);
    let mut stream = connect(address);
    stream.write_all(b"GET /count HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    let head = read_head(&mut stream, &mut buffered);
    assert_eq!(head.status_line, "HTTP/1.1 200 OK");
    assert_eq!(head.header("transfer-encoding"), Some("chunked"));
    assert_eq!(head.header("content-length"), None);
    let expected = b"2\r\n1\n\r\n2\r\n2\n\r\n2\r\n3\n\r\n0\r\n\r\n";
    fill(&mut stream, &mut buffered, expected.len());
    assert_eq!(String::from_utf8_lossy(&buffered), String::from_utf8_lossy(expected));
    buffered.clear();
    stream.write_all(b"GET /count HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_head(&mut stream, &mut buffered).status_line, "HTTP/1.1 200 OK");
}

/// An HTTP/1.0 client gets a streamed body raw, ended by the close.
#[test]
fn streamed_response_to_http_1_0_ends_with_close() {
    let (_server, address) = start(counting_module);
    let mut stream = connect(address);
    stream.write_all(b"GET /count HTTP/1.0\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert!(!all.contains("chunked"), "{all}");
    assert!(all.ends_with("\r\n\r\n1\n2\n3\n"), "{all}");
}

/// A panicking handler answers 500 on the wire, and the connection keeps working.
#[test]
fn handler_panic_is_a_500_on_the_wire() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.get("/panic", async |_call| panic!("handler bug"));
            route.get("/", async |call| call.respond_text("fine").await);
        });
    });
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    stream.write_all(b"GET /panic HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_response(&mut stream, &mut buffered).status_line, "HTTP/1.1 500 Internal Server Error");
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"fine");
}

/// A graceful stop lets a request in flight finish (answered with `Connection: close`), closes
/// idle connections, and refuses new ones.
#[test]
fn graceful_stop_finishes_requests_in_flight() {
    let (mut server, address) = start(|app| {
        app.routing(|route| {
            route.get("/slow", async |call| {
                sleep(Duration::from_millis(300)).await;
                call.respond_text("finished").await
            });
        });
    });
    let mut idle = connect(address);
    idle.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut idle, &mut buffered).body, b"finished"); // now idle

    let mut busy = connect(address);
    busy.write_all(b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    thread::sleep(Duration::from_millis(50)); // the request is in its handler
    let started = Instant::now();
    server.stop(Duration::from_secs(5), Duration::from_secs(5));
    assert!(started.elapsed() < Duration::from_secs(4), "stop waited for the idle connection");

    let answer = String::from_utf8(read_to_close(&mut busy)).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("\r\nConnection: close\r\n"), "{answer}");
    assert!(answer.ends_with("finished"), "{answer}");
    assert!(read_to_close(&mut idle).is_empty(), "the idle connection is closed without a word");
    assert!(TcpStream::connect_timeout(&address, Duration::from_secs(2)).is_err());
}

/// A route that streams three lines.
fn counting_module(app: &mut Application) {
    app.routing(|route| {
        route.get("/count", async |call| {
            call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
                for n in 1..=3 {
                    writer.write(format!("{n}\n").as_bytes()).await?;
                }
                Ok(())
            })
            .await
        });
    });
}

/// A request with more headers than the parser's first, short set of slots is still read whole.
#[test]
fn many_headers_are_accepted_up_to_the_limit() {
    let (_server, address) = start(echo::module);
    let mut stream = connect(address);
    let headers: String = (0..99).map(|i| format!("X-{i}: v{i}\r\n")).collect();
    stream.write_all(format!("GET / HTTP/1.1\r\nHost: x\r\n{headers}\r\n").as_bytes()).unwrap();
    let mut buffered = Vec::new();
    let response = read_response(&mut stream, &mut buffered);
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert!(String::from_utf8_lossy(&response.body).contains("\nx-98: v98\n"));
}

/// The lifecycle events come in Ktor's order: started, ready, stopping, stopped.
#[test]
fn lifecycle_events_in_order() {
    use mini_ktor::application::{ApplicationStarted, ApplicationStopped, ApplicationStopping, ServerReady};
    use std::sync::{Arc, Mutex};
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let (mut server, _address) = start(move |app| {
        let monitor = app.monitor_mut();
        for (name, seen) in [("started", &seen), ("ready", &seen), ("stopping", &seen), ("stopped", &seen)] {
            let seen = Arc::clone(seen);
            let push = move |_: &Application| seen.lock().unwrap().push(name);
            match name {
                "started" => monitor.subscribe(ApplicationStarted, push),
                "ready" => monitor.subscribe(ServerReady, push),
                "stopping" => monitor.subscribe(ApplicationStopping, push),
                _ => monitor.subscribe(ApplicationStopped, push),
            }
        }
    });
    assert_eq!(*log.lock().unwrap(), ["started", "ready"]);
    server.stop(Duration::from_secs(1), Duration::from_secs(1));
    assert_eq!(*log.lock().unwrap(), ["started", "ready", "stopping", "stopped"]);
}

/// A connection reuses one call for the next request (its box, the request target and headers,
/// the response headers): nothing of one request or response may show in the next, neither
/// the headers nor the status, the attributes, the parameters or the body.
#[test]
fn nothing_of_one_call_leaks_into_the_next() {
    use mini_ktor::util::AttributeKey;
    const MARK: AttributeKey<String> = AttributeKey::new("mark");
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.post("/tagged/{id}", async |call| {
                let tag = format!("tag-{}", call.request().uri());
                call.response().header("X-Tag", tag)?;
                call.response().set_status(HttpStatusCode::CREATED);
                call.attributes_mut().put(&MARK, "marked".to_string());
                call.respond_text("tagged").await
            });
            route.get("/seen", async |call| {
                let headers: Vec<String> = call
                    .request()
                    .headers()
                    .iter()
                    .map(|(name, value)| format!("{name}={value}"))
                    .collect();
                let parameters: Vec<String> = call
                    .parameters()
                    .iter()
                    .map(|(name, value)| format!("{name}={value}"))
                    .collect();
                let marked = call.attributes().contains(&MARK);
                let body = call.receive_text().await?;
                let text = format!(
                    "{} {} params[{}] marked={marked} body[{body}]",
                    call.request().uri(),
                    headers.join(","),
                    parameters.join(",")
                );
                call.respond_text(text).await
            });
        });
    });
    let mut stream = connect(address);
    let batch = "POST /tagged/7?long-query-string-here HTTP/1.1\r\nHost: a\r\nX-First: 1\r\n\
                 X-Second: 2\r\nContent-Length: 4\r\n\r\nbody\
                 GET /seen HTTP/1.1\r\nHost: b\r\n\r\n\
                 GET /seen?q=1 HTTP/1.1\r\nHost: c\r\nX-Third: 3\r\n\r\n";
    stream.write_all(batch.as_bytes()).unwrap();
    let mut buffered = Vec::new();
    let tagged = read_response(&mut stream, &mut buffered);
    assert_eq!(tagged.status_line, "HTTP/1.1 201 Created");
    assert_eq!(tagged.header("x-tag"), Some("tag-/tagged/7?long-query-string-here"));
    let seen = read_response(&mut stream, &mut buffered);
    assert_eq!(seen.status_line, "HTTP/1.1 200 OK", "the status of the call before");
    assert_eq!(seen.header("x-tag"), None, "a response header of the call before");
    assert_eq!(seen.body, b"/seen Host=b params[] marked=false body[]");
    let third = read_response(&mut stream, &mut buffered);
    assert_eq!(third.body, b"/seen?q=1 Host=c,X-Third=3 params[q=1] marked=false body[]");
    // Once more after the connection was idle (its storage went to the worker's spares).
    std::thread::sleep(std::time::Duration::from_millis(20));
    stream.write_all(b"GET /seen HTTP/1.1\r\nHost: d\r\n\r\n").unwrap();
    let after_idle = read_response(&mut stream, &mut buffered);
    assert_eq!(after_idle.body, b"/seen Host=d params[] marked=false body[]");
    assert_eq!(after_idle.header("x-tag"), None);
}

/// After refusing an oversized body, the server's lingering close ends: a client that goes on
/// sending the body it announced finds the connection closed (a failed write) long before it
/// has sent 64 MiB or spent 10 s, since the server reads at most 1 MiB or 1 s of it.
#[test]
fn oversized_body_sender_is_cut_off_after_the_lingering_close() {
    const MOST: usize = 64 << 20;
    const LIMIT: Duration = Duration::from_secs(10);
    let limits = Limits { max_body: 1024, ..Limits::default() };
    let (_server, address) = start_with(echo::module, move |server| server.limits(limits));
    let mut stream = connect(address);
    stream.set_write_timeout(Some(LIMIT)).unwrap();
    stream.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    let response = read_head(&mut stream, &mut buffered);
    assert_eq!(response.status_line, "HTTP/1.1 413 Content Too Large");
    let started = Instant::now();
    let piece = vec![b'x'; 64 << 10];
    let mut sent = 0;
    let error = loop {
        assert!(sent < MOST, "the server still read after {sent} bytes");
        assert!(started.elapsed() < LIMIT, "the server still read after {:?}", started.elapsed());
        match stream.write(&piece) {
            Ok(count) => sent += count,
            Err(error) => break error,
        }
    };
    let closed = [ErrorKind::BrokenPipe, ErrorKind::ConnectionReset, ErrorKind::ConnectionAborted];
    assert!(closed.contains(&error.kind()), "after {sent} bytes: {error:?}");
}

/// A request knows both ends of its connection: its local address is the server's end (the
/// client's peer) and its remote address the client's end.
#[test]
fn request_knows_the_local_and_remote_addresses() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.get("/addresses", async |call| {
                let request = call.request();
                let text = format!("{} {}", request.local_address(), request.remote_address());
                call.respond_text(text).await
            });
        });
    });
    let mut stream = connect(address);
    stream.write_all(b"GET /addresses HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    let response = read_response(&mut stream, &mut buffered);
    let expected = format!("{} {}", stream.peer_addr().unwrap(), stream.local_addr().unwrap());
    assert_eq!(String::from_utf8_lossy(&response.body), expected);
    assert_eq!(stream.peer_addr().unwrap(), address);
}

/// `host` chooses the address the server binds: the configuration keeps the last name given,
/// and a server started with `127.0.0.1` is bound there and answers on it.
#[test]
fn host_is_the_address_bound() {
    let (server, address) = start_with(hello::module, |server| {
        let named = server.host("localhost"); // not started with it: nothing is bound there
        assert_eq!(named.config().host, "localhost");
        named.host("127.0.0.1")
    });
    assert_eq!(server.config().host, "127.0.0.1");
    assert_eq!(address.ip(), std::net::Ipv4Addr::LOCALHOST);
    assert_ne!(address.port(), 0);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).body, b"Hello World!");
}

// Requests that cannot be answered normally: their status, then a clean close, and nothing
// after them read as a request.
// Included once per engine by `tests/engine_wire.rs`.

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

/// An error answering a `HEAD` has the headers it would have for a `GET`, and no body (RFC 9110
/// §9.3.2): for a head that cannot be parsed (also after the empty lines a client may send
/// first, RFC 9112 §2.2), a target too long, and a body that cannot be read.
#[test]
fn an_error_answering_head_has_no_body() {
    let (_server, address) = start(echo::module);
    let long = format!("HEAD /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(9000));
    let cases: [(&[u8], &str); 4] = [
        (b"HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (b"\r\n\r\nHEAD / HTTP/1.1\r\nContent-Length: x\r\n\r\n", "HTTP/1.1 400 Bad Request"),
        (long.as_bytes(), "HTTP/1.1 414 URI Too Long"),
        (
            b"HEAD / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "HTTP/1.1 400 Bad Request",
        ),
    ];
    for (request, status_line) in cases {
        let mut stream = connect(address);
        stream.write_all(request).unwrap();
        let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
        assert!(all.starts_with(&format!("{status_line}\r\n")), "{all}");
        assert!(all.contains("\r\nContent-Length: "), "{all}");
        assert!(all.ends_with("\r\nConnection: close\r\n\r\n"), "a body after the head: {all}");
    }
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

/// An unsupported HTTP version gets `505`.
#[test]
fn unsupported_version_gets_505() {
    let (_server, address) = start(hello::module);
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/2.0\r\nHost: x\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 505 HTTP Version Not Supported\r\n"), "{all}");
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

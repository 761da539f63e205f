// Keep-alive, pipelining and closing (RFC 9112 §9), HEAD, and what each call sees of its connection.
// Included once per engine by `tests/engine_wire.rs`.

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

/// Pipelined requests for large answers from a client that reads none of them: the server
/// answers only as far as the answers get written (into the kernel's buffers here), rather
/// than computing and holding all of them; once the client reads, every answer comes, in order.
#[test]
fn pipelined_answers_wait_for_a_client_that_does_not_read() {
    const SIZE: usize = 1 << 20;
    const REQUESTS: usize = 40;
    let answered = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&answered);
    let (_server, address) = start(move |app: &mut Application| {
        app.routing(move |route| {
            route.get("/big", async move |call| {
                let number = counter.fetch_add(1, Ordering::SeqCst);
                let body = vec![number as u8; SIZE];
                call.respond_bytes(body, ContentType::APPLICATION_OCTET_STREAM).await
            });
        });
    });
    let mut stream = connect(address);
    let request = "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
    stream.write_all(request.repeat(REQUESTS).as_bytes()).unwrap();
    thread::sleep(Duration::from_millis(300));
    // The kernel's buffers on both ends of a loopback connection hold at most about 10 MB.
    let before_reading = answered.load(Ordering::SeqCst);
    assert!(before_reading < REQUESTS / 2, "{before_reading} answers computed ahead");
    let mut buffered = Vec::new();
    for number in 0..REQUESTS {
        let response = read_response(&mut stream, &mut buffered);
        assert_eq!(response.body.len(), SIZE);
        assert_eq!(response.body[0], number as u8, "answers in order");
    }
}

/// A handler's own `Connection` listing `close`, in any case and among other options, closes
/// the connection after its response, which says so once, as the handler wrote it; a request
/// pipelined behind it is not answered.
#[test]
fn handler_connection_close_closes() {
    let (_server, address) = start(|app: &mut Application| {
        app.routing(|route| {
            route.get("/bye", async |call| {
                let value = call.request().headers().get("X-Connection").unwrap_or_default();
                let value = value.to_string();
                call.response().header("Connection", value)?;
                call.respond_text("bye").await
            });
        });
    });
    for value in ["close", "Close", "keep-alive, close", "close, x"] {
        let mut stream = connect(address);
        let request = format!("GET /bye HTTP/1.1\r\nHost: x\r\nX-Connection: {value}\r\n\r\n");
        stream.write_all(request.repeat(2).as_bytes()).unwrap();
        let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
        assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
        assert_eq!(all.matches("\r\nConnection:").count(), 1, "{all}");
        assert!(all.contains(&format!("\r\nConnection: {value}\r\n")), "{all}");
        assert!(all.ends_with("\r\n\r\nbye"), "one response only: {all}");
    }
}

/// A handler's `Connection` without `close` on a connection that closes anyway (the client
/// asked for the close, or spoke HTTP/1.0 without keep-alive) goes out as one
/// `Connection: close`, not beside it: two lines would contradict each other.
#[test]
fn handler_connection_on_a_closing_connection_says_close_once() {
    let (_server, address) = start(|app: &mut Application| {
        app.routing(|route| {
            route.get("/", async |call| {
                call.response().header("Connection", "keep-alive")?;
                call.respond_text("last").await
            });
        });
    });
    for request in [
        "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "GET / HTTP/1.0\r\n\r\n",
    ] {
        let mut stream = connect(address);
        stream.write_all(request.repeat(2).as_bytes()).unwrap();
        let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
        assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
        assert_eq!(all.matches("\r\nConnection:").count(), 1, "{all}");
        assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
        assert!(all.ends_with("\r\n\r\nlast"), "one response only: {all}");
    }
}

/// A response after which the server closes is read whole even when the client has already
/// sent another request: the server shuts its side and reads what arrives until the client
/// closes (RFC 9112 §9.6), rather than closing with unread bytes, which makes the kernel reset
/// the connection and throw away what the client had not read yet.
#[test]
fn closing_after_a_response_does_not_reset_it() {
    const SIZE: usize = 1 << 20;
    let (_server, address) = start(|app: &mut Application| {
        app.routing(|route| {
            route.get("/last", async |call| {
                call.response().header("Connection", "close")?;
                call.respond_bytes(vec![b'x'; SIZE], ContentType::APPLICATION_OCTET_STREAM).await
            });
        });
    });
    let mut stream = connect(address);
    stream.write_all(b"GET /last HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    thread::sleep(Duration::from_millis(50));
    stream.write_all(b"GET /last HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    thread::sleep(Duration::from_millis(200));
    let mut buffered = Vec::new();
    let response = read_response(&mut stream, &mut buffered);
    assert_eq!(response.status_line, "HTTP/1.1 200 OK");
    assert_eq!(response.body.len(), SIZE);
    assert!(read_to_close(&mut stream).is_empty(), "the second request is not answered");
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

/// Two connections served by one worker each see their own addresses, though the call a
/// connection keeps for its next request waits on the worker's spares while it is idle, and
/// the other connection may take it from there (its addresses are set when it changes hands,
/// not for every request).
#[test]
fn connections_on_one_worker_each_see_their_own_addresses() {
    let (_server, address) = start_with(
        |app| {
            app.routing(|route| {
                route.get("/addresses", async |call| {
                    let request = call.request();
                    let text = format!("{} {}", request.local_address(), request.remote_address());
                    call.respond_text(text).await
                });
            });
        },
        |server| server.workers(1),
    );
    let mut first = connect(address);
    let mut second = connect(address);
    let (mut first_buffered, mut second_buffered) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        for (stream, buffered) in [(&mut first, &mut first_buffered), (&mut second, &mut second_buffered)] {
            stream.write_all(b"GET /addresses HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
            let response = read_response(stream, buffered);
            let expected = format!("{} {}", stream.peer_addr().unwrap(), stream.local_addr().unwrap());
            assert_eq!(String::from_utf8_lossy(&response.body), expected);
        }
    }
}

/// HEAD of a streamed response gets GET's head
/// (`Transfer-Encoding: chunked`) and no body, not even the last chunk: the answer to the
/// request pipelined behind it starts right after the head.
#[test]
fn head_of_a_streamed_response_has_no_body() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.method(HttpMethod::Head, "/count", async |call| {
                call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
                    writer.write(b"1\n").await?;
                    Ok(())
                })
                .await
            });
        });
        hello::module(app);
    });
    let mut stream = connect(address);
    stream
        .write_all(b"HEAD /count HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buffered = Vec::new();
    let head = read_head(&mut stream, &mut buffered);
    assert_eq!(head.status_line, "HTTP/1.1 200 OK");
    assert_eq!(head.header("transfer-encoding"), Some("chunked"));
    let next = read_response(&mut stream, &mut buffered);
    assert_eq!(next.status_line, "HTTP/1.1 200 OK", "{next:?}");
    assert_eq!(next.body, b"Hello World!");
}

// Request bodies (RFC 9112 §6, §7), `Expect: 100-continue` (RFC 9110 §10.1.1) and streamed responses.
// Included once per engine by `tests/engine_wire.rs`.

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

/// A client that closes its sending side after the `100 Continue`, before its body, gets no
/// answer, as it gets none when it does so without `Expect` (the body was its to send).
#[test]
fn a_client_gone_after_100_continue_gets_no_answer() {
    let (_server, address) = start(echo::module);
    for expect in [true, false] {
        let mut stream = connect(address);
        let expect_line = if expect { "Expect: 100-continue\r\n" } else { "" };
        let head = format!("POST / HTTP/1.1\r\nHost: x\r\n{expect_line}Content-Length: 10\r\n\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut buffered = Vec::new();
        if expect {
            assert_eq!(read_head(&mut stream, &mut buffered).status_line, "HTTP/1.1 100 Continue");
        }
        stream.shutdown(Shutdown::Write).unwrap();
        let mut rest = buffered;
        rest.extend(read_to_close(&mut stream));
        assert_eq!(String::from_utf8_lossy(&rest), "", "expect: {expect}");
    }
}

/// `Expect: 100-continue` on an empty body gets the final answer at once: there is nothing to
/// hold back, so a `100 Continue` would only cost the client a round trip.
#[test]
fn expect_continue_on_an_empty_body_is_answered_at_once() {
    let (_server, address) = start(echo::module);
    let mut stream = connect(address);
    stream
        .write_all(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n")
        .unwrap();
    let mut buffered = Vec::new();
    assert_eq!(read_response(&mut stream, &mut buffered).status_line, "HTTP/1.1 200 OK");
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

/// A producer that panics part-way ends its connection, which the client sees close without
/// the last chunk; the server serves the next connection as before.
#[test]
fn a_panicking_producer_closes_its_connection() {
    let (_server, address) = start(|app| {
        counting_module(app);
        app.routing(|route| {
            route.get("/broken", async |call| {
                call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
                    writer.write(b"hello").await?;
                    panic!("producer bug")
                })
                .await
            });
        });
    });
    let mut stream = connect(address);
    stream.write_all(b"GET /broken HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.ends_with("\r\n\r\n5\r\nhello\r\n"), "{all}");
    let mut stream = connect(address);
    stream.write_all(b"GET /count HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    assert_eq!(read_head(&mut stream, &mut Vec::new()).status_line, "HTTP/1.1 200 OK");
}

/// An HTTP/1.0 client that asks to be kept alive still gets a streamed body ended by the
/// close, and is told only that: one `Connection` header, `close`.
#[test]
fn streamed_response_to_http_1_0_keep_alive_says_close_only() {
    let (_server, address) = start(counting_module);
    let mut stream = connect(address);
    stream.write_all(b"GET /count HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert_eq!(all.matches("Connection:").count(), 1, "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert!(all.ends_with("\r\n\r\n1\n2\n3\n"), "{all}");
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

/// A status a handler may set but cannot send as it is: a 1xx is interim and a code past 599 is
/// none (RFC 9110 §15.2, §15), so each goes out as a bare 500, and a 205 without its content
/// (§15.3.6). The connection goes on.
#[test]
fn statuses_that_cannot_be_sent_as_they_are() {
    let (_server, address) = start(|app| {
        app.routing(|route| {
            route.get("/interim", async |call| {
                call.response().header("X-Handler", "interim")?;
                call.response().set_status(HttpStatusCode::CONTINUE);
                call.respond_text("not sent").await
            });
            route.get("/reset", async |call| {
                call.response().set_status(HttpStatusCode::RESET_CONTENT);
                call.respond_text("not sent either").await
            });
            route.get("/past-599", async |call| {
                call.response().header("X-Handler", "past 599")?;
                call.response().set_status(HttpStatusCode::new(600, "Six Hundred"));
                call.respond_text("not sent").await
            });
        });
    });
    let mut stream = connect(address);
    let request = |path: &str| format!("GET /{path} HTTP/1.1\r\nHost: x\r\n\r\n");
    let requests = [request("interim"), request("reset"), request("past-599"), request("interim")];
    stream.write_all(requests.concat().as_bytes()).unwrap();
    let mut buffered = Vec::new();
    for status_line in [
        "HTTP/1.1 500 Internal Server Error",
        "HTTP/1.1 205 Reset Content",
        "HTTP/1.1 500 Internal Server Error",
        "HTTP/1.1 500 Internal Server Error",
    ] {
        let response = read_response(&mut stream, &mut buffered);
        assert_eq!(response.status_line, status_line);
        assert_eq!(response.header("content-length"), Some("0"));
        assert_eq!(response.header("x-handler"), None, "a 500 has none of the handler's headers");
        assert!(response.body.is_empty());
    }
    stream.shutdown(Shutdown::Write).unwrap();
    assert!(read_to_close(&mut stream).is_empty(), "no bytes after the four answers");
}

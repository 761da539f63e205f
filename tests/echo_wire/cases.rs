// The echo contract's cases, included once per engine by `tests/echo_wire.rs`.

/// Sends `request` on a new connection and reads one response.
fn exchange(request: &[u8]) -> WireResponse {
    let (_server, address) = start_echo();
    let mut stream = connect(address);
    stream.write_all(request).unwrap();
    let mut buffered = Vec::new();
    let response = read_response(&mut stream, &mut buffered);
    assert!(buffered.is_empty(), "bytes after the response: {buffered:?}");
    response
}

/// A GET with a query: headers in order, names lowercased, inner spaces kept, OWS trimmed.
#[test]
fn get_with_query_echoes_headers_in_order() {
    let response = exchange(
        b"GET /search?q=ktor%20rust&page=2 HTTP/1.1\r\n\
          Host: localhost\r\n\
          User-Agent: wire test/1.0 (loopback)\r\n\
          X-Mixed-CASE:   two  inner  spaces   \r\n\
          X-Tabs:\t\ttabbed value\t\r\n\
          accept: */*\r\n\
          X-Empty:\r\n\
          \r\n",
    );
    response.assert_echo(
        b"GET /search?q=ktor%20rust&page=2\n\
          host: localhost\n\
          user-agent: wire test/1.0 (loopback)\n\
          x-mixed-case: two  inner  spaces\n\
          x-tabs: tabbed value\n\
          accept: */*\n\
          x-empty: \n\
          \n",
    );
}

/// Repeated header names are echoed as separate lines, interleaved as received.
#[test]
fn duplicate_headers_are_kept_in_order() {
    let response = exchange(
        b"GET /dup HTTP/1.1\r\n\
          Host: localhost\r\n\
          X-Dup: first\r\n\
          Accept: text/html\r\n\
          x-dup: second\r\n\
          Accept: text/plain\r\n\
          X-DUP: third\r\n\
          \r\n",
    );
    response.assert_echo(
        b"GET /dup\n\
          host: localhost\n\
          x-dup: first\n\
          accept: text/html\n\
          x-dup: second\n\
          accept: text/plain\n\
          x-dup: third\n\
          \n",
    );
}

/// A POST body framed by Content-Length comes back byte for byte, binary bytes included.
#[test]
fn post_binary_body_is_echoed() {
    let body: &[u8] = b"\0\x01bin\xff\xfe\r\n\r\nGET / HTTP/1.1\r\n\x7f\0";
    let mut request = format!(
        "POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n\
         Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(body);
    let mut expected = format!(
        "POST /upload\nhost: localhost\ncontent-type: application/octet-stream\n\
         content-length: {}\n\n",
        body.len()
    )
    .into_bytes();
    expected.extend_from_slice(body);
    exchange(&request).assert_echo(&expected);
}

/// A body of exactly the 1 MiB limit comes back byte for byte: the server's buffer for it
/// grows as the bytes arrive, several times over, without losing or reordering any.
#[test]
fn a_body_at_the_size_limit_is_echoed() {
    let mut state = 0x2545_f491_u32;
    let body: Vec<u8> = (0..1 << 20)
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 24) as u8
        })
        .collect();
    let head = format!("POST /big HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n", body.len());
    let request = [head.as_bytes(), &body].concat();
    let expected = [format!("POST /big\nhost: localhost\ncontent-length: {}\n\n", body.len()).as_bytes(), &body].concat();
    exchange(&request).assert_echo(&expected);
}

/// A chunked body (several chunks, an extension, a trailer) is echoed decoded; the trailer
/// is not a header and does not appear.
#[test]
fn chunked_body_is_echoed_decoded() {
    let response = exchange(
        b"PUT /chunks HTTP/1.1\r\n\
          Host: localhost\r\n\
          Transfer-Encoding: chunked\r\n\
          \r\n\
          4;note=\"first piece\"\r\nWiki\r\n\
          5\r\npedia\r\n\
          e\r\n in\r\n\r\nchunks.\r\n\
          0\r\n\
          X-Checksum: abc\r\n\
          \r\n",
    );
    response.assert_echo(
        b"PUT /chunks\n\
          host: localhost\n\
          transfer-encoding: chunked\n\
          \n\
          Wikipedia in\r\n\r\nchunks.",
    );
}

/// Methods the crate has no name for are echoed as sent, body and all.
#[test]
fn unusual_methods_are_echoed() {
    exchange(b"PURGE /cache/item HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .assert_echo(b"PURGE /cache/item\nhost: localhost\n\n");
    exchange(b"MKCOL /dav/new/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nxyz")
        .assert_echo(b"MKCOL /dav/new/\nhost: localhost\ncontent-length: 3\n\nxyz");
}

/// `OPTIONS *` (the asterisk form) reaches the interceptor and is echoed with its `*`.
#[test]
fn options_asterisk_is_echoed() {
    exchange(b"OPTIONS * HTTP/1.1\r\nHost: localhost\r\n\r\n").assert_echo(b"OPTIONS *\nhost: localhost\n\n");
}

/// An absolute-form target is echoed exactly as received, scheme and authority included.
#[test]
fn absolute_form_target_is_echoed_as_received() {
    exchange(b"GET http://example.com/a?b HTTP/1.1\r\nHost: example.com\r\n\r\n")
        .assert_echo(b"GET http://example.com/a?b\nhost: example.com\n\n");
}

/// Any path is answered, including one whose escapes are not UTF-8 (`%E9`, Latin-1 `é`): the
/// target is echoed as received.
#[test]
fn a_path_escaping_latin1_is_echoed() {
    exchange(b"GET /caf%E9?q=%E9 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .assert_echo(b"GET /caf%E9?q=%E9\nhost: localhost\n\n");
}

/// HEAD gets the head a GET of the same target would get, its Content-Length included
/// (RFC 9110 §8.6: a HEAD's length is the one GET would send), and no body bytes: the next
/// response on the connection, that very GET's, starts right after the head.
#[test]
fn head_has_gets_length_but_no_body() {
    let (_server, address) = start_echo();
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    stream
        .write_all(b"HEAD /page?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let head = read_head(&mut stream, &mut buffered);
    head.assert_echo_head();

    stream
        .write_all(b"GET /page?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let get = read_response(&mut stream, &mut buffered);
    get.assert_echo(b"GET /page?x=1\nhost: localhost\n\n");
    assert_eq!(head.content_length(), get.body.len());
    assert!(buffered.is_empty(), "bytes after the response: {buffered:?}");
}

/// Four requests in one write, of different methods and one with a body, are answered in order.
#[test]
fn pipelined_requests_are_echoed_in_order() {
    let (_server, address) = start_echo();
    let mut stream = connect(address);
    stream
        .write_all(
            b"GET /one HTTP/1.1\r\nHost: localhost\r\n\r\n\
              POST /two HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello\
              DELETE /three?id=3 HTTP/1.1\r\nHost: localhost\r\n\r\n\
              PATCH /four HTTP/1.1\r\nHost: localhost\r\nX-Last: yes\r\n\r\n",
        )
        .unwrap();
    let mut buffered = Vec::new();
    let expected: [&[u8]; 4] = [
        b"GET /one\nhost: localhost\n\n",
        b"POST /two\nhost: localhost\ncontent-length: 5\n\nhello",
        b"DELETE /three?id=3\nhost: localhost\n\n",
        b"PATCH /four\nhost: localhost\nx-last: yes\n\n",
    ];
    for body in expected {
        read_response(&mut stream, &mut buffered).assert_echo(body);
    }
    assert!(buffered.is_empty(), "bytes after the responses: {buffered:?}");
}

/// An HTTP/1.0 request is echoed, and the server closes the connection after the response.
#[test]
fn http_1_0_is_echoed_then_closed() {
    let (_server, address) = start_echo();
    let mut stream = connect(address);
    stream
        .write_all(b"GET /old HTTP/1.0\r\nUser-Agent: legacy\r\n\r\n")
        .unwrap();
    let mut buffered = Vec::new();
    let response = read_response(&mut stream, &mut buffered);
    response.assert_echo(b"GET /old\nuser-agent: legacy\n\n");
    assert_eq!(response.header("connection"), Some("close"));
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).expect("read until close");
    assert!(
        buffered.is_empty() && rest.is_empty(),
        "bytes after close: {rest:?}"
    );
}

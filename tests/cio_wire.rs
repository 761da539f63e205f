//! The CIO engine over real loopback sockets: raw HTTP/1.1 bytes in, raw bytes out.

#[path = "../examples/hello.rs"]
#[allow(dead_code)]
mod hello;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;

use mini_ktor::engine::EmbeddedServer;
use mini_ktor::prelude::*;

/// Starts the hello module on a free port with two workers.
fn start_hello() -> (EmbeddedServer<Cio>, SocketAddr) {
    let mut server = embedded_server(Cio, 0, hello::module).workers(2);
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    (server, address)
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// One response read off the wire: status line, headers (lowercased names), body.
#[derive(Debug)]
struct WireResponse {
    status_line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl WireResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads exactly one response, using its Content-Length; `buffered` keeps bytes of the next.
fn read_response(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> WireResponse {
    let head_end = loop {
        if let Some(at) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).expect("read");
        assert!(
            n > 0,
            "connection closed mid-response: {:?}",
            String::from_utf8_lossy(buffered)
        );
        buffered.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8(buffered[..head_end - 4].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_string();
    let headers: Vec<(String, String)> = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .map(|(_, v)| v.parse().unwrap())
        .unwrap_or(0);
    while buffered.len() < head_end + length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).expect("read body");
        assert!(n > 0, "connection closed mid-body");
        buffered.extend_from_slice(&chunk[..n]);
    }
    let body = buffered[head_end..head_end + length].to_vec();
    buffered.drain(..head_end + length);
    WireResponse {
        status_line,
        headers,
        body,
    }
}

/// Reads until the server closes the connection; returns everything it sent.
fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    stream.read_to_end(&mut all).expect("read until close");
    all
}

/// Two requests over one keep-alive connection get two complete responses, in order.
#[test]
fn two_requests_on_one_keep_alive_connection() {
    let (_server, address) = start_hello();
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
    let (_server, address) = start_hello();
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
    let (_server, address) = start_hello();
    let mut stream = connect(address);
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.contains("\r\nConnection: close\r\n"), "{all}");
    assert!(all.ends_with("\r\n\r\nHello World!"), "{all}");
}

/// HTTP/1.0 closes by default after one response.
#[test]
fn http_1_0_closes_by_default() {
    let (_server, address) = start_hello();
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.starts_with("HTTP/1.1 200 OK\r\n"), "{all}");
    assert!(all.ends_with("Hello World!"), "{all}");
}

/// A request with a Content-Length body is read whole, and the next one still parses.
#[test]
fn content_length_body_keeps_the_stream_in_step() {
    let (_server, address) = start_hello();
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

/// A malformed request gets a 400 with `Connection: close`, and nothing after it is answered.
#[test]
fn malformed_request_gets_400_and_close() {
    let (_server, address) = start_hello();
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
    let (_server, address) = start_hello();
    let mut stream = connect(address);
    stream
        .write_all(b"GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let all = String::from_utf8(read_to_close(&mut stream)).unwrap();
    assert!(all.ends_with("Hello, World!"), "{all}");
}

/// Stopping the server closes the listener: new connections are refused.
#[test]
fn stop_stops_accepting() {
    let (mut server, address) = start_hello();
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
    let mut server = embedded_server(Cio, 0, |app| {
        app.routing(|route| {
            route.post("/echo", async |call| {
                let body = call.receive_text().await?;
                call.respond_text(format!("[{body}]")).await
            });
        });
    })
    .workers(1);
    server.start(false).unwrap();
    let mut stream = connect(server.local_address().unwrap());
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
    let (_server, address) = start_hello();
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

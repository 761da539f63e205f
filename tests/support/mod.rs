//! A raw HTTP/1.1 client for wire tests: bytes out, responses parsed just enough to check them.
//!
//! Every read has a time limit (`connect` sets 10 s), so a server that fails to answer makes a
//! test fail instead of hang.

#![allow(dead_code)] // each test file uses its own subset

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// Connects with a read time limit.
pub fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream
}

/// A connection that has sent a GET of `path`, its response not read yet.
pub fn requesting(address: SocketAddr, path: &str) -> TcpStream {
    let mut stream = connect(address);
    let request = format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).expect("request sent");
    stream
}

/// One response read off the wire: status line, headers (lowercased names), body.
#[derive(Debug)]
pub struct WireResponse {
    pub status_line: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl WireResponse {
    /// The first value of header `name` (lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The announced body length.
    pub fn content_length(&self) -> usize {
        let length = self.header("content-length").expect("Content-Length");
        length.parse().expect("numeric Content-Length")
    }
}

/// Reads until `buffered` holds a whole response head; returns the head's length.
fn fill_head(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> usize {
    loop {
        if let Some(at) = buffered.windows(4).position(|w| w == b"\r\n\r\n") {
            return at + 4;
        }
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).expect("read");
        assert!(
            n > 0,
            "connection closed mid-response: {:?}",
            String::from_utf8_lossy(buffered)
        );
        buffered.extend_from_slice(&chunk[..n]);
    }
}

/// Reads one response head (no body); `buffered` keeps any bytes after it. Every response but
/// an interim (1xx) one must carry a `Date` (RFC 9110 §6.6.1) that was filled in: 29 bytes of
/// IMF-fixdate, and not the writer's placeholder (the epoch), whatever path wrote it.
pub fn read_head(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> WireResponse {
    let head_end = fill_head(stream, buffered);
    let head = String::from_utf8(buffered[..head_end - 4].to_vec()).unwrap();
    buffered.drain(..head_end);
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap().to_string();
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':').unwrap();
            (name.to_ascii_lowercase(), value.trim().to_string())
        })
        .collect();
    let response = WireResponse {
        status_line,
        headers,
        body: Vec::new(),
    };
    if !response.status_line.starts_with("HTTP/1.1 1") {
        let date = response.header("date");
        let filled = date.is_some_and(|date| {
            date.len() == 29 && date.ends_with(" GMT") && date != "Thu, 01 Jan 1970 00:00:00 GMT"
        });
        assert!(filled, "Date {date:?} in {head:?}");
    }
    response
}

/// Reads exactly one response framed by Content-Length; `buffered` keeps bytes of the next.
pub fn read_response(stream: &mut TcpStream, buffered: &mut Vec<u8>) -> WireResponse {
    let mut response = read_head(stream, buffered);
    let length = response
        .header("content-length")
        .map_or(0, |l| l.parse().unwrap());
    fill(stream, buffered, length);
    response.body = buffered.drain(..length).collect();
    response
}

/// Reads until `buffered` holds at least `length` bytes.
pub fn fill(stream: &mut TcpStream, buffered: &mut Vec<u8>, length: usize) {
    while buffered.len() < length {
        let mut chunk = [0u8; 4096];
        let n = stream.read(&mut chunk).expect("read body");
        assert!(n > 0, "connection closed mid-body");
        buffered.extend_from_slice(&chunk[..n]);
    }
}

/// Reads until the server closes the connection; returns everything it sent.
pub fn read_to_close(stream: &mut TcpStream) -> Vec<u8> {
    let mut all = Vec::new();
    stream.read_to_end(&mut all).expect("read until close");
    all
}

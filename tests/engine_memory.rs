//! The connection loop over an in-memory transport: each read hands over exactly the bytes a
//! test chose, and each write is recorded on its own.
//!
//! Over a real socket the kernel merges and splits bytes as it likes, so a wire test cannot
//! tell one write of two responses from two writes of one. Here every call the loop makes on
//! its stream is logged in order, which shows how many writes a batch of responses took and
//! whether they left before the connection waited for more input.

#[path = "../examples/hello.rs"]
#[allow(dead_code)]
mod hello;

use std::collections::VecDeque;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use mini_ktor::application::Application;
use mini_ktor::engine::connection::{Peer, serve};
use mini_ktor::engine::{ConnectionConfig, ConnectionState, Transport};
use mini_ktor::runtime::{AsyncRead, AsyncWrite, block_on};

/// What the connection did with its stream, in order.
#[derive(Debug, PartialEq)]
enum Event {
    /// A read that returned these bytes (none: the end of the stream).
    Read(Vec<u8>),
    /// A write that took these bytes.
    Write(Vec<u8>),
    /// The sending direction was shut.
    Shutdown,
}

/// A stream that hands out fixed reads, then the end of the stream, and logs every call.
struct MemoryStream {
    /// What each read returns, in order; a read given a smaller buffer leaves the rest in front.
    reads: VecDeque<Vec<u8>>,
    log: Vec<Event>,
}

impl MemoryStream {
    fn new(reads: &[&str]) -> MemoryStream {
        MemoryStream {
            reads: reads.iter().map(|read| read.as_bytes().to_vec()).collect(),
            log: Vec::new(),
        }
    }

    /// The next read: as much of the next fixed read as `buf` holds.
    fn next_read(&mut self, buf: &mut [u8]) -> usize {
        let Some(next) = self.reads.front_mut() else {
            self.log.push(Event::Read(Vec::new()));
            return 0;
        };
        let count = next.len().min(buf.len());
        buf[..count].copy_from_slice(&next[..count]);
        self.log.push(Event::Read(next.drain(..count).collect()));
        if next.is_empty() {
            self.reads.pop_front();
        }
        count
    }

    /// What each call on the stream was, in order: `read`, `write`, `end` (a read that found the
    /// end of the stream) or `shutdown`.
    fn kinds(&self) -> Vec<&'static str> {
        let kind = |event: &Event| match event {
            Event::Read(bytes) if bytes.is_empty() => "end",
            Event::Read(_) => "read",
            Event::Write(_) => "write",
            Event::Shutdown => "shutdown",
        };
        self.log.iter().map(kind).collect()
    }

    /// Checks the kinds of what happened, in order, showing the whole log when they differ.
    fn assert_kinds(&self, expected: &[&str]) {
        assert_eq!(self.kinds(), expected, "{:#?}", self.log);
    }

    /// Every write so far, as text.
    fn writes(&self) -> Vec<String> {
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        let writes = self.log.iter().filter_map(|event| match event {
            Event::Write(bytes) => Some(text(bytes)),
            _ => None,
        });
        writes.collect()
    }
}

impl AsyncRead for MemoryStream {
    async fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.next_read(buf))
    }
}

impl AsyncWrite for MemoryStream {
    async fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.log.push(Event::Write(buf.to_vec()));
        Ok(buf.len())
    }
}

/// Never waits: its bytes are always there, so `try_read` and `try_write` always succeed, as
/// on a socket whose bytes have arrived and whose send buffer has room.
impl Transport for MemoryStream {
    async fn read_before(&mut self, buf: &mut [u8], _deadline: Instant) -> io::Result<usize> {
        Ok(self.next_read(buf))
    }

    async fn readable_before(&mut self, _deadline: Instant) -> io::Result<()> {
        Ok(())
    }

    fn shutdown_write(&mut self) -> io::Result<()> {
        self.log.push(Event::Shutdown);
        Ok(())
    }

    fn try_read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        Ok(self.next_read(buf))
    }

    fn try_write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.log.push(Event::Write(buf.to_vec()));
        Ok(buf.len())
    }
}

/// Serves `stream` with `module` and the default configuration until the connection ends.
fn serve_in_memory(stream: &mut MemoryStream, module: impl FnOnce(&mut Application)) {
    let application = Application::from_module(module);
    let peer = Peer {
        local: SocketAddr::from(([127, 0, 0, 1], 8080)),
        remote: SocketAddr::from(([127, 0, 0, 1], 40000)),
    };
    let config = ConnectionConfig::default();
    let state = ConnectionState::new(Arc::new(AtomicBool::new(false)));
    block_on(serve(stream, &application, peer, &config, &state)).expect("the connection ends cleanly");
}

/// A `GET` of `path` on a kept-alive connection.
fn get(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n")
}

/// The responses to a batch of pipelined requests that arrived in one read leave in one write,
/// in request order.
#[test]
fn pipelined_responses_are_written_together() {
    let batch = [get("/"), get("/plaintext"), get("/nowhere"), get("/")].concat();
    let mut stream = MemoryStream::new(&[&batch]);
    serve_in_memory(&mut stream, hello::module);
    let writes = stream.writes();
    assert_eq!(writes.len(), 1, "one write for the batch: {writes:#?}");
    let statuses: Vec<_> = writes[0].matches("HTTP/1.1 ").collect();
    assert_eq!(statuses.len(), 4, "{writes:#?}");
    let in_order = ["Hello World!", "Hello, World!", "404 Not Found", "Hello World!"];
    let mut rest = writes[0].as_str();
    for body in in_order {
        let at = rest
            .find(body)
            .unwrap_or_else(|| panic!("{body:?} missing or out of order: {writes:#?}"));
        rest = &rest[at + body.len()..];
    }
}

/// Responses already answered are written before the connection waits for more input: a batch
/// whose last request is cut in two gets the complete ones answered in one write, then the
/// read that completes the last one, then its answer.
#[test]
fn answered_responses_leave_before_the_next_read() {
    let batch = [get("/"), get("/plaintext"), get("/")].concat();
    let last = get("/plaintext");
    let (first_half, second_half) = last.split_at(10);
    let mut stream = MemoryStream::new(&[&format!("{batch}{first_half}"), second_half]);
    serve_in_memory(&mut stream, hello::module);
    stream.assert_kinds(&["read", "write", "read", "write", "end"]);
    let writes = stream.writes();
    assert_eq!(writes[0].matches("HTTP/1.1 200 OK").count(), 3, "{writes:#?}");
    assert!(writes[1].ends_with("\r\n\r\nHello, World!"), "{writes:#?}");
}

/// Bodies that came with the batch keep it one write; a body still on its way does not hold
/// back the responses before it: they leave before the read that brings the rest.
#[test]
fn a_body_to_wait_for_sends_the_answers_before_it() {
    let post = |body: &str| {
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
    };
    let whole = [get("/"), post("hello"), get("/plaintext")].concat();
    let mut stream = MemoryStream::new(&[&whole]);
    serve_in_memory(&mut stream, hello::module);
    let writes = stream.writes();
    assert_eq!(writes.len(), 1, "one write for the batch: {writes:#?}");
    assert_eq!(writes[0].matches("HTTP/1.1 ").count(), 3, "{writes:#?}");

    let split = post("hello world");
    let (head_and_some, rest) = split.split_at(split.len() - 5);
    let mut stream = MemoryStream::new(&[&format!("{}{head_and_some}", get("/")), rest]);
    serve_in_memory(&mut stream, hello::module);
    stream.assert_kinds(&["read", "write", "read", "write", "end"]);
    let writes = stream.writes();
    assert!(
        writes[0].ends_with("\r\n\r\nHello World!"),
        "the GET's answer first: {writes:#?}"
    );
    assert!(
        writes[1].starts_with("HTTP/1.1 405 "),
        "then the POST's: {writes:#?}"
    );
}

/// The `Date` of every response is the current date, stamped when its write goes out: the
/// responses of one write share it, and none keeps the writer's placeholder (the epoch), whether
/// the response came with a batch, alone, or as a refusal.
#[test]
fn every_written_response_is_dated_now() {
    let batch = [get("/"), get("/plaintext"), get("/nowhere")].concat();
    let mut stream = MemoryStream::new(&[&batch, &get("/"), "GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"]);
    let before = mini_ktor::http::http_date_now();
    serve_in_memory(&mut stream, hello::module);
    let after = mini_ktor::http::http_date_now();
    let now = [before, after].map(|date| String::from_utf8_lossy(&date).into_owned());
    let writes = stream.writes();
    assert_eq!(
        writes.len(),
        3,
        "the batch, the single request, the refusal: {writes:#?}"
    );
    for write in &writes {
        let dates: Vec<&str> = write
            .split("\r\n")
            .filter_map(|line| line.strip_prefix("Date: "))
            .collect();
        assert!(!dates.is_empty(), "{write}");
        for date in &dates {
            assert_eq!(*date, dates[0], "one date per write: {write}");
            assert!(now.iter().any(|now| now == date), "{date:?} is not now ({now:?})");
        }
    }
    assert!(writes[2].starts_with("HTTP/1.1 400 "), "{writes:#?}");
}

/// A refusal closes cleanly: the error is written, the
/// write side is shut, and what the client still sends is read and dropped (never parsed)
/// until it closes, as after a last response (RFC 9112 §9.6).
#[test]
fn a_refusal_lingers_before_closing() {
    let mut stream = MemoryStream::new(&["GET / HTTP/1.1\r\nHost : x\r\n\r\n", &get("/")]);
    serve_in_memory(&mut stream, hello::module);
    stream.assert_kinds(&["read", "write", "shutdown", "read", "end"]);
    let writes = stream.writes();
    assert_eq!(
        writes.len(),
        1,
        "the request after the refusal is not answered: {writes:#?}"
    );
    assert!(writes[0].starts_with("HTTP/1.1 400 "), "{writes:#?}");
    assert!(writes[0].contains("\r\nConnection: close\r\n"), "{writes:#?}");
}

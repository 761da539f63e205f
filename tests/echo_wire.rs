//! The echo example over real loopback sockets: its contract, byte for byte, on both engines.
//!
//! For any method and path the answer is `200`, `Content-Type: text/plain`, and the body
//! `{METHOD} {target}\n`, one `{lowercased-name}: {value}\n` per request header in received
//! order, `\n`, then the request body with any chunked coding removed.

#[path = "../examples/echo.rs"]
#[allow(dead_code)]
mod echo;
mod support;

use std::io::{Read, Write};
use std::net::SocketAddr;

use mini_ktor::engine::{ApplicationEngineFactory, EmbeddedServer};
use mini_ktor::prelude::*;
use support::{WireResponse, connect, read_head, read_response};

impl WireResponse {
    /// Checks everything the echo contract says about a response, except its body.
    fn assert_echo_head(&self) {
        assert_eq!(self.status_line, "HTTP/1.1 200 OK");
        assert_eq!(self.header("content-type"), Some("text/plain"));
    }

    /// Checks the echo contract, `expected` being the exact body.
    fn assert_echo(&self, expected: &[u8]) {
        self.assert_echo_head();
        assert_eq!(
            String::from_utf8_lossy(&self.body),
            String::from_utf8_lossy(expected),
            "body differs"
        );
        assert_eq!(self.body, expected, "body differs in bytes");
        assert_eq!(self.content_length(), expected.len());
    }
}

/// The same cases, once per engine.
macro_rules! echo_suite {
    ($($name:ident: $engine:expr),* $(,)?) => {$(
        mod $name {
            use super::*;

            /// Starts the echo module on a free port.
            fn start_echo() -> (EmbeddedServer<impl ApplicationEngineFactory>, SocketAddr) {
                let mut server = embedded_server($engine, 0, echo::module).workers(2);
                server.start(false).expect("server starts");
                let address = server.local_address().expect("bound");
                (server, address)
            }

            include!("echo_wire/cases.rs");
        }
    )*};
}

echo_suite!(cio: Cio, blocking: Blocking);

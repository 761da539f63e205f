//! Both engines over real loopback sockets: raw HTTP/1.1 bytes in, raw bytes out.
//!
//! Every case in `engine_wire/` runs twice, once on `Cio` (event loops) and once on `Blocking`
//! (a thread per connection): the protocol code is shared, so the behaviour must be the same to
//! the byte. The cases are grouped by topic: `connections.rs` (keep-alive, pipelining, closing),
//! `bodies.rs` (request bodies, `Expect`, streamed responses), `refusals.rs` (errors and
//! limits), `timeouts.rs` and `lifecycle.rs` (start and stop).

#[path = "../examples/echo.rs"]
#[allow(dead_code)]
mod echo;
#[path = "../examples/hello.rs"]
#[allow(dead_code)]
mod hello;
mod support;

use std::io::{ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use mini_ktor::engine::EmbeddedServer;
use mini_ktor::http::Limits;
use mini_ktor::prelude::*;
use mini_ktor::runtime::sleep;
use support::{connect, fill, read_head, read_response, read_to_close};

/// The same cases, once per engine.
macro_rules! engine_suite {
    ($($name:ident: $engine:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            type Server = EmbeddedServer<$engine>;

            /// Starts `module` on a free port with two workers, configured by `configure`.
            fn start_with(
                module: impl FnOnce(&mut Application) + 'static,
                configure: impl FnOnce(Server) -> Server,
            ) -> (Server, SocketAddr) {
                let mut server = configure(embedded_server($engine, 0, module).workers(2));
                server.start(false).expect("server starts");
                let address = server.local_address().expect("bound");
                (server, address)
            }

            /// Starts `module` with the default configuration.
            fn start(module: impl FnOnce(&mut Application) + 'static) -> (Server, SocketAddr) {
                start_with(module, |server| server)
            }

            include!("engine_wire/connections.rs");
            include!("engine_wire/bodies.rs");
            include!("engine_wire/refusals.rs");
            include!("engine_wire/timeouts.rs");
            include!("engine_wire/lifecycle.rs");
        }
    )*};
}

engine_suite!(cio: Cio, blocking: Blocking);

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
use support::{connect, fill, read_head, read_response, read_to_close, requesting};

/// The same cases, once per engine.
macro_rules! engine_suite {
    ($($name:ident: $engine:ident),* $(,)?) => {$(
        mod $name {
            use super::*;

            type Server = EmbeddedServer<$engine>;

            /// `module` on this engine, on a free port with two workers, not started yet.
            fn unstarted(module: impl FnOnce(&mut Application) + 'static) -> Server {
                embedded_server($engine, 0, module).workers(2)
            }

            /// Starts `module` on a free port with two workers, configured by `configure`.
            fn start_with(
                module: impl FnOnce(&mut Application) + 'static,
                configure: impl FnOnce(Server) -> Server,
            ) -> (Server, SocketAddr) {
                let mut server = configure(unstarted(module));
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

/// `workers(n)` gives `Cio` n event loops, and the acceptor deals connections out to each in
/// turn: six connections to three workers are answered on three threads, each a worker's. The
/// default is a worker per core. (`Blocking` has a thread per connection instead, and no
/// workers.)
#[test]
fn cio_serves_on_the_workers_configured() {
    let module = |app: &mut Application| {
        app.routing(|route| {
            route.get("/", async |call| {
                let name = thread::current().name().unwrap_or("unnamed").to_string();
                call.respond_text(name).await
            });
        });
    };
    let cores = thread::available_parallelism().map_or(1, |cores| cores.get());
    assert_eq!(embedded_server(Cio, 0, module).config().workers, cores);

    let mut server = embedded_server(Cio, 0, module).workers(3);
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    let mut threads = std::collections::BTreeSet::new();
    let mut open = Vec::new(); // each request on a connection of its own, all kept open
    for _ in 0..6 {
        let mut stream = connect(address);
        stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        let body = read_response(&mut stream, &mut Vec::new()).body;
        threads.insert(String::from_utf8(body).unwrap());
        open.push(stream);
    }
    let workers = ["mini-ktor-worker-0", "mini-ktor-worker-1", "mini-ktor-worker-2"];
    assert_eq!(threads, workers.map(String::from).into());
}

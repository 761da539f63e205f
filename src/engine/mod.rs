//! Engines: what puts an application on the network.
//!
//! Ktor separates the *application* (pipelines, plugins, routes) from the *engine* that
//! accepts connections and speaks HTTP (Netty, Jetty, Tomcat or CIO). `embedded_server` ties
//! the two together:
//!
//! ```text
//! embedded_server(Cio, 8080, module)   an EmbeddedServer: engine factory + config + module
//!   .start(true)                       1. run the module on a new Application, share it (Arc)
//!                                      2. the engine binds and starts its workers
//!                                      3. print "Responding at http://127.0.0.1:8080"
//!                                      4. wait until the engine stops
//! ```
//!
//! Both engines run the same connection loop ([`connection`]), which hands each parsed request
//! to the application through [`pipeline`], so they differ only in how they move bytes. The
//! in-memory test engine (`testing`) goes through [`respond_to`](pipeline::respond_to), the
//! same pipeline without a socket.
//!
//! Ktor: `io.ktor.server.engine` (`embeddedServer`, `EmbeddedServer`, `ApplicationEngine`)

mod acceptor;
mod blocking;
mod body;
mod cio;
pub mod connection;
mod drain;
mod head;
mod input;
mod output;
pub mod pipeline;
mod spare;
mod storage;
mod transport;

pub use blocking::{Blocking, BlockingApplicationEngine, BlockingStream};
pub use cio::{Cio, CioApplicationEngine};
pub use transport::{ConnectionConfig, ConnectionState, Transport};

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::application::{
    Application, ApplicationStopPreparing, ApplicationStopped, ApplicationStopping, ServerReady,
};
use crate::http::Limits;
use crate::runtime;

/// Where and how an engine serves: address, worker threads, and the HTTP limits.
///
/// Ktor: `ApplicationEngine.Configuration` with its `EngineConnectorConfig`
#[derive(Clone, Debug)]
pub struct EngineConfig {
    /// The address to bind. Default `127.0.0.1`: a server started from a tutorial is not
    /// reachable from other machines unless asked to be (Ktor's default is `0.0.0.0`).
    ///
    /// Ktor: `EngineConnectorConfig.host`
    pub host: String,
    /// The port to bind; `0` lets the system choose one (see
    /// [`EmbeddedServer::local_address`]).
    ///
    /// Ktor: `EngineConnectorConfig.port`
    pub port: u16,
    /// Worker threads, each with its own event loop. Default: the number of cores.
    ///
    /// Ktor: `ApplicationEngine.Configuration.parallelism`
    pub workers: usize,
    /// Request size limits and connection time limits.
    ///
    /// Ktor: the CIO engine's `Configuration`
    pub connection: ConnectionConfig,
}

/// Creates engines; `Cio` is one.
///
/// Ktor: `io.ktor.server.engine.ApplicationEngineFactory`
pub trait ApplicationEngineFactory {
    /// The engine it creates.
    ///
    /// Ktor: the `TEngine` type parameter
    type Engine: ApplicationEngine;

    /// Creates an engine that will serve with `config`.
    ///
    /// Ktor: `ApplicationEngineFactory.create`
    fn create(&self, config: EngineConfig) -> Self::Engine;
}

/// A server engine: binds, serves an application, stops.
///
/// Ktor: `io.ktor.server.engine.ApplicationEngine`
pub trait ApplicationEngine {
    /// Binds and starts serving `application`; returns the bound address once connections are
    /// being accepted.
    ///
    /// Ktor: `ApplicationEngine.start(wait = false)` and `resolvedConnectors()`
    fn start(&mut self, application: Arc<Application>) -> io::Result<SocketAddr>;

    /// Blocks until the engine has stopped.
    ///
    /// Ktor: the waiting part of `ApplicationEngine.start(wait = true)`
    fn wait(&mut self);

    /// Stops accepting connections and shuts the workers down. Does nothing if not started.
    ///
    /// Ktor: `ApplicationEngine.stop(gracePeriodMillis, timeoutMillis)`
    fn stop(&mut self, grace: Duration, timeout: Duration);
}

/// An application module, boxed until `start` runs it.
type Module = Box<dyn FnOnce(&mut Application)>;

/// An engine, its configuration and the application module, ready to start.
///
/// ```no_run
/// use mini_ktor::prelude::*;
///
/// fn main() -> std::io::Result<()> {
///     embedded_server(Cio, 8080, |app| {
///         app.routing(|route| {
///             route.get("/", async |call| call.respond_text("Hello World!").await);
///         });
///     })
///     .configure_from_env() // PORT and WORKERS, when set, override the values above
///     .start(true)
/// }
/// ```
///
/// Ktor: `io.ktor.server.engine.EmbeddedServer`
pub struct EmbeddedServer<F: ApplicationEngineFactory> {
    factory: F,
    config: EngineConfig,
    module: Option<Module>,
    engine: Option<F::Engine>,
    /// The running application, kept to raise the stop events.
    application: Option<Arc<Application>>,
    local_address: Option<SocketAddr>,
}

/// A server for the application that `module` builds, served by `factory`'s engine on `port`.
///
/// Ktor: `embeddedServer(factory, port, module = ...)`
pub fn embedded_server<F: ApplicationEngineFactory>(
    factory: F,
    port: u16,
    module: impl FnOnce(&mut Application) + 'static,
) -> EmbeddedServer<F> {
    EmbeddedServer {
        factory,
        config: EngineConfig {
            host: "127.0.0.1".to_string(),
            port,
            workers: runtime::available_parallelism(),
            connection: ConnectionConfig::default(),
        },
        module: Some(Box::new(module)),
        engine: None,
        application: None,
        local_address: None,
    }
}

impl<F: ApplicationEngineFactory> EmbeddedServer<F> {
    /// Binds to `host` instead of `127.0.0.1` (`"0.0.0.0"` for every interface).
    ///
    /// Ktor: the `host` parameter of `embeddedServer`
    pub fn host(mut self, host: &str) -> Self {
        self.config.host = host.to_string();
        self
    }

    /// Serves with `workers` threads (at least one).
    ///
    /// Ktor: `ApplicationEngine.Configuration.parallelism`
    pub fn workers(mut self, workers: usize) -> Self {
        self.config.workers = workers.max(1);
        self
    }

    /// Uses `limits` for request sizes.
    ///
    /// Ktor: none; CIO limits only each line of a head, to 8,192 characters
    pub fn limits(mut self, limits: Limits) -> Self {
        self.config.connection.limits = limits;
        self
    }

    /// Closes a keep-alive connection that stays silent this long between requests
    /// (default 45 s).
    ///
    /// Ktor: `CIOApplicationEngine.Configuration.connectionIdleTimeoutSeconds`
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.config.connection.idle_timeout = timeout;
        self
    }

    /// Answers `408 Request Timeout` to a request still incomplete this long after it started
    /// (default 10 s).
    ///
    /// Ktor: none; a CIO request may trickle in for as long as the idle timeout allows
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.config.connection.request_timeout = timeout;
        self
    }

    /// Lets the environment override the code: `PORT` replaces the port and `WORKERS` the
    /// worker count, when they are set. Every example calls it, so the benchmark and test
    /// harnesses can move them.
    ///
    /// # Panics
    ///
    /// If `PORT` or `WORKERS` is set but not a number.
    ///
    /// Ktor: `port = ${?PORT}` in the generated `application.conf`
    pub fn configure_from_env(mut self) -> Self {
        if let Some(port) = env_number("PORT") {
            self.config.port = port;
        }
        if let Some(workers) = env_number("WORKERS") {
            self = self.workers(workers);
        }
        self
    }

    /// The configuration the engine will be, or was, started with.
    ///
    /// Ktor: `ApplicationEngine.configuration`
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Builds the application, starts the engine and prints `Responding at http://HOST:PORT`.
    /// With `wait`, blocks until the engine stops; otherwise returns once it is accepting.
    ///
    /// Ktor: `EmbeddedServer.start(wait)`
    pub fn start(&mut self, wait: bool) -> io::Result<()> {
        if self.engine.is_none() {
            let module = self.module.take().expect("the module runs only once");
            let application = Application::from_module(module);
            let mut engine = self.factory.create(self.config.clone());
            let address = engine.start(Arc::clone(&application))?;
            application.monitor().raise(ServerReady, &application);
            self.application = Some(application);
            println!("{}", responding_at(&self.config.host, address.port()));
            self.local_address = Some(address);
            self.engine = Some(engine);
        }
        if wait && let Some(engine) = &mut self.engine {
            engine.wait();
        }
        Ok(())
    }

    /// The address the engine is bound to, once started: how a test that asked for port 0
    /// learns the real one.
    ///
    /// Ktor: `ApplicationEngine.resolvedConnectors()`
    pub fn local_address(&self) -> Option<SocketAddr> {
        self.local_address
    }

    /// Stops the engine gracefully: no new connections, requests in flight are answered
    /// (for up to `grace`), then what is left is closed and its handlers cancelled, and `stop`
    /// returns once they have ended (after `timeout` at most, counted from the start).
    /// `ApplicationStopPreparing` is raised first, `ApplicationStopping` and
    /// `ApplicationStopped` once the engine has stopped.
    ///
    /// Ktor: `EmbeddedServer.stop(gracePeriodMillis, timeoutMillis)`
    pub fn stop(&mut self, grace: Duration, timeout: Duration) {
        if let Some(mut engine) = self.engine.take() {
            let application = self.application.take();
            if let Some(application) = &application {
                application.monitor().raise(ApplicationStopPreparing, application);
            }
            engine.stop(grace, timeout);
            if let Some(application) = &application {
                application.monitor().raise(ApplicationStopping, application);
            }
            if let Some(application) = &application {
                application.monitor().raise(ApplicationStopped, application);
            }
        }
    }
}

/// Dropping a started server stops it, with Ktor's default grace period (1 s) and timeout (5 s).
impl<F: ApplicationEngineFactory> Drop for EmbeddedServer<F> {
    fn drop(&mut self) {
        self.stop(Duration::from_secs(1), Duration::from_secs(5));
    }
}

/// The line `start` prints once the server is ready. An IPv6 address, the only host with a
/// colon, goes in brackets, as in any URL (RFC 3986 §3.2.2).
fn responding_at(host: &str, port: u16) -> String {
    match host.contains(':') {
        true => format!("Responding at http://[{host}]:{port}"),
        false => format!("Responding at http://{host}:{port}"),
    }
}

/// Reads a number from the environment variable `name`, if it is set.
fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    let text = std::env::var(name).ok()?;
    match text.trim().parse() {
        Ok(value) => Some(value),
        Err(_) => panic!("{name}={text:?} is not a number"),
    }
}

/// When a stop gives up waiting for the handlers it cancelled at the end of the grace
/// period: at `timeout` after it began, as Ktor's `stop(gracePeriod, timeout)` does, but not
/// before a short moment after the grace period. Cancelling takes that moment (dropping the
/// handlers' futures, closing their connections, ending threads); with a `timeout` equal to
/// the grace period, a common call, no wait at all would report handlers that were about to
/// end.
fn cancel_deadline(started: Instant, grace: Duration, timeout: Duration) -> Instant {
    const MOMENT: Duration = Duration::from_millis(100);
    let at_timeout = crate::runtime::after(started, timeout);
    at_timeout.max(crate::runtime::after(started, grace.saturating_add(MOMENT)))
}

/// Says on stderr how many requests a graceful stop cut short, if any: those still being
/// answered when the grace period ended, whose connections were then closed. An accepted
/// request should not end without a word. Connections that were idle, or closing after their
/// last response, lose nothing and are not counted. Both engines' `stop` call it.
fn report_cut_short_at_stop(cut_short: usize, grace: Duration) {
    if cut_short > 0 {
        eprintln!(
            "mini-ktor: {cut_short} request(s) still being answered at the end of the {grace:?} \
             grace period were cut short, and their connections closed"
        );
    }
}

/// Says on stderr that `stop` returns with handler code still running: a handler that blocks
/// its thread without an `await` cannot be cancelled, and outlived the `timeout`.
fn report_still_running_at_stop(timeout: Duration) {
    eprintln!(
        "mini-ktor: handler code still ran {timeout:?} after the stop began; it was left to end \
         on its own thread"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names and IPv4 addresses as they are, IPv6 addresses in brackets.
    #[test]
    fn the_ready_line_is_a_url() {
        assert_eq!(
            responding_at("127.0.0.1", 8080),
            "Responding at http://127.0.0.1:8080"
        );
        assert_eq!(
            responding_at("localhost", 80),
            "Responding at http://localhost:80"
        );
        assert_eq!(responding_at("::1", 8080), "Responding at http://[::1]:8080");
    }
}

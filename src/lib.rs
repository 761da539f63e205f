//! # mini-ktor
//!
//! The server side of [Ktor](https://ktor.io), JetBrains' Kotlin web framework, rebuilt in Rust
//! with the standard library only, so that every line between the socket and a handler can be
//! read. It is a lesson first and a real HTTP/1.1 server second: do not put it on the internet.
//!
//! ```no_run
//! use mini_ktor::prelude::*;
//!
//! fn main() -> std::io::Result<()> {
//!     embedded_server(Cio, 8080, |app| {
//!         app.routing(|route| {
//!             route.get("/", async |call| call.respond_text("Hello World!").await);
//!         });
//!     })
//!     .start(true)
//! }
//! ```
//!
//! ## Layout: a request's path through the crate
//!
//! | module | what it holds | Ktor counterpart |
//! |---|---|---|
//! | [`engine`] | `embedded_server`, the `Cio` and `Blocking` engines, the per-connection loop | `io.ktor.server.engine`, `io.ktor.server.cio` |
//! | [`runtime`] | executor, epoll reactor, timers, async TCP, channels, worker threads | kotlinx.coroutines, `io.ktor.network` |
//! | [`http`] | request parser, headers, status codes, response writer | `io.ktor.http`, `io.ktor.http.cio` |
//! | [`pipeline`] | `Pipeline`, `PipelinePhase`, `PipelineContext` (`proceed`, `finish`) | `io.ktor.util.pipeline` |
//! | [`application`] | `Application`, `ApplicationCallPipeline`, `ApplicationCall` | `io.ktor.server.application` |
//! | [`plugins`] | `CallLogging`, `DefaultHeaders`, `StatusPages`, `AutoHeadResponse`, `IgnoreTrailingSlash` | `io.ktor.server.plugins.*` |
//! | [`routing`] | `Route`, `get`/`post`, resolving a call to its handler | `io.ktor.server.routing` |
//! | [`sessions`] | `Sessions`: cookies or headers, signed, by value or by id in a storage | `io.ktor.server.sessions` |
//! | [`testing`] | `test_application`: the application without sockets | `io.ktor.server.testing` |
//! | [`util`] | `Attributes`: typed data of plugins and calls | `io.ktor.util` |
//! | [`crypto`] | SHA-1, SHA-256, HMAC, base64, hex, constant-time equality, OS randomness | `io.ktor.util`, JDK `MessageDigest`, `Mac`, `SecureRandom` |
//!
//! Code the compiler cannot check for memory safety lives in one place only: `runtime::sys`, the
//! binding to the operating system's epoll.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod application;
pub mod crypto;
pub mod engine;
pub mod http;
pub mod pipeline;
pub mod plugins;
pub mod routing;
pub mod runtime;
pub mod sessions;
pub mod testing;
pub mod util;

use std::future::Future;
use std::pin::Pin;

/// The error type of handlers and interceptors: any error, boxed.
///
/// A handler can use `?` on any error type; what nobody handles becomes a 500 response, or
/// the status an [`HttpError`](application::HttpError) carries. Ktor uses exceptions for the
/// same job.
///
/// Ktor: `Throwable`, what a handler throws
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// `Result` with [`Error`] as its default error type.
///
/// Ktor: none; a Kotlin function that can fail throws instead
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed future that stays on its worker thread (it need not be `Send`).
///
/// Ktor: none; a `suspend` function needs no box
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + 'a>>;

/// What an application module usually needs, in one `use`.
///
/// Ktor: the imports `io.ktor.server.application.*`, `io.ktor.server.routing.*` and friends
pub mod prelude {
    pub use crate::application::{Application, ApplicationCall, ApplicationCallPipeline, HttpError};
    pub use crate::engine::{Blocking, Cio, embedded_server};
    pub use crate::http::{ContentType, HttpMethod, HttpStatusCode};
    pub use crate::plugins::{
        AutoHeadResponse, CallLogging, DefaultHeaders, IgnoreTrailingSlash, StatusPages,
    };
    pub use crate::routing::Route;
    pub use crate::{Error, Result};
}

/// Every Rust block of TUTORIAL.md as a doctest: `cargo test` compiles each one and runs those
/// not marked `no_run` (the servers). TUTORIAL.md gives the line of the `include_str!` below,
/// which rustdoc counts a failing block's line from (`tests/tutorial_listings.rs` checks it).
///
/// Ktor: none; the tutorial is this crate's own
#[cfg(doctest)]
#[doc = include_str!("../TUTORIAL.md")]
pub struct TutorialDoctests;

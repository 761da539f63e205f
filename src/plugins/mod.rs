//! The bundled plugins: logging, default headers, error pages, `HEAD` support and trailing
//! slashes.
//!
//! A plugin is a set of interceptors placed in the phases of the application's pipelines, plus
//! a name and a configuration (see [`application::Plugin`](crate::application::Plugin)). Where
//! a plugin sits decides what it can see and change:
//!
//! ```text
//! call pipeline   BeforeSetup ─► Setup ─► Monitoring ─► Plugins ─► Call ─► Fallback
//!                 (CallFailed)  (CallSetup)            (on_call)  routing  404
//!                                                                   │
//!                                        call.respond(value) ───────┘ (or the fallback's)
//!                                                 ▼
//! send pipeline   Before ─► Transform ─► Render ─► ... ─► After ─► Engine
//!                          (on_call_respond)          (ResponseBody- (ResponseSent:
//!                                                      ReadyForSend)  after the commit)
//! ```
//!
//! Each plugin here is written with the builder form (`create_application_plugin`) and its
//! hooks, the way Ktor writes its own, and wrapped in a unit struct so that installing one reads
//! like Ktor's `install(CallLogging) { ... }`:
//!
//! ```
//! use mini_ktor::plugins::{AutoHeadResponse, CallLogging, DefaultHeaders, StatusPages};
//! use mini_ktor::prelude::*;
//! use mini_ktor::testing::test_application;
//!
//! let client = test_application(|app| {
//!     app.install(&CallLogging, |config| config.sink(|_line| {}));
//!     app.install(&DefaultHeaders, |config| config.header("X-Engine", "mini-ktor"));
//!     app.install(&AutoHeadResponse, |_| {});
//!     app.install(&StatusPages, |config| {
//!         config.status(HttpStatusCode::NOT_FOUND, async |call, _status| {
//!             call.respond_text("Nothing here.").await
//!         });
//!     });
//!     app.routing(|route| {
//!         route.get("/", async |call| call.respond_text("Hello").await);
//!     });
//! });
//! let missing = client.get("/missing");
//! assert_eq!(missing.status(), HttpStatusCode::NOT_FOUND);
//! assert_eq!(missing.text(), "Nothing here.");
//! assert_eq!(missing.header("X-Engine"), Some("mini-ktor"));
//! assert_eq!(client.request(HttpMethod::Head, "/").send().status(), HttpStatusCode::OK);
//! ```
//!
//! | plugin | hooks (phases) | why there | Ktor |
//! |---|---|---|---|
//! | [`CallLogging`] | `CallSetup` (call `Setup`), `ResponseSent` (send `Engine`), `CallFailed` (before `Setup`) | start the clock first, log once the response is final | `io.ktor.server.plugins.calllogging.CallLogging` |
//! | [`DefaultHeaders`] | `on_call_respond` (send `Transform`) | every `respond`, the fallback's 404 included, passes there | `io.ktor.server.plugins.defaultheaders.DefaultHeaders` |
//! | [`StatusPages`] | `CallFailed` (before `Setup`), `ResponseBodyReadyForSend` (send `After`) | around everything for errors; after rendering, when the status is known | `io.ktor.server.plugins.statuspages.StatusPages` |
//! | [`AutoHeadResponse`] | `on_call` (call `Plugins`) | before routing, which picks a route by method | `io.ktor.server.plugins.autohead.AutoHeadResponse` |
//! | [`IgnoreTrailingSlash`] | `on_call` (call `Plugins`) | before routing, which reads its mark | `io.ktor.server.routing.IgnoreTrailingSlash` |
//!
//! One difference from Ktor concerns the plugins that use the send pipeline. When an error
//! escapes the call pipeline, the engine commits its error response (500, or an
//! [`HttpError`](crate::application::HttpError)'s status) directly, without the send
//! pipeline; in Ktor that response goes through `call.respond`. So the send-pipeline hooks
//! never see it: each plugin's docs say what it does about that.
//!
//! Ktor: the `ktor-server-plugins` modules

mod auto_head_response;
mod call_logging;
mod default_headers;
mod ignore_trailing_slash;
mod status_pages;

pub use auto_head_response::AutoHeadResponse;
pub use call_logging::{CallLogging, CallLoggingConfig};
pub use default_headers::{DefaultHeaders, DefaultHeadersConfig};
pub use ignore_trailing_slash::IgnoreTrailingSlash;
pub use status_pages::{StatusPages, StatusPagesConfig};

// How the engine answers and logs a failed call, which the plugins that stand in for Ktor's
// error handling need to know in advance.
use crate::engine::pipeline::{failure_status, log_failure};

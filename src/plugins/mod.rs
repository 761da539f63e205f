//! The bundled plugins, each in its own file.
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
//! like Ktor's `install(CallLogging) { ... }`.
//!
//! | plugin | hooks (phases) | why there | Ktor |
//! |---|---|---|---|
//! | [`DefaultHeaders`] | `on_call_respond` (send `Transform`) | every `respond`, the fallback's 404 included, passes there | `io.ktor.server.plugins.defaultheaders.DefaultHeaders` |
//! | [`AutoHeadResponse`] | `on_call` (call `Plugins`) | before routing, which picks a route by method | `io.ktor.server.plugins.autohead.AutoHeadResponse` |
//!
//! One difference from Ktor concerns the plugins that use the send pipeline. When an error
//! escapes the call pipeline, the engine commits its error response (500, or an
//! [`HttpError`](crate::application::HttpError)'s status) directly, without the send
//! pipeline; in Ktor that response goes through `call.respond`. So the send-pipeline hooks
//! never see it: each plugin's docs say what it does about that.
//!
//! Ktor: the `ktor-server-plugins` modules

mod auto_head_response;
mod default_headers;

pub use auto_head_response::AutoHeadResponse;
pub use default_headers::{DefaultHeaders, DefaultHeadersConfig};

//! AutoHeadResponse: answer `HEAD` wherever `GET` is answered.
//!
//! `HEAD` asks for exactly the response `GET` would give, minus the body (RFC 9110 §9.3.2):
//! same status, same headers, including the `Content-Length` the body would have. Clients use
//! it to check that a resource exists, or its size or date, without downloading it
//! (`curl -I`). Declaring a `head` route next to every `get` would be tedious, so this plugin
//! does it for all of them.
//!
//! ```text
//! HEAD /report ─► Plugins: method := GET ─► routing finds get("/report") ─► handler responds
//!                                                                             │ 200, 5 kB
//! client ◄── "200 OK, Content-Length: 5120", no body ◄── engine (it saw HEAD) ┘
//! ```
//!
//! Without it, `HEAD /report` finds a route with the right path but the wrong method, and
//! the fallback answers `405 Method Not Allowed`, as Ktor does (a path with no route at all is
//! still `404 Not Found`).
//!
//! # Hook, and why
//!
//! `on_call`, the call pipeline's `Plugins` phase: it comes before `Call`, where routing picks a
//! route by method. There the request's method is replaced by `GET` with
//! [`ApplicationRequest::set_method`](crate::application::ApplicationRequest::set_method). From
//! then on, everything in the application (routing, handlers, CallLogging's line) sees a `GET`,
//! as in Ktor, where the plugin changes the call's *origin* method. So an explicit route for
//! `HEAD` is not reached while this plugin is installed, in Ktor as here. A path that has a
//! `HEAD` route and no `GET` one then answers `405` (the request is routed as a `GET`), with
//! the `Allow: HEAD` that this crate adds: odd for a client that sent `HEAD`, and the reason to
//! declare `GET` routes, not `HEAD` ones, when the plugin is installed.
//!
//! # The body: the engine's job here
//!
//! Ktor's plugin has a second hook, `ResponseBodyReadyForSend`, where it swaps the content for
//! an empty one that still reports the original length and type, because Ktor's engine writes
//! whatever content reaches it. Here the engines look at the method *the client sent*, which
//! they noted before the call ran, and for a `HEAD` request they frame the response as usual
//! and leave the body out: a known body gets its real `Content-Length`, a streamed one its
//! `Transfer-Encoding: chunked` line, and its producer is never run. The in-memory test engine
//! drops the body of a `HEAD` response in the same way. Replacing the content here would make
//! things worse: the engine would then announce `Content-Length: 0`.
//!
//! Ktor: `io.ktor.server.plugins.autohead.AutoHeadResponse`

use crate::application::{Application, Plugin, PluginInstance, create_application_plugin};
use crate::http::HttpMethod;

/// Routes `HEAD` requests as `GET`; the engine leaves the body out.
///
/// ```
/// use mini_ktor::plugins::AutoHeadResponse;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.install(&AutoHeadResponse, |_| {});
///     app.routing(|route| {
///         route.get("/", async |call| call.respond_text("Hello").await);
///     });
/// });
/// let response = client.request(HttpMethod::Head, "/").send();
/// assert_eq!(response.status(), HttpStatusCode::OK);
/// assert_eq!(response.header("Content-Type"), Some("text/plain; charset=UTF-8"));
/// assert!(response.bytes().is_empty());
/// ```
///
/// Ktor: `io.ktor.server.plugins.autohead.AutoHeadResponse`
pub struct AutoHeadResponse;

impl Plugin for AutoHeadResponse {
    /// Nothing to configure, as in Ktor (`ApplicationPlugin<Unit>`).
    type Config = ();
    type Instance = PluginInstance<()>;

    fn name(&self) -> &'static str {
        "AutoHeadResponse"
    }

    fn create_config(&self) {}

    fn install(&self, application: &mut Application, config: ()) -> Self::Instance {
        let plugin = create_application_plugin(
            self.name(),
            || (),
            |plugin| {
                plugin.on_call(async |call, _config| {
                    if *call.request().method() == HttpMethod::Head {
                        call.request_mut().set_method(HttpMethod::Get);
                    }
                    Ok(())
                });
            },
        );
        plugin.install(application, config)
    }
}

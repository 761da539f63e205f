//! DefaultHeaders: `Date`, `Server` and headers of your own on every response.
//!
//! For each response, in this order and each only if the response does not already have a
//! header of that name:
//!
//! 1. the configured headers ([`header`](DefaultHeadersConfig::header)); several values under
//!    one name are all added;
//! 2. `Date`, the current time as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`);
//! 3. `Server: mini-ktor`.
//!
//! Because the configured headers come first, `config.header("Server", "my-app/1.0")` replaces
//! the default `Server` value: that is how Ktor configures it too. A header the handler set
//! itself always wins.
//!
//! # Hook, and why
//!
//! `on_call_respond`, the send pipeline's `Transform` phase, as in Ktor. Every response that
//! goes through `respond` passes there, including the fallback's `404 Not Found` and routing's
//! `405`, and by then the handler has set its own headers, so "unless it already has them" can
//! be checked. A call-pipeline interceptor in `Plugins` could not check that: it runs before
//! the handler has set anything.
//!
//! What does not pass there: the error response the engine commits for an error that escaped
//! the pipeline (see [`crate::plugins`]), and the `400` the engine sends for a request it could
//! not parse, before any application code runs. The parse error gets only the engine's
//! automatic `Date`. An escaped error keeps the headers already set on the response when it
//! happened, so it carries `Server` and the configured headers if the send pipeline ran before
//! the failure (a status page that failed, say), and none of them otherwise.
//!
//! # `Date` and the engine
//!
//! The engine's response writer adds a `Date` itself when the response has none, so on the
//! wire every response is dated anyway. With this plugin the `Date` is already among the
//! application's headers, and the writer sends that one instead of adding a second. The
//! difference shows in the in-memory test engine, whose responses carry only the application's
//! headers: there, `Date` appears only with DefaultHeaders. Both take the text from
//! [`http_date_now`], which formats at most once per second per thread; Ktor caches the text
//! for one second in the plugin.
//!
//! # Differences from Ktor
//!
//! Ktor's default is `Server: Ktor/<version>`, its clock can be replaced for tests, and the
//! plugin is route-scoped (it can be installed on a route). Here the plugin is for the whole
//! application, the clock is the system's.
//!
//! Ktor: `io.ktor.server.plugins.defaultheaders.DefaultHeaders`

use std::borrow::Cow;

use crate::application::{Application, Plugin, PluginInstance, create_application_plugin, is_engine_owned};
use crate::http::{self, HttpHeaders, http_date_now};

/// The `Server` header's value unless configured otherwise.
const SERVER: &str = "mini-ktor";

/// Adds `Date`, `Server` and configured headers to every response that lacks them.
///
/// ```
/// use mini_ktor::plugins::DefaultHeaders;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.install(&DefaultHeaders, |config| config.header("X-Frame-Options", "DENY"));
/// });
/// let response = client.get("/"); // no route: the fallback's 404
/// assert_eq!(response.header("Server"), Some("mini-ktor"));
/// assert_eq!(response.header("X-Frame-Options"), Some("DENY"));
/// assert!(response.header("Date").unwrap().ends_with(" GMT"));
/// ```
///
/// Ktor: `io.ktor.server.plugins.defaultheaders.DefaultHeaders`
pub struct DefaultHeaders;

/// The configuration of [`DefaultHeaders`]: extra headers, in order.
///
/// Ktor: `io.ktor.server.plugins.defaultheaders.DefaultHeadersConfig`
#[derive(Debug, Default)]
pub struct DefaultHeadersConfig {
    /// Name and value of each configured header, in the order given. `Cow`s, so that the usual
    /// `&'static str` costs no allocation on each response.
    headers: Vec<(Cow<'static, str>, Cow<'static, str>)>,
}

impl DefaultHeadersConfig {
    /// Adds `name: value` to every response that has no `name` header of its own.
    ///
    /// # Panics
    ///
    /// If `name` is not a valid header name, `value` holds a line break or another control
    /// character, or `name` is one the engine writes itself (`Content-Length`,
    /// `Transfer-Encoding`, `Upgrade`), which
    /// [`ApplicationResponse::header`](crate::application::ApplicationResponse::header) refuses:
    /// a mistake in the module, better found at start-up than as a 500 on every call.
    ///
    /// Ktor: `DefaultHeadersConfig.header(name, value)`
    pub fn header(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<Cow<'static, str>>) {
        let (name, value) = (name.into(), value.into());
        assert!(http::is_valid_header_name(&name), "invalid header name {name:?}");
        assert!(
            http::is_valid_header_value(&value),
            "invalid value for header {name}"
        );
        assert!(
            !is_engine_owned(&name), // as `ApplicationResponse::header` would refuse it
            "header {name} is controlled by the engine"
        );
        self.headers.push((name, value));
    }
}

impl Plugin for DefaultHeaders {
    type Config = DefaultHeadersConfig;
    type Instance = PluginInstance<DefaultHeadersConfig>;

    fn name(&self) -> &'static str {
        "DefaultHeaders"
    }

    fn create_config(&self) -> DefaultHeadersConfig {
        DefaultHeadersConfig::default()
    }

    fn install(&self, application: &mut Application, config: DefaultHeadersConfig) -> Self::Instance {
        let plugin = create_application_plugin(self.name(), DefaultHeadersConfig::default, |plugin| {
            plugin.on_call_respond(async |ctx, config| {
                let response = ctx.call().response();
                // Decide before adding anything, so that a name configured twice gets both
                // values (the first one added must not make the second look "already set").
                let missing: Vec<bool> = config
                    .headers
                    .iter()
                    .map(|(name, _)| !response.headers().contains(name))
                    .collect();
                for ((name, value), missing) in config.headers.iter().zip(missing) {
                    if missing {
                        response.header(name.clone(), value.clone())?;
                    }
                }
                if !response.headers().contains(HttpHeaders::DATE) {
                    // IMF-fixdate is ASCII, so each byte is one char.
                    let date: String = http_date_now().iter().map(|&b| char::from(b)).collect();
                    response.header(HttpHeaders::DATE, date)?;
                }
                if !response.headers().contains(HttpHeaders::SERVER) {
                    response.header(HttpHeaders::SERVER, SERVER)?;
                }
                Ok(())
            });
        });
        plugin.install(application, config)
    }
}

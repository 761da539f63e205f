//! CallLogging: one line per call, in Ktor's format, once the response is final.
//!
//! ```text
//! 200 OK: GET - /hello in 3ms
//! 404 Not Found: GET - /missing in 0ms
//! 302 Found: GET - /old in 1ms -> /new
//! 500 Internal Server Error: GET - /boom in 2ms
//! ```
//!
//! That is the status (code and reason), the method, the path as received (still
//! percent-encoded, as Ktor logs it: decoded, a client's `%0A` would start a line of its own
//! in the log) and the time from the
//! start of the call until its response was committed, in whole milliseconds. A `302 Found`
//! also shows where it redirects to.
//!
//! # Hooks, and why
//!
//! - `CallSetup` (call pipeline, `Setup`): the first phase of the call, so the clock starts
//!   before any other plugin or handler runs. The start [`Instant`] goes into a call attribute:
//!   the plugin keeps no state of its own, so one instance serves every call on every thread.
//! - `ResponseSent` (send pipeline, `Engine`, after the commit): only then is the status
//!   certain. An interceptor around `proceed` in `Monitoring` would come too early for errors:
//!   it runs inside the phase where `CallFailed` handlers catch them, so it would see an error
//!   before StatusPages turns it into a response.
//! - `CallFailed`: the engine answers an error that escaped the pipeline by committing its
//!   error response *itself*, not through the send pipeline (`engine::pipeline`), so
//!   `ResponseSent` never fires for it. In Ktor that response goes through `call.respond`, and
//!   CallLogging logs it as any other. To log the same line, this plugin's `CallFailed` handler
//!   logs `<status>: <method> - <path> in <n>ms` with the status the engine is about to send
//!   (an [`HttpError`](crate::application::HttpError)'s, otherwise 500), when the call has no
//!   response yet.
//!
//! What that means exactly:
//!
//! - A call whose response was committed before its error is logged once, by `ResponseSent`,
//!   with the committed status: that is what the client gets.
//! - `CallFailed` handlers run innermost first, in reverse order of installation. Install
//!   CallLogging *before* StatusPages: it then sees only the errors StatusPages left alone, and
//!   an error StatusPages answers is logged once, with StatusPages' response. Installed after
//!   StatusPages, it would log such an error as a 500 and then log the real response too.
//! - A handler that *panics* is not logged: the panic unwinds past every interceptor and the
//!   engine catches it outside the pipeline.
//!
//! # Configuration
//!
//! Lines go to standard error unless [`sink`](CallLoggingConfig::sink) sends them elsewhere (a
//! test collects them in a `Vec`). [`filter`](CallLoggingConfig::filter) keeps only some calls;
//! with several filters, a call is logged when any of them accepts it, as in Ktor.
//!
//! # Differences from Ktor
//!
//! Ktor logs through SLF4J at a chosen level, colours the status, can replace the format
//! (`format { }`) and the clock, and copies per-call values into the logging context (`mdc`).
//! None of that is here: a sink is a function of the finished line. And Ktor's engine writes
//! the response inside the `Engine` phase, so its time includes writing to the socket; here the
//! engine writes after the pipeline, so the time stops when the response is committed.
//!
//! Ktor: `io.ktor.server.plugins.calllogging.CallLogging`

use std::time::Instant;

use crate::Error;
use crate::application::{
    Application, ApplicationCall, CallFailed, CallSetup, Plugin, PluginInstance, ResponseSent,
    create_application_plugin,
};
use crate::http::{HttpHeaders, HttpStatusCode};
use crate::util::AttributeKey;

/// When the call started, put by `CallSetup` and read when the line is written.
///
/// Ktor: `CALL_START_TIME`
const CALL_START_TIME: AttributeKey<Instant> = AttributeKey::new("CallStartTime");

/// Logs one line per call: `200 OK: GET - /path in 3ms`.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use mini_ktor::plugins::CallLogging;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let lines = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&lines);
/// let client = test_application(move |app| {
///     app.install(&CallLogging, move |config| {
///         config.sink(move |line| sink.lock().unwrap().push(line.to_string()));
///     });
/// });
/// client.get("/nowhere");
/// assert!(lines.lock().unwrap()[0].starts_with("404 Not Found: GET - /nowhere in "));
/// ```
///
/// Ktor: `io.ktor.server.plugins.calllogging.CallLogging`
pub struct CallLogging;

/// The configuration of [`CallLogging`]: where lines go, and which calls are logged.
///
/// Ktor: `io.ktor.server.plugins.calllogging.CallLoggingConfig`
pub struct CallLoggingConfig {
    /// Receives each finished line; `eprintln!` unless replaced.
    sink: Box<dyn Fn(&str) + Send + Sync>,
    /// A call is logged if this is empty or any of them returns `true`.
    filters: Vec<Filter>,
}

/// A predicate over calls, boxed so that different closures share a `Vec`.
type Filter = Box<dyn Fn(&ApplicationCall) -> bool + Send + Sync>;

impl Default for CallLoggingConfig {
    fn default() -> Self {
        CallLoggingConfig {
            sink: Box::new(|line| eprintln!("{line}")),
            filters: Vec::new(),
        }
    }
}

impl CallLoggingConfig {
    /// Sends every line to `sink` instead of standard error. It is called on the worker thread
    /// that served the call, so it must be quick and `Send + Sync`.
    ///
    /// Ktor: `CallLoggingConfig.logger`
    pub fn sink(&mut self, sink: impl Fn(&str) + Send + Sync + 'static) {
        self.sink = Box::new(sink);
    }

    /// Logs only the calls `predicate` accepts (or any other filter accepts).
    ///
    /// Ktor: `CallLoggingConfig.filter { call -> }`
    pub fn filter(&mut self, predicate: impl Fn(&ApplicationCall) -> bool + Send + Sync + 'static) {
        self.filters.push(Box::new(predicate));
    }

    /// Writes the line for `call`, answered with `status`, unless the filters refuse it.
    fn log(&self, call: &mut ApplicationCall, status: HttpStatusCode) {
        if !self.filters.is_empty() && !self.filters.iter().any(|accepts| accepts(call)) {
            return;
        }
        (self.sink)(&format_line(call, status));
    }
}

/// Ktor's default format: `<status>: <METHOD> - <path> in <n>ms`, plus ` -> <Location>` for a
/// `302 Found`.
///
/// Ktor: `CallLoggingConfig.defaultFormat`
fn format_line(call: &mut ApplicationCall, status: HttpStatusCode) -> String {
    // Without a start time (an error before Setup ran) the call took no measurable time.
    let elapsed = call
        .attributes()
        .get(&CALL_START_TIME)
        .map_or(0, |start| start.elapsed().as_millis());
    let request = call.request();
    let mut line = format!(
        "{status}: {} - {} in {elapsed}ms",
        request.method(),
        request.raw_path()
    );
    // By code: a 302 given a reason phrase of its own (`Moved Temporarily`) is still one.
    if status.value == HttpStatusCode::FOUND.value
        && let Some(location) = call.response().headers().get(HttpHeaders::LOCATION)
    {
        line.push_str(" -> ");
        line.push_str(location);
    }
    line
}

impl Plugin for CallLogging {
    type Config = CallLoggingConfig;
    type Instance = PluginInstance<CallLoggingConfig>;

    fn name(&self) -> &'static str {
        "CallLogging"
    }

    fn create_config(&self) -> CallLoggingConfig {
        CallLoggingConfig::default()
    }

    fn install(&self, application: &mut Application, config: CallLoggingConfig) -> Self::Instance {
        let plugin = create_application_plugin(self.name(), CallLoggingConfig::default, |plugin| {
            plugin.on(CallSetup, async |call, _config: &CallLoggingConfig| {
                call.attributes_mut().put(&CALL_START_TIME, Instant::now());
                Ok(())
            });
            plugin.on(ResponseSent, async |call, config: &CallLoggingConfig| {
                // A committed response with no status set goes out as 200 OK.
                let status = call.response().status().unwrap_or(HttpStatusCode::OK);
                config.log(call, status);
                Ok(())
            });
            plugin.on(
                CallFailed,
                async |call, error: &Error, config: &CallLoggingConfig| {
                    // Not handled: the engine will answer, outside the send pipeline.
                    if !call.is_handled() {
                        config.log(call, super::failure_status(error));
                    }
                    Ok(())
                },
            );
        });
        plugin.install(application, config)
    }
}

//! Lifecycle events: the application's monitor, where code subscribes to start and stop.
//!
//! A plugin that opens a database pool wants to know when the server is ready, and to close
//! the pool when it stops. Ktor raises a fixed sequence of events on the application's
//! `monitor`, and any code holding the application can subscribe:
//!
//! ```text
//! ApplicationStarting ─► (modules run) ─► ApplicationStarted ─► ServerReady ─► ... serving ...
//! ApplicationStopPreparing ─► (the engine stops: the grace period) ─► ApplicationStopping
//!                                                                  ─► ApplicationStopped
//! ```
//!
//! A stop is announced twice, as in Ktor: `ApplicationStopPreparing` when it begins, while
//! requests in flight are still being answered, and `ApplicationStopping` once the engine has
//! stopped and no application code runs for a request any more. So a pool closed on
//! `ApplicationStopping` is not pulled from under a request of the grace period.
//!
//! `ApplicationStarting` is raised before the modules run, so only code that subscribed before
//! them (an engine, in Ktor) sees it; a module's own subscriptions start with
//! `ApplicationStarted`. `ServerReady` comes once the engine accepts connections; the test
//! engine has none, so it raises only `ApplicationStarting` and `ApplicationStarted`.
//!
//! Handlers run in subscription order, on the thread that raises the event, with the
//! application. Ktor's `Events` also returns a handle to unsubscribe; subscriptions here last
//! as long as the application, which is all lifecycle events need.
//!
//! Ktor: `io.ktor.events.Events` and `io.ktor.server.application.ApplicationStarted` & co.

use std::any::TypeId;

use super::Application;

/// A kind of event: a type with a name.
///
/// Ktor: `io.ktor.events.EventDefinition`
pub trait Event: 'static {
    /// The event's name, for messages.
    const NAME: &'static str;
}

/// Raised before the application's modules run.
///
/// Ktor: `io.ktor.server.application.ApplicationStarting`
pub struct ApplicationStarting;
/// Raised once the modules have run: the application is complete.
///
/// Ktor: `io.ktor.server.application.ApplicationStarted`
pub struct ApplicationStarted;
/// Raised once the engine accepts connections.
///
/// Ktor: `io.ktor.server.application.ServerReady`
pub struct ServerReady;
/// Raised when a stop begins, before the engine stops: requests in flight are still being
/// answered.
///
/// Ktor: `io.ktor.server.application.ApplicationStopPreparing`
pub struct ApplicationStopPreparing;
/// Raised once the engine has stopped, before the application is let go: no request is being
/// answered any more.
///
/// Ktor: `io.ktor.server.application.ApplicationStopping`
pub struct ApplicationStopping;
/// Raised once the server has stopped.
///
/// Ktor: `io.ktor.server.application.ApplicationStopped`
pub struct ApplicationStopped;

impl Event for ApplicationStarting {
    const NAME: &'static str = "ApplicationStarting";
}
impl Event for ApplicationStarted {
    const NAME: &'static str = "ApplicationStarted";
}
impl Event for ServerReady {
    const NAME: &'static str = "ServerReady";
}
impl Event for ApplicationStopPreparing {
    const NAME: &'static str = "ApplicationStopPreparing";
}
impl Event for ApplicationStopping {
    const NAME: &'static str = "ApplicationStopping";
}
impl Event for ApplicationStopped {
    const NAME: &'static str = "ApplicationStopped";
}

/// A handler of some event.
type Handler = Box<dyn Fn(&Application) + Send + Sync>;

/// The application's event bus.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use mini_ktor::application::ApplicationStarted;
/// use mini_ktor::prelude::*;
///
/// let started = Arc::new(Mutex::new(false));
/// let flag = Arc::clone(&started);
/// let _app = Application::from_module(move |app| {
///     app.monitor_mut().subscribe(ApplicationStarted, move |_app| *flag.lock().unwrap() = true);
/// });
/// assert!(*started.lock().unwrap());
/// ```
///
/// Ktor: `io.ktor.events.Events`
#[derive(Default)]
pub struct Events {
    handlers: Vec<(TypeId, Handler)>,
}

impl Events {
    /// Runs `handler` every time event `E` is raised.
    ///
    /// Ktor: `Events.subscribe(definition, handler)`
    pub fn subscribe<E: Event>(&mut self, _event: E, handler: impl Fn(&Application) + Send + Sync + 'static) {
        self.handlers.push((TypeId::of::<E>(), Box::new(handler)));
    }

    /// Runs the handlers of event `E`, in subscription order.
    ///
    /// Ktor: `Events.raise(definition, value)`
    pub fn raise<E: Event>(&self, _event: E, application: &Application) {
        for (event, handler) in &self.handlers {
            if *event == TypeId::of::<E>() {
                handler(application);
            }
        }
    }
}

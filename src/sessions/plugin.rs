//! The `Sessions` plugin: when sessions are read, and when they are written.
//!
//! ```text
//! call pipeline   Setup ─ Monitoring ─ Plugins ───────────── Call ──────────────── Fallback
//!                                      │ load every provider   │ handler: get / set / clear
//!                                      ▼                       ▼
//!                                  call attribute "Sessions" (old value, new value, id)
//!                                                              │ respond
//! send pipeline                                                ▼
//!                 Before: write every provider, once ─► Transform ─► … ─► Engine (commit)
//! ```
//!
//! - **Load** (`Plugins` phase): for every provider, the transport's text (transformers
//!   undone), then the value: decoded from the text (by value), or read from the storage
//!   under the text as id (by id). An unknown id, a bad signature, text that does not decode:
//!   each is simply no session.
//! - **Write** (send pipeline `Before`, on the first `respond`, the Fallback's 404 included):
//!   - a provider whose session was `set` is stored (by id: under its id, or a new one) and
//!     sent (`Set-Cookie`), on every response where `set` was called;
//!   - a provider whose session came in but is now gone (cleared, or unknown to the storage,
//!     or undecodable) is cleared: an expired cookie, and the id invalidated;
//!   - otherwise nothing is sent: a plain `get` does not refresh the cookie.
//!
//!   After that the sessions are *committed*: a later `set` is
//!   [`TooLateSessionSet`](super::SessionError::TooLateSessionSet).
//!
//! What differs from Ktor: Ktor's Sessions is route-scoped (installable on a route); this one
//! is installed on the application only. `sendOnlyIfModified` and deferred loading are not
//! offered.
//!
//! Ktor: `io.ktor.server.sessions.Sessions`, `BeforeSend.kt`, `SessionData.kt`

use std::sync::Arc;

use super::config::{AnyValue, SessionsConfig};
use crate::Result;
use crate::application::{
    Application, ApplicationCall, ApplicationCallPipeline, ApplicationSendPipeline, Plugin,
};
use crate::crypto::generate_session_id;
use crate::http::cookie::seconds_from_now;
use crate::util::AttributeKey;

/// The plugin; install it with `app.install(&Sessions, |sessions| { ... })`.
///
/// ```
/// use mini_ktor::prelude::*;
/// use mini_ktor::sessions::{CallSessions, Sessions};
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.install(&Sessions, |sessions| {
///         sessions.cookie::<String>("USER").sign([42u8; 32]);
///     });
///     app.routing(|route| {
///         route.get("/login", async |call| {
///             call.sessions().set("ana".to_string())?;
///             call.respond_text("welcome").await
///         });
///         route.get("/", async |call| {
///             let user: Option<String> = call.sessions().get()?;
///             call.respond_text(user.unwrap_or_else(|| "nobody".to_string())).await
///         });
///     });
/// });
/// assert_eq!(client.get("/").text(), "nobody");
/// client.get("/login"); // the test client keeps the cookie
/// assert_eq!(client.get("/").text(), "ana");
/// ```
///
/// Ktor: `io.ktor.server.sessions.Sessions`
pub struct Sessions;

/// Where a call keeps its sessions between load and write.
pub(crate) static SESSIONS: AttributeKey<CallSessionData> = AttributeKey::new("Sessions");

/// A call's sessions: one entry per provider, in the providers' order.
///
/// Ktor: `SessionData` (the `SessionKey` attribute)
pub(crate) struct CallSessionData {
    pub(crate) config: Arc<SessionsConfig>,
    pub(crate) entries: Vec<SessionEntry>,
    /// Set once the sessions were written; `set` is too late after that.
    pub(crate) committed: bool,
}

/// One provider's session in a call.
///
/// Ktor: `SessionProviderData`
#[derive(Default)]
pub(crate) struct SessionEntry {
    /// What the request brought (or `None`); `clear` drops it.
    pub(crate) old: Option<AnyValue>,
    /// What the handler `set`.
    pub(crate) new: Option<AnyValue>,
    /// Whether the request carried this session's cookie or header (valid as a text).
    pub(crate) incoming: bool,
    /// By id: the id of the data in the storage, once known.
    pub(crate) id: Option<String>,
    /// By id: an id `clear` let go of, to invalidate when the sessions are written. A session
    /// set after a clear gets a new id, so a logout then a login never reuse one.
    pub(crate) cleared_id: Option<String>,
}

impl Plugin for Sessions {
    type Config = SessionsConfig;
    type Instance = Arc<SessionsConfig>;

    fn name(&self) -> &'static str {
        "Sessions"
    }

    fn create_config(&self) -> SessionsConfig {
        SessionsConfig::default()
    }

    fn install(&self, application: &mut Application, config: SessionsConfig) -> Arc<SessionsConfig> {
        let config = Arc::new(config);
        let for_load = Arc::clone(&config);
        application.intercept_named(
            ApplicationCallPipeline::PLUGINS,
            "Sessions: load",
            async move |ctx| {
                let data = load(ctx.call(), &for_load)?;
                ctx.call().attributes_mut().put(&SESSIONS, data);
                Ok(())
            },
        );
        application.send_pipeline_mut().intercept_named(
            ApplicationSendPipeline::BEFORE,
            "Sessions: write",
            async |ctx| write(ctx.call()),
        );
        config
    }
}

/// Reads every provider's session from the request.
///
/// Ktor: the `onCall` handler of `Sessions` (`SessionTracker.load`)
fn load(call: &ApplicationCall, config: &Arc<SessionsConfig>) -> Result<CallSessionData> {
    let mut entries = Vec::with_capacity(config.providers.len());
    for provider in &config.providers {
        let mut entry = SessionEntry::default();
        let text = provider
            .transport
            .receive(call, &provider.name, &provider.transformers);
        if let Some(text) = text {
            entry.incoming = true;
            match &provider.storage {
                None => entry.old = (provider.decode)(&text),
                Some(storage) => {
                    // An id the storage does not know is forgotten: a later `set` makes a
                    // new one instead of adopting an id the client chose.
                    if let Some(data) = storage.read(&text)? {
                        entry.old = (provider.decode)(&data);
                        entry.id = Some(text);
                    }
                }
            }
        }
        entries.push(entry);
    }
    Ok(CallSessionData {
        config: Arc::clone(config),
        entries,
        committed: false,
    })
}

/// Writes every provider's session into the response, on the first respond only.
///
/// Ktor: `BeforeSend` hook of `Sessions` (`sendSessionData`)
fn write(call: &mut ApplicationCall) -> Result<()> {
    // Taken out of the call while the response is written, and put back after.
    let Some(mut data) = call.attributes_mut().take(&SESSIONS) else {
        return Ok(()); // the call was answered before the plugin ran: nothing to write
    };
    let result = if data.committed {
        Ok(())
    } else {
        data.committed = true;
        write_entries(call, &data.config, &mut data.entries)
    };
    call.attributes_mut().put(&SESSIONS, data);
    result
}

/// Stores and sends what was set; clears what came in and is gone.
fn write_entries(
    call: &mut ApplicationCall,
    config: &SessionsConfig,
    entries: &mut [SessionEntry],
) -> Result<()> {
    for (provider, entry) in config.providers.iter().zip(entries) {
        let (transport, name) = (&provider.transport, provider.name.as_str());
        if let (Some(storage), Some(id)) = (&provider.storage, entry.cleared_id.take()) {
            storage.invalidate(&id)?;
        }
        if let Some(value) = &entry.new {
            let text = (provider.encode)(value.as_ref());
            let wire = match &provider.storage {
                None => text,
                Some(storage) => {
                    let id = match entry.id.take() {
                        Some(id) => id,
                        None => generate_session_id()?,
                    };
                    let deadline = transport.max_age_seconds().map(seconds_from_now);
                    storage.write(&id, &text, deadline)?;
                    entry.id = Some(id.clone());
                    id
                }
            };
            transport.send(call, name, &wire, &provider.transformers)?;
        } else if entry.incoming && entry.old.is_none() {
            transport.clear(call, name)?;
            if let (Some(storage), Some(id)) = (&provider.storage, entry.id.take()) {
                storage.invalidate(&id)?;
            }
        }
    }
    Ok(())
}

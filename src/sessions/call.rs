//! `call.sessions()`: what a handler does with its sessions.
//!
//! ```text
//! get::<T>()        the value set in this call, else the one the request brought
//! set(value)        the value to send; an error once the response is committed
//! clear::<T>()      no session any more; the response expires the cookie
//! get_or_set(make)  get, or set what `make` returns
//! id::<T>()         the storage id of a by-id session
//! ```
//!
//! Everything here only reads and changes the call attribute the plugin filled in the
//! `Plugins` phase; nothing is sent until the first respond (see `plugin.rs`). Asking before
//! that phase (from a `Setup` or `Monitoring` interceptor), or in an application without the
//! plugin, is an error that says which.
//!
//! Ktor: `io.ktor.server.sessions.CurrentSession` (`call.sessions`), `sessionId<T>()`

use std::any::type_name;
use std::fmt;

use super::plugin::{CallSessionData, SESSIONS, SessionEntry, Sessions};
use super::value::SessionValue;
use crate::Result;
use crate::application::{ApplicationCall, Plugin};

/// Gives [`ApplicationCall`] its `sessions()`.
///
/// Ktor: the `ApplicationCall.sessions` extension property
pub trait CallSessions {
    /// The call's sessions.
    ///
    /// Ktor: `call.sessions`
    fn sessions(&mut self) -> CurrentSession<'_>;
}

impl CallSessions for ApplicationCall {
    fn sessions(&mut self) -> CurrentSession<'_> {
        CurrentSession { call: self }
    }
}

/// The sessions of one call, looked up by type.
///
/// Ktor: `io.ktor.server.sessions.CurrentSession`
pub struct CurrentSession<'a> {
    call: &'a mut ApplicationCall,
}

impl CurrentSession<'_> {
    /// The session of type `T`: the one set in this call, else the one the request brought.
    ///
    /// Ktor: `call.sessions.get<T>()`
    pub fn get<T: SessionValue>(&mut self) -> Result<Option<T>> {
        let (entry, _) = self.entry::<T>()?;
        let value = entry.new.as_ref().or(entry.old.as_ref());
        Ok(value.and_then(|value| value.downcast_ref::<T>()).cloned())
    }

    /// Sets the session of type `T`; the response will carry it.
    ///
    /// Ktor: `call.sessions.set(value)`, which throws `TooLateSessionSetException` once sent
    pub fn set<T: SessionValue>(&mut self, value: T) -> Result<()> {
        let (entry, committed) = self.entry::<T>()?;
        if committed {
            return Err(SessionError::TooLateSessionSet.into());
        }
        entry.new = Some(Box::new(value));
        Ok(())
    }

    /// Ends the session of type `T`: the response expires its cookie, and a by-id session's
    /// data is deleted from its storage.
    ///
    /// What differs from Ktor: Ktor lets a `clear` after the response silently do nothing;
    /// here it is the same error as a late `set`, since it would be lost just as surely.
    ///
    /// Ktor: `call.sessions.clear<T>()`
    pub fn clear<T: SessionValue>(&mut self) -> Result<()> {
        let (entry, committed) = self.entry::<T>()?;
        if committed {
            return Err(SessionError::TooLateSessionSet.into());
        }
        entry.old = None;
        entry.new = None;
        entry.cleared_id = entry.id.take().or(entry.cleared_id.take());
        Ok(())
    }

    /// The session of type `T`, after setting it to `make()` if there was none.
    ///
    /// Ktor: `call.sessions.getOrSet { }`
    pub fn get_or_set<T: SessionValue>(&mut self, make: impl FnOnce() -> T) -> Result<T> {
        if let Some(value) = self.get::<T>()? {
            return Ok(value);
        }
        let value = make();
        self.set(value.clone())?;
        Ok(value)
    }

    /// The storage id of the session of type `T`, if it has one yet (by-id sessions only;
    /// a new session gets its id when the response is written).
    ///
    /// Ktor: `call.sessionId<T>()`
    pub fn id<T: SessionValue>(&mut self) -> Result<Option<String>> {
        Ok(self.entry::<T>()?.0.id.clone())
    }

    /// The entry of type `T`, and whether the sessions are already committed.
    fn entry<T: SessionValue>(&mut self) -> Result<(&mut SessionEntry, bool), SessionError> {
        let data = self.data()?;
        let index = data
            .config
            .index_of::<T>()
            .ok_or(SessionError::UnknownType(type_name::<T>()))?;
        Ok((&mut data.entries[index], data.committed))
    }

    /// The call's session data, or why there is none.
    fn data(&mut self) -> Result<&mut CallSessionData, SessionError> {
        if !self.call.application().has_plugin(Sessions.name()) {
            return Err(SessionError::NotInstalled);
        }
        self.call
            .attributes_mut()
            .get_mut(&SESSIONS)
            .ok_or(SessionError::NotYetConfigured)
    }
}

/// A mistake in using sessions (never a problem with what the client sent).
///
/// Ktor: the exceptions of `io.ktor.server.sessions`
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    /// The application has no `Sessions` plugin.
    ///
    /// Ktor: `MissingApplicationPluginException`
    NotInstalled,
    /// Sessions asked for before the plugin loaded them in the `Plugins` phase.
    ///
    /// Ktor: `SessionNotYetConfiguredException`
    NotYetConfigured,
    /// No provider was configured for this type.
    ///
    /// Ktor: `IllegalStateException` from `CurrentSession.findName`
    UnknownType(&'static str),
    /// `set` or `clear` after the sessions were written into the response.
    ///
    /// Ktor: `TooLateSessionSetException`
    TooLateSessionSet,
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::NotInstalled => write!(
                f,
                "Sessions are not installed: call app.install(&Sessions, ..) in a module"
            ),
            SessionError::NotYetConfigured => write!(
                f,
                "Sessions are not yet ready: they are loaded in the Plugins phase, and this \
                 code runs before it (in Setup or Monitoring)"
            ),
            SessionError::UnknownType(name) => {
                write!(f, "Session data for type `{name}` was not registered")
            }
            SessionError::TooLateSessionSet => write!(
                f,
                "It's too late to set session: response most likely already has been sent"
            ),
        }
    }
}

impl std::error::Error for SessionError {}

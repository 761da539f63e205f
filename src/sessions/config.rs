//! Configuring Sessions: one provider per session type.
//!
//! A provider ties together a **type** (how the handler asks for the session), a **name** (of
//! the cookie or header), a **transport** (cookie or header), a **tracker** (the whole value
//! travels, or only an id into a storage) and **transformers** (signing):
//!
//! | Ktor | here | what travels |
//! |---|---|---|
//! | `cookie<T>(name)` | `cookie::<T>(name)` | the value, in a cookie |
//! | `cookie<T>(name, storage)` | `cookie::<T>(name).storage(storage)` | an id, in a cookie |
//! | `header<T>(name)` | `header::<T>(name)` | the value, in a header |
//! | `header<T>(name, storage)` | `header::<T>(name).storage(storage)` | an id, in a header |
//! | `transform(SessionTransportTransformerMessageAuthentication(key))` | `.sign(key)` | + `/signature` |
//! | `cookie.secure = true` | `.cookie(\|c\| c.secure = true)` | |
//!
//! Handlers look a session up by its type, so two providers may not share a type, and two
//! may not share a name (their cookies would overwrite each other). Either mistake, and a
//! signing key that is too short, stops the application at start-up with a message saying
//! which, as Ktor's `IllegalArgumentException` does.
//!
//! Ktor: `io.ktor.server.sessions.SessionsConfig`, `SessionProvider`, `CookieSessionBuilder`

use std::any::{Any, TypeId, type_name};
use std::sync::Arc;

use super::signing::{SessionTransportTransformer, SessionTransportTransformerMessageAuthentication};
use super::storage::SessionStorage;
use super::transport::{CookieConfiguration, Transport};
use super::value::SessionValue;

/// A session value with its type forgotten, as the call keeps it.
pub(crate) type AnyValue = Box<dyn Any + Send + Sync>;

/// The configuration of the [`Sessions`](super::Sessions) plugin: its providers.
///
/// Ktor: `io.ktor.server.sessions.SessionsConfig`
#[derive(Default)]
pub struct SessionsConfig {
    pub(crate) providers: Vec<SessionProvider>,
}

impl SessionsConfig {
    /// Sessions of type `T` in a cookie named `name`; the whole value travels, unless
    /// [`storage`](SessionProvider::storage) is called on the result.
    ///
    /// # Panics
    ///
    /// If a provider already has this name or this type, or if `name` is not a token (RFC 6265
    /// §4.1.1: a cookie named `my session` or `a;b` could be sent, but would never come back
    /// as the same cookie).
    ///
    /// Ktor: `SessionsConfig.cookie<T>(name)`
    pub fn cookie<T: SessionValue>(&mut self, name: &str) -> &mut SessionProvider {
        self.register::<T>(name, Transport::Cookie(CookieConfiguration::default()))
    }

    /// Sessions of type `T` in a request and response header named `name`.
    ///
    /// # Panics
    ///
    /// If a provider already has this name or this type, or if `name` is not a token (a field
    /// name, RFC 9110 §5.1).
    ///
    /// Ktor: `SessionsConfig.header<T>(name)`
    pub fn header<T: SessionValue>(&mut self, name: &str) -> &mut SessionProvider {
        self.register::<T>(name, Transport::Header)
    }

    /// Adds a provider after checking that its name and type are new.
    ///
    /// Ktor: `SessionsConfig.register(provider)`
    fn register<T: SessionValue>(&mut self, name: &str, transport: Transport) -> &mut SessionProvider {
        // Checked here, at start-up, like the other mistakes of configuration, rather than
        // found out later as sessions that never come back. (Ktor: `assertCookieName`.)
        assert!(
            crate::http::is_valid_header_name(name),
            "session provider name {name:?} is not a token: it cannot name a cookie or a header"
        );
        if self.providers.iter().any(|p| p.name == name) {
            panic!("There is already registered session provider with name {name}");
        }
        let type_name = type_name::<T>();
        if self.providers.iter().any(|p| p.type_id == TypeId::of::<T>()) {
            panic!("There is already registered session provider for type {type_name}");
        }
        self.providers.push(SessionProvider {
            name: name.to_string(),
            type_id: TypeId::of::<T>(),
            transport,
            storage: None,
            transformers: Vec::new(),
            encode: encode_any::<T>,
            decode: decode_any::<T>,
        });
        self.providers.last_mut().expect("just pushed")
    }

    /// The index of the provider of type `T`.
    pub(crate) fn index_of<T: 'static>(&self) -> Option<usize> {
        self.providers.iter().position(|p| p.type_id == TypeId::of::<T>())
    }
}

/// One session type's provider: its name, transport, tracker and transformers.
///
/// Ktor: `io.ktor.server.sessions.SessionProvider`
pub struct SessionProvider {
    pub(crate) name: String,
    type_id: TypeId,
    pub(crate) transport: Transport,
    /// `None`: tracked by value. `Some`: tracked by id, the data kept here.
    pub(crate) storage: Option<Arc<dyn SessionStorage>>,
    pub(crate) transformers: Vec<Box<dyn SessionTransportTransformer>>,
    /// `T::encode`, for a value known to be a `T`.
    pub(crate) encode: fn(&(dyn Any + Send + Sync)) -> String,
    /// `T::decode`, boxed.
    pub(crate) decode: fn(&str) -> Option<AnyValue>,
}

impl SessionProvider {
    /// Keeps the data in `storage` and sends only a random id (64 hex characters).
    ///
    /// Ktor: `cookie<T>(name, storage)`, `header<T>(name, storage)` (`SessionTrackerById`)
    pub fn storage(&mut self, storage: impl SessionStorage) -> &mut SessionProvider {
        self.storage = Some(Arc::new(storage));
        self
    }

    /// Adds a transformer; several apply in the order added when writing, in reverse when
    /// reading.
    ///
    /// Ktor: `transform(transformer)`
    pub fn transform(&mut self, transformer: impl SessionTransportTransformer) -> &mut SessionProvider {
        self.transformers.push(Box::new(transformer));
        self
    }

    /// Signs with HMAC-SHA-256 and `key`: the client can read the session, not change it.
    ///
    /// # Panics
    ///
    /// If `key` is shorter than 32 bytes, with a message that says why that is refused. Use
    /// [`SessionTransportTransformerMessageAuthentication::new`] and
    /// [`transform`](Self::transform) to handle the error yourself.
    ///
    /// Ktor: `transform(SessionTransportTransformerMessageAuthentication(key))`
    pub fn sign(&mut self, key: impl Into<Vec<u8>>) -> &mut SessionProvider {
        match SessionTransportTransformerMessageAuthentication::new(key) {
            Ok(signer) => self.transform(signer),
            Err(too_short) => panic!("session {}: {too_short}", self.name),
        }
    }

    /// Adjusts the cookie's attributes (nothing for a header provider).
    ///
    /// # Panics
    ///
    /// If an attribute's name or value holds a `;` or a control character: it would end the
    /// attribute and start another (`Path=/a; Secure`), or break the header. RFC 6265 §4.1.1
    /// allows neither in a path, and a domain is a host name.
    ///
    /// Ktor: `cookie<T>(name) { cookie.secure = true }`
    pub fn cookie(&mut self, configure: impl FnOnce(&mut CookieConfiguration)) -> &mut SessionProvider {
        if let Transport::Cookie(config) = &mut self.transport {
            configure(config);
            let extensions = config.extensions.iter();
            let texts = [&config.domain, &config.path]
                .into_iter()
                .flatten()
                .chain(extensions.flat_map(|(name, value)| std::iter::once(name).chain(value)));
            for text in texts {
                let fits = text.bytes().all(|b| b != b';' && b >= 0x20 && b != 0x7F);
                assert!(
                    fits,
                    "session {}: cookie attribute {text:?} holds a ';' or a control character",
                    self.name
                );
            }
        }
        self
    }
}

/// `T::encode` behind a type-erased reference; the plugin only calls it with a `T`.
fn encode_any<T: SessionValue>(value: &(dyn Any + Send + Sync)) -> String {
    match value.downcast_ref::<T>() {
        Some(value) => value.encode(),
        None => unreachable!("a provider's values are of its type"),
    }
}

/// `T::decode`, its result boxed with its type forgotten.
fn decode_any<T: SessionValue>(text: &str) -> Option<AnyValue> {
    T::decode(text).map(|value| Box::new(value) as AnyValue)
}

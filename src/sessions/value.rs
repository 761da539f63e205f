//! Typed sessions: how a session value becomes text and back.
//!
//! A cookie or a storage holds text; a handler wants a `UserSession { name, visits }`. A
//! session type says how to cross between the two by implementing [`SessionValue`]: `encode`
//! to text, `decode` from text, `None` when the text is not a valid session (a decode that
//! fails means "no session", never an error).
//!
//! [`Form`] does the usual part: the `k=v&k2=v2` form encoding, each name and value
//! percent-encoded, so implementing the trait takes a few lines:
//!
//! ```
//! use mini_ktor::sessions::{Form, SessionValue};
//!
//! #[derive(Clone, Debug, PartialEq)]
//! struct UserSession {
//!     name: String,
//!     visits: u32,
//! }
//!
//! impl SessionValue for UserSession {
//!     fn encode(&self) -> String {
//!         Form::new().field("name", &self.name).field("visits", self.visits).finish()
//!     }
//!     fn decode(text: &str) -> Option<Self> {
//!         let form = Form::parse(text);
//!         Some(UserSession { name: form.get("name")?, visits: form.get_as("visits")? })
//!     }
//! }
//!
//! let session = UserSession { name: "Ana Lee".to_string(), visits: 3 };
//! assert_eq!(session.encode(), "name=Ana%20Lee&visits=3");
//! assert_eq!(UserSession::decode(&session.encode()), Some(session));
//! assert_eq!(UserSession::decode("name=x&visits=many"), None);
//! ```
//!
//! What differs from Ktor: Ktor 3 serialises a `@Serializable` class to JSON with
//! kotlinx.serialization, found at compile time by a compiler plugin. Rust's counterpart
//! would be serde, a crate; this crate uses none, so the type writes its own two functions.
//! The form encoding is close to Ktor's older reflection serializer, which also wrote
//! `name=value&…`.
//!
//! Ktor: `io.ktor.server.sessions.SessionSerializer`

use std::fmt::Display;
use std::str::FromStr;

use crate::http::{Parameters, encode_uri_component, parse_query};

/// A type that can be a session: it can be cloned (a handler gets its own copy), sent between
/// threads, and turned into text and back.
///
/// Ktor: `io.ktor.server.sessions.SessionSerializer<T>` (`serialize`, `deserialize`)
pub trait SessionValue: Clone + Send + Sync + 'static {
    /// The session as text.
    ///
    /// Ktor: `SessionSerializer.serialize`
    fn encode(&self) -> String;

    /// The session `text` stands for, or `None` if it stands for none.
    ///
    /// Ktor: `SessionSerializer.deserialize`, whose failure the tracker treats as no session
    fn decode(text: &str) -> Option<Self>;
}

/// A session that is just a string (an id of the application's own, a user name).
impl SessionValue for String {
    fn encode(&self) -> String {
        self.clone()
    }
    fn decode(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
}

/// The `k=v&k2=v2` form encoding, to write ([`field`](Form::field), [`finish`](Form::finish))
/// or to read ([`parse`](Form::parse), [`get`](Form::get), [`get_as`](Form::get_as)).
///
/// Ktor: the text format of `reflectionSessionSerializer` (without its type tags)
#[derive(Debug, Default)]
pub struct Form {
    text: String,
    parsed: Parameters,
}

impl Form {
    /// An empty form, to add fields to.
    ///
    /// Ktor: none, like the rest of `Form`: the writing side of that text format
    pub fn new() -> Form {
        Form::default()
    }

    /// Appends `name=value`, both percent-encoded; `value` is written with `Display`.
    ///
    /// Ktor: none; the reflection serializer writes each property this way
    pub fn field(mut self, name: &str, value: impl Display) -> Form {
        if !self.text.is_empty() {
            self.text.push('&');
        }
        self.text.push_str(&encode_uri_component(name));
        self.text.push('=');
        self.text.push_str(&encode_uri_component(&value.to_string()));
        self
    }

    /// The encoded text.
    ///
    /// Ktor: none; `SessionSerializer.serialize`'s result
    pub fn finish(self) -> String {
        self.text
    }

    /// Reads encoded text, to look fields up.
    ///
    /// Ktor: none; the reading side of `SessionSerializer.deserialize`
    pub fn parse(text: &str) -> Form {
        Form {
            text: String::new(),
            parsed: parse_query(text),
        }
    }

    /// The first value of field `name`, decoded.
    ///
    /// Ktor: none; a property read back by the reflection serializer
    pub fn get(&self, name: &str) -> Option<String> {
        self.parsed.get(name).map(str::to_string)
    }

    /// The first value of field `name`, parsed as a `T`; `None` if absent or not a `T`.
    ///
    /// Ktor: none; the reflection serializer's typed read of a property
    pub fn get_as<T: FromStr>(&self, name: &str) -> Option<T> {
        self.parsed.get(name)?.parse().ok()
    }
}

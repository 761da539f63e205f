//! Sessions: data that lasts from one request of a client to the next.
//!
//! HTTP forgets everything between requests. To remember who is logged in, or what is in a
//! cart, the server gives the client something to send back with every request, a cookie or
//! a header, and reads it again each time. This module is Ktor's `Sessions` plugin: the
//! handler works with a typed value (`call.sessions().get::<UserSession>()`), and the plugin
//! does the carrying.
//!
//! ```text
//! request ──► Plugins phase: load ───────────► handler: get / set / clear ──► respond
//!   Cookie: USER=name%3Dana%2F3b9f…              (a call attribute)             │
//!           │ URI-decode, check signature,                                       ▼
//!           │ decode (by value) or read storage[id] (by id)      send pipeline Before: write
//!                                                        Set-Cookie: USER=…; Max-Age=604800; …
//! ```
//!
//! Two ways to track a session:
//!
//! - **by value**: the whole session travels in the cookie. Nothing to store on the server, but
//!   the client can read it, and change it unless it is **signed** (`.sign(key)`, see
//!   [`signing`]);
//! - **by id**: only a random id travels (32 random bytes as 64 hex characters, see
//!   [`generate_session_id`](crate::crypto::generate_session_id)), and the data stays in a
//!   [`SessionStorage`] on the server ([`MemoryStorage`], [`DirectoryStorage`], or your own).
//!
//! ```
//! use mini_ktor::prelude::*;
//! use mini_ktor::sessions::{CallSessions, MemoryStorage, Sessions};
//!
//! fn module(app: &mut Application) {
//!     app.install(&Sessions, |sessions| {
//!         sessions.cookie::<String>("CART").storage(MemoryStorage::new());
//!     });
//!     app.routing(|route| {
//!         route.get("/", async |call| {
//!             let cart = call.sessions().get_or_set(|| "empty".to_string())?;
//!             call.respond_text(cart).await
//!         });
//!     });
//! }
//! # let client = mini_ktor::testing::test_application(module);
//! # assert_eq!(client.get("/").text(), "empty");
//! ```
//!
//! # Files
//!
//! | file | concept | Ktor |
//! |---|---|---|
//! | `config.rs` | providers: type, name, transport, tracker, transformers | `SessionsConfig`, `SessionProvider` |
//! | `transport.rs` | cookie or header; cookie attributes | `SessionTransportCookie`, `CookieConfiguration` |
//! | [`signing`] | HMAC-SHA-256 signatures | `SessionTransportTransformerMessageAuthentication` |
//! | `value.rs` | a type as text and back; the form helper | `SessionSerializer` |
//! | `storage.rs`, `directory.rs` | server-side data by id | `SessionStorage`, `directorySessionStorage` |
//! | `plugin.rs` | load in `Plugins`, write in `Before` | `Sessions`, `BeforeSend` |
//! | `call.rs` | `call.sessions()` | `CurrentSession` |
//!
//! What differs from Ktor, in short (each file says more): the plugin is installed on the
//! application only; session types implement [`SessionValue`] instead of using
//! kotlinx.serialization; storages are synchronous and know each session's deadline; signing
//! keys shorter than 32 bytes are refused; encryption (`SessionTransportTransformerEncrypt`)
//! is not offered.
//!
//! Ktor: `io.ktor.server.sessions`

mod call;
mod config;
mod directory;
mod plugin;
pub mod signing;
mod storage;
mod transport;
mod value;

pub use call::{CallSessions, CurrentSession, SessionError};
pub use config::{SessionProvider, SessionsConfig};
pub use directory::{DirectoryStorage, is_valid_id};
pub use plugin::Sessions;
pub use signing::{
    KeyTooShort, MIN_KEY_LENGTH, SessionTransportTransformer,
    SessionTransportTransformerMessageAuthentication,
};
pub use storage::{MemoryStorage, SessionStorage};
pub use transport::{CookieConfiguration, DEFAULT_MAX_AGE_SECONDS, SameSite, Transport};
pub use value::{Form, SessionValue};

//! Receiving a request's body: `receive` and its shortcuts.
//!
//! ```text
//! handler ── receive::<T>() ──► request body (read by the engine; at most once)
//!                                   ▼
//!                 ApplicationReceivePipeline (Before, Transform, After)
//!                                   ▼
//!                 a T (bytes, text, form parameters, or a plugin's type), or 415
//! ```
//!
//! The body is taken out of the request, so a second receive fails, as in Ktor ("Request body
//! has already been consumed"). Unlike a respond, a receive always runs its pipeline: the
//! conversions to text and to form parameters are its default interceptor (in
//! `receive_pipeline.rs`), and a body is read far less often than a response is sent.
//!
//! RFC 9110 §8.3 (`Content-Type`, which decides what a form is) and §6.4 (the content).
//!
//! Ktor: `io.ktor.server.request.receive`, `receiveText`, `receiveParameters`
//! (`ApplicationReceiveFunctions.kt`)

use std::any::{Any, TypeId, type_name};
use std::sync::Arc;

use super::super::{HttpError, ReceiveSubject};
use super::ApplicationCall;
use crate::Result;
use crate::http::{HttpStatusCode, Parameters};

impl ApplicationCall {
    /// Takes the request body as a `T`, through the receive pipeline: `Vec<u8>`, `String`,
    /// [`Parameters`] (a form), or any type a plugin produces; another type is a `415
    /// Unsupported Media Type`. A second receive is an error.
    ///
    /// Ktor: `ApplicationCall.receive<T>()`
    pub async fn receive<T: Any>(&mut self) -> Result<T> {
        let body = self.request.take_body().await?;
        self.receive_type = Some(TypeId::of::<T>());
        let subject: ReceiveSubject = Box::new(body);
        // Cloned, as in `respond`: a `receive` from inside it finds the same pipeline.
        let subject = match self.receive_pipeline.clone() {
            Some(own) => own.execute(self, subject).await?,
            None => {
                let application = Arc::clone(&self.application);
                application.receive_pipeline().execute(self, subject).await?
            }
        };
        match subject.downcast::<T>() {
            Ok(value) => Ok(*value),
            Err(_) => {
                let message = format!("cannot turn the request body into {}", type_name::<T>());
                Err(HttpError::new(HttpStatusCode::UNSUPPORTED_MEDIA_TYPE, message).into())
            }
        }
    }

    /// The type the current `receive` asked for, for plugins in the receive pipeline.
    ///
    /// Ktor: `ApplicationCall.receiveType`
    pub fn receive_type(&self) -> Option<TypeId> {
        self.receive_type
    }

    /// Takes the request body as bytes. A second receive is an error.
    ///
    /// Ktor: `ApplicationCall.receive<ByteArray>()`
    pub async fn receive_bytes(&mut self) -> Result<Vec<u8>> {
        self.receive().await
    }

    /// Takes the request body as text, decoded in the charset its `Content-Type` names, UTF-8
    /// when it names none. Bytes that are not valid in the charset are a `400 Bad Request`
    /// (Ktor puts U+FFFD in their place), and a charset other than UTF-8, ISO-8859-1 and
    /// US-ASCII is a `415 Unsupported Media Type` ([`crate::http::charset`]).
    ///
    /// Ktor: `ApplicationCall.receiveText()`
    pub async fn receive_text(&mut self) -> Result<String> {
        self.receive().await
    }

    /// Takes an HTML form's body (`application/x-www-form-urlencoded`) as decoded parameters.
    /// Another content type is a `415 Unsupported Media Type`. The body is text in its charset,
    /// as for [`receive_text`](Self::receive_text); the `%XX` escapes in it are UTF-8 whatever
    /// the charset, as in Ktor's `parseQueryString`.
    ///
    /// Ktor: `ApplicationCall.receiveParameters()`
    pub async fn receive_parameters(&mut self) -> Result<Parameters> {
        self.receive().await
    }
}

//! Answering a call: `respond` and its shortcuts.
//!
//! ```text
//! handler ── respond_text / respond_bytes / respond_bytes_writer ──┐
//!                                                                 ▼
//!        no send interceptors, no trace? ── yes ──► commit to call.response
//!                                        ── no ───┐
//! handler ── respond(message) ────────────────────┴──► ApplicationSendPipeline::execute
//!                                                      (Before … Render … Engine) ─► commit
//! ```
//!
//! A respond does not write to the socket: it commits the call's response (status, headers,
//! content), and the engine writes it once the call pipeline has finished. `respond(message)`
//! always runs the send pipeline, which renders the message; the shortcuts, whose content is
//! already rendered, run it only when something could change what is sent: an interceptor of
//! the application or of this call, or a trace being recorded. Otherwise the content is committed at once, which is
//! what the pipeline's default interceptors would have done anyway (`commit_if_plain`). Ktor
//! always runs the pipeline; skipping it here saves the run's boxed futures on every plain
//! response.
//!
//! RFC 9110 §15 (status codes) and §8.3 (`Content-Type`), for what a response carries.
//!
//! Ktor: `io.ktor.server.response.respond`, `respondText`, `respondBytes`, `respondBytesWriter`,
//! `respondRedirect` (`ApplicationResponseFunctions.kt`)

use std::any::Any;
use std::borrow::Cow;
use std::sync::Arc;

use super::super::response::{OutgoingContent, text_bytes};
use super::super::stream::BodyWriter;
use super::super::{ResponseAlreadySent, ResponseMessage};
use super::ApplicationCall;
use crate::Result;
use crate::http::{ContentType, HttpHeaders, HttpStatusCode};

impl ApplicationCall {
    /// Answers with `message`, through the send pipeline: text, bytes, a status, an
    /// [`OutgoingContent`], or any type a plugin renders; what nothing can render is answered
    /// `406 Not Acceptable`. A second respond is an error, "Response has already been sent".
    ///
    /// ```
    /// use mini_ktor::prelude::*;
    /// use mini_ktor::testing::test_application;
    ///
    /// struct Temperature(f32); // a type of the application's own
    ///
    /// let client = test_application(|app| {
    ///     app.routing(|route| {
    ///         route.get("/", async |call| call.respond(Temperature(21.5)).await);
    ///     });
    /// });
    /// // Nothing renders a Temperature yet.
    /// assert_eq!(client.get("/").status(), HttpStatusCode::NOT_ACCEPTABLE);
    /// ```
    ///
    /// Ktor: `ApplicationCall.respond(message)`
    pub async fn respond<T: Any>(&mut self, message: T) -> Result<()> {
        if self.is_handled() {
            return Err(ResponseAlreadySent.into());
        }
        let message: ResponseMessage = Box::new(message);
        // Cloned, not taken out while it runs: a `respond` made from inside it (a status page,
        // say) must find the same pipeline, and an interceptor may still add to the call's copy.
        match self.send_pipeline.clone() {
            // This call intercepted its own copy of the pipeline: run that one.
            Some(own) => own.execute(self, message).await,
            None => {
                let application = Arc::clone(&self.application);
                application.send_pipeline().execute(self, message).await
            }
        }
    }

    /// Answers with `text` as `text/plain; charset=UTF-8` (or the `Content-Type` the handler
    /// already set). A `&'static str` is sent without being copied.
    ///
    /// Not an `async fn`: it returns the future of [`respond_text_with`](Self::respond_text_with)
    /// as is, where an `async fn` would wrap it in one more, holding the arguments again.
    ///
    /// Ktor: `ApplicationCall.respondText(text)`
    pub fn respond_text(&mut self, text: impl Into<Cow<'static, str>>) -> impl Future<Output = Result<()>> {
        self.respond_text_with(text, ContentType::TEXT_PLAIN_UTF8)
    }

    /// Answers with `text` as `content_type`, exactly as given (unless the handler already set
    /// a `Content-Type`).
    ///
    /// Ktor: `ApplicationCall.respondText(text, contentType)`
    pub async fn respond_text_with(
        &mut self,
        text: impl Into<Cow<'static, str>>,
        content_type: ContentType,
    ) -> Result<()> {
        let content = OutgoingContent::Bytes(text_bytes(text.into()));
        let Some(content) = self.commit_if_plain(content, content_type)? else {
            return Ok(());
        };
        // Boxed: the send pipeline's state would otherwise enlarge every handler's future,
        // including those of the plain responses, which never need it.
        Box::pin(self.respond(content)).await
    }

    /// Answers with raw bytes as `content_type`.
    ///
    /// Ktor: `ApplicationCall.respondBytes(bytes, contentType)`
    pub async fn respond_bytes(
        &mut self,
        bytes: impl Into<Cow<'static, [u8]>>,
        content_type: ContentType,
    ) -> Result<()> {
        let content = OutgoingContent::Bytes(bytes.into());
        let Some(content) = self.commit_if_plain(content, content_type)? else {
            return Ok(());
        };
        Box::pin(self.respond(content)).await // boxed: see `respond_text_with`
    }

    /// Answers with `status` and an empty body.
    ///
    /// Ktor: `ApplicationCall.respond(HttpStatusCode)`
    pub async fn respond_status(&mut self, status: HttpStatusCode) -> Result<()> {
        self.respond(status).await
    }

    /// Answers with a body that `producer` writes piece by piece, sent with
    /// `Transfer-Encoding: chunked` since its length is not known in advance. The producer runs
    /// when the engine sends the response, after the pipeline.
    ///
    /// Ktor: `ApplicationCall.respondBytesWriter(contentType) { }`
    pub async fn respond_bytes_writer(
        &mut self,
        content_type: ContentType,
        producer: impl AsyncFnOnce(&mut BodyWriter<'_>) -> Result<()> + 'static,
    ) -> Result<()> {
        let content = OutgoingContent::Stream(Box::new(producer));
        let Some(content) = self.commit_if_plain(content, content_type)? else {
            return Ok(());
        };
        Box::pin(self.respond(content)).await // boxed: see `respond_text_with`
    }

    /// Answers with `302 Found` (or `301 Moved Permanently`) and a `Location` header.
    ///
    /// Ktor: `ApplicationCall.respondRedirect(url, permanent)`
    pub async fn respond_redirect(
        &mut self,
        url: impl Into<Cow<'static, str>>,
        permanent: bool,
    ) -> Result<()> {
        if self.is_handled() {
            return Err(ResponseAlreadySent.into());
        }
        self.response.header(HttpHeaders::LOCATION, url)?;
        let status = if permanent {
            HttpStatusCode::MOVED_PERMANENTLY
        } else {
            HttpStatusCode::FOUND
        };
        self.respond_status(status).await
    }

    /// Commits ready content, its `Content-Type` set unless the handler set one, when the send
    /// pipeline would do nothing else with it; otherwise sets the type alike and gives the
    /// content back for [`respond`](Self::respond). Fails if the call was answered.
    ///
    /// Not an `async fn` awaited in each `respond_*` future: one future, not two nested. They
    /// take the content back with `let ... else`, as a `match` whose arm awaits would keep the
    /// matched value across the await (24 bytes more in every handler's future). `#[inline]`:
    /// they are compiled in the application's crate, where a call costs as much as this work.
    #[inline]
    fn commit_if_plain(
        &mut self,
        content: OutgoingContent,
        content_type: ContentType,
    ) -> Result<Option<OutgoingContent>> {
        // A send pipeline with only its defaults would change nothing: rendered stays rendered.
        let plain = self.send_pipeline.is_none()
            && self.trace.is_none()
            && self.application.send_pipeline().commits_content_as_is();
        if plain {
            return self.response.commit(Some(content_type), content).map(|()| None); // fails if answered
        }
        if self.is_handled() {
            return Err(ResponseAlreadySent.into());
        }
        self.response.default_content_type(content_type);
        Ok(Some(content))
    }
}

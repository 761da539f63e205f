//! `ApplicationCall`: one request and its response, travelling through the pipelines together.
//!
//! The engine creates a call for every request it parses, runs it through the application's
//! call pipeline, then writes whatever the call's response became. Everything a handler or an
//! interceptor does, it does to the call: read the request, receive the body, set headers,
//! respond.
//!
//! ```text
//! engine ──► ApplicationCall { application, request, response } ──► Application::execute
//!   ▲                                                                   │ Setup … Call … Fallback
//!   └──────────── writes call.response (status, headers, body) ◄───────┘
//! ```
//!
//! The `respond_*` methods are `async` although, in this first form, they only commit the
//! response for the engine to write: in Ktor `respond` runs the send pipeline, which may suspend,
//! and keeping the signature now means handlers will not change when it does here.
//!
//! Ktor: `io.ktor.server.application.ApplicationCall` (and `PipelineCall`)

use std::borrow::Cow;
use std::cell::OnceCell;
use std::sync::Arc;

use super::request::ApplicationRequest;
use super::response::{ApplicationResponse, OutgoingContent, text_bytes};
use super::stream::BodyWriter;
use super::{Application, HttpError};
use crate::Result;
use crate::http::{self, ContentType, HttpHeaders, HttpStatusCode, Parameters};
use crate::routing::{CallParameters, RoutingFailure};

/// A request being answered: the application serving it, the request, and the response.
///
/// Ktor: `io.ktor.server.application.ApplicationCall`
pub struct ApplicationCall {
    application: Arc<Application>,
    request: ApplicationRequest,
    response: ApplicationResponse,
    /// Why routing found no route: 404, 405 when only the method was wrong (with the methods
    /// that would do), 400 for a missing header or query parameter. Set by routing in `CALL`,
    /// taken by the fallback. Ktor keeps the status in the call attribute
    /// `RoutingFailureStatusCode`.
    pub(crate) routing_failure: Option<RoutingFailure>,
    /// What routing captured on the way to the chosen route (`{id}`, ...); empty before routing
    /// or when no route matched.
    path_parameters: CallParameters,
    /// The query parameters, then the path parameters they lack; built on first use and built
    /// again after routing sets the path parameters.
    parameters: OnceCell<CallParameters>,
    /// Set by the interceptor `Application::ignore_trailing_slash` installs; read by routing.
    /// Ktor: `ApplicationCall.ignoreTrailingSlash`
    pub(crate) ignore_trailing_slash: bool,
}

impl ApplicationCall {
    /// A call for `request`, to be served by `application`.
    pub fn new(application: Arc<Application>, request: ApplicationRequest) -> ApplicationCall {
        ApplicationCall {
            application,
            request,
            response: ApplicationResponse::default(),
            routing_failure: None,
            path_parameters: CallParameters::default(),
            parameters: OnceCell::new(),
            ignore_trailing_slash: false,
        }
    }

    /// The application serving this call.
    ///
    /// Ktor: `ApplicationCall.application`
    pub fn application(&self) -> &Arc<Application> {
        &self.application
    }

    /// The request.
    ///
    /// Ktor: `ApplicationCall.request`
    pub fn request(&self) -> &ApplicationRequest {
        &self.request
    }

    /// The response being prepared: set its status and headers here.
    ///
    /// Ktor: `ApplicationCall.response`
    pub fn response(&mut self) -> &mut ApplicationResponse {
        &mut self.response
    }

    /// The parameters of the call: the query parameters first, then each path parameter value
    /// the query does not already have under that name (Ktor's order, see
    /// [`CallParameters`]). `get_as` parses one or answers 400.
    ///
    /// Ktor: `RoutingCall.parameters`
    pub fn parameters(&self) -> &CallParameters {
        self.parameters.get_or_init(|| {
            CallParameters::query_then_path(self.request.query_parameters(), &self.path_parameters)
        })
    }

    /// Only the parameters routing captured from the path (and from `param(name)` selectors).
    ///
    /// Ktor: `RoutingCall.pathParameters`
    pub fn path_parameters(&self) -> &CallParameters {
        &self.path_parameters
    }

    /// Sets what routing captured, before the chosen route's pipeline runs.
    pub(crate) fn set_path_parameters(&mut self, parameters: Parameters) {
        self.path_parameters = CallParameters::new(parameters);
        self.parameters = OnceCell::new();
    }

    /// Whether the call has been answered (its response is committed). Handlers and plugins
    /// check it so that a response given early stops the rest, without `finish`.
    ///
    /// Ktor: `ApplicationCall.isHandled`
    pub fn is_handled(&self) -> bool {
        self.response.is_committed()
    }

    /// Answers with `text` as `text/plain; charset=UTF-8` (or the `Content-Type` the handler
    /// already set). A `&'static str` is sent without being copied.
    ///
    /// Ktor: `ApplicationCall.respondText(text)`
    pub async fn respond_text(&mut self, text: impl Into<Cow<'static, str>>) -> Result<()> {
        self.respond_text_with(text, ContentType::TEXT_PLAIN_UTF8).await
    }

    /// Answers with `text` as `content_type`, exactly as given.
    ///
    /// Ktor: `ApplicationCall.respondText(text, contentType)`
    pub async fn respond_text_with(
        &mut self,
        text: impl Into<Cow<'static, str>>,
        content_type: ContentType,
    ) -> Result<()> {
        let body = OutgoingContent::Bytes(text_bytes(text.into()));
        self.response.commit(None, Some(&content_type), body)
    }

    /// Answers with raw bytes as `content_type`.
    ///
    /// Ktor: `ApplicationCall.respondBytes(bytes, contentType)`
    pub async fn respond_bytes(
        &mut self,
        bytes: impl Into<Cow<'static, [u8]>>,
        content_type: ContentType,
    ) -> Result<()> {
        let body = OutgoingContent::Bytes(bytes.into());
        self.response.commit(None, Some(&content_type), body)
    }

    /// Answers with `status` and an empty body.
    ///
    /// Ktor: `ApplicationCall.respond(HttpStatusCode)`
    pub async fn respond_status(&mut self, status: HttpStatusCode) -> Result<()> {
        self.response
            .commit(Some(status), None, OutgoingContent::NoContent)
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
        let body = OutgoingContent::Stream(Box::new(producer));
        self.response.commit(None, Some(&content_type), body)
    }

    /// Answers with `302 Found` (or `301 Moved Permanently`) and a `Location` header.
    ///
    /// Ktor: `ApplicationCall.respondRedirect(url, permanent)`
    pub async fn respond_redirect(&mut self, url: &str, permanent: bool) -> Result<()> {
        self.response.header(HttpHeaders::LOCATION, url)?;
        let status = if permanent {
            HttpStatusCode::MOVED_PERMANENTLY
        } else {
            HttpStatusCode::FOUND
        };
        self.respond_status(status).await
    }

    /// Takes the request body as bytes. A second receive is an error.
    ///
    /// Ktor: `ApplicationCall.receive<ByteArray>()`
    pub async fn receive_bytes(&mut self) -> Result<Vec<u8>> {
        self.request.take_body().await
    }

    /// Takes the request body as UTF-8 text; a body that is not UTF-8 is a `400 Bad Request`.
    ///
    /// Ktor: `ApplicationCall.receiveText()`
    pub async fn receive_text(&mut self) -> Result<String> {
        let bytes = self.request.take_body().await?;
        String::from_utf8(bytes).map_err(|_| HttpError::bad_request("request body is not valid UTF-8").into())
    }

    /// Takes an HTML form's body (`application/x-www-form-urlencoded`) as decoded parameters.
    /// Another content type is a `415 Unsupported Media Type`.
    ///
    /// Ktor: `ApplicationCall.receiveParameters()`
    pub async fn receive_parameters(&mut self) -> Result<Parameters> {
        let content_type = self.request.header(HttpHeaders::CONTENT_TYPE).unwrap_or_default();
        let media_type = ContentType::new(content_type.to_string());
        if !media_type
            .media_type()
            .eq_ignore_ascii_case(ContentType::FORM_URL_ENCODED.as_str())
        {
            let message = format!("expected a form body, got Content-Type {content_type:?}");
            return Err(HttpError::new(HttpStatusCode::UNSUPPORTED_MEDIA_TYPE, message).into());
        }
        let text = self.receive_text().await?;
        Ok(http::parse_query(&text))
    }

    /// Splits the call into its response, for the engine to write once the pipeline is done.
    pub(crate) fn into_response(self) -> ApplicationResponse {
        self.response
    }
}

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
//! The `respond_*` methods are awaited, though most only commit the response for the engine to
//! write: as in Ktor, [`respond`](ApplicationCall::respond) may run the send pipeline, and wait.
//!
//! Ktor: `io.ktor.server.application.ApplicationCall` (and `PipelineCall`)

use std::any::{Any, TypeId, type_name};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

use super::request::ApplicationRequest;
use super::response::{ApplicationResponse, OutgoingContent, text_bytes};
use super::stream::BodyWriter;
use super::{
    Application, ApplicationReceivePipeline, ApplicationSendPipeline, HttpError, ReceiveSubject,
    ResponseAlreadySent, ResponseMessage,
};
use crate::Result;
use crate::http::{ContentType, HttpHeaders, HttpStatusCode, Parameters};
use crate::pipeline::PipelineTrace;
use crate::routing::{CallParameters, RoutingFailure};
use crate::util::Attributes;

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
    /// Set by the `IgnoreTrailingSlash` plugin; read by routing.
    /// Ktor: `ApplicationCall.ignoreTrailingSlash`
    pub(crate) ignore_trailing_slash: bool,
    /// Data that plugins and handlers attach to this call; empty (and unallocated) until used.
    attributes: Attributes,
    /// The type the current `receive` asked for.
    receive_type: Option<TypeId>,
    /// This call's own send pipeline, once something intercepted it; until then the
    /// application's is used, so a call that changes nothing copies nothing.
    send_pipeline: Option<Box<ApplicationSendPipeline>>,
    /// This call's own receive pipeline, likewise.
    receive_pipeline: Option<Box<ApplicationReceivePipeline>>,
    /// The trace of every pipeline run for this call, when tracing is on.
    trace: Option<Rc<PipelineTrace>>,
}

impl ApplicationCall {
    /// A call for `request`, to be served by `application`.
    ///
    /// Ktor: an engine's call class, e.g. `CIOApplicationCall` or `TestApplicationCall`
    pub fn new(application: Arc<Application>, request: ApplicationRequest) -> ApplicationCall {
        ApplicationCall {
            application,
            request,
            response: ApplicationResponse::default(),
            routing_failure: None,
            path_parameters: CallParameters::default(),
            parameters: OnceCell::new(),
            ignore_trailing_slash: false,
            attributes: Attributes::new(),
            receive_type: None,
            send_pipeline: None,
            receive_pipeline: None,
            trace: None,
        }
    }

    /// Starts recording this call's pipeline trace.
    pub(crate) fn start_trace(&mut self) {
        self.trace = Some(Rc::new(PipelineTrace::new()));
    }

    /// The call's pipeline trace, if it is traced.
    ///
    /// Ktor: none; Ktor has no pipeline trace (see `pipeline/trace.rs`)
    pub fn trace(&self) -> Option<Rc<PipelineTrace>> {
        self.trace.clone()
    }

    /// The application serving this call.
    ///
    /// Ktor: `ApplicationCall.application`
    pub fn application(&self) -> &Arc<Application> {
        &self.application
    }

    /// This call's attributes: typed data that plugins and handlers attach to it.
    ///
    /// Ktor: `ApplicationCall.attributes`
    pub fn attributes(&self) -> &Attributes {
        &self.attributes
    }

    /// This call's attributes, to put or take values.
    ///
    /// Ktor: `ApplicationCall.attributes`
    pub fn attributes_mut(&mut self) -> &mut Attributes {
        &mut self.attributes
    }

    /// The request.
    ///
    /// Ktor: `ApplicationCall.request`
    pub fn request(&self) -> &ApplicationRequest {
        &self.request
    }

    /// The request, to change what the rest of the pipeline sees (its method, say).
    ///
    /// Ktor: none; Ktor's request is read-only, and AutoHeadResponse changes the method through
    /// `call.mutableOriginConnectionPoint`
    pub fn request_mut(&mut self) -> &mut ApplicationRequest {
        &mut self.request
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

    /// Takes the request body as UTF-8 text; a body that is not UTF-8 is a `400 Bad Request`.
    ///
    /// Ktor: `ApplicationCall.receiveText()`
    pub async fn receive_text(&mut self) -> Result<String> {
        self.receive().await
    }

    /// Takes an HTML form's body (`application/x-www-form-urlencoded`) as decoded parameters.
    /// Another content type is a `415 Unsupported Media Type`.
    ///
    /// Ktor: `ApplicationCall.receiveParameters()`
    pub async fn receive_parameters(&mut self) -> Result<Parameters> {
        self.receive().await
    }

    /// This call's own copy of the send pipeline, made on first use: what is intercepted here
    /// applies to this call only.
    ///
    /// Ktor: `ApplicationResponse.pipeline`
    pub fn send_pipeline_mut(&mut self) -> &mut ApplicationSendPipeline {
        let application = &self.application;
        self.send_pipeline
            .get_or_insert_with(|| Box::new(application.send_pipeline().clone()))
    }

    /// This call's own copy of the receive pipeline, made on first use.
    ///
    /// Ktor: `ApplicationRequest.pipeline`
    pub fn receive_pipeline_mut(&mut self) -> &mut ApplicationReceivePipeline {
        let application = &self.application;
        self.receive_pipeline
            .get_or_insert_with(|| Box::new(application.receive_pipeline().clone()))
    }

    /// Splits the call into its request and its response, for the engine to write the response
    /// and reuse the request's storage.
    pub(crate) fn into_parts(self) -> (ApplicationRequest, ApplicationResponse) {
        (self.request, self.response)
    }

    /// Empties this answered call for the next request on its connection, keeping its box and
    /// the capacity of its request's target and headers and of its response's headers (see
    /// `engine/storage.rs`). Whatever the handler attached to the call (attributes, a pipeline
    /// copy, the body) is dropped now, not when the connection next gets a request.
    ///
    /// Every field is named below, so a field added to the call cannot be forgotten here: it
    /// would not compile. Ktor allocates a call per request and lets the JVM's young
    /// generation make that cheap; an allocation and copying a call of some 600 bytes around
    /// are not as cheap, and were about a tenth of a small request's cost.
    pub(crate) fn recycle(&mut self) {
        let ApplicationCall {
            application: _, // the same application serves every call of a connection
            request,
            response,
            routing_failure,
            path_parameters,
            parameters,
            ignore_trailing_slash,
            attributes,
            receive_type,
            send_pipeline,
            receive_pipeline,
            trace,
        } = self;
        request.recycle();
        response.recycle();
        *routing_failure = None;
        *path_parameters = CallParameters::default();
        *parameters = OnceCell::new();
        *ignore_trailing_slash = false;
        attributes.clear();
        *receive_type = None;
        *send_pipeline = None;
        *receive_pipeline = None;
        *trace = None;
    }
}

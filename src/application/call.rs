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

use std::any::TypeId;
use std::cell::OnceCell;
use std::rc::Rc;
use std::sync::Arc;

mod receive;
mod respond;

use super::request::ApplicationRequest;
use super::response::ApplicationResponse;
use super::{Application, ApplicationReceivePipeline, ApplicationSendPipeline};
use crate::http::Parameters;
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
    /// generation make that cheap. Here an allocation, and copying a call of some 600 bytes
    /// around, would cost about 325 instructions per request (callgrind, pipelined requests:
    /// 5,160 instructions each that way, 4,835 with the call kept and emptied).
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
        // Two fields nearly every call leaves empty are tested first: assigning drops the old
        // value, which here is a loop over the parameters and a capacity check, and for the
        // receive pipeline a call the compiler keeps out of line; assigning without the tests
        // costs 16 instructions per request more (callgrind, pipelined `hello`).
        if !path_parameters.is_empty() {
            *path_parameters = CallParameters::default();
        }
        *parameters = OnceCell::new();
        *ignore_trailing_slash = false;
        attributes.clear();
        *receive_type = None;
        *send_pipeline = None;
        if receive_pipeline.is_some() {
            *receive_pipeline = None;
        }
        *trace = None;
    }
}

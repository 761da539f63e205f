//! The test engine: an application served in memory, with no socket and no thread.
//!
//! A test builds the application from the same module functions `main` uses, then sends it
//! requests through a [`TestClient`]:
//!
//! ```
//! use mini_ktor::prelude::*;
//! use mini_ktor::testing::test_application;
//!
//! fn module(app: &mut Application) {
//!     app.routing(|route| {
//!         route.get("/", async |call| call.respond_text("Hello World!").await);
//!     });
//! }
//!
//! let client = test_application(module);
//! let response = client.get("/");
//! assert_eq!(response.status(), HttpStatusCode::OK);
//! assert_eq!(response.text(), "Hello World!");
//! assert_eq!(client.get("/missing").status(), HttpStatusCode::NOT_FOUND);
//! ```
//!
//! Each request becomes an `ApplicationRequest` directly (nothing is parsed) and goes through
//! [`respond_to`], the application's pipeline that the network engines run too (they call
//! `respond`, the same code, with the call they keep per connection). Its response is handed
//! back whole, with the wire's rules applied: no body for HEAD, 1xx, 204 and 304, a streamed
//! body collected. So what a test sees is what a real client would see, minus the wire: a
//! handler's error or panic arrives as its 500 response, not as a panic in the test.
//!
//! What the wire adds is not here: the parser's checks and limits (a body over the engine's
//! 1 MiB is a 413 on the network, not in a test), `Date`, `Content-Length` and `Connection`
//! (the writer adds them), and the engine's closing of the connection. A streamed body's
//! producer that panics panics the test; on the wire it ends the connection.
//!
//! Ktor's `testApplication { client.get("/") }` suspends; Rust tests are plain functions, so
//! each request here runs to completion on the calling thread with
//! [`block_on`], which also gives handlers timers and `spawn`.
//!
//! The client keeps the cookies responses set and sends them back, as a browser would, so a
//! test can log in and then use the session.
//!
//! Ktor: `io.ktor.server.testing.testApplication` and `TestApplicationEngine`

use std::cell::RefCell;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;

use crate::application::{Application, ApplicationRequest, BodyWriter, OutgoingContent};
use crate::engine::pipeline::respond_to;
use crate::http::{Headers, HttpHeaders, HttpMethod, HttpStatusCode, HttpVersion};
use crate::runtime::block_on;

/// Builds the application `module` describes and returns a client for it.
///
/// Ktor: `testApplication { application { module() } }`
pub fn test_application(module: impl FnOnce(&mut Application)) -> TestClient {
    TestClient {
        application: Application::from_module(module),
        cookies: RefCell::new(Vec::new()),
    }
}

/// Sends requests to an in-memory application.
///
/// Ktor: the `client` of `testApplication`
pub struct TestClient {
    application: Arc<Application>,
    /// The cookie jar: what `Set-Cookie` headers stored, sent back as `Cookie` on every request
    /// (one host, so no domain or path matching).
    cookies: RefCell<Vec<(String, String)>>,
}

impl TestClient {
    /// `GET uri`.
    ///
    /// Ktor: `client.get(uri)`
    pub fn get(&self, uri: &str) -> TestResponse {
        self.request(HttpMethod::Get, uri).send()
    }

    /// `POST uri` with `body`.
    ///
    /// Ktor: `client.post(uri) { setBody(body) }`
    pub fn post(&self, uri: &str, body: impl Into<Vec<u8>>) -> TestResponse {
        self.request(HttpMethod::Post, uri).body(body).send()
    }

    /// `PUT uri` with `body`.
    ///
    /// Ktor: `client.put(uri) { setBody(body) }`
    pub fn put(&self, uri: &str, body: impl Into<Vec<u8>>) -> TestResponse {
        self.request(HttpMethod::Put, uri).body(body).send()
    }

    /// `PATCH uri` with `body`.
    ///
    /// Ktor: `client.patch(uri) { setBody(body) }`
    pub fn patch(&self, uri: &str, body: impl Into<Vec<u8>>) -> TestResponse {
        self.request(HttpMethod::Patch, uri).body(body).send()
    }

    /// `DELETE uri`.
    ///
    /// Ktor: `client.delete(uri)`
    pub fn delete(&self, uri: &str) -> TestResponse {
        self.request(HttpMethod::Delete, uri).send()
    }

    /// The cookies the client holds, as `(name, value)`.
    ///
    /// Ktor: the test client's `HttpCookies` storage
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.cookies.borrow().clone()
    }

    /// Stores the cookies a response set; an expired one (`Max-Age=0` or less) is removed.
    fn store_cookies(&self, headers: &Headers) {
        let mut jar = self.cookies.borrow_mut();
        for set_cookie in headers.get_all(HttpHeaders::SET_COOKIE) {
            let mut parts = set_cookie.split(';');
            let Some((name, value)) = parts.next().and_then(|pair| pair.split_once('=')) else {
                continue;
            };
            let (name, value) = (name.trim(), value.trim());
            let expired = parts.any(|attribute| {
                let (key, rest) = attribute.split_once('=').unwrap_or((attribute, ""));
                key.trim().eq_ignore_ascii_case("max-age")
                    && rest.trim().parse::<i64>().is_ok_and(|age| age <= 0)
            });
            jar.retain(|(held, _)| held != name);
            if !expired {
                jar.push((name.to_string(), value.to_string()));
            }
        }
    }

    /// A request with any method, to complete with headers and a body before [`send`](TestRequest::send).
    ///
    /// Ktor: `client.request(uri) { method = ... }`
    pub fn request(&self, method: HttpMethod, uri: &str) -> TestRequest<'_> {
        TestRequest {
            client: self,
            method,
            uri: uri.to_string(),
            headers: Headers::new(),
            body: Vec::new(),
        }
    }

    /// The application under test.
    ///
    /// Ktor: the `application` of `testApplication`
    pub fn application(&self) -> &Arc<Application> {
        &self.application
    }
}

/// A request being built; [`send`](Self::send) runs it.
///
/// Ktor: `HttpRequestBuilder` of the test client
pub struct TestRequest<'c> {
    client: &'c TestClient,
    method: HttpMethod,
    uri: String,
    headers: Headers,
    body: Vec<u8>,
}

impl TestRequest<'_> {
    /// Adds a request header.
    ///
    /// Ktor: `header(name, value)` in the request builder
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.append(name.to_string(), value.to_string());
        self
    }

    /// Sets the request body (and its `Content-Length`).
    ///
    /// Ktor: `setBody(body)` in the request builder
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Runs the request through the application and returns its response.
    ///
    /// # Panics
    ///
    /// If the URI's path has a broken escape (`%zz`, a lone `%`), which a test would not mean
    /// (escapes that are not UTF-8 are decoded lossily, as on the wire).
    ///
    /// Ktor: executing the request builder (`client.request { }`)
    pub fn send(mut self) -> TestResponse {
        // What a real client adds: the Host header, and the body's length.
        if !self.headers.contains(HttpHeaders::HOST) {
            self.headers.append(HttpHeaders::HOST, "localhost");
        }
        let jar = self.client.cookies.borrow();
        if !jar.is_empty() && !self.headers.contains(HttpHeaders::COOKIE) {
            let pairs: Vec<String> = jar
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            self.headers.append(HttpHeaders::COOKIE, pairs.join("; "));
        }
        drop(jar);
        if !self.body.is_empty() && !self.headers.contains(HttpHeaders::CONTENT_LENGTH) {
            self.headers
                .append(HttpHeaders::CONTENT_LENGTH, self.body.len().to_string());
        }
        let is_head = self.method == HttpMethod::Head;
        let request = ApplicationRequest::new(
            self.method,
            self.uri,
            HttpVersion::Http11,
            self.headers,
            self.body,
            SocketAddr::from((Ipv4Addr::LOCALHOST, 80)),
            SocketAddr::from((Ipv4Addr::LOCALHOST, 50000)),
        )
        .unwrap_or_else(|error| panic!("invalid test request: {error}"));
        // One `block_on` for the call and its streamed body, as one connection task serves
        // both on the wire: what the handler spawned or armed is still there for the producer.
        let (status, headers, body) = block_on(async {
            let mut response = respond_to(&self.client.application, request).await;
            let (status, content) = response.take_content();
            let headers = std::mem::take(response.headers_mut());
            // As on the wire: a HEAD response has no body, nor do 204 and 304, whatever the
            // handler gave them (and `take_content` already emptied a 205 and turned a 1xx, or a
            // code outside 100-599, into a 500).
            let body = match content {
                _ if is_head || status.forbids_body() => Vec::new(),
                OutgoingContent::NoContent => Vec::new(),
                OutgoingContent::Bytes(bytes) => bytes.into_owned(),
                // A streamed body is collected whole; a producer that fails ends it early, as
                // the connection would end on the wire.
                OutgoingContent::Stream(producer) => {
                    let mut collected = Vec::new();
                    let _ = producer.write_to(&mut BodyWriter::new(&mut collected)).await;
                    collected
                }
            };
            (status, headers, body)
        });
        self.client.store_cookies(&headers);
        TestResponse {
            status,
            headers,
            body,
        }
    }
}

/// A response from the application under test.
///
/// Ktor: `HttpResponse` of the test client
#[derive(Debug)]
pub struct TestResponse {
    status: HttpStatusCode,
    headers: Headers,
    body: Vec<u8>,
}

impl TestResponse {
    /// The status.
    ///
    /// Ktor: `HttpResponse.status`
    pub fn status(&self) -> HttpStatusCode {
        self.status
    }

    /// The headers the application set (the engine adds `Date`, `Content-Length` and
    /// `Connection` on the wire; they are not here).
    ///
    /// Ktor: `HttpResponse.headers`
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The first value of header `name`.
    ///
    /// Ktor: `HttpResponse.headers[name]`
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name)
    }

    /// The body as text (invalid UTF-8 replaced).
    ///
    /// Ktor: `HttpResponse.bodyAsText()`
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body's bytes.
    ///
    /// Ktor: `HttpResponse.bodyAsBytes()`
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }
}

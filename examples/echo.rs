//! Echo: every request, whatever its method and path, is answered with a copy of itself.
//!
//! ```sh
//! cargo run --example echo
//! curl -i -d 'hi' http://127.0.0.1:8080/any/path?x=1
//! curl -i -X PURGE http://127.0.0.1:8080/cache -H 'X-Reason: stale'
//! ```
//!
//! The answer is `200`, `text/plain`: the request line as `{METHOD} {target}`, then one
//! `{name}: {value}` line per header in the order received (names lowercased), an empty line,
//! and the body (already de-chunked by the engine).
//!
//! There are no routes here, because routing matches exact paths. Instead one interceptor in
//! the `Call` phase answers every call itself: an interceptor is not only for code around a
//! handler, it can be the handler. Once it has responded the call is handled, so the fallback
//! that would answer 404 leaves it alone.
//!
//! `PORT` and `WORKERS` override the port and the number of worker threads.

use mini_ktor::prelude::*;

fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, module) // the engine, the port, the module
        .configure_from_env() // PORT and WORKERS, when set, win
        .start(true) // serve, and wait until the server stops
}

/// The application: one interceptor that answers every call.
///
/// Ktor: an application module, `fun Application.module()`
pub fn module(app: &mut Application) {
    app.intercept(ApplicationCallPipeline::CALL, async |ctx| {
        let call = ctx.call();
        let body = call.receive_bytes().await?; // taken once: the call owns it until then
        let request = call.request();
        // A HEAD is answered with the head a GET would get (RFC 9110 §9.3.2), and its
        // `Content-Length` must be that of GET's body (§8.6): the body, never sent, is GET's.
        let method = match request.method() {
            HttpMethod::Head => "GET",
            method => method.as_str(),
        };
        let target = request.uri(); // exactly as received, query and all

        // Size the answer up front: one allocation, however many headers there are.
        let head_size: usize = request.headers().iter().map(|(n, v)| n.len() + v.len() + 3).sum();
        let mut echo = Vec::with_capacity(method.len() + target.len() + head_size + 3 + body.len());

        echo.extend_from_slice(method.as_bytes());
        echo.push(b' ');
        echo.extend_from_slice(target.as_bytes());
        echo.push(b'\n');
        for (name, value) in request.headers().iter() {
            // Names are case-insensitive; lowercase shows them the way HTTP/2 would.
            echo.extend(name.bytes().map(|b| b.to_ascii_lowercase()));
            echo.extend_from_slice(b": ");
            echo.extend_from_slice(value.as_bytes());
            echo.push(b'\n');
        }
        echo.push(b'\n');
        echo.extend_from_slice(&body);

        // Exactly `text/plain`: the body is the client's bytes, not necessarily UTF-8.
        call.respond_bytes(echo, ContentType::TEXT_PLAIN).await
    });
}

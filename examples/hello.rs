//! Hello World: the first example of Ktor's documentation, line for line.
//!
//! ```sh
//! cargo run --example hello
//! curl http://127.0.0.1:8080/            # Hello World!
//! curl -i http://127.0.0.1:8080/plaintext  # Hello, World! as text/plain
//! ```
//!
//! `PORT` and `WORKERS` override the port and the number of worker threads. `/plaintext` is
//! the TechEmpower plaintext test, which the benchmarks use.

use mini_ktor::prelude::*;

// ANCHOR: hello
fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, module) // the engine, the port, the module
        .configure_from_env() // PORT and WORKERS, when set, win
        .start(true) // serve, and wait until the server stops
}

/// The application: two routes.
///
/// Ktor: an application module, `fun Application.module()`
pub fn module(app: &mut Application) {
    app.routing(|route| {
        route.get("/", async |call| call.respond_text("Hello World!").await);
        route.get("/plaintext", async |call| {
            let text = "Hello, World!"; // the TechEmpower plaintext test
            call.respond_text_with(text, ContentType::TEXT_PLAIN).await
        });
    });
}
// ANCHOR_END: hello

//! Modules: an application assembled from several functions, as in Ktor's "Modules" page.
//!
//! ```sh
//! cargo run --example modules
//! curl http://127.0.0.1:8080/        # Hello Visitor!
//! curl http://127.0.0.1:8080/login   # Please Login!
//! ```
//!
//! Each module is a plain function over the application. `main` decides which ones make up
//! the server; a test can load just one of them.

use mini_ktor::prelude::*;

// ANCHOR: modules
fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, |app| {
        landing(app);
        login(app);
    })
    .configure_from_env()
    .start(true)
}

/// The landing page.
///
/// Ktor: an application module, `fun Application.landing()`
pub fn landing(app: &mut Application) {
    app.routing(|route| {
        route.get("/", async |call| call.respond_text("Hello Visitor!").await);
    });
}

/// The login page; its routes join the same route tree as `landing`'s.
///
/// Ktor: a second module, `fun Application.login()`
pub fn login(app: &mut Application) {
    app.routing(|route| {
        route.get("/login", async |call| call.respond_text("Please Login!").await);
    });
}
// ANCHOR_END: modules

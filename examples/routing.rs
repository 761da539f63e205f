//! Routing: Ktor's route tree with parameters, optional, wildcard and tailcard segments, nested
//! routes, a route-scoped guard, and the resolution trace of every request on stderr.
//!
//! ```sh
//! cargo run --example routing
//! curl http://127.0.0.1:8080/users/42                 # user 42
//! curl http://127.0.0.1:8080/users/me                 # you (a constant beats {id})
//! curl http://127.0.0.1:8080/users/x                  # 400: parameter id: expected u64, got "x"
//! curl -i -X DELETE http://127.0.0.1:8080/users       # 405, Allow: GET, POST
//! curl http://127.0.0.1:8080/reports                  # report for every year
//! curl http://127.0.0.1:8080/reports/2026             # report for 2026
//! curl http://127.0.0.1:8080/files/docs/guide.txt     # file docs/guide.txt
//! curl http://127.0.0.1:8080/anything/health          # ok (anything)
//! curl -i http://127.0.0.1:8080/admin/stats           # 401: no X-Role header
//! curl -i -H 'X-Role: guest' http://127.0.0.1:8080/admin/stats  # 403
//! curl -H 'X-Role: admin' http://127.0.0.1:8080/admin/stats      # 3 users
//! ```
//!
//! The server prints the trace of each resolution on stderr: every node visited, what its
//! selector said, and which route won. `PORT` and `WORKERS` work as for `hello`.

use mini_ktor::pipeline::PipelineContext;
use mini_ktor::prelude::*;

fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, module)
        .configure_from_env()
        .start(true)
}

// ANCHOR: routing
/// The application: a few routes of each kind.
///
/// Ktor: an application module, `fun Application.module()`
pub fn module(app: &mut Application) {
    app.routing(|route| {
        // Every resolution's trace, on stderr.
        route.trace(|trace| eprintln!("{trace}\n"));

        route.route("/users", |users| {
            users.get("", async |call| call.respond_text("3 users").await);
            users.post("", async |call| {
                call.respond_status(HttpStatusCode::CREATED).await
            });
            users.get("/me", async |call| call.respond_text("you").await); // 1.0: beats {id}
            users.get("/{id}", async |call| {
                let id: u64 = call.parameters().get_as("id")?; // 400 unless a u64
                call.respond_text(format!("user {id}")).await
            });
        });
        route.get("/reports/{year?}", async |call| {
            let text = match call.parameters().get("year") {
                Some(year) => format!("report for {year}"),
                None => "report for every year".to_string(),
            };
            call.respond_text(text).await
        });
        route.get("/files/{path...}", async |call| {
            let path: Vec<&str> = call.parameters().get_all("path").collect();
            let text = format!("file {}", path.join("/"));
            call.respond_text(text).await
        });
        route.get("/*/health", async |call| call.respond_text("ok").await);
        route.route("/admin", |admin| {
            // Runs for the calls routed into /admin's subtree, before their handlers.
            admin.intercept(ApplicationCallPipeline::PLUGINS, admin_guard);
            admin.get("/stats", async |call| call.respond_text("3 users").await);
        });
    });
}

/// Lets only `X-Role: admin` through: 401 without the header, 403 with another role. Answering
/// is enough to stop the route's handler, which checks `is_handled` first.
async fn admin_guard(ctx: &mut PipelineContext<'_, (), ApplicationCall>) -> Result<()> {
    let call = ctx.call();
    match call.request().header("X-Role") {
        Some("admin") => Ok(()),
        Some(_) => call.respond_status(HttpStatusCode::FORBIDDEN).await,
        None => {
            // A 401 names the way to authenticate (RFC 9110 §15.5.2): here, the header.
            call.response().header("WWW-Authenticate", "X-Role")?;
            call.respond_status(HttpStatusCode::UNAUTHORIZED).await
        }
    }
}
// ANCHOR_END: routing

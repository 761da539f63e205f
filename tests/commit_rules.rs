//! How a response is committed (`src/application/response.rs`; Ktor:
//! `io.ktor.server.engine.BaseApplicationResponse`, `commitHeaders`) and what answers a call
//! nobody answered (`respond_unhandled` in `src/application/mod.rs`; Ktor: the `Fallback`
//! interceptor of `io.ktor.server.engine.BaseApplicationEngine`), one named case per rule.

use mini_ktor::prelude::*;
use mini_ktor::testing::{TestResponse, test_application};

/// Serves `GET /` with `handler` and returns the response.
fn answer(handler: impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static) -> TestResponse {
    let client = test_application(move |app| {
        app.routing(|route| {
            route.get("/", handler);
        });
    });
    client.get("/")
}

/// Without a status set anywhere, a response is `200 OK`.
#[test]
fn status_defaults_to_200() {
    assert_eq!(
        answer(async |call| call.respond_text("x").await).status(),
        HttpStatusCode::OK
    );
}

/// A status the handler set before responding is the response's status.
#[test]
fn status_set_on_the_response_is_kept() {
    let response = answer(async |call| {
        call.response().set_status(HttpStatusCode::CREATED);
        call.respond_text("made").await
    });
    assert_eq!(response.status(), HttpStatusCode::CREATED);
    assert_eq!(response.text(), "made");
}

/// Responding with a status is that status and an empty body.
#[test]
fn responding_a_status_sets_it_with_no_body() {
    let response = answer(async |call| call.respond(HttpStatusCode::ACCEPTED).await);
    assert_eq!(response.status(), HttpStatusCode::ACCEPTED);
    assert!(response.bytes().is_empty());
}

/// The content's type is used unless the handler already set `Content-Type`.
#[test]
fn content_type_of_the_handler_wins() {
    let response = answer(async |call| {
        call.response().header("Content-Type", "text/markdown")?;
        call.respond_text("# title").await
    });
    assert_eq!(response.header("Content-Type"), Some("text/markdown"));
}

/// A second commit is the error "Response has already been sent".
#[test]
fn second_commit_is_an_error() {
    let response = answer(async |call| {
        call.respond_text("first").await?;
        call.respond_text("second").await
    });
    // The first response went out; the second respond's error is logged, not sent.
    assert_eq!(response.text(), "first");
}

/// The engine's headers cannot be set by a handler: framing and `Upgrade`.
#[test]
fn engine_headers_are_refused() {
    for name in ["Content-Length", "Transfer-Encoding", "Upgrade"] {
        let response = answer(async move |call| {
            call.response().header(name, "x")?;
            call.respond_text("unreachable").await
        });
        assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR, "{name}");
    }
}

/// A call nobody answered gets 404 with an empty body.
#[test]
fn unanswered_call_is_404_with_no_body() {
    let client = test_application(|_app| {});
    let response = client.get("/anything");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert!(response.bytes().is_empty());
}

/// A call whose handler only set a status gets that status, with no body.
#[test]
fn status_without_a_response_is_sent_by_the_fallback() {
    let response = answer(async |call| {
        call.response().set_status(HttpStatusCode::NO_CONTENT);
        Ok(())
    });
    assert_eq!(response.status(), HttpStatusCode::NO_CONTENT);
    assert!(response.bytes().is_empty());
}

/// A status set by an interceptor of the application (outside routing) is sent by the fallback.
#[test]
fn status_set_by_an_interceptor_is_sent_by_the_fallback() {
    let client = test_application(|app| {
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            ctx.call().response().set_status(HttpStatusCode::from_value(418));
            Ok(())
        });
    });
    assert_eq!(client.get("/").status().value, 418);
}

/// The status routing recorded (here 405, only the method was wrong) is what the fallback sends.
#[test]
fn routing_failure_is_sent_by_the_fallback() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/item", async |call| call.respond_text("item").await);
        });
    });
    let response = client.post("/item", "");
    assert_eq!(response.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("Allow"), Some("GET"));
}

/// Once committed, a response is what the client gets: a status set afterwards changes
/// nothing, and a header added afterwards is an error (in Ktor both are on their way to the
/// client by then).
#[test]
fn a_committed_response_no_longer_changes() {
    let response = answer(async |call| {
        call.respond_text("ok").await?;
        call.response().set_status(HttpStatusCode::CONFLICT);
        assert_eq!(call.response().status(), None, "the status stays the default");
        let late = call.response().header("X-Late", "1");
        assert!(late.is_err(), "a header after the commit is refused");
        Ok(())
    });
    assert_eq!(response.status(), HttpStatusCode::OK);
    assert_eq!(response.text(), "ok");
    assert_eq!(response.header("X-Late"), None);
}

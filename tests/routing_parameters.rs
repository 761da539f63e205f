//! Parameters as handlers see them: path parameters, the merged view in Ktor's order, and typed
//! access with a 400 that names the parameter.

use mini_ktor::prelude::*;
use mini_ktor::testing::{TestClient, test_application};

fn users_application() -> TestClient {
    test_application(|app| {
        app.routing(|route| {
            route.get("/users/{id}", async |call| {
                let all: Vec<&str> = call.parameters().get_all("id").collect();
                let text = format!(
                    "path={:?} parameters={:?} all={all:?} tab={:?}",
                    call.path_parameters().get("id"),
                    call.parameters().get("id"),
                    call.parameters().get("tab"),
                );
                call.respond_text(text).await
            });
            route.get("/orders/{id}", async |call| {
                let id: u64 = call.parameters().get_as("id")?;
                call.respond_text(format!("order {id}")).await
            });
            route.get("/search", async |call| {
                let page: u32 = call.parameters().get_as("page")?;
                call.respond_text(format!("page {page}")).await
            });
        });
    })
}

/// `path_parameters` holds only what routing captured.
#[test]
fn path_parameters_hold_the_captures() {
    let client = users_application();
    let text = client.get("/users/7?tab=posts").text();
    assert!(text.starts_with(r#"path=Some("7") "#), "{text}");
}

/// `parameters` puts the query first, then the path values it lacks: `get` gives the query's.
#[test]
fn parameters_are_query_first_then_path() {
    let client = users_application();
    assert_eq!(
        client.get("/users/7?id=9&tab=posts").text(),
        r#"path=Some("7") parameters=Some("9") all=["9", "7"] tab=Some("posts")"#
    );
    assert_eq!(
        client.get("/users/7").text(),
        r#"path=Some("7") parameters=Some("7") all=["7"] tab=None"#
    );
}

/// `get_as` parses a parameter into the type asked for.
#[test]
fn get_as_parses() {
    let client = users_application();
    assert_eq!(client.get("/orders/42").text(), "order 42");
    assert_eq!(client.get("/search?page=3").text(), "page 3");
}

/// A missing parameter is a 400 saying which.
#[test]
fn get_as_missing_is_400() {
    let response = users_application().get("/search");
    assert_eq!(response.status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(response.text(), "missing parameter page");
}

/// A value that does not parse is a 400 saying what was expected and what came.
#[test]
fn get_as_malformed_is_400() {
    let response = users_application().get("/orders/latest");
    assert_eq!(response.status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(response.text(), r#"parameter id: expected u64, got "latest""#);
}

/// Before routing, an application interceptor sees the query parameters only.
#[test]
fn parameters_before_routing_are_the_query() {
    let client = test_application(|app| {
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            let seen = format!("{:?}", ctx.call().parameters().get("id"));
            ctx.call().response().header("X-Seen", seen)?;
            Ok(())
        });
        app.routing(|route| {
            route.get("/users/{id}", async |call| {
                let id = call.parameters().get("id").unwrap_or_default().to_string();
                call.respond_text(id).await
            });
        });
    });
    let response = client.get("/users/7");
    assert_eq!(
        (response.header("X-Seen"), response.text()),
        (Some("None"), "7".to_string())
    );
}

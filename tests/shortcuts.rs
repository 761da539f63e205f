//! The shortcuts a call takes when nothing is intercepted answer exactly as the pipelines do.
//!
//! With only the built-in interceptors installed, the application calls routing and the
//! fallback directly, and a route whose merged pipeline holds only its handlers calls them in
//! turn (`Application::execute`, `routing/root.rs`). Each scenario here runs three times: on a
//! bare application (both shortcuts), with an interceptor on the application (no application
//! shortcut), and with an interceptor on the routing root (no route shortcut). The interceptors
//! do nothing but proceed, so all three must give the same status, headers and body.

use mini_ktor::prelude::*;
use mini_ktor::testing::{TestClient, test_application};

/// Where a do-nothing interceptor goes, if anywhere.
#[derive(Clone, Copy, Debug)]
enum Extra {
    None,
    OnApplication,
    OnRoutes,
}

fn client(extra: Extra) -> TestClient {
    test_application(move |app| {
        if let Extra::OnApplication = extra {
            app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| ctx.proceed().await);
        }
        app.routing(|route| {
            if let Extra::OnRoutes = extra {
                route.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| ctx.proceed().await);
            }
            route.get("/text", async |call| call.respond_text("text").await);
            route.get("/users/{id}", async |call| {
                let id = call.parameters().get("id").unwrap_or_default().to_string();
                call.respond_text(id).await
            });
            route.post("/text", async |call| call.respond_text("posted").await);
            // A status without a response: sent by routing after the handlers.
            route.get("/teapot", async |call| {
                call.response()
                    .set_status(HttpStatusCode::new(418, "I'm a teapot"));
                Ok(())
            });
            route.get(
                "/bad",
                async |_call| Err(HttpError::bad_request("no good").into()),
            );
            route.get("/broken", async |_call| Err("it broke".into()));
            // Two handlers on one route: the second runs only if the first did not answer.
            route.route("/twice", |twice| {
                let get = twice.method_route(HttpMethod::Get);
                get.handle(async |call| {
                    if call.request().query_string() == "first" {
                        call.respond_text("first").await?;
                    }
                    Ok(())
                });
                get.handle(async |call| call.respond_text("second").await);
            });
        });
    })
}

/// Status, headers other than `Date`, and body: what must not differ.
fn outcome(client: &TestClient, method: HttpMethod, uri: &str) -> (u16, Vec<(String, String)>, String) {
    let response = client.request(method, uri).send();
    let headers = response
        .headers()
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("date"))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    (response.status().value, headers, response.text())
}

#[test]
fn shortcuts_answer_as_the_pipelines_do() {
    let requests = [
        (HttpMethod::Get, "/text", 200),
        (HttpMethod::Get, "/users/7", 200),
        (HttpMethod::Post, "/text", 200),
        (HttpMethod::Delete, "/text", 405),
        (HttpMethod::Get, "/nowhere", 404),
        (HttpMethod::Get, "/teapot", 418),
        (HttpMethod::Get, "/bad", 400),
        (HttpMethod::Get, "/broken", 500),
        (HttpMethod::Get, "/twice?first", 200),
        (HttpMethod::Get, "/twice", 200),
    ];
    let clients = [Extra::None, Extra::OnApplication, Extra::OnRoutes].map(|extra| (extra, client(extra)));
    for (method, uri, status) in requests {
        let (_, bare) = &clients[0];
        let expected = outcome(bare, method.clone(), uri);
        assert_eq!(expected.0, status, "{method} {uri}");
        for (extra, other) in &clients[1..] {
            assert_eq!(
                outcome(other, method.clone(), uri),
                expected,
                "{method} {uri} with an interceptor {extra:?}"
            );
        }
    }
    let (_, bare) = &clients[0];
    assert_eq!(outcome(bare, HttpMethod::Get, "/twice?first").2, "first");
    assert_eq!(outcome(bare, HttpMethod::Get, "/twice").2, "second");
    let allow = outcome(bare, HttpMethod::Delete, "/text").1;
    assert!(
        allow.contains(&("Allow".to_string(), "GET, POST".to_string())),
        "{allow:?}"
    );
}

//! When no route matches: 404, 405 (with `Allow`) or 400, following Ktor's rule that a specific
//! status needs the whole path matched through constants. Then the trailing-slash rules.

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// Ktor's `testRoutingErrorStatusCodes` tree.
fn error_status_application(app: &mut Application) {
    app.routing(|route| {
        route.route("header_param_method", |r| {
            r.param("param", |r| {
                r.handle(async |call| call.respond_status(HttpStatusCode::OK).await)
            });
            r.header("header", "value", |r| {
                r.handle(async |call| call.respond_status(HttpStatusCode::OK).await)
            });
            r.get("", async |call| call.respond_status(HttpStatusCode::OK).await);
        });
        route.route("method", |r| {
            r.get("", async |call| call.respond_status(HttpStatusCode::OK).await);
        });
        route.route("header", |r| {
            r.header("header", "value", |r| {
                r.handle(async |call| call.respond_status(HttpStatusCode::OK).await)
            });
        });
        route.route("param", |r| {
            r.param("param", |r| {
                r.handle(async |call| call.respond_status(HttpStatusCode::OK).await)
            });
        });
    });
}

/// A path no route declares is a 404 with an empty body and no `Allow`.
#[test]
fn unknown_path_is_404() {
    let client = test_application(error_status_application);
    let response = client.get("/non_existing_path");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert!(response.bytes().is_empty());
    assert_eq!(response.header("Allow"), None);
}

/// A required query parameter or header that is missing or different, after the whole path
/// matched, is a 400.
#[test]
fn failed_query_parameter_or_header_is_400() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/search", |search| {
                search.param("q", |r| r.handle(async |call| call.respond_text("results").await));
            });
            route.route("/feed", |feed| {
                feed.header("Accept", "application/rss+xml", |r| {
                    r.handle(async |call| call.respond_text("rss").await)
                });
            });
        });
    });
    assert_eq!(client.get("/search?q=ktor").text(), "results");
    assert_eq!(client.get("/search").status(), HttpStatusCode::BAD_REQUEST);
    let feed = |accept: &str| {
        client
            .request(HttpMethod::Get, "/feed")
            .header("Accept", accept)
            .send()
    };
    assert_eq!(feed("application/rss+xml").text(), "rss");
    assert_eq!(feed("text/html").status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(client.get("/feed").status(), HttpStatusCode::BAD_REQUEST);
}

/// A declared path asked with another method is a 405 whose `Allow` lists the methods it answers.
#[test]
fn wrong_method_is_405_with_allow() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/items", async |call| call.respond_text("list").await);
            route.post("/items", async |call| call.respond_text("created").await);
            route.delete("/items/{id}", async |call| call.respond_text("deleted").await);
        });
    });
    let response = client.request(HttpMethod::Put, "/items").send();
    assert_eq!(response.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("Allow"), Some("GET, POST"));
    assert!(response.bytes().is_empty());
}

/// Ktor's status table: 405 for the method, 400 for a missing query parameter or wrong header,
/// 405 again when a node has method, header and param children.
#[test]
fn error_status_codes() {
    let client = test_application(error_status_application);
    assert_eq!(client.get("/method").status(), HttpStatusCode::OK);
    let wrong_method = client.post("/method", "");
    assert_eq!(wrong_method.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong_method.header("Allow"), Some("GET"));
    assert_eq!(client.get("/param?param=123").status(), HttpStatusCode::OK);
    assert_eq!(client.get("/param").status(), HttpStatusCode::BAD_REQUEST);
    let header = |value: &str| {
        client
            .request(HttpMethod::Get, "/header")
            .header("header", value)
            .send()
    };
    assert_eq!(header("value").status(), HttpStatusCode::OK);
    assert_eq!(header("value1").status(), HttpStatusCode::BAD_REQUEST);
    let mixed = client.post("/header_param_method", "");
    assert_eq!(mixed.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(mixed.header("Allow"), Some("GET"));
}

/// A 405 needs the whole path matched: `POST /a` and `GET /` are 405, an unknown path 404
/// (Ktor's `testRoutingSpecificErrorStatusCodeOnlyWhenPathMatched`).
#[test]
fn specific_status_only_when_path_matched() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("a", |a| {
                a.get("", async |call| call.respond_status(HttpStatusCode::OK).await);
            });
            route.post("", async |call| call.respond_status(HttpStatusCode::OK).await);
        });
    });
    let post_a = client.post("/a", "");
    assert_eq!(
        (post_a.status(), post_a.header("Allow")),
        (HttpStatusCode::METHOD_NOT_ALLOWED, Some("GET"))
    );
    let get_root = client.get("/");
    assert_eq!(get_root.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(get_root.header("Allow"), Some("POST"));
    assert_eq!(client.get("/notfound").status(), HttpStatusCode::NOT_FOUND);
}

/// A path matched through a parameter gives 404, not 405 (Ktor's
/// `testRoutingSpecificErrorStatusCodeOnlyForConstantQualityPath`).
#[test]
fn no_405_through_a_parameter() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("a", |a| {
                a.get("", async |call| call.respond_status(HttpStatusCode::OK).await);
            });
            route.route("{param}", |p| {
                p.get("", async |call| call.respond_status(HttpStatusCode::OK).await);
            });
        });
    });
    assert_eq!(client.post("/a", "").status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(client.post("/b", "").status(), HttpStatusCode::NOT_FOUND);
}

/// A tailcard sibling neither steals a constant's method nor turns a miss into 405 (Ktor's
/// `testRoutingSpecificErrorStatusNotForTailcard`).
#[test]
fn no_405_through_a_tailcard() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("a", |a| {
                a.post("", async |call| call.respond_text("a").await);
            });
            route.route("{...}", |t| {
                t.get("", async |call| call.respond_text("tailcard").await);
            });
        });
    });
    assert_eq!(client.post("/a", "").text(), "a");
    assert_eq!(client.get("/a").text(), "tailcard");
    let post_b = client.post("/b", "");
    assert_eq!(
        (post_b.status(), post_b.text()),
        (HttpStatusCode::NOT_FOUND, String::new())
    );
    assert_eq!(client.post("/", "").status(), HttpStatusCode::NOT_FOUND);
}

/// A path that stops short of a declared route is 404, not 405.
#[test]
fn partial_path_is_404() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/a/b", async |call| call.respond_text("b").await);
        });
    });
    assert_eq!(client.post("/a", "").status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(client.get("/a").status(), HttpStatusCode::NOT_FOUND);
}

/// A status a handler set wins over routing's, and a handler's status without a body is sent.
#[test]
fn handler_status_is_sent() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.post("/items", async |call| {
                call.response().set_status(HttpStatusCode::CREATED);
                Ok(())
            });
        });
    });
    assert_eq!(client.post("/items", "x").status(), HttpStatusCode::CREATED);
}

/// `/hello` and `/hello/` are different routes: a declared path without a slash refuses a
/// request with one, and the other way round.
#[test]
fn trailing_slash_distinguishes_paths() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/hello", async |call| call.respond_text("no slash").await);
            route.get("/docs/", async |call| call.respond_text("slash").await);
        });
    });
    assert_eq!(client.get("/hello").text(), "no slash");
    assert_eq!(client.get("/hello/").status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(client.get("/docs/").text(), "slash");
    assert_eq!(client.get("/docs").status(), HttpStatusCode::NOT_FOUND);
}

/// `get("/")` answers the root, and `route("/")` groups routes without adding a segment (its
/// slash is transparent in the middle of a path).
#[test]
fn root_slash_and_slash_groups() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("root").await);
            route.route("/", |group| {
                group.get("a", async |call| call.respond_text("a").await);
            });
        });
    });
    assert_eq!(client.get("/").text(), "root");
    assert_eq!(client.get("/a").text(), "a");
}

/// Inside a nested route, `get("/")` means the path with a trailing slash; `get("")` the node.
#[test]
fn nested_slash_is_a_trailing_slash() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/users", |users| {
                users.get("/", async |call| call.respond_text("slash").await);
            });
            route.route("/items", |items| {
                items.get("", async |call| call.respond_text("node").await);
            });
        });
    });
    assert_eq!(client.get("/users/").text(), "slash");
    assert_eq!(client.get("/users").status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(client.get("/items").text(), "node");
}

/// Empty segments in the middle of a path are ignored: `//a///b` is `/a/b`.
#[test]
fn double_slashes_collapse() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/a/b", async |call| call.respond_text("b").await);
        });
    });
    assert_eq!(client.get("//a///b").text(), "b");
}

/// With `ignore_trailing_slash`, `/hello` and `/hello/` reach the same routes, whichever way
/// they were declared.
#[test]
fn ignore_trailing_slash_merges_them() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/hello", async |call| call.respond_text("hello").await);
            route.get("/docs/", async |call| call.respond_text("docs").await);
        });
        app.install(&mini_ktor::plugins::IgnoreTrailingSlash, |_| {});
    });
    assert_eq!(client.get("/hello/").text(), "hello");
    assert_eq!(client.get("/hello").text(), "hello");
    assert_eq!(client.get("/docs").text(), "docs");
    assert_eq!(client.get("/docs/").text(), "docs");
    assert_eq!(client.get("/hello//").text(), "hello");
}

/// A 405's `Allow` lists every method the path is answered for, through a parameter route as
/// well (RFC 9110 §15.5.6: the methods the resource supports): `DELETE /users/{id}` answers
/// `/users/me` too. Whether the answer is a 405 at all is still decided by the constant routes
/// alone, as in Ktor: a path answered only through a parameter, for other methods, is a 404.
#[test]
fn allow_lists_methods_answered_through_parameters_too() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/users/me", async |call| call.respond_text("me").await);
            route.delete("/users/{id}", async |call| call.respond_text("deleted").await);
        });
    });
    let response = client.request(HttpMethod::Put, "/users/me").send();
    assert_eq!(response.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("Allow"), Some("GET, DELETE"));
    assert_eq!(client.delete("/users/me").text(), "deleted");
    let other = client.request(HttpMethod::Put, "/users/42").send();
    assert_eq!(other.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(other.header("Allow"), None);
}

//! One test per selector kind, through the in-memory engine: what each matches, captures and
//! refuses; and how declarations build one tree.

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// Answers with the parameters the route received, as `name=value` pairs joined by `&`.
async fn echo_parameters(call: &mut ApplicationCall) -> Result<()> {
    let pairs: Vec<String> = call
        .path_parameters()
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    call.respond_text(pairs.join("&")).await
}

/// A constant segment matches that segment exactly, decoded.
#[test]
fn constant_segment() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/about us", async |call| call.respond_text("about").await);
        });
    });
    assert_eq!(client.get("/about%20us").text(), "about");
    assert_eq!(client.get("/About%20us").status(), HttpStatusCode::NOT_FOUND);
}

/// `{id}` captures one non-empty segment.
#[test]
fn parameter_segment() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/users/{id}", echo_parameters);
        });
    });
    assert_eq!(client.get("/users/42").text(), "id=42");
    assert_eq!(client.get("/users/").status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(client.get("/users/42/posts").status(), HttpStatusCode::NOT_FOUND);
}

/// A segment is decoded after the path is cut: `%2F` is a slash inside one parameter.
#[test]
fn parameter_segment_keeps_encoded_slash() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/files/{name}", echo_parameters);
        });
    });
    assert_eq!(client.get("/files/a%2Fb").text(), "name=a/b");
}

/// `{id?}` matches with or without its segment.
#[test]
fn optional_parameter_segment() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/report/{year?}", echo_parameters);
        });
    });
    assert_eq!(client.get("/report/2026").text(), "year=2026");
    assert_eq!(client.get("/report").status(), HttpStatusCode::OK);
    assert_eq!(client.get("/report").text(), "");
}

/// `*` matches any one segment and captures nothing.
#[test]
fn wildcard_segment() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/*/extra", echo_parameters);
        });
    });
    assert_eq!(client.get("/anything/extra").status(), HttpStatusCode::OK);
    assert_eq!(client.get("/anything/extra").text(), "");
    assert_eq!(client.get("/extra").status(), HttpStatusCode::NOT_FOUND);
}

/// `{...}` matches whatever is left, even nothing.
#[test]
fn anonymous_tailcard() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/static/{...}", async |call| call.respond_text("static").await);
        });
    });
    assert_eq!(client.get("/static/css/site.css").text(), "static");
    assert_eq!(client.get("/static").text(), "static");
}

/// `{path...}` captures every remaining segment as one value each (Ktor's `testMostSpecificSelected`).
#[test]
fn named_tailcard() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("{path...}", async |call| {
                let path: Vec<&str> = call.parameters().get_all("path").collect();
                let text = path.join("/");
                call.respond_text(text).await
            });
            route.get("z/{path...}", async |call| {
                let path: Vec<&str> = call.parameters().get_all("path").collect();
                let text = format!("[Z] {}", path.join("/"));
                call.respond_text(text).await
            });
        });
    });
    assert_eq!(client.get("/z/a/b/c").text(), "[Z] a/b/c");
    assert_eq!(client.get("/x/a/b/c").text(), "x/a/b/c");
}

/// A prefix or suffix around `{}` must be there; the value is what lies between
/// (Ktor's `testRoutingOnGETUserWithSurroundedParameter`).
#[test]
fn parameter_with_prefix_and_suffix() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/user-{name}-get", echo_parameters);
            route.get("/files/{name}.txt", echo_parameters);
        });
    });
    assert_eq!(client.get("/user-john-get").text(), "name=john");
    assert_eq!(client.get("/files/notes.txt").text(), "name=notes");
    assert_eq!(client.get("/files/notes.md").status(), HttpStatusCode::NOT_FOUND);
}

/// A parameter with a prefix or suffix (0.9) beats a plain one (0.8)
/// (Ktor's `testRouteWithParameterPrefixAndSuffixHasMorePriority`).
#[test]
fn affixed_parameter_beats_plain_parameter() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/foo:{baz}", async |call| call.respond_text("foo").await);
            route.get("/{baz}", async |call| call.respond_text("baz").await);
            route.get("/{baz}:bar", async |call| call.respond_text("bar").await);
        });
    });
    assert_eq!(client.get("/foo:bar").text(), "foo");
    assert_eq!(client.get("/baz").text(), "baz");
    assert_eq!(client.get("/baz:bar").text(), "bar");
}

/// Each verb matches its own method only; `method` takes any, including extension methods.
#[test]
fn method_selectors() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/r", |r| {
                r.get("", async |call| call.respond_text("GET").await);
                r.post("", async |call| call.respond_text("POST").await);
                r.put("", async |call| call.respond_text("PUT").await);
                r.delete("", async |call| call.respond_text("DELETE").await);
                r.patch("", async |call| call.respond_text("PATCH").await);
                r.options("", async |call| call.respond_text("OPTIONS").await);
                r.head("", async |call| {
                    call.respond_status(HttpStatusCode::NO_CONTENT).await
                });
                r.method(HttpMethod::parse("PROPFIND"), "", async |call| {
                    call.respond_text("PROPFIND").await
                });
            });
        });
    });
    for method in ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"] {
        let response = client.request(HttpMethod::parse(method), "/r").send();
        assert_eq!(response.text(), method);
    }
    let head = client.request(HttpMethod::Head, "/r").send();
    assert_eq!(head.status(), HttpStatusCode::NO_CONTENT);
}

/// `header(name, value)` matches a request whose header lists the value, in any case. It fails
/// with 400 only when it is evaluated after the whole path: a header condition *above* the path
/// fails before the path is consumed, which gives 404.
#[test]
fn header_selector() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/items", |items| {
                items.header("X-Api-Version", "2", |v2| {
                    v2.get("", async |call| call.respond_text("v2").await);
                });
            });
            route.header("X-Api-Version", "2", |v2| {
                v2.get("/orders", async |call| call.respond_text("v2").await);
            });
        });
    });
    let request = |uri: &str, value: &str| {
        client
            .request(HttpMethod::Get, uri)
            .header("x-api-version", value)
    };
    assert_eq!(request("/items", "2").send().text(), "v2");
    assert_eq!(request("/items", "1, 2;q=0.5").send().text(), "v2");
    assert_eq!(
        request("/items", "1").send().status(),
        HttpStatusCode::BAD_REQUEST
    );
    assert_eq!(request("/orders", "2").send().text(), "v2");
    assert_eq!(request("/orders", "1").send().status(), HttpStatusCode::NOT_FOUND);
}

/// `param_value(name, value)` matches a query parameter with that value.
#[test]
fn query_value_selector() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/search", |search| {
                search.param_value("kind", "book", |books| {
                    books.get("", async |call| call.respond_text("books").await);
                });
            });
        });
    });
    assert_eq!(client.get("/search?kind=film&kind=book").text(), "books");
    assert_eq!(
        client.get("/search?kind=film").status(),
        HttpStatusCode::BAD_REQUEST
    );
}

/// `param(name)` requires the query parameter and captures its values as path parameters
/// (Ktor's `testRoutingOnGETUserWithParameter`).
#[test]
fn query_parameter_selector() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("user", |user| {
                user.param("name", |named| {
                    named.get("", echo_parameters);
                });
            });
        });
    });
    assert_eq!(client.get("/user?name=john").text(), "name=john");
    assert_eq!(client.get("/user").status(), HttpStatusCode::BAD_REQUEST);
}

/// `optional_param(name)` prefers requests with the parameter but accepts those without
/// (Ktor's `testRoutingOnOptionalParamRoute`).
#[test]
fn optional_query_parameter_selector() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("test", |test| {
                test.optional_param("param", |r| {
                    r.handle(async |call| call.respond_text("param").await);
                });
                test.get("", async |call| call.respond_text("get").await);
            });
        });
    });
    assert_eq!(client.get("/test?param=value").text(), "param");
    assert_eq!(client.get("/test").text(), "get");
}

/// A path ending in `/` declares a trailing-slash selector.
#[test]
fn trailing_slash_selector() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/docs/", async |call| call.respond_text("index").await);
        });
    });
    assert_eq!(client.get("/docs/").text(), "index");
    assert_eq!(client.get("/docs").status(), HttpStatusCode::NOT_FOUND);
}

/// Declarations of the same path share nodes (`create_child` reuses an equal child), across
/// several `routing` blocks and nesting depths.
#[test]
fn declarations_share_one_tree() {
    let app = Application::from_module(|app| {
        app.routing(|route| {
            route.get("/a/b", async |call| call.respond_text("get").await);
        });
        app.routing(|route| {
            route.route("/a", |a| {
                a.route("b", |b| {
                    b.post("", async |call| call.respond_text("post").await);
                });
            });
        });
    });
    let tree = app.routing_root().unwrap().to_string();
    assert_eq!(
        tree,
        "/\n  a\n    b\n      (method:GET) -> handler\n      (method:POST) -> handler\n"
    );
}

/// Routes nest to any depth; a builder returns the node it reached.
#[test]
fn nested_routes() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/api", |api| {
                api.route("v1", |v1| {
                    v1.route("/users/{id}", |user| {
                        user.get("/posts/{post}", echo_parameters);
                    });
                });
            });
            let node = route.get("/x/y", async |call| call.respond_text("y").await);
            assert_eq!(node.render(), "/x/y [(method:GET)]");
        });
    });
    assert_eq!(client.get("/api/v1/users/7/posts/3").text(), "id=7&post=3");
}

//! The resolution trace, compared line for line with Ktor's format, and the printed route tree.
//!
//! The tree is the one of Ktor's `RoutingTracingTest`, with its `localPort` condition replaced by
//! a header condition (this crate has no `localPort` selector): the expected texts are Ktor's.

use std::sync::{Arc, Mutex};

use mini_ktor::prelude::*;
use mini_ktor::testing::{TestClient, test_application};

/// A client for Ktor's tracing tree, and the last trace text.
fn tracing_application() -> (TestClient, Arc<Mutex<String>>) {
    let last = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&last);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.trace(move |text| *seen.lock().unwrap() = text.to_string());
            for path in [
                "/bar",
                "/baz",
                "/baz/x",
                "/baz/x/{optional?}",
                "/baz/{y}",
                "/baz/{y}/value",
                "/{param}",
                "/{param}/x",
                "/{param}/x/z",
                "/*/extra",
            ] {
                route.get(path, async move |call| call.respond_text(path).await);
            }
            route.header("a", "x", |r| {
                r.get("", async |call| call.respond_text("a").await);
            });
            route.header("b", "x", |r| {
                r.get("", async |call| call.respond_text("b").await);
            });
            route.route("/route", |r| {
                r.header("port", "80", |r| {
                    r.get("/port", async |call| call.respond_text("port").await);
                });
            });
        });
    });
    (client, last)
}

/// Ktor's expected texts are indented in its source; this strips the common indentation.
fn text(lines: &str) -> String {
    let lines: Vec<&str> = lines.lines().filter(|line| !line.trim().is_empty()).collect();
    let indent = lines
        .iter()
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap();
    lines
        .iter()
        .map(|line| &line[indent..])
        .collect::<Vec<_>>()
        .join("\n")
}

/// The worked example of the research notes: `GET /users/42` among `/users/me`, `/users/{id}`
/// and `POST /users`.
#[test]
fn trace_of_the_worked_example() {
    let last = Arc::new(Mutex::new(String::new()));
    let seen = Arc::clone(&last);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.trace(move |text| *seen.lock().unwrap() = text.to_string());
            route.get("/users/me", async |call| call.respond_text("me").await);
            route.get("/users/{id}", async |call| call.respond_text("id").await);
            route.post("/users", async |call| call.respond_text("created").await);
        });
    });
    assert_eq!(client.get("/users/42").text(), "id");
    let expected = r#"
        Trace for [users, 42]
        /, segment:0 -> SUCCESS @ /
          /users, segment:1 -> SUCCESS @ /users
            /users/me, segment:1 -> FAILURE "Selector didn't match" @ /users/me
            /users/{id}, segment:2 -> SUCCESS; Parameters [id=[42]] @ /users/{id}
              /users/{id} [(method:GET)], segment:2 -> SUCCESS @ /users/{id} [(method:GET)]
            /users [(method:POST)], segment:1 -> FAILURE "Selector didn't match" @ /users [(method:POST)]
        Matched routes:
          "" -> "users" -> "{id}" -> "(method:GET)"
        Routing resolve result:
          SUCCESS; Parameters [id=[42]] @ /users/{id} [(method:GET)]
    "#;
    assert_eq!(*last.lock().unwrap(), text(expected));
}

/// `GET /bar`: siblings of lower quality are pruned ("Better match was already found").
#[test]
fn trace_bar_prunes_lower_siblings() {
    let (client, last) = tracing_application();
    assert_eq!(client.get("/bar").text(), "/bar");
    let expected = r#"
        Trace for [bar]
        /, segment:0 -> SUCCESS @ /
          /bar, segment:1 -> SUCCESS @ /bar
            /bar [(method:GET)], segment:1 -> SUCCESS @ /bar [(method:GET)]
          /baz, segment:0 -> FAILURE "Selector didn't match" @ /baz
          /{param}, segment:0 -> FAILURE "Better match was already found" @ /{param}
          /*, segment:0 -> FAILURE "Better match was already found" @ /*
          / [(header:a = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:a = x)]
          / [(header:b = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:b = x)]
          /route, segment:0 -> FAILURE "Selector didn't match" @ /route
        Matched routes:
          "" -> "bar" -> "(method:GET)"
        Routing resolve result:
          SUCCESS @ /bar [(method:GET)]
    "#;
    assert_eq!(*last.lock().unwrap(), text(expected));
}

/// `GET /bar/x`: the `bar` subtree matches nothing, so `{param}` is still explored and wins.
#[test]
fn trace_bar_x_reaches_the_parameter() {
    let (client, last) = tracing_application();
    assert_eq!(client.get("/bar/x").text(), "/{param}/x");
    let expected = r#"
        Trace for [bar, x]
        /, segment:0 -> SUCCESS @ /
          /bar, segment:1 -> SUCCESS @ /bar
            /bar [(method:GET)], segment:1 -> FAILURE "Not all segments matched" @ /bar [(method:GET)]
          /baz, segment:0 -> FAILURE "Selector didn't match" @ /baz
          /{param}, segment:1 -> SUCCESS; Parameters [param=[bar]] @ /{param}
            /{param} [(method:GET)], segment:1 -> FAILURE "Not all segments matched" @ /{param} [(method:GET)]
            /{param}/x, segment:2 -> SUCCESS @ /{param}/x
              /{param}/x [(method:GET)], segment:2 -> SUCCESS @ /{param}/x [(method:GET)]
              /{param}/x/z, segment:2 -> FAILURE "Selector didn't match" @ /{param}/x/z
          /*, segment:0 -> FAILURE "Better match was already found" @ /*
          / [(header:a = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:a = x)]
          / [(header:b = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:b = x)]
          /route, segment:0 -> FAILURE "Selector didn't match" @ /route
        Matched routes:
          "" -> "{param}" -> "x" -> "(method:GET)"
        Routing resolve result:
          SUCCESS; Parameters [param=[bar]] @ /{param}/x [(method:GET)]
    "#;
    assert_eq!(*last.lock().unwrap(), text(expected));
}

/// `GET /baz/x/z`: the optional parameter is present and captured.
#[test]
fn trace_baz_x_z_optional_present() {
    let (client, last) = tracing_application();
    assert_eq!(client.get("/baz/x/z").text(), "/baz/x/{optional?}");
    let expected = r#"
        Trace for [baz, x, z]
        /, segment:0 -> SUCCESS @ /
          /bar, segment:0 -> FAILURE "Selector didn't match" @ /bar
          /baz, segment:1 -> SUCCESS @ /baz
            /baz [(method:GET)], segment:1 -> FAILURE "Not all segments matched" @ /baz [(method:GET)]
            /baz/x, segment:2 -> SUCCESS @ /baz/x
              /baz/x [(method:GET)], segment:2 -> FAILURE "Not all segments matched" @ /baz/x [(method:GET)]
              /baz/x/{optional?}, segment:3 -> SUCCESS; Parameters [optional=[z]] @ /baz/x/{optional?}
                /baz/x/{optional?} [(method:GET)], segment:3 -> SUCCESS @ /baz/x/{optional?} [(method:GET)]
            /baz/{y}, segment:1 -> FAILURE "Better match was already found" @ /baz/{y}
          /{param}, segment:0 -> FAILURE "Better match was already found" @ /{param}
          /*, segment:0 -> FAILURE "Better match was already found" @ /*
          / [(header:a = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:a = x)]
          / [(header:b = x)], segment:0 -> FAILURE "Selector didn't match" @ / [(header:b = x)]
          /route, segment:0 -> FAILURE "Selector didn't match" @ /route
        Matched routes:
          "" -> "baz" -> "x" -> "{optional?}" -> "(method:GET)"
        Routing resolve result:
          SUCCESS; Parameters [optional=[z]] @ /baz/x/{optional?} [(method:GET)]
    "#;
    assert_eq!(*last.lock().unwrap(), text(expected));
}

/// `GET /baz/x`: the missing optional parameter (0.2) is pruned once `/baz/x` matched.
#[test]
fn trace_baz_x_prunes_missing_optional() {
    let (client, last) = tracing_application();
    assert_eq!(client.get("/baz/x").text(), "/baz/x");
    let trace = last.lock().unwrap().clone();
    assert!(trace.contains(
        "      /baz/x/{optional?}, segment:2 -> FAILURE \"Better match was already found\" @ /baz/x/{optional?}\n"
    ));
    assert!(trace.ends_with("Routing resolve result:\n  SUCCESS @ /baz/x [(method:GET)]"));
}

/// `GET /` with both headers: two candidates of equal quality; the first declared wins.
#[test]
fn trace_root_two_candidates_first_wins() {
    let (client, last) = tracing_application();
    let response = client
        .request(HttpMethod::Get, "/")
        .header("a", "x")
        .header("b", "x")
        .send();
    assert_eq!(response.text(), "a");
    let expected = r#"
        Trace for []
        /, segment:0 -> SUCCESS @ /
          /bar, segment:0 -> FAILURE "Selector didn't match" @ /bar
          /baz, segment:0 -> FAILURE "Selector didn't match" @ /baz
          /{param}, segment:0 -> FAILURE "Selector didn't match" @ /{param}
          /*, segment:0 -> FAILURE "Selector didn't match" @ /*
          / [(header:a = x)], segment:0 -> SUCCESS @ / [(header:a = x)]
            / [(header:a = x), (method:GET)], segment:0 -> SUCCESS @ / [(header:a = x), (method:GET)]
          / [(header:b = x)], segment:0 -> SUCCESS @ / [(header:b = x)]
            / [(header:b = x), (method:GET)], segment:0 -> SUCCESS @ / [(header:b = x), (method:GET)]
          /route, segment:0 -> FAILURE "Selector didn't match" @ /route
        Matched routes:
          "" -> "(header:a = x)" -> "(method:GET)"
          "" -> "(header:b = x)" -> "(method:GET)"
        Routing resolve result:
          SUCCESS @ / [(header:a = x), (method:GET)]
    "#;
    assert_eq!(*last.lock().unwrap(), text(expected));
}

/// A condition in the middle of a path is listed after the path: `/route/port [(header:...)]`.
#[test]
fn trace_conditions_follow_the_path() {
    let (client, last) = tracing_application();
    let response = client
        .request(HttpMethod::Get, "/route/port")
        .header("port", "80")
        .send();
    assert_eq!(response.text(), "port");
    let trace = last.lock().unwrap().clone();
    let expected = r#"
          /route, segment:1 -> SUCCESS @ /route
            /route [(header:port = 80)], segment:1 -> SUCCESS @ /route [(header:port = 80)]
              /route/port [(header:port = 80)], segment:2 -> SUCCESS @ /route/port [(header:port = 80)]
                /route/port [(header:port = 80), (method:GET)], segment:2 -> SUCCESS @ /route/port [(header:port = 80), (method:GET)]
        Matched routes:
          "" -> "route" -> "(header:port = 80)" -> "port" -> "(method:GET)"
    "#;
    let expected: Vec<&str> = expected.lines().filter(|line| !line.trim().is_empty()).collect();
    let expected: String = expected.iter().map(|line| format!("{}\n", &line[8..])).collect();
    assert!(trace.contains(&expected), "{trace}");
}

/// No route: no candidates, and the failure is reported at the root.
#[test]
fn trace_of_a_failure() {
    let (client, last) = tracing_application();
    assert_eq!(client.get("/bar/x/y/z").status(), HttpStatusCode::NOT_FOUND);
    let trace = last.lock().unwrap().clone();
    assert!(trace.starts_with("Trace for [bar, x, y, z]\n/, segment:0 -> SUCCESS @ /\n"));
    assert!(trace.ends_with(
        "Matched routes:\n  No results\nRouting resolve result:\n  FAILURE \"No matched subtrees found\" @ /"
    ));
}

/// The route tree prints itself, one node per line, with interceptors and handlers marked.
#[test]
fn route_tree_display() {
    let app = Application::from_module(|app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("home").await);
            route.route("/admin", |admin| {
                admin.intercept(ApplicationCallPipeline::PLUGINS, async |_ctx| Ok(()));
                admin.get("/stats", async |call| call.respond_text("stats").await);
                admin.post("/stats", async |call| call.respond_text("reset").await);
            });
            route.get("/files/{path...}", async |call| call.respond_text("file").await);
        });
    });
    let expected = "\
/
  <slash>
    (method:GET) -> handler
  admin +1 interceptor
    stats
      (method:GET) -> handler
      (method:POST) -> handler
  files
    {...}
      (method:GET) -> handler
";
    assert_eq!(app.routing_root().unwrap().to_string(), expected);
}

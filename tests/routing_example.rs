//! The routing example's module, served by the in-memory test engine: every `curl` line of its
//! docs, checked.

#[path = "../examples/routing.rs"]
#[allow(dead_code)]
mod routing;

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// Parameters, typed: `{id}` parsed as `u64`, a constant sibling preferred, a bad id a 400.
#[test]
fn example_users() {
    let client = test_application(routing::module);
    assert_eq!(client.get("/users/42").text(), "user 42");
    assert_eq!(client.get("/users/me").text(), "you");
    let bad = client.get("/users/x");
    assert_eq!(bad.status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(bad.text(), r#"parameter id: expected u64, got "x""#);
}

/// A method the path does not answer: 405 with `Allow`.
#[test]
fn example_method_not_allowed() {
    let client = test_application(routing::module);
    let response = client.request(HttpMethod::Delete, "/users").send();
    assert_eq!(response.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(response.header("Allow"), Some("GET, POST"));
    assert_eq!(client.post("/users", "").status(), HttpStatusCode::CREATED);
}

/// Optional, tailcard and wildcard segments.
#[test]
fn example_optional_tailcard_wildcard() {
    let client = test_application(routing::module);
    assert_eq!(client.get("/reports").text(), "report for every year");
    assert_eq!(client.get("/reports/2026").text(), "report for 2026");
    assert_eq!(client.get("/files/docs/guide.txt").text(), "file docs/guide.txt");
    assert_eq!(client.get("/anything/health").text(), "ok");
}

/// The admin guard: 401 without a role, 403 with the wrong one, the handler with `admin`.
#[test]
fn example_admin_guard() {
    let client = test_application(routing::module);
    let unauthorized = client.get("/admin/stats");
    assert_eq!(unauthorized.status(), HttpStatusCode::UNAUTHORIZED);
    assert_eq!(unauthorized.header("WWW-Authenticate"), Some("X-Role"));
    let as_role = |role: &str| {
        client
            .request(HttpMethod::Get, "/admin/stats")
            .header("X-Role", role)
            .send()
    };
    assert_eq!(as_role("guest").status(), HttpStatusCode::FORBIDDEN);
    assert_eq!(as_role("admin").text(), "3 users");
}

/// The example's tree prints as TUTORIAL.md shows it.
#[test]
fn example_tree_is_the_tutorials() {
    let app = Application::from_module(routing::module);
    let tree = app.routing_root().unwrap().to_string();
    let expected = "\
/
  users
    (method:GET) -> handler
    (method:POST) -> handler
    me
      (method:GET) -> handler
    {id}
      (method:GET) -> handler
  reports
    {year?}
      (method:GET) -> handler
  files
    {...}
      (method:GET) -> handler
  *
    health
      (method:GET) -> handler
  admin +1 interceptor
    stats
      (method:GET) -> handler
";
    assert_eq!(tree, expected);
    let tutorial = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/TUTORIAL.md")).unwrap();
    assert!(tutorial.contains(&format!("```text\n{expected}```")));
}

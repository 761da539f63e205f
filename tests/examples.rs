//! The examples' modules, served by the in-memory test engine: no socket, no thread.

#[path = "../examples/hello.rs"]
#[allow(dead_code)]
mod hello;

#[path = "../examples/modules.rs"]
#[allow(dead_code)]
mod modules;

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// `GET /` on the hello module answers the seed's `Hello World!` as UTF-8 text.
#[test]
fn hello_root_answers_hello_world() {
    let client = test_application(hello::module);
    let response = client.get("/");
    assert_eq!(response.status(), HttpStatusCode::OK);
    assert_eq!(response.text(), "Hello World!");
    assert_eq!(response.header("Content-Type"), Some("text/plain; charset=UTF-8"));
}

/// `GET /plaintext` answers TechEmpower's `Hello, World!` as exactly `text/plain`.
#[test]
fn hello_plaintext_is_text_plain() {
    let client = test_application(hello::module);
    let response = client.get("/plaintext");
    assert_eq!(response.status(), HttpStatusCode::OK);
    assert_eq!(response.text(), "Hello, World!");
    assert_eq!(response.header("Content-Type"), Some("text/plain"));
}

/// A path no route declares is a 404 with an empty body.
#[test]
fn hello_unknown_path_is_not_found() {
    let client = test_application(hello::module);
    let response = client.get("/nowhere");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert!(response.bytes().is_empty());
}

/// A declared path asked with another method is a 405, as in Ktor.
#[test]
fn hello_wrong_method_is_method_not_allowed() {
    let client = test_application(hello::module);
    let response = client.post("/", "data");
    assert_eq!(response.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
}

/// The two modules of the modules example add to one route tree.
#[test]
fn modules_both_answer() {
    let client = test_application(|app| {
        modules::landing(app);
        modules::login(app);
    });
    assert_eq!(client.get("/").text(), "Hello Visitor!");
    assert_eq!(client.get("/login").text(), "Please Login!");
}

/// A module loaded alone serves only its own routes.
#[test]
fn modules_load_independently() {
    let client = test_application(modules::login);
    assert_eq!(client.get("/login").text(), "Please Login!");
    assert_eq!(client.get("/").status(), HttpStatusCode::NOT_FOUND);
}

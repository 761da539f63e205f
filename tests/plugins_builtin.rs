//! The bundled plugins: AutoHeadResponse.

mod support;

use std::io::Write;
use std::net::SocketAddr;

use mini_ktor::engine::EmbeddedServer;
use mini_ktor::prelude::*; // includes the plugins
use mini_ktor::testing::test_application;
use support::{connect, read_head, read_response};

// --- AutoHeadResponse ---

/// A GET route with a known body, with or without AutoHeadResponse.
fn head_module(install: bool) -> impl FnOnce(&mut Application) {
    move |app| {
        if install {
            app.install(&AutoHeadResponse, |_| {});
        }
        app.routing(|route| {
            route.get("/report", async |call| {
                call.response().header("X-Report", "weekly")?;
                call.respond_text("twelve bytes").await
            });
        });
    }
}

/// With the plugin, HEAD gets GET's status and headers and no body.
#[test]
fn auto_head_response_answers_head_like_get() {
    let client = test_application(head_module(true));
    let get = client.get("/report");
    let head = client.request(HttpMethod::Head, "/report").send();
    assert_eq!(head.status(), HttpStatusCode::OK);
    assert!(head.headers().iter().eq(get.headers().iter()));
    assert_eq!(get.text(), "twelve bytes");
    assert!(head.bytes().is_empty());
    let missing = client.request(HttpMethod::Head, "/nowhere").send();
    assert_eq!(missing.status(), HttpStatusCode::NOT_FOUND);
}

/// Without it, HEAD to a GET-only path is 405, and to an unknown path 404, as in Ktor.
#[test]
fn without_auto_head_response_head_is_405() {
    let client = test_application(head_module(false));
    let head = client.request(HttpMethod::Head, "/report").send();
    assert_eq!(head.status(), HttpStatusCode::METHOD_NOT_ALLOWED);
    let missing = client.request(HttpMethod::Head, "/nowhere").send();
    assert_eq!(missing.status(), HttpStatusCode::NOT_FOUND);
}

// --- On the wire ---

/// Starts `module` on the Cio engine, one worker, on a free port.
fn serve(module: impl FnOnce(&mut Application) + 'static) -> (EmbeddedServer<Cio>, SocketAddr) {
    let mut server = embedded_server(Cio, 0, module).workers(1);
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    (server, address)
}

/// On the wire, HEAD announces GET's Content-Length and sends no body: the next response on the
/// same connection starts right after the head.
#[test]
fn auto_head_response_keeps_content_length_on_the_wire() {
    let (_server, address) = serve(head_module(true));
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    stream
        .write_all(b"HEAD /report HTTP/1.1\r\nHost: x\r\n\r\nGET /report HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let head = read_head(&mut stream, &mut buffered);
    assert_eq!(head.status_line, "HTTP/1.1 200 OK");
    assert_eq!(head.header("content-length"), Some("12"));
    assert_eq!(head.header("x-report"), Some("weekly"));
    let get = read_response(&mut stream, &mut buffered);
    assert_eq!(get.status_line, "HTTP/1.1 200 OK");
    assert_eq!(get.body, b"twelve bytes");
}

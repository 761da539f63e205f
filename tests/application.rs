//! The call pipeline, routing and the engine's safety net, through the in-memory test engine.

use std::sync::{Arc, Mutex};

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// Interceptors run phase by phase around the handler, and see the call.
#[test]
fn interceptors_wrap_the_handler() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&log);
    let client = test_application(move |app| {
        let inner = Arc::clone(&seen);
        app.intercept(ApplicationCallPipeline::PLUGINS, async move |ctx| {
            inner
                .lock()
                .unwrap()
                .push(format!("plugins {}", ctx.call().request().path()));
            Ok(())
        });
        let outer = Arc::clone(&seen);
        app.intercept(ApplicationCallPipeline::MONITORING, async move |ctx| {
            outer.lock().unwrap().push("monitoring: before".to_string());
            ctx.proceed().await?;
            let handled = ctx.call().is_handled();
            outer
                .lock()
                .unwrap()
                .push(format!("monitoring: after, handled={handled}"));
            Ok(())
        });
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("hi").await);
        });
    });
    assert_eq!(client.get("/").text(), "hi");
    assert_eq!(
        *log.lock().unwrap(),
        [
            "monitoring: before",
            "plugins /",
            "monitoring: after, handled=true"
        ]
    );
}

/// An interceptor that answers and finishes keeps the route's handler from running.
#[test]
fn finish_in_an_interceptor_skips_routing() {
    let client = test_application(|app| {
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            if ctx.call().request().header("X-Block").is_some() {
                ctx.call().respond_status(HttpStatusCode::FORBIDDEN).await?;
                ctx.finish();
            }
            Ok(())
        });
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("open").await);
        });
    });
    assert_eq!(client.get("/").text(), "open");
    let blocked = client.request(HttpMethod::Get, "/").header("X-Block", "1").send();
    assert_eq!(blocked.status(), HttpStatusCode::FORBIDDEN);
}

/// A handler's error becomes a 500 without a body, as in Ktor: the error's text, written for
/// the server's operator, goes to the log only.
#[test]
fn handler_error_is_a_500() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/fail", async |_call| Err("database unavailable".into()));
        });
    });
    let response = client.get("/fail");
    assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "");
}

/// An `HttpError` keeps its own status, and its message, written for the client, is the body.
#[test]
fn http_error_keeps_its_status() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/item", async |_call| {
                Err(HttpError::bad_request("missing id").into())
            });
        });
    });
    let response = client.get("/item");
    assert_eq!(response.status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(response.text(), "missing id");
}

/// A panicking handler answers 500 and the application keeps serving.
#[test]
fn handler_panic_is_a_500_and_serving_goes_on() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/panic", async |_call| panic!("handler bug"));
            route.get("/", async |call| call.respond_text("still here").await);
        });
    });
    let response = client.get("/panic");
    assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "", "the panic's message is for the log only");
    assert_eq!(client.get("/").text(), "still here");
}

/// Responding twice is an error; the first response is the one sent.
#[test]
fn responding_twice_is_an_error() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| {
                call.respond_text("first").await?;
                let second = call.respond_text("second").await;
                assert_eq!(second.unwrap_err().to_string(), "Response has already been sent");
                Ok(())
            });
        });
    });
    assert_eq!(client.get("/").text(), "first");
}

/// The body can be received once; the second receive is an error.
#[test]
fn body_is_received_once() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.post("/echo", async |call| {
                let text = call.receive_text().await?;
                let again = call.receive_bytes().await;
                assert!(again.is_err());
                call.respond_text(format!("got {text}")).await
            });
        });
    });
    assert_eq!(client.post("/echo", "abc").text(), "got abc");
}

/// A status set by a handler that never responds is what the fallback sends.
#[test]
fn status_without_body_is_sent_by_fallback() {
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

/// A header value with a line break is refused instead of splitting the response.
#[test]
fn header_injection_is_refused() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| {
                call.response().header("X-Name", "a\r\nSet-Cookie: evil=1")?;
                call.respond_text("unreachable").await
            });
        });
    });
    let response = client.get("/");
    assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.header("Set-Cookie").is_none());
}

/// Query parameters are decoded and may repeat; the path is decoded.
#[test]
fn request_exposes_decoded_path_and_query() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/a b", async |call| {
                let request = call.request();
                let tags: Vec<_> = request.query_parameters().get_all("tag").collect();
                let reply = format!("{} {} {:?}", request.path(), request.query_string(), tags);
                call.respond_text(reply).await
            });
        });
    });
    assert_eq!(
        client.get("/a%20b?tag=x&tag=y%21").text(),
        r#"/a b tag=x&tag=y%21 ["x", "y!"]"#
    );
}

/// The path and query of absolute-form targets and of targets with a fragment.
#[test]
fn request_path_and_query_of_unusual_targets() {
    let client = test_application(|app| {
        app.intercept(ApplicationCallPipeline::CALL, async |ctx| {
            let request = ctx.call().request();
            let reply = format!("{}|{}", request.path(), request.query_string());
            ctx.call().respond_text(reply).await
        });
    });
    assert_eq!(client.get("http://example.com").text(), "/|");
    assert_eq!(client.get("http://example.com/a%2Fb?x=1").text(), "/a/b|x=1");
    assert_eq!(client.get("/a?x=1#frag").text(), "/a|x=1");
    assert_eq!(client.get("/a#frag?not=query").text(), "/a|");
    // Escapes that are not UTF-8 decode to U+FFFD, as in Ktor.
    assert_eq!(client.get("/caf%E9").text(), "/caf\u{FFFD}|");
}

/// A route matches a path whose escapes are not UTF-8 by its replacement characters, as
/// Ktor's router does.
#[test]
fn a_path_that_is_not_utf8_is_routed_by_its_replacement() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/caf\u{FFFD}/{rest}", async |call| {
                let rest = call.parameters().get("rest").unwrap_or_default().to_string();
                call.respond_text(rest).await
            });
        });
    });
    assert_eq!(client.get("/caf%E9/x%FFy").text(), "x\u{FFFD}y");
}

/// An HTML form's body arrives as decoded parameters, repeated names kept in order.
#[test]
fn form_body_is_received_as_parameters() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.post("/login", async |call| {
                let form = call.receive_parameters().await?;
                let roles: Vec<_> = form.get_all("role").collect();
                let reply = format!("{} {:?}", form.get("user").unwrap_or("?"), roles);
                call.respond_text(reply).await
            });
        });
    });
    let response = client
        .request(HttpMethod::Post, "/login")
        .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
        .body("user=ada+lovelace&role=admin&role=dev%21")
        .send();
    assert_eq!(response.text(), r#"ada lovelace ["admin", "dev!"]"#);
}

/// Text and forms are decoded in the `Content-Type`'s charset (UTF-8 without one); bytes
/// that are not in it are a 400, a charset that is not decoded here a 415, and a form's
/// escapes decode as UTF-8 whatever the charset.
#[test]
fn bodies_are_decoded_in_their_charset() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.post("/text", async |call| {
                let text = call.receive_text().await?;
                call.respond_text(format!("{text:?}")).await
            });
            route.post("/form", async |call| {
                let form = call.receive_parameters().await?;
                call.respond_text(format!("{:?}", form.get("a"))).await
            });
        });
    });
    let form = "application/x-www-form-urlencoded";
    let cases: &[(&str, &str, &[u8], HttpStatusCode, &str)] = &[
        (
            "/text",
            "text/plain",
            b"caf\xC3\xA9",
            HttpStatusCode::OK,
            r#""café""#,
        ),
        (
            "/text",
            "text/plain; charset=utf-8",
            b"caf\xC3\xA9",
            HttpStatusCode::OK,
            r#""café""#,
        ),
        (
            "/text",
            "text/plain; charset=ISO-8859-1",
            b"caf\xE9",
            HttpStatusCode::OK,
            r#""café""#,
        ),
        (
            "/text",
            "text/plain; charset=us-ascii",
            b"cafe",
            HttpStatusCode::OK,
            r#""cafe""#,
        ),
        (
            "/text",
            "text/plain",
            b"caf\xE9",
            HttpStatusCode::BAD_REQUEST,
            "request body is not valid UTF-8",
        ),
        (
            "/text",
            "text/plain; charset=ascii",
            b"caf\xE9",
            HttpStatusCode::BAD_REQUEST,
            "request body is not valid ascii",
        ),
        (
            "/text",
            "text/plain; charset=UTF-16LE",
            b"h\0i\0",
            HttpStatusCode::UNSUPPORTED_MEDIA_TYPE,
            "request body is in charset \"UTF-16LE\"; UTF-8, ISO-8859-1 and US-ASCII are supported",
        ),
        (
            "/form",
            form,
            b"a=caf\xC3\xA9",
            HttpStatusCode::OK,
            r#"Some("café")"#,
        ),
        (
            "/form",
            &format!("{form}; charset=latin1"),
            b"a=caf\xE9",
            HttpStatusCode::OK,
            r#"Some("café")"#,
        ),
        (
            "/form",
            &format!("{form}; charset=latin1"),
            b"a=caf%C3%A9",
            HttpStatusCode::OK,
            r#"Some("café")"#,
        ),
        (
            "/form",
            form,
            b"a=caf\xE9",
            HttpStatusCode::BAD_REQUEST,
            "form body is not valid UTF-8",
        ),
        (
            "/form",
            &format!("{form}; charset=koi8-r"),
            b"a=1",
            HttpStatusCode::UNSUPPORTED_MEDIA_TYPE,
            "form body is in charset \"koi8-r\"; UTF-8, ISO-8859-1 and US-ASCII are supported",
        ),
    ];
    for (path, content_type, body, status, text) in cases {
        let response = client
            .request(HttpMethod::Post, path)
            .header("Content-Type", content_type)
            .body(body.to_vec())
            .send();
        assert_eq!(response.status(), *status, "{path} {content_type} {body:?}");
        assert_eq!(response.text(), *text, "{path} {content_type} {body:?}");
    }
}

/// A body of another content type is refused with 415 when read as a form.
#[test]
fn non_form_body_is_415_for_receive_parameters() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.post("/login", async |call| {
                call.receive_parameters().await?;
                call.respond_text("unreachable").await
            });
        });
    });
    let response = client
        .request(HttpMethod::Post, "/login")
        .header("Content-Type", "application/json")
        .body("{}")
        .send();
    assert_eq!(response.status(), HttpStatusCode::UNSUPPORTED_MEDIA_TYPE);
}

/// Attributes: the application's are read by every call, a call's are its own.
#[test]
fn application_and_call_attributes() {
    use mini_ktor::util::AttributeKey;
    const GREETING: AttributeKey<String> = AttributeKey::new("greeting");
    const SEEN: AttributeKey<u32> = AttributeKey::new("seen");
    let client = test_application(|app| {
        app.attributes_mut().put(&GREETING, "hello".to_string());
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            ctx.call().attributes_mut().put(&SEEN, 1);
            Ok(())
        });
        app.routing(|route| {
            route.get("/", async |call| {
                let greeting = call
                    .application()
                    .attributes()
                    .get(&GREETING)
                    .cloned()
                    .unwrap_or_default();
                let seen = call.attributes_mut().take(&SEEN).unwrap_or(0);
                call.respond_text(format!("{greeting} {seen}")).await
            });
        });
    });
    assert_eq!(client.get("/").text(), "hello 1");
    assert_eq!(
        client.get("/").text(),
        "hello 1",
        "each call starts with its own attributes"
    );
}

/// The test client keeps the cookies responses set, sends them back, and forgets expired ones.
#[test]
fn test_client_keeps_cookies() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/login", async |call| {
                call.response()
                    .header("Set-Cookie", "session=abc; Path=/; HttpOnly")?;
                call.response().header("Set-Cookie", "theme=dark")?;
                call.respond_text("in").await
            });
            route.get("/whoami", async |call| {
                let cookies = call.request().header("Cookie").unwrap_or("none").to_string();
                call.respond_text(cookies).await
            });
            route.get("/logout", async |call| {
                call.response().header("Set-Cookie", "session=; Max-Age=0")?;
                call.respond_text("out").await
            });
        });
    });
    assert_eq!(client.get("/whoami").text(), "none");
    client.get("/login");
    assert_eq!(client.get("/whoami").text(), "session=abc; theme=dark");
    client.get("/logout");
    assert_eq!(client.get("/whoami").text(), "theme=dark");
    assert_eq!(client.cookies(), [("theme".to_string(), "dark".to_string())]);
}

/// The test client speaks every method: PUT, PATCH and DELETE included.
#[test]
fn test_client_methods() {
    let client = test_application(|app| {
        app.intercept(ApplicationCallPipeline::CALL, async |ctx| {
            let call = ctx.call();
            let body = call.receive_text().await?;
            let reply = format!("{} {}", call.request().method(), body);
            call.respond_text(reply).await
        });
    });
    assert_eq!(client.put("/x", "a").text(), "PUT a");
    assert_eq!(client.patch("/x", "b").text(), "PATCH b");
    assert_eq!(client.delete("/x").text(), "DELETE ");
}

/// The test engine gives what the wire gives: a streamed body whose bytes come from a task
/// the handler spawned arrives whole (the call and its body run on one worker, as on a
/// connection), and a 204 carries no body even if the handler wrote one.
#[test]
fn the_test_engine_follows_the_wire() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/from-task", async |call| {
                let (sender, mut receiver) = mini_ktor::runtime::mpsc::channel::<&'static str>();
                drop(mini_ktor::runtime::spawn(async move {
                    mini_ktor::runtime::sleep(std::time::Duration::from_millis(5)).await;
                    let _ = sender.send("from a task");
                }));
                call.respond_bytes_writer(ContentType::TEXT_PLAIN, async move |writer| {
                    if let Some(text) = receiver.recv().await {
                        writer.write(text.as_bytes()).await?;
                    }
                    Ok(())
                })
                .await
            });
            route.get("/no-content", async |call| {
                call.response().set_status(HttpStatusCode::NO_CONTENT);
                call.respond_text("ignored").await
            });
            route.get("/reset", async |call| {
                call.response().set_status(HttpStatusCode::RESET_CONTENT);
                call.respond_text("ignored").await
            });
            route.get("/interim", async |call| {
                call.response().header("X-Handler", "interim")?;
                call.response().set_status(HttpStatusCode::SWITCHING_PROTOCOLS);
                call.respond_text("ignored").await
            });
        });
    });
    assert_eq!(client.get("/from-task").text(), "from a task");
    let empty = client.get("/no-content");
    assert_eq!(empty.status(), HttpStatusCode::NO_CONTENT);
    assert_eq!(empty.text(), "");
    let reset = client.get("/reset");
    assert_eq!(reset.status(), HttpStatusCode::RESET_CONTENT);
    assert_eq!(reset.text(), "");
    let interim = client.get("/interim");
    assert_eq!(interim.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(interim.headers().get("X-Handler"), None);
    assert_eq!(interim.text(), "");
}

/// A header name with a line break, a space or a colon
/// is refused as an error (500), like a value with one: the handler's own header call fails.
#[test]
fn header_name_injection_is_refused() {
    for name in ["X-Evil\r\nSet-Cookie", "Bad Name", "Colon:", ""] {
        let client = test_application(move |app| {
            app.routing(move |route| {
                route.get("/", async move |call| {
                    call.response().header(name, "v")?;
                    call.respond_text("unreachable").await
                });
            });
        });
        let response = client.get("/");
        assert_eq!(
            response.status(),
            HttpStatusCode::INTERNAL_SERVER_ERROR,
            "{name:?}"
        );
        assert!(response.header("Set-Cookie").is_none());
    }
}

//! The bundled plugins: CallLogging, DefaultHeaders, StatusPages and AutoHeadResponse.

mod support;

use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use mini_ktor::engine::EmbeddedServer;
use mini_ktor::plugins::DefaultHeadersConfig;
use mini_ktor::prelude::*; // includes the four plugins
use mini_ktor::testing::{TestClient, test_application};
use support::{connect, read_head, read_response};

// --- CallLogging ---

type Lines = Arc<Mutex<Vec<String>>>;

/// An application with CallLogging writing into the returned `Lines`, plus `module`.
fn logged(module: impl FnOnce(&mut Application)) -> (TestClient, Lines) {
    let lines: Lines = Arc::default();
    let sink = Arc::clone(&lines);
    let client = test_application(move |app| {
        app.install(&CallLogging, move |config| {
            config.sink(move |line| sink.lock().unwrap().push(line.to_string()));
        });
        module(app);
    });
    (client, lines)
}

/// Checks that `line` is `prefix`, a whole number of milliseconds, `ms`, then `suffix`.
fn assert_line(line: &str, prefix: &str, suffix: &str) {
    let elapsed = line
        .strip_prefix(prefix)
        .and_then(|rest| rest.strip_suffix(suffix))
        .and_then(|rest| rest.strip_suffix("ms"))
        .unwrap_or_else(|| panic!("{line:?} is not {prefix:?} <n>ms {suffix:?}"));
    assert!(
        elapsed.parse::<u64>().is_ok(),
        "{line:?}: {elapsed:?} is not a number"
    );
}

/// Routes for the logging tests: a 200, a redirect, and two failures.
fn logging_routes(app: &mut Application) {
    app.routing(|route| {
        route.get("/hello", async |call| call.respond_text("hi").await);
        route.get("/old", async |call| call.respond_redirect("/new", false).await);
        route.get("/boom", async |_call| Err("boom".into()));
        route.get("/gone", async |_call| Err(HttpError::not_found("gone").into()));
    });
}

/// A 200 is logged once, after it is sent, as `200 OK: GET - /hello in <n>ms`; a `302 Found`
/// line also says where it redirects, as Ktor's does.
#[test]
fn call_logging_logs_a_200_in_ktors_format() {
    let (client, lines) = logged(logging_routes);
    assert_eq!(client.get("/hello").text(), "hi");
    client.get("/old");
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_line(&lines[0], "200 OK: GET - /hello in ", "");
    assert_line(&lines[1], "302 Found: GET - /old in ", " -> /new");
}

/// The fallback's 404 goes through the send pipeline, so it is logged like any response.
#[test]
fn call_logging_logs_the_fallback_404() {
    let (client, lines) = logged(logging_routes);
    assert_eq!(client.get("/missing").status(), HttpStatusCode::NOT_FOUND);
    assert_line(&lines.lock().unwrap()[0], "404 Not Found: GET - /missing in ", "");
}

/// Errors the engine answers are logged with the status it sends: 500, or an HttpError's.
#[test]
fn call_logging_logs_failed_calls_with_the_engines_status() {
    let (client, lines) = logged(logging_routes);
    assert_eq!(
        client.get("/boom").status(),
        HttpStatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(client.get("/gone").status(), HttpStatusCode::NOT_FOUND);
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_line(&lines[0], "500 Internal Server Error: GET - /boom in ", "");
    assert_line(&lines[1], "404 Not Found: GET - /gone in ", "");
}

/// The path is logged as received, still encoded, as Ktor logs it: a client's `%0A` stays
/// three characters and cannot start a forged line of its own. A 302 given a reason phrase of
/// its own still says where it redirects.
#[test]
fn call_logging_logs_the_raw_path() {
    let (client, lines) = logged(|app| {
        app.routing(|route| {
            route.get("/moved", async |call| {
                call.response().header("Location", "/new")?;
                let status = HttpStatusCode::new(302, "Moved Temporarily");
                call.respond_status(status).await
            });
        });
    });
    client.get("/x%0A200%20OK:%20GET%20-%20/admin");
    client.get("/moved");
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert_line(
        &lines[0],
        "404 Not Found: GET - /x%0A200%20OK:%20GET%20-%20/admin in ",
        "",
    );
    assert_line(&lines[1], "302 Moved Temporarily: GET - /moved in ", " -> /new");
}

/// With filters, only the calls some filter accepts are logged.
#[test]
fn call_logging_filter_keeps_only_accepted_calls() {
    let lines: Lines = Arc::default();
    let sink = Arc::clone(&lines);
    let client = test_application(move |app| {
        app.install(&CallLogging, move |config| {
            config.sink(move |line| sink.lock().unwrap().push(line.to_string()));
            config.filter(|call| call.request().path().starts_with("/api"));
        });
    });
    client.get("/api/users");
    client.get("/favicon.ico");
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_line(&lines[0], "404 Not Found: GET - /api/users in ", "");
}

/// Installed before StatusPages, CallLogging logs an error StatusPages answers once, as answered.
#[test]
fn call_logging_logs_an_error_answered_by_status_pages_once() {
    let (client, lines) = logged(|app| {
        app.install(&StatusPages, |config| {
            config.exception::<io::Error>(async |call, _error| {
                call.response().set_status(HttpStatusCode::BAD_REQUEST);
                call.respond_text("no tea").await
            });
        });
        app.routing(|route| {
            route.get(
                "/tea",
                async |_call| Err(io::Error::other("kettle broken").into()),
            );
        });
    });
    assert_eq!(client.get("/tea").status(), HttpStatusCode::BAD_REQUEST);
    let lines = lines.lock().unwrap();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_line(&lines[0], "400 Bad Request: GET - /tea in ", "");
}

// --- DefaultHeaders ---

/// An application with DefaultHeaders, configured by `configure`, and one route.
fn with_default_headers(configure: impl FnOnce(&mut DefaultHeadersConfig)) -> TestClient {
    test_application(|app| {
        app.install(&DefaultHeaders, configure);
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("home").await);
            route.get("/own", async |call| {
                call.response().header("Server", "handler/2.0")?;
                call.response().header("X-Custom", "from the handler")?;
                call.respond_text("own").await
            });
        });
    })
}

/// Checks that `date` has the shape of an IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn assert_http_date(date: Option<&str>) {
    let date = date.expect("a Date header");
    assert_eq!(date.len(), 29, "{date:?}");
    assert!(date.ends_with(" GMT") && &date[3..5] == ", ", "{date:?}");
}

/// A 200 gets `Date` and `Server: mini-ktor`, and so does the fallback's 404.
#[test]
fn default_headers_on_a_200_and_the_fallback_404() {
    let client = with_default_headers(|_| {});
    let ok = client.get("/");
    let missing = client.get("/missing");
    assert_eq!(
        (ok.status(), missing.status()),
        (HttpStatusCode::OK, HttpStatusCode::NOT_FOUND)
    );
    for response in [ok, missing] {
        assert_http_date(response.header("Date"));
        assert_eq!(response.header("Server"), Some("mini-ktor"));
    }
}

/// Configured headers are added, all values of a repeated name, and `Server` can be replaced.
#[test]
fn default_headers_adds_configured_headers() {
    let response = with_default_headers(|config| {
        config.header("X-Frame-Options", "DENY");
        config.header("Vary", "Origin");
        config.header("Vary", "Accept");
        config.header("Server", "my-app/1.0");
    })
    .get("/");
    assert_eq!(response.header("X-Frame-Options"), Some("DENY"));
    let vary: Vec<_> = response.headers().get_all("Vary").collect();
    assert_eq!(vary, ["Origin", "Accept"]);
    assert_eq!(response.header("Server"), Some("my-app/1.0"));
}

/// A header the handler set is kept, and not doubled.
#[test]
fn default_headers_keeps_the_handlers_headers() {
    let response = with_default_headers(|config| config.header("X-Custom", "default")).get("/own");
    assert_eq!(
        response.headers().get_all("Server").collect::<Vec<_>>(),
        ["handler/2.0"]
    );
    assert_eq!(
        response.headers().get_all("X-Custom").collect::<Vec<_>>(),
        ["from the handler"]
    );
}

/// An invalid configured header is refused at start-up.
#[test]
#[should_panic(expected = "invalid value for header X-Bad")]
fn default_headers_refuses_an_invalid_header() {
    with_default_headers(|config| config.header("X-Bad", "two\r\nlines"));
}

// --- StatusPages ---

/// Routes that fail with different error types.
fn failing_routes(app: &mut Application) {
    app.routing(|route| {
        route.get("/number", async |call| {
            let text = call.request().query_parameters().get("n").unwrap_or_default();
            let n: i32 = text.parse()?;
            call.respond_text(n.to_string()).await
        });
        route.get(
            "/disk",
            async |_call| Err(io::Error::other("disk on fire").into()),
        );
        route.get("/other", async |_call| Err("something else".into()));
    });
}

/// Each error type goes to its own handler; an error no handler takes is the engine's 500.
#[test]
fn status_pages_maps_errors_by_type() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.exception::<std::num::ParseIntError>(async |call, error| {
                call.response().set_status(HttpStatusCode::BAD_REQUEST);
                call.respond_text(format!("bad number: {error}")).await
            });
            config.exception::<io::Error>(async |call, error| {
                call.response().set_status(HttpStatusCode::SERVICE_UNAVAILABLE);
                call.respond_text(format!("storage: {error}")).await
            });
        });
        failing_routes(app);
    });
    assert_eq!(client.get("/number?n=7").text(), "7");
    let bad = client.get("/number?n=seven");
    assert_eq!(bad.status(), HttpStatusCode::BAD_REQUEST);
    assert_eq!(bad.text(), "bad number: invalid digit found in string");
    let storage = client.get("/disk");
    assert_eq!(storage.status(), HttpStatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(storage.text(), "storage: disk on fire");
    let other = client.get("/other");
    assert_eq!(other.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(other.text(), "", "the engine's 500 has no body");
}

/// When a type is registered twice, the first registration answers.
#[test]
fn status_pages_first_matching_handler_wins() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.exception::<io::Error>(async |call, _error| call.respond_text("first").await);
            config.exception::<io::Error>(async |call, _error| call.respond_text("second").await);
        });
        failing_routes(app);
    });
    assert_eq!(client.get("/disk").text(), "first");
}

/// A status page replaces the fallback's empty 404 body; the status stays 404.
#[test]
fn status_pages_replaces_the_body_of_a_404() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.status(HttpStatusCode::NOT_FOUND, async |call, status| {
                let page = format!("<h1>{status}</h1>");
                call.respond_text_with(page, ContentType::TEXT_HTML_UTF8).await
            });
        });
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("home").await);
        });
    });
    let response = client.get("/missing");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(response.text(), "<h1>404 Not Found</h1>");
    assert_eq!(response.header("Content-Type"), Some("text/html; charset=UTF-8"));
    assert_eq!(client.get("/").text(), "home");
}

/// A status page that answers with its own status runs once: no recursion, no second commit.
#[test]
fn status_pages_status_handler_does_not_recurse() {
    let runs = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&runs);
    let client = test_application(move |app| {
        app.install(&StatusPages, move |config| {
            config.status(HttpStatusCode::NOT_FOUND, async move |call, status| {
                counter.fetch_add(1, Ordering::SeqCst);
                call.response().set_status(status);
                call.respond_text("still not here").await
            });
        });
        app.routing(|route| {
            // A handler's own 404, with a body, is replaced too.
            route.get("/item", async |call| {
                call.response().set_status(HttpStatusCode::NOT_FOUND);
                call.respond_text("no such item").await
            });
        });
    });
    let response = client.get("/item");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(response.text(), "still not here");
    assert_eq!(runs.load(Ordering::SeqCst), 1);
}

/// An exception handler's response is not replaced again by a status page (the marker).
#[test]
fn status_pages_exception_answer_skips_status_pages() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.exception::<io::Error>(async |call, _error| {
                call.response().set_status(HttpStatusCode::NOT_FOUND);
                call.respond_text("from the exception handler").await
            });
            config.status(HttpStatusCode::NOT_FOUND, async |call, _status| {
                call.respond_text("from the status page").await
            });
        });
        failing_routes(app);
    });
    assert_eq!(client.get("/disk").text(), "from the exception handler");
    assert_eq!(client.get("/nowhere").text(), "from the status page");
}

/// A `status(500)` page answers errors no exception handler took, as in Ktor.
#[test]
fn status_pages_500_page_answers_unhandled_errors() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.status(HttpStatusCode::INTERNAL_SERVER_ERROR, async |call, _status| {
                call.respond_text("Sorry, something went wrong.").await
            });
        });
        failing_routes(app);
    });
    let response = client.get("/other");
    assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "Sorry, something went wrong.");
}

/// A status handler that fails leaves the call to the engine: a bare 500.
#[test]
fn status_pages_failing_status_handler_becomes_a_500() {
    let client = test_application(|app| {
        app.install(&StatusPages, |config| {
            config.status(HttpStatusCode::NOT_FOUND, async |_call, _status| {
                Err("the error page is broken".into())
            });
        });
    });
    let response = client.get("/missing");
    assert_eq!(response.status(), HttpStatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(response.text(), "");
}

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

/// On the wire, DefaultHeaders' Date replaces the engine's: one Date, and the Server header.
#[test]
fn default_headers_date_replaces_the_engines_on_the_wire() {
    let (_server, address) = serve(|app| {
        app.install(&DefaultHeaders, |_| {});
    });
    let mut stream = connect(address);
    stream.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let response = read_response(&mut stream, &mut Vec::new());
    assert_eq!(response.status_line, "HTTP/1.1 404 Not Found");
    let dates = response.headers.iter().filter(|(name, _)| name == "date").count();
    assert_eq!(dates, 1, "{:?}", response.headers);
    assert_eq!(response.header("server"), Some("mini-ktor"));
}

/// `Upgrade`, which `ApplicationResponse::header` refuses as the engine's, is refused at
/// start-up: accepted, it would make every response a 500.
#[test]
#[should_panic(expected = "header Upgrade is controlled by the engine")]
fn default_headers_refuses_upgrade_at_start_up() {
    with_default_headers(|config| config.header("Upgrade", "h2c"));
}

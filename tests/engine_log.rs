//! What the engines write on stderr: a failure of the server's own (a handler's error, a
//! panic, a streamed body's producer failing) is logged; what a client does is not (a bad
//! request, a body that never comes, a connection reset in the middle of a streamed response),
//! or any client could fill the server's log at will. Ktor draws the same line with log
//! levels: the second kind goes to DEBUG. A request that a stop cuts short is logged too: an
//! accepted request never ends without a word.
//!
//! The server's stderr cannot be captured inside its own process, so each test runs itself
//! again in a child process, which plays the scenario, and reads the child's stderr.

mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};
use std::process::Command;
use std::time::Duration;

use mini_ktor::engine::{ApplicationEngineFactory, EmbeddedServer};
use mini_ktor::prelude::*;
use mini_ktor::runtime;
use support::{connect, read_response, read_to_close, requesting};

/// Set in the child process: run the scenario instead of starting a child.
const CHILD: &str = "MINI_KTOR_ENGINE_LOG_CHILD";

/// Each client failure is repeated this often, so that a line logged for it would show up as
/// many lines.
const REPEATS: usize = 5;

/// A test that plays `$scenario` in a child process, on each engine, and hands the child's
/// stderr to `$check`.
macro_rules! child_tests {
    ($cio:ident, $blocking:ident: $scenario:ident, $check:ident) => {
        #[test]
        fn $cio() {
            if let Some(stderr) = in_child(stringify!($cio), || {
                $scenario(embedded_server(Cio, 0, module).workers(1))
            }) {
                $check(&stderr);
            } // else: this was the child, which played the scenario
        }

        #[test]
        fn $blocking() {
            if let Some(stderr) = in_child(stringify!($blocking), || {
                $scenario(embedded_server(Blocking, 0, module))
            }) {
                $check(&stderr);
            }
        }
    };
}

child_tests!(cio_logs_server_failures_only, blocking_logs_server_failures_only: scenario, check);
child_tests!(
    cio_reports_a_request_cut_short_by_stop,
    blocking_reports_a_request_cut_short_by_stop: stop_during_a_request,
    check_cut_short
);
child_tests!(
    cio_reports_a_handler_that_outlives_the_stop,
    blocking_reports_a_handler_that_outlives_the_stop: stop_during_a_stuck_handler,
    check_outlived
);

/// A handler that blocks its thread cannot be cancelled: the stop says that its request was
/// cut short, and that it returns with the handler still running.
fn check_outlived(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "mini-ktor: 1 request(s) still being answered at the end of the 100ms grace period \
             were cut short, and their connections closed",
            "mini-ktor: handler code still ran 300ms after the stop began; it was left to end on \
             its own thread",
        ],
        "{stderr}"
    );
}

/// A stop whose grace period ends during a request says so, once, and counts that request
/// only: an accepted request is never dropped without a word, and a connection that had its
/// answer and was only closing is not a request cut short.
fn check_cut_short(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            "mini-ktor: 1 request(s) still being answered at the end of the 300ms grace period \
          were cut short, and their connections closed"
        ],
        "{stderr}"
    );
}

/// The child's stderr holds one line per server failure, and nothing about the clients'.
fn check(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    let count = |text: &str| lines.iter().filter(|line| line.contains(text)).count();
    assert_eq!(count("Exception boom"), 1, "the handler's error:\n{stderr}");
    assert_eq!(count("handler panicked"), 1, "the panic:\n{stderr}");
    assert_eq!(
        count("streamed response failed: the producer gave up"),
        1,
        "{stderr}"
    );
    assert_eq!(
        count("mini-ktor"),
        1,
        "only the producer's failure among the engine's own lines:\n{stderr}"
    );
    for client_failure in ["400", "408", "413", "reset", "Broken pipe", "nope"] {
        assert_eq!(count(client_failure), 0, "{client_failure} logged:\n{stderr}");
    }
}

/// Runs the test named `test` again in a child process and returns what it wrote to stderr.
/// In that child (the test's second run), plays `scenario` instead and returns `None`.
fn in_child(test: &str, scenario: impl FnOnce()) -> Option<String> {
    if std::env::var_os(CHILD).is_some() {
        scenario();
        return None;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads", "1"])
        .env(CHILD, "1")
        .output()
        .expect("the test runs itself");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "the scenario did not run:\n{stdout}");
    // The test harness's own lines are not the engine's: keep only what follows the
    // scenario's start.
    let engine_lines = stderr
        .split_once("scenario starts\n")
        .map(|(_, after)| after.to_string());
    Some(engine_lines.unwrap_or(stderr))
}

fn module(app: &mut Application) {
    app.routing(|route| {
        route.get("/boom", async |_call| Err("boom".into()));
        route.get("/panic", async |_call| panic!("on purpose"));
        route.get("/bad", async |_call| Err(HttpError::bad_request("nope").into()));
        route.post("/echo", async |call| {
            let body = call.receive_bytes().await?;
            call.respond_bytes(body, ContentType::APPLICATION_OCTET_STREAM)
                .await
        });
        route.get("/gives-up", async |call| {
            call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
                writer.write(b"a start").await?;
                Err("the producer gave up".into())
            })
            .await
        });
        route.get("/stuck", async |call| {
            std::thread::sleep(Duration::from_millis(1500)); // blocks the thread: never do this
            call.respond_text("unstuck").await
        });
        route.get("/nap", async |call| {
            runtime::sleep(Duration::from_millis(100)).await;
            call.respond_text("rested").await
        });
        route.get("/sleepy", async |call| {
            runtime::sleep(Duration::from_secs(30)).await;
            call.respond_text("too late").await
        });
        route.get("/endless", async |call| {
            call.respond_bytes_writer(ContentType::TEXT_PLAIN, async |writer| {
                let piece = [b'x'; 16 * 1024];
                // Bounded, so a client that keeps reading cannot keep the test going: 64 MiB.
                for _ in 0..4096 {
                    writer.write(&piece).await?;
                }
                Ok(())
            })
            .await
        });
    });
}

/// In the child: three server failures, each once, then client failures, each `REPEATS` times.
fn scenario<E: ApplicationEngineFactory>(server: EmbeddedServer<E>) {
    let mut server = server
        .request_timeout(Duration::from_millis(100))
        .limits(mini_ktor::http::Limits {
            max_body: 16,
            ..Default::default()
        });
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    // The handler's panic is meant: its report by the panic hook is not the engine's line.
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if info.payload().downcast_ref::<&str>() != Some(&"on purpose") {
            report(info)
        }
    }));
    eprintln!("scenario starts");

    assert_eq!(
        status_of(address, "GET /boom"),
        "HTTP/1.1 500 Internal Server Error"
    );
    assert_eq!(
        status_of(address, "GET /panic"),
        "HTTP/1.1 500 Internal Server Error"
    );
    let cut = answer_to(address, b"GET /gives-up HTTP/1.1\r\nHost: x\r\n\r\n");
    assert!(
        cut.ends_with(b"a start\r\n"),
        "no last chunk: {:?}",
        String::from_utf8_lossy(&cut)
    );

    for _ in 0..REPEATS {
        assert_eq!(status_of(address, "GET /bad"), "HTTP/1.1 400 Bad Request");
        assert_eq!(status_of(address, "GET /%zz"), "HTTP/1.1 400 Bad Request");
        let large = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 17\r\n\r\n";
        assert!(answer_to(address, large).starts_with(b"HTTP/1.1 413 "));
        // The body is asked for only when the handler reads it, and never comes (the client
        // keeps its side open: a close would tell the server no body is coming).
        let mut stream = connect(address);
        let waiting = b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n";
        stream.write_all(waiting).unwrap();
        let answer = read_to_close(&mut stream);
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.contains("HTTP/1.1 408 Request Timeout\r\n"), "{answer}");
        reset_while_streaming(address);
    }
    // Stopping waits for every connection to end, the streaming ones among them, so all they
    // had to log is logged by now.
    server.stop(Duration::from_secs(5), Duration::from_secs(5));
}

/// In the child: a request still in its handler when a stop's 300 ms grace period ends, and
/// one answered during the grace period, whose client keeps its connection open: the server's
/// side of it is then in its lingering close.
fn stop_during_a_request<E: ApplicationEngineFactory>(mut server: EmbeddedServer<E>) {
    let address = begin(&mut server);
    let mut endless = requesting(address, "/sleepy");
    let mut answered = requesting(address, "/nap");
    std::thread::sleep(Duration::from_millis(50)); // both requests are in their handlers
    server.stop(Duration::from_millis(300), Duration::from_millis(300));
    assert!(
        read_to_close(&mut endless).is_empty(),
        "the request got no answer"
    );
    let response = read_response(&mut answered, &mut Vec::new());
    assert_eq!(response.body, b"rested");
}

/// In the child: a handler that blocks its thread for 1.5 s (no `await`, so nothing can
/// cancel it) when a stop with a 100 ms grace period and a 300 ms timeout begins.
fn stop_during_a_stuck_handler<E: ApplicationEngineFactory>(mut server: EmbeddedServer<E>) {
    let address = begin(&mut server);
    let _stuck = requesting(address, "/stuck");
    std::thread::sleep(Duration::from_millis(50)); // the request is in its handler
    server.stop(Duration::from_millis(100), Duration::from_millis(300));
}

/// Starts `server` and marks the start of the scenario on stderr (what `in_child` keeps
/// follows the mark); returns the address it is bound to.
fn begin<E: ApplicationEngineFactory>(server: &mut EmbeddedServer<E>) -> SocketAddr {
    server.start(false).expect("server starts");
    eprintln!("scenario starts");
    server.local_address().expect("bound")
}

/// The status line of the answer to a GET with `request_line`'s method and target.
fn status_of(address: SocketAddr, request_line: &str) -> String {
    let mut stream = connect(address);
    let request = format!("{request_line} HTTP/1.1\r\nHost: x\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    read_response(&mut stream, &mut Vec::new()).status_line
}

/// Everything the server sends in answer to `request`, until it closes.
fn answer_to(address: SocketAddr, request: &[u8]) -> Vec<u8> {
    let mut stream = connect(address);
    stream.write_all(request).unwrap();
    stream.shutdown(Shutdown::Write).ok();
    read_to_close(&mut stream)
}

/// Asks for the endless stream, reads a little of it, and closes with the rest unread, which
/// makes the kernel reset the connection: the server's next writes fail.
fn reset_while_streaming(address: SocketAddr) {
    let mut stream = connect(address);
    stream
        .write_all(b"GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut start = [0; 4096];
    stream.read_exact(&mut start).unwrap();
    drop(stream);
}

//! Byte-exact tests for `write_response_head` and its date.

use mini_ktor::http::{Headers, HttpStatusCode, ResponseFraming, write_response_head};

/// A fixed date, so the output is reproducible.
const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";

/// Writes a head and returns it as text.
fn head(status: HttpStatusCode, headers: &Headers, body: ResponseFraming, close: bool) -> String {
    let mut out = Vec::new();
    write_response_head(&mut out, status, headers, body, close);
    String::from_utf8(out).expect("heads are ASCII here")
}

/// Headers holding the fixed date plus `pairs`.
fn with_date(pairs: &[(&'static str, &'static str)]) -> Headers {
    let mut headers = Headers::new();
    headers.append("Date", DATE);
    for (name, value) in pairs {
        headers.append(*name, *value);
    }
    headers
}

/// A 200 with a length: status line, headers in order, then framing.
#[test]
fn ok_with_content_length() {
    let headers = with_date(&[("Content-Type", "text/plain"), ("X-A", "1")]);
    assert_eq!(
        head(HttpStatusCode::OK, &headers, ResponseFraming::Length(5), false),
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Type: text/plain\r\n\
         X-A: 1\r\nContent-Length: 5\r\n\r\n"
    );
}

/// A chunked response that closes the connection.
#[test]
fn chunked_and_close() {
    let headers = with_date(&[]);
    assert_eq!(
        head(
            HttpStatusCode::NOT_FOUND,
            &headers,
            ResponseFraming::Chunked,
            true
        ),
        "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\
         Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    );
}

/// 204 carries no framing header at all.
#[test]
fn no_content_has_no_framing() {
    let headers = with_date(&[]);
    assert_eq!(
        head(
            HttpStatusCode::NO_CONTENT,
            &headers,
            ResponseFraming::NoBody,
            false
        ),
        "HTTP/1.1 204 No Content\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"
    );
}

/// A 101 keeps the handler's Connection and Upgrade lines.
#[test]
fn switching_protocols_keeps_upgrade_headers() {
    let headers = with_date(&[("Connection", "Upgrade"), ("Upgrade", "websocket")]);
    assert_eq!(
        head(
            HttpStatusCode::SWITCHING_PROTOCOLS,
            &headers,
            ResponseFraming::NoBody,
            false
        ),
        "HTTP/1.1 101 Switching Protocols\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\
         Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    );
}

/// Framing headers set by a handler are replaced by the writer's own.
#[test]
fn handler_framing_headers_are_skipped() {
    let headers = with_date(&[("content-length", "999"), ("Transfer-Encoding", "gzip")]);
    assert_eq!(
        head(HttpStatusCode::OK, &headers, ResponseFraming::Length(2), false),
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\n"
    );
}

/// Lines that would inject headers are dropped.
#[test]
fn invalid_lines_are_dropped() {
    let headers = with_date(&[
        ("X-Evil", "a\r\nSet-Cookie: x=1"),
        ("Bad Name", "v"),
        ("Ok", "fine"),
    ]);
    assert_eq!(
        head(HttpStatusCode::OK, &headers, ResponseFraming::NoBody, false),
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nOk: fine\r\n\r\n"
    );
}

/// A handler's `Connection: close` is not written twice.
#[test]
fn connection_close_not_repeated() {
    let headers = with_date(&[("Connection", "close")]);
    let text = head(HttpStatusCode::OK, &headers, ResponseFraming::Length(0), true);
    assert_eq!(text.matches("Connection").count(), 1);
    assert!(text.ends_with("Connection: close\r\nContent-Length: 0\r\n\r\n"));
}

/// Without a handler's Date, a current one comes right after the status line.
#[test]
fn automatic_date() {
    let text = head(
        HttpStatusCode::OK,
        &Headers::new(),
        ResponseFraming::Length(0),
        false,
    );
    let date = text
        .strip_prefix("HTTP/1.1 200 OK\r\nDate: ")
        .expect("status line, then Date");
    assert_eq!(&date[29..], "\r\nContent-Length: 0\r\n\r\n");
    assert!(date[..29].ends_with(" GMT"));
}

/// A handler's Date that cannot be written does not suppress the real one.
#[test]
fn invalid_handler_date_is_replaced() {
    let mut headers = Headers::new();
    headers.append("Date", "today\r\nX: 1");
    let text = head(HttpStatusCode::OK, &headers, ResponseFraming::NoBody, false);
    assert_eq!(text.matches("Date: ").count(), 1);
    assert!(!text.contains("today"));
}

/// Unknown codes print Ktor's description; codes outside 100-999 become 500.
#[test]
fn unusual_status_codes() {
    let headers = with_date(&[]);
    let unknown = head(
        HttpStatusCode::from_value(599),
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    assert!(unknown.starts_with("HTTP/1.1 599 Unknown Status Code\r\n"));
    let bogus = HttpStatusCode::new(1000, "Nope");
    let text = head(bogus, &headers, ResponseFraming::NoBody, false);
    assert!(text.starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

/// A reason phrase with CR or LF is left out; the space before it stays.
#[test]
fn unsafe_reason_phrase_is_omitted() {
    let sneaky = HttpStatusCode::new(200, "OK\r\nX-Injected: 1");
    let text = head(sneaky, &with_date(&[]), ResponseFraming::NoBody, false);
    assert!(text.starts_with("HTTP/1.1 200 \r\nDate:"));
}

/// The head is appended after what the buffer already holds.
#[test]
fn appends_to_the_buffer() {
    let mut out = b"previous response".to_vec();
    write_response_head(
        &mut out,
        HttpStatusCode::OK,
        &with_date(&[]),
        ResponseFraming::Length(1),
        false,
    );
    assert!(out.starts_with(b"previous responseHTTP/1.1 200 OK\r\n"));
}

/// A listed code with a phrase of the handler's own keeps that phrase, and a
/// listed phrase on another code is not mistaken for that code's line.
#[test]
fn custom_phrase_on_a_listed_code() {
    let headers = with_date(&[]);
    let okay = head(
        HttpStatusCode::new(200, "Okay"),
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    assert!(okay.starts_with("HTTP/1.1 200 Okay\r\nDate:"));
    let odd = head(
        HttpStatusCode::new(404, "OK"),
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    assert!(odd.starts_with("HTTP/1.1 404 OK\r\nDate:"));
    let tabbed = head(
        HttpStatusCode::new(200, "O\tK"),
        &headers,
        ResponseFraming::NoBody,
        false,
    );
    assert!(tabbed.starts_with("HTTP/1.1 200 O\tK\r\nDate:"));
}

/// HTAB is allowed in values, short or long; DEL and CTLs anywhere in a long
/// value drop the line, including in its last bytes.
#[test]
fn tabs_kept_controls_dropped_in_long_values() {
    let headers = with_date(&[
        ("X-Short-Tab", "a\tb"),
        ("X-Long-Tab", "a value with\ttabs, long enough\t"),
        ("X-Del-At-End", "0123456789abcdef\x7f"),
        ("X-Nul-In-Middle", "01234567\x0089abcdef"),
        ("X-Fine", "ünïcode and more than eight bytes"),
    ]);
    assert_eq!(
        head(HttpStatusCode::OK, &headers, ResponseFraming::NoBody, false),
        "HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nX-Short-Tab: a\tb\r\n\
         X-Long-Tab: a value with\ttabs, long enough\t\r\n\
         X-Fine: ünïcode and more than eight bytes\r\n\r\n"
    );
}

/// A long cookie, several headers and a seven-digit length, byte for byte.
#[test]
fn several_headers_and_a_long_length() {
    let headers = with_date(&[
        ("Content-Type", "application/json; charset=utf-8"),
        (
            "Set-Cookie",
            "SESSION=4f2a9c1e7b3d8a6f0e5d4c3b2a1f0e9d; Max-Age=3600; Path=/; HttpOnly",
        ),
        ("Cache-Control", "no-store"),
    ]);
    assert_eq!(
        head(
            HttpStatusCode::CREATED,
            &headers,
            ResponseFraming::Length(1_234_567),
            true
        ),
        "HTTP/1.1 201 Created\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\
         Content-Type: application/json; charset=utf-8\r\n\
         Set-Cookie: SESSION=4f2a9c1e7b3d8a6f0e5d4c3b2a1f0e9d; Max-Age=3600; Path=/; HttpOnly\r\n\
         Cache-Control: no-store\r\nContent-Length: 1234567\r\nConnection: close\r\n\r\n"
    );
}

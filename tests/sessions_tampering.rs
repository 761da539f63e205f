//! Signed sessions against a client that changes its cookie, and the `sessions` example end
//! to end: over the test engine, and over a real socket with a hand-written cookie jar.

mod support;

#[path = "../examples/sessions.rs"]
#[allow(dead_code)]
mod example;

use std::io::Write;

use mini_ktor::crypto::{hex, hmac_sha256};
use mini_ktor::http::encode_uri_component;
use mini_ktor::prelude::*;
use mini_ktor::sessions::{CallSessions, MemoryStorage, Sessions};
use mini_ktor::testing::{TestClient, test_application};
use support::{connect, read_response};

const KEY: [u8; 32] = [9; 32];

/// An app with a signed `String` session; `/` answers the session or `none`, and never sets.
fn app() -> TestClient {
    test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S").sign(KEY);
        });
        app.routing(|route| {
            route.get("/", async |call| {
                let session: Option<String> = call.sessions().get()?;
                call.respond_text(session.unwrap_or_else(|| "none".to_string()))
                    .await
            });
        });
    })
}

/// What a request with cookie `S` holding `wire` (before URI encoding) answers, and whether
/// the response set a cookie.
fn send(wire: &str) -> (String, Option<String>) {
    let cookie = format!("S={}", encode_uri_component(wire));
    let response = app()
        .request(HttpMethod::Get, "/")
        .header("Cookie", &cookie)
        .send();
    (response.text(), response.header("Set-Cookie").map(str::to_string))
}

fn signed(value: &str, key: &[u8]) -> String {
    format!(
        "{value}/{}",
        hex::encode_lower(&hmac_sha256(key, value.as_bytes()))
    )
}

/// The signature is compared as the text the server writes, lowercase hex: the same bytes
/// spelled in uppercase are another signature, refused.
#[test]
fn uppercase_signature_is_no_session() {
    let wire = signed("ana", &KEY);
    let (value, signature) = wire.split_once('/').unwrap();
    assert_eq!(send(&format!("{value}/{}", signature.to_uppercase())).0, "none");
}

/// Two cookies of one name: the first is read (RFC 6265 §5.4 puts the most specific path
/// first), so a bad one in front hides a good one behind it, and a good one in front wins.
#[test]
fn the_first_cookie_of_a_name_is_read() {
    let good = encode_uri_component(&signed("ana", &KEY));
    let ask = |cookie: String| {
        app()
            .request(HttpMethod::Get, "/")
            .header("Cookie", &cookie)
            .send()
            .text()
    };
    assert_eq!(ask(format!("S=junk; S={good}")), "none");
    assert_eq!(ask(format!("S={good}; S=junk")), "ana");
}

/// A lifetime too long to add to the clock gives a cookie that expires at the end of year
/// 9999, the latest date `Expires` can spell, instead of a failed call.
#[test]
fn a_huge_max_age_is_capped_not_a_failure() {
    // The value in the cookie, and an id in the cookie with the value in a storage, whose
    // entry gets the same lifetime.
    for stored in [false, true] {
        let client = test_application(move |app| {
            app.install(&Sessions, |sessions| {
                let provider = sessions.cookie::<String>("S").sign(KEY);
                provider.cookie(|cookie| cookie.max_age_seconds = Some(u64::MAX));
                if stored {
                    provider.storage(MemoryStorage::new());
                }
            });
            app.routing(|route| {
                route.get("/login", async |call| {
                    call.sessions().set("ana".to_string())?;
                    call.respond_text("ok").await
                });
            });
        });
        let response = client.get("/login");
        assert_eq!(response.status(), HttpStatusCode::OK, "stored: {stored}");
        let set_cookie = response.header("Set-Cookie").expect("a session cookie");
        assert!(
            set_cookie.contains("Expires=Fri, 31 Dec 9999 23:59:59 GMT"),
            "{set_cookie}"
        );
    }
}

/// The untouched cookie is accepted: the baseline for the tests below.
#[test]
fn valid_signature_is_accepted() {
    assert_eq!(send(&signed("ana", &KEY)).0, "ana");
}

/// A changed byte in the value: no session, no error, and nothing sent back.
#[test]
fn flipped_byte_in_value_is_no_session() {
    let wire = signed("ana", &KEY).replacen("ana", "anb", 1);
    assert_eq!(send(&wire), ("none".to_string(), None));
}

/// A changed byte in the signature.
#[test]
fn flipped_byte_in_signature_is_no_session() {
    let mut wire = signed("ana", &KEY);
    let last = wire.pop().unwrap();
    wire.push(if last == '0' { '1' } else { '0' });
    assert_eq!(send(&wire).0, "none");
}

/// A signature cut short (constant-time comparison of unequal lengths is still "no").
#[test]
fn truncated_signature_is_no_session() {
    let wire = signed("ana", &KEY);
    assert_eq!(send(&wire[..wire.len() - 2]).0, "none");
}

/// An extra `/` at the end: the signature after the last `/` is empty.
#[test]
fn extra_slash_is_no_session() {
    assert_eq!(send(&format!("{}/", signed("ana", &KEY))).0, "none");
}

/// A value with `/` in it is fine: the split is at the last `/`.
#[test]
fn slash_inside_the_value_is_kept() {
    assert_eq!(send(&signed("a/b", &KEY)).0, "a/b");
}

/// Signed with another key.
#[test]
fn wrong_key_is_no_session() {
    assert_eq!(send(&signed("ana", &[8; 32])).0, "none");
}

/// `value/` with an empty signature is no session.
#[test]
fn empty_signature_is_no_session() {
    assert_eq!(send("ana/").0, "none");
}

/// A value with no `/` at all (no signature) is no session.
#[test]
fn missing_signature_is_no_session() {
    assert_eq!(send("ana").0, "none");
}

/// The example over the test engine: form login, counting, logout.
#[test]
fn example_login_counts_and_logs_out() {
    let client = test_application(example::module);
    assert!(client.get("/").text().contains("<form"));
    let login = client
        .request(HttpMethod::Post, "/login")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("name=Ana+Lee")
        .send();
    assert_eq!(login.status(), HttpStatusCode::FOUND);
    assert_eq!(client.get("/").text(), "Hello, Ana Lee: visit 1");
    assert_eq!(client.get("/").text(), "Hello, Ana Lee: visit 2");
    client.get("/logout");
    assert!(client.cookies().is_empty());
    assert!(client.get("/").text().contains("<form"));
}

/// The example over a real socket. The client is a `TcpStream` and a one-cookie jar: it keeps
/// the `name=value` part of `Set-Cookie` and sends it back as `Cookie`, as a browser would.
#[test]
fn example_over_a_socket_with_a_cookie_jar() {
    let mut server = embedded_server(Cio, 0, example::module).workers(1);
    server.start(false).expect("server starts");
    let address = server.local_address().expect("bound");
    let mut stream = connect(address);
    let mut buffered = Vec::new();
    let mut jar: Option<String> = None;
    let mut exchange = |request: String, jar: &mut Option<String>| {
        let cookie = jar
            .as_ref()
            .map(|c| format!("Cookie: {c}\r\n"))
            .unwrap_or_default();
        let request = request.replacen("\r\n\r\n", &format!("\r\n{cookie}\r\n"), 1);
        stream.write_all(request.as_bytes()).unwrap();
        let response = read_response(&mut stream, &mut buffered);
        if let Some(set_cookie) = response.header("set-cookie") {
            let pair = set_cookie.split(';').next().unwrap().to_string();
            *jar = if pair.ends_with('=') { None } else { Some(pair) };
        }
        response
    };
    let login = "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8\r\n\r\nname=bob";
    let response = exchange(login.to_string(), &mut jar);
    assert!(response.status_line.starts_with("HTTP/1.1 302"));
    let pair = jar.clone().expect("a session cookie");
    assert!(
        pair.starts_with("USER_SESSION=name%3Dbob%26visits%3D0%2F"),
        "{pair}"
    );
    let get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".to_string();
    assert_eq!(exchange(get.clone(), &mut jar).body, b"Hello, bob: visit 1");
    assert_eq!(exchange(get.clone(), &mut jar).body, b"Hello, bob: visit 2");
    exchange("GET /logout HTTP/1.1\r\nHost: x\r\n\r\n".to_string(), &mut jar);
    assert_eq!(jar, None);
    assert!(String::from_utf8_lossy(&exchange(get, &mut jar).body).contains("<form"));
    server.stop(std::time::Duration::ZERO, std::time::Duration::from_secs(5));
}

//! Sessions: a login form, a per-user visit counter kept in a signed cookie, and logout.
//!
//! ```sh
//! cargo run --example sessions
//! # then open http://127.0.0.1:8080/ in a browser, or with curl and a cookie jar:
//! curl -c /tmp/jar -b /tmp/jar -d 'name=ana' http://127.0.0.1:8080/login   # 302 to /
//! curl -c /tmp/jar -b /tmp/jar http://127.0.0.1:8080/                      # Hello, ana: visit 1
//! curl -c /tmp/jar -b /tmp/jar http://127.0.0.1:8080/                      # Hello, ana: visit 2
//! curl -c /tmp/jar -b /tmp/jar http://127.0.0.1:8080/logout                # 302 to /, cookie expired
//! ```
//!
//! The key is 32 random bytes made at start-up, so a restart logs everybody out: their
//! cookies' signatures no longer check. A real application loads its key from a secret store.
//! `PORT` and `WORKERS` work as for `hello`.

use mini_ktor::crypto::random_bytes;
use mini_ktor::prelude::*;
use mini_ktor::sessions::{CallSessions, Form, SessionValue, Sessions};

fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, module)
        .configure_from_env()
        .start(true)
}

// ANCHOR: session_type
/// What the cookie carries: who is logged in, and how many pages they have seen.
///
/// Ktor: the session class given to `cookie<UserSession>(...)`, a `@Serializable data class`
#[derive(Clone, Debug, PartialEq)]
pub struct UserSession {
    name: String,
    visits: u32,
}

impl SessionValue for UserSession {
    fn encode(&self) -> String {
        Form::new()
            .field("name", &self.name)
            .field("visits", self.visits)
            .finish()
    }

    fn decode(text: &str) -> Option<Self> {
        let form = Form::parse(text);
        Some(UserSession {
            name: form.get("name")?,
            visits: form.get_as("visits")?,
        })
    }
}
// ANCHOR_END: session_type

/// The login form, shown to whoever has no session.
const LOGIN_FORM: &str = "<form method=post action=/login>\
    <input name=name placeholder='your name'> <button>Log in</button></form>";

// ANCHOR: sessions_module
/// The application: a signed session cookie and three routes.
///
/// Ktor: an application module, `fun Application.module()`
pub fn module(app: &mut Application) {
    let key: [u8; 32] = random_bytes().expect("the OS has randomness");
    app.install(&Sessions, |sessions| {
        sessions.cookie::<UserSession>("USER_SESSION").sign(key);
    });
    app.routing(|route| {
        route.get("/", async |call| {
            let Some(mut session) = call.sessions().get::<UserSession>()? else {
                return call
                    .respond_text_with(LOGIN_FORM, ContentType::TEXT_HTML_UTF8)
                    .await;
            };
            session.visits += 1;
            call.sessions().set(session.clone())?; // sent back on this response
            let text = format!("Hello, {}: visit {}", session.name, session.visits);
            call.respond_text(text).await
        });
        route.post("/login", async |call| {
            let form = call.receive_parameters().await?;
            let name = form.get("name").unwrap_or("").trim().to_string();
            if name.is_empty() {
                return Err(HttpError::bad_request("a name is needed").into());
            }
            call.sessions().set(UserSession { name, visits: 0 })?;
            call.respond_redirect("/", false).await
        });
        route.get("/logout", async |call| {
            call.sessions().clear::<UserSession>()?; // an expired cookie goes out
            call.respond_redirect("/", false).await
        });
    });
}
// ANCHOR_END: sessions_module

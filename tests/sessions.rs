//! The Sessions plugin over the test engine: lifecycle, trackers, storages, errors.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, SystemTime};

use mini_ktor::application::ApplicationCallPipeline;
use mini_ktor::prelude::*;
use mini_ktor::sessions::{
    CallSessions, DirectoryStorage, Form, MemoryStorage, SessionError, SessionStorage, SessionValue, Sessions,
};
use mini_ktor::testing::{TestClient, test_application};

const KEY: [u8; 32] = [7; 32];

#[derive(Clone, Debug, PartialEq)]
struct Visits {
    name: String,
    count: u32,
}

impl SessionValue for Visits {
    fn encode(&self) -> String {
        Form::new()
            .field("name", &self.name)
            .field("count", self.count)
            .finish()
    }
    fn decode(text: &str) -> Option<Self> {
        let form = Form::parse(text);
        Some(Visits {
            name: form.get("name")?,
            count: form.get_as("count")?,
        })
    }
}

/// `/login` sets, `/` counts (and sets), `/peek` only reads, `/logout` clears.
fn routes(app: &mut Application) {
    app.routing(|route| {
        route.get("/login", async |call| {
            let name = "ana".to_string();
            call.sessions().set(Visits { name, count: 0 })?;
            call.respond_text("in").await
        });
        route.get("/", async |call| {
            let Some(mut visits) = call.sessions().get::<Visits>()? else {
                return call.respond_text("nobody").await;
            };
            visits.count += 1;
            call.sessions().set(visits.clone())?;
            call.respond_text(format!("{} {}", visits.name, visits.count))
                .await
        });
        route.get("/peek", async |call| {
            let visits = call.sessions().get::<Visits>()?;
            call.respond_text(format!("{visits:?}")).await
        });
        route.get("/logout", async |call| {
            call.sessions().clear::<Visits>()?;
            call.respond_text("out").await
        });
    });
}

fn signed_app() -> TestClient {
    test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<Visits>("VISITS").sign(KEY);
        });
        routes(app);
    })
}

fn stored_app(storage: Arc<MemoryStorage>) -> TestClient {
    test_application(move |app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<Visits>("VISITS").storage(storage);
        });
        routes(app);
    })
}

/// A signed by-value session round-trips: set, then counted on each request; the cookie has
/// Ktor's defaults.
#[test]
fn signed_cookie_session_counts_visits() {
    let client = signed_app();
    assert_eq!(client.get("/").text(), "nobody");
    let login = client.get("/login");
    let set_cookie = login.header("Set-Cookie").expect("a cookie");
    assert!(
        set_cookie.starts_with("VISITS=name%3Dana%26count%3D0%2F"),
        "{set_cookie}"
    );
    assert!(set_cookie.contains("; Max-Age=604800; Expires="), "{set_cookie}");
    assert!(set_cookie.ends_with("; Path=/; HttpOnly"), "{set_cookie}");
    assert_eq!(client.get("/").text(), "ana 1");
    assert_eq!(client.get("/").text(), "ana 2");
}

/// A plain `get` sends no cookie: reading does not refresh the session.
#[test]
fn get_alone_sends_no_cookie() {
    let client = signed_app();
    client.get("/login");
    let peek = client.get("/peek");
    assert!(peek.text().contains("ana"));
    assert_eq!(peek.header("Set-Cookie"), None);
}

/// `clear` sends an expired, empty cookie; the client then has no session.
#[test]
fn logout_expires_the_cookie() {
    let client = signed_app();
    client.get("/login");
    let logout = client.get("/logout");
    let set_cookie = logout.header("Set-Cookie").unwrap();
    assert!(set_cookie.starts_with("VISITS=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT"));
    assert!(client.cookies().is_empty());
    assert_eq!(client.get("/").text(), "nobody");
}

/// By id: the cookie holds 64 hex characters; the data is in the storage under that id, and
/// the id stays the same as the session changes.
#[test]
fn by_id_session_keeps_data_in_the_storage() {
    let storage = Arc::new(MemoryStorage::new());
    let client = stored_app(Arc::clone(&storage));
    client.get("/login");
    let (_, id) = client.cookies().into_iter().next().unwrap();
    assert_eq!(id.len(), 64);
    assert!(
        id.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    );
    assert_eq!(storage.read(&id).unwrap().as_deref(), Some("name=ana&count=0"));
    assert_eq!(client.get("/").text(), "ana 1");
    assert_eq!(client.cookies()[0].1, id);
    assert_eq!(storage.read(&id).unwrap().as_deref(), Some("name=ana&count=1"));
}

/// Logout invalidates the id in the storage; a new login gets a new id.
#[test]
fn by_id_logout_invalidates_and_login_gets_a_new_id() {
    let storage = Arc::new(MemoryStorage::new());
    let client = stored_app(Arc::clone(&storage));
    client.get("/login");
    let first = client.cookies()[0].1.clone();
    client.get("/logout");
    assert_eq!(storage.read(&first).unwrap(), None);
    client.get("/login");
    assert_ne!(client.cookies()[0].1, first);
}

/// An id the storage does not know (a restart, say) is no session, and the cookie is cleared.
#[test]
fn unknown_id_clears_the_cookie() {
    let client = stored_app(Arc::new(MemoryStorage::new()));
    let unknown = "ab".repeat(32);
    let response = client
        .request(HttpMethod::Get, "/")
        .header("Cookie", &format!("VISITS={unknown}"))
        .send();
    assert_eq!(response.text(), "nobody");
    assert!(
        response
            .header("Set-Cookie")
            .unwrap()
            .starts_with("VISITS=; Max-Age=0")
    );
}

/// A stored session past its cookie's Max-Age is not returned, and is deleted.
#[test]
fn expired_stored_session_is_gone() {
    let storage = Arc::new(MemoryStorage::new());
    let shared = Arc::clone(&storage);
    let client = test_application(move |app| {
        app.install(&Sessions, |sessions| {
            sessions
                .cookie::<Visits>("VISITS")
                .storage(shared)
                .cookie(|cookie| cookie.max_age_seconds = Some(1));
        });
        routes(app);
    });
    client.get("/login");
    assert_eq!(client.get("/").text(), "ana 1");
    thread::sleep(Duration::from_millis(2100));
    assert_eq!(client.get("/").text(), "nobody");
    assert!(storage.is_empty());
}

/// MemoryStorage: an entry whose deadline passed is neither read nor kept by a purge.
#[test]
fn memory_storage_purges_expired_entries() {
    let storage = MemoryStorage::new();
    let past = Some(SystemTime::now() - Duration::from_secs(1));
    storage.write("old", "x", past).unwrap();
    storage.write("new", "y", None).unwrap();
    storage.purge_expired();
    assert_eq!(storage.len(), 1);
    assert_eq!(storage.read("new").unwrap().as_deref(), Some("y"));
}

/// Many threads updating one MemoryStorage: every write lands, none is torn.
#[test]
fn memory_storage_takes_concurrent_updates() {
    let storage = Arc::new(MemoryStorage::new());
    let threads: Vec<_> = (0..8)
        .map(|t| {
            let storage = Arc::clone(&storage);
            thread::spawn(move || {
                for i in 0..500 {
                    storage
                        .write(&format!("t{t}-{}", i % 50), &format!("{t}:{i}"), None)
                        .unwrap();
                    storage.write("shared", &format!("{t}:{i}"), None).unwrap();
                    let seen = storage.read("shared").unwrap().unwrap();
                    assert!(seen.contains(':'), "torn value {seen:?}");
                }
            })
        })
        .collect();
    for handle in threads {
        handle.join().unwrap();
    }
    assert_eq!(storage.len(), 8 * 50 + 1);
    for t in 0..8 {
        assert_eq!(
            storage.read(&format!("t{t}-49")).unwrap().unwrap(),
            format!("{t}:499")
        );
    }
}

/// DirectoryStorage: one file per id, expiry honoured, ids that could escape refused.
#[test]
fn directory_storage_keeps_files_and_refuses_escaping_ids() {
    let dir = std::env::temp_dir().join(format!("sessions-test-{}", std::process::id()));
    let storage = DirectoryStorage::new(&dir).unwrap();
    let id = "ab".repeat(32);
    storage.write(&id, "name=ana", None).unwrap();
    assert!(dir.join("ab").join(format!("{id}.session")).is_file());
    assert_eq!(storage.read(&id).unwrap().as_deref(), Some("name=ana"));
    for bad in ["", "../x", "a/b", "a\\b", "a.b", "x\0", &"a".repeat(129)] {
        assert!(storage.write(bad, "x", None).is_err(), "{bad:?}");
        assert_eq!(storage.read(bad).unwrap(), None);
    }
    let past = Some(SystemTime::now() - Duration::from_secs(1));
    storage.write("cd1", "x", past).unwrap();
    assert_eq!(storage.purge_expired().unwrap(), 1);
    storage.invalidate(&id).unwrap();
    assert_eq!(storage.read(&id).unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// DirectoryStorage survives files it did not write: a file that is not UTF-8, or whose
/// deadline is too large to be a time, is an expired session (no error, no panic), removed when
/// read or purged; a purge leaves a write's temporary file, which is not a `.session` file, to
/// its writer.
#[test]
fn directory_storage_treats_damaged_files_as_expired() {
    let dir = std::env::temp_dir().join(format!("sessions-damaged-{}", std::process::id()));
    let storage = DirectoryStorage::new(&dir).unwrap();
    let fan_out = dir.join("ab");
    std::fs::create_dir_all(&fan_out).unwrap();
    std::fs::write(fan_out.join("abc.session"), b"-\n\xff").unwrap();
    std::fs::write(fan_out.join("abd.session"), "18446744073709551615\nname=ana").unwrap();
    assert_eq!(storage.read("abc").unwrap(), None);
    assert!(
        !fan_out.join("abc.session").exists(),
        "the damaged file is removed"
    );

    let partial = fan_out.join("abe.partial-1-ThreadId(2)");
    std::fs::write(&partial, "").unwrap();
    assert_eq!(storage.purge_expired().unwrap(), 1, "abd only");
    assert!(partial.exists(), "a write's temporary file is not the purge's");
    assert_eq!(storage.read("abd").unwrap(), None);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A provider's name must be a token, and its cookie's attributes must not hold a `;` or a
/// control character: either mistake stops the configuration, as Ktor's `assertCookieName`
/// does, rather than give sessions that never come back or attributes the client reads as
/// others.
#[test]
fn names_and_attributes_that_cannot_travel_are_refused() {
    for name in ["MY SESSION", "a;b", "", "naïve"] {
        let refused = std::panic::catch_unwind(|| {
            test_application(|app| {
                app.install(&Sessions, |sessions| {
                    sessions.cookie::<String>(name);
                });
            })
        });
        assert!(refused.is_err(), "{name:?}");
    }
    for path in ["/a; Secure", "/a\nb", "/a\tb"] {
        let refused = std::panic::catch_unwind(|| {
            test_application(|app| {
                app.install(&Sessions, |sessions| {
                    sessions
                        .cookie::<String>("S")
                        .cookie(|cookie| cookie.path = Some(path.to_string()));
                });
            })
        });
        assert!(refused.is_err(), "{path:?}");
    }
    let accepted = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions
                .cookie::<String>("USER_1")
                .cookie(|cookie| cookie.path = Some("/app".to_string()));
        });
    });
    assert_eq!(accepted.get("/").status(), HttpStatusCode::NOT_FOUND);
}

/// Header transport by id: the id comes back in the response header of that name.
#[test]
fn header_session_by_id() {
    let client = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions
                .header::<Visits>("X-Session")
                .storage(MemoryStorage::new());
        });
        routes(app);
    });
    let login = client.get("/login");
    let id = login.header("X-Session").unwrap().to_string();
    assert_eq!(login.header("Set-Cookie"), None);
    let next = client
        .request(HttpMethod::Get, "/")
        .header("X-Session", &id)
        .send();
    assert_eq!(next.text(), "ana 1");
}

/// `set` after the response is committed is TooLateSessionSet.
#[test]
fn set_after_respond_is_too_late() {
    let client = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S");
        });
        app.routing(|route| {
            route.get("/", async |call| {
                call.respond_text("done").await?;
                let late = call.sessions().set("x".to_string()).unwrap_err();
                let late = late.downcast::<SessionError>().unwrap();
                assert_eq!(*late, SessionError::TooLateSessionSet);
                Ok(())
            });
        });
    });
    let response = client.get("/");
    assert_eq!(response.text(), "done");
    assert_eq!(response.header("Set-Cookie"), None);
}

/// Without the plugin, `sessions()` says it is not installed.
#[test]
fn sessions_without_the_plugin_is_an_error() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| {
                let error = call.sessions().get::<String>().unwrap_err();
                call.respond_text(error.to_string()).await
            });
        });
    });
    assert!(client.get("/").text().contains("not installed"));
}

/// Before the Plugins phase (in Monitoring), sessions are not yet ready.
#[test]
fn sessions_before_plugins_phase_is_an_error() {
    let client = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S");
        });
        app.intercept(ApplicationCallPipeline::MONITORING, async |ctx| {
            let error = ctx.call().sessions().get::<String>().unwrap_err();
            ctx.call().respond_text(error.to_string()).await
        });
    });
    assert!(client.get("/").text().contains("not yet ready"));
}

/// A type without a provider is an error naming the type.
#[test]
fn unregistered_type_is_an_error() {
    let client = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S");
        });
        app.routing(|route| {
            route.get("/", async |call| {
                let error = call.sessions().get::<Visits>().unwrap_err();
                call.respond_text(error.to_string()).await
            });
        });
    });
    assert!(client.get("/").text().contains("Visits` was not registered"));
}

/// Two providers with one name are refused at configuration time.
#[test]
#[should_panic(expected = "already registered session provider with name S")]
fn duplicate_name_is_refused() {
    test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S");
            sessions.cookie::<Visits>("S");
        });
    });
}

/// Two providers for one type are refused at configuration time.
#[test]
#[should_panic(expected = "already registered session provider for type")]
fn duplicate_type_is_refused() {
    test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("A");
            sessions.header::<String>("B");
        });
    });
}

/// A signing key under 32 bytes is refused, with the reason.
#[test]
#[should_panic(expected = "needs at least 32 bytes, this one has 16")]
fn short_signing_key_is_refused() {
    test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S").sign([1u8; 16]);
        });
    });
}

/// The Fallback's 404 also writes the sessions (it is the first respond).
#[test]
fn not_found_response_still_writes_sessions() {
    let client = test_application(|app| {
        app.install(&Sessions, |sessions| {
            sessions.cookie::<String>("S");
        });
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            ctx.call().sessions().set("seen".to_string())?;
            Ok(())
        });
    });
    let response = client.get("/nowhere");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert!(response.header("Set-Cookie").unwrap().starts_with("S=seen;"));
}

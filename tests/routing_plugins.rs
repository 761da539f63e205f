//! Route-scoped plugins: installed on a route, they apply to its subtree; the nearest
//! installation wins.

use std::sync::{Arc, Mutex};

use mini_ktor::application::{
    CallFailed, OutgoingContent, ResponseSent, RouteScopedPlugin, create_route_scoped_plugin,
};
use mini_ktor::plugins::StatusPages;
use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

#[derive(Default)]
struct Label(&'static str);

/// A plugin that labels responses, before they are rendered, with its configured text.
fn labeller() -> RouteScopedPlugin<Label> {
    create_route_scoped_plugin("Labeller", Label::default, |plugin| {
        plugin.on_call_respond(async |ctx, label| {
            ctx.call().response().header("X-Label", label.0)?;
            Ok(())
        });
    })
}

/// A module with the plugin on `/api` and again, configured differently, on `/api/admin`.
fn module(app: &mut Application) {
    app.routing(|root| {
        root.route("/api", |api| {
            api.install(&labeller(), |label| label.0 = "api");
            api.get("/items", async |call| call.respond_text("items").await);
            api.route("/admin", |admin| {
                admin.install(&labeller(), |label| label.0 = "admin");
                admin.get("/users", async |call| call.respond_text("users").await);
            });
        });
        root.get("/public", async |call| call.respond_text("public").await);
    });
}

/// A route-scoped plugin applies to the calls routed into its subtree, and only to them.
#[test]
fn applies_to_its_subtree_only() {
    let client = test_application(module);
    assert_eq!(client.get("/api/items").header("X-Label"), Some("api"));
    assert_eq!(client.get("/public").header("X-Label"), None);
}

/// Installed on a route and on one of its descendants, the nearest installation wins.
#[test]
fn nearest_installation_wins() {
    let client = test_application(module);
    let response = client.get("/api/admin/users");
    assert_eq!(response.text(), "users");
    assert_eq!(
        response.headers().get_all("X-Label").collect::<Vec<_>>(),
        ["admin"]
    );
}

/// A call that no route matched is not touched by any route's plugin (not even the fallback's
/// 404 inside `/api`).
#[test]
fn unrouted_calls_are_untouched() {
    let client = test_application(module);
    let response = client.get("/api/nowhere");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(response.header("X-Label"), None);
}

/// Hooks work on routes too: `CallFailed` answers a route's errors, `ResponseSent` runs after.
#[test]
fn hooks_on_a_route() {
    let sent = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&sent);
    let guard = create_route_scoped_plugin(
        "Guard",
        || (),
        move |plugin| {
            plugin.on(CallFailed, async |call, error: &Error, _config: &()| {
                call.respond_text_with(format!("guarded: {error}"), ContentType::TEXT_PLAIN)
                    .await
            });
            let seen = Arc::clone(&seen);
            plugin.on(ResponseSent, async move |call, _config: &()| {
                seen.lock().unwrap().push(call.request().path().to_string());
                Ok(())
            });
        },
    );
    let client = test_application(move |app| {
        app.routing(|root| {
            root.route("/risky", |risky| {
                risky.install(&guard, |_| {});
                risky.get("/fail", async |_call| Err("oops".into()));
            });
            root.get("/fail", async |_call| Err("unguarded".into()));
        });
    });
    let guarded = client.get("/risky/fail");
    assert_eq!(guarded.status(), HttpStatusCode::OK);
    assert_eq!(guarded.text(), "guarded: oops");
    assert_eq!(
        client.get("/fail").status(),
        HttpStatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(*sent.lock().unwrap(), ["/risky/fail"]);
}

/// Installing the same plugin twice on one route is an error that names it.
#[test]
#[should_panic(expected = "already installed with the same key as `Labeller`")]
fn installing_twice_on_a_route_panics() {
    test_application(|app| {
        app.routing(|root| {
            root.install(&labeller(), |_| {});
            root.install(&labeller(), |_| {});
        });
    });
}

/// A route-scoped plugin can also be installed on the whole application.
#[test]
fn a_route_scoped_plugin_installs_on_the_application_too() {
    let client = test_application(|app| {
        app.install(&labeller(), |label| label.0 = "everywhere");
        app.routing(|root| {
            root.get("/", async |call| call.respond_text("root").await);
        });
    });
    assert_eq!(client.get("/").header("X-Label"), Some("everywhere"));
    assert_eq!(client.get("/missing").header("X-Label"), Some("everywhere"));
}

/// A response given while another is being sent (here StatusPages' page for a 404) goes
/// through the call's own send pipeline too, with the route's plugins in it: the page comes
/// out bracketed like any other response on `/api`.
#[test]
fn a_nested_response_keeps_the_routes_send_pipeline() {
    let bracket = || {
        create_route_scoped_plugin(
            "Bracket",
            || (),
            |plugin| {
                plugin.on_call_respond(async |ctx, _: &()| {
                    let text = match ctx.subject().downcast_ref::<OutgoingContent>() {
                        Some(OutgoingContent::Bytes(bytes)) => {
                            format!("[{}]", String::from_utf8_lossy(bytes))
                        }
                        _ => return Ok(()),
                    };
                    ctx.set_subject(Box::new(OutgoingContent::Bytes(text.into_bytes().into())));
                    Ok(())
                });
            },
        )
    };
    let client = test_application(move |app| {
        app.install(&StatusPages, |config| {
            config.status(HttpStatusCode::NOT_FOUND, async |call, _| {
                call.respond_text("sorry").await
            });
        });
        app.routing(|root| {
            root.route("/api", |api| {
                api.install(&bracket(), |_| {});
                api.get("/plain", async |call| call.respond_text("ok").await);
                api.get("/gone", async |call| {
                    call.respond_status(HttpStatusCode::NOT_FOUND).await
                });
            });
        });
    });
    assert_eq!(client.get("/api/plain").text(), "[ok]");
    let gone = client.get("/api/gone");
    assert_eq!(gone.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(gone.text(), "[sorry]");
}

/// A route-scoped plugin installed on the application and again on a route would run twice for
/// the calls routed there: declaring the route panics, naming the plugin, as Ktor refuses it.
#[test]
#[should_panic(expected = "the plugin `Labeller` is installed on the application and on a route")]
fn installed_on_the_application_and_a_route_is_refused() {
    Application::from_module(|app| {
        app.install(&labeller(), |label| label.0 = "everywhere");
        app.routing(|root| {
            root.route("/api", |api| {
                api.install(&labeller(), |label| label.0 = "api");
            });
        });
    });
}

/// The other order too: once a route has the plugin, installing it on the application is a
/// duplicate.
#[test]
fn a_route_then_the_application_is_a_duplicate() {
    Application::from_module(|app| {
        app.routing(|root| {
            root.route("/api", |api| {
                api.install(&labeller(), |label| label.0 = "api");
            });
        });
        let second = app.try_install(&labeller(), |label| label.0 = "everywhere");
        assert_eq!(second.err().map(|duplicate| duplicate.name), Some("Labeller"));
    });
}

/// A route plugin's send hooks see every response of the calls routed to it, also one given
/// by an interceptor that runs before the plugin's own: a guard installed first on the same
/// route, answering 401 from its `on_call`, still gets the label. (Ktor merges a route's send
/// pipeline into the call before any of the route's interceptors run.)
#[test]
fn send_hooks_see_a_response_from_a_guard_installed_first() {
    let guard = create_route_scoped_plugin(
        "Guard",
        || (),
        |plugin| {
            plugin.on_call(async |call, _: &()| {
                call.response().set_status(HttpStatusCode::UNAUTHORIZED);
                call.respond_text("no").await
            });
        },
    );
    let client = test_application(move |app| {
        app.routing(|root| {
            root.route("/guarded", |guarded| {
                guarded.install(&guard, |_| {});
                guarded.install(&labeller(), |label| label.0 = "seen");
                guarded.get("/x", async |call| call.respond_text("unreachable").await);
            });
        });
    });
    let response = client.get("/guarded/x");
    assert_eq!(response.status(), HttpStatusCode::UNAUTHORIZED);
    assert_eq!(response.header("X-Label"), Some("seen"));
}

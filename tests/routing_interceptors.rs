//! Route-scoped interceptors: one test per rule of how a route's pipeline is merged from the
//! root down and run inside the application's `CALL` phase.

use std::sync::{Arc, Mutex};

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

type Log = Arc<Mutex<Vec<String>>>;

/// An interceptor that records `name` and proceeds.
fn record(
    log: &Log,
    name: &'static str,
) -> impl AsyncFn(&mut mini_ktor::pipeline::PipelineContext<'_, (), ApplicationCall>) -> Result<()>
+ Send
+ Sync
+ 'static {
    let log = Arc::clone(log);
    async move |_ctx| {
        log.lock().unwrap().push(name.to_string());
        Ok(())
    }
}

/// A handler that records `name` and answers with it.
fn handler(
    log: &Log,
    name: &'static str,
) -> impl AsyncFn(&mut ApplicationCall) -> Result<()> + Send + Sync + 'static {
    let log = Arc::clone(log);
    async move |call| {
        log.lock().unwrap().push(name.to_string());
        call.respond_text(name).await
    }
}

fn taken(log: &Log) -> Vec<String> {
    std::mem::take(&mut *log.lock().unwrap())
}

/// A route's interceptor runs for the route and everything below it, and for nothing else.
#[test]
fn interceptor_applies_to_its_subtree_only() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.route("/admin", |admin| {
                admin.intercept(ApplicationCallPipeline::PLUGINS, record(&l, "admin"));
                admin.get("", handler(&l, "index"));
                admin.get("/users/{id}", handler(&l, "user"));
            });
            route.get("/public", handler(&l, "public"));
        });
    });
    client.get("/admin");
    assert_eq!(taken(&log), ["admin", "index"]);
    client.get("/admin/users/7");
    assert_eq!(taken(&log), ["admin", "user"]);
    client.get("/public");
    assert_eq!(taken(&log), ["public"]);
    client.get("/admin/nothing");
    assert_eq!(taken(&log), Vec::<String>::new());
}

/// Within one phase, an ancestor's interceptors run before a descendant's, whatever the order
/// in which they were added.
#[test]
fn ancestors_first_within_a_phase() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.route("/a", |a| {
                a.route("/b", |b| {
                    b.intercept(ApplicationCallPipeline::PLUGINS, record(&l, "b"));
                    b.get("", handler(&l, "handler"));
                });
                a.intercept(ApplicationCallPipeline::PLUGINS, record(&l, "a"));
            });
            route.intercept(ApplicationCallPipeline::PLUGINS, record(&l, "root"));
        });
    });
    client.get("/a/b");
    assert_eq!(taken(&log), ["root", "a", "b", "handler"]);
}

/// Across phases the phase order wins: a descendant's `MONITORING` runs before an ancestor's
/// `PLUGINS` (Ktor's `testInterceptionOrderWhenOuterShouldBeAfter`).
#[test]
fn phase_order_wins_across_nodes() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.intercept(ApplicationCallPipeline::CALL, record(&l, "root call"));
            route.route("/user", |user| {
                user.intercept(ApplicationCallPipeline::MONITORING, record(&l, "user monitoring"));
                user.get("/{name}", handler(&l, "handler"));
            });
        });
    });
    client.get("/user/john");
    assert_eq!(taken(&log), ["user monitoring", "root call", "handler"]);
}

/// An interceptor that proceeds wraps everything after it, the handler included (Ktor's
/// `testRoutingOnGETUserUsernameWithInterceptors`).
#[test]
fn interceptor_wraps_the_handler() {
    let log = Log::default();
    let (l, h) = (Arc::clone(&log), Arc::clone(&log));
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.route("/user", |user| {
                user.intercept(ApplicationCallPipeline::PLUGINS, async move |ctx| {
                    l.lock().unwrap().push("before".into());
                    ctx.proceed().await?;
                    l.lock().unwrap().push("after".into());
                    Ok(())
                });
                user.get("/{name}", handler(&h, "handler"));
            });
        });
    });
    assert_eq!(client.get("/user/john").text(), "handler");
    assert_eq!(taken(&log), ["before", "handler", "after"]);
}

/// A guard that answers stops the handler: handlers check `is_handled` first, no `finish` needed.
#[test]
fn answering_interceptor_stops_the_handler() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.route("/admin", |admin| {
                admin.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
                    if ctx.call().request().header("X-Admin").is_none() {
                        ctx.call().respond_status(HttpStatusCode::UNAUTHORIZED).await?;
                    }
                    Ok(())
                });
                admin.get("", handler(&l, "secret"));
            });
        });
    });
    assert_eq!(client.get("/admin").status(), HttpStatusCode::UNAUTHORIZED);
    assert_eq!(taken(&log), Vec::<String>::new());
    let allowed = client
        .request(HttpMethod::Get, "/admin")
        .header("X-Admin", "1")
        .send();
    assert_eq!(allowed.text(), "secret");
}

/// `finish` in a route interceptor stops the rest of the route's pipeline.
#[test]
fn finish_stops_the_route_pipeline() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
                ctx.call().response().set_status(HttpStatusCode::NO_CONTENT);
                ctx.finish();
                Ok(())
            });
            route.get("/", handler(&l, "handler"));
        });
    });
    // The handler never ran; the status it left is what routing sends.
    assert_eq!(client.get("/").status(), HttpStatusCode::NO_CONTENT);
    assert_eq!(taken(&log), Vec::<String>::new());
}

/// The route pipeline runs nested inside the application's `CALL` phase: application
/// interceptors of earlier phases wrap it, and route `SETUP` interceptors run after them.
#[test]
fn route_pipeline_runs_inside_the_call_phase() {
    let log = Log::default();
    let (l, m, r) = (Arc::clone(&log), Arc::clone(&log), Arc::clone(&log));
    let client = test_application(move |app| {
        app.intercept(ApplicationCallPipeline::MONITORING, async move |ctx| {
            m.lock().unwrap().push("app monitoring: before".into());
            ctx.proceed().await?;
            m.lock().unwrap().push("app monitoring: after".into());
            Ok(())
        });
        app.intercept(ApplicationCallPipeline::PLUGINS, record(&l, "app plugins"));
        app.routing(move |route| {
            route.intercept(ApplicationCallPipeline::SETUP, record(&r, "route setup"));
            route.get("/", handler(&r, "handler"));
        });
    });
    client.get("/");
    let expected = [
        "app monitoring: before",
        "app plugins",
        "route setup",
        "handler",
        "app monitoring: after",
    ];
    assert_eq!(taken(&log), expected);
}

/// Several handlers on one node run in order, each only while the call is unhandled.
#[test]
fn handlers_of_a_node_run_in_order() {
    let log = Log::default();
    let l = Arc::clone(&log);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.route("/twice", |twice| {
                let first = Arc::clone(&l);
                twice.handle(async move |call| {
                    first.lock().unwrap().push("first".into());
                    call.response().header("X-First", "1")?;
                    Ok(())
                });
                twice.handle(handler(&l, "second"));
                twice.handle(handler(&l, "third"));
            });
        });
    });
    let response = client.get("/twice");
    assert_eq!(
        (response.text(), response.header("X-First")),
        ("second".to_string(), Some("1"))
    );
    assert_eq!(taken(&log), ["first", "second"]);
}

/// A route interceptor's error ends the call like a handler's: a 500, or its `HttpError` status.
#[test]
fn interceptor_error_becomes_the_response() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/locked", |locked| {
                locked.intercept(ApplicationCallPipeline::PLUGINS, async |_ctx| {
                    Err(HttpError::new(HttpStatusCode::FORBIDDEN, "locked").into())
                });
                locked.get("", async |call| call.respond_text("open").await);
            });
        });
    });
    let response = client.get("/locked");
    assert_eq!(
        (response.status(), response.text()),
        (HttpStatusCode::FORBIDDEN, "locked".to_string())
    );
}

//! The search: which of several matching routes wins. One test per pruning, comparison and tie
//! rule, most of them scenarios of Ktor's `RoutingProcessingTest`.

use std::sync::{Arc, Mutex};

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// A constant beats a parameter whatever the declaration order: qualities are compared from the
/// root down, and at `me` vs `{id}` 1.0 beats 0.8.
#[test]
fn constant_beats_parameter_in_any_order() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/users/{id}", async |call| call.respond_text("id").await);
            route.get("/users/me", async |call| call.respond_text("me").await);
        });
    });
    assert_eq!(client.get("/users/me").text(), "me");
    assert_eq!(client.get("/users/42").text(), "id");
}

/// A parameter (0.8) beats a wildcard (0.5), which beats a tailcard (0.1).
#[test]
fn parameter_beats_wildcard_beats_tailcard() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/{...}", async |call| call.respond_text("tailcard").await);
            route.get("/*", async |call| call.respond_text("wildcard").await);
            route.get("/{p}/x", async |call| call.respond_text("parameter").await);
            route.get("/*/x", async |call| call.respond_text("wildcard x").await);
        });
    });
    assert_eq!(client.get("/a").text(), "wildcard");
    assert_eq!(client.get("/a/x").text(), "parameter");
    assert_eq!(client.get("/a/y").text(), "tailcard");
}

/// Once a sibling subtree matched, later siblings of lower quality are not even visited; the
/// trace says so.
#[test]
fn lower_siblings_are_pruned_after_a_match() {
    let visited = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&visited);
    let client = test_application(move |app| {
        app.routing(move |route| {
            route.trace(move |text| seen.lock().unwrap().push(text.to_string()));
            route.get("/bar", async |call| call.respond_text("bar").await);
            route.get("/{param}", async |call| call.respond_text("param").await);
        });
    });
    assert_eq!(client.get("/bar").text(), "bar");
    let trace = visited.lock().unwrap().pop().unwrap();
    assert!(
        trace.contains("  /{param}, segment:0 -> FAILURE \"Better match was already found\" @ /{param}\n")
    );
}

/// Pruning only follows a *match*: a constant whose subtree matched nothing sets no bar, so a
/// parameter sibling is still explored (`/bar/x` reaches `/{param}/x`).
#[test]
fn no_pruning_without_a_match() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/bar", async |call| call.respond_text("bar").await);
            route.get("/{param}/x", async |call| call.respond_text("param x").await);
        });
    });
    assert_eq!(client.get("/bar/x").text(), "param x");
}

/// A missing optional parameter (0.2) loses to an exact route, in either order.
#[test]
fn exact_route_beats_missing_optional() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/report/{id?}", async |call| call.respond_text("optional").await);
            route.get("/report", async |call| call.respond_text("exact").await);
        });
    });
    assert_eq!(client.get("/report").text(), "exact");
    assert_eq!(client.get("/report/7").text(), "optional");
}

/// Whole paths are compared, not just siblings: the first entry that differs decides, even
/// deep down (Ktor's `testDeepChildComparison`).
#[test]
fn deep_comparison_of_whole_paths() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.header("a", "a", |a| {
                a.optional_param("a", |r| r.handle(async |call| call.respond_text("a").await));
            });
            route.header("b", "b", |b| {
                b.param("b", |r| r.handle(async |call| call.respond_text("b").await));
            });
        });
    });
    let get = |uri: &str| {
        let request = client
            .request(HttpMethod::Get, uri)
            .header("a", "a")
            .header("b", "b");
        request.send().text()
    };
    assert_eq!(get("/"), "a"); // only a matches
    assert_eq!(get("/?a=a"), "a"); // only a matches
    assert_eq!(get("/?b=b"), "b"); // both match: b's 1.0 beats a's missing 0.2
    assert_eq!(get("/?a=a&b=b"), "a"); // both match equally: the first declared wins
}

/// On a full tie the route declared first wins (Ktor's
/// `testRoutingOnRoutesWithSameQualityShouldBeBasedOnOrder`, with a header for `accept`).
#[test]
fn tie_goes_to_the_first_declared() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("paramFirst", |r| {
                r.param("param", |r| {
                    r.handle(async |call| call.respond_text("param").await)
                });
                r.header("X-Kind", "text", |r| {
                    r.handle(async |call| call.respond_text("header").await)
                });
            });
            route.route("headerFirst", |r| {
                r.header("X-Kind", "text", |r| {
                    r.handle(async |call| call.respond_text("header").await)
                });
                r.param("param", |r| {
                    r.handle(async |call| call.respond_text("param").await)
                });
            });
        });
    });
    let get = |uri: &str| {
        client
            .request(HttpMethod::Get, uri)
            .header("X-Kind", "text")
            .send()
            .text()
    };
    assert_eq!(get("/paramFirst?param=value"), "param");
    assert_eq!(get("/headerFirst?param=value"), "header");
}

/// When two paths are equal as far as both go, the longer one (more selectors) wins.
#[test]
fn longer_path_wins_over_its_prefix() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("/a", |a| {
                a.handle(async |call| call.respond_text("a").await);
                a.param("x", |x| {
                    x.handle(async |call| call.respond_text("a with x").await)
                });
            });
        });
    });
    assert_eq!(client.get("/a?x=1").text(), "a with x");
    assert_eq!(client.get("/a").text(), "a");
}

/// A `param` route is preferred when its parameter is present (Ktor's `testRoutingOnParamRoute`).
#[test]
fn param_route_preferred_when_present() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.route("test", |test| {
                test.param("param", |r| {
                    r.handle(async |call| call.respond_text("param").await)
                });
                test.get("", async |call| call.respond_text("get").await);
            });
        });
    });
    assert_eq!(client.get("/test?param=value").text(), "param");
    assert_eq!(client.get("/test").text(), "get");
}

/// An interceptor that already answered keeps the route's handler from running (Ktor's
/// `testRoutingNotCalledForHandledRequests`).
#[test]
fn handled_call_skips_the_handler() {
    let ran = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&ran);
    let client = test_application(move |app| {
        app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
            ctx.call().respond_text("plugin").await
        });
        app.routing(move |route| {
            route.get("/", async move |call| {
                *flag.lock().unwrap() = true;
                call.respond_text("routing").await
            });
        });
    });
    assert_eq!(client.get("/").text(), "plugin");
    assert!(!*ran.lock().unwrap());
}

/// The constant-path shortcut answers as the search does, with or without a tracer (which
/// turns the shortcut off), when two routes answer one constant path: the root declared both
/// as `""` and as `"/"` (the search prefers `"/"`, one selector longer), and a method route
/// with a route below it declared before an equal `get` (the first declared wins the tie).
#[test]
fn the_shortcut_agrees_with_the_search_on_routes_that_tie() {
    let module = |traced: bool| {
        move |app: &mut Application| {
            app.routing(move |route| {
                if traced {
                    route.trace(|_| {});
                }
                route.get("", async |call| call.respond_text("empty").await);
                route.get("/", async |call| call.respond_text("slash").await);
                route.method_route(HttpMethod::Get).route("/b", |b| {
                    b.handle(async |call| call.respond_text("method first").await)
                });
                route.get("/b", async |call| call.respond_text("get").await);
            });
        }
    };
    let searched = test_application(module(true));
    assert_eq!(searched.get("/").text(), "slash");
    assert_eq!(searched.get("/b").text(), "method first");
    let fast = test_application(module(false));
    assert_eq!(fast.get("/").text(), "slash");
    assert_eq!(fast.get("/b").text(), "method first");
    assert_eq!(
        fast.get("/%62").text(),
        "method first",
        "an escaped path takes the search"
    );
}

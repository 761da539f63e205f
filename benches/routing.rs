//! The cost of resolving a request in a tree of 1,000 routes, in nanoseconds per resolution.
//!
//! ```sh
//! cargo bench --bench routing
//! ```
//!
//! A std-only measurement (no criterion). The tree has 50 resources, each with 20 routes:
//!
//! ```text
//! GET, POST   /res{i}                       GET, PUT, DELETE  /res{i}/{id}
//! GET         /res{i}/{id}/items            GET               /res{i}/{id}/items/{item}
//! GET         /res{i}/static/page0 ... page12
//! ```
//!
//! For each request path the call is built once; each iteration cuts its path into segments
//! (`RoutingResolveContext::new`) and searches the tree (`Route::resolve`), which is all routing
//! does before the route's pipeline runs.

use std::hint::black_box;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use mini_ktor::application::ApplicationRequest;
use mini_ktor::http::{Headers, HttpVersion};
use mini_ktor::prelude::*;
use mini_ktor::routing::{RoutingResolveContext, RoutingResolveResult};

const RESOURCES: usize = 50;

/// The 1,000 routes described above; with `traced`, a tracer that only measures the text.
fn module(app: &mut Application, traced: bool) {
    app.routing(|route| {
        if traced {
            route.trace(|text| {
                black_box(text.len());
            });
        }
        for i in 0..RESOURCES {
            route.route(&format!("/res{i}"), |resource| {
                resource.get("", async |call| call.respond_text("list").await);
                resource.post("", async |call| call.respond_text("create").await);
                resource.get("/{id}", async |call| call.respond_text("read").await);
                resource.put("/{id}", async |call| call.respond_text("update").await);
                resource.delete("/{id}", async |call| call.respond_text("delete").await);
                resource.get("/{id}/items", async |call| call.respond_text("items").await);
                resource.get("/{id}/items/{item}", async |call| call.respond_text("item").await);
                for page in 0..13 {
                    let path = format!("/static/page{page}");
                    resource.get(&path, async |call| call.respond_text("page").await);
                }
            });
        }
    });
}

fn count_handlers(route: &Route) -> usize {
    usize::from(route.has_handler()) + route.children().iter().map(count_handlers).sum::<usize>()
}

fn call_for(application: &Arc<Application>, method: HttpMethod, uri: &str) -> ApplicationCall {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, 80));
    let request = ApplicationRequest::new(
        method,
        uri.to_string(),
        HttpVersion::Http11,
        Headers::new(),
        Vec::new(),
        address,
        address,
    )
    .unwrap();
    ApplicationCall::new(Arc::clone(application), request)
}

/// Nanoseconds per resolution of `call`, and the outcome as the trace prints it.
fn ns_per_resolve(application: &Arc<Application>, call: &ApplicationCall, runs: u32) -> (f64, String) {
    let root = application.routing_root().unwrap();
    let resolve = || {
        let context = RoutingResolveContext::new(black_box(call)).unwrap();
        match root.resolve(&context) {
            RoutingResolveResult::Success { parameters, .. } => parameters.len(),
            RoutingResolveResult::Failure { status, .. } => usize::from(status.value),
        }
    };
    for _ in 0..runs / 10 {
        black_box(resolve());
    }
    let start = Instant::now();
    for _ in 0..runs {
        black_box(resolve());
    }
    let elapsed = start.elapsed().as_nanos() as f64 / f64::from(runs);
    let context = RoutingResolveContext::new(call).unwrap();
    let outcome = match root.resolve(&context) {
        RoutingResolveResult::Failure { status, allow, .. } if !allow.is_empty() => {
            let allow: Vec<&str> = allow.iter().map(HttpMethod::as_str).collect();
            format!("{status}, Allow: {}", allow.join(", "))
        }
        RoutingResolveResult::Failure { status, .. } => status.to_string(),
        success => success.to_string(),
    };
    (elapsed, outcome)
}

fn main() {
    let plain = Application::from_module(|app| module(app, false));
    let traced = Application::from_module(|app| module(app, true));
    let routes = count_handlers(plain.routing_root().unwrap());
    println!("routing: resolving in a tree of {routes} routes (context + resolve, no handler)\n");
    println!("| request | ns/resolve | result |");
    println!("|---|---:|---|");
    let cases: [(&Arc<Application>, HttpMethod, &str, &str); 8] = [
        (&plain, HttpMethod::Get, "/res0", "GET /res0"),
        (&plain, HttpMethod::Get, "/res49", "GET /res49"),
        (&plain, HttpMethod::Get, "/res25/42", "GET /res25/42"),
        (
            &plain,
            HttpMethod::Get,
            "/res25/42/items/7",
            "GET /res25/42/items/7",
        ),
        (
            &plain,
            HttpMethod::Get,
            "/res49/static/page12",
            "GET /res49/static/page12",
        ),
        (&plain, HttpMethod::Delete, "/res10", "DELETE /res10"),
        (&plain, HttpMethod::Get, "/nowhere/at/all", "GET /nowhere/at/all"),
        (&traced, HttpMethod::Get, "/res25/42", "GET /res25/42, traced"),
    ];
    for (application, method, uri, label) in cases {
        let call = call_for(application, method, uri);
        let (ns, result) = ns_per_resolve(application, &call, 100_000);
        println!("| {label} | {ns:.0} | {result} |");
    }
}

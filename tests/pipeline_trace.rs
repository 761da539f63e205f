//! The pipeline trace: every interceptor of a call, nested as the onion, with how it ended.

use std::sync::{Arc, Mutex};

use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// Runs one request on an application built by `module` with tracing on; returns the trace's
/// lines with the timings removed.
fn trace_of(module: impl FnOnce(&mut Application) + 'static, path: &str) -> Vec<String> {
    let traces = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&traces);
    let client = test_application(move |app| {
        app.trace_pipelines(move |trace| sink.lock().unwrap().push_str(trace));
        module(app);
    });
    client.get(path);
    let text = traces.lock().unwrap().clone();
    text.lines()
        .map(|line| match line.rsplit_once("  ") {
            Some((rest, time)) if time.ends_with("µs") => rest.to_string(),
            _ => line.to_string(),
        })
        .collect()
}

fn monitoring(app: &mut Application) {
    app.intercept(ApplicationCallPipeline::MONITORING, async |ctx| {
        ctx.proceed().await
    });
}

/// A routed call: the monitoring interceptor wraps routing, which wraps the send pipeline of
/// the handler's `respond`; the fallback, last, only looks.
#[test]
fn a_routed_call_is_an_onion() {
    let lines = trace_of(
        |app| {
            monitoring(app);
            app.routing(|route| {
                route.get("/", async |call| call.respond_text("hi").await);
            });
        },
        "/",
    );
    let expected = [
        "GET /",
        "  application/Monitoring  pipeline_trace::monitoring::{{closure}}  proceeded",
        "    application/Call  mini_ktor::application::route_call  proceeded",
        "      route/Call  route handler  proceeded",
        "        send/Render  mini_ktor::application::send_pipeline::render_default  returned",
        "        send/BodyTransformationCheckPostRender  mini_ktor::application::send_pipeline::refuse_unrendered  returned",
        "        send/Engine  mini_ktor::application::send_pipeline::commit  returned",
        "    application/Fallback  mini_ktor::application::respond_unhandled  returned",
    ];
    assert_eq!(lines, expected);
}

/// `finish` shows as finished, and nothing after it runs (not even the fallback).
#[test]
fn finish_is_traced_as_finished() {
    let lines = trace_of(
        |app| {
            app.intercept(ApplicationCallPipeline::PLUGINS, async |ctx| {
                ctx.call().respond_status(HttpStatusCode::NO_CONTENT).await?;
                ctx.finish();
                Ok(())
            });
        },
        "/",
    );
    assert!(
        lines[1].contains("application/Plugins") && lines[1].ends_with("proceeded"),
        "{lines:#?}"
    );
    assert!(lines.iter().all(|line| !line.contains("Fallback")), "{lines:#?}");
    let finished: Vec<_> = lines.iter().filter(|line| line.ends_with("finished")).collect();
    assert!(
        finished.is_empty(),
        "it responded (others ran inside it), so it proceeded: {lines:#?}"
    );
}

/// An interceptor that only finishes is traced as finished; one that fails as failed.
#[test]
fn finished_and_failed_outcomes() {
    let lines = trace_of(
        |app| {
            app.intercept(ApplicationCallPipeline::SETUP, async |ctx| {
                ctx.finish();
                Ok(())
            });
        },
        "/",
    );
    assert!(
        lines[1].contains("application/Setup") && lines[1].ends_with("finished"),
        "{lines:#?}"
    );

    let lines = trace_of(
        |app| {
            app.intercept(
                ApplicationCallPipeline::PLUGINS,
                async |_ctx| Err("broken".into()),
            );
        },
        "/",
    );
    assert!(
        lines[1].contains("application/Plugins") && lines[1].ends_with("failed"),
        "{lines:#?}"
    );
}

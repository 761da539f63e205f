//! The send and receive pipelines: `respond` and `receive` as Ktor runs them.

use std::any::TypeId;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mini_ktor::application::{ApplicationReceivePipeline, ApplicationSendPipeline, OutgoingContent};
use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// The send pipeline has Ktor's seven phases (plus the post-render check), in order.
#[test]
fn send_pipeline_phases() {
    let names: Vec<_> = ApplicationSendPipeline::new()
        .phases()
        .iter()
        .map(|p| p.name())
        .collect();
    assert_eq!(
        names,
        [
            "Before",
            "Transform",
            "Render",
            "BodyTransformationCheckPostRender",
            "ContentEncoding",
            "TransferEncoding",
            "After",
            "Engine"
        ]
    );
    let names: Vec<_> = ApplicationReceivePipeline::new()
        .phases()
        .iter()
        .map(|p| p.name())
        .collect();
    assert_eq!(names, ["Before", "Transform", "After"]);
}

/// A `Transform` interceptor sees the handler's value and may replace it.
#[test]
fn transform_replaces_the_subject() {
    let client = test_application(|app| {
        app.send_pipeline_mut()
            .intercept(ApplicationSendPipeline::TRANSFORM, async |ctx| {
                if let Some(text) = ctx.subject().downcast_ref::<String>() {
                    let louder = text.to_uppercase();
                    ctx.set_subject(Box::new(louder));
                }
                Ok(())
            });
        app.routing(|route| {
            route.get("/", async |call| call.respond("quiet".to_string()).await);
        });
    });
    let response = client.get("/");
    assert_eq!(response.text(), "QUIET");
    assert_eq!(response.header("Content-Type"), Some("text/plain; charset=UTF-8"));
}

struct Temperature(f32);

/// A plugin that renders a type of the application's own, in `Render`.
#[test]
fn a_render_interceptor_renders_a_user_type() {
    let client = test_application(|app| {
        app.send_pipeline_mut()
            .intercept(ApplicationSendPipeline::RENDER, async |ctx| {
                if let Some(Temperature(degrees)) = ctx.subject().downcast_ref::<Temperature>() {
                    let body = format!("{{\"celsius\":{degrees}}}").into_bytes();
                    ctx.call().response().header("Content-Type", "application/json")?;
                    ctx.set_subject(Box::new(OutgoingContent::Bytes(body.into())));
                }
                Ok(())
            });
        app.routing(|route| {
            route.get("/", async |call| call.respond(Temperature(21.5)).await);
        });
    });
    let response = client.get("/");
    assert_eq!(response.text(), r#"{"celsius":21.5}"#);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
}

/// A value nothing renders is answered `406 Not Acceptable`.
#[test]
fn unrenderable_value_is_406() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| call.respond(Temperature(3.0)).await);
        });
    });
    assert_eq!(client.get("/").status(), HttpStatusCode::NOT_ACCEPTABLE);
}

/// `Before` runs for every response, the fallback's 404 included (Sessions rely on it).
#[test]
fn before_runs_for_the_fallback_response_too() {
    let count = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&count);
    let client = test_application(move |app| {
        app.send_pipeline_mut()
            .intercept(ApplicationSendPipeline::BEFORE, async move |ctx| {
                seen.fetch_add(1, Ordering::SeqCst);
                ctx.call().response().header("X-Seen", "yes")?;
                Ok(())
            });
    });
    let response = client.get("/nowhere");
    assert_eq!(response.status(), HttpStatusCode::NOT_FOUND);
    assert_eq!(response.header("X-Seen"), Some("yes"));
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

/// An interceptor added to one call's copy of the send pipeline stays with that call.
#[test]
fn a_calls_own_pipeline_does_not_leak() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/tagged", async |call| {
                call.send_pipeline_mut()
                    .intercept(ApplicationSendPipeline::AFTER, async |ctx| {
                        ctx.call().response().header("X-Tagged", "1")?;
                        Ok(())
                    });
                call.respond_text("tagged").await
            });
            route.get("/plain", async |call| call.respond_text("plain").await);
        });
    });
    assert_eq!(client.get("/tagged").header("X-Tagged"), Some("1"));
    assert_eq!(client.get("/plain").header("X-Tagged"), None);
    assert_eq!(client.get("/tagged").header("X-Tagged"), Some("1"));
}

/// Responding a second time is an error, and the first response is kept.
#[test]
fn respond_twice_is_an_error() {
    let client = test_application(|app| {
        app.routing(|route| {
            route.get("/", async |call| {
                call.respond("first").await?;
                let second = call.respond(HttpStatusCode::CREATED).await;
                assert_eq!(second.unwrap_err().to_string(), "Response has already been sent");
                Ok(())
            });
        });
    });
    let response = client.get("/");
    assert_eq!(response.status(), HttpStatusCode::OK);
    assert_eq!(response.text(), "first");
}

/// A receive-pipeline plugin produces the requested type; a type nobody produces is a 415.
#[test]
fn receive_produces_the_requested_type() {
    let client = test_application(|app| {
        app.receive_pipeline_mut()
            .intercept(ApplicationReceivePipeline::TRANSFORM, async |ctx| {
                if ctx.call().receive_type() == Some(TypeId::of::<u32>())
                    && let Some(bytes) = ctx.subject().downcast_ref::<Vec<u8>>()
                {
                    let number: u32 = String::from_utf8_lossy(bytes)
                        .trim()
                        .parse()
                        .map_err(|_| HttpError::bad_request("not a number"))?;
                    ctx.set_subject(Box::new(number));
                }
                Ok(())
            });
        app.routing(|route| {
            route.post("/double", async |call| {
                let number: u32 = call.receive().await?;
                call.respond(format!("{}", number * 2)).await
            });
            route.post("/float", async |call| {
                let number: f64 = call.receive().await?;
                call.respond(format!("{number}")).await
            });
        });
    });
    assert_eq!(client.post("/double", "21").text(), "42");
    assert_eq!(client.post("/double", "x").status(), HttpStatusCode::BAD_REQUEST);
    let unsupported = client.post("/float", "1.5");
    assert_eq!(unsupported.status(), HttpStatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(unsupported.text(), "cannot turn the request body into f64");
}

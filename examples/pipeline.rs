//! The pipeline, made visible: an interceptor on each of the four phases before `Fallback`, a
//! plugin written with the builder, and the pipeline trace of each request.
//!
//! ```sh
//! cargo run --example pipeline
//! curl http://127.0.0.1:8080/hello
//! ```
//!
//! The server prints, for each request, the order in which the interceptors ran (each one
//! says when it starts and when it ends, around its `proceed`), then the trace that mini-ktor
//! recorded for the same call.

use mini_ktor::application::{ApplicationPlugin, CallSetup, ResponseSent, create_application_plugin};
use mini_ktor::pipeline::PipelinePhase;
use mini_ktor::prelude::*;

fn main() -> std::io::Result<()> {
    embedded_server(Cio, 8080, module)
        .configure_from_env()
        .start(true)
}

// ANCHOR: module
/// The application: an interceptor on each phase before `Fallback`, the `Greeting` plugin, one
/// route.
///
/// Ktor: an application module, `fun Application.module()`
pub fn module(app: &mut Application) {
    app.trace_pipelines(|trace| print!("{trace}"));
    let phases: [&'static PipelinePhase; 4] = [
        ApplicationCallPipeline::SETUP,
        ApplicationCallPipeline::MONITORING,
        ApplicationCallPipeline::PLUGINS,
        ApplicationCallPipeline::CALL,
    ];
    for phase in phases {
        app.intercept(phase, async move |ctx| {
            println!("{:>width$}> {}", "", phase.name(), width = depth(phase));
            ctx.proceed().await?; // everything after this phase runs in here
            println!("{:>width$}< {}", "", phase.name(), width = depth(phase));
            Ok(())
        });
    }
    app.install(&greeting(), |config| config.name = "mini-ktor".to_string());
    app.routing(|route| {
        route.get("/hello", async |call| {
            println!("        handler");
            call.respond_text("Hello from the pipeline!").await
        });
    });
}
// ANCHOR_END: module

/// How far to indent a phase's lines: one more step per phase, like the onion.
fn depth(phase: &PipelinePhase) -> usize {
    match phase.name() {
        "Setup" => 0,
        "Monitoring" => 2,
        "Plugins" => 4,
        _ => 6,
    }
}

// ANCHOR: plugin
/// The configuration of the `Greeting` plugin.
///
/// Ktor: the configuration class given to `createApplicationPlugin(name, ::GreetingConfig)`
#[derive(Default)]
pub struct GreetingConfig {
    /// Who greets.
    pub name: String,
}

/// A plugin written with the builder: it adds a header to every response, and says when the
/// call starts and when its response was sent.
///
/// Ktor: `val Greeting = createApplicationPlugin("Greeting", ::GreetingConfig) { ... }`
pub fn greeting() -> ApplicationPlugin<GreetingConfig> {
    create_application_plugin("Greeting", GreetingConfig::default, |plugin| {
        plugin.on(CallSetup, async |_call, _config: &GreetingConfig| {
            println!("Greeting: call setup");
            Ok(())
        });
        plugin.on_call(async |call, config| {
            println!("      Greeting: on_call");
            call.response()
                .header("X-Greeting", format!("hello from {}", config.name))?;
            Ok(())
        });
        plugin.on(ResponseSent, async |call, _config: &GreetingConfig| {
            println!(
                "        Greeting: response sent ({})",
                call.response().status().unwrap_or(HttpStatusCode::OK)
            );
            Ok(())
        });
    })
}
// ANCHOR_END: plugin

//! The plugin API: classic plugins, the builder form and its hooks, and the registry.

use std::sync::{Arc, Mutex};

use mini_ktor::application::{
    ApplicationPlugin, CallFailed, CallSetup, OutgoingContent, Plugin, ResponseBodyReadyForSend,
    ResponseSent, create_application_plugin,
};
use mini_ktor::prelude::*;
use mini_ktor::testing::test_application;

/// A classic plugin: a type with a name, a configuration and an `install`.
struct RequestCounter;

#[derive(Default)]
struct CounterConfig {
    header: &'static str,
}

impl Plugin for RequestCounter {
    type Config = CounterConfig;
    type Instance = Mutex<u32>;

    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn create_config(&self) -> CounterConfig {
        CounterConfig { header: "X-Count" }
    }

    fn install(&self, app: &mut Application, config: CounterConfig) -> Mutex<u32> {
        let header = config.header;
        app.intercept(ApplicationCallPipeline::MONITORING, async move |ctx| {
            let counter = ctx.call().application().plugin(&RequestCounter);
            let count = {
                let mut count = counter.lock().unwrap();
                *count += 1;
                *count
            };
            ctx.call().response().header(header, count.to_string())?;
            Ok(())
        });
        Mutex::new(0)
    }
}

/// A classic plugin installs its interceptors, and its instance is found in the registry.
#[test]
fn classic_plugin_is_installed_and_looked_up() {
    let client = test_application(|app| {
        let instance = app.install(&RequestCounter, |config| config.header = "X-Requests");
        assert_eq!(*instance.lock().unwrap(), 0);
        assert!(app.plugin_or_none(&RequestCounter).is_some());
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("hi").await);
        });
    });
    assert_eq!(client.get("/").header("X-Requests"), Some("1"));
    assert_eq!(client.get("/").header("X-Requests"), Some("2"));
    assert_eq!(*client.application().plugin(&RequestCounter).lock().unwrap(), 2);
}

/// Installing the same plugin twice is an error that names it.
#[test]
#[should_panic(
    expected = "Conflicting application plugin is already installed with the same key as `RequestCounter`"
)]
fn installing_twice_panics_naming_the_plugin() {
    test_application(|app| {
        app.install(&RequestCounter, |_| {});
        app.install(&RequestCounter, |_| {});
    });
}

/// `try_install` reports the duplicate instead; `plugin_or_none` is `None` before install.
#[test]
fn try_install_reports_the_duplicate() {
    test_application(|app| {
        assert!(app.plugin_or_none(&RequestCounter).is_none());
        assert!(app.try_install(&RequestCounter, |_| {}).is_ok());
        let duplicate = app.try_install(&RequestCounter, |_| {}).err().unwrap();
        assert_eq!(duplicate.name, "RequestCounter");
    });
}

/// Looking up a plugin that is not installed panics with Ktor's message.
#[test]
#[should_panic(expected = "Application plugin RequestCounter is not installed")]
fn missing_plugin_panics() {
    test_application(|app| {
        app.plugin(&RequestCounter);
    });
}

type Log = Arc<Mutex<Vec<String>>>;

#[derive(Default)]
struct TraceConfig {
    log: Log,
}

fn tracing_plugin() -> ApplicationPlugin<TraceConfig> {
    create_application_plugin("Tracing", TraceConfig::default, |plugin| {
        plugin.on(CallSetup, async |call, config: &TraceConfig| {
            config
                .log
                .lock()
                .unwrap()
                .push(format!("setup {}", call.request().path()));
            Ok(())
        });
        plugin.on_call(async |_call, config| {
            config.log.lock().unwrap().push("on_call".to_string());
            Ok(())
        });
        plugin.on_call_respond(async |ctx, config| {
            config.log.lock().unwrap().push("on_call_respond".to_string());
            if let Some(text) = ctx.subject().downcast_ref::<String>() {
                let wrapped = format!("[{text}]");
                ctx.set_subject(Box::new(wrapped));
            }
            Ok(())
        });
        plugin.on(ResponseSent, async |call, config: &TraceConfig| {
            let handled = call.is_handled();
            config
                .log
                .lock()
                .unwrap()
                .push(format!("sent, handled={handled}"));
            Ok(())
        });
    })
}

/// The builder's handlers run at their points of the call, with the plugin's configuration.
#[test]
fn builder_handlers_run_in_order() {
    let log: Log = Arc::default();
    let shared = Arc::clone(&log);
    let client = test_application(move |app| {
        app.install(&tracing_plugin(), |config| config.log = shared);
        app.routing(|route| {
            route.get("/", async |call| call.respond("body".to_string()).await);
        });
    });
    assert_eq!(client.get("/").text(), "[body]");
    assert_eq!(
        *log.lock().unwrap(),
        ["setup /", "on_call", "on_call_respond", "sent, handled=true"]
    );
}

/// `on_call_receive` turns the body into the type the handler asked for.
#[test]
fn on_call_receive_produces_a_type() {
    #[derive(Debug, PartialEq)]
    struct Words(Vec<String>);
    let plugin = create_application_plugin(
        "Words",
        || (),
        |plugin| {
            plugin.on_call_receive(async |ctx, _config| {
                if ctx.call().receive_type() == Some(std::any::TypeId::of::<Words>())
                    && let Some(bytes) = ctx.subject().downcast_ref::<Vec<u8>>()
                {
                    let words = String::from_utf8_lossy(bytes)
                        .split_whitespace()
                        .map(String::from)
                        .collect();
                    ctx.set_subject(Box::new(Words(words)));
                }
                Ok(())
            });
        },
    );
    let client = test_application(move |app| {
        app.install(&plugin, |_| {});
        app.routing(|route| {
            route.post("/count", async |call| {
                let words: Words = call.receive().await?;
                call.respond_text(words.0.len().to_string()).await
            });
        });
    });
    assert_eq!(client.post("/count", "one two  three").text(), "3");
}

/// `CallFailed` sees a handler's error; responding handles it.
#[test]
fn call_failed_can_answer_the_error() {
    let plugin = create_application_plugin(
        "Errors",
        || (),
        |plugin| {
            plugin.on(CallFailed, async |call, error: &Error, _config: &()| {
                if error.to_string().contains("teapot") {
                    call.respond_status(HttpStatusCode::from_value(418)).await?;
                }
                Ok(())
            });
        },
    );
    let client = test_application(move |app| {
        app.install(&plugin, |_| {});
        app.routing(|route| {
            route.get("/teapot", async |_call| Err("I am a teapot".into()));
            route.get("/other", async |_call| Err("something else".into()));
        });
    });
    assert_eq!(client.get("/teapot").status().value, 418);
    assert_eq!(
        client.get("/other").status(),
        HttpStatusCode::INTERNAL_SERVER_ERROR
    );
}

/// An error raised after the call was answered goes on past every `CallFailed` handler, even
/// one that does nothing with it (CallLogging's, here): a plugin further out still sees it,
/// and so does the engine, which logs it. The client keeps the answer it already had.
#[test]
fn an_error_after_the_answer_is_passed_on() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let recorder = {
        let seen = Arc::clone(&seen);
        create_application_plugin(
            "Recorder",
            || (),
            move |plugin| {
                let seen = Arc::clone(&seen);
                plugin.on(CallFailed, async move |_call, error: &Error, _config: &()| {
                    seen.lock().unwrap().push(error.to_string());
                    Ok(())
                });
            },
        )
    };
    let client = test_application(move |app| {
        app.install(&recorder, |_| {}); // installed first: its hook wraps CallLogging's
        app.install(&CallLogging, |_| {});
        app.routing(|route| {
            route.get("/late", async |call| {
                call.respond_text("answered").await?;
                Err("failed after answering".into())
            });
        });
    });
    let response = client.get("/late");
    assert_eq!(response.text(), "answered");
    assert_eq!(*seen.lock().unwrap(), ["failed after answering"]);
}

/// `ResponseBodyReadyForSend` sees the rendered content and may replace it.
#[test]
fn response_body_ready_for_send_replaces_content() {
    let plugin = create_application_plugin(
        "Footer",
        || (),
        |plugin| {
            plugin.on(ResponseBodyReadyForSend, async |ctx, _config: &()| {
                if let Some(OutgoingContent::Bytes(bytes)) = ctx.subject().downcast_ref::<OutgoingContent>() {
                    let mut with_footer = bytes.to_vec();
                    with_footer.extend_from_slice(b" -- served by mini-ktor");
                    ctx.set_subject(Box::new(OutgoingContent::Bytes(with_footer.into())));
                }
                Ok(())
            });
        },
    );
    let client = test_application(move |app| {
        app.install(&plugin, |_| {});
        app.routing(|route| {
            route.get("/", async |call| call.respond_text("hello").await);
        });
    });
    assert_eq!(client.get("/").text(), "hello -- served by mini-ktor");
}

//! IgnoreTrailingSlash: `/hello` and `/hello/` reach the same routes.
//!
//! Routing treats a trailing slash as a segment of its own (see `routing/trailing_slash.rs`), so
//! by default `get("/hello")` does not answer `/hello/`, as in Ktor. This plugin's `on_call`
//! handler marks every call, in the `Plugins` phase; routing, which runs later in `Call`,
//! reads the mark, trims the slash from the path and lets the `<slash>` selector pass.
//!
//! Ktor: `io.ktor.server.routing.IgnoreTrailingSlash`

use crate::application::{ApplicationPlugin, Plugin, create_application_plugin};

/// The IgnoreTrailingSlash plugin: `app.install(&IgnoreTrailingSlash, |_| {})`.
///
/// ```
/// use mini_ktor::plugins::IgnoreTrailingSlash;
/// use mini_ktor::prelude::*;
/// use mini_ktor::testing::test_application;
///
/// let client = test_application(|app| {
///     app.install(&IgnoreTrailingSlash, |_| {});
///     app.routing(|route| {
///         route.get("/hello", async |call| call.respond_text("hi").await);
///     });
/// });
/// assert_eq!(client.get("/hello/").text(), "hi");
/// ```
///
/// Ktor: `io.ktor.server.routing.IgnoreTrailingSlash`
#[derive(Clone, Copy, Debug, Default)]
pub struct IgnoreTrailingSlash;

fn plugin() -> ApplicationPlugin<()> {
    create_application_plugin(
        "IgnoreTrailingSlash",
        || (),
        |plugin| {
            plugin.on_call(async |call, _config| {
                call.ignore_trailing_slash = true;
                Ok(())
            });
        },
    )
}

impl Plugin for IgnoreTrailingSlash {
    type Config = ();
    type Instance = ();

    fn name(&self) -> &'static str {
        "IgnoreTrailingSlash"
    }

    fn create_config(&self) {}

    fn install(&self, application: &mut crate::application::Application, config: ()) {
        plugin().install(application, config);
    }
}

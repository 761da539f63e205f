//! Plugins: reusable bundles of interceptors, installed once per application.
//!
//! A Ktor plugin is nothing more than code that runs at `install` time and intercepts phases
//! of the application's pipelines (call, receive, send). What makes it a *plugin* is the
//! bookkeeping around that:
//!
//! - it has a **name**, its identity: installing the same plugin twice is an error that names
//!   it, since its interceptors would run twice;
//! - it has a **configuration**, created with defaults and adjusted by the installer;
//! - `install` returns an **instance**, kept in the application's plugin registry, where any
//!   code can look it up later ([`Application::plugin`]).
//!
//! ```text
//! app.install(&MyPlugin, |config| config.level = 2)
//!   ├─ registry: is "MyPlugin" there already?  → panic naming it (Ktor: DuplicatePluginException)
//!   ├─ config = plugin.create_config(); configure(&mut config)
//!   ├─ instance = plugin.install(app, config)   ← intercepts phases
//!   └─ registry["MyPlugin"] = instance
//! ```
//!
//! This file holds the classic form (a type implementing [`Plugin`]); `plugin_builder.rs` holds
//! the builder form, `create_application_plugin`, which is how most Ktor plugins are written
//! today and which produces a [`Plugin`] too.
//!
//! Ktor: `io.ktor.server.application.ApplicationPlugin`, `install`, `plugin`, `pluginOrNull`

use std::any::Any;
use std::collections::HashMap;
use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use super::Application;

/// A plugin: a name, a configuration, and the interceptors its `install` adds.
///
/// Ktor: `io.ktor.server.application.BaseApplicationPlugin`
pub trait Plugin {
    /// The configuration the installer adjusts, starting from [`create_config`](Self::create_config).
    type Config;
    /// What `install` returns and the registry keeps: the plugin's state, if it has any.
    type Instance: Any + Send + Sync;

    /// The plugin's name, which is its identity in the registry.
    ///
    /// Ktor: `Plugin.key`
    fn name(&self) -> &'static str;

    /// The configuration with its defaults, before the installer adjusts it.
    ///
    /// Ktor: the `createConfiguration` function of a plugin
    fn create_config(&self) -> Self::Config;

    /// Adds the plugin's interceptors to `application`, configured by `config`.
    ///
    /// Ktor: `Plugin.install(pipeline, configure)`
    fn install(&self, application: &mut Application, config: Self::Config) -> Self::Instance;
}

/// Installing a plugin that is already installed.
///
/// Ktor: `io.ktor.server.application.DuplicatePluginException`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicatePlugin {
    /// The plugin's name.
    pub name: &'static str,
}

impl fmt::Display for DuplicatePlugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Please make sure that you use unique name for the plugin and don't install it twice. \
             Conflicting application plugin is already installed with the same key as `{}`",
            self.name
        )
    }
}

impl StdError for DuplicatePlugin {}

/// The installed plugins of an application, by name.
///
/// Ktor: the `ApplicationPluginRegistry` attribute of the application
#[derive(Default)]
pub(crate) struct PluginRegistry {
    instances: HashMap<&'static str, Arc<dyn Any + Send + Sync>>,
}

impl PluginRegistry {
    /// Whether a plugin named `name` is installed.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.instances.contains_key(name)
    }
}

impl Application {
    /// Installs `plugin`, configured by `configure`, and returns its instance.
    ///
    /// # Panics
    ///
    /// If a plugin with the same name is already installed, on the application or on a route:
    /// the message names it. That is a mistake in the application's modules, found the first
    /// time it starts.
    ///
    /// Ktor: `Application.install(plugin) { config }`
    pub fn install<P: Plugin>(
        &mut self,
        plugin: &P,
        configure: impl FnOnce(&mut P::Config),
    ) -> Arc<P::Instance> {
        match self.try_install(plugin, configure) {
            Ok(instance) => instance,
            Err(duplicate) => panic!("{duplicate}"),
        }
    }

    /// [`install`](Self::install), with the duplicate as an error instead of a panic.
    ///
    /// Ktor: `Application.install(plugin) { config }`, which throws `DuplicatePluginException`
    pub fn try_install<P: Plugin>(
        &mut self,
        plugin: &P,
        configure: impl FnOnce(&mut P::Config),
    ) -> Result<Arc<P::Instance>, DuplicatePlugin> {
        let name = plugin.name();
        // A route-scoped plugin on a route as well as on the application would run twice for
        // the calls routed there (see `routing`).
        let on_a_route = || {
            self.routing
                .as_ref()
                .and_then(|root| root.find_installed(&|n| n == name))
        };
        if self.plugins.contains(name) || on_a_route().is_some() {
            return Err(DuplicatePlugin { name });
        }
        let mut config = plugin.create_config();
        configure(&mut config);
        let instance = Arc::new(plugin.install(self, config));
        let stored: Arc<dyn Any + Send + Sync> = instance.clone();
        self.plugins.instances.insert(name, stored);
        Ok(instance)
    }

    /// The instance of the installed `plugin`, if it is installed.
    ///
    /// Ktor: `Application.pluginOrNull(plugin)`
    pub fn plugin_or_none<P: Plugin>(&self, plugin: &P) -> Option<Arc<P::Instance>> {
        let instance = self.plugins.instances.get(plugin.name())?;
        Arc::clone(instance).downcast().ok()
    }

    /// The instance of the installed `plugin`.
    ///
    /// # Panics
    ///
    /// If the plugin is not installed.
    ///
    /// Ktor: `Application.plugin(plugin)`, which throws `MissingApplicationPluginException`
    pub fn plugin<P: Plugin>(&self, plugin: &P) -> Arc<P::Instance> {
        self.plugin_or_none(plugin)
            .unwrap_or_else(|| panic!("Application plugin {} is not installed", plugin.name()))
    }

    /// Whether a plugin named `name` is installed.
    ///
    /// Ktor: `Application.pluginOrNull(plugin) != null`, by name
    pub fn has_plugin(&self, name: &str) -> bool {
        self.plugins.instances.contains_key(name)
    }
}

//! `RouteSelector`: the one condition an edge of the route tree puts on a request.
//!
//! Every node of the route tree hangs below its parent by a *selector*. Some selectors read the
//! path and consume segments of it (`users`, `{id}`, `*`, `{...}`); the others only look at the
//! request and consume nothing (the method, a header, a query parameter). `get("/users/{id}")`
//! is three nodes deep, one per selector:
//!
//! ```text
//! ""  ──users──►  users  ──{id}──►  {id}  ──(method:GET)──►  (method:GET): the handler
//! ```
//!
//! What a selector *does* with a request (its quality, the segments it consumes, the status it
//! fails with) is in `evaluation.rs`; this file is what a selector *is*: its kinds, its equality
//! (so that two declarations of `users` share one node) and the text Ktor prints for it, which
//! the trace and the route tree use.
//!
//! Ktor makes each kind its own class (`PathSegmentConstantRouteSelector`,
//! `HttpMethodRouteSelector`, ...) under an abstract `RouteSelector`, so a plugin can add its own
//! kind. A closed enum is enough here: it lists every kind on one screen, `match` checks that
//! each is handled, and equality is derived. The kinds Ktor has and this enum does not yet are
//! `accept`, `contentType`, `host`, `localPort`, regex paths and the *transparent* selectors
//! that plugins such as `authenticate` add; a plugin here cannot add a kind (see the README's
//! list of what is not there yet).
//!
//! Ktor: `io.ktor.server.routing.RouteSelector` and its subclasses

use std::fmt;

use crate::http::HttpMethod;

/// The condition on the edge from a route to its parent.
///
/// The `Display` form is Ktor's `toString`, character for character: it is what the trace and
/// the route tree print.
///
/// | variant | declared as | prints as |
/// |---|---|---|
/// | `Root` | (the routing root) | `` (nothing) |
/// | `Constant` | `users` | `users` |
/// | `Parameter` | `{id}`, `file-{name}.txt` | `{id}`, `file-{name}.txt` |
/// | `OptionalParameter` | `{id?}` | `{id?}` |
/// | `Wildcard` | `*` | `*` |
/// | `Tailcard` | `{...}`, `{path...}`, `v{rest...}` | `{...}` |
/// | `TrailingSlash` | a path ending in `/` | `<slash>` |
/// | `Method` | `get`, `post`, `method(m, ...)` | `(method:GET)` |
/// | `Header` | `header(name, value, ...)` | `(header:a = x)` |
/// | `QueryValue` | `param_value(name, value, ...)` | `[n = v]` |
/// | `QueryParameter` | `param(name, ...)` | `[n]` |
/// | `OptionalQueryParameter` | `optional_param(name, ...)` | `[n?]` |
///
/// Ktor: `io.ktor.server.routing.RouteSelector`
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RouteSelector {
    /// The routing root; always matches, consumes nothing.
    /// Ktor: `RootRouteSelector`
    Root,
    /// One path segment equal to this (decoded) text.
    /// Ktor: `PathSegmentConstantRouteSelector`
    Constant(String),
    /// One non-empty path segment, captured as `name`; with a prefix or suffix, the segment must
    /// have them and the value is what lies between.
    /// Ktor: `PathSegmentParameterRouteSelector`
    Parameter {
        /// The parameter's name.
        name: String,
        /// Text the segment must start with (`file-` in `file-{n}`).
        prefix: Option<String>,
        /// Text the segment must end with (`.txt` in `{name}.txt`).
        suffix: Option<String>,
    },
    /// Like `Parameter`, but a missing segment is fine (with a low quality).
    /// Ktor: `PathSegmentOptionalParameterRouteSelector`
    OptionalParameter {
        /// The parameter's name.
        name: String,
        /// Text the segment must start with.
        prefix: Option<String>,
        /// Text the segment must end with.
        suffix: Option<String>,
    },
    /// Any one non-empty segment, not captured.
    /// Ktor: `PathSegmentWildcardRouteSelector`
    Wildcard,
    /// Every remaining segment, captured as the values of `name` unless it is empty.
    /// Ktor: `PathSegmentTailcardRouteSelector`
    Tailcard {
        /// The parameter's name; empty for an anonymous `{...}`.
        name: String,
        /// Text the first remaining segment must start with (stripped from the first value).
        prefix: String,
    },
    /// The empty segment after a trailing `/`; see `trailing_slash.rs`.
    /// Ktor: `TrailingSlashRouteSelector`
    TrailingSlash,
    /// The request method.
    /// Ktor: `HttpMethodRouteSelector`
    Method(HttpMethod),
    /// A request header containing `value` (compared case-insensitively) in its comma list.
    /// Ktor: `HttpHeaderRouteSelector`
    Header {
        /// The header's name.
        name: String,
        /// The value it must contain.
        value: String,
    },
    /// A query parameter `name` with the value `value`.
    /// Ktor: `ConstantParameterRouteSelector`
    QueryValue {
        /// The parameter's name.
        name: String,
        /// The value it must have.
        value: String,
    },
    /// A query parameter `name` with any value; its values become route parameters.
    /// Ktor: `ParameterRouteSelector`
    QueryParameter {
        /// The parameter's name.
        name: String,
    },
    /// A query parameter `name` that may be absent.
    /// Ktor: `OptionalParameterRouteSelector`
    OptionalQueryParameter {
        /// The parameter's name.
        name: String,
    },
}

impl RouteSelector {
    /// The text this selector adds to a route's *path* (`/users/{id}`), or `None` for a selector
    /// that is a condition on the request rather than a piece of the path (method, header, query
    /// parameter): those are listed after the path, in brackets.
    ///
    /// Ktor: `RoutePathComponent` and `RoutePathFormat.Default`
    pub fn path_component(&self) -> Option<String> {
        match self {
            RouteSelector::TrailingSlash => Some("/".to_string()),
            RouteSelector::Root
            | RouteSelector::Constant(_)
            | RouteSelector::Parameter { .. }
            | RouteSelector::OptionalParameter { .. }
            | RouteSelector::Wildcard
            | RouteSelector::Tailcard { .. } => Some(self.to_string()),
            RouteSelector::Method(_)
            | RouteSelector::Header { .. }
            | RouteSelector::QueryValue { .. }
            | RouteSelector::QueryParameter { .. }
            | RouteSelector::OptionalQueryParameter { .. } => None,
        }
    }
}

/// Ktor's `toString` of each selector class (see the table on [`RouteSelector`]).
impl fmt::Display for RouteSelector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let affix = |text: &Option<String>| text.clone().unwrap_or_default();
        match self {
            RouteSelector::Root => Ok(()),
            RouteSelector::Constant(value) => f.write_str(value),
            RouteSelector::Parameter { name, prefix, suffix } => {
                write!(f, "{}{{{name}}}{}", affix(prefix), affix(suffix))
            }
            RouteSelector::OptionalParameter { name, prefix, suffix } => {
                write!(f, "{}{{{name}?}}{}", affix(prefix), affix(suffix))
            }
            RouteSelector::Wildcard => f.write_str("*"),
            // Ktor prints every tailcard the same way, whatever its name and prefix.
            RouteSelector::Tailcard { .. } => f.write_str("{...}"),
            RouteSelector::TrailingSlash => f.write_str("<slash>"),
            RouteSelector::Method(method) => write!(f, "(method:{method})"),
            RouteSelector::Header { name, value } => write!(f, "(header:{name} = {value})"),
            RouteSelector::QueryValue { name, value } => write!(f, "[{name} = {value}]"),
            RouteSelector::QueryParameter { name } => write!(f, "[{name}]"),
            RouteSelector::OptionalQueryParameter { name } => write!(f, "[{name}?]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RouteSelector;
    use crate::http::HttpMethod;

    /// Every kind prints as Ktor's `toString` does.
    #[test]
    fn display_forms_are_ktors() {
        let some = |text: &str| Some(text.to_string());
        let cases = [
            (RouteSelector::Root, ""),
            (RouteSelector::Constant("users".into()), "users"),
            (
                RouteSelector::Parameter {
                    name: "id".into(),
                    prefix: None,
                    suffix: None,
                },
                "{id}",
            ),
            (
                RouteSelector::Parameter {
                    name: "n".into(),
                    prefix: some("file-"),
                    suffix: some(".txt"),
                },
                "file-{n}.txt",
            ),
            (
                RouteSelector::OptionalParameter {
                    name: "id".into(),
                    prefix: None,
                    suffix: None,
                },
                "{id?}",
            ),
            (RouteSelector::Wildcard, "*"),
            (
                RouteSelector::Tailcard {
                    name: "path".into(),
                    prefix: "v".into(),
                },
                "{...}",
            ),
            (RouteSelector::TrailingSlash, "<slash>"),
            (RouteSelector::Method(HttpMethod::Get), "(method:GET)"),
            (
                RouteSelector::Header {
                    name: "a".into(),
                    value: "x".into(),
                },
                "(header:a = x)",
            ),
            (
                RouteSelector::QueryValue {
                    name: "n".into(),
                    value: "v".into(),
                },
                "[n = v]",
            ),
            (RouteSelector::QueryParameter { name: "n".into() }, "[n]"),
            (RouteSelector::OptionalQueryParameter { name: "n".into() }, "[n?]"),
        ];
        for (selector, text) in cases {
            assert_eq!(selector.to_string(), text);
        }
    }

    /// Path selectors are pieces of the path; the trailing slash is a `/`; conditions are not.
    #[test]
    fn path_components() {
        assert_eq!(RouteSelector::Wildcard.path_component().as_deref(), Some("*"));
        assert_eq!(
            RouteSelector::TrailingSlash.path_component().as_deref(),
            Some("/")
        );
        assert_eq!(RouteSelector::Method(HttpMethod::Get).path_component(), None);
    }
}

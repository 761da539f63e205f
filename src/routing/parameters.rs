//! Route parameters as a handler sees them, and typed access with a clear 400.
//!
//! Resolution captures *path parameters* on the way to the chosen route (`{id}`, `{path...}`,
//! and the values of `param(name)`). A handler reads them two ways:
//!
//! - `call.path_parameters()`: only what routing captured;
//! - `call.parameters()`: the query parameters first, then each captured value that the query
//!   does not already have under the same name, as Ktor's `appendMissing` does:
//!
//! ```text
//! route  /users/{id}        request  /users/7?id=9&tab=posts
//! path_parameters()  id=7
//! parameters()       id=9, tab=posts, id=7      (get("id") is the query's 9)
//! ```
//!
//! That order surprises: with `?id=9` in the query, `call.parameters().get("id")` is `9`, not
//! the path's `7` (which only `get_all` shows, second). It is Ktor's order
//! (`RoutingPipelineCall.parameters`); when it matters, ask `path_parameters()`.
//!
//! Values are text. [`CallParameters::get_as`] parses one into any `FromStr` type and turns
//! both ways of failing into a `400 Bad Request` that names the parameter, so `?` in a handler
//! is all the validation most routes need:
//!
//! ```
//! use mini_ktor::prelude::*;
//! use mini_ktor::testing::test_application;
//!
//! let client = test_application(|app| {
//!     app.routing(|route| {
//!         route.get("/users/{id}", async |call| {
//!             let id: u64 = call.parameters().get_as("id")?;
//!             call.respond_text(format!("user {id}")).await
//!         });
//!     });
//! });
//! assert_eq!(client.get("/users/42").text(), "user 42");
//! let bad = client.get("/users/forty-two");
//! assert_eq!(bad.status(), HttpStatusCode::BAD_REQUEST);
//! assert_eq!(bad.text(), r#"parameter id: expected u64, got "forty-two""#);
//! ```
//!
//! Ktor: `RoutingCall.parameters`, `pathParameters` and `Parameters.getOrFail<T>(name)`

use std::ops::Deref;
use std::str::FromStr;

use crate::application::HttpError;
use crate::http::Parameters;

/// Parameters of a call, with typed access; everything else comes from [`Parameters`], which it
/// dereferences to (`get`, `get_all`, `contains`, `iter`...).
///
/// Ktor: `io.ktor.http.Parameters` as `call.parameters` hands it out
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallParameters(Parameters);

impl CallParameters {
    /// Wraps `parameters`.
    ///
    /// Ktor: `Parameters.build { }`
    pub fn new(parameters: Parameters) -> CallParameters {
        CallParameters(parameters)
    }

    /// `query`, then each pair of `path` whose value `query` does not already have under that
    /// name.
    ///
    /// Ktor: `ParametersBuilder.appendMissing`
    pub(crate) fn query_then_path(query: &Parameters, path: &Parameters) -> CallParameters {
        let mut merged = query.clone();
        for (name, value) in path.iter() {
            if !query.get_all(name).any(|existing| existing == value) {
                merged.append(name, value);
            }
        }
        CallParameters(merged)
    }

    /// The first value of `name`, parsed as a `T`.
    ///
    /// # Errors
    ///
    /// A `400 Bad Request` saying `missing parameter {name}` when there is none, or
    /// `parameter {name}: expected {T}, got "{value}"` when it does not parse.
    ///
    /// Ktor: `Parameters.getOrFail<T>(name)`, which throws `MissingRequestParameterException`
    /// or `ParameterConversionException`, both answered with 400
    pub fn get_as<T: FromStr>(&self, name: &str) -> Result<T, HttpError> {
        let value = self
            .0
            .get(name)
            .ok_or_else(|| HttpError::bad_request(format!("missing parameter {name}")))?;
        value.parse().map_err(|_| {
            let expected = short_type_name::<T>();
            HttpError::bad_request(format!("parameter {name}: expected {expected}, got {value:?}"))
        })
    }
}

impl Deref for CallParameters {
    type Target = Parameters;

    fn deref(&self) -> &Parameters {
        &self.0
    }
}

/// `u64` for `u64`, `String` for `alloc::string::String`, `Ipv4Addr` for `core::net::...`.
fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    // Generic types (`Option<u64>`) keep their parameters: cut only before the outer name.
    let outer = full.split('<').next().unwrap_or(full);
    let start = outer.rfind("::").map_or(0, |index| index + 2);
    &full[start..]
}

#[cfg(test)]
mod tests {
    use super::{CallParameters, short_type_name};
    use crate::http::Parameters;

    fn parameters(pairs: &[(&str, &str)]) -> Parameters {
        let mut parameters = Parameters::new();
        for (name, value) in pairs {
            parameters.append(*name, *value);
        }
        parameters
    }

    /// The query comes first; path values it already has under the same name are left out.
    #[test]
    fn query_first_then_missing_path_values() {
        let merged = CallParameters::query_then_path(
            &parameters(&[("id", "9"), ("tab", "posts"), ("p", "a")]),
            &parameters(&[("id", "7"), ("p", "a"), ("p", "b")]),
        );
        let pairs: Vec<_> = merged.iter().collect();
        assert_eq!(
            pairs,
            [("id", "9"), ("tab", "posts"), ("p", "a"), ("id", "7"), ("p", "b")]
        );
        assert_eq!(merged.get("id"), Some("9"));
    }

    /// Missing and malformed values are 400s that name the parameter.
    #[test]
    fn get_as_errors() {
        let call = CallParameters::new(parameters(&[("n", "x")]));
        assert_eq!(
            call.get_as::<u64>("m").unwrap_err().message,
            "missing parameter m"
        );
        let error = call.get_as::<u64>("n").unwrap_err();
        assert_eq!(error.status.value, 400);
        assert_eq!(error.message, r#"parameter n: expected u64, got "x""#);
        assert_eq!(call.get_as::<String>("n").unwrap(), "x");
    }

    /// Type names lose their module path.
    #[test]
    fn short_type_names() {
        assert_eq!(short_type_name::<u64>(), "u64");
        assert_eq!(short_type_name::<String>(), "String");
        assert_eq!(short_type_name::<std::net::Ipv4Addr>(), "Ipv4Addr");
        assert_eq!(short_type_name::<Option<u64>>(), "Option<u64>");
    }
}

//! Unit tests of the resolver's parts, on requests given by their parts (no application).
//!
//! Ktor tests the same ground in `RoutingResolveTest`, through whole route trees; the whole-tree
//! cases here are in `tests/routing_resolution.rs`, and these tables check each part alone.

mod qualities;

use super::RoutingResolveContext;
use crate::http::{Headers, HttpMethod, Parameters};

/// The parts of a request that resolution reads, owned, so a test can borrow a context from it.
struct Request {
    method: HttpMethod,
    path: String,
    headers: Headers,
    query: Parameters,
    ignore_trailing_slash: bool,
}

impl Request {
    /// `GET target`; the query of `target` is parsed.
    fn get(target: &str) -> Request {
        let (path, query) = crate::http::split_target(target);
        Request {
            method: HttpMethod::Get,
            path: path.to_string(),
            headers: Headers::new(),
            query: crate::http::parse_query(query),
            ignore_trailing_slash: false,
        }
    }

    fn header(mut self, name: &str, value: &str) -> Request {
        self.headers.append(name.to_string(), value.to_string());
        self
    }

    fn context(&self) -> RoutingResolveContext<'_> {
        RoutingResolveContext::from_parts(
            &self.method,
            &self.path,
            &self.headers,
            &self.query,
            self.ignore_trailing_slash,
        )
        .unwrap()
    }
}

//! `RoutingResolveResult`: what resolution decided: the chosen route with its parameters, or
//! the failure and the status it deserves.
//!
//! A success carries the whole *lineage*, the nodes from the root down to the chosen route:
//! routing needs them to merge the route's pipeline (`pipeline.rs`), since a node does not
//! link to its parent. Its parameters are everything the selectors captured on the way, in
//! order; its quality is the lowest on the way (a transparent selector counting as 1.0).
//!
//! A failure carries the status to answer with (see `resolve.rs` for how it is chosen) and,
//! beyond Ktor, the methods for the `Allow` header of a 405. Its route is always the root, and
//! its reason always "No matched subtrees found".
//!
//! Both print as Ktor prints them, which is the last line of every trace.
//!
//! Ktor: `io.ktor.server.routing.RoutingResolveResult`

use std::fmt;

use super::Route;
use super::trace::format_parameters;
use crate::http::{HttpMethod, HttpStatusCode, Parameters};

/// The outcome of resolving a request against a route tree.
///
/// Its `Display` is Ktor's: `SUCCESS; Parameters [id=[42]] @ /users/{id} [(method:GET)]` or
/// `FAILURE "No matched subtrees found" @ /`.
///
/// Ktor: `io.ktor.server.routing.RoutingResolveResult`
#[derive(Debug)]
pub enum RoutingResolveResult<'r> {
    /// A route matched.
    /// Ktor: `RoutingResolveResult.Success`
    Success {
        /// The nodes from the root down to the chosen route (the last one).
        lineage: Vec<&'r Route>,
        /// Every parameter captured on the way, in order.
        parameters: Parameters,
        /// The lowest quality on the way, transparent counting as 1.0.
        quality: f64,
    },
    /// No route matched.
    /// Ktor: `RoutingResolveResult.Failure`
    Failure {
        /// The routing root.
        route: &'r Route,
        /// Always `No matched subtrees found`.
        reason: &'static str,
        /// 404, or the status of the failure that qualified (405, 400).
        status: HttpStatusCode,
        /// With a 405, the methods that would have matched, in declaration order.
        allow: Vec<HttpMethod>,
    },
}

impl RoutingResolveResult<'_> {
    /// The chosen route, or the root for a failure.
    ///
    /// Ktor: `RoutingResolveResult.route`
    pub fn route(&self) -> &Route {
        match self {
            RoutingResolveResult::Success { lineage, .. } => lineage[lineage.len() - 1],
            RoutingResolveResult::Failure { route, .. } => route,
        }
    }
}

impl fmt::Display for RoutingResolveResult<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RoutingResolveResult::Success { parameters, .. } if !parameters.is_empty() => {
                let parameters = format_parameters(parameters);
                write!(f, "SUCCESS; {parameters} @ {}", self.route().render())
            }
            RoutingResolveResult::Success { .. } => write!(f, "SUCCESS @ {}", self.route().render()),
            RoutingResolveResult::Failure { reason, route, .. } => {
                write!(f, "FAILURE \"{reason}\" @ {}", route.render())
            }
        }
    }
}

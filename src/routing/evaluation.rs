//! Evaluating a selector: does it match, how well, and how many segments does it consume?
//!
//! Resolution asks each selector on its way down the tree one question: given the request and
//! the index of the next unconsumed segment, what is your verdict? The answer is a
//! [`RouteSelectorEvaluation`]:
//!
//! - **Success**, with a *quality*, the *parameters* it captured and a *segment increment*
//!   (how many segments it consumed: 1 for `users` or `{id}`, all the rest for a tailcard, 0
//!   for the method or a header);
//! - **Failure**, with a quality too and the *status* the request deserves if this failure is the
//!   reason nothing matched (404, 405 for a method, 400 for a header or query parameter).
//!
//! The quality is how *specific* the match is. Among routes that all match, resolution prefers
//! the one whose path of qualities, read from the root, is higher first (see `resolve.rs`), so
//! `/users/me` (a constant, 1.0) beats `/users/{id}` (a parameter, 0.8), which beats
//! `/users/*` (0.5), which beats `/users/{...}` (0.1):
//!
//! | constant | value | given by |
//! |---|---:|---|
//! | `QUALITY_CONSTANT` | 1.0 | a constant segment, the method, a query value, the root |
//! | `QUALITY_QUERY_PARAMETER` | 1.0 | `param(name)`, `optional_param(name)` present |
//! | `QUALITY_PARAMETER_WITH_PREFIX_OR_SUFFIX` | 0.9 | `file-{n}`, `{n}.txt` |
//! | `QUALITY_PARAMETER` | 0.8 | `{id}`, `{id?}` present |
//! | `QUALITY_WILDCARD` | 0.5 | `*` |
//! | `QUALITY_MISSING` | 0.2 | `{id?}` or `optional_param` absent; a tailcard with nothing left |
//! | `QUALITY_TAILCARD` | 0.1 | `{...}` with at least one segment left |
//! | `QUALITY_TRANSPARENT` | −1.0 | a selector that does not count (a trailing slash mid-path) |
//! | `QUALITY_FAILED_METHOD` | 0.02 | a failed method: 405 |
//! | `QUALITY_FAILED_PARAMETER` | 0.01 | a failed header or query parameter: 400 |
//!
//! A header's quality is the `q` of the matching entry in its comma list (`x;q=0.5`), 1.0 by
//! default. Failure qualities only rank failures against each other (`resolve.rs`).
//!
//! Ktor: `io.ktor.server.routing.RouteSelectorEvaluation` and each selector's `evaluate`

use super::{RouteSelector, RoutingResolveContext, segment, trailing_slash};
use crate::http::{HttpStatusCode, Parameters};

/// A selector's verdict on a request at one segment index.
///
/// Ktor: `io.ktor.server.routing.RouteSelectorEvaluation`
#[derive(Clone, Debug, PartialEq)]
pub enum RouteSelectorEvaluation {
    /// The selector matches.
    /// Ktor: `RouteSelectorEvaluation.Success`
    Success {
        /// How specific the match is; see the module docs.
        quality: f64,
        /// What the selector captured (`{id}` captures `id`).
        parameters: Parameters,
        /// How many path segments the selector consumed.
        segment_increment: usize,
    },
    /// The selector does not match.
    /// Ktor: `RouteSelectorEvaluation.Failure`
    Failure {
        /// Ranks this failure against others when choosing the status to answer with.
        quality: f64,
        /// The status to answer with if this failure is why no route matched.
        status: HttpStatusCode,
    },
}

impl RouteSelectorEvaluation {
    /// A constant matched. Ktor: `qualityConstant`
    pub const QUALITY_CONSTANT: f64 = 1.0;
    /// A query parameter matched. Ktor: `qualityQueryParameter`
    pub const QUALITY_QUERY_PARAMETER: f64 = 1.0;
    /// A path parameter with a prefix or suffix matched. Ktor: `qualityParameterWithPrefixOrSuffix`
    pub const QUALITY_PARAMETER_WITH_PREFIX_OR_SUFFIX: f64 = 0.9;
    /// A path parameter matched. Ktor: `qualityParameter` (= `qualityPathParameter`)
    pub const QUALITY_PARAMETER: f64 = 0.8;
    /// A wildcard matched. Ktor: `qualityWildcard`
    pub const QUALITY_WILDCARD: f64 = 0.5;
    /// An optional value is absent. Ktor: `qualityMissing`
    pub const QUALITY_MISSING: f64 = 0.2;
    /// A tailcard matched at least one segment. Ktor: `qualityTailcard`
    pub const QUALITY_TAILCARD: f64 = 0.1;
    /// Does not count when qualities are compared. Ktor: `qualityTransparent`
    pub const QUALITY_TRANSPARENT: f64 = -1.0;
    /// The method did not match. Ktor: `qualityFailedMethod`
    pub const QUALITY_FAILED_METHOD: f64 = 0.02;
    /// A header or query parameter did not match. Ktor: `qualityFailedParameter`
    pub const QUALITY_FAILED_PARAMETER: f64 = 0.01;

    /// A success with `quality` that captures nothing and consumes `segments`.
    ///
    /// Ktor: `RouteSelectorEvaluation.Success(quality, segmentIncrement = segments)`
    pub fn success(quality: f64, segments: usize) -> RouteSelectorEvaluation {
        RouteSelectorEvaluation::Success {
            quality,
            parameters: Parameters::new(),
            segment_increment: segments,
        }
    }

    /// A failure answered with 404. Ktor: `RouteSelectorEvaluation.FailedPath`
    pub fn failed_path() -> RouteSelectorEvaluation {
        RouteSelectorEvaluation::Failure {
            quality: 0.0,
            status: HttpStatusCode::NOT_FOUND,
        }
    }

    /// The quality, whether the evaluation succeeded or not.
    ///
    /// Ktor: `RouteSelectorEvaluation.Success.quality`, `Failure.quality`
    pub fn quality(&self) -> f64 {
        match self {
            RouteSelectorEvaluation::Success { quality, .. }
            | RouteSelectorEvaluation::Failure { quality, .. } => *quality,
        }
    }

    /// A success capturing `name = value`, consuming one segment.
    pub(super) fn captured(quality: f64, name: &str, value: &str) -> RouteSelectorEvaluation {
        let mut parameters = Parameters::new();
        parameters.append(name, value);
        RouteSelectorEvaluation::Success {
            quality,
            parameters,
            segment_increment: 1,
        }
    }

    pub(super) fn failure(quality: f64, status: HttpStatusCode) -> RouteSelectorEvaluation {
        RouteSelectorEvaluation::Failure { quality, status }
    }
}

use RouteSelectorEvaluation as Evaluation;

impl RouteSelector {
    /// This selector's verdict on the request in `context`, at the segment `segment_index`.
    ///
    /// Ktor: `RouteSelector.evaluate(context, segmentIndex)`
    pub fn evaluate(&self, context: &RoutingResolveContext<'_>, segment_index: usize) -> Evaluation {
        let segment = context.segments().get(segment_index).map(String::as_str);
        match self {
            RouteSelector::Root => Evaluation::success(Evaluation::QUALITY_CONSTANT, 0),
            RouteSelector::Constant(value) => segment::constant(segment, value),
            RouteSelector::Parameter { name, prefix, suffix } => {
                segment::parameter(segment, name, prefix, suffix, false)
            }
            RouteSelector::OptionalParameter { name, prefix, suffix } => {
                segment::parameter(segment, name, prefix, suffix, true)
            }
            RouteSelector::Wildcard => segment::wildcard(segment),
            RouteSelector::Tailcard { name, prefix } => {
                let rest = context.segments().get(segment_index..).unwrap_or_default();
                segment::tailcard(rest, name, prefix)
            }
            RouteSelector::TrailingSlash => trailing_slash::evaluate(context, segment_index),
            RouteSelector::Method(method) if method == context.method() => {
                Evaluation::success(Evaluation::QUALITY_CONSTANT, 0)
            }
            RouteSelector::Method(_) => Evaluation::failure(
                Evaluation::QUALITY_FAILED_METHOD,
                HttpStatusCode::METHOD_NOT_ALLOWED,
            ),
            RouteSelector::Header { name, value } => match header_quality(context.headers().get(name), value)
            {
                Some(quality) => Evaluation::success(quality, 0),
                None => failed_parameter(),
            },
            RouteSelector::QueryValue { name, value } => {
                if context.query_parameters().get_all(name).any(|v| v == value) {
                    Evaluation::success(Evaluation::QUALITY_CONSTANT, 0)
                } else {
                    failed_parameter()
                }
            }
            RouteSelector::QueryParameter { name } | RouteSelector::OptionalQueryParameter { name } => {
                let query = context.query_parameters();
                if query.contains(name) {
                    let mut parameters = Parameters::new();
                    for value in query.get_all(name) {
                        parameters.append(name.as_str(), value);
                    }
                    Evaluation::Success {
                        quality: Evaluation::QUALITY_QUERY_PARAMETER,
                        parameters,
                        segment_increment: 0,
                    }
                } else if matches!(self, RouteSelector::OptionalQueryParameter { .. }) {
                    Evaluation::success(Evaluation::QUALITY_MISSING, 0)
                } else {
                    failed_parameter()
                }
            }
        }
    }
}

/// A failed header or query parameter: 400. Ktor: `RouteSelectorEvaluation.FailedParameter`
fn failed_parameter() -> Evaluation {
    Evaluation::failure(Evaluation::QUALITY_FAILED_PARAMETER, HttpStatusCode::BAD_REQUEST)
}

/// The quality with which header value `header` contains `wanted`: the header is a comma list
/// of entries, each with optional `;name=value` parameters; an entry equal to `wanted` (ignoring
/// ASCII case) matches with its `q` parameter, 1.0 when absent or not a number in `0..=1`. Of
/// several matching entries the best counts. Quoted commas are not handled.
///
/// Ktor: `HttpHeaderRouteSelector.evaluate` with `parseAndSortHeader`
fn header_quality(header: Option<&str>, wanted: &str) -> Option<f64> {
    header?
        .split(',')
        .filter_map(|entry| {
            let mut parts = entry.split(';').map(str::trim);
            let value = parts.next()?;
            if !value.eq_ignore_ascii_case(wanted) {
                return None;
            }
            let q = parts
                .filter_map(|parameter| parameter.split_once('='))
                .find(|(name, _)| name.trim() == "q")
                .and_then(|(_, q)| q.trim().parse::<f64>().ok())
                .filter(|q| (0.0..=1.0).contains(q));
            Some(q.unwrap_or(1.0))
        })
        .max_by(f64::total_cmp)
}

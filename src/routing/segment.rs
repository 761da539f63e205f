//! Path-segment selectors: what a constant, a parameter, an optional parameter, a wildcard and
//! a tailcard each consume, capture and score.
//!
//! Each one looks at the segment at the current index (`None` past the end of the path) or, for
//! the tailcard, at every segment left:
//!
//! | selector | segment | verdict |
//! |---|---|---|
//! | `users` | `users` | 1.0, consumes 1 |
//! | `{id}` | `42` | 0.8, consumes 1, `id=42` |
//! | `file-{n}.txt` | `file-a.txt` | 0.9, consumes 1, `n=a` |
//! | `{id}`, `*` | `""` (after a trailing `/`), or none | 404 |
//! | `{id?}` | none, or `v2` for `x{id?}` | missing: 0.2, consumes 0 |
//! | `{id?}` | `""` (after a trailing `/`) | missing: 0.2, consumes the empty segment |
//! | `*` | `anything` | 0.5, consumes 1, captures nothing |
//! | `{path...}` | `a`, `b` left | 0.1, consumes 2, `path=a`, `path=b` |
//! | `{path...}` | nothing left | 0.2, consumes 0, captures nothing |
//!
//! Segments arrive decoded (`context.rs`), so `{name}` on `a%2Fb` captures `a/b`. The prefix and
//! suffix of a parameter are compared with the decoded segment, as in Ktor.
//!
//! Ktor: `PathSegmentConstantRouteSelector`, `evaluatePathSegmentParameter`,
//! `PathSegmentWildcardRouteSelector`, `PathSegmentTailcardRouteSelector`

use super::RouteSelectorEvaluation as Evaluation;
use crate::http::Parameters;

/// A constant: the segment must be exactly `value`.
///
/// Ktor: `PathSegmentConstantRouteSelector.evaluate`
pub(super) fn constant(segment: Option<&str>, value: &str) -> Evaluation {
    if segment == Some(value) {
        Evaluation::success(Evaluation::QUALITY_CONSTANT, 1)
    } else {
        Evaluation::failed_path()
    }
}

/// `{name}` and `{name?}`, with their prefix and suffix. An optional parameter never fails: an
/// absent or non-matching segment is "missing" (0.2, nothing consumed), except the empty segment
/// of a trailing slash, which it consumes.
///
/// Ktor: `evaluatePathSegmentParameter`
pub(super) fn parameter(
    segment: Option<&str>,
    name: &str,
    prefix: &Option<String>,
    suffix: &Option<String>,
    optional: bool,
) -> Evaluation {
    let not_here = |consumed: usize| {
        if optional {
            Evaluation::success(Evaluation::QUALITY_MISSING, consumed)
        } else {
            Evaluation::failed_path()
        }
    };
    let Some(segment) = segment else {
        return not_here(0);
    };
    if segment.is_empty() {
        return not_here(1);
    }
    let without_prefix = match prefix {
        None => Some(segment),
        Some(prefix) => segment.strip_prefix(prefix.as_str()),
    };
    let value = match (without_prefix, suffix) {
        (None, _) => None,
        (Some(rest), None) => Some(rest),
        (Some(rest), Some(suffix)) => rest.strip_suffix(suffix.as_str()),
    };
    let Some(value) = value else {
        return not_here(0);
    };
    let affixed =
        prefix.as_deref().is_some_and(|p| !p.is_empty()) || suffix.as_deref().is_some_and(|s| !s.is_empty());
    let quality = if affixed {
        Evaluation::QUALITY_PARAMETER_WITH_PREFIX_OR_SUFFIX
    } else {
        Evaluation::QUALITY_PARAMETER
    };
    Evaluation::captured(quality, name, value)
}

/// `*`: any one non-empty segment, not captured.
///
/// Ktor: `PathSegmentWildcardRouteSelector.evaluate`
pub(super) fn wildcard(segment: Option<&str>) -> Evaluation {
    match segment {
        Some(segment) if !segment.is_empty() => Evaluation::success(Evaluation::QUALITY_WILDCARD, 1),
        _ => Evaluation::failed_path(),
    }
}

/// `{...}`: consumes every remaining segment (`rest`), 0.1 if there is at least one, 0.2 if
/// none. A named tailcard captures each segment as one value, the prefix stripped from the first.
///
/// Ktor keeps a named tailcard that matched nothing as a name with an empty list of values; a
/// `Parameters` of pairs cannot hold that, so here the name is simply absent.
///
/// Ktor: `PathSegmentTailcardRouteSelector.evaluate`
pub(super) fn tailcard(rest: &[String], name: &str, prefix: &str) -> Evaluation {
    if !prefix.is_empty() && !rest.first().is_some_and(|first| first.starts_with(prefix)) {
        return Evaluation::failed_path();
    }
    let mut parameters = Parameters::new();
    if !name.is_empty() {
        for (index, segment) in rest.iter().enumerate() {
            let value = if index == 0 {
                &segment[prefix.len()..]
            } else {
                segment
            };
            parameters.append(name, value);
        }
    }
    let quality = if rest.is_empty() {
        Evaluation::QUALITY_MISSING
    } else {
        Evaluation::QUALITY_TAILCARD
    };
    Evaluation::Success {
        quality,
        parameters,
        segment_increment: rest.len(),
    }
}

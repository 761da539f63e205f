//! One test per quality rule: each selector kind's verdict, quality and segment increment.

use super::Request;
use crate::http::{HttpMethod, HttpStatusCode, Parameters};
use crate::routing::{RouteSelector, RouteSelectorEvaluation as Evaluation, path};

/// The single selector `piece` declares (`"{id}"`, `"*"`, ...).
fn selector(piece: &str) -> RouteSelector {
    let mut selectors = path::parse_path(piece);
    assert_eq!(selectors.len(), 1, "{piece}");
    selectors.remove(0)
}

/// `(quality, segment increment)` of a success, with what it captured as `name=value` pairs.
fn success(evaluation: Evaluation) -> (f64, usize, Vec<String>) {
    match evaluation {
        Evaluation::Success {
            quality,
            parameters,
            segment_increment,
        } => (quality, segment_increment, pairs(&parameters)),
        failure => panic!("expected a success, got {failure:?}"),
    }
}

fn pairs(parameters: &Parameters) -> Vec<String> {
    parameters
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect()
}

fn failure(evaluation: Evaluation) -> (f64, HttpStatusCode) {
    match evaluation {
        Evaluation::Failure { quality, status } => (quality, status),
        success => panic!("expected a failure, got {success:?}"),
    }
}

/// A constant segment matches with 1.0 and consumes one segment.
#[test]
fn constant_segment_is_one() {
    let request = Request::get("/users/42");
    assert_eq!(
        success(selector("users").evaluate(&request.context(), 0)),
        (1.0, 1, vec![])
    );
}

/// A constant that does not match fails with quality 0 and 404.
#[test]
fn failed_path_is_zero_and_404() {
    let request = Request::get("/users");
    let evaluation = selector("items").evaluate(&request.context(), 0);
    assert_eq!(failure(evaluation), (0.0, HttpStatusCode::NOT_FOUND));
}

/// A plain `{id}` matches a non-empty segment with 0.8 and captures it.
#[test]
fn parameter_is_point_eight() {
    let request = Request::get("/42");
    let (quality, consumed, captured) = success(selector("{id}").evaluate(&request.context(), 0));
    assert_eq!((quality, consumed, captured), (0.8, 1, vec!["id=42".to_string()]));
}

/// A parameter with a prefix or suffix matches with 0.9; the value is what lies between.
#[test]
fn parameter_with_prefix_or_suffix_is_point_nine() {
    let request = Request::get("/file-report.txt");
    let context = request.context();
    let captured = success(selector("file-{name}.txt").evaluate(&context, 0));
    assert_eq!(captured, (0.9, 1, vec!["name=report".to_string()]));
    assert_eq!(success(selector("{name}.txt").evaluate(&context, 0)).0, 0.9);
    let evaluation = selector("img-{name}").evaluate(&context, 0);
    assert_eq!(failure(evaluation).1, HttpStatusCode::NOT_FOUND);
}

/// A wildcard matches any one non-empty segment with 0.5 and captures nothing.
#[test]
fn wildcard_is_point_five() {
    let request = Request::get("/anything/");
    let context = request.context();
    assert_eq!(
        success(RouteSelector::Wildcard.evaluate(&context, 0)),
        (0.5, 1, vec![])
    );
    // The empty segment of the trailing slash is not "any segment".
    assert_eq!(failure(RouteSelector::Wildcard.evaluate(&context, 1)).0, 0.0);
}

/// An optional parameter that is absent is "missing": 0.2, nothing consumed, never a failure.
#[test]
fn missing_optional_is_point_two() {
    let request = Request::get("/a");
    let context = request.context();
    assert_eq!(success(selector("{id?}").evaluate(&context, 1)), (0.2, 0, vec![]));
    // A segment that does not fit its prefix is missing too, and not consumed.
    assert_eq!(
        success(selector("v{id?}").evaluate(&context, 0)),
        (0.2, 0, vec![])
    );
    // Present, it is a parameter like any other.
    assert_eq!(success(selector("{id?}").evaluate(&context, 0)).0, 0.8);
}

/// An optional parameter consumes the empty segment of a trailing slash, as missing.
#[test]
fn optional_parameter_consumes_trailing_empty_segment() {
    let request = Request::get("/a/");
    assert_eq!(
        success(selector("{id?}").evaluate(&request.context(), 1)),
        (0.2, 1, vec![])
    );
}

/// A tailcard with segments left matches with 0.1 and consumes them all, one value each.
#[test]
fn tailcard_is_point_one() {
    let request = Request::get("/files/docs/a.txt");
    let (quality, consumed, captured) = success(selector("{path...}").evaluate(&request.context(), 1));
    assert_eq!((quality, consumed), (0.1, 2));
    assert_eq!(captured, ["path=docs", "path=a.txt"]);
}

/// A tailcard with nothing left still matches, with the "missing" 0.2.
#[test]
fn tailcard_with_nothing_left_is_point_two() {
    let request = Request::get("/files");
    assert_eq!(
        success(selector("{...}").evaluate(&request.context(), 1)),
        (0.2, 0, vec![])
    );
}

/// A tailcard's prefix must start the first remaining segment, and is stripped from it.
#[test]
fn tailcard_prefix() {
    let request = Request::get("/v2/x");
    let context = request.context();
    let captured = success(selector("v{rest...}").evaluate(&context, 0)).2;
    assert_eq!(captured, ["rest=2", "rest=x"]);
    assert_eq!(failure(selector("w{rest...}").evaluate(&context, 0)).0, 0.0);
}

/// The method matches with 1.0; another method fails with 0.02 and 405.
#[test]
fn method_is_one_or_failed_method() {
    let request = Request::get("/");
    let context = request.context();
    assert_eq!(
        success(RouteSelector::Method(HttpMethod::Get).evaluate(&context, 0)).0,
        1.0
    );
    let evaluation = RouteSelector::Method(HttpMethod::Post).evaluate(&context, 0);
    assert_eq!(failure(evaluation), (0.02, HttpStatusCode::METHOD_NOT_ALLOWED));
}

/// A header matches with the `q` of the matching entry (1.0 without one), case-insensitively.
#[test]
fn header_quality_is_q() {
    let request = Request::get("/").header("Accept-Version", "v1;q=0.5, V2");
    let context = request.context();
    let header = |value: &str| RouteSelector::Header {
        name: "accept-version".into(),
        value: value.into(),
    };
    assert_eq!(success(header("v1").evaluate(&context, 0)), (0.5, 0, vec![]));
    assert_eq!(success(header("v2").evaluate(&context, 0)).0, 1.0);
}

/// A missing or different header fails with 0.01 and 400.
#[test]
fn failed_header_is_failed_parameter() {
    let request = Request::get("/").header("X-Mode", "a");
    let selector = RouteSelector::Header {
        name: "X-Mode".into(),
        value: "b".into(),
    };
    let evaluation = selector.evaluate(&request.context(), 0);
    assert_eq!(failure(evaluation), (0.01, HttpStatusCode::BAD_REQUEST));
}

/// Query selectors match with 1.0: a fixed value, or any value (captured, all of them).
#[test]
fn query_parameter_is_one() {
    let request = Request::get("/?kind=book&tag=a&tag=b");
    let context = request.context();
    let value = |name: &str, value: &str| RouteSelector::QueryValue {
        name: name.into(),
        value: value.into(),
    };
    assert_eq!(
        success(value("kind", "book").evaluate(&context, 0)),
        (1.0, 0, vec![])
    );
    let any = RouteSelector::QueryParameter { name: "tag".into() };
    assert_eq!(
        success(any.evaluate(&context, 0)),
        (1.0, 0, vec!["tag=a".into(), "tag=b".into()])
    );
}

/// A missing required query parameter fails with 0.01 and 400; an optional one is missing (0.2).
#[test]
fn failed_query_parameter_and_missing_optional() {
    let request = Request::get("/?kind=film");
    let context = request.context();
    let wrong = RouteSelector::QueryValue {
        name: "kind".into(),
        value: "book".into(),
    };
    assert_eq!(
        failure(wrong.evaluate(&context, 0)),
        (0.01, HttpStatusCode::BAD_REQUEST)
    );
    let absent = RouteSelector::QueryParameter { name: "page".into() };
    assert_eq!(
        failure(absent.evaluate(&context, 0)).1,
        HttpStatusCode::BAD_REQUEST
    );
    let optional = RouteSelector::OptionalQueryParameter { name: "page".into() };
    assert_eq!(success(optional.evaluate(&context, 0)).0, 0.2);
}

/// A trailing slash in the middle of a path is transparent (−1) and consumes nothing.
#[test]
fn trailing_slash_mid_path_is_transparent() {
    let request = Request::get("/a/b");
    let evaluation = RouteSelector::TrailingSlash.evaluate(&request.context(), 0);
    assert_eq!(success(evaluation), (-1.0, 0, vec![]));
}

/// The trailing-slash selector's rules, in the order `trailing_slash.rs` numbers them.
#[test]
fn trailing_slash_rules() {
    let slash = |target: &str, ignore: bool, index: usize| {
        let mut request = Request::get(target);
        request.ignore_trailing_slash = ignore;
        RouteSelector::TrailingSlash.evaluate(&request.context(), index)
    };
    // 1. ignored for this call: transparent.
    assert_eq!(success(slash("/a/", true, 1)), (-1.0, 0, vec![]));
    // 2. no segments at all (`/`): a constant, nothing consumed.
    assert_eq!(success(slash("/", false, 0)), (1.0, 0, vec![]));
    // 3. not at the last segment: transparent.
    assert_eq!(success(slash("/a/b", false, 0)), (-1.0, 0, vec![]));
    // 4. past the last segment: 404.
    assert_eq!(failure(slash("/a", false, 1)), (0.0, HttpStatusCode::NOT_FOUND));
    // 5. at a last segment that is not empty: transparent.
    assert_eq!(success(slash("/a", false, 0)), (-1.0, 0, vec![]));
    // 6. at the empty segment of a path ending in `/`: a constant consuming it.
    assert_eq!(success(slash("/a/", false, 1)), (1.0, 1, vec![]));
    // 7. (an empty last segment without a final `/` cannot be cut from a path: unreachable.)
}

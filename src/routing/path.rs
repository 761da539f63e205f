//! Declared paths: from the text of `get("/files/{name}.txt")` to the selectors of the routes it
//! creates.
//!
//! A declared path is cut at every `/`, empty pieces are dropped, and each piece becomes one
//! selector; a path that *ends* with `/` gets one more, the trailing slash:
//!
//! ```text
//! "/users/{id}/"      ──►  users        {id}          <slash>
//!                          Constant     Parameter     TrailingSlash
//! "/files/{path...}"  ──►  files        {...} (Tailcard named "path")
//! "/a/*/b-{n}.txt"    ──►  a            *             b-{n}.txt (Parameter, prefix "b-", suffix ".txt")
//! "/" and ""          ──►  (nothing; "/" adds <slash>, since it ends with `/`)
//! ```
//!
//! The rules for one piece, as Ktor's `RoutingPath.parse` and `PathSegmentSelectorBuilder`:
//!
//! - a piece holding both `{` and `}` is a parameter. The text before the first `{` is its
//!   prefix, the text after the last `}` its suffix, and the name between them ends with `?`
//!   for an optional parameter or `...` for a tailcard (which may not have a suffix);
//! - any other piece is a constant, percent-decoded, so `/a%20b` and `/a b` declare the same
//!   route; a constant `*` is the wildcard.
//!
//! A path that breaks these rules is a mistake in the application, not in a request, so it
//! panics when the route is declared, at start-up, as Ktor throws from the same place.
//!
//! Ktor: `io.ktor.server.routing.RoutingPath.parse` and `PathSegmentSelectorBuilder`

use super::RouteSelector;
use crate::http;

/// The selectors `path` declares, in order, as Ktor's `createRouteFromPath` creates them.
///
/// # Panics
///
/// On a constant that is not valid percent-encoding, a tailcard with a suffix, or a piece whose
/// last `}` comes before its first `{`.
///
/// Ktor: `RoutingPath.parse` and `createRouteFromPath`
#[track_caller]
pub(crate) fn parse_path(path: &str) -> Vec<RouteSelector> {
    let mut selectors: Vec<RouteSelector> = path
        .split('/')
        .filter(|piece| !piece.is_empty())
        .map(parse_piece)
        .collect();
    if path.ends_with('/') {
        selectors.push(RouteSelector::TrailingSlash);
    }
    selectors
}

/// One piece of a declared path.
#[track_caller]
fn parse_piece(piece: &str) -> RouteSelector {
    if piece.contains('{') && piece.contains('}') {
        return parse_parameter(piece);
    }
    let decoded = match http::decode_path(piece) {
        Ok(decoded) => decoded,
        Err(error) => panic!("route path piece {piece:?}: {}", error.reason),
    };
    match &*decoded {
        "*" => RouteSelector::Wildcard,
        constant => RouteSelector::Constant(constant.to_string()),
    }
}

/// A piece with `{...}` in it: a parameter, an optional parameter or a tailcard. The prefix and
/// suffix are kept as written (not percent-decoded), as in Ktor.
#[track_caller]
fn parse_parameter(piece: &str) -> RouteSelector {
    // Both exist: the caller checked.
    let open = piece.find('{').unwrap_or_default();
    let close = piece.rfind('}').unwrap_or_default();
    if close < open {
        panic!("route path piece {piece:?}: `}}` before `{{`");
    }
    let some_if_any = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let prefix = some_if_any(&piece[..open]);
    let suffix = some_if_any(&piece[close + 1..]);
    let signature = &piece[open + 1..close];
    if let Some(name) = signature.strip_suffix('?') {
        RouteSelector::OptionalParameter {
            name: name.to_string(),
            prefix,
            suffix,
        }
    } else if let Some(name) = signature.strip_suffix("...") {
        if suffix.is_some() {
            panic!("route path piece {piece:?}: Suffix after tailcard is not supported");
        }
        RouteSelector::Tailcard {
            name: name.to_string(),
            prefix: prefix.unwrap_or_default(),
        }
    } else {
        RouteSelector::Parameter {
            name: signature.to_string(),
            prefix,
            suffix,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_path;
    use crate::routing::RouteSelector;

    fn printed(path: &str) -> Vec<String> {
        parse_path(path).iter().map(ToString::to_string).collect()
    }

    /// Pieces become selectors; empty pieces vanish; a final `/` adds the trailing slash.
    #[test]
    fn pieces_and_trailing_slash() {
        assert_eq!(printed("/users//{id}/"), ["users", "{id}", "<slash>"]);
        assert_eq!(printed(""), Vec::<String>::new());
        assert_eq!(printed("/"), ["<slash>"]);
        assert_eq!(printed("a/*/{p?}"), ["a", "*", "{p?}"]);
    }

    /// Prefixes and suffixes around `{}`; a named tailcard keeps its name and prefix.
    #[test]
    fn parameters_with_affixes() {
        assert_eq!(
            parse_path("/b-{n}.txt"),
            [RouteSelector::Parameter {
                name: "n".into(),
                prefix: Some("b-".into()),
                suffix: Some(".txt".into()),
            }]
        );
        assert_eq!(
            parse_path("/v{rest...}"),
            [RouteSelector::Tailcard {
                name: "rest".into(),
                prefix: "v".into(),
            }]
        );
    }

    /// Constants are percent-decoded; `%2A` is still the wildcard.
    #[test]
    fn constants_are_decoded() {
        assert_eq!(parse_path("/a%20b"), [RouteSelector::Constant("a b".into())]);
        assert_eq!(parse_path("/%2A"), [RouteSelector::Wildcard]);
    }

    /// A tailcard cannot have a suffix.
    #[test]
    #[should_panic(expected = "Suffix after tailcard is not supported")]
    fn tailcard_suffix_panics() {
        parse_path("/{rest...}.txt");
    }
}

//! Trailing slashes: why `/hello` and `/hello/` are different routes, and the switch that makes
//! them the same.
//!
//! A request path that ends with `/` has one more segment, an empty one: `/hello/` is
//! `[hello, ""]` (see `context.rs`). A declared path that ends with `/` has one more selector,
//! `<slash>` (see `path.rs`). The two meet like this:
//!
//! | declared | request `/hello` | request `/hello/` |
//! |---|---|---|
//! | `get("/hello")` | matches | 404: the empty segment is left over ("Not all segments matched") |
//! | `get("/hello/")` | 404: `<slash>` finds no empty segment | matches: `<slash>` consumes it |
//!
//! Ktor documents this ("Ktor distinguishes paths with and without a trailing slash"), and so
//! does this crate. The `<slash>` selector decides, in this order:
//!
//! 1. trailing slashes are ignored for this call: *transparent* (it neither counts nor consumes);
//! 2. the request path has no segments at all (`/`): a constant match, nothing consumed, so
//!    `get("/")` answers `/`;
//! 3. the next segment is not the last one: transparent, so `route("/") { get("a") }` still
//!    reaches `/a`;
//! 4. there is no next segment: 404;
//! 5. the next (last) segment is not empty: transparent;
//! 6. it is the empty segment of a path ending in `/`: a constant match consuming it;
//! 7. otherwise: 404.
//!
//! The plugin `IgnoreTrailingSlash` (`src/plugins/ignore_trailing_slash.rs`) turns rule 1 on:
//! its `on_call` handler marks every call, and routing, reading the mark, trims the slashes
//! around the request path, so `/hello/` is cut into `[hello]`: then `get("/hello")` answers
//! both. This is Ktor's design: a plugin setting a flag that routing reads.
//!
//! Ktor: `io.ktor.server.routing.IgnoreTrailingSlash` and `TrailingSlashRouteSelector`

use super::{RouteSelectorEvaluation as Evaluation, RoutingResolveContext};

/// The `<slash>` selector's verdict; the numbered rules of the module docs.
///
/// Ktor: `TrailingSlashRouteSelector.evaluate`
pub(crate) fn evaluate(context: &RoutingResolveContext<'_>, segment_index: usize) -> Evaluation {
    let segments = context.segments();
    let transparent = || Evaluation::success(Evaluation::QUALITY_TRANSPARENT, 0);
    if context.ignores_trailing_slash() {
        return transparent();
    }
    let Some(last) = segments.len().checked_sub(1) else {
        return Evaluation::success(Evaluation::QUALITY_CONSTANT, 0);
    };
    if segment_index < last {
        transparent()
    } else if segment_index > last {
        Evaluation::failed_path()
    } else if !segments[segment_index].is_empty() {
        transparent()
    } else if context.has_trailing_slash() {
        Evaluation::success(Evaluation::QUALITY_CONSTANT, 1)
    } else {
        Evaluation::failed_path()
    }
}

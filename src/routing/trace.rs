//! The resolution trace: every node the search visited, what its selector said, and why the
//! winner won, in Ktor's text format.
//!
//! Register a tracer on the routing root and every resolution hands it this text:
//!
//! ```text
//! Trace for [users, 42]
//! /, segment:0 -> SUCCESS @ /
//!   /users, segment:1 -> SUCCESS @ /users
//!     /users/me, segment:1 -> FAILURE "Selector didn't match" @ /users/me
//!     /users/{id}, segment:2 -> SUCCESS; Parameters [id=[42]] @ /users/{id}
//!       /users/{id} [(method:GET)], segment:2 -> SUCCESS @ /users/{id} [(method:GET)]
//!     /users [(method:POST)], segment:1 -> FAILURE "Selector didn't match" @ /users [(method:POST)]
//! Matched routes:
//!   "" -> "users" -> "{id}" -> "(method:GET)"
//! Routing resolve result:
//!   SUCCESS; Parameters [id=[42]] @ /users/{id} [(method:GET)]
//! ```
//!
//! - The first line lists the request's path segments.
//! - Then one line per visited node, indented two spaces per level, in visit order:
//!   `<node>, segment:<index> -> <result>`. A node is named by its path, then its conditions in
//!   brackets (`Route::render`). The index is the segment *after* the node for nodes that
//!   matched and for "Not all segments matched", and the segment *at* the node for the other two
//!   failures, "Selector didn't match" and "Better match was already found".
//! - `Matched routes:` lists every candidate (a node with handlers reached with every segment
//!   consumed) as its selectors from the root, quoted; or `  No results`.
//! - `Routing resolve result:` is the final [`RoutingResolveResult`](super::RoutingResolveResult).
//!
//! Ktor builds a tree of entry objects and prints it at the end; since an entry's text is known
//! when the node is entered (its result is decided before its children are visited), this
//! builder writes each line at once, at the depth of the current trail, which prints the same.
//!
//! Ktor: `io.ktor.server.routing.RoutingResolveTrace`

use std::fmt::Write;

use super::resolve::Step;
use super::{Route, RoutingResolveResult};
use crate::http::Parameters;

/// The trace of one resolution, being written.
///
/// Ktor: `io.ktor.server.routing.RoutingResolveTrace`
pub(crate) struct ResolveTrace {
    /// The header and one line per visited node so far.
    text: String,
    /// Nodes entered and not yet finished: the indentation of the next line.
    depth: usize,
    /// One line per candidate, already formatted.
    candidates: Vec<String>,
}

impl ResolveTrace {
    /// Starts the trace of a request with these path segments.
    pub(crate) fn new(segments: &[String]) -> ResolveTrace {
        ResolveTrace {
            text: format!("Trace for [{}]\n", segments.join(", ")),
            depth: 0,
            candidates: Vec::new(),
        }
    }

    /// A node whose selector matched: its line, then its children one level deeper.
    ///
    /// Ktor: `RoutingResolveTrace.begin`
    pub(crate) fn begin(&mut self, route: &Route, index: usize, parameters: &Parameters) {
        let node = route.render();
        let parameters = if parameters.is_empty() {
            String::new()
        } else {
            format!("; {}", format_parameters(parameters))
        };
        self.line(format_args!(
            "{node}, segment:{index} -> SUCCESS{parameters} @ {node}"
        ));
        self.depth += 1;
    }

    /// The end of a node begun with `begin`.
    ///
    /// Ktor: `RoutingResolveTrace.finish`
    pub(crate) fn finish(&mut self) {
        self.depth -= 1;
    }

    /// A node that was not entered, and why.
    ///
    /// Ktor: `RoutingResolveTrace.skip`
    pub(crate) fn skip(&mut self, route: &Route, index: usize, reason: &str) {
        let node = route.render();
        self.line(format_args!(
            "{node}, segment:{index} -> FAILURE \"{reason}\" @ {node}"
        ));
    }

    /// A candidate: a trail ending in a node with handlers, every segment consumed.
    ///
    /// Ktor: `RoutingResolveTrace.addCandidate`
    pub(crate) fn candidate(&mut self, trail: &[Step]) {
        let selectors: Vec<String> = trail
            .iter()
            .map(|step| format!("\"{}\"", step.route.selector))
            .collect();
        self.candidates.push(format!("  {}", selectors.join(" -> ")));
    }

    /// The finished text, ending with the final result (no newline after it).
    ///
    /// Ktor: `RoutingResolveTrace.buildText`
    pub(crate) fn into_text(mut self, result: &RoutingResolveResult) -> String {
        self.text.push_str("Matched routes:\n");
        if self.candidates.is_empty() {
            self.text.push_str("  No results\n");
        }
        for candidate in &self.candidates {
            self.text.push_str(candidate);
            self.text.push('\n');
        }
        // Writing to a String cannot fail.
        let _ = write!(self.text, "Routing resolve result:\n  {result}");
        self.text
    }

    fn line(&mut self, line: std::fmt::Arguments) {
        let _ = writeln!(self.text, "{}{line}", "  ".repeat(self.depth));
    }
}

/// Parameters as Ktor prints them: values grouped by name, names in order of first appearance:
/// `Parameters [id=[42], tag=[a, b]]`.
///
/// Ktor: `StringValuesImpl.toString`
pub(crate) fn format_parameters(parameters: &Parameters) -> String {
    let groups: Vec<String> = parameters
        .names()
        .map(|name| {
            format!(
                "{name}=[{}]",
                parameters.get_all(name).collect::<Vec<_>>().join(", ")
            )
        })
        .collect();
    format!("Parameters [{}]", groups.join(", "))
}

//! Resolution: which route answers a request, found by a depth-first search with pruning by
//! quality.
//!
//! `visit(node, segment_index, matched_quality)` is the whole algorithm:
//!
//! 1. evaluate the node's selector at `segment_index`. A **failure** ends the visit; if every
//!    segment was already consumed, it is offered as the reason for the final status (below);
//! 2. a success whose quality is **below `matched_quality`** ends the visit too: a sibling
//!    already produced a full match at least that good ("Better match was already found");
//! 3. a node without children that leaves segments unconsumed ends it ("Not all segments
//!    matched");
//! 4. otherwise the node joins the current path (the *trail*). If it has handlers and every
//!    segment is consumed, the trail is a **candidate**: it replaces the best one so far if it
//!    is better (`is_better`), and then its quality becomes the bar its children must reach;
//! 5. the children are visited **in declaration order**, each with the best quality any earlier
//!    sibling subtree matched with as its bar;
//! 6. the node leaves the trail; the visit returns the node's quality if something below (or
//!    the node itself) matched, else "nothing".
//!
//! Step 5 is *sibling pruning*: with children `bar` (1.0) and `{param}` (0.8), `/bar` never
//! visits `{param}`. But `/bar/x`, declared only as `/{param}/x`, does: the `bar` subtree
//! matched nothing, so it set no bar.
//!
//! `is_better(new, best)` compares two candidates' qualities from the root down, skipping
//! transparent entries: at the first difference the higher wins. If all compared entries are
//! equal the longer trail (more non-transparent entries) wins, and on a full tie the best
//! stays, which makes the **first declared** route win.
//!
//! # Which failure is reported
//!
//! When nothing matched, the status is 404 unless a selector failure qualifies: it happened with
//! every segment consumed, on a trail of constants only (quality 1.0 or transparent), and it
//! ranks higher than the current one (a higher failure quality, or a deeper trail). So
//! `get("/a")` answers `POST /a` with 405 (the method failed at the end of a constant path), but
//! `route("{p}") { get }` answers `POST /b` with 404: the path matched only through a
//! parameter. A missing `param` or a wrong `header` gives 400 the same way.
//!
//! Beyond Ktor, the resolver also collects the methods of the method selectors that failed under
//! those same conditions: a 405 carries them in an `Allow` header (RFC 9110 §15.5.6 requires
//! one; Ktor sends none).
//!
//! Ktor 3.5 first consults an index of constant routes, a fast path that gives the same
//! answers; so does this crate (`fast_path.rs`, asked by `root.rs` before this search). One
//! thing of Ktor's is not here: its main branch has since changed `isBetterResolve`
//! (ktorio/ktor#5764) to compare the lowest quality left over on each side before counting
//! entries. This file keeps the counting rule Ktor used until that change.
//!
//! Ktor: `RoutingResolveContext.resolve`, `isBetterResolve` and `updateFailedEvaluation`

use super::trace::ResolveTrace;
use super::{
    Route, RouteSelector, RouteSelectorEvaluation as Evaluation, RoutingResolveContext, RoutingResolveResult,
};
use crate::http::{HttpMethod, HttpStatusCode, Parameters};

const MIN_QUALITY: f64 = -f64::MAX;
const TRANSPARENT: f64 = Evaluation::QUALITY_TRANSPARENT;

/// One entry of a trail: a node, what its selector captured, and with which quality.
#[derive(Clone)]
pub(crate) struct Step<'r> {
    pub(crate) route: &'r Route,
    parameters: Parameters,
    quality: f64,
}

impl Route {
    /// Finds the route that answers the request in `context`, searching the tree below this
    /// node (normally the root), and hands the trace to the root's tracers if it has any.
    ///
    /// Ktor: `RoutingResolveContext.resolve()`
    pub fn resolve<'r>(&'r self, context: &RoutingResolveContext<'_>) -> RoutingResolveResult<'r> {
        let mut resolver = Resolver {
            context,
            best: Vec::new(),
            failure: Some((0.0, HttpStatusCode::NOT_FOUND)),
            failure_depth: 0,
            allow: Vec::new(),
            trace: (!self.tracers.is_empty()).then(|| ResolveTrace::new(context.segments())),
        };
        resolver.visit(self, 0, &mut Vec::new(), MIN_QUALITY);
        let trace = resolver.trace.take();
        let result = resolver.result(self);
        if let Some(trace) = trace {
            let text = trace.into_text(&result);
            for tracer in &self.tracers {
                tracer(&text);
            }
        }
        result
    }
}

/// The state of one resolution.
struct Resolver<'r, 'c> {
    context: &'c RoutingResolveContext<'c>,
    /// The best candidate trail so far; empty until one is found.
    best: Vec<Step<'r>>,
    /// The failure to report if nothing matches: quality and status. `None` once something
    /// matched, which stops failures from being recorded at all.
    failure: Option<(f64, HttpStatusCode)>,
    /// The trail length at which `failure` happened.
    failure_depth: usize,
    /// Methods whose selector failed where a 405 could come from.
    allow: Vec<HttpMethod>,
    trace: Option<ResolveTrace>,
}

impl<'r> Resolver<'r, '_> {
    /// One visit; the numbered steps of the module docs.
    fn visit(&mut self, route: &'r Route, index: usize, trail: &mut Vec<Step<'r>>, matched: f64) -> f64 {
        let size = self.context.segments().len();
        let (quality, parameters, increment) = match route.selector.evaluate(self.context, index) {
            Evaluation::Failure { quality, status } => {
                self.skip(route, index, "Selector didn't match");
                if index == size {
                    self.offer_failure(&route.selector, quality, status, trail);
                }
                return MIN_QUALITY;
            }
            Evaluation::Success {
                quality,
                parameters,
                segment_increment,
            } => (quality, parameters, segment_increment),
        };
        if quality != TRANSPARENT && quality < matched {
            self.skip(route, index, "Better match was already found");
            return MIN_QUALITY;
        }
        let new_index = index + increment;
        if route.children.is_empty() && new_index != size {
            self.skip(route, new_index, "Not all segments matched");
            return MIN_QUALITY;
        }
        if let Some(trace) = &mut self.trace {
            trace.begin(route, new_index, &parameters);
        }
        trail.push(Step {
            route,
            parameters,
            quality,
        });
        let mut best_below = MIN_QUALITY;
        if route.has_handler() && new_index == size {
            if self.best.is_empty() || is_better(trail, &self.best) {
                best_below = quality;
                self.best.clone_from(trail);
                self.failure = None;
            }
            if let Some(trace) = &mut self.trace {
                trace.candidate(trail);
            }
        }
        for child in &route.children {
            let child_quality = self.visit(child, new_index, trail, best_below);
            if child_quality > 0.0 {
                best_below = best_below.max(child_quality);
            }
        }
        trail.pop();
        if let Some(trace) = &mut self.trace {
            trace.finish();
        }
        if best_below > 0.0 { quality } else { MIN_QUALITY }
    }

    fn skip(&mut self, route: &Route, index: usize, reason: &str) {
        if let Some(trace) = &mut self.trace {
            trace.skip(route, index, reason);
        }
    }

    /// A failure with every segment consumed: it replaces the one to report if the trail is all
    /// constants and it ranks higher (see the module docs). A method that failed adds itself to
    /// the methods a 405 lists in `Allow`, whatever its trail: the path is answered for that
    /// method, through a parameter (`DELETE /users/{id}` for `/users/me`) as well as through
    /// constants, and RFC 9110 §15.5.6 asks for every method the resource supports.
    fn offer_failure(
        &mut self,
        selector: &RouteSelector,
        quality: f64,
        status: HttpStatusCode,
        trail: &[Step],
    ) {
        let Some((current, _)) = self.failure else {
            return;
        };
        if let RouteSelector::Method(method) = selector
            && !self.allow.contains(method)
        {
            self.allow.push(method.clone());
        }
        let constant_trail = trail
            .iter()
            .all(|step| step.quality == TRANSPARENT || step.quality == Evaluation::QUALITY_CONSTANT);
        if !constant_trail {
            return;
        }
        if current < quality || self.failure_depth < trail.len() {
            self.failure = Some((quality, status));
            self.failure_depth = trail.len();
        }
    }

    /// The best candidate, or the failure to report.
    fn result(self, root: &'r Route) -> RoutingResolveResult<'r> {
        if self.best.is_empty() {
            let status = self
                .failure
                .map_or(HttpStatusCode::NOT_FOUND, |(_, status)| status);
            let allow = if status == HttpStatusCode::METHOD_NOT_ALLOWED {
                self.allow
            } else {
                Vec::new()
            };
            return RoutingResolveResult::Failure {
                route: root,
                reason: "No matched subtrees found",
                status,
                allow,
            };
        }
        let mut parameters = Parameters::new();
        let mut quality = f64::MAX;
        for step in &self.best {
            for (name, value) in step.parameters.iter() {
                parameters.append(name, value);
            }
            let counted = if step.quality == TRANSPARENT {
                Evaluation::QUALITY_CONSTANT
            } else {
                step.quality
            };
            quality = quality.min(counted);
        }
        RoutingResolveResult::Success {
            lineage: self.best.iter().map(|step| step.route).collect(),
            parameters,
            quality,
        }
    }
}

/// Whether candidate trail `new` beats `best`: the first differing quality decides, transparent
/// entries skipped; then the one with more non-transparent entries; a tie keeps `best`.
///
/// Ktor: `RoutingResolveContext.isBetterResolve`
fn is_better(new: &[Step], best: &[Step]) -> bool {
    let counted = |trail: &[Step]| trail.iter().filter(|step| step.quality != TRANSPARENT).count();
    let (mut i, mut j) = (0, 0);
    while i < best.len() && j < new.len() {
        let (old_quality, new_quality) = (best[i].quality, new[j].quality);
        if old_quality == TRANSPARENT {
            i += 1;
        } else if new_quality == TRANSPARENT {
            j += 1;
        } else if old_quality != new_quality {
            return new_quality > old_quality;
        } else {
            i += 1;
            j += 1;
        }
    }
    counted(new) > counted(best)
}

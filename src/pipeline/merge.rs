//! Merging one pipeline into another: `merge`, `merge_phases` and `reset_from`.
//!
//! `merge(from)` has two halves, and a shortcut in front of them:
//!
//! - **fast path.** If `from` has no phases there is nothing to do. If *this* pipeline has no
//!   phases, it becomes a copy of `from`: the same slots, sharing every interceptor list and the
//!   flattened list (copy-on-write, see the module docs). This is the first step of building a
//!   route's pipeline, and all of `reset_from`.
//! - **`merge_phases`**: every phase of `from` that is missing here is placed the way it was
//!   placed in `from`, by its [`PhaseRelation`]. A relation may name a phase that is itself
//!   still waiting to be placed (`from` has `X` inserted before `Y`, and `Y` comes later in
//!   `from`'s list), so placing goes in rounds: each round places what it can, in `from`'s
//!   order, and leaves the rest for the next one:
//!
//!   ```text
//!   here: Call        from: Auth(Before Plugins)  Plugins(Before Call)  Call
//!   round 1: Auth waits for Plugins; Plugins goes before Call   ─►  Plugins Call
//!   round 2: Auth goes before Plugins                           ─►  Auth Plugins Call
//!   ```
//!
//! - **merging interceptors**: for every phase of `from`, its interceptors are appended *after*
//!   the ones this pipeline already has in that phase. Merging routes root first therefore
//!   runs an ancestor's interceptors before a descendant's in each phase.
//!
//! Ktor: `Pipeline.merge`, `Pipeline.mergePhases`, `Pipeline.resetFrom`

use std::sync::Arc;

use super::{PhaseContent, PhaseRelation, Pipeline, PipelinePhase};

impl<S, C> Pipeline<S, C> {
    /// Adds `from`'s phases (placed by their relations) and then its interceptors (after the
    /// ones already here, phase by phase) to this pipeline. `from` is not changed.
    ///
    /// How a route inherits the interceptors of the routes above it, as Ktor builds the
    /// pipeline of a resolved route:
    ///
    /// ```
    /// use mini_ktor::pipeline::{Pipeline, PipelinePhase};
    /// use mini_ktor::runtime::block_on;
    ///
    /// static MONITORING: PipelinePhase = PipelinePhase::new("Monitoring");
    /// static PLUGINS: PipelinePhase = PipelinePhase::new("Plugins");
    /// static CALL: PipelinePhase = PipelinePhase::new("Call");
    /// let phases = [&MONITORING, &PLUGINS, &CALL];
    ///
    /// type RoutePipeline = Pipeline<(), Vec<&'static str>>;
    /// let mut root = RoutePipeline::new(&phases); // "/"
    /// root.intercept(&MONITORING, async |ctx| {
    ///     ctx.context().push("log");
    ///     Ok(())
    /// });
    /// let mut api = RoutePipeline::new(&phases); // "/api"
    /// api.intercept(&PLUGINS, async |ctx| {
    ///     ctx.context().push("auth");
    ///     Ok(())
    /// });
    /// let mut users = RoutePipeline::new(&phases); // "/api/users"
    /// users.intercept(&MONITORING, async |ctx| {
    ///     ctx.context().push("timing");
    ///     Ok(())
    /// });
    /// users.intercept(&CALL, async |ctx| {
    ///     ctx.context().push("handler");
    ///     Ok(())
    /// });
    ///
    /// // The pipeline of a call to /api/users: every route on the path, root first.
    /// let mut resolved = RoutePipeline::new(&[]);
    /// for route in [&root, &api, &users] {
    ///     resolved.merge(route);
    /// }
    /// let mut log = Vec::new();
    /// block_on(resolved.execute(&mut log, ())).unwrap();
    /// // Monitoring: root's `log` before the leaf's `timing`; then Plugins; then Call.
    /// assert_eq!(log, ["log", "timing", "auth", "handler"]);
    /// ```
    ///
    /// Ktor: `Pipeline.merge(from)`
    pub fn merge(&mut self, from: &Pipeline<S, C>) {
        if self.fast_path_merge(from) {
            return;
        }
        self.merge_phases(from);
        self.merge_interceptors(from);
    }

    /// Adds the phases of `from` that are missing here, each placed by the relation it has in
    /// `from`, without any interceptor. Phases already here stay where they are.
    ///
    /// A relation whose reference is not here yet waits for a later round (see the module
    /// docs). Ktor waits only for `Before` references; an `After` reference that has not
    /// arrived yet makes its `insertPhaseAfter` throw. Both wait here, which costs nothing
    /// and accepts every pipeline these methods can build.
    ///
    /// Ktor: `Pipeline.mergePhases(from)`
    pub fn merge_phases(&mut self, from: &Pipeline<S, C>) {
        let mut waiting: Vec<&PhaseContent<S, C>> = from
            .phases
            .iter()
            .filter(|content| !self.has_phase(content.phase))
            .collect();
        while !waiting.is_empty() {
            let before_this_round = waiting.len();
            waiting.retain(|content| !self.place(content.phase, content.relation));
            if waiting.len() == before_this_round {
                // A round that places nothing means that the waiting phases only refer to each
                // other, or to phases `from` does not have. Neither can happen to a pipeline
                // built by these methods (a phase is only ever placed next to one that is
                // already there), but looping forever would be a poor answer if it did:
                // append the rest, in `from`'s order.
                for content in waiting.drain(..) {
                    self.add_phase(content.phase);
                }
            }
        }
    }

    /// Makes this pipeline a copy of `from`: its phases are dropped, then `from`'s slots are
    /// taken over sharing their interceptor lists, as [`merge`](Self::merge) does into an empty
    /// pipeline. Interceptors added to either side afterwards stay on that side.
    ///
    /// Ktor gives each call its own receive and send pipelines this way. Its version is only
    /// ever called on a fresh pipeline and checks that it has no interceptors yet; here the old
    /// interceptors are simply dropped along with the phases. A [`clone`](Clone::clone) does the
    /// same job without a pipeline to start from.
    ///
    /// Ktor: `Pipeline.resetFrom(from)`
    pub fn reset_from(&mut self, from: &Pipeline<S, C>) {
        self.phases.clear();
        self.flat = Arc::new([]);
        self.fast_path_merge(from);
    }

    /// The shortcut of `merge`: returns whether it did the whole job.
    fn fast_path_merge(&mut self, from: &Pipeline<S, C>) -> bool {
        if from.phases.is_empty() {
            return true;
        }
        if !self.phases.is_empty() {
            return false;
        }
        // Each slot's clone shares its interceptor list, and `flat` is shared whole: nothing is
        // copied but the slots themselves.
        self.phases = from.phases.clone();
        self.flat = Arc::clone(&from.flat);
        true
    }

    /// Places one waiting phase if its reference is here; returns whether it did.
    fn place(&mut self, phase: &'static PipelinePhase, relation: PhaseRelation) -> bool {
        match relation {
            PhaseRelation::Last => {
                self.add_phase(phase);
                true
            }
            // The `try_` versions report a missing reference instead of panicking: exactly
            // the "not yet, try in the next round" answer needed here.
            PhaseRelation::Before(reference) => self.try_insert_phase_before(reference, phase).is_ok(),
            PhaseRelation::After(reference) => self.try_insert_phase_after(reference, phase).is_ok(),
        }
    }

    /// Appends the interceptors of each phase of `from` after the ones here. Every phase of
    /// `from` is here by now (`merge_phases` ran first).
    fn merge_interceptors(&mut self, from: &Pipeline<S, C>) {
        let mut added = false;
        for theirs in from
            .phases
            .iter()
            .filter(|content| !content.interceptors.is_empty())
        {
            let Some(index) = self.index_of(theirs.phase) else {
                unreachable!("merge_phases placed every phase of `from`");
            };
            let mine = &mut self.phases[index].interceptors;
            if mine.is_empty() {
                // Nothing to append to: share `from`'s list, as Ktor's `PhaseContent.addTo`
                // does. A later `intercept` on either side copies it.
                *mine = Arc::clone(&theirs.interceptors);
            } else {
                Arc::make_mut(mine).extend(theirs.interceptors.iter().cloned());
            }
            added = true;
        }
        if added {
            self.rebuild_flat();
        }
    }
}

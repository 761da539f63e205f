//! Building the phase order: `add_phase`, `insert_phase_before` and `insert_phase_after`.
//!
//! Each method records how it placed the phase (a [`PhaseRelation`]); `merge.rs` replays those
//! relations in another pipeline. Two rules are shared by both insertions, in this order:
//!
//! 1. a phase that is already present stays where it is, and the call does nothing (even if the
//!    reference is missing: Ktor checks the phase first, and so do we);
//! 2. a reference that is missing is an [`InvalidPhase`] error.
//!
//! # The scan in `insert_phase_after`
//!
//! Placing `p` right after `r` would reverse the order of two phases inserted after the same
//! `r`. So the scan walks the slots that follow `r` and puts `p` after the last one placed
//! `After(r)`, its "elder siblings". It steps over slots placed relative to some other phase
//! (they belong to a sibling, like a phase inserted before one), and stops at the first slot
//! with relation `Last`, which was appended and belongs to nobody:
//!
//! ```text
//! Setup  Check(Before Auth)  Auth(After Setup)  Call(Last)
//!        step over           elder sibling      stop
//! insert_phase_after(Setup, Sessions)  ─►  Setup Check Auth Sessions Call
//! ```
//!
//! `p` goes right after the last sibling, not after what was placed after that sibling: with
//! `A  B(After A)  C(After B)`, inserting `D` after `A` gives `A B D C`.
//!
//! Ktor stops at a *bare* slot instead: an appended phase nobody has intercepted yet. Once
//! intercepted, Ktor upgrades the slot to a `PhaseContent` whose relation is `Last`, and the
//! scan steps over it. The result is the same: no method ever places an `After(r)` phase beyond
//! a `Last` phase that follows `r` (`add_phase` only appends, and this scan never passes one), so
//! there is never anything to find past it. We keep the simpler rule, which does not depend on
//! whether a phase happens to have interceptors.
//!
//! Ktor: `Pipeline.addPhase`, `Pipeline.insertPhaseBefore`, `Pipeline.insertPhaseAfter`

use super::{InvalidPhase, PhaseContent, PhaseRelation, Pipeline, PipelinePhase};

/// Two ways to report a missing reference, both on purpose.
///
/// The methods with Ktor's names panic, like [`Pipeline::intercept`]: the phases are put
/// together once, when the application is configured, so a missing phase is a bug that shows on
/// the first start, and Ktor's `InvalidPhaseException` is likewise never caught in practice.
/// The `try_*` methods return the [`InvalidPhase`] instead, for code that cannot know which
/// phases a pipeline has (a plugin placing its phase relative to an optional one).
impl<S, C> Pipeline<S, C> {
    /// Appends `phase` at the end, with relation [`Last`](PhaseRelation::Last); does nothing if
    /// it is already present.
    ///
    /// Ktor: `Pipeline.addPhase(phase)`
    pub fn add_phase(&mut self, phase: &'static PipelinePhase) {
        if !self.has_phase(phase) {
            self.phases.push(PhaseContent::new(phase, PhaseRelation::Last));
        }
    }

    /// Inserts `phase` immediately before `reference`, with relation
    /// [`Before(reference)`](PhaseRelation::Before); does nothing if `phase` is already present.
    ///
    /// Inserting `a`, then `b`, before `c` gives `a b c`: each goes right before `c`, so after
    /// the ones inserted earlier.
    ///
    /// # Panics
    ///
    /// With an [`InvalidPhase`] message if `reference` is not in this pipeline (and `phase` is
    /// not either). [`try_insert_phase_before`](Self::try_insert_phase_before) returns the error
    /// instead.
    ///
    /// Ktor: `Pipeline.insertPhaseBefore(reference, phase)`
    #[track_caller]
    pub fn insert_phase_before(&mut self, reference: &'static PipelinePhase, phase: &'static PipelinePhase) {
        if let Err(error) = self.try_insert_phase_before(reference, phase) {
            panic!("{error}");
        }
    }

    /// [`insert_phase_before`](Self::insert_phase_before), returning the error instead of
    /// panicking when `reference` is missing.
    ///
    /// Ktor: `Pipeline.insertPhaseBefore(reference, phase)`
    pub fn try_insert_phase_before(
        &mut self,
        reference: &'static PipelinePhase,
        phase: &'static PipelinePhase,
    ) -> Result<(), InvalidPhase> {
        if self.has_phase(phase) {
            return Ok(());
        }
        let index = self.index_of(reference).ok_or(InvalidPhase::new(reference))?;
        let content = PhaseContent::new(phase, PhaseRelation::Before(reference));
        self.phases.insert(index, content);
        Ok(())
    }

    /// Inserts `phase` after `reference` and after every phase already placed
    /// [`After(reference)`](PhaseRelation::After), with that relation; does nothing if `phase`
    /// is already present.
    ///
    /// Inserting `b`, then `c`, after `a` gives `a b c`: phases inserted after the same
    /// reference keep their insertion order.
    ///
    /// ```
    /// use mini_ktor::pipeline::{PhaseRelation, Pipeline, PipelinePhase};
    ///
    /// static A: PipelinePhase = PipelinePhase::new("A");
    /// static B: PipelinePhase = PipelinePhase::new("B");
    /// static C: PipelinePhase = PipelinePhase::new("C");
    ///
    /// let mut pipeline: Pipeline<(), ()> = Pipeline::new(&[&A]);
    /// pipeline.insert_phase_after(&A, &B);
    /// pipeline.insert_phase_after(&A, &C);
    /// let names: Vec<_> = pipeline.phases().iter().map(|phase| phase.name()).collect();
    /// assert_eq!(names, ["A", "B", "C"]);
    /// assert_eq!(pipeline.relation_of(&C), Some(PhaseRelation::After(&A)));
    /// ```
    ///
    /// # Panics
    ///
    /// With an [`InvalidPhase`] message if `reference` is not in this pipeline (and `phase` is
    /// not either). [`try_insert_phase_after`](Self::try_insert_phase_after) returns the error
    /// instead.
    ///
    /// Ktor: `Pipeline.insertPhaseAfter(reference, phase)`
    #[track_caller]
    pub fn insert_phase_after(&mut self, reference: &'static PipelinePhase, phase: &'static PipelinePhase) {
        if let Err(error) = self.try_insert_phase_after(reference, phase) {
            panic!("{error}");
        }
    }

    /// [`insert_phase_after`](Self::insert_phase_after), returning the error instead of
    /// panicking when `reference` is missing.
    ///
    /// Ktor: `Pipeline.insertPhaseAfter(reference, phase)`
    pub fn try_insert_phase_after(
        &mut self,
        reference: &'static PipelinePhase,
        phase: &'static PipelinePhase,
    ) -> Result<(), InvalidPhase> {
        if self.has_phase(phase) {
            return Ok(());
        }
        let reference_index = self.index_of(reference).ok_or(InvalidPhase::new(reference))?;
        // The scan of the module docs: by default right after `reference`, moved past each
        // elder sibling found before the first appended phase.
        let mut insert_at = reference_index + 1;
        for (index, content) in self.phases.iter().enumerate().skip(reference_index + 1) {
            match content.relation {
                PhaseRelation::Last => break,
                PhaseRelation::After(other) if other.is(reference) => insert_at = index + 1,
                PhaseRelation::After(_) | PhaseRelation::Before(_) => {}
            }
        }
        let content = PhaseContent::new(phase, PhaseRelation::After(reference));
        self.phases.insert(insert_at, content);
        Ok(())
    }
}

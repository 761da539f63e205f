//! Pipeline phases: the named, ordered slots that interceptors hang in.
//!
//! A [`Pipeline`](super::Pipeline) does not run its interceptors in the order they were added,
//! but phase by phase: everything intercepted in `Setup` runs before anything in `Monitoring`,
//! whatever the order of the `intercept` calls. That is what lets a plugin installed late still
//! wrap the whole call (CallLogging in `Monitoring` sees every handler in `Call`).
//!
//! A phase is compared by *identity*, not by name, exactly as in Ktor, where `PipelinePhase` is a
//! plain class and not a data class: two phases both named `"Before"` (the receive pipeline's and
//! the send pipeline's) are different phases. In Rust, identity is the address of a `static`:
//! phases are declared once as `static` items and passed around as `&'static PipelinePhase`.
//! Ktor declares them the same way, as `val`s on companion objects.
//!
//! The alternative not chosen is a phase id (an integer or an `Arc` compared by pointer). A
//! `static` needs no counter, costs nothing to copy and reads like Ktor's declarations; a phase
//! made at run time can still be had with [`PipelinePhase::leak`].
//!
//! Two small companions live here too. A [`PhaseRelation`] records *how* a phase joined a
//! pipeline (appended, or placed before or after another phase), because merging replays it.
//! An [`InvalidPhase`] is the mistake of naming a phase the pipeline does not have.
//!
//! Ktor: `io.ktor.util.pipeline.PipelinePhase`, `PipelinePhaseRelation`, `InvalidPhaseException`

use std::fmt;

/// A named slot in a [`Pipeline`](super::Pipeline). Compared by address, never by name.
///
/// Declare one as a `static` and refer to it as `&'static PipelinePhase`:
///
/// ```
/// use mini_ktor::pipeline::PipelinePhase;
///
/// static AUDIT: PipelinePhase = PipelinePhase::new("Audit");
/// static ALSO_AUDIT: PipelinePhase = PipelinePhase::new("Audit");
///
/// assert!(AUDIT.is(&AUDIT));
/// assert!(!AUDIT.is(&ALSO_AUDIT)); // same name, different phase
/// assert_eq!(AUDIT.to_string(), "Phase('Audit')");
/// ```
///
/// Ktor: `io.ktor.util.pipeline.PipelinePhase`
pub struct PipelinePhase {
    name: &'static str,
}

impl PipelinePhase {
    /// Creates a phase; meant for a `static` initializer.
    ///
    /// Ktor: `PipelinePhase(name)`
    pub const fn new(name: &'static str) -> PipelinePhase {
        PipelinePhase { name }
    }

    /// Creates a phase at run time by leaking it, which gives it the `'static` address that
    /// identity needs. Phases are created while an application is configured, a handful per
    /// process, so the leak is bounded.
    ///
    /// Ktor: `PipelinePhase(name)`
    pub fn leak(name: &'static str) -> &'static PipelinePhase {
        Box::leak(Box::new(PipelinePhase::new(name)))
    }

    /// The phase's name, for messages and traces.
    ///
    /// Ktor: `PipelinePhase.name`
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Whether `self` and `other` are the same phase (the same address).
    ///
    /// Ktor: `===` on `PipelinePhase`
    pub fn is(&self, other: &PipelinePhase) -> bool {
        std::ptr::eq(self, other)
    }
}

impl fmt::Display for PipelinePhase {
    /// Formats as Ktor's `toString()` does: `Phase('Setup')`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phase('{}')", self.name)
    }
}

impl fmt::Debug for PipelinePhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// How a phase was placed in its pipeline, recorded so that [`merge`](super::Pipeline::merge)
/// can place it the same way in another pipeline.
///
/// | relation | set by | meaning |
/// |---|---|---|
/// | `Last` | [`Pipeline::new`](super::Pipeline::new), [`add_phase`](super::Pipeline::add_phase) | appended at the end |
/// | `Before(r)` | [`insert_phase_before`](super::Pipeline::insert_phase_before) | immediately before `r` |
/// | `After(r)` | [`insert_phase_after`](super::Pipeline::insert_phase_after) | after `r` and the phases already placed `After(r)` |
///
/// The reference is a `&'static PipelinePhase`, so two relations are equal when they are of the
/// same kind and name the same phase *by identity*, as everywhere else.
///
/// Ktor: `io.ktor.util.pipeline.PipelinePhaseRelation` (`After`, `Before`, `Last`)
#[derive(Clone, Copy, Debug)]
pub enum PhaseRelation {
    /// Placed after this phase (and after the phases that were placed after it before).
    ///
    /// Ktor: `PipelinePhaseRelation.After(relativeTo)`
    After(&'static PipelinePhase),
    /// Placed immediately before this phase.
    ///
    /// Ktor: `PipelinePhaseRelation.Before(relativeTo)`
    Before(&'static PipelinePhase),
    /// Appended at the end, relative to nothing.
    ///
    /// Ktor: `PipelinePhaseRelation.Last`
    Last,
}

impl PartialEq for PhaseRelation {
    fn eq(&self, other: &PhaseRelation) -> bool {
        match (self, other) {
            (PhaseRelation::After(a), PhaseRelation::After(b)) => a.is(b),
            (PhaseRelation::Before(a), PhaseRelation::Before(b)) => a.is(b),
            (PhaseRelation::Last, PhaseRelation::Last) => true,
            _ => false,
        }
    }
}

impl Eq for PhaseRelation {}

/// A phase was named that the pipeline does not have: the reference of an insertion, or the
/// phase of an `intercept`.
///
/// It is a mistake in how the application is put together, so the methods that Ktor names
/// (`intercept`, `insert_phase_before`, ...) panic with this message; the `try_*` variants hand
/// it back instead.
///
/// ```
/// use mini_ktor::pipeline::{Pipeline, PipelinePhase};
///
/// static SETUP: PipelinePhase = PipelinePhase::new("Setup");
/// static AUDIT: PipelinePhase = PipelinePhase::new("Audit");
/// static ELSEWHERE: PipelinePhase = PipelinePhase::new("Elsewhere");
///
/// let mut pipeline: Pipeline<(), ()> = Pipeline::new(&[&SETUP]);
/// let error = pipeline.try_insert_phase_after(&ELSEWHERE, &AUDIT).unwrap_err();
/// assert!(error.phase().is(&ELSEWHERE));
/// assert_eq!(error.to_string(), "Phase Phase('Elsewhere') was not registered for this pipeline");
/// ```
///
/// Ktor: `io.ktor.util.pipeline.InvalidPhaseException`
#[derive(Clone, Copy, Debug)]
pub struct InvalidPhase {
    /// The phase that was looked for and not found.
    phase: &'static PipelinePhase,
}

impl InvalidPhase {
    /// The error for `phase`, which is missing.
    pub(crate) fn new(phase: &'static PipelinePhase) -> InvalidPhase {
        InvalidPhase { phase }
    }

    /// The phase that the pipeline does not have.
    ///
    /// Ktor: none; `InvalidPhaseException` carries only its message
    pub fn phase(&self) -> &'static PipelinePhase {
        self.phase
    }
}

impl fmt::Display for InvalidPhase {
    /// Ktor's message, word for word: `Phase Phase('X') was not registered for this pipeline`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phase {} was not registered for this pipeline", self.phase)
    }
}

impl std::error::Error for InvalidPhase {}

#[cfg(test)]
mod tests {
    use super::*;

    static A: PipelinePhase = PipelinePhase::new("A");
    static A_AGAIN: PipelinePhase = PipelinePhase::new("A");

    /// Identity, not the name, decides whether two phases are the same.
    #[test]
    fn phases_compare_by_identity() {
        assert!(A.is(&A));
        assert!(!A.is(&A_AGAIN));
        let leaked = PipelinePhase::leak("A");
        assert!(leaked.is(leaked));
        assert!(!leaked.is(&A));
    }

    /// A phase prints the way Ktor's `toString` does.
    #[test]
    fn phase_display_matches_ktor() {
        assert_eq!(A.to_string(), "Phase('A')");
        assert_eq!(A.name(), "A");
    }

    /// Relations compare their reference by identity, like phases do.
    #[test]
    fn relations_compare_references_by_identity() {
        assert_eq!(PhaseRelation::After(&A), PhaseRelation::After(&A));
        assert_ne!(PhaseRelation::After(&A), PhaseRelation::After(&A_AGAIN));
        assert_ne!(PhaseRelation::After(&A), PhaseRelation::Before(&A));
        assert_eq!(PhaseRelation::Last, PhaseRelation::Last);
    }
}

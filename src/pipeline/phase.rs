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
}

//! Copy-on-write sharing of interceptor lists (the module docs of `src/pipeline/mod.rs`; Ktor:
//! the `shared` flag of `io.ktor.util.pipeline.PhaseContent`).

use super::*;

/// Whether `a` and `b` share `phase`'s interceptor list (the same allocation).
fn share_list(a: &TestPipeline, b: &TestPipeline, phase: &PipelinePhase) -> bool {
    let list = |p: &TestPipeline| Arc::clone(&p.phases[p.index_of(phase).unwrap()].interceptors);
    Arc::ptr_eq(&list(a), &list(b))
}

/// A pipeline with `a` in phase A and `b` in phase B.
fn configured() -> TestPipeline {
    let mut p = pipeline();
    log_in(&mut p, &A, "a");
    log_in(&mut p, &B, "b");
    p
}

/// A clone shares every interceptor list and the flattened list: nothing is copied.
#[test]
fn clone_shares_every_list() {
    let original = configured();
    let copy = original.clone();
    for phase in [&A, &B, &C] {
        assert!(share_list(&original, &copy, phase));
    }
    assert!(Arc::ptr_eq(&original.flat, &copy.flat));
}

/// Intercepting a clone does not leak into the original, and the other way round.
#[test]
fn intercepting_a_clone_stays_in_the_clone() {
    let mut original = configured();
    let mut copy = original.clone();
    log_in(&mut copy, &A, "copy");
    log_in(&mut original, &C, "original");
    assert_eq!(log_of(&copy), ["a", "copy", "b"]);
    assert_eq!(log_of(&original), ["a", "b", "original"]);
    // Only the lists that were written to were copied.
    assert!(!share_list(&original, &copy, &A));
    assert!(share_list(&original, &copy, &B));
    assert!(!share_list(&original, &copy, &C));
}

/// Adding to a list nobody else holds changes it in place: no copy.
#[test]
fn a_private_list_grows_in_place() {
    let mut p = configured();
    let before = Arc::as_ptr(&p.phases[0].interceptors);
    log_in(&mut p, &A, "a2");
    assert_eq!(Arc::as_ptr(&p.phases[0].interceptors), before);
}

/// Once the clone is gone the list is private again, so the next add copies nothing (Ktor's
/// `shared` flag would stay set and copy).
#[test]
fn a_list_is_private_again_when_the_clone_is_dropped() {
    let mut p = configured();
    let before = Arc::as_ptr(&p.phases[0].interceptors);
    drop(p.clone());
    log_in(&mut p, &A, "a2");
    assert_eq!(Arc::as_ptr(&p.phases[0].interceptors), before);
}

/// Inserting phases into a clone leaves the original's phases alone.
#[test]
fn phases_of_a_clone_are_its_own() {
    let original = configured();
    let mut copy = original.clone();
    copy.insert_phase_after(&A, &D);
    assert_eq!(names(&copy), "A D B C");
    assert_eq!(names(&original), "A B C");
}

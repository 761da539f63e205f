//! Building the phase order (`src/pipeline/order.rs`; Ktor: `addPhase`, `insertPhaseBefore` and
//! `insertPhaseAfter` in `io.ktor.util.pipeline.Pipeline`).

use super::*;

/// One test per case: the phases given to `new`, the calls made in order, the order expected.
macro_rules! phase_order {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident: new($($initial:ident),*) $(.$method:ident($($arg:ident),+))* => $expected:literal;
    )+) => {$(
        $(#[doc = $doc])+
        #[test]
        fn $name() {
            #[allow(unused_mut, reason = "a case may make no calls")]
            let mut p = TestPipeline::new(&[$(&$initial),*]);
            $(p.$method($(&$arg),+);)*
            assert_eq!(names(&p), $expected);
        }
    )+};
}

phase_order! {
    /// The phases given to `new` keep their order.
    constructor_keeps_the_given_order: new(C, A, B) => "C A B";
    /// `add_phase` appends at the end.
    add_phase_appends_at_the_end: new(A).add_phase(B).add_phase(C) => "A B C";
    /// `add_phase` of a phase already present does nothing, even where it would move it.
    add_phase_of_a_present_phase_does_nothing: new(A, B).add_phase(A) => "A B";
    /// `insert_phase_before` puts the phase immediately before its reference.
    before_goes_immediately_before_the_reference: new(A, C).insert_phase_before(C, B) => "A B C";
    /// Two phases inserted before the same reference keep their insertion order.
    before_the_same_reference_keeps_insertion_order:
        new(C).insert_phase_before(C, A).insert_phase_before(C, B) => "A B C";
    /// A phase inserted before a phase that was itself inserted before another.
    before_a_chain_of_befores: new(C).insert_phase_before(C, B).insert_phase_before(B, A) => "A B C";
    /// `insert_phase_after` puts the phase right after its reference when it has no siblings.
    after_goes_right_after_the_reference: new(A, C).insert_phase_after(A, B) => "A B C";
    /// Two phases inserted after the same reference keep their insertion order.
    after_the_same_reference_keeps_insertion_order:
        new(A).insert_phase_after(A, B).insert_phase_after(A, C) => "A B C";
    /// Three, four, ...: every phase inserted after the same reference goes after the others.
    after_after_after_keeps_insertion_order:
        new(A, E).insert_phase_after(A, B).insert_phase_after(A, C).insert_phase_after(A, D)
        => "A B C D E";
    /// A phase inserted after a phase that was itself inserted after another.
    after_a_chain_of_afters: new(A).insert_phase_after(A, B).insert_phase_after(B, C) => "A B C";
    /// The scan passes the reference's siblings but not their followers: `D` lands between `B`
    /// and `C`, which was placed after `B`, not after `A`.
    after_passes_siblings_but_not_their_followers:
        new(A).insert_phase_after(A, B).insert_phase_after(B, C).insert_phase_after(A, D)
        => "A B D C";
    /// The scan steps over a phase placed before a sibling, and still lands after the sibling.
    after_steps_over_phases_placed_relative_to_others:
        new(A, E).insert_phase_after(A, C).insert_phase_before(C, B).insert_phase_after(A, D)
        => "A B C D E";
    /// The scan stops at an appended (`Last`) phase: siblings stay before it.
    after_stops_at_an_appended_phase:
        new(A).insert_phase_after(A, B).add_phase(D).insert_phase_after(A, C) => "A B C D";
    /// Before, then after, the same reference: one on each side.
    before_then_after_the_same_reference:
        new(B).insert_phase_before(B, A).insert_phase_after(B, C) => "A B C";
    /// After, then before, the same reference: one on each side.
    after_then_before_the_same_reference:
        new(B).insert_phase_after(B, C).insert_phase_before(B, A) => "A B C";
    /// Inserting a phase that is already present does nothing, before or after anything.
    inserting_a_present_phase_does_nothing:
        new(A, B, C).insert_phase_before(A, C).insert_phase_after(C, A) => "A B C";
}

/// The ordering example of the module docs, phase names and relations included.
#[test]
fn module_docs_ordering_example() {
    static SETUP: PipelinePhase = PipelinePhase::new("Setup");
    static AUTH: PipelinePhase = PipelinePhase::new("Auth");
    static SESSIONS: PipelinePhase = PipelinePhase::new("Sessions");
    static CHECK: PipelinePhase = PipelinePhase::new("Check");
    static CALL: PipelinePhase = PipelinePhase::new("Call");
    static FALLBACK: PipelinePhase = PipelinePhase::new("Fallback");
    let mut p = TestPipeline::new(&[&SETUP, &CALL]);
    p.insert_phase_after(&SETUP, &AUTH);
    p.insert_phase_after(&SETUP, &SESSIONS);
    p.insert_phase_before(&CALL, &CHECK);
    p.add_phase(&FALLBACK);
    assert_eq!(names(&p), "Setup Auth Sessions Check Call Fallback");
    let relations: Vec<_> = p
        .phases()
        .into_iter()
        .map(|phase| p.relation_of(phase).unwrap())
        .collect();
    use PhaseRelation::*;
    assert_eq!(
        relations,
        [Last, After(&SETUP), After(&SETUP), Before(&CALL), Last, Last]
    );
}

/// Each way of adding a phase records its relation; a phase not here has none.
#[test]
fn each_insertion_records_its_relation() {
    let mut p = TestPipeline::new(&[&B]);
    p.add_phase(&C);
    p.insert_phase_before(&B, &A);
    p.insert_phase_after(&C, &D);
    assert_eq!(p.relation_of(&B), Some(PhaseRelation::Last));
    assert_eq!(p.relation_of(&C), Some(PhaseRelation::Last));
    assert_eq!(p.relation_of(&A), Some(PhaseRelation::Before(&B)));
    assert_eq!(p.relation_of(&D), Some(PhaseRelation::After(&C)));
    assert_eq!(p.relation_of(&E), None);
}

/// A missing reference is an `InvalidPhase` error naming it, and the pipeline is unchanged.
#[test]
fn missing_reference_is_an_error() {
    let mut p = pipeline();
    let before = p.try_insert_phase_before(&MISSING, &D).unwrap_err();
    let after = p.try_insert_phase_after(&MISSING, &D).unwrap_err();
    for error in [before, after] {
        assert!(error.phase().is(&MISSING));
        assert_eq!(
            error.to_string(),
            "Phase Phase('Missing') was not registered for this pipeline"
        );
    }
    assert_eq!(names(&p), "A B C");
}

/// A phase already present wins over a missing reference: nothing to do, so no error.
#[test]
fn present_phase_wins_over_missing_reference() {
    let mut p = pipeline();
    assert!(p.try_insert_phase_before(&MISSING, &A).is_ok());
    assert!(p.try_insert_phase_after(&MISSING, &C).is_ok());
    assert_eq!(names(&p), "A B C");
}

/// `insert_phase_before` panics with Ktor's message when the reference is missing.
#[test]
#[should_panic(expected = "Phase Phase('Missing') was not registered for this pipeline")]
fn insert_phase_before_panics_on_a_missing_reference() {
    pipeline().insert_phase_before(&MISSING, &D);
}

/// `insert_phase_after` panics with Ktor's message when the reference is missing.
#[test]
#[should_panic(expected = "Phase Phase('Missing') was not registered for this pipeline")]
fn insert_phase_after_panics_on_a_missing_reference() {
    pipeline().insert_phase_after(&MISSING, &D);
}

/// Intercepting a phase the pipeline does not have is a configuration error.
#[test]
#[should_panic(expected = "Phase Phase('Elsewhere') was not registered for this pipeline")]
fn intercepting_an_unknown_phase_panics() {
    static ELSEWHERE: PipelinePhase = PipelinePhase::new("Elsewhere");
    pipeline().intercept(&ELSEWHERE, async |_ctx| Ok(()));
}

/// `add_phase` appends, and ignores a phase that is already there.
#[test]
fn add_phase_appends_once() {
    let mut p = pipeline();
    p.add_phase(&D);
    p.add_phase(&A);
    assert_eq!(names(&p), "A B C D");
    assert!(p.is_empty());
}

/// Interceptors in inserted phases run in the phases' order, not the order of `intercept`.
#[test]
fn interceptors_follow_inserted_phases() {
    let mut p = TestPipeline::new(&[&C]);
    p.insert_phase_before(&C, &A);
    p.insert_phase_after(&A, &B);
    log_in(&mut p, &C, "c");
    log_in(&mut p, &B, "b");
    log_in(&mut p, &A, "a");
    assert_eq!(log_of(&p), ["a", "b", "c"]);
}

/// `interceptors_for_phase` lists one phase's interceptors in registration order, and nothing
/// for a phase that is not here.
#[test]
fn interceptors_for_phase_lists_one_phase() {
    let mut p = pipeline();
    let first: Arc<dyn Interceptor<String, Log>> =
        Arc::new(async |ctx: &mut PipelineContext<'_, String, Log>| push(ctx, "1"));
    let second: Arc<dyn Interceptor<String, Log>> =
        Arc::new(async |ctx: &mut PipelineContext<'_, String, Log>| push(ctx, "2"));
    p.intercept_shared(&B, Arc::clone(&first));
    log_in(&mut p, &A, "a");
    p.intercept_shared(&B, Arc::clone(&second));
    let listed = p.interceptors_for_phase(&B);
    assert_eq!(listed.len(), 2);
    assert!(Arc::ptr_eq(&listed[0], &first) && Arc::ptr_eq(&listed[1], &second));
    assert!(p.interceptors_for_phase(&C).is_empty());
    assert!(p.interceptors_for_phase(&MISSING).is_empty());
}

/// `is_empty` counts interceptors, not phases.
#[test]
fn is_empty_counts_interceptors_not_phases() {
    assert!(TestPipeline::new(&[]).is_empty());
    let mut p = pipeline();
    assert!(p.is_empty());
    log_in(&mut p, &C, "c");
    assert!(!p.is_empty());
}

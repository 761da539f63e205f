//! Merging pipelines (`src/pipeline/merge.rs`; Ktor: `Pipeline.merge` in
//! `io.ktor.util.pipeline.Pipeline`).

use super::*;

/// One test per case: two pipelines built like `phase_order!`'s, `into.merge(&from)`, and the
/// order expected in `into`.
macro_rules! merge_order {
    ($(
        $(#[doc = $doc:literal])+
        $name:ident:
            into new($($into:ident),*) $(.$into_method:ident($($into_arg:ident),+))*,
            from new($($from:ident),*) $(.$from_method:ident($($from_arg:ident),+))*
            => $expected:literal;
    )+) => {$(
        $(#[doc = $doc])+
        #[test]
        fn $name() {
            let mut into = TestPipeline::new(&[$(&$into),*]);
            $(into.$into_method($(&$into_arg),+);)*
            #[allow(unused_mut, reason = "a case may make no calls")]
            let mut from = TestPipeline::new(&[$(&$from),*]);
            $(from.$from_method($(&$from_arg),+);)*
            into.merge(&from);
            assert_eq!(names(&into), $expected);
        }
    )+};
}

merge_order! {
    /// A `Last` phase of `from` is appended.
    merge_appends_last_phases: into new(A, B), from new(C) => "A B C";
    /// ... also after a phase added with `add_phase`.
    merge_appends_after_added_phases: into new(A).add_phase(B), from new(C) => "A B C";
    /// An `After` phase of `from` is placed after its reference.
    merge_replays_after: into new(A), from new(C).insert_phase_after(C, B) => "A C B";
    /// A `Before` phase of `from` is placed immediately before its reference.
    merge_replays_before: into new(C, A), from new(C).insert_phase_before(C, B) => "B C A";
    /// A `Before` phase whose reference is placed later in the same merge waits a round.
    merge_waits_for_a_before_reference: into new(A), from new(C).insert_phase_before(C, B) => "A B C";
    /// A chain of `Before`s resolves over several rounds.
    merge_resolves_a_chain_of_befores:
        into new(C), from new(C).insert_phase_before(C, B).insert_phase_before(B, A) => "A B C";
    /// An `After` phase whose reference is placed later in the same merge waits a round too
    /// (Ktor throws here).
    merge_waits_for_an_after_reference:
        into new(A), from new(D).insert_phase_before(D, B).insert_phase_after(B, C) => "A B C D";
    /// Phases inserted after the same reference keep their order through a merge.
    merge_keeps_after_siblings_in_order:
        into new(A), from new(A).insert_phase_after(A, B).insert_phase_after(A, C) => "A B C";
    /// Phases inserted before the same reference keep their order through a merge.
    merge_keeps_before_siblings_in_order:
        into new(C), from new(C).insert_phase_before(C, A).insert_phase_before(C, B) => "A B C";
    /// A merged `After` phase lands next to a phase that was already here.
    merge_places_next_to_a_phase_already_here:
        into new(A, C), from new(A).insert_phase_after(A, B) => "A B C";
    /// Phases already here stay where they are, whatever their order in `from`.
    merge_keeps_phases_already_here_in_place: into new(B, A), from new(A, B) => "B A";
    /// Into a pipeline without phases, `from`'s order is copied as it is.
    merge_into_no_phases_copies_the_order:
        into new(), from new(A).insert_phase_after(A, C).insert_phase_before(C, B) => "A B C";
    /// Merging a pipeline without phases changes nothing.
    merging_no_phases_changes_nothing: into new(A, B), from new() => "A B";
}

/// Merged phases keep the relation they had in `from`, so a later merge can replay it again.
#[test]
fn merged_phases_keep_their_relation() {
    let mut from = TestPipeline::new(&[&C]);
    from.insert_phase_after(&C, &D);
    from.insert_phase_before(&C, &B);
    let mut into = TestPipeline::new(&[&A]);
    into.merge(&from);
    assert_eq!(names(&into), "A B C D");
    assert_eq!(into.relation_of(&B), Some(PhaseRelation::Before(&C)));
    assert_eq!(into.relation_of(&C), Some(PhaseRelation::Last));
    assert_eq!(into.relation_of(&D), Some(PhaseRelation::After(&C)));
}

/// In a phase both have, `from`'s interceptors run after the ones already here.
#[test]
fn merge_appends_interceptors_after_existing_ones() {
    let mut into = pipeline();
    log_in(&mut into, &B, "into b");
    let mut from = pipeline();
    log_in(&mut from, &A, "from a");
    log_in(&mut from, &B, "from b");
    into.merge(&from);
    assert_eq!(log_of(&into), ["from a", "into b", "from b"]);
    // `from` is unchanged.
    assert_eq!(log_of(&from), ["from a", "from b"]);
}

/// Interceptors of a phase that was missing here arrive with the phase.
#[test]
fn merge_brings_interceptors_of_new_phases() {
    let mut into = TestPipeline::new(&[&A]);
    log_in(&mut into, &A, "a");
    let mut from = TestPipeline::new(&[&A]);
    from.insert_phase_after(&A, &B);
    log_in(&mut from, &B, "b");
    into.merge(&from);
    assert_eq!(log_of(&into), ["a", "b"]);
}

/// Routes merged root first: in each phase, an ancestor's interceptors run before a
/// descendant's (the module docs' example).
#[test]
fn route_merge_runs_ancestors_first() {
    let mut root = pipeline();
    log_in(&mut root, &A, "root a");
    log_in(&mut root, &C, "root c");
    let mut child = pipeline();
    log_in(&mut child, &B, "child b");
    log_in(&mut child, &C, "child c");
    let mut leaf = pipeline();
    log_in(&mut leaf, &A, "leaf a");
    log_in(&mut leaf, &C, "leaf c");
    let mut resolved = TestPipeline::new(&[]);
    for route in [&root, &child, &leaf] {
        resolved.merge(route);
    }
    assert_eq!(
        log_of(&resolved),
        ["root a", "leaf a", "child b", "root c", "child c", "leaf c"]
    );
}

/// `merge_phases` adds the phases only: no interceptor comes along.
#[test]
fn merge_phases_copies_no_interceptors() {
    let mut from = pipeline();
    from.add_phase(&D);
    log_in(&mut from, &D, "d");
    let mut into = TestPipeline::new(&[&A]);
    into.merge_phases(&from);
    assert_eq!(names(&into), "A B C D");
    assert!(into.is_empty());
}

/// A round that places nothing (impossible for pipelines these methods build, so the `from`
/// here is forged) appends the waiting phases rather than looping forever.
#[test]
fn merge_phases_appends_what_no_round_can_place() {
    let mut from = TestPipeline::new(&[]);
    from.phases
        .push(PhaseContent::new(&C, PhaseRelation::After(&MISSING)));
    from.phases.push(PhaseContent::new(&B, PhaseRelation::Before(&C)));
    let mut into = TestPipeline::new(&[&A]);
    into.merge_phases(&from);
    assert_eq!(names(&into), "A C B");
}

/// Merging into a pipeline without phases shares `from`'s lists; intercepting either side
/// afterwards does not reach the other.
#[test]
fn merge_into_no_phases_shares_lists() {
    let mut from = pipeline();
    log_in(&mut from, &A, "1");
    let mut into = TestPipeline::new(&[]);
    into.merge(&from);
    assert!(Arc::ptr_eq(
        &into.phases[0].interceptors,
        &from.phases[0].interceptors
    ));
    assert!(Arc::ptr_eq(&into.flat, &from.flat));

    log_in(&mut from, &A, "2 (from only)");
    log_in(&mut into, &C, "3 (into only)");
    assert_eq!(log_of(&from), ["1", "2 (from only)"]);
    assert_eq!(log_of(&into), ["1", "3 (into only)"]);
}

/// Merging into a phase that has no interceptors yet shares `from`'s list for that phase.
#[test]
fn merge_into_an_empty_phase_shares_its_list() {
    let mut into = pipeline();
    log_in(&mut into, &B, "into b");
    let mut from = pipeline();
    log_in(&mut from, &A, "from a");
    into.merge(&from);
    assert!(Arc::ptr_eq(
        &into.phases[0].interceptors,
        &from.phases[0].interceptors
    ));
    log_in(&mut into, &A, "into a");
    assert_eq!(log_of(&from), ["from a"]);
    assert_eq!(log_of(&into), ["from a", "into a", "into b"]);
}

/// `reset_from` drops this pipeline's phases and interceptors and becomes a sharing copy of
/// `from`; each side then grows on its own.
#[test]
fn reset_from_replaces_everything() {
    let mut from = TestPipeline::new(&[&A, &B]);
    log_in(&mut from, &A, "from a");
    let mut p = TestPipeline::new(&[&C, &D]);
    log_in(&mut p, &C, "old c");
    p.reset_from(&from);
    assert_eq!(names(&p), "A B");
    assert_eq!(log_of(&p), ["from a"]);
    assert!(Arc::ptr_eq(&p.flat, &from.flat));

    log_in(&mut p, &B, "call b");
    assert_eq!(log_of(&p), ["from a", "call b"]);
    assert_eq!(log_of(&from), ["from a"]);
}

/// `reset_from` a pipeline without phases leaves nothing.
#[test]
fn reset_from_no_phases_leaves_nothing() {
    let mut p = pipeline();
    log_in(&mut p, &A, "a");
    p.reset_from(&TestPipeline::new(&[]));
    assert!(p.phases().is_empty());
    assert!(p.is_empty());
}

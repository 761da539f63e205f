//! Running a pipeline (`src/pipeline/context.rs`, which states the rules): the onion of
//! `proceed`, `finish`, errors and the subject.

use super::*;

/// Interceptors run in phase order, not in the order they were registered.
#[test]
fn phase_order_beats_registration_order() {
    let mut p = pipeline();
    p.intercept(&C, async |ctx| push(ctx, "c"));
    p.intercept(&A, async |ctx| push(ctx, "a"));
    p.intercept(&B, async |ctx| push(ctx, "b1"));
    p.intercept(&B, async |ctx| push(ctx, "b2"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["a", "b1", "b2", "c"]);
}

/// Code after `proceed` runs once everything after it is done: the onion.
#[test]
fn proceed_runs_the_rest_then_returns() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        push(ctx, "a: before")?;
        ctx.proceed().await?;
        push(ctx, "a: after")?;
        Ok(())
    });
    p.intercept(&B, async |ctx| {
        push(ctx, "b: before")?;
        ctx.proceed().await?;
        push(ctx, "b: after")?;
        Ok(())
    });
    p.intercept(&C, async |ctx| push(ctx, "c"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["a: before", "b: before", "c", "b: after", "a: after"]);
}

/// Returning without `proceed` or `finish` is an implicit proceed: the next interceptor runs.
#[test]
fn returning_without_proceed_continues() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| push(ctx, "a"));
    p.intercept(&B, async |ctx| push(ctx, "b"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["a", "b"]);
}

/// `finish` stops every later interceptor, but an outer interceptor's code after its
/// `proceed` still runs.
#[test]
fn finish_stops_the_rest_but_outer_code_still_runs() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        ctx.proceed().await?;
        push(ctx, "a: after")?;
        Ok(())
    });
    p.intercept(&B, async |ctx| {
        push(ctx, "b: finishing")?;
        ctx.finish();
        Ok(())
    });
    p.intercept(&B, async |ctx| push(ctx, "b2: must not run"));
    p.intercept(&C, async |ctx| push(ctx, "c: must not run"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["b: finishing", "a: after"]);
}

/// An error leaves through the innermost pending `proceed`, where an earlier interceptor can
/// catch it. The error unwinds only the calls in between: once the catcher returns, the run goes
/// on with the interceptors after the one that failed, as Ktor's loop does. (That is why
/// Ktor's error handlers respond, and the interceptors after them check `isHandled`.)
#[test]
fn error_comes_out_of_the_innermost_pending_proceed() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        let outcome = ctx.proceed().await;
        let message = format!("a caught: {}", outcome.unwrap_err());
        push(ctx, &message)
    });
    p.intercept(&B, async |_ctx| Err("boom".into()));
    p.intercept(&B, async |ctx| push(ctx, "b2: after the catch"));
    p.intercept(&C, async |ctx| push(ctx, "c: after the catch"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(
        log,
        ["a caught: boom", "b2: after the catch", "c: after the catch"]
    );
}

/// An error nobody handles comes out of `execute`.
#[test]
fn unhandled_error_comes_out_of_execute() {
    let mut p = pipeline();
    p.intercept(&B, async |_ctx| Err("boom".into()));
    let mut log = Log::new();
    let error = run(p.execute(&mut log, String::new())).unwrap_err();
    assert_eq!(error.to_string(), "boom");
}

/// `proceed_with` replaces the subject for the rest of the run, and `execute` returns the
/// final subject.
#[test]
fn proceed_with_replaces_the_subject() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        let next = format!("{}+a", ctx.subject());
        ctx.proceed_with(next).await
    });
    p.intercept(&B, async |ctx| {
        let seen = ctx.subject().clone();
        push(ctx, &seen)?;
        ctx.set_subject(format!("{seen}+b"));
        Ok(())
    });
    let mut log = Log::new();
    let subject = run(p.execute(&mut log, "s".to_string())).unwrap();
    assert_eq!(log, ["s+a"]);
    assert_eq!(subject, "s+a+b");
}

/// A second `proceed` in the same interceptor returns at once: nothing runs twice.
#[test]
fn second_proceed_returns_at_once() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        ctx.proceed().await?;
        ctx.proceed().await
    });
    p.intercept(&B, async |ctx| push(ctx, "b"));
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["b"]);
}

/// A pipeline without interceptors hands the subject straight back.
#[test]
fn empty_pipeline_returns_the_subject() {
    let mut log = Log::new();
    let subject = run(pipeline().execute(&mut log, "some".to_string())).unwrap();
    assert_eq!(subject, "some");
    assert!(log.is_empty());
}

/// Each `execute` is a fresh run: executing twice runs every interceptor twice.
#[test]
fn each_execute_is_a_fresh_run() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        push(ctx, "a")?;
        ctx.finish();
        Ok(())
    });
    let mut log = Log::new();
    run(p.execute(&mut log, String::new())).unwrap();
    run(p.execute(&mut log, String::new())).unwrap();
    assert_eq!(log, ["a", "a"]);
}

/// An error passed on by every interceptor lets each one's handler see it, innermost first.
#[test]
fn error_passed_on_reaches_every_outer_interceptor() {
    let mut p = pipeline();
    p.intercept(&A, async |ctx| {
        let outcome = ctx.proceed().await;
        push(ctx, "a: saw the error")?;
        outcome
    });
    p.intercept(&B, async |ctx| {
        let outcome = ctx.proceed().await;
        push(ctx, "b: saw the error")?;
        outcome
    });
    p.intercept(&C, async |_ctx| Err("boom".into()));
    let mut log = Log::new();
    let error = run(p.execute(&mut log, String::new())).unwrap_err();
    assert_eq!(error.to_string(), "boom");
    assert_eq!(log, ["b: saw the error", "a: saw the error"]);
}

/// An interceptor may run another pipeline to completion before it proceeds with its own.
#[test]
fn a_pipeline_runs_inside_an_interceptor() {
    let mut outer = pipeline();
    outer.intercept(&A, async |ctx| {
        let mut inner = pipeline();
        inner.intercept(&B, async |ctx| push(ctx, "inner"));
        let mut inner_log = Log::new();
        inner.execute(&mut inner_log, String::new()).await?;
        ctx.context().extend(inner_log);
        ctx.proceed().await
    });
    log_in(&mut outer, &B, "outer b");
    assert_eq!(log_of(&outer), ["inner", "outer b"]);
}

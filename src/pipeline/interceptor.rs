//! Interceptors: the async functions a pipeline runs, one after another, around each other.
//!
//! ```text
//! pipeline.intercept(&PHASE, async |ctx| { before; ctx.proceed().await?; after })
//!                               │ stored as Arc<dyn Interceptor<S, C>>
//!                               ▼
//! execute ─► intercept(ctx) ─► a boxed future, polled by PipelineContext::proceed
//! ```
//!
//! A pipeline holds interceptors of many closure types in one list, so each is behind a trait
//! object, and each call returns its future boxed: an `async` closure's future has a type of its
//! own, unknown to the pipeline. Ktor's interceptors are `suspend` lambdas, whose frames the
//! Kotlin compiler allocates in the same way.
//!
//! Ktor: `io.ktor.util.pipeline.PipelineInterceptor`

use super::PipelineContext;
use crate::{BoxFuture, Result};

/// An interceptor: an async function over a [`PipelineContext`].
///
/// Any `async` closure of the right shape is one, so `intercept` takes closures directly:
/// `pipeline.intercept(&PHASE, async |ctx| { ...; ctx.proceed().await })`. The closure is
/// shared by every worker thread (`Send + Sync`), but the future it returns stays on the worker
/// that runs the call, so it need not be `Send`.
///
/// Ktor: `PipelineInterceptor<TSubject, TContext>` (a `suspend PipelineContext.(TSubject) -> Unit`)
pub trait Interceptor<S, C>: Send + Sync {
    /// Runs the interceptor for one pipeline run.
    ///
    /// Ktor: invoking the `PipelineInterceptor` with the context and its subject
    fn intercept<'a>(&'a self, context: &'a mut PipelineContext<'_, S, C>) -> BoxFuture<'a, Result<()>>;

    /// The interceptor's name in a [`PipelineTrace`](super::PipelineTrace): its Rust type name, which for a function
    /// is its path and for a closure says where it was written.
    ///
    /// Ktor: none; Ktor has no pipeline trace
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }
}

impl<S, C, F> Interceptor<S, C> for F
where
    F: AsyncFn(&mut PipelineContext<'_, S, C>) -> Result<()> + Send + Sync,
{
    fn intercept<'a>(&'a self, context: &'a mut PipelineContext<'_, S, C>) -> BoxFuture<'a, Result<()>> {
        // One allocation per interceptor per run: the price of storing closures of different
        // types in one list. Ktor pays a similar price in coroutine frames.
        Box::pin(self(context))
    }

    fn name(&self) -> &'static str {
        std::any::type_name::<F>()
    }
}

/// An interceptor with a name of its own for the [`PipelineTrace`](super::PipelineTrace), instead of its type's:
/// plugins name theirs after themselves (`Greeting: on_call`).
///
/// Ktor: none; Ktor has no pipeline trace, so its interceptors need no names
pub struct Named<F> {
    name: &'static str,
    interceptor: F,
}

impl<F> Named<F> {
    /// `interceptor`, traced as `name`.
    ///
    /// Ktor: none; Ktor has no pipeline trace
    pub fn new(name: &'static str, interceptor: F) -> Named<F> {
        Named { name, interceptor }
    }
}

impl<S, C, F> Interceptor<S, C> for Named<F>
where
    F: AsyncFn(&mut PipelineContext<'_, S, C>) -> Result<()> + Send + Sync,
{
    fn intercept<'a>(&'a self, context: &'a mut PipelineContext<'_, S, C>) -> BoxFuture<'a, Result<()>> {
        Box::pin((self.interceptor)(context))
    }

    fn name(&self) -> &'static str {
        self.name
    }
}

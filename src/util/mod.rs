//! Small general-purpose pieces that several layers use.
//!
//! Ktor: `io.ktor.util`

mod attributes;
#[cfg(test)]
pub(crate) mod split_mix;

pub use attributes::{AttributeKey, Attributes};

//! Small general-purpose pieces that several layers use.
//!
//! Ktor: `io.ktor.util`

mod attributes;

pub use attributes::{AttributeKey, Attributes};

//! mini-ktor: the server side of Ktor rebuilt in Rust with the standard library only.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod application;
pub mod engine;
pub mod http;
pub mod pipeline;
pub mod routing;
pub mod runtime;
pub mod testing;

//! HTTP/1.1 on the wire (module map and glossary to follow).

pub mod headers;
pub mod method;
pub mod status;
mod syntax;
pub mod version;

pub use headers::{Headers, HttpHeaders, is_valid_header_name, is_valid_header_value};
pub use method::HttpMethod;
pub use status::HttpStatusCode;
pub use version::HttpVersion;

//! HTTP/1.1 on the wire (module map and glossary to follow).

pub mod chunked;
pub mod framing;
pub mod head;
pub mod headers;
pub mod limits;
pub mod method;
pub mod parser;
pub mod status;
mod syntax;
pub mod target;
pub mod version;

pub use chunked::{ChunkedDecoder, ChunkedStatus, encode_chunk, encode_last_chunk};
pub use framing::{BodyFraming, expects_continue, keep_alive, request_body_framing};
pub use head::{EMPTY_HEADER, Header, RequestHead, Status};
pub use headers::{Headers, HttpHeaders, is_valid_header_name, is_valid_header_value};
pub use limits::{Limits, ParseError};
pub use method::HttpMethod;
pub use parser::parse_request;
pub use status::HttpStatusCode;
pub use target::is_valid_host;
pub use version::HttpVersion;

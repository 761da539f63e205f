//! HTTP/1.1 on the wire: everything between the bytes of a socket and the
//! request a handler sees, and back again.
//!
//! Nothing in this module does I/O. The parsers take byte slices and answer
//! with a result, with `Partial` ("nothing wrong yet, send more bytes") or
//! with an error that carries the status code to answer with. The writers
//! append bytes to a `Vec<u8>`. The engine owns sockets and buffers and
//! drives both, which keeps every rule here testable without a network.
//!
//! Strictness is a feature: wherever RFC 9112 lets a server either accept or
//! refuse something odd, this code refuses it and says why in the docs of the
//! function concerned. Most of those choices close a door to request
//! smuggling, where two HTTP processors disagree on where a request ends.
//! Two exceptions, each documented where it is decided: a `Content-Length`
//! that repeats one number (`5, 5`) is accepted, as RFC 9110 §8.6 allows,
//! because proxies that merge lines produce it (`framing.rs`); and a higher
//! minor version (`HTTP/1.2`) is refused with 505, where RFC 9110 §2.5 says
//! it SHOULD be read as HTTP/1.1 (`version.rs`).
//!
//! # Map
//!
//! | Module | Concept | Ktor | RFC |
//! |---|---|---|---|
//! | [`method`] | request methods | `io.ktor.http.HttpMethod` | 9110 §9 |
//! | [`status`] | status codes and reason phrases | `io.ktor.http.HttpStatusCode` | 9110 §15 |
//! | [`version`] | HTTP/1.0 and HTTP/1.1 | `io.ktor.http.HttpProtocolVersion` | 9112 §2.3 |
//! | [`headers`] | owned header multimap, header names | `io.ktor.http.Headers`, `HttpHeaders` | 9110 §5 |
//! | [`head`] | the borrowed result of parsing | `io.ktor.http.cio.Request` | 9112 §2.1 |
//! | [`limits`] | size limits and parse errors | `io.ktor.http.cio.ParserException` | 9112 §3, §5 |
//! | [`parser`] | request line and field lines | `io.ktor.http.cio.HttpParser` | 9112 §2–5 |
//! | [`target`] | target forms, CONNECT, `Host` | Host check in `HttpParser` | 9112 §3.2 |
//! | [`framing`] | body length, keep-alive, `Expect` | `io.ktor.http.cio.HttpBody` | 9112 §6, §9.3 |
//! | [`chunked`] | chunked decoder and encoder | `ChunkedTransferEncoding` | 9112 §7.1 |
//! | [`writer`] | response head serialization | `RequestResponseBuilder` | 9112 §4 |
//! | [`date`] | IMF-fixdate, cached per thread | `GMTDate.toHttpDate` | 9110 §5.6.7 |
//! | [`url`] | path and query decoding | `decodeURLPart`, `parseQueryString` | 3986 |
//! | [`parameters`] | query parameter multimap | `io.ktor.http.Parameters` | — |
//! | [`content_type`] | media types for `Content-Type` | `io.ktor.http.ContentType` | 9110 §8.3 |
//! | [`charset`] | body text in the `Content-Type`'s charset | `receiveText()`'s decoding | 9110 §8.3.2 |
//! | [`cookie`] | `Cookie` parsing, `Set-Cookie` rendering | `io.ktor.http.Cookie` | 6265 |
//!
//! # One request, end to end
//!
//! ```text
//! bytes ──parse_request──▶ RequestHead (borrows the buffer)
//!   │                        ├─ request_body_framing ─▶ None | ContentLength(n) | Chunked ─▶ ChunkedDecoder
//!   │                        ├─ keep_alive, expects_continue
//!   │                        └─ split_target ─▶ decode_path, parse_query
//!   └─ Err(ParseError) ─────▶ answer error.status with Connection: close, then close
//!
//! handler ─▶ status + Headers ──write_response_head──▶ bytes (+ encode_chunk for the body)
//! ```
//!
//! # Glossary
//!
//! - **message**: a request or a response; a head, then possibly a body
//!   (RFC 9112 §2.1).
//! - **head**: the start line, the field lines and the empty line after them.
//! - **request line**: `method SP request-target SP HTTP-version` (§3).
//! - **request-target**: what the request is about, in one of four forms:
//!   origin-form `/path?query`, absolute-form `http://host/path`,
//!   authority-form `host:port` (CONNECT only) and asterisk-form `*`
//!   (OPTIONS only).
//! - **field** (header): a `name: value` line; names are case-insensitive.
//! - **token**: a word made of `tchar`s: letters, digits and
//!   ``! # $ % & ' * + - . ^ _ ` | ~``. Methods and field names are tokens.
//! - **OWS**: optional whitespace (spaces and tabs) around field values.
//! - **CRLF**: carriage return then line feed, the only line end accepted.
//! - **obs-fold**: an obsolete way of continuing a field on the next line;
//!   refused. **obs-text**: bytes 0x80–0xFF in a value; kept as bytes.
//! - **framing**: how the end of a body is found: `Content-Length`,
//!   `Transfer-Encoding: chunked`, or no body at all.
//! - **chunked**: the transfer coding that sends a body as size-prefixed
//!   pieces; **trailer**: fields sent after the last piece.
//! - **persistent connection** (keep-alive): one connection carrying several
//!   requests in a row (§9.3).
//! - **request smuggling**: hiding a request inside another by exploiting
//!   processors that frame messages differently (§11.2).
//! - **Partial**: a parser's answer "valid so far, but incomplete".
//! - **IMF-fixdate**: HTTP's date format, `Sun, 06 Nov 1994 08:49:37 GMT`.
//! - **percent-encoding**: `%XX`, one byte written as two hex digits in a URI.

pub mod charset;
pub mod chunked;
pub mod content_type;
pub mod cookie;
pub mod date;
mod field_check;
mod field_lines;
pub mod framing;
pub mod head;
mod head_text;
mod header_names;
pub mod headers;
pub mod limits;
pub mod method;
pub mod parameters;
pub mod parser;
mod request_line;
mod scan;
pub mod status;
mod syntax;
pub mod target;
pub mod url;
pub mod version;
pub mod writer;

pub use chunked::{ChunkedDecoder, ChunkedStatus, encode_chunk, encode_last_chunk};
pub use content_type::ContentType;
pub use cookie::{Cookie, cookie_value, parse_cookie_header};
pub(crate) use date::put_http_date_now;
pub use date::{format_http_date, http_date_now};
pub use framing::{BodyFraming, expects_continue, keep_alive, request_body_framing};
pub use head::{EMPTY_HEADER, Header, RequestHead, Status};
pub use headers::{Headers, HttpHeaders, is_valid_header_name, is_valid_header_value};
pub use limits::{Limits, ParseError};
pub use method::HttpMethod;
pub use parameters::Parameters;
pub use parser::parse_request;
pub use status::HttpStatusCode;
pub(crate) use syntax::lists_close;
pub use target::is_valid_host;
pub use url::{decode_path, decode_query_component, encode_uri_component, parse_query, split_target};
pub use version::HttpVersion;
pub(crate) use writer::write_response_head_undated;
pub use writer::{ResponseFraming, write_response_head};

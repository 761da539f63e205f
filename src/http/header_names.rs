//! The names of common header fields, as constants: `HttpHeaders::CONTENT_TYPE` instead of a
//! string typed by hand, each with the RFC section that defines it.
//!
//! A typo in a constant's name does not compile; a typo in a string is a header nobody reads.
//! The spelling is the canonical one of the RFCs (`Content-Type`), which is also what the
//! response writer recognises without comparing case-insensitively.
//!
//! Ktor: `io.ktor.http.HttpHeaders`

/// Generates the [`HttpHeaders`] constants with their docs.
macro_rules! header_names {
    ($($name:ident $ktor:ident $value:literal $what:literal;)*) => {
        impl HttpHeaders {
            $(
                #[doc = concat!("`", $value, "`: ", $what, ".")]
                #[doc = ""]
                #[doc = concat!("Ktor: `HttpHeaders.", stringify!($ktor), "`.")]
                pub const $name: &'static str = $value;
            )*
        }
    };
}

/// Names of common header fields, in their canonical spelling.
///
/// Ktor: `io.ktor.http.HttpHeaders`.
#[derive(Clone, Copy, Debug)]
pub struct HttpHeaders;

header_names! {
    ACCEPT Accept "Accept" "media types the client can use (RFC 9110 §12.5.1)";
    ACCEPT_CHARSET AcceptCharset "Accept-Charset" "acceptable charsets (RFC 9110 §12.5.2)";
    ACCEPT_ENCODING AcceptEncoding "Accept-Encoding" "acceptable content codings (RFC 9110 §12.5.3)";
    ACCEPT_LANGUAGE AcceptLanguage "Accept-Language" "preferred languages (RFC 9110 §12.5.4)";
    ACCEPT_RANGES AcceptRanges "Accept-Ranges" "range units the server supports (RFC 9110 §14.3)";
    AGE Age "Age" "seconds since the response was generated (RFC 9111 §5.1)";
    ALLOW Allow "Allow" "methods the target supports, sent with 405 (RFC 9110 §10.2.1)";
    AUTHORIZATION Authorization "Authorization" "client credentials (RFC 9110 §11.6.2)";
    CACHE_CONTROL CacheControl "Cache-Control" "caching directives (RFC 9111 §5.2)";
    CONNECTION Connection "Connection" "hop-by-hop options such as close (RFC 9110 §7.6.1)";
    CONTENT_DISPOSITION ContentDisposition "Content-Disposition" "inline or attachment (RFC 6266)";
    CONTENT_ENCODING ContentEncoding "Content-Encoding" "codings applied to the content (RFC 9110 §8.4)";
    CONTENT_LANGUAGE ContentLanguage "Content-Language" "language of the content (RFC 9110 §8.5)";
    CONTENT_LENGTH ContentLength "Content-Length" "size of the content in bytes (RFC 9110 §8.6)";
    CONTENT_LOCATION ContentLocation "Content-Location" "URI of the representation (RFC 9110 §8.7)";
    CONTENT_RANGE ContentRange "Content-Range" "which part a partial response holds (RFC 9110 §14.4)";
    CONTENT_TYPE ContentType "Content-Type" "media type of the content (RFC 9110 §8.3)";
    COOKIE Cookie "Cookie" "cookies sent by the client (RFC 6265 §5.4)";
    DATE Date "Date" "when the message was generated (RFC 9110 §6.6.1)";
    ETAG ETag "ETag" "entity tag of the representation (RFC 9110 §8.8.3)";
    EXPECT Expect "Expect" "expectations such as 100-continue (RFC 9110 §10.1.1)";
    EXPIRES Expires "Expires" "when the response becomes stale (RFC 9111 §5.3)";
    FORWARDED Forwarded "Forwarded" "proxy-added client information (RFC 7239)";
    HOST Host "Host" "authority of the target URI (RFC 9110 §7.2)";
    IF_MATCH IfMatch "If-Match" "conditional on a matching entity tag (RFC 9110 §13.1.1)";
    IF_MODIFIED_SINCE IfModifiedSince "If-Modified-Since" "conditional on a change since a date (RFC 9110 §13.1.3)";
    IF_NONE_MATCH IfNoneMatch "If-None-Match" "conditional on no matching entity tag (RFC 9110 §13.1.2)";
    IF_UNMODIFIED_SINCE IfUnmodifiedSince "If-Unmodified-Since" "conditional on no change since a date (RFC 9110 §13.1.4)";
    LAST_MODIFIED LastModified "Last-Modified" "when the representation last changed (RFC 9110 §8.8.2)";
    LOCATION Location "Location" "redirect target or created resource (RFC 9110 §10.2.2)";
    ORIGIN Origin "Origin" "origin that caused the request (RFC 6454 §7)";
    RANGE Range "Range" "parts of the representation requested (RFC 9110 §14.2)";
    REFERRER Referrer "Referer" "where the target URI was obtained, misspelt by the RFC (RFC 9110 §10.1.3)";
    RETRY_AFTER RetryAfter "Retry-After" "how long to wait before retrying (RFC 9110 §10.2.3)";
    SEC_WEBSOCKET_ACCEPT SecWebSocketAccept "Sec-WebSocket-Accept" "handshake proof from the server (RFC 6455 §11.3.3)";
    SEC_WEBSOCKET_KEY SecWebSocketKey "Sec-WebSocket-Key" "handshake nonce from the client (RFC 6455 §11.3.1)";
    SEC_WEBSOCKET_PROTOCOL SecWebSocketProtocol "Sec-WebSocket-Protocol" "WebSocket subprotocols (RFC 6455 §11.3.4)";
    SEC_WEBSOCKET_VERSION SecWebSocketVersion "Sec-WebSocket-Version" "WebSocket protocol version (RFC 6455 §11.3.5)";
    SERVER Server "Server" "software of the origin server (RFC 9110 §10.2.4)";
    SET_COOKIE SetCookie "Set-Cookie" "one cookie to store, one line each (RFC 6265 §4.1)";
    TE TE "TE" "transfer codings the client accepts (RFC 9110 §10.1.4)";
    TRAILER Trailer "Trailer" "fields that will follow in the trailer (RFC 9110 §6.6.2)";
    TRANSFER_ENCODING TransferEncoding "Transfer-Encoding" "codings applied for transfer, e.g. chunked (RFC 9112 §6.1)";
    UPGRADE Upgrade "Upgrade" "protocol to switch to (RFC 9110 §7.8)";
    USER_AGENT UserAgent "User-Agent" "software of the client (RFC 9110 §10.1.5)";
    VARY Vary "Vary" "request fields that selected the representation (RFC 9110 §12.5.5)";
    VIA Via "Via" "intermediaries the message passed (RFC 9110 §7.6.3)";
    WWW_AUTHENTICATE WWWAuthenticate "WWW-Authenticate" "authentication challenge (RFC 9110 §11.6.1)";
    X_FORWARDED_FOR XForwardedFor "X-Forwarded-For" "client address added by proxies (de facto)";
}

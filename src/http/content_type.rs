//! Media types for the `Content-Type` header (RFC 9110 §8.3).
//!
//! A content type is `type/subtype` followed by optional `; name=value` parameters, the
//! charset being the one that matters for text. This module keeps the value as text and offers
//! the constants handlers use most; parsing parameters and content negotiation arrive with the
//! plugins that need them.
//!
//! One difference from Ktor, on purpose: Ktor's `respondText` adds `; charset=UTF-8` to a
//! `text/*` type that has no charset. Here the type a handler passes is the type sent, byte for
//! byte, so what you read in the handler is what you see in `curl -i`.
//!
//! Ktor: `io.ktor.http.ContentType`

use std::borrow::Cow;
use std::fmt;

/// A media type such as `text/plain` or `application/json; charset=UTF-8`.
///
/// ```
/// use mini_ktor::http::ContentType;
///
/// assert_eq!(ContentType::TEXT_PLAIN.as_str(), "text/plain");
/// assert_eq!(ContentType::TEXT_PLAIN.with_charset("UTF-8").as_str(), "text/plain; charset=UTF-8");
/// assert_eq!(ContentType::new("image/png").to_string(), "image/png");
/// ```
///
/// Ktor: `io.ktor.http.ContentType`
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ContentType {
    value: Cow<'static, str>,
}

impl ContentType {
    /// `text/plain`. Ktor: `ContentType.Text.Plain`
    pub const TEXT_PLAIN: ContentType = ContentType::from_static("text/plain");
    /// `text/plain; charset=UTF-8`, what `respond_text` sends by default.
    /// Ktor: `ContentType.Text.Plain.withCharset(Charsets.UTF_8)`
    pub const TEXT_PLAIN_UTF8: ContentType = ContentType::from_static("text/plain; charset=UTF-8");
    /// `text/html; charset=UTF-8`. Ktor: `ContentType.Text.Html.withCharset(Charsets.UTF_8)`
    pub const TEXT_HTML_UTF8: ContentType = ContentType::from_static("text/html; charset=UTF-8");
    /// `application/json`. Ktor: `ContentType.Application.Json`
    pub const APPLICATION_JSON: ContentType = ContentType::from_static("application/json");
    /// `application/octet-stream`, for bytes of no particular type.
    /// Ktor: `ContentType.Application.OctetStream`
    pub const APPLICATION_OCTET_STREAM: ContentType = ContentType::from_static("application/octet-stream");
    /// `application/x-www-form-urlencoded`, the body of an HTML form.
    /// Ktor: `ContentType.Application.FormUrlEncoded`
    pub const FORM_URL_ENCODED: ContentType = ContentType::from_static("application/x-www-form-urlencoded");

    /// A content type from a compile-time string, without allocation.
    ///
    /// # Panics
    ///
    /// If `value` contains a control character (CR, LF, ...), which could split the header;
    /// for a `const`, that is a compile error.
    ///
    /// Ktor: the predefined constants' constructor, `ContentType(contentType, contentSubtype)`
    pub const fn from_static(value: &'static str) -> ContentType {
        let bytes = value.as_bytes();
        let mut index = 0;
        while index < bytes.len() {
            let byte = bytes[index];
            assert!(
                byte == b'\t' || (byte >= 0x20 && byte != 0x7f),
                "a content type has no control characters"
            );
            index += 1;
        }
        ContentType {
            value: Cow::Borrowed(value),
        }
    }

    /// A content type from any text, such as one computed at run time.
    ///
    /// # Panics
    ///
    /// If `value` contains a control character (CR, LF, ...), which could split the header.
    /// Checking here, once, is what lets the response take a `ContentType` without checking it
    /// again on every request.
    ///
    /// Ktor: `ContentType.parse(value)`
    pub fn new(value: impl Into<Cow<'static, str>>) -> ContentType {
        let value = value.into();
        assert!(
            super::is_valid_header_value(&value),
            "a content type has no control characters: {value:?}"
        );
        ContentType { value }
    }

    /// This type with a `charset` parameter appended.
    ///
    /// Ktor: `ContentType.withCharset(charset)`
    pub fn with_charset(&self, charset: &str) -> ContentType {
        ContentType::new(format!("{}; charset={charset}", self.value))
    }

    /// The header value, owned or borrowed as it was given.
    ///
    /// Ktor: `ContentType.toString()`
    pub fn into_value(self) -> Cow<'static, str> {
        self.value
    }

    /// The header value.
    ///
    /// Ktor: `ContentType.toString()`
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The `type/subtype` part, lowercased comparison left to the caller.
    ///
    /// Ktor: `ContentType.withoutParameters()`
    pub fn media_type(&self) -> &str {
        self.value.split(';').next().unwrap_or_default().trim()
    }

    /// The value of the `charset` parameter, if there is one, without its quotes.
    ///
    /// ```
    /// use mini_ktor::http::ContentType;
    ///
    /// assert_eq!(ContentType::new("text/plain; Charset=\"latin1\"").charset(), Some("latin1"));
    /// assert_eq!(ContentType::TEXT_PLAIN.charset(), None);
    /// ```
    ///
    /// Ktor: `ContentType.charset()`
    pub fn charset(&self) -> Option<&str> {
        parameter(&self.value, "charset")
    }
}

/// The value of the parameter `name` (compared without regard to case) in a header value made
/// of a first part and `; name=value` parameters, a quoted value without its quotes.
///
/// ```text
/// parameters      = *( OWS ";" OWS [ parameter ] )
/// parameter       = parameter-name "=" parameter-value
/// parameter-value = ( token / quoted-string )
/// ```
///
/// Quoted values are followed to their closing quote, so a `;` inside one (`boundary="a;b"`)
/// does not start a parameter; escapes in them are left as they are, since no charset name
/// has one. RFC 9110 §5.6.6.
fn parameter<'v>(value: &'v str, name: &str) -> Option<&'v str> {
    const OWS: [char; 2] = [' ', '\t'];
    let mut rest = value.split_once(';')?.1;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ';']);
        if rest.is_empty() {
            return None;
        }
        let name_end = rest.find(['=', ';']).unwrap_or(rest.len());
        let this_name = rest[..name_end].trim_end_matches(OWS);
        let Some(after) = rest[name_end..].strip_prefix('=') else {
            rest = &rest[name_end..]; // a parameter without a value is no parameter: skipped
            continue;
        };
        // RFC 9110 allows no whitespace around `=`; senders that put some are still understood.
        let after = after.trim_start_matches(OWS);
        let (found, after_value) = match after.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted_end(quoted)?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => {
                let end = after.find(';').unwrap_or(after.len());
                (after[..end].trim_end_matches(OWS), &after[end..])
            }
        };
        if this_name.eq_ignore_ascii_case(name) {
            return Some(found);
        }
        rest = after_value;
    }
}

/// Where the closing quote of a quoted-string is, given what follows its opening quote.
fn quoted_end(quoted: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, char) in quoted.char_indices() {
        match char {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(at),
            _ => {}
        }
    }
    None
}

impl fmt::Display for ContentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A content type with a line break in it is refused: it would split the header.
    #[test]
    #[should_panic(expected = "a content type has no control characters")]
    fn control_characters_are_refused() {
        ContentType::new("text/plain\r\nSet-Cookie: a=b");
    }

    /// The charset is found among other parameters, in any case, quoted or not, and not
    /// inside another parameter's quoted value.
    #[test]
    fn charset_among_parameters() {
        let cases = [
            ("text/plain", None),
            ("text/plain;", None),
            ("text/plain; charset=UTF-8", Some("UTF-8")),
            ("text/plain;charset=utf-8", Some("utf-8")),
            ("text/plain ; CHARSET = latin1 ", Some("latin1")),
            ("text/plain; format=flowed; charset=us-ascii", Some("us-ascii")),
            (
                "text/plain; charset=\"ISO-8859-1\"; format=flowed",
                Some("ISO-8859-1"),
            ),
            (
                "multipart/form-data; boundary=\"a; charset=x\"; charset=utf-8",
                Some("utf-8"),
            ),
            ("multipart/form-data; boundary=\"a\\\"; charset=x\"", None),
            ("text/plain; charset=\"unclosed", None),
            ("text/plain; format=flowed", None),
            ("text/plain; charsets=x", None),
            ("text/plain; flowed; charset=utf-8", Some("utf-8")),
            ("text/plain; =x; charset=utf-8", Some("utf-8")),
            ("text/plain; a=\"b\"junk; charset=utf-8", Some("utf-8")),
            ("text/plain; charset", None),
        ];
        for (value, charset) in cases {
            assert_eq!(ContentType::new(value).charset(), charset, "{value}");
        }
    }

    /// The media type is the part before the parameters.
    #[test]
    fn media_type_drops_parameters() {
        assert_eq!(ContentType::TEXT_PLAIN_UTF8.media_type(), "text/plain");
        assert_eq!(
            ContentType::new("application/json").media_type(),
            "application/json"
        );
    }
}

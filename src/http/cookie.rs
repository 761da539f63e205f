//! Cookies: reading the `Cookie` request header and writing `Set-Cookie` response headers.
//!
//! A cookie is a name and a value that a server asks the client to keep (`Set-Cookie`, one
//! header per cookie, with attributes saying for how long and where) and that the client sends
//! back on later requests (`Cookie`, every cookie in one header, with no attributes):
//!
//! ```text
//! server ── Set-Cookie: SESSION=abc; Max-Age=604800; Expires=…; Path=/; HttpOnly ──► browser
//! server ◄─ Cookie: SESSION=abc; theme=dark ──────────────────────────────────────── browser
//! ```
//!
//! - [`parse_cookie_header`] reads a `Cookie` header into `(name, value)` pairs, leniently, as
//!   Ktor does: browsers and scripts send all kinds of things there, and a header the server
//!   cannot understand should cost the request one cookie, not a 400.
//! - [`Cookie::render`] writes one `Set-Cookie` value, attributes in Ktor's order.
//!
//! Values are **URI-encoded** on the way out ([`encode_uri_component`]) and decoded on the way
//! in, Ktor's default `CookieEncoding.URI_ENCODING`: a value may then hold anything (`;`, `,`,
//! spaces, `/`) without breaking the header's syntax.
//!
//! What differs from Ktor: Ktor appends `$x-enc=URI_ENCODING` to every `Set-Cookie` it renders,
//! a marker of its own that browsers ignore. This crate has one encoding only, so the marker
//! would say nothing and is left out.
//!
//! Ktor: `io.ktor.http.Cookie`, `renderSetCookieHeader`, `parseClientCookiesHeader`
//!
//! RFC 6265 §4.1 (`Set-Cookie` and its attributes) and §5.4 (the `Cookie` header).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::date::format_http_date;
use super::url::{decode_query_component, encode_uri_component};

/// The `(name, value)` pairs of a `Cookie` request header, in the order they were sent, values
/// URI-decoded.
///
/// The rules, those of Ktor's parser (RFC 6265 §4.2.1 is stricter; real clients are not):
///
/// - pairs are separated by `;`; spaces around names, `=` and values are ignored;
/// - a pair without `=` is a name with an empty value; a pair without a name is skipped;
/// - a value in double quotes loses its quotes (`a="b c"` gives `b c`);
/// - names starting with `$` are RFC 2109 attributes (`$Path`, `$Version`), not cookies, and
///   are skipped.
///
/// A name can repeat (a browser sends two cookies of one name set for different paths);
/// every pair is kept, and [`cookie_value`] returns the first, which RFC 6265 §5.4 has
/// browsers send for the longest, most specific path. Ktor differs here: its parser collects
/// the pairs into a map, so the *last* one of a name wins. Neither order is a defence: a
/// page on another path, or another subdomain with `Domain` set, can plant a cookie of the
/// same name that comes first or last, and RFC 6265 §4.2.2 tells servers not to rely on the
/// order. What keeps a session safe is its signature (or its id's randomness); the order
/// only decides which of two valid cookies is read, and the first is the one meant for the
/// most specific path.
///
/// ```
/// use mini_ktor::http::parse_cookie_header;
///
/// let pairs = parse_cookie_header(r#"a=1; b="two words";  c = x%2Fy ; $Version=1; flag"#);
/// let expected = [("a", "1"), ("b", "two words"), ("c", "x/y"), ("flag", "")];
/// assert_eq!(pairs, expected.map(|(n, v)| (n.to_string(), v.to_string())));
/// ```
///
/// Ktor: `io.ktor.http.parseClientCookiesHeader(header, skipEscaped = true)`
pub fn parse_cookie_header(header: &str) -> Vec<(String, String)> {
    header
        .split(';')
        .filter_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = name.trim();
            if name.is_empty() || name.starts_with('$') || name.contains(['{', '}', ' ', '\t']) {
                return None;
            }
            let value = value.trim();
            let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
                Some(unquoted) => unquoted,
                None => value,
            };
            Some((name.to_string(), decode_query_component(value)))
        })
        .collect()
}

/// The value of the first cookie named `name` in a `Cookie` header, decoded.
///
/// Ktor: `call.request.cookies[name]`
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    parse_cookie_header(header)
        .into_iter()
        .find(|(held, _)| held == name)
        .map(|(_, value)| value)
}

/// A cookie to send: its name, its value, and the attributes that tell the client how to keep
/// it (RFC 6265 §4.1).
///
/// [`Cookie::new`] starts with no attributes at all, as Ktor's `Cookie` class does; the
/// Sessions plugin adds its own defaults (`Path=/`, seven days, `HttpOnly`).
///
/// Ktor: `io.ktor.http.Cookie`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cookie {
    /// The name; a token (letters, digits, `-`, `_`, ...).
    pub name: String,
    /// The value, before URI encoding.
    pub value: String,
    /// `Max-Age`: seconds until the client drops the cookie. `Some(0)` drops it now; `None`
    /// makes a "session cookie" that lives until the browser closes.
    pub max_age: Option<u64>,
    /// `Expires`: the same deadline as a date, for clients older than `Max-Age`.
    pub expires: Option<SystemTime>,
    /// `Domain`: the hosts that get the cookie back; `None` means this host only.
    pub domain: Option<String>,
    /// `Path`: the paths that get the cookie back (and every path below).
    pub path: Option<String>,
    /// `Secure`: send it back over HTTPS only.
    pub secure: bool,
    /// `HttpOnly`: hide it from the page's scripts, so an injected script cannot steal it.
    pub http_only: bool,
    /// Any other attribute, as `name` or `name=value` (for example `SameSite=Lax`).
    pub extensions: Vec<(String, Option<String>)>,
}

impl Cookie {
    /// A cookie with no attributes.
    ///
    /// Ktor: `Cookie(name, value)`
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Cookie {
        Cookie {
            name: name.into(),
            value: value.into(),
            max_age: None,
            expires: None,
            domain: None,
            path: None,
            secure: false,
            http_only: false,
            extensions: Vec::new(),
        }
    }

    /// Sets both `Max-Age` and `Expires` to `seconds` from now, as Ktor's session cookies do.
    ///
    /// Ktor: `CookieConfiguration.maxAgeInSeconds`, which sets both when the cookie is sent
    pub fn expire_in(&mut self, seconds: u64) {
        self.max_age = Some(seconds);
        self.expires = Some(seconds_from_now(seconds));
    }

    /// Turns the cookie into one that tells the client to forget it: an empty value,
    /// `Max-Age=0` and `Expires` at the Unix epoch, every other attribute kept (a client only
    /// replaces a cookie with the same name, domain and path).
    ///
    /// Ktor: what `SessionTransportCookie.clear` sends
    pub fn expired(mut self) -> Cookie {
        self.value.clear();
        self.max_age = Some(0);
        self.expires = Some(UNIX_EPOCH);
        self
    }

    /// The `Set-Cookie` header value: `name=value`, then `Max-Age`, `Expires`, `Domain`,
    /// `Path`, `Secure`, `HttpOnly` and the extensions, each after `; `.
    ///
    /// ```
    /// use mini_ktor::http::Cookie;
    ///
    /// let mut cookie = Cookie::new("user", "ana/1");
    /// cookie.path = Some("/".to_string());
    /// cookie.http_only = true;
    /// cookie.extensions.push(("SameSite".to_string(), Some("Lax".to_string())));
    /// assert_eq!(cookie.render(), "user=ana%2F1; Path=/; HttpOnly; SameSite=Lax");
    /// ```
    ///
    /// Ktor: `io.ktor.http.renderSetCookieHeader(cookie)`
    pub fn render(&self) -> String {
        let mut out = format!("{}={}", self.name, encode_uri_component(&self.value));
        if let Some(max_age) = self.max_age {
            out.push_str(&format!("; Max-Age={max_age}"));
        }
        if let Some(expires) = self.expires {
            out.push_str(&format!("; Expires={}", format_http_date(expires)));
        }
        if let Some(domain) = &self.domain {
            out.push_str(&format!("; Domain={domain}"));
        }
        if let Some(path) = &self.path {
            out.push_str(&format!("; Path={path}"));
        }
        if self.secure {
            out.push_str("; Secure");
        }
        if self.http_only {
            out.push_str("; HttpOnly");
        }
        for (name, value) in &self.extensions {
            match value {
                Some(value) => out.push_str(&format!("; {name}={value}")),
                None => out.push_str(&format!("; {name}")),
            }
        }
        out
    }
}

/// The time `seconds` from now; for a number of seconds too large to add, the last second of
/// year 9999, the latest date an `Expires` can spell (and where `format_http_date` stops).
pub(crate) fn seconds_from_now(seconds: u64) -> SystemTime {
    const YEAR_9999_ENDS: u64 = 253_402_300_799;
    SystemTime::now()
        .checked_add(Duration::from_secs(seconds))
        .unwrap_or(UNIX_EPOCH + Duration::from_secs(YEAR_9999_ENDS))
}

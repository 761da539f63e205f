//! Transports: how a session's text travels between server and client, in a cookie or in a
//! header.
//!
//! ```text
//! receive:  request ─► Cookie / header value ─► URI-decode (cookie) ─► transformers, last first
//! send:     text ─► transformers, first first ─► Set-Cookie (URI-encoded) / response header
//! clear:    an expired Set-Cookie (cookie); nothing (header: the client just stops sending it)
//! ```
//!
//! A cookie transport carries Ktor's defaults ([`CookieConfiguration::default`]): `Path=/`,
//! seven days (`Max-Age=604800` and the matching `Expires`), `HttpOnly`, and neither `Secure`
//! nor `Domain`. Set `secure` to true in production, where the site is served over HTTPS: the
//! browser then never sends the session over plain HTTP, where anybody on the path can read it.
//!
//! Ktor: `io.ktor.server.sessions.SessionTransport`, `SessionTransportCookie`,
//! `SessionTransportHeader`, `CookieConfiguration`

use crate::Result;
use crate::application::ApplicationCall;
use crate::http::{Cookie, HttpHeaders, cookie_value};

use super::signing::SessionTransportTransformer;

/// Seven days, Ktor's default lifetime of a session cookie.
///
/// Ktor: the default of `CookieConfiguration.maxAgeInSeconds` (604800)
pub const DEFAULT_MAX_AGE_SECONDS: u64 = 7 * 24 * 60 * 60;

/// The `SameSite` attribute: when a browser sends the cookie along with a request that another
/// site started (a link, a form, an image).
///
/// Ktor: `io.ktor.server.sessions.SameSite`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// Never on requests from other sites.
    Strict,
    /// On top-level navigations from other sites (following a link), not on their forms or
    /// images: Chromium's default for a cookie that names none (Firefox and Safari send such
    /// cookies everywhere), and the safe choice for a session.
    Lax,
    /// Always; browsers then require `Secure`.
    None,
}

/// The attributes of a session cookie.
///
/// Ktor: `io.ktor.server.sessions.CookieConfiguration`
#[derive(Debug, Clone)]
pub struct CookieConfiguration {
    /// Lifetime in seconds, sent as `Max-Age` and `Expires`; `None` for a cookie that lives
    /// until the browser closes. Also the deadline of the data in a storage.
    pub max_age_seconds: Option<u64>,
    /// `Domain`; `None` (the default) means this host only.
    pub domain: Option<String>,
    /// `Path`; `/` by default, so every page of the site gets the cookie.
    pub path: Option<String>,
    /// `Secure`: HTTPS only. Off by default (so that development over HTTP works).
    pub secure: bool,
    /// `HttpOnly`: out of reach of the page's scripts. On by default.
    pub http_only: bool,
    /// Other attributes, `name` or `name=value`.
    pub extensions: Vec<(String, Option<String>)>,
}

impl Default for CookieConfiguration {
    fn default() -> Self {
        CookieConfiguration {
            max_age_seconds: Some(DEFAULT_MAX_AGE_SECONDS),
            domain: None,
            path: Some("/".to_string()),
            secure: false,
            http_only: true,
            extensions: Vec::new(),
        }
    }
}

impl CookieConfiguration {
    /// Sets the `SameSite` attribute (an extension, as in Ktor).
    ///
    /// Ktor: `cookie.sameSite = SameSite.Lax`
    pub fn same_site(&mut self, same_site: SameSite) {
        let value = match same_site {
            SameSite::Strict => "Strict",
            SameSite::Lax => "Lax",
            SameSite::None => "None",
        };
        self.extensions.retain(|(name, _)| name != "SameSite");
        self.extensions
            .push(("SameSite".to_string(), Some(value.to_string())));
    }

    /// The cookie named `name` holding `value`, with these attributes.
    fn cookie(&self, name: &str, value: &str) -> Cookie {
        let mut cookie = Cookie::new(name, value);
        if let Some(seconds) = self.max_age_seconds {
            cookie.expire_in(seconds);
        }
        cookie.domain = self.domain.clone();
        cookie.path = self.path.clone();
        cookie.secure = self.secure;
        cookie.http_only = self.http_only;
        cookie.extensions = self.extensions.clone();
        cookie
    }
}

/// Where a session travels.
///
/// Ktor: the `SessionTransport` implementations
#[derive(Debug, Clone)]
pub enum Transport {
    /// In a cookie with these attributes.
    Cookie(CookieConfiguration),
    /// In a request and response header of the provider's name (for API clients).
    Header,
}

impl Transport {
    /// The text that came with the request, every transformer undone (last registered first);
    /// `None` when nothing came or a transformer refused it.
    ///
    /// Ktor: `SessionTransport.receive` and `transformRead`
    pub(crate) fn receive(
        &self,
        call: &ApplicationCall,
        name: &str,
        transformers: &[Box<dyn SessionTransportTransformer>],
    ) -> Option<String> {
        let request = call.request();
        let wire = match self {
            Transport::Cookie(_) => request
                .headers()
                .get_all(HttpHeaders::COOKIE)
                .find_map(|header| cookie_value(header, name))?,
            Transport::Header => request.header(name)?.to_string(),
        };
        transformers
            .iter()
            .rev()
            .try_fold(wire, |text, transformer| transformer.transform_read(&text))
    }

    /// Sends `text`, every transformer applied (first registered first).
    ///
    /// Ktor: `SessionTransport.send` and `transformWrite`
    pub(crate) fn send(
        &self,
        call: &mut ApplicationCall,
        name: &str,
        text: &str,
        transformers: &[Box<dyn SessionTransportTransformer>],
    ) -> Result<()> {
        let wire = transformers.iter().fold(text.to_string(), |text, transformer| {
            transformer.transform_write(&text)
        });
        match self {
            Transport::Cookie(config) => {
                let cookie = config.cookie(name, &wire);
                call.response().header(HttpHeaders::SET_COOKIE, cookie.render())?;
            }
            Transport::Header => call.response().header(name.to_string(), wire)?,
        }
        Ok(())
    }

    /// Tells the client to drop the session: an expired cookie; nothing for a header.
    ///
    /// Ktor: `SessionTransport.clear`
    pub(crate) fn clear(&self, call: &mut ApplicationCall, name: &str) -> Result<()> {
        if let Transport::Cookie(config) = self {
            let cookie = config.cookie(name, "").expired();
            call.response().header(HttpHeaders::SET_COOKIE, cookie.render())?;
        }
        Ok(())
    }

    /// How long data kept in a storage stays valid: the cookie's lifetime; none for a header.
    pub(crate) fn max_age_seconds(&self) -> Option<u64> {
        match self {
            Transport::Cookie(config) => config.max_age_seconds,
            Transport::Header => None,
        }
    }
}

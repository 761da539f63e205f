//! Cookies on their own: parsing the `Cookie` header, rendering `Set-Cookie`.

use std::time::UNIX_EPOCH;

use mini_ktor::http::{Cookie, cookie_value, parse_cookie_header};

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

/// An empty header, or one of separators and spaces only, has no cookies.
#[test]
fn empty_header_has_no_cookies() {
    assert!(parse_cookie_header("").is_empty());
    assert!(parse_cookie_header(" ;  ; ").is_empty());
}

/// Spaces around names, `=` and values do not count.
#[test]
fn spaces_around_names_and_values_are_ignored() {
    let parsed = parse_cookie_header("  a = 1 ;b=2;   c=3  ");
    assert_eq!(parsed, pairs(&[("a", "1"), ("b", "2"), ("c", "3")]));
}

/// A quoted value loses its quotes, and may hold spaces; a lone quote is kept.
#[test]
fn quoted_values_are_unquoted() {
    let parsed = parse_cookie_header(r#"a="x y"; b=""; c="half"#);
    assert_eq!(parsed, pairs(&[("a", "x y"), ("b", ""), ("c", "\"half")]));
}

/// `a=` and a bare `a` are both a cookie with an empty value; `=x` has no name and is skipped.
#[test]
fn empty_values_and_missing_names() {
    let parsed = parse_cookie_header("a=; b; =x");
    assert_eq!(parsed, pairs(&[("a", ""), ("b", "")]));
}

/// A repeated name keeps every pair in order; `cookie_value` returns the first.
#[test]
fn duplicates_are_kept_and_the_first_wins() {
    let header = "id=first; other=1; id=second";
    assert_eq!(
        parse_cookie_header(header),
        pairs(&[("id", "first"), ("other", "1"), ("id", "second")])
    );
    assert_eq!(cookie_value(header, "id").as_deref(), Some("first"));
    assert_eq!(cookie_value(header, "missing"), None);
}

/// `$Version` and `$Path` are RFC 2109 attributes, not cookies.
#[test]
fn dollar_names_are_skipped() {
    let parsed = parse_cookie_header("$Version=1; a=1; $Path=/");
    assert_eq!(parsed, pairs(&[("a", "1")]));
}

/// Values are URI-decoded: `%2F` is `/`, `+` is a space, a broken escape stays as sent.
#[test]
fn values_are_uri_decoded() {
    let parsed = parse_cookie_header("a=x%2Fy; b=one+two; c=100%");
    assert_eq!(parsed, pairs(&[("a", "x/y"), ("b", "one two"), ("c", "100%")]));
}

/// A value with `=` in it keeps everything after the first `=`.
#[test]
fn equals_sign_inside_a_value_is_kept() {
    assert_eq!(parse_cookie_header("a=b=c"), pairs(&[("a", "b=c")]));
}

/// A bare cookie renders as `name=value`, the value URI-encoded (so `;`, spaces and `/` cannot
/// break the header).
#[test]
fn render_encodes_the_value() {
    assert_eq!(Cookie::new("a", "x; y/z").render(), "a=x%3B%20y%2Fz");
}

/// Every attribute, in Ktor's order.
#[test]
fn render_puts_attributes_in_ktors_order() {
    let mut cookie = Cookie::new("s", "v");
    cookie.max_age = Some(60);
    cookie.expires = Some(UNIX_EPOCH);
    cookie.domain = Some("example.com".to_string());
    cookie.path = Some("/".to_string());
    cookie.secure = true;
    cookie.http_only = true;
    cookie
        .extensions
        .push(("SameSite".to_string(), Some("Strict".to_string())));
    cookie.extensions.push(("Partitioned".to_string(), None));
    assert_eq!(
        cookie.render(),
        "s=v; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/; \
         Secure; HttpOnly; SameSite=Strict; Partitioned"
    );
}

/// `expired` empties the value and sets `Max-Age=0` and the epoch, keeping the path.
#[test]
fn expired_cookie_tells_the_client_to_forget_it() {
    let mut cookie = Cookie::new("s", "secret");
    cookie.path = Some("/".to_string());
    cookie.expire_in(604_800);
    assert_eq!(
        cookie.expired().render(),
        "s=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/"
    );
}

/// What `render` writes, `parse_cookie_header` reads back unchanged.
#[test]
fn render_then_parse_round_trips() {
    for value in ["plain", "with space", "a;b,c", "slash/and\"quote", "ünïcode", ""] {
        let rendered = Cookie::new("n", value).render();
        assert_eq!(cookie_value(&rendered, "n").as_deref(), Some(value), "{rendered}");
    }
}

//! Table tests for target splitting, path and query decoding, and encoding.

use mini_ktor::http::{decode_path, decode_query_component, encode_uri_component, parse_query, split_target};
use std::borrow::Cow;

/// Each row: name, doc, target, expected path and query.
macro_rules! split {
    ($($name:ident: $doc:literal, $target:literal => $path:literal, $query:literal;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            assert_eq!(split_target($target), ($path, $query));
        }
    )*};
}

split! {
    split_root: "The root has no query.", "/" => "/", "";
    split_query: "The query follows the first `?`.", "/a/b?x=1&y" => "/a/b", "x=1&y";
    split_empty_query: "A bare `?` gives an empty query.", "/a?" => "/a", "";
    split_second_question_mark: "Later `?` belong to the query.", "/a?b?c" => "/a", "b?c";
    split_url_in_query: "A URL inside the query is not an authority.", "/?next=http://x/y" => "/", "next=http://x/y";
    split_absolute: "absolute-form loses scheme and authority.", "http://h:80/p?q" => "/p", "q";
    split_absolute_no_path: "An absolute URI without path has path `/`.", "http://h" => "/", "";
    split_absolute_query_only: "An absolute URI with only a query has path `/`.", "https://h?q=1" => "/", "q=1";
    split_asterisk: "The asterisk is its own path.", "*" => "*", "";
    split_fragment: "A fragment is dropped.", "/a?b#frag" => "/a", "b";
}

/// Each row: name, doc, raw path, and the decoded path or the error status.
macro_rules! path {
    ($($name:ident: $doc:literal, $raw:literal => $expected:expr;)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            let expected: Result<&str, u16> = $expected;
            let got = decode_path($raw).map_err(|e| e.status.value);
            assert_eq!(got.as_deref().map_err(|s| *s), expected);
        }
    )*};
}

path! {
    path_plain: "A path without escapes is returned as is.", "/a/b.txt" => Ok("/a/b.txt");
    path_utf8: "Escaped UTF-8 decodes to text.", "/caf%C3%A9" => Ok("/café");
    path_lowercase_hex: "Hex digits may be lower case.", "/caf%c3%a9" => Ok("/café");
    path_space: "`%20` is a space.", "/a%20b" => Ok("/a b");
    path_plus_kept: "`+` is not a space in a path.", "/a+b" => Ok("/a+b");
    path_encoded_slash: "`%2F` decodes to a slash.", "/a%2Fb" => Ok("/a/b");
    path_lone_percent: "A `%` at the end is refused.", "/a%" => Err(400);
    path_short_escape: "A `%` with one digit is refused.", "/a%2" => Err(400);
    path_non_hex_escape: "A `%` with non-hex digits is refused.", "/%zz" => Err(400);
    path_invalid_utf8: "Bytes that are not UTF-8 become U+FFFD, as in Ktor.", "/%FF" => Ok("/\u{FFFD}");
    path_latin1: "A Latin-1 escape is not UTF-8 either.", "/caf%E9/x" => Ok("/caf\u{FFFD}/x");
    path_truncated_utf8: "A cut UTF-8 sequence is replaced too.", "/%C3" => Ok("/\u{FFFD}");
}

/// A path without `%` is borrowed, not copied.
#[test]
fn path_without_escapes_borrows() {
    assert!(matches!(decode_path("/no/escapes"), Ok(Cow::Borrowed(_))));
}

/// Each row: name, doc, query, and the expected pairs in order.
macro_rules! query {
    ($($name:ident: $doc:literal, $query:literal => [$(($n:literal, $v:literal)),*];)*) => {$(
        #[doc = $doc]
        #[test]
        fn $name() {
            let parameters = parse_query($query);
            let pairs: Vec<(&str, &str)> = parameters.iter().collect();
            let expected: Vec<(&str, &str)> = vec![$(($n, $v)),*];
            assert_eq!(pairs, expected);
        }
    )*};
}

query! {
    query_pairs: "Pairs are split on `&` and `=`.", "a=1&b=2" => [("a", "1"), ("b", "2")];
    query_repeated: "Repeated names keep their order.", "t=x&u=0&t=y" => [("t", "x"), ("u", "0"), ("t", "y")];
    query_flag: "A name without `=` has an empty value.", "flag&a=" => [("flag", ""), ("a", "")];
    query_first_equals: "Only the first `=` separates.", "a=b=c" => [("a", "b=c")];
    query_empty_pairs: "Empty pairs are skipped.", "&&a=1&" => [("a", "1")];
    query_plus_and_escapes: "`+` and `%20` are spaces.", "q=a+b%20c" => [("q", "a b c")];
    query_plus_in_name: "Names are decoded too.", "a+b=c" => [("a b", "c")];
    query_encoded_separators: "Escaped `&` and `=` are data.", "k=%26%3D" => [("k", "&=")];
    query_broken_escape_kept: "A broken escape stays literal.", "%zz=%&x=%4" => [("%zz", "%"), ("x", "%4")];
    query_invalid_utf8_replaced: "Bytes that are not UTF-8 become U+FFFD.", "x=%E9" => [("x", "\u{FFFD}")];
    query_empty_name: "An empty name is kept.", "=v" => [("", "v")];
    query_empty: "An empty query has no parameters.", "" => [];
}

/// Everything but the unreserved set is escaped, with upper-case hex.
#[test]
fn encode_component() {
    assert_eq!(encode_uri_component("a b&c/é~-._"), "a%20b%26c%2F%C3%A9~-._");
    assert_eq!(encode_uri_component("+%"), "%2B%25");
    assert_eq!(encode_uri_component(""), "");
}

/// Encoding then decoding gives the original text back.
#[test]
fn encode_then_decode_round_trips() {
    for text in [
        "",
        "plain",
        "a b+c",
        "100% sure?",
        "ключ=значение&x",
        "\u{0}\u{7f}",
    ] {
        assert_eq!(decode_query_component(&encode_uri_component(text)), text);
        let path = format!("/{}", encode_uri_component(text));
        assert_eq!(decode_path(&path).unwrap(), format!("/{text}"));
    }
}

//! Tests of the header map: lookups, order, storage, validation.

use super::*;

/// Lookups ignore case; iteration keeps insertion order and spelling.
#[test]
fn case_insensitive_and_ordered() {
    let mut h = Headers::new();
    h.append("Set-Cookie", "a=1");
    h.append("Content-Type", "text/plain");
    h.append("set-cookie", "b=2");
    assert_eq!(h.get("SET-COOKIE"), Some("a=1"));
    assert_eq!(h.get_all("Set-Cookie").collect::<Vec<_>>(), ["a=1", "b=2"]);
    let names: Vec<&str> = h.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["Set-Cookie", "Content-Type", "set-cookie"]);
    assert_eq!(h.len(), 3);
}

/// `set` collapses duplicates into one line at the first one's place.
#[test]
fn set_replaces_all_in_place() {
    let mut h = Headers::new();
    h.append("A", "1");
    h.append("B", "2");
    h.append("a", "3");
    h.set("a", "9");
    assert_eq!(h.iter().collect::<Vec<_>>(), [("A", "9"), ("B", "2")]);
    h.set("C", "4");
    assert_eq!(h.get("c"), Some("4"));
}

/// `remove` drops every line of a name; `clear` keeps capacity.
#[test]
fn remove_and_clear() {
    let mut h = Headers::new();
    h.append("A", "1");
    h.append("a", "2");
    h.append("B", "3");
    assert!(h.remove("A"));
    assert!(!h.remove("A"));
    assert!(!h.contains("a") && h.contains("b"));
    let capacity = (h.entries.capacity(), h.text.capacity());
    h.clear();
    assert!(h.is_empty());
    assert_eq!((h.entries.capacity(), h.text.capacity()), capacity);
}

/// Owned text is copied into the map's one string, constants are kept as references; both
/// read, compare and print alike, and replaced or removed text never shows again.
#[test]
fn owned_and_constant_parts_behave_alike() {
    let mut owned = Headers::new();
    owned.append("X-Id".to_string(), "1".to_string());
    owned.append_copied("Set-Cookie", "a=1");
    owned.append("Set-Cookie", String::from("b=2"));
    let mut constant = Headers::new();
    constant.append("X-Id", "1");
    constant.append("Set-Cookie", "a=1");
    constant.append("Set-Cookie", "b=2");
    assert_eq!(owned, constant);
    assert_eq!(format!("{owned:?}"), format!("{constant:?}"));
    assert_eq!(
        format!("{owned:?}"),
        r#"[("X-Id", "1"), ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]"#
    );
    // `"Set-Cookie"` given as a constant the second time is not copied.
    assert_eq!(owned.text, "X-Id1Set-Cookiea=1b=2");

    owned.set("set-cookie", "c=3".to_string());
    assert_eq!(owned.get_all("Set-Cookie").collect::<Vec<_>>(), ["c=3"]);
    assert!(owned.remove("x-id"));
    assert_eq!(owned.iter().collect::<Vec<_>>(), [("Set-Cookie", "c=3")]);
    owned.clear();
    owned.append_copied("Host", "x");
    assert_eq!(
        owned.iter().collect::<Vec<_>>(),
        [("Host", "x")],
        "cleared text is reused"
    );
    assert_eq!(owned.text, "Hostx");
}

/// The summary of name lengths never hides a line: names of every length up to 130 (so
/// some share a bit, 64 apart) are found after `append`, `append_copied` and `set`, found
/// again after a line of another name with the same bit is removed, and none is found
/// after `clear`, until added again.
#[test]
fn name_lengths_never_hide_a_line() {
    let name = |length: usize| "x".repeat(length);
    let mut h = Headers::new();
    for length in 1..=130 {
        match length % 3 {
            0 => h.append(name(length), "v"),
            1 => h.append_copied(&name(length), "v"),
            _ => h.set(name(length), "v"),
        }
        assert!(!h.contains(&name(length + 1)), "{length}");
        assert!(!h.contains(&"y".repeat(length)), "same length, other name");
    }
    for length in 1..=130 {
        assert_eq!(h.get(&name(length).to_uppercase()), Some("v"), "{length}");
    }
    assert!(h.remove(&name(70)));
    assert!(!h.remove(&name(70)));
    assert!(h.contains(&name(6)), "64 bytes shorter, same bit");
    assert!(!h.contains(&name(70)));
    h.clear();
    assert!((1..=130).all(|length| !h.contains(&name(length))));
    h.append("Connection", "close");
    assert_eq!(h.get("connection"), Some("close"));
    assert!(!h.contains("Content-Type"));
}

/// A parsed head's field lines, added at once, read as the same lines added one by one
/// (after lines already in the map, too); a head without field lines adds nothing; a head
/// whose headers are not slices of its text, or not in order, leaves the map as it was;
/// a line from elsewhere between two of the head's own reads as empty.
#[test]
fn fields_of_a_head_at_once() {
    use crate::http::{EMPTY_HEADER, Limits, Status, parse_request};
    let raw =
        b"GET / HTTP/1.1\r\nHost: a\r\nX-Empty:\r\nAccept:  text/plain \r\nx-b: \xc3\xa9t\xc3\xa9\r\n\r\n";
    let mut slots = [EMPTY_HEADER; 8];
    let Ok(Status::Complete((head, _))) = parse_request(raw, &mut slots, &Limits::default()) else {
        panic!("the head parses");
    };
    let mut at_once = Headers::new();
    at_once.append("Before", "1");
    assert!(at_once.append_fields(&head));
    let mut one_by_one = Headers::new();
    one_by_one.append("Before", "1");
    for header in head.headers {
        one_by_one.append_copied(header.name, head.value_text(header).unwrap());
    }
    assert_eq!(at_once, one_by_one);
    assert_eq!(at_once.get("X-B"), Some("été"));
    assert_eq!(at_once.get("x-empty"), Some(""));

    let mut slots = [EMPTY_HEADER; 1];
    let Ok(Status::Complete((bare, _))) =
        parse_request(b"GET / HTTP/1.0\r\n\r\n", &mut slots, &Limits::default())
    else {
        panic!("the head parses");
    };
    let mut map = Headers::new();
    assert!(map.append_fields(&bare));
    assert!(map.is_empty());

    let elsewhere = [crate::http::Header {
        name: "A",
        value: b"1",
    }];
    let reversed = [head.headers[1], head.headers[0]];
    for headers in [&elsewhere[..], &reversed[..]] {
        let odd = crate::http::RequestHead { headers, ..head };
        let mut map = Headers::new();
        map.append("Kept", "1");
        assert!(!map.append_fields(&odd));
        assert_eq!(map.iter().collect::<Vec<_>>(), [("Kept", "1")]);
        assert_eq!(map.text, "");
    }
    // A line from elsewhere between two of the head's reads as empty, without a panic.
    let mixed = [head.headers[0], elsewhere[0], head.headers[3]];
    let mut map = Headers::new();
    assert!(map.append_fields(&crate::http::RequestHead {
        headers: &mixed,
        ..head
    }));
    let lines: Vec<_> = map.iter().collect();
    assert_eq!(lines, [("Host", "a"), ("", ""), ("x-b", "été")]);
}

/// Validation refuses anything that could break the line structure.
#[test]
fn validation() {
    assert!(is_valid_header_name("X-Request-Id"));
    for bad in ["", "Bad Name", "Colon:", "New\nLine"] {
        assert!(!is_valid_header_name(bad), "{bad:?}");
    }
    assert!(is_valid_header_value("text/html; charset=utf-8"));
    assert!(is_valid_header_value("tab\there, ünïcode, empty next"));
    assert!(is_valid_header_value(""));
    for bad in ["a\r\nSet-Cookie: x", "nul\0", "lf\n", "cr\r", "del\x7f"] {
        assert!(!is_valid_header_value(bad), "{bad:?}");
    }
}

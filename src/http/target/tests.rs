//! Tests of the request-target forms and the `Host` check: tables, and the word-at-a-time
//! walk against the byte-by-byte one.

use super::*;

/// Host values: names, IPv4, IPv6 literals, ports, and rejections.
#[test]
fn host_values() {
    for good in [
        "example.com",
        "example.com:8080",
        "127.0.0.1:80",
        "[::1]",
        "[2001:db8::7]:443",
        "[::ffff:127.0.0.1]:80",
        "[2001:db8:0:0:0:0:2:1]",
        "xn--bcher-kva.example",
        "a%2Db",
    ] {
        assert!(is_valid_host(good.as_bytes()), "{good}");
    }
    for bad in [
        "",
        ":80",
        "example.com:",
        "example.com:8x",
        "user@host",
        "host/path",
        "a b",
        "[::1",
        "[]",
        "[v1.x]",
        "[:]",
        "[:::::::]",
        "[1:2:3:4:5:6:7:8:9]",
        "[12345::]",
        "[::1%25eth0]",
        "[1.2.3.4]",
        "[::g]",
        "[::1]x",
        "%zz",
        "h?q",
    ] {
        assert!(!is_valid_host(bad.as_bytes()), "{bad}");
    }
}

/// Where the one-pass reading could go wrong: `%` next to the port's
/// colon, a second colon, and literals followed by odd ports.
#[test]
fn host_values_at_the_edges() {
    for good in ["a%3A", "%41:80", "_~!$&'()*+,;=:1", "a.b-c:007", "[::1]:1"] {
        assert!(is_valid_host(good.as_bytes()), "{good}");
    }
    for bad in [
        "a%2:80", "a%", "a%4", "a:80:90", "a:b", "[::1]:", "[::1]:8a", "a::", "a[b]",
    ] {
        assert!(!is_valid_host(bad.as_bytes()), "{bad}");
    }
}

/// The grammar read the other way: split at the first colon, then check
/// the host and the port separately (no IP-literals, which take the same
/// path in both readings).
fn split_at_first_colon(value: &[u8]) -> bool {
    let colon = value.iter().position(|&b| b == b':').unwrap_or(value.len());
    let (host, port) = value.split_at(colon);
    let mut rest = host;
    while let [b, tail @ ..] = rest {
        rest = match (b, tail) {
            (b'%', [h, l, tail @ ..]) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => tail,
            (b, tail) if syntax::is(*b, REG_NAME) => tail,
            _ => return false,
        };
    }
    let port_ok = match port {
        [] => true,
        [_, digits @ ..] => !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
    };
    !host.is_empty() && port_ok
}

/// Every string of up to five bytes from an alphabet of the bytes that
/// matter gets the same answer from both readings.
#[test]
fn one_pass_agrees_with_splitting_at_the_colon() {
    let alphabet = b"a0F.%:_@/ ";
    let mut value = Vec::new();
    let mut counters = [0usize; 5];
    for len in 0..=counters.len() {
        counters.fill(0);
        loop {
            value.clear();
            value.extend(counters[..len].iter().map(|&i| alphabet[i]));
            assert_eq!(
                is_valid_host(&value),
                split_at_first_colon(&value),
                "{:?}",
                String::from_utf8_lossy(&value)
            );
            // The next string of this length, like an odometer.
            let Some(turn) = counters[..len].iter().position(|&i| i + 1 < alphabet.len()) else {
                break;
            };
            counters[turn] += 1;
            counters[..turn].fill(0);
        }
    }
}

/// The reading before the word-at-a-time walk: `reg_name_len` byte by
/// byte from the start.
fn by_bytes(value: &[u8]) -> bool {
    match value {
        [b'[', inner @ ..] => ip_literal_port(inner).is_some_and(is_port),
        _ => {
            let host_len = reg_name_len(value);
            host_len > 0 && is_port(&value[host_len..])
        }
    }
}

/// Every three-byte string from an alphabet of the bytes that matter
/// (those the word test lets through, those it stops at, and the edges of
/// its ranges), at every offset in a plain name and before several
/// endings, so that each falls in whole words, in the overlapping last
/// word and in short values; both walks must agree.
#[test]
fn word_walk_agrees_with_byte_walk() {
    let alphabet = b"aZ09.-%:_~@/,[]\x80\xff ";
    let endings: [&[u8]; 5] = [b"", b"1", b":80", b".example-9.org", b"%41:8080"];
    let mut checked = 0;
    for pad in 0..=11 {
        for &x in alphabet {
            for &y in alphabet {
                for &z in alphabet {
                    for ending in endings {
                        let mut value = b"example.co".repeat(2)[..pad].to_vec();
                        value.extend_from_slice(&[x, y, z]);
                        value.extend_from_slice(ending);
                        assert_eq!(
                            is_valid_host(&value),
                            by_bytes(&value),
                            "{:?}",
                            String::from_utf8_lossy(&value)
                        );
                        // What the parser relies on: a plain prefix is valid.
                        let plain = plain_host_len(&value);
                        assert!(plain == 0 || by_bytes(&value[..plain]), "{value:?}");
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 12 * alphabet.len().pow(3) * endings.len());
}

/// Absolute-form accepts only http(s) with an authority.
#[test]
fn absolute_form() {
    assert_eq!(
        check_target("GET", "http://a.example/x"),
        Ok(TargetForm::Absolute)
    );
    assert_eq!(
        check_target("GET", "HTTPS://a.example?q"),
        Ok(TargetForm::Absolute)
    );
    assert!(check_target("GET", "ftp://a.example/").is_err());
    assert!(check_target("GET", "http://u@a.example/").is_err());
    assert!(check_target("GET", "http:///x").is_err());
}

//! Byte classes and the list rule that every HTTP/1.1 parser here shares.
//!
//! # Concept
//!
//! The parsers keep asking the same few questions about one byte: may it
//! appear in a token? in a field value? in a request-target? Answering with a
//! chain of range checks costs several branches per byte in the hottest loops
//! of the server. Answering with one load from a 256-entry table costs one.
//! Each entry holds a few class bits, so one table serves every question.
//!
//! The table is computed by `const` evaluation: it is plain read-only data in
//! the binary and there is no start-up work.
//!
//! # Counterparts
//!
//! httparse builds the same kind of tables with its `byte_map!` macro and adds
//! SIMD scanning on top. Ktor CIO (`io.ktor.http.cio.internals`) instead calls
//! small predicate functions on `Char`s. SIMD needs unchecked pointer code or
//! nightly features; this crate has neither. The request parser's long runs
//! go eight bytes at a time instead, in `scan.rs`, which comes
//! back to this table for every byte it is not sure of.
//!
//! # RFC grammar (RFC 9110 §5.6.2, §5.5, RFC 5234 Appendix B.1)
//!
//! ```text
//! token          = 1*tchar
//! tchar          = "!" / "#" / "$" / "%" / "&" / "'" / "*"
//!                / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
//!                / DIGIT / ALPHA
//! field-vchar    = VCHAR / obs-text
//! obs-text       = %x80-FF
//! VCHAR          = %x21-7E
//! OWS            = *( SP / HTAB )
//! ```

/// tchar: may appear in a token (method, field name, transfer coding).
pub(crate) const TCHAR: u8 = 1;
/// May appear inside a field value: VCHAR, obs-text, SP and HTAB. Leading and
/// trailing whitespace are trimmed separately; this class only rules out CTLs.
pub(crate) const FIELD: u8 = 1 << 1;
/// May appear in a request-target: visible ASCII, `%x21-7E`.
pub(crate) const TARGET: u8 = 1 << 2;
/// May appear in a reg-name (RFC 3986 §3.2.2): unreserved or sub-delims.
/// The `%` of pct-encoded is checked by the Host validator, not here.
pub(crate) const REG_NAME: u8 = 1 << 3;
/// unreserved (RFC 3986 §2.3): never needs percent-encoding.
pub(crate) const UNRESERVED: u8 = 1 << 4;

/// One entry per byte value, each a set of the class bits above.
/// A `static` rather than a `const` so every use shares one copy in memory.
static CLASSES: [u8; 256] = build_classes();

/// Computes [`CLASSES`] at compile time.
const fn build_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let unreserved = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        let sub_delim = matches!(
            b,
            b'!' | b'$' | b'&' | b'\'' | b'(' | b')' | b'*' | b'+' | b',' | b';' | b'='
        );
        let tchar = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        let visible = b >= 0x21 && b <= 0x7e;
        let field = visible || b >= 0x80 || b == b' ' || b == b'\t';
        let mut bits = 0;
        if tchar {
            bits |= TCHAR;
        }
        if field {
            bits |= FIELD;
        }
        if visible {
            bits |= TARGET;
        }
        if unreserved || sub_delim {
            bits |= REG_NAME;
        }
        if unreserved {
            bits |= UNRESERVED;
        }
        table[i] = bits;
        i += 1;
    }
    table
}

/// Whether byte `b` belongs to `class` (one of the constants above).
#[inline(always)]
pub(crate) fn is(b: u8, class: u8) -> bool {
    CLASSES[b as usize] & class != 0
}

/// The length of the longest prefix of `bytes` whose bytes are all in
/// `class`, or `None` when every byte is (the run may continue in bytes that
/// have not arrived yet, so the caller cannot decide).
#[inline]
pub(crate) fn run(bytes: &[u8], class: u8) -> Option<usize> {
    bytes.iter().position(|&b| !is(b, class))
}

/// Whether `b` is optional whitespace (SP or HTAB).
#[inline(always)]
pub(crate) fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Strips OWS from both ends. `<[u8]>::trim_ascii` is not used because it
/// also strips CR, LF and FF, which are not OWS.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = s {
        if !is_ows(*first) {
            break;
        }
        s = rest;
    }
    while let [rest @ .., last] = s {
        if !is_ows(*last) {
            break;
        }
        s = rest;
    }
    s
}

/// The elements of a comma-separated list (the `#rule`, RFC 9110 §5.6.1),
/// trimmed, with empty elements skipped as §5.6.1 asks of recipients.
///
/// Commas inside quoted strings are not special-cased: the lists read with
/// this (Connection, Transfer-Encoding, Expect) carry plain
/// tokens, and a quoted comma can only turn an already unknown value into two
/// unknown ones.
pub(crate) fn list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_ows)
        .filter(|e| !e.is_empty())
}

/// Whether a `Connection` value lists the `close` option (RFC 9110 §7.6.1), in any case:
/// `close`, `Close`, `keep-alive, close`.
pub(crate) fn lists_close(value: &[u8]) -> bool {
    list(value).any(|option| option.eq_ignore_ascii_case(b"close"))
}

/// The value of one hexadecimal digit (HEXDIG, either case).
#[inline]
pub(crate) fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tchar class is exactly ALPHA, DIGIT and the fifteen listed symbols.
    #[test]
    fn tchar_class_matches_the_abnf() {
        let symbols = b"!#$%&'*+-.^_`|~";
        for b in 0..=255u8 {
            let expected = b.is_ascii_alphanumeric() || symbols.contains(&b);
            assert_eq!(is(b, TCHAR), expected, "byte {b:#04x}");
        }
    }

    /// Field values refuse every CTL except HTAB, and accept obs-text.
    #[test]
    fn field_class_refuses_ctls_but_keeps_obs_text() {
        for b in 0..0x20u8 {
            assert_eq!(is(b, FIELD), b == b'\t', "byte {b:#04x}");
        }
        assert!(!is(0x7f, FIELD));
        assert!(is(0x80, FIELD) && is(0xff, FIELD) && is(b' ', FIELD));
    }

    /// Trimming removes only SP and HTAB, and list splitting drops empties.
    #[test]
    fn trim_and_list() {
        assert_eq!(trim_ows(b" \t a b\t "), b"a b");
        assert_eq!(trim_ows(b"\r\n"), b"\r\n");
        let items: Vec<&[u8]> = list(b" a, ,b ,,c").collect();
        assert_eq!(items, [&b"a"[..], b"b", b"c"]);
    }
}

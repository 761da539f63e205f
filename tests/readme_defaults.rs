//! README.md's "Limits and defaults" table states what the code does.
//!
//! The test reads the table, row by row, and compares each default with the value the code
//! starts from: the fields of `Limits::default()`, and the time limits of
//! `ConnectionConfig::default()` and of a fresh `embedded_server`. A row changed on one side
//! only, or a row added without its value here, fails.

use std::fs;
use std::path::Path;
use std::time::Duration;

use mini_ktor::engine::ConnectionConfig;
use mini_ktor::http::Limits;
use mini_ktor::prelude::*;

/// A default as the table writes it.
#[derive(Debug, PartialEq)]
enum Amount {
    /// `8 KiB`, `1 MiB`, `128 bytes`.
    Bytes(u64),
    /// A bare number: `100`.
    Count(u64),
    /// `45 s`.
    Time(Duration),
}

/// The amount at the start of a table cell (`"45 s (as Ktor CIO)"` is 45 seconds).
fn amount(cell: &str) -> Amount {
    let mut words = cell.split_whitespace();
    let number: u64 = words
        .next()
        .and_then(|word| word.parse().ok())
        .unwrap_or_else(|| {
            panic!("no number at the start of {cell:?}");
        });
    match words.next() {
        Some("KiB") => Amount::Bytes(number << 10),
        Some("MiB") => Amount::Bytes(number << 20),
        Some("bytes") => Amount::Bytes(number),
        Some("s") => Amount::Time(Duration::from_secs(number)),
        None => Amount::Count(number),
        Some(unit) => panic!("unknown unit {unit:?} in {cell:?}"),
    }
}

/// The rows of the table under `## Limits and defaults`: (limit, default) pairs.
fn table_rows(readme: &str) -> Vec<(String, String)> {
    let section = readme
        .split("\n## Limits and defaults\n")
        .nth(1)
        .expect("README.md has a \"Limits and defaults\" section");
    let rows = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2); // the column names and the |---| line
    rows.map(|row| {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(cells.len(), 5, "three columns in {row:?}");
        (cells[1].to_string(), cells[2].to_string())
    })
    .collect()
}

/// The defaults the code starts from, in the table's order, each with words its row's label
/// must contain (the whole label may be reworded).
fn code_defaults(limits: &Limits, connection: &ConnectionConfig) -> Vec<(&'static str, Amount)> {
    vec![
        ("request target", Amount::Bytes(limits.max_target as u64)),
        ("header section", Amount::Bytes(limits.max_head as u64)),
        ("header lines", Amount::Count(limits.max_headers as u64)),
        ("request body", Amount::Bytes(limits.max_body)),
        ("chunk-size line", Amount::Bytes(limits.max_chunk_line as u64)),
        ("idle", Amount::Time(connection.idle_timeout)),
        ("incomplete", Amount::Time(connection.request_timeout)),
    ]
}

/// Every row of README.md's limits table gives the default the code has, and every default
/// the code has is a row: `Limits::default()` (8 KiB target, 64 KiB head, 100 header lines,
/// 1 MiB body, 128-byte chunk-size line) and the time limits (45 s idle, 10 s per request) of
/// both `ConnectionConfig::default()` and a new `embedded_server`.
#[test]
fn readme_limits_table_matches_the_code() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let rows = table_rows(&readme);
    let server = embedded_server(Cio, 0, |_| {}); // never started: nothing is bound
    let configured = &server.config().connection;
    for (limits, connection) in [
        (&Limits::default(), &ConnectionConfig::default()),
        (&configured.limits, configured),
    ] {
        let code = code_defaults(limits, connection);
        assert_eq!(rows.len(), code.len(), "a row for each default: {rows:#?}");
        for ((label, default), (words, value)) in rows.iter().zip(&code) {
            assert!(
                label.contains(words),
                "row {label:?} where {words:?} was expected"
            );
            assert_eq!(amount(default), *value, "README.md's row {label:?}");
        }
    }
}

/// The cell reader itself: each unit the table uses, and text after the amount ignored.
#[test]
fn amounts_are_read() {
    assert_eq!(amount("8 KiB"), Amount::Bytes(8192));
    assert_eq!(amount("1 MiB"), Amount::Bytes(1 << 20));
    assert_eq!(amount("128 bytes"), Amount::Bytes(128));
    assert_eq!(amount("100"), Amount::Count(100));
    assert_eq!(
        amount("45 s (as Ktor CIO)"),
        Amount::Time(Duration::from_secs(45))
    );
}

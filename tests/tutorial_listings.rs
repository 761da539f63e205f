//! Every region of source that TUTORIAL.md quotes is quoted verbatim.
//!
//! Source files mark a quoted region with `// ANCHOR: name` and `// ANCHOR_END: name`. This
//! test extracts each region and checks that TUTORIAL.md contains it character for character,
//! so the tutorial cannot drift from the code it teaches.

use std::fs;
use std::path::Path;

/// The regions marked in `source`, as (name, text) pairs.
fn anchored_regions(source: &str) -> Vec<(String, String)> {
    let mut regions = Vec::new();
    let mut open: Option<(String, Vec<&str>)> = None;
    for line in source.lines() {
        let trimmed = line.trim();
        if let Some(name) = trimmed.strip_prefix("// ANCHOR: ") {
            assert!(open.is_none(), "nested anchor {name}");
            open = Some((name.to_string(), Vec::new()));
        } else if let Some(name) = trimmed.strip_prefix("// ANCHOR_END: ") {
            let (start, lines) = open
                .take()
                .unwrap_or_else(|| panic!("ANCHOR_END {name} without ANCHOR"));
            assert_eq!(start, name, "anchor names must match");
            regions.push((start, lines.join("\n")));
        } else if let Some((_, lines)) = &mut open {
            lines.push(line);
        }
    }
    assert!(open.is_none(), "unclosed anchor");
    regions
}

/// Each anchored region of every example appears verbatim in the tutorial.
#[test]
fn tutorial_quotes_anchored_regions_verbatim() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tutorial = fs::read_to_string(root.join("TUTORIAL.md")).unwrap();
    let mut checked = 0;
    for directory in ["examples", "src"] {
        for path in rust_files(&root.join(directory)) {
            let source = fs::read_to_string(&path).unwrap();
            for (name, text) in anchored_regions(&source) {
                assert!(
                    tutorial.contains(&text),
                    "TUTORIAL.md does not quote region `{name}` of {} verbatim:\n{text}",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 2,
        "expected the hello and modules regions at least, found {checked}"
    );
}

/// The extractor itself: regions are found, in order, without their marker lines.
#[test]
fn anchors_are_extracted() {
    let source = "a\n// ANCHOR: x\nb\n  c\n// ANCHOR_END: x\nd\n    // ANCHOR: y\ne\n    // ANCHOR_END: y\n";
    let regions = anchored_regions(source);
    assert_eq!(
        regions,
        [
            ("x".to_string(), "b\n  c".to_string()),
            ("y".to_string(), "e".to_string())
        ]
    );
}

fn rust_files(directory: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(directory).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files
}

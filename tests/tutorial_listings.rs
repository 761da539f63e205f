//! Every region of source that TUTORIAL.md quotes is quoted verbatim, and what the tutorial
//! promises about its blocks holds.
//!
//! Source files mark a quoted region with `// ANCHOR: name` and `// ANCHOR_END: name`. One test
//! extracts each region and checks that TUTORIAL.md contains it character for character, so the
//! tutorial cannot drift from the code it teaches. Another checks that each server block, pasted
//! as the tutorial says, is its whole example file; a third, that the tutorial's way to find a
//! failing doctest's block gives the right line.

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

/// The server blocks, one per example: the region each one quotes, and the file the block is,
/// scaffolding included. TUTORIAL.md lists the same five.
const WHOLE_EXAMPLES: [(&str, &str); 5] = [
    ("hello", "examples/hello.rs"),
    ("modules", "examples/modules.rs"),
    ("routing", "examples/routing.rs"),
    ("module", "examples/pipeline.rs"),
    ("sessions_module", "examples/sessions.rs"),
];

/// Each server block, pasted as TUTORIAL.md says (`# ` taken off, a lone `#` emptied), has the
/// lines of its example file, leaving out the `//!` header, the anchor markers and blank lines.
/// The lines are compared in any order: the scaffolding may follow the lesson where the file
/// has it before, which Rust does not mind, and the lesson itself is checked in order by
/// `tutorial_quotes_anchored_regions_verbatim`.
#[test]
fn server_blocks_are_their_whole_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tutorial = fs::read_to_string(root.join("TUTORIAL.md")).unwrap();
    let blocks = rust_blocks(&tutorial);
    for (region, file) in WHOLE_EXAMPLES {
        let source = fs::read_to_string(root.join(file)).unwrap();
        let (_, text) = anchored_regions(&source)
            .into_iter()
            .find(|(name, _)| name == region)
            .unwrap_or_else(|| panic!("{file} has no region `{region}`"));
        let block = blocks
            .iter()
            .find(|block| block.contains(&text))
            .unwrap_or_else(|| panic!("no Rust block of TUTORIAL.md quotes region `{region}` of {file}"));
        let program: Vec<&str> = source
            .lines()
            .filter(|line| !line.starts_with("//!") && !line.trim().starts_with("// ANCHOR"))
            .collect();
        let pasted = paste(block);
        let (missing, extra) = differences(&program, &pasted.iter().map(String::as_str).collect::<Vec<_>>());
        assert!(
            missing.is_empty() && extra.is_empty(),
            "the block quoting `{region}`, pasted, is not {file}:\n\
             lines of the file the block lacks: {missing:#?}\n\
             lines of the block the file lacks: {extra:#?}"
        );
    }
}

/// TUTORIAL.md maps rustdoc's `TutorialDoctests (line N)` to its own lines: N counts in
/// `src/lib.rs`, and rustdoc numbers a block of a `#[doc = include_str!(..)]` file as the
/// attribute's line plus the fence's line in the file, less 2. The numbers the tutorial gives
/// (the attribute's line, the offset, and Step 1's block as the example) are those.
#[test]
fn tutorial_maps_doctest_lines_to_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lib = fs::read_to_string(root.join("src/lib.rs")).unwrap();
    let tutorial = fs::read_to_string(root.join("TUTORIAL.md")).unwrap();
    let include = 1 + lib
        .lines()
        .position(|line| line.contains(r#"include_str!("../TUTORIAL.md")"#))
        .expect("src/lib.rs includes TUTORIAL.md");
    let offset = include - 2;
    let first = 1 + tutorial
        .lines()
        .position(|line| line.starts_with("```rust"))
        .expect("TUTORIAL.md has a Rust block");
    let reported = first + offset;
    let expected = format!(
        "which includes this file at its line {include}: the block's opening fence is line N − \
         {offset} of this file (`(line {reported})` is Step 1's block, at line {first})"
    );
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words(&tutorial).contains(&words(&expected)),
        "TUTORIAL.md should say, in its introduction: {expected}"
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

/// The text of each ```` ```rust ```` block of `markdown`, fences left out.
fn rust_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut open: Option<Vec<&str>> = None;
    for line in markdown.lines() {
        match &mut open {
            None if line.starts_with("```rust") => open = Some(Vec::new()),
            None => {}
            Some(lines) if line.starts_with("```") => {
                blocks.push(lines.join("\n"));
                open = None;
            }
            Some(lines) => lines.push(line),
        }
    }
    blocks
}

/// `block` pasted as TUTORIAL.md says: `# ` taken off the start of each line, a line that is
/// only `#` emptied (rustdoc's two forms of a hidden line).
fn paste(block: &str) -> Vec<String> {
    block
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) => rest.to_string(),
            None if line == "#" => String::new(),
            None => line.to_string(),
        })
        .collect()
}

/// The non-blank lines of `a` that `b` lacks, and of `b` that `a` lacks, counting repeats.
fn differences<'t>(a: &[&'t str], b: &[&'t str]) -> (Vec<&'t str>, Vec<&'t str>) {
    let sorted = |lines: &[&'t str]| {
        let mut lines: Vec<&'t str> = lines
            .iter()
            .copied()
            .filter(|line| !line.trim().is_empty())
            .collect();
        lines.sort_unstable();
        lines
    };
    let (mut a, mut b) = (sorted(a).into_iter().peekable(), sorted(b).into_iter().peekable());
    let (mut only_a, mut only_b) = (Vec::new(), Vec::new());
    loop {
        match (a.peek(), b.peek()) {
            (None, None) => return (only_a, only_b),
            (Some(x), Some(y)) if x == y => {
                a.next();
                b.next();
            }
            (Some(x), Some(y)) if x < y => only_a.extend(a.next()),
            (Some(_), None) => only_a.extend(a.next()),
            (_, Some(_)) => only_b.extend(b.next()),
        }
    }
}

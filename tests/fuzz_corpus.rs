//! Replays the inputs the fuzzers found interesting (`tests/fuzz-corpus/<target>/`, minimized
//! libFuzzer corpora and crash reproducers) through the same invariant checks the fuzz targets
//! run (`fuzz/src/checks.rs`), so every regression the fuzzers ever found stays fixed without
//! libFuzzer or a nightly toolchain. How to fuzz: `fuzz/README.md`.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on every file of `tests/fuzz-corpus/<target>/`, reporting each failing file.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz-corpus")
        .join(target);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{} is empty", dir.display());
    let mut failed = Vec::new();
    for path in &paths {
        let data = std::fs::read(path).unwrap();
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            failed.push(path.display().to_string());
        }
    }
    assert!(failed.is_empty(), "failing inputs: {failed:#?}");
}

#[test]
fn clean_corpus() {
    replay("clean", checks::check_clean);
}

#[test]
fn boilerplate_corpus() {
    replay("boilerplate", checks::check_boilerplate);
}

#[test]
fn furniture_corpus() {
    replay("furniture", checks::check_furniture);
}

#[test]
fn batch_corpus() {
    replay("batch", checks::check_batch);
}

#[test]
fn jsonl_corpus() {
    replay("jsonl", checks::check_jsonl);
}

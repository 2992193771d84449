//! Fuzz harnesses for newsdedup. The invariants live in `checks.rs`, which the main crate's
//! `tests/fuzz_corpus.rs` also includes, so every input in `tests/fuzz-corpus/` is replayed by
//! `cargo test` without libFuzzer.

mod checks;

pub use checks::{check_batch, check_boilerplate, check_clean, check_furniture, check_jsonl};

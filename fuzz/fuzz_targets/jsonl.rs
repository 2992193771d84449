//! Fuzz target `jsonl`: see `newsdedup_fuzz::check_jsonl` for the input format and invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdedup_fuzz::check_jsonl(data));

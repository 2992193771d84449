//! Fuzz target `batch`: see `newsdedup_fuzz::check_batch` for the input format and invariants.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdedup_fuzz::check_batch(data));

//! Fuzz target `furniture`: see `newsdedup_fuzz::check_furniture` (the built-in boilerplate
//! automata against the regex).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| newsdedup_fuzz::check_furniture(data));

//! Fuzz target `jar_ops`: see `tests/fuzz_support/checks.rs` for what it checks.
#![no_main]

#[path = "../../tests/fuzz_support/checks.rs"]
mod checks;

libfuzzer_sys::fuzz_target!(|data: &[u8]| checks::check_jar_ops(data));

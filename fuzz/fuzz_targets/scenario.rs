//! Fuzz target `scenario`: see `wpt-tests/src/fuzz.rs` for what it checks.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| wpt_tests::fuzz::check_scenario(data));

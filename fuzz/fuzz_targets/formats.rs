//! Fuzz target `formats`: see `tests/fuzz_support/formats.rs` for what it checks.
#![no_main]

#[path = "../../tests/fuzz_support/formats.rs"]
mod formats;

libfuzzer_sys::fuzz_target!(|data: &[u8]| formats::check_formats(data));

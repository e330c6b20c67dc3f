//! Fuzz target `browser`: see `tests/fuzz_support/browser.rs` for what it checks.
#![no_main]

#[path = "../../tests/fuzz_support/browser.rs"]
mod browser;

libfuzzer_sys::fuzz_target!(|data: &[u8]| browser::check_browser(data));

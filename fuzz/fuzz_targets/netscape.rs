//! Fuzz target `netscape`: see `tests/fuzz_support/netscape.rs` for what it checks.
#![no_main]

#[path = "../../tests/fuzz_support/netscape.rs"]
mod netscape;

libfuzzer_sys::fuzz_target!(|data: &[u8]| netscape::check_netscape(data));

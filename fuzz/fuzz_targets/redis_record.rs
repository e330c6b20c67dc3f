//! Fuzz target `redis_record`: see `tests/fuzz_support/redis_record.rs` for what it checks.
#![no_main]

#[path = "../../tests/fuzz_support/redis_record.rs"]
mod redis_record;

libfuzzer_sys::fuzz_target!(|data: &[u8]| redis_record::check_redis_record(data));

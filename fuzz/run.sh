#!/usr/bin/env bash
# Runs every fuzz target (or those named after SECONDS) for SECONDS each, one after another, on
# stable Rust through RUSTC_BOOTSTRAP=1. New inputs go to fuzz/work/TARGET (git-ignored); the
# checked-in seeds in fuzz/corpus/TARGET and fuzz/regressions/TARGET are read, never written.
# A crash lands in fuzz/artifacts/TARGET/: copy it into fuzz/regressions/TARGET/ so that
# `cargo test --test fuzz_corpus` (parse, jar_ops; netscape, formats and browser with their
# features) or
# `cargo test -p wpt-tests --test fuzz` (scenario) replays it for ever.
#
#   fuzz/run.sh 600                 # ten minutes each
#   fuzz/run.sh 60 jar_ops          # one target
#   JOBS=2 fuzz/run.sh 600 parse    # two workers (logs in fuzz/fuzz-N.log)
set -euo pipefail
secs=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(parse jar_ops scenario netscape formats redis_record browser)
cd "$(dirname "$0")"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  mkdir -p "work/$t" "artifacts/$t"
  echo "== $t: ${secs}s"
  extra=()
  [ -f "dict/$t.dict" ] && extra+=(-dict="dict/$t.dict")
  # -jobs makes libFuzzer log to fuzz-N.log files instead of the terminal: only when asked.
  [ "${JOBS:-1}" -gt 1 ] && extra+=(-jobs="$JOBS" -workers="$JOBS")
  cargo fuzz run "$t" "work/$t" "corpus/$t" "regressions/$t" -- "${extra[@]}" \
    -max_total_time="$secs" \
    -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="artifacts/$t/"
done

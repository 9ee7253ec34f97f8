#!/usr/bin/env bash
# Runs every libFuzzer harness of build-asan/fuzz/ for $SVCDIFF_FUZZ_SECONDS
# (default 30) seconds, starting from its seed corpus in fuzz/corpus/<name>/
# (copied: the repository is never written). A crash, sanitizer report,
# timeout or broken property fails the run and keeps the input in
# build-asan/fuzz-findings/ (reproduce: build-asan/fuzz/<name>_fuzzer FILE).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_ASAN_BUILD_DIR:-$root/build-asan}
seconds=${SVCDIFF_FUZZ_SECONDS:-30}
findings=$build/fuzz-findings
mkdir -p "$findings"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s nullglob
fuzzers=("$build"/fuzz/*_fuzzer)
((${#fuzzers[@]})) || { echo "fuzz: no fuzzers in $build/fuzz (configure with -DSVCDIFF_FUZZERS=ON)" >&2; exit 1; }
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0}
failed=0
for fuzzer in "${fuzzers[@]}"; do
  name=$(basename "$fuzzer" _fuzzer)
  corpus=$work/$name
  mkdir -p "$corpus"
  cp "$root/fuzz/corpus/$name"/* "$corpus/" 2>/dev/null || true
  log=$work/$name.log
  if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
    -print_final_stats=1 -artifact_prefix="$findings/$name-" "$corpus" >"$log" 2>&1; then
    runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
    echo "fuzz: $name: ${runs:-?} executions in ${seconds} s, no findings" >&2
  else
    tail -n 60 "$log" >&2
    echo "fuzz: $name: FINDING (input kept in $findings/)" >&2
    failed=1
  fi
done
exit "$failed"

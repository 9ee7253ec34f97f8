#!/usr/bin/env bash
# Builds build-asan/ (or $SVCDIFF_ASAN_BUILD_DIR) with clang, AddressSanitizer,
# UndefinedBehaviorSanitizer and the libFuzzer harnesses, runs the unit suite
# under the sanitizers (without the Node e2e tests, which exercise the state
# machine rather than svcdiff's code, and the `release` tests of the static
# binary as shipped: ASan links dynamically), then every fuzzer for a bounded time
# (scripts/fuzz.sh). Any sanitizer report or fuzzer finding fails the run.
# scripts/test.sh runs it. It links a libgit2 built with frame pointers
# (install-deps.sh --asan): LeakSanitizer reports two libgit2 leaks on its own
# error paths (tests/sanitizers/lsan.supp), and its fast unwinder only sees
# the libgit2 function a suppression names through frame pointers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_ASAN_BUILD_DIR:-$root/build-asan}
bash "$root/scripts/install-deps.sh" --asan
libgit2=${SVCDIFF_DEPS_PREFIX:-/opt/svcdiff-deps}/libgit2-1.9.0-fp
start=$SECONDS
SVCDIFF_BUILD_DIR=$build bash "$root/scripts/build.sh" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 -DSVCDIFF_LIBGIT2_PREFIX="$libgit2" \
  -DSVCDIFF_SANITIZE=ON -DSVCDIFF_FUZZERS=ON -DSVCDIFF_BENCHMARKS=OFF
echo "sanitize: built in $((SECONDS - start)) s" >&2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$root/tests/sanitizers/lsan.supp:print_suppressions=0
start=$SECONDS
# The tests' JSON Schema checker uses std::regex, which recurses once a
# character; unoptimized test code under ASan overflows the default 8 MiB
# stack on ConfigSchema.LimitsAgree's long values.
ulimit -s 65536 2>/dev/null || ulimit -s "$(ulimit -Hs)"
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 900 -LE 'e2e|release')
echo "sanitize: unit suite under ASan+UBSan green in $((SECONDS - start)) s" >&2
SVCDIFF_ASAN_BUILD_DIR=$build bash "$root/scripts/fuzz.sh"

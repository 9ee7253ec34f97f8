#!/usr/bin/env bash
# Installs what the tests need, builds, and runs the whole test suite: unit
# tests, end-to-end tests against the real binary, the local Step Functions
# run, the sanitizer build with its fuzzers, benchmarks and the release checks. This is the README's second command and what CI runs.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-deps.sh"
if [[ -f $root/scripts/install-e2e.sh ]]; then bash "$root/scripts/install-e2e.sh"; fi
bash "$root/scripts/build.sh"
build=${SVCDIFF_BUILD_DIR:-$root/build}
bash "$root/scripts/check-format.sh" --tidy  # clang-format and clang-tidy: CI fails on either
cd "$build"
ctest --output-on-failure -j "$(nproc)" --timeout 600
# The unit suite again under ASan+UBSan (clang, build-asan/), then each
# libFuzzer harness for 30 s: any report or finding fails CI.
SVCDIFF_ASAN_BUILD_DIR=${SVCDIFF_ASAN_BUILD_DIR:-$root/build-asan} bash "$root/scripts/sanitize.sh"
# The benchmarks, small, so they keep running; they report, never fail on time.
SVCDIFF_BUILD_DIR=$build bash "$root/bench/run.sh" --small
# The release: Dockerfile lint, its builder stage for amd64 and arm64, the
# chroot test of both binaries, the .deb (scripts/check-release.sh).
SVCDIFF_BUILD_DIR=$build bash "$root/scripts/check-release.sh"

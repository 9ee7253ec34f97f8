#!/usr/bin/env bash
# Configures and builds svcdiff in build/ (or $SVCDIFF_BUILD_DIR).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_BUILD_DIR:-$root/build}
source "$root/scripts/ccache.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=${SVCDIFF_BUILD_TYPE:-RelWithDebInfo} "${ccache_args[@]}" "$@" >/dev/null
cmake --build "$build" -j "$(nproc)"

#!/usr/bin/env bash
# The release build: svcdiff linked statically and stripped, installed with its
# data (schema, buildspecs, ...) under a staging root the way the .deb and the
# image take it (usr/bin/svcdiff, usr/share/svcdiff/...). The Dockerfile's
# builder stage runs exactly this.
#   build-release.sh [ARCH [STAGE]]
# ARCH: this machine's architecture (default; built in $SVCDIFF_BUILD_DIR or
# build/, the directory scripts/build.sh uses, so after it nothing recompiles)
# or arm64, cross-built on x86-64 in build-arm64/ (only the binary, no tests).
# STAGE: default $SVCDIFF_STAGE, else <build dir>/stage.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
native=$(dpkg --print-architecture)
arch=${1:-$native}
log() { printf 'build-release: %s\n' "$*" >&2; }
source "$root/scripts/ccache.sh"

if [[ $arch == "$native" ]]; then
  build=${SVCDIFF_BUILD_DIR:-$root/build}
  cmake -S "$root" -B "$build" -DSVCDIFF_STATIC=ON >/dev/null
elif [[ $arch == arm64 && $native == amd64 ]]; then
  bash "$root/scripts/install-deps.sh" --arm64
  build=$root/build-arm64
  cmake -S "$root" -B "$build" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" "${ccache_args[@]}" \
    -DCMAKE_BUILD_TYPE=${SVCDIFF_BUILD_TYPE:-RelWithDebInfo} -DSVCDIFF_STATIC=ON \
    -DSVCDIFF_TESTS=OFF -DSVCDIFF_BENCHMARKS=OFF \
    -DSVCDIFF_LIBGIT2_PREFIX=/opt/svcdiff-deps/libgit2-1.9.0-arm64 >/dev/null
else
  log "error: cannot build for $arch on $native (this machine's architecture, or arm64 on amd64)"
  exit 2
fi
# The docs (man page, completion scripts) are written by running the binary;
# cmake --install installs them.
cmake --build "$build" --target svcdiff svcdiff_docs -j "$(nproc)"
stage=${2:-${SVCDIFF_STAGE:-$build/stage}}
rm -rf "$stage"
DESTDIR=$stage cmake --install "$build" --strip --prefix /usr >/dev/null
log "$arch: $(file -b "$stage/usr/bin/svcdiff" | cut -d, -f1-2), $(stat -c %s "$stage/usr/bin/svcdiff") bytes in $stage"

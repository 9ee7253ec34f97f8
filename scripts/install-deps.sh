#!/usr/bin/env bash
# Installs everything svcdiff needs to build and test on Debian 12, as root:
# Debian packages, then libgit2 1.9 built statically from Debian's own source
# package (trixie) with its network transports off. Safe to run again: each
# step is skipped when its result is already there.
#   install-deps.sh           what building and testing on this machine needs
#   install-deps.sh --arm64   also the aarch64 cross toolchain, arm64 libraries
#                             and libgit2 built for arm64 (scripts/build-release.sh arm64)
#   install-deps.sh --asan    also libgit2 built with frame pointers, for the
#                             sanitizer build (scripts/sanitize.sh)
set -euo pipefail

LIBGIT2_VERSION=1.9.0
DEPS=${SVCDIFF_DEPS_PREFIX:-/opt/svcdiff-deps}
PREFIX=$DEPS/libgit2-$LIBGIT2_VERSION
ARM64_PREFIX=$DEPS/libgit2-$LIBGIT2_VERSION-arm64
# arm64 -dev packages are not co-installable with the native ones; they are
# unpacked into this directory (a sysroot for the cross build) instead.
ARM64_SYSROOT=$DEPS/arm64-sysroot
# LeakSanitizer's suppressions (tests/sanitizers/lsan.supp) name libgit2
# functions; its fast unwinder only sees them through frame pointers, and the
# slow unwinder makes the sanitized suite too slow for CI.
ASAN_PREFIX=$DEPS/libgit2-$LIBGIT2_VERSION-fp
# What build_libgit2 makes, written in each prefix's stamp: a prefix whose
# stamp differs (built by an older version of this script) is built again.
LIBGIT2_BUILD="libgit2 $LIBGIT2_VERSION: static, no transports, no threads"
arm64=0 asan=0
for arg in "$@"; do
  case $arg in
    --arm64) arm64=1 ;;
    --asan) asan=1 ;;
    *) printf 'install-deps: unknown option %s (use --arm64 or --asan)\n' "$arg" >&2; exit 2 ;;
  esac
done
export DEBIAN_FRONTEND=noninteractive

log() { printf 'install-deps: %s\n' "$*" >&2; }

packages=(
  build-essential cmake pkg-config git ca-certificates dpkg-dev ccache
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libgtest-dev libbenchmark-dev
  libtomlplusplus-dev libpugixml-dev
  libhttp-parser-dev zlib1g-dev
  clang-format clang-tidy graphviz bc
  strace file hyperfine  # the release tests (tests/release/) and the start-up measurement
  python3 time  # bench/: the generator and the comparison, peak RSS via /usr/bin/time -v
  zsh fish groff-base man-db  # completion scripts checked by their shells; the man page rendered
  clang-14 libclang-rt-14-dev  # scripts/sanitize.sh: ASan, UBSan and libFuzzer
)
if ((arm64)); then
  packages+=(g++-aarch64-linux-gnu qemu-user-static)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
apt_updated=0
if ((${#missing[@]})); then
  log "apt-get install ${missing[*]}"
  apt-get update -qq
  apt_updated=1
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The arm64 builds of the libraries svcdiff links (Debian's own, unpacked).
arm64_packages=(libyaml-cpp-dev libyaml-cpp0.7 libhttp-parser-dev libhttp-parser2.9 zlib1g-dev zlib1g
  libpugixml-dev libpugixml1v5 libtomlplusplus-dev)
arch_all_packages=(nlohmann-json3-dev libcli11-dev)  # header-only, unpacked beside them
# The stamp holds the package list, so adding a package unpacks them again.
arm64_want="${arm64_packages[*]} ${arch_all_packages[*]}"
if ((arm64)) && [[ $(cat "$ARM64_SYSROOT/.svcdiff-stamp" 2>/dev/null) != "$arm64_want" ]]; then
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    log "dpkg --add-architecture arm64"
    dpkg --add-architecture arm64
  fi
  apt-get update -qq
  apt_updated=1
  debs=$(mktemp -d)
  (cd "$debs" && apt-get download -qq "${arm64_packages[@]/%/:arm64}" "${arch_all_packages[@]}" >/dev/null 2>&1) ||
    { log "error: apt-get download failed: ${arm64_packages[*]} ${arch_all_packages[*]}"; exit 1; }
  rm -rf "$ARM64_SYSROOT" && mkdir -p "$ARM64_SYSROOT"
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$ARM64_SYSROOT"; done
  rm -rf "$debs"
  printf '%s\n' "$arm64_want" >"$ARM64_SYSROOT/.svcdiff-stamp"
  log "arm64 libraries unpacked in $ARM64_SYSROOT"
fi

# built PREFIX: libgit2 is there, built as this script builds it now.
built() { [[ -f $1/lib/libgit2.a && $(cat "$1/.svcdiff-stamp" 2>/dev/null) == "$LIBGIT2_BUILD" ]]; }
native_done=0
built "$PREFIX" && native_done=1
arm64_done=1
((arm64)) && ! built "$ARM64_PREFIX" && arm64_done=0
asan_done=1
((asan)) && ! built "$ASAN_PREFIX" && asan_done=0
((native_done)) && log "libgit2 $LIBGIT2_VERSION already in $PREFIX"
((arm64 && arm64_done)) && log "libgit2 $LIBGIT2_VERSION for arm64 already in $ARM64_PREFIX"
((asan && asan_done)) && log "libgit2 $LIBGIT2_VERSION with frame pointers already in $ASAN_PREFIX"
((native_done && arm64_done && asan_done)) && exit 0

# A deb-src entry for trixie, derived from this machine's own Debian entry so
# no mirror is written down here.
src_list=/etc/apt/sources.list.d/svcdiff-trixie-src.sources
if [[ ! -f $src_list ]]; then
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [[ -z $uri ]]; then
    uri=$(awk '$1 == "deb" && $2 !~ /security/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [[ -n $uri ]] || { log "error: no Debian entry found in /etc/apt to derive a deb-src entry from"; exit 1; }
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" >"$src_list"
  apt_updated=0
fi
((apt_updated)) || apt-get update -qq

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get source -qq "libgit2=$LIBGIT2_VERSION*" >/dev/null 2>&1 || apt-get source -qq libgit2 >/dev/null)
srcdir=$(find "$work" -maxdepth 1 -type d -name 'libgit2-*' | head -n 1)
[[ -n $srcdir ]] || { log "error: apt-get source libgit2 produced no source tree"; exit 1; }

# build_libgit2 PREFIX [CMAKE_ARGS...]: everything libgit2's build lets us turn
# off is off (HTTPS, SSH, GSSAPI, NTLM, iconv, its CLI and tests). Its git://
# and http transports cannot be left out; svcdiff never fetches, and
# tests/release/syscalls_test.sh shows it opens no socket. Threads are off
# too: svcdiff calls libgit2 from one thread, and with them every object read
# takes the object cache's and the pack's mutexes and counts references
# atomically (3 to 5% of a long diff's instructions).
build_libgit2() {
  local prefix=$1 build
  shift
  build=$work/build-$(basename "$prefix")
  log "building libgit2 $LIBGIT2_VERSION from the Debian source package into $prefix"
  cmake -S "$srcdir" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$prefix" \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTS=OFF -DBUILD_CLI=OFF -DBUILD_EXAMPLES=OFF -DBUILD_FUZZERS=OFF \
    -DUSE_HTTPS=OFF -DUSE_SSH=OFF -DUSE_GSSAPI=OFF -DUSE_NTLMCLIENT=OFF -DUSE_ICONV=OFF \
    -DUSE_HTTP_PARSER=http-parser -DREGEX_BACKEND=regcomp \
    -DUSE_SHA1=CollisionDetection -DUSE_SHA256=Builtin -DUSE_THREADS=OFF "$@" >"$build.configure.log" 2>&1 ||
    { tail -n 20 "$build.configure.log" >&2; exit 1; }
  cmake --build "$build" -j "$(nproc)" >"$build.log" 2>&1 || { tail -n 40 "$build.log" >&2; exit 1; }
  rm -rf "$prefix"  # no header or archive of an earlier build left beside the new one
  cmake --install "$build" >/dev/null
  printf '%s\n' "$LIBGIT2_BUILD" >"$prefix/.svcdiff-stamp"
  log "libgit2 installed in $prefix"
}

((native_done)) || build_libgit2 "$PREFIX"
if ! ((arm64_done)); then
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  build_libgit2 "$ARM64_PREFIX" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake"
fi
((asan_done)) || build_libgit2 "$ASAN_PREFIX" -DCMAKE_C_FLAGS="-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer"

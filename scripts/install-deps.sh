#!/usr/bin/env bash
# Installs everything svcdiff needs to build and test on Debian 12, as root:
# Debian packages, then libgit2 1.9 built statically from Debian's own source
# package (trixie) with its network transports off. Safe to run again: each
# step is skipped when its result is already there.
set -euo pipefail

LIBGIT2_VERSION=1.9.0
PREFIX=${SVCDIFF_DEPS_PREFIX:-/opt/svcdiff-deps}/libgit2-$LIBGIT2_VERSION
export DEBIAN_FRONTEND=noninteractive

log() { printf 'install-deps: %s\n' "$*" >&2; }

packages=(
  build-essential cmake pkg-config git ca-certificates dpkg-dev
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libgtest-dev libbenchmark-dev
  libhttp-parser-dev zlib1g-dev
  clang-format clang-tidy graphviz bc
)
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

if [[ -f $PREFIX/lib/libgit2.a && -f $PREFIX/.svcdiff-stamp ]]; then
  log "libgit2 $LIBGIT2_VERSION already in $PREFIX"
  exit 0
fi

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
log "building libgit2 $LIBGIT2_VERSION from the Debian source package"
(cd "$work" && apt-get source -qq "libgit2=$LIBGIT2_VERSION*" >/dev/null 2>&1 || apt-get source -qq libgit2 >/dev/null)
srcdir=$(find "$work" -maxdepth 1 -type d -name 'libgit2-*' | head -n 1)
[[ -n $srcdir ]] || { log "error: apt-get source libgit2 produced no source tree"; exit 1; }
cmake -S "$srcdir" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PREFIX" \
  -DBUILD_SHARED_LIBS=OFF -DBUILD_TESTS=OFF -DBUILD_CLI=OFF -DBUILD_EXAMPLES=OFF \
  -DUSE_HTTPS=OFF -DUSE_SSH=OFF -DUSE_GSSAPI=OFF -DUSE_NTLMCLIENT=OFF -DUSE_ICONV=OFF \
  -DUSE_HTTP_PARSER=http-parser -DREGEX_BACKEND=regcomp \
  -DUSE_SHA1=CollisionDetection -DUSE_SHA256=Builtin >"$work/configure.log" 2>&1 ||
  { tail -n 20 "$work/configure.log" >&2; exit 1; }
cmake --build "$work/build" -j "$(nproc)" >"$work/build.log" 2>&1 || { tail -n 40 "$work/build.log" >&2; exit 1; }
cmake --install "$work/build" >/dev/null
date -u +%FT%TZ >"$PREFIX/.svcdiff-stamp"
log "libgit2 installed in $PREFIX"

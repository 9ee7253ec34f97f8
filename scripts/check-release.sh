#!/usr/bin/env bash
# What CI checks about the release beyond the unit tests (scripts/test.sh runs
# this after ctest): the Dockerfile lints clean; every command of its builder
# stage runs here too, for amd64 and for arm64 (cross-built); the results are
# static, stripped, carry the one version, and run a real `changed` alone in an
# empty chroot (arm64 under qemu-user-static); the .deb holds exactly what
# `cmake --install` installs. Needs root (chroot) and scripts/install-e2e.sh
# (the linter). Prints how long each step took.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_BUILD_DIR:-$root/build}
version=$(bash "$root/scripts/version.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
step_start=$SECONDS
step() {
  printf 'check-release: %s (%ds)\n' "$1" $((SECONDS - step_start)) >&2
  step_start=$SECONDS
}
fail() {
  printf 'check-release: FAIL: %s\n' "$*" >&2
  exit 1
}

# 1. The Dockerfile lints clean.
"$root/tools/dockerfile-lint/node_modules/.bin/dockerfile-utils" lint "$root/Dockerfile" ||
  fail "dockerfile-utils lint Dockerfile"
step "Dockerfile lint passed"

# 2. The builder stage's RUN commands, as written, for each platform.
mapfile -t builder_runs < <(awk '
  /^FROM / { in_builder = ($0 ~ / AS builder$/) }
  in_builder && /^RUN / { sub(/^RUN /, ""); print }' "$root/Dockerfile")
((${#builder_runs[@]} > 0)) || fail "no RUN command in the Dockerfile's builder stage"
for arch in amd64 arm64; do
  for command in "${builder_runs[@]}"; do
    echo "check-release: $arch: RUN $command" >&2
    (cd "$root" && TARGETARCH=$arch SVCDIFF_STAGE=$work/$arch bash -c "$command") ||
      fail "$arch: the builder stage's \`$command\` failed"
  done
  step "builder stage ran for $arch"
done

# 3. What they built.
check_binary() {
  local arch=$1 machine=$2 binary=$work/$1/usr/bin/svcdiff
  shift 2
  [[ -x $binary ]] || fail "$arch: no $binary"
  local description
  description=$(file -b "$binary")
  [[ $description == *"$machine"* && $description == *"statically linked"* &&
    $description == *", stripped"* ]] || fail "$arch: not a static stripped $machine binary: $description"
  local printed
  printed=$("$@" "$binary" --version)
  [[ $printed == "svcdiff $version" ]] || fail "$arch: --version printed \`$printed\`, want \`svcdiff $version\`"
  echo "check-release: $arch: $description; $(stat -c %s "$binary") bytes; $printed" >&2
}
check_binary amd64 x86-64 env
ldd "$work/amd64/usr/bin/svcdiff" >/dev/null 2>&1 && fail "amd64: ldd lists shared libraries"
bash "$root/tests/release/chroot_test.sh" "$work/amd64/usr/bin/svcdiff"
step "amd64 binary checked, chroot test passed"
check_binary arm64 "ARM aarch64" qemu-aarch64-static
bash "$root/tests/release/chroot_test.sh" "$work/arm64/usr/bin/svcdiff" qemu-aarch64-static
step "arm64 binary checked under qemu-aarch64-static, chroot test passed"

# 4. The .deb holds exactly the files `cmake --install` installs, and they run.
(cd "$build" && cpack -G DEB -B "$work/deb" >/dev/null) || fail "cpack -G DEB"
deb=$(find "$work/deb" -maxdepth 1 -name "svcdiff_${version}_*.deb")
[[ -f $deb ]] || fail "cpack made no svcdiff_${version}_*.deb: $(ls "$work/deb")"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "$deb: Version is $(dpkg-deb -f "$deb" Version)"
DESTDIR=$work/manifest cmake --install "$build" --prefix /usr >/dev/null
(cd "$work/manifest" && find . -type f | sed 's|^\.||' | sort) >"$work/installed"
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort >"$work/packaged"
diff -u "$work/installed" "$work/packaged" >&2 || fail "$(basename "$deb") differs from cmake --install (above)"
mkdir "$work/root" && dpkg-deb -x "$deb" "$work/root"
[[ $("$work/root/usr/bin/svcdiff" --version) == "svcdiff $version" ]] || fail "the packaged svcdiff does not run"
step "$(basename "$deb"): $(wc -l <"$work/packaged") files, the same as cmake --install"
echo "check-release: ok" >&2

#!/usr/bin/env bash
# The static binary needs nothing from the machine: copy only it into an empty
# directory tree holding a small repository, chroot there with an empty
# environment (no HOME, no PATH) and run a real `changed`.
#   chroot_test.sh BINARY [EMULATOR]
# EMULATOR (e.g. qemu-aarch64-static, itself static) runs a foreign binary; it
# is copied into the tree beside it. Needs root (chroot).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../scripts/sample-monorepo.sh"
binary=$(realpath "$1")
emulator=${2:-}

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
cp "$binary" "$tree/svcdiff"
run=(/svcdiff)
if [[ -n $emulator ]]; then
  cp "$(command -v "$emulator")" "$tree/emulator"
  run=(/emulator /svcdiff)
fi
make_sample_repo "$tree/repo"
mkdir "$tree/out"

# Everything in the tree besides the repository: the binary (and emulator) only.
extra=$(cd "$tree" && find . -path ./repo -prune -o -type f -print | sort | tr '\n' ' ')
echo "tree: $extra+ repo/"

status=0
env -i "$(command -v chroot)" "$tree" "${run[@]}" -C /repo --base HEAD~1 -o /out/ABC.json \
  2>"$tree/stderr" || status=$?
sed 's/^/  svcdiff: /' "$tree/stderr"
if ((status != 0)); then
  echo "FAIL: svcdiff exited $status in the chroot" >&2
  exit 1
fi
artifact=$(tr -d ' \n' <"$tree/out/ABC.json")
if [[ $artifact != "$expected_artifact" ]]; then
  echo "FAIL: ABC.json is $artifact, expected $expected_artifact" >&2
  exit 1
fi
if grep -qi 'warning' "$tree/stderr"; then
  echo "FAIL: svcdiff warned in the chroot" >&2
  exit 1
fi
echo "ok: changed in an empty chroot with an empty environment wrote $artifact"

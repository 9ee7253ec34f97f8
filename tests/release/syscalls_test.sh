#!/usr/bin/env bash
# svcdiff never opens a socket and never looks at a home directory: under
# strace, a real `changed` with HOME and XDG_CONFIG_HOME pointing at config
# files libgit2 would read by default makes no network system call and touches
# no path under them, nor the system config or the passwd database.
#   syscalls_test.sh BINARY
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/../../scripts/sample-monorepo.sh"
binary=$(realpath "$1")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
make_sample_repo "$work/repo"
mkdir -p "$work/home/.config/git" "$work/xdg/git"
printf '[core]\n\tabbrev = 12\n' >"$work/home/.gitconfig"
cp "$work/home/.gitconfig" "$work/home/.config/git/config"
cp "$work/home/.gitconfig" "$work/xdg/git/config"

env -i HOME="$work/home" XDG_CONFIG_HOME="$work/xdg" \
  strace -f -qq -e trace=%network,%file -o "$work/trace" \
  "$binary" -C "$work/repo" --base HEAD~1 -o "$work/ABC.json" 2>"$work/stderr" ||
  { cat "$work/stderr" >&2; echo "FAIL: svcdiff failed under strace" >&2; exit 1; }
[[ $(tr -d ' \n' <"$work/ABC.json") == "$expected_artifact" ]] ||
  { echo "FAIL: wrong artifact: $(cat "$work/ABC.json")" >&2; exit 1; }

calls=$(wc -l <"$work/trace")
((calls > 0)) || { echo "FAIL: strace recorded no file system call at all" >&2; exit 1; }
fail=0
network=$(grep -E '^[0-9]+ +(socket|socketpair|connect|bind|listen|accept4?|sendto|sendmsg|recvfrom|recvmsg|getsockopt|setsockopt|getsockname|getpeername|shutdown)\(' "$work/trace" || true)
if [[ -n $network ]]; then
  echo "FAIL: network system calls:" >&2
  echo "$network" >&2
  fail=1
fi
home=$(grep -F -e "$work/home" -e "$work/xdg" -e '"/etc/gitconfig"' -e '"/etc/passwd"' \
  -e '"/etc/nsswitch.conf"' -e '"/etc/group"' "$work/trace" || true)
if [[ -n $home ]]; then
  echo "FAIL: looked at a home directory, the system config or the passwd database:" >&2
  echo "$home" >&2
  fail=1
fi
((fail == 0)) || exit 1
echo "ok: $calls file system calls, no network system call, nothing under HOME or XDG_CONFIG_HOME"

#!/usr/bin/env bash
# Measures svcdiff at the scale of SPEC's limits, not asserted anywhere:
# a config with SERVICES (default 10,000) services and a commit that changes
# PATHS (default 100,000) files spread over them. Reports wall time and peak
# RSS (GNU time) of: the diff from git, the same paths from --files-from,
# `list`, and `validate`-free config loading (`list`). Usage:
#   bash bench/scale.sh [PATHS] [SERVICES]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
paths=${1:-100000}
services=${2:-10000}
source "$root/bench/setup.sh"  # $svcdiff, $work, $repo
[[ -x /usr/bin/time ]] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
python3 - "$repo" "$paths" "$services" <<'PY'
import os, sys
repo, paths, services = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(os.path.join(repo, "svcdiff.yml"), "w") as f:
    f.write("version: 1\nservices:\n")
    for s in range(services):
        f.write(f"  svc_{s:05d}: {{paths: [services/svc_{s:05d}/], buildspec: services/svc_{s:05d}/buildspec.yml}}\n")
os.makedirs(os.path.join(repo, "services"), exist_ok=True)
PY
git -C "$repo" add -A && git -C "$repo" commit -q -m base
python3 - "$repo" "$paths" "$services" "$work/changes.txt" <<'PY'
import os, sys
repo, paths, services, listing = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
with open(listing, "w") as out:
    for p in range(paths):
        d = os.path.join("services", f"svc_{p % services:05d}", "src")
        os.makedirs(os.path.join(repo, d), exist_ok=True)
        rel = os.path.join(d, f"file_{p // services}.txt")
        with open(os.path.join(repo, rel), "w") as f:
            f.write(f"{p}\n")
        out.write(rel + "\n")
PY
git -C "$repo" add -A && git -C "$repo" commit -q -m "change $paths paths"

measure() {
  local label=$1
  shift
  /usr/bin/time -f "%e s  %M KiB peak RSS" -o "$work/time" "$svcdiff" "$@" -o "$work/out.json" \
    >/dev/null 2>"$work/err" || label+=" (exit $?: $(head -c 120 "$work/err"))"
  printf 'bench: %-44s %s\n' "$label" "$(tail -n 1 "$work/time")"
}
cd "$repo"
echo "bench: $paths changed paths, $services services ($(wc -c <svcdiff.yml) bytes of svcdiff.yml)"
measure "changed (git diff), services format" changed -q --base HEAD~1
measure "changed (git diff), items format" changed -q --base HEAD~1 --format items
measure "changed --files-from" changed -q --files-from "$work/changes.txt"
/usr/bin/time -f "%e s  %M KiB peak RSS" -o "$work/time" "$svcdiff" list >/dev/null
printf 'bench: %-44s %s\n' "list (config load and discovery)" "$(cat "$work/time")"

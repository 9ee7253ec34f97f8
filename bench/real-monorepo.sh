#!/usr/bin/env bash
# bench/compare.py on a public monorepo that CI cannot reach:
#   bash bench/real-monorepo.sh NAME REPO [compare.py arguments...]
# NAME is one of bench/real/*.yml (babel, rushstack, python-docs-samples):
# the discovering config. REPO is a clone of that repository (bare or not).
# The explicit config (every discovered service listed by hand with its
# directory and the same ignores) and the directory list for the
# per-service loop are derived from it at HEAD, into a temporary directory.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_BUILD_DIR:-$root/build}
if (($# < 2)); then
  echo "usage: bench/real-monorepo.sh NAME REPO [compare.py arguments...]" >&2
  exit 2
fi
name=$1 repo=$2
shift 2
config=$root/bench/real/$name.yml
[[ -f $config ]] || { echo "real-monorepo: no config $config" >&2; exit 2; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
svcdiff=$build/svcdiff
for ((i = 1; i <= $#; i++)); do
  if [[ ${!i} == --svcdiff ]]; then
    next=$((i + 1))
    svcdiff=${!next#*=}
  fi
done
(cd "$repo" && SVCDIFF_NO_CACHE=1 "$svcdiff" -c "$config" list --json) >"$scratch/list.json"
python3 - "$config" "$scratch" <<'PY'
import json, re, sys
config, scratch = sys.argv[1], sys.argv[2]
services = json.load(open(f"{scratch}/list.json"))
ignore = next((line for line in open(config) if line.startswith("ignore:")), "")
with open(f"{scratch}/explicit.yml", "w") as out:
    out.write("version: 1\n" + ignore + "services:\n")
    for service in services:
        out.write(f"  {service['name']}:\n    paths: {json.dumps(service['paths'])}\n")
with open(f"{scratch}/dirs", "w") as out:
    out.write("".join(service["path"] + "\n" for service in services))
PY
args=()
[[ " $* " == *" --svcdiff "* ]] || args+=(--svcdiff "svcdiff=$svcdiff")
python3 "$root/bench/compare.py" --repo "$repo" --config "$config" \
  --explicit "$scratch/explicit.yml" --dirs "$scratch/dirs" "${args[@]}" "$@"

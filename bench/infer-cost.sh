#!/usr/bin/env bash
# What `infer` costs `changed`: the same synthetic monorepo (SERVICES npm
# packages under services/, each depending on a few others by name) diffed
# with and without `infer: [npm]`; prints both medians and their ratio. The
# change is to a service nothing depends on, so both runs select the same
# service and the ratio is the cost of reading the manifests; a change that
# selects more services costs more, with or without infer, in the same way.
# `git ls-tree -r HEAD` is timed too, as a yardstick: git itself reading every
# tree of the commit. Usage: bash bench/infer-cost.sh [SERVICES] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=${1:-2000}
runs=${2:-15}
source "$root/bench/setup.sh"  # $svcdiff, $work, $repo
python3 - "$repo" "$services" <<'PY'
import json, os, sys
repo, services = sys.argv[1], int(sys.argv[2])
for s in range(services):
    d = os.path.join(repo, "services", f"svc_{s:04d}")
    os.makedirs(os.path.join(d, "src"), exist_ok=True)
    deps = {f"@bench/svc_{t:04d}": "workspace:*" for t in (s // 2, s // 3, s // 5) if t < s}
    deps["left-pad"] = "^1.3.0"
    with open(os.path.join(d, "package.json"), "w") as f:
        json.dump({"name": f"@bench/svc_{s:04d}", "version": "1.0.0", "dependencies": deps,
                   "devDependencies": {"jest": "^29"}}, f, indent=2)
    for i in range(8):
        with open(os.path.join(d, "src", f"f{i}.js"), "w") as f:
            f.write(f"// {s} {i}\n")
PY
printf 'version: 1\ndiscover:\n  - {glob: "services/*", require: package.json}\n' >"$work/plain.yml"
printf 'version: 1\ninfer: [npm]\ndiscover:\n  - {glob: "services/*", require: package.json}\n' >"$work/infer.yml"
cd "$repo"
# Packed, as a clone is, and before measuring: an automatic gc would pack the
# 20,000 loose objects in the background while the runs read them.
git config gc.auto 0
git add -A && git commit -qm base
echo changed >>"services/svc_$(printf %04d $((services - 1)))/src/f0.js"
git commit -qam "one leaf service"
git gc -q

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Cold: no result cache (SVCDIFF_NO_CACHE=1), every run computes from the
# tree, as in a fresh CodeBuild container. Warm: before each run, the cache a
# run at the parent commit wrote is put back, so every timed run diffs one
# commit against it (the hand-run, hook or persistent-runner case).
cache="$(git rev-parse --absolute-git-dir)/svcdiff/cache"
measure() {
  local config=$1 mode=$2
  if [[ $mode == warm ]]; then
    rm -f "$cache"
    git checkout -q HEAD~1
    "$svcdiff" -q -c "$config" list >/dev/null
    git checkout -q -
    cp "$cache" "$work/saved-cache"
  fi
  for ((i = 0; i < runs; i++)); do
    local start end
    [[ $mode == warm ]] && cp "$work/saved-cache" "$cache"
    start=$(date +%s%N)
    if [[ $mode == cold ]]; then
      SVCDIFF_NO_CACHE=1 "$svcdiff" -q -c "$config" changed --base HEAD~1 -o /dev/null
    else
      "$svcdiff" -q -c "$config" changed --base HEAD~1 -o /dev/null
    fi
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done | median
}
plain=$(measure "$work/plain.yml" cold)
infer=$(measure "$work/infer.yml" cold)
plain_warm=$(measure "$work/plain.yml" warm)
infer_warm=$(measure "$work/infer.yml" warm)
selected=$("$svcdiff" -q -c "$work/infer.yml" changed --base HEAD~1 --format text -o - | wc -l)
echo "services: $services; selected with infer: $selected"
echo "cold (SVCDIFF_NO_CACHE=1), median of $runs:"
echo "  changed without infer: ${plain} us"
echo "  changed with infer:    ${infer} us (ratio $(echo "scale=2; $infer / $plain" | bc))"
echo "warm (the result cache written at the parent commit):"
echo "  changed without infer: ${plain_warm} us"
echo "  changed with infer:    ${infer_warm} us (ratio $(echo "scale=2; $infer_warm / $plain_warm" | bc))"
echo "with infer, warm against cold without infer: $(echo "scale=2; $infer_warm / $plain" | bc)"
lstree=$(
  for ((i = 0; i < runs; i++)); do
    start=$(date +%s%N)
    git ls-tree -r HEAD >/dev/null
    end=$(date +%s%N)
    echo $(((end - start) / 1000))
  done | median
)
echo "git ls-tree -r HEAD:  ${lstree} us (git reading every tree, no blob)"

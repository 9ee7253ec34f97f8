#!/usr/bin/env bash
# The benchmarks of issue 10, as ratios against git measured in the same run:
#   bash bench/run.sh            # 200,000 files, 2,000 services, 1,000 commits (minutes)
#   bash bench/run.sh --small    # a few thousand files: what CI runs so nothing rots
# --small also runs the other bench scripts (infer's cost, fingerprints against
# git ls-tree, SPEC-scale loads) at a size of a second each, for the same reason.
# Extra arguments go to bench/compare.py (for example --svcdiff before=PATH
# --svcdiff after=build/svcdiff, or --repo DIR to reuse a generated repository).
# Never fails on time; fails when a command fails.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SVCDIFF_BUILD_DIR:-$root/build}
small=0
if [[ ${1:-} == --small ]]; then
  small=1
  shift
fi
args=()
if ((small)); then
  args=(--files 3000 --services 60 --commits 30 --runs 3 --ranges 1,10)
fi
has_svcdiff=0
for arg in "$@"; do [[ $arg == --svcdiff ]] && has_svcdiff=1; done
((has_svcdiff)) || args+=(--svcdiff "svcdiff=$build/svcdiff")
python3 "$root/bench/compare.py" "${args[@]}" "$@"

bench=$build/svcdiff_bench
if [[ -x $bench ]]; then
  if ((small)); then
    "$bench" --benchmark_filter='BM_Classify/50$|BM_BuildClassifier/50$|BM_ParseConfig/300$' \
      --benchmark_min_time=0.01
  else
    "$bench" --benchmark_min_time=1
  fi
fi

# The other scripts, small: each builds its own repository, so a change that
# breaks one (a renamed flag, a moved output) fails CI instead of rotting.
if ((small)); then
  SVCDIFF_BUILD_DIR=$build bash "$root/bench/infer-cost.sh" 50 3
  SVCDIFF_BUILD_DIR=$build bash "$root/bench/fingerprint-vs-ls-tree.sh" 50 4 3
  SVCDIFF_BUILD_DIR=$build bash "$root/bench/scale.sh" 2000 200
fi

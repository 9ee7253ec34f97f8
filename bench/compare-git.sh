#!/usr/bin/env bash
# Measures svcdiff against git on the same synthetic monorepo in the same run,
# and reports ratios (never absolute thresholds). Usage:
#   bash bench/compare-git.sh [FILES] [SERVICES] [RUNS]
# Also runs the Google Benchmark micro-benchmarks when build/svcdiff_bench exists.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
files=${1:-20000}
services=${2:-500}
runs=${3:-21}
svcdiff=${SVCDIFF_BINARY:-${SVCDIFF_BUILD_DIR:-$root/build}/svcdiff}
[[ -x $svcdiff ]] || { echo "bench: build svcdiff first (bash scripts/build.sh)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
repo=$work/repo
git init -q -b main "$repo"
python3 - "$repo" "$files" "$services" <<'PY'
import os, sys
repo, files, services = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
per = max(1, files // services)
for s in range(services):
    d = os.path.join(repo, "services", f"svc_{s:04d}")
    os.makedirs(os.path.join(d, "src", "pkg"), exist_ok=True)
    with open(os.path.join(d, "buildspec.yml"), "w") as f:
        f.write("version: 0.2\nphases:\n  build:\n    commands:\n      - make\n")
    for i in range(per - 1):
        sub = "src/pkg" if i % 2 else "src"
        with open(os.path.join(d, sub, f"f{i}.py"), "w") as f:
            f.write(f"# {s} {i}\n")
PY
cd "$repo"
git add -A && git commit -qm base
echo changed >>services/svc_0007/src/f0.py
echo changed >>services/svc_0123/src/pkg/f1.py
git commit -qam "two services"

# Median wall time of a command in microseconds.
median_us() {
  local samples=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    samples+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${samples[@]}" | sort -n | sed -n "$(((runs + 1) / 2))p"
}

git_us=$(median_us git diff --name-only --no-renames HEAD~1 HEAD)
svc_us=$(median_us "$svcdiff" --base HEAD~1 -o /dev/null -q)
all_us=$(median_us "$svcdiff" --all -o /dev/null -q)
echo "repo: $(git ls-files | wc -l) files, $services services (zero-config discovery), one commit touching 2 services"
printf '%-44s %8s us\n' "git diff --name-only HEAD~1 HEAD" "$git_us"
printf '%-44s %8s us  (%.2fx git)\n' "svcdiff --base HEAD~1" "$svc_us" "$(echo "$svc_us / $git_us" | bc -l)"
printf '%-44s %8s us  (%.2fx git)\n' "svcdiff --all (discovery + config only)" "$all_us" "$(echo "$all_us / $git_us" | bc -l)"

bench=${SVCDIFF_BUILD_DIR:-$root/build}/svcdiff_bench
if [[ -x $bench ]]; then
  "$bench" --benchmark_min_time=0.2
fi

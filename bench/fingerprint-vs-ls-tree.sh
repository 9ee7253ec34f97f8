#!/usr/bin/env bash
# Every fingerprint of a large monorepo against `git ls-tree -r HEAD` on it,
# measured in the same run (issue 11: no more than ls-tree). Usage:
#   bash bench/fingerprint-vs-ls-tree.sh [SERVICES] [FILES_PER_SERVICE] [RUNS]
# Prints the median of each and the ratio, for two configs: services selected
# whole (tree ids reused) and `ignore: ["**/*.md"]` (every file listed).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
services=${1:-2000}
per=${2:-12}
runs=${3:-11}
source "$root/bench/setup.sh"  # $svcdiff, $work, $repo
python3 - "$repo" "$services" "$per" <<'PY'
import os, sys
repo, services, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
for s in range(services):
    d = f"{repo}/services/domain{s % 40:02d}/svc{s:05d}"
    write(f"{d}/buildspec.yml", "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n")
    write(f"{d}/README.md", f"# svc{s}\n")
    for i in range(per - 2):
        write(f"{d}/{'src/pkg' if i % 2 else 'src'}/f{i}.py", f"# {s} {i}\n")
for l in range(50):
    write(f"{repo}/libs/lib{l:03d}/lib.py", f"# lib {l}\n")
write(f"{repo}/tools/ci/run.sh", "#!/bin/sh\n")
PY
cd "$repo"
cat >whole.yml <<'YML'
version: 1
global: ["/tools/ci/"]
discover:
  - {glob: "services/*/*", require: buildspec.yml}
YML
sed 's/^global:/ignore: ["**\/*.md"]\nglobal:/' whole.yml >ignore.yml
git add -A && git commit -qm base

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

git repack -adq  # packed, as a clone is
count=$("$svcdiff" -q -c whole.yml fingerprint | wc -l)
echo "repo: $(git ls-files | wc -l) files, $count services"
ls_us=$(median_us git ls-tree -r HEAD)
printf '%-52s %9s us\n' "git ls-tree -r HEAD" "$ls_us"
for config in whole ignore; do
  us=$(median_us "$svcdiff" -c $config.yml fingerprint)
  printf '%-52s %9s us  (%.2fx ls-tree)\n' "svcdiff fingerprint ($config.yml)" "$us" \
    "$(echo "$us / $ls_us" | bc -l)"
done

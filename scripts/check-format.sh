#!/usr/bin/env bash
# Fails when a C++ file is not clang-format clean. With --tidy, also runs
# clang-tidy (slow: minutes, the first time) over src/ and tests/ using
# build/compile_commands.json (tests/.clang-tidy adds the tests' own headers).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find src tests bench -name '*.[ch]pp')
bad=()
for f in "${files[@]}"; do
  [[ -f $f ]] || continue
  clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "check-format: not clang-format clean (run clang-format -i): ${bad[*]}" >&2
  exit 1
fi
if [[ ${1:-} == --tidy ]]; then
  build=${SVCDIFF_BUILD_DIR:-$root/build}
  mapfile -t sources < <(git ls-files 'src/*.cpp' 'tests/*.cpp')
  # One clang-tidy per core; a file clean before and unchanged since, with
  # everything it includes, is skipped (scripts/tidy.py says how it knows).
  python3 "$root/scripts/tidy.py" "$build" "${sources[@]}" ||
    { echo "check-format: clang-tidy found problems (see above)" >&2; exit 1; }
fi
echo "check-format: ${#files[@]} files clean" >&2

#!/usr/bin/env bash
# The README's first command: installs what is missing, builds svcdiff, makes
# a sample monorepo (service_A, service_B, service_C) in a temporary
# directory, commits a change touching A and B, runs svcdiff and prints
# ABC.json, then runs the generated state machine locally and shows which
# CodeBuild projects it would start.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" >/dev/null
svcdiff=${SVCDIFF_BUILD_DIR:-$root/build}/svcdiff

demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
cd "$demo"
export HOME=$demo GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=demo GIT_AUTHOR_EMAIL=demo@example.com
export GIT_COMMITTER_NAME=demo GIT_COMMITTER_EMAIL=demo@example.com
git init -q -b main monorepo && cd monorepo
for s in service_A service_B service_C; do
  mkdir -p "services/$s"
  printf 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo building %s\n' "$s" >"services/$s/buildspec.yml"
  printf 'print("%s")\n' "$s" >"services/$s/app.py"
done
git add -A && git commit -qm "three services"
echo 'print("A, changed")' >services/service_A/app.py
echo 'print("B, changed")' >services/service_B/app.py
git commit -qam "touch A and B"

echo "\$ svcdiff --base HEAD~1    # in a sample monorepo with service_A, service_B, service_C"
"$svcdiff" --base HEAD~1
echo "\$ cat ABC.json"
cat ABC.json
if [[ -x $root/scripts/demo-state-machine.sh ]]; then
  "$root/scripts/demo-state-machine.sh" "$svcdiff" "$PWD"
fi

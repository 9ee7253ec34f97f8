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
source "$root/scripts/sample-monorepo.sh"
make_sample_repo "$demo/monorepo" && cd monorepo

echo "\$ svcdiff --base HEAD~1    # in a sample monorepo with service_A, service_B, service_C"
"$svcdiff" --base HEAD~1
echo "\$ cat ABC.json"
cat ABC.json
if [[ -x $root/scripts/demo-state-machine.sh ]]; then
  "$root/scripts/demo-state-machine.sh" "$svcdiff" "$PWD"
fi

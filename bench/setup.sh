# Sourced by the bench scripts that build their own repository: finds the
# svcdiff binary, makes a temporary directory removed on exit ($work) with an
# empty HOME and a fixed git identity (so the user's config cannot change
# what is measured), and an empty repository in $repo on branch main.
svcdiff=${SVCDIFF_BINARY:-${SVCDIFF_BUILD_DIR:-$root/build}/svcdiff}
[[ -x $svcdiff ]] || { echo "bench: build svcdiff first (bash scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
repo=$work/repo
git init -q -b main "$repo"

# Sourced by build.sh and build-release.sh: `${ccache_args[@]}` makes CMake
# compile through ccache when it is installed (install-deps.sh installs it),
# which shares objects between rebuilds and checkouts. The base directory and
# no hashed working directory keep its keys free of where the checkout is.
ccache_args=()
if command -v ccache >/dev/null; then
  ccache_args=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
fi

# Cross-building for arm64 (CodeBuild's Graviton environments) on an x86-64
# Debian: Debian's aarch64 cross compiler, its arm64 glibc and libstdc++, and
# the arm64 library packages that scripts/install-deps.sh --arm64 unpacks.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(SVCDIFF_ARM64_SYSROOT "/opt/svcdiff-deps/arm64-sysroot" CACHE PATH
    "arm64 library packages unpacked by scripts/install-deps.sh --arm64")
# Libraries, headers and CMake packages come only from the arm64 trees (the
# header-only ones, nlohmann/json and CLI11, are unpacked there too): the build
# machine's /usr/include holds x86-64 glibc headers.
set(CMAKE_FIND_ROOT_PATH "${SVCDIFF_ARM64_SYSROOT}" /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
set(CMAKE_C_FLAGS_INIT "-isystem ${SVCDIFF_ARM64_SYSROOT}/usr/include")
set(CMAKE_CXX_FLAGS_INIT "-isystem ${SVCDIFF_ARM64_SYSROOT}/usr/include")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-L${SVCDIFF_ARM64_SYSROOT}/usr/lib/aarch64-linux-gnu")
# The docs target runs the built binary (man page, completion scripts): an
# arm64 binary runs here under qemu (scripts/install-deps.sh --arm64 installs it).
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64-static)

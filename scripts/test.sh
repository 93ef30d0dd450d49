#!/usr/bin/env bash
# The tests in one command: install what is missing, build with the ci preset (sm_90, -Werror), run ctest.
# GPU tests (label gpu) skip without a device. Pass a preset name to use another (default, asan).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
TRANCHE_TEST_TOOLS=1 source scripts/install-deps.sh
# ccache, where installed, makes a rebuild in another clone cheap: paths relative to the clone, cwd not hashed.
if command -v ccache >/dev/null 2>&1; then
  export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}"
  export CMAKE_CUDA_COMPILER_LAUNCHER="${CMAKE_CUDA_COMPILER_LAUNCHER:-ccache}"
  export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
fi
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

#!/usr/bin/env bash
# The tests in one command: install what is missing, build with the ci preset (sm_90, -Werror), run ctest.
# GPU tests (label gpu) skip without a device. Pass a preset name to use another (default, asan).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${1:-ci}"
source scripts/install-deps.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

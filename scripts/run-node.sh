#!/usr/bin/env bash
# The main job in one command: install what is missing, build tranche (release, every GPU architecture),
# and run `tranche run` on this node with the default profile. Extra arguments go to `tranche run`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/install-deps.sh
cmake --preset default >/dev/null
cmake --build --preset default --target tranche
exec ./build/default/harness/cli/tranche run "$@"

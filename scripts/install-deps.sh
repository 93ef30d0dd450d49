#!/usr/bin/env bash
# Installs the Debian packages tranche builds with, only those missing; idempotent. Needs the CUDA toolkit (nvcc).
set -euo pipefail

packages=(cmake g++ make libcli11-dev nlohmann-json3-dev libgtest-dev libgmock-dev libbenchmark-dev libsimdjson-dev libssl-dev binutils python3 shellcheck)
# Open MPI: builds harness/dist (tranche run --multinode) and runs the 4-rank mpirun test.
packages+=(libopenmpi-dev openmpi-bin)
# clang and its sanitizer runtimes build the libFuzzer and ThreadSanitizer targets of scripts/robustness.sh.
packages+=(clang-14 libclang-rt-14-dev)
# Slurm and munge: the one-node cluster of tests/slurm (tranche slurm healthcheck, prolog, the sbatch sweep);
# python3-yaml: the offline checks of deploy/k8s.
packages+=(slurmctld slurmd slurm-client munge python3-yaml)
# tranche render's tests (scripts/test.sh sets TRANCHE_TEST_TOOLS=1; a GPU node set up by run-node.sh does not need
# them): xmllint (JUnit against tests/render/junit.xsd), promtool (Debian's prometheus package), headless Chromium
# (the HTML page and its charts). npm, for everyone: it fetches the pinned Vega packages the HTML embeds.
if [ "${TRANCHE_TEST_TOOLS:-0}" = 1 ]; then packages+=(libxml2-utils prometheus chromium); fi
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# The schema tests validate reports with jsonschema under Debian's python3 (/usr/bin/python3, CMake's TRANCHE_PYTHON),
# not whichever python3 comes first on PATH: python3-jsonschema installs for that interpreter only.
if ! /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then missing+=(python3-jsonschema); fi

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  echo "tranche: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Vega, Vega-Lite, Vega-Embed at the versions third_party/js/package-lock.json pins, into third_party/js/node_modules
# (git-ignored), where CMake embeds them into the binary; again only when the lock file changed.
js_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/third_party/js"
js_lock_sha="$(sha256sum "$js_dir/package-lock.json" | cut -d' ' -f1)"
if [ "$(cat "$js_dir/node_modules/.tranche-lock-sha256" 2>/dev/null)" != "$js_lock_sha" ]; then
  echo "tranche: installing the chart scripts (npm ci in third_party/js)"
  (cd "$js_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >/dev/null)
  echo "$js_lock_sha" >"$js_dir/node_modules/.tranche-lock-sha256"
fi

if ! command -v nvcc >/dev/null 2>&1; then
  for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do
    if [ -x "$d/nvcc" ]; then export PATH="$d:$PATH"; break; fi
  done
fi
if ! command -v nvcc >/dev/null 2>&1; then
  echo "tranche: nvcc not found: install the CUDA toolkit (12.x or 13.x) and put its bin/ on PATH" >&2
  exit 64
fi

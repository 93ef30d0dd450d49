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

if ! command -v nvcc >/dev/null 2>&1; then
  for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do
    if [ -x "$d/nvcc" ]; then export PATH="$d:$PATH"; break; fi
  done
fi
if ! command -v nvcc >/dev/null 2>&1; then
  echo "tranche: nvcc not found: install the CUDA toolkit (12.x or 13.x) and put its bin/ on PATH" >&2
  exit 64
fi

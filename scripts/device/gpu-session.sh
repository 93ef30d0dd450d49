#!/usr/bin/env bash
# One GPU session in one command (run on the GPU machine from the repository root, with .carry carried):
# builds for sm_90, runs the GPU tests, the checks, the micro benchmarks and the PyTorch side-by-side scripts,
# and leaves every log and report under $OUT (or ./device-out). Records nothing by hand: all figures come from
# these outputs.
set -uo pipefail
out="${OUT:-$PWD/device-out}"
mkdir -p "$out"
log() { echo "== $*" | tee -a "$out/session.log"; }

log "device"; nvidia-smi --query-gpu=name,pci.device_id,memory.total,driver_version,clocks.max.sm --format=csv \
  2>&1 | tee "$out/device.txt"
log "configure + build (sm_90)"
cmake -S . -B build/device -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DTRANCHE_DEPS_DIR="$PWD/.carry/deps" >"$out/build.log" 2>&1 &&
  cmake --build build/device -j16 >>"$out/build.log" 2>&1 || { tail -40 "$out/build.log"; exit 1; }
bin=build/device/harness/cli/tranche

log "tests (all labels)"; ctest --test-dir build/device --output-on-failure -j4 2>&1 | tail -40 | tee "$out/ctest.txt"
log "inventory"; "$bin" inventory --json >"$out/inventory.json" 2>"$out/inventory.err"; echo "exit $?"
log "run acceptance"; "$bin" run --out "$out/reports" 2>&1 | tee "$out/run.txt"
for b in build/device/benches/micro/bench_*; do
  [ -x "$b" ] || continue
  log "$(basename "$b")"; "$b" --benchmark_min_time=1 --benchmark_format=json >"$out/$(basename "$b").json" 2>&1
done
for py in scripts/device/*.py; do
  [ -f "$py" ] || continue
  log "$(basename "$py")"; python3 "$py" >"$out/$(basename "$py" .py).json" 2>&1
done
log "done"

#!/usr/bin/env bash
# One GPU session in one command, ordered so that a session cut short still leaves the most evidence: environment
# facts, a GPU gate, prerequisites, a minimal build, the GPU tests, `tranche run` (concurrent, Ctrl-C, --sequential),
# then the micro benchmarks and the PyTorch side-by-side scripts. Stops at once, with one line "no usable GPU: ...",
# when the machine has no usable device.
#
# Run from a checkout with .carry carried (scripts/device/prepare-carry.sh makes it), e.g. through the device tool:
#   bash scripts/device/gpu-session.sh           (one call, timeout_s 600; the session keeps to its budget)
# Writes to $OUT (default device-out in the current directory), at most four files because the device tool returns only eight:
#   session.log       one line per step: exit status, seconds, limit; the verdict line last
#   env.txt           environment facts (GPU, driver, toolkit, compilers, libraries), written first
#   evidence.tar.gz   every step's stdout and stderr apart (<step>.out, <step>.err), ctest's full output and JUnit,
#                     gtest JSON (one file per test), reports and event logs; re-packed after each step, so a
#                     session killed at its limit keeps every step that finished
# Validate the reports afterwards on a machine with the project's tools (the GPU machine may lack jsonschema):
#   python3 tests/tools/validate_json.py reports/schema/node-report.schema.json <report.json>
# Settings: TRANCHE_SESSION_BUDGET_S (default 540: every step's limit is cut to fit it), TRANCHE_SESSION_PROFILE
# (default acceptance), TRANCHE_SESSION_WORK (default build/device-session).
# Exit: 0 every step passed, 1 a step failed, 69 no usable GPU, 70 a prerequisite of the build is missing.
set -uo pipefail
out="${OUT:-device-out}"
mkdir -p "$out" && out="$(cd "$out" && pwd)" || exit 70
cd "$(dirname "$0")/../.." || exit 70

work="${TRANCHE_SESSION_WORK:-$PWD/build/device-session}"
budget="${TRANCHE_SESSION_BUDGET_S:-540}"
profile="${TRANCHE_SESSION_PROFILE:-acceptance}"
build="$PWD/build/device"
deps="$PWD/.carry/deps"
bin="$build/harness/cli/tranche"
deadline=$((SECONDS + budget))
failed=0
rm -rf "$work"
mkdir -p "$work"
: >"$out/session.log"

note() { echo "$*" | tee -a "$out/session.log"; }

# The first of its arguments (globs expanded by the caller) that exists; nothing when none does.
first_file() {
  local f
  for f in "$@"; do [ -e "$f" ] && echo "$f" && return; done
  return 0
}

# Re-packs the evidence (temp file, then rename: a kill mid-pack leaves the previous archive whole).
pack() {
  tar -czf "$out/.evidence.tar.gz.tmp" -C "$work" . 2>/dev/null && mv -f "$out/.evidence.tar.gz.tmp" "$out/evidence.tar.gz"
}

# The one line that ends a session early; exit code as in the header.
stop() {
  local code="$1"
  shift
  note "$*"
  pack
  exit "$code"
}

# step NAME LIMIT_S COMMAND...: runs COMMAND under its own timeout (cut to the session budget), stdout and stderr
# to NAME.out and NAME.err; logs exit status and time; a failure is counted and does not stop the session.
step() {
  local name="$1" limit="$2"
  shift 2
  local left=$((deadline - SECONDS - 10))
  if ((left < 5)); then
    note "$name: not run: the session budget (${budget} s) is spent"
    failed=$((failed + 1))
    return 124
  fi
  ((limit > left)) && limit=$left
  local t0=$SECONDS rc
  timeout -k 10 "$limit" "$@" >"$work/$name.out" 2>"$work/$name.err"
  rc=$?
  if ((rc == 0)); then
    note "$name: ok in $((SECONDS - t0)) s (limit $limit s)"
  else
    failed=$((failed + 1))
    note "$name: FAILED exit $rc in $((SECONDS - t0)) s (limit $limit s)$( ((rc == 124)) && echo ', timed out')"
    tail -n 15 "$work/$name.err" "$work/$name.out" 2>/dev/null | sed 's/^/    /'
  fi
  pack
  return "$rc"
}

# fact LABEL COMMAND...: appends one environment fact to env.txt (never fails, 10 s at most).
fact() {
  local label="$1"
  shift
  { echo "### $label"; timeout -k 2 10 "$@" 2>&1 || echo "(exit $?)"; echo; } >>"$out/env.txt"
}

# 1. Environment facts: seconds, and kept even when nothing else can run.
: >"$out/env.txt"
fact "date" date -u +%Y-%m-%dT%H:%M:%SZ
fact "host" uname -a
fact "os" sh -c 'grep PRETTY_NAME /etc/os-release'
fact "cpus and memory" sh -c 'nproc; free -g; df -h .'
fact "source" sh -c 'git rev-parse HEAD 2>/dev/null || echo "no git metadata (a copy of the working tree)"'
fact "nvidia-smi" nvidia-smi
fact "gpus" nvidia-smi --query-gpu=index,name,pci.bus_id,pci.device_id,memory.total,driver_version,clocks.max.sm,clocks.max.mem,power.limit,ecc.mode.current --format=csv
fact "driver" cat /proc/driver/nvidia/version
fact "device nodes" sh -c 'ls -l /dev/nvidia*'
fact "nvcc" sh -c 'command -v nvcc || ls /usr/local/cuda/bin/nvcc; nvcc --version || /usr/local/cuda/bin/nvcc --version'
fact "gcc" sh -c 'gcc --version | head -n 1; g++ --version | head -n 1'
fact "cmake" sh -c 'cmake --version | head -n 1; ninja --version'
fact "readelf" sh -c 'readelf --version | head -n 1'
fact "python3" sh -c 'command -v python3; python3 --version'
fact "libraries (ldconfig)" sh -c "ldconfig -p | grep -E 'libcublasLt|libcudart|libnvidia-ml|libcuda\\.so|libbenchmark' || echo none"
cp "$out/env.txt" "$work/env.txt"

# 2. A GPU gate before any build: without a driver and a listed GPU nothing after this can yield evidence.
command -v nvidia-smi >/dev/null 2>&1 || stop 69 "no usable GPU: nvidia-smi not found (no NVIDIA driver on this machine); environment facts in $out/env.txt"
gpu_list="$(timeout 15 nvidia-smi -L 2>&1)" || stop 69 "no usable GPU: nvidia-smi -L failed: $(head -n 1 <<<"$gpu_list")"
grep -q '^GPU [0-9]' <<<"$gpu_list" || stop 69 "no usable GPU: nvidia-smi lists no GPU ($(head -n 1 <<<"$gpu_list"))"
note "gpus: $(grep -c '^GPU [0-9]' <<<"$gpu_list") ($(head -n 1 <<<"$gpu_list"))"

# 3. Prerequisites of the build, one clear line each.
need() { note "prerequisite missing: $*"; missing=1; }
missing=0
if ! command -v nvcc >/dev/null 2>&1 && [ -x /usr/local/cuda/bin/nvcc ]; then export PATH="/usr/local/cuda/bin:$PATH"; fi
cuda_root=""
if command -v nvcc >/dev/null 2>&1; then
  cuda_root="$(cd "$(dirname "$(command -v nvcc)")/.." && pwd)"
else
  need "nvcc (the CUDA toolkit's compiler) is not on PATH nor in /usr/local/cuda/bin"
fi
cmake_version="$(cmake --version 2>/dev/null | sed -nE '1s/^cmake version ([0-9]+)\.([0-9]+).*/\1 \2/p')"
read -r cmake_major cmake_minor <<<"${cmake_version:-0 0}"
if ((cmake_major < 3 || (cmake_major == 3 && cmake_minor < 25))); then need "CMake >= 3.25 (found: ${cmake_version:-none})"; fi
if [ -n "$cuda_root" ]; then
  [ -n "$(first_file "$cuda_root"/include/cublasLt.h "$cuda_root"/targets/*/include/cublasLt.h)" ] ||
    need "cublasLt.h not under $cuda_root (the toolkit's cuBLAS headers)"
  [ -n "$(first_file "$cuda_root"/lib64/libcudart_static.a "$cuda_root"/targets/*/lib/libcudart_static.a)" ] ||
    need "libcudart_static.a not under $cuda_root (tranche links cudart statically)"
  echo '__global__ void k() {}' >"$work/probe.cu"
  nvcc -arch=sm_90 -c "$work/probe.cu" -o "$work/probe.o" >"$work/probe.err" 2>&1 ||
    need "nvcc cannot compile for sm_90 with the host compiler $(command -v g++ || echo '(no g++)'): $(head -n 1 "$work/probe.err")"
fi
command -v readelf >/dev/null 2>&1 || need "readelf (binutils)"
if [ ! -f /usr/include/CLI/CLI.hpp ] && [ ! -f "$deps/include/CLI/CLI.hpp" ]; then
  need "CLI11 headers: run scripts/device/prepare-carry.sh where packages install, and carry .carry"
fi
if [ ! -f "$deps/src/googletest/CMakeLists.txt" ] && [ ! -d /usr/include/gtest ]; then
  need "GoogleTest sources: run scripts/device/prepare-carry.sh and carry .carry"
fi
((missing == 0)) || stop 70 "cannot build: a prerequisite is missing (lines above)"
generator=(-G "Unix Makefiles")
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
jobs="$(nproc)"

# cuBLASLt at run time (the binary dlopens it): the loader's path, else the toolkit's, else Python's nvidia packages.
cublas_major="$(sed -nE 's/^#define CUBLAS_VER_MAJOR ([0-9]+).*/\1/p' "$cuda_root"/include/cublas_api.h "$cuda_root"/targets/*/include/cublas_api.h 2>/dev/null | head -n 1)"
lt="libcublasLt.so.${cublas_major:-13}"
if ldconfig -p 2>/dev/null | grep -q "$lt "; then
  note "cuBLASLt: $lt from the loader's path (ldconfig -p)"
else
  found="$(first_file "$cuda_root"/lib64/"$lt" "$cuda_root"/targets/*/lib/"$lt")"
  where="the toolkit"
  if [ -z "$found" ] && command -v python3 >/dev/null 2>&1; then
    for site in $(python3 -c 'import site; print(" ".join(site.getsitepackages()))' 2>/dev/null); do
      found="$(first_file "$site"/nvidia/*/lib/"$lt")"
      [ -n "$found" ] && where="Python's nvidia packages" && break
    done
  fi
  if [ -n "$found" ]; then
    LD_LIBRARY_PATH="$(dirname "$found")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export TRANCHE_CUBLASLT_LIBRARY="$found" LD_LIBRARY_PATH
    note "cuBLASLt: $found (from $where)"
  else
    note "cuBLASLt: $lt not found (ldconfig, toolkit, Python packages): the GEMM checks will report E_NO_CUBLAS"
  fi
fi
[ -d "$deps/lib" ] && export LD_LIBRARY_PATH="$deps/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# 4. Minimal build: the binary and the GPU tests only.
step configure 120 cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_ARCHITECTURES=90 \
  -DTRANCHE_DEPS_DIR="$deps" || stop 1 "cannot build: cmake configure failed (configure.err in the evidence)"
step build-minimal 300 cmake --build "$build" -j "$jobs" --target tranche tranche_gpu_tests ||
  stop 1 "cannot build: tranche or the GPU tests failed to build (build-minimal.out in the evidence)"

# 5. The binary's own view of the devices; a device error or a driver too old for the runtime ends the session.
step inventory 60 "$bin" inventory --json
gate="$(python3 - "$work/inventory.out" <<'PY'
import json, sys
try:
    node = json.load(open(sys.argv[1]))["node"]
except Exception as e:  # noqa: BLE001 - any unreadable inventory ends the session
    print("tranche inventory --json gave no inventory: %s" % e)
    sys.exit()
err = node.get("device_error")
drv, rt = node.get("cuda_driver_version", 0), node.get("cuda_runtime_version", 0)
if err:
    print("%s %s: %s" % (err.get("id"), err.get("code_name"), err.get("message")))
elif drv // 1000 < rt // 1000:
    print("the driver supports CUDA %d.%d, older than this build's runtime %d.%d" % (drv // 1000, drv % 1000 // 10, rt // 1000, rt % 1000 // 10))
PY
)"
[ -z "$gate" ] || stop 69 "no usable GPU: $gate"

# 6. GPU tests, one at a time (one GPU); a skip fails unless the test needs more GPUs than the machine has.
mkdir -p "$work/gtest"
step gpu-tests 240 env TRANCHE_EXPECT_GPU=1 GTEST_OUTPUT="json:$work/gtest/" \
  ctest --test-dir "$build" -L '^gpu$' -j1 --timeout 150 --output-on-failure --output-junit "$work/gpu-tests.junit.xml"
step gpu-test-skips 10 python3 scripts/device/session_skips.py "$work/gpu-tests.junit.xml"

# 7. The checks as an operator runs them, then a run interrupted with SIGINT (its report must say so).
step run-concurrent 240 "$bin" run --profile "$profile" --out "$work/run-concurrent"
# SIGINT after 20 s, as Ctrl-C would; the run must then end incomplete (exit 2) within 20 s more.
# shellcheck disable=SC2016  # the inner script expands its own "$@"
step run-ctrl-c 60 bash -c 'timeout --preserve-status -s INT -k 20 20 "$@"; rc=$?; echo "tranche exit $rc"; ((rc == 2))' \
  _ "$bin" run --profile "$profile" --out "$work/run-ctrl-c"
step run-ctrl-c-report 10 python3 - "$work/run-ctrl-c" <<'PY'
import glob, json, sys
reports = [p for p in glob.glob(sys.argv[1] + "/*.json")]
if len(reports) != 1:
    sys.exit("expected one report after the interrupted run, found %d" % len(reports))
summary = json.load(open(reports[0]))["summary"]
if "E_INTERRUPTED" not in summary["error_ids"]:
    sys.exit("the interrupted run's report does not say E_INTERRUPTED: %s" % summary["headline"])
print(summary["headline"])
PY
step run-sequential 240 "$bin" run --sequential --profile "$profile" --out "$work/run-sequential"

# 8. Everything else: the rest of the build (keep going past a failing target), micro benchmarks, PyTorch scripts.
keep_going=(-k)
[ "${generator[1]}" = Ninja ] && keep_going=(-k 0)
step build-rest 240 cmake --build "$build" -j "$jobs" -- "${keep_going[@]}"
for b in "$build"/benches/micro/bench_*; do
  [ -x "$b" ] || continue
  step "$(basename "$b")" 90 "$b" --benchmark_min_time=0.5 --benchmark_format=json
done
step torch-gemm 120 python3 scripts/device/gemm_vs_torch.py
step torch-copy 60 python3 scripts/device/copy_vs_torch.py
fact "gpus after the session" nvidia-smi --query-gpu=index,clocks.sm,clocks.mem,temperature.gpu,power.draw,clocks_throttle_reasons.active --format=csv
cp "$out/env.txt" "$work/env.txt"

if ((failed == 0)); then stop 0 "session: every step passed; evidence in $out"; fi
stop 1 "session: $failed step(s) failed (lines above); evidence in $out"

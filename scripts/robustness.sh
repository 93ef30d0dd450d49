#!/usr/bin/env bash
# Robustness checks CI runs after the test suite (.ci/run): the host test suite under ASan+UBSan (asan preset),
# libFuzzer targets for every reader (a bounded run each, then a replay of the seeds and past findings), and
# ThreadSanitizer over the runner, fault and supervisor tests. Only host code is built here, never CUDA kernels
# for the fuzz and TSan builds. Usage: scripts/robustness.sh [asan|fuzz|tsan]... (default: all three).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"
jobs="${TRANCHE_JOBS:-2}"
fuzz_seconds="${TRANCHE_FUZZ_SECONDS:-12}"  # per target; five targets, about a minute in all
launcher=""
if command -v ccache >/dev/null 2>&1; then launcher="ccache"; fi
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"  # hits across clones
export CMAKE_CXX_COMPILER_LAUNCHER="${CMAKE_CXX_COMPILER_LAUNCHER:-$launcher}"
export CMAKE_CUDA_COMPILER_LAUNCHER="${CMAKE_CUDA_COMPILER_LAUNCHER:-$launcher}"
if ! command -v nvcc >/dev/null 2>&1; then  # the asan preset builds the whole tree, kernels included
  for d in /usr/local/cuda/bin /usr/local/cuda-*/bin; do
    if [ -x "$d/nvcc" ]; then export PATH="$d:$PATH"; break; fi
  done
fi
steps=("$@")
if ((${#steps[@]} == 0)); then steps=(asan fuzz tsan); fi

timed() {  # timed NAME COMMAND...: runs it and prints its wall time
  local t0=$SECONDS
  "${@:2}"
  echo "robustness: $1 took $((SECONDS - t0)) s"
}

# compile_one DIR FLAGS SOURCE: one host source to DIR/<path with _>.o with clang++ (ccache when present).
compile_one() {
  # shellcheck disable=SC2086
  $launcher clang++ -std=c++20 -g -O1 $2 -I"$root" -DTRANCHE_SOURCE_BASELINES_DIR="\"$root/baselines\"" \
    -c "$3" -o "$1/$(echo "$3" | tr / _).o"
}
export -f compile_one
export launcher root

# compile_host DIR FLAGS SOURCE...: compiles in parallel, then prints the object paths.
compile_host() {
  local dir="$1" flags="$2"
  shift 2
  mkdir -p "$dir"
  # shellcheck disable=SC2016  # $0..$2 are expanded by the inner bash, on purpose
  printf '%s\0' "$@" | xargs -0 -P "$jobs" -n 1 bash -c 'compile_one "$0" "$1" "$2"' "$dir" "$flags"
  for s in "$@"; do echo "$dir/$(echo "$s" | tr / _).o"; done
}

run_asan() {
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j"$jobs" >/dev/null
  # protect_shadow_gap=0: the CUDA runtime maps memory where ASan keeps its shadow gap. The Slurm test runs in
  # the ci preset only: slurmd starts its health check and prolog with an empty environment, without ASAN_OPTIONS.
  ASAN_OPTIONS=protect_shadow_gap=0:detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --preset asan -j"$jobs" -LE '^slurm$'
}

run_fuzz() {
  local dir=build/fuzz flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
  mapfile -t objs < <(compile_host "$dir/obj" "$flags" harness/core/*.cpp harness/judge/*.cpp reports/*.cpp)
  local name seeds
  for target in tests/fuzz/fuzz_*.cpp; do
    name="$(basename "$target" .cpp)"
    clang++ -std=c++20 -g -O1 -fsanitize=fuzzer,address,undefined -I. "$target" "${objs[@]}" -o "$dir/$name" -lsimdjson -lcrypto -lpthread
    rm -rf "$dir/corpus/$name"
    mkdir -p "$dir/corpus/$name"
    case "$name" in
      fuzz_node_report) seeds="tests/data/golden tests/data/reports" ;;
      fuzz_baseline) seeds="baselines/skus tests/data/baselines/valid tests/data/baselines/malformed" ;;
      fuzz_profile) seeds="baselines/profiles" ;;
      fuzz_overrides) seeds="tests/data/baselines/overrides" ;;
      *) seeds="tests/fuzz/seeds/${name#fuzz_}" ;;
    esac
    # shellcheck disable=SC2086
    find $seeds -maxdepth 2 -type f -size -1M -exec cp {} "$dir/corpus/$name/" \; 2>/dev/null || true
    mkdir -p "tests/fuzz/regressions/$name"
    "$dir/$name" -max_total_time="$fuzz_seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$dir/$name-" "$dir/corpus/$name" 2>"$dir/$name.log" ||
      { tail -n 40 "$dir/$name.log"; echo "robustness: $name found a crash: add the artifact under tests/fuzz/regressions/$name"; return 1; }
    echo "robustness: $name: $(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$dir/$name.log" | tail -n 1)"
    # Replay: every seed and every past finding must pass.
    "$dir/$name" -runs=0 "$dir/corpus/$name" "tests/fuzz/regressions/$name" 2>"$dir/$name.replay.log" ||
      { tail -n 40 "$dir/$name.replay.log"; return 1; }
  done
}

run_tsan() {
  local dir=build/tsan flags="-fsanitize=thread"
  mapfile -t objs < <(compile_host "$dir/obj" "$flags" harness/core/*.cpp)
  clang++ -std=c++20 -g -O1 -fsanitize=thread -I. -DTRANCHE_SOURCE_DIR="\"$root\"" \
    tests/unit/runner_test.cpp tests/unit/fault_test.cpp tests/unit/supervisor_test.cpp tests/unit/telemetry_test.cpp \
    "${objs[@]}" \
    -lgtest -lgtest_main -lpthread -o "$dir/runner_tests"
  TSAN_OPTIONS=halt_on_error=1 "$dir/runner_tests" --gtest_brief=1
}

for s in "${steps[@]}"; do
  case "$s" in
    asan) timed "ASan+UBSan host suite" run_asan ;;
    fuzz) timed "fuzzing (5 targets x ${fuzz_seconds} s + replay)" run_fuzz ;;
    tsan) timed "ThreadSanitizer runner tests" run_tsan ;;
    *) echo "robustness: unknown step '$s' (asan, fuzz, tsan)" >&2; exit 64 ;;
  esac
done

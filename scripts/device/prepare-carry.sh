#!/usr/bin/env bash
# Copies the build dependencies the GPU machine lacks (it has nvcc and CMake but no Debian packages and no
# network) into .carry/deps, an ignored folder the device tool carries: CLI11 and nlohmann_json headers,
# GoogleTest sources, Google Benchmark headers and library.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/install-deps.sh
deps=.carry/deps
rm -rf "$deps"
mkdir -p "$deps/include" "$deps/lib" "$deps/src"
cp -r /usr/include/CLI /usr/include/nlohmann /usr/include/benchmark "$deps/include/"
cp -r /usr/src/googletest "$deps/src/"
cp -L /usr/lib/x86_64-linux-gnu/libbenchmark.so.1debian "$deps/lib/libbenchmark.so"
du -sh .carry

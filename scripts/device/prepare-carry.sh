#!/usr/bin/env bash
# Copies the build dependencies the GPU machine lacks (it has nvcc and CMake but no Debian packages and no
# network) into .carry/deps, an ignored folder the device tool carries: CLI11 and nlohmann_json headers,
# GoogleTest sources, Google Benchmark headers and library. scripts/device/gpu-session.sh checks for them.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/install-deps.sh
deps=.carry/deps
rm -rf "$deps"
mkdir -p "$deps/include" "$deps/lib" "$deps/src"
cp -r /usr/include/CLI /usr/include/nlohmann /usr/include/benchmark "$deps/include/"
cp -r /usr/src/googletest "$deps/src/"
# Copies, not links (a link travels as a link): libbenchmark.so for the linker, and the same library under its
# SONAME, the name the micro benchmarks ask the loader for at run time (LD_LIBRARY_PATH=.carry/deps/lib).
lib=/usr/lib/x86_64-linux-gnu/libbenchmark.so.1debian
soname="$(readelf -d "$lib" | sed -nE 's/.*Library soname: \[(.*)\].*/\1/p')"
cp -L "$lib" "$deps/lib/libbenchmark.so"
cp -L "$lib" "$deps/lib/$soname"
du -sh .carry

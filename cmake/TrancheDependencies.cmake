# Finds tranche's dependencies: the CUDA toolkit (cudart, cuBLASLt) and Debian's packages. Nothing is downloaded.
# TRANCHE_DEPS_DIR (optional): a folder of carried dependencies for machines without those packages (the GPU
# machine): include/{CLI,nlohmann,benchmark}, lib/libbenchmark.so*, src/googletest — see
# scripts/device/prepare-carry.sh.
set(TRANCHE_DEPS_DIR "" CACHE PATH "Folder of carried header-only and source dependencies")

find_package(CUDAToolkit 12.0 REQUIRED)
find_package(Threads REQUIRED)

# tranche_header_only(target header): an INTERFACE target for a header-only library found by one header.
function(tranche_header_only target header)
  find_path(_dir "${header}" HINTS "${TRANCHE_DEPS_DIR}/include" REQUIRED NO_CACHE)
  add_library(${target} INTERFACE IMPORTED GLOBAL)
  target_include_directories(${target} INTERFACE "${_dir}")
endfunction()

find_package(nlohmann_json 3.10 QUIET)
if(NOT TARGET nlohmann_json::nlohmann_json)
  tranche_header_only(nlohmann_json::nlohmann_json nlohmann/json.hpp)
endif()
find_package(CLI11 CONFIG QUIET)
if(NOT TARGET CLI11::CLI11)
  tranche_header_only(CLI11::CLI11 CLI/CLI.hpp)
endif()

# simdjson: the fast node report reader behind rack, tranche and compare (Debian: libsimdjson-dev).
find_package(simdjson CONFIG QUIET)
if(NOT TARGET simdjson::simdjson AND TRANCHE_DEPS_DIR)
  find_library(_simdjson_lib NAMES simdjson HINTS "${TRANCHE_DEPS_DIR}/lib" NO_CACHE)
  if(_simdjson_lib AND EXISTS "${TRANCHE_DEPS_DIR}/include/simdjson.h")
    add_library(simdjson::simdjson UNKNOWN IMPORTED GLOBAL)
    set_target_properties(simdjson::simdjson PROPERTIES IMPORTED_LOCATION "${_simdjson_lib}"
      INTERFACE_INCLUDE_DIRECTORIES "${TRANCHE_DEPS_DIR}/include")
  endif()
endif()
if(NOT TARGET simdjson::simdjson)
  message(FATAL_ERROR "simdjson not found: apt-get install libsimdjson-dev (or set TRANCHE_DEPS_DIR)")
endif()
# OpenSSL's libcrypto: SHA-256 of every node report at disk speed (SHA-NI where the CPU has it) for tranche rack.
find_package(OpenSSL COMPONENTS Crypto)
if(NOT TARGET OpenSSL::Crypto)
  message(FATAL_ERROR "OpenSSL libcrypto not found: apt-get install libssl-dev")
endif()

if(TRANCHE_BUILD_TESTS)
  find_package(GTest QUIET)
  if(NOT TARGET GTest::gtest_main AND EXISTS "${TRANCHE_DEPS_DIR}/src/googletest/CMakeLists.txt")
    set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
    add_subdirectory("${TRANCHE_DEPS_DIR}/src/googletest" "${CMAKE_BINARY_DIR}/_deps/googletest" EXCLUDE_FROM_ALL)
    if(NOT TARGET GTest::gtest_main)
      add_library(GTest::gtest_main ALIAS gtest_main)
    endif()
  endif()
  if(NOT TARGET GTest::gtest_main)
    message(FATAL_ERROR "GoogleTest not found: apt-get install libgtest-dev (or set TRANCHE_DEPS_DIR)")
  endif()
  # One interpreter for the schema tests and scripts/install-deps.sh, which installs python3-jsonschema for it.
  set(TRANCHE_PYTHON "/usr/bin/python3" CACHE FILEPATH "python3 with jsonschema, for the schema tests")
endif()
if(TRANCHE_BUILD_BENCHES)
  find_package(benchmark QUIET)
  if(NOT TARGET benchmark::benchmark AND TRANCHE_DEPS_DIR)
    find_library(_benchmark_lib NAMES benchmark libbenchmark.so.1debian HINTS "${TRANCHE_DEPS_DIR}/lib" NO_CACHE)
    if(_benchmark_lib AND EXISTS "${TRANCHE_DEPS_DIR}/include/benchmark/benchmark.h")
      add_library(benchmark::benchmark UNKNOWN IMPORTED GLOBAL)
      set_target_properties(benchmark::benchmark PROPERTIES IMPORTED_LOCATION "${_benchmark_lib}"
        INTERFACE_INCLUDE_DIRECTORIES "${TRANCHE_DEPS_DIR}/include")
    endif()
  endif()
  if(NOT TARGET benchmark::benchmark)
    message(STATUS "Google Benchmark not found: benches/micro is not built")
    set(TRANCHE_BUILD_BENCHES OFF)
  endif()
endif()

# Finds tranche's dependencies: the CUDA toolkit (cudart, cuBLASLt) and Debian's packages. Nothing is downloaded.
find_package(CUDAToolkit 12.0 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)

# CLI11 ships a CMake package on Debian; fall back to the header alone.
find_package(CLI11 CONFIG QUIET)
if(NOT TARGET CLI11::CLI11)
  find_path(CLI11_INCLUDE_DIR CLI/CLI.hpp REQUIRED)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
  target_include_directories(CLI11::CLI11 INTERFACE "${CLI11_INCLUDE_DIR}")
endif()

if(TRANCHE_BUILD_TESTS)
  find_package(GTest REQUIRED)
  find_package(Python3 COMPONENTS Interpreter)
endif()
if(TRANCHE_BUILD_BENCHES)
  find_package(benchmark QUIET)
  if(NOT benchmark_FOUND)
    message(STATUS "Google Benchmark not found: benches/micro is not built")
    set(TRANCHE_BUILD_BENCHES OFF)
  endif()
endif()

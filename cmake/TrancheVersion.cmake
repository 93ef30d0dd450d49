# Writes the tool version and the git commit into a generated header, read by the report and --version.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
  OUTPUT_VARIABLE TRANCHE_GIT_SHA
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET)
if(NOT TRANCHE_GIT_SHA)
  set(TRANCHE_GIT_SHA "unknown")
endif()
configure_file("${CMAKE_CURRENT_SOURCE_DIR}/cmake/version.h.in" "${CMAKE_CURRENT_BINARY_DIR}/generated/tranche/version.h" @ONLY)
set(TRANCHE_GENERATED_INCLUDE "${CMAKE_CURRENT_BINARY_DIR}/generated")

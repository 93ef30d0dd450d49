// source_where: the file:line an ErrorInfo carries, relative to the repository, never a build-machine path.
#pragma once
#include <string>

namespace tranche {

// "harness/gpu/stream.cpp:42" for __FILE__ and __LINE__. Absolute paths are already mapped to the repository by
// -fmacro-prefix-map (cmake/TrancheTargetSettings.cmake); a path the compiler saw relative to the build directory
// (ccache's base_dir rewrites them so) loses its leading "../" and "./" components here.
std::string source_where(const char* file, int line);

}  // namespace tranche

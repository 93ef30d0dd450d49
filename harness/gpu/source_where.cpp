// source_where: strip the build-directory-relative prefix from __FILE__.
#include "harness/gpu/source_where.h"

#include <string_view>

namespace tranche {

std::string source_where(const char* file, int line) {
  std::string_view f = file ? file : "";
  for (;;) {
    if (f.substr(0, 3) == "../") {
      f.remove_prefix(3);
    } else if (f.substr(0, 2) == "./") {
      f.remove_prefix(2);
    } else {
      break;
    }
  }
  return std::string(f) + ":" + std::to_string(line);
}

}  // namespace tranche

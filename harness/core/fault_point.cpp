// TRANCHE_TEST_FAULT: a comma-separated list of fault point names that throw when reached.
#include "harness/core/fault_point.h"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace tranche {

void fault_point(std::string_view name) {
  const char* armed = std::getenv("TRANCHE_TEST_FAULT");
  if (!armed) return;
  std::string_view rest(armed);
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (rest.substr(0, comma) == name) throw std::runtime_error("injected fault at " + std::string(name));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace tranche

// Named fault points for tests: a run can be made to fail at a chosen step to prove it still leaves a report.
#pragma once
#include <string_view>

namespace tranche {

// Throws std::runtime_error("injected fault at <name>") when the environment variable TRANCHE_TEST_FAULT names
// `name` (a comma-separated list of names). Does nothing otherwise; production runs never set it.
void fault_point(std::string_view name);

}  // namespace tranche

// Compact JSON text for reports: no whitespace, and every floating-point number in its shortest round-trip form
// (7.7e+14, not nlohmann's 770000000000000.0), so rounded figures are written as short as they are.
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace tranche {

std::string dump_compact(const nlohmann::ordered_json& j);

// v rounded to `digits` significant digits (non-finite values unchanged).
double round_significant(double v, int digits);

}  // namespace tranche

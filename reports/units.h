// Display formatting of SI values: 7.98e14 FLOP/s -> "798.0 TFLOP/s", 3.0e12 B/s -> "3000.0 GB/s".
#pragma once
#include <optional>
#include <string>

namespace tranche {

// Formats value in unit with a prefix chosen for the unit (GB/s for bandwidth, TFLOP/s for compute, ms/us for
// seconds); "-" for nullopt or a non-finite value.
std::string format_value(std::optional<double> value, const std::string& unit);

}  // namespace tranche

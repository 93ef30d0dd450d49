// Burn-in durations as operators write them ("90s", "30m", "12h", "2d", or plain seconds), parsed and bounded.
#pragma once
#include <string>

namespace tranche {

inline constexpr double kMinBurninDuration_s = 60.0;              // one minute
inline constexpr double kMaxBurninDuration_s = 30.0 * 24 * 3600;  // thirty days

// Seconds for `text`: a positive number with an optional unit suffix s, m, h or d ("1.5h" = 5400). Throws
// InputError naming `what` (e.g. "--duration") for an empty, malformed or out-of-range value (outside
// [kMinBurninDuration_s, kMaxBurninDuration_s]), with an example of a valid one.
double parse_duration(const std::string& text, const std::string& what);

// "1h30m", "45s", "2d3h": the shortest exact-ish human form of `seconds` (rounded to the second), for reports.
std::string format_duration(double seconds);

}  // namespace tranche

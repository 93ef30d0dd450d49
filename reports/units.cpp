// format_value: fixed display prefixes per unit, so tables line up across GPUs and reports.
#include "reports/units.h"

#include <cmath>
#include <cstdio>

namespace tranche {

std::string format_value(std::optional<double> value, const std::string& unit) {
  if (!value || !std::isfinite(*value)) return "-";
  const double v = *value;
  char buf[64];
  if (unit == "B/s") {
    std::snprintf(buf, sizeof buf, "%.1f GB/s", v / 1e9);
  } else if (unit == "FLOP/s" || unit == "OP/s") {
    std::snprintf(buf, sizeof buf, "%.1f T%s", v / 1e12, unit.c_str());
  } else if (unit == "s") {
    if (std::fabs(v) < 1e-3) {
      std::snprintf(buf, sizeof buf, "%.2f us", v * 1e6);
    } else if (std::fabs(v) < 1.0) {
      std::snprintf(buf, sizeof buf, "%.2f ms", v * 1e3);
    } else {
      std::snprintf(buf, sizeof buf, "%.2f s", v);
    }
  } else if (unit == "B") {
    std::snprintf(buf, sizeof buf, "%.2f GiB", v / (1024.0 * 1024.0 * 1024.0));
  } else if (unit == "count" || unit.empty()) {
    std::snprintf(buf, sizeof buf, "%.6g", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.6g %s", v, unit.c_str());
  }
  return buf;
}

}  // namespace tranche

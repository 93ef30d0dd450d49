// parse_duration / format_duration.
#include "harness/core/duration_text.h"

#include <cmath>
#include <cstdlib>

#include "harness/core/errors.h"

namespace tranche {

double parse_duration(const std::string& text, const std::string& what) {
  const std::string hint = " (write e.g. 90s, 30m, 12h or 2d; between 1 minute and 30 days)";
  if (text.empty()) throw InputError(what + ": empty duration" + hint);
  double scale = 1.0;
  std::string number = text;
  switch (text.back()) {
    case 's': scale = 1.0; number.pop_back(); break;
    case 'm': scale = 60.0; number.pop_back(); break;
    case 'h': scale = 3600.0; number.pop_back(); break;
    case 'd': scale = 86400.0; number.pop_back(); break;
    default: break;
  }
  char* end = nullptr;
  const double v = number.empty() ? NAN : std::strtod(number.c_str(), &end);
  if (number.empty() || end != number.c_str() + number.size() || !std::isfinite(v) || !(v > 0) ||
      number.find_first_not_of("0123456789.") != std::string::npos) {
    throw InputError(what + ": '" + text + "' is not a duration" + hint);
  }
  const double seconds = v * scale;
  if (seconds < kMinBurninDuration_s || seconds > kMaxBurninDuration_s) {
    throw InputError(what + ": '" + text + "' is out of range" + hint);
  }
  return seconds;
}

std::string format_duration(double seconds) {
  auto s = static_cast<long long>(std::llround(seconds < 0 ? 0 : seconds));
  if (s == 0) return "0s";
  const long long d = s / 86400, h = s % 86400 / 3600, m = s % 3600 / 60, r = s % 60;
  std::string out;
  if (d) out += std::to_string(d) + "d";
  if (h) out += std::to_string(h) + "h";
  if (m) out += std::to_string(m) + "m";
  if (r) out += std::to_string(r) + "s";
  return out;
}

}  // namespace tranche

// dump_compact: a recursive writer over nlohmann's values; strings are escaped by nlohmann itself.
#include "reports/compact_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace tranche {

namespace {

void write(const nlohmann::ordered_json& j, std::string& out) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [k, v] : j.items()) {
        if (!first) out += ',';
        first = false;
        out += nlohmann::ordered_json(k).dump();
        out += ':';
        write(v, out);
      }
      out += '}';
      return;
    }
    case nlohmann::ordered_json::value_t::array: {
      out += '[';
      for (size_t i = 0; i < j.size(); ++i) {
        if (i) out += ',';
        write(j[i], out);
      }
      out += ']';
      return;
    }
    case nlohmann::ordered_json::value_t::number_float: {
      const double v = j.get<double>();
      if (!std::isfinite(v)) {
        out += "null";
        return;
      }
      char buf[40];
      const auto res = std::to_chars(buf, buf + sizeof buf, v);  // shortest form that reads back exactly
      std::string text(buf, res.ptr);
      if (const auto e = text.find("e+"); e != std::string::npos) text.erase(e + 1, 1);  // 7.7e+14 -> 7.7e14
      // Keep it a JSON float where it has no '.', 'e': "3" would read back as an integer.
      if (text.find_first_of(".e") == std::string::npos) text += ".0";
      out += text;
      return;
    }
    default:
      out += j.dump();
  }
}

}  // namespace

std::string dump_compact(const nlohmann::ordered_json& j) {
  std::string out;
  out.reserve(1 << 16);
  write(j, out);
  return out;
}

double round_significant(double v, int digits) {
  if (!std::isfinite(v) || v == 0.0) return v;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*e", digits - 1, v);
  return std::strtod(buf, nullptr);
}

}  // namespace tranche

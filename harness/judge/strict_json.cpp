// Strict JSON reading for data files: one-line errors with file and JSON place.
#include "harness/judge/strict_json.h"
#include "harness/core/json_guard.h"

#include <cmath>

#include "harness/core/errors.h"

namespace tranche {

using nlohmann::json;

void data_error(const std::string& file, const std::string& place, const std::string& what) {
  std::string line = file + ": " + place + ": " + what;
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  throw InputError(line);
}

json parse_data_file(const std::string& text, const std::string& file) {
  try {
    return json::parse(text, duplicate_key_guard(file));
  } catch (const json::parse_error& e) {
    std::size_t line = 1, col = 1;
    const std::size_t end = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    for (std::size_t i = 0; i < end; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string reason = e.what();
    if (auto p = reason.find(": ", reason.find("column")); p != std::string::npos) reason = reason.substr(p + 2);
    std::string msg = file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not valid JSON: " + reason;
    for (char& c : msg) {
      if (c == '\n' || c == '\r') c = ' ';
    }
    throw InputError(msg);
  } catch (const json::exception& e) {  // a number out of range (1e999) is out_of_range, not parse_error
    data_error(file, "$", std::string("not valid JSON: ") + e.what());
  }
}

StrictObject::StrictObject(const json& j, std::string file, std::string place)
    : j_(j), file_(std::move(file)), place_(std::move(place)) {
  if (!j_.is_object()) data_error(file_, place_, std::string("must be a JSON object, not ") + j_.type_name());
}

bool StrictObject::has(const char* key) const { return j_.contains(key); }

const json& StrictObject::at(const char* key) {
  auto it = j_.find(key);
  if (it == j_.end()) data_error(file_, place_, std::string("missing key '") + key + "'");
  read_.insert(key);
  return *it;
}

std::string StrictObject::string(const char* key, bool non_empty) {
  const json& v = at(key);
  if (!v.is_string()) fail(key, std::string("must be a string, not ") + v.type_name());
  if (non_empty && v.get<std::string>().empty()) fail(key, "must not be empty");
  return v.get<std::string>();
}

std::optional<std::string> StrictObject::optional_string(const char* key) {
  if (!has(key)) return std::nullopt;
  return string(key, false);
}

double StrictObject::number(const char* key) {
  const json& v = at(key);
  if (!v.is_number()) fail(key, std::string("must be a number, not ") + v.type_name());
  const double d = v.get<double>();
  if (!std::isfinite(d)) fail(key, "must be finite");
  return d;
}

std::optional<double> StrictObject::optional_number(const char* key) {
  if (!has(key) || j_.at(key).is_null()) {
    read_.insert(key);
    return std::nullopt;
  }
  return number(key);
}

std::optional<std::int64_t> StrictObject::optional_integer(const char* key, std::int64_t min, std::int64_t max) {
  if (!has(key) || j_.at(key).is_null()) {
    read_.insert(key);
    return std::nullopt;
  }
  const json& v = at(key);
  if (!v.is_number_integer()) fail(key, std::string("must be an integer, not ") + v.dump());
  const auto i = v.get<std::int64_t>();
  if (i < min || i > max) {
    fail(key, std::to_string(i) + " is out of range [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  }
  return i;
}

bool StrictObject::boolean(const char* key) {
  const json& v = at(key);
  if (!v.is_boolean()) fail(key, std::string("must be true or false, not ") + v.dump());
  return v.get<bool>();
}

std::optional<bool> StrictObject::optional_boolean(const char* key) {
  if (!has(key)) return std::nullopt;
  return boolean(key);
}

std::map<std::string, std::string> StrictObject::string_map(const char* key) {
  std::map<std::string, std::string> out;
  if (!has(key)) return out;
  const json& v = at(key);
  if (!v.is_object()) fail(key, std::string("must be an object of strings, not ") + v.type_name());
  for (const auto& [k, val] : v.items()) {
    if (!val.is_string()) data_error(file_, place(key) + "." + k, "must be a string (labels are strings: \"8192\")");
    out[k] = val.get<std::string>();
  }
  return out;
}

void StrictObject::finish(const std::string& allowed) const {
  for (const auto& [k, v] : j_.items()) {
    if (!read_.count(k)) data_error(file_, place_ + "." + k, "unknown key (allowed: " + allowed + ")");
  }
}

}  // namespace tranche

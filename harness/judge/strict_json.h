// Strict readers for tranche's hand-written JSON data files (baselines, site overrides): every error is one line
// naming the file and the JSON place ("$.expectations[3].unit"), and unknown keys are errors.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace tranche {

// Throws InputError "<file>: <place>: <what>", with any newline in `what` flattened to a space.
[[noreturn]] void data_error(const std::string& file, const std::string& place, const std::string& what);

// Parses text as JSON; a syntax error is "<file>:<line>:<col>: not valid JSON: <reason>".
nlohmann::json parse_data_file(const std::string& text, const std::string& file);

// Reads one JSON object; finish() rejects keys that were never read.
class StrictObject {
 public:
  // Throws unless j is an object.
  StrictObject(const nlohmann::json& j, std::string file, std::string place);

  bool has(const char* key) const;
  const nlohmann::json& at(const char* key);  // required key, any type
  std::string string(const char* key, bool non_empty = true);
  std::optional<std::string> optional_string(const char* key);
  double number(const char* key);                          // finite
  std::optional<double> optional_number(const char* key);  // absent or null -> nullopt
  std::optional<std::int64_t> optional_integer(const char* key, std::int64_t min, std::int64_t max);
  bool boolean(const char* key);
  std::optional<bool> optional_boolean(const char* key);
  std::map<std::string, std::string> string_map(const char* key);  // absent -> empty

  std::string place(const char* key) const { return place_ + "." + key; }
  const std::string& place() const { return place_; }
  const std::string& file() const { return file_; }
  [[noreturn]] void fail(const char* key, const std::string& what) const { data_error(file_, place(key), what); }

  // Throws for the first key that no accessor asked for, listing the keys this object may have.
  void finish(const std::string& allowed) const;

 private:
  const nlohmann::json& j_;
  std::string file_;
  std::string place_;
  std::set<std::string> read_;
};

}  // namespace tranche

// duplicate_key_guard: a stack of key sets, one per object being parsed.
#include "harness/core/json_guard.h"

#include <memory>
#include <set>
#include <vector>

#include "harness/core/errors.h"

namespace tranche {

nlohmann::json::parser_callback_t duplicate_key_guard(const std::string& where) {
  auto open = std::make_shared<std::vector<std::set<std::string>>>();
  return [open, where](int, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start) {
      open->emplace_back();
    } else if (event == E::object_end && !open->empty()) {
      open->pop_back();
    } else if (event == E::key && !open->empty() && parsed.is_string()) {
      if (!open->back().insert(parsed.get<std::string>()).second) {
        throw InputError(where + ": key '" + parsed.get<std::string>() + "' appears twice in one object");
      }
    }
    return true;
  };
}

}  // namespace tranche

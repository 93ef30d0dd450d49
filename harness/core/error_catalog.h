// The error catalog: every error tranche reports has a stable id, a message and the operator's next step.
#pragma once
#include <span>
#include <string>
#include <string_view>

namespace tranche {

struct ErrorEntry {
  std::string_view id;         // "E_NO_DEVICE"
  std::string_view summary;    // what it means
  std::string_view next_step;  // what the operator does about it
};

// All entries, in catalog order. Ids are unique (tested).
std::span<const ErrorEntry> error_catalog();
// The entry for id; the E_INTERNAL entry when id is unknown (a programmer error, asserted in debug builds).
const ErrorEntry& error_entry(std::string_view id);
bool is_known_error(std::string_view id);

}  // namespace tranche

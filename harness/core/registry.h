// CheckRegistry: every check registers itself from its own file; the CLI and the planner look checks up here.
#pragma once
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/core/check.h"

namespace tranche {

class CheckRegistry {
 public:
  using Factory = std::function<std::unique_ptr<Check>()>;
  struct Entry {
    CheckInfo info;
    Factory make;
  };

  // The process-wide registry that TRANCHE_REGISTER_CHECK fills during static initialisation.
  static CheckRegistry& global();

  // Adds a check. Duplicate ids are kept (and reported by duplicate_ids()) so the registry test can name them.
  void add(Factory make);
  // Entries sorted by (info.order, info.id).
  const std::vector<Entry>& entries() const { return entries_; }
  const Entry* find(std::string_view id) const;
  std::vector<std::string> duplicate_ids() const;
  // Every metric name some registered check declares (what a baseline expectation may name).
  std::set<std::string> declared_metrics() const;
  // check id -> headline metric, for the checks whose headline a baseline must judge (headline_needs_baseline).
  std::map<std::string, std::string> headline_metrics() const;

  // Selects entries by a comma-separated list of ids or prefixes ("gemm.,membw.triad"): an item ending in '.'
  // or naming a family ("gemm") matches every id under it; any other item must be an exact id. Throws
  // InputError naming the first item that matches nothing, with the known ids. Order follows entries().
  std::vector<const Entry*> select(std::string_view spec) const;

 private:
  std::vector<Entry> entries_;
};

template <class T>
bool register_check() {
  CheckRegistry::global().add([] { return std::make_unique<T>(); });
  return true;
}

}  // namespace tranche

// Registers check type T (default-constructible) from its own .cpp/.cu file, inside namespace tranche where T is
// visible. The checks are built as an OBJECT library so the linker keeps every registration.
#define TRANCHE_REGISTER_CHECK(T) \
  namespace {                     \
  const bool tranche_registered_##T = ::tranche::register_check<T>(); \
  }

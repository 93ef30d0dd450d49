// CheckRegistry: storage, lookup and selection by id or prefix.
#include "harness/core/registry.h"

#include <algorithm>
#include <set>

#include "harness/core/errors.h"

namespace tranche {

CheckRegistry& CheckRegistry::global() {
  static CheckRegistry registry;
  return registry;
}

void CheckRegistry::add(Factory make) {
  Entry e{make()->info(), std::move(make)};
  auto pos = std::upper_bound(entries_.begin(), entries_.end(), e, [](const Entry& a, const Entry& b) {
    return a.info.order != b.info.order ? a.info.order < b.info.order : a.info.id < b.info.id;
  });
  entries_.insert(pos, std::move(e));
}

const CheckRegistry::Entry* CheckRegistry::find(std::string_view id) const {
  for (const auto& e : entries_) {
    if (e.info.id == id) return &e;
  }
  return nullptr;
}

std::vector<std::string> CheckRegistry::duplicate_ids() const {
  std::set<std::string> seen, dup;
  for (const auto& e : entries_) {
    if (!seen.insert(e.info.id).second) dup.insert(e.info.id);
  }
  return {dup.begin(), dup.end()};
}

std::set<std::string> CheckRegistry::declared_metrics() const {
  std::set<std::string> out;
  for (const auto& e : entries_) out.insert(e.info.metrics.begin(), e.info.metrics.end());
  return out;
}

std::map<std::string, std::string> CheckRegistry::headline_metrics() const {
  std::map<std::string, std::string> out;
  for (const auto& e : entries_) {
    if (e.info.headline_needs_baseline && !e.info.metrics.empty()) out[e.info.id] = e.info.metrics.front();
  }
  return out;
}

namespace {
std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t");
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

bool matches(const std::string& id, const std::string& item) {
  if (id == item) return true;
  const std::string family = item.back() == '.' ? item : item + ".";
  return id.rfind(family, 0) == 0;
}
}  // namespace

std::vector<const CheckRegistry::Entry*> CheckRegistry::select(std::string_view spec) const {
  std::vector<std::string> items;
  size_t start = 0;
  while (start <= spec.size()) {
    size_t comma = spec.find(',', start);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string item = trim(spec.substr(start, comma - start));
    if (!item.empty()) items.push_back(item);
    start = comma + 1;
  }
  if (items.empty()) throw InputError("--checks is empty: name check ids or prefixes, e.g. --checks gemm.,membw.triad");

  std::vector<const Entry*> out;
  for (const auto& item : items) {
    bool any = false;
    for (const auto& e : entries_) {
      if (matches(e.info.id, item)) any = true;
    }
    if (!any) {
      std::string known;
      for (const auto& e : entries_) known += (known.empty() ? "" : ", ") + e.info.id;
      throw InputError("unknown check '" + item + "' in --checks; known checks: " + known +
                       " (see tranche list)");
    }
  }
  for (const auto& e : entries_) {
    for (const auto& item : items) {
      if (matches(e.info.id, item)) {
        out.push_back(&e);
        break;
      }
    }
  }
  return out;
}

}  // namespace tranche
